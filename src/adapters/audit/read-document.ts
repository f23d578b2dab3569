/**
 * The auditor's one entry for reading a file named by the user: a PDF (by its content — `%PDF-` in the first 1,024
 * bytes, as PDF readers accept — never by its extension) through `readPdfText`, anything else that decodes as text
 * through `readTextFile`. A zip (also .docx/.xlsx), an old Office file, an image or an HTML page is refused as
 * "not-pdf" whatever its name. `unreadableMessage` gives the user's message for a refusal, in Chinese and English.
 */
import { open, stat } from "node:fs/promises";
import type { ReadResult, UnreadableReason } from "../../domain/audit/document-text.ts";
import { describeMagic, readPdfText, type PdfReadOptions } from "./pdf-text.ts";
import { readTextFile } from "./text-file.ts";

export interface ReadDocumentOptions extends PdfReadOptions {
  /** bytes of a plain-text file (default 50 MB; a PDF's limit is `limits.maxBytes`) */
  readonly maxTextBytes?: number;
}

export async function readDocument(path: string, opts: ReadDocumentOptions = {}): Promise<ReadResult> {
  let head: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile())
      return {
        ok: false,
        reason: "not-found",
        detail: `${path} is not a regular file`,
      };
    const fh = await open(path, "r");
    try {
      head = Buffer.alloc(Math.min(1024, st.size));
      await fh.read(head, 0, head.length, 0);
    } finally {
      await fh.close().catch(() => undefined);
    }
  } catch (e) {
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    return {
      ok: false,
      reason: "not-found",
      detail: code === "ENOENT" || code === "ENOTDIR" ? `${path} does not exist` : `${path} cannot be opened (${code || String(e)})`,
    };
  }
  if (head.includes("%PDF-")) return readPdfText(path, opts);
  const kind = describeMagic(head);
  if (kind !== "unknown content")
    return {
      ok: false,
      reason: "not-pdf",
      detail: `neither a PDF nor text: ${kind}`,
    };
  return readTextFile(path, opts.maxTextBytes === undefined ? {} : { maxBytes: opts.maxTextBytes });
}

const REASONS: Readonly<Record<UnreadableReason, { zh: string; en: string }>> = {
  "not-found": {
    zh: "找不到文件或无法打开",
    en: "the file does not exist or cannot be opened",
  },
  "not-pdf": {
    zh: "既不是 PDF 也不是文本文件",
    en: "neither a PDF nor a text file",
  },
  truncated: {
    zh: "PDF 文件不完整或已损坏，无法读取",
    en: "the PDF is truncated or damaged and cannot be read",
  },
  encrypted: {
    zh: "PDF 已加密，需要密码才能打开",
    en: "the PDF is encrypted: it needs a password to open",
  },
  "too-large": {
    zh: "文件超出大小、页数或内存限制",
    en: "the file exceeds the size, page or memory limit",
  },
  timeout: { zh: "读取超时", en: "reading took longer than the time limit" },
  "no-text": {
    zh: "文件中没有可读的文字（可能是扫描件，仅含图片）",
    en: "the file has no text to read (a scan: images only)",
  },
};

/** The user's message for a file that could not be read: `文件名：原因（细节）`, in Chinese and English. */
export function unreadableMessage(file: string, r: { readonly reason: UnreadableReason; readonly detail: string }): { zh: string; en: string } {
  const m = REASONS[r.reason];
  return {
    zh: `${file}：${m.zh}（${r.detail}）`,
    en: `${file}: ${m.en} (${r.detail})`,
  };
}
