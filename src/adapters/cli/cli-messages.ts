/** Texts of the command line, in Chinese (default) and English. */
import type { Lang } from "../../app/command-registry.ts";

export const CLI_TEXT = {
  usage_title: { zh: "公开（Gongkai）— 部门预算公开：由预算明细生成、检查并发布公开表格", en: "Gongkai — department budget disclosures: derive, check and publish them from line items" },
  usage: { zh: "用法", en: "usage" },
  command: { zh: "命令", en: "command" },
  commands: { zh: "命令", en: "commands" },
  options: { zh: "选项", en: "options" },
  common_options: { zh: "通用选项", en: "common options" },
  usage_more: { zh: "每个命令的详细说明：gongkai <命令> --help", en: "details of each command: gongkai <command> --help" },
  exit_codes: {
    zh: "退出码：0 无错误；1 有错误级问题（仍输出文件并标为未通过）；2 输入无法使用（不输出任何文件）",
    en: "exit codes: 0 no error; 1 findings of severity error (outputs still written, marked failing); 2 unusable input (nothing written)",
  },
  unknown_command: { zh: "未知命令", en: "unknown command" },
  bad_arguments: { zh: "参数有误", en: "bad arguments" },
  input_unusable: { zh: "输入无法使用，未输出任何文件：", en: "the input cannot be used; nothing was written:" },
  severity_error: { zh: "错误", en: "errors" },
  severity_warning: { zh: "警告", en: "warnings" },
  severity_note: { zh: "提示", en: "notes" },
  built: { zh: "已生成 {n} 个文件，位于 {out}", en: "wrote {n} files to {out}" },
  constructed: { zh: "注意：", en: "note: " },
  open_page: { zh: "在浏览器中打开：", en: "open in a browser: " },
  findings_summary: { zh: "检查结果：错误 {e} 个，警告 {w} 个，提示 {n} 个", en: "findings: {e} errors, {w} warnings, {n} notes" },
  see_check: { zh: "详情见 findings.json，或运行 gongkai check", en: "details in findings.json, or run gongkai check" },
  see_also: { zh: "另见 ", en: "see also " },
  exists: { zh: "{file} 已存在；如要覆盖请加 --force", en: "{file} exists; add --force to overwrite it" },
  not_a_dir: { zh: "{dir} 不是文件夹", en: "{dir} is not a folder" },
  scaffolded: {
    zh: "已生成 {file}\n按注释填写后运行：gongkai check {file}\n不用 YAML 的，也可以改填 Excel 填报工作簿：gongkai workbook --out 填报工作簿.xlsx（填好后可直接 check、build，或 gongkai import 转成 YAML）",
    en: "wrote {file}\nfill it in following its comments, then run: gongkai check {file}\nrather than YAML, a clerk may fill the Excel input workbook: gongkai workbook --out workbook.xlsx (check and build read it as it is; gongkai import turns it into YAML)",
  },
  output_formats: { zh: "输出格式（--format，默认全部）", en: "output formats (--format; all by default)" },
  schema_written: { zh: "JSON Schema 已写入 {file}", en: "JSON Schema written to {file}" },
} as const satisfies Record<string, Record<Lang, string>>;

/** What each output format of `build --format` writes; every format the renderer knows has one (cli-help.test.ts). */
export const FORMAT_TEXT: Readonly<Record<string, Record<Lang, string>>> = {
  csv: { zh: "tables/*.csv：每张表一个 CSV 文件（UTF-8 带 BOM），含两张绩效目标表", en: "tables/*.csv: one CSV file per table (UTF-8 with BOM), the performance tables included" },
  json: {
    zh: "findings.json（检查结果）和 disclosure.json（全部表格、数字和情况说明，见 docs/disclosure-json.md）",
    en: "findings.json (the findings) and disclosure.json (every table, figure and the narrative; docs/disclosure-json.md)",
  },
  html: { zh: "index.html：公开网页，不需要 JavaScript 即可阅读", en: "index.html: the disclosure page, readable without JavaScript" },
  xlsx: { zh: "disclosure.xlsx：公开表格的 Excel 工作簿", en: "disclosure.xlsx: the tables as an Excel workbook" },
  docx: { zh: "disclosure.docx：Word 文档", en: "disclosure.docx: the Word document" },
  datapackage: {
    zh: "datapackage.json 和 data/line-items.csv：开放数据（Fiscal Data Package，预算明细）",
    en: "datapackage.json and data/line-items.csv: open data (a Fiscal Data Package of the line items)",
  },
  pdf: { zh: "disclosure.pdf：供打印和发布的 PDF", en: "disclosure.pdf: the PDF to print and publish" },
};

export function t(key: keyof typeof CLI_TEXT, lang: Lang): string {
  return CLI_TEXT[key][lang];
}
