/**
 * The text beside an audit finding, in the CLI's HTML report and on the site's report page: the lines of the page it
 * stands on (a PDF), or the lines around it (a plain-text source), with the quoted lines marked.
 */
import type { TextPage } from "../../domain/audit/document-text.ts";
import type { FigureLine, PlaceFigure } from "./audit-report-html.ts";

/** Lines of a PDF page: words whose vertical centres lie within half a word's height, left to right. */
export function pageLines(page: TextPage): string[] {
  const words = [...page.words].sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2 || a.x0 - b.x0);
  const lines: { y: number; h: number; words: (typeof words)[number][] }[] = [];
  for (const w of words) {
    const y = (w.y0 + w.y1) / 2;
    const h = Math.max(1, w.y1 - w.y0);
    const last = lines.at(-1);
    if (last && Math.abs(y - last.y) <= Math.min(h, last.h) / 2) last.words.push(w);
    else lines.push({ y, h, words: [w] });
  }
  return lines.map((l) => {
    const ws = l.words.sort((a, b) => a.x0 - b.x0);
    let text = "";
    let right: number | null = null;
    for (const w of ws) {
      if (right !== null && w.x0 - right > l.h * 0.25) text += " ";
      text += w.text;
      right = w.x1;
    }
    return text;
  });
}

/** The lines of a plain-text source (a word's y is its line, its x its column), by line number. */
export function textLines(pages: readonly TextPage[]): Map<number, string> {
  const byLine = new Map<number, { x: number; text: string }[]>();
  for (const p of pages)
    for (const w of p.words) {
      const n = Math.round(w.y0);
      const list = byLine.get(n) ?? [];
      list.push({ x: w.x0, text: w.text });
      byLine.set(n, list);
    }
  const out = new Map<number, string>();
  for (const [n, ws] of byLine) {
    let text = "";
    for (const w of ws.sort((a, b) => a.x - b.x)) text += (text === "" ? " ".repeat(Math.max(0, Math.round(w.x))) : " ") + w.text;
    out.set(n, text.trimEnd());
  }
  return out;
}

export const squeeze = (s: string) => s.replace(/\s+/g, "");

/** Whether a line holds (part of) one of the quotes: the whole quote, or, for a quote over several lines, the line. */
export function marks(line: string, quotes: readonly string[]): boolean {
  const l = squeeze(line);
  if (l === "") return false;
  return quotes.some((q) => q !== "" && (l.includes(q) || ([...l].length >= 4 && q.includes(l))));
}

/** A PDF page's text beside its findings, the lines holding their quotes marked. */
export function pageTextFigure(page: TextPage, quotes: readonly string[]): PlaceFigure {
  return { kind: "page-text", page: page.number, lines: pageLines(page).map((text): FigureLine => ({ n: null, text, mark: marks(text, quotes) })) };
}

/** Three lines either side of a finding's line in a plain-text source, its own line marked. */
export function lineTextFigure(lines: ReadonlyMap<number, string>, line: number): PlaceFigure {
  const around: FigureLine[] = [];
  for (let n = Math.max(1, line - 3); n <= line + 3; n++) {
    const text = lines.get(n);
    if (text !== undefined || n === line) around.push({ n, text: text ?? "", mark: n === line });
  }
  return { kind: "line-text", line, lines: around };
}
