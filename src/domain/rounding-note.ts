/**
 * Rounding notes. Every printed cell is its exact total rounded once, so a printed sum can differ from the sum of its
 * printed parts by a few steps (表6 301 prints 372.02, its 款 add up to 372.03): correct, but a reader must be told.
 * The template's sentence `rounding_note` is printed under each table where a printed sum does not add up exactly,
 * and under no other.
 *
 * Which tables those are is a pure function of the printed cells and the relations the printed-cell rules state
 * among them (data/rules/<template>.yaml): a relation whose printed sides differ while it holds within its tolerance
 * is a rounding difference. It marks the tables that print its summed cells (a side of more than one cell): for a
 * relation inside one table, that table; for a printed sum stated in another table (表7's rows of a 项 against 表5's
 * 项目支出), the table whose parts a reader adds up. A relation that fails its tolerance is an error, not a rounding
 * difference, and is left to the findings. A template without rules or without the sentence prints no note.
 */
import type { PrintUnit } from "./money.ts";
import { differingRelations, printedTables, relationHolds, type PrintedTable, type Relation, type RuleSet } from "./rule-engine.ts";
import type { ComputedTable } from "./table-engine.ts";

/** The key of the note in a template's `sentences`. */
export const ROUNDING_NOTE_SENTENCE = "rounding_note";

/** The ids of the tables that a rounding difference of these relations marks (see the file's comment). */
export function roundingDifferenceTables(relations: readonly Relation[]): Set<string> {
  const out = new Set<string>();
  for (const r of relations) {
    if (r.kind === "eq" ? r.lhs.value === r.rhs.value : r.lhs.value <= r.rhs.value) continue;
    if (!relationHolds(r)) continue;
    const summed = [r.lhs, r.rhs].filter((side) => side.cells.length > 1);
    for (const side of summed.length ? summed : [r.lhs, r.rhs]) for (const c of side.cells) out.add(c.table);
  }
  return out;
}

/** The tables of printed tables that show a rounding difference under these rules. */
export function tablesWithRoundingDifference(rules: RuleSet, tables: readonly PrintedTable[], unit: PrintUnit): Set<string> {
  return roundingDifferenceTables(differingRelations(rules, tables, unit));
}

/**
 * The note under each computed table that shows a rounding difference: table id → the template's sentence, in table
 * order. Empty when the template has no sentence or no rules.
 */
export function roundingNotes(tables: readonly ComputedTable[], rules: RuleSet | null, sentences: Readonly<Record<string, string>>, unit: PrintUnit): ReadonlyMap<string, string> {
  const sentence = sentences[ROUNDING_NOTE_SENTENCE];
  const out = new Map<string, string>();
  if (rules === null || sentence === undefined || sentence === "") return out;
  const marked = tablesWithRoundingDifference(rules, printedTables(tables, unit), unit);
  for (const t of tables) if (marked.has(t.id)) out.set(t.id, sentence);
  return out;
}
