/**
 * The narrative of a published disclosure as paragraphs and sentences (issue 14, point 4's first step).
 *
 * A PDF breaks its lines where the page is full, not where a sentence ends, and it breaks pages the same way: a line
 * break inside a sentence is not a sentence end, and a sentence may run over a page break. This module rejoins the
 * lines of every page into paragraphs and sentences, keeping for each sentence the pages it stands on and its exact
 * text (the printed characters with the layout's white space removed, which is how a quote is compared).
 *
 * What is not narrative is left out, and said so: page numbers and running headers and footers, the table of contents,
 * and the tables — a table region begins at a table title, a table number line (表1, 公开01表) or a unit line (单位：万元),
 * and ends at the next heading of the narrative (第三部分…, 其他相关情况说明, 一、…情况说明) or at a page that begins with
 * prose. A note printed with a table ("注：本表为空表。") is kept, as a sentence of kind "table-note": it is the
 * sentence a checker compares with an empty table.
 *
 * Pure: the layout words (heading markers, what ends a section title, page-number forms) come in as `NarrativeLayout`,
 * read from `data/audit/narrative-subjects.yaml` by `src/adapters/audit/narrative-data.ts`, and the table titles from the
 * table engineer's catalog (`data/audit/table-titles.yaml`).
 */
import type { DocumentText } from "./document-text.ts";
import { pageLines, type TextLine } from "./text-lines.ts";

/** What the sentence splitter needs to know about a region's layout; all of it data. */
export interface NarrativeLayout {
  /** a line that titles a table ("2025年部门收入预算总表", "部门整体绩效目标表") */
  readonly isTableTitle: (text: string) => boolean;
  /** a line that only numbers a table ("表 1", "公开 01 表") */
  readonly isTableNumberLine: (text: string) => boolean;
  /** a line that states a table's unit ("单位：万元", "编制部门：… 单位：元") */
  readonly isUnitLine: (text: string) => boolean;
  /** the other lines of a table's head that name the department ("编制部门：", "部门名称：") */
  readonly tableHeadLine: RegExp;
  /** a heading of a part: 第一部分, 第三部分 … */
  readonly partHeading: RegExp;
  /** the markers that begin a heading or a numbered item, each with its level (0 = part, 1 = 一、, 2 = （一）, …) */
  readonly markers: readonly { readonly pattern: RegExp; readonly level: number }[];
  /** how a section title ends (说明, 情况, 名词解释 …): a short line without a sentence mark that ends so is a heading */
  readonly headingEnd: RegExp;
  /** the title of a table of contents (目录) */
  readonly contentsTitle: RegExp;
  /** a line that is only a page number ("3", "- 3 -", "第 3 页") */
  readonly pageNumber: RegExp;
  /** a line printed with a table that belongs to the narrative ("注：", "…为空表。", "本表无数据") */
  readonly tableNote: RegExp;
}

export type ParagraphKind = "heading" | "text" | "table-note" | "fragment";

export interface NarrativeSentence {
  readonly index: number;
  readonly paragraph: number;
  readonly kind: ParagraphKind;
  /** the sentence as printed, layout white space removed (a space kept only between two ASCII letters or digits) */
  readonly text: string;
  /** the pages it stands on, in order */
  readonly pages: readonly number[];
  /**
   * where each line's part of `text` starts, with its page and, for a plain-text source, its line number on the page:
   * [{ start: 0, page: 17, line: null }, { start: 31, page: 18, line: null }]
   */
  readonly segments: readonly { readonly start: number; readonly page: number; readonly line: number | null }[];
  /** the headings it stands under, outermost first (indices of heading sentences) */
  readonly headings: readonly number[];
  /** for a heading: its level (0 part or title, 1 一、, 2 （一）, 3 1、, 4 （1）) */
  readonly level?: number;
}

export interface NarrativeParagraph {
  readonly index: number;
  readonly kind: ParagraphKind;
  readonly text: string;
  readonly pages: readonly number[];
  /** its sentences, as indices */
  readonly sentences: readonly number[];
  /** the marker it begins with ("一、", "（二）", "3、"), if any */
  readonly marker?: string;
}

export interface TableRegion {
  readonly firstPage: number;
  readonly lastPage: number;
  /** the first line of the region (its title, number or unit line) */
  readonly opening: string;
  readonly lines: readonly TextLine[];
}

export type DroppedWhy = "page-number" | "running-header" | "contents";

export interface NarrativeText {
  readonly source: string;
  readonly geometry: "pdf" | "text";
  readonly sentences: readonly NarrativeSentence[];
  readonly paragraphs: readonly NarrativeParagraph[];
  readonly tables: readonly TableRegion[];
  /** lines left out of the narrative and why (tables are in `tables`) */
  readonly dropped: readonly { readonly page: number; readonly text: string; readonly why: DroppedWhy }[];
  /** pages without any word (or with only a page number) */
  readonly blankPages: readonly number[];
  /** how many pages the document has */
  readonly pageCount: number;
}

const SENTENCE_MARK = /[，。；：！？,;]/;
const TERMINAL = /[。！？；：:;!?][”’」』）)]*$/;
const SENTENCE_END = /[。！？!?]+[”’」』）)]*/g;

interface PageMetrics {
  readonly left: number;
  readonly right: number;
  readonly pitch: number;
}

/** Left and right margins of a page's text, and its usual line pitch, from its longer lines. */
function metricsOf(lines: readonly TextLine[]): PageMetrics {
  const long = lines.filter((l) => l.text.length >= 10);
  const use = long.length >= 3 ? long : lines;
  const xs0 = use.map((l) => l.x0).sort((a, b) => a - b);
  const xs1 = use.map((l) => l.x1).sort((a, b) => a - b);
  const left = xs0[Math.floor(xs0.length * 0.2)] ?? 0;
  const right = xs1[Math.floor(xs1.length * 0.8)] ?? 0;
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) gaps.push(lines[i]!.y1 - lines[i - 1]!.y1);
  gaps.sort((a, b) => a - b);
  return { left, right, pitch: gaps[Math.floor(gaps.length / 2)] ?? 1 };
}

/** A line's text with its digits masked, for finding running headers and footers. */
const mask = (t: string) => t.replace(/\d+/g, "#");

interface Work {
  lines: TextLine[];
  kind: ParagraphKind | null;
}

/**
 * The narrative of a document: its sentences, paragraphs, table regions and what was left out.
 * `geometry` is the document's: positions in points (pdf) or in character columns and line numbers (text).
 */
export function narrativeSentences(doc: DocumentText, layout: NarrativeLayout): NarrativeText {
  const geometry = doc.geometry;
  const pages = doc.pages.map((p) => pageLines(p, geometry));
  const metrics = pages.map(metricsOf);
  const dropped: { page: number; text: string; why: DroppedWhy }[] = [];
  const blankPages: number[] = [];

  // running headers and footers: the same first or last line (digits masked) on many pages
  const edgeCount = new Map<string, number>();
  pages.forEach((ls) => {
    const keys = new Set<string>();
    const first = ls[0];
    const last = ls[ls.length - 1];
    if (first) keys.add(mask(first.text));
    if (last) keys.add(mask(last.text));
    for (const k of keys) edgeCount.set(k, (edgeCount.get(k) ?? 0) + 1);
  });
  const runningHeader = (l: TextLine, ls: readonly TextLine[]) => {
    if (pages.length < 3) return false;
    if (l !== ls[0] && l !== ls[ls.length - 1]) return false;
    if (layout.isUnitLine(l.text) || layout.isTableTitle(l.text) || layout.tableHeadLine.test(l.text)) return false;
    const n = edgeCount.get(mask(l.text)) ?? 0;
    return n >= 3 && n >= pages.length * 0.3;
  };

  const paragraphs: { lines: TextLine[]; kind: ParagraphKind }[] = [];
  const tables: { firstPage: number; lastPage: number; opening: string; lines: TextLine[] }[] = [];
  let mode: "narrative" | "table" | "contents" = "narrative";
  let contentsPage = -1;
  let contentsFirst: string | null = null;
  let cur: Work = { lines: [], kind: null };
  let note: TextLine[] | null = null;

  const close = () => {
    if (cur.lines.length > 0) paragraphs.push({ lines: cur.lines, kind: cur.kind ?? "text" });
    cur = { lines: [], kind: null };
  };
  const closeNote = () => {
    if (note && note.length > 0) paragraphs.push({ lines: note, kind: "table-note" });
    note = null;
  };
  const key = (t: string) => t.replace(/[.…·．\s\d]+$/g, "").replace(/[\s…·]+/g, "");

  for (let pi = 0; pi < pages.length; pi++) {
    const ls = pages[pi]!;
    const pageNo = doc.pages[pi]!.number;
    const content = ls.filter((l) => {
      if (layout.pageNumber.test(l.text)) {
        dropped.push({ page: pageNo, text: l.text, why: "page-number" });
        return false;
      }
      if (runningHeader(l, ls)) {
        dropped.push({ page: pageNo, text: l.text, why: "running-header" });
        return false;
      }
      return true;
    });
    if (content.length === 0) blankPages.push(pageNo);
    // a table of contents goes on over a page break only while the new page still reads as contents
    if (mode === "contents" && contentsPage !== pi) {
      if (continuesContents(content, contentsFirst, key)) contentsPage = pi;
      else mode = "narrative";
    }
    // a table that runs onto this page goes on unless the page begins with prose
    if (mode === "table" && beginsWithProse(content, layout)) {
      closeNote();
      mode = "narrative";
    }
    const m = metrics[pi]!;
    for (let li = 0; li < content.length; li++) {
      const line = content[li]!;
      const t = line.text;
      if (mode === "contents") {
        const k = key(t);
        // the contents end where their first entry comes again (the part itself) or where prose begins
        if ((contentsFirst !== null && k === contentsFirst) || /[，。]/.test(t)) mode = "narrative";
        else {
          if (contentsFirst === null && k.length > 0) contentsFirst = k;
          dropped.push({ page: pageNo, text: t, why: "contents" });
          continue;
        }
      }
      if (layout.contentsTitle.test(t)) {
        close();
        mode = "contents";
        contentsPage = pi;
        close();
        contentsFirst = null;
        dropped.push({ page: pageNo, text: t, why: "contents" });
        continue;
      }
      if (mode === "table") {
        if (endsTable(line, content[li + 1], li === 0, layout)) {
          closeNote();
          mode = "narrative";
        } else {
          const tt = layout.isTableNumberLine(t) || layout.isTableTitle(t);
          const open = tables[tables.length - 1]!;
          // a new table's number or title begins a new region (a title right after its number line stays with it)
          if (tt && !(open.lines.length === 1 && layout.isTableNumberLine(open.opening))) {
            closeNote();
            tables.push({ firstPage: pageNo, lastPage: pageNo, opening: t, lines: [line] });
            continue;
          }
          tables[tables.length - 1]!.lines.push(line);
          tables[tables.length - 1]!.lastPage = pageNo;
          const openNote = note as TextLine[] | null;
          if (openNote !== null) {
            const last = openNote[openNote.length - 1]!;
            if (!/[。]$/.test(joined(openNote)) && openNote.length < 4 && !layout.tableNote.test(t) && !layout.isUnitLine(t) && !layout.isTableTitle(t) && line.page === last.page) {
              openNote.push(line);
              continue;
            }
            closeNote();
          }
          if (layout.tableNote.test(t)) {
            // a note's sentence may begin on the line before the one that names the empty table
            const region = tables[tables.length - 1]!.lines;
            const before: TextLine[] = [];
            for (let k = region.length - 2; k >= 0 && before.length < 2; k--) {
              const b = region[k]!;
              if (b.page !== line.page || /[。]$/.test(b.text) || !/[，,]/.test(b.text) || /\d\s*$/.test(b.text)) break;
              before.unshift(b);
            }
            note = [...before, line];
          }
          continue;
        }
      }
      // narrative
      if (startsTable(line, layout)) {
        close();
        mode = "table";
        tables.push({ firstPage: pageNo, lastPage: pageNo, opening: t, lines: [line] });
        continue;
      }
      const prev = cur.lines[cur.lines.length - 1];
      if (prev === undefined || breaksBefore(prev, line, cur, m, metrics, doc, geometry, layout)) close();
      cur.lines.push(line);
      if (cur.lines.length === 1) cur.kind = null;
    }
  }
  close();
  closeNote();

  return assemble(doc, paragraphs, tables, dropped, blankPages, layout);
}

const joined = (ls: readonly TextLine[]) => ls.map((l) => l.text).join("");

/** Whether a page continues a table of contents: it holds the contents' first entry again, or reads as contents. */
function continuesContents(lines: readonly TextLine[], first: string | null, key: (t: string) => string): boolean {
  if (first === null) return false;
  if (lines.some((l) => key(l.text) === first)) return true;
  return lines.length > 0 && lines.every((l) => !SENTENCE_MARK.test(l.text) && l.text.length <= 60);
}

function isMarkerStart(t: string, layout: NarrativeLayout): { marker: string; level: number } | null {
  if (layout.partHeading.test(t)) return { marker: layout.partHeading.exec(t)?.[0] ?? "", level: 0 };
  for (const mk of layout.markers) {
    const m = mk.pattern.exec(t);
    if (m && m.index === 0) return { marker: m[0], level: mk.level };
  }
  return null;
}

/** A short line with no sentence mark that ends like a section title (说明, 情况, 名词解释 …). */
function isTitleLine(t: string, layout: NarrativeLayout): boolean {
  return t.length <= 50 && !SENTENCE_MARK.test(t.replace(/^[^、]{1,4}、/, "")) && layout.headingEnd.test(t) && !/\d+(\.\d+)?(万元|元)/.test(t);
}

function startsTable(line: TextLine, layout: NarrativeLayout): boolean {
  const t = line.text;
  if (layout.partHeading.test(t) && !layout.isTableTitle(t)) return false;
  return layout.isTableNumberLine(t) || layout.isTableTitle(t) || layout.isUnitLine(t) || layout.tableHeadLine.test(t);
}

function endsTable(line: TextLine, next: TextLine | undefined, firstOnPage: boolean, layout: NarrativeLayout): boolean {
  const t = line.text;
  if (layout.isTableTitle(t) || layout.isUnitLine(t) || layout.isTableNumberLine(t)) return false;
  if (layout.partHeading.test(t)) return true;
  if (!isTitleLine(t, layout)) return false;
  // a marked title (一、…情况说明, （五）其他需说明的事项) ends a table; an unmarked one (其他相关情况说明) where it
  // begins a page or prose follows it — a table's own cells may end like a title
  if (isMarkerStart(t, layout)) return true;
  return firstOnPage || (next !== undefined && /[，。；]/.test(next.text) && next.text.length >= 12);
}

/** The page's first lines read as prose (sentences), and no table title or unit line comes before them. */
function beginsWithProse(lines: readonly TextLine[], layout: NarrativeLayout): boolean {
  let prose = 0;
  for (const l of lines.slice(0, 4)) {
    const t = l.text;
    if (startsTable(l, layout)) return false;
    if (layout.partHeading.test(t) || isTitleLine(t, layout)) return true;
    if (/[，。；]/.test(t) && t.length >= 12 && !/\d[\d,.]*\s+\d/.test(t)) prose++;
    else return false;
    if (prose >= 2) return true;
  }
  return prose > 0 && prose === Math.min(lines.length, 4);
}

const LABEL = /^[\u4e00-\u9fff（）()]{2,12}[：:]/;

/** Whether `line` begins a new paragraph after `prev`, the last line of the paragraph `cur` being built. */
function breaksBefore(
  prev: TextLine,
  line: TextLine,
  cur: Work,
  m: PageMetrics,
  metrics: readonly PageMetrics[],
  doc: DocumentText,
  geometry: "pdf" | "text",
  layout: NarrativeLayout,
): boolean {
  const t = line.text;
  if (isMarkerStart(t, layout)) return true;
  const pm = prev.page === line.page ? m : (metrics[doc.pages.findIndex((p) => p.number === prev.page)] ?? m);
  const soFar = joined(cur.lines);
  const first = cur.lines[0]!;
  const em = geometry === "text" ? 2 : Math.max(prev.em, line.em);
  const short = prev.x1 < pm.right - (geometry === "text" ? 3 : 1.5 * em);
  const indent = line.x0 - m.left >= (geometry === "text" ? 1 : 1 * em);
  // a heading so far (a marker or a title, no sentence mark yet) ends where it ends like a title, or where the next
  // line is indented as a paragraph's first line is
  const firstMarker = isMarkerStart(first.text, layout);
  const headingSoFar = (firstMarker !== null || isTitleLine(first.text, layout)) && !SENTENCE_MARK.test(soFar.slice(firstMarker?.marker.length ?? 0));
  const continuesHeading = t.length <= 6 && !SENTENCE_MARK.test(t) && layout.headingEnd.test(soFar + t);
  const full = line.x1 >= m.right - (geometry === "text" ? 3 : 1.5 * em);
  // short as a heading is short: a quarter of the text's width left, not a word that did not fit
  const headingShort = prev.x1 < pm.left + 0.75 * (pm.right - pm.left);
  const continuation = /^[（(](?:类|款|项)[）)]/.test(t);
  if (headingSoFar && cur.lines.length <= 2 && !continuesHeading && !continuation && (layout.headingEnd.test(soFar) || (short && headingShort && (indent || full)))) return true;
  // a centred title line, before or after
  const centred = (l: TextLine, mm: PageMetrics) => l.x0 > mm.left + 3 * em && l.x1 < mm.right - 2 * em;
  if (!SENTENCE_MARK.test(prev.text) && cur.lines.length === 1 && centred(prev, pm) && prev.text.length <= 40) return true;
  if (!SENTENCE_MARK.test(t) && centred(line, m) && t.length <= 40 && (TERMINAL.test(prev.text) || short)) return true;
  // a label line (设立的政策依据：…, 预算安排规模：…) after a short line
  if (short && LABEL.test(t)) return true;
  if (!TERMINAL.test(prev.text)) return false;
  if (indent || short) return true;
  if (geometry === "pdf" && prev.page === line.page && m.pitch > 0 && line.y1 - prev.y1 > 1.6 * m.pitch) return true;
  return false;
}

function assemble(
  doc: DocumentText,
  paras: readonly { lines: TextLine[]; kind: ParagraphKind }[],
  tables: readonly { firstPage: number; lastPage: number; opening: string; lines: TextLine[] }[],
  dropped: { page: number; text: string; why: DroppedWhy }[],
  blankPages: number[],
  layout: NarrativeLayout,
): NarrativeText {
  const sentences: NarrativeSentence[] = [];
  const paragraphs: NarrativeParagraph[] = [];
  // the open headings by level
  const open: { level: number; index: number }[] = [];
  for (const p of paras) {
    const segs: { start: number; page: number; line: number | null }[] = [];
    let text = "";
    for (const l of p.lines) {
      const piece = l.text;
      if (piece.length === 0) continue;
      // two ASCII letters or digits meeting across a line break stay apart
      if (text.length > 0 && /[A-Za-z0-9]$/.test(text) && /^[A-Za-z0-9]/.test(piece)) text += " ";
      segs.push({ start: text.length, page: l.page, line: doc.geometry === "text" ? l.y0 : null });
      text += piece;
    }
    if (text.length === 0) continue;
    const marker = p.kind === "table-note" ? null : isMarkerStart(text, layout);
    let kind: ParagraphKind = p.kind;
    if (kind === "text") {
      const body = marker ? text.slice(marker.marker.length) : text;
      if ((marker || isTitleLine(text, layout) || p.lines.length <= 2) && !SENTENCE_MARK.test(body) && text.length <= 80 && (marker !== null || isTitleLine(text, layout))) kind = "heading";
      // no sentence mark and several figures: a chart's labels or a stray piece of a table
      else if (!/[，。；：、]/.test(text) && ((text.match(/\d%/g) ?? []).length >= 2 || (stripDates(text).match(/\d+(?:\.\d+)?(?![\d.]|\s*[\u4e00-\u9fff%])/g) ?? []).length >= 2)) kind = "fragment";
    }
    const pIndex = paragraphs.length;
    const idxs: number[] = [];
    const pieces = kind === "heading" || kind === "fragment" ? [{ start: 0, end: text.length }] : splitSentences(text);
    let level: number | undefined;
    if (kind === "heading") {
      level = marker ? marker.level : 0;
      while (open.length > 0 && open[open.length - 1]!.level >= level) open.pop();
    }
    const headings = open.map((o) => o.index);
    for (const piece of pieces) {
      const st = text.slice(piece.start, piece.end);
      if (st.trim() === "") continue;
      const segments = segs
        .filter((s, i) => {
          const next = segs[i + 1];
          return s.start < piece.end && (next === undefined || next.start > piece.start);
        })
        .map((s) => ({ start: Math.max(0, s.start - piece.start), page: s.page, line: s.line }));
      const s: NarrativeSentence = {
        index: sentences.length,
        paragraph: pIndex,
        kind,
        text: st,
        pages: [...new Set(segments.map((x) => x.page))],
        segments,
        headings,
        ...(level !== undefined ? { level } : {}),
      };
      idxs.push(s.index);
      sentences.push(s);
    }
    if (kind === "heading" && level !== undefined && idxs.length > 0) open.push({ level, index: idxs[0]! });
    paragraphs.push({
      index: pIndex,
      kind,
      text,
      pages: [...new Set(segs.map((s) => s.page))],
      sentences: idxs,
      ...(marker ? { marker: marker.marker } : {}),
    });
  }
  return {
    source: doc.source,
    geometry: doc.geometry,
    sentences,
    paragraphs,
    tables: tables.map((t) => ({ firstPage: t.firstPage, lastPage: t.lastPage, opening: t.opening, lines: t.lines })),
    dropped,
    blankPages,
    pageCount: doc.pages.length,
  };
}

/** The text without its dates and years (a signature's 2024年2月23日 is not a figure). */
const stripDates = (t: string) =>
  t.replace(/(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?/g, "").replace(/(?:19|20)\d{2}[.\-/]\d{1,2}[.\-/]\d{1,2}/g, "");

/** Sentence boundaries of a paragraph: after 。！？ (with the closing quotes or brackets that follow them). */
export function splitSentences(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(text); m !== null; m = SENTENCE_END.exec(text)) {
    const end = m.index + m[0].length;
    out.push({ start, end });
    start = end;
  }
  if (start < text.length) out.push({ start, end: text.length });
  return out;
}

/** The page and line (plain text) of the character at `at` of a sentence. */
export function placeOf(s: NarrativeSentence, at: number): { page: number; line: number | null } {
  let seg = s.segments[0];
  for (const x of s.segments) if (x.start <= at) seg = x;
  return seg ? { page: seg.page, line: seg.line } : { page: s.pages[0] ?? 1, line: null };
}

/** The pages of the characters [start, end) of a sentence. */
export function pagesOf(s: NarrativeSentence, start: number, end: number): number[] {
  const out: number[] = [];
  s.segments.forEach((seg, i) => {
    const next = s.segments[i + 1];
    const segEnd = next ? next.start : s.text.length;
    if (seg.start < end && segEnd > start && !out.includes(seg.page)) out.push(seg.page);
  });
  return out.length > 0 ? out : s.pages.slice(0, 1);
}
