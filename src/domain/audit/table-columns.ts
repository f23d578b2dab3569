/**
 * The columns of a table from its words (issue 14, point 3).
 *
 * - Numbers, codes and dashes of the body are clustered by horizontal overlap (right-aligned numbers of one column
 *   share their right edge and overlap; neighbouring columns are apart). Names are clustered the same way, apart from
 *   those clusters; a name that overlaps a number column (a merged cell such as 当年支出小计 over three columns) is a
 *   spanning cell, put in the column where it starts.
 * - Each body column takes the lowest header cell above it as its leaf label; a lowest header cell over no body
 *   column is a column that is empty throughout the body.
 * - A column is a code column when its label says so (科目编码, 功能分类科目编码 over 类/款/项, 项目代码…), or, with
 *   no label, when it holds only bare integers left of every name; a code is never an amount.
 * - A body cluster that stands under two leaf labels (numbers falling between two columns) is split at the middle of
 *   the two labels; a number that straddles that middle is not assigned, and its row is not read.
 */
import {
  type ColumnExtent,
  type HeaderCell,
  headerCells,
  labelPaths,
  type TableEdges,
} from "./table-header.ts";
import { type Line, overlapX, type PlacedWord } from "./table-geometry.ts";

export type ColumnKind = "code" | "name" | "amount";

export interface Column extends ColumnExtent {
  readonly kind: ColumnKind;
  /** label path, top to leaf; empty when the column has no header */
  readonly header: readonly string[];
  readonly leaf: HeaderCell | null;
}

export interface ColumnLayout {
  readonly columns: readonly Column[];
  readonly header: readonly HeaderCell[];
  /** the column of each body word; absent: not assigned (it straddles two columns) */
  readonly assignment: ReadonlyMap<PlacedWord, number>;
  /** words that could not be put in one column */
  readonly unassigned: readonly PlacedWord[];
}

const CODE_LABEL = /(编码|代码|编号|科目代码)$|^(类|款|项)$/u;
const NAME_LABEL = /(名称|项目|科目|内容|品目|形式|单位)$/u;

interface Cluster {
  x0: number;
  x1: number;
  words: PlacedWord[];
  text: boolean;
}

function cluster(words: readonly PlacedWord[], text: boolean): Cluster[] {
  const sorted = [...words].sort((a, b) => a.x0 - b.x0);
  const out: Cluster[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.x0 < last.x1) {
      last.x1 = Math.max(last.x1, w.x1);
      last.words.push(w);
    } else out.push({ x0: w.x0, x1: w.x1, words: [w], text });
  }
  return out;
}

/** a bare integer written against a name ("2023 年…") belongs to the name */
function partOfText(
  w: PlacedWord,
  line: readonly PlacedWord[],
  em: number,
): boolean {
  if (w.kind !== "integer") return false;
  return line.some(
    (o) =>
      o !== w &&
      o.kind === "text" &&
      /^[年月日度期号第个项批次]/u.test(o.text) &&
      o.x0 >= w.x1 - 0.1 &&
      o.x0 - w.x1 <= 0.6 * em,
  );
}

export function layoutColumns(
  bodyLines: readonly (readonly PlacedWord[])[],
  headerLines: readonly Line[],
  em: number,
  edges: TableEdges = {},
): ColumnLayout {
  const anchors: PlacedWord[] = [];
  const texts: PlacedWord[] = [];
  for (const line of bodyLines)
    for (const w of line) {
      if (w.kind === "text" || partOfText(w, line, em)) texts.push(w);
      else anchors.push(w);
    }
  const anchorClusters = cluster(anchors, false);
  const apart: PlacedWord[] = [];
  const spanning: PlacedWord[] = [];
  for (const w of texts)
    (anchorClusters.some((c) => overlapX(c, w) > 0) ? spanning : apart).push(w);
  const textClusters = cluster(apart, true);
  let clusters = [...anchorClusters, ...textClusters].sort(
    (a, b) => a.x0 - b.x0,
  );
  // two clusters may still overlap (a text cluster grown over an anchor cluster's gap): merge them
  clusters = mergeOverlapping(clusters);
  // header cells: words over two different body columns are two cells, however close
  const clusterOf = (w: PlacedWord) =>
    clusters.findIndex((c) => overlapX(c, w) > 0);
  const header = headerCells(headerLines, em, (a, b) => {
    const ca = clusterOf(a);
    const cb = clusterOf(b);
    return ca >= 0 && cb >= 0 && ca !== cb;
  });

  // leaf labels: the lowest header cell over each cluster, among the cells that stand over no other
  const bottomCells = header.filter((c) => !standsOver(c, header, em));
  const lowest = (x: { x0: number; x1: number }) => {
    const over = bottomCells.filter((c) => overlapX(c, x) > 0);
    if (over.length === 0) return [];
    const bottom = Math.max(...over.map((c) => c.bottom));
    return over.filter((c) => bottom - c.bottom <= 0.6 * em);
  };
  interface Proto {
    x0: number;
    x1: number;
    words: PlacedWord[];
    leaf: HeaderCell | null;
    text: boolean;
  }
  const protos: Proto[] = [];
  const unassigned: PlacedWord[] = [];
  for (const c of clusters) {
    const leaves = lowest(c).sort((a, b) => a.x0 - b.x0);
    if (leaves.length <= 1 || c.text) {
      protos.push({
        x0: c.x0,
        x1: c.x1,
        words: c.words,
        leaf:
          leaves.length === 1
            ? leaves[0]!
            : leaves.length > 1
              ? nearestCell(leaves, c)
              : null,
        text: c.text,
      });
      continue;
    }
    // a cluster under two or more leaf labels: split at the middles between the labels
    const cuts: number[] = [];
    for (let i = 1; i < leaves.length; i++)
      cuts.push((leaves[i - 1]!.x1 + leaves[i]!.x0) / 2);
    const parts: PlacedWord[][] = leaves.map(() => []);
    for (const w of c.words) {
      const k = cuts.findIndex((cut) => w.x1 <= cut);
      const j = k < 0 ? leaves.length - 1 : k;
      const straddles =
        (j > 0 && w.x0 < cuts[j - 1]!) || (j < cuts.length && w.x1 > cuts[j]!);
      if (straddles) unassigned.push(w);
      else parts[j]!.push(w);
    }
    leaves.forEach((leaf, j) => {
      const ws = parts[j]!;
      const x0 = ws.length ? Math.min(...ws.map((w) => w.x0)) : leaf.x0;
      const x1 = ws.length ? Math.max(...ws.map((w) => w.x1)) : leaf.x1;
      protos.push({ x0, x1, words: ws, leaf, text: false });
    });
  }
  // two body clusters under one leaf label: the numbers of one column, and numbers beside them that fall between
  // columns. The cluster with fewer words is not assigned (its rows are not read).
  for (const leaf of new Set(protos.map((p) => p.leaf))) {
    if (leaf === null) continue;
    const sharing = protos.filter((p) => p.leaf === leaf && p.words.length > 0);
    if (sharing.length < 2) continue;
    sharing.sort((a, b) => b.words.length - a.words.length);
    for (const p of sharing.slice(1)) {
      unassigned.push(...p.words);
      protos.splice(protos.indexOf(p), 1);
    }
  }
  // lowest header cells over no body column: columns empty throughout the body
  const leafCells = new Set(
    protos.map((p) => p.leaf).filter((l): l is HeaderCell => l !== null),
  );
  for (const cell of bottomCells) {
    if (leafCells.has(cell)) continue;
    if (protos.some((p) => overlapX(p, cell) > 0)) continue;
    if (headsBodyColumn(cell, header, protos, em)) continue;
    protos.push({
      x0: cell.x0,
      x1: cell.x1,
      words: [],
      leaf: cell,
      text: false,
    });
  }
  protos.sort((a, b) => a.x0 - b.x0);
  // a body column under no header cell (numbers centred beside a label printed left in its cell): the nearest
  // header-only column beside it, when nothing else is nearer to that one
  for (const p of protos.filter((q) => q.leaf === null && q.words.length > 0)) {
    const numbers = p.words.some((w) => w.kind === "amount");
    // numbers stand right in their cell, its label in the middle: a label right of the numbers is another column's
    const free = protos.filter(
      (q) =>
        q.leaf !== null &&
        q.words.length === 0 &&
        (!numbers || (q.x0 + q.x1) / 2 <= p.x1 + 0.5 * em),
    );
    const gap = (q: Proto) => Math.max(q.x0 - p.x1, p.x0 - q.x1, 0);
    const near = free
      .filter((q) => gap(q) <= 3 * em)
      .sort((a, b) => gap(a) - gap(b))[0];
    if (!near) continue;
    const rival = protos.some(
      (q) =>
        q !== p &&
        q !== near &&
        q.words.length > 0 &&
        Math.max(q.x0 - near.x1, near.x0 - q.x1, 0) < gap(near),
    );
    if (rival) continue;
    p.leaf = near.leaf;
    protos.splice(protos.indexOf(near), 1);
  }
  // extents for the spans of the header: a column's words and its leaf label
  const extents = protos.map((p) => {
    const xs0 = [
      ...(p.words.length ? [p.x0] : []),
      ...(p.leaf ? [p.leaf.x0] : []),
    ];
    const xs1 = [
      ...(p.words.length ? [p.x1] : []),
      ...(p.leaf ? [p.leaf.x1] : []),
    ];
    return { x0: Math.min(...xs0, p.x0), x1: Math.max(...xs1, p.x1) };
  });
  const paths = labelPaths(
    extents,
    protos.map((p) => p.leaf),
    header,
    em,
    edges,
  );
  const firstName = protos.findIndex((p) => p.text);
  const columns: Column[] = protos.map((p, i) => {
    const path = paths[i] ?? [];
    return {
      x0: p.words.length ? p.x0 : extents[i]!.x0,
      x1: p.words.length ? p.x1 : extents[i]!.x1,
      header: path,
      leaf: p.leaf,
      kind: columnKind(p, path, i, firstName),
    };
  });
  const assignment = new Map<PlacedWord, number>();
  protos.forEach((p, i) => {
    // names under a code label (合计 centred over code and name cells, in an empty table): the nearest name column
    const names = columns
      .map((c, j) => ({ c, j }))
      .filter(({ c }) => c.kind === "name");
    const moveTo =
      columns[i]!.kind === "code" && p.text && names.length > 0
        ? names.sort(
            (a, b) =>
              Math.abs((a.c.x0 + a.c.x1) / 2 - (p.x0 + p.x1) / 2) -
              Math.abs((b.c.x0 + b.c.x1) / 2 - (p.x0 + p.x1) / 2),
          )[0]!.j
        : i;
    for (const w of p.words) assignment.set(w, w.kind === "text" ? moveTo : i);
  });
  // spanning names (a label over several cells): the first name column they reach, else the column where they start
  for (const w of spanning) {
    const start = columnAt(columns, w.x0 + 0.1);
    const name = columns.findIndex(
      (c, i) => i >= start && c.kind === "name" && overlapX(c, w) > 0,
    );
    const i =
      start >= 0 && columns[start]!.kind !== "name" && name >= 0 ? name : start;
    if (i >= 0) assignment.set(w, i);
    else unassigned.push(w);
  }
  return { columns, header, assignment, unassigned };
}

/**
 * Whether a header cell stands over other cells: a cell lower down is centred within its width (widened by 1.5 em).
 * A label centred over a wide span with nothing right under it is not detected here, but it stands over the body
 * columns below it, whose lowest labels are then theirs.
 */
function standsOver(
  cell: HeaderCell,
  header: readonly HeaderCell[],
  em: number,
): boolean {
  return header.some(
    (d) =>
      d !== cell &&
      d.top > cell.bottom + 0.5 * em &&
      (d.x0 + d.x1) / 2 > cell.x0 - 1.5 * em &&
      (d.x0 + d.x1) / 2 < cell.x1 + 1.5 * em,
  );
}

/**
 * Whether a cell heads the label of a body column below it: that label lies within the cell's reach, from halfway to
 * the nearest cell beside it on either side that also stands above the label (each could head it instead). Such a
 * cell spans columns; it is not an empty column of its own.
 */
function headsBodyColumn(
  cell: HeaderCell,
  header: readonly HeaderCell[],
  protos: readonly { leaf: HeaderCell | null; words: readonly PlacedWord[] }[],
  em: number,
): boolean {
  return protos.some((p) => {
    const d = p.leaf;
    if (!d || p.words.length === 0 || d.top <= cell.bottom + 0.5 * em)
      return false;
    const rivals = header.filter(
      (o) =>
        o !== cell &&
        o !== d &&
        o.top <= d.top - 0.5 * em &&
        overlapX(o, cell) <= 0,
    );
    const left = rivals
      .filter((o) => o.x1 <= cell.x0)
      .reduce((m, o) => Math.max(m, o.x1), -Infinity);
    const right = rivals
      .filter((o) => o.x0 >= cell.x1)
      .reduce((m, o) => Math.min(m, o.x0), Infinity);
    const x0 = left === -Infinity ? -Infinity : (left + cell.x0) / 2;
    const x1 = right === Infinity ? Infinity : (cell.x1 + right) / 2;
    const c = (d.x0 + d.x1) / 2;
    return c > x0 && c < x1;
  });
}

function nearestCell(
  cells: readonly HeaderCell[],
  c: { x0: number; x1: number },
): HeaderCell {
  return [...cells].sort((a, b) => overlapX(b, c) - overlapX(a, c))[0]!;
}

function mergeOverlapping(cs: Cluster[]): Cluster[] {
  const out: Cluster[] = [];
  for (const c of cs) {
    const last = out[out.length - 1];
    if (last && c.x0 < last.x1 - 0.5) {
      // a text cluster overlapping a number cluster: the text words that overlap it span columns; keep both when
      // the overlap is only those words, else merge
      last.x1 = Math.max(last.x1, c.x1);
      last.words.push(...c.words);
      last.text = last.text && c.text;
    } else out.push({ ...c, words: [...c.words] });
  }
  return out;
}

function columnKind(
  p: { words: readonly PlacedWord[]; text: boolean; leaf: HeaderCell | null },
  path: readonly string[],
  i: number,
  firstName: number,
): ColumnKind {
  const leaf = path[path.length - 1] ?? "";
  const joined = path.join("");
  if (
    CODE_LABEL.test(leaf) &&
    (/(编码|代码|编号)/u.test(joined) || /(编码|代码|编号)$/u.test(leaf))
  )
    return "code";
  if (p.text) return "name";
  if (
    p.words.length > 0 &&
    p.words.every(
      (w) => w.kind === "integer" && w.text.length >= 2 && w.text.length <= 9,
    ) &&
    (firstName < 0 || i < firstName) &&
    path.length === 0
  )
    return "code";
  if (
    p.words.length > 0 &&
    p.words.every((w) => w.kind === "integer") &&
    /(编码|代码|编号)/u.test(joined)
  )
    return "code";
  if (
    p.words.length === 0 &&
    NAME_LABEL.test(leaf) &&
    !/(数|额|计|费|支出|收入|经费|资金)$/u.test(leaf)
  )
    return "name";
  return "amount";
}

/** The column whose extent (widened to the middles between columns) holds x, or -1. */
export function columnAt(columns: readonly ColumnExtent[], x: number): number {
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const left = i === 0 ? -Infinity : (columns[i - 1]!.x1 + c.x0) / 2;
    const right =
      i === columns.length - 1 ? Infinity : (c.x1 + columns[i + 1]!.x0) / 2;
    if (x >= left && x < right) return i;
  }
  return -1;
}

/**
 * Assign words to the columns of an earlier page (a table continued without its header): a word overlapping exactly
 * one column's extent (widened by half an em) goes there; a name that overlaps several goes to the name column among
 * them, else where it starts; a number overlapping several goes to the one whose right edge it shares, else it is
 * not assigned, nor is a number overlapping none.
 */
export function assignToColumns(
  words: readonly PlacedWord[],
  columns: readonly Column[],
  em: number,
): { assignment: Map<PlacedWord, number>; unassigned: PlacedWord[] } {
  const assignment = new Map<PlacedWord, number>();
  const unassigned: PlacedWord[] = [];
  for (const w of words) {
    const hits: number[] = [];
    columns.forEach((c, i) => {
      if (overlapX({ x0: c.x0 - 0.5 * em, x1: c.x1 + 0.5 * em }, w) > 0)
        hits.push(i);
    });
    if (hits.length === 1) assignment.set(w, hits[0]!);
    else if (w.kind === "text") {
      // a name over several columns: the name column among them, else the column where it starts
      const name = hits.find((h) => columns[h]!.kind === "name");
      const i = name ?? columnAt(columns, w.x0 + 0.1);
      if (i >= 0) assignment.set(w, i);
      else unassigned.push(w);
    } else if (hits.length > 1) {
      // right-aligned numbers: the column whose right edge is nearest to the word's
      const byRight = [...hits].sort(
        (a, b) =>
          Math.abs(columns[a]!.x1 - w.x1) - Math.abs(columns[b]!.x1 - w.x1),
      );
      const best = byRight[0]!;
      const second = byRight[1]!;
      if (
        Math.abs(columns[best]!.x1 - w.x1) < 0.5 * em &&
        Math.abs(columns[second]!.x1 - w.x1) > 2 * em
      )
        assignment.set(w, best);
      else unassigned.push(w);
    } else unassigned.push(w);
  }
  return { assignment, unassigned };
}
