/**
 * Line breaking for the PDF, with the embedded font's own advance widths. pdfmake breaks text itself, but it makes
 * one piece per break opportunity — every ideograph of Chinese text — and resolves some twenty style properties for
 * each piece; breaking lines here and handing pdfmake whole lines (`noWrap`) is most of the speed of a document.
 * It also sets Chinese text as it should be set: lines justified by spacing the characters, never the words.
 *
 * Rules: an ideograph may break anywhere; a run of Latin letters, digits and ASCII punctuation stays whole (breaking
 * at spaces only); closing punctuation never starts a line and opening brackets never end one (禁则); a line break in
 * the text is kept.
 */

/** Advance widths of the embedded font, in points. */
export interface TextMeasure {
  width(text: string, size: number, bold: boolean): number;
}

export interface Span {
  readonly text: string;
  readonly bold?: boolean;
}

export interface Line {
  readonly spans: readonly Span[];
  /** advance width in points, as pdfmake measures it (no character spacing) */
  readonly width: number;
  /** whether the line ends its paragraph or a forced break (it is not justified) */
  readonly end: boolean;
}

const OPENING = new Set("（(「『“‘《〈【〔［｛");
const CLOSING = new Set("）)」』”’》〉】〕］｝、，。．：；！？,.:;!?%％…—～·");

interface Token {
  text: string;
  bold: boolean;
  kind: "word" | "space" | "newline";
  width: number;
}

/** Units: tokens that must stay on one line together (a word with its closing punctuation, an opening bracket with the next word). */
function units(spans: readonly Span[], size: number, m: TextMeasure): Token[][] {
  const out: Token[][] = [];
  let glueNext = false;
  for (const span of spans) {
    const bold = span.bold === true;
    for (const match of span.text.matchAll(/\r?\n|[ \t\u3000]+|[\x21-\x7e]+|[^\s\x21-\x7e]/gu)) {
      const text = match[0];
      if (text === "\n" || text === "\r\n") {
        out.push([{ text: "", bold, kind: "newline", width: 0 }]);
        glueNext = false;
        continue;
      }
      const kind = /^[ \t\u3000]+$/.test(text) ? "space" : "word";
      const token: Token = { text, bold, kind, width: m.width(text, size, bold) };
      const last = out[out.length - 1];
      if (kind === "word" && last && last[0]!.kind === "word" && (glueNext || CLOSING.has(text))) last.push(token);
      else out.push([token]);
      glueNext = kind === "word" && OPENING.has(text);
    }
  }
  return out;
}

function merge(tokens: readonly Token[]): Span[] {
  const spans: Span[] = [];
  for (const t of tokens) {
    const last = spans[spans.length - 1];
    if (last && (last.bold === true) === t.bold) spans[spans.length - 1] = { text: last.text + t.text, ...(t.bold ? { bold: true } : {}) };
    else spans.push({ text: t.text, ...(t.bold ? { bold: true } : {}) });
  }
  return spans;
}

/**
 * Breaks styled text into lines of at most `width` points (the first line `indent` narrower). A unit wider than a
 * whole line is broken between its characters.
 */
export function breakLines(spans: readonly Span[], width: number, size: number, m: TextMeasure, indent = 0): Line[] {
  const lines: Line[] = [];
  let current: Token[] = [];
  let used = 0;
  const room = () => width - (lines.length === 0 ? indent : 0) - 0.5;
  const flush = (end: boolean) => {
    while (current.length && current[current.length - 1]!.kind === "space") used -= current.pop()!.width;
    lines.push({ spans: merge(current), width: used, end });
    current = [];
    used = 0;
  };
  for (const unit of units(spans, size, m)) {
    const first = unit[0]!;
    if (first.kind === "newline") {
      flush(true);
      continue;
    }
    if (first.kind === "space" && current.length === 0) continue;
    const w = unit.reduce((s, t) => s + t.width, 0);
    if (used + w <= room()) {
      current.push(...unit);
      used += w;
      continue;
    }
    if (current.length) flush(false);
    if (first.kind === "space") continue;
    if (w <= room()) {
      current.push(...unit);
      used = w;
      continue;
    }
    // longer than a line: character by character
    for (const t of unit)
      for (const ch of t.text) {
        const cw = m.width(ch, size, t.bold);
        if (used + cw > room() && current.length) flush(false);
        current.push({ text: ch, bold: t.bold, kind: "word", width: cw });
        used += cw;
      }
  }
  if (current.length || lines.length === 0) flush(true);
  return lines;
}

/** Plain text broken into lines (table cells). */
export function wrapText(text: string, width: number, size: number, m: TextMeasure, bold = false): string[] {
  return breakLines([{ text, bold }], width, size, m).map((l) => l.spans.map((s) => s.text).join(""));
}

/**
 * The character spacing that justifies a line to `width` (0 for a paragraph's last line, or when the gap would be
 * wide enough for a reader or a text extractor to see spaces between characters).
 */
export function justifySpacing(line: Line, width: number, maxSpacing: number): number {
  if (line.end) return 0;
  const chars = line.spans.reduce((s, x) => s + x.text.length, 0) - 1;
  if (chars < 1) return 0;
  const cs = (width - 0.5 - line.width) / chars;
  return cs > 0 && cs <= maxSpacing ? cs : 0;
}

/**
 * Lines as pdfmake content: one line is a `noWrap` text; several are a stack of them (pdfmake ignores line breaks
 * inside `noWrap` text).
 */
export function linesContent(lines: readonly string[]): { text: string; noWrap: true } | { stack: { text: string; noWrap: true }[] } {
  if (lines.length === 1) return { text: lines[0]!, noWrap: true };
  return { stack: lines.map((text) => ({ text, noWrap: true as const })) };
}

/** Lines that pdfmake moves to the next page together. */
export interface KeptLines<T> {
  readonly stack: T[];
  readonly unbreakable: true;
}

/**
 * A paragraph's lines grouped so that a page break leaves at least two of them on each side — no single line of a
 * paragraph alone at the foot of a page (orphan) or at the head of the next (widow): the first two lines and the
 * last two travel together, and a paragraph of two or three lines is never split.
 */
export function keepLines<T>(lines: readonly T[]): (T | KeptLines<T>)[] {
  const n = lines.length;
  if (n <= 1) return [...lines];
  if (n <= 3) return [{ stack: [...lines], unbreakable: true }];
  return [{ stack: lines.slice(0, 2), unbreakable: true }, ...lines.slice(2, n - 2), { stack: lines.slice(n - 2), unbreakable: true }];
}
