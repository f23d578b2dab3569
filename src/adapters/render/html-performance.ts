/**
 * The performance target tables (部门整体绩效目标表, 项目支出绩效目标表) as HTML, as the print lays them out: the title
 * and year, the template's header fields (performance-header.ts: 部门名称, 联系人, 年度绩效目标, 年度预算 and its
 * sources; per public project 预算单位, 项目名称, 负责人, 项目资金 and its split, 总体目标) above the indicators;
 * 一级/二级指标 cells merged down over the indicators they group. Classified projects are not in the disclosure's
 * performance data at all; the standard sentence says how many are withheld.
 */
import type { Narrative } from "../../domain/narrative-model.ts";
import { projectTableNotes } from "../../domain/performance-notes.ts";
import { performanceRows, performanceTexts, type Disclosure, type PerformanceRow } from "../../domain/disclosure-model.ts";
import { fieldColumns, mergeDown } from "../../domain/table-header.ts";
import { fieldGrid, performanceFields, performanceSubtitle, type FieldGrid } from "../../domain/performance-header.ts";
import type { TemplateData } from "../../domain/template-model.ts";
import { esc } from "./html-escape.ts";

export type PerformanceTableSpec = TemplateData["performance_tables"][number];


function indicatorTable(id: string, caption: string, columns: readonly { field: string; csv: string }[], rows: readonly PerformanceRow[], mergeFields: readonly string[]): string {
  const texts = performanceTexts(columns, rows);
  const header = texts[0] ?? [];
  const body = texts.slice(1);
  const merged = fieldColumns(columns, mergeFields);
  const spans = mergeDown(body, merged);
  const nameCol = columns.findIndex((c) => c.field === "name");
  const ths = header.map((h, k) => `<th scope="col" class="pf-${esc(columns[k]?.field ?? "")}">${esc(h)}</th>`).join("");
  const trs = body.map((row, r) => {
    const cells = row.map((text, k) => {
      const span = spans[r]![k]!;
      if (span === 0) return "";
      const rs = span > 1 ? ` rowspan="${span}"` : "";
      const field = columns[k]?.field ?? "";
      if (merged.includes(k)) return `<th scope="rowgroup" class="pf-${esc(field)}"${rs}>${esc(text)}</th>`;
      if (k === nameCol) return `<th scope="row" class="pf-name">${esc(text)}</th>`;
      return `<td class="pf-${esc(field)}">${esc(text)}</td>`;
    });
    return `<tr>${cells.join("")}</tr>`;
  });
  const empty = body.length === 0 ? `<tr><td class="empty" colspan="${header.length}">无绩效指标。</td></tr>` : "";
  return (
    `<div class="table-wrap" role="region" tabindex="0" aria-labelledby="${esc(id)}-cap">` +
    `<table class="disclosure perf" id="${esc(id)}-table"><caption class="sr-only" id="${esc(id)}-cap">${esc(caption)}</caption>` +
    `<thead><tr>${ths}</tr></thead><tbody>${trs.join("")}${empty}</tbody></table></div>`
  );
}

/** The title and the year under it, as the print shows them. */
function head(spec: PerformanceTableSpec, d: Disclosure): string {
  const sub = performanceSubtitle(spec, d);
  return `<div class="perf-head"><p class="t-title">${esc(spec.title)}</p>${sub === null ? "" : `<p class="t-sub">${esc(sub)}</p>`}</div>`;
}

/** The header fields above the indicators, as the template lays them out (performance-header.ts): one bordered grid. */
function facts(grid: FieldGrid, caption: string): string {
  if (grid.cells.length === 0) return "";
  const rows: string[][] = Array.from({ length: grid.rows }, () => []);
  for (const c of grid.cells) {
    const span = `${c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ""}${c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ""}`;
    if (c.kind === "label") rows[c.row]!.push(`<th scope="${c.rowSpan > 1 ? "rowgroup" : "row"}"${span}>${esc(c.text)}</th>`);
    else {
      const cls = c.field?.amount != null ? "pf-v amount" : "pf-v";
      rows[c.row]!.push(`<td class="${cls}" data-field="${esc(c.field?.ref ?? "")}"${span}>${esc(c.text)}</td>`);
    }
  }
  return (
    // the scroll box is a region named apart from the indicators' (axe: landmark-unique)
    `<div class="table-wrap" role="region" tabindex="0" aria-label="${esc(caption)}：基本情况"><table class="disclosure perf-facts"><caption class="sr-only">${esc(caption)}</caption>` +
    `<tbody>${rows.map((r) => `<tr>${r.join("")}</tr>`).join("")}</tbody></table></div>`
  );
}

/**
 * One performance table spec as HTML: the department's table, or one table per public project followed by the
 * withheld-projects sentence. `anchor` is the element id the table of contents links to.
 */
export function renderPerformance(spec: PerformanceTableSpec, d: Disclosure, template: TemplateData, narrative: Narrative | null): string {
  if (spec.source === "department") {
    const grid = fieldGrid(performanceFields(spec, d, null));
    return head(spec, d) + facts(grid, spec.title) + indicatorTable(`${spec.id}-t`, spec.title, spec.columns, performanceRows(d, "department"), spec.merge_down);
  }
  const cols = spec.columns.filter((c) => c.field !== "project_name");
  const parts = d.performance.projects.map((p, i) => {
    const grid = fieldGrid(performanceFields(spec, d, p));
    const caption = `${spec.title}（${p.project}）`;
    return `<div class="perf-project">${head(spec, d)}${facts(grid, caption)}${indicatorTable(`${spec.id}-${i + 1}`, caption, cols, p.rows, spec.merge_down)}</div>`;
  });
  for (const note of projectTableNotes(d, template, narrative)) parts.push(`<p class="withheld">${esc(note)}</p>`);
  return parts.join("");
}
