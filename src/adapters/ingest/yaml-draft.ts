/**
 * The draft's line items (`lines`) read from its YAML, and written back into it, for the browser editor
 * (src/domain/draft-patch.ts). The rest of the document is the preparer's: its comments, blank lines, key order and
 * quoting are kept BYTE FOR BYTE, and so is every line item that did not change. A changed item is rewritten field by
 * field in its own style (a flow `{ … }` item stays one, with the same spacing; a block item keeps its indentation and
 * its comments); a new item is written like its neighbour. Keys go in the schema's order, `id` first, and an empty
 * field is left out.
 *
 * How: the text is spliced, not re-printed. Reading finds each item's span and each field's key and value spans
 * (`LinesLayout`); writing copies the text between them and replaces only what changed. Re-printing through the yaml
 * Document model would re-flow the whole file (quotes, spacing, long lines), which is not "the preparer's file".
 *
 * Two readers give the same layout:
 * - a line scanner for the `lines` that editors and `gongkai import` write (a block list of one-line flow items or of
 *   simple block items, plain or quoted scalars, comments between): ~40 times faster than the yaml parser, which
 *   takes some 2 s for 20 000 lines on the project's machine. What it accepts is checked twice: the document without
 *   its lines must parse (yaml's own parser) with `lines` a key of the root mapping where the scanner found it, and
 *   any item it is not sure of sends the whole file to
 * - the yaml package's parser (`parseDocument`, with the budget reader's options), with the spans taken from the
 *   nodes' ranges: any YAML at all. A `lines` it cannot splice (a flow list `[ … ]`, an item with a comment between
 *   `-` and its first key) is written anew as a block list of flow items, comments inside it dropped.
 *
 * Values are read as the budget reader reads them (yaml-budget-reader.ts): a string scalar is its value, a number or
 * boolean its SOURCE TEXT (`001` stays `001`, an amount never passes through a float), null or an empty value is empty.
 * Amounts are then in the draft's form (`786750` → `786750.00`). A value that is not a scalar is its source text.
 *
 * Amounts are written as the reader reads them back to the same 分: a whole 元 as a YAML number (`786750`), one with
 * 分 as a string (`"786750.10"`), a value that was a quoted string stays one (`"786750.00"`), and an invalid entry
 * (`12.345`, `abc`) as a quoted string, so the draft keeps it and the check reports it.
 *
 * Ids: a line without one (or with an invalid one, or one an earlier line has) gets one (draft-patch.ts
 * `assignLineIds`), the same each time for the same text; `writeDraftLines` writes it. Pass the same `above` to both.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from "yaml";
import { assignLineIds, LINE_FIELDS, LINE_ID_PATTERN, normalizeLineValue, type DraftLine, type LineField, type LineValues } from "../../domain/draft-patch.ts";
import { formatInputProblem } from "../../domain/input-messages.ts";
import { formatFieldPath, inputError, type InputProblem } from "../../domain/input-problem.ts";
import { formatYuan, parseYuan } from "../../domain/money.ts";
import { yamlString } from "./xlsx-budget-yaml.ts";

export interface DraftYamlOptions {
  /** the file's name in problems (default `budget.yaml`) */
  readonly file?: string;
  /** ids assigned count above this (draft-patch.ts `lineIdAllocator`); give reading and writing the same */
  readonly above?: number;
}

/** Why the draft's lines cannot be read: the input catalog's code and place, and the message in both languages. */
export interface DraftReadProblem {
  readonly code: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  /** the whole message with its place (`budget.yaml:97:3 lines[2]：应为键值映射，得到文本`) */
  readonly zh: string;
  readonly en: string;
}

export type DraftReadResult = { ok: true; lines: DraftLine[]; assigned: number } | { ok: false; problem: DraftReadProblem };

/** The line items of the draft, each with its id (assigned where it has none: `assigned` counts them). */
export function readDraftLines(yamlText: string, options: DraftYamlOptions = {}): DraftReadResult {
  const r = readLinesLayout(yamlText, options.file ?? "budget.yaml");
  if (!r.ok) return { ok: false, problem: problemOf(r.problem) };
  const ids = idsOf(r.layout.items, options.above);
  let assigned = 0;
  const lines = r.layout.items.map((item, k) => {
    const id = ids[k] ?? "";
    if (firstPair(item, "id")?.value !== id) assigned++;
    return { id, values: valuesOf(item) };
  });
  return { ok: true, lines, assigned };
}

/**
 * The YAML with `lines` exactly `lines`, in their order, with their ids (see the header for what is kept). Throws when
 * the text cannot be read (`readDraftLines` says why: read first) or when `lines` repeat an id or have an invalid one.
 */
export function writeDraftLines(yamlText: string, lines: readonly DraftLine[], options: DraftYamlOptions = {}): string {
  const r = readLinesLayout(yamlText, options.file ?? "budget.yaml");
  if (!r.ok) throw new Error(`writeDraftLines: the draft cannot be read: ${problemOf(r.problem).en}`);
  const seen = new Set<string>();
  for (const l of lines) {
    if (!LINE_ID_PATTERN.test(l.id)) throw new Error(`writeDraftLines: invalid line id ${JSON.stringify(l.id)}`);
    if (seen.has(l.id)) throw new Error(`writeDraftLines: line id ${l.id} appears twice`);
    seen.add(l.id);
  }
  const w = new Writer(yamlText, idsOf(r.layout.items, options.above));
  return r.layout.kind === "block" ? w.block(r.layout, lines) : w.replace(r.layout, lines);
}

// ---------------------------------------------------------------------------------------------------------------
// The layout: where the items and their fields are in the text

/** One `key: value` of an item. Offsets into the text. */
export interface SourcePair {
  /** the key as text; null when it is not a text scalar (such a pair is kept as it is, never ours) */
  readonly key: string | null;
  readonly keyStart: number;
  /** just after the `:` */
  readonly colonEnd: number;
  /** where the value's text starts and ends; both `colonEnd` when the value is empty */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** the value as the draft reads it (see the header), before the draft's form */
  readonly value: string | null;
  /** the value is a quoted string (`"786750.00"`) */
  readonly quoted: boolean;
}

/** One item of `lines`, a mapping. */
export interface SourceItem {
  /** the start of the line of its `-` */
  readonly start: number;
  /** after its last line's line break (the text's end when there is none) */
  readonly end: number;
  /** `{ … }` */
  readonly flow: boolean;
  /** the column of its first key (further keys of a block item go there) */
  readonly keyColumn: number;
  /** after the `}` of a flow item; after the last value of a block item */
  readonly bodyEnd: number;
  readonly pairs: readonly SourcePair[];
}

/**
 * `block`: a block list whose items are spliced; `colonEnd` is after the colon of `lines:` (where ` []` goes when
 * every line is deleted). `replace`: the text from `start` to `end` is replaced by `render` of every item written
 * anew (an absent, empty or flow-style `lines`, or one that cannot be spliced); `items` are still what it holds.
 */
export type LinesLayout =
  | { readonly kind: "block"; readonly items: readonly SourceItem[]; readonly colonEnd: number }
  | {
      readonly kind: "replace";
      readonly items: readonly SourceItem[];
      readonly start: number;
      readonly end: number;
      /** from each item written as a flow mapping (`{ id: L1, … }`), the replacement text */
      readonly render: (items: readonly string[], eol: string) => string;
    };

/**
 * The layout of `lines`, by the line scanner when it is sure of it, else by the yaml parser (`fast` says which).
 * Exported for the tests that compare the two.
 */
export function readLinesLayout(text: string, file: string, mode: "auto" | "document" = "auto"): { ok: true; layout: LinesLayout; fast: boolean } | { ok: false; problem: InputProblem } {
  if (mode === "auto") {
    const fast = scanFast(text);
    if (fast !== null) return { ok: true, layout: fast, fast: true };
  }
  const r = scanDocument(text, file);
  return r.ok ? { ok: true, layout: r.layout, fast: false } : r;
}

function problemOf(p: InputProblem): DraftReadProblem {
  return {
    code: p.code,
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.column !== undefined ? { column: p.column } : {}),
    ...(p.field !== undefined ? { field: p.field } : {}),
    zh: formatInputProblem(p, "zh"),
    en: formatInputProblem(p, "en"),
  };
}

const firstPair = (item: SourceItem, key: string): SourcePair | undefined => item.pairs.find((p) => p.key === key);

function idsOf(items: readonly SourceItem[], above: number | undefined): string[] {
  return assignLineIds(
    items.map((item) => firstPair(item, "id")?.value),
    above,
  );
}

function valuesOf(item: SourceItem): LineValues {
  const out = {} as Record<LineField, string | null>;
  for (const f of LINE_FIELDS) out[f] = normalizeLineValue(f, firstPair(item, f)?.value ?? null);
  return out;
}

/** After the line break that ends the line holding `offset` (the text's end when there is none). */
function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl < 0 ? text.length : nl + 1;
}

const lineStartOf = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;

// ---------------------------------------------------------------------------------------------------------------
// The yaml parser's layout

/** As the budget reader composes (yaml-budget-reader.ts COMPOSE_OPTIONS). */
const PARSE_OPTIONS = { version: "1.2", schema: "core", strict: true, uniqueKeys: false, prettyErrors: false, merge: false } as const;

const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

function scanDocument(text: string, file: string): { ok: true; layout: LinesLayout } | { ok: false; problem: InputProblem } {
  const lc = new LineCounter();
  const fail = (code: string, offset: number | null, field?: string, params?: Record<string, string | number>) => {
    const pos = offset === null ? null : lc.linePos(offset);
    return { ok: false as const, problem: inputError(code, file, { line: pos?.line, column: pos?.col, field }, params) };
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lc });
  } catch (e) {
    // the composer is recursive; the upload's reader has refused deep nesting before the draft was stored
    if (e instanceof RangeError) return fail("input.too_deep", null, undefined, { limit: 64 });
    throw new Error("readDraftLines: unexpected failure of the YAML parser", { cause: e });
  }
  const error = doc.errors[0];
  if (error !== undefined) return fail("input.yaml_syntax", error.pos[0], undefined, { reason: error.message });

  const root = doc.contents as YamlNode | null;
  if (root === null || (isScalar(root) && root.value === null)) {
    // an empty document: lines are absent
    return { ok: true, layout: { kind: "replace", items: [], start: text.length, end: text.length, render: (its, eol) => absentLines(text, its, eol) } };
  }
  if (!isMap(root)) return fail("field.wrong_type", root.range?.[0] ?? 0, undefined, { expected: "mapping", got: typeName(root) });
  const flowRoot = root.flow === true;
  const linePairs = root.items.filter((p) => isScalar(p.key) && p.key.value === "lines");
  const second = linePairs[1];
  if (second !== undefined) return fail("input.duplicate_key", (second.key as YamlNode).range?.[0] ?? 0, "lines", { key: "lines" });
  const pair = linePairs[0];
  if (pair === undefined) {
    if (!flowRoot) return { ok: true, layout: { kind: "replace", items: [], start: text.length, end: text.length, render: (its, eol) => absentLines(text, its, eol) } };
    // `{ format: …, … }`: after its last entry, before the blanks and the closing brace
    const close = trimEnd(text, 0, text.lastIndexOf("}", (root.range?.[1] ?? text.length) - 1));
    const comma = root.items.length > 0 ? ", " : "";
    return { ok: true, layout: { kind: "replace", items: [], start: close, end: close, render: (its) => `${comma}lines: [${its.join(", ")}]` } };
  }
  const keyNode = pair.key as YamlNode;
  const colonEnd = colonAfter(text, keyNode.range?.[1] ?? 0);
  if (colonEnd === null) return fail("field.wrong_type", keyNode.range?.[0] ?? 0, "lines", { expected: "list", got: "null" });
  const value = pair.value as YamlNode | null;

  /** the value (from `colonEnd`) written anew: a block list under a block root, a flow list in a flow one */
  const anew = (items: SourceItem[], end: number): { ok: true; layout: LinesLayout } => ({
    ok: true,
    layout: {
      kind: "replace",
      items,
      start: colonEnd,
      end,
      render: (its, eol) => (its.length === 0 ? " []" : flowRoot ? ` [${its.join(", ")}]` : its.map((i) => `${eol}  - ${i}`).join("")),
    },
  });
  if (value === null || (isScalar(value) && value.value === null)) {
    // `lines:` (an empty value, wherever the parser puts it) or `lines: ~`
    const r = value?.range;
    return anew([], r === undefined || r === null || r[0] === r[1] ? colonEnd : trimEnd(text, r[0], r[1]));
  }
  if (!isSeq(value)) return fail("field.wrong_type", value.range?.[0] ?? 0, "lines", { expected: "list", got: typeName(value) });

  const items: SourceItem[] = [];
  let regular = !flowRoot && value.flow !== true;
  for (const [i, node] of (value.items as (YamlNode | null)[]).entries()) {
    if (node === null || !isMap(node)) {
      const at = node?.range?.[0] ?? value.range?.[0] ?? 0;
      return fail("field.wrong_type", at, formatFieldPath(["lines", i]), { expected: "mapping", got: node === null ? "null" : isAlias(node) ? "alias" : typeName(node) });
    }
    const item = itemOfNode(text, doc, node);
    if (item === null) {
      regular = false;
      items.push(valuesOnlyItem(text, doc, node));
      continue;
    }
    const prev = items[items.length - 1];
    if (prev !== undefined && item.start < prev.end) regular = false;
    items.push(item);
  }
  const last = items[items.length - 1];
  if (last === undefined) return anew([], value.range?.[1] ?? colonEnd);
  if (!regular) return anew(items, value.flow === true ? (value.range?.[1] ?? colonEnd) : last.bodyEnd);
  return { ok: true, layout: { kind: "block", items, colonEnd } };
}

function typeName(n: YamlNode): string {
  if (isMap(n)) return "mapping";
  if (isSeq(n)) return "list";
  if (isScalar(n)) {
    const v = n.value;
    return v === null ? "null" : typeof v === "string" ? "text" : typeof v === "boolean" ? "boolean" : "number";
  }
  return "alias";
}

/** After the `:` that follows a key ending at `from` (only blanks between), or null. */
function colonAfter(text: string, from: number): number | null {
  let i = from;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  return text[i] === ":" ? i + 1 : null;
}

/** `end` moved back over blanks and line breaks, not before `start`. */
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && WHITESPACE.has(text[e - 1] ?? "")) e--;
  return e;
}

/** A pair's spans and value; null when it has no key or no colon (the item is then not spliced). */
function pairOfNode(text: string, doc: Document.Parsed, key: YamlNode | null, value: YamlNode | null): SourcePair | null {
  const keyRange = key?.range;
  if (key === null || keyRange === undefined || keyRange === null) return null;
  const colonEnd = colonAfter(text, keyRange[1]);
  if (colonEnd === null) return null;
  const name = isScalar(key) && typeof key.value === "string" ? key.value : null;
  const empty = value === null || (isScalar(value) && value.value === null && (value.range?.[0] ?? 0) === (value.range?.[1] ?? 0));
  if (empty) return { key: name, keyStart: keyRange[0], colonEnd, valueStart: colonEnd, valueEnd: colonEnd, value: null, quoted: false };
  const valueStart = value.range?.[0] ?? colonEnd;
  const valueEnd = trimEnd(text, valueStart, value.range?.[1] ?? valueStart);
  const target = isAlias(value) ? (value.resolve(doc) ?? null) : value;
  let read: string | null;
  if (target !== null && isScalar(target)) {
    const v = target.value;
    read = typeof v === "string" ? v : v === null ? null : ((target as { source?: string }).source ?? String(v));
  } else read = text.slice(valueStart, valueEnd);
  const quoted = isScalar(value) && (value.type === "QUOTE_DOUBLE" || value.type === "QUOTE_SINGLE");
  return { key: name, keyStart: keyRange[0], colonEnd, valueStart, valueEnd, value: read, quoted };
}

/** An item of a block list with its spans, or null when it cannot be spliced. */
function itemOfNode(text: string, doc: Document.Parsed, node: YamlNode & { items: unknown[]; flow?: boolean }): SourceItem | null {
  const range = node.range;
  if (range === undefined || range === null) return null;
  const pairs: SourcePair[] = [];
  for (const p of (node as unknown as { items: { key: YamlNode | null; value: YamlNode | null }[] }).items) {
    const sp = pairOfNode(text, doc, p.key, p.value);
    if (sp === null) return null;
    pairs.push(sp);
  }
  const first = pairs[0];
  const last = pairs[pairs.length - 1];
  if (first === undefined || last === undefined) return null;
  // its `-`: the only thing on its line before the item, or alone on the line above
  let i = range[0] - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\n" || text[i] === "\r")) i--;
  if (text[i] !== "-") return null;
  const start = lineStartOf(text, i);
  if (!/^ *$/.test(text.slice(start, i))) return null;
  const flow = node.flow === true;
  const bodyEnd = flow ? range[1] : last.valueEnd;
  return { start, end: endOfLine(text, bodyEnd - 1), flow, keyColumn: first.keyStart - lineStartOf(text, first.keyStart), bodyEnd, pairs };
}

/** An item that is only read (its `lines` is written anew): spans as far as they are known. */
function valuesOnlyItem(text: string, doc: Document.Parsed, node: YamlNode & { items: unknown[]; flow?: boolean }): SourceItem {
  const pairs: SourcePair[] = [];
  for (const p of (node as unknown as { items: { key: YamlNode | null; value: YamlNode | null }[] }).items) {
    const sp = pairOfNode(text, doc, p.key, p.value);
    if (sp !== null) pairs.push(sp);
  }
  const range = node.range ?? [0, 0, 0];
  return { start: range[0], end: range[1], flow: node.flow === true, keyColumn: 0, bodyEnd: range[1], pairs };
}

/** `lines:` appended to a block document that has none. */
function absentLines(text: string, items: readonly string[], eol: string): string {
  const head = text === "" || text.endsWith("\n") ? "" : eol;
  return `${head}lines:${items.length === 0 ? " []" : items.map((i) => `${eol}  - ${i}`).join("")}${eol}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The line scanner's layout

/** `lines:` at the root, alone on its line but for a comment. */
const LINES_KEY = /^lines:[ ]*(?:#.*)?$/gm;
/** anything else that might be a `lines` key, or a key the scanner does not follow */
const OTHER_KEY = /^(?:lines[ ]+:|["']lines["'][ ]*:|\?[ ]|%|---|\.\.\.)/m;
/** The keys of ours, as constants: a key read from the text is one of them without a new string. */
const KNOWN_KEYS: readonly string[] = ["id", ...LINE_FIELDS];
const NULL_WORD = /^(?:~|null|Null|NULL)$/;

interface Cursor {
  text: string;
  pos: number;
  /** the end of the current line (the position of its `\n`, or the text's end) */
  eol: number;
}

/**
 * The layout of a `lines` the scanner is sure of (see the header), or null to leave it to the yaml parser. Bails out at
 * the first thing it does not know: tabs, CR, multi-line values, nested collections, anchors, tags, a `:` or `#` or
 * bracket inside a plain value, escapes other than `\\ \" \/ \n \t \r \uXXXX`.
 */
function scanFast(text: string): LinesLayout | null {
  LINES_KEY.lastIndex = 0;
  const m = LINES_KEY.exec(text);
  if (m === null || LINES_KEY.exec(text) !== null || OTHER_KEY.test(text)) return null;
  const colonEnd = m.index + "lines:".length;
  let p = endOfLine(text, m.index);
  if (p >= text.length || text[p - 1] !== "\n") return null;

  const items: SourceItem[] = [];
  let dashColumn = -1;
  /** the block item still open for further keys */
  let open: { start: number; keyColumn: number; pairs: SourcePair[] } | null = null;
  const closeOpen = () => {
    if (open === null) return;
    const last = open.pairs[open.pairs.length - 1];
    if (last === undefined) throw new Error("scanFast: a block item without a key");
    items.push({ start: open.start, end: endOfLine(text, last.valueEnd - 1), flow: false, keyColumn: open.keyColumn, bodyEnd: last.valueEnd, pairs: open.pairs });
    open = null;
  };

  // the first tab and CR after `lines:` (found once, not per line): the scanner reads neither
  const tab = text.indexOf("\t", p);
  const cr = text.indexOf("\r", p);
  while (p < text.length) {
    const nl = text.indexOf("\n", p);
    const eol = nl < 0 ? text.length : nl;
    let ind = p;
    while (ind < eol && text[ind] === " ") ind++;
    const c = text[ind];
    const col = ind - p;
    if (col === 0 && ind < eol && c !== "#" && c !== "-") break; // the next key of the root
    if ((tab >= 0 && tab < eol) || (cr >= 0 && cr < eol)) return null;
    if (ind === eol || c === "#") {
      // blank or comment: between items (or inside a block item, when a key of it follows)
    } else if (c === "-" && text[ind + 1] === " ") {
      // an item: every one at the same column
      if (dashColumn >= 0 && col !== dashColumn) return null;
      dashColumn = col;
      closeOpen();
      let q = ind + 2;
      while (q < eol && text[q] === " ") q++;
      const cur: Cursor = { text, pos: q, eol };
      if (text[q] === "{") {
        const item = flowItem(cur, p);
        if (item === null) return null;
        items.push(item);
      } else {
        const pair = blockPair(cur);
        if (pair === null) return null;
        open = { start: p, keyColumn: q - p, pairs: [pair] };
      }
    } else if (open !== null && col === open.keyColumn) {
      const pair = blockPair({ text, pos: ind, eol });
      if (pair === null) return null;
      open.pairs.push(pair);
    } else return null;
    p = eol + 1;
  }
  closeOpen();
  const first = items[0];
  const last = items[items.length - 1];
  if (first === undefined || last === undefined) return null;

  // the rest of the document parses, with `lines` a key of its block root mapping, where the scanner found it
  const rest = text.slice(0, colonEnd) + " []" + text.slice(colonEnd, first.start) + text.slice(last.end);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(rest, PARSE_OPTIONS);
  } catch {
    return null;
  }
  if (doc.errors.length > 0) return null;
  const root = doc.contents as YamlNode | null;
  if (root === null || !isMap(root) || root.flow === true) return null;
  const found = root.items.filter((x) => isScalar(x.key) && x.key.value === "lines");
  const v = found[0]?.value as YamlNode | null | undefined;
  if (found.length !== 1 || v === null || v === undefined || !isSeq(v) || v.items.length !== 0 || v.range?.[0] !== colonEnd + 1) return null;
  return { kind: "block", items, colonEnd };
}

function skipSpaces(c: Cursor): void {
  while (c.pos < c.eol && c.text[c.pos] === " ") c.pos++;
}

/** Only blanks, or blanks and a comment, to the end of the line. */
function restIsComment(c: Cursor): boolean {
  const start = c.pos;
  skipSpaces(c);
  return c.pos === c.eol || (c.text[c.pos] === "#" && c.pos > start);
}

/** `{ key: value, … }` on one line, the cursor at `{`. */
function flowItem(c: Cursor, lineStart: number): SourceItem | null {
  c.pos++;
  const pairs: SourcePair[] = [];
  skipSpaces(c);
  if (c.text[c.pos] === "}") return null;
  for (;;) {
    const pair = pairAt(c, true);
    if (pair === null) return null;
    pairs.push(pair);
    skipSpaces(c);
    const ch = c.text[c.pos];
    if (ch === ",") {
      c.pos++;
      skipSpaces(c);
      if (c.text[c.pos] === "}" || c.pos >= c.eol) return null;
      continue;
    }
    if (ch !== "}") return null;
    c.pos++;
    break;
  }
  const bodyEnd = c.pos;
  const first = pairs[0];
  if (first === undefined || !restIsComment(c)) return null;
  return { start: lineStart, end: endOfLine(c.text, bodyEnd - 1), flow: true, keyColumn: first.keyStart - lineStart, bodyEnd, pairs };
}

/** `key: value` of a block item, alone on its line but for a comment. */
function blockPair(c: Cursor): SourcePair | null {
  const pair = pairAt(c, false);
  if (pair === null || !restIsComment(c)) return null;
  return pair;
}

/** A key, its colon and its value (the cursor after the value). */
function pairAt(c: Cursor, inFlow: boolean): SourcePair | null {
  const keyStart = c.pos;
  let e = keyStart;
  for (; e < c.eol; e++) {
    const ch = c.text.charCodeAt(e);
    const letter = (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95;
    if (!letter && !(e > keyStart && ch >= 48 && ch <= 57)) break;
  }
  if (e === keyStart) return null;
  const len = e - keyStart;
  const key = KNOWN_KEYS.find((k) => k.length === len && c.text.startsWith(k, keyStart)) ?? c.text.slice(keyStart, e);
  c.pos = e;
  if (c.text[c.pos] !== ":") return null;
  const colonEnd = ++c.pos;
  if (c.pos === c.eol && !inFlow) return { key, keyStart, colonEnd, valueStart: colonEnd, valueEnd: colonEnd, value: null, quoted: false };
  if (c.text[c.pos] !== " ") return null;
  skipSpaces(c);
  const valueStart = c.pos;
  const ch = c.text[c.pos];
  if (!inFlow && (c.pos === c.eol || ch === "#")) {
    c.pos = colonEnd;
    return { key, keyStart, colonEnd, valueStart: colonEnd, valueEnd: colonEnd, value: null, quoted: false };
  }
  let value: string | null;
  let quoted = false;
  if (ch === '"' || ch === "'") {
    const q = ch === '"' ? doubleQuoted(c) : singleQuoted(c);
    if (q === null) return null;
    value = q;
    quoted = true;
  } else {
    const p = plain(c, inFlow);
    if (p === null) return null;
    value = NULL_WORD.test(p) ? null : p;
  }
  return { key, keyStart, colonEnd, valueStart, valueEnd: c.pos, value, quoted };
}

const PLAIN_FIRST = /^(?:[A-Za-z0-9_.~+\u00a0-\uffff]|-[0-9.])/u;

/** A plain scalar (the cursor after it, trailing blanks not included): only what reads the same in any context. */
function plain(c: Cursor, inFlow: boolean): string | null {
  const start = c.pos;
  let end = start;
  let i = start;
  while (i < c.eol) {
    const ch = c.text[i];
    if (inFlow && (ch === "," || ch === "}")) break;
    if (ch === ":" || ch === "#" || ch === "[" || ch === "]" || ch === "{" || ch === "}" || ch === '"' || ch === "'" || ch === "\\") return null;
    i++;
    if (ch !== " ") end = i;
  }
  const s = c.text.slice(start, end);
  if (s === "" || !PLAIN_FIRST.test(s)) return null;
  c.pos = end;
  return s;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\", '"': '"', "/": "/", n: "\n", t: "\t", r: "\r" };

function doubleQuoted(c: Cursor): string | null {
  // no escape: the text between the quotes (the common case, without building the string)
  const close = c.text.indexOf('"', c.pos + 1);
  if (close >= 0 && close < c.eol) {
    let plainText = true;
    for (let i = c.pos + 1; i < close && plainText; i++) plainText = c.text.charCodeAt(i) !== 92; // no backslash
    if (plainText) {
      const s = c.text.slice(c.pos + 1, close);
      c.pos = close + 1;
      return s;
    }
  }
  let out = "";
  let i = c.pos + 1;
  while (i < c.eol) {
    const ch = c.text[i] ?? "";
    if (ch === '"') {
      c.pos = i + 1;
      return out;
    }
    if (ch === "\\") {
      const e = c.text[i + 1] ?? "";
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      const hex = c.text.slice(i + 2, i + 6);
      if (e !== "u" || !/^[0-9A-Fa-f]{4}$/.test(hex)) return null;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
      continue;
    }
    out += ch;
    i++;
  }
  return null;
}

function singleQuoted(c: Cursor): string | null {
  const close = c.text.indexOf("'", c.pos + 1);
  if (close >= 0 && close < c.eol && c.text[close + 1] !== "'") {
    const s = c.text.slice(c.pos + 1, close);
    c.pos = close + 1;
    return s;
  }
  let out = "";
  let i = c.pos + 1;
  while (i < c.eol) {
    const ch = c.text[i] ?? "";
    if (ch === "'") {
      if (c.text[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      c.pos = i + 1;
      return out;
    }
    out += ch;
    i++;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** The keys the editor writes, in the schema's order. */
const ORDER: readonly string[] = ["id", ...LINE_FIELDS];
const rank = (key: string | null) => (key === null ? -1 : ORDER.indexOf(key));

/** A string the reader reads back as that same string, always quoted. */
function quotedString(s: string): string {
  const y = yamlString(s, true);
  // plain means nothing in it needs an escape
  return y.startsWith('"') ? y : `"${y}"`;
}

/** A value as written (see the header); `source` is the pair it replaces, if any. */
function render(key: string, value: string, source: SourcePair | null, inFlow: boolean): string {
  if (key !== "amount") return yamlString(value, inFlow);
  const r = parseYuan(value);
  if (!r.ok) return quotedString(value);
  if (source?.quoted === true || r.fen % 100n !== 0n) return quotedString(formatYuan(r.fen));
  return (r.fen / 100n).toString();
}

/** Text that can be copied into a new item: one line, no comment. */
const clean = (s: string) => !s.includes("\n") && !s.includes("#");

class Writer {
  private readonly eol: string;
  /** the source item of each id */
  private readonly indexOf = new Map<string, number>();

  constructor(
    private readonly text: string,
    /** the id of each source item, as `readDraftLines` gives them */
    ids: readonly string[],
  ) {
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
    ids.forEach((id, k) => this.indexOf.set(id, k));
  }

  /** Splices a block list: items kept in place, the text between them (comments, blank lines) kept. */
  block(layout: Extract<LinesLayout, { kind: "block" }>, lines: readonly DraftLine[]): string {
    const { text } = this;
    const items = layout.items;
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) throw new Error("writeDraftLines: a block layout without items");
    const gap = (k: number) => {
      const prev = items[k - 1];
      const item = items[k];
      return prev === undefined || item === undefined ? "" : text.slice(prev.end, item.start);
    };
    const src = lines.map((l) => this.indexOf.get(l.id) ?? -1);
    const kept = src.filter((k) => k >= 0);
    const suffix = text.slice(last.end);

    if (lines.length === 0) {
      // every line deleted: `lines: []`, the comments between them kept
      let out = text.slice(0, layout.colonEnd) + " []" + text.slice(layout.colonEnd, first.start);
      for (let k = 1; k < items.length; k++) out += gap(k);
      return out + suffix;
    }

    const chunks: string[] = [];
    const ordered = kept.every((k, i) => i === 0 || k > (kept[i - 1] ?? -1));
    if (ordered) {
      let t = 0;
      /** the new lines from `t` on, up to the next line that was there before */
      const newOnes = (proto: SourceItem) => {
        for (;;) {
          const l = lines[t];
          if (l === undefined || src[t] !== -1) return;
          chunks.push(this.newItem(l, proto));
          t++;
        }
      };
      newOnes(first);
      items.forEach((item, k) => {
        if (k > 0) chunks.push(gap(k));
        const l = lines[t];
        if (l !== undefined && src[t] === k) {
          chunks.push(this.item(item, l));
          t++;
          newOnes(item);
        }
      });
    } else {
      // moved lines (never from patches): each keeps the text before it; a deleted line's goes after the last line
      let proto = first;
      lines.forEach((l, t) => {
        const k = src[t] ?? -1;
        const item = items[k];
        if (item === undefined) chunks.push(this.newItem(l, proto));
        else {
          chunks.push(gap(k), this.item(item, l));
          proto = item;
        }
      });
      const used = new Set(kept);
      for (let k = 1; k < items.length; k++) if (!used.has(k)) chunks.push(gap(k));
    }
    // every chunk ends its line; the text's last line may not have
    let body = "";
    for (const ch of chunks) body += ch === "" || ch.endsWith("\n") ? ch : ch + this.eol;
    if (suffix === "" && !text.endsWith("\n") && body.endsWith(this.eol)) body = body.slice(0, -this.eol.length);
    return text.slice(0, first.start) + body + suffix;
  }

  /** Writes `lines` anew in place of what the layout says. */
  replace(layout: Extract<LinesLayout, { kind: "replace" }>, lines: readonly DraftLine[]): string {
    const its = lines.map((l) => `{ ${this.newPairs(l, true).join(", ")} }`);
    return this.text.slice(0, layout.start) + layout.render(its, this.eol) + this.text.slice(layout.end);
  }

  /** The wanted value of each key the editor writes. */
  private wanted(line: DraftLine): Map<string, string | null> {
    const m = new Map<string, string | null>([["id", line.id]]);
    for (const f of LINE_FIELDS) m.set(f, normalizeLineValue(f, line.values[f]));
    return m;
  }

  private same(key: string, have: string | null, want: string | null): boolean {
    return key === "id" ? have === want : normalizeLineValue(key as LineField, have) === want;
  }

  private newPairs(line: DraftLine, inFlow: boolean): string[] {
    const out: string[] = [];
    for (const [key, v] of this.wanted(line)) if (v !== null) out.push(`${key}: ${render(key, v, null, inFlow)}`);
    return out;
  }

  /** A new item, written like `proto` (flow or block, its indentation and spacing). */
  private newItem(line: DraftLine, proto: SourceItem): string {
    const { text } = this;
    const firstKey = proto.pairs[0]?.keyStart ?? proto.start;
    const lastEnd = proto.pairs[proto.pairs.length - 1]?.valueEnd ?? proto.bodyEnd;
    const dashColumn = /^ */.exec(text.slice(proto.start, firstKey))?.[0].length ?? 2;
    const open = text.slice(proto.start, firstKey);
    const pairs = this.newPairs(line, proto.flow);
    if (proto.flow) {
      const head = clean(open) && open.trimEnd().endsWith("{") ? open : `${" ".repeat(dashColumn)}- { `;
      const close = text.slice(lastEnd, proto.bodyEnd);
      const tail = clean(close) ? close : " }";
      return head + pairs.join(this.flowSeparator(proto)) + tail + this.eol;
    }
    const head = clean(open) ? open : `${" ".repeat(dashColumn)}- `;
    const keyColumn = clean(open) ? proto.keyColumn : dashColumn + 2;
    return head + pairs.join(this.eol + " ".repeat(keyColumn)) + this.eol;
  }

  /** The separator of a flow item's pairs (`, ` as a rule). */
  private flowSeparator(item: SourceItem): string {
    for (let i = 1; i < item.pairs.length; i++) {
      const sep = this.text.slice(item.pairs[i - 1]?.valueEnd ?? 0, item.pairs[i]?.keyStart ?? 0);
      if (!sep.includes("\n") && !sep.includes("#")) return sep;
    }
    return ", ";
  }

  /** Whether a source item holds exactly `line` (the common case: checked without allocating). */
  private unchanged(item: SourceItem, line: DraftLine): boolean {
    if (firstPair(item, "id")?.value !== line.id) return false;
    for (const f of LINE_FIELDS) {
      const have = firstPair(item, f)?.value ?? null;
      const want = line.values[f];
      if (have !== want && !this.same(f, have, normalizeLineValue(f, want))) return false;
    }
    return true;
  }

  /** A source item as `line`: its text as it is when nothing changed, else rewritten field by field. */
  private item(item: SourceItem, line: DraftLine): string {
    const { text } = this;
    if (this.unchanged(item, line)) return text.slice(item.start, item.end);
    const want = this.wanted(line);
    const pairs = item.pairs;
    const first = new Map<string, number>();
    pairs.forEach((p, i) => {
      if (p.key !== null && rank(p.key) >= 0 && !first.has(p.key)) first.set(p.key, i);
    });
    const lastPair = pairs[pairs.length - 1];
    if (lastPair === undefined) return this.newItem(line, item);

    // each source pair: as it is, rewritten, or dropped (null)
    const texts = pairs.map((p, i): string | null => {
      const whole = text.slice(p.keyStart, p.valueEnd);
      if (p.key === null || first.get(p.key) !== i) return whole;
      const w = want.get(p.key) ?? null;
      if (this.same(p.key, p.value, w)) return whole;
      if (w === null) return null;
      const head = p.valueStart === p.colonEnd ? text.slice(p.keyStart, p.colonEnd) + " " : text.slice(p.keyStart, p.valueStart);
      return head + render(p.key, w, p, item.flow);
    });
    // new pairs: after the last remaining pair of ours that comes before them in the schema's order
    const inserted = new Map<number, string[]>();
    for (const key of ORDER) {
      const w = want.get(key) ?? null;
      if (w === null || first.has(key)) continue;
      let anchor = -1;
      pairs.forEach((p, i) => {
        if (p.key !== null && first.get(p.key) === i && rank(p.key) < rank(key) && texts[i] !== null) anchor = i;
      });
      const list = inserted.get(anchor) ?? [];
      list.push(`${key}: ${render(key, w, null, item.flow)}`);
      inserted.set(anchor, list);
    }
    const out: { text: string; src: number | null }[] = [];
    for (const t of inserted.get(-1) ?? []) out.push({ text: t, src: null });
    texts.forEach((t, i) => {
      if (t !== null) out.push({ text: t, src: i });
      for (const n of inserted.get(i) ?? []) out.push({ text: n, src: null });
    });

    const sepAfter = (i: number) => text.slice(pairs[i]?.valueEnd ?? 0, pairs[i + 1]?.keyStart ?? 0);
    const split = (i: number) => {
      const s = sepAfter(i);
      const nl = s.indexOf("\n");
      return nl < 0 ? { tail: "", lead: s } : { tail: s.slice(0, nl + 1), lead: s.slice(nl + 1) };
    };
    const indent = " ".repeat(item.keyColumn);
    const flowSep = this.flowSeparator(item);
    /** in a block item, the comment lines above the dropped pairs after source pair `lo` and before `hi`: kept */
    const orphans = (lo: number, hi: number) => {
      let s = "";
      if (item.flow) return s;
      for (let d = Math.max(1, lo + 1); d < hi; d++) {
        if (texts[d] !== null) continue;
        const lead = split(d - 1).lead;
        s += lead.slice(0, lead.lastIndexOf("\n") + 1);
      }
      return s;
    };
    /** the source pair emitted last before `y` */
    let lastSrc = -1;
    const between = (x: { src: number | null }, y: { src: number | null }): string => {
      if (x.src !== null && y.src !== null && y.src === x.src + 1) return sepAfter(x.src);
      if (item.flow) return x.src !== null && y.src !== null ? split(x.src).tail + split(y.src - 1).lead : flowSep;
      const tail = x.src !== null && x.src < pairs.length - 1 ? split(x.src).tail : this.eol;
      const lead = y.src !== null && y.src > 0 ? orphans(lastSrc, y.src) + split(y.src - 1).lead : indent;
      return (tail.endsWith("\n") ? tail : this.eol) + lead;
    };
    let body = text.slice(item.start, pairs[0]?.keyStart ?? item.start);
    out.forEach((o, j) => {
      const prev = out[j - 1];
      if (prev !== undefined) body += between(prev, o);
      body += o.text;
      if (o.src !== null) lastSrc = o.src;
    });
    body += text.slice(lastPair.valueEnd, item.end);
    const rest = orphans(lastSrc, pairs.length);
    return rest === "" ? body : body + (body.endsWith("\n") ? "" : this.eol) + rest;
  }
}
