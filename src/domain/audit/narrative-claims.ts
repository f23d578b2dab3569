/**
 * The claims of a disclosure's narrative (issue 14, point 4): every amount, share, change and percentage a sentence
 * states, with its direction word, its reason and the subject it speaks of (收入总计, 一般公共预算拨款, a 项 by name,
 * 三公 and its parts, 机关运行经费, 政府采购, 国有资产 …); the years and the department names each sentence mentions.
 *
 * What a sentence says is read by its words, which are data (`data/audit/narrative-subjects.yaml`, compiled by
 * `narrative-vocabulary.ts`): a number is an amount only with a money unit after it (万元, 元, 亿元, or 万 alone);
 * codes (2010301), years (2024年), dates, document numbers (【2023】26号), counts (2辆, 19人), item numbers (1.、（一）)
 * and thresholds (单价100万元以上设备) are never amounts. Within a sentence, each figure belongs to the subject named
 * last before it; a sentence with two amounts for two subjects gives two claims. Across the sentences of a paragraph,
 * a figure with no subject of its own takes the paragraph's last subject (与上年相比增加1287.35万元 after
 * 公共安全（类）支出27488.23万元。), a reason that begins its own sentence belongs to the change before it, and a
 * lead ("…551.44万元，其中：") is the whole that the claims after it are parts of (the denominator of their shares).
 *
 * What cannot be read with confidence — an amount whose subject is not recognised, a fragment of text without sentence
 * marks (a chart's labels) — is listed in `notRead` with its reason, never guessed.
 */
import type { PrintedAmount } from "./printed-amount.ts";
import type { NarrativeSentence, NarrativeText } from "./narrative-sentences.ts";
import type { Direction, MoneyUnit, NarrativeVocabulary, ScopeId, Side, SubjectDef } from "./narrative-vocabulary.ts";

export type { Direction, ScopeId, Side } from "./narrative-vocabulary.ts";

/** a printed amount of the narrative, with its unit ("1,623.18万元" → 162318n, 2 decimals, 万元) */
export interface NarrativeAmount extends PrintedAmount {
  readonly unit: MoneyUnit;
  /** as printed, with its unit */
  readonly text: string;
}

/** a printed percentage ("0.24%" → 24n, 2 decimals) */
export interface NarrativePercent extends PrintedAmount {
  readonly text: string;
}

/** a place in `NarrativeReading.text` (all sentences joined, in order) */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface FunctionPath {
  readonly class?: string;
  readonly section?: string;
  readonly item?: string;
  readonly code?: string;
}

export interface ClaimSubject {
  /** the vocabulary's id ("sangong.reception", "exp.basic", "func" for a function path), null when not recognised */
  readonly id: string | null;
  /** the words that name it, as printed (for an unrecognised subject, the words before the amount) */
  readonly name: string;
  readonly scope?: ScopeId;
  readonly scopeFrom?: "words" | "lead" | "heading";
  readonly side?: Side;
  readonly func?: FunctionPath;
  /** the sentence it is named in */
  readonly sentence: number;
  readonly span: Span;
}

export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

export interface NarrativeChange {
  /** the direction of the amount's word (增加 → up), or of the percentage's when no amount is printed */
  readonly direction: Direction;
  readonly word: string;
  readonly span: Span;
  readonly amount?: Located<NarrativeAmount>;
  readonly percent?: Located<NarrativePercent>;
  /** the percentage's own direction word, when it has one (增长 0.24%) */
  readonly percentWord?: { readonly word: string; readonly direction: Direction };
  /** a change of a count (增加 0 人) */
  readonly count?: Located<NarrativeCount>;
  /** what the change is stated against (比上年预算, 与2023年度相比) */
  readonly base?: Located<{ readonly text: string; readonly year?: number }>;
  /** a direction word followed by a money unit and no number (比上年增加万元) */
  readonly blank?: boolean;
}

export interface NarrativeCount {
  readonly value: bigint;
  readonly decimals: number;
  readonly unit: string;
  readonly text: string;
}

/** a final account's execution: 年初预算为X，支出决算为Y，完成年初预算的Z%；决算数小于预算数 */
export interface NarrativeExecution {
  readonly budgeted?: Located<NarrativeAmount>;
  readonly completion?: Located<NarrativePercent>;
  readonly comparison?: Located<{ readonly word: string; readonly direction: Direction }>;
}

export interface NarrativeClaim {
  readonly index: number;
  /** the sentence of its first figure */
  readonly sentence: number;
  /** every sentence it draws on (its subject's, its figures', its reason's) */
  readonly sentences: readonly number[];
  readonly pages: readonly number[];
  readonly subject: ClaimSubject;
  /** true when the subject was taken from an earlier sentence of the paragraph */
  readonly subjectInherited: boolean;
  /** the claim of the lead ("…551.44万元，其中：") this one is a part of */
  readonly parent?: number;
  /** the current amount (in a 决算, the 决算数) */
  readonly amount?: Located<NarrativeAmount>;
  readonly count?: Located<NarrativeCount>;
  readonly share?: Located<NarrativePercent> & { readonly of?: string };
  readonly change?: NarrativeChange;
  readonly execution?: NarrativeExecution;
  /** "no such money": 未安排, 无…, 没有使用… */
  readonly none?: Located<string>;
  readonly reason?: { readonly text: string; readonly span: Span; readonly direction?: Direction; readonly sentence: number };
  /** a percentage the sentence prints that is none of the above */
  readonly otherPercent?: Located<NarrativePercent>;
  /** read inside another claim's reason (主要原因是…增加3397.18万元) */
  readonly inReason: boolean;
}

export type YearContext = "comparison" | "title" | "as-of" | "document-number" | "quoted-title" | "date" | "plain";

export interface YearMention {
  readonly year: number;
  readonly text: string;
  readonly span: Span;
  readonly sentence: number;
  readonly context: YearContext;
  /** the year is said of a budget or final account (…年预算, 比…年度, a heading of the document's kind) */
  readonly budgetContext: boolean;
}

export interface DepartmentMention {
  readonly name: string;
  readonly span: Span;
  readonly sentence: number;
}

export interface SentenceReading {
  readonly sentence: number;
  readonly claims: readonly number[];
  readonly years: readonly YearMention[];
  readonly departments: readonly DepartmentMention[];
  /** 市级, 区级 … */
  readonly levels: readonly Located<string>[];
  /** the sentence says its table is empty (为空表, 本表无数据) */
  readonly emptyTable: boolean;
}

export type NotReadReason = "subject-unknown" | "fragment" | "percent-unassigned";

export interface NotRead {
  readonly sentence: number;
  readonly what: "claim" | "sentence";
  readonly span: Span;
  readonly reason: NotReadReason;
  readonly message: { readonly zh: string; readonly en: string };
}

export interface NarrativeReading {
  /** every sentence's text, joined in order: spans index into it */
  readonly text: string;
  /** where each sentence starts in `text` */
  readonly sentenceStarts: readonly number[];
  readonly sentences: readonly SentenceReading[];
  readonly claims: readonly NarrativeClaim[];
  readonly notRead: readonly NotRead[];
}

// ---------------------------------------------------------------------------------------------------------------
// matching subjects

/** The sentence with quotation marks and white space removed and ASCII brackets as full-width, and where each of its
 * characters came from. */
interface Folded {
  readonly text: string;
  readonly map: readonly number[];
}

const QUOTES = /[“”"‘’'「」『』〝〞\s]/;

function fold(s: string): Folded {
  let text = "";
  const map: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (QUOTES.test(c)) continue;
    text += c === "(" ? "（" : c === ")" ? "）" : c;
    map.push(i);
  }
  return { text, map };
}

const foldName = (s: string) => fold(s).text;

type DictEntry =
  | { readonly kind: "subject"; readonly def: SubjectDef }
  | { readonly kind: "needs-scope"; readonly def: SubjectDef }
  | { readonly kind: "scope"; readonly scope: ScopeId }
  | { readonly kind: "class" };

interface Dictionary {
  readonly names: ReadonlyMap<string, DictEntry>;
  readonly regex: RegExp | null;
  readonly patterns: readonly { readonly re: RegExp; readonly def: SubjectDef }[];
  readonly scopeSubject: ReadonlyMap<ScopeId, SubjectDef>;
}

const dictionaries = new WeakMap<NarrativeVocabulary, Dictionary>();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function dictionaryOf(v: NarrativeVocabulary): Dictionary {
  const cached = dictionaries.get(v);
  if (cached) return cached;
  const names = new Map<string, DictEntry>();
  const add = (name: string, e: DictEntry) => {
    const k = foldName(name);
    if (k.length > 0 && !names.has(k)) names.set(k, e);
  };
  for (const def of v.subjects) for (const n of def.names) add(n, { kind: "subject", def });
  for (const s of v.scopes) for (const n of s.names) add(n, { kind: "scope", scope: s.id });
  for (const def of v.subjects) for (const n of def.needsScope) add(n, { kind: "needs-scope", def });
  for (const c of v.functionClasses) add(c, { kind: "class" });
  const keys = [...names.keys()].sort((a, b) => b.length - a.length);
  const scopeSubject = new Map<ScopeId, SubjectDef>();
  for (const def of v.subjects) if (def.scopeWord && !scopeSubject.has(def.scopeWord)) scopeSubject.set(def.scopeWord, def);
  const d: Dictionary = {
    names,
    regex: keys.length > 0 ? new RegExp(keys.map(escapeRe).join("|"), "gu") : null,
    patterns: v.subjects.flatMap((def) => def.patterns.map((re) => ({ re, def }))),
    scopeSubject,
  };
  dictionaries.set(v, d);
  return d;
}

// ---------------------------------------------------------------------------------------------------------------
// tokens of a sentence (positions in the sentence's own text)

type Tok =
  | { k: "subject"; s: number; e: number; def: SubjectDef | null; id: string; name: string; scope?: ScopeId; func?: FunctionPath; needsScope?: boolean }
  | { k: "scope"; s: number; e: number; scope: ScopeId; name: string }
  | { k: "amount"; s: number; e: number; amount: NarrativeAmount; threshold: boolean }
  | { k: "percent"; s: number; e: number; percent: NarrativePercent }
  | { k: "count"; s: number; e: number; count: NarrativeCount }
  | { k: "dir"; s: number; e: number; word: string; direction: Direction }
  | { k: "base"; s: number; e: number; text: string; year?: number }
  | { k: "share"; s: number; e: number; of?: string }
  | { k: "reason"; s: number; e: number; word: string; needsChange: boolean }
  | { k: "purpose"; s: number; e: number }
  | { k: "lead"; s: number; e: number }
  | { k: "budgeted" | "actual" | "completion"; s: number; e: number }
  | { k: "comparison"; s: number; e: number; word: string; direction: Direction }
  | { k: "none-after"; s: number; e: number; word: string }
  | { k: "clause"; s: number; e: number }
  | { k: "skip"; s: number; e: number };

const NUMBER = /(?<![\d.,A-Za-z])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/g;
const YEAR_AFTER = /^(?:年|年度)/;
const DATE_FORM = /(?:19|20)\d{2}[.\-/]\d{1,2}[.\-/]\d{1,2}/g;
const DOC_NUMBER = /[【〔[［（(](?:19|20)\d{2}[】〕\]］）)]\s*(?:第)?\s*\d+\s*号/g;

function parseNumber(raw: string): PrintedAmount {
  const neg = raw.startsWith("-");
  const digits = (neg ? raw.slice(1) : raw).replace(/,/g, "");
  const dot = digits.indexOf(".");
  const decimals = dot < 0 ? 0 : digits.length - dot - 1;
  const value = BigInt(dot < 0 ? digits : digits.slice(0, dot) + digits.slice(dot + 1));
  return { value: neg ? -value : value, decimals };
}

/** Item markers at the start of the sentence or of a clause (1、 （一） 2.), and number ranges they cover. */
function itemRanges(s: string, v: NarrativeVocabulary): { s: number; e: number }[] {
  const out: { s: number; e: number }[] = [];
  const starts = [0];
  for (let i = 0; i < s.length; i++) if ("：:；;。，".includes(s[i]!)) starts.push(i + 1);
  for (const st of starts) {
    const rest = s.slice(st);
    for (const m of v.layout.markers) {
      const x = m.pattern.exec(rest);
      if (x && x.index === 0 && x[0].length > 0) {
        out.push({ s: st, e: st + x[0].length });
        break;
      }
    }
  }
  return out;
}

function tokenize(s: string, v: NarrativeVocabulary): { toks: Tok[]; years: { year: number; s: number; e: number; ctx: YearContext }[] } {
  const toks: Tok[] = [];
  const items = itemRanges(s, v);
  const inItem = (i: number) => items.some((r) => i >= r.s && i < r.e);
  for (const r of items) toks.push({ k: "skip", s: r.s, e: r.e });

  // years, dates, document numbers: never amounts
  const years: { year: number; s: number; e: number; ctx: YearContext }[] = [];
  const taken: { s: number; e: number }[] = [];
  for (const m of s.matchAll(DOC_NUMBER)) {
    const y = /(?:19|20)\d{2}/.exec(m[0])!;
    years.push({ year: Number(y[0]), s: m.index + y.index, e: m.index + y.index + 4, ctx: "document-number" });
    taken.push({ s: m.index, e: m.index + m[0].length });
  }
  for (const m of s.matchAll(DATE_FORM)) {
    if (taken.some((t) => m.index >= t.s && m.index < t.e)) continue;
    years.push({ year: Number(m[0].slice(0, 4)), s: m.index, e: m.index + 4, ctx: "date" });
    taken.push({ s: m.index, e: m.index + m[0].length });
  }
  const isTaken = (i: number) => taken.some((t) => i >= t.s && i < t.e);

  // numbers
  for (const m of s.matchAll(NUMBER)) {
    const start = m.index;
    const end = start + m[0].length;
    if (isTaken(start) || inItem(start)) continue;
    const after = s.slice(end);
    const raw = m[0];
    if (/^(?:19|20)\d{2}$/.test(raw) && YEAR_AFTER.test(after)) {
      years.push({ year: Number(raw), s: start, e: end, ctx: "plain" });
      continue;
    }
    if (/^[月日号]/.test(after) || /^[:：]\d/.test(after)) continue;
    if (after.startsWith("%")) {
      toks.push({ k: "percent", s: start, e: end + 1, percent: { ...parseNumber(raw), text: s.slice(start, end + 1) } });
      continue;
    }
    const count = v.countUnits.find((u) => after.startsWith(u));
    const money = v.moneyUnits.find((u) => after.startsWith(u.text));
    if (money && !(money.text === "万" && v.countUnits.some((u) => after.slice(1).startsWith(u)))) {
      const e = end + money.text.length;
      const threshold = v.thresholdAfter.test(s.slice(e)) || v.thresholdBefore.test(s.slice(Math.max(0, start - 6), start));
      toks.push({ k: "amount", s: start, e, amount: { ...parseNumber(raw), unit: money.unit, text: s.slice(start, e) }, threshold });
      continue;
    }
    if (count) {
      const e = end + count.length;
      toks.push({ k: "count", s: start, e, count: { ...parseNumber(raw), unit: count, text: s.slice(start, e) } });
      continue;
    }
    // a bare number: a code, a phone number, a count without a unit — nothing the narrative claims
  }

  // words
  const push = (t: Tok) => toks.push(t);
  const allOf = (re: RegExp, f: (m: RegExpExecArray) => void) => {
    for (const m of s.matchAll(re)) if (m[0].length > 0) f(m as RegExpExecArray);
  };
  allOf(v.compareBase, (m) => {
    const y = /(?:19|20)\d{2}/.exec(m[0]);
    push({ k: "base", s: m.index, e: m.index + m[0].length, text: m[0], ...(y ? { year: Number(y[0]) } : {}) });
  });
  allOf(v.share, (m) => push({ k: "share", s: m.index, e: m.index + m[0].length, ...(m.groups?.["of"] ? { of: m.groups["of"].replace(/的$/, "") } : {}) }));
  allOf(v.lead, (m) => push({ k: "lead", s: m.index, e: m.index + m[0].length }));
  allOf(v.execution.budgeted, (m) => push({ k: "budgeted", s: m.index, e: m.index + m[0].length }));
  allOf(v.execution.actual, (m) => push({ k: "actual", s: m.index, e: m.index + m[0].length }));
  allOf(v.execution.completion, (m) => push({ k: "completion", s: m.index, e: m.index + m[0].length }));
  allOf(v.execution.comparison, (m) => {
    const w = (m.groups?.["word"] ?? m[0]).replace(/^与(?:年初)?预算数?/, "");
    const d = v.execution.words.find((x) => w.startsWith(x.word) || w.endsWith(x.word));
    if (d) push({ k: "comparison", s: m.index, e: m.index + m[0].length, word: m.groups?.["word"] ?? w, direction: d.direction });
  });
  for (const mk of v.reasonMarkers) {
    let from = 0;
    for (let i = s.indexOf(mk.word, from); i >= 0; i = s.indexOf(mk.word, from)) {
      push({ k: "reason", s: i, e: i + mk.word.length, word: mk.word, needsChange: mk.needsChange });
      from = i + mk.word.length;
    }
  }
  for (const w of v.purposeMarkers) {
    let from = 0;
    for (let i = s.indexOf(w, from); i >= 0; i = s.indexOf(w, from)) {
      push({ k: "purpose", s: i, e: i + w.length });
      from = i + w.length;
    }
  }
  for (const w of v.noneAfter) {
    let from = 0;
    for (let i = s.indexOf(w, from); i >= 0; i = s.indexOf(w, from)) {
      push({ k: "none-after", s: i, e: i + w.length, word: w });
      from = i + w.length;
    }
  }
  for (const d of v.directions) {
    let from = 0;
    for (let i = s.indexOf(d.word, from); i >= 0; i = s.indexOf(d.word, from)) {
      push({ k: "dir", s: i, e: i + d.word.length, word: d.word, direction: d.direction });
      from = i + d.word.length;
    }
  }
  for (let i = 0; i < s.length; i++) if ("；;。".includes(s[i]!)) push({ k: "clause", s: i, e: i + 1 });

  // subjects, in the folded text
  for (const t of subjectTokens(s, v)) push(t);

  return { toks: resolveOverlaps(toks), years };
}

const PRIORITY: Record<Tok["k"], number> = {
  skip: 0,
  clause: 0,
  reason: 1,
  comparison: 2,
  purpose: 3,
  lead: 3,
  budgeted: 4,
  actual: 4,
  completion: 4,
  base: 5,
  share: 5,
  subject: 6,
  scope: 6,
  amount: 7,
  percent: 7,
  count: 7,
  "none-after": 8,
  dir: 9,
};

/** Tokens that overlap a token of higher priority (or an earlier, longer one of the same) are dropped. */
function resolveOverlaps(toks: Tok[]): Tok[] {
  const sorted = [...toks].sort((a, b) => PRIORITY[a.k] - PRIORITY[b.k] || a.s - b.s || b.e - b.s - (a.e - a.s));
  const end = toks.reduce((m, t) => Math.max(m, t.e), 0);
  const taken = new Uint8Array(end + 1);
  const kept: Tok[] = [];
  for (const t of sorted) {
    if (t.k === "clause") {
      kept.push(t);
      continue;
    }
    let free = true;
    for (let i = t.s; i < t.e && free; i++) if (taken[i]) free = false;
    if (!free) continue;
    taken.fill(1, t.s, t.e);
    kept.push(t);
  }
  return kept.filter((t) => t.k !== "skip").sort((a, b) => a.s - b.s || a.e - b.e);
}

const FUNC_MARK = /（(类|款|项)）/g;
const FUNC_STOP = /[，。；：:、“”《》.．\d\s]/;

/** Subject tokens of a sentence: function paths (…（类）…（款）…（项）), then the dictionary, longest at the left. */
function subjectTokens(s: string, v: NarrativeVocabulary): Tok[] {
  const f = fold(s);
  const dict = dictionaryOf(v);
  const at = (i: number) => f.map[i] ?? s.length;
  const end = (i: number) => (i >= f.map.length ? s.length : f.map[i - 1]! + 1);
  const cands: { s: number; e: number; make: () => Tok }[] = [];

  // function paths
  const marks = [...f.text.matchAll(FUNC_MARK)];
  let i = 0;
  while (i < marks.length) {
    const path: { level: string; name: string }[] = [];
    let j = i;
    let pathStart = -1;
    let prevEnd = -1;
    while (j < marks.length) {
      const m = marks[j]!;
      let b = m.index;
      const limit = prevEnd >= 0 ? prevEnd : Math.max(0, m.index - 40);
      while (b > limit && !FUNC_STOP.test(f.text[b - 1]!)) b--;
      if (prevEnd >= 0 && b !== prevEnd) break;
      const name = f.text.slice(b, m.index);
      if (name.length === 0) break;
      if (pathStart < 0) pathStart = b;
      path.push({ level: m[1]!, name });
      prevEnd = m.index + m[0].length;
      j++;
    }
    if (path.length === 0) {
      i++;
      continue;
    }
    const fp: { class?: string; section?: string; item?: string } = {};
    for (const p of path) {
      if (p.level === "类") fp.class = p.name;
      else if (p.level === "款") fp.section = p.name;
      else fp.item = p.name;
    }
    const fs = pathStart;
    const fe = prevEnd;
    cands.push({ s: fs, e: fe, make: () => ({ k: "subject", s: at(fs), e: end(fe), def: null, id: "func", name: s.slice(at(fs), end(fe)), func: fp }) });
    i = j;
  }
  // function codes followed by a name: 2010301 行政运行 (3, 5 or 7 digits; never a number with a unit after it)
  for (const m of f.text.matchAll(/(?<![\d.,])(2\d{2}(?:\d{4}|\d{2})?)(?![\d.,])(?![万元亿%年月日号个人辆台次项家户])([\u4e00-\u9fff（）]{2,30}?)(?=[，。；：\d]|$)/gu)) {
    const fs = m.index;
    const fe = m.index + m[0].length;
    const code = m[1]!;
    const name = m[2]!;
    const level = code.length === 3 ? { class: name } : code.length === 5 ? { section: name } : { item: name };
    cands.push({ s: fs, e: fe, make: () => ({ k: "subject", s: at(fs), e: end(fe), def: null, id: "func", name: s.slice(at(fs), end(fe)), func: { code, ...level } }) });
  }
  // patterns
  for (const p of dict.patterns)
    for (const m of f.text.matchAll(p.re)) {
      const fs = m.index;
      const fe = m.index + m[0].length;
      if (fe > fs) cands.push({ s: fs, e: fe, make: () => ({ k: "subject", s: at(fs), e: end(fe), def: p.def, id: p.def.id, name: s.slice(at(fs), end(fe)) }) });
    }
  // names
  if (dict.regex)
    for (const m of f.text.matchAll(dict.regex)) {
      const e = dict.names.get(m[0]);
      if (!e) continue;
      const fs = m.index;
      const fe = m.index + m[0].length;
      const name = () => s.slice(at(fs), end(fe));
      if (e.kind === "scope") cands.push({ s: fs, e: fe, make: () => ({ k: "scope", s: at(fs), e: end(fe), scope: e.scope, name: name() }) });
      else if (e.kind === "class") cands.push({ s: fs, e: fe, make: () => ({ k: "subject", s: at(fs), e: end(fe), def: null, id: "func", name: name(), func: { class: name() } }) });
      else cands.push({ s: fs, e: fe, make: () => ({ k: "subject", s: at(fs), e: end(fe), def: e.def, id: e.def.id, name: name(), ...(e.kind === "needs-scope" ? { needsScope: true } : {}) }) });
    }
  // leftmost, then longest; a function path wins over a name it contains
  cands.sort((a, b) => a.s - b.s || b.e - b.s - (a.e - a.s));
  const chosen: { s: number; e: number; make: () => Tok }[] = [];
  let reach = 0;
  for (const c of cands) {
    // sorted by start: a candidate is free when it starts at or after the end of every one chosen before it
    if (c.s < reach) continue;
    chosen.push(c);
    reach = c.e;
  }
  const toks = chosen
    .sort((a, b) => a.s - b.s)
    .map((c) => c.make())
    .map((t) => {
      if (t.k !== "subject" && t.k !== "scope") return t;
      const open = s[t.s - 1];
      const close = { "“": "”", "‘": "’", "「": "」", "『": "』", '"': '"' }[open ?? ""];
      return close !== undefined && s.slice(t.s, t.e).includes(close) ? { ...t, s: t.s - 1, name: s.slice(t.s - 1, t.e) } : t;
    });

  // a scope word just before a scoped subject is that subject's scope, just after a subject (机关运行经费财政拨款预算)
  // it qualifies that subject; alone, it is the scope's own subject
  const out: Tok[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    const last = out[out.length - 1];
    if (t.k === "scope" && last && last.k === "subject" && last.e === t.s && last.scope === undefined && last.id !== "func") {
      out[out.length - 1] = { ...last, e: t.e, name: s.slice(last.s, t.e), scope: t.scope };
      continue;
    }
    if (t.k === "scope") {
      const next = toks[k + 1];
      const gap = next ? s.slice(t.e, next.s) : "";
      if (next && next.k === "subject" && /^(?:财政拨款|安排的?|当年拨款|当年|拨款|资金|的)?$/.test(gap.replace(QUOTES_G, "")) && (next.needsScope || next.def?.scoped || next.id === "func")) {
        toks[k + 1] = { ...next, s: t.s, name: s.slice(t.s, next.e), scope: t.scope, needsScope: false };
        continue;
      }
      const def = dict.scopeSubject.get(t.scope);
      if (def) out.push({ k: "subject", s: t.s, e: t.e, def, id: def.id, name: t.name, scope: t.scope });
      continue;
    }
    if (t.k === "subject" && t.needsScope) continue;
    out.push(t);
  }
  return out;
}

const QUOTES_G = /[“”"‘’'「」『』〝〞\s]/g;

// ---------------------------------------------------------------------------------------------------------------
// claims of one sentence

interface Draft {
  sentence: number;
  sentences: Set<number>;
  subject: ClaimSubject | null;
  subjectInherited: boolean;
  parent?: Draft;
  amount?: Located<NarrativeAmount>;
  count?: Located<NarrativeCount>;
  share?: Located<NarrativePercent> & { of?: string };
  change?: {
    direction: Direction;
    word: string;
    span: Span;
    amount?: Located<NarrativeAmount>;
    percent?: Located<NarrativePercent>;
    percentWord?: { word: string; direction: Direction };
    count?: Located<NarrativeCount>;
    base?: Located<{ text: string; year?: number }>;
    blank?: boolean;
  };
  execution?: { budgeted?: Located<NarrativeAmount>; completion?: Located<NarrativePercent>; comparison?: Located<{ word: string; direction: Direction }> };
  none?: Located<string>;
  reason?: { text: string; span: Span; direction?: Direction; sentence: number };
  pendingReason?: Span;
  otherPercent?: Located<NarrativePercent>;
  inReason: boolean;
  /** a subject named with no figure yet */
  mentionOnly: boolean;
  label?: string;
  /** an unrecognised subject */
  unknownSpan?: Span;
  /** the first token position, for ordering */
  pos: number;
}

const hasFigure = (d: Draft) =>
  d.amount !== undefined || d.count !== undefined || d.share !== undefined || d.change !== undefined || d.execution !== undefined || d.none !== undefined || d.otherPercent !== undefined;

const FILLER_BEFORE_NUMBER = /^[了为是约共计达到至：:]{0,3}$/;

interface SentenceParse {
  drafts: Draft[];
  mentions: ClaimSubject[];
  /** the sentence ends with a lead (…其中：) whose whole is this draft or mention */
  endsWithLead: Draft | ClaimSubject | null;
  /** the last lead of the sentence, wherever it stands (其中：基本支出…。项目支出… goes on in the next sentence) */
  lastLead: Draft | null;
  /** the sentence begins with its lead (其中：公务用车购置费…): the whole is the claim before it */
  leadsAtStart: boolean;
  /** the sentence is only a reason: it begins with a reason marker */
  reasonOnly: { text: string; span: Span } | null;
  /** a reason marker with nothing after it (主要原因：), its reason in the next sentence */
  pendingReason: Draft | null;
  years: { year: number; s: number; e: number; ctx: YearContext }[];
  bases: { s: number; e: number }[];
}

/** The claims of one sentence's text; positions are global (offset `base`). */
function parseText(text: string, offset: number, sentence: number, v: NarrativeVocabulary, inReason: boolean): SentenceParse {
  const { toks, years } = tokenize(text, v);
  const drafts: Draft[] = [];
  const mentions: ClaimSubject[] = [];
  let cur: Draft | null = null;
  let parent: Draft | null = null;
  let lastBase: Located<{ text: string; year?: number }> | null = null;
  let endsWithLead: Draft | ClaimSubject | null = null;
  let pendingReason: Draft | null = null;
  let reasonOnly: { text: string; span: Span } | null = null;
  const g = (a: number, b: number): Span => ({ start: offset + a, end: offset + b });
  const newDraft = (pos: number, subject: ClaimSubject | null): Draft => ({
    sentence,
    sentences: new Set([sentence]),
    subject,
    subjectInherited: false,
    inReason,
    mentionOnly: false,
    pos,
    ...(parent ? { parent } : {}),
  });
  const finish = () => {
    if (cur && hasFigure(cur)) drafts.push(cur);
    cur = null;
  };
  const clauseEnd = (from: number) => {
    for (let i = from; i < text.length; i++) if ("；;。".includes(text[i]!)) return i;
    return text.length;
  };
  const prevTok = (idx: number) => {
    for (let j = idx - 1; j >= 0; j--) if (toks[j]!.k !== "clause") return toks[j]!;
    return null;
  };
  const adjacent = (idx: number, kinds: readonly Tok["k"][]) => {
    const p = prevTok(idx);
    if (!p || !kinds.includes(p.k)) return null;
    return FILLER_BEFORE_NUMBER.test(text.slice(p.e, toks[idx]!.s)) ? p : null;
  };
  const ensure = (pos: number): Draft => {
    cur ??= newDraft(pos, null);
    return cur;
  };
  const anyChange = () => drafts.some((d) => d.change || d.execution?.comparison) || (cur?.change ?? cur?.execution?.comparison) !== undefined;

  let pendingCount: Located<NarrativeCount> | null = null;
  let skipTo = -1;
  for (let idx = 0; idx < toks.length; idx++) {
    const t = toks[idx]!;
    if (t.s < skipTo) continue;
    switch (t.k) {
      case "clause":
        finish();
        lastBase = null;
        break;
      case "subject": {
        if (cur && (hasFigure(cur) || !cur.mentionOnly)) finish();
        const subj: ClaimSubject = {
          id: t.id,
          name: t.name,
          sentence,
          span: g(t.s, t.e),
          ...(t.scope ? { scope: t.scope, scopeFrom: "words" as const } : {}),
          ...(t.func ? { func: t.func } : {}),
        };
        mentions.push(subj);
        cur = newDraft(t.s, subj);
        cur.mentionOnly = true;
        if (pendingCount) {
          cur.count = pendingCount;
          cur.mentionOnly = false;
          pendingCount = null;
        }
        // 无/没有使用 … just before the subject: no such money
        const before = text.slice(Math.max(0, t.s - 6), t.s);
        const neg = v.noneBefore.find((w) => before.endsWith(w) || new RegExp(`${escapeRe(w)}(?:使用|安排的?)?$`).test(before));
        if (neg) cur.none = { value: neg, span: g(t.s - neg.length, t.e) };
        // 无政府性基金预算拨款和国有资本经营预算: the none goes on over 和/及/、
        const prevNone = drafts[drafts.length - 1];
        if (!neg && prevNone?.none && prevNone.subject && /^(?:和|及|与|、|或)$/.test(text.slice(prevNone.subject.span.end - offset, t.s)))
          cur.none = { value: prevNone.none.value, span: g(t.s, t.e) };
        break;
      }
      case "base":
        lastBase = { value: { text: t.text, ...(t.year !== undefined ? { year: t.year } : {}) }, span: g(t.s, t.e) };
        break;
      case "dir": {
        const next = toks[idx + 1];
        const numberNext = next && (next.k === "amount" || next.k === "percent" || next.k === "count") && FILLER_BEFORE_NUMBER.test(text.slice(t.e, next.s));
        if (numberNext) break; // read with the number
        const blank = v.moneyUnits.some((u) => text.startsWith(u.text, t.e)) || text.startsWith("%", t.e);
        if (t.direction === "flat" || blank || lastBase) {
          const d = ensure(t.s);
          if (!d.change) d.change = { direction: t.direction, word: t.word, span: g(t.s, t.e), ...(lastBase ? { base: lastBase } : {}), ...(blank ? { blank: true } : {}) };
          d.mentionOnly = false;
        }
        break;
      }
      case "amount": {
        if (t.threshold) break;
        const amt: Located<NarrativeAmount> = { value: t.amount, span: g(t.s, t.e) };
        const p = adjacent(idx, ["dir", "budgeted", "actual"]);
        if (p && p.k === "dir") {
          const d = ensure(p.s);
          if (d.change && d.change.amount) {
            // a second change amount: a new claim of no subject (read by the paragraph)
            finish();
            cur = newDraft(p.s, null);
          }
          const c = cur!;
          c.change = { ...c.change, direction: p.direction, word: p.word, span: g(p.s, t.e), amount: amt, ...(lastBase ? { base: lastBase } : {}) };
          c.mentionOnly = false;
          break;
        }
        if (p && p.k === "budgeted") {
          const d = ensure(p.s);
          d.execution = { ...d.execution, budgeted: { value: t.amount, span: g(p.s, t.e) } };
          d.mentionOnly = false;
          break;
        }
        if (cur && !cur.amount && !cur.change && !cur.share) {
          cur.amount = amt;
          cur.mentionOnly = false;
          break;
        }
        if (cur && (cur.amount || cur.change || cur.share)) finish();
        // an amount whose subject the sentence does not name: the words before it (预算安排规模：76.00万元 → the
        // words before the colon), without an item number
        let from = Math.max(lastBoundary(text, t.s), prevTok(idx)?.e ?? 0, itemEnd(text, v));
        if (from === t.s && /[：:]/.test(text[t.s - 1] ?? "")) from = Math.max(lastBoundary(text, t.s - 1), itemEnd(text, v));
        const label = text.slice(from, t.s).replace(/[，,：:]+$/, "");
        cur = newDraft(t.s, null);
        cur.amount = amt;
        if (label.length > 0) {
          cur.label = label;
          cur.unknownSpan = g(from, t.s);
        }
        break;
      }
      case "percent": {
        const pct: Located<NarrativePercent> = { value: t.percent, span: g(t.s, t.e) };
        const p = adjacent(idx, ["share", "dir", "completion"]);
        if (p && p.k === "share") {
          const d = ensure(p.s);
          d.share = { ...pct, span: g(p.s, t.e), ...(p.of ? { of: p.of } : {}) };
          d.mentionOnly = false;
        } else if (p && p.k === "dir") {
          const d = ensure(p.s);
          if (d.change && d.change.percent) {
            finish();
            cur = newDraft(p.s, null);
          }
          const c = cur!;
          c.change = c.change
            ? { ...c.change, percent: pct, percentWord: { word: p.word, direction: p.direction }, span: { start: c.change.span.start, end: offset + t.e } }
            : { direction: p.direction, word: p.word, span: g(p.s, t.e), percent: pct, percentWord: { word: p.word, direction: p.direction }, ...(lastBase ? { base: lastBase } : {}) };
          c.mentionOnly = false;
        } else if (p && p.k === "completion") {
          const d = ensure(p.s);
          d.execution = { ...d.execution, completion: { value: t.percent, span: g(p.s, t.e) } };
          d.mentionOnly = false;
        } else {
          const d = ensure(t.s);
          if (!d.otherPercent) d.otherPercent = pct;
          d.mentionOnly = false;
        }
        break;
      }
      case "count": {
        const cnt: Located<NarrativeCount> = { value: t.count, span: g(t.s, t.e) };
        const p = adjacent(idx, ["dir"]);
        if (p && p.k === "dir") {
          if (!cur) break;
          cur.change = { ...cur.change, direction: p.direction, word: p.word, span: g(p.s, t.e), count: cnt };
          cur.mentionOnly = false;
        } else if (toks[idx + 1]?.k === "subject" && toks[idx + 1]!.s === t.e) {
          // 有1个涉密项目: the count of the subject right after it
          pendingCount = cnt;
        } else if (cur && !cur.count && cur.subject) {
          cur.count = cnt;
          cur.mentionOnly = false;
        }
        break;
      }
      case "lead": {
        lastBase = null;
        // after a clause's end (…45.06万元；其中：) the whole is the claim that clause finished
        if (!cur && text.slice(0, t.s).replace(/[\s，,；;]/g, "") !== "") {
          const last = drafts.toReversed().find((d) => !d.inReason);
          if (last && /[；;]\s*$/.test(text.slice(0, t.s))) {
            parent = last;
            if (text.slice(t.e).replace(/[\s。]/g, "") === "") endsWithLead = last;
            break;
          }
        }
        const whole: Draft | ClaimSubject | null = cur && hasFigure(cur) ? cur : cur?.subject ?? null;
        if (cur && hasFigure(cur)) {
          drafts.push(cur);
          parent = cur;
        } else if (cur?.subject) {
          // the lead's whole is named without a figure (一般公共预算支出包括：): a parent for scope and side
          const mention: Draft = { ...cur, mentionOnly: true };
          parent = mention;
        }
        cur = null;
        if (text.slice(t.e).replace(/[\s。]/g, "") === "") endsWithLead = whole;
        break;
      }
      case "reason": {
        if (t.needsChange && !anyChange()) break;
        const stop = clauseEnd(t.e);
        let rs = t.e;
        while (rs < stop && "：:，,".includes(text[rs]!)) rs++;
        const rtext = text.slice(rs, stop);
        const target: Draft | null = cur && (cur.change || cur.execution?.comparison || hasFigure(cur)) ? cur : drafts.toReversed().find((d) => !d.inReason && !d.reason) ?? null;
        if (t.s === 0 || text.slice(0, t.s).replace(/^[，,]/, "").trim() === "") {
          // the sentence begins with its reason: it belongs to the claim before (read by the paragraph)
          reasonOnly = { text: rtext, span: g(rs, stop) };
        } else if (target) {
          if (rtext.length === 0) {
            target.pendingReason = g(rs, stop);
            pendingReason = target;
          } else target.reason = { text: rtext, span: g(rs, stop), sentence, ...reasonDirection(rtext, v) };
        }
        if (rtext.length > 0) {
          const nested = parseText(rtext, offset + rs, sentence, v, true);
          drafts.push(...nested.drafts);
        }
        skipTo = stop;
        break;
      }
      case "purpose": {
        const stop = clauseEnd(t.e);
        const colon = text.slice(t.e, stop).search(/[：:]/);
        if (colon >= 0 && toks.some((x) => x.k === "amount" && x.s > t.e + colon && x.s < stop)) {
          // 主要用于以下方面：… is a lead, not a purpose
          if (cur && hasFigure(cur)) {
            drafts.push(cur);
            parent = cur;
          }
          cur = null;
          skipTo = t.e + colon + 1;
        } else skipTo = stop;
        break;
      }
      case "budgeted":
      case "actual":
      case "completion":
        break;
      case "comparison": {
        const d = ensure(t.s);
        d.execution = { ...d.execution, comparison: { value: { word: t.word, direction: t.direction }, span: g(t.s, t.e) } };
        d.mentionOnly = false;
        break;
      }
      case "none-after": {
        if (cur && cur.subject && !cur.none && text.slice(cur.subject.span.end - offset, t.s).replace(/[，,]/g, "").length <= 2) {
          cur.none = { value: t.word, span: g(cur.subject.span.start - offset, t.e) };
          cur.mentionOnly = false;
        }
        break;
      }
      case "share":
      case "scope":
      case "skip":
        break;
    }
  }
  finish();
  // a change of a count belongs to counts, never to the amounts of the claim before it
  return {
    drafts,
    mentions,
    endsWithLead,
    reasonOnly,
    pendingReason,
    lastLead: parent,
    leadsAtStart: toks.some((t) => t.k === "lead" && text.slice(0, t.s).replace(/[\s，,]/g, "") === ""),
    years,
    bases: toks.filter((t) => t.k === "base").map((t) => ({ s: t.s, e: t.e })),
  };
}

/** Where the item number a sentence begins with ends (0 when it has none). */
function itemEnd(text: string, v: NarrativeVocabulary): number {
  for (const m of v.layout.markers) {
    const x = m.pattern.exec(text);
    if (x && x.index === 0) return x[0].length;
  }
  return 0;
}

function lastBoundary(text: string, before: number): number {
  for (let i = before - 1; i >= 0; i--) if ("，,；;：:。".includes(text[i]!)) return i + 1;
  return 0;
}

/** The direction a reason states in its last clause (…医疗费增加), unless it turns (但…) or states both. */
export function reasonDirection(reason: string, v: NarrativeVocabulary): { direction?: Direction } {
  const clauses = reason.split(/[，,；;]/).filter((c) => c.trim() !== "");
  const last = clauses[clauses.length - 1] ?? "";
  if (v.reasonTurn.test(last)) return {};
  const found = new Set<Direction>();
  let rest = last;
  for (const d of v.directions) {
    if (rest.includes(d.word)) {
      found.add(d.direction);
      rest = rest.split(d.word).join("　");
    }
  }
  // 只减不增, 有增有减: both directions, no direction
  if (found.size !== 1) return {};
  return { direction: [...found][0]! };
}

// ---------------------------------------------------------------------------------------------------------------
// the document

const SCOPE_HEADINGS: readonly { readonly scope: ScopeId; readonly words: RegExp }[] = [
  { scope: "gpb", words: /一般公共预算/ },
  { scope: "gf", words: /政府性基金/ },
  { scope: "sc", words: /国有资本经营/ },
  { scope: "appropriated", words: /财政拨款/ },
];

/** Every claim, year and department name of a narrative. */
export function narrativeClaims(nt: NarrativeText, v: NarrativeVocabulary): NarrativeReading {
  const sentenceStarts: number[] = [];
  let text = "";
  for (const s of nt.sentences) {
    sentenceStarts.push(text.length);
    text += s.text;
  }
  const parses: SentenceParse[] = nt.sentences.map((s, i) =>
    s.kind === "fragment" ? emptyParse() : parseText(s.text, sentenceStarts[i]!, i, v, false),
  );

  // link across the sentences of a paragraph
  const all: Draft[] = [];
  // the lead in force: the whole the claims after it are parts of. A lead that ends its sentence (…551.44万元，其中：)
  // goes on over the paragraphs after it until a heading, or, when its paragraph is a numbered item, until the next
  // item of its level; a lead inside a sentence (…537.45万元，其中：基本支出…) goes on to the end of its paragraph, and
  // over the unnumbered paragraphs after it whose first claim is of the family of its first part (基本支出 … 项目支出).
  let lead: { whole: Draft | ClaimSubject; level: number | null; paragraph: number; inSentence: boolean; family?: string | null; needsFamily?: boolean } | null = null;
  const pendingReasons: Draft[] = [];
  const sameSubject = (a: ClaimSubject | null, b: ClaimSubject | null) =>
    a !== null && b !== null && a.id !== null && a.id === b.id && (a.id !== "func" || JSON.stringify(a.func) === JSON.stringify(b.func)) && (a.scope ?? null) === (b.scope ?? null);
  for (let pi = 0; pi < nt.paragraphs.length; pi++) {
    const para = nt.paragraphs[pi]!;
    if (para.kind === "heading") {
      lead = null;
      continue;
    }
    if (lead && lead.paragraph !== pi) {
      const lv = para.marker ? markerLevel(para.marker, v) : null;
      if (lead.inSentence) {
        if (lv !== null || !lead.family) lead = null;
        else lead.needsFamily = true;
      } else if (lead.level !== null && (lv === null || lv <= lead.level)) lead = null;
    }
    let lastSubject: ClaimSubject | null = null;
    let prevDraft: Draft | null = null;
    for (const si of para.sentences) {
      const p = parses[si]!;
      const sent = nt.sentences[si]!;
      // a reason left pending (主要原因：) is the next sentence
      const pending = pendingReasons[pendingReasons.length - 1];
      if (pending && !pending.reason && p.drafts.length === 0 && !p.reasonOnly && sent.kind === "text" && si > pending.sentence) {
        const rt = sent.text.replace(/。$/, "");
        pending.reason = { text: rt, span: { start: sentenceStarts[si]!, end: sentenceStarts[si]! + rt.length }, sentence: si, ...reasonDirection(sent.text, v) };
        pending.sentences.add(si);
        delete pending.pendingReason;
      }
      pendingReasons.length = 0;
      if (p.pendingReason) pendingReasons.push(p.pendingReason);
      // a reason that begins its own sentence belongs to the claim before it (this paragraph, or the one before)
      if (p.reasonOnly) {
        const target = prevDraft ?? lastDraftBefore(all, pi, nt);
        if (target && !target.reason) {
          target.sentences.add(si);
          if (p.reasonOnly.text.length === 0) {
            target.pendingReason = p.reasonOnly.span;
            pendingReasons.push(target);
          } else target.reason = { text: p.reasonOnly.text, span: p.reasonOnly.span, sentence: si, ...reasonDirection(p.reasonOnly.text, v) };
        }
      }
      if (p.leadsAtStart && prevDraft) lead = { whole: prevDraft, level: null, paragraph: pi, inSentence: true };
      for (const d of p.drafts) {
        if (d.inReason) {
          all.push(d);
          continue;
        }
        // a figure with no subject: the paragraph's last subject; a change alone merges into the claim before
        if (d.subject === null && prevDraft && !prevDraft.inReason && mergeable(prevDraft, d)) {
          merge(prevDraft, d);
          continue;
        }
        if (d.subject !== null && prevDraft && sameSubject(prevDraft.subject, d.subject) && mergeable(prevDraft, d)) {
          merge(prevDraft, d);
          continue;
        }
        if (d.subject === null && lastSubject && !d.label) {
          d.subject = lastSubject;
          d.subjectInherited = true;
        } else if (d.subject === null && lastSubject && d.label && d.execution) {
          d.subject = lastSubject;
          d.subjectInherited = true;
        }
        if (!d.parent && lead && lead.needsFamily) {
          if (familyOf(d.subject) === lead.family) lead.needsFamily = false;
          else lead = null;
        }
        if (!d.parent && lead) d.parent = lead.whole as Draft;
        if (lead && d.parent === lead.whole && lead.family === undefined) lead.family = familyOf(d.subject);
        all.push(d);
        prevDraft = d;
      }
      if (p.mentions.length > 0) lastSubject = p.mentions[p.mentions.length - 1]!;
      const lastOwn = p.drafts.toReversed().find((d) => !d.inReason);
      if (lastOwn?.subject) lastSubject = lastOwn.subject;
      // a sentence that is only 其中：/包括： makes the claim before it a lead
      const level = para.marker ? markerLevel(para.marker, v) : null;
      if (p.endsWithLead) lead = { whole: p.endsWithLead, level, paragraph: pi, inSentence: false };
      else if (p.lastLead && !p.lastLead.mentionOnly && lead?.whole !== p.lastLead) {
        const first = p.drafts.find((d) => d.parent === p.lastLead);
        lead = { whole: p.lastLead, level, paragraph: pi, inSentence: true, family: first ? familyOf(first.subject) : null };
      }
      else if (/^(?:其中|包括)[：:]$/.test(sent.text) && prevDraft) lead = { whole: prevDraft, level, paragraph: pi, inSentence: false };
    }
  }

  // subjects: scope and side from the words, the lead, the headings
  const claims: NarrativeClaim[] = [];
  const index = new Map<Draft, number>();
  const notRead: NotRead[] = [];
  for (const d of all) {
    if (!hasFigure(d)) continue;
    index.set(d, claims.length);
    claims.push(finalise(d, claims.length, nt, v, index));
  }
  for (const c of claims) {
    if (c.subject.id === null && c.amount && !c.inReason)
      notRead.push({
        sentence: c.sentence,
        what: "claim",
        span: { start: c.subject.span.start, end: c.amount.span.end },
        reason: "subject-unknown",
        message: { zh: `未能识别“${c.subject.name || c.amount.value.text}”所指的科目或事项，该金额未核对`, en: `the subject of "${c.subject.name || c.amount.value.text}" is not recognised; the amount is not checked` },
      });
    if (c.otherPercent && !c.inReason && !c.change && !c.share)
      notRead.push({
        sentence: c.sentence,
        what: "claim",
        span: c.otherPercent.span,
        reason: "percent-unassigned",
        message: { zh: `百分比“${c.otherPercent.value.text}”既非占比也非增减幅度，未核对`, en: `the percentage "${c.otherPercent.value.text}" is neither a share nor a change; not checked` },
      });
  }
  nt.sentences.forEach((s, i) => {
    if (s.kind === "fragment" && /\d/.test(s.text))
      notRead.push({
        sentence: i,
        what: "sentence",
        span: { start: sentenceStarts[i]!, end: sentenceStarts[i]! + s.text.length },
        reason: "fragment",
        message: { zh: "没有标点的文字片段（图表标签或表格残留），未核对", en: "a fragment of text without sentence marks (a chart's labels or part of a table); not checked" },
      });
  });

  const bySentence = new Map<number, number[]>();
  for (const c of claims) {
    const list = bySentence.get(c.sentence);
    if (list) list.push(c.index);
    else bySentence.set(c.sentence, [c.index]);
  }
  const sentences: SentenceReading[] = nt.sentences.map((s, i) => {
    const p = parses[i]!;
    const st = sentenceStarts[i]!;
    return {
      sentence: i,
      claims: bySentence.get(i) ?? [],
      years: p.years.map((y) => yearMention(s, i, st, y, p.bases)).sort((a, b) => a.span.start - b.span.start),
      departments: departmentsOf(s.text, v).map((d) => ({ name: d.name, span: { start: st + d.s, end: st + d.e }, sentence: i })),
      levels: [...s.text.matchAll(v.departments.levels)].map((m) => ({ value: m[0], span: { start: st + m.index, end: st + m.index + m[0].length } })),
      emptyTable: v.emptyTable.test(s.text),
    };
  });
  return { text, sentenceStarts, sentences, claims, notRead };
}

/** The family of a subject: what its id begins with (exp.basic and exp.project are both of "exp"), "func" for a path. */
function familyOf(subject: ClaimSubject | null): string | null {
  if (!subject?.id) return null;
  return subject.id.split(".")[0]!;
}

function markerLevel(marker: string, v: NarrativeVocabulary): number | null {
  for (const m of v.layout.markers) if (m.pattern.test(marker)) return m.level;
  return null;
}

function emptyParse(): SentenceParse {
  return { drafts: [], mentions: [], endsWithLead: null, lastLead: null, leadsAtStart: false, reasonOnly: null, pendingReason: null, years: [], bases: [] };
}

function lastDraftBefore(all: readonly Draft[], paragraph: number, nt: NarrativeText): Draft | null {
  const prev = nt.paragraphs[paragraph - 1];
  if (!prev || prev.kind !== "text") return null;
  for (let i = all.length - 1; i >= 0; i--) {
    const d = all[i]!;
    if (d.inReason) continue;
    if (nt.sentences[d.sentence]?.paragraph === prev.index) return d;
    return null;
  }
  return null;
}

/** Whether draft `b` (of a later sentence) only adds to `a`: a change, a share or an execution `a` does not have. */
function mergeable(a: Draft, b: Draft): boolean {
  if (b.amount && (a.amount || b.subject !== null)) {
    // 年初预算为X，支出决算为Y: an amount with a budget is the execution of the subject before
    if (!(b.execution?.budgeted && !a.amount && !a.execution)) return false;
  }
  if (b.change && a.change) return false;
  if (b.share && a.share) return false;
  if (b.execution && a.execution && (b.execution.budgeted || b.amount) ) return false;
  if (b.execution?.comparison && a.execution?.comparison) return false;
  if (b.count || b.none || b.otherPercent) return false;
  if (!b.change && !b.share && !b.execution) return false;
  if (b.change && !a.amount && !a.count) return false;
  return true;
}

function merge(a: Draft, b: Draft): void {
  for (const s of b.sentences) a.sentences.add(s);
  if (b.change) a.change = b.change;
  if (b.share) a.share = b.share;
  if (b.amount && !a.amount) a.amount = b.amount;
  if (b.execution) a.execution = { ...a.execution, ...b.execution };
  if (b.reason && !a.reason) a.reason = b.reason;
  if (b.pendingReason && !a.reason) a.pendingReason = b.pendingReason;
}

function finalise(d: Draft, idx: number, nt: NarrativeText, v: NarrativeVocabulary, index: ReadonlyMap<Draft, number>): NarrativeClaim {
  const s = nt.sentences[d.sentence]!;
  let subject: ClaimSubject = d.subject ?? {
    id: null,
    name: d.label ?? "",
    sentence: d.sentence,
    span: d.unknownSpan ?? d.amount?.span ?? { start: 0, end: 0 },
  };
  const parentDraft = d.parent;
  const parentSubject = parentDraft?.subject ?? null;
  // scope: the words, else the lead's, else the headings'
  const def = subject.id ? v.subjects.find((x) => x.id === subject.id) : undefined;
  if (def?.scopeWord && subject.scope === undefined) subject = { ...subject, scope: def.scopeWord, scopeFrom: "words" };
  const wantsScope = subject.id === "func" || def?.scoped === true;
  if (wantsScope && subject.scope === undefined) {
    if (parentSubject?.scope) subject = { ...subject, scope: parentSubject.scope, scopeFrom: "lead" };
    else {
      const heads = s.headings.map((h) => nt.sentences[h]?.text ?? "").toReversed();
      for (const h of heads) {
        const hit = SCOPE_HEADINGS.find((x) => x.words.test(h));
        if (hit) {
          subject = { ...subject, scope: hit.scope, scopeFrom: "heading" };
          break;
        }
      }
    }
  }
  // a function path without its 类: the 类 of the heading above (（一）公共安全（类）)
  if (subject.func && subject.func.class === undefined) {
    for (const h of s.headings.toReversed()) {
      const m = /([^（）、.．\d\s]{2,30})（类）/.exec((nt.sentences[h]?.text ?? "").replace(/\(/g, "（").replace(/\)/g, "）"));
      if (m) {
        subject = { ...subject, func: { ...subject.func, class: m[1]! } };
        break;
      }
    }
  }
  // side: the subject's own, its words, the lead's, the headings'
  if (subject.side === undefined) {
    const side: Side | undefined =
      def?.side ??
      (/收入/.test(subject.name) && !/支出/.test(subject.name) ? "income" : /支出/.test(subject.name) && !/收入/.test(subject.name) ? "expenditure" : undefined) ??
      (subject.id === "func" ? "expenditure" : undefined) ??
      parentSubject?.side ??
      sideOfHeadings(s, nt);
    if (side) subject = { ...subject, side };
  }
  const spans: Span[] = [subject.span];
  if (d.amount) spans.push(d.amount.span);
  if (d.change) spans.push(d.change.span);
  if (d.reason) spans.push(d.reason.span);
  const pages = new Set<number>();
  for (const si of [...d.sentences].sort((a, b) => a - b)) for (const p of nt.sentences[si]!.pages) pages.add(p);
  return {
    index: idx,
    sentence: d.sentence,
    sentences: [...d.sentences].sort((a, b) => a - b),
    pages: [...pages],
    subject,
    subjectInherited: d.subjectInherited,
    ...(parentDraft && index.has(parentDraft) ? { parent: index.get(parentDraft)! } : {}),
    ...(d.amount ? { amount: d.amount } : {}),
    ...(d.count ? { count: d.count } : {}),
    ...(d.share ? { share: d.share } : {}),
    ...(d.change ? { change: d.change } : {}),
    ...(d.execution ? { execution: d.execution } : {}),
    ...(d.none ? { none: d.none } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.otherPercent ? { otherPercent: d.otherPercent } : {}),
    inReason: d.inReason,
  };
}

function sideOfHeadings(s: NarrativeSentence, nt: NarrativeText): Side | undefined {
  for (const h of s.headings.toReversed()) {
    const t = nt.sentences[h]?.text ?? "";
    const inc = /收入/.test(t);
    const exp = /支出/.test(t);
    if (inc && !exp) return "income";
    if (exp && !inc) return "expenditure";
  }
  return undefined;
}

function yearMention(
  s: NarrativeSentence,
  i: number,
  st: number,
  y: { year: number; s: number; e: number; ctx: YearContext },
  bases: readonly { s: number; e: number }[],
): YearMention {
  let context: YearContext = y.ctx;
  const before = s.text.slice(Math.max(0, y.s - 4), y.s);
  const after = s.text.slice(y.e, y.e + 14);
  if (context === "plain" || context === "date") {
    if (bases.some((b) => y.s >= b.s && y.s < b.e)) context = "comparison";
    else if (/(?:截至|截止|截止到|截止至)$/.test(before)) context = "as-of";
    else if (insideTitle(s.text, y.s)) context = "quoted-title";
    else if (s.kind === "heading" || /^年度?(?:部门|单位)?(?:预算|决算)(?:公开|情况说明|编制说明|表)/.test(after)) context = context === "date" ? "date" : "title";
    else if (/^年\d{1,2}月/.test(after)) context = "date";
  }
  const budgetContext = context === "comparison" || context === "title" || (context === "plain" && /^(?:年度?)?[^，。；]{0,10}?(?:预算|决算)/.test(after));
  return { year: y.year, text: s.text.slice(y.s, y.e), span: { start: st + y.s, end: st + y.e }, sentence: i, context, budgetContext };
}

function insideTitle(t: string, at: number): boolean {
  const open = t.lastIndexOf("《", at);
  return open >= 0 && t.indexOf("》", open) > at;
}

const CJK = /[\u4e00-\u9fff]/;

/** Department names in a sentence: runs of CJK that end with an organisation's ending and hold a place. */
export function departmentsOf(t: string, v: NarrativeVocabulary): { name: string; s: number; e: number }[] {
  const out: { name: string; s: number; e: number }[] = [];
  const { suffixes, maxGap, places, leftStops, insideStops, joiners, notFollowedBy, notPrecededBy } = v.departments;
  /** the next place at or after `from` where an ending stands that ends a name (not 委 of 委托) */
  const nextSuffix = (from: number): { s: number; e: number } | null => {
    let hit: { s: number; e: number } | null = null;
    for (const suf of suffixes) {
      let j = t.indexOf(suf, from);
      while (j >= 0 && suf.length === 1 && (notFollowedBy.includes(t[j + 1] ?? "") || notPrecededBy.includes(t[j - 1] ?? ""))) j = t.indexOf(suf, j + 1);
      if (j >= 0 && (hit === null || j < hit.s || (j === hit.s && j + suf.length > hit.e))) hit = { s: j, e: j + suf.length };
    }
    return hit;
  };
  const endsLikeName = (x: string) => suffixes.some((suf) => x.endsWith(suf));
  let i = 0;
  while (i < t.length) {
    const hit = nextSuffix(i);
    if (!hit) break;
    // extend over endings that follow closely (人民政府万里街道办事处), never over a character no name holds
    let end = hit.e;
    for (;;) {
      const next = nextSuffix(end);
      if (!next || next.s - end > maxGap) break;
      const gap = t.slice(end, next.s);
      if (!/^[\u4e00-\u9fff]*$/.test(gap) || insideStops.some((w) => gap.includes(w)) || joiners.some((w) => gap.startsWith(w))) break;
      end = next.e;
    }
    // walk left over CJK, then take off what stands before the name
    let start = hit.s;
    while (start > i && CJK.test(t[start - 1]!) && hit.s - start < 30) start--;
    for (let guard = 0; guard < 8; guard++) {
      const before = t.slice(start, hit.s);
      const pre = v.departments.prefix.exec(t.slice(start, end));
      const lead = leftStops.find((w) => before.startsWith(w));
      const inside = Math.max(...insideStops.map((w) => before.lastIndexOf(w)).filter((k) => k >= 0), -1);
      const join = joiners
        .map((w) => ({ w, k: before.lastIndexOf(w) }))
        .filter((x) => x.k > 0 && endsLikeName(before.slice(0, x.k)))
        .sort((a, b) => b.k - a.k)[0];
      if (pre && pre[0].length > 0) start += pre[0].length;
      else if (inside >= 0) start += inside + 1;
      else if (join) start += join.k + join.w.length;
      else if (lead) start += lead.length;
      else break;
    }
    const year = /^(?:年度?|度)/.exec(t.slice(start, end));
    if (year) start += year[0].length;
    const name = t.slice(start, end);
    if (name.length >= 4 && places.test(name.slice(0, Math.max(1, name.length - 1))) && !v.departments.collective.test(name)) out.push({ name, s: start, e: end });
    i = end;
  }
  return out;
}
