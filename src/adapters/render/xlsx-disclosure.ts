/**
 * disclosure.xlsx — the disclosure as an Excel workbook for the finance bureau (exceljs; never the npm `xlsx`
 * package). Sheets, in order:
 *
 * - 说明: what the workbook is, the constructed-data note when the input is constructed, generator, template, date,
 *   check summary and the list of sheets;
 * - one sheet per table of the template (表N 标题, trimmed to Excel's 31 characters): the printed title, 编制部门 and
 *   单位 line, the printed multi-level header with its merged cells, amounts as numbers (the printed value: the exact
 *   amount rounded once to the print unit) with `#,##0.00`, blank cells blank, the header rows frozen and repeated on
 *   every printed page, A4 fitted to the page width, landscape for landscape tables;
 * - one sheet per performance table of the template;
 * - 说明中的数字: every figure of the written narrative (a bound value run), with its section, the words around it and
 *   its source;
 * - 检查结果: the findings.
 */
import ExcelJS from "exceljs";
import type { BuildResult } from "../../app/build-disclosure.ts";
import { performanceRows, performanceTexts, type Disclosure } from "../../domain/disclosure-model.ts";
import { formatSteps, toSteps } from "../../domain/money.ts";
import { fieldGrid, performanceFields, performanceSubtitle, type FieldGrid } from "../../domain/performance-header.ts";
import type { Narrative, NarrativeSection, Run } from "../../domain/narrative-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import { fill } from "../../domain/table-engine.ts";
import { disclosureDate } from "../../domain/disclosure-date.ts";
import { GENERATOR } from "./disclosure-json.ts";
import { columnWidth, tableLayout, textWidth, type TableLayout } from "./xlsx-disclosure-layout.ts";
import { withEntryTimes } from "./zip-entry-times.ts";

type Sheet = ExcelJS.Worksheet;
type Style = Partial<ExcelJS.Style>;

const FONT = "宋体";
const TITLE_FONT = "黑体";
const THIN: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FF000000" } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

const S = {
  number: { font: { name: FONT, size: 9 }, alignment: { horizontal: "left", vertical: "middle" } },
  title: { font: { name: TITLE_FONT, size: 16, bold: true }, alignment: { horizontal: "center", vertical: "middle", wrapText: true } },
  meta: { font: { name: FONT, size: 10 }, alignment: { vertical: "middle" } },
  head: {
    font: { name: FONT, size: 10, bold: true },
    alignment: { horizontal: "center", vertical: "middle", wrapText: true },
    border: BOX,
  },
  text: { font: { name: FONT, size: 10 }, alignment: { vertical: "middle", wrapText: true }, border: BOX },
  code: { font: { name: FONT, size: 10 }, alignment: { horizontal: "center", vertical: "middle" }, border: BOX },
  note: { font: { name: FONT, size: 10 }, alignment: { vertical: "top", wrapText: true } },
  tableNote: { font: { name: FONT, size: 9 }, alignment: { horizontal: "left", vertical: "middle", wrapText: true } },
  warn: { font: { name: FONT, size: 11, bold: true, color: { argb: "FFC00000" } }, alignment: { vertical: "top", wrapText: true } },
} satisfies Record<string, Style>;

/** Excel's number format for amounts of the print unit: `#,##0.00` for two decimals. */
export function amountFormat(decimals: number): string {
  return decimals > 0 ? `#,##0.${"0".repeat(decimals)}` : "#,##0";
}

/** A sheet name Excel accepts: no `: \ / ? * [ ]`, at most 31 characters, unique in the workbook. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const clean = [...wanted.replace(/[:\\/?*[\]]/g, "_").trim()];
  let name = clean.slice(0, 31).join("");
  for (let i = 2; taken.has(name); i++) {
    const suffix = `(${i})`;
    name = clean.slice(0, 31 - suffix.length).join("") + suffix;
  }
  taken.add(name);
  return name;
}

function put(ws: Sheet, row: number, col: number, value: ExcelJS.CellValue, style: Style): ExcelJS.Cell {
  const cell = ws.getCell(row, col);
  cell.value = value;
  // a copy: exceljs mutates a cell's style object when one of its parts (font, border …) is set later
  cell.style = { ...style };
  return cell;
}

function pageSetup(ws: Sheet, landscape: boolean, titleRows: string | null): void {
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: landscape ? "landscape" : "portrait",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(titleRows === null ? {} : { printTitlesRow: titleRows }),
  };
  ws.headerFooter = { oddFooter: "&C&9第 &P 页 共 &N 页" };
}

/** A row height (points) that shows `text` wrapped in a column `width` characters wide. */
function wrapHeight(text: string, width: number, line = 14): number {
  const lines = text.split("\n").reduce((n, l) => n + Math.max(1, Math.ceil(textWidth(l) / Math.max(1, width - 1))), 0);
  return Math.max(line + 2, lines * line + 4);
}

/** The printed value of a cell as a number (the text is the exact amount rounded once), or null when blank. */
function printedNumber(text: string): number | null {
  return text === "" ? null : Number(text);
}

/** Title, 编制部门 and unit lines above a table; returns the next free row. */
function caption(ws: Sheet, width: number, number: string, title: string, department: string, unitLabel: string | null): number {
  put(ws, 1, 1, number, S.number);
  ws.mergeCells(2, 1, 2, width);
  put(ws, 2, 1, title, S.title);
  ws.getRow(2).height = 30;
  const right = unitLabel === null || width < 2 ? 0 : width >= 4 ? 2 : 1;
  const dept = unitLabel !== null && right === 0 ? `编制部门：${department}　单位：${unitLabel}` : `编制部门：${department}`;
  if (width - right > 1) ws.mergeCells(3, 1, 3, width - right);
  put(ws, 3, 1, dept, S.meta);
  if (right > 0) {
    if (right > 1) ws.mergeCells(3, width - right + 1, 3, width);
    put(ws, 3, width - right + 1, `单位：${unitLabel}`, { ...S.meta, alignment: { horizontal: "right", vertical: "middle" } });
  }
  return 4;
}

function tableSheet(ws: Sheet, layout: TableLayout, d: Disclosure): void {
  const unit = d.template.printUnit;
  const fmt = amountFormat(unit.decimals);
  const t = layout.table;
  const width = layout.columns.length;
  const top = caption(ws, width, t.number, t.title, ownerName(d), unit.label);
  for (const h of layout.header) {
    const r = top + h.row;
    const c = 1 + h.col;
    if (h.rowspan > 1 || h.colspan > 1) ws.mergeCells(r, c, r + h.rowspan - 1, c + h.colspan - 1);
    put(ws, r, c, h.label, S.head);
    for (let rr = r; rr < r + h.rowspan; rr++) for (let cc = c; cc < c + h.colspan; cc++) ws.getCell(rr, cc).border = BOX;
  }
  const first = top + layout.depth;
  if (layout.emptySentence !== null) {
    ws.mergeCells(first, 1, first, width);
    put(ws, first, 1, layout.emptySentence, { ...S.text, alignment: { vertical: "middle", wrapText: true } });
    for (let c = 2; c <= width; c++) ws.getCell(first, c).border = BOX;
    ws.getRow(first).height = 32;
  }
  layout.body.forEach((row, i) => {
    const r = first + i;
    row.cells.forEach((cell, k) => {
      const col = layout.columns[k]!;
      if (cell.amount) {
        const c = put(ws, r, k + 1, printedNumber(cell.text), { ...S.text, alignment: { horizontal: "right", vertical: "middle" }, numFmt: fmt });
        if (row.strong) c.font = { ...S.text.font, bold: true };
      } else {
        const style = col.role === "code1" || col.role === "code2" || col.role === "code3" ? S.code : S.text;
        const c = put(ws, r, k + 1, cell.text === "" ? null : cell.text, style);
        if (row.strong) c.font = { ...style.font, bold: true };
      }
    });
  });
  const widths = layout.columns.map((c) => columnWidth(c, layout));
  widths.forEach((w, k) => (ws.getColumn(k + 1).width = w));
  // the rounding note, directly under the table's last row, across its width
  const note = d.roundingNotes.get(t.id);
  if (note !== undefined) {
    const r = first + Math.max(layout.body.length, layout.emptySentence === null ? 0 : 1);
    if (width > 1) ws.mergeCells(r, 1, r, width);
    put(ws, r, 1, note, S.tableNote);
    ws.getRow(r).height = wrapHeight(note, widths.reduce((a, b) => a + b, 0), 13);
  }
  // header rows tall enough for their wrapped labels: single-row cells first, then cells spanning several rows
  const heights = Array.from({ length: layout.depth }, () => 20);
  const spanWidth = (col: number, n: number) => widths.slice(col, col + n).reduce((a, b) => a + b, 0);
  for (const h of layout.header.filter((x) => x.rowspan === 1)) heights[h.row] = Math.max(heights[h.row]!, wrapHeight(h.label, spanWidth(h.col, h.colspan)));
  for (const h of layout.header.filter((x) => x.rowspan > 1)) {
    const need = wrapHeight(h.label, spanWidth(h.col, h.colspan));
    const have = heights.slice(h.row, h.row + h.rowspan).reduce((a, b) => a + b, 0);
    if (need > have) heights[h.row + h.rowspan - 1]! += need - have;
  }
  heights.forEach((h, i) => (ws.getRow(top + i).height = h));
  layout.body.forEach((row, i) => {
    const h = Math.max(...row.cells.map((c, k) => (c.amount ? 0 : wrapHeight(c.text, widths[k]!))));
    if (h > 18) ws.getRow(first + i).height = h;
  });
  ws.views = [{ state: "frozen", xSplit: 0, ySplit: first - 1, topLeftCell: `A${first}`, activeCell: `A${first}` }];
  pageSetup(ws, t.orientation === "landscape", `${top}:${first - 1}`);
}

function ownerName(d: Disclosure): string {
  return d.scope.kind === "unit" ? d.scope.name : d.department.name;
}

/**
 * The header fields of a performance table (performance-header.ts) from row `top`, grid column c in sheet column
 * c + 1, the last cell of each line reaching the sheet's `width`; returns the next free row.
 */
function factsRows(ws: Sheet, grid: FieldGrid, top: number, width: number, decimals: number): number {
  const amountStyle: Style = { ...S.text, alignment: { horizontal: "left", vertical: "middle" }, numFmt: amountFormat(decimals) };
  for (const x of grid.cells) {
    const r = top + x.row;
    const c = x.col + 1;
    const last = x.col + x.colSpan === grid.columns ? width : x.col + x.colSpan;
    if (x.rowSpan > 1 || last > c) ws.mergeCells(r, c, r + x.rowSpan - 1, last);
    // an amount is the printed number (its exact total rounded once), formatted like the tables' amounts
    if (x.field?.amount != null) put(ws, r, c, printedNumber(x.text), amountStyle);
    else put(ws, r, c, x.text === "" ? null : x.text, x.kind === "label" ? S.head : S.text);
    for (let rr = r; rr < r + x.rowSpan; rr++) for (let cc = c; cc <= last; cc++) ws.getCell(rr, cc).border = BOX;
    if (x.kind === "value") ws.getRow(r).height = Math.max(ws.getRow(r).height ?? 0, wrapHeight(x.text, 12 * (last - c + 1)));
  }
  return top + grid.rows;
}

/**
 * A performance table: the title and the year, the header fields (the department's, or each public project's in
 * turn), then its indicator rows as the CSV lays them out.
 */
function performanceSheet(ws: Sheet, spec: BuildResult["template"]["data"]["performance_tables"][number], result: BuildResult): void {
  const d = result.disclosure;
  const texts = performanceTexts(spec.columns, performanceRows(d, spec.source));
  const width = spec.columns.length;
  ws.mergeCells(2, 1, 2, width);
  put(ws, 2, 1, spec.title, S.title);
  ws.getRow(2).height = 30;
  const sub = performanceSubtitle(spec, d);
  if (sub !== null) {
    ws.mergeCells(3, 1, 3, width);
    put(ws, 3, 1, sub, { ...S.meta, alignment: { horizontal: "center", vertical: "middle" } });
  }
  let r = 4;
  const grids = spec.source === "department" ? [fieldGrid(performanceFields(spec, d, null))] : d.performance.projects.map((p) => fieldGrid(performanceFields(spec, d, p)));
  for (const grid of grids) r = factsRows(ws, grid, r, width, d.template.printUnit.decimals);
  const headRow = r;
  (texts[0] ?? []).forEach((h, k) => put(ws, headRow, k + 1, h, S.head));
  ws.getRow(headRow).height = 28;
  texts.slice(1).forEach((row, i) => {
    row.forEach((text, k) => {
      const numeric = spec.columns[k]?.field === "weight" && /^\d+(\.\d+)?$/.test(text);
      put(ws, headRow + 1 + i, k + 1, numeric ? Number(text) : text === "" ? null : text, numeric ? { ...S.text, alignment: { horizontal: "right", vertical: "middle" } } : S.text);
    });
  });
  const last = headRow + texts.length - 1;
  // The standard sentence for classified projects whose target tables are withheld.
  const withheld = d.performance.withheld;
  const pattern = result.template.data.sentences["classified_performance"];
  if (spec.source === "projects" && withheld.count > 0 && pattern !== undefined) {
    const amount = formatSteps(toSteps(withheld.amount, d.template.printUnit), d.template.printUnit.decimals);
    ws.mergeCells(last + 2, 1, last + 2, width);
    put(ws, last + 2, 1, fill(pattern, { count: String(withheld.count), amount }), S.note);
  }
  const widths = spec.columns.map((c, k) => {
    const longest = Math.max(textWidth(c.csv), ...texts.slice(1).map((row) => textWidth(row[k] ?? "")));
    return Math.min(c.field === "project_name" || c.field === "name" ? 30 : 18, Math.max(6, longest + 2));
  });
  widths.forEach((w, k) => (ws.getColumn(k + 1).width = w));
  texts.slice(1).forEach((row, i) => {
    ws.getRow(headRow + 1 + i).height = Math.max(...row.map((t, k) => wrapHeight(t, widths[k]!)));
  });
  ws.views = [{ state: "frozen", xSplit: 0, ySplit: headRow, topLeftCell: `A${headRow + 1}`, activeCell: `A${headRow + 1}` }];
  pageSetup(ws, width > 8, `${headRow}:${headRow}`);
}

/** Every bound value run of the narrative, with its part, section, the words around it and its source. */
export interface FigureRun {
  readonly part: string;
  readonly section: string;
  readonly before: string;
  readonly value: string;
  readonly after: string;
  readonly role: string;
  readonly ref: string;
}

export function narrativeFigures(n: Narrative): FigureRun[] {
  const out: FigureRun[] = [];
  const fromRuns = (part: string, section: string, runs: readonly Run[]) => {
    runs.forEach((run, i) => {
      if (run.kind !== "value") return;
      const before = runs
        .slice(0, i)
        .map((x) => x.text)
        .join("");
      const after = runs
        .slice(i + 1)
        .map((x) => x.text)
        .join("");
      out.push({ part, section, before: [...before].slice(-40).join(""), value: run.text, after: [...after].slice(0, 24).join(""), role: run.role, ref: run.ref });
    });
  };
  const walk = (part: string, trail: readonly string[], s: NarrativeSection) => {
    const path = s.title === "" ? trail : [...trail, s.title];
    const section = path.join(" / ");
    for (const b of s.blocks) {
      if (b.kind === "paragraph") fromRuns(part, section, b.runs);
      else if (b.kind === "list") b.items.forEach((item) => fromRuns(part, section, item));
      else if (b.kind === "fields") {
        fromRuns(part, section, b.title);
        for (const f of b.fields) fromRuns(part, section, [{ kind: "text", text: `${f.label}：` }, ...f.value]);
      }
    }
    for (const sub of s.subsections) walk(part, path, sub);
  };
  for (const p of n.parts) for (const s of p.sections) walk(p.title, [], s);
  return out;
}

const ROLE_ZH: Record<string, string> = { amount: "金额", share: "占比", change: "增减额", percent: "增减幅度", count: "数量", area: "面积" };

/** Column widths (characters) of the sheet 说明中的数字: 部分, 章节, 前文, 数值, 后文, 类型, 来源. */
export const FIGURE_COLUMN_WIDTHS = [14, 30, 40, 11, 30, 8, 34] as const;

/**
 * 说明中的数字: one row per figure of the narrative. Every text wraps at the top of its cell and every row is as tall
 * as its longest wrapped text, so that nothing overlaps on screen or on paper (landscape A4, fitted to the page
 * width, the header row repeated).
 */
function figuresSheet(ws: Sheet, n: Narrative): void {
  const head = ["部分", "章节", "前文", "数值", "后文", "类型", "来源"];
  const text: Style = { ...S.text, alignment: { horizontal: "left", vertical: "top", wrapText: true } };
  head.forEach((h, k) => put(ws, 1, k + 1, h, S.head));
  ws.getRow(1).height = 20;
  narrativeFigures(n).forEach((f, i) => {
    const numeric = /^-?\d+(\.\d+)?$/.test(f.value);
    const decimals = f.value.split(".")[1]?.length ?? 0;
    const row = [f.part, f.section, f.before, f.value, f.after, ROLE_ZH[f.role] ?? f.role, f.ref];
    row.forEach((v, k) => put(ws, i + 2, k + 1, k === 3 ? null : v, text));
    put(ws, i + 2, 4, numeric ? Number(f.value) : f.value, numeric ? { ...text, alignment: { horizontal: "right", vertical: "top" }, numFmt: amountFormat(decimals) } : text);
    // one character of room more than the tables take: a wrapped line of 宋体 10 pt fills its cell less evenly
    ws.getRow(i + 2).height = Math.max(...row.map((v, k) => wrapHeight(v, FIGURE_COLUMN_WIDTHS[k]! - 1, 13)));
  });
  FIGURE_COLUMN_WIDTHS.forEach((w, k) => (ws.getColumn(k + 1).width = w));
  ws.views = [{ state: "frozen", xSplit: 0, ySplit: 1, topLeftCell: "A2", activeCell: "A2" }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: head.length } };
  pageSetup(ws, true, "1:1");
}

const SEVERITY_ZH: Record<string, string> = { error: "错误", warning: "警告", note: "提示" };

function findingsSheet(ws: Sheet, findings: readonly Finding[], d: Disclosure): void {
  const head = ["严重程度", "规则编号", "类别", "说明", "位置"];
  head.forEach((h, k) => put(ws, 1, k + 1, h, S.head));
  const where = (f: Finding): string => {
    if (f.field !== null) return f.field;
    return f.cells
      .map((c) => {
        const t = d.tables.find((x) => x.id === c.table);
        const row = t?.rows.find((r) => r.key === c.row);
        const col = t?.columns.find((x) => x.id === c.column);
        return [t?.number ?? c.table, row ? [row.code, row.name].filter((x) => x).join(" ") : c.row, col?.csv ?? c.column].join(" · ");
      })
      .join("；");
  };
  findings.forEach((f, i) => {
    [SEVERITY_ZH[f.severity] ?? f.severity, f.code, f.scope === "printed" ? "表格数字" : "输入", f.message.zh, where(f)].forEach((v, k) =>
      put(ws, i + 2, k + 1, v, S.text),
    );
    ws.getRow(i + 2).height = wrapHeight(f.message.zh, 80);
  });
  if (findings.length === 0) {
    ws.mergeCells(2, 1, 2, head.length);
    put(ws, 2, 1, "没有检查结果。", S.text);
  }
  [10, 22, 10, 80, 40].forEach((w, k) => (ws.getColumn(k + 1).width = w));
  ws.views = [{ state: "frozen", xSplit: 0, ySplit: 1, topLeftCell: "A2", activeCell: "A2" }];
  pageSetup(ws, true, "1:1");
}

function readmeSheet(ws: Sheet, result: BuildResult, findings: readonly Finding[], sheets: readonly [string, string][]): void {
  const d = result.disclosure;
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const title = result.narrative?.title ?? `${ownerName(d)}${d.department.year}年部门预算公开`;
  ws.mergeCells(1, 1, 1, 2);
  put(ws, 1, 1, title, { ...S.title, alignment: { horizontal: "left", vertical: "middle" } });
  ws.getRow(1).height = 30;
  let r = 2;
  if (d.constructed !== null) {
    ws.mergeCells(r, 1, r, 2);
    put(ws, r, 1, `注意：${d.constructed}`, S.warn);
    ws.getRow(r).height = wrapHeight(d.constructed, 124, 16);
    r++;
  }
  const rows: [string, string][] = [
    ["编制部门", d.department.name],
    ["范围", d.scope.kind === "unit" ? `单位预算：${d.scope.name}（${d.scope.unit}）` : "部门预算（含所属单位）"],
    ["预算年度", String(d.department.year)],
    ["公开日期", d.department.date ?? ""],
    ["公开模板", `${d.template.name}（${d.template.id}）`],
    ["科目目录", `${d.catalog.year} 年，${d.catalog.official ? "正式目录" : "本系统的部分目录"}（${d.catalog.source}）`],
    [
      "金额",
      `单位：${d.template.printUnit.label}。每个单元格是精确合计按四舍五入（远离零）舍入一次到 ${formatSteps(1n, d.template.printUnit.decimals)} ${d.template.printUnit.label} 后的数值；精确为零的单元格留空。上级合计可能与各行舍入值之和相差几个 ${formatSteps(1n, d.template.printUnit.decimals)}，这是正确的。`,
    ],
    ["检查结果", `错误 ${count("error")} 个，警告 ${count("warning")} 个，提示 ${count("note")} 个（见“检查结果”工作表）`],
    ["生成程序", GENERATOR],
  ];
  r++;
  for (const [k, v] of rows) {
    put(ws, r, 1, k, { ...S.head, alignment: { horizontal: "left", vertical: "top" } });
    put(ws, r, 2, v, S.text);
    ws.getRow(r).height = wrapHeight(v, 90);
    r++;
  }
  r++;
  put(ws, r, 1, "工作表", { ...S.head, alignment: { horizontal: "left" } });
  put(ws, r, 2, "内容", { ...S.head, alignment: { horizontal: "left" } });
  r++;
  for (const [name, what] of sheets) {
    put(ws, r, 1, name, S.text);
    put(ws, r, 2, what, S.text);
    r++;
  }
  ws.getColumn(1).width = 34;
  ws.getColumn(2).width = 90;
  pageSetup(ws, false, null);
}

/** The workbook's bytes. */
export async function disclosureWorkbook(result: BuildResult, findings: readonly Finding[]): Promise<Uint8Array> {
  const d = result.disclosure;
  const wb = new ExcelJS.Workbook();
  wb.creator = GENERATOR;
  wb.lastModifiedBy = GENERATOR;
  wb.title = result.narrative?.title ?? `${ownerName(d)}${d.department.year}年部门预算公开`;
  wb.subject = d.template.name;
  if (d.constructed !== null) wb.description = d.constructed;
  // the same input gives the same bytes: the document properties and every zip entry carry the disclosure's date
  const at = disclosureDate(d);
  wb.created = at;
  wb.modified = at;
  const taken = new Set<string>();
  const readme = wb.addWorksheet(sheetName("说明", taken));
  const listed: [string, string][] = [];
  for (const t of d.tables) {
    const ws = wb.addWorksheet(sheetName(`${t.number} ${t.title}`, taken));
    tableSheet(ws, tableLayout(t, d.template.printUnit), d);
    listed.push([ws.name, `${t.number} ${t.title}`]);
  }
  for (const spec of result.template.data.performance_tables) {
    const ws = wb.addWorksheet(sheetName(spec.title, taken));
    performanceSheet(ws, spec, result);
    listed.push([ws.name, spec.title]);
  }
  if (result.narrative) {
    const ws = wb.addWorksheet(sheetName("说明中的数字", taken));
    figuresSheet(ws, result.narrative);
    listed.push([ws.name, "情况说明中的每个数字：所在章节、前后文字、数值及其来源（数字编号或表格单元格）"]);
  }
  const fs = wb.addWorksheet(sheetName("检查结果", taken));
  findingsSheet(fs, findings, d);
  listed.push([fs.name, "发布前检查的结果（规则编号、严重程度、说明、位置）"]);
  readmeSheet(readme, result, findings, listed);
  const buf = await wb.xlsx.writeBuffer();
  return withEntryTimes(new Uint8Array(buf as ArrayBuffer), at);
}
