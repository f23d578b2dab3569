/**
 * The tables of a published disclosure, read from the words of its pages (issue 14, point 3).
 *
 * 1. Titles: a line that reads as a table title (table-kinds.ts: the words are data) and is followed, within a few
 *    lines, by a unit line (单位：万元), the department line (编制部门：…) or a header word (项目, 科目, 金额…). A line of
 *    the table of contents is followed by the next contents line, never by those, so it is not a table.
 * 2. A table runs from its title to the next title. On its first page: the unit line, then the header (every line
 *    before the first line that prints a number), then the body, then notes (注：…, or any sentence). On each
 *    following page before the next title: a repeated header (its labels are the first page's) or rows that fit the
 *    first page's columns continue the table; anything else (the narrative) ends it. Page numbers are never rows.
 * 3. Columns and header: table-columns.ts and table-header.ts. Rows: lines of the body; a line that prints only
 *    numbers, or only a name, within an em of a line whose columns it does not share, is the same row (numbers and
 *    names of one row are often offset: bottom- or top-aligned in a tall cell); a line of name text under a name that
 *    fills its column is that name wrapped; a name printed above and below its row's numbers joins it.
 * 4. Cells: blank, amount (exact), dash, code (never an amount) or text. A row where a number fell between two
 *    columns, or a cell holds two numbers, is not read (`readable: false`, listed in notChecked); a table where a
 *    third of the rows with numbers are not read is not read at all.
 *
 * A text source (`geometry: "text"`, columns lost) goes through table-text.ts.
 */
import type { DocumentText, TextPage } from "./document-text.ts";
import { parsePrintedAmount } from "./printed-amount.ts";
import {
  assignToColumns,
  type Column,
  layoutColumns,
} from "./table-columns.ts";
import type { TableEdges } from "./table-header.ts";
import {
  isPageFurniture,
  joinWords,
  type Line,
  makeLine,
  pageEm,
  placeWord,
  type PlacedWord,
  wordsToLines,
} from "./table-geometry.ts";
import {
  matchTitle,
  matchUnit,
  normaliseTitle,
  type TableTitleCatalog,
  type TableUnit,
  type TitleMatch,
} from "./table-kinds.ts";
import type {
  CellKind,
  ExtractedCell,
  ExtractedColumn,
  ExtractedRow,
  ExtractedTable,
  NotRead,
  NotReadReason,
  TableExtraction,
} from "./table-model.ts";
import { PART_HEADING, readTextTable } from "./table-text.ts";

export type * from "./table-model.ts";

export interface PageLines {
  readonly page: TextPage;
  readonly em: number;
  /** lines of the page, top to bottom, page furniture left out */
  readonly lines: readonly Line[];
}

export interface TitleAt {
  readonly pageIndex: number;
  /** index of the first line of the table (its number line, or its title line) */
  readonly start: number;
  /** index of the title line */
  readonly line: number;
  readonly match: TitleMatch;
  readonly number: string | null;
}

const META =
  /^(编制部门|部门名称|编制单位|单位名称|预算单位|填报单位|部门)[:：]/u;
const HEADER_WORD =
  /^(项目|项目名称|科目|科目名称|科目编码|功能科目编码|功能分类科目编码|金额|金\s*额|合计|预算数|决算数|收入|支出|本年收入|本年支出|栏次)$/u;
const TOTAL_LABEL = /^(合计|总计|小计)$/u;
const NOTE = /^(注|说明|备注)\s*[:：\d.、]/u;
const SENTENCE = /[。；]/u;

export function documentLines(doc: DocumentText): PageLines[] {
  return doc.pages.map((page) => {
    const em = pageEm(page, doc.geometry);
    const words = page.words.map((w) => placeWord(w, page.number));
    const lines = wordsToLines(
      words,
      doc.geometry === "text" ? 0.1 : 0.5 * em,
    ).filter((l) => !isPageFurniture(l, page, doc.geometry));
    return { page, em, lines };
  });
}

export function extractTables(
  doc: DocumentText,
  catalog: TableTitleCatalog,
): TableExtraction {
  const pages = documentLines(doc);
  const titles = findTitles(pages, catalog);
  const tables: ExtractedTable[] = [];
  const notChecked: NotRead[] = [];
  titles.forEach((t, k) => {
    const next = titles[k + 1];
    const region = regionLines(pages, t, next);
    const pageNumber = pages[t.pageIndex]!.page.number;
    const title = t.match.title;
    if (t.match.kind && !t.match.kind.read) {
      notChecked.push({
        table: title,
        page: pageNumber,
        scope: "table",
        reason: "kind-not-read",
        detail: {
          zh: `${title}（第 ${pageNumber} 页）是文字表格（绩效目标），未读取其数字`,
          en: `${title} (page ${pageNumber}) is a table of text (performance targets): not read`,
        },
      });
      return;
    }
    const r =
      doc.geometry === "text"
        ? readTextTable(region, t, catalog)
        : readPdfTable(region, t, catalog);
    if (r.table) tables.push(r.table);
    notChecked.push(...r.notChecked);
  });
  return { tables, notChecked };
}

/** Title lines that a table follows, in reading order. */
export function findTitles(
  pages: readonly PageLines[],
  catalog: TableTitleCatalog,
): TitleAt[] {
  const candidates: TitleAt[] = [];
  pages.forEach((p, pageIndex) => {
    p.lines.forEach((line, i) => {
      const m = matchTitle(line.text, catalog);
      if (!m) return;
      const prev = p.lines[i - 1];
      const numberLine =
        prev && catalog.numberLine.test(normaliseTitle(prev.text))
          ? prev
          : null;
      candidates.push({
        pageIndex,
        start: numberLine ? i - 1 : i,
        line: i,
        match: m,
        number:
          m.number ?? (numberLine ? normaliseTitle(numberLine.text) : null),
      });
    });
  });
  const accepted: TitleAt[] = [];
  candidates.forEach((c, k) => {
    const next = candidates[k + 1];
    const ahead: Line[] = [];
    for (let pi = c.pageIndex; pi < pages.length && ahead.length < 6; pi++) {
      const lines = pages[pi]!.lines;
      for (
        let i = pi === c.pageIndex ? c.line + 1 : 0;
        i < lines.length && ahead.length < 6;
        i++
      ) {
        if (next && next.pageIndex === pi && i >= next.start) break;
        ahead.push(lines[i]!);
      }
      if (next && next.pageIndex <= pi) break;
      if (pi > c.pageIndex) break;
    }
    // a table of text (performance targets) needs no unit: its title alone, printed exactly, cuts the table before it
    if (c.match.kind && !c.match.kind.read && c.match.exact) {
      accepted.push(c);
      return;
    }
    const follows = ahead.some(
      (l) =>
        matchUnit(l.text, catalog) !== null ||
        META.test(normaliseTitle(l.text)) ||
        l.words.some((w) => HEADER_WORD.test(normaliseTitle(w.text))),
    );
    if (follows) accepted.push(c);
  });
  return accepted;
}

export interface RegionPage {
  readonly page: TextPage;
  readonly em: number;
  readonly lines: readonly Line[];
}

function regionLines(
  pages: readonly PageLines[],
  t: TitleAt,
  next: TitleAt | undefined,
): RegionPage[] {
  const out: RegionPage[] = [];
  const lastPage = next ? next.pageIndex : pages.length - 1;
  for (let pi = t.pageIndex; pi <= lastPage; pi++) {
    const p = pages[pi]!;
    const from = pi === t.pageIndex ? t.line + 1 : 0;
    const to = next && next.pageIndex === pi ? next.start : p.lines.length;
    out.push({
      page: p.page,
      em: p.em,
      lines: p.lines.slice(from, Math.max(from, to)),
    });
  }
  return out;
}

export interface TableRead {
  readonly table: ExtractedTable | null;
  readonly notChecked: readonly NotRead[];
}

/** The unit line among the first lines after the title: its unit, and the index of the last line it takes. */
export function findUnit(
  lines: readonly Line[],
  catalog: TableTitleCatalog,
): { unit: TableUnit | null; text: string | null; through: number } {
  for (let i = 0; i < Math.min(lines.length, 4); i++) {
    const line = lines[i]!;
    const u = matchUnit(line.text, catalog);
    if (u) return { unit: u.unit, text: u.text, through: i };
    // "单位：万" with "元" on the next line
    const split = /单位[:：]?万$/u.exec(normaliseTitle(line.text));
    const below = lines[i + 1];
    if (split && below) {
      const wan = line.words[line.words.length - 1]!;
      if (
        below.words.some(
          (w) => w.text === "元" && w.x0 < wan.x1 + 20 && w.x1 > wan.x0 - 20,
        )
      ) {
        const joined = matchUnit(`${split[0]}元`, catalog);
        if (joined)
          return { unit: joined.unit, text: joined.text, through: i + 1 };
      }
    }
    if (i > 0 && lines.slice(0, i + 1).some((l) => isBodyLine(l))) break;
  }
  return { unit: null, text: null, through: -1 };
}

/** A line that prints a number (not a row of column numbers 1 2 3 …), or a dash in a table's cell. */
export function isBodyLine(line: Line): boolean {
  const nums = line.words.filter(
    (w) => w.kind === "amount" || w.kind === "integer" || w.kind === "dash",
  );
  if (nums.length === 0) return false;
  if (line.words.some((w) => /^栏次$/u.test(normaliseTitle(w.text))))
    return false;
  if (
    nums.length >= 2 &&
    nums.length === line.words.length &&
    nums.every((w, i) => w.text === String(i + 1))
  )
    return false;
  // a number inside a sentence or a heading is not a row
  if (line.words.some((w) => SENTENCE.test(w.text))) return false;
  return (
    nums.some((w) => w.kind === "amount" || w.kind === "dash") ||
    line.words.some((w) => w.kind === "text") ||
    nums.length >= 2
  );
}

const isNoteLine = (l: Line) =>
  NOTE.test(normaliseTitle(l.text)) || SENTENCE.test(l.text);

interface Segment {
  readonly page: number;
  readonly em: number;
  readonly header: readonly Line[];
  readonly body: readonly Line[];
  readonly notes: readonly string[];
  /** the table ended on this page (a note or the narrative follows) */
  readonly ended: boolean;
}

function splitSegment(
  lines: readonly Line[],
  page: number,
  em: number,
  firstHeader: ReadonlySet<string> | null,
): Segment {
  let bodyStart = lines.findIndex((l) => isBodyLine(l) || isNoteLine(l));
  if (bodyStart < 0 || !isBodyLine(lines[bodyStart]!)) {
    // no number anywhere: an empty table; its body starts at a total row
    const total = lines.findIndex(
      (l, i) =>
        i > 0 &&
        l.words.length > 0 &&
        TOTAL_LABEL.test(normaliseTitle(l.words[0]!.text)) &&
        l.words.slice(1).every((w) => w.kind !== "text"),
    );
    const end = bodyStart < 0 ? lines.length : bodyStart;
    bodyStart = total >= 0 && total < end ? total : end;
  }
  if (firstHeader && !repeatsHeader(lines.slice(0, bodyStart), firstHeader))
    bodyStart = 0;
  const header = lines.slice(0, bodyStart);
  let rest = lines.slice(bodyStart);
  // the heading of the narrative's next part ends the table
  const heading = rest.findIndex((l) =>
    PART_HEADING.test(normaliseTitle(l.text)),
  );
  if (heading >= 0) rest = rest.slice(0, heading);
  const noteAt = rest.findIndex((l) => isNoteLine(l));
  const body = noteAt < 0 ? rest : rest.slice(0, noteAt);
  const notes: string[] = [];
  if (noteAt >= 0) {
    // the notes run to the first gap wider than a blank line (the narrative after the table)
    const gap = em === 1 ? 2.5 : 2.5 * em;
    for (let i = noteAt; i < rest.length; i++) {
      if (i > noteAt && rest[i]!.cy - rest[i - 1]!.cy > gap) break;
      notes.push(rest[i]!.text);
    }
  }
  return { page, em, header, body, notes, ended: noteAt >= 0 || heading >= 0 };
}

/** the normalised words of a header */
const headerWords = (lines: readonly Line[]) =>
  new Set(
    lines
      .flatMap((l) => l.words.map((w) => normaliseTitle(w.text)))
      .filter((t) => t.length >= 2),
  );

/** on a page continuing a table, the lines before the first number repeat its header when most of their words are its */
function repeatsHeader(
  lines: readonly Line[],
  first: ReadonlySet<string>,
): boolean {
  const words = lines
    .flatMap((l) => l.words.map((w) => normaliseTitle(w.text)))
    .filter((t) => t.length >= 2);
  if (words.length < 2 || first.size === 0) return false;
  return words.filter((w) => first.has(w)).length * 2 >= words.length;
}

interface SegmentLayout {
  readonly columns: readonly Column[];
  readonly assignment: ReadonlyMap<PlacedWord, number>;
  readonly unassigned: ReadonlySet<PlacedWord>;
}

const HEADER_IN_BODY = /^(类|款|项)$/u;

function readPdfTable(
  region: readonly RegionPage[],
  t: TitleAt,
  catalog: TableTitleCatalog,
): TableRead {
  const first = region[0]!;
  const title = t.match.title;
  const unit = findUnit(first.lines, catalog);
  const above = first.lines.slice(0, unit.through + 1);
  const metaLine = above.find((l) => META.test(normaliseTitle(l.text)));
  const edges: TableEdges = {
    ...(metaLine ? { x0: metaLine.x0 } : {}),
    ...(above.length > 0 ? { x1: Math.max(...above.map((l) => l.x1)) } : {}),
  };
  let lines = first.lines.slice(unit.through + 1);
  // the department line when there is no unit line
  if (unit.through < 0)
    lines = lines.filter(
      (l, i) => !(i < 2 && META.test(normaliseTitle(l.text))),
    );
  const segments: Segment[] = [];
  const seg0 = splitSegment(lines, first.page.number, first.em, null);
  const firstHeader = headerWords(seg0.header);
  segments.push(seg0);
  // following pages
  if (!seg0.ended)
    for (const rp of region.slice(1)) {
      if (rp.lines.length === 0) continue;
      const s = splitSegment(rp.lines, rp.page.number, rp.em, firstHeader);
      if (!continues(s, segments, first.em)) break;
      segments.push(s);
      if (s.ended) break;
    }

  // columns of the first page; pages with a repeated header map onto them by label
  const layouts: SegmentLayout[] = [];
  let tableColumns: readonly Column[] = [];
  const parts = segments.map((s) => moveHeaderWords(s));
  for (const [k, s] of segments.entries()) {
    const { header, body } = parts[k]!;
    const bodyWords = body.map((l) => l.words);
    if (k === 0 || header.length > 0) {
      const lay = layoutColumns(bodyWords, header, s.em, k === 0 ? edges : {});
      if (k === 0) {
        tableColumns = lay.columns;
        layouts.push({
          columns: lay.columns,
          assignment: lay.assignment,
          unassigned: new Set(lay.unassigned),
        });
      } else {
        layouts.push(mapLayout(lay, tableColumns));
      }
    } else {
      const prev = layouts[layouts.length - 1]!;
      const a = assignToColumns(bodyWords.flat(), prev.columns, s.em);
      layouts.push({
        columns: prev.columns,
        assignment: a.assignment,
        unassigned: new Set(a.unassigned),
      });
    }
  }
  const notChecked: NotRead[] = [];
  if (tableColumns.length === 0) {
    notChecked.push(tableNotRead(title, first.page.number, "no-columns"));
    return { table: null, notChecked };
  }
  const rows: ExtractedRow[] = [];
  segments.forEach((s, k) => {
    const lay = layouts[k]!;
    const { body } = parts[k]!;
    for (const group of groupRows(body, lay, s.em))
      rows.push(rowOf(group, lay, tableColumns.length));
  });
  const withNumbers = rows.filter(
    (r) => r.cells.some((c) => c.kind === "amount") || !r.readable,
  );
  const unreadable = rows.filter((r) => !r.readable);
  if (unreadable.length > 0 && unreadable.length * 3 >= withNumbers.length) {
    notChecked.push(
      tableNotRead(
        title,
        first.page.number,
        unreadable[0]!.problem ?? "column-ambiguous",
        unreadable.length,
      ),
    );
    return { table: null, notChecked };
  }
  for (const r of unreadable)
    notChecked.push({
      table: title,
      page: r.page,
      scope: "row",
      reason: r.problem ?? "column-ambiguous",
      detail: {
        zh: `${title}第 ${r.page} 页的一行（${rowText(r)}）未能可靠读取：${REASON_ZH[r.problem ?? "column-ambiguous"]}`,
        en: `${title}, page ${r.page}: a row (${rowText(r)}) could not be read with confidence: ${REASON_EN[r.problem ?? "column-ambiguous"]}`,
      },
    });
  const columns: ExtractedColumn[] = tableColumns.map((c) => ({
    header: c.header,
    label: c.header.join("/"),
    kind: c.kind,
  }));
  const table: ExtractedTable = {
    kind: t.match.kind?.id ?? null,
    title,
    number: t.number,
    qualifier: t.match.qualifier,
    page: first.page.number,
    pages: [...new Set(segments.map((s) => s.page))],
    unit: unit.unit,
    unitText: unit.text,
    columns,
    rows,
    notes: segments.flatMap((s) => s.notes),
    placedBy: [],
    geometry: "pdf",
  };
  return { table, notChecked };
}

const rowText = (r: ExtractedRow) =>
  r.cells
    .map((c) => c.text)
    .filter((x) => x !== "")
    .join(" ")
    .slice(0, 60);

export const REASON_ZH: Readonly<Record<NotReadReason, string>> = {
  "kind-not-read": "文字表格，未读取",
  "no-columns": "找不到表格的列",
  "column-ambiguous": "有数字落在两列之间，无法确定所属列",
  "two-numbers-in-cell": "一个单元格中有两个数字",
  "more-numbers-than-columns": "一行中的数字多于表格的金额列",
  "placement-ambiguous": "纯文本中列已丢失，该行数字可以多种方式填入各列",
  "placement-unknown": "纯文本中列已丢失，没有可确定该行数字所属列的关系",
  "malformed-number": "数字的千位分隔符位置不对",
};
export const REASON_EN: Readonly<Record<NotReadReason, string>> = {
  "kind-not-read": "a table of text, not read",
  "no-columns": "no column of the table could be found",
  "column-ambiguous": "a number falls between two columns",
  "two-numbers-in-cell": "a cell holds two numbers",
  "more-numbers-than-columns":
    "a row prints more numbers than the table has amount columns",
  "placement-ambiguous":
    "plain text has lost the columns, and the row's numbers fit them in more than one way",
  "placement-unknown":
    "plain text has lost the columns, and no relation of the table determines where the row's numbers go",
  "malformed-number": "a number's thousands separators are out of place",
};

export function tableNotRead(
  title: string,
  page: number,
  reason: NotReadReason,
  rows?: number,
): NotRead {
  const n = rows === undefined ? "" : `（${rows} 行）`;
  const nEn = rows === undefined ? "" : ` (${rows} rows)`;
  return {
    table: title,
    page,
    scope: "table",
    reason,
    detail: {
      zh: `${title}（第 ${page} 页）未能可靠读取${n}：${REASON_ZH[reason]}`,
      en: `${title} (page ${page}) could not be read with confidence${nEn}: ${REASON_EN[reason]}`,
    },
  };
}

/**
 * 类 / 款 / 项 printed in the row of the first body line (beside 合计) belong to the header; words spaced out one
 * character at a time ("因 公 出 国 （ 境 ） 费") are one word.
 */
function moveHeaderWords(s: Segment): { header: Line[]; body: Line[] } {
  const moved: PlacedWord[] = [];
  const body: Line[] = [];
  for (const line of s.body) {
    const labels = line.words.filter((w) => HEADER_IN_BODY.test(w.text));
    const keep =
      labels.length >= 2
        ? line.words.filter((w) => !HEADER_IN_BODY.test(w.text))
        : line.words;
    if (labels.length >= 2) moved.push(...labels);
    if (keep.length > 0)
      body.push(
        joinSpacedOut(
          keep.length === line.words.length ? line : makeLine(keep),
          s.em,
        ),
      );
  }
  const header = [...s.header];
  if (moved.length > 0) header.push(makeLine(moved));
  return { header, body };
}

const SINGLE_CJK = /^[\u3400-\u9fff（）()、]$/u;

/** single characters spaced out on a line, each within 2.5 em of the next, as one word */
function joinSpacedOut(line: Line, em: number): Line {
  const ws = line.words;
  if (ws.filter((w) => SINGLE_CJK.test(w.text)).length < 2) return line;
  const out: PlacedWord[] = [];
  let run: PlacedWord[] = [];
  const flush = () => {
    if (
      run.length >= 3 ||
      (run.length === 2 && TOTAL_LABEL.test(run.map((w) => w.text).join("")))
    ) {
      const x0 = run[0]!.x0;
      const x1 = run[run.length - 1]!.x1;
      const y0 = Math.min(...run.map((w) => w.y0));
      const y1 = Math.max(...run.map((w) => w.y1));
      out.push({
        text: run.map((w) => w.text).join(""),
        page: run[0]!.page,
        x0,
        x1,
        y0,
        y1,
        cx: (x0 + x1) / 2,
        cy: run.reduce((a, w) => a + w.cy, 0) / run.length,
        kind: "text",
      });
    } else out.push(...run);
    run = [];
  };
  for (const w of ws) {
    const prev = run[run.length - 1];
    if (
      SINGLE_CJK.test(w.text) &&
      (prev === undefined || w.x0 - prev.x1 <= 2.5 * em)
    )
      run.push(w);
    else {
      flush();
      if (SINGLE_CJK.test(w.text)) run.push(w);
      else out.push(w);
    }
  }
  flush();
  return out.length === ws.length ? line : makeLine(out);
}

/** a page continues the table when it repeats its header, or its rows fit the table's columns */
function continues(
  s: Segment,
  before: readonly Segment[],
  em: number,
): boolean {
  // a repeated header (splitSegment kept one only when it repeats the first page's)
  if (s.header.length > 0) return true;
  if (s.body.length === 0) return false;
  // the table's width: its header's and its rows' words
  const allBody = before.flatMap((b) =>
    [...b.header, ...b.body].flatMap((l) => l.words),
  );
  if (allBody.length === 0) return false;
  const x0 = Math.min(...allBody.map((w) => w.x0)) - 2 * em;
  const x1 = Math.max(...allBody.map((w) => w.x1)) + 2 * em;
  // rows that print numbers, within the table's width; text rows before them (a name printed without numbers)
  // only a few
  const firstNumbers = s.body.findIndex((l) => isBodyLine(l));
  if (firstNumbers < 0 || firstNumbers > 8) return false;
  return s.body.every((l) => l.x0 >= x0 && l.x1 <= x1);
}

const leafLabel = (c: Column) =>
  c.leaf?.text ?? c.header[c.header.length - 1] ?? "";

function mapLayout(
  lay: ReturnType<typeof layoutColumns>,
  table: readonly Column[],
): SegmentLayout {
  const label = leafLabel;
  const used = new Set<number>();
  const map = lay.columns.map((c) => {
    const i = table.findIndex(
      (tc, j) => !used.has(j) && label(tc) === label(c),
    );
    if (i >= 0) used.add(i);
    return i;
  });
  const assignment = new Map<PlacedWord, number>();
  const unassigned = new Set(lay.unassigned);
  for (const [w, i] of lay.assignment) {
    const j = map[i] ?? -1;
    if (j >= 0) assignment.set(w, j);
    else unassigned.add(w);
  }
  return { columns: table, assignment, unassigned };
}

interface Group {
  lines: Line[];
  top: number;
  bottom: number;
}

/** the columns a group of lines prints in */
function occupied(g: Group, lay: SegmentLayout): Set<number> {
  const s = new Set<number>();
  for (const l of g.lines)
    for (const w of l.words) {
      const i = lay.assignment.get(w);
      if (i !== undefined) s.add(i);
    }
  return s;
}

function groupRows(
  body: readonly Line[],
  lay: SegmentLayout,
  em: number,
): Group[] {
  const cols = lay.columns;
  const isText = (i: number) => cols[i]?.kind === "name";
  // how far a name column's names reach (a name spanning into the next columns does not count)
  const colMaxX1 = new Map<number, number>();
  for (const l of body)
    for (const w of l.words) {
      const i = lay.assignment.get(w);
      if (i !== undefined && isText(i) && w.x1 <= cols[i]!.x1 + 0.5 * em)
        colMaxX1.set(i, Math.max(colMaxX1.get(i) ?? -Infinity, w.x1));
    }
  const fills = (g: Group, i: number) => {
    const last = lastWordIn(g, i, lay);
    return last !== null && last.x1 >= (colMaxX1.get(i) ?? Infinity) - 1.0 * em;
  };
  // 0. a line of name text under a name that fills its column: the name wrapped (the line it continues may have
  //    another column's words between them: a name over two lines beside a one-line cell centred between them)
  let groups: Group[] = [];
  const lastIn = new Map<number, Group>();
  for (const l of body) {
    const g: Group = { lines: [l], top: l.cy, bottom: l.cy };
    const og = occupied(g, lay);
    const textOnly = og.size > 0 && [...og].every((i) => isText(i));
    const targets = new Set([...og].map((i) => lastIn.get(i)));
    const target = targets.size === 1 ? [...targets][0] : undefined;
    if (
      textOnly &&
      target &&
      l.cy - target.bottom <= 1.9 * em &&
      !startsItem(g, lay) &&
      [...og].every((i) => fills(target, i))
    ) {
      target.lines.push(l);
      target.bottom = Math.max(target.bottom, l.cy);
      continue;
    }
    groups.push(g);
    for (const i of og) lastIn.set(i, g);
  }
  // 1. lines within an em that share no column are one row (numbers offset from their name)
  for (;;) {
    let best = -1;
    let bestGap = Infinity;
    for (let i = 0; i + 1 < groups.length; i++) {
      const a = groups[i]!;
      const b = groups[i + 1]!;
      const gap = b.top - a.bottom;
      if (gap > 1.0 * em || gap >= bestGap) continue;
      const oa = occupied(a, lay);
      const ob = occupied(b, lay);
      if ([...oa].some((c) => ob.has(c))) continue;
      best = i;
      bestGap = gap;
    }
    if (best < 0) break;
    const a = groups[best]!;
    const b = groups[best + 1]!;
    groups.splice(best, 2, {
      lines: [...a.lines, ...b.lines],
      top: a.top,
      bottom: b.bottom,
    });
  }
  return groups.map((g) => ({
    ...g,
    lines: [...g.lines].sort((a, b) => a.cy - b.cy),
  }));
}

/** a line that begins a new item: an ordinal (一、 1. （一） 其中：) or a total */
const ITEM_START =
  /^([一二三四五六七八九十]+[、.]|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）]|其中|合计|总计|小计|[一二三四五六七八九十]是)/u;
function startsItem(g: Group, lay: SegmentLayout): boolean {
  const first = g.lines[0]!.words.find((w) => lay.assignment.has(w));
  return first !== undefined && ITEM_START.test(normaliseTitle(first.text));
}

function lastWordIn(
  g: Group,
  col: number,
  lay: SegmentLayout,
): PlacedWord | null {
  let last: PlacedWord | null = null;
  for (const l of g.lines)
    for (const w of l.words)
      if (
        lay.assignment.get(w) === col &&
        (last === null ||
          w.cy > last.cy + 0.1 ||
          (Math.abs(w.cy - last.cy) <= 0.1 && w.x1 > last.x1))
      )
        last = w;
  return last;
}

function rowOf(g: Group, lay: SegmentLayout, n: number): ExtractedRow {
  const byCol: PlacedWord[][] = Array.from({ length: n }, () => []);
  let problem: NotReadReason | undefined;
  for (const l of g.lines)
    for (const w of l.words) {
      if (lay.unassigned.has(w)) {
        if (w.kind !== "text") problem = "column-ambiguous";
        continue;
      }
      const i = lay.assignment.get(w);
      if (i === undefined) {
        if (w.kind !== "text") problem = "column-ambiguous";
        continue;
      }
      byCol[i]!.push(w);
    }
  const cells: ExtractedCell[] = byCol.map((ws, i) => {
    const r = cellOf(ws, lay.columns[i]!);
    if (r.problem) problem ??= r.problem;
    return r.cell;
  });
  const firstLine = g.lines[0]!;
  const base = {
    page: firstLine.page,
    y:
      Math.round(
        Math.min(...g.lines.flatMap((l) => l.words.map((w) => w.y0))) * 10,
      ) / 10,
    cells,
  };
  return problem
    ? { ...base, readable: false, problem }
    : { ...base, readable: true };
}

function cellOf(
  words: readonly PlacedWord[],
  col: Column,
): { cell: ExtractedCell; problem?: NotReadReason } {
  if (words.length === 0) return { cell: { text: "", kind: "blank" } };
  const ordered = [...words].sort((a, b) =>
    Math.abs(a.cy - b.cy) > 0.3 * (a.y1 - a.y0 || 1)
      ? a.cy - b.cy
      : a.x0 - b.x0,
  );
  const text = joinWords(ordered);
  const kind = (k: CellKind): ExtractedCell => ({ text, kind: k });
  if (col.kind === "code")
    return {
      cell: kind(/^\d+$/u.test(text.replace(/\s+/g, "")) ? "code" : "text"),
    };
  if (col.kind === "name")
    return {
      cell: kind(words.every((w) => w.kind === "dash") ? "dash" : "text"),
    };
  const numeric = words.filter(
    (w) => w.kind === "amount" || w.kind === "integer",
  );
  if (words.length === 1 || numeric.length <= 1) {
    if (words.every((w) => w.kind === "dash")) return { cell: kind("dash") };
    if (numeric.length === 1 && words.length === 1) {
      const amount = parsePrintedAmount(text);
      if (amount) return { cell: { text, kind: "amount", amount } };
    }
    // a number split by spaces ("37, 188.34")
    const joined = parsePrintedAmount(text.replace(/\s+/g, ""));
    if (joined && words.every((w) => /^[\d,.-]+$/u.test(w.text)))
      return {
        cell: {
          text: text.replace(/\s+/g, ""),
          kind: "amount",
          amount: joined,
        },
      };
    if (words.some((w) => /^[\d,.-]+$/u.test(w.text) && w.kind === "text"))
      return { cell: kind("text"), problem: "malformed-number" };
    return { cell: kind("text") };
  }
  const joined = parsePrintedAmount(text.replace(/\s+/g, ""));
  if (
    joined &&
    words.every((w) => /^[\d,.-]+$/u.test(w.text)) &&
    /,/.test(text)
  )
    return {
      cell: { text: text.replace(/\s+/g, ""), kind: "amount", amount: joined },
    };
  return { cell: kind("text"), problem: "two-numbers-in-cell" };
}
