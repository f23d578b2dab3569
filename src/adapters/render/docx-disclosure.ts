/**
 * disclosure.docx — the whole disclosure as an editable Word document (`docx`), for departments whose sign-off runs
 * through Word. In the order of the print: a cover (title, 编制部门, date, the constructed-data note, a status line
 * when checks failed), then the narrative's parts rendered generically (paragraphs, lists, label/value fields; part,
 * section and subsection titles as Heading 1/2/3 so that Word's navigation pane lists them), with every table as a
 * real Word table where the narrative names it: its number, title (a heading one level below its section), the
 * 编制部门/单位 line, the printed multi-level header with merged cells, repeated on every page. Landscape tables get
 * landscape sections. A table prints once, where the narrative first names it (a later mention refers back to it);
 * tables the narrative does not name print at the end. Every figure of the narrative is a run in the character style
 * 公开数字 (`GkFigure`), so an editor or a checker can find the bound values. Text is 宋体 (East Asian) with Times
 * New Roman for Latin text; headings 黑体; the East Asian hint makes shared punctuation use the Chinese font.
 */
import { projectTableNotes } from "../../domain/performance-notes.ts";
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  type Table,
  TabStopType,
  TextRun,
  type ISectionOptions,
} from "docx";
import type { BuildResult } from "../../app/build-disclosure.ts";
import type { Disclosure } from "../../domain/disclosure-model.ts";
import type { Block, NarrativeSection, Run } from "../../domain/narrative-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import { disclosureDate } from "../../domain/disclosure-date.ts";
import { chartSpecs, placeCharts, type ChartSpec } from "./chart-specs.ts";
import { GENERATOR } from "./disclosure-json.ts";
import { chartPngs, docxChart, type ChartPicture } from "./docx-chart.ts";
import { Contents } from "./docx-contents.ts";
import { corePropertiesXml, type CoreProperties } from "./docx-properties.ts";
import { disclosureTable, performanceTables, tableNote, type PerformanceTableSpec } from "./docx-table.ts";
import { tableLayout } from "./xlsx-disclosure-layout.ts";
import { withEntryTimes } from "./zip-entry-times.ts";

/** A4 in twips, portrait. */
const A4 = { width: 11906, height: 16838 } as const;
const MARGIN = {
  portrait: { top: 1440, bottom: 1440, left: 1418, right: 1418, header: 720, footer: 720 },
  landscape: { top: 1134, bottom: 1134, left: 1134, right: 1134, header: 567, footer: 567 },
} as const;
type Orientation = "portrait" | "landscape";
const textWidth = (o: Orientation) => (o === "portrait" ? A4.width - MARGIN.portrait.left - MARGIN.portrait.right : A4.height - MARGIN.landscape.left - MARGIN.landscape.right);

const SONG = { ascii: "Times New Roman", hAnsi: "Times New Roman", cs: "Times New Roman", eastAsia: "宋体", hint: "eastAsia" } as const;
const HEI = { ascii: "Times New Roman", hAnsi: "Times New Roman", cs: "Times New Roman", eastAsia: "黑体", hint: "eastAsia" } as const;
const KAI = { ascii: "Times New Roman", hAnsi: "Times New Roman", cs: "Times New Roman", eastAsia: "楷体", hint: "eastAsia" } as const;

/** Character style of a narrative figure (a bound value run). */
export const FIGURE_STYLE = "GkFigure";

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4] as const;
const heading = (level: number) => HEADINGS[Math.min(HEADINGS.length, Math.max(1, level)) - 1]!;

const BODY = { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 480 }, spacing: { before: 0, after: 0, line: 400 } } as const;

function runsOf(runs: readonly Run[]): TextRun[] {
  return runs.map((r) => (r.kind === "value" ? new TextRun({ text: r.text, style: FIGURE_STYLE }) : new TextRun(r.text)));
}

interface Chunk {
  readonly orientation: Orientation;
  readonly children: (Paragraph | Table)[];
}

/** Builds the body as a sequence of sections, opening a new one whenever the page orientation changes. */
class Body {
  readonly chunks: Chunk[] = [];
  private current: Chunk | null = null;
  orientation: Orientation = "portrait";
  use(o: Orientation): void {
    if (this.current && this.orientation === o) return;
    this.orientation = o;
    this.current = { orientation: o, children: [] };
    this.chunks.push(this.current);
  }
  private headingLast = false;
  /** whether the page holds more than headings: a table then starts a new page */
  get started(): boolean {
    return (this.current?.children.length ?? 0) > 0 && !this.headingLast;
  }
  add(...items: (Paragraph | Table)[]): void {
    if (!this.current) this.use("portrait");
    this.current!.children.push(...items);
    this.headingLast = false;
  }
  /** a part or section title: what follows stays on its page */
  addHeading(p: Paragraph): void {
    this.add(p);
    this.headingLast = true;
  }
}

function ownerName(d: Disclosure): string {
  return d.scope.kind === "unit" ? d.scope.name : d.department.name;
}

function documentTitle(result: BuildResult): string {
  const d = result.disclosure;
  return result.narrative?.title ?? `${ownerName(d)}${d.department.year}年部门预算公开`;
}

function cover(result: BuildResult, findings: readonly Finding[]): Paragraph[] {
  const d = result.disclosure;
  const owner = ownerName(d);
  const title = documentTitle(result);
  const lines = title.startsWith(owner) && title.length > owner.length ? [owner, title.slice(owner.length)] : [title];
  const out: Paragraph[] = [new Paragraph({ spacing: { before: 2800 }, children: [] })];
  lines.forEach((l, i) =>
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: i === 0 ? 0 : 240, after: 240 },
        children: [new TextRun({ text: l, font: HEI, size: i === 0 ? 48 : 56, bold: true })],
      }),
    ),
  );
  out.push(new Paragraph({ spacing: { before: 2400 }, children: [] }));
  if (d.constructed !== null)
    out.push(
      new Paragraph({
        alignment: AlignmentType.LEFT,
        spacing: { before: 240, after: 240, line: 360 },
        border: {
          top: { style: BorderStyle.SINGLE, size: 8, color: "C00000", space: 6 },
          bottom: { style: BorderStyle.SINGLE, size: 8, color: "C00000", space: 6 },
          left: { style: BorderStyle.SINGLE, size: 8, color: "C00000", space: 6 },
          right: { style: BorderStyle.SINGLE, size: 8, color: "C00000", space: 6 },
        },
        children: [new TextRun({ text: "构造数据说明：", bold: true, color: "C00000" }), new TextRun({ text: d.constructed, color: "C00000" })],
      }),
    );
  const errors = findings.filter((f) => f.severity === "error").length;
  if (errors > 0)
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: 240 },
        children: [new TextRun({ text: `检查未通过：有 ${errors} 个错误级检查结果，发布前须更正。`, bold: true, color: "C00000" })],
      }),
    );
  out.push(new Paragraph({ spacing: { before: 2400 }, children: [] }));
  const sig = result.narrative?.signature ?? [owner, d.department.date ?? ""];
  out.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: `编制部门：${owner}`, size: 30, font: SONG })] }),
  );
  const date = sig[sig.length - 1];
  if (date !== undefined && date !== "" && date !== owner)
    out.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: date, size: 30, font: SONG })] }));
  return out;
}

/** Renders the narrative and tables into the body. */
class Writer {
  readonly body = new Body();
  /** the headings, for the 目录 */
  readonly contents = new Contents();
  private readonly printed = new Map<string, string>();
  /** charts by the id of the section they print in (after its own blocks), as in the page and the PDF */
  private readonly chartHome: Map<string, ChartSpec[]>;
  /** charts no section speaks of: at the end of the explanation part */
  readonly unplacedCharts: ChartSpec[];
  /** every chart's picture, drawn at once (docx-chart.ts) */
  private readonly pictures = new Map<string, ChartPicture>();
  constructor(
    private readonly result: BuildResult,
    private readonly currentPart: { title: string },
  ) {
    const specs = chartSpecs(result.disclosure, result.template.data.charts);
    this.chartHome = placeCharts(
      specs,
      result.narrative?.parts.find((p) => p.id === "explanation"),
    );
    const placed = new Set([...this.chartHome.values()].flat().map((c) => c.id));
    this.unplacedCharts = specs.filter((c) => !placed.has(c.id));
    chartPngs(specs).forEach((p, i) => this.pictures.set(specs[i]!.id, p));
  }

  /** Charts as pictures (docx-chart.ts), in portrait text width. */
  charts(specs: readonly ChartSpec[]): void {
    if (specs.length === 0) return;
    this.body.use("portrait");
    for (const spec of specs) this.body.add(...docxChart(spec, this.pictures.get(spec.id)!, textWidth("portrait"), [...this.pictures.keys()].indexOf(spec.id) + 1));
  }

  /** The lines above a table; `level` null prints the title as plain text (a repeated project table title). */
  private caption(number: string, title: string, level: number | null, newPage: boolean, unitLabel: string | null): Paragraph[] {
    const d = this.result.disclosure;
    const width = textWidth(this.body.orientation);
    const out: Paragraph[] = [];
    if (number !== "")
      out.push(new Paragraph({ pageBreakBefore: newPage, spacing: { before: 0, after: 0 }, children: [new TextRun({ text: number, size: 21 })] }));
    out.push(
      new Paragraph({
        ...(level === null ? {} : { heading: heading(level) }),
        pageBreakBefore: newPage && number === "",
        alignment: AlignmentType.CENTER,
        spacing: { before: 120, after: 120 },
        keepNext: true,
        children: level === null ? [new TextRun({ text: title, font: HEI, size: 32, bold: true })] : this.contents.heading(number === "" ? title : `${number} ${title}`, level, new TextRun({ text: title, font: HEI, size: 32, bold: true })),
      }),
    );
    out.push(
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: width }],
        spacing: { before: 0, after: 60 },
        keepNext: true,
        children: [new TextRun({ text: `编制部门：${ownerName(d)}`, size: 21 }), ...(unitLabel === null ? [] : [new TextRun({ text: `\t单位：${unitLabel}`, size: 21 })])],
      }),
    );
    return out;
  }

  private seeAbove(key: string): void {
    this.body.use("portrait");
    this.body.add(new Paragraph({ ...BODY, children: [new TextRun(`（见${this.printed.get(key) ?? ""}。）`)] }));
  }

  table(id: string, level: number): void {
    const d = this.result.disclosure;
    const t = d.tables.find((x) => x.id === id);
    if (!t) throw new Error(`the narrative names unknown table ${id}`);
    if (this.printed.has(id)) return this.seeAbove(id);
    this.printed.set(id, `${this.currentPart.title}${t.number}${t.title}`);
    this.body.use(t.orientation);
    const newPage = this.body.started;
    this.body.add(...this.caption(t.number, t.title, level, newPage, d.template.printUnit.label));
    this.body.add(disclosureTable(tableLayout(t, d.template.printUnit), textWidth(t.orientation)));
    const note = d.roundingNotes.get(t.id);
    if (note !== undefined) this.body.add(tableNote(note));
  }

  performance(id: string, level: number): void {
    const spec = this.result.template.data.performance_tables.find((x) => x.id === id);
    if (!spec) throw new Error(`the narrative names unknown performance table ${id}`);
    if (this.printed.has(id)) return this.seeAbove(id);
    this.printed.set(id, `${this.currentPart.title}${spec.title}`);
    this.performanceSpec(spec, level);
  }

  private performanceSpec(spec: PerformanceTableSpec, level: number): void {
    const d = this.result.disclosure;
    const o: Orientation = spec.columns.length > 8 ? "landscape" : "portrait";
    this.body.use(o);
    // only the first title is a heading; later project tables repeat it as plain text, each on a new page
    // the title without the 编制部门 line: the table's own header names the department (部门名称) or 预算单位
    const items = performanceTables(spec, d, textWidth(o), (title, first) => this.caption("", title, first ? level : null, this.body.started || !first, null).slice(0, 1));
    this.body.add(...items);
    if (spec.source === "projects")
      for (const note of projectTableNotes(d, this.result.template.data, this.result.narrative))
        this.body.add(new Paragraph({ ...BODY, spacing: { before: 240 }, children: [new TextRun(note)] }));
  }

  block(b: Block, level: number): void {
    switch (b.kind) {
      case "table":
        return this.table(b.table, level + 1);
      case "performance":
        return this.performance(b.table, level + 1);
      default:
        this.body.use("portrait");
    }
    switch (b.kind) {
      case "paragraph":
        this.body.add(new Paragraph({ ...BODY, children: runsOf(b.runs) }));
        break;
      case "list":
        for (const item of b.items) this.body.add(new Paragraph({ ...BODY, children: runsOf(item) }));
        break;
      case "fields":
        this.body.add(new Paragraph({ ...BODY, keepNext: true, children: runsOf(b.title) }));
        for (const f of b.fields) this.body.add(new Paragraph({ ...BODY, children: [new TextRun(`${f.label}：`), ...runsOf(f.value)] }));
        break;
    }
  }

  section(s: NarrativeSection, level: number): void {
    let inner = level - 1;
    if (s.title !== "") {
      this.body.use("portrait");
      this.body.addHeading(new Paragraph({ heading: heading(level), keepNext: true, children: this.contents.heading(s.title, level) }));
      inner = level;
    }
    for (const b of s.blocks) this.block(b, inner);
    this.charts(this.chartHome.get(s.id) ?? []);
    for (const sub of s.subsections) this.section(sub, inner + 1);
  }

  /** Tables the narrative never named, at the end. */
  rest(): void {
    for (const t of this.result.disclosure.tables) if (!this.printed.has(t.id)) this.table(t.id, 2);
    for (const p of this.result.template.data.performance_tables) if (!this.printed.has(p.id)) this.performance(p.id, 2);
  }
}

function footer(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ["第 ", PageNumber.CURRENT, " 页 共 ", PageNumber.TOTAL_PAGES, " 页"], size: 18 })],
      }),
    ],
  });
}

function page(o: Orientation) {
  return {
    size: { width: A4.width, height: A4.height, orientation: o === "portrait" ? PageOrientation.PORTRAIT : PageOrientation.LANDSCAPE },
    margin: MARGIN[o],
  };
}

/** The document's bytes. */
export async function disclosureDocx(result: BuildResult, findings: readonly Finding[]): Promise<Uint8Array> {
  const d = result.disclosure;
  const part = { title: "" };
  const w = new Writer(result, part);
  const narrative = result.narrative;
  // the 目录 opens the body on its own page; it is filled in when every heading is known
  w.body.use("portrait");
  const contentsAt = new Paragraph({ children: [] });
  w.body.add(contentsAt);
  if (narrative) {
    narrative.parts.forEach((p) => {
      part.title = p.title.split(/\s/)[0] ?? "";
      w.body.use("portrait");
      w.body.addHeading(
        new Paragraph({
          heading: HeadingLevel.HEADING_1,
          pageBreakBefore: w.body.started,
          children: w.contents.heading(p.title, 1),
        }),
      );
      for (const s of p.sections) w.section(s, 2);
      if (p.id === "explanation" && w.unplacedCharts.length > 0) {
        w.body.addHeading(new Paragraph({ heading: heading(2), keepNext: true, children: w.contents.heading("图表", 2) }));
        w.charts(w.unplacedCharts);
      }
    });
  }
  if (!narrative?.parts.some((p) => p.id === "explanation")) w.charts(w.unplacedCharts);
  part.title = "";
  w.rest();
  const first = w.body.chunks[0]!.children;
  first.splice(first.indexOf(contentsAt), 1, ...w.contents.paragraphs(new TextRun({ text: "目　录", font: HEI, size: 32 })));
  if (narrative && narrative.signature.length > 0) {
    w.body.use("portrait");
    w.body.add(new Paragraph({ spacing: { before: 480 }, children: [] }));
    for (const line of narrative.signature) w.body.add(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun(line)] }));
  }
  const sections: ISectionOptions[] = [
    { properties: { page: page("portrait") }, children: cover(result, findings) },
    ...w.body.chunks.map((c) => ({ properties: { page: page(c.orientation) }, footers: { default: footer() }, children: c.children })),
  ];
  const properties: CoreProperties = {
    title: documentTitle(result),
    subject: d.template.name,
    creator: GENERATOR,
    lastModifiedBy: GENERATOR,
    description: d.constructed ?? "",
    keywords: `部门预算公开 ${d.department.year} ${d.department.name}`,
  };
  const doc = new Document({
    ...properties,
    styles: {
      default: {
        document: { run: { font: SONG, size: 24 }, paragraph: { spacing: { line: 360 } } },
        heading1: {
          run: { font: HEI, size: 32, bold: false, color: "000000" },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 360 }, outlineLevel: 0, keepNext: true },
        },
        heading2: {
          run: { font: HEI, size: 28, bold: false, color: "000000" },
          paragraph: { spacing: { before: 240, after: 120 }, indent: { firstLine: 560 }, outlineLevel: 1, keepNext: true },
        },
        heading3: {
          run: { font: KAI, size: 26, bold: true, color: "000000" },
          paragraph: { spacing: { before: 120, after: 120 }, indent: { firstLine: 520 }, outlineLevel: 2, keepNext: true },
        },
        heading4: {
          run: { font: SONG, size: 24, bold: true, color: "000000", italics: false },
          paragraph: { spacing: { before: 120, after: 120 }, outlineLevel: 3, keepNext: true },
        },
      },
      // the 目录's entries: Word's built-in styles toc 1–3 (LibreOffice: Contents 1–3)
      paragraphStyles: [1, 2, 3].map((level) => ({
        id: `TOC${level}`,
        name: `toc ${level}`,
        basedOn: "Normal",
        next: "Normal",
        paragraph: { indent: { left: (level - 1) * 480 }, spacing: { before: level === 1 ? 120 : 0, after: 0, line: 400 } },
        run: { font: level === 1 ? HEI : SONG, size: 24 },
      })),
      characterStyles: [{ id: FIGURE_STYLE, name: "公开数字", basedOn: "DefaultParagraphFont", quickFormat: true, run: {} }],
    },
    sections,
  });
  // the same input gives the same bytes: core.xml and every zip entry carry the disclosure's date, not the clock
  const at = disclosureDate(d);
  const buf = await Packer.toBuffer(doc, false, [{ path: "docProps/core.xml", data: corePropertiesXml(properties, at) }]);
  return withEntryTimes(buf, at);
}
