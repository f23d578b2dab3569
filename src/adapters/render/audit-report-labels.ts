/**
 * The words every view of an audit report uses (terminal, HTML, the folder summary and its CSV), in Chinese and
 * English: one catalog, so that the views say the same thing.
 */
import { unreadableMessage } from "../audit/read-document.ts";
import type { AuditPlace, AuditReport, AuditSeverity, DocumentKind, DocumentLevel, NotChecked } from "../../domain/audit/audit-report.ts";

export type Lang = "zh" | "en";
type Text = { readonly zh: string; readonly en: string };

export const AUDIT_TEXT = {
  title: { zh: "审核报告", en: "Audit report" },
  summary_title: { zh: "审核汇总", en: "Audit summary" },
  recognised: { zh: "识别结果", en: "Recognised" },
  department: { zh: "部门", en: "department" },
  year: { zh: "年度", en: "year" },
  kind: { zh: "类型", en: "kind" },
  level: { zh: "层级", en: "level" },
  template: { zh: "模板", en: "template" },
  tables: { zh: "表格", en: "tables" },
  unknown: { zh: "未识别", en: "not recognised" },
  none: { zh: "无", en: "none" },
  no_unit: { zh: "未印单位", en: "no unit printed" },
  counts: { zh: "读取与检查", en: "Read and checked" },
  pages: { zh: "页数", en: "pages" },
  found: { zh: "找到", en: "found" },
  read: { zh: "读取", en: "read" },
  checked: { zh: "检查", en: "checked" },
  failed: { zh: "不符", en: "failed" },
  cells: { zh: "单元格", en: "cells" },
  sentences: { zh: "句子", en: "sentences" },
  claims: { zh: "说明中的数字", en: "claims" },
  relations: { zh: "关系", en: "relations" },
  findings: { zh: "发现的问题", en: "Findings" },
  no_findings: { zh: "未发现问题", en: "no finding" },
  quote: { zh: "原文", en: "quote" },
  expected: { zh: "应为", en: "expected" },
  found_value: { zh: "实为", en: "found" },
  reason: { zh: "原因", en: "reason" },
  see_also: { zh: "另见", en: "see also" },
  not_checked: { zh: "未检查", en: "Not checked" },
  not_checked_none: { zh: "全部已检查", en: "everything read was checked" },
  and_more: { zh: "……另有 {n} 项（--json 或 --html 列出全部）", en: "… and {n} more (--json or --html lists them all)" },
  notes: { zh: "读取说明", en: "Reader's notes" },
  unreadable: { zh: "无法读取，未审核", en: "could not be read; not audited" },
  status_errors: { zh: "有 {n} 个错误级问题", en: "{n} error findings" },
  status_ok: { zh: "未发现错误级问题", en: "no error finding" },
  status_nothing_checked: { zh: "没有检查任何内容（未发现问题不代表没有问题）", en: "nothing was checked (no finding does not mean no error)" },
  status_unreadable: { zh: "无法读取", en: "unreadable" },
  file: { zh: "文件", en: "file" },
  files: { zh: "文件", en: "files" },
  status: { zh: "状态", en: "status" },
  errors: { zh: "错误", en: "errors" },
  warnings: { zh: "警告", en: "warnings" },
  notes_count: { zh: "提示", en: "notes" },
  report: { zh: "报告", en: "report" },
  reader: { zh: "读取方式", en: "reader" },
  place_unknown: { zh: "位置不明", en: "no place" },
  page_image: { zh: "第 {n} 页图像", en: "page {n}, image" },
  page_text: { zh: "第 {n} 页文字", en: "page {n}, text" },
  line_text: { zh: "第 {n} 行附近的文字", en: "the text around line {n}" },
  images_note: {
    zh: "问题旁为所在页的图像（由 pdftoppm 生成，低分辨率）。",
    en: "Beside the findings: the image of their page (made by pdftoppm, low resolution).",
  },
  text_note: {
    zh: "问题旁为所在页读出的文字（本机未安装 pdftoppm，无法生成页面图像）。",
    en: "Beside the findings: the text read from their page (pdftoppm is not installed here, so no page images).",
  },
  text_source_note: { zh: "问题旁为文本文件中该行附近的文字。", en: "Beside the findings: the text around their line in the text file." },
  images_capped: {
    zh: "为控制输出大小，页面图像已达上限（{n} 张），其余各页显示读出的文字。",
    en: "To keep the output small, page images stop at {n}; the other pages show the text read from them.",
  },
  generated_by: { zh: "由 gongkai audit 生成", en: "Made by gongkai audit" },
  fail_closed: {
    zh: "只报告能由读取可靠的内容证明的问题；不能可靠读取的表格、句子和页面列为“未检查”，不作推测。",
    en: "Only what can be proved from what was read with confidence is reported; a table, sentence or page that could not be read with confidence is listed as not checked, never guessed.",
  },
  total: { zh: "合计", en: "total" },
  documents: { zh: "份文件", en: "documents" },
  summary_csv: { zh: "汇总表（CSV）", en: "the summary (CSV)" },
  back_to_summary: { zh: "返回汇总", en: "back to the summary" },
  internal_error: { zh: "审核程序内部错误，此文件未审核", en: "the auditor failed on this file (an internal error); not audited" },
} as const satisfies Record<string, Text>;

export function tr(key: keyof typeof AUDIT_TEXT, lang: Lang, params: Record<string, string | number> = {}): string {
  let s: string = AUDIT_TEXT[key][lang];
  for (const [k, v] of Object.entries(params)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

export const SEVERITY_TEXT: Record<AuditSeverity, Text> = {
  error: { zh: "错误", en: "Errors" },
  warning: { zh: "警告", en: "Warnings" },
  note: { zh: "提示", en: "Notes" },
};

/** one finding's severity, as its badge says */
export const SEVERITY_ONE: Record<AuditSeverity, Text> = {
  error: { zh: "错误", en: "Error" },
  warning: { zh: "警告", en: "Warning" },
  note: { zh: "提示", en: "Note" },
};

export const SEVERITIES: readonly AuditSeverity[] = ["error", "warning", "note"];

export const KIND_TEXT: Record<DocumentKind, Text> = {
  budget: { zh: "预算", en: "budget (预算)" },
  final_accounts: { zh: "决算", en: "final accounts (决算)" },
};

export const LEVEL_TEXT: Record<DocumentLevel, Text> = {
  department: { zh: "部门", en: "department (部门)" },
  unit: { zh: "单位", en: "unit (单位)" },
};

export const WHAT_TEXT: Record<NotChecked["what"], Text> = {
  page: { zh: "页", en: "page" },
  table: { zh: "表格", en: "table" },
  row: { zh: "行", en: "row" },
  cell: { zh: "单元格", en: "cell" },
  sentence: { zh: "句子", en: "sentence" },
  claim: { zh: "数字", en: "claim" },
  file: { zh: "文件", en: "file" },
};

/** `第 3 页` / `page 3`, `第 12 行` / `line 12`, both when both are known; the file first when the place names one. */
export function placeText(p: Pick<AuditPlace, "page" | "line" | "file">, lang: Lang): string {
  const parts: string[] = [];
  if (p.page !== null) parts.push(lang === "zh" ? `第 ${p.page} 页` : `page ${p.page}`);
  if (p.line !== null) parts.push(lang === "zh" ? `第 ${p.line} 行` : `line ${p.line}`);
  const where = parts.join(lang === "zh" ? "" : ", ");
  if (p.file !== undefined) return where === "" ? p.file : `${p.file} ${where}`;
  return where === "" ? tr("place_unknown", lang) : where;
}

/** Why a report has nothing read: the reader's message, or the auditor's own failure. */
export function unreadableText(u: NonNullable<AuditReport["unreadable"]>, lang: Lang): string {
  if (u.reason === "internal-error") {
    const what = tr("internal_error", lang);
    return lang === "zh" ? `${u.file}：${what}（${u.detail}）` : `${u.file}: ${what} (${u.detail})`;
  }
  return unreadableMessage(u.file, { reason: u.reason, detail: u.detail })[lang];
}

/** The counts of a report's findings by severity. */
export function severityCounts(report: AuditReport): Record<AuditSeverity, number> {
  const n = { error: 0, warning: 0, note: 0 };
  for (const f of report.findings) n[f.severity]++;
  return n;
}

/** A one-word state of a report: unreadable, errors, or clean. */
export function statusText(report: AuditReport, lang: Lang): string {
  if (report.exitCode === 2) return tr("status_unreadable", lang);
  const errors = severityCounts(report).error;
  if (errors > 0) return tr("status_errors", lang, { n: errors });
  return nothingChecked(report) ? tr("status_nothing_checked", lang) : tr("status_ok", lang);
}

/** Whether a report checked nothing at all (then "no finding" says nothing of the document). */
export function nothingChecked(report: AuditReport): boolean {
  const c = report.counts;
  return c.tables.checked + c.cells.checked + c.sentences.checked + c.claims.checked + c.relations.checked === 0;
}

/** Findings (or any places) in the order of the document: by file (as the report lists them), page, then line. */
const orderOf = (n: number | null) => (n === null ? Number.POSITIVE_INFINITY : n);

export function inDocumentOrder<T extends Pick<AuditPlace, "page" | "line" | "file">>(items: readonly T[], files: readonly string[]): T[] {
  const fileIndex = (p: T) => (p.file === undefined ? -1 : files.indexOf(p.file));
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => fileIndex(a.item) - fileIndex(b.item) || orderOf(a.item.page) - orderOf(b.item.page) || orderOf(a.item.line) - orderOf(b.item.line) || a.i - b.i)
    .map((x) => x.item);
}
