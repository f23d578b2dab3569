/**
 * The look of the PDF, in one place: A4 pages, margins, type sizes (五号 10.5 pt body, 三号 16 pt part titles, as
 * Chinese official documents set them), and the rules and paddings of tables. The table metrics are exported because
 * the layout of columns (pdf-table.ts) and the PDF test that reads cells back by position both depend on them.
 */
import type { CustomTableLayout, Style } from "pdfmake/interfaces.js";

export const A4 = { width: 595.28, height: 841.89 } as const;

/** [left, top, right, bottom]: the bottom margin holds the page footer (the PDF has no running header). */
export const PAGE_MARGINS: [number, number, number, number] = [54, 66, 54, 58];

/** Width of the text block on a page of the given orientation. */
export function contentWidth(orientation: "portrait" | "landscape"): number {
  const w = orientation === "portrait" ? A4.width : A4.height;
  return w - PAGE_MARGINS[0] - PAGE_MARGINS[2];
}

export const TABLE = {
  fontSize: 8.5,
  headerFontSize: 8.5,
  /** pdfmake's paddings of every cell, in points */
  padLeft: 3,
  padRight: 3,
  padTop: 2,
  padBottom: 1.5,
  /** rule width: every row and column rule */
  rule: 0.5,
  ruleColour: "black",
  headerFill: "#eef1f4",
  /** indentation of a name per tree level (款, 项), in points */
  indent: 8.5,
} as const;

/** Thin black rules on every cell, like the printed tables; the header row tinted. */
export const DISCLOSURE_TABLE_LAYOUT: CustomTableLayout = {
  hLineWidth: () => TABLE.rule,
  vLineWidth: () => TABLE.rule,
  hLineColor: () => TABLE.ruleColour,
  vLineColor: () => TABLE.ruleColour,
  paddingLeft: () => TABLE.padLeft,
  paddingRight: () => TABLE.padRight,
  paddingTop: () => TABLE.padTop,
  paddingBottom: () => TABLE.padBottom,
};

/** The same, for a table whose first row is its unit line (pdf-table.ts): no rule above that line. */
export const UNIT_LINE_TABLE_LAYOUT: CustomTableLayout = { ...DISCLOSURE_TABLE_LAYOUT, hLineWidth: (i) => (i === 0 ? 0 : TABLE.rule) };

export const TABLE_LAYOUTS: Record<string, CustomTableLayout> = { disclosure: DISCLOSURE_TABLE_LAYOUT, disclosureUnitLine: UNIT_LINE_TABLE_LAYOUT };

/** Named colours: pdfkit parses a hex colour again for every piece of text and every rule. */
export const TEXT_COLOUR = "black";
/** Type size of the page footer. */
export const RUNNING_SIZE = 8.5;
export const MUTED_COLOUR = "#555555";

export const STYLES: Record<string, Style> = {
  coverRegion: { fontSize: 14, alignment: "center", color: MUTED_COLOUR },
  coverTitle: { fontSize: 26, bold: true, alignment: "center", lineHeight: 1.3 },
  coverLine: { fontSize: 14, alignment: "center", lineHeight: 1.6 },
  coverNote: { fontSize: 10.5, lineHeight: 1.5, color: "#5a3b00" },
  coverStatus: { fontSize: 10.5, lineHeight: 1.5, color: "#8a1010", bold: true },
  tocTitle: { fontSize: 16, bold: true, alignment: "center", margin: [0, 0, 0, 18] },
  tocPart: { fontSize: 11, bold: true },
  tocEntry: { fontSize: 10 },
  part: { fontSize: 16, bold: true, alignment: "center", margin: [0, 0, 0, 16], lineHeight: 1.3 },
  section: { fontSize: 12, bold: true, margin: [0, 10, 0, 6], lineHeight: 1.35 },
  subsection: { fontSize: 11, bold: true, margin: [0, 6, 0, 4], lineHeight: 1.35 },
  paragraph: { fontSize: 10.5, lineHeight: 1.55, margin: [0, 0, 0, 4] },
  fieldsTitle: { fontSize: 10.5, bold: true, lineHeight: 1.55, margin: [0, 4, 0, 2] },
  tableTitle: { fontSize: 15, bold: true, alignment: "center", margin: [0, 0, 0, 8] },
  th: { fontSize: TABLE.headerFontSize, bold: true, alignment: "center" },
  td: { fontSize: TABLE.fontSize },
  num: { fontSize: TABLE.fontSize, alignment: "right" },
  code: { fontSize: TABLE.fontSize, alignment: "center" },
  metaLabel: { fontSize: 9, bold: true, alignment: "center" },
  metaValue: { fontSize: 9 },
  caption: { fontSize: 10.5, bold: true, alignment: "center", margin: [0, 8, 0, 4] },
  note: { fontSize: 9, color: MUTED_COLOUR, lineHeight: 1.4 },
  tableNote: { fontSize: TABLE.fontSize, lineHeight: 1.3, margin: [0, 3, 0, 0] },
  see: { fontSize: 10.5, italics: false, color: MUTED_COLOUR, margin: [0, 2, 0, 6] },
  signature: { fontSize: 10.5, alignment: "right", lineHeight: 1.6 },
  running: { fontSize: RUNNING_SIZE, color: MUTED_COLOUR },
};
