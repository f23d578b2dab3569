/**
 * The message catalog for input problems (reading and validating a budget file). Every code has Chinese and English
 * text; Chinese is the default. `{name}` is replaced by the problem's param of that name.
 */
import type { InputProblem } from "./input-problem.ts";
import { closeBidi } from "./text-chars.ts";

export type Lang = "zh" | "en";
export interface CatalogText {
  readonly zh: string;
  readonly en: string;
}

export const INPUT_MESSAGES = {
  // Reading the file
  "input.unreadable": { zh: "无法读取文件（{reason}）", en: "cannot read the file ({reason})" },
  "input.not_a_file": { zh: "不是普通文件", en: "not a regular file" },
  "input.not_a_folder": { zh: "不是文件夹", en: "not a folder" },
  "input.too_large": {
    zh: "文件过大（{size} 字节），上限为 {limit}；请按部门分文件",
    en: "file too large ({size} bytes); the limit is {limit}; use one file per department",
  },
  "input.bad_utf8": {
    zh: "文件不是有效的 UTF-8 文本（首个无效字节在此处）",
    en: "the file is not valid UTF-8 text (first invalid byte here)",
  },
  "input.nul_byte": {
    zh: "文件含有 NUL 字节（0x00），不是文本文件",
    en: "the file contains a NUL byte (0x00); it is not a text file",
  },
  "input.empty": { zh: "文件没有内容", en: "the file is empty" },
  // YAML structure
  "input.yaml_syntax": { zh: "YAML 语法错误：{reason}", en: "YAML syntax error: {reason}" },
  "input.too_deep": { zh: "嵌套层数超过 {limit} 层", en: "nesting deeper than {limit} levels" },
  "input.alias_bomb": {
    zh: "别名（*）展开过多（上限 {limit} 次），疑似资源耗尽攻击",
    en: "too many alias (*) expansions (limit {limit}); this looks like a resource exhaustion attack",
  },
  "input.bad_alias": {
    zh: "别名 *{alias} 之前没有对应的锚点 &{alias}",
    en: "alias *{alias} has no anchor &{alias} before it",
  },
  "input.alias_cycle": {
    zh: "别名 *{alias} 指向包含它自身的节点",
    en: "alias *{alias} refers to a node that contains it",
  },
  "input.multiple_documents": {
    zh: "一个文件只能有一个 YAML 文档（此处出现第二个 ---）",
    en: "a file holds a single YAML document (a second --- here)",
  },
  "input.duplicate_key": { zh: "字段“{key}”重复出现", en: 'key "{key}" appears twice' },
  "input.tag_refused": { zh: "不接受 YAML 标签 {tag}", en: "YAML tag {tag} is not accepted" },
  "input.complex_key": { zh: "键必须是简单文本", en: "a key must be plain text" },
  "input.reserved_key": { zh: "不接受键“{key}”", en: 'key "{key}" is not accepted' },
  "input.flow_comma_number": {
    zh: '在 { … } 中逗号分隔各项，所以 YAML 把 {written} 读成了 {count} 个键：“{key}” 的值为 {read}，其后的 {extra} 成了多余的键。请加引号写作 {key}: "{written}"，或去掉千分位写作 {key}: {plain}',
    en: 'inside { … } a comma separates entries, so YAML read {written} as {count} keys: "{key}" with the value {read}, then {extra} as extra keys. Quote it, {key}: "{written}", or drop the separator, {key}: {plain}',
  },
  "input.more_problems": { zh: "另有 {count} 个问题未列出", en: "and {count} more problems" },
  // Schema
  "field.missing": { zh: "缺少必填字段", en: "required field is missing" },
  "field.wrong_type": { zh: "应为{expected}，得到{got}", en: "expected {expected}, got {got}" },
  "field.unknown": { zh: "未知字段“{key}”（可用字段：{allowed}）", en: 'unknown field "{key}" (fields: {allowed})' },
  "field.bad_value": { zh: "取值“{got}”无效，可选：{allowed}", en: 'invalid value "{got}"; allowed: {allowed}' },
  "field.empty": { zh: "不能为空", en: "must not be empty" },
  "field.too_short": { zh: "至少 {minimum} 个字符", en: "at least {minimum} characters" },
  "field.too_long": { zh: "最多 {maximum} 个字符", en: "at most {maximum} characters" },
  "field.too_small": { zh: "不能小于 {minimum}", en: "must not be less than {minimum}" },
  "field.too_big": { zh: "不能大于 {maximum}", en: "must not be greater than {maximum}" },
  "field.too_few": { zh: "至少需要 {minimum} 项", en: "needs at least {minimum} items" },
  "field.too_many": { zh: "最多 {maximum} 项", en: "at most {maximum} items" },
  "text.refused_char": {
    zh: "文本中第 {index} 个字符 {char} 不能使用（控制字符、非字符或孤立的代理项无法写入任何输出格式）",
    en: "character {index} of the text, {char}, cannot be used (a control character, noncharacter or lone surrogate fits no output format)",
  },
  "field.not_finite": { zh: "“{value}”不是有限的数字", en: '"{value}" is not a finite number' },
  "field.invalid": { zh: "取值无效（{reason}）", en: "invalid value ({reason})" },
  "amount.empty": { zh: "金额为空", en: "the amount is empty" },
  "amount.not_a_number": {
    zh: '金额不是数字（得到 "{value}"）；金额写作 1036750.10 或 1,036,750.10',
    en: 'the amount is not a number (got "{value}"); write 1036750.10 or 1,036,750.10',
  },
  "amount.negative": { zh: '金额不能为负数（得到 "{value}"）', en: 'an amount cannot be negative (got "{value}")' },
  "amount.too_many_decimals": {
    zh: '金额最多两位小数（得到 "{value}"）',
    en: 'an amount has at most two decimals (got "{value}")',
  },
  "amount.too_large": { zh: '金额过大（得到 "{value}"）', en: 'the amount is too large (got "{value}")' },
  "code.bad_shape": {
    zh: '编码应为 {lengths} 位数字（得到 "{value}"）',
    en: 'a code is {lengths} digits (got "{value}")',
  },
  "figure.bad_id": {
    zh: "数字编号“{key}”格式不对（如 income.gpb_own）",
    en: 'figure id "{key}" is malformed (e.g. income.gpb_own)',
  },
  "names.bad_func_code": {
    zh: "names.func 的键“{key}”应为功能分类科目编码：类 3 位、款 5 位或项 7 位数字（如 “2230202”）",
    en: 'key "{key}" of names.func must be a functional code: 3, 5 or 7 digits (class, section, item; e.g. "2230202")',
  },
  "names.bad_econ_code": {
    zh: "names.econ 的键“{key}”应为经济分类科目编码：类 3 位或款 5 位数字（如 “30999”）",
    en: 'key "{key}" of names.econ must be an economic code: 3 or 5 digits (class, section; e.g. "30999")',
  },
  // Building (after reading)
  "build.unknown_template": {
    zh: "没有公开模板“{value}”；可用的模板：{known}",
    en: 'there is no disclosure template "{value}"; available: {known}',
  },
  "build.no_catalog": {
    zh: "没有 {value} 年的分类科目目录{dir}",
    en: "there is no classification catalog for {value} {dir}",
  },
  "build.unknown_unit": { zh: "没有编码为“{value}”的单位；本预算的单位：{known}", en: 'there is no unit "{value}"; the units are: {known}' },
  // Last year's figures (--prior) and the crosswalk of renamed codes (--crosswalk)
  "prior.wrong_year": {
    zh: "上年预算的年度为 {value}，应为 {want}（本年预算的上一年）",
    en: "last year's budget is for {value}; it must be for {want}, the year before this budget",
  },
  "prior.bad_disclosure": {
    zh: "不是 Gongkai 为整个部门生成的 disclosure.json：{reason}",
    en: "not a disclosure.json that Gongkai wrote for a whole department: {reason}",
  },
  "crosswalk.bad_header": {
    zh: "对照表的首行应为 kind,from,to（可另有 note 列），实为：{header}",
    en: "the crosswalk's first line must be kind,from,to (a note column may follow); it is: {header}",
  },
  "crosswalk.bad_kind": { zh: "kind 应为 func（功能分类）或 econ（经济分类），实为“{value}”", en: 'kind must be func or econ, not "{value}"' },
  "crosswalk.bad_code": {
    zh: "编码须为数字且新旧编码位数相同（功能分类 3/5/7 位，经济分类 3/5 位）：{from} → {to}",
    en: "codes must be digits, old and new of the same length (functional 3/5/7, economic 3/5): {from} → {to}",
  },
  "crosswalk.duplicate": { zh: "编码 {from} 在对照表中出现多次", en: "code {from} appears more than once in the crosswalk" },
  "build.bad_template": { zh: "模板文件无法使用：{reason}", en: "the template file cannot be used: {reason}" },
  // Integrity (after the schema)
  "budget.too_many_rows": {
    zh: "{what} 共 {count} 行，超过上限 {limit}（各输出都印出每一行）；请精简或分部门填报",
    en: "{count} rows of {what}, more than the limit of {limit} (every output prints each); shorten them or split the department",
  },
  "budget.total_too_large": { zh: "预算总额超过上限 {limit}", en: "the budget's total exceeds the limit of {limit}" },
  "line.unknown_unit": { zh: "单位编码“{unit}”不在 units 中", en: 'unit code "{unit}" is not among units' },
  "line.project_missing": {
    zh: "项目支出（kind: project）必须填写 project",
    en: "a project line (kind: project) needs a project",
  },
  "line.unknown_project": {
    zh: "项目编码“{project}”不在 projects 中",
    en: 'project code "{project}" is not among projects',
  },
  "line.basic_with_project": {
    zh: "基本支出（kind: basic）不能填写项目（得到“{project}”）",
    en: 'a basic line (kind: basic) cannot name a project (got "{project}")',
  },
  "line.duplicate_summed": {
    zh: "与 {first} 各字段（含金额）完全相同，已合并为一行，金额相加",
    en: "identical in every field (amount included) to {first}; merged into one line, amounts summed",
  },
  "line.duplicate_id": {
    zh: "明细行标识“{id}”重复（已见于 {first}）；每行的 id 须各不相同，删去重复的 id 后编辑器会重新分配",
    en: 'line id "{id}" repeats {first}; every line needs its own id (delete the repeated one and the editor assigns a new one)',
  },
  "unit.duplicate_code": { zh: "单位编码“{code}”重复（已见于 {first}）", en: 'unit code "{code}" repeats {first}' },
  "project.duplicate_code": {
    zh: "项目编码“{code}”重复（已见于 {first}）",
    en: 'project code "{code}" repeats {first}',
  },
  "project.unknown_unit": { zh: "项目承担单位“{unit}”不在 units 中", en: 'owning unit "{unit}" is not among units' },
  "project.classified_without_label": {
    zh: "涉密项目“{project}”必须填写 public_label（如 特定目标 8910002U）",
    en: 'classified project "{project}" needs a public_label (e.g. 特定目标 8910002U)',
  },
  "carryover.unknown_unit": { zh: "单位编码“{unit}”不在 units 中", en: 'unit code "{unit}" is not among units' },
  "performance.unknown_project": {
    zh: "绩效目标所指项目“{project}”不在 projects 中",
    en: 'performance targets for project "{project}", which is not among projects',
  },
  // Reading a workbook (.xlsx): the location is a cell such as 明细!F27
  "xlsx.legacy_xls": {
    zh: "这是 Excel 97—2003 工作簿（.xls）或加了密码的工作簿，无法读取；请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx），不设密码",
    en: "this is an Excel 97-2003 workbook (.xls) or a password-protected one, which cannot be read; in Excel or WPS, Save As an Excel Workbook (.xlsx) without a password",
  },
  "xlsx.ods": {
    zh: "这是 OpenDocument 电子表格（.ods）；请另存为 Excel 工作簿（.xlsx）",
    en: "this is an OpenDocument spreadsheet (.ods); save it as an Excel workbook (.xlsx)",
  },
  "xlsx.not_a_workbook": {
    zh: "不是 Excel 工作簿（.xlsx）：{reason}",
    en: "not an Excel workbook (.xlsx): {reason}",
  },
  "xlsx.not_input_workbook": {
    zh: "这个工作簿不是预算填报工作簿（没有“明细”“单位”等工作表）；请用 gongkai workbook 生成填报工作簿",
    en: "this workbook is not a budget input workbook (no sheets 明细, 单位, …); make one with gongkai workbook",
  },
  "xlsx.corrupt": {
    zh: "工作簿文件已损坏（{reason}）；请在 Excel 或 WPS 中打开后重新保存",
    en: "the workbook file is damaged ({reason}); open it in Excel or WPS and save it again",
  },
  "xlsx.encrypted": {
    zh: "工作簿已加密；请去掉密码后另存为 .xlsx",
    en: "the workbook is encrypted; remove the password and save it as .xlsx",
  },
  "xlsx.too_many_parts": {
    zh: "工作簿包含的部件过多（{count} 个，上限 {limit}）",
    en: "the workbook has too many parts ({count}; the limit is {limit})",
  },
  "xlsx.unzipped_too_large": {
    zh: "工作簿解压后过大（{size} 字节），上限为 {limit}；请按部门分文件",
    en: "the workbook is too large once unzipped ({size} bytes; the limit is {limit}); use one file per department",
  },
  "xlsx.too_many_rows": {
    zh: "工作表“{sheet}”用到了第 {row} 行，超过上限 {limit} 行",
    en: "sheet {sheet} uses row {row}, beyond the limit of {limit} rows",
  },
  "xlsx.too_many_cells": {
    zh: "工作簿中有数据的单元格超过上限 {limit} 个",
    en: "the workbook has more than {limit} cells with data",
  },
  "xlsx.too_many_merges": {
    zh: "工作表“{sheet}”的合并单元格超过上限 {limit} 个",
    en: "sheet {sheet} has more than {limit} merged ranges",
  },
  "xlsx.missing_sheet": {
    zh: "缺少工作表“{sheet}”（可以留空，但不能删除）",
    en: "sheet {sheet} is missing (it may be left empty, not deleted)",
  },
  "xlsx.hidden_sheet": {
    zh: "工作表“{sheet}”已隐藏但有数据；请取消隐藏后再导入",
    en: "sheet {sheet} is hidden but holds data; unhide it before importing",
  },
  "xlsx.missing_column": {
    zh: "缺少“{column}”列（第 1 行应有表头“{column}”）",
    en: "column {column} is missing (row 1 should have the header {column})",
  },
  "xlsx.duplicate_column": {
    zh: "“{column}”列重复出现（已见于 {first}）",
    en: "column {column} appears twice (first at {first})",
  },
  "xlsx.extra_column": {
    zh: "“{column}”列不是本工作簿的列，导入时不读取",
    en: "column {column} is not one of the workbook's columns; it is not read",
  },
  "xlsx.missing_row": {
    zh: "缺少“{label}”一行（A 列应有栏目名“{label}”）",
    en: "the row {label} is missing (column A should hold the label {label})",
  },
  "xlsx.duplicate_row": {
    zh: "“{label}”一行重复出现（已见于 {first}）",
    en: "the row {label} appears twice (first at {first})",
  },
  "xlsx.merged_cells": {
    zh: "数据区域中有合并单元格 {range}；请取消合并，每个单元格只填一个值",
    en: "merged cells {range} inside the data; unmerge them, one value per cell",
  },
  "xlsx.hidden_row": {
    zh: "第 {row} 行已隐藏（或被筛选掉）但有数据；请取消隐藏、清除筛选，或删除该行",
    en: "row {row} is hidden (or filtered out) but holds data; unhide it, clear the filter, or delete the row",
  },
  "xlsx.formula_not_amount": {
    zh: "公式 ={formula} 的结果“{value}”不是金额（不小于 0、最多两位小数的数）；请直接填写金额，或用 ROUND(…, 2)",
    en: 'the formula ={formula} gives "{value}", which is not an amount (a number ≥ 0 with at most two decimals); type the amount, or use ROUND(…, 2)',
  },
  "xlsx.formula_error": {
    zh: "单元格是错误值 {value}（公式 ={formula}）",
    en: "the cell holds the error {value} (formula ={formula})",
  },
  "xlsx.bad_number": {
    zh: "数字单元格的值“{value}”不是十进制数",
    en: 'the number cell holds "{value}", which is not a decimal number',
  },
  "xlsx.cell_error": {
    zh: "单元格是错误值 {value}",
    en: "the cell holds the error {value}",
  },
  "xlsx.formula_no_value": {
    zh: "公式 ={formula} 没有计算结果；请在 Excel 或 WPS 中打开、重新计算并保存后再导入",
    en: "the formula ={formula} has no computed result; open the workbook in Excel or WPS, recalculate and save it",
  },
  "xlsx.bad_choice": {
    zh: "“{got}”不是可选值；可选：{allowed}",
    en: '"{got}" is not one of the choices: {allowed}',
  },
  "xlsx.missing_figure_id": {
    zh: "填写了上年数或原因，但没有数字编号",
    en: "a prior-year figure or reason without its figure id",
  },
  "xlsx.duplicate_figure_id": {
    zh: "数字编号“{key}”重复（已见于 {first}）",
    en: 'figure id "{key}" repeats {first}',
  },
  "xlsx.duplicate_code_name": {
    zh: "科目“{code}”的名称重复填写（已见于 {first}）",
    en: 'code "{code}" is named twice (first at {first})',
  },
  "xlsx.unknown_project": {
    zh: "项目编码“{project}”不在“项目”表中",
    en: 'project code "{project}" is not in the sheet 项目',
  },
  "xlsx.goal_missing": {
    zh: "绩效对象“{object}”在“绩效目标”表中没有目标行",
    en: 'performance object "{object}" has no row in the sheet 绩效目标',
  },
  "xlsx.duplicate_goal": {
    zh: "绩效对象“{object}”的目标行重复（已见于 {first}）",
    en: 'performance object "{object}" has a second goal row (first at {first})',
  },
  "xlsx.department_owner": {
    zh: "部门整体的绩效目标不填项目负责人（联系人填在“部门”表）",
    en: "the department's goal has no person in charge (the contact goes in the sheet 部门)",
  },
} as const satisfies Record<string, CatalogText>;

export type InputMessageCode = keyof typeof INPUT_MESSAGES;

export function isInputMessageCode(code: string): code is InputMessageCode {
  return Object.hasOwn(INPUT_MESSAGES, code);
}

/** Type names used in the `expected` / `got` params of `field.wrong_type`. */
export const TYPE_NAMES = {
  text: { zh: "文本", en: "text" },
  number: { zh: "数字", en: "a number" },
  integer: { zh: "整数", en: "an integer" },
  boolean: { zh: "布尔值（true/false）", en: "true or false" },
  list: { zh: "列表", en: "a list" },
  mapping: { zh: "键值映射", en: "a mapping" },
  null: { zh: "空值", en: "nothing (null)" },
} as const satisfies Record<string, CatalogText>;

const TYPE_PARAMS = new Set(["expected", "got"]);
const MAX_PARAM_CHARS = 100;

function typeName(token: string, lang: Lang): string {
  return token
    .split("|")
    .map((t) => (Object.hasOwn(TYPE_NAMES, t) ? TYPE_NAMES[t as keyof typeof TYPE_NAMES][lang] : t))
    .join(lang === "zh" ? "或" : " or ");
}

/** A param as shown: control characters escaped, long text cut (input is hostile; a message stays one line). */
function showParam(v: string | number): string {
  if (typeof v === "number") return String(v);
  // eslint-disable-next-line no-control-regex
  const s = v.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  // a quoted value's bidi controls end with it, not reverse the rest of the message
  return closeBidi(s.length > MAX_PARAM_CHARS ? `${s.slice(0, MAX_PARAM_CHARS)}…` : s);
}

/** The message text of a problem, without its location. An unknown code shows the code and its params. */
export function inputMessage(p: Pick<InputProblem, "code" | "params">, lang: Lang = "zh"): string {
  const params = p.params ?? {};
  if (!isInputMessageCode(p.code)) {
    const shown = Object.entries(params).map(([k, v]) => `${k}=${showParam(v)}`);
    return shown.length > 0 ? `${p.code} (${shown.join(", ")})` : p.code;
  }
  return INPUT_MESSAGES[p.code][lang].replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (TYPE_PARAMS.has(name) && typeof v === "string") return typeName(v, lang);
    // our own lists (the allowed values) are shown whole; what came from the file is cut
    return name === "allowed" ? String(v) : showParam(v);
  });
}

/**
 * One line per problem: `budget.yaml:27:13 lines[3].amount：金额最多两位小数（得到 "1.005"）`
 * (English: `budget.yaml:27:13 lines[3].amount: an amount has at most two decimals (got "1.005")`); in a workbook
 * the cell replaces line and column: `budget.xlsx:明细!F27 lines[25].amount：…`.
 * A note is marked as such; an error is not.
 */
export function formatInputProblem(p: InputProblem, lang: Lang = "zh"): string {
  let where = p.file;
  if (p.cell !== undefined) where += `:${p.cell}`;
  else if (p.line !== undefined) {
    where += `:${p.line}`;
    if (p.column !== undefined) where += `:${p.column}`;
  }
  if (p.field !== undefined) where += ` ${p.field}`;
  const sep = lang === "zh" ? "：" : ": ";
  const mark = p.severity === "note" ? (lang === "zh" ? "提示：" : "note: ") : "";
  return `${where}${sep}${mark}${inputMessage(p, lang)}`;
}
