/**
 * The two columns of `gongkai --help` (a command or option, then what it does), aligned by display width: a Chinese
 * character takes two columns of a terminal, so `padEnd` (which counts UTF-16 code units) would misalign every row
 * that holds one. The text column wraps at the width given, between words of English and between Chinese
 * characters, never before closing punctuation (，。）…) or after an opening one (（“…).
 */
import stringWidth from "string-width";

export interface HelpColumnsOptions {
  /** spaces before the first column */
  readonly indent?: number;
  /** spaces between the columns */
  readonly gap?: number;
  /** a first cell wider than this stands on its own line, its text starting on the next one */
  readonly maxLeft?: number;
  /** the width of the whole line, in terminal columns */
  readonly width?: number;
}

/** Display width in terminal columns (a Chinese character is two). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` followed by spaces up to `width` display columns. */
export function padDisplay(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}

/** The width to lay help out in: the terminal's, within bounds, or 100 columns when not on a terminal. */
export function helpWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const cols = stream.isTTY ? stream.columns : undefined;
  return cols === undefined ? 100 : Math.min(120, Math.max(60, cols));
}

/** Rows of two columns, as lines. */
export function helpColumns(rows: readonly (readonly [string, string])[], opts: HelpColumnsOptions = {}): string[] {
  const indent = " ".repeat(opts.indent ?? 2);
  const gap = opts.gap ?? 2;
  const maxLeft = opts.maxLeft ?? 32;
  const fitting = rows.map(([left]) => stringWidth(left)).filter((w) => w <= maxLeft);
  const leftWidth = fitting.length ? Math.max(...fitting) : 0;
  const textWidth = Math.max(20, (opts.width ?? 100) - indent.length - leftWidth - gap);
  const hang = indent + " ".repeat(leftWidth + gap);
  const out: string[] = [];
  for (const [left, text] of rows) {
    const lines = wrapDisplay(text, textWidth);
    if (stringWidth(left) > leftWidth) {
      out.push(`${indent}${left}`);
      out.push(...lines.map((l) => `${hang}${l}`));
      continue;
    }
    const [first = "", ...more] = lines;
    out.push(`${indent}${padDisplay(left, leftWidth + gap)}${first}`.trimEnd());
    out.push(...more.map((l) => `${hang}${l}`));
  }
  return out;
}

/** Closing punctuation: never starts a line. */
const CLOSING = new Set("，。、；：！？）》」』”’】〕,.;:!?)]}%");
/** Opening punctuation: never ends a line. */
const OPENING = new Set("（《「『“‘【〔([{");

interface Token {
  text: string;
  /** a space stood before it (kept when it does not start a line) */
  space: boolean;
  /** its last character is wide */
  wide: boolean;
}

/** Breaks text into lines of at most `width` display columns (a longer unbreakable word stays whole). */
export function wrapDisplay(text: string, width: number): string[] {
  const tokens: Token[] = [];
  let space = false;
  for (const ch of text) {
    if (ch === " ") {
      space = true;
      continue;
    }
    const last = tokens.at(-1);
    const wide = stringWidth(ch) === 2;
    const joins =
      last !== undefined &&
      !space &&
      (CLOSING.has(ch) || OPENING.has([...last.text].at(-1) ?? "") || (!wide && !last.wide && !OPENING.has(ch)));
    if (joins) {
      last.text += ch;
      last.wide = wide;
    } else tokens.push({ text: ch, space, wide });
    space = false;
  }
  const lines: string[] = [];
  let line = "";
  let used = 0;
  for (const tk of tokens) {
    const w = stringWidth(tk.text);
    const sep = line !== "" && tk.space ? 1 : 0;
    if (line !== "" && used + sep + w > width) {
      lines.push(line);
      line = tk.text;
      used = w;
      continue;
    }
    line += (sep ? " " : "") + tk.text;
    used += sep + w;
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}
