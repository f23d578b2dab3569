/**
 * A chart as a page figure: the server-rendered SVG beside a small table of exactly the figures it shows, under one
 * caption. The SVG is an image with a title and a description in words; the table is the chart's data for anyone
 * who cannot see the picture, and for print.
 *
 * The page draws the picture at a width a phone shows at nearly its own size (PAGE_CHART_WIDTH), so its 12 px labels
 * stay legible at 390 px instead of shrinking to two thirds; the PDF draws the same chart at its own size.
 */
import type { ChartSpec } from "./chart-specs.ts";
import { chartSize, renderChartSvg, type ChartSize } from "./chart-svg.ts";
import { esc } from "./html-escape.ts";

/** The words of a chart's data table (the disclosure's are Chinese; a comparison page may be in English). */
export interface ChartTableWords {
  caption(number: string, unitLabel: string): string;
  /** the title of a value not given (—) */
  readonly notGiven: string;
}

export const CHART_TABLE_WORDS_ZH: ChartTableWords = { caption: (number, unit) => `${number}数据（单位：${unit}）`, notGiven: "未提供上年数" };

/**
 * The data table of a chart: one row per category, one column per series; blank = no money, — = not given. Each
 * printed value is bound to its figure like the narrative's (`<data data-ref="figure:<id>">`, `prior:<id>` for the
 * prior year), so a reader can tell which figure of the text each bar is.
 */
export function chartDataTable(spec: ChartSpec, words: ChartTableWords = CHART_TABLE_WORDS_ZH): string {
  const head = `<tr><th scope="col">${esc(spec.categoryHeader)}</th>${spec.series.map((s) => `<th scope="col">${esc(s.name)}</th>`).join("")}</tr>`;
  const rows = spec.categories.map((c, i) => {
    const cells = spec.series.map((s) => {
      const v = s.values[i];
      if (v === null || v === undefined) return `<td class="num na"><abbr title="${esc(words.notGiven)}">—</abbr></td>`;
      if (v.text === "") return `<td class="num"></td>`;
      const ref = `${s.prior ? "prior" : "figure"}:${spec.figures[i] ?? ""}`;
      return `<td class="num"><data class="v v-amount" value="${esc(v.text)}" data-ref="${esc(ref)}">${esc(v.text)}</data></td>`;
    });
    return `<tr><th scope="row">${esc(c)}</th>${cells.join("")}</tr>`;
  });
  return (
    `<table class="chart-data" id="${esc(spec.id)}-data"><caption>${esc(words.caption(spec.number, spec.unitLabel))}</caption>` +
    `<thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`
  );
}

/** The page's charts are this wide (px): a 390 px phone gives them 362 px, so labels print at 95 % of their size. */
export const PAGE_CHART_WIDTH = 380;

/** The size of a chart on the page: the chart's own height for the page's width (a pie a little lower). */
export function pageChartSize(spec: ChartSpec): ChartSize {
  const own = chartSize(spec);
  return { width: PAGE_CHART_WIDTH, height: spec.kind === "pie" ? 240 : own.height };
}

export function renderChartFigure(spec: ChartSpec): string {
  const note = spec.note === null ? "" : `<p class="chart-note">注：${esc(spec.note)}</p>`;
  return (
    `<figure class="chart" id="${esc(spec.id)}" aria-labelledby="${esc(spec.id)}-cap">` +
    `<figcaption id="${esc(spec.id)}-cap"><span class="f-no">${esc(spec.number)}</span> ${esc(spec.title)}<span class="f-unit">（单位：${esc(spec.unitLabel)}）</span></figcaption>` +
    `<div class="chart-row"><div class="chart-svg">${renderChartSvg(spec, pageChartSize(spec))}</div>${chartDataTable(spec)}</div>${note}</figure>`
  );
}
