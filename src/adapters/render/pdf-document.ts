/**
 * The disclosure as a print-grade PDF (disclosure.pdf): A4, text in 宋体 (Noto Serif SC) and headings in 黑体 (Noto Sans
 * SC) embedded as subset CID fonts (text extractable, in reading order), PDF metadata, a footer (第 N 页 共 M 页) on
 * every page but the cover. The line 编制部门：… 单位：万元 prints where the official document prints it: above each of
 * the tables 表1…, on every page it runs onto (pdf-table.ts) — not on the cover, the contents, the narrative or the
 * glossary, nor above the performance tables, which name the department in their own fields.
 *
 * Order, as printed: the cover (title, 编制部门, date, the constructed-data note, a status line when checks failed),
 * the table of contents with page numbers, then the narrative's parts, each from a new page — 第一部分 部门概况,
 * 第二部分 公开表, 第三部分 情况说明, 第四部分 名词解释. A table or performance table prints where the narrative
 * first names it, each from a new page in its template's orientation (wide tables landscape); any the narrative does
 * not name print at the end of 第二部分, so every table prints exactly once. Each chart prints in the first section
 * of 第三部分 that speaks of one of its figures. No table has code of its own: tables come from the disclosure and
 * the template.
 */
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { BuildResult } from "../../app/build-disclosure.ts";
import type { Disclosure } from "../../domain/disclosure-model.ts";
import { walkSections, type Narrative, type NarrativePart } from "../../domain/narrative-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import type { ComputedTable } from "../../domain/table-engine.ts";
import { chartSpecs, placeCharts } from "./chart-specs.ts";
import { pdfChart } from "./pdf-chart.ts";
import { PDF_FONT, pdfEngine, pdfMeasure, startDocument } from "./pdf-fonts.ts";
import { pdfSection, type PdfEmbedHooks } from "./pdf-narrative.ts";
import { pdfPerformance, performanceOrientation } from "./pdf-performance.ts";
import { PAGE_MARGINS, STYLES, TABLE_LAYOUTS, TEXT_COLOUR } from "./pdf-style.ts";
import { pdfTable, pdfTableNote, type UnitLine } from "./pdf-table.ts";

const PART_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/** `2024-02-23` → `2024年2月23日`; any other text as given. */
function formatDate(text: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : text;
}

/** The destination name of a table's title (tables and performance tables have distinct ids in a template). */
const anchor = (id: string) => `table-${id}`;

/** A table's title: centred, in the table of contents, a destination for page references. */
const heading = (id: string, text: string): Content =>
  ({ text, id: anchor(id), style: "tableTitle", tocItem: true, tocStyle: "tocEntry", tocMargin: [18, 1, 0, 1] }) as Content;

function disclosureDate(d: Disclosure): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.department.date ?? "");
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(Date.UTC(d.department.year, 0, 1));
}

function documentTitle(d: Disclosure): { owner: string; title: string; kind: string } {
  const owner = d.scope.kind === "unit" ? d.scope.name : d.department.name;
  const kind = d.scope.kind === "unit" ? "单位" : "部门";
  return { owner, kind, title: `${owner}${d.department.year}年${kind}预算公开` };
}

function cover(d: Disclosure, findings: readonly Finding[], constructedLabel: string): Content[] {
  const { owner, kind } = documentTitle(d);
  const errors = findings.filter((f) => f.severity === "error").length;
  const out: Content[] = [{ text: "", margin: [0, 150, 0, 0] }];
  if (d.department.region) out.push({ text: d.department.region, style: "coverRegion", margin: [0, 0, 0, 18] });
  out.push({ text: [owner, "\n", `${d.department.year}年${kind}预算公开`], style: "coverTitle", margin: [0, 0, 0, 60] });
  out.push({ text: `编制部门：${owner}`, style: "coverLine" });
  if (d.department.date) out.push({ text: formatDate(d.department.date), style: "coverLine" });
  const notes: Content[] = [];
  if (d.constructed !== null) notes.push({ text: [{ text: `${constructedLabel}`, bold: true }, "\n", d.constructed], style: "coverNote" });
  if (errors > 0) notes.push({ text: `检查状态：存在 ${errors} 个错误级问题，本公开未通过发布前检查，数字可能有误。`, style: "coverStatus", margin: [0, 6, 0, 0] });
  if (notes.length)
    out.push({
      table: { widths: ["*"], body: [[{ stack: notes, margin: [8, 6, 8, 6] }]] },
      layout: { hLineWidth: () => 0.75, vLineWidth: () => 0.75, hLineColor: () => "#b08a3c", vLineColor: () => "#b08a3c" },
      margin: [20, 90, 20, 0],
    } as Content);
  return out;
}

export interface PdfInput {
  readonly result: BuildResult;
  readonly findings: readonly Finding[];
}

/** The pdfmake document of a disclosure (no I/O but the fonts' first load, which text measurement needs). */
export function disclosureDocument({ result, findings }: PdfInput): TDocumentDefinitions {
  const m = pdfMeasure();
  const d = result.disclosure;
  const template = result.template.data;
  const unit = d.template.printUnit;
  const { owner, title } = documentTitle(d);
  const year = d.department.year;
  const byId = new Map<string, ComputedTable>(d.tables.map((t) => [t.id, t]));
  const perfSpecs = new Map(template.performance_tables.map((p) => [p.id, p]));
  const narrative: Narrative = result.narrative ?? { title, parts: [], signature: [] };
  const printed = new Map<string, string>(); // id → where it printed, for a second mention
  const unitLine: UnitLine = { department: `编制部门：${owner}`, unit: `单位：${unit.label}` };

  // tables and performance tables named by the narrative print where first named; the rest end 第二部分
  const named = new Set<string>();
  for (const p of narrative.parts) walkSections(p.sections, (s) => s.blocks.forEach((b) => (b.kind === "table" || b.kind === "performance") && named.add(b.table)));

  const specs = chartSpecs(d, template.charts);
  const explanation = narrative.parts.find((p) => p.id === "explanation");
  const chartHome = placeCharts(specs, explanation);
  const placed = new Set([...chartHome.values()].flat().map((c) => c.id));
  const unplaced = specs.filter((c) => !placed.has(c.id));

  /** whether the page in progress holds only a part heading (a portrait table may follow on it) */
  let freshPortraitPage = false;
  let currentPart = "";
  const pageStart = (orientation: "portrait" | "landscape"): Partial<{ pageBreak: "before"; pageOrientation: "portrait" | "landscape" }> => {
    const keep = freshPortraitPage && orientation === "portrait";
    freshPortraitPage = false;
    return keep ? {} : { pageBreak: "before", pageOrientation: orientation };
  };
  const seeAlso = (id: string, label: string): Content[] => [
    // pdfmake reserves five digits for a page number and does not move what follows it: the number comes last
    { text: [`见${printed.get(id) ?? ""}${label}，页码：`, { pageReference: anchor(id) }], style: "see", leadingIndent: 21 } as Content,
  ];

  /** sheets (a table from a new page) and their orientation: what follows a landscape sheet returns to portrait */
  const sheets = new Map<Content, "portrait" | "landscape">();
  const asSheet = (c: Content, orientation: "portrait" | "landscape"): Content[] => {
    sheets.set(c, orientation);
    return [c];
  };
  const sheet = (t: ComputedTable): Content[] => {
    if (printed.has(t.id)) return seeAlso(t.id, `${t.number} ${t.title}`);
    printed.set(t.id, currentPart);
    const note = d.roundingNotes.get(t.id);
    const stack = [heading(t.id, `${t.number} ${t.title}`), pdfTable(t, unit, m, unitLine), ...(note === undefined ? [] : [pdfTableNote(note)])];
    return asSheet({ stack, ...pageStart(t.orientation) } as Content, t.orientation);
  };
  const perfSheet = (id: string): Content[] => {
    const spec = perfSpecs.get(id);
    if (!spec) return [];
    if (printed.has(id)) return seeAlso(id, spec.title);
    printed.set(id, currentPart);
    const orientation = performanceOrientation(spec);
    return asSheet({ stack: [heading(id, spec.title), ...pdfPerformance(spec, d, template, result.narrative, m)], ...pageStart(orientation) } as Content, orientation);
  };
  const hooks: PdfEmbedHooks = {
    table: (id) => {
      const t = byId.get(id);
      return t ? sheet(t) : [];
    },
    performance: perfSheet,
    afterBlocks: (s) => (chartHome.get(s.id) ?? []).map(pdfChart),
  };

  const parts: NarrativePart[] = [...narrative.parts];
  if (!parts.some((p) => p.id === "tables")) {
    const at = parts.findIndex((p) => p.id === "profile");
    parts.splice(at + 1, 0, { id: "tables", title: `${year}年部门预算公开表`, sections: [] });
  }
  const body: Content[] = [];
  parts.forEach((part, i) => {
    const partTitle = /^第.+部分/.test(part.title) ? part.title : `第${PART_NUMERALS[i] ?? String(i + 1)}部分 ${part.title}`;
    currentPart = (/^第.+?部分/.exec(partTitle)?.[0] ?? "") + " ";
    body.push({ text: partTitle, style: "part", tocItem: true, tocStyle: "tocPart", tocMargin: [0, 6, 0, 2], pageBreak: "before", pageOrientation: "portrait" } as Content);
    freshPortraitPage = true;
    for (const s of part.sections) {
      const content = pdfSection(s, 1, hooks, m);
      if (content.length && !(s.blocks[0]?.kind === "table" || s.blocks[0]?.kind === "performance")) freshPortraitPage = false;
      body.push(...content);
    }
    if (part.id === "tables") {
      for (const t of d.tables) if (!named.has(t.id)) body.push(...sheet(t));
      for (const p of template.performance_tables) if (!named.has(p.id)) body.push(...perfSheet(p.id));
    }
    if (part.id === "explanation" && unplaced.length)
      body.push({ text: "图表", style: "section", tocItem: true, tocStyle: "tocEntry", tocMargin: [18, 1, 0, 1] } as Content, ...unplaced.map(pdfChart));
    // content after a landscape table goes back to portrait pages
    freshPortraitPage = false;
  });
  if (!explanation && unplaced.length) body.push(...unplaced.map(pdfChart));
  // narrative text is set for portrait pages: after a landscape sheet, the next content starts a portrait page
  let landscape = false;
  body.forEach((c, i) => {
    const orientation = sheets.get(c);
    if (orientation !== undefined) landscape = orientation === "landscape";
    else if (landscape) {
      body[i] = typeof c === "object" && !Array.isArray(c) ? ({ ...c, pageBreak: "before", pageOrientation: "portrait" } as Content) : { stack: [c], pageBreak: "before", pageOrientation: "portrait" };
      landscape = false;
    }
  });
  if (narrative.signature.length) body.push({ text: narrative.signature.join("\n"), style: "signature", margin: [0, 24, 0, 0] });

  const constructedLabel = template.sentences["constructed_note"] ?? "构造数据";
  return {
    pageSize: "A4",
    pageOrientation: "portrait",
    pageMargins: PAGE_MARGINS,
    version: "1.7",
    language: "zh-CN",
    info: {
      title,
      author: owner,
      subject: `${owner}${year}年部门预算公开（${d.template.name}）`,
      keywords: `部门预算公开, ${year}年, ${owner}, ${d.template.name}`,
      creator: "Gongkai 公开",
      producer: "Gongkai 公开 (pdfmake)",
      // the same disclosure gives the same bytes (published versions are content-addressed): the date is the
      // disclosure's own, or 1 January of its year, never the clock
      creationDate: disclosureDate(d),
    },
    defaultStyle: { font: PDF_FONT, fontSize: 10.5, color: TEXT_COLOUR },
    styles: STYLES,
    // the cover has no page number
    footer: (page, count) => (page === 1 ? null : { text: `第 ${page} 页 共 ${count} 页`, style: "running", alignment: "center", margin: [0, 22, 0, 0] }),
    content: [
      ...cover(d, findings, constructedLabel),
      { text: "", pageBreak: "after" },
      // outlines: the contents are also the PDF's bookmarks
      { toc: { title: { text: "目  录", style: "tocTitle" }, numberStyle: { fontSize: 10 }, outlines: true }, pageOrientation: "portrait" } as Content,
      ...body,
    ],
  };
}

/** Renders the disclosure PDF. The fonts are parsed once per process (pdf-fonts.ts). */
export async function renderDisclosurePdf(input: PdfInput): Promise<Uint8Array> {
  const pdfmake = pdfEngine();
  startDocument();
  pdfmake.setTableLayouts(TABLE_LAYOUTS);
  const buffer = await pdfmake.createPdf(disclosureDocument(input)).getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
