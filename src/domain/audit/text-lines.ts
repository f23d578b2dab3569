/**
 * The lines of a page, in reading order (issue 14, the narrative's first step). A reader gives words with boxes; a line
 * is the words that stand side by side. Word boxes from office software are not always honest about their height: in
 * the published 决算 of ONLYOFFICE a line's digits may come with a box 22 points tall and its characters with one of 3
 * points, whose top lies a line higher than the characters around it, or whose middle lies half a line lower. Their
 * bottoms stay near the line's baseline: words are therefore grouped by the bottom of their boxes, with a tolerance
 * of about half the page's own line pitch.
 *
 * A plain-text source (`geometry: "text"`) has one line per y: its words already stand on their line numbers.
 */
import type { TextPage, Word } from "./document-text.ts";
import { displayWidth } from "./normalise-text.ts";

export interface TextLine {
  /** the page number (1-based, as the reader counts) */
  readonly page: number;
  /** 0-based position of the line on its page, in reading order */
  readonly index: number;
  /** the words in reading order */
  readonly words: readonly Word[];
  /** the words joined: a space only where two ASCII letters or digits meet across a gap (see joinWords) */
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  /** the width of one CJK character on this line, in the page's units (points, or 2 columns for text) */
  readonly em: number;
}

/** where a word stands vertically: the bottom of its box (see the module comment) */
const mid = (w: Word) => w.y1;

/** The lines of a page, top to bottom, each left to right. */
export function pageLines(page: TextPage, geometry: "pdf" | "text"): TextLine[] {
  const words = page.words.filter((w) => w.text.trim() !== "");
  if (words.length === 0) return [];
  const groups: Word[][] = geometry === "text" ? groupByY(words) : groupByBottom(words);
  return groups.map((g, index) => makeLine(page.number, index, g, geometry));
}

function groupByY(words: readonly Word[]): Word[][] {
  const byY = new Map<number, Word[]>();
  for (const w of words) {
    const list = byY.get(w.y0);
    if (list) list.push(w);
    else byY.set(w.y0, [w]);
  }
  return [...byY.entries()].sort((a, b) => a[0] - b[0]).map(([, ws]) => ws);
}

function groupByBottom(words: readonly Word[]): Word[][] {
  const sorted = [...words].sort((a, b) => mid(a) - mid(b) || a.x0 - b.x0);
  // the page's line pitch, from the words of the usual height only (a box many times taller than most says little
  // about where its line is: its bottom may stand a fraction of a line below it), clustered with a tight tolerance.
  // The usual height is a low quantile, not the median: on some pages most boxes are the tall ones.
  const heights = sorted.map((w) => w.y1 - w.y0).sort((a, b) => a - b);
  const medianHeight = heights[Math.floor(heights.length / 4)] ?? 10;
  const usual = sorted.filter((w) => {
    const h = w.y1 - w.y0;
    return h >= 0.5 * medianHeight && h <= 2 * medianHeight;
  });
  const tight = cluster(usual.length >= 3 ? usual : sorted, 1.5);
  const centres = tight.map((c) => c.reduce((s, w) => s + mid(w), 0) / c.length);
  // a gap between two lines is at least a few points (and most of a line's height): words of two sizes on one line
  // may stand a point or two apart
  const minGap = Math.max(4, 0.6 * medianHeight);
  const gaps: number[] = [];
  for (let i = 1; i < centres.length; i++) {
    const g = centres[i]! - centres[i - 1]!;
    if (g >= minGap) gaps.push(g);
  }
  const pitch = pitchOf(gaps) ?? Math.max(medianHeight, 6);
  return cluster(sorted, Math.max(1.5, Math.min(0.45 * pitch, 12)));
}

/**
 * The line pitch from the gaps between lines: the smallest gap that recurs (within 10 %), since the lines of one
 * paragraph stand one pitch apart while paragraphs stand further apart — on a page of one-line paragraphs the median
 * gap is two pitches. With no gap recurring, the smallest gap.
 */
function pitchOf(gaps: readonly number[]): number | null {
  if (gaps.length === 0) return null;
  const sorted = [...gaps].sort((a, b) => a - b);
  for (let i = 0; i + 1 < sorted.length; i++) if (sorted[i + 1]! <= sorted[i]! * 1.1) return sorted[i]!;
  return sorted[0]!;
}

/** Words sorted by bottom → groups whose bottoms lie within `tol` of the group's running mean. */
function cluster(sorted: readonly Word[], tol: number): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  let sum = 0;
  for (const w of sorted) {
    if (cur.length > 0 && Math.abs(mid(w) - sum / cur.length) > tol) {
      out.push(cur);
      cur = [];
      sum = 0;
    }
    cur.push(w);
    sum += mid(w);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function textWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += displayWidth(ch);
  return n;
}

function makeLine(page: number, index: number, group: readonly Word[], geometry: "pdf" | "text"): TextLine {
  const words = [...group].sort((a, b) => a.x0 - b.x0);
  // the width of one CJK character: 2 columns in a text, else measured from the words themselves
  const per = words.map((w) => ((w.x1 - w.x0) / Math.max(1, textWidth(w.text))) * 2).filter((e) => e > 0);
  const em = geometry === "text" ? 2 : Math.max(1, median(per));
  return {
    page,
    index,
    words,
    text: joinWords(words, geometry === "text" ? 0.5 : 0.2 * em),
    x0: Math.min(...words.map((w) => w.x0)),
    x1: Math.max(...words.map((w) => w.x1)),
    y0: Math.min(...words.map((w) => w.y0)),
    y1: Math.max(...words.map((w) => w.y1)),
    em,
  };
}

const ASCII_ALNUM = /[A-Za-z0-9]/;

/**
 * The words of a line as one string. Layout white space means nothing in Chinese text (`2024 年`, `增加 1.15 万元`,
 * the spaces a justified line spreads between its characters), so words are joined without it — except where two
 * ASCII letters or digits meet across a gap wider than `minGap`, which keeps `2010301 231.52` two numbers.
 */
export function joinWords(words: readonly Word[], minGap: number): string {
  let out = "";
  let prev: Word | null = null;
  for (const w of words) {
    const t = w.text.replace(/\s+/g, (m) => (m.length > 0 ? " " : ""));
    if (prev !== null && out.length > 0 && t.length > 0) {
      const a = out[out.length - 1]!;
      const b = t[0]!;
      if (ASCII_ALNUM.test(a) && ASCII_ALNUM.test(b) && w.x0 - prev.x1 > minGap) out += " ";
    }
    out += t;
    prev = w;
  }
  return squeezeSpaces(out);
}

/** White space inside a string removed, except one space between two ASCII letters or digits. */
export function squeezeSpaces(s: string): string {
  return s.replace(/\s+/g, (m, offset: number, all: string) => {
    const a = all[offset - 1];
    const b = all[offset + m.length];
    return a !== undefined && b !== undefined && ASCII_ALNUM.test(a) && ASCII_ALNUM.test(b) ? " " : "";
  });
}
