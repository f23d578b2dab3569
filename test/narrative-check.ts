/**
 * Checks a disclosure's narrative against the reference's expected/narrative.csv: for every row, some sentence
 * of its section that contains the row's anchor also contains every figure the row requires and the right
 * direction word (the corrected word where the print is wrong). Used on the narrative model and on the page.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsvRecords } from "../src/domain/csv-format.ts";
import { REFERENCE_EXPECTED } from "./cli-harness.ts";

export interface NarrativeRow {
  section: string;
  item: string;
  anchor: string;
  amount: string;
  share_pct: string;
  change: string;
  change_pct: string;
  direction: string;
  correct_wording: string;
}

export function narrativeRows(): NarrativeRow[] {
  return parseCsvRecords(readFileSync(join(REFERENCE_EXPECTED, "narrative.csv"), "utf8")) as unknown as NarrativeRow[];
}

const NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };

/** "五(三) 具体使用情况" → "s5-3"; "十二(四) 预算绩效" → "s12-4"; "七(二) 项目支出" → "s7". */
export function sectionId(section: string): string {
  const m = /^([一二三四五六七八九十]+)(?:\(([一二三四五六七八九十]+)\))?/.exec(section);
  if (!m) throw new Error(`unknown section ${section}`);
  const main = NUMERALS[m[1]!]!;
  // sections whose parts (一)(二) are not subsections of their own: 七 lists its projects in one section
  if (!m[2] || main === 7) return `s${main}`;
  return `s${main}-${NUMERALS[m[2]]!}`;
}

export function sentences(text: string): string[] {
  return text
    .split(/[。\n！？]/)
    .map((s) => s.trim())
    .filter((s) => s);
}

const hasNumber = (sentence: string, num: string) => new RegExp(`(?<![\\d.])${num.replace(".", "\\.")}(?![\\d])`).test(sentence);

/** What a row requires of its sentence, per the reference README. */
export function requirements(row: NarrativeRow): { numbers: string[]; words: string[]; absent: string[] } {
  const wording = row.correct_wording.split(" ")[0] ?? "";
  const numbers: string[] = [];
  const words: string[] = [];
  const absent: string[] = [];
  if (row.amount) numbers.push(row.amount);
  const dropsShare = wording === "未安排";
  const dropsChange = wording === "持平" || wording === "未安排";
  const dropsPct = dropsChange || wording === "新增";
  if (row.share_pct && !dropsShare) numbers.push(row.share_pct);
  if (row.change && !dropsChange) numbers.push(row.change);
  if (row.change_pct && !dropsPct) numbers.push(row.change_pct);
  if (wording) words.push(wording);
  else if (row.direction) words.push(row.direction);
  if (dropsPct && row.change_pct) absent.push(`${row.change_pct}%`);
  return { numbers, words, absent };
}

/** Problems found (empty when every row is satisfied). `sectionText` gives the text of a section id. */
export function checkNarrative(sectionText: (id: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const row of narrativeRows()) {
    const id = sectionId(row.section);
    const text = sectionText(id);
    if (text === undefined) {
      problems.push(`${row.item}: no section ${id}`);
      continue;
    }
    const candidates = sentences(text).filter((s) => s.includes(row.anchor));
    if (!candidates.length) {
      problems.push(`${row.item}: no sentence of ${id} contains "${row.anchor}"`);
      continue;
    }
    const req = requirements(row);
    const ok = candidates.some(
      (s) => req.numbers.every((n) => hasNumber(s, n)) && req.words.every((w) => s.includes(w)) && req.absent.every((a) => !s.includes(a)),
    );
    if (!ok) problems.push(`${row.item} (${id}): needs ${JSON.stringify(req)} in one of ${JSON.stringify(candidates)}`);
  }
  return problems;
}
