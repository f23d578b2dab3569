/**
 * The printed multi-level header of a table, from its columns' print paths (outermost label first): one algorithm
 * for every renderer (page, PDF, workbook, Word). Adjacent columns merge at a level when their paths agree up to and
 * including that level and the label ends there in both or continues in both; a path shorter than the deepest ends
 * in a cell that spans the remaining rows. Every header position is covered by exactly one cell (property-tested).
 */

/** One merged header cell: rows and columns 0-based within the header. */
export interface HeaderCell {
  readonly label: string;
  readonly row: number;
  readonly col: number;
  readonly rowspan: number;
  readonly colspan: number;
  /** the label ends the columns' paths (a column's own label) rather than grouping columns below it */
  readonly leaf: boolean;
}

export function headerCells(paths: readonly (readonly string[])[]): { depth: number; cells: HeaderCell[] } {
  const depth = Math.max(1, ...paths.map((p) => p.length));
  const cells: HeaderCell[] = [];
  for (let level = 0; level < depth; level++) {
    let c = 0;
    while (c < paths.length) {
      const p = paths[c]!;
      if (p.length <= level) {
        c++; // covered by the leaf cell above it
        continue;
      }
      const leaf = p.length === level + 1;
      let end = c + 1;
      while (end < paths.length) {
        const q = paths[end]!;
        if (q.length <= level || (q.length === level + 1) !== leaf || !samePrefix(p, q, level + 1)) break;
        end++;
      }
      cells.push({ label: p[level]!, row: level, col: c, rowspan: leaf ? depth - level : 1, colspan: end - c, leaf });
      c = end;
    }
  }
  return { depth, cells };
}

/** The same cells grouped by the header row they start on. */
export function headerRows(paths: readonly (readonly string[])[]): HeaderCell[][] {
  const { depth, cells } = headerCells(paths);
  const rows: HeaderCell[][] = Array.from({ length: depth }, () => []);
  for (const c of cells) rows[c.row]!.push(c);
  return rows;
}

function samePrefix(a: readonly string[], b: readonly string[], n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Row spans of columns whose equal adjacent cells merge down (a performance table's 一级/二级指标): spans[r][k] is how
 * many rows the cell at (r, k) covers, 0 when a cell above covers it. A column's group never crosses a boundary of a
 * column before it in `mergedCols`; blank cells never merge.
 */
export function mergeDown(rows: readonly (readonly string[])[], mergedCols: readonly number[]): number[][] {
  const spans = rows.map((r) => r.map(() => 1));
  mergedCols.forEach((k, depth) => {
    let start = 0;
    for (let r = 1; r <= rows.length; r++) {
      const same =
        r < rows.length &&
        rows[r]![k] !== "" &&
        rows[r]![k] === rows[start]![k] &&
        mergedCols.slice(0, depth).every((outer) => spans[r]![outer] === 0);
      if (same) {
        spans[r]![k] = 0;
        spans[start]![k]! += 1;
      } else start = r;
    }
  });
  return spans;
}

/** The indexes of the named fields among a performance table's columns, in the order named. */
export function fieldColumns(columns: readonly { field: string }[], fields: readonly string[]): number[] {
  return fields.map((f) => columns.findIndex((c) => c.field === f)).filter((k) => k >= 0);
}
