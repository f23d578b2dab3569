/**
 * A chart of the disclosure as vector graphics in the PDF: the SVG that `chart-svg.ts` draws (the same picture as
 * the web page), placed as a pdfmake `svg` node whose text uses the embedded CJK font, under a numbered caption.
 */
import type { Content } from "pdfmake/interfaces.js";
import type { ChartSpec } from "./chart-specs.ts";
import { CHART_FONT, chartSize, renderChartSvg } from "./chart-svg.ts";
import { PDF_FONT } from "./pdf-fonts.ts";

/** Charts print at this share of their pixel size: 12 px labels become 8.4 pt. */
const SCALE = 0.7;

export function pdfChart(spec: ChartSpec): Content {
  const size = chartSize(spec);
  // <title>/<desc> are for screen readers of the page; the PDF caption says the same. The font list is written
  // unescaped inside style="…" (its quotes end the attribute), so it becomes the embedded font's name.
  const svg = renderChartSvg(spec, size)
    .replaceAll(CHART_FONT, PDF_FONT)
    .replace(/<title\b[^>]*>[\s\S]*?<\/title>|<desc\b[^>]*>[\s\S]*?<\/desc>/g, "");
  const note: Content[] = spec.note === null ? [] : [{ text: `注：${spec.note}`, style: "note", alignment: "center" }];
  return {
    stack: [
      { text: `${spec.number} ${spec.title}（单位：${spec.unitLabel}）`, style: "caption" },
      { svg, width: size.width * SCALE, font: PDF_FONT, alignment: "center" },
      ...note,
    ],
    unbreakable: true,
    margin: [0, 4, 0, 8],
  } as Content;
}
