/**
 * The input workbook's layout: its sheets, their columns (or, for a form sheet, its rows), what each holds and the
 * lists a cell chooses from. One definition for the reader (`xlsx-budget-reader.ts`) and the writer
 * (`render/input-workbook-writer.ts`), so that what is written is what is read, and the instructions sheet is
 * generated from the same texts.
 *
 * Columns are found by their header in row 1 (not by position), so a clerk may add columns of their own; a form
 * sheet's rows are found by their label in column A. Data starts in row 2. Headers and labels match after NFKC
 * (full-width brackets and digits become half-width) with spaces removed, and with or without their bracketed unit:
 * `金额`, `金额（元）` and `金额(元)` are the same column.
 */
import { CARRYOVER_FUNDS, COMPARATORS, CURRENT_FUNDS, EXPENDITURE_KINDS, UNIT_TYPES, VEHICLE_KINDS } from "../../domain/budget-schema.ts";

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/**
 * How a cell becomes a value of the budget:
 * text — text (a number cell gives its shortest decimal); code — a classification code, digits, optionally followed
 * by its name (`2010301 行政运行`); id — a unit or project code (text); amount — 元, exact, at most two decimals;
 * int / number — a number (a number cell, or digits typed as text); free — text or number, kept as text (an
 * indicator's value); date — text, or a date cell written as YYYY-MM-DD; choice — one of a list, by its label or id.
 */
export type FieldKind = "text" | "code" | "id" | "amount" | "int" | "number" | "free" | "date" | "choice";

export interface Choice {
  /** the value in the budget */
  readonly id: string | boolean;
  /** what the workbook shows and its list offers */
  readonly label: string;
  /** other spellings accepted */
  readonly aliases?: readonly string[];
}

/** Named lists a column's data validation offers (the writer puts them on the hidden sheet 代码表). */
export type ListName = "func" | "econ" | "codeKind" | "fund" | "carryoverFund" | "kind" | "unitType" | "comparator" | "yesNo" | "vehicleGroup" | "vehicleKind" | "template" | "units" | "projects";

export interface FieldSpec {
  /** the key in the budget object (a column), or the path from the budget's root (a form row) */
  readonly key: string;
  /** header or label, with its unit in brackets */
  readonly header: string;
  readonly kind: FieldKind;
  readonly choices?: readonly Choice[];
  readonly list?: ListName;
  readonly required: boolean;
  /** column width in characters (writer) */
  readonly width?: number;
  readonly help: Bilingual;
}

export interface FormRow extends FieldSpec {
  readonly path: readonly string[];
}

export interface TableSheetSpec {
  readonly kind: "table";
  readonly name: string;
  readonly about: Bilingual;
  readonly columns: readonly FieldSpec[];
}

export interface FormSheetSpec {
  readonly kind: "form";
  readonly name: string;
  readonly about: Bilingual;
  readonly rows: readonly FormRow[];
}

export type SheetSpec = TableSheetSpec | FormSheetSpec;

// ---------------------------------------------------------------------------------------------------------------
// Lists

const FUND_LABELS: Record<(typeof CURRENT_FUNDS)[number], { label: string; aliases?: string[] }> = {
  "gpb.own": { label: "一般公共预算（本级一般财力）", aliases: ["一般公共预算", "本级一般财力"] },
  "gpb.transfer": { label: "上级一般公共预算转移支付", aliases: ["上级一般公共预算安排转移支付"] },
  "gf.own": { label: "政府性基金预算（本级）", aliases: ["政府性基金收入", "政府性基金预算"] },
  "gf.transfer": { label: "上级政府性基金转移支付", aliases: ["上级政府性基金安排转移支付"] },
  "sc.own": { label: "国有资本经营预算（本级）", aliases: ["国有资本经营收入", "国有资本经营预算"] },
  "sc.transfer": { label: "上级国有资本经营预算转移支付", aliases: ["上级国有资本经营预算安排转移支付"] },
  special_account: { label: "财政专户管理资金", aliases: ["财政专户"] },
  "unit.business": { label: "单位资金—事业收入", aliases: ["事业收入"] },
  "unit.upper_subsidy": { label: "单位资金—上级补助收入", aliases: ["上级补助收入"] },
  "unit.affiliated": { label: "单位资金—附属单位上缴收入", aliases: ["附属单位上缴收入"] },
  "unit.operating": { label: "单位资金—事业单位经营收入", aliases: ["事业单位经营收入"] },
  "unit.other": { label: "单位资金—其他收入", aliases: ["其他收入"] },
};
export const FUND_CHOICES: readonly Choice[] = CURRENT_FUNDS.map((id) => ({ id, ...FUND_LABELS[id] }));

const CARRYOVER_LABELS: Record<(typeof CARRYOVER_FUNDS)[number], string> = {
  gpb: "财政拨款结转—一般公共预算",
  gf: "财政拨款结转—政府性基金预算",
  sc: "财政拨款结转—国有资本经营预算",
  special_account: "非财政拨款结转结余—财政专户",
  unit: "非财政拨款结转结余—单位资金",
};
export const CARRYOVER_FUND_CHOICES: readonly Choice[] = CARRYOVER_FUNDS.map((id) => ({ id, label: CARRYOVER_LABELS[id] }));

export const KIND_CHOICES: readonly Choice[] = EXPENDITURE_KINDS.map((id) =>
  id === "basic" ? { id, label: "基本支出", aliases: ["基本"] } : { id, label: "项目支出", aliases: ["项目"] },
);
export const UNIT_TYPE_CHOICES: readonly Choice[] = UNIT_TYPES.map((id) => (id === "参公" ? { id, label: id, aliases: ["参照公务员法管理"] } : { id, label: id }));
const COMPARATOR_LABELS: Record<(typeof COMPARATORS)[number], string> = { ">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<", 定性: "定性" };
export const COMPARATOR_CHOICES: readonly Choice[] = COMPARATORS.map((id) => ({ id, label: COMPARATOR_LABELS[id] }));
export const YES_NO_CHOICES: readonly Choice[] = [
  { id: true, label: "是", aliases: ["TRUE", "Y", "1", "涉密"] },
  { id: false, label: "否", aliases: ["FALSE", "N", "0"] },
];
export const VEHICLE_GROUP_CHOICES: readonly Choice[] = [
  { id: "held", label: "现有", aliases: ["现有车辆", "占用"] },
  { id: "planned", label: "拟购置", aliases: ["本年拟购置"] },
];
const VEHICLE_LABELS: Record<(typeof VEHICLE_KINDS)[number], string> = { general: "一般公务用车", law_enforcement: "执法执勤用车", other: "其他车辆" };
export const VEHICLE_KIND_CHOICES: readonly Choice[] = VEHICLE_KINDS.map((id) => ({ id, label: VEHICLE_LABELS[id], aliases: id === "other" ? ["其他用车"] : [] }));

/** The two classifications a code of 科目名称 belongs to (the keys of the budget's `names`). */
export const CODE_KIND_CHOICES: readonly Choice[] = [
  { id: "func", label: "功能分类", aliases: ["功能", "功能科目", "支出功能分类"] },
  { id: "econ", label: "经济分类", aliases: ["经济", "经济科目", "支出经济分类"] },
];

/** In the performance sheets, the department's own targets (部门整体) instead of a project code. */
export const DEPARTMENT_OBJECT = "部门整体";

// ---------------------------------------------------------------------------------------------------------------
// Sheets

export const SHEET = {
  guide: "填表说明",
  department: "部门",
  functions: "职能",
  units: "单位",
  projects: "项目",
  allocation: "资金分配",
  lines: "明细",
  carryover: "结转",
  names: "科目名称",
  prior: "上年数与原因",
  procurement: "采购",
  assets: "资产",
  vehicles: "车辆",
  goals: "绩效目标",
  indicators: "绩效指标",
  lists: "代码表",
} as const;

/** Headers of a form sheet. */
export const FORM_HEADERS = { label: "栏目", value: "内容", help: "说明" } as const;

const amount = (header: string, key: string, required: boolean, help: Bilingual): FieldSpec => ({ key, header, kind: "amount", required, width: 16, help });
const count = (header: string, key: string, required: boolean, help: Bilingual): FieldSpec => ({ key, header, kind: "int", required, width: 12, help });
const row = (path: string, spec: Omit<FieldSpec, "key">): FormRow => ({ ...spec, key: path, path: path.split(".") });

const UNIT_CODE_HELP: Bilingual = { zh: "预算单位编码，须是“单位”表中的编码。", en: "Budget unit code; must be one of the sheet 单位." };
const FUNC_HELP: Bilingual = {
  zh: "支出功能分类科目编码，7 位，到“项”，如 2010301。可从下拉列表选择“编码 名称”，只读取编码；列表中没有的编码也可以直接输入，并在“科目名称”表中写出名称（检查时给出警告）。",
  en: "Functional classification code, 7 digits (item level), e.g. 2010301. Pick “code name” from the list (only the code is read); a code missing from our partial list may be typed and named on the sheet 科目名称 (check warns).",
};
const ECON_HELP: Bilingual = {
  zh: "部门预算支出经济分类科目编码，5 位，到“款”，如 30101。",
  en: "Economic classification code, 5 digits (section level), e.g. 30101.",
};
const KIND_HELP: Bilingual = {
  zh: "基本支出或项目支出。基本支出的人员经费/公用经费由经济科目推出，不用填写。",
  en: "基本支出 (basic) or 项目支出 (project). Personnel vs operating follows from the economic code.",
};
const AMOUNT_HELP: Bilingual = {
  zh: "金额，单位为元，最多两位小数，不能为负数。可填数字或文本（可带千分位、全角数字）；公式的结果必须是这样的金额。空白表示没有这笔钱，不是零。",
  en: "Amount in yuan, at most two decimals, not negative. A number or text (thousands separators and full-width digits are fine); a formula must result in such an amount. Blank means no such money, not zero.",
};

/** The first columns of 明细 and 结转: where a line's money sits (unit, kind, function, economic code). */
const CLASSIFICATION_COLUMNS = [
  { key: "unit", header: "单位编码", kind: "id", list: "units", required: true, width: 12, help: UNIT_CODE_HELP },
  { key: "kind", header: "支出类型", kind: "choice", choices: KIND_CHOICES, list: "kind", required: true, width: 12, help: KIND_HELP },
  { key: "func", header: "功能科目编码", kind: "code", list: "func", required: true, width: 40, help: FUNC_HELP },
  { key: "econ", header: "经济科目编码", kind: "code", list: "econ", required: true, width: 32, help: ECON_HELP },
] as const satisfies readonly FieldSpec[];

export const LAYOUT: readonly SheetSpec[] = [
  {
    kind: "form",
    name: SHEET.department,
    about: {
      zh: "部门基本情况、人员和绩效联系人。每行一个栏目，在“内容”列填写。",
      en: "The department, its staffing and the performance contact; one item per row, filled in the column 内容.",
    },
    rows: [
      row("department.name", { header: "部门名称", kind: "text", required: true, help: { zh: "部门全称。", en: "The department's full name." } }),
      row("department.code", { header: "部门编码", kind: "id", required: true, help: { zh: "部门编码（文本，前导零保留）。", en: "Department code (text; leading zeros kept)." } }),
      row("department.region", { header: "地区", kind: "text", required: true, help: { zh: "如 新疆维吾尔自治区昌吉回族自治州。", en: "Region, e.g. 新疆维吾尔自治区昌吉回族自治州." } }),
      row("department.year", { header: "预算年度", kind: "int", required: true, help: { zh: "4 位年份，如 2024。", en: "Budget year, e.g. 2024." } }),
      row("department.template", {
        header: "公开模板",
        kind: "text",
        list: "template",
        required: true,
        help: { zh: "公开模板编号：新疆 2024 年模板为 xinjiang-2024。", en: "Disclosure template id: xinjiang-2024 for Xinjiang 2024." },
      }),
      row("department.date", { header: "公开日期", kind: "date", required: false, help: { zh: "如 2024-02-23（可不填）。", en: "Publication date, e.g. 2024-02-23 (optional)." } }),
      row("constructed", {
        header: "构造数据说明",
        kind: "text",
        required: false,
        help: {
          zh: "只在明细不是真实账目（构造、示例数据）时填写；每个输出都会注明这句话。",
          en: "Only when the line items are not a real ledger (constructed or sample data); every output carries this sentence.",
        },
      }),
      row("profile.organisation", { header: "机构设置", kind: "text", required: false, help: { zh: "内设机构和下属单位的说明。", en: "Internal organisation and subordinate units." } }),
      row("profile.staffing.authorised", {
        header: "编制数（人）",
        kind: "int",
        required: false,
        help: {
          zh: "编制数、实有人数和本年在职、退休、离休人数要么都填，要么都不填；上年人数可不填。",
          en: "Authorised posts. Fill this, the actual headcount and this year's serving, retired and honourably retired counts together, or none of them; last year's counts are optional.",
        },
      }),
      row("profile.staffing.actual", { header: "实有人数（人）", kind: "int", required: false, help: { zh: "实有人数。", en: "Actual headcount." } }),
      row("profile.staffing.serving.count", { header: "在职人数（人）", kind: "int", required: false, help: { zh: "本年在职人数。", en: "Serving staff this year." } }),
      row("profile.staffing.serving.prior", { header: "上年在职人数（人）", kind: "int", required: false, help: { zh: "上年在职人数（可不填）。", en: "Serving staff last year (optional)." } }),
      row("profile.staffing.retired.count", { header: "退休人数（人）", kind: "int", required: false, help: { zh: "本年退休人数。", en: "Retired staff this year." } }),
      row("profile.staffing.retired.prior", { header: "上年退休人数（人）", kind: "int", required: false, help: { zh: "上年退休人数（可不填）。", en: "Retired staff last year (optional)." } }),
      row("profile.staffing.honourably_retired.count", { header: "离休人数（人）", kind: "int", required: false, help: { zh: "本年离休人数。", en: "Honourably retired staff this year." } }),
      row("profile.staffing.honourably_retired.prior", { header: "上年离休人数（人）", kind: "int", required: false, help: { zh: "上年离休人数（可不填）。", en: "Honourably retired staff last year (optional)." } }),
      row("performance.contact.name", { header: "绩效联系人", kind: "text", required: false, help: { zh: "绩效目标表的部门联系人；与联系电话一起填写。", en: "Contact person of the performance tables; fill together with the phone." } }),
      row("performance.contact.phone", { header: "联系电话", kind: "text", required: false, help: { zh: "如 0994-2350579（文本）。", en: "Phone, e.g. 0994-2350579 (text)." } }),
    ],
  },
  {
    kind: "table",
    name: SHEET.functions,
    about: { zh: "部门主要职能，每行一条，按公开顺序。", en: "The department's main functions, one per row, in the order they are published." },
    columns: [{ key: "text", header: "主要职能", kind: "text", required: true, width: 110, help: { zh: "一条职能。", en: "One function." } }],
  },
  {
    kind: "table",
    name: SHEET.units,
    about: {
      zh: "预算单位（部门本级和下属预算单位），每行一个。表7、表11 中单位分块的顺序就是这里的顺序。",
      en: "Budget units (the department's own and subordinate ones), one per row; their order is the order of the unit blocks in 表7 and 表11.",
    },
    columns: [
      { key: "code", header: "单位编码", kind: "id", required: true, width: 14, help: { zh: "单位编码（文本，如 001），在本工作簿内唯一。", en: "Unit code (text, e.g. 001), unique in the workbook." } },
      { key: "name", header: "单位名称", kind: "text", required: true, width: 40, help: { zh: "单位全称。", en: "The unit's full name." } },
      {
        key: "type",
        header: "单位性质",
        kind: "choice",
        choices: UNIT_TYPE_CHOICES,
        list: "unitType",
        required: true,
        width: 12,
        help: { zh: "行政、参公或事业（决定机关运行经费的范围）。", en: "行政 (administrative), 参公 (civil-service managed) or 事业 (public institution)." },
      },
    ],
  },
  {
    kind: "table",
    name: SHEET.projects,
    about: {
      zh: "项目，每行一个。明细中的项目支出、资金分配和项目绩效目标都用项目编码引用这里的项目。",
      en: "Projects, one per row; project lines, allocations and project targets refer to them by code.",
    },
    columns: [
      { key: "code", header: "项目编码", kind: "id", required: true, width: 14, help: { zh: "项目编码，唯一。", en: "Project code, unique." } },
      { key: "name", header: "项目名称", kind: "text", required: true, width: 30, help: { zh: "项目名称。", en: "Project name." } },
      { key: "unit", header: "承担单位编码", kind: "id", list: "units", required: true, width: 14, help: { zh: "承担项目的单位编码。", en: "Code of the unit that runs the project." } },
      {
        key: "classified",
        header: "是否涉密",
        kind: "choice",
        choices: YES_NO_CHOICES,
        list: "yesNo",
        required: false,
        width: 10,
        help: {
          zh: "涉密项目填“是”：金额照常进入各表，但只显示公开名称，用途、分配和绩效目标都不公开。",
          en: "是 for a classified project: its amounts enter the tables under its public label only; its details are withheld.",
        },
      },
      { key: "public_label", header: "公开名称", kind: "text", required: false, width: 22, help: { zh: "涉密项目的公开名称，如 特定目标 8910002U；涉密项目必填。", en: "Public label of a classified project, e.g. 特定目标 8910002U (required if classified)." } },
      { key: "owner", header: "项目负责人", kind: "text", required: false, width: 12, help: { zh: "项目负责人。", en: "Person in charge." } },
      { key: "basis", header: "政策依据", kind: "text", required: false, width: 30, help: { zh: "设立项目的政策依据。", en: "Policy basis of the project." } },
      { key: "purpose", header: "项目目标和用途", kind: "text", required: false, width: 40, help: { zh: "项目总体目标和资金用途。", en: "Purpose of the project." } },
      { key: "schedule", header: "资金执行时间", kind: "text", required: false, width: 24, help: { zh: "如 2024 年 1 月 1 日至 2024 年 12 月 31 日。", en: "When the money is spent." } },
    ],
  },
  {
    kind: "table",
    name: SHEET.allocation,
    about: {
      zh: "项目资金分配，每行一个事项，按项目编码归属；同一项目的事项合计应等于该项目的预算（规则 I-ALLOCATION）。",
      en: "Project allocations, one item per row, by project code; a project's items should add up to its budget (rule I-ALLOCATION).",
    },
    columns: [
      { key: "project", header: "项目编码", kind: "id", list: "projects", required: true, width: 14, help: { zh: "所属项目的编码。", en: "Code of the project." } },
      { key: "item", header: "分配事项", kind: "text", required: true, width: 50, help: { zh: "资金分配事项。", en: "What the money is allocated to." } },
      amount("金额（元）", "amount", true, AMOUNT_HELP),
    ],
  },
  {
    kind: "table",
    name: SHEET.lines,
    about: {
      zh: "本年预算明细：每行一笔（单位 × 功能科目 × 经济科目 × 资金来源 × 基本/项目 × 金额），是所有表格的唯一来源。",
      en: "Current-year line items, one per row (unit × function × economic code × fund source × basic/project × amount): the single source of every table.",
    },
    columns: [
      ...CLASSIFICATION_COLUMNS,
      {
        key: "fund",
        header: "资金来源",
        kind: "choice",
        choices: FUND_CHOICES,
        list: "fund",
        required: true,
        width: 30,
        help: { zh: "从下拉列表选择资金来源。", en: "Fund source, from the list." },
      },
      amount("金额（元）", "amount", true, AMOUNT_HELP),
      {
        key: "project",
        header: "项目编码",
        kind: "id",
        list: "projects",
        required: false,
        width: 14,
        help: { zh: "项目支出必填，须是“项目”表中的编码；基本支出不填。", en: "Required for a project line (a code of the sheet 项目); empty for a basic line." },
      },
      { key: "note", header: "备注", kind: "text", required: false, width: 36, help: { zh: "备注（不输出到表格）。", en: "Note (not printed)." } },
    ],
  },
  {
    kind: "table",
    name: SHEET.carryover,
    about: {
      zh: "上年结转结余，每行一个结转项目，按输入顺序出现在表11，并计入表1、表2、表3。前六列与“明细”相同。",
      en: "Carry-over from last year, one item per row, printed in this order in 表11; the first six columns are those of 明细.",
    },
    columns: [
      ...CLASSIFICATION_COLUMNS,
      {
        key: "fund",
        header: "结转资金性质",
        kind: "choice",
        choices: CARRYOVER_FUND_CHOICES,
        list: "carryoverFund",
        required: true,
        width: 30,
        help: { zh: "财政拨款结转（一般公共预算、政府性基金、国有资本经营）或非财政拨款结转结余（财政专户、单位资金）。", en: "Appropriated carry-over (by budget) or non-appropriated (special account, unit funds)." },
      },
      amount("金额（元）", "amount", true, AMOUNT_HELP),
      { key: "name", header: "结转项目名称", kind: "text", required: true, width: 36, help: { zh: "表11 中的行名称。", en: "Row name in 表11." } },
      { key: "purpose", header: "主要用途", kind: "text", required: false, width: 36, help: { zh: "结转资金的主要用途。", en: "What it will be spent on." } },
    ],
  },
  {
    kind: "table",
    name: SHEET.names,
    about: {
      zh: "科目目录中没有的科目的名称，每行一个（明细或结转用到而目录中没有的科目，包括其类、款）。这里的名称印在各表格和说明中；没有名称的未知科目是错误（I-CODE-UNNAMED）。目录中已有的科目不用填写，始终使用目录的名称。本表可以没有数据行。",
      en: "Names of codes missing from the catalog, one per row (codes that lines or carry-over use and the catalog lacks, their 类 and 款 included). These names print in the tables and the narrative; an unknown code without a name is an error (I-CODE-UNNAMED). Codes the catalog lists need no row and always keep the catalog's name. The sheet may have no rows.",
    },
    columns: [
      {
        key: "kind",
        header: "分类",
        kind: "choice",
        choices: CODE_KIND_CHOICES,
        list: "codeKind",
        required: true,
        width: 12,
        help: { zh: "功能分类或经济分类。", en: "功能分类 (functional) or 经济分类 (economic)." },
      },
      {
        key: "code",
        header: "科目编码",
        kind: "code",
        required: true,
        width: 14,
        help: {
          zh: "科目编码（文本）：功能分类为类 3 位、款 5 位或项 7 位，经济分类为类 3 位或款 5 位，如 2230202。",
          en: "The code (text): functional 3, 5 or 7 digits (class, section, item), economic 3 or 5 digits (class, section), e.g. 2230202.",
        },
      },
      { key: "name", header: "科目名称", kind: "text", required: true, width: 40, help: { zh: "印在公开文件中的名称。", en: "The name printed in the disclosure." } },
    ],
  },
  {
    kind: "table",
    name: SHEET.prior,
    about: {
      zh: "上年预算数、增减变化原因和主要用途说明，按数字编号（情况说明中的数字）。上年数留空表示未提供，不是零；上年为零请填 0。",
      en: "Prior-year budget figures, reasons for the change and what the money is for, by figure id (the figures of the narrative). A blank prior means not given, not zero; write 0 for zero.",
    },
    columns: [
      {
        key: "id",
        header: "数字编号",
        kind: "text",
        required: true,
        width: 24,
        help: {
          zh: "模板定义的数字编号，如 income.gpb_own、func.2101101（按项）、sangong.reception；清单见 docs/input-format.md。",
          en: "A figure id of the template, e.g. income.gpb_own, func.2101101 (per item), sangong.reception; listed in docs/input-format.md.",
        },
      },
      { key: "name", header: "名称（参考，不读取）", kind: "text", required: false, width: 36, help: { zh: "数字的名称，仅供参考，导入时不读取。", en: "The figure's name, for reference; not read." } },
      amount("上年预算数（元）", "prior", false, { zh: "上年预算数（元）。", en: "Prior-year budget figure (yuan)." }),
      { key: "reason", header: "增减变化原因", kind: "text", required: false, width: 50, help: { zh: "增减变化的主要原因（照录部门原文）。", en: "The main reason for the change." } },
      {
        key: "description",
        header: "主要用途说明",
        kind: "text",
        required: false,
        width: 40,
        help: { zh: "该项资金主要用于什么（情况说明“主要用于……”，如按类 class_appropriated.201）。", en: "What the money is for (the narrative's 主要用于…, e.g. per class class_appropriated.201)." },
      },
    ],
  },
  {
    kind: "form",
    name: SHEET.procurement,
    about: { zh: "政府采购预算（元）。五项要么都填（可填 0），要么都不填。", en: "Government procurement budget (yuan); fill all five (0 allowed) or none." },
    rows: [
      row("procurement.goods", { header: "政府采购货物预算（元）", kind: "amount", required: true, help: { zh: "货物类采购预算。", en: "Goods." } }),
      row("procurement.works", { header: "政府采购工程预算（元）", kind: "amount", required: true, help: { zh: "工程类采购预算。", en: "Works." } }),
      row("procurement.services", { header: "政府采购服务预算（元）", kind: "amount", required: true, help: { zh: "服务类采购预算。", en: "Services." } }),
      row("procurement.sme_reserved", { header: "面向中小企业预留（元）", kind: "amount", required: true, help: { zh: "不得超过三项之和。", en: "Reserved for SMEs; at most the sum of the three." } }),
      row("procurement.small_micro_reserved", { header: "其中面向小微企业预留（元）", kind: "amount", required: true, help: { zh: "不得超过面向中小企业预留。", en: "Of which small and micro enterprises." } }),
    ],
  },
  {
    kind: "form",
    name: SHEET.assets,
    about: {
      zh: "国有资产占用情况（车辆见“车辆”表）。有资产情况时各栏都要填写（可填 0）。",
      en: "State assets held (vehicles: sheet 车辆). When given, fill every row (0 allowed).",
    },
    rows: [
      row("assets.as_of", { header: "截至日期", kind: "date", required: false, help: { zh: "如 2023-12-31。", en: "As of, e.g. 2023-12-31." } }),
      row("assets.buildings.area_m2", { header: "房屋面积（平方米）", kind: "free", required: true, help: { zh: "房屋面积，最多两位小数。", en: "Floor area, m², at most two decimals." } }),
      row("assets.buildings.value", { header: "房屋价值（元）", kind: "amount", required: true, help: { zh: "房屋价值。", en: "Value of the buildings." } }),
      row("assets.furniture", { header: "办公家具价值（元）", kind: "amount", required: true, help: { zh: "办公家具价值。", en: "Office furniture." } }),
      row("assets.other", { header: "其他资产价值（元）", kind: "amount", required: true, help: { zh: "其他资产价值。", en: "Other assets." } }),
      row("assets.large_equipment.over_500k", { header: "单位价值50万元以上大型设备（台）", kind: "int", required: true, help: { zh: "台数。", en: "Large equipment over 500,000 yuan each (count)." } }),
      row("assets.large_equipment.over_1m", { header: "单位价值100万元以上大型设备（台）", kind: "int", required: true, help: { zh: "台数。", en: "Over 1,000,000 yuan each (count)." } }),
      row("assets.planned.large_equipment_over_500k", { header: "本年拟购置50万元以上大型设备（台）", kind: "int", required: false, help: { zh: "不填视为 0。", en: "Planned this year, over 500,000 yuan (blank = 0)." } }),
      row("assets.planned.large_equipment_over_1m", { header: "本年拟购置100万元以上大型设备（台）", kind: "int", required: false, help: { zh: "不填视为 0。", en: "Planned this year, over 1,000,000 yuan (blank = 0)." } }),
    ],
  },
  {
    kind: "table",
    name: SHEET.vehicles,
    about: { zh: "车辆：现有车辆（数量、价值）和本年拟购置车辆（数量、购置金额），每行一类。", en: "Vehicles held (count, value) and planned this year (count, amount), one kind per row." },
    columns: [
      { key: "group", header: "现有或拟购置", kind: "choice", choices: VEHICLE_GROUP_CHOICES, list: "vehicleGroup", required: true, width: 14, help: { zh: "现有或拟购置。", en: "现有 (held) or 拟购置 (planned)." } },
      { key: "kind", header: "车辆类别", kind: "choice", choices: VEHICLE_KIND_CHOICES, list: "vehicleKind", required: true, width: 16, help: { zh: "一般公务用车、执法执勤用车或其他车辆。", en: "General, law enforcement or other." } },
      count("数量（辆）", "count", true, { zh: "车辆数。", en: "Number of vehicles." }),
      amount("价值或购置金额（元）", "value", true, { zh: "现有车辆的价值，或拟购置车辆的购置金额（元）。", en: "Value of those held, or purchase amount of those planned (yuan)." }),
    ],
  },
  {
    kind: "table",
    name: SHEET.goals,
    about: {
      zh: "绩效目标：部门整体（绩效对象填“部门整体”）一行，每个有绩效目标的项目一行。指标见“绩效指标”表。",
      en: "Performance goals: one row for the department (object 部门整体) and one per project with targets; indicators in 绩效指标.",
    },
    columns: [
      { key: "object", header: "绩效对象", kind: "id", required: true, width: 14, help: { zh: "“部门整体”或项目编码。", en: "部门整体 (the department) or a project code." } },
      { key: "owner", header: "项目负责人", kind: "text", required: false, width: 12, help: { zh: "项目负责人（部门整体不填）。", en: "Person in charge (not for 部门整体)." } },
      { key: "goal", header: "绩效目标", kind: "text", required: true, width: 90, help: { zh: "年度绩效目标或项目总体目标。", en: "The annual goal, or the project's overall goal." } },
    ],
  },
  {
    kind: "table",
    name: SHEET.indicators,
    about: {
      zh: "绩效指标，每行一个，按绩效对象归属、按行顺序输出。新疆模板中“预算执行率”占 10 分，列出的指标权重合计应为 90。",
      en: "Performance indicators, one per row, by object, printed in row order. In the Xinjiang template 预算执行率 carries 10 points, so the listed weights add up to 90.",
    },
    columns: [
      { key: "object", header: "绩效对象", kind: "id", required: true, width: 12, help: { zh: "“部门整体”或项目编码（须在“绩效目标”表中有一行）。", en: "部门整体 or a project code (with a row in 绩效目标)." } },
      { key: "level1", header: "一级指标", kind: "text", required: true, width: 12, help: { zh: "如 产出指标。", en: "Level-1 indicator." } },
      { key: "level2", header: "二级指标", kind: "text", required: true, width: 14, help: { zh: "如 数量指标。", en: "Level-2 indicator." } },
      { key: "name", header: "三级指标", kind: "text", required: true, width: 36, help: { zh: "指标名称。", en: "Indicator name." } },
      { key: "comparator", header: "比较", kind: "choice", choices: COMPARATOR_CHOICES, list: "comparator", required: true, width: 8, help: { zh: "≥、≤、=、>、< 或 定性。", en: "≥ ≤ = > < or 定性 (qualitative)." } },
      { key: "value", header: "指标值", kind: "free", required: true, width: 10, help: { zh: "指标值，原样输出。", en: "Target value, printed as written." } },
      { key: "unit", header: "计量单位", kind: "text", required: false, width: 10, help: { zh: "如 次、%、万元。", en: "Unit, e.g. 次, %, 万元." } },
      { key: "weight", header: "分值权重", kind: "number", required: true, width: 10, help: { zh: "0—100。", en: "Weight, 0 to 100." } },
      { key: "basis", header: "指标值设定依据", kind: "text", required: false, width: 20, help: { zh: "设定依据。", en: "Basis." } },
      { key: "scoring", header: "评分规则", kind: "text", required: false, width: 18, help: { zh: "指标赋分规则。", en: "Scoring rule." } },
      { key: "evidence", header: "佐证资料", kind: "text", required: false, width: 14, help: { zh: "佐证资料。", en: "Evidence." } },
      { key: "last_year", header: "上年完成值", kind: "free", required: false, width: 12, help: { zh: "上年完成值（可不填）。", en: "Last year's value (optional)." } },
    ],
  },
];

export function sheetSpec(name: string): SheetSpec {
  const s = LAYOUT.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name} in the layout`);
  return s;
}

export function tableSpec(name: string): TableSheetSpec {
  const s = sheetSpec(name);
  if (s.kind !== "table") throw new Error(`sheet ${name} is not a table`);
  return s;
}

export function formSpec(name: string): FormSheetSpec {
  const s = sheetSpec(name);
  if (s.kind !== "form") throw new Error(`sheet ${name} is not a form`);
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

/** For matching headers, labels and choices: NFKC, no spaces, dashes and brackets unified. */
export function normaliseLabel(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/[—–―－-]/g, "-")
    .replace(/[【［]/g, "[")
    .replace(/[】］]/g, "]");
}

/** A header without its bracketed unit: `金额（元）` → `金额`. */
export function headerBase(s: string): string {
  const n = normaliseLabel(s);
  const i = n.indexOf("(");
  return i > 0 ? n.slice(0, i) : n;
}

/**
 * Whether a header cell names this column: the header as written, or without its unit. A header with another unit
 * (`金额（万元）`) is not this column: reading 万元 as 元 would be a silent error of 10,000 times.
 */
export function headerMatches(cellText: string, header: string): boolean {
  const n = normaliseLabel(cellText);
  return n === normaliseLabel(header) || n === headerBase(header);
}

const CHOICE_KEYS = new WeakMap<readonly Choice[], Map<string, Choice>>();

/** The choice a cell's text names (by label, alias or id, after `normaliseLabel`, any case), or undefined. */
export function findChoice(choices: readonly Choice[], text: string): Choice | undefined {
  let keys = CHOICE_KEYS.get(choices);
  if (keys === undefined) {
    keys = new Map();
    for (const c of choices) for (const k of [c.label, String(c.id), ...(c.aliases ?? [])]) if (!keys.has(normaliseLabel(k).toUpperCase())) keys.set(normaliseLabel(k).toUpperCase(), c);
    CHOICE_KEYS.set(choices, keys);
  }
  return keys.get(normaliseLabel(text).toUpperCase());
}
