/**
 * The printed layout of a computed table, shared by the workbook (xlsx-disclosure.ts) and the Word document
 * (docx-table.ts): which columns print, the multi-level header built from the columns' `print` paths with its
 * merged cells, and the body as printed texts. No table has code of its own: everything comes from the template's
 * columns, sides and rows.
 *
 * - Header: equal labels of adjacent columns merge when their paths agree up to that level; a column whose path is
 *   shorter than the deepest ends in a cell that spans the remaining header rows.
 * - Two-sided tables (收入 | 支出) print their sides next to each other under each side's `print_header`; a side shows
 *   the name column, the code columns that hold text on that side and the amount columns its rows have. Within a
 *   side, a name column right after a code column is headed by the code column's label (the print heads a side's
 *   classification, code and name, with one label: 支出功能分类). The sides' closing total rows share the last line.
 * - An empty table is its header and the empty-table sentence across all columns.
 */
import { rowTexts } from "../../domain/disclosure-model.ts";
import { headerCells, type HeaderCell } from "../../domain/table-header.ts";
import type { PrintUnit } from "../../domain/money.ts";
import type { ComputedRow, ComputedTable } from "../../domain/table-engine.ts";
import type { ColumnRole } from "../../domain/template-model.ts";

export interface PrintColumn {
  readonly role: ColumnRole;
  /** index into the table's columns (and into `rowTexts`) */
  readonly index: number;
  /** header labels, outermost first */
  readonly path: readonly string[];
  /** position of the side the column belongs to (0 in a one-sided table) */
  readonly side: number;
}

export { headerCells, type HeaderCell };

export interface BodyCell {
  /** the printed text; for an amount, its printed rounded value ("372.02") or "" when blank */
  readonly text: string;
  readonly amount: boolean;
}

export interface BodyRow {
  readonly cells: readonly BodyCell[];
  /** printed in bold: a total row (总计, 收入总计 …) on any side, or a unit's heading row */
  readonly strong: boolean;
}

export interface TableLayout {
  readonly table: ComputedTable;
  readonly columns: readonly PrintColumn[];
  /** number of header rows */
  readonly depth: number;
  readonly header: readonly HeaderCell[];
  readonly body: readonly BodyRow[];
  /** the empty-table sentence (then `body` is empty) */
  readonly emptySentence: string | null;
}

const isCode = (role: ColumnRole) => role === "code1" || role === "code2" || role === "code3";

/** A total row: 总计 or a side's closing 收入总计 / 支出总计. */
export function isTotalRow(r: ComputedRow): boolean {
  return r.type === "fixed" && (r.key === "total" || r.key.endsWith(".total"));
}

/** The printed layout of a table. */
export function tableLayout(t: ComputedTable, unit: PrintUnit): TableLayout {
  return t.sides ? twoSided(t, unit) : oneSided(t, unit);
}

function cellsOf(cols: readonly PrintColumn[], texts: readonly string[]): BodyCell[] {
  return cols.map((c) => ({ text: texts[c.index] ?? "", amount: c.role === "amount" }));
}

function oneSided(t: ComputedTable, unit: PrintUnit): TableLayout {
  const columns: PrintColumn[] = [];
  t.columns.forEach((col, index) => {
    if (col.role !== "side") columns.push({ role: col.role, index, path: col.print ?? [col.csv], side: 0 });
  });
  const { depth, cells } = headerCells(columns.map((c) => c.path));
  const body =
    t.emptySentence !== null ? [] : t.rows.map((r) => ({ cells: cellsOf(columns, rowTexts(t, r, unit)), strong: isTotalRow(r) || r.type === "unit" }));
  return { table: t, columns, depth, header: cells, body, emptySentence: t.emptySentence };
}

function twoSided(t: ComputedTable, unit: PrintUnit): TableLayout {
  const sides = (t.sides ?? []).map((s, si) => {
    const rows = t.rows.filter((r) => r.side === s.name);
    const texts = rows.map((r) => rowTexts(t, r, unit));
    const cols: PrintColumn[] = [];
    let amountPos = 0;
    t.columns.forEach((col, index) => {
      if (col.role === "side") return;
      const pos = col.role === "amount" ? amountPos++ : -1;
      const shown =
        col.role === "amount" ? rows.some((r) => r.cells[pos] !== null) : col.role === "name" || texts.some((tx) => (tx[index] ?? "") !== "");
      if (!shown) return;
      const prev = cols[cols.length - 1];
      const own = col.print ?? [col.csv];
      // the side's classification (code, name) prints under one label
      const path = col.role === "name" && prev !== undefined && isCode(prev.role) ? prev.path : [...s.printHeader, ...own];
      cols.push({ role: col.role, index, path, side: si });
    });
    return { cols, rows, texts };
  });
  const columns = sides.flatMap((s) => s.cols);
  const { depth, cells } = headerCells(columns.map((c) => c.path));
  // Align the sides' closing total rows (收入总计 | 支出总计) on the last line, as the print does.
  const height = Math.max(0, ...sides.map((s) => s.rows.length));
  const aligned = sides.map((s) => {
    const idx: (number | null)[] = s.rows.map((_, i) => i);
    const last = s.rows[s.rows.length - 1];
    const gap = height - s.rows.length;
    if (gap > 0 && last && isTotalRow(last)) idx.splice(s.rows.length - 1, 0, ...Array<null>(gap).fill(null));
    while (idx.length < height) idx.push(null);
    return idx;
  });
  const body: BodyRow[] = [];
  for (let i = 0; i < height; i++) {
    const cellsRow: BodyCell[] = [];
    let strong = false;
    sides.forEach((s, si) => {
      const k = aligned[si]![i] ?? null;
      if (k === null) {
        for (const c of s.cols) cellsRow.push({ text: "", amount: c.role === "amount" });
        return;
      }
      cellsRow.push(...cellsOf(s.cols, s.texts[k]!));
      if (isTotalRow(s.rows[k]!)) strong = true;
    });
    body.push({ cells: cellsRow, strong });
  }
  return { table: t, columns, depth, header: cells, body, emptySentence: t.emptySentence };
}

/** Relative widths of printed columns (characters), for the workbook's column widths and the Word table grid. */
export function columnWidth(c: PrintColumn, layout: TableLayout): number {
  switch (c.role) {
    case "code1":
    case "code2":
    case "code3":
      return 5.5;
    case "name": {
      const k = layout.columns.indexOf(c);
      const longest = Math.max(0, ...layout.body.map((r) => textWidth(r.cells[k]?.text ?? "")));
      return Math.min(50, Math.max(20, longest + 2));
    }
    case "project":
      return 24;
    case "amount":
      return layout.columns.length > 10 ? 11 : 14;
    case "side":
      return 8;
  }
}

/** Display width of a text in Latin character cells: CJK and full-width characters count 2, others 1. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffef]/.test(ch) ? 2 : 1;
  return w;
}
