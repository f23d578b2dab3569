/**
 * A computed table as a pdfmake table, laid out as the print lays it out: the multi-level header from each column's
 * `print` path (colSpan / rowSpan), repeated on every page the table runs onto; amounts right-aligned; blank cells
 * blank; names indented by tree level; total rows bold; the empty-table sentence across all columns. A two-sided
 * table (收入 | 支出) prints its sides next to each other, their closing totals on the same line; on each side, a name
 * column right after a code column prints under the code's label (表1's 支出功能分类 over 201 一般公共服务支出), as the
 * print and the workbook do. Above the header, repeated with it on every page, the line 编制部门：… 单位：万元.
 *
 * Column widths come from the text they hold, measured with the embedded font (codes and amounts never wrap; names
 * take what is left), fitted to the page of the table's orientation. Cells are broken into lines here (pdf-lines.ts)
 * and handed to pdfmake whole. `tableLayout` is exported so that a reader of the PDF (the test) knows the x range of
 * every printed column and which CSV column it shows.
 */
import type { Content, TableCell } from "pdfmake/interfaces.js";
import { headerRows } from "../../domain/table-header.ts";
import { rowTexts } from "../../domain/disclosure-model.ts";
import type { PrintUnit } from "../../domain/money.ts";
import type { ComputedRow, ComputedTable } from "../../domain/table-engine.ts";
import type { ColumnData } from "../../domain/template-model.ts";
import { linesContent, wrapText, type TextMeasure } from "./pdf-lines.ts";
import { contentWidth, PAGE_MARGINS, TABLE } from "./pdf-style.ts";

// ---------------------------------------------------------------------------------------------------------------
// Header

/** One cell of a header row: `col` is the first column it covers. */
export interface HeaderSpan {
  readonly label: string;
  readonly col: number;
  readonly colSpan: number;
  readonly rowSpan: number;
}

/**
 * The header rows of columns given by their print paths (outermost label first). Equal labels of adjacent columns
 * merge when their paths agree up to that level; a path shorter than the deepest ends in a cell spanning down.
 */
export function headerSpans(paths: readonly (readonly string[])[]): HeaderSpan[][] {
  return headerRows(paths).map((row) => row.map((h) => ({ label: h.label, col: h.col, colSpan: h.colspan, rowSpan: h.rowspan })));
}

// ---------------------------------------------------------------------------------------------------------------
// Columns and widths

/** A printed column: which CSV column (index into table.columns) it shows, under which header path. */
export interface PrintColumn {
  readonly csvIndex: number;
  readonly column: ColumnData;
  readonly path: readonly string[];
  /** the side it belongs to in a two-sided table */
  readonly side: string | null;
}

export interface TableLayout {
  readonly orientation: "portrait" | "landscape";
  readonly columns: readonly PrintColumn[];
  /** content widths of the columns (without paddings), as pdfmake takes them */
  readonly widths: readonly number[];
  /** left and right x of each column's cell on the page (rules included), in points */
  readonly x: readonly (readonly [number, number])[];
  /** for a two-sided table, the column range [from, to) of each side */
  readonly sides: readonly { readonly name: string; readonly from: number; readonly to: number }[];
}

/** Width of the longest unbreakable piece: a run of Latin/digits, or one ideograph. */
function minWordWidth(text: string, size: number, m: TextMeasure, bold: boolean): number {
  let max = 0;
  for (const x of text.matchAll(/[\x21-\x7e]+|[^\s\x21-\x7e]/gu)) max = Math.max(max, m.width(x[0], size, bold));
  return max;
}

function sideColumns(t: ComputedTable, unit: PrintUnit): { name: string; cols: PrintColumn[]; rows: ComputedRow[] }[] {
  if (!t.sides) {
    const cols: PrintColumn[] = [];
    t.columns.forEach((column, csvIndex) => {
      if (column.role !== "side") cols.push({ csvIndex, column, path: column.print ?? [column.csv], side: null });
    });
    return [{ name: "", cols, rows: [...t.rows] }];
  }
  return t.sides.map((s) => {
    const rows = t.rows.filter((r) => r.side === s.name);
    const texts = rows.map((r) => rowTexts(t, r, unit));
    const cols: PrintColumn[] = [];
    let amountPos = 0;
    t.columns.forEach((column, csvIndex) => {
      if (column.role === "side") return;
      // an amount column belongs to the side when the side's rows have that cell; a text column when it shows text
      const shown =
        column.role === "amount"
          ? ((pos) => rows.some((r) => r.cells[pos] !== null))(amountPos++)
          : column.role === "name" || texts.some((tx) => (tx[csvIndex] ?? "") !== "");
      if (!shown) return;
      const prev = cols[cols.length - 1];
      // the side's classification (code, name) prints under one label, spanning both columns
      const path = column.role === "name" && prev !== undefined && isCode(prev.column) ? prev.path : [...s.printHeader, ...(column.print ?? [column.csv])];
      cols.push({ csvIndex, column, path, side: s.name });
    });
    return { name: s.name, cols, rows };
  });
}

const isText = (c: ColumnData) => c.role === "name" || c.role === "project" || c.role === "side";
const isCode = (c: ColumnData) => c.role === "code1" || c.role === "code2" || c.role === "code3";

/** Column widths: codes and amounts at their natural width, text columns share the rest; spare room goes to amounts. */
export function tableLayout(t: ComputedTable, unit: PrintUnit, m: TextMeasure): TableLayout {
  const groups = sideColumns(t, unit);
  const columns = groups.flatMap((g) => g.cols);
  const n = columns.length;
  const available = contentWidth(t.orientation) - n * (TABLE.padLeft + TABLE.padRight) - (n + 1) * TABLE.rule;
  const size = TABLE.fontSize;
  const texts = new Map<ComputedRow, string[]>();
  const textOf = (r: ComputedRow) => {
    let x = texts.get(r);
    if (!x) texts.set(r, (x = rowTexts(t, r, unit)));
    return x;
  };
  const natural: number[] = [];
  const minimum: number[] = [];
  columns.forEach((pc, k) => {
    const cells = t.rows.filter((r) => pc.side === null || r.side === pc.side).map((r) => textOf(r)[pc.csvIndex] ?? "");
    const content = Math.max(0, ...cells.map((s) => m.width(s, size, false)));
    const leaf = pc.path[pc.path.length - 1] ?? "";
    // a label shared with the next column (a side's code and name under 支出功能分类) spans both: it binds neither
    const next = columns[k + 1];
    const shared = next !== undefined && next.path.length === pc.path.length && next.path.every((l, i) => l === pc.path[i]);
    const headerMin = minWordWidth(leaf, TABLE.headerFontSize, m, true) * 2; // at least two ideographs a line
    if (isText(pc.column)) {
      natural.push(Math.max(content + (pc.column.role === "name" ? 2 * TABLE.indent : 0), headerMin));
      minimum.push(Math.max(size * 5, headerMin));
    } else if (isCode(pc.column) && shared) {
      const w = Math.max(content, size * 1.2);
      natural.push(w);
      minimum.push(w);
    } else if (isCode(pc.column)) {
      // a long label over one code column wraps to two or three lines, not one ideograph a line
      const chars = [...leaf].length;
      const labelShare = chars > 2 ? m.width(leaf, TABLE.headerFontSize, true) / Math.min(3, Math.ceil(chars / 2)) : 0;
      const w = Math.max(content, size * 1.2, minWordWidth(leaf, TABLE.headerFontSize, m, true), labelShare);
      natural.push(w);
      minimum.push(w);
    } else {
      const w = Math.max(content, size * 3.4, headerMin);
      natural.push(w);
      minimum.push(w);
    }
  });
  const widths = [...natural];
  const textCols = columns.map((c, i) => (isText(c.column) ? i : -1)).filter((i) => i >= 0);
  const fixed = widths.reduce((s, w, i) => (textCols.includes(i) ? s : s + w), 0);
  const textNatural = textCols.reduce((s, i) => s + natural[i]!, 0);
  if (fixed + textNatural > available) {
    // text columns wrap: each gets a share of the room left, by its natural width, never below its minimum
    let room = available - fixed;
    let open = [...textCols];
    for (let pass = 0; pass < 3 && open.length; pass++) {
      const total = open.reduce((s, i) => s + natural[i]!, 0);
      const below = open.filter((i) => (room * natural[i]!) / total < minimum[i]!);
      if (below.length === 0) {
        for (const i of open) widths[i] = (room * natural[i]!) / total;
        open = [];
      } else
        for (const i of below) {
          widths[i] = minimum[i]!;
          room -= minimum[i]!;
          open = open.filter((j) => j !== i);
        }
    }
  } else {
    // spare room: amounts grow up to 1.9× their natural width, then text columns take the rest
    let spare = available - fixed - textNatural;
    const amountCols = columns.map((c, i) => (c.column.role === "amount" ? i : -1)).filter((i) => i >= 0);
    if (amountCols.length) {
      const grow = Math.min(spare / amountCols.length, Math.max(...amountCols.map((i) => natural[i]!)) * 0.9);
      for (const i of amountCols) widths[i]! += grow;
      spare -= grow * amountCols.length;
    }
    const takers = textCols.length ? textCols : amountCols;
    const total = takers.reduce((s, i) => s + widths[i]!, 0);
    for (const i of takers) widths[i]! += (spare * widths[i]!) / total;
  }
  const x: [number, number][] = [];
  let left = PAGE_MARGINS[0];
  for (const w of widths) {
    const right = left + TABLE.rule + TABLE.padLeft + w + TABLE.padRight;
    x.push([left, right]);
    left = right;
  }
  const sides: { name: string; from: number; to: number }[] = [];
  if (t.sides) {
    let from = 0;
    for (const g of groups) {
      sides.push({ name: g.name, from, to: from + g.cols.length });
      from += g.cols.length;
    }
  }
  return { orientation: t.orientation, columns, widths, x, sides };
}

// ---------------------------------------------------------------------------------------------------------------
// The pdfmake table

const ROW_LEVEL: Partial<Record<ComputedRow["type"], number>> = { section: 1, item: 2, "econ-section": 1 };

export function isTotalRow(r: ComputedRow): boolean {
  return r.type === "fixed" && (r.key === "total" || r.key.endsWith(".total"));
}

/** A blank cell: an empty stack, which pdfmake lays out at half the cost of an empty text. */
const blank = (): TableCell => ({ stack: [] }) as TableCell;

/**
 * One body cell: total rows bold, as the print sets them. Text comes broken into lines, `noWrap`, with its few
 * properties on the cell (the table sets the font size for all).
 */
function cell(pc: PrintColumn, width: number, text: string, r: ComputedRow | null, m: TextMeasure): TableCell {
  if (text === "") return blank();
  const bold = r !== null && isTotalRow(r);
  const b = bold ? { bold } : {};
  switch (pc.column.role) {
    case "amount":
      return { text, alignment: "right", noWrap: true, ...b };
    case "code1":
    case "code2":
    case "code3":
      return { text, alignment: "center", noWrap: true };
    case "name": {
      const level = r === null ? undefined : ROW_LEVEL[r.type];
      const indent = level === undefined ? 0 : level * TABLE.indent;
      const lines = wrapText(text, width - indent, TABLE.fontSize, m, bold);
      return { ...linesContent(lines), ...(indent > 0 ? { margin: [indent, 0, 0, 0] } : {}), ...b } as TableCell;
    }
    default:
      return { ...linesContent(wrapText(text, width, TABLE.fontSize, m, bold)), ...b } as TableCell;
  }
}

/**
 * pdfmake's line height of the taller face, the 黑体 of bold text and headers: Noto Sans SC (ascent 1160 − descent
 * −288) / 1000 em; the 宋体 Noto Serif SC is 1.437 em.
 */
export const LINE_HEIGHT_EM = 1.448;

/**
 * The header rows. pdfmake's row-span cells neither grow their rows nor centre reliably together with
 * `dontBreakRows` (0.3.x), so the header sizes itself: each row gets the height its cells need (a spanning cell's
 * lines count against the rows it spans), and every label is centred by a top margin.
 */
function headerBody(paths: readonly (readonly string[])[], widths: readonly number[], m: TextMeasure): { body: TableCell[][]; heights: number[] } {
  const spans = headerSpans(paths);
  const size = TABLE.headerFontSize;
  const lh = size * LINE_HEIGHT_EM;
  const gap = TABLE.padTop + TABLE.padBottom + TABLE.rule;
  const cellWidth = (h: HeaderSpan) => widths.slice(h.col, h.col + h.colSpan).reduce((a, b) => a + b, 0) + (h.colSpan - 1) * (TABLE.padLeft + TABLE.padRight + TABLE.rule);
  const cells = spans.flatMap((row, level) =>
    row.map((h) => {
      const lines = wrapText(h.label, cellWidth(h), size, m, true);
      return { h, level, lines, need: lines.length * lh };
    }),
  );
  const heights = spans.map(() => lh);
  for (const c of cells) if (c.h.rowSpan === 1) heights[c.level] = Math.max(heights[c.level]!, c.need);
  const room = (c: { h: HeaderSpan; level: number }) =>
    heights.slice(c.level, c.level + c.h.rowSpan).reduce((a, b) => a + b, 0) + (c.h.rowSpan - 1) * gap;
  // spanning cells, shortest spans first: a shortfall goes to the last row they span
  for (const c of cells.filter((x) => x.h.rowSpan > 1).sort((a, b) => a.h.rowSpan - b.h.rowSpan)) {
    const short = c.need - room(c);
    if (short > 0) heights[c.level + c.h.rowSpan - 1]! += short;
  }
  const body: TableCell[][] = spans.map(() => paths.map((): TableCell => ({})));
  for (const c of cells) {
    const top = Math.max(0, (room(c) - c.need) / 2);
    body[c.level]![c.h.col] = {
      ...linesContent(c.lines),
      style: "th",
      fillColor: TABLE.headerFill,
      ...(top > 0.5 ? { margin: [0, top, 0, 0] } : {}),
      ...(c.h.colSpan > 1 ? { colSpan: c.h.colSpan } : {}),
      ...(c.h.rowSpan > 1 ? { rowSpan: c.h.rowSpan } : {}),
    } as TableCell;
  }
  return { body, heights };
}

/** Rows of the body, side by side for a two-sided table; the sides' closing totals aligned on the last line. */
function bodyRows(t: ComputedTable, layout: TableLayout, unit: PrintUnit, m: TextMeasure): TableCell[][] {
  const n = layout.columns.length;
  if (t.emptySentence !== null) {
    const row: TableCell[] = layout.columns.map((): TableCell => ({}));
    row[0] = { text: t.emptySentence, colSpan: n, margin: [2, 4, 2, 4] } as TableCell;
    return [row];
  }
  if (!t.sides)
    return t.rows.map((r) => {
      const texts = rowTexts(t, r, unit);
      return layout.columns.map((pc, k) => cell(pc, layout.widths[k]!, texts[pc.csvIndex] ?? "", r, m));
    });
  const perSide = layout.sides.map((s) => t.rows.filter((r) => r.side === s.name));
  const height = Math.max(...perSide.map((rs) => rs.length));
  const aligned = perSide.map((rs) => {
    const padded: (ComputedRow | null)[] = [...rs];
    const last = rs[rs.length - 1];
    const gap = height - rs.length;
    if (gap > 0 && last && isTotalRow(last)) padded.splice(rs.length - 1, 0, ...Array<null>(gap).fill(null));
    while (padded.length < height) padded.push(null);
    return padded;
  });
  const out: TableCell[][] = [];
  for (let i = 0; i < height; i++) {
    const row: TableCell[] = [];
    layout.sides.forEach((s, si) => {
      const r = aligned[si]![i] ?? null;
      const texts = r === null ? null : rowTexts(t, r, unit);
      for (let c = s.from; c < s.to; c++) {
        const pc = layout.columns[c]!;
        row.push(cell(pc, layout.widths[c]!, texts?.[pc.csvIndex] ?? "", r, m));
      }
    });
    out.push(row);
  }
  return out;
}

/** The rounding note directly under a table, small like a table footnote (Disclosure.roundingNotes). */
export function pdfTableNote(text: string): Content {
  return { text, style: "tableNote" } as Content;
}

/** The line above a table, as the print sets it: who compiled it, left; the unit of its amounts, right. */
export interface UnitLine {
  /** `编制部门：昌吉回族自治州信访局` */
  readonly department: string;
  /** `单位：万元` */
  readonly unit: string;
}

/** Type size of the unit line. */
export const UNIT_LINE_SIZE = 9;

/**
 * The unit line as the table's first header row, so that it repeats with the header on every page the table runs
 * onto, right above it: one cell across all columns, without rules or fill.
 */
function unitLineRow(line: UnitLine, n: number): TableCell[] {
  const row: TableCell[] = Array.from({ length: n }, (): TableCell => ({}));
  row[0] = {
    columns: [
      { text: line.department, noWrap: true, width: "*" },
      { text: line.unit, noWrap: true, width: "auto" },
    ],
    fontSize: UNIT_LINE_SIZE,
    colSpan: n,
    border: [false, false, false, false],
    margin: [-TABLE.padLeft, 0, -TABLE.padRight, 2],
  } as TableCell;
  return row;
}

/**
 * The table itself (without its title), on the page width of its orientation, header repeated on every page, the
 * unit line (when given) above the header on every page.
 */
export function pdfTable(t: ComputedTable, unit: PrintUnit, m: TextMeasure, unitLine: UnitLine | null = null, layout: TableLayout = tableLayout(t, unit, m)): Content {
  const header = headerBody(
    layout.columns.map((c) => c.path),
    layout.widths,
    m,
  );
  const top = unitLine === null ? [] : [unitLineRow(unitLine, layout.columns.length)];
  const body = [...top, ...header.body, ...bodyRows(t, layout, unit, m)];
  const depth = top.length + header.body.length;
  return {
    table: {
      headerRows: depth,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: [...layout.widths],
      heights: (row: number) => (row < top.length ? "auto" : row < depth ? header.heights[row - top.length]! : "auto"),
      body,
    },
    layout: unitLine === null ? "disclosure" : "disclosureUnitLine",
    fontSize: TABLE.fontSize,
  } as Content;
}
