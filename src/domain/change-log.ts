/**
 * A correction's public change log: exactly which printed table cells, narrative figures and sentences differ
 * between two published versions. Each version keeps a snapshot of what a reader sees (every printed cell, every
 * figure as printed, every sentence of the narrative, under its section's title); the change log of version n+1 is
 * the difference of the two snapshots, so it is computed from what was published, never typed.
 */
import { performanceRows, performanceTexts, rowTexts, type Disclosure } from "./disclosure-model.ts";
import { formatCell } from "./money.ts";
import { blockText, type Narrative, type NarrativeSection } from "./narrative-model.ts";

export const SNAPSHOT_FORMAT = "gongkai/change-snapshot@1";
export const CHANGE_LOG_FORMAT = "gongkai/change-log@1";

export interface SnapshotCell {
  /** `表1 收支总表` */
  readonly table: string;
  /** the row's code and name as printed (`2010301 行政运行`), or `第 3 行` for a performance table */
  readonly row: string;
  /** the column's heading */
  readonly column: string;
  readonly text: string;
}

export interface ChangeSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** by a key stable across versions: table id, row key, column id */
  readonly cells: Readonly<Record<string, SnapshotCell>>;
  /** figure id → its name and its printed value */
  readonly figures: Readonly<Record<string, { readonly name: string; readonly text: string }>>;
  /** section title path (`第三部分 › 二、…`) → its sentences in order */
  readonly sentences: Readonly<Record<string, readonly string[]>>;
}

export interface CellChange {
  readonly key: string;
  readonly table: string;
  readonly row: string;
  readonly column: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface FigureChange {
  readonly id: string;
  readonly name: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface SentenceChange {
  readonly section: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface ChangeLog {
  readonly format: typeof CHANGE_LOG_FORMAT;
  /** the version this one corrects, and this one */
  readonly from: number;
  readonly to: number;
  readonly reason: string;
  readonly cells: readonly CellChange[];
  readonly figures: readonly FigureChange[];
  readonly sentences: readonly SentenceChange[];
}

const SEP = "\u0001";

/** A sentence ends at 。！？ (a list item or field without one is one sentence). */
export function splitSentences(text: string): string[] {
  return text
    .split("\n")
    .flatMap((line) => line.split(/(?<=[。！？])/u))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** What a reader sees of a disclosure, for comparing versions. */
export function changeSnapshot(d: Disclosure, narrative: Narrative | null, performanceTables: readonly { id: string; title: string; source: "department" | "projects"; columns: readonly { field: string; csv: string }[] }[]): ChangeSnapshot {
  const unit = d.template.printUnit;
  const cells: Record<string, SnapshotCell> = {};
  for (const t of d.tables) {
    const table = `${t.number} ${t.title}`;
    if (t.emptySentence !== null) {
      cells[[t.id, "", ""].join(SEP)] = { table, row: "", column: "", text: t.emptySentence };
      continue;
    }
    for (const r of t.rows) {
      const texts = rowTexts(t, r, unit);
      const label = [r.code, r.name, r.project].filter((x) => x).join(" ") || r.key;
      t.columns.forEach((c, i) => {
        cells[[t.id, r.key, c.id].join(SEP)] = { table, row: label, column: c.csv, text: texts[i] ?? "" };
      });
    }
  }
  for (const pt of performanceTables) {
    const [header, ...rows] = performanceTexts(pt.columns, performanceRows(d, pt.source));
    rows.forEach((row, ri) =>
      row.forEach((text, ci) => {
        cells[[pt.id, String(ri + 1), pt.columns[ci]!.field].join(SEP)] = { table: pt.title, row: `第 ${ri + 1} 行`, column: header![ci] ?? "", text };
      }),
    );
  }
  const figures: Record<string, { name: string; text: string }> = {};
  for (const [id, f] of d.figures) figures[id] = { name: f.name, text: formatCell(f.current, unit) || "0" };
  const sentences: Record<string, string[]> = {};
  const visit = (path: string, s: NarrativeSection) => {
    const here = path === "" ? s.title : `${path} › ${s.title}`;
    const list = s.blocks.flatMap((b) => splitSentences(blockText(b)));
    if (list.length > 0) sentences[here] = [...(sentences[here] ?? []), ...list];
    for (const sub of s.subsections) visit(here, sub);
  };
  for (const part of narrative?.parts ?? []) for (const s of part.sections) visit(part.title, s);
  return { format: SNAPSHOT_FORMAT, cells, figures, sentences };
}

/** The changes from snapshot `a` (version `from`) to snapshot `b` (version `to`). */
export function changeLog(a: ChangeSnapshot, b: ChangeSnapshot, p: { from: number; to: number; reason: string }): ChangeLog {
  const cells: CellChange[] = [];
  for (const key of unionKeys(a.cells, b.cells)) {
    const x = a.cells[key];
    const y = b.cells[key];
    if (x?.text === y?.text) continue;
    const where = (y ?? x)!;
    // a row that appears or goes away changes only where it prints something
    if ((x?.text ?? "") === "" && (y?.text ?? "") === "") continue;
    cells.push({ key, table: where.table, row: where.row, column: where.column, before: x?.text ?? null, after: y?.text ?? null });
  }
  const figures: FigureChange[] = [];
  for (const id of unionKeys(a.figures, b.figures)) {
    const x = a.figures[id];
    const y = b.figures[id];
    if (x?.text === y?.text) continue;
    figures.push({ id, name: (y ?? x)!.name, before: x?.text ?? null, after: y?.text ?? null });
  }
  const sentences: SentenceChange[] = [];
  for (const section of unionKeys(a.sentences, b.sentences)) {
    const removed = multisetMinus(a.sentences[section] ?? [], b.sentences[section] ?? []);
    const added = multisetMinus(b.sentences[section] ?? [], a.sentences[section] ?? []);
    for (let i = 0; i < Math.max(removed.length, added.length); i++) sentences.push({ section, before: removed[i] ?? null, after: added[i] ?? null });
  }
  return { format: CHANGE_LOG_FORMAT, from: p.from, to: p.to, reason: p.reason, cells, figures, sentences };
}

function unionKeys(a: object, b: object): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys];
}

/** The items of `xs` not matched one for one by an equal item of `ys`, in their order. */
function multisetMinus(xs: readonly string[], ys: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const y of ys) left.set(y, (left.get(y) ?? 0) + 1);
  const out: string[] = [];
  for (const x of xs) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}
