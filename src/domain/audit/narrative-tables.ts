/**
 * Every figure of the narrative against the table cell it speaks of (issue 14, point 5: AUD-NARRATIVE).
 *
 * For each claim of the narrative (narrative-claims.ts) with an amount — the current one (a budget's 预算数, a final
 * account's 决算数) or a final account's 年初预算 — this finds the one table cell it speaks of and compares the two
 * printings within their rounding envelopes:
 *
 * - where: the subject's table addresses (`tables` of data/audit/narrative-subjects.yaml; `function_tables` for a
 *   function path 类/款/项), tried in order. An address holds for the claim's scope (一般公共预算 …) as its entry says;
 *   its row is found by label (the ordinal 一、 1. （一） and 其中： taken off), a function path by its code or by its
 *   names (a 项 by its name under the 款 and 类 the narrative names with it, as the codes of the table nest them); its
 *   column by label within the row's side of the table (a two-sided table's 收入 or 支出 half), of the document's
 *   period (预算数 in a budget, 决算数 in a final account, 预算数 for a final account's 年初预算).
 * - how: both printings are exact (bigint) in their own unit (元, 万元, 亿元) and precision; a narrative figure X and a
 *   table cell Y speak of the same money when |X − Y| ≤ half a step of X's print + half a step of Y's print. A blank
 *   cell (or a dash alone) is exactly zero, with no envelope of its own.
 * - fail closed: a claim whose cell cannot be found with confidence — no table of that kind, a label that matches two
 *   rows of different figures, a column that cannot be told, a row that was not read, a table without a unit, a table
 *   of a plain-text source whose own sums do not confirm where its figures stand (columns are lost in plain text: a
 *   blank there may be a figure printed elsewhere) — is not checked and is listed with the reason. So is a claim whose whole may mean the rest (一般公共预算 482.45 beside its
 *   own part 上级一般公共预算安排的转移支付 55.00, `part_of` in the YAML).
 * - a text layer that repeats itself at a page break (office software that clips a text box at the page's edge and
 *   prints the clipped lines again on the next page: the PDF's text holds both copies, the page shows one) is read
 *   once: the copy the page does not show is not checked (`hiddenRepeats`).
 *
 * Pure: the tables, the narrative and the vocabulary come in; findings, what was not checked and the cells used go out.
 */
import type { AuditFinding, AuditPlace, DocumentKind, NotChecked } from "./audit-report.ts";
import type { DocumentText } from "./document-text.ts";
import type { FunctionPath, NarrativeAmount, NarrativeClaim, NarrativeReading, Span } from "./narrative-claims.ts";
import { placeOf, type NarrativeText } from "./narrative-sentences.ts";
import type { NarrativeVocabulary, ScopeId, SubjectDef, TableRef } from "./narrative-vocabulary.ts";
import { formatPrintedAmount, type PrintedAmount } from "./printed-amount.ts";
import type { ExtractedCell, ExtractedColumn, ExtractedTable, NotRead } from "./table-model.ts";
import { checkTableRelations, rowCodes } from "./table-relations.ts";
import { pageLines } from "./text-lines.ts";

export interface NarrativeTablesInput {
  readonly doc: DocumentText;
  readonly narrative: NarrativeText;
  readonly reading: NarrativeReading;
  readonly tables: readonly ExtractedTable[];
  /** what the table reader could not read: a table listed here is never taken for an empty one */
  readonly tableProblems: readonly NotRead[];
  /** 预算 or 决算: which column is the document's own period (null: only columns that say their period) */
  readonly kind: DocumentKind | null;
  /** the document's year, to tell a column of this year (2024年预算数) from one of the year before */
  readonly year: number | null;
  readonly vocabulary: NarrativeTablesVocabulary;
  /** the table kinds' names, for messages (data/audit/table-titles.yaml); a kind not named is shown by its id */
  readonly kindNames?: ReadonlyMap<string, { readonly zh: string; readonly en: string }>;
}

/** what of the narrative's vocabulary this check reads: the scope words, the subjects' and the functions' addresses */
export type NarrativeTablesVocabulary = Pick<NarrativeVocabulary, "scopes" | "subjects" | "functionTables">;

export interface NarrativeTablesReport {
  readonly findings: readonly AuditFinding[];
  readonly notChecked: readonly NotChecked[];
  /** the cells a claim was compared with, as `${table}/${row}/${column}` (the relations' keys) */
  readonly cells: ReadonlySet<string>;
  /** every comparison made: the claim (its index), the figure as printed, the cell's place, and whether they agree */
  readonly comparisons: readonly { readonly claim: number; readonly found: string; readonly cell: AuditPlace; readonly table: string; readonly ok: boolean }[];
  /** the claims compared with a table cell (indices into `NarrativeReading.claims`) */
  readonly checkedClaims: ReadonlySet<number>;
  readonly counts: {
    /** claims with an amount and a recognised subject, and how many of them were compared with a table cell */
    readonly claims: { readonly read: number; readonly checked: number };
  };
}

type Period = "budget" | "actual";

const UNIT_EXPONENT: Readonly<Record<string, number>> = { 元: 0, 万元: 4, 亿元: 8 };

// ---------------------------------------------------------------------------------------------------------------
// names as compared

/** A label as compared: no white space or quotation marks, brackets full-width, 其它 as 其他, NFKC. */
export function foldLabel(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\s\u3000“”"‘’'「」『』〝〞]/gu, "")
    .replace(/\(/gu, "（")
    .replace(/\)/gu, "）")
    .replace(/其它/gu, "其他");
}

const ORDINAL_PREFIX = /^(?:[一二三四五六七八九十]+[、.．]|[（][一二三四五六七八九十\d]+[）]|\d+[、.．](?!\d)|其中[：:]?)+/u;

/** A row's printed name as compared: its ordinal (一、 1. （一）) and 其中： taken off. */
export function rowLabel(s: string): string {
  return foldLabel(s).replace(ORDINAL_PREFIX, "");
}

/** a function's name as compared; a 类 may be printed without its 支出 (公共安全（类） for 公共安全支出) */
function functionNameEq(narrative: string, table: string, level: "class" | "section" | "item"): boolean {
  const a = rowLabel(narrative);
  const b = rowLabel(table);
  if (a === b) return true;
  return level === "class" && (a + "支出" === b || b + "支出" === a);
}

// ---------------------------------------------------------------------------------------------------------------
// the columns of a table

interface ColumnInfo {
  /** the header, period words taken off, scope words kept ("财政拨款三公经费", "合计") */
  readonly path: readonly string[];
  /** the period the header says, null when it says none */
  readonly period: Period | null;
  /** the header speaks of another year, or of a change (增减, %): never the current figure */
  readonly other: boolean;
}

const PERIOD_SUFFIX = /(?:(?:(?:19|20)\d{2}年度?|本年|上年|年初|全年|调整)?(?:预算|决算|执行)(?:数|金额|数额)?)$/u;
const PERIOD_ONLY = /^(?:(?:(?:19|20)\d{2}年度?|本年|上年|年初|全年|调整)?(?:预算|决算|执行)(?:数|金额|数额)?)$/u;
const CHANGE_WORDS = /增减|增长|减少|增幅|变动|比上年|比较|%|％|百分比|占比/u;

function scopeWordsOf(v: NarrativeTablesVocabulary): readonly string[] {
  return v.scopes.flatMap((s) => s.names.map(foldLabel)).sort((a, b) => b.length - a.length);
}

function withoutScopeWords(s: string, scopeWords: readonly string[]): string {
  let out = s;
  for (const w of scopeWords) out = out.split(w).join("");
  return out;
}

function columnInfo(c: ExtractedColumn, scopeWords: readonly string[], year: number | null): ColumnInfo {
  const elements = c.header.map(foldLabel).filter((e) => e !== "");
  let period: Period | null = null;
  let other = false;
  for (const e of elements) {
    const bare = withoutScopeWords(e, scopeWords);
    if (CHANGE_WORDS.test(bare)) other = true;
    if (/上年|去年/u.test(bare)) other = true;
    for (const m of bare.matchAll(/((?:19|20)\d{2})年/gu)) if (year === null || Number(m[1]) !== year) other = true;
    if (/决算/u.test(bare)) period = "actual";
    else if (/预算/u.test(bare) && period === null) period = "budget";
  }
  const path = elements.filter((e) => !PERIOD_ONLY.test(e)).map((e) => (PERIOD_SUFFIX.test(e) && e.replace(PERIOD_SUFFIX, "") !== "" ? e.replace(PERIOD_SUFFIX, "") : e));
  return { path, period, other };
}

const TOTAL_LEAF = /^(?:|合计|总计|小计|金额|金额合计|.{0,8}(?:合计|总计|小计))$/u;

/** element `a` of a header is `b`, or `b` with a scope word before it (财政拨款三公经费 is 三公经费) */
function elementIs(a: string, b: string, scopeWords: readonly string[]): boolean {
  if (a === b) return true;
  if (!a.endsWith(b)) return false;
  const before = a.slice(0, a.length - b.length);
  return withoutScopeWords(before, scopeWords) === "";
}

/** does a column's header name `label` ("公务接待费", or "组/栏" for a label under its group)? */
function columnNamed(path: readonly string[], label: string, scopeWords: readonly string[]): boolean {
  const parts = label.split("/").map(foldLabel);
  const endsWith = (p: readonly string[]) => p.length >= parts.length && parts.every((x, i) => elementIs(p[p.length - parts.length + i]!, x, scopeWords));
  if (endsWith(path)) return true;
  const last = path[path.length - 1];
  if (last !== undefined && /^(?:小计|合计)$/u.test(last) && endsWith(path.slice(0, -1))) return true;
  return parts.length === 1 && last !== undefined && (last === parts[0] + "合计" || last === parts[0] + "小计");
}

// ---------------------------------------------------------------------------------------------------------------
// the sides of a table: a two-sided table (收入 | 支出) is read as two tables side by side

interface Side {
  readonly nameCols: readonly number[];
  readonly codeCols: readonly number[];
  readonly amountCols: readonly number[];
}

const sidesCache = new WeakMap<ExtractedTable, Side[]>();
const codesCache = new WeakMap<ExtractedTable, (string | null)[]>();
const codesOf = (t: ExtractedTable) => {
  let c = codesCache.get(t);
  if (!c) {
    c = rowCodes(t);
    codesCache.set(t, c);
  }
  return c;
};

function sidesOf(t: ExtractedTable): Side[] {
  const cached = sidesCache.get(t);
  if (cached) return cached;
  const sides: { nameCols: number[]; codeCols: number[]; amountCols: number[] }[] = [];
  let cur: { nameCols: number[]; codeCols: number[]; amountCols: number[] } | null = null;
  t.columns.forEach((c, i) => {
    if (c.kind !== "amount" && (cur === null || cur.amountCols.length > 0)) {
      cur = { nameCols: [], codeCols: [], amountCols: [] };
      sides.push(cur);
    }
    if (cur === null) {
      cur = { nameCols: [], codeCols: [], amountCols: [] };
      sides.push(cur);
    }
    if (c.kind === "amount") cur.amountCols.push(i);
    else if (c.kind === "code") cur.codeCols.push(i);
    else cur.nameCols.push(i);
  });
  const out = sides.filter((s) => s.amountCols.length > 0);
  sidesCache.set(t, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// finding the cell

interface Cell {
  readonly table: number;
  readonly row: number;
  readonly column: number;
  /** how the row is named in messages ("2080506 机关事业单位职业年金缴费支出", "合计") */
  readonly rowName: string;
  /** the cell's value: null for a blank (or a dash alone): exactly zero */
  readonly amount: PrintedAmount | null;
  readonly text: string;
  readonly unit: string;
}

type Why =
  | "no-address"
  | "no-table"
  | "no-row"
  | "ambiguous-row"
  | "row-unread"
  | "no-column"
  | "ambiguous-column"
  | "not-a-number"
  | "no-unit"
  | "no-path"
  | "ambiguous-path"
  | "path-differs"
  | "unconfirmed";

interface Miss {
  readonly why: Why;
  readonly table?: ExtractedTable;
  readonly detail: string;
  /** no-table: the kinds of table that would hold it */
  readonly kinds?: readonly string[];
}

type Found = { readonly ok: true; readonly cell: Cell } | { readonly ok: false; readonly miss: Miss };

interface Context {
  readonly tables: readonly ExtractedTable[];
  readonly problems: readonly NotRead[];
  readonly scopeWords: readonly string[];
  readonly year: number | null;
  readonly docPeriod: Period | null;
  /** each column's header as read, once per check */
  readonly columns: Map<ExtractedColumn, ColumnInfo>;
  /** tables of a plain-text source whose figures their own sums do not confirm */
  readonly unconfirmed: ReadonlySet<ExtractedTable>;
}

function valueOf(cell: ExtractedCell | undefined): { ok: true; amount: PrintedAmount | null } | { ok: false } {
  if (!cell) return { ok: false };
  if (cell.kind === "amount" && cell.amount) return { ok: true, amount: cell.amount };
  if (cell.kind === "blank" || cell.kind === "dash") return { ok: true, amount: null };
  return { ok: false };
}

/** the amount column of a side for a figure of `period`, named `label` when given, else the side's total column */
function pickColumn(t: ExtractedTable, side: Side, ref: TableRef | null, period: Period | null, ctx: Context): { ok: true; column: number } | { ok: false; why: Why; detail: string } {
  const infoOf = (c: ExtractedColumn) => {
    let info = ctx.columns.get(c);
    if (!info) {
      info = columnInfo(c, ctx.scopeWords, ctx.year);
      ctx.columns.set(c, info);
    }
    return info;
  };
  const infos = side.amountCols.map((ci) => ({ ci, info: infoOf(t.columns[ci]!) }));
  const ofPeriod = infos.filter(({ info }) => !info.other && (info.period === period || (info.period === null && period !== null && period === ctx.docPeriod) || (info.period === null && period === null)));
  const labels = ref?.column !== undefined ? [ref.column, ...(ref.columnAliases ?? [])] : [];
  const want = period === "budget" ? "预算数" : period === "actual" ? "决算数" : "";
  if (labels.length > 0) {
    const named = ofPeriod.filter(({ info }) => labels.some((l) => columnNamed(info.path, l, ctx.scopeWords)));
    if (named.length === 1) return { ok: true, column: named[0]!.ci };
    if (named.length > 1) return { ok: false, why: "ambiguous-column", detail: `“${labels[0]}”${want}` };
    return { ok: false, why: "no-column", detail: `“${labels[0]}”${want}` };
  }
  const totals = ofPeriod.filter(({ info }) => TOTAL_LEAF.test(info.path[info.path.length - 1] ?? ""));
  if (totals.length > 0) return { ok: true, column: totals[0]!.ci };
  if (ofPeriod.length === 1) return { ok: true, column: ofPeriod[0]!.ci };
  return { ok: false, why: ofPeriod.length > 1 ? "ambiguous-column" : "no-column", detail: `合计${want}` };
}

function tableWasRead(t: ExtractedTable, ctx: Context): boolean {
  return !ctx.problems.some((p) => p.scope === "table" && p.table !== null && p.table === t.title && p.page === t.page);
}

function codeText(t: ExtractedTable, side: Side, ri: number): string {
  return side.codeCols.map((ci) => (t.rows[ri]!.cells[ci]?.text ?? "").replace(/\s+/gu, "")).join("");
}

function nameText(t: ExtractedTable, side: Side, ri: number): string {
  return side.nameCols.map((ci) => (t.rows[ri]!.cells[ci]?.text ?? "").replace(/\s+/gu, "")).filter((x) => x !== "").join(" ");
}

/** a blank cell beside a label, while another side of the same row prints a figure under no label: a merged row */
function orphanFigure(t: ExtractedTable, sides: readonly Side[], side: Side, ri: number): boolean {
  const row = t.rows[ri]!;
  return sides.some(
    (s) => s !== side && s.nameCols.every((ci) => (row.cells[ci]?.text ?? "").trim() === "") && s.amountCols.some((ci) => row.cells[ci]?.kind === "amount"),
  );
}

/** The cells of the rows that match: one per (row, side). */
function cellsOf(t: ExtractedTable, ti: number, matches: readonly { ri: number; side: Side }[], ref: TableRef | null, period: Period | null, ctx: Context, sides: readonly Side[], rowName: (ri: number, side: Side) => string): Found {
  const cells: Cell[] = [];
  let miss: Miss | null = null;
  for (const { ri, side } of matches) {
    const row = t.rows[ri]!;
    if (!row.readable) {
      miss ??= { why: "row-unread", table: t, detail: rowName(ri, side) };
      continue;
    }
    const col = pickColumn(t, side, ref, period, ctx);
    if (!col.ok) {
      miss ??= { why: col.why, table: t, detail: col.detail };
      continue;
    }
    const v = valueOf(row.cells[col.column]);
    if (!v.ok) {
      miss ??= { why: "not-a-number", table: t, detail: `${rowName(ri, side)} ${row.cells[col.column]?.text ?? ""}` };
      continue;
    }
    if (v.amount === null && orphanFigure(t, sides, side, ri)) {
      miss ??= { why: "ambiguous-row", table: t, detail: rowName(ri, side) };
      continue;
    }
    cells.push({ table: ti, row: ri, column: col.column, rowName: rowName(ri, side), amount: v.amount, text: row.cells[col.column]?.text ?? "", unit: t.unit ?? "" });
  }
  if (miss) return { ok: false, miss };
  if (cells.length === 0) return { ok: false, miss: { why: "no-row", table: t, detail: "" } };
  const first = cells[0]!;
  if (cells.some((c) => compareExact(c, first) !== 0)) return { ok: false, miss: { why: "ambiguous-row", table: t, detail: first.rowName } };
  return { ok: true, cell: first };
}

/** The cell of a subject's address in one table. */
function locateInTable(t: ExtractedTable, ti: number, ref: TableRef, claimName: string, period: Period | null, ctx: Context): Found {
  if (ref.rows === undefined && ref.column === undefined) return { ok: false, miss: { why: "no-address", table: t, detail: "" } };
  const sides = sidesOf(t);
  const hasNames = sides.some((s) => s.nameCols.length > 0);
  const rowName = (ri: number, side: Side) => [codeText(t, side, ri), nameText(t, side, ri)].filter((x) => x !== "").join(" ") || "合计";
  if (!hasNames) {
    // a table of one row without row names (the 三公 table): that row is its total; no row at all, and nothing the
    // reader could not read, is a row of blanks
    if (sides.length !== 1) return { ok: false, miss: { why: "no-row", table: t, detail: (ref.rows ?? ["合计"]).join("/") } };
    if (t.rows.length === 1) return cellsOf(t, ti, [{ ri: 0, side: sides[0]! }], ref, period, ctx, sides, rowName);
    if (t.rows.length === 0 && tableWasRead(t, ctx)) {
      const col = pickColumn(t, sides[0]!, ref, period, ctx);
      if (!col.ok) return { ok: false, miss: { why: col.why, table: t, detail: col.detail } };
      return { ok: true, cell: { table: ti, row: -1, column: col.column, rowName: "合计", amount: null, text: "", unit: t.unit ?? "" } };
    }
    return { ok: false, miss: { why: "no-row", table: t, detail: (ref.rows ?? ["合计"]).join("/") } };
  }
  const wanted = ref.rows ?? ["合计", "总计"];
  // the label the claim itself prints comes first when it is one of the address's rows (本年收入合计 before 收入总计)
  const own = rowLabel(claimName);
  const ordered = [...wanted.filter((w) => rowLabel(w) === own), ...wanted.filter((w) => rowLabel(w) !== own)];
  for (const w of ordered) {
    const label = rowLabel(w);
    const matches: { ri: number; side: Side }[] = [];
    t.rows.forEach((row, ri) => {
      for (const side of sides) if (side.nameCols.some((ci) => rowLabel(row.cells[ci]?.text ?? "") === label)) matches.push({ ri, side });
    });
    if (matches.length > 0) return cellsOf(t, ti, matches, ref, period, ctx, sides, rowName);
  }
  return { ok: false, miss: { why: "no-row", table: t, detail: wanted.join("/") } };
}

/** The cell of a function path (类/款/项 by names, or a code) in one table. */
function locateFunction(t: ExtractedTable, ti: number, func: FunctionPath, period: Period | null, ctx: Context): Found {
  const sides = sidesOf(t).filter((s) => s.nameCols.length > 0);
  const codes = codesOf(t);
  const rowName = (ri: number, side: Side) => [side.codeCols.length > 0 ? (codes[ri] ?? "") : "", nameText(t, side, ri)].filter((x) => x !== "").join(" ");
  const level: "class" | "section" | "item" = func.item !== undefined ? "item" : func.section !== undefined ? "section" : "class";
  const deepest = func.item ?? func.section ?? func.class;
  const codeLength = { class: 3, section: 5, item: 7 }[level];
  const matches: { ri: number; side: Side }[] = [];
  let differs = false;
  for (const side of sides) {
    const nameOf = (ri: number) => t.rows[ri]!.cells[side.nameCols[side.nameCols.length - 1]!]?.text ?? "";
    if (side.codeCols.length > 0) {
      const byCode = new Map<string, number>();
      codes.forEach((c, ri) => {
        if (c !== null && !byCode.has(c)) byCode.set(c, ri);
      });
      const nameAt = (code: string) => {
        const ri = byCode.get(code);
        return ri === undefined ? null : nameOf(ri);
      };
      codes.forEach((c, ri) => {
        if (c === null) return;
        if (func.code !== undefined) {
          if (c !== func.code) return;
          if (deepest !== undefined && !functionNameEq(deepest, nameOf(ri), level)) {
            differs = true;
            return;
          }
          matches.push({ ri, side });
          return;
        }
        if (c.length !== codeLength || deepest === undefined || !functionNameEq(deepest, nameOf(ri), level)) return;
        // the 款 and 类 the narrative names with it are those the codes nest it under
        const section = nameAt(c.slice(0, 5));
        const cls = nameAt(c.slice(0, 3));
        if (level === "item" && func.section !== undefined && (section === null || !functionNameEq(func.section, section, "section"))) return;
        if (level !== "class" && func.class !== undefined && (cls === null || !functionNameEq(func.class, cls, "class"))) return;
        matches.push({ ri, side });
      });
    } else if (level === "class" && deepest !== undefined && func.code === undefined) {
      // a side that prints only the 类 by name (表1's 支出 half)
      t.rows.forEach((_, ri) => {
        if (functionNameEq(deepest, nameOf(ri), "class")) matches.push({ ri, side });
      });
    }
  }
  if (matches.length === 0) return { ok: false, miss: { why: differs ? "path-differs" : "no-path", table: t, detail: pathText(func) } };
  if (new Set(matches.map((m) => m.ri)).size > 1) return { ok: false, miss: { why: "ambiguous-path", table: t, detail: pathText(func) } };
  return cellsOf(t, ti, matches.slice(0, 1), null, period, ctx, sidesOf(t), rowName);
}

function pathText(f: FunctionPath): string {
  return [f.code, f.class !== undefined ? `${f.class}（类）` : "", f.section !== undefined ? `${f.section}（款）` : "", f.item !== undefined ? `${f.item}（项）` : ""].filter((x) => x).join("");
}

/** does an address hold for a claim of this scope and name? */
function holdsFor(ref: TableRef, scope: ScopeId | undefined, name: string): boolean {
  if (ref.named && !ref.named.test(foldLabel(name))) return false;
  if (ref.notNamed && ref.notNamed.test(foldLabel(name))) return false;
  if (ref.scope !== undefined) return ref.scope === scope;
  return scope === undefined || (ref.scopes ?? []).includes(scope);
}

/** The one cell a figure speaks of: the first address that gives one with confidence; else why not. */
function locate(claim: NarrativeClaim, def: SubjectDef | undefined, period: Period | null, ctx: Context, v: NarrativeTablesVocabulary): Found {
  const isFunc = claim.subject.id === "func" && claim.subject.func !== undefined;
  // the scope that makes the subject (一般公共预算 of fund.gpb) is no further scope of it
  const scope = def?.scopeWord !== undefined && def.scopeWord === claim.subject.scope ? undefined : claim.subject.scope;
  const refs = (isFunc ? v.functionTables : (def?.tables ?? [])).filter((r) => holdsFor(r, scope, claim.subject.name));
  if (refs.length === 0) return { ok: false, miss: { why: "no-address", detail: "" } };
  let firstMiss: Miss | null = null;
  for (const ref of refs) {
    const found: Cell[] = [];
    let miss: Miss | null = null;
    ctx.tables.forEach((t, ti) => {
      if (t.kind !== ref.kind) return;
      if (t.unit === null) {
        miss ??= { why: "no-unit", table: t, detail: "" };
        return;
      }
      if (ctx.unconfirmed.has(t)) {
        miss ??= { why: "unconfirmed", table: t, detail: "" };
        return;
      }
      const r = isFunc ? locateFunction(t, ti, claim.subject.func!, period, ctx) : locateInTable(t, ti, ref, claim.subject.name, period, ctx);
      if (r.ok) found.push(r.cell);
      else miss ??= r.miss;
    });
    if (found.length > 0) {
      const first = found[0]!;
      const differ = found.some((c) => compareExact(c, first) !== 0);
      if (!differ) return { ok: true, cell: first };
      firstMiss ??= { why: "ambiguous-row", table: ctx.tables[first.table]!, detail: first.rowName };
      continue;
    }
    if (miss && (firstMiss === null || firstMiss.why === "no-address")) firstMiss = miss;
  }
  return { ok: false, miss: firstMiss ?? { why: "no-table", detail: "", kinds: [...new Set(refs.map((r) => r.kind))] } };
}

/** two cells (of two tables, possibly in different units) print the same money exactly */
function compareExact(a: Cell, b: Cell): number {
  // in 10^-12 元
  const at = (c: Cell) => (c.amount === null ? 0n : c.amount.value * 10n ** BigInt(12 + (UNIT_EXPONENT[c.unit] ?? 0) - c.amount.decimals));
  const x = at(a);
  const y = at(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------------------------
// comparing within the envelope

interface Comparison {
  readonly ok: boolean;
  /** the table's figure in the narrative's unit, exact */
  readonly exact: string;
  /** the table's figure in the narrative's unit, printed as the narrative prints (its decimals, or the table's) */
  readonly expected: string;
  /** the envelope, in the narrative's unit */
  readonly envelope: string;
}

/** Does a narrative figure print the money of a table cell (in `tableUnit`), within both printings' rounding? */
export function compareFigure(n: NarrativeAmount, cell: PrintedAmount | null, tableUnit: string): Comparison {
  const en = UNIT_EXPONENT[n.unit] ?? 0;
  const et = UNIT_EXPONENT[tableUnit] ?? 0;
  const dt = cell?.decimals ?? 0;
  // a common scale: 10^-s 元, fine enough for half a step of either printing
  const s = Math.max(n.decimals - en, dt - et, 0) + 1;
  const scaled = (a: PrintedAmount, e: number) => a.value * 10n ** BigInt(s + e - a.decimals);
  const half = (decimals: number, e: number) => 5n * 10n ** BigInt(s + e - decimals - 1);
  const x = scaled(n, en);
  const y = cell === null ? 0n : scaled(cell, et);
  const tolerance = half(n.decimals, en) + (cell === null ? 0n : half(dt, et));
  const diff = x > y ? x - y : y - x;
  // in the narrative's unit: 10^-(s + en) of it
  const inUnit = s + en;
  const shownDecimals = Math.max(n.decimals, cell === null ? 0 : Math.max(0, dt - (en - et)));
  const step = 10n ** BigInt(inUnit - shownDecimals);
  const rounded = y >= 0n ? (y + step / 2n) / step : -((-y + step / 2n) / step);
  return {
    ok: diff <= tolerance,
    exact: trimZeros(formatPrintedAmount({ value: y, decimals: inUnit })),
    expected: formatPrintedAmount({ value: rounded, decimals: shownDecimals }),
    envelope: trimZeros(formatPrintedAmount({ value: tolerance, decimals: inUnit })),
  };
}

/** is the cell's money more than `whole`, beyond both printings' rounding? */
function exceeds(cell: PrintedAmount | null, tableUnit: string, whole: NarrativeAmount): boolean {
  if (cell === null) return false;
  const c = compareFigure(whole, cell, tableUnit);
  if (c.ok) return false;
  const ew = UNIT_EXPONENT[whole.unit] ?? 0;
  const et = UNIT_EXPONENT[tableUnit] ?? 0;
  // both at 10^-12 元
  const w = whole.value * 10n ** BigInt(12 + ew - whole.decimals);
  const y = cell.value * 10n ** BigInt(12 + et - cell.decimals);
  return y > w;
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/u, "").replace(/\.$/u, "") : s;
}

// ---------------------------------------------------------------------------------------------------------------
// text the page does not show

interface HiddenLines {
  readonly hidden: readonly string[];
  readonly shown: readonly string[];
}

const squashAll = (s: string) => s.replace(/\s+/gu, "");

/**
 * Lines of a PDF's text layer that the page does not show, found where the text repeats itself at a page break: the
 * last lines of a page are the first lines of the next (at least two, exactly), and the next page's copy begins above
 * the top of the text on the document's pages (a text box clipped at the page's edge and printed again in full). On
 * the next page the lines above that top are hidden; the repeated lines below it are shown there, so their copies on
 * the page before are hidden. Nothing is hidden when the next page's copy does not begin above the top.
 */
export function hiddenRepeats(doc: DocumentText, only?: ReadonlySet<number>): ReadonlyMap<number, HiddenLines> {
  const out = new Map<number, { hidden: string[]; shown: string[] }>();
  if (doc.geometry !== "pdf") return out;
  // the top of the text of each page: its highest word
  const tops = doc.pages
    .map((p) => p.words.reduce((top, w) => (w.text.trim() !== "" && w.y0 < top ? w.y0 : top), Number.POSITIVE_INFINITY))
    .filter((top) => Number.isFinite(top))
    .sort((a, b) => a - b);
  if (tops.length < 3) return out;
  const usualTop = tops[Math.floor(tops.length / 4)]!;
  // the lines of the pages asked about and of their neighbours only
  const cache = new Map<number, { y1: number; text: string }[]>();
  const linesOf = (pi: number) => {
    let ls = cache.get(pi);
    if (!ls) {
      ls = pageLines(doc.pages[pi]!, "pdf").map((l) => ({ y1: l.y1, text: squashAll(l.text) }));
      cache.set(pi, ls);
    }
    return ls;
  };
  const hiddenIndex = new Map<number, Set<number>>();
  const hide = (page: number, i: number) => {
    const set = hiddenIndex.get(page) ?? new Set<number>();
    set.add(i);
    hiddenIndex.set(page, set);
  };
  for (let pi = 0; pi + 1 < doc.pages.length; pi++) {
    if (only && !only.has(doc.pages[pi]!.number) && !only.has(doc.pages[pi + 1]!.number)) continue;
    const a = linesOf(pi);
    const b = linesOf(pi + 1);
    let k = Math.min(a.length, b.length);
    for (; k >= 2; k--) {
      if (a[a.length - k]!.text !== b[0]!.text) continue;
      let same = true;
      for (let j = 1; j < k && same; j++) same = a[a.length - k + j]!.text === b[j]!.text;
      if (same) break;
    }
    if (k < 2) continue;
    let above = 0;
    while (above < k && b[above]!.y1 < usualTop) above++;
    if (above === 0) continue;
    for (let j = 0; j < above; j++) hide(pi + 1, j);
    for (let j = above; j < k; j++) hide(pi, a.length - k + j);
  }
  for (const [pi, set] of hiddenIndex) {
    const page = doc.pages[pi]!.number;
    const ls = linesOf(pi);
    out.set(page, { hidden: ls.filter((_, i) => set.has(i)).map((l) => l.text), shown: ls.filter((_, i) => !set.has(i)).map((l) => l.text) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// the check

const familyOf = (id: string) => id.split(".")[0]!;

/** where a span of the narrative stands, and the text of its line part */
function placeAt(nt: NarrativeText, reading: NarrativeReading, span: Span): { page: number | null; line: number | null; sentence: number; lineText: string } {
  const starts = reading.sentenceStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= span.start) lo = mid;
    else hi = mid - 1;
  }
  const s = nt.sentences[lo];
  if (!s) return { page: null, line: null, sentence: lo, lineText: "" };
  const at = span.start - starts[lo]!;
  const p = placeOf(s, at);
  const segIndex = s.segments.reduce((k, x, i) => (x.start <= at ? i : k), 0);
  const seg = s.segments[segIndex];
  const lineText = seg ? s.text.slice(seg.start, s.segments[segIndex + 1]?.start ?? s.text.length) : s.text;
  const paged = nt.geometry === "pdf" || nt.pageCount > 1;
  return { page: paged ? p.page : null, line: p.line, sentence: lo, lineText };
}

const WHY_TEXT: Record<Why, { zh: (d: string, t: string) => string; en: (d: string, t: string) => string }> = {
  "no-address": { zh: () => "没有载有该数字的表格栏目", en: () => "no table prints this figure" },
  "no-table": { zh: (d) => `本文件没有载有该数字的表格（${d}）`, en: (d) => `the document prints no table that holds this figure (${d})` },
  "no-row": { zh: (d, t) => `${t}中没有“${d}”行`, en: (d, t) => `${t} has no row "${d}"` },
  "ambiguous-row": { zh: (d, t) => `${t}中与“${d}”相符的行不止一处且数字不同，无法确定所指`, en: (d, t) => `more than one row of ${t} matches "${d}" with different figures; which one is meant cannot be told` },
  "row-unread": { zh: (d, t) => `${t}中“${d}”行未能可靠读取`, en: (d, t) => `the row "${d}" of ${t} could not be read with confidence` },
  "no-column": { zh: (d, t) => `${t}中无法找到${d}栏`, en: (d, t) => `${t} has no column ${d} that can be told` },
  "ambiguous-column": { zh: (d, t) => `${t}中${d}栏不止一个，无法确定所指`, en: (d, t) => `${t} has more than one column ${d}; which one is meant cannot be told` },
  "not-a-number": { zh: (d, t) => `${t}中“${d}”不是金额`, en: (d, t) => `"${d}" of ${t} is not an amount` },
  "no-unit": { zh: (_d, t) => `${t}未标明金额单位`, en: (_d, t) => `${t} prints no unit` },
  "no-path": { zh: (d, t) => `${t}中没有按“${d}”的类、款、项找到该科目`, en: (d, t) => `${t} has no function ${d} under the 类 and 款 the narrative names` },
  "ambiguous-path": { zh: (d, t) => `${t}中与“${d}”相符的科目不止一个`, en: (d, t) => `more than one function of ${t} matches ${d}` },
  "path-differs": { zh: (d, t) => `${t}中科目编码与名称“${d}”不一致`, en: (d, t) => `in ${t}, the code and the name ${d} do not agree` },
  unconfirmed: {
    zh: (_d, t) => `${t}是从纯文本读出的（列已丢失），其数字未经本表自身的合计关系印证，不据以核对`,
    en: (_d, t) => `${t} was read from plain text (its columns lost) and its own sums do not confirm where its figures stand; it is not used to check`,
  },
};

const periodOfName = (name: string, scopeWords: readonly string[]): Period | null => {
  const bare = withoutScopeWords(foldLabel(name), scopeWords);
  return /决算/u.test(bare) ? "actual" : /预算/u.test(bare) ? "budget" : null;
};

/** Every figure of the narrative against the table cell it speaks of. */
export function narrativeAgainstTables(input: NarrativeTablesInput): NarrativeTablesReport {
  const { narrative: nt, reading, vocabulary: v } = input;
  const scopeWords = scopeWordsOf(v);
  const docPeriod: Period | null = input.kind === "budget" ? "budget" : input.kind === "final_accounts" ? "actual" : null;
  // a table read from plain text is used only where its own sums confirm its figures: a relation of its cells checked
  // (not one used to place them), and none failed
  const unconfirmed = new Set(
    input.tables.filter((t) => {
      if (t.geometry !== "text") return false;
      const own = checkTableRelations([t]);
      return own.checked === 0 || own.failed > 0;
    }),
  );
  const ctx: Context = { tables: input.tables, problems: input.tableProblems, scopeWords, year: input.year, docPeriod, columns: new Map(), unconfirmed };
  const pagesWithFigures = new Set<number>();
  for (const c of reading.claims) if (!c.inReason && (c.amount || c.execution?.budgeted)) for (const p of c.pages) pagesWithFigures.add(p);
  const hidden = hiddenRepeats(input.doc, pagesWithFigures);
  const defs = new Map(v.subjects.map((d) => [d.id, d]));
  const findings: AuditFinding[] = [];
  const notChecked: NotChecked[] = [];
  const cells = new Set<string>();
  const comparisons: { claim: number; found: string; cell: AuditPlace; table: string; ok: boolean }[] = [];
  const checkedClaims = new Set<number>();
  let read = 0;

  const quoteOf = (c: NarrativeClaim, figure: Span): string => {
    const figureSentence = placeAt(nt, reading, figure).sentence;
    const subjectSentence = placeAt(nt, reading, c.subject.span).sentence;
    const start = subjectSentence === figureSentence && c.subject.span.start < figure.start ? c.subject.span.start : reading.sentenceStarts[figureSentence]!;
    return reading.text.slice(start, figure.end);
  };
  const skip = (c: NarrativeClaim, figure: Span, reason: { zh: string; en: string }) => {
    const p = placeAt(nt, reading, figure);
    notChecked.push({ what: "claim", page: p.page, line: p.line, quote: quoteOf(c, figure), reason });
  };

  for (const c of reading.claims) {
    if (c.inReason || c.subject.id === null) continue;
    const figures: { amount: NarrativeAmount; span: Span; period: Period | null; label: { zh: string; en: string } }[] = [];
    const own = periodOfName(c.subject.name, scopeWords) ?? docPeriod;
    if (c.amount) figures.push({ amount: c.amount.value, span: c.amount.span, period: own, label: own === "actual" ? { zh: "决算数", en: "the actual" } : { zh: "预算数", en: "the budget" } });
    if (c.execution?.budgeted) figures.push({ amount: c.execution.budgeted.value, span: c.execution.budgeted.span, period: "budget", label: { zh: "预算数", en: "the budget" } });
    if (figures.length === 0) continue;
    read++;
    const name = c.subject.name.replace(/[“”"]/gu, "") || c.subject.id;

    // a copy of the text that the page does not show
    const at = placeAt(nt, reading, figures[0]!.span);
    const h = at.page !== null ? hidden.get(at.page) : undefined;
    const lt = squashAll(at.lineText);
    if (h && lt.length > 0 && h.hidden.some((x) => x.includes(lt)) && !h.shown.some((x) => x.includes(lt))) {
      skip(c, figures[0]!.span, {
        zh: `第${at.page}页的文字层在分页处重复了相邻页的这几行，页面上并不显示；只核对页面显示的那一份`,
        en: `the text layer of page ${at.page} repeats these lines of the neighbouring page at the page break, and the page does not show them; only the copy the page shows is checked`,
      });
      continue;
    }
    const def = c.subject.id === "func" ? undefined : defs.get(c.subject.id);
    // a part of a whole whose parts of another family are parts of it (the 类 of a 基本支出, the 基本支出 of a 类)
    const parent = c.parent !== undefined ? reading.claims[c.parent] : undefined;
    if (parent?.subject.id && familyOf(parent.subject.id) !== familyOf(c.subject.id) && (parent.subject.id === "func" || defs.get(parent.subject.id)?.partsWithin)) {
      const whole = parent.subject.name.replace(/[“”"]/gu, "");
      skip(c, figures[0]!.span, {
        zh: `“${name}”列在“${whole}”之下，所指是“${whole}”中的这一部分，表格不单列，未与表格核对`,
        en: `"${name}" is listed under "${whole}": it is that part of "${whole}", which the tables do not print apart; not checked against a table`,
      });
      continue;
    }
    // a whole named beside one of its own parts: it may mean the rest
    if (c.parent !== undefined && def) {
      const part = reading.claims.find((o) => o !== c && o.parent === c.parent && !o.inReason && o.subject.id !== null && defs.get(o.subject.id)?.partOf === def.id);
      if (part) {
        skip(c, figures[0]!.span, {
          zh: `“${name}”与其组成部分“${part.subject.name}”并列，所指可能是总额，也可能是扣除后者后的部分，未与表格核对`,
          en: `"${name}" is listed beside its own part "${part.subject.name}": it may mean the whole or the rest; not checked against a table`,
        });
        continue;
      }
    }

    let compared = false;
    for (const f of figures) {
      const r = locate(c, def, f.period, ctx, v);
      if (!r.ok) {
        const t = r.miss.table ? `${r.miss.table.title}${pageNote(r.miss.table, r.miss.table.page).zh}` : "";
        const te = r.miss.table ? `${r.miss.table.title}${pageNote(r.miss.table, r.miss.table.page).en}` : "";
        const why = WHY_TEXT[r.miss.why];
        const kinds = r.miss.kinds ?? [];
        const dz = kinds.length > 0 ? kinds.map((k) => input.kindNames?.get(k)?.zh ?? k).join("、") : r.miss.detail;
        const de = kinds.length > 0 ? kinds.map((k) => input.kindNames?.get(k)?.en ?? k).join(", ") : r.miss.detail;
        skip(c, f.span, { zh: `“${name}”${f.label.zh}未与表格核对：${why.zh(dz, t)}`, en: `${f.label.en} of "${name}" is not checked against a table: ${why.en(de, te)}` });
        continue;
      }
      const cell = r.cell;
      const table = input.tables[cell.table]!;
      // a part of a lead: the cell must be a part of the lead's figure, else the part speaks of something else (财政拨款
      // 2.85 under 上年结转结余 4.85 is the carry-over of appropriations, not the appropriations)
      const whole = c.parent !== undefined ? reading.claims[c.parent]?.amount?.value : undefined;
      if (whole && f.span === c.amount?.span && exceeds(cell.amount, table.unit!, whole)) {
        const p = input.tables[cell.table]!;
        skip(c, f.span, {
          zh: `“${name}”${f.label.zh}未与表格核对：${p.title}中“${cell.rowName}”为${cell.text || "空白"}${p.unit}，大于文中它所属的“${(reading.claims[c.parent!]!.subject.name || "").replace(/[“”"]/gu, "")}”${whole.text}，所指当是其中的一部分`,
          en: `${f.label.en} of "${name}" is not checked against a table: "${cell.rowName}" of ${p.title} (${cell.text || "blank"} ${p.unit}) is more than the ${whole.text} it is stated to be a part of; it must speak of a part of that`,
        });
        continue;
      }
      compared = true;
      if (cell.row >= 0) cells.add(`${cell.table}/${cell.row}/${cell.column}`);
      const cmp = compareFigure(f.amount, cell.amount, table.unit!);
      comparisons.push({ claim: c.index, found: f.amount.text, cell: cellPlace(table, cell), table: table.title, ok: cmp.ok });
      if (cmp.ok) continue;
      const p = placeAt(nt, reading, f.span);
      const column = table.columns[cell.column]?.label ?? "";
      const printed = cell.amount === null ? "空白" : `${cell.text}${table.unit}`;
      const printedEn = cell.amount === null ? "blank" : `${cell.text} ${table.unit}`;
      const converted = table.unit === f.amount.unit || cell.amount === null ? "" : `，即 ${cmp.exact}${f.amount.unit}`;
      const convertedEn = table.unit === f.amount.unit || cell.amount === null ? "" : ` = ${cmp.exact} ${f.amount.unit}`;
      const row = table.rows[cell.row];
      findings.push({
        code: "AUD-NARRATIVE",
        severity: "error",
        page: p.page,
        line: p.line,
        quote: quoteOf(c, f.span),
        expected: `${cmp.expected}${f.amount.unit}${cell.amount === null ? "（表中空白）" : ""}`,
        found: f.amount.text,
        reason: {
          zh: `${table.title}${pageNote(table, row?.page ?? table.page).zh}“${cell.rowName}”行“${column}”栏为${printed}${converted}；文中“${name}”${f.label.zh}为${f.amount.text}，两者之差超出各自舍入的范围（±${cmp.envelope}${f.amount.unit}）。`,
          en: `${table.title}${pageNote(table, row?.page ?? table.page).en}, row "${cell.rowName}", column "${column}" prints ${printedEn}${convertedEn}; the narrative states ${f.amount.text} for ${f.label.en} of "${name}", further apart than both printings' rounding allows (±${cmp.envelope} ${f.amount.unit}).`,
        },
        related: [cellPlace(table, cell)],
      });
    }
    if (compared) checkedClaims.add(c.index);
  }
  return { findings, notChecked, cells, comparisons, checkedClaims, counts: { claims: { read, checked: checkedClaims.size } } };
}

/** "（第12页）" after a table's title: a PDF's page; a plain-text source says where by its line, in the place */
function pageNote(t: ExtractedTable, page: number): { zh: string; en: string } {
  return t.geometry === "pdf" ? { zh: `（第${page}页）`, en: ` (page ${page})` } : { zh: "", en: "" };
}

function cellPlace(t: ExtractedTable, cell: Cell): AuditPlace {
  const row = t.rows[cell.row];
  const quote = `${cell.rowName} ${cell.text || "（空白）"}`;
  if (!row) return { page: t.geometry === "pdf" ? t.page : null, line: null, quote };
  return { page: t.geometry === "pdf" ? row.page : null, line: t.geometry === "text" ? row.y : null, quote };
}
