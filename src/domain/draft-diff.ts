/**
 * What the browser editor sends when it saves: the difference between the lines as last saved and the lines as they
 * are now, as patch operations on stable line ids (see draft-patch.ts). Computed from the two states rather than
 * recorded keystroke by keystroke, so that an edit, a paste, an undo and a redo all save the same way, and a value
 * changed and changed back sends nothing.
 */
import { LINE_FIELDS, type DraftLine, type DraftOp } from "./draft-patch.ts";

export function diffDraftLines(saved: readonly DraftLine[], current: readonly DraftLine[]): DraftOp[] {
  const before = new Map(saved.map((l) => [l.id, l]));
  const now = new Set(current.map((l) => l.id));
  const ops: DraftOp[] = [];
  for (const l of saved) if (!now.has(l.id)) ops.push({ op: "delete", line: l.id, from: l.values });
  let previous: string | null = null;
  for (const l of current) {
    const old = before.get(l.id);
    if (!old) ops.push({ op: "insert", line: l.id, after: previous, values: l.values });
    else for (const field of LINE_FIELDS) if (old.values[field] !== l.values[field]) ops.push({ op: "set", line: l.id, field, from: old.values[field], to: l.values[field] });
    previous = l.id;
  }
  return ops;
}
