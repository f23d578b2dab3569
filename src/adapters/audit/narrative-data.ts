/**
 * The narrative's data (issue 14): `data/audit/narrative-subjects.yaml` (subjects, direction words, layout) and
 * `data/audit/placeholders.yaml` (placeholders and faults of the text), validated with their schemas and compiled once
 * per process, and the layout the sentence splitter needs, with the table titles of `data/audit/table-titles.yaml`.
 * A broken data file is our bug, so it throws.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { NarrativeLayout } from "../../domain/audit/narrative-sentences.ts";
import { compileNarrativeVocabulary, type NarrativeVocabulary } from "../../domain/audit/narrative-vocabulary.ts";
import { compileTextFaultPatterns, type TextFaultPatterns } from "../../domain/audit/text-faults.ts";
import { matchTitle, matchUnit, normaliseTitle } from "../../domain/audit/table-kinds.ts";
import { tableTitles } from "./table-titles.ts";

export const NARRATIVE_SUBJECTS_FILE = fileURLToPath(new URL("../../../data/audit/narrative-subjects.yaml", import.meta.url));
export const PLACEHOLDERS_FILE = fileURLToPath(new URL("../../../data/audit/placeholders.yaml", import.meta.url));

let vocabulary: NarrativeVocabulary | null = null;
let patterns: TextFaultPatterns | null = null;
let layout: NarrativeLayout | null = null;

/** The subjects, direction words and layout words of the narrative, read once. */
export function narrativeVocabulary(): NarrativeVocabulary {
  vocabulary ??= compileNarrativeVocabulary(parseYaml(readFileSync(NARRATIVE_SUBJECTS_FILE, "utf8")), NARRATIVE_SUBJECTS_FILE);
  return vocabulary;
}

/** The placeholders and faults of the text, read once. */
export function textFaultPatterns(): TextFaultPatterns {
  patterns ??= compileTextFaultPatterns(parseYaml(readFileSync(PLACEHOLDERS_FILE, "utf8")), PLACEHOLDERS_FILE);
  return patterns;
}

/** The layout of a narrative: the vocabulary's layout words and the table titles' catalog. */
export function narrativeLayout(): NarrativeLayout {
  if (layout) return layout;
  const v = narrativeVocabulary().layout;
  const titles = tableTitles();
  layout = {
    isTableTitle: (t) => matchTitle(t, titles) !== null,
    isTableNumberLine: (t) => titles.numberLine.test(normaliseTitle(t)),
    isUnitLine: (t) => matchUnit(t, titles) !== null || v.unitLine.test(t),
    tableHeadLine: v.tableHeadLine,
    partHeading: v.partHeading,
    markers: v.markers,
    headingEnd: v.headingEnd,
    contentsTitle: v.contentsTitle,
    pageNumber: v.pageNumber,
    tableNote: v.tableNote,
  };
  return layout;
}
