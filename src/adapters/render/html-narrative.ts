/**
 * The narrative as HTML: sections with their headings, paragraphs, lists and label/value fields. A bound figure is a
 * `<data>` element carrying its printed value and its source (`data-ref`), so a reader (or a test) can tell every
 * figure from typed text; the department's own words are marked as quotes with their source.
 */
import type { Block, NarrativeSection, Run } from "../../domain/narrative-model.ts";
import { esc } from "./html-escape.ts";

export function renderRuns(runs: readonly Run[]): string {
  return runs
    .map((r) => {
      switch (r.kind) {
        case "text":
          return esc(r.text);
        case "value":
          return `<data class="v v-${esc(r.role)}" value="${esc(r.text)}" data-ref="${esc(r.ref)}">${esc(r.text)}</data>`;
        case "quote":
          return `<span class="quote" data-ref="${esc(r.ref)}">${esc(r.text)}</span>`;
      }
    })
    .join("");
}

/** How the page prints what the narrative only names: a table or a performance table, by id. */
export interface EmbedHooks {
  table(id: string): string;
  performance(id: string): string;
  /** extra content at the end of a section's own blocks (charts placed there) */
  afterBlocks(section: NarrativeSection): string;
}

export function renderBlock(b: Block, hooks: EmbedHooks): string {
  switch (b.kind) {
    case "paragraph":
      return b.runs.length === 0 ? "" : `<p>${renderRuns(b.runs)}</p>`;
    case "list":
      return `<ol class="marked">${b.items.map((it) => `<li>${renderRuns(it)}</li>`).join("")}</ol>`;
    case "fields": {
      const title = b.title.length ? `<p class="fields-title">${renderRuns(b.title)}</p>` : "";
      const rows = b.fields.map((f) => `<div><dt>${esc(f.label)}</dt><dd>${renderRuns(f.value)}</dd></div>`).join("");
      return `<div class="fields">${title}<dl>${rows}</dl></div>`;
    }
    case "table":
      return hooks.table(b.table);
    case "performance":
      return hooks.performance(b.table);
  }
}

/** The element id of a narrative section. */
export const sectionAnchor = (s: NarrativeSection) => `sec-${s.id}`;

/** A section and its subsections; `level` is the heading level of its title (3 under a part's h2). */
export function renderSection(s: NarrativeSection, level: number, hooks: EmbedHooks): string {
  const h = Math.min(level, 6);
  const heading = s.title === "" ? "" : `<h${h}>${esc(s.title)}</h${h}>`;
  const blocks = s.blocks.map((b) => renderBlock(b, hooks)).join("");
  const subs = s.subsections.map((x) => renderSection(x, level + 1, hooks)).join("");
  return `<section class="sec sec-l${h}" id="${esc(sectionAnchor(s))}">${heading}${blocks}${hooks.afterBlocks(s)}${subs}</section>`;
}

