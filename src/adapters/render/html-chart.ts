/**
 * A chart as a page figure: the server-rendered SVG beside a small table of exactly the figures it shows, under one
 * caption. The SVG is an image with a title and a description in words; the table is the chart's data for anyone
 * who cannot see the picture, and for print.
 */
import type { ChartSpec } from "./chart-specs.ts";
import { renderChartSvg } from "./chart-svg.ts";
import { esc } from "./html-escape.ts";

/**
 * The data table of a chart: one row per category, one column per series; blank = no money, — = not given. Each
 * printed value is bound to its figure like the narrative's (`<data data-ref="figure:<id>">`, `prior:<id>` for the
 * prior year), so a reader can tell which figure of the text each bar is.
 */
export function chartDataTable(spec: ChartSpec): string {
  const head = `<tr><th scope="col">${esc(spec.categoryHeader)}</th>${spec.series.map((s) => `<th scope="col">${esc(s.name)}</th>`).join("")}</tr>`;
  const rows = spec.categories.map((c, i) => {
    const cells = spec.series.map((s) => {
      const v = s.values[i];
      if (v === null || v === undefined) return `<td class="num na"><abbr title="未提供上年数">—</abbr></td>`;
      if (v.text === "") return `<td class="num"></td>`;
      const ref = `${s.prior ? "prior" : "figure"}:${spec.figures[i] ?? ""}`;
      return `<td class="num"><data class="v v-amount" value="${esc(v.text)}" data-ref="${esc(ref)}">${esc(v.text)}</data></td>`;
    });
    return `<tr><th scope="row">${esc(c)}</th>${cells.join("")}</tr>`;
  });
  return (
    `<table class="chart-data" id="${esc(spec.id)}-data"><caption>${esc(spec.number)}数据（单位：${esc(spec.unitLabel)}）</caption>` +
    `<thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`
  );
}

export function renderChartFigure(spec: ChartSpec): string {
  const note = spec.note === null ? "" : `<p class="chart-note">注：${esc(spec.note)}</p>`;
  return (
    `<figure class="chart" id="${esc(spec.id)}" aria-labelledby="${esc(spec.id)}-cap">` +
    `<figcaption id="${esc(spec.id)}-cap"><span class="f-no">${esc(spec.number)}</span> ${esc(spec.title)}<span class="f-unit">（单位：${esc(spec.unitLabel)}）</span></figcaption>` +
    `<div class="chart-row"><div class="chart-svg">${renderChartSvg(spec)}</div>${chartDataTable(spec)}</div>${note}</figure>`
  );
}
