/**
 * The summary of a folder run (`gongkai audit <folder>`): one row per document — its file, its state, pages, tables and
 * cells read and checked, its findings by severity, how much was not checked, and why it could not be read — as a
 * table on the terminal, as `summary.csv` (UTF-8 with BOM, CRLF, like the project's other CSVs) and as the `index.html`
 * of `--html`, each row linking to the document's report page.
 */
import type { AuditReport } from "../../domain/audit/audit-report.ts";
import { writeCsv } from "../../domain/csv-format.ts";
import { displayWidth } from "../cli/help-columns.ts";
import { auditPage } from "./audit-report-html.ts";
import { alignRows, terminalSafe, truncateDisplay } from "./audit-report-text.ts";
import { nothingChecked, severityCounts, tr, unreadableText, type Lang } from "./audit-report-labels.ts";
import { esc } from "./html-escape.ts";

export interface SummaryRow {
  /** the file as the user can find it (the folder named, then the path inside it) */
  readonly file: string;
  readonly report: AuditReport;
  /** the report page, relative to the summary page (null: none written) */
  readonly href: string | null;
}

const BOM = "\uFEFF";

export interface SummaryTotals {
  readonly documents: number;
  readonly unreadable: number;
  readonly withErrors: number;
  readonly pages: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notes: number;
  readonly notChecked: number;
}

export function summaryTotals(rows: readonly SummaryRow[]): SummaryTotals {
  let unreadable = 0;
  let withErrors = 0;
  let pages = 0;
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  let notChecked = 0;
  for (const { report } of rows) {
    if (report.exitCode === 2) unreadable++;
    if (report.exitCode === 1) withErrors++;
    const n = severityCounts(report);
    pages += report.counts.pages;
    errors += n.error;
    warnings += n.warning;
    notes += n.note;
    notChecked += report.notChecked.length;
  }
  return { documents: rows.length, unreadable, withErrors, pages, errors, warnings, notes, notChecked };
}

/** The exit code of a folder run: 2 when nothing at all could be read, else 1 when a document has an error finding. */
export function folderExitCode(rows: readonly SummaryRow[]): 0 | 1 | 2 {
  if (rows.every((r) => r.report.exitCode === 2)) return 2;
  return rows.some((r) => r.report.exitCode === 1) ? 1 : 0;
}

/** Why a row's document could not be read, without its file name (the row names it). */
export function rowReason(report: AuditReport, lang: Lang): string {
  if (report.unreadable === null) return "";
  return unreadableText({ ...report.unreadable, file: "" }, lang).replace(/^[：:]\s*/, "");
}

function rowStatus(report: AuditReport, lang: Lang): string {
  if (report.exitCode === 2) return tr("status_unreadable", lang);
  const e = severityCounts(report).error;
  if (e > 0) return lang === "zh" ? "有错误" : "errors";
  if (nothingChecked(report)) return lang === "zh" ? "均未检查" : "nothing checked";
  return lang === "zh" ? "未发现错误" : "no error";
}

function columns(lang: Lang): string[] {
  return lang === "zh"
    ? ["文件", "状态", "页数", "表格找到", "表格读取", "表格检查", "单元格读取", "单元格检查", "数字读取", "数字检查", "错误", "警告", "提示", "未检查", "原因代码", "原因", "报告"]
    : ["file", "status", "pages", "tables_found", "tables_read", "tables_checked", "cells_read", "cells_checked", "claims_read", "claims_checked", "errors", "warnings", "notes", "not_checked", "reason_code", "reason", "report"];
}

/** summary.csv: one row per document, headers in the report's language. */
export function renderAuditSummaryCsv(rows: readonly SummaryRow[], lang: Lang): string {
  const body = rows.map(({ file, report: r, href }) => {
    const n = severityCounts(r);
    const c = r.counts;
    return [
      file,
      rowStatus(r, lang),
      c.pages,
      c.tables.found,
      c.tables.read,
      c.tables.checked,
      c.cells.read,
      c.cells.checked,
      c.claims.read,
      c.claims.checked,
      n.error,
      n.warning,
      n.note,
      r.notChecked.length,
      r.unreadable?.reason ?? "",
      rowReason(r, lang),
      href ?? "",
    ].map(String);
  });
  return BOM + writeCsv([columns(lang), ...body]);
}

/** `…tail` of a long path, cut from the left so that the file's own name stays. */
function truncateStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const chars = [...text];
  let out = "";
  for (let i = chars.length - 1; i >= 0; i--) {
    if (displayWidth(chars[i]! + out) > width - 1) break;
    out = chars[i]! + out;
  }
  return `…${out}`;
}

/** The terminal's table: one row per document, then the totals. */
export function renderAuditSummaryText(rows: readonly SummaryRow[], lang: Lang): string {
  const head = lang === "zh" ? ["文件", "状态", "页数", "表格(读/查)", "错误", "警告", "未检查", "原因"] : ["file", "status", "pages", "tables (read/checked)", "errors", "warnings", "not checked", "reason"];
  const body = rows.map(({ file, report: r }) => {
    const n = severityCounts(r);
    return [
      truncateStart(terminalSafe(file), 48),
      rowStatus(r, lang),
      String(r.counts.pages),
      `${r.counts.tables.read}/${r.counts.tables.checked}`,
      String(n.error),
      String(n.warning),
      String(r.notChecked.length),
      truncateDisplay(terminalSafe(rowReason(r, lang)), 60),
    ];
  });
  const t = summaryTotals(rows);
  const totals =
    lang === "zh"
      ? `合计 ${t.documents} 份文件：${t.documents - t.unreadable} 份已读取，${t.unreadable} 份无法读取，${t.withErrors} 份有错误；错误 ${t.errors}，警告 ${t.warnings}，提示 ${t.notes}，未检查 ${t.notChecked} 项`
      : `${t.documents} documents: ${t.documents - t.unreadable} read, ${t.unreadable} unreadable, ${t.withErrors} with errors; ${t.errors} errors, ${t.warnings} warnings, ${t.notes} notes, ${t.notChecked} not checked`;
  return [tr("summary_title", lang), ...alignRows([head, ...body]), "", totals].join("\n");
}

/** index.html of a folder run: the summary, each document linked to its report page. */
export function renderAuditSummaryHtml(rows: readonly SummaryRow[], opts: { lang: Lang; folders: readonly string[]; csvHref?: string }): string {
  const { lang } = opts;
  const t = summaryTotals(rows);
  const title = `${tr("summary_title", lang)}${lang === "zh" ? "：" : ": "}${opts.folders.join("  ")}`;
  const head = columns(lang).filter((_, i) => [0, 1, 2, 4, 5, 10, 11, 12, 13, 15].includes(i));
  const body = rows
    .map(({ file, report: r, href }) => {
      const n = severityCounts(r);
      const name = href === null ? esc(file) : `<a href="${esc(href)}">${esc(file)}</a>`;
      const cls = r.exitCode === 2 ? ' class="unreadable"' : r.exitCode === 1 ? ' class="failing"' : "";
      return (
        `<tr${cls}><th scope="row">${name}</th><td class="nowrap">${esc(rowStatus(r, lang))}</td><td class="num">${r.counts.pages}</td>` +
        `<td class="num">${r.counts.tables.read}</td><td class="num">${r.counts.tables.checked}</td>` +
        `<td class="num">${n.error}</td><td class="num">${n.warning}</td><td class="num">${n.note}</td><td class="num">${r.notChecked.length}</td><td>${esc(rowReason(r, lang))}</td></tr>`
      );
    })
    .join("");
  const totals =
    lang === "zh"
      ? `共 ${t.documents} 份文件：${t.documents - t.unreadable} 份已读取，${t.unreadable} 份无法读取，${t.withErrors} 份有错误级问题；错误 ${t.errors}，警告 ${t.warnings}，提示 ${t.notes}，未检查 ${t.notChecked} 项。`
      : `${t.documents} documents: ${t.documents - t.unreadable} read, ${t.unreadable} unreadable, ${t.withErrors} with error findings; ${t.errors} errors, ${t.warnings} warnings, ${t.notes} notes, ${t.notChecked} not checked.`;
  // red when a document has errors; yellow when one could not be read or nothing was checked; green otherwise
  const box = t.withErrors > 0 ? "error" : t.unreadable > 0 || rows.some((r) => r.report.exitCode !== 2 && nothingChecked(r.report)) ? "banner" : "ok";
  const csv = opts.csvHref === undefined ? "" : ` <a href="${esc(opts.csvHref)}">${esc(tr("summary_csv", lang))}</a>`;
  const html =
    `<h1>${esc(title)}</h1><div class="${box}" role="note"><p>${esc(totals)}${csv}</p></div>` +
    `<div class="table-wrap"><table><thead><tr>${head.map((h, i) => `<th scope="col"${i >= 2 && i <= 8 ? ' class="num"' : ""}>${esc(h)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table></div>`;
  const footer = `<p>${esc(tr("generated_by", lang))}${lang === "zh" ? "。" : ". "}${esc(tr("fail_closed", lang))}</p>`;
  return auditPage({ lang, title, body: html, footer });
}
