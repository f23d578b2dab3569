/**
 * What the table reader gives the checker (issue 14, point 3): the tables of a published disclosure, cell by cell,
 * and what it could not read with confidence. Pure data.
 */
import type { PrintedAmount } from "./printed-amount.ts";
import type { ColumnKind } from "./table-columns.ts";
import type { TableUnit } from "./table-kinds.ts";

export type { ColumnKind } from "./table-columns.ts";

/**
 * - blank: nothing printed (blank is not zero);
 * - amount: a number, with its exact printed value;
 * - dash: "—" or "-" alone;
 * - code: a classification code (科目编码, 201, 03, 2010301): never an amount;
 * - text: a name, a label, or anything else printed.
 */
export type CellKind = "blank" | "amount" | "dash" | "code" | "text";

export interface ExtractedCell {
  /** the cell's words as printed, joined (a wrapped name joined into one) */
  readonly text: string;
  readonly kind: CellKind;
  /** present exactly when kind is "amount" */
  readonly amount?: PrintedAmount;
}

export interface ExtractedColumn {
  /** the header cells over this column, top to bottom (merged cells repeated over each column they span) */
  readonly header: readonly string[];
  /** the header joined with "/" ("收入预算/财政拨款收入"); "" when the column has no header */
  readonly label: string;
  readonly kind: ColumnKind;
}

export interface ExtractedRow {
  /** the page the row is printed on (its first line) */
  readonly page: number;
  /** where on the page: the y of its first line (PDF points, or the line number of a text source) */
  readonly y: number;
  /** one per column of the table */
  readonly cells: readonly ExtractedCell[];
  /** false: the row could not be read with confidence; its cells must not be used (see `problem`) */
  readonly readable: boolean;
  readonly problem?: NotReadReason;
  /** a text source: the row's numbers in printed order (columns are lost in plain text) */
  readonly numbers?: readonly PrintedAmount[];
}

/** Which relation placed which numbers of a text source into their columns: the checker must not count it as checked. */
export interface Placement {
  /** e.g. "row-total" (合计 = its parts across the row), "column-total" (总计 row = sum of the rows), "parent-children" */
  readonly relation: string;
  /** readable description ("201 = 20103 + 20140 in column 合计") */
  readonly detail: string;
  /** the rows (indexes into `rows`) whose numbers this relation placed */
  readonly rows: readonly number[];
}

export interface ExtractedTable {
  /** the kind's id in data/audit/table-titles.yaml; null: a title of no known kind */
  readonly kind: string | null;
  /** the title line as printed (normalised: no spaces, no quotation marks) */
  readonly title: string;
  /** "公开01表", "表1" when printed with the title */
  readonly number: string | null;
  /** a bracketed qualifier after the title: "(功能科目)" */
  readonly qualifier: string | null;
  /** page of the title, and every page the table is printed on */
  readonly page: number;
  readonly pages: readonly number[];
  /** the unit read from the table's own header; null when it prints none */
  readonly unit: TableUnit | null;
  readonly unitText: string | null;
  readonly columns: readonly ExtractedColumn[];
  readonly rows: readonly ExtractedRow[];
  /** notes printed under the table (注：…), e.g. the empty-table sentence */
  readonly notes: readonly string[];
  /** text source only: the relations used to place numbers into columns (never also checked) */
  readonly placedBy: readonly Placement[];
  readonly geometry: "pdf" | "text";
}

export type NotReadReason =
  | "kind-not-read" // a table of text (performance targets): recognised, not read
  | "no-columns" // no column could be found
  | "column-ambiguous" // a number falls between two columns, or overlaps two
  | "two-numbers-in-cell" // a cell holds two numbers
  | "more-numbers-than-columns" // a row prints more numbers than the table has amount columns
  | "placement-ambiguous" // a text source: the numbers of a row fit its columns in more than one way
  | "placement-unknown" // a text source: nothing determines where the numbers of a row go
  | "malformed-number"; // a number whose separators are out of place

export interface NotRead {
  /** the table's title, or null when the problem is not of one table */
  readonly table: string | null;
  readonly page: number;
  /** "table": the whole table was not read; "row": one row of a table that was */
  readonly scope: "table" | "row";
  readonly reason: NotReadReason;
  readonly detail: { readonly zh: string; readonly en: string };
}

export interface TableExtraction {
  readonly tables: readonly ExtractedTable[];
  readonly notChecked: readonly NotRead[];
}
