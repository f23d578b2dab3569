/**
 * An audit report for a person at a terminal (`gongkai audit <file>`): what was recognised (department, year,
 * 预算/决算, 部门/单位, template, the tables with their units), how much was read and checked, the findings by severity
 * (code, page or line, quote, expected → found, the reason, the other places they rest on), then what was not checked
 * — counted, and listed up to a limit with "… and N more" (JSON and HTML list them all) — and the readers' notes.
 *
 * Columns are aligned by display width (a Chinese character takes two columns). Everything quoted comes from a
 * hostile file: control characters (an escape sequence could rewrite the terminal) and bidirectional overrides are
 * shown as visible `\u{…}` escapes, never written as they are.
 */
import type { AuditFinding, AuditPlace, AuditReport, NotChecked, RecognisedTable } from "../../domain/audit/audit-report.ts";
import { displayWidth, padDisplay, wrapDisplay } from "../cli/help-columns.ts";
import { inDocumentOrder, KIND_TEXT, LEVEL_TEXT, SEVERITIES, SEVERITY_TEXT, WHAT_TEXT, placeText, severityCounts, statusText, tr, unreadableText, type Lang } from "./audit-report-labels.ts";

export interface AuditTextOptions {
  readonly lang: Lang;
  /** how many not-checked entries are listed (default 20); the rest are counted */
  readonly notCheckedLimit?: number;
  /** the width to wrap reasons to, in terminal columns (default 100) */
  readonly width?: number;
}

/** C0 and C1 controls (a line break or tab of a quote included) and the bidirectional controls. */
function unsafe(cp: number): boolean {
  return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || cp === 0x61c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/** Text from the report, safe to write to a terminal: every control character shown as `\u{…}`. */
export function terminalSafe(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += unsafe(cp) ? `\\u{${cp.toString(16).padStart(4, "0")}}` : ch;
  }
  return out;
}

/** `text` cut to at most `width` display columns, with `…` when cut. */
export function truncateDisplay(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Aligned columns (by display width), two spaces apart, the last column not padded. */
export function alignRows(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return rows.map((r) => (indent + r.map((c, i) => (i === r.length - 1 ? c : padDisplay(c, widths[i]!))).join("  ")).trimEnd());
}

const q = (text: string, lang: Lang) => (lang === "zh" ? `“${text}”` : `"${text}"`);
const colon = (lang: Lang) => (lang === "zh" ? "：" : ": ");
const heading = (text: string, n: number | null, lang: Lang) => (n === null ? text : lang === "zh" ? `${text}（${n}）` : `${text} (${n})`);

const QUOTE_WIDTH = 200;

function recognisedLines(report: AuditReport, lang: Lang): string[] {
  const r = report.recognised;
  const unknown = tr("unknown", lang);
  const rows: string[][] = [
    [tr("department", lang), r.department === null ? unknown : terminalSafe(r.department)],
    [tr("year", lang), r.year === null ? unknown : String(r.year)],
    [tr("kind", lang), r.kind === null ? unknown : KIND_TEXT[r.kind][lang]],
    [tr("level", lang), r.level === null ? unknown : LEVEL_TEXT[r.level][lang]],
    [tr("template", lang), r.template === null ? unknown : terminalSafe(r.template)],
    [heading(tr("tables", lang), r.tables.length, lang), r.tables.length === 0 ? tr("none", lang) : ""],
  ];
  const tableRows = r.tables.map((t: RecognisedTable) => [
    truncateDisplay(terminalSafe(t.title), 60),
    t.page === null ? "" : placeText({ page: t.page, line: null }, lang),
    t.unit === null ? tr("no_unit", lang) : terminalSafe(t.unit),
    t.kind === null ? "" : terminalSafe(t.kind),
  ]);
  return [tr("recognised", lang), ...alignRows(rows), ...alignRows(tableRows, "    ")];
}

function countLines(report: AuditReport, lang: Lang): string[] {
  const c = report.counts;
  const sep = lang === "zh" ? "，" : ", ";
  const rc = (x: { read: number; checked: number }) => `${tr("read", lang)} ${x.read}${sep}${tr("checked", lang)} ${x.checked}`;
  return [
    tr("counts", lang),
    ...alignRows([
      [tr("pages", lang), String(c.pages)],
      [tr("tables", lang), `${tr("found", lang)} ${c.tables.found}${sep}${rc(c.tables)}`],
      [tr("cells", lang), rc(c.cells)],
      [tr("sentences", lang), rc(c.sentences)],
      [tr("claims", lang), rc(c.claims)],
      [tr("relations", lang), `${tr("checked", lang)} ${c.relations.checked}${sep}${tr("failed", lang)} ${c.relations.failed}`],
    ]),
  ];
}

function wrapped(label: string, text: string, lang: Lang, width: number, indent: string): string[] {
  const head = `${indent}${label}${colon(lang)}`;
  const hang = " ".repeat(displayWidth(head));
  const lines = wrapDisplay(text, Math.max(20, width - displayWidth(head)));
  return lines.map((l, i) => (i === 0 ? head : hang) + l);
}

function relatedText(p: AuditPlace, lang: Lang): string {
  return `${terminalSafe(placeText(p, lang))} ${q(truncateDisplay(terminalSafe(p.quote), 80), lang)}`;
}

function findingLines(f: AuditFinding, lang: Lang, width: number): string[] {
  const lines = [`  ${f.code}  ${terminalSafe(placeText(f, lang))}`];
  lines.push(`    ${tr("quote", lang)}${colon(lang)}${q(truncateDisplay(terminalSafe(f.quote), QUOTE_WIDTH), lang)}`);
  if (f.expected !== null || f.found !== null) {
    const e = f.expected === null ? "—" : terminalSafe(f.expected);
    const g = f.found === null ? "—" : terminalSafe(f.found);
    lines.push(`    ${tr("expected", lang)}${colon(lang)}${e}  →  ${tr("found_value", lang)}${colon(lang)}${g}`);
  }
  lines.push(...wrapped(tr("reason", lang), terminalSafe(f.reason[lang]), lang, width, "    "));
  for (const r of f.related) lines.push(`    ${tr("see_also", lang)}${colon(lang)}${relatedText(r, lang)}`);
  return lines;
}

function notCheckedLines(list: readonly NotChecked[], lang: Lang, limit: number): string[] {
  const lines = [heading(tr("not_checked", lang), list.length, lang)];
  if (list.length === 0) return [...lines, `  ${tr("not_checked_none", lang)}`];
  const shown = list.slice(0, Math.max(0, limit));
  lines.push(
    ...alignRows(
      shown.map((n) => [WHAT_TEXT[n.what][lang], terminalSafe(placeText(n, lang)), n.quote === "" ? "" : q(truncateDisplay(terminalSafe(n.quote), 30), lang), terminalSafe(n.reason[lang])]),
    ),
  );
  if (list.length > shown.length) lines.push(`  ${tr("and_more", lang, { n: list.length - shown.length })}`);
  return lines;
}

/** The report as the terminal shows it (no trailing newline). */
export function renderAuditReportText(report: AuditReport, opts: AuditTextOptions): string {
  const { lang } = opts;
  const width = opts.width ?? 100;
  const limit = opts.notCheckedLimit ?? 20;
  const out: string[] = [`${tr("title", lang)}${colon(lang)}${report.files.map(terminalSafe).join("  ")}`];
  if (report.unreadable !== null) {
    out.push(`${tr("unreadable", lang)}${colon(lang)}${terminalSafe(unreadableText(report.unreadable, lang))}`);
    const others = report.notChecked.filter((n) => n.what === "file" && n.file !== report.unreadable?.file);
    for (const n of others) out.push(`  ${terminalSafe(n.reason[lang])}`);
    return out.join("\n");
  }
  out.push(`${tr("status", lang)}${colon(lang)}${statusText(report, lang)}`);
  if (report.reader !== null) out.push(`${tr("reader", lang)}${colon(lang)}${report.reader}`);
  out.push("", ...recognisedLines(report, lang), "", ...countLines(report, lang), "");
  const bySeverity = severityCounts(report);
  for (const sev of SEVERITIES) {
    out.push(heading(SEVERITY_TEXT[sev][lang], bySeverity[sev], lang));
    for (const f of inDocumentOrder(report.findings, report.files).filter((x) => x.severity === sev)) out.push(...findingLines(f, lang, width));
  }
  out.push("", ...notCheckedLines(report.notChecked, lang, limit));
  const notes = report.notes ?? [];
  if (notes.length > 0) {
    out.push("", tr("notes", lang));
    const several = report.files.length > 1;
    for (const n of notes) out.push(`  ${several ? `${terminalSafe(n.file)}${colon(lang)}` : ""}${terminalSafe(n.text)}`);
  }
  return out.join("\n");
}
