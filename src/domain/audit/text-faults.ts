/**
 * The faults a reader meets in a disclosure's text, and the narrative's own arithmetic (issue 14, point 5):
 *
 * - AUD-PLACEHOLDER: XX, ××, 待填写, 增加（减少）, a blank amount (…万元，比上年增加万元), 【…】 template instructions;
 * - AUD-TEXT: garbled characters (U+FFFD, mojibake, private-use glyphs), an unclosed bracket or quotation mark within a
 *   paragraph, an unfinished sentence (主要原因是。, …的。), punctuation typed twice, a blank page;
 * - AUD-ARITH: a change, a share or a completion rate that does not follow from the amounts the same sentence (or the
 *   sentence before it, for the same subject) states, by interval arithmetic on the rounded inputs: "X万元，比上年增加
 *   Y万元，增长Z%" needs Z ∈ Y/(X−Y) with X and Y each anywhere in their rounding interval;
 * - AUD-DIRECTION: a direction word against the sign of its own figures or against its reason (持平 explained by
 *   …减少支付), and in a final account 决算数大于预算数 where the 决算 is smaller;
 * - AUD-YEAR candidates: years said of a budget or final account that are neither the document's year nor the one
 *   before, a comparison (比2023年) with another year than the one before, a heading of the document's kind with
 *   another year than its own, an as-of date (截至…) outside the document's period. They are returned as candidates
 *   with the year found and the years expected: the checker, which knows the document's year with confidence, decides.
 *
 * The patterns are data (`data/audit/placeholders.yaml`). A claim that lacks what a rule needs is simply not checked by
 * it; the counts say how many were.
 */
import { z } from "zod";
import type { AuditFinding, AuditSeverity, DocumentKind, NotChecked } from "./audit-report.ts";
import type { DocumentText } from "./document-text.ts";
import type { NarrativeAmount, NarrativeClaim, NarrativePercent, NarrativeReading, Span, YearContext } from "./narrative-claims.ts";
import { placeOf, type NarrativeText } from "./narrative-sentences.ts";
import type { Direction } from "./narrative-vocabulary.ts";
import { formatPrintedAmount, type PrintedAmount } from "./printed-amount.ts";

// ---------------------------------------------------------------------------------------------------------------
// the patterns

const regexSource = z.string().min(1).refine((s) => {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

const named = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  where: z.enum(["narrative", "all"]).optional(),
  zh: z.string().min(1),
  en: z.string().min(1),
  pattern: regexSource,
});

export const textFaultPatternsSchema = z.strictObject({
  placeholders: z.array(named).min(1),
  garbled: z.array(named).min(1),
  unfinished: z.array(named.omit({ where: true }).extend({ unless: regexSource.optional() })).min(1),
  doubled_punctuation: regexSource,
  pairs: z.array(z.tuple([z.string().length(1), z.string().length(1)])).min(1),
  symmetric_quotes: z.array(z.string().length(1)),
});

export interface FaultPattern {
  readonly id: string;
  /** a match whose text up to it matches this is not a fault */
  readonly unless?: RegExp;
  readonly where: "narrative" | "all";
  readonly zh: string;
  readonly en: string;
  readonly pattern: RegExp;
}

export interface TextFaultPatterns {
  readonly placeholders: readonly FaultPattern[];
  readonly garbled: readonly FaultPattern[];
  readonly unfinished: readonly FaultPattern[];
  readonly doubledPunctuation: RegExp;
  readonly pairs: readonly (readonly [string, string])[];
  readonly symmetricQuotes: readonly string[];
}

/** The patterns from the parsed YAML; throws with every problem when the data does not fit the schema. */
export function compileTextFaultPatterns(raw: unknown, source = "placeholders.yaml"): TextFaultPatterns {
  const r = textFaultPatternsSchema.safeParse(raw);
  if (!r.success) throw new Error(`${source} is invalid:\n${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")}`);
  const d = r.data;
  const one = (p: { id: string; where?: "narrative" | "all" | undefined; zh: string; en: string; pattern: string; unless?: string | undefined }): FaultPattern => ({
    id: p.id,
    ...(p.unless !== undefined ? { unless: new RegExp(p.unless, "u") } : {}),
    where: p.where ?? "narrative",
    zh: p.zh,
    en: p.en,
    pattern: new RegExp(p.pattern, "gu"),
  });
  return {
    placeholders: d.placeholders.map(one),
    garbled: d.garbled.map(one),
    unfinished: d.unfinished.map(one),
    doubledPunctuation: new RegExp(d.doubled_punctuation, "gu"),
    pairs: d.pairs,
    symmetricQuotes: d.symmetric_quotes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// the report

/** What is known of the document, from its recognition (a null or absent field: not known with confidence). */
export interface DocumentFacts {
  readonly year?: number | null;
  readonly kind?: DocumentKind | null;
}

/** A finding with the rule that made it (for tests, filters and the report's explanation). */
export interface TextFault {
  readonly rule: string;
  readonly finding: AuditFinding;
  /** the claim it is about, for the arithmetic and direction rules */
  readonly claim?: number;
}

export interface YearCandidate {
  readonly year: number;
  /** the years the context allows (the document's year, the one before …) */
  readonly expected: readonly number[];
  readonly context: YearContext;
  readonly rule: "outside-period" | "comparison" | "title" | "as-of";
  readonly page: number | null;
  readonly line: number | null;
  readonly quote: string;
  readonly sentence: number;
}

export interface TextFaultReport {
  readonly findings: readonly TextFault[];
  readonly yearCandidates: readonly YearCandidate[];
  readonly notChecked: readonly NotChecked[];
  readonly counts: {
    /** narrative sentences read, and checked by at least one rule of the text */
    readonly sentences: { readonly read: number; readonly checked: number };
    /** claims read, and checked by the narrative's own arithmetic or direction rules */
    readonly claims: { readonly read: number; readonly checked: number };
  };
}

const MONEY_SCALE: Readonly<Record<string, bigint>> = { 元: 1n, 万元: 10_000n, 亿元: 100_000_000n };

/** Every fault of the text and of the narrative's own arithmetic. */
export function textFaults(doc: DocumentText, nt: NarrativeText, reading: NarrativeReading, patterns: TextFaultPatterns, facts: DocumentFacts = {}): TextFaultReport {
  const findings: TextFault[] = [];
  const place = (span: Span) => placeAt(nt, reading, span);
  const make = (code: AuditFinding["code"], severity: AuditSeverity, span: Span, reason: { zh: string; en: string }, expected: string | null, found: string | null, rule: string, claim?: number) => {
    const p = place(span);
    findings.push({
      rule,
      finding: { code, severity, page: p.page, line: p.line, quote: reading.text.slice(span.start, span.end), expected, found, reason, related: [] },
      ...(claim !== undefined ? { claim } : {}),
    });
  };
  let sentencesChecked = 0;

  // placeholders and garbled characters, in the narrative
  nt.sentences.forEach((s, i) => {
    const st = reading.sentenceStarts[i]!;
    sentencesChecked++;
    for (const p of patterns.placeholders) {
      if (p.id === "blank-amount" && s.kind !== "text" && s.kind !== "table-note") continue;
      for (const m of s.text.matchAll(p.pattern))
        make("AUD-PLACEHOLDER", "warning", { start: st, end: st + s.text.length }, { zh: `文中留有${p.zh}：“${m[0]}”`, en: `${p.en} is left in the text: "${m[0]}"` }, null, m[0], `placeholder.${p.id}`);
    }
    for (const p of patterns.garbled)
      for (const m of s.text.matchAll(p.pattern))
        make("AUD-TEXT", "warning", { start: st, end: st + s.text.length }, { zh: `文中有${p.zh}：“${m[0]}”`, en: `the text holds ${p.en}: "${m[0]}"` }, null, m[0], `garbled.${p.id}`);
    if (s.kind === "text" || s.kind === "heading" || s.kind === "table-note") {
      for (const m of s.text.matchAll(patterns.doubledPunctuation))
        make("AUD-TEXT", "warning", { start: st, end: st + s.text.length }, { zh: `标点重复：“${m[0]}”`, en: `punctuation typed twice: "${m[0]}"` }, m[0].slice(0, 1), m[0], "text.doubled-punctuation");
    }
    if (s.kind === "text" || s.kind === "table-note") {
      for (const p of patterns.unfinished)
        for (const m of s.text.matchAll(p.pattern)) {
          if (p.unless?.test(s.text.slice(0, m.index + m[0].length))) continue;
          make("AUD-TEXT", "warning", { start: st, end: st + s.text.length }, { zh: `${p.zh}：“${m[0]}”`, en: `${p.en}: "${m[0]}"` }, null, m[0], `unfinished.${p.id}`);
        }
    }
  });
  // in the lines of tables and of the table of contents: the patterns meant for all text
  const otherLines: { page: number; line: number | null; text: string }[] = [
    ...nt.tables.flatMap((t) => t.lines.map((l) => ({ page: l.page, line: nt.geometry === "text" ? l.y0 : null, text: l.text }))),
    ...nt.dropped.filter((d) => d.why === "contents").map((d) => ({ page: d.page, line: null, text: d.text })),
  ];
  for (const l of otherLines) {
    for (const [code, list] of [["AUD-PLACEHOLDER", patterns.placeholders], ["AUD-TEXT", patterns.garbled]] as const)
      for (const p of list) {
        if (p.where !== "all") continue;
        for (const m of l.text.matchAll(p.pattern)) {
          findings.push({
            rule: `${code === "AUD-TEXT" ? "garbled" : "placeholder"}.${p.id}`,
            finding: {
              code,
              severity: "warning",
              page: nt.geometry === "pdf" || doc.pages.length > 1 ? l.page : null,
              line: l.line,
              quote: l.text,
              expected: null,
              found: m[0],
              reason: code === "AUD-TEXT" ? { zh: `文中有${p.zh}：“${m[0]}”`, en: `the text holds ${p.en}: "${m[0]}"` } : { zh: `文中留有${p.zh}：“${m[0]}”`, en: `${p.en} is left in the text: "${m[0]}"` },
              related: [],
            },
          });
        }
      }
  }

  // brackets and quotation marks, per paragraph; the quote is the sentence that holds the one left open (or closing
  // nothing)
  for (const para of nt.paragraphs) {
    if (para.kind === "fragment" || para.sentences.length === 0) continue;
    const st = reading.sentenceStarts[para.sentences[0]!]!;
    // an item numbered 1） has a closing bracket that opens nothing
    const skip = para.marker && /[）)]$/.test(para.marker) && !/^[（(]/.test(para.marker) ? para.marker.length : 0;
    const bad = unbalanced(para.text.slice(skip), patterns);
    if (bad) {
      const at = st + skip + bad.at;
      const si = para.sentences.filter((i) => reading.sentenceStarts[i]! <= at).pop() ?? para.sentences[0]!;
      const ss = reading.sentenceStarts[si]!;
      make("AUD-TEXT", "warning", { start: ss, end: ss + nt.sentences[si]!.text.length }, bad.open
        ? { zh: `“${bad.char}”在本段内没有闭合`, en: `"${bad.char}" is not closed within its paragraph` }
        : { zh: `“${bad.char}”在本段内没有对应的开括号或引号`, en: `"${bad.char}" closes nothing within its paragraph` }, bad.expected, bad.char, bad.open ? "text.unclosed" : "text.unopened");
    }
  }

  // blank pages
  for (const pg of nt.blankPages) {
    if (nt.geometry === "text" && doc.pages.length <= 1) continue;
    findings.push({
      rule: "text.blank-page",
      finding: {
        code: "AUD-TEXT",
        severity: "warning",
        page: pg,
        line: null,
        quote: "",
        expected: "有内容的页面",
        found: "空白页",
        reason: { zh: `第${pg}页没有文字（空白页，或只有线条、图片）`, en: `page ${pg} has no text (a blank page, or lines or images only)` },
        related: [],
      },
    });
  }

  // the narrative's own arithmetic and direction words
  let claimsChecked = 0;
  for (const c of reading.claims) {
    if (c.inReason) continue;
    if (checkClaim(c, reading, make)) claimsChecked++;
  }

  // years
  const yearCandidates = facts.year ? yearCandidatesOf(nt, reading, facts.year, facts.kind ?? null) : [];

  const notChecked: NotChecked[] = reading.notRead.map((n) => {
    const p = place(n.span);
    return { what: n.what, page: p.page, line: p.line, quote: reading.text.slice(n.span.start, n.span.end), reason: n.message };
  });
  return {
    findings,
    yearCandidates,
    notChecked,
    counts: {
      sentences: { read: nt.sentences.length, checked: sentencesChecked },
      claims: { read: reading.claims.filter((c) => !c.inReason).length, checked: claimsChecked },
    },
  };
}

function placeAt(nt: NarrativeText, reading: NarrativeReading, span: Span): { page: number | null; line: number | null } {
  const starts = reading.sentenceStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= span.start) lo = mid;
    else hi = mid - 1;
  }
  const s = nt.sentences[lo];
  if (!s) return { page: null, line: null };
  const p = placeOf(s, span.start - starts[lo]!);
  const paged = nt.geometry === "pdf" || nt.pageCount > 1;
  return { page: paged ? p.page : null, line: p.line };
}

/** The first bracket or quotation mark of a text that does not close (or closes nothing). */
export function unbalanced(raw: string, patterns: TextFaultPatterns): { char: string; at: number; open: boolean; expected: string } | null {
  // a bracket printed half-width on one side and full-width on the other (（款)) still closes
  const text = raw.replace(/\(/g, "（").replace(/\)/g, "）").replace(/\[/g, "［").replace(/\]/g, "］");
  const openers = new Map(patterns.pairs.map(([o, c]) => [o, c]));
  const closers = new Map(patterns.pairs.map(([o, c]) => [c, o]));
  const stack: { char: string; at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (openers.has(ch)) stack.push({ char: ch, at: i });
    else if (closers.has(ch)) {
      const want = closers.get(ch)!;
      const k = stack.map((x) => x.char).lastIndexOf(want);
      if (k < 0) return { char: ch, at: i, open: false, expected: want };
      // a closer skips an unclosed opener of another kind only if that opener is closed later; report the innermost
      if (k !== stack.length - 1) {
        const inner = stack[stack.length - 1]!;
        return { char: inner.char, at: inner.at, open: true, expected: openers.get(inner.char)! };
      }
      stack.pop();
    }
  }
  if (stack.length > 0) {
    const first = stack[0]!;
    return { char: first.char, at: first.at, open: true, expected: openers.get(first.char)! };
  }
  for (const q of patterns.symmetricQuotes) {
    const n = [...text].filter((c) => c === q).length;
    if (n % 2 === 1) return { char: q, at: text.lastIndexOf(q), open: true, expected: q };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// interval arithmetic on printed figures, exact (rationals of bigint)

interface Q {
  readonly n: bigint;
  readonly d: bigint;
}
const q = (n: bigint, d = 1n): Q => (d < 0n ? { n: -n, d: -d } : { n, d });
const add = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);
const cmp = (a: Q, b: Q) => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
const lt = (a: Q, b: Q) => cmp(a, b) < 0;
const ZERO = q(0n);
const HUNDRED = q(100n);

interface I {
  readonly lo: Q;
  readonly hi: Q;
}

/** The interval a printed figure stands for: every value that prints so (half a unit of its last digit either way). */
function interval(a: PrintedAmount, scale = 1n): I {
  const d = 10n ** BigInt(a.decimals) * 2n;
  return { lo: q((2n * a.value - 1n) * scale, d), hi: q((2n * a.value + 1n) * scale, d) };
}
const money = (a: NarrativeAmount): I => interval(a, MONEY_SCALE[a.unit] ?? 1n);
const pct = (p: NarrativePercent): I => interval(p);
const iadd = (a: I, b: I): I => ({ lo: add(a.lo, b.lo), hi: add(a.hi, b.hi) });
const isub = (a: I, b: I): I => ({ lo: sub(a.lo, b.hi), hi: sub(a.hi, b.lo) });

/** a / b × 100 for an interval b entirely above zero */
function ratio(a: I, b: I): I {
  const lo = cmp(a.lo, ZERO) >= 0 ? div(a.lo, b.hi) : div(a.lo, b.lo);
  const hi = cmp(a.hi, ZERO) >= 0 ? div(a.hi, b.lo) : div(a.hi, b.hi);
  return { lo: mul(lo, HUNDRED), hi: mul(hi, HUNDRED) };
}
const disjoint = (a: I, b: I) => lt(a.hi, b.lo) || lt(b.hi, a.lo);

/** a rational rounded half away from zero to `decimals`, as text */
function roundText(x: Q, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const n = x.n * scale;
  const neg = n < 0n;
  const a = neg ? -n : n;
  const r = (a * 2n + x.d) / (2n * x.d);
  return formatPrintedAmount({ value: neg ? -r : r, decimals });
}
const midpoint = (a: I): Q => div(add(a.lo, a.hi), q(2n));
const intervalText = (a: I, decimals: number) => `${roundText(a.lo, decimals + 1)}%–${roundText(a.hi, decimals + 1)}%`;

// ---------------------------------------------------------------------------------------------------------------
// the rules of one claim

type Make = (code: AuditFinding["code"], severity: AuditSeverity, span: Span, reason: { zh: string; en: string }, expected: string | null, found: string | null, rule: string, claim?: number) => void;

const DIR_ZH: Readonly<Record<Direction, string>> = { up: "增加", down: "减少", flat: "持平" };
const DIR_EN: Readonly<Record<Direction, string>> = { up: "an increase", down: "a decrease", flat: "no change" };
const COMPARISON_ZH: Readonly<Record<Direction, string>> = { up: "大于", down: "小于", flat: "等于" };

function spanOf(spans: readonly (Span | undefined)[], reading: NarrativeReading, withStop: boolean): Span {
  const xs = spans.filter((s): s is Span => s !== undefined && s.end > s.start);
  const start = Math.min(...xs.map((s) => s.start));
  let end = Math.max(...xs.map((s) => s.end));
  if (withStop && /[。；]/.test(reading.text[end] ?? "")) end++;
  return { start, end };
}

/** The subject's span, when it is named in the sentence of the claim's first figure (not inherited). */
const ownSubject = (c: NarrativeClaim) => (c.subjectInherited || c.subject.id === null ? undefined : c.subject.span);

/** The start of the sentence that holds `at`. */
function sentenceStartOf(reading: NarrativeReading, at: number): number {
  const starts = reading.sentenceStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return starts[lo] ?? 0;
}

/** The subject's span when it stands in the same sentence as `span` (a change stated in a sentence of its own). */
function subjectWith(c: NarrativeClaim, span: Span, reading: NarrativeReading): Span | undefined {
  const own = ownSubject(c);
  return own && own.start >= sentenceStartOf(reading, span.start) ? own : undefined;
}

function checkClaim(c: NarrativeClaim, reading: NarrativeReading, make: Make): boolean {
  let checked = false;
  const ch = c.change;
  // --- a change: its words, its sign, its percentage ---
  if (ch) {
    checked = true;
    const amt = ch.amount?.value;
    const p = ch.percent?.value;
    const dir = ch.direction;
    const wordSpan = spanOf([subjectWith(c, ch.span, reading), ch.base?.span, ch.span], reading, false);
    let directionFound = false;
    if (ch.percentWord && ch.amount && ch.percentWord.direction !== dir && dir !== "flat" && ch.percentWord.direction !== "flat") {
      make("AUD-DIRECTION", "error", wordSpan, {
        zh: `同一变化先说“${ch.word}”后说“${ch.percentWord.word}”，方向相反`,
        en: `the same change is said as "${ch.word}" and then as "${ch.percentWord.word}": opposite directions`,
      }, ch.word, ch.percentWord.word, "direction.words-disagree", c.index);
      directionFound = true;
    }
    if (!directionFound && amt && amt.value < 0n && dir !== "flat") {
      make("AUD-DIRECTION", "error", wordSpan, { zh: `“${ch.word}”后面是负数${amt.text}`, en: `"${ch.word}" is followed by a negative amount, ${amt.text}` }, DIR_ZH[dir === "up" ? "down" : "up"], ch.word, "direction.negative-change", c.index);
      directionFound = true;
    }
    const zeroAmount = amt !== undefined && amt.value === 0n;
    // a count changes too (在职19人，增加0人): 增加 0 is 持平
    const zeroCount = amt === undefined && p === undefined && ch.count !== undefined && ch.count.value.value === 0n;
    // 增加 0.00 万元 is not provably wrong: a change of +0.004 prints 0.00 too; a count (增加0人) is exact
    if (!directionFound && dir !== "flat" && zeroCount) {
      const zero = ch.count!.value.text;
      make("AUD-DIRECTION", "warning", wordSpan, {
        zh: `变化为零（${zero}），却用了“${ch.word}”：应为“持平”`,
        en: `the change is zero (${zero}) but is said as "${ch.word}": it is "持平" (unchanged)`,
      }, "持平", ch.word, "direction.zero-change", c.index);
      directionFound = true;
    }
    if (!directionFound && dir === "flat" && ((amt && amt.value !== 0n) || (p && p.value !== 0n))) {
      make("AUD-DIRECTION", "error", wordSpan, { zh: `说“${ch.word}”，却印有变化${amt ? amt.text : p!.text}`, en: `"${ch.word}" (unchanged) is said of a change of ${amt ? amt.text : p!.text}` }, amt && amt.value > 0n ? "增加" : "减少", ch.word, "direction.flat-with-change", c.index);
      directionFound = true;
    }
    // the reason's own direction
    if (!directionFound && c.reason?.direction && c.reason.direction !== dir && !(zeroAmount && c.reason.direction !== "flat")) {
      make("AUD-DIRECTION", "error", spanOf([ch.base?.span, subjectWith(c, ch.span, reading), ch.span, c.reason.span], reading, true), {
        zh: `变化说“${ch.word}”，其原因说的却是${DIR_ZH[c.reason.direction]}：“${c.reason.text}”`,
        en: `the change is said as "${ch.word}" but its reason speaks of ${DIR_EN[c.reason.direction]}: "${c.reason.text}"`,
      }, DIR_ZH[c.reason.direction], ch.word, "direction.reason-contradicts", c.index);
    }
    // the percentage against the amounts (not when the words disagree: which one the figures mean is not known)
    const wordsDisagree = ch.percentWord !== undefined && ch.percentWord.direction !== dir && ch.percentWord.direction !== "flat";
    if (c.amount && ch.amount && dir !== "flat" && !wordsDisagree) {
      const x = money(c.amount.value);
      const y = money(ch.amount.value);
      const prior = dir === "up" ? isub(x, y) : iadd(x, y);
      const arithSpan = spanOf([ownSubject(c), c.amount.span, ch.span], reading, false);
      if (!lt(ZERO, prior.hi)) {
        make("AUD-ARITH", "error", arithSpan, {
          zh: `本年${c.amount.value.text}，${ch.word}${ch.amount.value.text}，则上年为负数，不可能`,
          en: `this year ${c.amount.value.text} after ${DIR_EN[dir]} of ${ch.amount.value.text} means a negative prior year: impossible`,
        }, null, ch.amount.value.text, "arith.prior-negative", c.index);
      } else if (p && ch.percent) {
        const printed = pct(p);
        if (!lt(ZERO, prior.lo)) {
          // the prior year may be zero: the percentage is unbounded above
          const lowest = mul(div(y.lo, prior.hi), HUNDRED);
          if (cmp(y.lo, ZERO) > 0 && lt(printed.hi, lowest))
            make("AUD-ARITH", "error", spanOf([arithSpan, ch.percent.span], reading, false), {
              zh: `本年${c.amount.value.text}，${ch.word}${ch.amount.value.text}，上年为零（或近于零），增幅无法计算，不是${p.text}`,
              en: `this year ${c.amount.value.text} after ${DIR_EN[dir]} of ${ch.amount.value.text}: the prior year is zero (or nearly), so no percentage follows, not ${p.text}`,
            }, "（上年为零，不计增幅）", p.text, "arith.percent-from-zero", c.index);
        } else {
          const r = ratio({ lo: cmp(y.lo, ZERO) < 0 ? y.lo : y.lo, hi: y.hi }, prior);
          // the prior year in the unit the sentence prints (the interval arithmetic runs in 元)
          const priorText = `${roundText(div(midpoint(prior), q(MONEY_SCALE[c.amount.value.unit] ?? 1n)), Math.max(c.amount.value.decimals, ch.amount.value.decimals))}${c.amount.value.unit}`;
          if (disjoint(r, printed))
            make("AUD-ARITH", "error", spanOf([arithSpan, ch.percent.span], reading, false), {
              zh: `由本年${c.amount.value.text}与${ch.word}${ch.amount.value.text}，上年约为${priorText}，幅度应在${intervalText(r, p.decimals)}之间，印为${p.text}`,
              en: `from this year's ${c.amount.value.text} and the change of ${ch.amount.value.text} the prior year is about ${priorText}, so the percentage lies in ${intervalText(r, p.decimals)}; printed ${p.text}`,
            }, `${roundText(mul(div(midpoint(y), midpoint(prior)), HUNDRED), p.decimals)}%`, p.text, "arith.change-percent", c.index);
        }
      }
    }
  }
  // --- a share of its lead ---
  if (c.share && c.amount) {
    const whole = c.parent !== undefined ? reading.claims[c.parent] : undefined;
    const of = c.share.of;
    const fits = whole?.amount && (of === undefined || ofNames(of, whole));
    if (whole?.amount && fits && whole.amount.value.unit && !(whole.amount.value.value === 0n)) {
      checked = true;
      const x = money(c.amount.value);
      const d = money(whole.amount.value);
      if (lt(ZERO, d.lo)) {
        const r = ratio(x, d);
        const printed = pct(c.share.value);
        if (disjoint(r, printed))
          make("AUD-ARITH", "error", spanOf([ownSubject(c), c.amount.span, c.share.span], reading, false), {
            zh: `${c.amount.value.text}占${whole.amount.value.text}的比例应在${intervalText(r, c.share.value.decimals)}之间，印为${c.share.value.text}`,
            en: `${c.amount.value.text} of ${whole.amount.value.text} is ${intervalText(r, c.share.value.decimals)}; printed ${c.share.value.text}`,
          }, `${roundText(mul(div(midpoint(x), midpoint(d)), HUNDRED), c.share.value.decimals)}%`, c.share.value.text, "arith.share", c.index);
      }
    }
  }
  // --- a final account's execution ---
  const ex = c.execution;
  if (ex?.budgeted && c.amount) {
    checked = true;
    const a = money(c.amount.value);
    const b = money(ex.budgeted.value);
    const diff = isub(a, b);
    if (ex.completion && lt(ZERO, b.lo)) {
      const r = ratio(a, b);
      const printed = pct(ex.completion.value);
      if (disjoint(r, printed))
        make("AUD-ARITH", "error", spanOf([ex.budgeted.span, c.amount.span, ex.completion.span], reading, false), {
          zh: `决算${c.amount.value.text}为年初预算${ex.budgeted.value.text}的${intervalText(r, ex.completion.value.decimals)}，印为${ex.completion.value.text}`,
          en: `the final ${c.amount.value.text} is ${intervalText(r, ex.completion.value.decimals)} of the budget ${ex.budgeted.value.text}; printed ${ex.completion.value.text}`,
        }, `${roundText(mul(div(midpoint(a), midpoint(b)), HUNDRED), ex.completion.value.decimals)}%`, ex.completion.value.text, "arith.completion", c.index);
    }
    if (ex.comparison) {
      const w = ex.comparison.value;
      const sign = lt(ZERO, diff.lo) ? "up" : lt(diff.hi, ZERO) ? "down" : null;
      const contradicts = (w.direction === "up" && lt(diff.hi, ZERO)) || (w.direction === "down" && lt(ZERO, diff.lo)) || (w.direction === "flat" && sign !== null && !/基本/.test(w.word));
      const reasonAgainst = c.reason?.direction && c.reason.direction !== w.direction && c.reason.direction !== "flat" && sign !== null && c.reason.direction === sign;
      if (contradicts) {
        make("AUD-DIRECTION", "error", spanOf([ex.budgeted.span, c.amount.span, ex.comparison.span, c.reason?.span], reading, true), {
          zh: `决算${c.amount.value.text}${sign === "down" ? "小于" : "大于"}年初预算${ex.budgeted.value.text}，文中却说“决算数${w.word}预算数”${reasonAgainst ? "，其原因所述方向也与之相反" : ""}`,
          en: `the final ${c.amount.value.text} is ${sign === "down" ? "less" : "more"} than the budget ${ex.budgeted.value.text}, but the text says "${w.word}"${reasonAgainst ? ", and its reason points the other way too" : ""}`,
        }, sign ? COMPARISON_ZH[sign] : null, w.word, "direction.execution", c.index);
      }
    }
  }
  return checked;
}

/** Whether a share's "of" words (占“三公”经费的) name the whole it is compared with. */
function ofNames(of: string, whole: NarrativeClaim): boolean {
  const k = (s: string) => s.replace(/[“”"‘’'「」『』\s]/g, "");
  const a = k(of);
  const b = k(whole.subject.name);
  return a.length > 0 && (b.includes(a) || a.includes(b));
}

// ---------------------------------------------------------------------------------------------------------------
// years

/**
 * Years the document cannot mean. The document's year Y: a year said of a budget or final account must be Y or Y−1; a
 * comparison (比2023年, 与上年…) must be with Y−1; a heading of the document's own kind (2023年度部门决算情况说明)
 * must say Y; an as-of date (截至…) must be in Y−1 or Y for a budget, in Y for a final account.
 */
export function yearCandidatesOf(nt: NarrativeText, reading: NarrativeReading, year: number, kind: DocumentKind | null): YearCandidate[] {
  const out: YearCandidate[] = [];
  for (const sr of reading.sentences) {
    for (const y of sr.years) {
      let expected: number[] | null = null;
      let rule: YearCandidate["rule"] = "outside-period";
      if (y.context === "comparison") {
        expected = [year - 1];
        rule = "comparison";
      } else if (y.context === "title") {
        expected = [year];
        rule = "title";
      } else if (y.context === "as-of") {
        expected = kind === "final_accounts" ? [year] : [year - 1, year];
        rule = "as-of";
      } else if (y.budgetContext) expected = [year, year - 1];
      if (!expected || expected.includes(y.year)) continue;
      const s = nt.sentences[y.sentence]!;
      const st = reading.sentenceStarts[y.sentence]!;
      const p = placeOf(s, y.span.start - st);
      const paged = nt.geometry === "pdf" || nt.pageCount > 1;
      out.push({ year: y.year, expected, context: y.context, rule, page: paged ? p.page : null, line: p.line, quote: s.text, sentence: y.sentence });
    }
  }
  return out;
}

export type { Direction };
