/**
 * The performance target tables (部门整体绩效目标表, 项目支出绩效目标表) as HTML, as the print lays them out: the
 * department's goal above its indicators; one table per public project, headed by the project's name, owner, budget
 * and goal; 一级/二级指标 cells merged down over the indicators they group. Classified projects are not in the
 * disclosure's performance data at all; the standard sentence says how many are withheld.
 */
import { performanceRows, performanceTexts, type Disclosure, type PerformanceRow } from "../../domain/disclosure-model.ts";
import { fieldColumns, mergeDown } from "../../domain/table-header.ts";
import { formatCell, formatSteps, toSteps } from "../../domain/money.ts";
import { fill } from "../../domain/table-engine.ts";
import type { TemplateData } from "../../domain/template-model.ts";
import { esc } from "./html-escape.ts";
import type { TableContext } from "./html-table.ts";

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

/** The title and 编制部门 line above a performance table, as the print shows them. */
function head(title: string, ctx: TableContext): string {
  return `<div class="perf-head"><p class="t-title">${esc(title)}</p><p class="t-meta"><span>编制部门：${esc(ctx.department)}</span></p></div>`;
}

function metaList(items: readonly [string, string][]): string {
  const rows = items.filter(([, v]) => v !== "").map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`);
  return rows.length ? `<dl class="perf-meta">${rows.join("")}</dl>` : "";
}

/**
 * One performance table spec as HTML: the department's table, or one table per public project followed by the
 * withheld-projects sentence. `anchor` is the element id the table of contents links to.
 */
export function renderPerformance(spec: PerformanceTableSpec, d: Disclosure, template: TemplateData, ctx: TableContext): string {
  const unitLabel = d.template.printUnit.label;
  if (spec.source === "department") {
    const goal = d.performance.departmentGoal;
    const meta = metaList([
      ["部门（单位）名称", ctx.department],
      ["年度绩效目标", goal ?? ""],
    ]);
    return head(spec.title, ctx) + meta + indicatorTable(`${spec.id}-t`, spec.title, spec.columns, performanceRows(d, "department"), spec.merge_down);
  }
  const cols = spec.columns.filter((c) => c.field !== "project_name");
  const parts = d.performance.projects.map((p, i) => {
    const amount = formatCell(p.amount, d.template.printUnit);
    const meta = metaList([
      ["项目名称", p.project],
      ["项目负责人（单位）", p.owner ?? ""],
      [`年度预算总额（${unitLabel}）`, amount],
      ["项目总体目标", p.goal],
    ]);
    return `<div class="perf-project">${head(spec.title, ctx)}${meta}${indicatorTable(`${spec.id}-${i + 1}`, `${spec.title}（${p.project}）`, cols, p.rows, spec.merge_down)}</div>`;
  });
  const w = d.performance.withheld;
  if (w.count > 0) {
    const pattern = template.sentences["classified_performance"];
    if (pattern !== undefined) {
      const amount = formatSteps(toSteps(w.amount, d.template.printUnit), d.template.printUnit.decimals);
      parts.push(`<p class="withheld">${esc(fill(pattern, { count: String(w.count), amount }))}</p>`);
    }
  }
  if (d.performance.projects.length === 0 && w.count === 0) parts.push(`<p class="empty-note">本年度无项目支出绩效目标。</p>`);
  return parts.join("");
}
