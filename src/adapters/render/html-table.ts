/**
 * A computed table as a semantic HTML table, laid out as the print lays it out: the caption (表N and title, 编制部门,
 * the print unit), the printed multi-level header built from each column's `print` path, one row header per row,
 * amounts right-aligned, blank cells blank, the empty-table sentence across all columns. A two-sided table (收入 |
 * 支出) prints its sides next to each other, and every cell names its headers explicitly; a side's code and name
 * columns print under the code's one label, as the print does (支出功能分类 over 201 一般公共服务支出).
 *
 * On a narrow screen a wide table scrolls inside its own box (html-style.ts): its caption stays in view above it, and
 * the leading code and name columns of a one-sided table (类 款 项 科目名称) are sticky "key" columns, each with
 * its position among them (`k0`…`k3`), so a reader scrolling to the amounts still sees which row they are on.
 */
import { rowTexts } from "../../domain/disclosure-model.ts";
import { headerRows } from "../../domain/table-header.ts";
import type { PrintUnit } from "../../domain/money.ts";
import type { ComputedRow, ComputedTable } from "../../domain/table-engine.ts";
import type { ColumnData } from "../../domain/template-model.ts";
import { esc } from "./html-escape.ts";

export interface TableContext {
  /** 编制部门 */
  readonly department: string;
  readonly unit: PrintUnit & { readonly label: string };
  /** the rounding note under each table that shows a rounding difference (Disclosure.roundingNotes) */
  readonly notes?: ReadonlyMap<string, string>;
}

/** A printed column of the HTML table: which CSV column it shows, and its header path. */
interface PrintColumn {
  readonly index: number;
  readonly column: ColumnData;
  readonly path: readonly string[];
}

const ROW_LEVEL: Partial<Record<ComputedRow["type"], number>> = { section: 1, item: 2, "econ-section": 1 };

function isTotalRow(r: ComputedRow): boolean {
  return r.type === "fixed" && (r.key === "total" || r.key.endsWith(".total"));
}

function rowClass(r: ComputedRow): string {
  const cls = [`r-${r.type}`];
  if (isTotalRow(r)) cls.push("r-total");
  return cls.join(" ");
}

function cellClass(col: ColumnData): string {
  switch (col.role) {
    case "amount":
      return "num";
    case "code1":
    case "code2":
    case "code3":
      return "code";
    case "project":
      return "proj";
    default:
      return "txt";
  }
}

/** The caption: number and title, then 编制部门 and the print unit as the print shows them above the table. */
export function tableCaption(id: string, number: string, title: string, ctx: TableContext): string {
  return (
    `<caption id="${esc(id)}-cap">${number === "" ? "" : `<span class="t-no">${esc(number)}</span>`}<span class="t-title">${esc(title)}</span>` +
    `<span class="t-meta"><span class="t-dept">编制部门：${esc(ctx.department)}</span>` +
    `<span class="t-unit">单位：${esc(ctx.unit.label)}</span></span></caption>`
  );
}

const CODE_ROLES: ReadonlySet<ColumnData["role"]> = new Set(["code1", "code2", "code3"]);

/**
 * How many leading printed columns are sticky key columns: the code columns and the name column after them (or the
 * name column alone when it comes first). 0 when the table does not start that way.
 */
export function keyColumnCount(cols: readonly { readonly column: ColumnData }[]): number {
  let n = 0;
  while (n < cols.length && CODE_ROLES.has(cols[n]!.column.role)) n++;
  return cols[n]?.column.role === "name" ? n + 1 : 0;
}

/** The class of a sticky key cell starting at printed column `col`, or "" for any other cell. */
function keyClass(col: number, colspan: number, keys: number): string {
  if (col + colspan > keys) return "";
  return ` key k${col}`;
}

function theadHtml(paths: readonly (readonly string[])[], idPrefix: string | null, keys = 0): { html: string; headerIds: string[][] } {
  const rows = headerRows(paths);
  // header ids per column (outermost first), for tables whose cells name their headers
  const headerIds: string[][] = paths.map(() => []);
  const trs = rows.map((row, level) => {
    const ths = row.map((h, k) => {
      const id = idPrefix === null ? null : `${idPrefix}-h${level}-${k}`;
      if (id !== null) for (let c = h.col; c < h.col + h.colspan; c++) headerIds[c]!.push(id);
      const span = (h.colspan > 1 ? ` colspan="${h.colspan}"` : "") + (h.rowspan > 1 ? ` rowspan="${h.rowspan}"` : "");
      const key = keyClass(h.col, h.colspan, keys).trim();
      return `<th scope="${h.leaf ? "col" : "colgroup"}"${id === null ? "" : ` id="${id}"`}${key === "" ? "" : ` class="${key}"`}${span}>${esc(h.label)}</th>`;
    });
    return `<tr>${ths.join("")}</tr>`;
  });
  return { html: `<thead>${trs.join("")}</thead>`, headerIds };
}

/** The printed columns of a one-sided table: every column but the side marker. */
function plainColumns(t: ComputedTable): PrintColumn[] {
  const out: PrintColumn[] = [];
  t.columns.forEach((column, index) => {
    if (column.role !== "side") out.push({ index, column, path: column.print ?? [column.csv] });
  });
  return out;
}

function rowCells(
  cols: readonly PrintColumn[],
  texts: readonly string[],
  r: ComputedRow,
  attrs: (k: number) => string,
  rowHeaderId: string | null,
  sideStart = false,
  keys = 0,
): string {
  return cols
    .map((pc, k) => {
      const text = texts[pc.index] ?? "";
      const start = (sideStart && k === 0 ? " side-start" : "") + keyClass(k, 1, keys);
      if (pc.column.role === "name") {
        const lv = ROW_LEVEL[r.type];
        const cls = `name${lv === undefined ? "" : ` lv${lv}`}${start}`;
        return `<th scope="row" class="${cls}"${rowHeaderId === null ? "" : ` id="${rowHeaderId}"`}${attrs(k)}>${esc(text)}</th>`;
      }
      return `<td class="${cellClass(pc.column)}${start}"${attrs(k)}>${esc(text)}</td>`;
    })
    .join("");
}

/**
 * A table as HTML: `<table>` with its caption, inside a scrollable, labelled region for narrow screens; below it, as a
 * table footnote that the table names as its description, the rounding note when the table has one.
 */
export function renderTable(t: ComputedTable, ctx: TableContext): string {
  const body = t.sides ? twoSidedBody(t, ctx) : oneSidedBody(t, ctx);
  const note = ctx.notes?.get(t.id);
  const noteId = `${esc(t.id)}-note`;
  return (
    `<div class="table-wrap" role="region" tabindex="0" aria-labelledby="${esc(t.id)}-cap">` +
    `<table class="disclosure" id="${esc(t.id)}-table"${note === undefined ? "" : ` aria-describedby="${noteId}"`}>${tableCaption(t.id, t.number, t.title, ctx)}${body}</table></div>` +
    (note === undefined ? "" : `<p class="table-note" id="${noteId}">${esc(note)}</p>`)
  );
}

function oneSidedBody(t: ComputedTable, ctx: TableContext): string {
  const cols = plainColumns(t);
  const keys = keyColumnCount(cols);
  const { html: thead } = theadHtml(
    cols.map((c) => c.path),
    null,
    keys,
  );
  let tbody: string;
  if (t.emptySentence !== null) {
    tbody = `<tr class="r-empty"><td class="empty" colspan="${cols.length}">${esc(t.emptySentence)}</td></tr>`;
  } else {
    tbody = t.rows.map((r) => `<tr class="${rowClass(r)}">${rowCells(cols, rowTexts(t, r, ctx.unit), r, () => "", null, false, keys)}</tr>`).join("");
  }
  return `${thead}<tbody>${tbody}</tbody>`;
}

interface Side {
  readonly cols: PrintColumn[];
  readonly rows: ComputedRow[];
}

function twoSidedBody(t: ComputedTable, ctx: TableContext): string {
  const sides: Side[] = (t.sides ?? []).map((s) => {
    const rows = t.rows.filter((r) => r.side === s.name);
    const texts = rows.map((r) => rowTexts(t, r, ctx.unit));
    const cols: PrintColumn[] = [];
    let amountPos = 0;
    t.columns.forEach((column, index) => {
      if (column.role === "side") return;
      // an amount column belongs to the side when its rows have that cell; a text column when it shows anything
      const shown =
        column.role === "amount"
          ? ((pos) => rows.some((r) => r.cells[pos] !== null))(amountPos++)
          : column.role === "name" || texts.some((tx) => (tx[index] ?? "") !== "");
      if (!shown) return;
      // the side's classification, code and name, prints under the code's one label (支出功能分类 over 201 一般公共服务支出)
      const prev = cols[cols.length - 1];
      const path = column.role === "name" && prev !== undefined && CODE_ROLES.has(prev.column.role) ? prev.path : [...s.printHeader, ...(column.print ?? [column.csv])];
      cols.push({ index, column, path });
    });
    return { cols, rows };
  });
  const prefix = `${t.id}-`;
  const { html: thead, headerIds } = theadHtml(
    sides.flatMap((s) => s.cols.map((c) => c.path)),
    `${prefix}c`,
  );
  // Align the sides' closing total rows (收入总计 | 支出总计) on the last line, as the print does.
  const height = Math.max(...sides.map((s) => s.rows.length));
  const aligned = sides.map((s) => {
    const padded: (ComputedRow | null)[] = [...s.rows];
    const last = s.rows[s.rows.length - 1];
    const gap = height - s.rows.length;
    if (gap > 0 && last && isTotalRow(last)) padded.splice(s.rows.length - 1, 0, ...Array<null>(gap).fill(null));
    while (padded.length < height) padded.push(null);
    return padded;
  });
  const trs: string[] = [];
  for (let i = 0; i < height; i++) {
    let offset = 0;
    const cells = sides.map((s, si) => {
      const r = aligned[si]![i] ?? null;
      const base = offset;
      offset += s.cols.length;
      if (r === null) return s.cols.map((_, k) => `<td class="pad${si > 0 && k === 0 ? " side-start" : ""}"></td>`).join("");
      const rowHeaderId = `${prefix}r${si}-${i}`;
      const nameAt = s.cols.findIndex((c) => c.column.role === "name");
      const attrs = (k: number) => {
        const ids = [...headerIds[base + k]!];
        if (k !== nameAt) ids.push(rowHeaderId);
        return ` headers="${ids.join(" ")}"`;
      };
      return rowCells(s.cols, rowTexts(t, r, ctx.unit), r, attrs, rowHeaderId, si > 0);
    });
    const classes = sides.map((_, si) => aligned[si]![i]).filter((r): r is ComputedRow => r !== null && r !== undefined);
    const total = classes.some(isTotalRow) ? " r-total" : "";
    trs.push(`<tr class="r-pair${total}">${cells.join("")}</tr>`);
  }
  return `${thead}<tbody>${trs.join("")}</tbody>`;
}
