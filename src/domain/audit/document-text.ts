/**
 * The auditor's view of a published disclosure (issue 14): the words of each page with where they stand. Every reader
 * (a PDF through pdf.js, a PDF through poppler's `pdftotext -bbox-layout`, a plain-text extraction such as
 * `shared/seed/…txt`) produces this, and everything after it — tables, narrative claims, checks — reads only this.
 *
 * Coordinates are PDF points with the origin at the top left of the page (y grows downwards), so that sorting by y
 * then x is reading order. A plain-text source has no geometry: each line is one word per run of non-blank text, at
 * x = its column (characters, a CJK character counting 2) and y = its line number, with `geometry: "text"`.
 */

export interface Word {
  /** the word as printed, already normalised (normaliseText: Kangxi radicals, full-width forms, spaces) */
  readonly text: string;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface TextPage {
  /** 1-based, as a reader of the PDF counts pages */
  readonly number: number;
  readonly width: number;
  readonly height: number;
  readonly words: readonly Word[];
}

export type TextReader = "pdfjs" | "pdftotext" | "text";

export interface DocumentText {
  /** the file it was read from, as the user named it */
  readonly source: string;
  readonly reader: TextReader;
  /** "pdf": word boxes from the PDF; "text": line and column positions of a plain-text file */
  readonly geometry: "pdf" | "text";
  readonly pages: readonly TextPage[];
}

/** why a file gave no text to audit: each is exit 2 of `gongkai audit`, with a message naming the file */
export type UnreadableReason =
  | "not-found"
  | "not-pdf" // neither a PDF nor text (a zip renamed .pdf, an image…)
  | "truncated" // a PDF that ends before its end (no xref / trailer that can be repaired)
  | "encrypted" // needs a password to open
  | "too-large" // more bytes or pages than the limits
  | "timeout" // reading took longer than the limit
  | "no-text"; // every page is an image (a scan) or blank

export type ReadResult =
  | { readonly ok: true; readonly text: DocumentText; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: UnreadableReason; readonly detail: string };
