/**
 * Words of a page as the table reader sees them (issue 14, point 3): each word with its centre, its kind of token, and
 * the page's glyph size ("em"), grouped into lines. Word boxes differ between readers — poppler gives some fonts boxes
 * far taller or shorter than their glyphs, pdf.js gives baseline boxes — so sizes are estimated from what is stable:
 * the advance of a CJK character is its font size (they are square), and a line is words whose vertical centres lie
 * within half an em of each other.
 */
import type { TextPage, Word } from "./document-text.ts";
import { tokenKind, type TokenKind } from "./printed-amount.ts";

export interface PlacedWord {
  readonly text: string;
  readonly page: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly cx: number;
  readonly cy: number;
  readonly kind: TokenKind;
}

export interface Line {
  readonly page: number;
  /** left to right */
  readonly words: readonly PlacedWord[];
  readonly cy: number;
  readonly x0: number;
  readonly x1: number;
  /** the words joined as they read (see joinWords) */
  readonly text: string;
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]/u;
const CJK_ONLY =
  /^[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]+$/u;

export function placeWord(w: Word, page: number): PlacedWord {
  return {
    text: w.text,
    page,
    x0: w.x0,
    x1: w.x1,
    y0: w.y0,
    y1: w.y1,
    cx: (w.x0 + w.x1) / 2,
    cy: (w.y0 + w.y1) / 2,
    kind: tokenKind(w.text),
  };
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * The glyph size of a page: the median advance of a CJK character over its CJK-only words (a CJK glyph is as wide as
 * its font size), else the median word height; 1 for a text source (a line is one unit).
 */
export function pageEm(page: TextPage, geometry: "pdf" | "text"): number {
  if (geometry === "text") return 1;
  const advances: number[] = [];
  for (const w of page.words) {
    const chars = [...w.text];
    if (chars.length > 0 && chars.length <= 20 && CJK_ONLY.test(w.text))
      advances.push((w.x1 - w.x0) / chars.length);
  }
  const m = median(advances);
  if (Number.isFinite(m) && m > 0) return m;
  const heights = page.words.map((w) => w.y1 - w.y0).filter((h) => h > 0);
  const h = median(heights);
  return Number.isFinite(h) && h > 0 ? h : 10;
}

/** Words joined as they read: no space between two CJK characters, one space otherwise. */
export function joinWords(words: readonly { readonly text: string }[]): string {
  let out = "";
  for (const w of words) {
    if (out === "") out = w.text;
    else {
      const a = out[out.length - 1] ?? "";
      const b = w.text[0] ?? "";
      out += CJK.test(a) || CJK.test(b) ? w.text : ` ${w.text}`;
    }
  }
  return out;
}

/**
 * Words into lines: sorted by vertical centre, a word joins the line being built when its centre is within
 * `tolerance` of the line's mean centre and it does not overlap a word of the line horizontally.
 */
export function wordsToLines(
  words: readonly PlacedWord[],
  tolerance: number,
): Line[] {
  const sorted = [...words].sort((a, b) => a.cy - b.cy || a.x0 - b.x0);
  const groups: PlacedWord[][] = [];
  const sums: number[] = [];
  for (const w of sorted) {
    const gi = groups.length - 1;
    const g = groups[gi];
    if (g !== undefined) {
      const mean = sums[gi]! / g.length;
      const overlaps = g.some(
        (o) => Math.min(o.x1, w.x1) - Math.max(o.x0, w.x0) > 0.5,
      );
      if (Math.abs(w.cy - mean) <= tolerance && !overlaps) {
        g.push(w);
        sums[gi]! += w.cy;
        continue;
      }
    }
    groups.push([w]);
    sums.push(w.cy);
  }
  return groups.map((g) => makeLine(g));
}

export function makeLine(words: readonly PlacedWord[]): Line {
  const ws = [...words].sort((a, b) => a.x0 - b.x0);
  const first = ws[0];
  if (first === undefined) throw new Error("makeLine: no words");
  return {
    page: first.page,
    words: ws,
    cy: ws.reduce((s, w) => s + w.cy, 0) / ws.length,
    x0: Math.min(...ws.map((w) => w.x0)),
    x1: Math.max(...ws.map((w) => w.x1)),
    text: joinWords(ws),
  };
}

/** Horizontal overlap of two extents (negative: the gap between them). */
export const overlapX = (
  a: { x0: number; x1: number },
  b: { x0: number; x1: number },
): number => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/**
 * Page furniture: a page number alone on a line in the top or bottom eighth of the page ("8", "- 8 -", "第 8 页",
 * "8/26"). Such a line is never a row.
 */
export function isPageFurniture(
  line: Line,
  page: TextPage,
  geometry: "pdf" | "text",
): boolean {
  const t = line.text.replace(/\s+/g, "");
  if (
    !/^(第?[-—–]?\d{1,4}[-—–]?页?|\d{1,4}\/\d{1,4}|[-—–]\d{1,4}[-—–])$/.test(t)
  )
    return false;
  if (geometry === "text") return true;
  return line.cy < page.height / 8 || line.cy > (page.height * 7) / 8;
}
