/**
 * A plain-text extraction of a disclosure (like `shared/seed/…txt`, what a PDF-to-text tool or a copy from a PDF
 * viewer gives) as `DocumentText` with `geometry: "text"`.
 *
 * - Encoding: UTF-8, with or without a BOM; UTF-16 when it starts with a UTF-16 BOM; otherwise, when the bytes are not
 *   valid UTF-8, GB18030 (which includes GBK and GB2312; Node's full ICU decodes it). Bytes valid in neither, or text
 *   with NUL or other control characters (beyond tab, line feed, carriage return and form feed) in more than 1 % of
 *   its characters, are not text: "not-pdf" ("neither a PDF nor text").
 * - Pages: a form feed `\f` ends a page (as `pdftotext` writes). A file without one has no page breaks: it is one
 *   page, page 1, and then each word's y is its line number in the file, which is what a finding can cite. Page
 *   numbers are therefore only those the extraction kept.
 * - Words: each run of non-blank characters of a line (blank: white space, the ideographic space, NBSP), at
 *   x0 = its first display column (0-based; a CJK or full-width character counts 2, a tab moves to the next multiple
 *   of 8), x1 = the column after its last character, y0 = its line number within the page (1-based), y1 = y0 + 1. A
 *   page's width is its widest line in columns, its height its number of lines + 1. Line endings \r\n and \r count
 *   as \n. Each word's text goes through `normaliseText`.
 * - Limits: more than `maxBytes` (default 50 MB) → "too-large"; nothing but blanks → "no-text".
 */
import { readFile, stat } from "node:fs/promises";
import type { DocumentText, ReadResult, TextPage, UnreadableReason, Word } from "../../domain/audit/document-text.ts";
import { displayWidth, hasRadicalCodePoints, normaliseText } from "../../domain/audit/normalise-text.ts";

export interface TextFileOptions {
  /** bytes of the file (default 50 MB) */
  readonly maxBytes?: number;
}

export const DEFAULT_TEXT_MAX_BYTES = 50 * 1000 * 1000;

const fail = (reason: UnreadableReason, detail: string): ReadResult => ({
  ok: false,
  reason,
  detail,
});

export async function readTextFile(path: string, opts: TextFileOptions = {}): Promise<ReadResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_TEXT_MAX_BYTES;
  let bytes: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile()) return fail("not-found", `${path} is not a regular file`);
    if (st.size > maxBytes) return fail("too-large", `${st.size} bytes, more than the limit of ${maxBytes}`);
    bytes = await readFile(path);
  } catch (e) {
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    if (code === "ENOENT" || code === "ENOTDIR") return fail("not-found", `${path} does not exist`);
    return fail("not-found", `${path} cannot be opened (${code || String(e)})`);
  }
  if (bytes.length > maxBytes) return fail("too-large", `${bytes.length} bytes, more than the limit of ${maxBytes}`);
  const decoded = decodeText(bytes);
  if (!decoded.ok) return fail("not-pdf", decoded.detail);
  return textToDocument(path, decoded.text, decoded.encoding);
}

export type Decoded =
  | {
      ok: true;
      text: string;
      encoding: "utf-8" | "utf-16le" | "utf-16be" | "gb18030";
    }
  | { ok: false; detail: string };

/** The text of a file's bytes, by BOM, then UTF-8, then GB18030; refused if it is not text. */
export function decodeText(bytes: Uint8Array): Decoded {
  let text: string | undefined;
  let encoding: "utf-8" | "utf-16le" | "utf-16be" | "gb18030" = "utf-8";
  const b = bytes;
  try {
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) text = new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(3));
    else if (b[0] === 0xff && b[1] === 0xfe) [text, encoding] = [new TextDecoder("utf-16le", { fatal: true }).decode(b.subarray(2)), "utf-16le"];
    else if (b[0] === 0xfe && b[1] === 0xff) [text, encoding] = [new TextDecoder("utf-16be", { fatal: true }).decode(b.subarray(2)), "utf-16be"];
  } catch {
    return {
      ok: false,
      detail: "the file starts with a byte order mark but its bytes are not valid in that encoding",
    };
  }
  if (text === undefined) {
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(b);
    } catch {
      try {
        text = new TextDecoder("gb18030", { fatal: true }).decode(b);
        encoding = "gb18030";
      } catch {
        return {
          ok: false,
          detail: "not text: the bytes are valid neither as UTF-8 nor as GB18030",
        };
      }
    }
  }
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0)
      return {
        ok: false,
        detail: `not text: a NUL character at position ${i + 1} (a binary file)`,
      };
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++;
  }
  if (controls > text.length / 100)
    return {
      ok: false,
      detail: `not text: ${controls} control characters in ${text.length}`,
    };
  return { ok: true, text, encoding };
}

const BLANK = /[\s\u00a0\u3000]/;

/** A decoded plain text as pages of words (see the module comment). */
export function textToDocument(source: string, text: string, encoding = "utf-8"): ReadResult {
  const pageTexts = text.replace(/\r\n?/g, "\n").split("\f");
  // a form feed at the very end (pdftotext ends every page with one) makes no page of its own
  if (pageTexts.length > 1 && pageTexts[pageTexts.length - 1]!.trim() === "") pageTexts.pop();
  let radicals = 0;
  const pages: TextPage[] = pageTexts.map((pt, i) => {
    const lines = pt.split("\n");
    const words: Word[] = [];
    let width = 0;
    lines.forEach((line, li) => {
      let col = 0;
      let start = -1;
      let run = "";
      const end = () => {
        if (start < 0) return;
        if (hasRadicalCodePoints(run)) radicals++;
        const t = normaliseText(run).trim();
        if (t !== "") words.push({ text: t, x0: start, y0: li + 1, x1: col, y1: li + 2 });
        start = -1;
        run = "";
      };
      for (const ch of line) {
        if (ch === "\t") {
          end();
          col = (Math.floor(col / 8) + 1) * 8;
          continue;
        }
        if (BLANK.test(ch)) {
          end();
          col += displayWidth(ch);
          continue;
        }
        if (start < 0) start = col;
        run += ch;
        col += displayWidth(ch);
      }
      end();
      width = Math.max(width, col);
    });
    return { number: i + 1, width, height: lines.length + 1, words };
  });
  if (pages.every((p) => p.words.length === 0)) return fail("no-text", "the file contains no text (only blanks)");
  const doc: DocumentText = { source, reader: "text", geometry: "text", pages };
  const notes: string[] = [];
  if (encoding !== "utf-8") notes.push(`按 ${encoding.toUpperCase()} 编码读取 / read as ${encoding.toUpperCase()}`);
  if (pages.length === 1) notes.push("文本没有分页符，全文作为第 1 页，y 为行号 / the text has no form feeds: the whole file is page 1, y is the line number");
  if (radicals > 0) notes.push(`${radicals} 个词含康熙部首等字符，已规范化 / ${radicals} words had Kangxi or CJK radical code points, normalised`);
  return { ok: true, text: doc, notes };
}
