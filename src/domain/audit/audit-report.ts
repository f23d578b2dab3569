/**
 * What `gongkai audit` reports of one disclosure (issue 14): what it recognised, how much it read and checked, every
 * finding it can prove (codes in docs/audit-findings.md) and everything it could not read with confidence. The JSON
 * of `--json` is this object (docs/audit-report.md); the terminal, HTML and folder-summary views are drawn from it.
 */
import type { TextReader, UnreadableReason } from "./document-text.ts";

export const AUDIT_CODES = [
  "AUD-SUM",
  "AUD-TWICE",
  "AUD-NARRATIVE",
  "AUD-ARITH",
  "AUD-DIRECTION",
  "AUD-PART-WHOLE",
  "AUD-EMPTY-TABLE",
  "AUD-MISSING-TABLE",
  "AUD-YEAR",
  "AUD-PLACEHOLDER",
  "AUD-NAME",
  "AUD-CATALOG",
  "AUD-BLANK",
  "AUD-TEXT",
] as const;
export type AuditCode = (typeof AUDIT_CODES)[number];

export type AuditSeverity = "error" | "warning" | "note";

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** where a quote stands: the page of a PDF, or the line of a plain-text source (page null there) */
export interface AuditPlace {
  readonly page: number | null;
  readonly line: number | null;
  /** the printed text, whitespace removed, as a reader can find it on that page */
  readonly quote: string;
  /** the file of `AuditReport.files` it stands in; given when the disclosure is several files (additive, point 7) */
  readonly file?: string;
}

export interface AuditFinding extends AuditPlace {
  readonly code: AuditCode;
  readonly severity: AuditSeverity;
  /** what consistency requires, as printed text (e.g. "1,234.56" or "2024年") */
  readonly expected: string | null;
  /** what the document prints */
  readonly found: string | null;
  /** the reason in plain words: how the expected value follows from the document */
  readonly reason: Bilingual;
  /** the other places the finding rests on (the other printing of a figure, the parts of a total) */
  readonly related: readonly AuditPlace[];
}

/** a table, row, sentence or page that was not read with confidence, so nothing in it was checked */
export interface NotChecked extends AuditPlace {
  /** "file": one file of a disclosure of several that could not be read at all (the others were) */
  readonly what: "page" | "table" | "row" | "cell" | "sentence" | "claim" | "file";
  readonly reason: Bilingual;
}

export type DocumentKind = "budget" | "final_accounts";
export type DocumentLevel = "department" | "unit";

export interface RecognisedTable {
  readonly title: string;
  readonly page: number | null;
  /** 元 or 万元, read from the table's own header; null when it prints none */
  readonly unit: string | null;
  /** the table kind of the template (data/audit/table-titles.yaml), null when no kind matches its title */
  readonly kind: string | null;
}

export interface Recognised {
  readonly department: string | null;
  readonly year: number | null;
  readonly kind: DocumentKind | null;
  readonly level: DocumentLevel | null;
  /** the template id (data/templates/), or null: then only the relations that hold for every template are checked */
  readonly template: string | null;
  readonly tables: readonly RecognisedTable[];
}

export interface ReadChecked {
  readonly read: number;
  readonly checked: number;
}

export interface AuditCounts {
  readonly pages: number;
  readonly tables: ReadChecked & { readonly found: number };
  readonly cells: ReadChecked;
  readonly sentences: ReadChecked;
  readonly claims: ReadChecked;
  /** relations evaluated, and how many of them failed (each failure is a finding) */
  readonly relations: { readonly checked: number; readonly failed: number };
}

export interface AuditReport {
  /** the files audited as one disclosure (a narrative PDF and a tables PDF count as one) */
  readonly files: readonly string[];
  readonly reader: TextReader | null;
  readonly recognised: Recognised;
  readonly counts: AuditCounts;
  readonly findings: readonly AuditFinding[];
  readonly notChecked: readonly NotChecked[];
  /** as `gongkai check`: 0 no error, 1 error findings, 2 nothing could be read */
  readonly exitCode: 0 | 1 | 2;
  /**
   * why nothing could be read (exit 2); "internal-error": the auditor itself failed on this file (a bug), reported as a
   * row of a folder run so that one file never stops the others
   */
  readonly unreadable: { readonly file: string; readonly reason: UnreadableReason | "internal-error"; readonly detail: string } | null;
  /** what the readers noted while reading (pages missing, an encoding, a fallback reader), as they wrote it (zh / en) */
  readonly notes?: readonly { readonly file: string; readonly text: string }[];
}

/** the exit code a report's findings give (2 is only for unreadable input) */
export function exitCodeOf(findings: readonly AuditFinding[]): 0 | 1 {
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}
