/**
 * Tables of the Word document as real Word tables: a disclosure table from its printed layout (xlsx-disclosure-
 * layout.ts: the multi-level header with merged cells, repeated on every page; amounts right-aligned; blank stays
 * blank; the empty-table sentence across all columns), and the performance target tables as the print lays them out
 * (the header fields above the indicators, 一级/二级指标 merged down over the rows they group).
 */
import { AlignmentType, BorderStyle, HeightRule, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlignTable, WidthType } from "docx";
import { fieldColumns, mergeDown } from "../../domain/table-header.ts";
import { performanceRows, performanceTexts, type Disclosure, type PerformanceRow } from "../../domain/disclosure-model.ts";
import { formatCell } from "../../domain/money.ts";
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


/** One indicator table: header fields (label | value rows), the column header, the indicator rows. */
function indicatorTable(columns: readonly { field: string; csv: string }[], rows: readonly PerformanceRow[], meta: readonly [string, string][], total: number, mergeFields: readonly string[]): Table {
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
  const labelSpan = Math.min(2, n - 1);
  const out: TableRow[] = meta
    .filter(([, v]) => v !== "")
    .map(
      ([label, value]) =>
        new TableRow({
          cantSplit: true,
          children: [
            cell(label, span(widths, 0, labelSpan), { align: AlignmentType.CENTER, bold: true, columnSpan: labelSpan }),
            cell(value, span(widths, labelSpan, n - labelSpan), { columnSpan: n - labelSpan }),
          ],
        }),
    );
  out.push(
    new TableRow({
      tableHeader: meta.length === 0,
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

/**
 * A performance table spec: the department's table, or one table per public project. `title` renders the title
 * above each table (a heading paragraph of the caller's level).
 */
export function performanceTables(
  spec: PerformanceTableSpec,
  d: Disclosure,
  owner: string,
  total: number,
  title: (text: string, first: boolean) => Paragraph[],
): (Paragraph | Table)[] {
  const unitLabel = d.template.printUnit.label;
  const contact = d.performance.contact ? [["部门联系人", `${d.performance.contact.name}（联系电话：${d.performance.contact.phone}）`] as [string, string]] : [];
  if (spec.source === "department") {
    const meta: [string, string][] = [["部门（单位）名称", owner], ...contact, ["年度绩效目标", d.performance.departmentGoal ?? ""]];
    return [...title(spec.title, true), indicatorTable(spec.columns, performanceRows(d, "department"), meta, total, spec.merge_down)];
  }
  const cols = spec.columns.filter((c) => c.field !== "project_name");
  const out: (Paragraph | Table)[] = [];
  d.performance.projects.forEach((p, i) => {
    const meta: [string, string][] = [
      ["项目名称", p.project],
      ["项目负责人", p.owner ?? ""],
      [`年度预算总额（${unitLabel}）`, formatCell(p.amount, d.template.printUnit)],
      ["项目总体目标", p.goal],
    ];
    out.push(...title(spec.title, i === 0), indicatorTable(cols, p.rows, meta, total, spec.merge_down));
  });
  return out;
}
