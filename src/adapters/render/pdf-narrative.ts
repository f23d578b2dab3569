/**
 * The narrative (parts → sections → blocks → runs) as pdfmake content, generically: headings, paragraphs with the
 * two-character first-line indent of Chinese official text, numbered lists (each item keeps its printed marker),
 * label/value fields; a `table` or `performance` block asks the document where that table goes (hooks). Figures
 * print exactly as the narrative wrote them.
 */
import type { Content } from "pdfmake/interfaces.js";
import { runsText, type Block, type NarrativeSection, type Run } from "../../domain/narrative-model.ts";

/** How the document prints what the narrative only names, and what follows a section's own blocks (its charts). */
export interface PdfEmbedHooks {
  table(id: string): Content[];
  performance(id: string): Content[];
  afterBlocks(section: NarrativeSection): Content[];
}

/** First-line indent: two ideographs of the body size. */
const INDENT = 21;

function paragraph(runs: readonly Run[], style = "paragraph"): Content {
  return { text: runsText(runs), style, leadingIndent: INDENT } as Content;
}

export function pdfBlock(b: Block, hooks: PdfEmbedHooks): Content[] {
  switch (b.kind) {
    case "paragraph":
      return b.runs.length === 0 ? [] : [paragraph(b.runs)];
    case "list":
      return b.items.map((it) => paragraph(it));
    case "fields": {
      const out: Content[] = [];
      if (b.title.length) out.push({ text: runsText(b.title), style: "fieldsTitle", leadingIndent: INDENT } as Content);
      for (const f of b.fields) out.push({ text: [{ text: `${f.label}：`, bold: true }, runsText(f.value)], style: "paragraph", leadingIndent: INDENT } as Content);
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
 * are headings only. A heading never ends a page: it is kept with what follows it (its first paragraph, or the next
 * heading and its paragraph) in one unbreakable block.
 */
export function pdfSection(s: NarrativeSection, depth: number, hooks: PdfEmbedHooks): Content[] {
  const out: Content[] = [];
  for (const b of s.blocks) out.push(...pdfBlock(b, hooks));
  out.push(...hooks.afterBlocks(s));
  for (const sub of s.subsections) out.push(...pdfSection(sub, depth + 1, hooks));
  if (s.title === "") return out;
  const heading: Content =
    depth === 1
      ? ({ text: s.title, style: "section", tocItem: true, tocStyle: "tocEntry", tocMargin: [18, 1, 0, 1] } as Content)
      : ({ text: s.title, style: "subsection" } as Content);
  if (!isSmall(out[0])) return [heading, ...out];
  return [{ stack: [heading, out[0]!], unbreakable: true } as Content, ...out.slice(1)];
}
