/**
 * The relations that hold in every template's tables (issue 14, point 5), checked on the printed cells with the
 * rounding envelope of their printed precision (docs/audit-findings.md, CONVENTIONS.md):
 *
 * - parent-children: a 类 or 款 row equals the sum of its 款 or 项 rows below it, in every amount column;
 * - column-total: a 合计 / 总计 row equals the sum of the table's top-level rows (the 类 rows of a coded table);
 * - row-total: a 合计 / 小计 column equals the sum of its sibling columns under the same header;
 * - balance: 收入总计 equals 支出总计 (the two sides of a 收支总表).
 *
 * A relation is evaluated only where every cell it needs was read with confidence (a readable row, an amount or a
 * blank — a blank is no money, exactly zero; a dash or text is not read as a number); otherwise it is not evaluated
 * and not counted. A relation a text source used to place its numbers (`table.placedBy`) is not checked again.
 */
import type { AuditFinding, AuditPlace } from "./audit-report.ts";
import { formatPrintedAmount, scaleAmount, type PrintedAmount } from "./printed-amount.ts";
import type { ExtractedCell, ExtractedColumn, ExtractedRow, ExtractedTable } from "./table-model.ts";

export type RelationKind = "parent-children" | "column-total" | "row-total" | "balance";

export interface RelationOutcome {
  readonly findings: readonly AuditFinding[];
  readonly checked: number;
  readonly failed: number;
  /** "table index/row/column" of every cell some evaluated relation read */
  readonly cells: ReadonlySet<string>;
}

/** one printed value of a relation: its amount (a blank is exactly zero) and where it is */
interface Term {
  readonly amount: PrintedAmount | null;
  readonly text: string;
  readonly row: number;
  readonly column: number;
}

const TOTAL_NAME = /^(合计|总计|小计|本年合计|合计数)$/u;
const INCOME_TOTAL = /^收入总计$/u;
/** the subtotal and the total of one side of a 收支总表 */
const SIDE_SUBTOTAL = /^(本年)?(收入|支出)(合计|小计)$/u;
const SIDE_TOTAL = /^((收入|支出)?总计|合计)$/u;
/** a top-level item of a side: 一、 … 二十六、 */
const TOP_ORDINAL = /^[一二三四五六七八九十]+[、.]/u;
const EXPENDITURE_TOTAL = /^支出总计$/u;
const TOTAL_LABEL = /^(合计|小计|总计)$/u;
/** names that mark a part printed beside its whole, never a summand: 其中, a note */
const SUBSET_NAME = /^(其中|注|说明)/u;
/** ordinals that make a list of rows a tree whose levels the codes do not tell */
const ORDINAL = /^([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])/u;

const squash = (s: string) => s.replace(/\s+/gu, "");

/** the value of a cell for a sum: an amount, or a blank (no money: zero); null when it is not a number to add */
function termOf(cell: ExtractedCell | undefined): { amount: PrintedAmount | null } | null {
  if (!cell) return null;
  if (cell.kind === "amount" && cell.amount) return { amount: cell.amount };
  if (cell.kind === "blank") return { amount: null };
  return null;
}

function rowName(table: ExtractedTable, row: ExtractedRow): string {
  const i = table.columns.findIndex((c) => c.kind === "name");
  return i < 0 ? "" : squash(row.cells[i]?.text ?? "");
}

/**
 * Each row's classification code, its printed parts joined: one code column ("2010301", "201 03 01") or one per level
 * (类 | 款 | 项), a level left blank taken from the row above it (a 款 row printing only "03" under its 类).
 */
export function rowCodes(table: ExtractedTable): (string | null)[] {
  const codeColumns = table.columns.flatMap((c, i) => (c.kind === "code" ? [i] : []));
  const out: (string | null)[] = [];
  let context: string[] = [];
  for (const row of table.rows) {
    if (codeColumns.length === 0) {
      out.push(null);
      continue;
    }
    const parts = codeColumns.map((i) => squash(row.cells[i]?.text ?? "").replace(/\D/gu, ""));
    if (parts.every((p) => p === "")) {
      out.push(null);
      continue;
    }
    if (codeColumns.length === 1) {
      const code = parts[0]!;
      out.push(/^\d{3}(\d{2}){0,2}$/u.test(code) ? code : null);
      continue;
    }
    // one column per level: the first printed level and those after it are this row's; those before come from above
    const first = parts.findIndex((p) => p !== "");
    const levels = [...context.slice(0, first), ...parts.slice(first)];
    const lastPrinted = parts.map((p, i) => (p === "" ? -1 : i)).reduce((a, b) => Math.max(a, b), -1);
    const code = levels.slice(0, lastPrinted + 1);
    if (code.some((p) => p === "") || !/^\d{3}$/u.test(code[0] ?? "") || code.slice(1).some((p) => !/^\d{2}$/u.test(p))) {
      out.push(null);
      continue;
    }
    context = code;
    out.push(code.join(""));
  }
  return out;
}

const halfStep = (a: PrintedAmount | null, scale: number): bigint => (a === null ? 0n : 5n * 10n ** BigInt(scale - a.decimals - 1));

/**
 * Does `whole` equal the sum of `parts` within the rounding envelope? All values at the finest printed precision;
 * the envelope is half a printed step of every printed value (each part's rounding and the total's own). A blank is
 * exactly zero and adds no envelope.
 */
export function withinEnvelope(whole: PrintedAmount | null, parts: readonly (PrintedAmount | null)[]): { ok: boolean; scale: number; sum: bigint; whole: bigint; tolerance: bigint } {
  const all = [whole, ...parts];
  const scale = Math.max(0, ...all.map((a) => (a ? a.decimals + 1 : 0)));
  const at = (a: PrintedAmount | null) => (a === null ? 0n : scaleAmount(a, scale));
  const sum = parts.reduce((s, p) => s + at(p), 0n);
  const w = at(whole);
  const tolerance = all.reduce((t, a) => t + halfStep(a, scale), 0n);
  const diff = w > sum ? w - sum : sum - w;
  return { ok: diff <= tolerance, scale, sum, whole: w, tolerance };
}

/** a value at `scale` decimals, printed with `decimals` (the whole's own precision) */
function show(value: bigint, scale: number, decimals: number): string {
  const step = 10n ** BigInt(scale - decimals);
  const rounded = value >= 0n ? (value + step / 2n) / step : -((-value + step / 2n) / step);
  return formatPrintedAmount({ value: rounded, decimals });
}

function showExact(value: bigint, scale: number): string {
  const s = formatPrintedAmount({ value, decimals: scale });
  return s.includes(".") ? s.replace(/0+$/u, "").replace(/\.$/u, "") : s;
}

interface Evaluation {
  readonly kind: RelationKind;
  readonly whole: Term;
  readonly parts: readonly Term[];
  /** how the whole is named in messages: 「201 一般公共服务支出」, 「合计」 */
  readonly wholeLabel: string;
  readonly column: string;
}

const RELATION_TEXT: Record<RelationKind, { zh: string; en: string }> = {
  "parent-children": { zh: "上级科目应等于其下级科目之和", en: "a parent classification equals the sum of its children" },
  "column-total": { zh: "合计行应等于各项之和", en: "the total row equals the sum of the rows" },
  "row-total": { zh: "合计栏应等于各分栏之和", en: "the total column equals the sum of its columns" },
  balance: { zh: "收入总计应等于支出总计", en: "total income equals total expenditure" },
};

function place(table: ExtractedTable, t: Term): AuditPlace {
  const row = table.rows[t.row]!;
  return { page: table.geometry === "pdf" ? row.page : null, line: table.geometry === "text" ? row.y : null, quote: squash(t.text) || "（空白）" };
}

function rowQuote(table: ExtractedTable, rowIndex: number, column: number): string {
  const row = table.rows[rowIndex]!;
  const name = rowName(table, row);
  const code = table.columns.flatMap((c, i) => (c.kind === "code" ? [squash(row.cells[i]?.text ?? "")] : [])).join("");
  return [code, name, squash(row.cells[column]?.text ?? "") || "（空白）"].filter((x) => x !== "").join(" ");
}

function columnName(c: ExtractedColumn | undefined): string {
  return c?.label ? c.label : "";
}

/** Every generic relation of the tables, evaluated where all its cells were read with confidence. */
export function checkTableRelations(tables: readonly ExtractedTable[]): RelationOutcome {
  const findings: AuditFinding[] = [];
  const cells = new Set<string>();
  let checked = 0;
  let failed = 0;
  tables.forEach((table, ti) => {
    if (table.rows.length === 0) return;
    const placed = (kind: RelationKind, row: number) => table.placedBy.some((p) => p.relation === kind && p.rows.includes(row));
    const evaluate = (e: Evaluation) => {
      if (placed(e.kind, e.whole.row)) return;
      const r = withinEnvelope(e.whole.amount, e.parts.map((p) => p.amount));
      checked++;
      for (const t of [e.whole, ...e.parts]) cells.add(`${ti}/${t.row}/${t.column}`);
      if (r.ok) return;
      failed++;
      const decimals = e.whole.amount?.decimals ?? Math.max(0, ...e.parts.map((p) => p.amount?.decimals ?? 0));
      const expected = show(r.sum, r.scale, decimals);
      const found = e.whole.amount ? formatPrintedAmount(e.whole.amount) : "（空白）";
      const partsText = e.parts.map((p) => (p.amount ? formatPrintedAmount(p.amount) : "0")).join(" + ");
      const diff = showExact(r.whole > r.sum ? r.whole - r.sum : r.sum - r.whole, r.scale);
      const tol = showExact(r.tolerance, r.scale);
      const col = e.column ? `（${e.column}）` : "";
      const colEn = e.column ? ` (${e.column})` : "";
      const text = RELATION_TEXT[e.kind];
      findings.push({
        code: "AUD-SUM",
        severity: "error",
        ...place(table, e.whole),
        quote: rowQuote(table, e.whole.row, e.whole.column),
        expected,
        found,
        reason: {
          zh: `${table.title}：${text.zh}。${e.wholeLabel}${col}应为 ${partsText} = ${expected}，表中印为 ${found}，相差 ${diff}，超出四舍五入允许的 ±${tol}。`,
          en: `${table.title}: ${text.en}. ${e.wholeLabel}${colEn} should be ${partsText} = ${expected}; the table prints ${found}, ${diff} apart, beyond the ±${tol} rounding allows.`,
        },
        related: e.parts.map((p) => ({ ...place(table, p), quote: rowQuote(table, p.row, p.column) })),
      });
    };

    const readable = table.rows.map((r) => r.readable);
    const codes = rowCodes(table);
    const names = table.rows.map((r) => rowName(table, r));
    const amountColumns = table.columns.flatMap((c, i) => (c.kind === "amount" ? [i] : []));
    const term = (row: number, column: number): Term | null => {
      if (!readable[row]) return null;
      const t = termOf(table.rows[row]!.cells[column]);
      return t ? { amount: t.amount, text: table.rows[row]!.cells[column]?.text ?? "", row, column } : null;
    };
    const sumOver = (kind: RelationKind, whole: number, parts: readonly number[], label: string) => {
      for (const c of amountColumns) {
        const w = term(whole, c);
        const ps = parts.map((p) => term(p, c));
        if (!w || ps.some((p) => p === null)) continue;
        if (w.amount === null && ps.every((p) => p!.amount === null)) continue;
        evaluate({ kind, whole: w, parts: ps as Term[], wholeLabel: label, column: columnName(table.columns[c]) });
      }
    };

    // parent-children: a 类 (3 digits) over its 款 (5), a 款 over its 项 (7)
    codes.forEach((code, i) => {
      if (code === null || code.length >= 7) return;
      const children = codes.flatMap((c, j) => (c !== null && c.length === code.length + 2 && c.startsWith(code) ? [j] : []));
      if (children.length === 0) return;
      sumOver("parent-children", i, children, `「${code} ${names[i]}」`);
    });

    // column-total: 合计 over the top-level rows
    const totals = names.flatMap((n, i) => (TOTAL_NAME.test(n) ? [i] : []));
    if (totals.length === 1) {
      const t = totals[0]!;
      const coded = codes.flatMap((c, j) => (c !== null ? [{ c, j }] : []));
      let parts: number[] | null = null;
      if (coded.length > 0) {
        const top = Math.min(...coded.map((x) => x.c.length));
        parts = coded.filter((x) => x.c.length === top).map((x) => x.j);
        // a coded table whose other rows are not all coded (a 其中 row, an unreadable code) is not summed
        if (table.rows.some((_, j) => j !== t && codes[j] === null && names[j] !== "")) parts = null;
      } else if (!names.some((n, j) => j !== t && (ORDINAL.test(n) || SUBSET_NAME.test(n)))) {
        parts = names.flatMap((n, j) => (j !== t && n !== "" ? [j] : []));
      }
      if (parts && parts.length > 0) sumOver("column-total", t, parts, `「${names[t]}」`);
    }

    // row-total: a 合计 / 小计 column over its siblings under the same header
    table.columns.forEach((col, ci) => {
      if (col.kind !== "amount") return;
      const leaf = squash(col.header[col.header.length - 1] ?? "");
      if (!TOTAL_LABEL.test(leaf)) return;
      const parent = col.header.slice(0, -1).map(squash);
      const under = table.columns
        .map((c, j) => ({ c, j, h: c.header.map(squash) }))
        .filter((x) => x.j !== ci && x.c.kind === "amount" && x.h.length > parent.length && parent.every((p, k) => x.h[k] === p));
      if (under.length === 0 || under.some((x) => x.h.some((h) => SUBSET_NAME.test(h)))) return;
      // a second total at the same level means the header was not read as printed: nothing is decided from it
      if (under.some((x) => x.h.length === parent.length + 1 && TOTAL_LABEL.test(x.h[parent.length]!))) return;
      // group by the next header level: a group is one column, or its own 小计/合计 column over leaves one level down
      const groups = new Map<string, typeof under>();
      for (const x of under) groups.set(x.h[parent.length]!, [...(groups.get(x.h[parent.length]!) ?? []), x]);
      const parts: number[] = [];
      for (const g of groups.values()) {
        if (g.length === 1 && g[0]!.h.length === parent.length + 1) parts.push(g[0]!.j);
        else {
          const own = g.find((x) => x.h.length === parent.length + 2 && TOTAL_LABEL.test(x.h[parent.length + 1]!));
          if (own) parts.push(own.j);
          else if (g.every((x) => x.h.length === parent.length + 2)) parts.push(...g.map((x) => x.j));
          else return; // deeper than one level without a subtotal: not decided here
        }
      }
      if (parts.length < 2) return;
      table.rows.forEach((_, ri) => {
        const w = term(ri, ci);
        const ps = parts.map((p) => term(ri, p));
        if (!w || ps.some((p) => p === null)) return;
        if (w.amount === null && ps.every((p) => p!.amount === null)) return;
        const label = names[ri] || codes[ri] || `第 ${ri + 1} 行`;
        evaluate({ kind: "row-total", whole: w, parts: ps as Term[], wholeLabel: `「${label}」行的「${col.label}」`, column: "" });
      });
    });

    // the sides of a 收支总表 (two name columns, each with its amounts): 本年合计 = its numbered items above it, 总计 =
    // 本年合计 and the rows between them (结转, 结余)
    const sideNames = table.columns.flatMap((c, i) => (c.kind === "name" ? [i] : []));
    if (sideNames.length >= 2) {
      sideNames.forEach((nc, si) => {
        const end = sideNames[si + 1] ?? table.columns.length;
        const amountCols = table.columns.flatMap((c, j) => (j > nc && j < end && c.kind === "amount" ? [j] : []));
        const nameAt = (ri: number) => squash(table.rows[ri]!.cells[nc]?.text ?? "");
        const subtotal = table.rows.findIndex((_, ri) => SIDE_SUBTOTAL.test(nameAt(ri)));
        const total = table.rows.findIndex((_, ri) => SIDE_TOTAL.test(nameAt(ri)));
        if (subtotal < 0) return;
        const above = table.rows.flatMap((_, ri) => (ri < subtotal && nameAt(ri) !== "" ? [ri] : []));
        // only a flat list of numbered items: a 其中 or an unnumbered row among them leaves the levels unknown
        if (above.length === 0 || !above.every((ri) => TOP_ORDINAL.test(nameAt(ri)))) return;
        const sideSum = (kind: RelationKind, whole: number, parts: readonly number[]) => {
          for (const c of amountCols) {
            const w = term(whole, c);
            const ps = parts.map((p) => term(p, c));
            if (!w || ps.some((p) => p === null)) continue;
            if (w.amount === null && ps.every((p) => p!.amount === null)) continue;
            evaluate({ kind, whole: w, parts: ps as Term[], wholeLabel: `「${nameAt(whole)}」`, column: columnName(table.columns[c]) });
          }
        };
        sideSum("column-total", subtotal, above);
        if (total > subtotal) {
          // the numbered rows printed under a 结转和结余 row are its parts, already in it
          const between = table.rows.flatMap((_, ri) => (ri > subtotal && ri < total && nameAt(ri) !== "" && !TOP_ORDINAL.test(nameAt(ri)) ? [ri] : []));
          if (between.every((ri) => !SUBSET_NAME.test(nameAt(ri)))) sideSum("column-total", total, [subtotal, ...between]);
        }
      });
    }

    // balance: 收入总计 = 支出总计, column for column
    const nameCols = table.columns.flatMap((c, i) => (c.kind === "name" ? [i] : []));
    const after = (ri: number, ci: number): Term[] | null => {
      const next = nameCols.find((n) => n > ci) ?? table.columns.length;
      const out: Term[] = [];
      for (let j = ci + 1; j < next; j++) {
        if (table.columns[j]!.kind !== "amount") continue;
        const t = term(ri, j);
        if (!t) return null;
        out.push(t);
      }
      return out;
    };
    const find = (re: RegExp) => {
      for (let ri = 0; ri < table.rows.length; ri++) for (const ci of nameCols) if (re.test(squash(table.rows[ri]!.cells[ci]?.text ?? ""))) return { ri, ci };
      return null;
    };
    const inc = find(INCOME_TOTAL);
    const exp = find(EXPENDITURE_TOTAL);
    if (inc && exp) {
      const a = after(inc.ri, inc.ci);
      const b = after(exp.ri, exp.ci);
      if (a && b && a.length === b.length) {
        a.forEach((x, k) => {
          const y = b[k]!;
          if (x.amount === null && y.amount === null) return;
          evaluate({ kind: "balance", whole: x, parts: [y], wholeLabel: "「收入总计」", column: columnName(table.columns[x.column]) });
        });
      }
    }
  });
  return { findings, checked, failed, cells };
}
