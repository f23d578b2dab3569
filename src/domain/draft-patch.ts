/**
 * The browser editor's changes to a draft's line items, as a patch on STABLE LINE IDS. Each save sends the operations
 * the user made since the revision the browser last saw; the server applies them to the lines as they are now, so
 * that two people editing different lines both keep their work, and the second of two people who changed the same
 * field is told (a conflict, with what the field holds now) and keeps their input in the browser.
 *
 * Three-way, per field: a `set` carries what the browser saw (`from`) and what the user typed (`to`). It applies when
 * the field still holds `from`; when it already holds `to` (the same change made twice, or a retried request) it counts
 * as applied and changes nothing; anything else is a conflict and the field keeps the other person's value. A line
 * someone deleted cannot be set or deleted again (`deleted`); a `delete` of a line changed since the browser saw it is
 * a conflict (`changed`), so nobody deletes work they have not seen.
 *
 * Values are text as the user typed them, so a draft keeps an invalid entry (`12.345`, `abc`) for the check to report
 * rather than losing it. An amount that is valid is kept in one form: 元 with two decimals (`786750.00`), the form
 * `readDraftLines` gives; values are compared in that form, so `786750.5` and `786750.50` are the same value.
 * Empty is `null` (an empty string is read as `null`).
 *
 * Pure: no clock, no randomness of its own (`clientLineId` takes the random source).
 */
import { z } from "zod";
import type { BudgetLine } from "./budget-schema.ts";
import { parseFieldPath } from "./input-problem.ts";
import { formatYuan, parseYuan } from "./money.ts";
import { refusedTextChar } from "./text-chars.ts";

/**
 * A line's id: `L` and 1–24 of 0-9 A-Z a-z _ - (`lineSchema.id` in budget-schema.ts uses this). Defined here, not in
 * the schema's module, so that the browser editor, which bundles this file for `clientLineId`, does not bundle the
 * whole budget schema with it.
 */
export const LINE_ID_PATTERN = /^L[0-9A-Za-z_-]{1,24}$/;

/** The fields of a line the editor shows, in the order of `lineSchema` (and of the YAML the editor writes). */
export const LINE_FIELDS = ["unit", "func", "econ", "fund", "kind", "project", "amount", "note"] as const;
export type LineField = (typeof LINE_FIELDS)[number];

/** A line's values as text (see the header); `null` is empty. */
export type LineValues = Readonly<Record<LineField, string | null>>;

export interface DraftLine {
  readonly id: string;
  readonly values: LineValues;
}

export interface SetOp {
  readonly op: "set";
  readonly line: string;
  readonly field: LineField;
  /** what the browser showed before the user's change */
  readonly from: string | null;
  readonly to: string | null;
}
export interface InsertOp {
  readonly op: "insert";
  readonly line: string;
  /** the line it follows; `null` puts it first; a line that no longer exists puts it last */
  readonly after: string | null;
  readonly values: LineValues;
}
export interface DeleteOp {
  readonly op: "delete";
  readonly line: string;
  /** the line's values as the browser showed them */
  readonly from: LineValues;
}
export type DraftOp = SetOp | InsertOp | DeleteOp;

/** An operation that was not applied, and why; the lines stay as the other person left them. */
export type DraftConflict =
  /** the field holds something else than `from` (and than `to`): `current` is what it holds */
  | { readonly op: SetOp; readonly reason: "changed"; readonly current: string | null }
  /** the line changed since the browser saw it: `current` is how it is now */
  | { readonly op: DeleteOp; readonly reason: "changed"; readonly current: LineValues }
  /** the line was deleted (`current` is null, so that every conflict has one) */
  | { readonly op: SetOp | DeleteOp; readonly reason: "deleted"; readonly current: null }
  /** another line has this id: `current` are its values */
  | { readonly op: InsertOp; readonly reason: "duplicate_id"; readonly current: LineValues };

export interface DraftApplyResult {
  readonly lines: DraftLine[];
  /** operations applied, those that found their change already made included */
  readonly applied: number;
  readonly conflicts: DraftConflict[];
}

// ---------------------------------------------------------------------------------------------------------------
// Values

const EMPTY_VALUES: LineValues = { unit: null, func: null, econ: null, fund: null, kind: null, project: null, amount: null, note: null };

const CANONICAL_YUAN = /^(?:0|[1-9][0-9]{0,14})\.[0-9]{2}$/;
const WHOLE_YUAN = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * A value in the one form the draft keeps: an empty string is `null`; a valid amount is 元 with two decimals
 * (`1,036,750.1` → `1036750.10`); anything else stays as typed.
 */
export function normalizeLineValue(field: LineField, value: string | null): string | null {
  if (value === null || value === "") return null;
  if (field !== "amount") return value;
  // the forms nearly every amount has, without parsing (at most 15 digits: far below parseYuan's limit)
  if (CANONICAL_YUAN.test(value)) return value;
  if (WHOLE_YUAN.test(value)) return `${value}.00`;
  const r = parseYuan(value);
  return r.ok ? formatYuan(r.fen) : value;
}

/** Every field through `normalizeLineValue`. */
export function normalizeLineValues(values: Partial<Record<LineField, string | null>>): LineValues {
  const out: Record<LineField, string | null> = { ...EMPTY_VALUES };
  for (const f of LINE_FIELDS) out[f] = normalizeLineValue(f, values[f] ?? null);
  return out;
}

const sameValue = (field: LineField, a: string | null, b: string | null) => normalizeLineValue(field, a) === normalizeLineValue(field, b);

/** Whether two lines' values are the same in every field (in the draft's form). */
export function sameLineValues(a: LineValues, b: LineValues): boolean {
  return LINE_FIELDS.every((f) => sameValue(f, a[f], b[f]));
}

// ---------------------------------------------------------------------------------------------------------------
// Operations from the network

/** Operations per save, and characters per value. */
export const MAX_DRAFT_OPS = 20_000;
export const MAX_DRAFT_VALUE_CHARS = 4_000;

/**
 * One operation, as the browser sends it: ids per LINE_ID_PATTERN, values text of at most MAX_DRAFT_VALUE_CHARS or
 * null (an empty string is null, a field left out of `values` is empty), characters no output can carry
 * (text-chars.ts) refused here, once. Built in a function called as `@__PURE__`, so that the browser editor's bundle,
 * which takes only `clientLineId` and `LINE_FIELDS` from this file, leaves zod out.
 */
function opSchema() {
  const lineId = z.string().regex(LINE_ID_PATTERN, "line id: L followed by 1–24 of 0-9 A-Z a-z _ -");
  const cell = z
    .string()
    .max(MAX_DRAFT_VALUE_CHARS)
    .refine((s) => refusedTextChar(s) === null, "a character no output can carry (a control character or noncharacter)")
    .nullable()
    .transform((v) => (v === "" ? null : v));
  const values = z
    .object({
      unit: cell.default(null),
      func: cell.default(null),
      econ: cell.default(null),
      fund: cell.default(null),
      kind: cell.default(null),
      project: cell.default(null),
      amount: cell.default(null),
      note: cell.default(null),
    })
    .strict();
  return z.discriminatedUnion("op", [
    z.object({ op: z.literal("set"), line: lineId, field: z.enum(LINE_FIELDS), from: cell, to: cell }).strict(),
    z.object({ op: z.literal("insert"), line: lineId, after: lineId.nullable(), values }).strict(),
    z.object({ op: z.literal("delete"), line: lineId, from: values }).strict(),
  ]);
}
const opsSchema = <S extends z.ZodType>(op: S) => z.array(op).max(MAX_DRAFT_OPS);

export const draftOpSchema = /* @__PURE__ */ opSchema();
/** The operations of one save, in the order the user made them (at most `MAX_DRAFT_OPS`). */
export const draftOpsSchema = /* @__PURE__ */ opsSchema(draftOpSchema);

// ---------------------------------------------------------------------------------------------------------------
// Applying

/** A line in the doubly linked list `applyDraftOps` works on: every operation is O(1), whatever the number of lines. */
interface Link {
  id: string;
  values: LineValues;
  /** unchanged since the input: the input's object is handed back as it was */
  original: DraftLine | null;
  prev: Link | null;
  next: Link | null;
}

/**
 * Applies `ops` in order to `lines` (see the header for the rules); a conflict does not stop the operations after it.
 * The input is not modified. Values are kept in the draft's form (`normalizeLineValue`).
 */
export function applyDraftOps(lines: readonly DraftLine[], ops: readonly DraftOp[]): DraftApplyResult {
  const byId = new Map<string, Link>();
  let head: Link | null = null;
  let tail: Link | null = null;
  const linkAfter = (l: Link, prev: Link | null) => {
    l.prev = prev;
    l.next = prev === null ? head : prev.next;
    if (l.next === null) tail = l;
    else l.next.prev = l;
    if (prev === null) head = l;
    else prev.next = l;
  };
  for (const line of lines) {
    if (byId.has(line.id)) throw new Error(`applyDraftOps: line id ${line.id} appears twice in the draft`);
    const l: Link = { id: line.id, values: line.values, original: line, prev: null, next: null };
    byId.set(line.id, l);
    linkAfter(l, tail);
  }

  let applied = 0;
  const conflicts: DraftConflict[] = [];
  for (const op of ops) {
    const at = byId.get(op.line);
    switch (op.op) {
      case "set": {
        if (at === undefined) {
          conflicts.push({ op, reason: "deleted", current: null });
          break;
        }
        const current = at.values[op.field];
        if (sameValue(op.field, current, op.to)) applied++;
        else if (sameValue(op.field, current, op.from)) {
          at.values = { ...at.values, [op.field]: normalizeLineValue(op.field, op.to) };
          at.original = null;
          applied++;
        } else conflicts.push({ op, reason: "changed", current });
        break;
      }
      case "insert": {
        const values = normalizeLineValues(op.values);
        if (at !== undefined) {
          // the same insert sent again (a retried save) is already applied; another line's id is a conflict
          if (sameLineValues(at.values, values)) applied++;
          else conflicts.push({ op, reason: "duplicate_id", current: at.values });
          break;
        }
        const l: Link = { id: op.line, values, original: null, prev: null, next: null };
        byId.set(op.line, l);
        linkAfter(l, op.after === null ? null : (byId.get(op.after) ?? tail));
        applied++;
        break;
      }
      case "delete": {
        if (at === undefined) {
          conflicts.push({ op, reason: "deleted", current: null });
          break;
        }
        if (!sameLineValues(at.values, op.from)) {
          conflicts.push({ op, reason: "changed", current: at.values });
          break;
        }
        if (at.prev === null) head = at.next;
        else at.prev.next = at.next;
        if (at.next === null) tail = at.prev;
        else at.next.prev = at.prev;
        byId.delete(op.line);
        applied++;
        break;
      }
    }
  }

  const out: DraftLine[] = [];
  for (let l: Link | null = head; l !== null; l = l.next) out.push(l.original ?? { id: l.id, values: l.values });
  return { lines: out, applied, conflicts };
}

// ---------------------------------------------------------------------------------------------------------------
// Ids

/**
 * Ids the server assigns are `L` + a base-36 counter of at most 8 digits without a leading zero (`L1` … `Lzzzzzzzz`);
 * ids the browser makes (`clientLineId`) have 12 random digits, so the two never meet. Other ids (hand-written ones
 * included) are kept as they are and are simply not counters.
 */
const COUNTER_ID = /^L[1-9a-z][0-9a-z]{0,7}$/;

/** The counter of a server-assigned id (`L1f` → 51), or null for any other id. */
export function lineIdCounter(id: string): number | null {
  return COUNTER_ID.test(id) ? Number.parseInt(id.slice(1), 36) : null;
}

/** The largest counter among `ids` (0 when none is a counter). */
export function largestLineCounter(ids: Iterable<string>): number {
  let max = 0;
  for (const id of ids) {
    const n = lineIdCounter(id);
    if (n !== null && n > max) max = n;
  }
  return max;
}

/**
 * Hands out ids above every counter in `existing` and above `above`, one after the other: deterministic, so reading the
 * same text twice assigns the same ids. `above` is for a caller that knows of ids no longer in the text (the lines of
 * the draft's earlier revisions, whose largest counter it kept), so that a deleted line's id is never given to another
 * line and a browser still holding the old id gets `deleted`, not someone else's line.
 */
export function lineIdAllocator(existing: Iterable<string>, above = 0): () => string {
  let n = Math.max(largestLineCounter(existing), Math.floor(above));
  return () => {
    n++;
    return `L${n.toString(36)}`;
  };
}

/** One id for a line that has none (see `lineIdAllocator`; for many, use the allocator: this scans `existing`). */
export function newLineId(existing: ReadonlySet<string>, above = 0): string {
  return lineIdAllocator(existing, above)();
}

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * An id the browser gives a row it adds: `L` + 12 base-36 digits from `random` (e.g. `Math.random` or a
 * `crypto.getRandomValues` source scaled to [0, 1)). 36^12 ≈ 4.7 × 10^18 ids: two browsers of one draft do not meet,
 * and never meet a server-assigned id (see `COUNTER_ID`).
 */
export function clientLineId(random: () => number): string {
  let s = "L";
  for (let i = 0; i < 12; i++) s += BASE36[Math.min(35, Math.max(0, Math.floor(random() * 36)))] ?? "0";
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Lines of a budget, and lines for the schema

/** A validated line's values in the draft's form (amount `786750.00`). */
export function valuesOfLine(line: BudgetLine): LineValues {
  return {
    unit: line.unit,
    func: line.func,
    econ: line.econ,
    fund: line.fund,
    kind: line.kind,
    project: line.project ?? null,
    amount: formatYuan(line.amount),
    note: line.note === undefined || line.note === "" ? null : line.note,
  };
}

/**
 * The draft lines of a validated budget's lines, keeping their ids and assigning one to each line that has none
 * (`lineIdAllocator`, above `above`). A budget with duplicate ids has failed its integrity check; here a repeated id
 * is replaced too, so the draft's ids are always distinct.
 */
export function linesOf(lines: readonly BudgetLine[], above = 0): DraftLine[] {
  const ids = assignLineIds(lines.map((l) => l.id), above);
  return lines.map((l, i) => ({ id: ids[i] ?? "", values: valuesOfLine(l) }));
}

/**
 * For each of `given` (a line's id as written, or undefined), the id it has in the draft: its own when it is a valid
 * id not used by an earlier line, else a new one from `lineIdAllocator` (counted above every valid id given).
 */
export function assignLineIds(given: readonly (string | null | undefined)[], above = 0): string[] {
  const valid = given.filter((id): id is string => typeof id === "string" && LINE_ID_PATTERN.test(id));
  const next = lineIdAllocator(valid, above);
  const taken = new Set<string>();
  return given.map((id) => {
    if (typeof id === "string" && LINE_ID_PATTERN.test(id) && !taken.has(id)) {
      taken.add(id);
      return id;
    }
    let fresh = next();
    while (taken.has(fresh)) fresh = next();
    taken.add(fresh);
    return fresh;
  });
}

/**
 * A draft line as the input a reader hands to `lineSchema`: id first, fields in schema order, empty fields left out,
 * every value text (the schema reads amounts and codes from text). For checking one line without writing YAML.
 */
export function lineInputOf(line: DraftLine): Record<string, string> {
  const out: Record<string, string> = { id: line.id };
  for (const f of LINE_FIELDS) {
    const v = line.values[f];
    if (v !== null) out[f] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Findings → cells

/**
 * The line (and field) a finding or input problem names, so the editor can go to its cell: `lines[12].amount` → the
 * id of the 13th line and `amount`; `lines[3]` or `lines[3].id` → that line, no field; anything else → null.
 * `lineOrigin` maps the index of a line of the checked budget to its index in the draft: a build's findings count the
 * lines after identical ones were summed (`IntegrityResult.lineOrigin`); the reader's problems count the input's.
 */
export function findingLine(field: string, lines: readonly DraftLine[], lineOrigin?: readonly number[]): { line: string; field: LineField | null } | null {
  const path = parseFieldPath(field);
  if (path === undefined || path[0] !== "lines" || typeof path[1] !== "number") return null;
  const index = lineOrigin === undefined ? path[1] : lineOrigin[path[1]];
  const line = index === undefined ? undefined : lines[index];
  if (line === undefined) return null;
  const f = path[2];
  return { line: line.id, field: typeof f === "string" && (LINE_FIELDS as readonly string[]).includes(f) ? (f as LineField) : null };
}
