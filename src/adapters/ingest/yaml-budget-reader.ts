/**
 * Reads one department's budget YAML file. The file is hostile until the schema says otherwise: the answer is either
 * a validated `Budget` or the complete list of problems, each naming file, line, column and field. Bad input never
 * throws; only a bug does (an `Error` with `cause`).
 *
 * Stages, each refusing what the next one cannot survive:
 *   1. size (stat before reading), 2. bytes (NUL, UTF-8; BOM stripped; CRLF and CR read as LF),
 *   3. YAML: the nesting depth is watched while the (iterative) parser builds its stack, before the (recursive)
 *      composer ever sees the document; syntax errors, duplicate keys and several documents are reported,
 *   4. YAML → plain JS by our own walk (aliases bounded, tags refused, source offsets kept per field),
 *   5. the zod schema, 6. the integrity checks (references between parts) — when the schema fails, the reference
 *      checks still run on the parts that could be read, so one run reports every problem.
 *
 * Numbers (stage 4). Every scalar that YAML 1.2 would read as a number (`1036750.10`, `03`, `0x1F`, `1e5`, `.nan`,
 * `.inf`) is handed to the schema as its exact SOURCE TEXT, so an amount never passes through a float and a code keeps
 * its zeros. The schema decides where a real number is needed instead: when it reports "expected number" at a field
 * that held such a scalar (department.year, staffing and vehicle counts, indicator weights, …), that one field gets
 * the YAML number and the schema runs again. No list of numeric fields is kept here, so the schema stays the only
 * place that says what a field is. A non-finite number (`.nan`, `.inf`) never becomes a number: as an amount it is
 * `amount.not_a_number`, elsewhere `field.not_finite`.
 *
 * An empty value (`note:` with nothing after it) is read as an absent field, so an optional field may be left blank
 * and a required one is reported as missing, at its key.
 */
import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  type Alias,
  type Document,
  type Node as YamlNode,
} from "yaml";
import type { z } from "zod";
import { budgetSchema, type Budget } from "../../domain/budget-schema.ts";
import { checkBudgetIntegrity, checkReferences, referenceView } from "../../domain/budget-integrity.ts";
import { isInputMessageCode } from "../../domain/input-messages.ts";
import { refusedTextChar } from "../../domain/text-chars.ts";
import { readBoundedFile } from "./bounded-file.ts";
import {
  compareInputProblems,
  formatFieldPath,
  hasInputErrors,
  inputError,
  parseFieldPath,
  type InputProblem,
  type ProblemAt,
} from "../../domain/input-problem.ts";

/** Files over this size are refused before they are read (CONVENTIONS.md: 10 MB). */
export const MAX_BUDGET_FILE_BYTES = 10 * 1024 * 1024;
const MAX_BUDGET_FILE_LABEL = "10 MB";
/** Collection nesting levels; a budget needs about 8. */
export const MAX_NESTING_DEPTH = 64;
/** Alias (`*name`) expansions per file, counting expansions inside expansions. */
export const MAX_ALIAS_EXPANSIONS = 100;
/** Nodes produced by alias expansion in all. */
export const MAX_ALIAS_NODES = 100_000;
/** Problems listed; the rest are counted in a final `input.more_problems`. */
export const MAX_REPORTED_PROBLEMS = 200;

/**
 * Where a field of the returned budget was written: `lines[3].amount` → its line and column, or null if the text is not
 * a field path. A field that is absent (a default) gives the place of the nearest enclosing field. Line indices are
 * those of the returned budget (after identical lines are summed), mapped back to the file.
 */
export type FieldLocator = (field: string) => { line: number; column: number } | null;

export type ReadResult =
  { ok: true; budget: Budget; notes: InputProblem[]; locate: FieldLocator } | { ok: false; problems: InputProblem[] };

const fail = (problems: InputProblem[]): ReadResult => ({ ok: false, problems: finish(problems) });

/** Reads a budget file: `stat` first, then at most the size limit (`readBoundedFile`), then `readBudgetBytes`. */
export async function readBudgetFile(path: string): Promise<ReadResult> {
  const r = await readBoundedFile(path, MAX_BUDGET_FILE_BYTES, MAX_BUDGET_FILE_LABEL);
  return r.ok ? readBudgetBytes(r.bytes, path) : fail(r.problems);
}

const tooLarge = (file: string, size: number) =>
  inputError("input.too_large", file, {}, { size, limit: MAX_BUDGET_FILE_LABEL });

/** Validates a budget from the bytes of a file named `file` (the name is only used in problems). */
export function readBudgetBytes(bytes: Uint8Array, file: string): ReadResult {
  if (bytes.length > MAX_BUDGET_FILE_BYTES) return fail([tooLarge(file, bytes.length)]);
  const decoded = decodeYamlBytes(bytes, file);
  if (!decoded.ok) return fail(decoded.problems);
  try {
    return readBudgetText(decoded.text, file);
  } catch (e) {
    if (e instanceof RangeError) {
      // Stage 3 keeps nesting far below any stack limit; this is a last guard, not the plan.
      return fail([inputError("input.too_deep", file, {}, { limit: MAX_NESTING_DEPTH })]);
    }
    throw new Error(`readBudgetBytes: unexpected failure reading ${file}`, { cause: e });
  }
}

/** Stage 2: NUL bytes and UTF-8 refused, a BOM dropped, line breaks read as LF. */
function decodeYamlBytes(bytes: Uint8Array, file: string): { ok: true; text: string } | { ok: false; problems: InputProblem[] } {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, problems: [inputError("input.nul_byte", file, bytePosition(bytes, nul))] };
  let text: string;
  try {
    // ignoreBOM: false — a leading BOM is consumed, not kept.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, problems: [inputError("input.bad_utf8", file, bytePosition(bytes, firstInvalidUtf8(bytes)))] };
  }
  // YAML line breaks are CRLF, CR or LF; read them all as LF (columns do not move, lines count as an editor shows them).
  return { ok: true, text: text.replace(/\r\n?/g, "\n") };
}

/**
 * Stages 2–4 for another YAML file of the user's (a template named by `--template`): the same bytes, nesting, alias,
 * tag, duplicate-key and character limits as a budget, without the budget's schema. The text, once it passed, may be
 * parsed by any YAML reader: nothing in it can make that reader's work unbounded.
 */
export function checkYamlBytes(bytes: Uint8Array, file: string): { ok: true; text: string } | { ok: false; problems: InputProblem[] } {
  const decoded = decodeYamlBytes(bytes, file);
  if (!decoded.ok) return decoded;
  const { text } = decoded;
  const lc = new LineCounter();
  const at = (offset: number, field?: string): ProblemAt => {
    const { line, col } = lc.linePos(offset);
    return { line, column: col, field };
  };
  try {
    const parsed = parseYaml(text, lc);
    if ("tooDeepAt" in parsed)
      return { ok: false, problems: [inputError("input.too_deep", file, at(parsed.tooDeepAt), { limit: MAX_NESTING_DEPTH })] };
    const doc = parsed.docs[0];
    if (doc === undefined) return { ok: false, problems: [inputError("input.empty", file)] };
    const second = parsed.docs[1];
    if (second !== undefined) return { ok: false, problems: [inputError("input.multiple_documents", file, at(second.range[0]))] };
    const syntax = doc.errors.map((e) => inputError("input.yaml_syntax", file, at(e.pos[0]), { reason: e.message }));
    if (syntax.length > 0) return { ok: false, problems: finish(syntax) };
    const conv = new Converter(file, at, text);
    const converted = conv.run(doc);
    if (!converted.ok) return { ok: false, problems: finish(converted.problems) };
    return { ok: true, text };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, problems: [inputError("input.too_deep", file, {}, { limit: MAX_NESTING_DEPTH })] };
    throw new Error(`checkYamlBytes: unexpected failure reading ${file}`, { cause: e });
  }
}

function readBudgetText(text: string, file: string): ReadResult {
  const lc = new LineCounter();
  const at = (offset: number, field?: string): ProblemAt => {
    const { line, col } = lc.linePos(offset);
    return { line, column: col, field };
  };

  const parsed = parseYaml(text, lc);
  if ("tooDeepAt" in parsed)
    return fail([inputError("input.too_deep", file, at(parsed.tooDeepAt), { limit: MAX_NESTING_DEPTH })]);
  const { docs } = parsed;
  const doc = docs[0];
  if (doc === undefined) return fail([inputError("input.empty", file)]);
  const problems: InputProblem[] = [];
  const second = docs[1];
  if (second !== undefined) problems.push(inputError("input.multiple_documents", file, at(second.range[0])));
  for (const e of doc.errors) problems.push(inputError("input.yaml_syntax", file, at(e.pos[0]), { reason: e.message }));
  if (problems.length > 0) return fail(problems);

  const conv = new Converter(file, at, text);
  const converted = conv.run(doc);
  if (!converted.ok) return fail([...converted.problems, ...conv.alongside]);
  const { data } = converted;
  if (data === undefined || data === null) return fail([inputError("input.empty", file)]);

  const located = new Locator(data, conv, at);
  const result = validate(data, located);
  if (!result.ok) {
    // and every reference problem of the parts that could be read: one run lists all (unknown units and projects…)
    const references = checkReferences(referenceView(data), file).map((p) => located.placeField(p));
    return fail([...conv.alongside, ...result.issues.flatMap((i) => issueProblems(i, located, file)), ...references]);
  }

  const integrity = checkBudgetIntegrity(result.budget, file);
  const all = [...conv.alongside, ...integrity.problems.map((p) => located.placeField(p))];
  if (hasInputErrors(all)) return fail(all);
  const { lineOrigin } = integrity;
  const locate: FieldLocator = (field) => {
    const path = parseFieldPath(field);
    if (path === undefined) return null;
    if (path[0] === "lines" && typeof path[1] === "number") path[1] = lineOrigin[path[1]] ?? path[1];
    const { line, column } = located.place(path, field);
    return line !== undefined && column !== undefined ? { line, column } : null;
  };
  return { ok: true, budget: integrity.budget, notes: finish(all), locate };
}

/** Sorted, and capped with a final `input.more_problems`. */
function finish(problems: InputProblem[]): InputProblem[] {
  const sorted = problems.toSorted(compareInputProblems);
  if (sorted.length <= MAX_REPORTED_PROBLEMS) return sorted;
  const rest = sorted.length - MAX_REPORTED_PROBLEMS;
  const last = sorted[MAX_REPORTED_PROBLEMS - 1];
  return [
    ...sorted.slice(0, MAX_REPORTED_PROBLEMS),
    inputError("input.more_problems", last?.file ?? "", {}, { count: rest }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes

/** 1-based line and column of a byte offset; lines end at LF, CRLF or a lone CR, as in the decoded text. */
function bytePosition(bytes: Uint8Array, offset: number): ProblemAt {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  // Column in characters, as an editor counts them (a BOM on line 1 is not a character).
  const before = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(lineStart, offset));
  return { line, column: before.length + 1 };
}

/** Offset of the first byte that makes the input invalid UTF-8 (WHATWG rules: no overlongs, surrogates or > U+10FFFF). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return k === 1 ? i : i + k;
    }
    i += need + 1;
  }
  return bytes.length;
}

// ---------------------------------------------------------------------------------------------------------------
// YAML

const COMPOSE_OPTIONS = {
  version: "1.2",
  schema: "core",
  strict: true,
  // Duplicate keys are found by our own walk, which knows the whole key and where it is.
  uniqueKeys: false,
  prettyErrors: false,
  merge: false,
  keepSourceTokens: false,
} as const;

/**
 * Lexer → Parser → Composer, as `parseDocument` does, but watching the parser's stack: both the lexer and the parser
 * are iterative, the composer is recursive, so a document nested deeper than the limit never reaches the composer.
 */
function parseYaml(text: string, lc: LineCounter): { docs: Document.Parsed[] } | { tooDeepAt: number } {
  const parser = new Parser(lc.addNewLine);
  lc.addNewLine(0); // as Parser.parse() does: line 1 starts at 0
  const composer = new Composer(COMPOSE_OPTIONS);
  const docs: Document.Parsed[] = [];
  // The parser's stack holds the stream and the document below the first collection.
  const maxStack = MAX_NESTING_DEPTH + 2;
  for (const lexeme of new Lexer().lex(text, false)) {
    for (const token of parser.next(lexeme)) for (const d of composer.next(token)) docs.push(d);
    if (parser.stack.length > maxStack) return { tooDeepAt: Math.min(parser.offset, text.length) };
  }
  for (const token of parser.end()) for (const d of composer.next(token)) docs.push(d);
  for (const d of composer.end(false, text.length)) docs.push(d);
  return { docs };
}

/**
 * Explicit tags are refused, every one (docs/input-format.md): `!!str 5`, `!!int "7"`, `!!float 1` would make a value
 * other than the one written, and `!` or `!!python/…` mean nothing here.
 */
const ALLOWED_TAGS: ReadonlySet<string> = new Set<string>();

/** Where a value came from: offsets in the text; `num` is the YAML number of a scalar handed over as text. */
interface Slot {
  key?: number;
  value: number;
  num?: number;
}
type Container = Record<string, unknown> | unknown[];
type Key = string | number;

class Abort {
  constructor(readonly problem: InputProblem) {}
}

/** YAML nodes → plain JS, keeping a `Slot` for every field. */
class Converter {
  readonly slots = new WeakMap<object, Map<Key, Slot>>();
  rootSlot: Slot = { value: 0 };
  /**
   * Problems that leave the document readable, reported together with the schema's and the integrity checks'
   * (an unquoted `1,000.5` inside `{ … }`).
   */
  readonly alongside: InputProblem[] = [];
  private readonly problems: InputProblem[] = [];
  /** the field path of the node being converted (a stack: pushed and popped around each child) */
  private readonly path: Key[] = [];
  private readonly anchors = new Map<string, YamlNode>();
  private readonly active = new Set<YamlNode>();
  private aliasExpansions = 0;
  private aliasNodes = 0;
  private inAlias = 0;
  /** The alias being expanded, as written outside any expansion: where an alias problem is reported. */
  private aliasSite = 0;
  /** The YAML number of the scalar just converted, if it was one (read by the caller that records the slot). */
  private lastNum: number | undefined;

  constructor(
    private readonly file: string,
    private readonly at: (offset: number, field?: string) => ProblemAt,
    private readonly text: string,
  ) {}

  run(doc: Document.Parsed): { ok: true; data: unknown } | { ok: false; problems: InputProblem[] } {
    const root = doc.contents;
    try {
      const data = this.node(root, 0);
      this.rootSlot = { value: root?.range[0] ?? 0 };
      if (this.lastNum !== undefined) this.rootSlot.num = this.lastNum;
      return this.problems.length > 0 ? { ok: false, problems: this.problems } : { ok: true, data };
    } catch (e) {
      if (e instanceof Abort) return { ok: false, problems: [...this.problems, e.problem] };
      throw e;
    }
  }

  private error(code: string, offset: number, params?: Record<string, string | number>): InputProblem {
    return inputError(code, this.file, this.at(offset), params);
  }

  private node(node: unknown, depth: number): unknown {
    this.lastNum = undefined;
    if (node === null || node === undefined) return null;
    const n = node as YamlNode;
    const offset = n.range?.[0] ?? 0;
    if (depth > MAX_NESTING_DEPTH) throw new Abort(this.error("input.too_deep", offset, { limit: MAX_NESTING_DEPTH }));
    if (this.inAlias > 0 && ++this.aliasNodes > MAX_ALIAS_NODES) {
      throw new Abort(this.error("input.alias_bomb", this.aliasSite, { limit: MAX_ALIAS_EXPANSIONS }));
    }
    if (isAlias(n)) return this.alias(n, depth);
    if (n.tag !== undefined && !ALLOWED_TAGS.has(n.tag)) {
      const tag = n.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      this.problems.push(inputError("input.tag_refused", this.file, this.at(offset, formatFieldPath(this.path)), { tag }));
      return null;
    }
    const anchor = (n as { anchor?: string }).anchor;
    if (anchor !== undefined && this.inAlias === 0) this.anchors.set(anchor, n);

    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === "number" || typeof v === "bigint") {
        // The source text, not the number: see the header comment.
        const num = Number(v);
        const source = (n as { source?: string }).source ?? String(v);
        this.lastNum = num;
        return source;
      }
      if (typeof v === "string") {
        // escapes ("\0", "\x01", "\uFFFE") put back what the raw-byte rules refuse: refused here, at the field
        const bad = refusedTextChar(v);
        if (bad !== null) {
          this.problems.push(inputError("text.refused_char", this.file, this.at(offset, formatFieldPath(this.path)), bad));
          return null;
        }
        return v;
      }
      if (v === null || typeof v === "boolean") return v;
      return String(v);
    }
    this.active.add(n);
    try {
      if (isMap(n)) {
        const obj: Record<string, unknown> = {};
        const slots = new Map<Key, Slot>();
        this.slots.set(obj, slots);
        /** in a flow mapping, the last pair whose value is a plain integer: `1` of an unquoted `amount: 1,000.5` */
        let split: { key: string; value: YamlNode; end: number; parts: string[] } | null = null;
        const reportSplit = () => {
          if (split === null || split.parts.length === 0) return;
          this.alongside.push(this.flowCommaNumber(split.key, split.value, split.end, split.parts));
          split = null;
        };
        for (const pair of n.items) {
          const k = pair.key as YamlNode | null;
          const keyOffset = k?.range?.[0] ?? offset;
          if (split !== null) {
            // `000.5` (a key of digits with no value) right after `1,`: the rest of the number, split off by the comma
            if (isScalar(k) && k.type === "PLAIN" && pair.value === null && /^\d+(\.\d+)?$/.test(k.source ?? "") && /^\s*,\s*$/.test(this.text.slice(split.end, keyOffset))) {
              split.parts.push(k.source ?? "");
              split.end = k.range?.[1] ?? keyOffset;
              continue;
            }
            reportSplit();
          }
          if (k !== null && !isScalar(k)) {
            this.problems.push(this.error("input.complex_key", keyOffset));
            continue;
          }
          if (k?.tag !== undefined && !ALLOWED_TAGS.has(k.tag)) {
            this.problems.push(this.error("input.tag_refused", keyOffset, { tag: k.tag.replace(/^tag:yaml\.org,2002:/, "!!") }));
            continue;
          }
          const kv = k?.value;
          const key = typeof kv === "string" ? kv : ((k as { source?: string } | null)?.source ?? String(kv ?? ""));
          const badKey = refusedTextChar(key);
          if (badKey !== null) {
            this.problems.push(inputError("text.refused_char", this.file, this.at(keyOffset, formatFieldPath(this.path)), badKey));
            continue;
          }
          if (key === "__proto__") {
            this.problems.push(this.error("input.reserved_key", keyOffset, { key }));
            continue;
          }
          if (slots.has(key)) {
            this.problems.push(this.error("input.duplicate_key", keyOffset, { key }));
            continue;
          }
          const valueNode = pair.value as YamlNode | null;
          this.path.push(key);
          const value = this.node(valueNode, depth + 1);
          this.path.pop();
          const slot: Slot = { key: keyOffset, value: valueNode?.range?.[0] ?? keyOffset };
          if (this.lastNum !== undefined) slot.num = this.lastNum;
          slots.set(key, slot);
          if (n.flow === true && isScalar(valueNode) && valueNode.type === "PLAIN" && /^[+-]?\d+$/.test(valueNode.source ?? "")) {
            split = { key, value: valueNode, end: valueNode.range?.[1] ?? keyOffset, parts: [] };
          }
          // An empty value is an absent field: kept as `undefined`, so an optional field may be left blank, a required
          // one is reported missing at its key, and an unknown key is still reported as unknown rather than silently
          // dropped (an unquoted `786,750` in a flow mapping is said as such: see `flowCommaNumber`).
          Object.defineProperty(obj, key, { value: value ?? undefined, enumerable: true, writable: true, configurable: true });
        }
        reportSplit();
        this.lastNum = undefined;
        return obj;
      }
      if (isSeq(n)) {
        const arr: unknown[] = [];
        const slots = new Map<Key, Slot>();
        this.slots.set(arr, slots);
        n.items.forEach((item, i) => {
          const itemNode = item as YamlNode | null;
          this.path.push(i);
          arr.push(this.node(itemNode, depth + 1));
          this.path.pop();
          const slot: Slot = { value: itemNode?.range?.[0] ?? offset };
          if (this.lastNum !== undefined) slot.num = this.lastNum;
          slots.set(i, slot);
        });
        this.lastNum = undefined;
        return arr;
      }
    } finally {
      this.active.delete(n);
    }
    throw new Error(`Converter: unexpected YAML node at offset ${offset}`);
  }

  /**
   * `{ amount: 1,000.5 }`: inside a flow mapping a comma separates entries, so YAML reads the key `amount` with the
   * value 1 and a second key `000.5` without a value. Said as such, with how to write it, at the value.
   */
  private flowCommaNumber(key: string, value: YamlNode, end: number, parts: readonly string[]): InputProblem {
    const start = value.range?.[0] ?? 0;
    const written = this.text.slice(start, end).replace(/\s+/g, "");
    const read = (value as { source?: string }).source ?? "";
    const field = formatFieldPath([...this.path, key]);
    return inputError("input.flow_comma_number", this.file, this.at(start, field), {
      key,
      written,
      read,
      count: parts.length + 1,
      extra: parts.join(", "),
      plain: written.replaceAll(",", ""),
    });
  }

  private alias(a: Alias, depth: number): unknown {
    if (this.inAlias === 0) this.aliasSite = a.range?.[0] ?? 0;
    const offset = this.aliasSite;
    if (++this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
      throw new Abort(this.error("input.alias_bomb", offset, { limit: MAX_ALIAS_EXPANSIONS }));
    }
    const target = this.anchors.get(a.source);
    if (target === undefined) {
      this.problems.push(this.error("input.bad_alias", offset, { alias: a.source }));
      return null;
    }
    if (this.active.has(target)) throw new Abort(this.error("input.alias_cycle", offset, { alias: a.source }));
    this.inAlias++;
    try {
      return this.node(target, depth);
    } finally {
      this.inAlias--;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Paths → source positions

interface Found {
  /** the deepest slot found along the path (the root's if none) */
  slot: Slot;
  /** the whole path was found */
  complete: boolean;
  /** the container holding the last segment, when the path up to it exists */
  parent?: Container;
  key?: Key;
}

class Locator {
  constructor(
    readonly data: unknown,
    private readonly conv: Converter,
    private readonly at: (offset: number, field?: string) => ProblemAt,
  ) {}

  find(path: readonly PropertyKey[]): Found {
    let cur: unknown = this.data;
    let slot = this.conv.rootSlot;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (typeof seg === "symbol" || seg === undefined || typeof cur !== "object" || cur === null)
        return { slot, complete: false };
      const container = cur as Container;
      const key: Key = Array.isArray(container) ? Number(seg) : String(seg);
      const next = this.conv.slots.get(container)?.get(key);
      if (next === undefined) {
        return i === path.length - 1 ? { slot, complete: false, parent: container, key } : { slot, complete: false };
      }
      slot = next;
      if (i === path.length - 1) return { slot, complete: true, parent: container, key };
      cur = (container as Record<Key, unknown>)[key];
    }
    return { slot, complete: true };
  }

  /** Position of the value at `path`, or of the nearest thing that exists (the key of an empty field, the parent). */
  place(path: readonly PropertyKey[], field = formatFieldPath(path.filter(isKey))): ProblemAt {
    const f = this.find(path);
    const offset = f.complete && this.valueAt(f) !== undefined ? f.slot.value : (f.slot.key ?? f.slot.value);
    return this.at(offset, field);
  }

  placeKey(path: readonly PropertyKey[], field = formatFieldPath(path.filter(isKey))): ProblemAt {
    const f = this.find(path);
    return this.at(f.slot.key ?? f.slot.value, field);
  }

  /** Adds line and column to a problem that names only its field (from the integrity checks). */
  placeField(p: InputProblem): InputProblem {
    if (p.field === undefined || p.line !== undefined) return p;
    const path = parseFieldPath(p.field);
    if (path === undefined) return p;
    const { line, column } = this.place(path, p.field);
    return { ...p, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
  }

  valueAt(f: Found): unknown {
    if (!f.complete) return undefined;
    if (f.parent === undefined || f.key === undefined) return this.data;
    return Object.hasOwn(f.parent, f.key) ? (f.parent as Record<Key, unknown>)[f.key] : undefined;
  }
}

const isKey = (k: PropertyKey): k is Key => typeof k !== "symbol";

// ---------------------------------------------------------------------------------------------------------------
// Schema

type Issue = z.core.$ZodIssue;

function validate(data: unknown, loc: Locator): { ok: true; budget: Budget } | { ok: false; issues: Issue[] } {
  // Each round gives real numbers to the fields the schema wants as numbers (see the header); a few rounds suffice,
  // as the schema reports every field of an object in one pass.
  for (let round = 0; ; round++) {
    const r = budgetSchema.safeParse(data);
    if (r.success) return { ok: true, budget: r.data };
    let changed = false;
    if (round < 4) {
      for (const issue of r.error.issues) {
        if (issue.code !== "invalid_type" || (issue.expected !== "number" && issue.expected !== "int")) continue;
        const f = loc.find(issue.path);
        const num = f.slot.num;
        if (!f.complete || f.parent === undefined || f.key === undefined || num === undefined || !Number.isFinite(num))
          continue;
        if (typeof loc.valueAt(f) !== "string") continue;
        (f.parent as Record<Key, unknown>)[f.key] = num;
        changed = true;
      }
    }
    if (!changed) return { ok: false, issues: r.error.issues };
  }
}

const EXPECTED_NAMES: Record<string, string> = {
  string: "text",
  number: "number",
  int: "integer",
  bigint: "integer",
  boolean: "boolean",
  array: "list",
  object: "mapping",
  record: "mapping",
  map: "mapping",
  null: "null",
};

function gotName(value: unknown, slot: Slot): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return slot.num !== undefined ? "number" : "text";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "object") return "mapping";
  return typeof value;
}

const showValue = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "object" ? (JSON.stringify(v) ?? "") : String(v);

function issueProblems(issue: Issue, loc: Locator, file: string): InputProblem[] {
  const path = issue.path;
  const f = loc.find(path);
  const value = loc.valueAt(f);
  const missing = value === undefined;
  const here = () => loc.place(path);
  const err = (code: string, params?: Record<string, string | number>, at: ProblemAt = here()) => [
    inputError(code, file, at, params),
  ];

  switch (issue.code) {
    case "custom": {
      const params = (issue.params ?? {}) as Record<string, unknown>;
      const gk = typeof params["gk"] === "string" ? params["gk"] : issue.message;
      if (!isInputMessageCode(gk)) return err("field.invalid", { reason: issue.message });
      const out: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(params))
        if (k !== "gk" && (typeof v === "string" || typeof v === "number")) out[k] = v;
      return err(gk, out);
    }
    case "invalid_type": {
      if (missing) return err("field.missing");
      if (
        (issue.expected === "number" || issue.expected === "int") &&
        typeof value === "string" &&
        f.slot.num !== undefined
      ) {
        return err("field.not_finite", { value });
      }
      return err("field.wrong_type", {
        expected: EXPECTED_NAMES[issue.expected] ?? issue.expected,
        got: gotName(value, f.slot),
      });
    }
    case "invalid_union": {
      if (missing) return err("field.missing");
      const expected = new Set<string>();
      for (const branch of issue.errors)
        for (const i of branch)
          if (i.code === "invalid_type" && i.path.length === 0) expected.add(EXPECTED_NAMES[i.expected] ?? i.expected);
      if (expected.size === 0) return err("field.invalid", { reason: issue.message });
      return err("field.wrong_type", { expected: [...expected].join("|"), got: gotName(value, f.slot) });
    }
    case "invalid_value": {
      if (missing) return err("field.missing");
      return err("field.bad_value", { got: showValue(value), allowed: issue.values.map((v) => String(v)).join(" / ") });
    }
    case "unrecognized_keys": {
      const allowed = allowedKeys(path.filter(isKey)).join(", ");
      return issue.keys.map((key) => {
        const keyPath = [...path, key];
        return inputError("field.unknown", file, loc.placeKey(keyPath), { key, allowed });
      });
    }
    case "invalid_key": {
      const last = path[path.length - 1];
      const key = typeof last === "symbol" || last === undefined ? "" : String(last);
      const code = issue.issues.map((i) => i.message).find(isInputMessageCode) ?? "field.invalid";
      return err(code, code === "field.invalid" ? { reason: issue.message } : { key }, loc.placeKey(path));
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? err("field.empty") : err("field.too_short", { minimum: min });
      if (issue.origin === "array" || issue.origin === "set") return err("field.too_few", { minimum: min });
      return err("field.too_small", { minimum: min });
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return err("field.too_long", { maximum: max });
      if (issue.origin === "array" || issue.origin === "set") return err("field.too_many", { maximum: max });
      return err("field.too_big", { maximum: max });
    }
    case "invalid_format":
      return isInputMessageCode(issue.message)
        ? err(issue.message, { value: showValue(value) })
        : err("field.invalid", { reason: issue.message });
    default:
      return err("field.invalid", { reason: issue.message });
  }
}

// The keys a strict object allows, read from the schema itself (zod 4 `.def`), to name them next to a typo.
interface Def {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  innerType?: unknown;
  in?: unknown;
}
const defOf = (s: unknown): Def | undefined => (s as { def?: Def } | undefined)?.def;
const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"]);

function unwrap(s: unknown): Def | undefined {
  let def = defOf(s);
  for (let guard = 0; def !== undefined && guard < 20; guard++) {
    if (WRAPPERS.has(def.type)) def = defOf(def.innerType);
    else if (def.type === "pipe") def = defOf(def.in);
    else return def;
  }
  return def;
}

function allowedKeys(path: readonly Key[]): string[] {
  let def = unwrap(budgetSchema);
  for (const seg of path) {
    if (def === undefined) return [];
    if (def.type === "object") def = unwrap(def.shape?.[String(seg)]);
    else if (def.type === "array") def = unwrap(def.element);
    else if (def.type === "record") def = unwrap(def.valueType);
    else return [];
  }
  return def?.type === "object" && def.shape !== undefined ? Object.keys(def.shape) : [];
}
