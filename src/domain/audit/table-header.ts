/**
 * A table's header as printed (issue 14, point 3): its words grouped into cells, and which columns each cell spans.
 *
 * - A cell is the words of one line that stand close together (less than 0.8 em apart, or single characters spaced
 *   out like "金 额"), and the lines of a label wrapped within its cell ("本年收入合" / "计"): a line directly below
 *   a cell, centred within it, no wider, and the only thing under it.
 * - A column's label path is its lowest cell (the leaf) and the cells above that span it. Labels are centred over the
 *   columns they span, so a spanning cell covers the run of columns whose middle lies nearest its own middle (within
 *   a tolerance from the gaps at the run's ends), that contains the columns it overlaps, that takes in whole any span
 *   already found below it, that takes no column whose own label stands at its height or higher, and no column that
 *   a cell higher up beside it stands over.
 */
import {
  joinWords,
  type Line,
  overlapX,
  type PlacedWord,
} from "./table-geometry.ts";

export interface HeaderCell {
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
  /** vertical centre of the first and of the last line of the cell */
  readonly top: number;
  readonly bottom: number;
  readonly words: readonly PlacedWord[];
}

/** the labels of the levels of a classification code, each over its own column */
const CODE_LEVELS = new Set(["类", "款", "项"]);

const cx = (c: { x0: number; x1: number }) => (c.x0 + c.x1) / 2;

export function headerCells(
  lines: readonly Line[],
  em: number,
  apart: (a: PlacedWord, b: PlacedWord) => boolean = () => false,
): HeaderCell[] {
  // 1. cells of one line
  const rows: HeaderCell[][] = [];
  for (const line of lines) {
    const cells: PlacedWord[][] = [];
    for (const w of line.words) {
      const cur = cells[cells.length - 1];
      const prev = cur?.[cur.length - 1];
      const gap = prev === undefined ? Infinity : w.x0 - prev.x1;
      // "金 额" spaced out is one label; 类 款 项 are the labels of three code columns
      const spacedOut =
        prev !== undefined &&
        [...prev.text].length === 1 &&
        [...w.text].length === 1 &&
        gap <= 3 * em &&
        !(CODE_LEVELS.has(prev.text) && CODE_LEVELS.has(w.text));
      if (
        cur !== undefined &&
        prev !== undefined &&
        (gap <= 0.8 * em || spacedOut) &&
        !apart(prev, w)
      )
        cur.push(w);
      else cells.push([w]);
    }
    rows.push(cells.map((ws) => cellOf(ws)));
  }
  // 2. wrapped labels: merge a cell into the one directly above when it is its only cell below
  const all: HeaderCell[] = rows.flat();
  const merged = new Set<HeaderCell>();
  const result: HeaderCell[] = [];
  const byTop = [...all].sort((a, b) => a.top - b.top || a.x0 - b.x0);
  for (const upper of byTop) {
    if (merged.has(upper)) continue;
    let cell = upper;
    for (;;) {
      const below = byTop.filter(
        (c) =>
          c !== cell &&
          !merged.has(c) &&
          c.top > cell.bottom + 0.2 * em &&
          c.top - cell.bottom <= 1.8 * em &&
          overlapX(c, cell) > 0,
      );
      if (below.length === 0) break;
      const nearestTop = Math.min(...below.map((c) => c.top));
      const next = below.filter((c) => c.top - nearestTop <= 0.5 * em);
      if (next.length !== 1) break;
      const b = next[0]!;
      // a wrapped label is centred as its first line is, or starts where it starts
      const centred =
        Math.abs(cx(b) - cx(cell)) <= 1.5 * em ||
        Math.abs(b.x0 - cell.x0) <= 0.5 * em;
      const narrower = b.x1 - b.x0 <= cell.x1 - cell.x0 + 1.0 * em;
      if (!centred || !narrower) break;
      // another cell on b's line that also stands under `cell` makes `cell` a parent, not a wrapped label
      const siblings = all.filter(
        (c) =>
          c !== b &&
          Math.abs(c.top - b.top) <= 0.5 * em &&
          overlapX(c, { x0: cell.x0 - 0.5 * em, x1: cell.x1 + 0.5 * em }) > 0,
      );
      if (siblings.length > 0) break;
      merged.add(b);
      cell = {
        text: joinWords([{ text: cell.text }, { text: b.text }]),
        x0: Math.min(cell.x0, b.x0),
        x1: Math.max(cell.x1, b.x1),
        top: cell.top,
        bottom: b.bottom,
        words: [...cell.words, ...b.words],
      };
    }
    result.push(cell);
  }
  return result.sort((a, b) => a.top - b.top || a.x0 - b.x0);
}

function cellOf(words: readonly PlacedWord[]): HeaderCell {
  const cy = words.reduce((s, w) => s + w.cy, 0) / words.length;
  return {
    text: joinWords(words),
    x0: Math.min(...words.map((w) => w.x0)),
    x1: Math.max(...words.map((w) => w.x1)),
    top: cy,
    bottom: cy,
    words,
  };
}

/** where the table's frame is, when the lines above it show it: the department line starts at its left edge, the unit line ends at its right */
export interface TableEdges {
  readonly x0?: number;
  readonly x1?: number;
}

export interface ColumnExtent {
  readonly x0: number;
  readonly x1: number;
}

/**
 * Spans of the parent cells over the columns, given each column's leaf cell (or null) and the columns' extents (left
 * to right, not overlapping). Returns, per column, its label path from top to leaf.
 */
export function labelPaths(
  columns: readonly ColumnExtent[],
  leaves: readonly (HeaderCell | null)[],
  cells: readonly HeaderCell[],
  em: number,
  edges: TableEdges = {},
): string[][] {
  const n = columns.length;
  const paths: HeaderCell[][] = columns.map((_, i) =>
    leaves[i] ? [leaves[i]!] : [],
  );
  if (n === 0) return [];
  // cell extents: boundaries halfway between neighbouring columns
  const bounds: number[] = [];
  for (let i = 0; i <= n; i++) {
    if (i === 0)
      bounds.push(Math.min(columns[0]!.x0 - 0.5 * em, edges.x0 ?? Infinity));
    else if (i === n)
      bounds.push(
        Math.max(columns[n - 1]!.x1 + 0.5 * em, edges.x1 ?? -Infinity),
      );
    else bounds.push((columns[i - 1]!.x1 + columns[i]!.x0) / 2);
  }
  const cellOfCol = (i: number) => ({ x0: bounds[i]!, x1: bounds[i + 1]! });
  const leafSet = new Set(leaves.filter((l): l is HeaderCell => l !== null));
  // the top of each column's own label: its leaf's top line
  const ownTop = leaves.map((l) => (l ? l.top : Infinity));
  const parents = cells
    .filter((c) => !leafSet.has(c))
    .sort((a, b) => b.bottom - a.bottom);
  const spans: { cell: HeaderCell; a: number; b: number }[] = [];
  for (const p of parents) {
    // the columns it stands over: those whose middle lies under it, else the one it overlaps most
    let overlapped: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = cellOfCol(i);
      const mid = (c.x0 + c.x1) / 2;
      if (mid >= p.x0 - 0.3 * em && mid <= p.x1 + 0.3 * em) overlapped.push(i);
    }
    if (overlapped.length === 0) {
      let most = -1;
      for (let i = 0; i < n; i++)
        if (
          overlapX(cellOfCol(i), p) > 0.3 * em &&
          (most < 0 || overlapX(cellOfCol(i), p) > overlapX(cellOfCol(most), p))
        )
          most = i;
      overlapped = most < 0 ? [] : [most];
    }
    if (overlapped.length === 0) continue;
    const lo = overlapped[0]!;
    const hi = overlapped[overlapped.length - 1]!;
    const valid: { a: number; b: number; diff: number }[] = [];
    for (let a = 0; a <= lo; a++)
      for (let b = hi; b < n; b++) {
        if (!spanAllowed(a, b, p)) continue;
        const mid = (bounds[a]! + bounds[b + 1]!) / 2;
        // the column edges are known to within half the gap on either side
        const gapL = a === 0 ? em : columns[a]!.x0 - columns[a - 1]!.x1;
        const gapR = b === n - 1 ? em : columns[b + 1]!.x0 - columns[b]!.x1;
        const tol = Math.max(1.0 * em, (gapL + gapR) / 4);
        const diff = Math.abs(mid - cx(p));
        if (diff > tol) continue;
        valid.push({ a, b, diff });
      }
    // the widest run whose middle is within an em of the nearest middle
    const nearest = Math.min(...valid.map((v) => v.diff));
    const best =
      valid
        .filter((v) => v.diff <= nearest + em)
        .sort((x, y) => y.b - y.a - (x.b - x.a) || x.diff - y.diff)[0] ?? null;
    const span = best ?? nested(lo, hi);
    spans.push({ cell: p, ...span });
    for (let i = span.a; i <= span.b; i++) paths[i]!.push(p);
  }
  /** the overlapped columns, widened to take in whole the spans found below */
  function nested(lo: number, hi: number): { a: number; b: number } {
    let a = lo;
    let b = hi;
    for (let changed = true; changed;) {
      changed = false;
      for (const s of spans)
        if (s.b >= a && s.a <= b && (s.a < a || s.b > b)) {
          a = Math.min(a, s.a);
          b = Math.max(b, s.b);
          changed = true;
        }
    }
    return { a, b };
  }
  function spanAllowed(a: number, b: number, p: HeaderCell): boolean {
    for (let i = a; i <= b; i++) {
      // a cell higher up that stands over this column, beside p and not over it, heads it: p cannot (unless p
      // stands over the column too)
      const own = overlapX(p, cellOfCol(i)) > 0.3 * em;
      if (!own)
        for (const q of parents)
          if (
            q !== p &&
            q.top < p.top - 0.6 * em &&
            overlapX(q, cellOfCol(i)) > 0.3 * em &&
            overlapX(q, p) <= 0
          )
            return false;
      // a column whose own label starts at the parent's height or above is not under it
      if (ownTop[i]! <= p.bottom + 0.3 * em) return false;
      // a column under another cell at the same height is that cell's
      for (const s of spans)
        if (i >= s.a && i <= s.b && Math.abs(s.cell.top - p.top) <= 0.9 * em)
          return false;
    }
    // the labels directly under p (not under a cell between) stand in one row: a label centred higher is a tall
    // cell beside p, not under it
    const direct: number[] = [];
    for (let i = a; i <= b; i++) {
      const leaf = leaves[i];
      if (!leaf) continue;
      if (spans.some((s) => i >= s.a && i <= s.b && s.cell.top > p.top))
        continue;
      direct.push((leaf.top + leaf.bottom) / 2);
    }
    if (
      direct.length >= 2 &&
      Math.max(...direct) - Math.min(...direct) > 0.6 * em
    )
      return false;
    // spans nest: one found below lies wholly inside or wholly outside
    for (const s of spans) {
      if (s.cell.top < p.top) continue;
      const inside = s.a >= a && s.b <= b;
      const outside = s.b < a || s.a > b;
      if (!inside && !outside) return false;
    }
    return true;
  }
  return paths.map((cs) =>
    [...cs].sort((x, y) => x.top - y.top).map((c) => c.text),
  );
}
