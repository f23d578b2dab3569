/**
 * The same figure printed in two tables prints the same (AUD-TWICE, issue 14 point 5): a function class's total, where
 * two tables print it for one fund scope (data/templates/audit/table-sets.yaml, `class_totals`). Both printings are
 * roundings of one exact amount, so they agree exactly when the intervals their rounding allows meet; units are
 * converted (1 万元 = 10,000 元). A blank is no money: exactly zero, no interval. Only cells read with confidence are
 * compared.
 */
import type { AuditFinding } from "./audit-report.ts";
import { formatPrintedAmount, type PrintedAmount } from "./printed-amount.ts";
import type { ExtractedTable } from "./table-model.ts";
import { rowCodes } from "./table-relations.ts";

export interface ClassTotalPlace {
  readonly kind: string;
  /** a side of a 收支总表 by its header ("支出"), or null: the table's coded rows */
  readonly side: string | null;
  readonly column: RegExp;
  readonly scope: string;
}

interface Printed {
  readonly table: ExtractedTable;
  readonly tableIndex: number;
  readonly row: number;
  readonly column: number;
  readonly amount: PrintedAmount | null;
  readonly text: string;
  readonly name: string;
  readonly code: string | null;
}

const squash = (s: string) => s.replace(/\s+/gu, "");
const TOP_ORDINAL = /^[一二三四五六七八九十]+[、.]/u;
/** a class's name as compared across tables: no ordinal, NFKC, brackets of one width, no (类) */
const classKey = (name: string) =>
  squash(name)
    .normalize("NFKC")
    .replace(TOP_ORDINAL, "")
    .replace(/[()（）]/gu, "")
    .replace(/类$/u, "");
const leaf = (h: readonly string[]) => squash(h[h.length - 1] ?? "");

/** the class totals one table prints at one place, by class key */
function printedAt(table: ExtractedTable, tableIndex: number, at: ClassTotalPlace): Map<string, Printed> {
  const out = new Map<string, Printed>();
  const cols = table.columns;
  const nameCols = cols.flatMap((c, i) => (c.kind === "name" ? [i] : []));
  let nameCol: number;
  let range: [number, number];
  if (at.side !== null) {
    const si = nameCols.findIndex((i) => squash(cols[i]!.header[0] ?? "").startsWith(at.side!));
    if (si < 0) return out;
    nameCol = nameCols[si]!;
    range = [nameCol + 1, nameCols[si + 1] ?? cols.length];
  } else {
    if (nameCols.length !== 1) return out;
    nameCol = nameCols[0]!;
    range = [0, cols.length];
  }
  let column = -1;
  for (let j = range[0]; j < range[1]; j++)
    if (cols[j]!.kind === "amount" && at.column.test(leaf(cols[j]!.header))) {
      column = j;
      break;
    }
  if (column < 0) return out;
  const codes = rowCodes(table);
  table.rows.forEach((row, ri) => {
    if (!row.readable) return;
    const name = squash(row.cells[nameCol]?.text ?? "");
    const code = at.side === null ? (codes[ri] ?? null) : null;
    if (at.side === null ? code === null || code.length !== 3 : !TOP_ORDINAL.test(name)) return;
    const cell = row.cells[column];
    if (!cell || (cell.kind !== "amount" && cell.kind !== "blank")) return;
    const key = classKey(name);
    if (key === "" || out.has(key)) return;
    out.set(key, { table, tableIndex, row: ri, column, amount: cell.kind === "amount" ? (cell.amount ?? null) : null, text: cell.text, name, code });
  });
  return out;
}

/** the interval a printed amount allows, in 分 ×10 (one more decimal than 0.01 元), or [0, 0] for a blank */
function interval(p: Printed): [bigint, bigint] | null {
  if (p.amount === null) return [0n, 0n];
  const unit = p.table.unit;
  if (unit === null) return null;
  // in 0.001 元: 元 with d decimals → ×10^(3−d); 万元 → ×10^(7−d)
  const exp = (unit === "万元" ? 7 : 3) - p.amount.decimals;
  if (exp < 1) return null;
  const v = p.amount.value * 10n ** BigInt(exp);
  const half = 5n * 10n ** BigInt(exp - 1);
  return [v - half, v + half];
}

/**
 * Whether one exact amount can print as both: a printed figure stands for [v − h, v + h) (rounded half up), a blank for
 * exactly zero; two printed figures agree when their intervals overlap (326.71 and 326.72 only touch: they disagree).
 */
function agree(a: [bigint, bigint], b: [bigint, bigint]): boolean {
  const point = (x: [bigint, bigint]) => x[0] === x[1];
  if (point(a) && point(b)) return a[0] === b[0];
  if (point(a)) return b[0] <= a[0] && a[0] < b[1];
  if (point(b)) return a[0] <= b[0] && b[0] < a[1];
  return a[0] < b[1] && b[0] < a[1];
}

function show(p: Printed): string {
  return p.amount === null ? "（空白）" : `${formatPrintedAmount(p.amount)}${p.table.unit ?? ""}`;
}

export function checkRepeatedFigures(tables: readonly ExtractedTable[], places: readonly ClassTotalPlace[]): { findings: AuditFinding[]; checked: number; cells: Set<string> } {
  const findings: AuditFinding[] = [];
  const cells = new Set<string>();
  let checked = 0;
  const byScope = new Map<string, Map<string, Printed>[]>();
  tables.forEach((t, ti) => {
    for (const at of places) {
      if (t.kind !== at.kind) continue;
      const m = printedAt(t, ti, at);
      if (m.size > 0) byScope.set(at.scope, [...(byScope.get(at.scope) ?? []), m]);
    }
  });
  for (const prints of byScope.values())
    for (let i = 0; i < prints.length; i++)
      for (let j = i + 1; j < prints.length; j++)
        for (const [key, a] of prints[i]!) {
          const b = prints[j]!.get(key);
          if (!b || (a.amount === null && b.amount === null)) continue;
          const ia = interval(a);
          const ib = interval(b);
          if (!ia || !ib) continue;
          checked++;
          cells.add(`${a.tableIndex}/${a.row}/${a.column}`).add(`${b.tableIndex}/${b.row}/${b.column}`);
          if (agree(ia, ib)) continue;
          const [first, later] = a.table.page <= b.table.page ? [a, b] : [b, a];
          const placeOf = (p: Printed) => ({
            page: p.table.geometry === "pdf" ? p.table.rows[p.row]!.page : null,
            line: p.table.geometry === "text" ? p.table.rows[p.row]!.y : null,
          });
          const quoteOf = (p: Printed) => [p.code ?? "", p.name, squash(p.text) || "（空白）"].filter((x) => x !== "").join(" ");
          findings.push({
            code: "AUD-TWICE",
            severity: "error",
            ...placeOf(later),
            quote: quoteOf(later),
            expected: show(first),
            found: show(later),
            reason: {
              zh: `「${classKey(later.name)}」在${first.table.title}中印为 ${show(first)}，在${later.table.title}中印为 ${show(later)}；两表所列是同一口径的同一个数，应相同。`,
              en: `"${classKey(later.name)}" is ${show(first)} in ${first.table.title} and ${show(later)} in ${later.table.title}; both tables print the same figure of the same fund scope, which must agree.`,
            },
            related: [{ ...placeOf(first), quote: quoteOf(first) }],
          });
        }
  return { findings, checked, cells };
}
