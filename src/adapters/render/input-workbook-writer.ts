/**
 * The input workbook a finance clerk fills (`gongkai workbook`): one sheet per part of the budget, laid out by
 * `ingest/xlsx-input-layout.ts` (the reader's own definition), in Chinese, with an instructions sheet first.
 * Optionally filled with an existing budget (`--from`), so that workbook → import → build gives the same tables.
 *
 * - Headers in row 1, frozen; data from row 2; print titles repeat the header; landscape, fit to width.
 * - Code columns are text (`@`), so 001 keeps its zeros when typed; amounts show `#,##0.00`.
 * - Lists (data validation) for codes, fund sources, kinds, units, projects, comparators…, with the error style
 *   "warning": a correct code missing from our partial catalog can still be entered. Their sources are on the hidden
 *   sheet 代码表; a classification code's entry is `2010301 行政运行` (the reader keeps the code).
 * - An amount is written as a number cell when its shortest decimal reads back as exactly the same 分 (always, below
 *   10^13 元), otherwise as text: what is written is what is read, never a rounded float.
 */
import ExcelJS from "exceljs";
import type { Budget } from "../../domain/budget-schema.ts";
import type { Catalog } from "../../domain/catalog-model.ts";
import { formatYuan, parseYuan, type Fen } from "../../domain/money.ts";
import {
  CARRYOVER_FUND_CHOICES,
  CODE_KIND_CHOICES,
  COMPARATOR_CHOICES,
  DEPARTMENT_OBJECT,
  FORM_HEADERS,
  FUND_CHOICES,
  KIND_CHOICES,
  LAYOUT,
  SHEET,
  UNIT_TYPE_CHOICES,
  VEHICLE_GROUP_CHOICES,
  VEHICLE_KIND_CHOICES,
  YES_NO_CHOICES,
  type Choice,
  type FieldSpec,
  type FormSheetSpec,
  type ListName,
  type TableSheetSpec,
} from "../ingest/xlsx-input-layout.ts";

export interface InputWorkbookContent {
  /** the budget to fill it with, or null for an empty workbook */
  readonly budget: Budget | null;
  /** the classification catalog of the year: names of codes, and the code lists */
  readonly catalog: Catalog;
  /** rows of 上年数与原因: the template's figures (those the narrative compares first), with their names (and last year's, from `--prior`) */
  readonly figures: readonly { readonly id: string; readonly name: string; readonly prior?: Fen }[];
  readonly templateIds: readonly string[];
  /** the default of 公开模板 in an empty workbook */
  readonly defaultTemplate: string;
  /** where the budget came from (shown on the instructions sheet) */
  readonly source?: string;
}

type Value = string | number | null;
type Row = Record<string, Value>;
interface DataValidationTarget {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

const FONT = "宋体";
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDE4EE" } };
const SECTION_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF1F4F8" } };
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF8C99A6" } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const AMOUNT_FORMAT = "#,##0.00";
/** Rows below the data that still carry lists and formats, for the clerk to fill. */
const SPARE_ROWS = 500;
const MIN_ROWS = 200;

/** Renders the workbook; resolves to the bytes of an .xlsx file. */
export async function renderInputWorkbook(c: InputWorkbookContent): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Gongkai 公开";
  wb.title = "部门预算公开 填报工作簿";
  wb.created = new Date(Date.UTC(2024, 0, 1));
  wb.modified = wb.created;

  const lists = listValues(c);
  const counts: ListCounts = { units: c.budget?.units.length ?? 0, projects: c.budget?.projects.length ?? 0 };
  guideSheet(wb, c);
  const rows = sheetRows(c);
  for (const spec of LAYOUT) {
    if (spec.kind === "form") formSheet(wb, spec, rows.forms.get(spec.name) ?? new Map(), lists, counts);
    else tableSheet(wb, spec, rows.tables.get(spec.name) ?? [], lists, counts);
  }
  listSheet(wb, lists);
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** An amount cell: a number when it reads back as exactly these 分, else text. */
export function amountCell(fen: Fen): number | string {
  const text = formatYuan(fen);
  const n = Number(text);
  const back = parseYuan(String(n));
  return back.ok && back.fen === fen ? n : text;
}

const money = (f: Fen | undefined): Value => (f === undefined ? null : amountCell(f));
const optText = (s: string | undefined): Value => (s === undefined || s === "" ? null : s);
const labels = (choices: readonly Choice[]): string[] => choices.map((x) => x.label);

const labelOf = (choices: readonly Choice[], id: unknown): string => choices.find((x) => x.id === id)?.label ?? String(id);

/** `2010301 行政运行`: the code with the catalog's name, or the name the budget gives it, or the code alone. */
function codeEntry(catalog: Catalog, names: Budget["names"], kind: "func" | "econ", code: string): string {
  const name = catalog[kind].get(code)?.name ?? (Object.hasOwn(names[kind], code) ? names[kind][code] : undefined);
  return name === undefined ? code : `${code} ${name}`;
}

/** The rows of every sheet, from the budget (empty without one). */
function sheetRows(c: InputWorkbookContent): { forms: Map<string, Map<string, Value>>; tables: Map<string, Row[]> } {
  const forms = new Map<string, Map<string, Value>>();
  const tables = new Map<string, Row[]>();
  const b = c.budget;

  const dept = new Map<string, Value>();
  if (b) {
    const st = b.profile.staffing;
    const put = (k: string, v: Value | undefined) => dept.set(k, v ?? null);
    put("department.name", b.department.name);
    put("department.code", b.department.code);
    put("department.region", b.department.region);
    put("department.year", b.department.year);
    put("department.template", b.department.template);
    put("department.date", optText(b.department.date));
    put("constructed", optText(b.constructed));
    put("profile.organisation", optText(b.profile.organisation));
    put("profile.staffing.authorised", st?.authorised);
    put("profile.staffing.actual", st?.actual);
    for (const who of ["serving", "retired", "honourably_retired"] as const) {
      put(`profile.staffing.${who}.count`, st?.[who].count);
      put(`profile.staffing.${who}.prior`, st?.[who].prior);
    }
    put("performance.contact.name", b.performance.contact?.name);
    put("performance.contact.phone", b.performance.contact?.phone);
  } else dept.set("department.template", c.defaultTemplate);
  forms.set(SHEET.department, dept);

  if (!b) {
    tables.set(
      SHEET.prior,
      c.figures.map((f) => ({ id: f.id, name: f.name, prior: money(f.prior), reason: null, description: null })),
    );
    return { forms, tables };
  }

  tables.set(SHEET.functions, b.profile.functions.map((t) => ({ text: t })));
  tables.set(
    SHEET.units,
    b.units.map((u) => ({ code: u.code, name: u.name, type: labelOf(UNIT_TYPE_CHOICES, u.type) })),
  );
  tables.set(
    SHEET.projects,
    b.projects.map((p) => ({
      code: p.code,
      name: p.name,
      unit: p.unit,
      classified: labelOf(YES_NO_CHOICES, p.classified),
      public_label: optText(p.public_label),
      owner: optText(p.owner),
      basis: optText(p.basis),
      purpose: optText(p.purpose),
      schedule: optText(p.schedule),
    })),
  );
  tables.set(
    SHEET.allocation,
    b.projects.flatMap((p) => p.allocation.map((a) => ({ project: p.code, item: a.item, amount: money(a.amount) }))),
  );
  tables.set(
    SHEET.lines,
    b.lines.map((l) => ({
      unit: l.unit,
      kind: labelOf(KIND_CHOICES, l.kind),
      func: codeEntry(c.catalog, b.names, "func", l.func),
      econ: codeEntry(c.catalog, b.names, "econ", l.econ),
      fund: labelOf(FUND_CHOICES, l.fund),
      amount: money(l.amount),
      project: optText(l.project),
      note: optText(l.note),
    })),
  );
  tables.set(
    SHEET.carryover,
    b.carryover.map((x) => ({
      unit: x.unit,
      kind: labelOf(KIND_CHOICES, x.kind),
      func: codeEntry(c.catalog, b.names, "func", x.func),
      econ: codeEntry(c.catalog, b.names, "econ", x.econ),
      fund: labelOf(CARRYOVER_FUND_CHOICES, x.fund),
      amount: money(x.amount),
      name: x.name,
      purpose: optText(x.purpose),
    })),
  );
  tables.set(SHEET.names, [
    ...Object.entries(b.names.func).map(([code, name]) => ({ kind: labelOf(CODE_KIND_CHOICES, "func"), code, name })),
    ...Object.entries(b.names.econ).map(([code, name]) => ({ kind: labelOf(CODE_KIND_CHOICES, "econ"), code, name })),
  ]);
  // the budget's own figures first, in its order, then the template's other figures, blank
  const names = new Map(c.figures.map((f) => [f.id, f.name]));
  const ids = [...new Set([...Object.keys(b.prior_year), ...Object.keys(b.reasons), ...Object.keys(b.descriptions), ...c.figures.map((f) => f.id)])];
  tables.set(
    SHEET.prior,
    ids.map((id) => ({ id, name: names.get(id) ?? null, prior: money(b.prior_year[id]), reason: optText(b.reasons[id]), description: optText(b.descriptions[id]) })),
  );
  const proc = new Map<string, Value>();
  if (b.procurement) for (const [k, v] of Object.entries(b.procurement)) proc.set(`procurement.${k}`, money(v));
  forms.set(SHEET.procurement, proc);
  const assets = new Map<string, Value>();
  const a = b.assets;
  if (a) {
    assets.set("assets.as_of", optText(a.as_of));
    assets.set("assets.buildings.area_m2", a.buildings.area_m2);
    assets.set("assets.buildings.value", money(a.buildings.value));
    assets.set("assets.furniture", money(a.furniture));
    assets.set("assets.other", money(a.other));
    assets.set("assets.large_equipment.over_500k", a.large_equipment.over_500k);
    assets.set("assets.large_equipment.over_1m", a.large_equipment.over_1m);
    assets.set("assets.planned.large_equipment_over_500k", a.planned.large_equipment_over_500k);
    assets.set("assets.planned.large_equipment_over_1m", a.planned.large_equipment_over_1m);
    tables.set(SHEET.vehicles, [
      ...a.vehicles.map((v) => ({ group: labelOf(VEHICLE_GROUP_CHOICES, "held"), kind: labelOf(VEHICLE_KIND_CHOICES, v.kind), count: v.count, value: money(v.value) })),
      ...a.planned.vehicles.map((v) => ({ group: labelOf(VEHICLE_GROUP_CHOICES, "planned"), kind: labelOf(VEHICLE_KIND_CHOICES, v.kind), count: v.count, value: money(v.amount) })),
    ]);
  }
  forms.set(SHEET.assets, assets);

  const perf = b.performance;
  const goals: Row[] = [];
  const indicators: Row[] = [];
  const addIndicators = (object: string, list: Budget["performance"]["projects"][number]["indicators"]) => {
    for (const i of list) {
      indicators.push({
        object,
        level1: i.level1,
        level2: i.level2,
        name: i.name,
        comparator: labelOf(COMPARATOR_CHOICES, i.comparator),
        value: i.value,
        unit: optText(i.unit),
        weight: i.weight,
        basis: optText(i.basis),
        scoring: optText(i.scoring),
        evidence: optText(i.evidence),
        last_year: optText(i.last_year),
      });
    }
  };
  if (perf.department) {
    goals.push({ object: DEPARTMENT_OBJECT, owner: null, goal: perf.department.goal });
    addIndicators(DEPARTMENT_OBJECT, perf.department.indicators);
  }
  for (const p of perf.projects) {
    goals.push({ object: p.project, owner: optText(p.owner), goal: p.goal });
    addIndicators(p.project, p.indicators);
  }
  tables.set(SHEET.goals, goals);
  tables.set(SHEET.indicators, indicators);
  return { forms, tables };
}

// ---------------------------------------------------------------------------------------------------------------
// Lists (hidden sheet 代码表)

interface ListCounts {
  readonly units: number;
  readonly projects: number;
}

interface ListColumn {
  readonly name: ListName;
  readonly title: string;
  readonly values: readonly string[];
}

function listValues(c: InputWorkbookContent): ListColumn[] {
  const level = (kind: "func" | "econ", l: number) =>
    [...c.catalog[kind].values()]
      .filter((e) => e.level === l && e.fromInput !== true)
      .map((e) => `${e.code} ${e.name}`)
      .sort();
  return [
    { name: "func", title: "功能科目（项）", values: level("func", 3) },
    { name: "econ", title: "经济科目（款）", values: level("econ", 2) },
    { name: "codeKind", title: "科目分类", values: labels(CODE_KIND_CHOICES) },
    { name: "fund", title: "资金来源", values: labels(FUND_CHOICES) },
    { name: "carryoverFund", title: "结转资金性质", values: labels(CARRYOVER_FUND_CHOICES) },
    { name: "kind", title: "支出类型", values: labels(KIND_CHOICES) },
    { name: "unitType", title: "单位性质", values: labels(UNIT_TYPE_CHOICES) },
    { name: "comparator", title: "比较", values: labels(COMPARATOR_CHOICES) },
    { name: "yesNo", title: "是否", values: labels(YES_NO_CHOICES) },
    { name: "vehicleGroup", title: "现有或拟购置", values: labels(VEHICLE_GROUP_CHOICES) },
    { name: "vehicleKind", title: "车辆类别", values: labels(VEHICLE_KIND_CHOICES) },
    { name: "template", title: "公开模板", values: [...c.templateIds] },
  ];
}

function listSheet(wb: ExcelJS.Workbook, lists: readonly ListColumn[]): void {
  const ws = wb.addWorksheet(SHEET.lists, { state: "hidden" });
  lists.forEach((l, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(12, Math.min(40, Math.max(...l.values.map((v) => v.length * 2), l.title.length * 2)));
    col.numFmt = "@";
    ws.getCell(1, i + 1).value = l.title;
    ws.getCell(1, i + 1).font = { name: FONT, bold: true };
    l.values.forEach((v, k) => {
      ws.getCell(k + 2, i + 1).value = v;
    });
  });
}

/** The list formula of a column: a range of 代码表, or the codes of the sheets 单位 and 项目 (with room to add). */
function listFormula(name: ListName, lists: readonly ListColumn[], counts: ListCounts): string | null {
  if (name === "units") return `'${SHEET.units}'!$A$2:$A$${counts.units + 1 + 50}`;
  if (name === "projects") return `'${SHEET.projects}'!$A$2:$A$${counts.projects + 1 + 200}`;
  const i = lists.findIndex((l) => l.name === name);
  const l = lists[i];
  if (l === undefined || l.values.length === 0) return null;
  const col = String.fromCharCode(65 + i);
  return `'${SHEET.lists}'!$${col}$2:$${col}$${l.values.length + 1}`;
}

function addList(ws: ExcelJS.Worksheet, range: string, formula: string, spec: FieldSpec): void {
  (ws as unknown as DataValidationTarget).dataValidations.add(range, {
    type: "list",
    allowBlank: true,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: "warning",
    errorTitle: "不在列表中",
    error: `“${spec.header}”的值不在列表中。如确认无误（例如列表中没有的正确编码），请选“是”继续。`,
    showInputMessage: true,
    promptTitle: spec.header.slice(0, 32),
    prompt: spec.help.zh.slice(0, 255),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Sheets

function numFmtOf(spec: FieldSpec): string | undefined {
  switch (spec.kind) {
    case "amount":
      return AMOUNT_FORMAT;
    case "int":
      return "0";
    case "number":
      return "General";
    default:
      return "@";
  }
}

/** Display width of text in column-width units: a CJK or full-width character is a little under two digits wide. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 1.8 : 1;
  return w;
}

/**
 * Neither Excel nor LibreOffice fits a row to wrapped text when opening a file, so the writer sets the height:
 * the most lines any wrapped cell of the row needs, at `linePt` points a line.
 */
function fitRow(row: ExcelJS.Row, cells: readonly { text: string; width: number }[], linePt = 14.5): void {
  let lines = 1;
  for (const c of cells) {
    const per = Math.max(4, c.width - 1.5);
    const n = c.text.split("\n").reduce((s, part) => s + Math.max(1, Math.ceil(displayWidth(part) / per)), 0);
    if (n > lines) lines = n;
  }
  if (lines > 1) row.height = Math.min(409, lines * linePt + 3);
}

function headerCell(cell: ExcelJS.Cell, text: string): void {
  cell.value = text;
  cell.font = { name: FONT, bold: true, size: 11 };
  cell.fill = HEADER_FILL;
  cell.border = BOX;
  cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
}

function pageSetup(ws: ExcelJS.Worksheet, landscape: boolean): void {
  ws.pageSetup = {
    paperSize: 9,
    orientation: landscape ? "landscape" : "portrait",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: "1:1",
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddFooter: "&L&A&R第 &P 页，共 &N 页" };
}

/** Long free text wraps; codes, names of list entries and amounts stay on one line. */
const wraps = (c: FieldSpec): boolean => c.kind === "text" && (c.width ?? 0) >= 30;

function tableSheet(wb: ExcelJS.Workbook, spec: TableSheetSpec, rows: readonly Row[], lists: readonly ListColumn[], counts: ListCounts): void {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  const width = spec.columns.reduce((s, c) => s + (c.width ?? 14), 0);
  pageSetup(ws, width > 90);
  spec.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? 14;
    const fmt = numFmtOf(c);
    col.style = { font: { name: FONT, size: 11 }, alignment: { vertical: "top", wrapText: wraps(c) }, ...(fmt ? { numFmt: fmt } : {}) };
    headerCell(ws.getCell(1, i + 1), c.header);
  });
  ws.getRow(1).height = 30;
  const wrapped = spec.columns.flatMap((c, i) => (wraps(c) ? [{ key: c.key, col: i + 1, width: c.width ?? 14 }] : []));
  rows.forEach((r, k) => {
    const row = ws.getRow(k + 2);
    spec.columns.forEach((c, i) => {
      const v = r[c.key];
      const cell = row.getCell(i + 1);
      if (v !== undefined && v !== null) cell.value = v;
      cell.border = BOX;
    });
    fitRow(
      row,
      wrapped.map((w) => ({ text: String(r[w.key] ?? ""), width: w.width })),
    );
  });
  const extent = Math.max(rows.length + 1 + SPARE_ROWS, MIN_ROWS);
  spec.columns.forEach((c, i) => {
    if (c.list === undefined) return;
    const formula = listFormula(c.list, lists, counts);
    const letter = String.fromCharCode(65 + i);
    if (formula) addList(ws, `${letter}2:${letter}${extent}`, formula, c);
  });
}

function formSheet(wb: ExcelJS.Workbook, spec: FormSheetSpec, values: ReadonlyMap<string, Value>, lists: readonly ListColumn[], counts: ListCounts): void {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  pageSetup(ws, false);
  const widths = [36, 44, 60];
  [FORM_HEADERS.label, FORM_HEADERS.value, FORM_HEADERS.help].forEach((h, i) => {
    ws.getColumn(i + 1).width = widths[i] ?? 20;
    ws.getColumn(i + 1).style = { font: { name: FONT, size: 11 }, alignment: { vertical: "top", wrapText: true } };
    headerCell(ws.getCell(1, i + 1), h);
  });
  ws.getRow(1).height = 24;
  spec.rows.forEach((r, k) => {
    const n = k + 2;
    const label = ws.getCell(n, 1);
    label.value = r.header;
    label.font = { name: FONT, size: 11, bold: r.required };
    label.fill = SECTION_FILL;
    label.border = BOX;
    const value = ws.getCell(n, 2);
    const fmt = numFmtOf(r);
    if (fmt) value.numFmt = fmt;
    value.border = BOX;
    value.alignment = { vertical: "top", wrapText: r.kind === "text", horizontal: r.kind === "amount" || r.kind === "int" ? "right" : "left" };
    const v = values.get(r.key);
    if (v !== undefined && v !== null) value.value = v;
    const help = ws.getCell(n, 3);
    help.value = r.help.zh;
    help.font = { name: FONT, size: 10, color: { argb: "FF555555" } };
    help.border = BOX;
    fitRow(ws.getRow(n), [
      { text: r.kind === "text" && typeof v === "string" ? v : "", width: widths[1] ?? 44 },
      { text: r.help.zh, width: widths[2] ?? 60 },
    ]);
    if (r.list) {
      const formula = listFormula(r.list, lists, counts);
      if (formula) addList(ws, `B${n}`, formula, r);
    }
  });
}

function guideSheet(wb: ExcelJS.Workbook, c: InputWorkbookContent): void {
  const ws = wb.addWorksheet(SHEET.guide, { views: [{ state: "frozen", ySplit: 3, xSplit: 0 }] });
  pageSetup(ws, true);
  ws.pageSetup.printTitlesRow = "3:3";
  const widths = [24, 66, 66];
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
    ws.getColumn(i + 1).style = { font: { name: FONT, size: 10.5 }, alignment: { vertical: "top", wrapText: true } };
  });
  ws.mergeCells("A1:C1");
  const title = ws.getCell("A1");
  title.value = "部门预算公开 填报工作簿 · 填表说明";
  title.font = { name: FONT, size: 16, bold: true };
  title.alignment = { horizontal: "center", vertical: "middle" };
  ws.getRow(1).height = 32;
  ws.mergeCells("A2:C2");
  const sub = ws.getCell("A2");
  const who = c.budget ? `${c.budget.department.name} ${c.budget.department.year} 年` : "空白工作簿";
  sub.value = `${who}${c.source ? `（由 ${c.source} 生成）` : ""} · Gongkai input workbook: instructions`;
  sub.font = { name: FONT, size: 10.5, color: { argb: "FF555555" } };
  sub.alignment = { horizontal: "center" };
  ["工作表 / 列", "填写说明", "Instructions (English)"].forEach((h, i) => headerCell(ws.getCell(3, i + 1), h));
  let n = 4;
  const line = (a: string, zh: string, en: string, style: "section" | "rule" | "column" = "column") => {
    const r = ws.getRow(n++);
    fitRow(
      r,
      [a, zh, en].map((text, i) => ({ text, width: widths[i] ?? 60 })),
      13.5,
    );
    r.getCell(1).value = a;
    r.getCell(2).value = zh;
    r.getCell(3).value = en;
    for (let i = 1; i <= 3; i++) {
      const cell = r.getCell(i);
      cell.border = BOX;
      if (style === "section") {
        cell.fill = HEADER_FILL;
        cell.font = { name: FONT, size: 11, bold: true };
      }
    }
  };
  if (c.budget?.constructed) line("注意 / Note", `本工作簿的数据为构造数据：${c.budget.constructed}`, "The data in this workbook are constructed (see the Chinese note); every output built from it says so.", "section");
  line("一、通用规则", "", "General rules", "section");
  const rules: [string, string][] = [
    [
      "金额单位为元，最多两位小数，不能为负数。可以填数字，也可以填文本（可带千分位、全角数字、前后空格）；公式的结果也必须是这样的金额，否则导入时报错。",
      "Amounts are in yuan, at most two decimals, never negative; a number or text (thousands separators, full-width digits and spaces are fine). A formula must result in such an amount.",
    ],
    ["空白表示“没有这笔钱”，不是零；确实为零请填 0。", "Blank means “no such money”, not zero; write 0 for zero."],
    [
      "编码是文本：单位、项目、科目编码列已设为文本格式，前导零（如 001）不会丢失。科目可以从下拉列表选择“编码 名称”，导入时只读取编码。",
      "Codes are text: the code columns are formatted as text so 001 keeps its zeros. Pick a classification code as “code name” from the list; only the code is read.",
    ],
    [
      "下拉列表只是提示：本系统的科目目录不完整，列表中没有的正确编码可以直接输入（出现警告时选“是”），并在“科目名称”表中写出它的名称。检查时对照目录：有名称的未知编码给出警告（加载正式目录 --catalog 后为错误）；没有名称的未知编码是错误，因为公开文件中没有名称可印。",
      "Lists only advise: our catalog is partial, so a correct code missing from the list may be typed (answer “Yes” to the warning) and named on the sheet 科目名称. Checking warns about a named unknown code (an error against an official catalog, --catalog); an unknown code without a name is an error, as the disclosure would have no name to print.",
    ],
    [
      "第 1 行是表头，从第 2 行起每行一条，空行会跳过。不要删除或改名工作表和表头；可以在右侧增加自己的列（导入时不读取，并给出提示）。",
      "Row 1 holds the headers; one record per row from row 2; blank rows are skipped. Do not delete or rename sheets or headers; columns of your own on the right are allowed (not read, with a note).",
    ],
    [
      "数据区域不要合并单元格；不要隐藏有数据的行（含筛选后被隐藏的行）：这些都会被拒绝，并指出单元格。",
      "No merged cells in the data, and no hidden rows holding data (filtered-out rows included): both are refused, naming the cell.",
    ],
    [
      "保存为 Excel 工作簿（.xlsx）；Excel、WPS、LibreOffice 都可以。不要保存为 .xls、.et 或 .ods，不要设置密码。",
      "Save as an Excel workbook (.xlsx) from Excel, WPS or LibreOffice; not .xls, .et or .ods, and without a password.",
    ],
    [
      "填好后：gongkai check 工作簿.xlsx 检查；gongkai build 工作簿.xlsx --out 文件夹 生成公开表格；gongkai import 工作簿.xlsx --out budget.yaml 转为 YAML。问题会指出工作表和单元格，如 明细!F27。",
      "Then: gongkai check book.xlsx to check; gongkai build book.xlsx --out folder to build the tables; gongkai import book.xlsx --out budget.yaml to convert to YAML. Problems name the sheet and cell, e.g. 明细!F27.",
    ],
  ];
  rules.forEach(([zh, en], i) => line(`${i + 1}`, zh, en, "rule"));
  const numerals = ["二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六"];
  LAYOUT.forEach((spec, i) => {
    line(`${numerals[i] ?? i + 2}、${spec.name}`, spec.about.zh, spec.about.en, "section");
    if (spec.kind === "table") {
      spec.columns.forEach((col, k) => line(`  ${String.fromCharCode(65 + k)} 列 ${col.header}${col.required ? "（必填）" : ""}`, col.help.zh, col.help.en));
    } else {
      line(`  ${FORM_HEADERS.label} / ${FORM_HEADERS.value}`, "A 列是栏目名，在 B 列“内容”填写，C 列是说明。", "Column A names the item; fill column B (内容); column C explains.");
      spec.rows.forEach((r) => line(`  ${r.header}${r.required ? "（必填）" : ""}`, r.help.zh, r.help.en));
    }
  });
  line(`${numerals[LAYOUT.length] ?? ""}、${SHEET.lists}（隐藏）`, "下拉列表的来源（科目目录等），导入时不读取。", "Sources of the lists (catalog codes, …); hidden, not read.", "section");
}
