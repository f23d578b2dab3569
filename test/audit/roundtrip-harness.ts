/**
 * The round trip of test/audit/roundtrip.test.ts: a seeded generated budget → Gongkai's build → its disclosure.pdf
 * (and the text `pdftotext` makes of it) → `gongkai audit`; then the same with one error injected into the text the
 * auditor reads. Everything here chooses and edits by reading the printed text (the PDF's words, the text file's
 * lines) and by the build's own figures, never by the auditor's output.
 */
import type { AuditFinding } from "../../src/domain/audit/audit-report.ts";
import type { DocumentText, Word } from "../../src/domain/audit/document-text.ts";
import type { Budget } from "../../src/domain/budget-schema.ts";
import type { Disclosure } from "../../src/domain/disclosure-model.ts";
import { Rng } from "../../src/app/synthetic-budget.ts";

// ---------------------------------------------------------------------------------------------------------------
// The budget

/** 分 → hundredths of 万元, as printed (half away from zero) */
const printed = (v: bigint) => (v < 0n ? -((-v + 5000n) / 10000n) : (v + 5000n) / 10000n);

/**
 * The generator plants faults of its own input in some budgets (synthetic-budget.ts `priorAndReasons`): reasons written
 * as whole sentences (“主要原因是人员变动，预算增加。”, where the input format wants only what follows 主要原因是 — the
 * narrative adds the words and the stop, so the PDF prints 主要原因是主要原因是…。。), and one in twenty saying the
 * wrong direction. Those are faults of the document the auditor must report, not a clean round trip: each reason is
 * rewritten as the input format wants it, its cause kept and its direction the figure's own as printed (none when the
 * change prints as 0.00 万元 or the figure has no prior).
 */
export function withCleanReasons(budget: Budget, figures: Disclosure["figures"]): Budget {
  const reasons: Record<string, string> = {};
  for (const [id, text] of Object.entries(budget.reasons)) {
    const cause = text
      .replace(/^主要原因是/u, "")
      .replace(/[，,]?预算(增加|减少)。?$/u, "")
      .replace(/。$/u, "");
    const f = figures.get(id);
    // the direction as printed (万元 to 0.01, from amounts in 分): a change that prints as 0.00 is 持平, said without a word
    const change = f && f.prior !== null ? [printed(f.current) - printed(f.prior), printed(f.current - f.prior)] : [0n, 0n];
    const dir = change[0]! > 0n && change[1]! > 0n ? "增加" : change[0]! < 0n && change[1]! < 0n ? "减少" : null;
    reasons[id] = dir === null ? cause : `${cause}，预算${dir}`;
  }
  return { ...budget, reasons };
}

// ---------------------------------------------------------------------------------------------------------------
// Text units: what an injection edits (a word of a PDF page; a line of a text file's page)

export interface Unit {
  readonly page: number;
  /** the word's index on its page (PDF), or the line's index on its page (text) */
  readonly index: number;
  readonly text: string;
}

export function pdfUnits(doc: DocumentText): Unit[] {
  return doc.pages.flatMap((p) => p.words.map((w, index) => ({ page: p.number, index, text: w.text })));
}

/** Pages of a text file as `textToDocument` counts them: split at form feeds, a trailing empty page dropped. */
export function textPages(text: string): string[][] {
  const pages = text.replace(/\r\n?/g, "\n").split("\f");
  if (pages.length > 1 && pages[pages.length - 1]!.trim() === "") pages.pop();
  return pages.map((p) => p.split("\n"));
}

export function textUnits(text: string): Unit[] {
  return textPages(text).flatMap((lines, i) => lines.map((line, index) => ({ page: i + 1, index, text: line })));
}

/** One edit: in unit (page, index), the characters [at, at + length) become `to`. */
export interface Edit {
  readonly page: number;
  readonly index: number;
  readonly at: number;
  readonly from: string;
  readonly to: string;
}

const applyTo = (s: string, e: Edit) => {
  if (s.slice(e.at, e.at + e.from.length) !== e.from) throw new Error(`edit: “${e.from}” is not at ${e.at} of “${s}”`);
  return s.slice(0, e.at) + e.to + s.slice(e.at + e.from.length);
};

export function editPdf(doc: DocumentText, e: Edit): DocumentText {
  return {
    ...doc,
    pages: doc.pages.map((p) =>
      p.number !== e.page
        ? p
        : {
            ...p,
            words: p.words.map((w, i): Word => (i === e.index ? { ...w, text: applyTo(w.text, e) } : w)),
          },
    ),
  };
}

export function editText(text: string, e: Edit): string {
  const pages = text.replace(/\r\n?/g, "\n").split("\f");
  const lines = pages[e.page - 1]!.split("\n");
  lines[e.index] = applyTo(lines[e.index]!, e);
  pages[e.page - 1] = lines.join("\n");
  return pages.join("\f");
}

// ---------------------------------------------------------------------------------------------------------------
// Where the narrative is: the pages after the last table's title (the contents page lists the same headings)

const TABLE_TITLE = /^表\d+(\s|$)/u;
const squash = (s: string) => s.replace(/\s+/gu, "");

export function narrativeFrom(units: readonly Unit[]): number {
  let last = 0;
  for (const u of units) if (TABLE_TITLE.test(u.text.trim())) last = Math.max(last, u.page);
  return last + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Amounts as printed (万元 with 2 decimals): bigint hundredths

const AMOUNT = /^\d{1,3}(,\d{3})+\.\d{2}$|^\d+\.\d{2}$/u;
export const isAmount = (s: string) => AMOUNT.test(s);
export const hundredths = (s: string): bigint => BigInt(s.replace(/[,.]/gu, ""));
export function printHundredths(v: bigint, commas: boolean): string {
  const whole = (v / 100n).toString();
  const frac = (v % 100n).toString().padStart(2, "0");
  return `${commas ? whole.replace(/\B(?=(\d{3})+$)/gu, ",") : whole}.${frac}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The injections

export type InjectionKind = "cell" | "percent" | "direction" | "year";

export interface Injection {
  readonly kind: InjectionKind;
  readonly edit: Edit;
  /** what the auditor must find, and on which page */
  readonly codes: readonly AuditFinding["code"][];
  readonly page: number;
  /** the printed text after the edit that the finding must quote or rest on */
  readonly mark: string;
  readonly describe: string;
}

const STREAM: Record<InjectionKind, number> = {
  cell: 101,
  percent: 102,
  direction: 103,
  year: 104,
};
const rng = (seed: number, kind: InjectionKind) => new Rng(seed, STREAM[kind]);

/**
 * The leaf rows of the PDF's coded tables: a 项 row prints its code as three words (类 款 项, "201" "06" "04") at the
 * left of one line, then its amounts. Each amount word of such a row is a candidate.
 */
function leafCells(doc: DocumentText): { page: number; index: number; word: Word; code: string }[] {
  const out: { page: number; index: number; word: Word; code: string }[] = [];
  for (const p of doc.pages) {
    const lines = new Map<number, { index: number; word: Word }[]>();
    p.words.forEach((word, index) => {
      const key = [...lines.keys()].find((y) => Math.abs(y - word.y0) < 1.5) ?? word.y0;
      const l = lines.get(key) ?? [];
      l.push({ index, word });
      lines.set(key, l);
    });
    for (const l of lines.values()) {
      l.sort((a, b) => a.word.x0 - b.word.x0);
      const [a, b, c] = l;
      if (!a || !b || !c || !/^\d{3}$/u.test(a.word.text) || !/^\d{2}$/u.test(b.word.text) || !/^\d{2}$/u.test(c.word.text)) continue;
      const code = `${a.word.text}${b.word.text}${c.word.text}`;
      for (const w of l.slice(3)) if (isAmount(w.word.text)) out.push({ page: p.number, index: w.index, word: w.word, code });
    }
  }
  return out;
}

/**
 * A changed cell: an amount of a 项 row of a table, chosen by the seed, raised by 0.20–0.99 万元 (seeded). The smallest
 * change is twice the envelope of a sum of 19 printed terms (19 × 0.005 + 0.005 = 0.10 万元): whatever the rounding
 * left in the printed sums, the 款 over this 项 (and the row's own total, where the table has one) no longer adds up
 * (AUD-SUM; AUD-TWICE or AUD-NARRATIVE count too, where the figure is printed again or stated in the narrative).
 * In the text file the same printed value on the same page is changed (its k-th printing where the PDF's was the k-th).
 */
/** a changed cell breaks a sum, or differs from its other printing, or from what the narrative says of it */
const CELL_CODES: readonly AuditFinding["code"][] = ["AUD-SUM", "AUD-TWICE", "AUD-NARRATIVE"];

export function cellInjection(seed: number, doc: DocumentText, text?: string): Injection | null {
  const cells = leafCells(doc);
  if (cells.length === 0) return null;
  const r = rng(seed, "cell");
  const target = cells[Math.floor(r.next() * cells.length)]!;
  const delta = BigInt(20 + r.int(0, 79));
  const from = target.word.text;
  const to = printHundredths(hundredths(from) + delta, from.includes(","));
  const describe = `第 ${target.page} 页 ${target.code} 行的 ${from} → ${to}（+${printHundredths(delta, false)} 万元）`;
  if (text === undefined)
    return {
      kind: "cell",
      edit: { page: target.page, index: target.index, at: 0, from, to },
      codes: CELL_CODES,
      page: target.page,
      mark: to,
      describe,
    };
  // the k-th word of this text on its page ↔ the k-th line of this text on the same page of the text file
  const page = doc.pages.find((p) => p.number === target.page)!;
  const k = page.words.slice(0, target.index).filter((w) => w.text === from).length;
  const lines = (textPages(text)[target.page - 1] ?? []).flatMap((line, index) => {
    // the value as a whole token of the line (not the tail of a longer number)
    const out: { index: number; at: number }[] = [];
    for (const m of line.matchAll(/\S+/gu)) if (m[0] === from) out.push({ index, at: m.index });
    return out;
  });
  if (lines.length === 0) return null;
  const l = lines[k % lines.length]!;
  return {
    kind: "cell",
    edit: { page: target.page, index: l.index, at: l.at, from, to },
    codes: CELL_CODES,
    page: target.page,
    mark: to,
    describe,
  };
}

/** "X万元，（占P%，）比上年（预算）增加D万元，增长Q%" within one word or line of the narrative */
const CHANGE = /(\d[\d,]*\.\d{2})万元，(?:占\d+(?:\.\d+)?%，)?比上年(?:预算)?(增加|减少)(\d[\d,]*\.\d{2})万元，(增长|下降)(\d+\.\d{2})%/gu;

interface ChangeMatch {
  readonly unit: Unit;
  readonly at: number;
  readonly x: string;
  readonly word: "增加" | "减少";
  readonly wordAt: number;
  readonly d: string;
  readonly q: string;
  readonly qAt: number;
}

function changes(units: readonly Unit[]): ChangeMatch[] {
  const from = narrativeFrom(units);
  const out: ChangeMatch[] = [];
  for (const u of units) {
    if (u.page < from) continue;
    for (const m of u.text.matchAll(CHANGE)) {
      const s = m[0];
      const word = m[2] as "增加" | "减少";
      const wordAt = m.index + s.indexOf(word, m[1]!.length + 3);
      const qAt = m.index + s.length - m[5]!.length - 1;
      out.push({
        unit: u,
        at: m.index,
        x: m[1]!,
        word,
        wordAt,
        d: m[3]!,
        q: m[5]!,
        qAt,
      });
    }
  }
  return out;
}

/**
 * A percentage changed outside its envelope: in "X万元，比上年增加D万元，增长Q%" the prior year is X − D (X + D for a
 * decrease) with both roundings (±0.01 万元), D is ±0.005, so Q lies in [(D − 0.005) / (prior + 0.01), (D + 0.005) /
 * (prior − 0.01)]; the printed Q' = the smallest two-decimal percentage whose own rounding interval (±0.005) lies
 * wholly above that, plus 0–0.50 points (seeded). Only changes whose prior is at least 1 万元 are candidates.
 */
export function percentInjection(seed: number, units: readonly Unit[]): Injection | null {
  const cs = changes(units).filter((c) => {
    const x = hundredths(c.x);
    const d = hundredths(c.d);
    const prior = c.word === "增加" ? x - d : x + d;
    return prior >= 100n && d > 0n;
  });
  if (cs.length === 0) return null;
  const r = rng(seed, "percent");
  const c = cs[Math.floor(r.next() * cs.length)]!;
  const x = hundredths(c.x);
  const d = hundredths(c.d);
  // in half-hundredths of 万元: D + 0.005 and the prior's lower bound
  const dHi = 2n * d + 1n;
  const priorLo = 2n * (c.word === "增加" ? x - d : x + d) - 2n;
  // q in hundredths of a percent: (q − 0.5) / 10000 > dHi / priorLo  ⇔  (2q − 1) · priorLo > 20000 · dHi
  let q = (20000n * dHi) / priorLo / 2n;
  while ((2n * q - 1n) * priorLo <= 20000n * dHi) q++;
  q += BigInt(r.int(0, 50));
  const to = printHundredths(q, false);
  return {
    kind: "percent",
    edit: { page: c.unit.page, index: c.unit.index, at: c.qAt, from: c.q, to },
    codes: ["AUD-ARITH"],
    page: c.unit.page,
    mark: `${to}%`,
    describe: `第 ${c.unit.page} 页 “${c.x}万元…${c.word}${c.d}万元，…${c.q}%” 的 ${c.q}% → ${to}%`,
  };
}

/** A swapped direction word: 增加↔减少 in a change "比上年增加D万元，增长Q%" (its 增长/下降 and its reason left as printed). */
export function directionInjection(seed: number, units: readonly Unit[]): Injection | null {
  const cs = changes(units).filter((c) => hundredths(c.d) > 0n);
  if (cs.length === 0) return null;
  const r = rng(seed, "direction");
  const c = cs[Math.floor(r.next() * cs.length)]!;
  const to = c.word === "增加" ? "减少" : "增加";
  return {
    kind: "direction",
    edit: {
      page: c.unit.page,
      index: c.unit.index,
      at: c.wordAt,
      from: c.word,
      to,
    },
    codes: ["AUD-DIRECTION"],
    page: c.unit.page,
    mark: `${to}${c.d}`,
    describe: `第 ${c.unit.page} 页 “比上年…${c.word}${c.d}万元” 的 ${c.word} → ${to}`,
  };
}

/**
 * A wrong year: the year of a section heading of the narrative (“三、关于…2024年支出预算情况说明”), of a 项's
 * sentence (“2024年预算数为…”), or a comparison (“比上年预算” → “比2022年预算”), chosen by the seed; the wrong year is
 * Y − 3, Y − 2, Y + 1 or Y + 2 (Y itself too for a comparison, which must be with Y − 1).
 */
export function yearInjection(seed: number, units: readonly Unit[], year: number): Injection | null {
  const from = narrativeFrom(units);
  const ys = String(year);
  const cands: {
    unit: Unit;
    at: number;
    from: string;
    kind: "heading" | "budget" | "comparison";
  }[] = [];
  for (const u of units) {
    if (u.page < from) continue;
    const t = u.text;
    const h = /^([一二三四五六七八九十]+、关于.*?)(\d{4})年/u.exec(t.trim());
    if (h && h[2] === ys && squash(t).endsWith("说明"))
      cands.push({
        unit: u,
        at: t.indexOf(h[1]!) + h[1]!.length,
        from: ys,
        kind: "heading",
      });
    for (const m of t.matchAll(/(\d{4})年预算数为/gu)) if (m[1] === ys) cands.push({ unit: u, at: m.index, from: ys, kind: "budget" });
    for (const m of t.matchAll(/比上年(?=预算)/gu))
      cands.push({
        unit: u,
        at: m.index + 1,
        from: "上年",
        kind: "comparison",
      });
  }
  if (cands.length === 0) return null;
  const r = rng(seed, "year");
  const c = cands[Math.floor(r.next() * cands.length)]!;
  const wrong = c.kind === "comparison" ? r.pick([year - 3, year - 2, year]) : r.pick([year - 3, year - 2, year + 1, year + 2]);
  const to = c.kind === "comparison" ? `${wrong}年` : String(wrong);
  return {
    kind: "year",
    edit: {
      page: c.unit.page,
      index: c.unit.index,
      at: c.at,
      from: c.from,
      to,
    },
    codes: ["AUD-YEAR"],
    page: c.unit.page,
    mark: `${wrong}年`,
    describe: `第 ${c.unit.page} 页 ${c.kind === "heading" ? "标题" : c.kind === "budget" ? "“…年预算数为”" : "比较"}：${c.from} → ${to}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Findings

/** a finding as a comparable key (a finding of the injected document that the clean one did not have is new) */
export const findingKey = (f: AuditFinding) => [f.code, f.page, f.line, f.quote, f.expected, f.found].join("|");

/** the places a finding quotes or rests on */
export const placesOf = (f: AuditFinding) => [f, ...f.related];

/**
 * Gongkai's own defects that the auditor rightly reports, located here by reading the document, not the auditor:
 * - the Xinjiang template's instruction to its preparer “（按项目分别填报）”, which Gongkai's narrative template
 *   (data/narratives/xinjiang-2024.yaml, the performance paragraph) prints as the published sample does
 *   (test/audit/changji-xinfang-2024-budget.yaml lists it there as a finding);
 * - a page with nothing but its page number (the PDF renderer breaks a page before a section that then starts on the
 *   next page).
 */
export interface OwnDefect {
  readonly code: AuditFinding["code"];
  readonly page: number;
  readonly what: string;
}

const PAGE_NUMBER = /^第\d+页共\d+页$/u;

export function ownDefects(pages: readonly { page: number; lines: readonly string[] }[]): OwnDefect[] {
  const out: OwnDefect[] = [];
  for (const p of pages) {
    const text = squash(p.lines.join(""));
    if (text.includes("（按项目分别填报）"))
      out.push({
        code: "AUD-PLACEHOLDER",
        page: p.page,
        what: "（按项目分别填报）",
      });
    const rest = p.lines.map(squash).filter((l) => l !== "" && !PAGE_NUMBER.test(l));
    if (rest.length === 0) out.push({ code: "AUD-TEXT", page: p.page, what: "blank page" });
  }
  return out;
}

/** the lines of a PDF page, words on one baseline joined */
export function pdfPageLines(doc: DocumentText): { page: number; lines: string[] }[] {
  return doc.pages.map((p) => {
    const lines: { y: number; words: Word[] }[] = [];
    for (const w of [...p.words].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0)) {
      const l = lines.find((x) => Math.abs(x.y - w.y0) < 1.5);
      if (l) l.words.push(w);
      else lines.push({ y: w.y0, words: [w] });
    }
    return {
      page: p.number,
      lines: lines.map((l) =>
        l.words
          .sort((a, b) => a.x0 - b.x0)
          .map((w) => w.text)
          .join(" "),
      ),
    };
  });
}

export function isOwnDefect(f: AuditFinding, defects: readonly OwnDefect[]): boolean {
  return defects.some(
    (d) =>
      d.code === f.code &&
      d.page === f.page &&
      (d.what === "blank page" ? /空白页|blank/u.test(f.reason.zh + f.reason.en) : squash(f.found ?? f.quote).includes(d.what)),
  );
}
