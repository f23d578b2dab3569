/**
 * The performance target tables (部门整体绩效目标表, 项目支出绩效目标表) as pdfmake content, laid out as the print
 * lays them out: the year under the title, the template's header fields (performance-header.ts) as one bordered grid
 * above the indicator rows;
 * 一级/二级指标 cells merged down over the indicators they group; one table per public project. Classified projects
 * are not in the disclosure's performance data at all; the template's standard sentence says how many are withheld.
 */
import type { Narrative } from "../../domain/narrative-model.ts";
import { projectTableNotes } from "../../domain/performance-notes.ts";
import type { Content, TableCell } from "pdfmake/interfaces.js";
import { fieldColumns, mergeDown } from "../../domain/table-header.ts";
import { performanceRows, performanceTexts, type Disclosure, type PerformanceRow } from "../../domain/disclosure-model.ts";
import { fieldGrid, performanceFields, performanceSubtitle, type FieldCell, type FieldGrid } from "../../domain/performance-header.ts";
import type { TemplateData } from "../../domain/template-model.ts";
import { A4, contentWidth, PAGE_MARGINS, TABLE } from "./pdf-style.ts";
import { LINE_HEIGHT_EM } from "./pdf-table.ts";
import { linesContent, wrapText, type TextMeasure } from "./pdf-lines.ts";

export type PerformanceTableSpec = TemplateData["performance_tables"][number];

/** Fields that hold a word or a number, never prose: they keep their natural width. */
const NARROW = new Set(["level1", "level2", "comparator", "unit", "weight", "last_year"]);

/** A performance table is landscape when it has more columns than a portrait page holds legibly. */
export function performanceOrientation(spec: PerformanceTableSpec): "portrait" | "landscape" {
  return spec.columns.filter((c) => c.field !== "project_name").length > 8 ? "landscape" : "portrait";
}


const pad = TABLE.padLeft + TABLE.padRight;

function indicatorWidths(columns: readonly { field: string; csv: string }[], texts: readonly (readonly string[])[], width: number, m: TextMeasure): number[] {
  const n = columns.length;
  const available = width - n * pad - (n + 1) * TABLE.rule;
  const size = TABLE.fontSize;
  const natural = columns.map((c, k) => {
    const header = Math.min(m.width(c.csv, size, true), size * 4);
    return Math.max(header, ...texts.map((r) => m.width(r[k] ?? "", size, false)));
  });
  const widths = columns.map((c, k) => (NARROW.has(c.field) ? Math.min(Math.max(natural[k]! + 1, size * 2.2), size * 6) : 0));
  const wide = columns.map((c, k) => (NARROW.has(c.field) ? -1 : k)).filter((k) => k >= 0);
  const room = available - widths.reduce((s, w) => s + w, 0);
  // prose columns share the room by the square root of their natural width, so a long column does not starve others
  const weight = wide.map((k) => Math.sqrt(Math.max(natural[k]!, size * 4)));
  const total = weight.reduce((s, w) => s + w, 0);
  wide.forEach((k, i) => (widths[k] = (room * weight[i]!) / total));
  return widths;
}

interface Sized {
  readonly content: Content;
  /** height in points, as laid out */
  readonly height: number;
}

/** Line height of table text, and what a row adds around its content (paddings and one rule). */
const LH = TABLE.fontSize * LINE_HEIGHT_EM;
const ROW_GAP = TABLE.padTop + TABLE.padBottom + TABLE.rule;

/**
 * The indicator rows. Every cell is broken into lines here, so row heights are known: merged (一级/二级) cells and
 * header labels are centred with a top margin (pdfmake's own vertical centring breaks when a table crosses a page),
 * and a merged cell taller than its rows lengthens the last of them.
 */
function indicatorTable(columns: readonly { field: string; csv: string }[], rows: readonly PerformanceRow[], width: number, m: TextMeasure, mergeFields: readonly string[]): Sized {
  const texts = performanceTexts(columns, rows);
  const header = texts[0] ?? [];
  const body = texts.slice(1);
  const merged = fieldColumns(columns, mergeFields);
  const spans = mergeDown(body, merged);
  const widths = indicatorWidths(columns, body, width, m);
  const wrap = (text: string, k: number, bold = false) => wrapText(text, widths[k]!, TABLE.fontSize, m, bold);
  const headLines = header.map((h, k) => wrap(h, k, true));
  const headHeight = Math.max(...headLines.map((l) => l.length)) * LH;
  const head: TableCell[] = headLines.map((l) => {
    const top = (headHeight - l.length * LH) / 2;
    return { ...linesContent(l), style: "th", fillColor: TABLE.headerFill, ...(top > 0.5 ? { margin: [0, top, 0, 0] } : {}) } as TableCell;
  });
  const cellLines = body.map((row) => row.map((text, k) => wrap(text, k)));
  // row heights from the cells that do not span, then merged cells that need more lengthen their last row
  const heights = cellLines.map((row, r) => Math.max(1, ...row.map((l, k) => (spans[r]![k] === 1 ? l.length : 1))) * LH);
  const room = (r: number, span: number) => heights.slice(r, r + span).reduce((a, b) => a + b, 0) + (span - 1) * ROW_GAP;
  body.forEach((row, r) =>
    row.forEach((_t, k) => {
      const span = spans[r]![k]!;
      const short = cellLines[r]![k]!.length * LH - room(r, span);
      if (span > 1 && short > 0) heights[r + span - 1]! += short;
    }),
  );
  const numeric = new Set(["weight", "last_year", "comparator", "unit"]);
  const rowsOut: TableCell[][] = body.map((row, r) =>
    row.map((_text, k): TableCell => {
      const span = spans[r]![k]!;
      if (span === 0) return {};
      const field = columns[k]?.field ?? "";
      const lines = cellLines[r]![k]!;
      const top = merged.includes(k) ? (room(r, span) - lines.length * LH) / 2 : 0;
      return {
        ...linesContent(lines),
        ...(merged.includes(k) || numeric.has(field) ? { alignment: "center" } : {}),
        ...(top > 0.5 ? { margin: [0, top, 0, 0] } : {}),
        ...(span > 1 ? { rowSpan: span } : {}),
      } as TableCell;
    }),
  );
  if (rowsOut.length === 0) rowsOut.push([{ text: "无绩效指标。", colSpan: columns.length } as TableCell, ...columns.slice(1).map((): TableCell => ({}))]);
  const content = {
    table: { headerRows: 1, widths, heights: (r: number) => (r === 0 ? headHeight : (heights[r - 1] ?? "auto")), body: [head, ...rowsOut] },
    layout: "disclosure",
    fontSize: TABLE.fontSize,
  } as Content;
  return { content, height: [headHeight, ...heights].reduce((a, h) => a + h + ROW_GAP, TABLE.rule) };
}

/**
 * The header fields above an indicator table (performance-header.ts) as one bordered grid: label columns as wide as
 * their labels (within a share of the page), value columns sharing the rest; labels centred, vertically by a margin.
 */
function factsTable(grid: FieldGrid, width: number, m: TextMeasure): Sized | null {
  if (grid.cells.length === 0) return null;
  const size = 9;
  const lh = size * LINE_HEIGHT_EM;
  const n = grid.columns;
  const isLabel = Array.from({ length: n }, (_, c) => grid.cells.some((x) => x.col === c && x.kind === "label" && x.colSpan === 1));
  const natural = Array.from({ length: n }, (_, c) =>
    Math.max(size * 2, ...grid.cells.filter((x) => x.col === c && x.colSpan === 1).map((x) => m.width(x.text, size, x.kind === "label") + 1.5)),
  );
  const available = width - n * pad - (n + 1) * TABLE.rule;
  const widths = natural.map((w, c) => (isLabel[c] ? Math.min(w, available * 0.22) : 0));
  // a label spanning several label columns (部门名称（盖章） over 年度预算 / 财政资金 / 上级安排) widens the last of them
  for (const x of grid.cells) {
    if (x.kind !== "label" || x.colSpan === 1) continue;
    const cols = widths.slice(x.col, x.col + x.colSpan);
    const short = Math.min(m.width(x.text, size, true) + 1.5, available * 0.3) - cols.reduce((a, b) => a + b, 0) - (x.colSpan - 1) * (pad + TABLE.rule);
    if (short > 0 && isLabel[x.col + x.colSpan - 1]) widths[x.col + x.colSpan - 1]! += short;
  }
  const values = widths.map((_, c) => c).filter((c) => !isLabel[c]);
  const room = available - widths.reduce((a, b) => a + b, 0);
  for (const c of values) widths[c] = room / values.length;
  const cellWidth = (x: FieldCell) => widths.slice(x.col, x.col + x.colSpan).reduce((a, b) => a + b, 0) + (x.colSpan - 1) * (pad + TABLE.rule);
  const lines = grid.cells.map((x) => wrapText(x.text, cellWidth(x), size, m, x.kind === "label"));
  const heights = Array.from({ length: grid.rows }, (_, r) => Math.max(1, ...grid.cells.map((x, i) => (x.row === r && x.rowSpan === 1 ? lines[i]!.length : 1))) * lh);
  grid.cells.forEach((x, i) => {
    const span = heights.slice(x.row, x.row + x.rowSpan).reduce((a, b) => a + b, 0) + (x.rowSpan - 1) * ROW_GAP;
    const short = lines[i]!.length * lh - span;
    if (short > 0) heights[x.row + x.rowSpan - 1]! += short;
  });
  const body: TableCell[][] = Array.from({ length: grid.rows }, () => Array.from({ length: n }, (): TableCell => ({})));
  grid.cells.forEach((x, i) => {
    const l = lines[i]!;
    const span = heights.slice(x.row, x.row + x.rowSpan).reduce((a, b) => a + b, 0) + (x.rowSpan - 1) * ROW_GAP;
    const top = x.kind === "label" ? (span - l.length * lh) / 2 : 0;
    body[x.row]![x.col] = {
      ...linesContent(l),
      style: x.kind === "label" ? "metaLabel" : "metaValue",
      ...(x.kind === "label" ? { fillColor: TABLE.headerFill } : {}),
      ...(top > 0.5 ? { margin: [0, top, 0, 0] } : {}),
      ...(x.rowSpan > 1 ? { rowSpan: x.rowSpan } : {}),
      ...(x.colSpan > 1 ? { colSpan: x.colSpan } : {}),
    } as TableCell;
  });
  const content = { table: { widths, heights: (r: number) => heights[r] ?? "auto", body }, layout: "disclosure" } as Content;
  return { content, height: heights.reduce((a, h) => a + h + ROW_GAP, TABLE.rule) };
}

/** The year under the table's title (the title itself is the document's heading). */
function subtitle(spec: PerformanceTableSpec, d: Disclosure): Content[] {
  const sub = performanceSubtitle(spec, d);
  return sub === null ? [] : [{ text: sub, style: "metaValue", fontSize: 10.5, alignment: "center", margin: [0, 0, 0, 6] } as Content];
}

/**
 * A table's facts over its indicators, kept on one page when they fit on one (a project's table does not start at
 * the foot of a page and go on over the next).
 */
function block(facts: Sized | null, indicators: Sized, orientation: "portrait" | "landscape", margin: number): Content {
  const page = (orientation === "portrait" ? A4.height : A4.width) - PAGE_MARGINS[1] - PAGE_MARGINS[3] - 60;
  const height = (facts?.height ?? 0) + indicators.height;
  return { stack: [...(facts ? [facts.content] : []), indicators.content], margin: [0, 0, 0, margin], ...(height < page ? { unbreakable: true } : {}) } as Content;
}

export function pdfPerformance(spec: PerformanceTableSpec, d: Disclosure, template: TemplateData, narrative: Narrative | null, m: TextMeasure): Content[] {
  const width = contentWidth(performanceOrientation(spec));
  if (spec.source === "department") {
    const facts = factsTable(fieldGrid(performanceFields(spec, d, null)), width, m);
    return [...subtitle(spec, d), block(facts, indicatorTable(spec.columns, performanceRows(d, "department"), width, m, spec.merge_down), performanceOrientation(spec), 0)];
  }
  const cols = spec.columns.filter((c) => c.field !== "project_name");
  const blocks: Content[] = [...subtitle(spec, d)];
  for (const p of d.performance.projects) {
    const facts = factsTable(fieldGrid(performanceFields(spec, d, p)), width, m);
    blocks.push(block(facts, indicatorTable(cols, p.rows, width, m, spec.merge_down), performanceOrientation(spec), 14));
  }
  for (const note of projectTableNotes(d, template, narrative)) blocks.push({ text: note, style: "paragraph" });
  return blocks;
}
