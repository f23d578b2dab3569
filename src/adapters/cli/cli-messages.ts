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
    zh: "已生成 {file}\n按注释填写后运行：gongkai check {file}",
    en: "wrote {file}\nfill it in following its comments, then run: gongkai check {file}",
  },
  schema_written: { zh: "JSON Schema 已写入 {file}", en: "JSON Schema written to {file}" },
} as const satisfies Record<string, Record<Lang, string>>;

export function t(key: keyof typeof CLI_TEXT, lang: Lang): string {
  return CLI_TEXT[key][lang];
}
