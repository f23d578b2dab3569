/**
 * The one place that draws a chart: a `ChartSpec` → an SVG string, rendered on the server by Apache ECharts (SSR,
 * SVG renderer, no animation), so the page, the PDF and an offline copy show the same picture without JavaScript.
 *
 * Every mark carries the printed value twice: as its data label and as a `<title>` child ("一般公共预算：482.45 万元"),
 * so the numbers can be read back from the SVG. The output is deterministic: ECharts' per-instance class names and
 * hover styles (useless without JavaScript) are removed, and its `ecmeta_*` attributes are dropped.
 */
import { createRequire } from "node:module";
import type * as ECharts from "echarts";
import type { ChartSpec, ChartValue } from "./chart-specs.ts";
import { esc } from "./html-escape.ts";

/**
 * ECharts' prebuilt CommonJS bundle: one file, where its ES modules are ~580 files for Node's loader to resolve one by
 * one (measured: 0.3 s against 1.45 s at every start of the server or of a build).
 */
const echarts = createRequire(import.meta.url)("echarts") as typeof ECharts;

// single quotes: ECharts writes the list into an SVG style attribute delimited by double quotes
export const CHART_FONT = `'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif`;

/** Restrained colours: dark slate for the current year, grey for the prior year (more series, for a comparison
 * over several years, take the further shades); the pie alternates. A highlighted mark (a region's median) is amber. */
const SERIES_COLOURS = ["#2f4a68", "#a3adb8", "#5b7590", "#6f7f90", "#45607c", "#c3cad2"];
const HIGHLIGHT_COLOUR = "#b45309";
const PIE_COLOURS = ["#2f4a68", "#8d9aa8", "#5b7590", "#c3cad2", "#45607c", "#6f7f90", "#dde2e7"];

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

/** A size that fits the spec: bar charts grow with their categories. */
export function chartSize(spec: ChartSpec): ChartSize {
  const n = spec.categories.length;
  const s = spec.series.length;
  switch (spec.kind) {
    case "pie":
      return { width: 520, height: 260 };
    case "hbar":
      return { width: 560, height: Math.max(140, 56 + n * (s * 20 + 18)) };
    case "bar":
      return { width: 560, height: 300 };
  }
}

const toNumber = (v: ChartValue, decimals: number) => Number(v.steps) / 10 ** decimals;

/** The accessible title of one mark: "类别：值 万元" (series named when there are several). */
export function markTitle(spec: ChartSpec, series: number, category: number): string | null {
  const v = spec.series[series]?.values[category];
  if (v === null || v === undefined || v.text === "") return null;
  const en = spec.lang === "en";
  const who = spec.series.length > 1 ? (en ? `${spec.categories[category]} (${spec.series[series]!.name})` : `${spec.categories[category]}（${spec.series[series]!.name}）`) : spec.categories[category];
  return `${who}${en ? ": " : "："}${v.text} ${spec.unitLabel}`;
}

function option(spec: ChartSpec, size: ChartSize): Record<string, unknown> {
  const textStyle = { fontFamily: CHART_FONT, color: "#222", fontSize: 12 };
  // label text = the printed text; a mark with no money (blank) gets no mark at all
  const printed = (si: number) => (p: { dataIndex: number }) => spec.series[si]?.values[p.dataIndex]?.text ?? "";
  const marked = new Set(spec.highlight ?? []);
  const data = (si: number) =>
    spec.series[si]!.values.map((v, i) => {
      const value = v === null || v.text === "" ? "-" : toNumber(v, spec.decimals);
      return marked.has(i) ? { value, itemStyle: { color: HIGHLIGHT_COLOUR } } : value;
    });
  if (spec.kind === "pie") {
    const s = spec.series[0]!;
    return {
      animation: false,
      textStyle,
      color: PIE_COLOURS,
      series: [
        {
          type: "pie",
          radius: ["38%", "66%"],
          center: ["50%", "52%"],
          avoidLabelOverlap: true,
          label: { show: true, formatter: (p: { dataIndex: number; name: string }) => `${p.name}\n${s.values[p.dataIndex]?.text ?? ""}`, color: "#222", lineHeight: 16 },
          labelLine: { length: 12, length2: 14, lineStyle: { color: "#666" } },
          itemStyle: { borderColor: "#fff", borderWidth: 1 },
          data: spec.categories.map((name, i) => ({ name, value: s.values[i] ? toNumber(s.values[i], spec.decimals) : 0 })),
        },
      ],
    };
  }
  const horizontal = spec.kind === "hbar";
  const category = {
    type: "category",
    data: spec.categories,
    inverse: horizontal,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: "#444" } },
    // a column chart's labels break within their own band, so that a narrower picture (the page's) does not overlap them
    axisLabel: { color: "#222", fontSize: 12, interval: 0, width: horizontal ? 150 : Math.min(110, Math.floor((size.width - 24) / Math.max(1, spec.categories.length)) - 8), overflow: "break" },
  };
  // no value axis labels: each bar carries its printed value, and the picture holds no other numbers
  const valueAxis = { type: "value", axisLabel: { show: false }, axisTick: { show: false }, axisLine: { show: false }, splitLine: { show: false } };
  const many = spec.series.length > 1;
  return {
    animation: false,
    textStyle,
    color: SERIES_COLOURS,
    legend: many ? { show: true, top: 4, right: 10, itemWidth: 14, itemHeight: 10, textStyle: { color: "#222" } } : { show: false },
    grid: horizontal ? { left: 12, right: 70, top: many ? 30 : 10, bottom: 8 } : { left: 12, right: 12, top: many ? 40 : 24, bottom: 8 },
    xAxis: horizontal ? valueAxis : category,
    yAxis: horizontal ? category : valueAxis,
    series: spec.series.map((s, si) => ({
      type: "bar",
      name: s.name,
      data: data(si),
      barMaxWidth: 28,
      // room between a category's bars for both value labels ("10.65" "11.00")
      barGap: "50%",
      label: { show: true, position: horizontal ? "right" : "top", formatter: printed(si), color: "#222", fontSize: 12 },
    })),
  };
}

/**
 * Renders a spec to an SVG string with `role="img"`, a `<title>` (the chart's title) and a `<desc>` (every value in
 * words), and a `<title>` on each mark.
 */
export function renderChartSvg(spec: ChartSpec, size: ChartSize = chartSize(spec), description: string = chartDescription(spec)): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  let svg: string;
  try {
    chart.setOption(option(spec, size));
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  return finishSvg(svg, spec, description);
}

/** Every value in words, for `<desc>` and the figure's text alternative. */
export function chartDescription(spec: ChartSpec): string {
  const parts = spec.categories.map((c, i) => {
    const vals = spec.series.map((s) => {
      const v = s.values[i];
      const text = v === null || v === undefined ? "未提供" : v.text === "" ? "无" : `${v.text}${spec.unitLabel}`;
      return spec.series.length > 1 ? `${s.name}${text}` : text;
    });
    return `${c}${spec.series.length > 1 ? "：" : " "}${vals.join("，")}`;
  });
  return `${spec.number} ${spec.title}（单位：${spec.unitLabel}）。${parts.join("；")}。`;
}

function finishSvg(raw: string, spec: ChartSpec, description: string): string {
  let svg = raw
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, "")
    .replace(/ class="zr\d+-cls-\d+"/g, "")
    .replace(/ pointer-events="visible"/g, "");
  // a <title> inside each data mark
  svg = svg.replace(/<path\b([^>]*?)\s*(\/?)>(<\/path>)?/g, (whole, attrs: string) => {
    const s = /ecmeta_series_index="(\d+)"/.exec(attrs);
    const i = /ecmeta_data_index="(\d+)"/.exec(attrs);
    const isChart = /ecmeta_ssr_type="chart"/.test(attrs);
    const clean = attrs.replace(/\s*ecmeta_\w+="[^"]*"/g, "");
    if (!s || !i || !isChart) return /ecmeta_/.test(attrs) ? `<path${clean}></path>` : whole;
    const title = markTitle(spec, Number(s[1]), Number(i[1]));
    return title === null ? `<path${clean}></path>` : `<path${clean}><title>${esc(title)}</title></path>`;
  });
  svg = svg.replace(/\s*ecmeta_\w+="[^"]*"/g, "");
  const titleId = `${spec.id}-svg-title`;
  const descId = `${spec.id}-svg-desc`;
  svg = svg.replace(
    /^<svg\b([^>]*)>/,
    (_m, attrs: string) =>
      `<svg${attrs} role="img" aria-labelledby="${titleId}" aria-describedby="${descId}" focusable="false">` +
      `<title id="${titleId}">${esc(`${spec.number} ${spec.title}`)}</title><desc id="${descId}">${esc(description)}</desc>`,
  );
  return svg.replace(/\n/g, "");
}
