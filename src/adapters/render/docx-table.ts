/**
 * Tables of the Word document as real Word tables: a disclosure table from its printed layout (xlsx-disclosure-
 * layout.ts: the multi-level header with merged cells, repeated on every page; amounts right-aligned; blank stays
 * blank; the empty-table sentence across all columns), and the performance target tables as the print lays them out
 * (the year under the title, the template's header fields as one grid above the indicators, 一级/二级指标 merged
 * down over the rows they group).
 */
import { AlignmentType, BorderStyle, HeightRule, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlignTable, WidthType } from "docx";
import { fieldColumns, mergeDown } from "../../domain/table-header.ts";
import { performanceRows, performanceTexts, type Disclosure, type PerformanceRow } from "../../domain/disclosure-model.ts";
import { fieldGrid, performanceFields, performanceSubtitle, type FieldGrid } from "../../domain/performance-header.ts";
import type { TemplateData } from "../../domain/template-model.ts";
import { columnWidth, textWidth, type TableLayout } from "./xlsx-disclosure-layout.ts";

export type PerformanceTableSpec = TemplateData["performance_tables"][number];

/** Half-points: table text 9 pt, header 9 pt bold. */
const CELL_SIZE = 18;
const LINE = { before: 0, after: 0, line: 240 } as const;
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER } as const;
const MARGINS = { top: 30, bottom: 30, left: 60, right: 60 } as const;

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

function cellParagraph(text: string, align: Align, bold = false): Paragraph {
  return new Paragraph({ alignment: align, spacing: LINE, children: text === "" ? [] : [new TextRun({ text, size: CELL_SIZE, bold })] });
}

function cell(text: string, width: number, opts: { align?: Align; bold?: boolean; columnSpan?: number; rowSpan?: number } = {}): TableCell {
  return new TableCell({
    children: [cellParagraph(text, opts.align ?? AlignmentType.LEFT, opts.bold ?? false)],
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: MARGINS,
    ...(opts.columnSpan !== undefined && opts.columnSpan > 1 ? { columnSpan: opts.columnSpan } : {}),
    ...(opts.rowSpan !== undefined && opts.rowSpan > 1 ? { rowSpan: opts.rowSpan } : {}),
  });
}

/** Column widths in twips, proportional to `weights`, summing to `total`. */
export function scaleWidths(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const out = weights.map((w) => Math.floor((w / sum) * total));
  out[out.length - 1]! += total - out.reduce((a, b) => a + b, 0);
  return out;
}

/** Narrowest a column may be (twips): a code of three digits, an amount of 9 pt digits, on one line. */
const MIN_TWIPS: Partial<Record<string, number>> = { code1: 540, code2: 460, code3: 460, amount: 880 };

/** Raises columns to their minimum, taking the difference from the flexible (text) columns in proportion. */
export function withMinimum(widths: readonly number[], min: readonly number[], flexible: readonly boolean[]): number[] {
  const out = [...widths];
  let need = 0;
  out.forEach((w, k) => {
    const m = min[k] ?? 0;
    if (w < m) {
      need += m - w;
      out[k] = m;
    }
  });
  const pool = out.reduce((a, w, k) => a + (flexible[k] ? w : 0), 0);
  if (need === 0 || pool <= need) return out;
  let taken = 0;
  out.forEach((w, k) => {
    if (!flexible[k]) return;
    const cut = Math.floor((w / pool) * need);
    out[k] = w - cut;
    taken += cut;
  });
  const last = flexible.lastIndexOf(true);
  out[last]! -= need - taken;
  return out;
}

const span = (widths: readonly number[], from: number, n: number) => widths.slice(from, from + n).reduce((a, b) => a + b, 0);

function table(rows: TableRow[], widths: readonly number[]): Table {
  return new Table({
    rows,
    columnWidths: [...widths],
    width: { size: span(widths, 0, widths.length), type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    alignment: AlignmentType.CENTER,
  });
}

/** A disclosure table, `total` twips wide. */
export function disclosureTable(layout: TableLayout, total: number): Table {
  const widths = withMinimum(
    scaleWidths(
      layout.columns.map((c) => columnWidth(c, layout)),
      total,
    ),
    layout.columns.map((c) => MIN_TWIPS[c.role] ?? 0),
    layout.columns.map((c) => c.role === "name" || c.role === "project"),
  );
  const rows: TableRow[] = [];
  for (let level = 0; level < layout.depth; level++) {
    const cells = layout.header
      .filter((h) => h.row === level)
      .sort((a, b) => a.col - b.col)
      .map((h) => cell(h.label, span(widths, h.col, h.colspan), { align: AlignmentType.CENTER, bold: true, columnSpan: h.colspan, rowSpan: h.rowspan }));
    rows.push(new TableRow({ children: cells, tableHeader: true, cantSplit: true }));
  }
  if (layout.emptySentence !== null) {
    rows.push(new TableRow({ children: [cell(layout.emptySentence, total, { columnSpan: widths.length })], cantSplit: true }));
  }
  for (const r of layout.body) {
    const cells = r.cells.map((c, k) => {
      const role = layout.columns[k]!.role;
      const align = c.amount ? AlignmentType.RIGHT : role === "code1" || role === "code2" || role === "code3" ? AlignmentType.CENTER : AlignmentType.LEFT;
      return cell(c.text, widths[k]!, { align, bold: r.strong });
    });
    rows.push(new TableRow({ children: cells, cantSplit: true, height: { value: 300, rule: HeightRule.ATLEAST } }));
  }
  return table(rows, widths);
}

/** The rounding note directly under a disclosure table: 9 pt like the table's text (Disclosure.roundingNotes). */
export function tableNote(text: string): Paragraph {
  return new Paragraph({ spacing: { before: 60, after: 0, line: 240 }, children: [new TextRun({ text, size: CELL_SIZE })] });
}

/** Narrowest performance columns (twips): a comparator, a short value or unit, a weight, on one line. */
const PERF_MIN_TWIPS: Partial<Record<string, number>> = { level1: 980, level2: 1160, comparator: 520, value: 700, unit: 640, weight: 640, last_year: 900 };


/** One indicator table: the column header (repeated on every page), the indicator rows. */
function indicatorTable(columns: readonly { field: string; csv: string }[], rows: readonly PerformanceRow[], total: number, mergeFields: readonly string[]): Table {
  const texts = performanceTexts(columns, rows);
  const body = texts.slice(1);
  const weights = columns.map((c, k) => {
    const longest = Math.max(textWidth(c.csv), ...body.map((r) => textWidth(r[k] ?? "")));
    return Math.min(c.field === "name" ? 30 : c.field === "basis" ? 22 : 14, Math.max(4, longest));
  });
  const widths = withMinimum(
    scaleWidths(weights, total),
    columns.map((c) => PERF_MIN_TWIPS[c.field] ?? 0),
    columns.map((c) => c.field === "name" || c.field === "basis" || c.field === "scoring"),
  );
  const n = widths.length;
  const out: TableRow[] = [];
  out.push(
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: (texts[0] ?? []).map((h, k) => cell(h, widths[k]!, { align: AlignmentType.CENTER, bold: true })),
    }),
  );
  const spans = mergeDown(body, fieldColumns(columns, mergeFields));
  body.forEach((row, r) => {
    const cells: TableCell[] = [];
    row.forEach((text, k) => {
      const s = spans[r]![k]!;
      if (s === 0) return; // continued from above
      const numeric = columns[k]?.field === "weight";
      cells.push(cell(text, widths[k]!, { align: numeric ? AlignmentType.CENTER : AlignmentType.LEFT, rowSpan: s }));
    });
    out.push(new TableRow({ children: cells, cantSplit: true }));
  });
  if (body.length === 0) out.push(new TableRow({ children: [cell("无绩效指标。", total, { columnSpan: n })] }));
  return table(out, widths);
}

/** Twips per unit of `textWidth` at 9 pt (a Chinese character is two units), and a cell's side margins. */
const TWIPS_PER_UNIT = 92;
const CELL_MARGINS = MARGINS.left + MARGINS.right + 20;

/**
 * The header fields above an indicator table (performance-header.ts) as one bordered grid, `total` twips wide: label
 * columns as wide as their labels (within a share of the width), value columns sharing the rest.
 */
function factsTable(grid: FieldGrid, total: number): Table {
  const n = grid.columns;
  const isLabel = Array.from({ length: n }, (_, c) => grid.cells.some((x) => x.col === c && x.kind === "label" && x.colSpan === 1));
  const widths = Array.from({ length: n }, (_, c) =>
    isLabel[c] ? Math.min(total * 0.22, Math.max(400, ...grid.cells.filter((x) => x.col === c && x.colSpan === 1).map((x) => textWidth(x.text) * TWIPS_PER_UNIT + CELL_MARGINS))) : 0,
  ).map(Math.round);
  const values = widths.map((_, c) => c).filter((c) => !isLabel[c]);
  const room = total - widths.reduce((a, b) => a + b, 0);
  values.forEach((c, i) => (widths[c] = i === values.length - 1 ? room - Math.floor(room / values.length) * (values.length - 1) : Math.floor(room / values.length)));
  const rows: TableRow[] = Array.from({ length: grid.rows }, (_, r) =>
    new TableRow({
      cantSplit: true,
      children: grid.cells
        .filter((x) => x.row === r)
        .map((x) =>
          x.kind === "label"
            ? cell(x.text, span(widths, x.col, x.colSpan), { align: AlignmentType.CENTER, bold: true, columnSpan: x.colSpan, rowSpan: x.rowSpan })
            : cell(x.text, span(widths, x.col, x.colSpan), { columnSpan: x.colSpan, rowSpan: x.rowSpan }),
        ),
    }),
  );
  return table(rows, widths);
}

/** A small paragraph between two tables, so that Word keeps them apart. */
const gap = (): Paragraph => new Paragraph({ spacing: { before: 0, after: 0, line: 120 }, children: [] });

/**
 * A performance table spec: the department's table, or one table per public project. `title` renders the title
 * above each table (a heading paragraph of the caller's level); the year prints under it.
 */
export function performanceTables(
  spec: PerformanceTableSpec,
  d: Disclosure,
  total: number,
  title: (text: string, first: boolean) => Paragraph[],
): (Paragraph | Table)[] {
  const sub = performanceSubtitle(spec, d);
  const heading = (first: boolean): Paragraph[] => [
    ...title(spec.title, first),
    ...(sub === null ? [] : [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 0, after: 120 }, keepNext: true, children: [new TextRun({ text: sub, size: 21 })] })]),
  ];
  const facts = (grid: FieldGrid): (Paragraph | Table)[] => (grid.cells.length === 0 ? [] : [factsTable(grid, total), gap()]);
  if (spec.source === "department") {
    const grid = fieldGrid(performanceFields(spec, d, null));
    return [...heading(true), ...facts(grid), indicatorTable(spec.columns, performanceRows(d, "department"), total, spec.merge_down)];
  }
  const cols = spec.columns.filter((c) => c.field !== "project_name");
  const out: (Paragraph | Table)[] = [];
  d.performance.projects.forEach((p, i) => {
    out.push(...heading(i === 0), ...facts(fieldGrid(performanceFields(spec, d, p))), indicatorTable(cols, p.rows, total, spec.merge_down));
  });
  return out;
}
