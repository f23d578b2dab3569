/**
 * The written document of a disclosure, as structure: parts → sections → blocks → runs. Every figure in it is a
 * run bound to its source (a figure id, a table cell or an input value), never typed text. Renderers (HTML, PDF,
 * DOCX) print runs; tests read the bound values back.
 */

/** What a bound value is: an amount in the print unit, a share or change percentage, a count, a change amount. */
export type ValueRole = "amount" | "share" | "change" | "percent" | "count" | "area";

export type Run =
  | { readonly kind: "text"; readonly text: string }
  /** a figure: `text` is exactly what prints (e.g. "161.64"); `ref` names its source (e.g. `figure:carryover.appropriated`) */
  | { readonly kind: "value"; readonly text: string; readonly role: ValueRole; readonly ref: string }
  /** the department's own words (a reason, a purpose, a goal), quoted as written */
  | { readonly kind: "quote"; readonly text: string; readonly ref: string };

export type Block =
  | { readonly kind: "paragraph"; readonly runs: readonly Run[] }
  /** a list item keeps its printed marker ("1、", "（一）") as its first run */
  | { readonly kind: "list"; readonly items: readonly (readonly Run[])[] }
  /** label/value pairs (a project's 设立的政策依据, 预算安排规模, …) */
  | { readonly kind: "fields"; readonly title: readonly Run[]; readonly fields: readonly { label: string; value: readonly Run[] }[] }
  /** a table of the disclosure, by id, printed here */
  | { readonly kind: "table"; readonly table: string }
  /** a performance target table, by id, printed here */
  | { readonly kind: "performance"; readonly table: string };

export interface NarrativeSection {
  /** stable id, e.g. `s2` (第三部分 二) or `s12-4` */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
  readonly subsections: readonly NarrativeSection[];
}

export interface NarrativePart {
  /** `profile` 第一部分, `tables` 第二部分, `explanation` 第三部分, `glossary` 第四部分 */
  readonly id: string;
  readonly title: string;
  readonly sections: readonly NarrativeSection[];
}

export interface Narrative {
  readonly title: string;
  readonly parts: readonly NarrativePart[];
  /** the closing signature (department, date) */
  readonly signature: readonly string[];
}

/** The plain text of runs. */
export function runsText(runs: readonly Run[]): string {
  return runs.map((r) => r.text).join("");
}

/** The plain text of a block. */
export function blockText(b: Block): string {
  switch (b.kind) {
    case "paragraph":
      return runsText(b.runs);
    case "list":
      return b.items.map(runsText).join("\n");
    case "fields":
      return [runsText(b.title), ...b.fields.map((f) => `${f.label}：${runsText(f.value)}`)].join("\n");
    case "table":
    case "performance":
      return "";
  }
}

/** Visits sections depth-first, each before its subsections. */
export function walkSections(sections: readonly NarrativeSection[], visit: (s: NarrativeSection) => void): void {
  for (const s of sections) {
    visit(s);
    walkSections(s.subsections, visit);
  }
}

/** The runs of a block (a table or performance block has none). */
export function blockRuns(b: Block): readonly Run[] {
  switch (b.kind) {
    case "paragraph":
      return b.runs;
    case "list":
      return b.items.flat();
    case "fields":
      return [...b.title, ...b.fields.flatMap((f) => f.value)];
    case "table":
    case "performance":
      return [];
  }
}

/** Every figure id (from `figure:<id>` refs) a section's own blocks speak of. */
export function sectionFigureRefs(s: NarrativeSection): Set<string> {
  const refs = new Set<string>();
  for (const b of s.blocks) for (const r of blockRuns(b)) if (r.kind === "value" && r.ref.startsWith("figure:")) refs.add(r.ref.slice(7));
  return refs;
}
