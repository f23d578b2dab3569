/**
 * The narrative (parts → sections → blocks → runs) as pdfmake content, generically: headings, paragraphs with the
 * two-character first-line indent of Chinese official text, numbered lists (each item keeps its printed marker),
 * label/value fields; a `table` or `performance` block asks the document where that table goes (hooks). Figures
 * print exactly as the narrative wrote them. Paragraphs are broken into lines here (pdf-lines.ts) and justified by
 * character spacing, as Chinese text is set.
 */
import type { Content } from "pdfmake/interfaces.js";
import { runsText, type Block, type NarrativeSection, type Run } from "../../domain/narrative-model.ts";
import { breakLines, justifySpacing, keepLines, type Span, type TextMeasure } from "./pdf-lines.ts";
import { contentWidth } from "./pdf-style.ts";

/** How the document prints what the narrative only names, and what follows a section's own blocks (its charts). */
export interface PdfEmbedHooks {
  table(id: string): Content[];
  performance(id: string): Content[];
  afterBlocks(section: NarrativeSection): Content[];
}

/** Body text size, first-line indent (two ideographs) and the widest character spacing used to justify a line. */
const BODY_SIZE = 10.5;
const INDENT = 2 * BODY_SIZE;
const MAX_SPACING = 1.2;

/** Paragraphs made here: a heading may join the group of their first lines (pdfSection). */
const paragraphs = new WeakSet<object>();

/**
 * A paragraph as lines, each whole (`noWrap`) and justified by character spacing but the last; narrative text is
 * set on portrait pages (the document turns back to portrait after a landscape table). A page break leaves at least
 * two of its lines on each side (keepLines: no widow, no orphan).
 */
export function pdfParagraph(spans: readonly Span[], m: TextMeasure, style = "paragraph", size = BODY_SIZE, indent = INDENT): Content {
  const width = contentWidth("portrait");
  const lines = breakLines(spans, width, size, m, indent);
  const paragraph = {
    style,
    stack: keepLines(lines.map((l, i) => {
      const room = width - (i === 0 ? indent : 0);
      const cs = justifySpacing(l, room, MAX_SPACING);
      return {
        text: l.spans.length === 1 && !l.spans[0]!.bold ? l.spans[0]!.text : l.spans.map((x) => (x.bold ? { text: x.text, bold: true } : x.text)),
        noWrap: true,
        ...(i === 0 && indent > 0 ? { margin: [indent, 0, 0, 0] } : {}),
        ...(cs > 0 ? { characterSpacing: cs } : {}),
      };
    })),
  };
  paragraphs.add(paragraph);
  return paragraph as Content;
}

/** A heading kept with what follows it: with a paragraph's first lines only, else with the whole of what follows. */
function keepWithNext(heading: Content, next: Content): Content {
  if (typeof next === "object" && paragraphs.has(next)) {
    type Group = { stack: Content[]; unbreakable: true };
    const p = next as { stack: (Content | Group)[] };
    const [lead, ...rest] = p.stack;
    const leadLines: Content[] = lead === undefined ? [] : typeof lead === "object" && "unbreakable" in lead ? (lead as Group).stack : [lead as Content];
    // still a paragraph: a heading above this one joins the same first group
    const kept = { ...p, stack: [{ stack: [heading, ...leadLines], unbreakable: true }, ...rest] };
    paragraphs.add(kept);
    return kept as Content;
  }
  return { stack: [heading, next], unbreakable: true } as Content;
}

const plain = (runs: readonly Run[]): Span[] => [{ text: runsText(runs) }];

export function pdfBlock(b: Block, hooks: PdfEmbedHooks, m: TextMeasure): Content[] {
  switch (b.kind) {
    case "paragraph":
      return b.runs.length === 0 ? [] : [pdfParagraph(plain(b.runs), m)];
    case "list":
      return b.items.map((it) => pdfParagraph(plain(it), m));
    case "fields": {
      const out: Content[] = [];
      if (b.title.length) out.push(pdfParagraph([{ text: runsText(b.title), bold: true }], m, "fieldsTitle"));
      for (const f of b.fields) out.push(pdfParagraph([{ text: `${f.label}：`, bold: true }, { text: runsText(f.value) }], m));
      return out;
    }
    case "table":
      return hooks.table(b.table);
    case "performance":
      return hooks.performance(b.table);
  }
}

/** Whether content may travel with a heading to the next page (a table has a page of its own). */
function isSmall(c: Content | undefined): boolean {
  return typeof c === "object" && c !== null && !Array.isArray(c) && !("table" in c) && !("pageBreak" in c) && !("svg" in c);
}

/**
 * A section and its subsections. A top-level section (depth 1) is an entry of the table of contents; deeper ones
 * are headings only. A heading never ends a page: it is kept with what follows it (the first lines of its first
 * paragraph, or the next heading and its first lines) in one unbreakable block.
 */
export function pdfSection(s: NarrativeSection, depth: number, hooks: PdfEmbedHooks, m: TextMeasure): Content[] {
  const out: Content[] = [];
  for (const b of s.blocks) out.push(...pdfBlock(b, hooks, m));
  out.push(...hooks.afterBlocks(s));
  for (const sub of s.subsections) out.push(...pdfSection(sub, depth + 1, hooks, m));
  if (s.title === "") return out;
  const heading: Content =
    depth === 1
      ? ({ text: s.title, style: "section", tocItem: true, tocStyle: "tocEntry", tocMargin: [18, 1, 0, 1] } as Content)
      : ({ text: s.title, style: "subsection" } as Content);
  if (!isSmall(out[0])) return [heading, ...out];
  return [keepWithNext(heading, out[0]!), ...out.slice(1)];
}
