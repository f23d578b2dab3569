/**
 * The words of a PDF with their boxes (issue 14, point 3's first step), as `DocumentText`: through poppler's
 * `pdftotext -bbox-layout` when it is on PATH, else through pdf.js (`pdfjs-dist`, pure JS: works after `npm install`
 * alone). Both give word boxes in PDF points, origin top left, and every word's text through `normaliseText`.
 *
 * The file is hostile input. Every failure is a `ReadResult` `{ ok: false, reason, detail }`, never a throw:
 * - not found / not a regular file → "not-found"; no `%PDF-` in its first 1,024 bytes (a zip renamed .pdf, an HTML
 *   page, random bytes) → "not-pdf";
 * - more bytes than `maxBytes` (50 MB) or more pages than `maxPages` (2,000) → "too-large", before the pages are read;
 * - a user password → "encrypted" (a PDF with only an owner password opens and is read);
 * - a PDF whose cross-reference cannot be read nor rebuilt → "truncated" (the detail says whether it lacks its
 *   `%%EOF`); if some pages can be read they are returned, ok, with a note naming the pages that could not;
 * - no word on any page (a scan: images only) → "no-text";
 * - longer than `timeoutMs` (60 s) → "timeout": pdftotext is killed, the pdf.js worker terminated.
 *
 * `auto` reads with pdf.js instead of poppler where poppler could not do the whole job: a file it calls damaged or
 * without text, or one with text in a CJK font that it cannot decode without poppler-data's language packs (it prints
 * "Missing language pack for 'Adobe-GB1'"; pdf.js ships Adobe's CMaps) — the result's first note says so.
 * Rotated pages (/Rotate 90, 270) are given as displayed: width and height swapped, words in displayed positions.
 *
 * Memory is bounded: pdfinfo and pdftotext run under `ulimit -v` (`popplerMemoryMb`), and pdftotext's output is parsed
 * as it streams, page by page, and stopped past `maxOutputBytes`; pdf.js runs in a worker thread with a heap limit
 * (`workerHeapMb`), so that a hostile file ends that worker with "too-large" instead of the process. Asking for
 * `reader: "pdftotext"` where poppler is not installed gives "not-found" naming pdftotext. No reader touches the network: pdf.js is pointed at the CMaps, standard fonts,
 * ICC profiles and wasm decoders inside the pdfjs-dist package on disk.
 */
import { spawn, spawnSync } from "node:child_process";
import { open, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { DocumentText, ReadResult, TextPage, UnreadableReason, Word } from "../../domain/audit/document-text.ts";
import { displayWidth, hasRadicalCodePoints, normaliseText } from "../../domain/audit/normalise-text.ts";

export interface PdfLimits {
  /** bytes of the file (default 50 MB) */
  readonly maxBytes: number;
  /** pages of the document (default 2,000) */
  readonly maxPages: number;
  /** wall-clock time of the whole read (default 60 s) */
  readonly timeoutMs: number;
  /** bytes of pdftotext's XHTML output (default 256 MiB): beyond, "too-large" */
  readonly maxOutputBytes: number;
  /** heap of the pdf.js worker thread in MiB (default 768): beyond, "too-large" */
  readonly workerHeapMb: number;
  /** address space of pdfinfo/pdftotext in MiB (default 1,024; `ulimit -v`, where there is a POSIX shell) */
  readonly popplerMemoryMb: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxBytes: 50 * 1000 * 1000,
  maxPages: 2000,
  timeoutMs: 60_000,
  maxOutputBytes: 256 * 1024 * 1024,
  workerHeapMb: 768,
  popplerMemoryMb: 1024,
};

/** "auto": pdftotext when it is on PATH, else pdf.js */
export type PdfReaderChoice = "auto" | "pdfjs" | "pdftotext";

export interface PdfReadOptions {
  readonly reader?: PdfReaderChoice;
  readonly limits?: Partial<PdfLimits>;
}

let popplerPresent: boolean | undefined;
/** Whether `pdftotext` (poppler-utils) can be run (checked once per process). */
export function havePdftotext(): boolean {
  popplerPresent ??= spawnSync("pdftotext", ["-v"], { stdio: "ignore", timeout: 10_000 }).error === undefined;
  return popplerPresent;
}

const fail = (reason: UnreadableReason, detail: string): ReadResult => ({
  ok: false,
  reason,
  detail,
});

export async function readPdfText(path: string, opts: PdfReadOptions = {}): Promise<ReadResult> {
  const limits: PdfLimits = { ...DEFAULT_PDF_LIMITS, ...opts.limits };
  const choice = opts.reader ?? "auto";
  const reader = choice === "auto" ? (havePdftotext() ? "pdftotext" : "pdfjs") : choice;
  if (reader === "pdftotext" && !havePdftotext()) return fail("not-found", "pdftotext (poppler-utils) is not installed; use reader pdfjs or auto");
  const pre = await preflight(path, limits);
  if (!pre.ok) return pre.result;
  const started = Date.now();
  try {
    if (reader === "pdfjs") return await readWithPdfjs(path, pre, limits, started);
    const { result: poppler, missingPack } = await readWithPdftotext(path, pre, limits, started);
    // auto: pdf.js instead when poppler could not do the whole job — a damaged file that poppler cannot repair (pdf.js
    // rebuilds the xref its own way), or text in a CJK font that poppler cannot decode without poppler-data's
    // language packs (a non-embedded STSong-Light with the UniGB-UCS2-H CMap: pdf.js ships those CMaps)
    const why = missingPack
      ? `poppler lacks the language pack for ${missingPack} (poppler-data)`
      : !poppler.ok && (poppler.reason === "truncated" || poppler.reason === "no-text")
        ? poppler.detail
        : undefined;
    if (choice !== "auto" || why === undefined) return poppler;
    const js = await readWithPdfjs(path, pre, limits, started);
    if (!js.ok) return poppler;
    return { ...js, notes: [`pdftotext 无法完整读取，改用 pdf.js / pdftotext could not read the whole file (${why}); read with pdf.js`, ...js.notes] };
  } catch (e) {
    // a reader's own bug must still not reach the user as a stack trace
    return fail("not-pdf", `the PDF could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Checks before reading: the file exists, is not too large, is a PDF, and whether it ends with %%EOF.

interface Preflight {
  readonly ok: true;
  readonly size: number;
  /** the last 2 KiB contain %%EOF (a truncated PDF usually does not) */
  readonly hasEof: boolean;
}

const no = (reason: UnreadableReason, detail: string) => ({
  ok: false as const,
  result: fail(reason, detail),
});

async function preflight(path: string, limits: PdfLimits): Promise<Preflight | { ok: false; result: ReadResult }> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return no("not-found", `${path} is not a regular file`);
    if (st.size > limits.maxBytes) return no("too-large", `${st.size} bytes, more than the limit of ${limits.maxBytes}`);
    if (st.size === 0) return no("not-pdf", "the file is empty");
    const fh = await open(path, "r");
    try {
      const head = Buffer.alloc(Math.min(1024, st.size));
      await fh.read(head, 0, head.length, 0);
      if (!head.includes("%PDF-")) return no("not-pdf", `no %PDF- header in the first ${head.length} bytes (${describeMagic(head)})`);
      const tailLength = Math.min(2048, st.size);
      const tail = Buffer.alloc(tailLength);
      await fh.read(tail, 0, tailLength, st.size - tailLength);
      return { ok: true, size: st.size, hasEof: tail.includes("%%EOF") };
    } finally {
      await fh.close().catch(() => undefined);
    }
  } catch (e) {
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    if (code === "ENOENT" || code === "ENOTDIR") return no("not-found", `${path} does not exist`);
    return no("not-found", `${path} cannot be opened (${code || String(e)})`);
  }
}

/** What the first bytes of a file that is not a PDF look like, for the message. */
export function describeMagic(head: Uint8Array): string {
  const b = Buffer.from(head.subarray(0, 16));
  if (b.subarray(0, 4).equals(Buffer.from("PK\u0003\u0004", "latin1"))) return "a zip archive (also .docx, .xlsx)";
  if (b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return "an old Office document (.doc, .xls)";
  if (b.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return "a PNG image";
  if (b.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return "a JPEG image";
  const text = Buffer.from(head).toString("latin1").trimStart().toLowerCase();
  if (text.startsWith("<!doctype html") || text.startsWith("<html") || text.includes("<html")) return "an HTML page";
  return "unknown content";
}

// ---------------------------------------------------------------------------------------------------------------------
// poppler: pdftotext -bbox-layout

/** A word of `pdftotext -bbox-layout` as printed (text not normalised). */
export interface BboxWord {
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}
export interface BboxPage {
  readonly width: number;
  readonly height: number;
  readonly words: BboxWord[];
}

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g, (m, name: string, dec?: string, hex?: string) => {
    if (dec !== undefined) return String.fromCodePoint(Number(dec));
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    return ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" } as Record<string, string>)[name] ?? m;
  });

const PAGE_RE = /<page width="([-\d.]+)" height="([-\d.]+)">([\s\S]*?)<\/page>/g;
const WORD_RE = /<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g;

/** Pages and words of `pdftotext -bbox-layout` output (complete `<page>` elements only), the text as printed. */
export function parseBboxLayout(xhtml: string): BboxPage[] {
  const pages: BboxPage[] = [];
  for (const m of xhtml.matchAll(PAGE_RE)) {
    const words = [...m[3]!.matchAll(WORD_RE)].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: unescapeXml(w[5]!),
    }));
    pages.push({ width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

/** A `BboxPage` as a `TextPage`: words normalised, words left empty by normalisation dropped. */
function toTextPage(p: BboxPage, number: number, counter: { radicals: number }, quarterTurned = false): TextPage {
  const words: Word[] = [];
  for (const w of p.words) {
    if (hasRadicalCodePoints(w.text)) counter.radicals++;
    const text = normaliseText(w.text).trim();
    if (text !== "") words.push({ text, x0: w.xMin, y0: w.yMin, x1: w.xMax, y1: w.yMax });
  }
  return quarterTurned ? { number, width: p.height, height: p.width, words } : { number, width: p.width, height: p.height, words };
}

interface RunOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly killedFor?: "timeout" | "output";
}

/** Runs a poppler tool with a timeout and bounded output; `onChunk` sees stdout as it comes (then stdout is not kept). */
function runPoppler(
  cmd: string,
  args: readonly string[],
  limits: PdfLimits,
  timeoutMs: number,
  maxOutput: number,
  onChunk?: (s: string) => void,
): Promise<RunOutput> {
  return new Promise((done) => {
    // the shell sets the memory limit and is replaced by the tool (exec: same process, so a kill reaches the tool)
    const child =
      process.platform === "win32"
        ? spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] })
        : spawn("/bin/sh", ["-c", 'ulimit -v "$0" 2>/dev/null; exec "$@"', String(limits.popplerMemoryMb * 1024), cmd, ...args], {
            stdio: ["ignore", "pipe", "pipe"],
          });
    const decoder = new TextDecoder("utf-8");
    let out = "";
    let err = "";
    let bytes = 0;
    let killedFor: "timeout" | "output" | undefined;
    const kill = (why: "timeout" | "output") => {
      killedFor ??= why;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill("timeout"), Math.max(1, timeoutMs));
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxOutput) return kill("output");
      const s = decoder.decode(chunk, { stream: true });
      if (onChunk) onChunk(s);
      else out += s;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (err.length < 16_384) err += chunk.toString("utf8");
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      done({
        code: -1,
        stdout: out,
        stderr: `${err}${e.message}`,
        ...(killedFor ? { killedFor } : {}),
      });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const rest = decoder.decode();
      if (onChunk) onChunk(rest);
      else out += rest;
      done({
        code,
        stdout: out,
        stderr: err,
        ...(killedFor ? { killedFor } : {}),
      });
    });
  });
}

const firstLines = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(0, 3)
    .join("; ");

/** what poppler (or the loader starting it) prints when its memory limit is reached */
const OUT_OF_MEMORY = /bad_alloc|out of memory|cannot allocate memory|failed to map segment/i;

const isPasswordError = (stderr: string) => /incorrect password|password/i.test(stderr);

async function readWithPdftotext(path: string, pre: Preflight, limits: PdfLimits, started: number): Promise<{ result: ReadResult; missingPack?: string }> {
  const file = resolve(path); // absolute: a name beginning with "-" is not an option
  const left = () => limits.timeoutMs - (Date.now() - started);
  // pdfinfo first: the page count (refused before reading past maxPages) and whether a password is needed
  const info = await runPoppler("pdfinfo", ["-f", "1", "-l", String(limits.maxPages), file], limits, left(), 4 * 1024 * 1024);
  if (info.killedFor === "timeout") return { result: fail("timeout", `pdfinfo did not finish within ${limits.timeoutMs} ms`) };
  if (OUT_OF_MEMORY.test(info.stderr)) return { result: fail("too-large", `pdfinfo needed more than ${limits.popplerMemoryMb} MiB of memory`) };
  if (isPasswordError(info.stderr) && info.code !== 0) return { result: fail("encrypted", `the PDF needs a password to open (${firstLines(info.stderr)})`) };
  const declared = /^Pages:\s+(\d+)/m.exec(info.stdout);
  const declaredPages = declared ? Number(declared[1]) : undefined;
  // -bbox-layout gives a rotated page's words in the rotated (displayed) space but its unrotated size
  const quarterTurned = new Set<number>();
  for (const m of info.stdout.matchAll(/^Page\s+(\d+) rot:\s+(\d+)/gm)) if (Number(m[2]) % 180 === 90) quarterTurned.add(Number(m[1]));
  if (declaredPages !== undefined && declaredPages > limits.maxPages)
    return { result: fail("too-large", `${declaredPages} pages, more than the limit of ${limits.maxPages}`) };

  const pages: TextPage[] = [];
  const counter = { radicals: 0 };
  let pending = "";
  let overPages = false;
  const run = await runPoppler(
    "pdftotext",
    ["-bbox-layout", "-enc", "UTF-8", "-l", String(limits.maxPages + 1), file, "-"],
    limits,
    left(),
    limits.maxOutputBytes,
    (s) => {
      pending += s;
      const end = pending.lastIndexOf("</page>");
      if (end < 0) return;
      for (const p of parseBboxLayout(pending.slice(0, end + 7))) pages.push(toTextPage(p, pages.length + 1, counter, quarterTurned.has(pages.length + 1)));
      pending = pending.slice(end + 7);
      if (pages.length > limits.maxPages) overPages = true;
    },
  );
  if (run.killedFor === "timeout") return { result: fail("timeout", `pdftotext did not finish within ${limits.timeoutMs} ms (${pages.length} pages read)`) };
  if (run.killedFor === "output") return { result: fail("too-large", `pdftotext printed more than ${limits.maxOutputBytes} bytes`) };
  if (overPages) return { result: fail("too-large", `more than ${limits.maxPages} pages`) };
  if (OUT_OF_MEMORY.test(run.stderr))
    return { result: fail("too-large", `pdftotext needed more than ${limits.popplerMemoryMb} MiB of memory (${pages.length} pages read)`) };
  if (run.code !== 0 && pages.length === 0) {
    if (isPasswordError(run.stderr)) return { result: fail("encrypted", `the PDF needs a password to open (${firstLines(run.stderr)})`) };
    return { result: fail("truncated", damagedDetail(pre, firstLines(run.stderr))) };
  }
  const notes: string[] = [];
  if (run.code !== 0)
    notes.push(
      `pdftotext 中途出错，已读 ${pages.length} 页 / pdftotext failed (exit ${run.code ?? "by a signal"}) after ${pages.length} pages: ${firstLines(run.stderr)}`,
    );
  if (declaredPages !== undefined && declaredPages > pages.length)
    notes.push(
      `缺页：文件声明 ${declaredPages} 页，只读到 ${pages.length} 页 / pages missing: the PDF declares ${declaredPages} pages, ${pages.length} were read`,
    );
  const pack = /Missing language pack for '([^']+)'/.exec(run.stderr)?.[1];
  if (pack)
    notes.push(
      `poppler 缺少 ${pack} 语言包（poppler-data），这些字体的文字未能读出 / poppler lacks the language pack for ${pack} (poppler-data): the text in those fonts is missing`,
    );
  const result = finish({ source: path, reader: "pdftotext", geometry: "pdf", pages }, notes, counter.radicals, pre);
  if (!pack) return { result };
  return {
    result: result.ok ? result : { ...result, detail: `${result.detail}; poppler lacks the language pack for ${pack} (poppler-data)` },
    missingPack: pack,
  };
}

function damagedDetail(pre: Preflight, why: string): string {
  return pre.hasEof
    ? `the PDF's structure cannot be read nor repaired (${why || "no page found"})`
    : `the PDF ends before its end: no %%EOF, and no page could be recovered (${why || "no page found"})`;
}

/** The common end of both readers: no text at all → "no-text"; notes on blank pages and normalised radicals. */
function finish(text: DocumentText, notes: string[], radicals: number, pre: Preflight): ReadResult {
  if (text.pages.length === 0) return fail("truncated", damagedDetail(pre, "no page"));
  const blank = text.pages.filter((p) => p.words.length === 0).map((p) => p.number);
  if (blank.length === text.pages.length) return fail("no-text", `none of the ${text.pages.length} pages has text (a scan, or images only)`);
  if (blank.length > 0) notes.push(`无文字的页：${pageList(blank)} / pages without text: ${pageList(blank)}`);
  if (radicals > 0) notes.push(`${radicals} 个词含康熙部首等字符，已规范化 / ${radicals} words had Kangxi or CJK radical code points, normalised`);
  if (!pre.hasEof) notes.push("文件末尾没有 %%EOF，可能不完整 / the file does not end with %%EOF: it may be truncated");
  return { ok: true, text, notes };
}

const pageList = (ns: readonly number[]) => (ns.length > 20 ? `${ns.slice(0, 20).join(", ")} … (${ns.length})` : ns.join(", "));

// ---------------------------------------------------------------------------------------------------------------------
// pdf.js, in a worker thread

const require = createRequire(import.meta.url);
let pdfjsDirs: { module: string; cmaps: string; fonts: string; wasm: string; iccs: string } | undefined;
function pdfjsPaths() {
  if (!pdfjsDirs) {
    const root = dirname(require.resolve("pdfjs-dist/package.json"));
    const dir = (name: string) => join(root, name) + "/";
    pdfjsDirs = {
      module: pathToFileURL(join(root, "legacy/build/pdf.mjs")).href,
      cmaps: dir("cmaps"),
      fonts: dir("standard_fonts"),
      wasm: dir("wasm"),
      iccs: dir("iccs"),
    };
  }
  return pdfjsDirs;
}

/**
 * One text item of pdf.js as the worker sends it: [str, a, b, c, d, e, f, width, ascent, descent, hasEOL] with
 * [a…f] the item's matrix in viewport space (points, origin top left, the page's rotation applied).
 */
type RawItem = [string, number, number, number, number, number, number, number, number, number, number];

type WorkerMessage =
  | { kind: "doc"; numPages: number }
  | {
      kind: "page";
      number: number;
      width: number;
      height: number;
      items: RawItem[];
    }
  | { kind: "page-error"; number: number; message: string }
  | { kind: "error"; name: string; message: string }
  | { kind: "end" };

/** The worker's code (plain JS: it runs in a worker thread, which has no TypeScript loader). */
const WORKER_SOURCE = `
(async () => {
  // import(), not require: the code runs as CommonJS or as a module, as the process's flags make it
  const { parentPort, workerData } = await import("node:worker_threads");
  globalThis.__parentPort = parentPort;
  const pdfjs = await import(workerData.module);
  const p = workerData;
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: p.data, cMapUrl: p.cmaps, cMapPacked: true, standardFontDataUrl: p.fonts, wasmUrl: p.wasm, iccUrl: p.iccs,
      disableFontFace: true, useSystemFonts: false, isEvalSupported: false, isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false, useWorkerFetch: false, disableAutoFetch: true, disableStream: true, verbosity: 0,
    }).promise;
  } catch (e) {
    parentPort.postMessage({ kind: "error", name: String((e && e.name) || "Error"), message: String((e && e.message) || e) });
    return;
  }
  parentPort.postMessage({ kind: "doc", numPages: doc.numPages });
  if (doc.numPages > p.maxPages) { await doc.destroy(); return; }
  for (let n = 1; n <= doc.numPages; n++) {
    let page;
    try {
      page = await doc.getPage(n);
      const vp = page.getViewport({ scale: 1 });
      const tc = await page.getTextContent({ includeMarkedContent: false, disableNormalization: true });
      const items = [];
      for (const it of tc.items) {
        if (typeof it.str !== "string" || it.str === "") continue;
        const m = pdfjs.Util.transform(vp.transform, it.transform);
        const st = tc.styles[it.fontName] || {};
        items.push([it.str, m[0], m[1], m[2], m[3], m[4], m[5], it.width, st.ascent || 0.8, st.descent || -0.2, it.hasEOL ? 1 : 0]);
      }
      parentPort.postMessage({ kind: "page", number: n, width: vp.width, height: vp.height, items });
    } catch (e) {
      parentPort.postMessage({ kind: "page-error", number: n, message: String((e && e.message) || e) });
    } finally {
      if (page) page.cleanup();
    }
  }
  await doc.destroy();
  parentPort.postMessage({ kind: "end" });
})().catch((e) => globalThis.__parentPort.postMessage({ kind: "error", name: "Error", message: String((e && e.message) || e) }));
`;

async function readWithPdfjs(path: string, pre: Preflight, limits: PdfLimits, started: number): Promise<ReadResult> {
  const { readFile } = await import("node:fs/promises");
  const bytes = await readFile(path);
  if (bytes.length > limits.maxBytes) return fail("too-large", `${bytes.length} bytes, more than the limit of ${limits.maxBytes}`);
  // the worker gets the bytes' own buffer (transferred, not copied) — copied first should they share a larger one
  const data = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
  const dirs = pdfjsPaths();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [], // plain JS: none of the parent's loaders (tsx) or flags
    workerData: { ...dirs, data, maxPages: limits.maxPages },
    transferList: [data.buffer as ArrayBuffer],
    resourceLimits: {
      maxOldGenerationSizeMb: limits.workerHeapMb,
      maxYoungGenerationSizeMb: 64,
    },
    stdout: true,
    stderr: true,
  });
  worker.stdout.resume(); // pdf.js's own console output is not the user's
  worker.stderr.resume();
  const pages: TextPage[] = [];
  const pageErrors: string[] = [];
  const counter = { radicals: 0 };
  let numPages: number | undefined;
  const outcome = await new Promise<ReadResult | "end">((done) => {
    const timer = setTimeout(
      () => done(fail("timeout", `pdf.js did not finish within ${limits.timeoutMs} ms (${pages.length} pages read)`)),
      Math.max(1, limits.timeoutMs - (Date.now() - started)),
    );
    const stop = (r: ReadResult | "end") => {
      clearTimeout(timer);
      done(r);
    };
    worker.on("message", (m: WorkerMessage) => {
      if (m.kind === "doc") {
        numPages = m.numPages;
        if (m.numPages > limits.maxPages) stop(fail("too-large", `${m.numPages} pages, more than the limit of ${limits.maxPages}`));
      } else if (m.kind === "page") {
        pages.push(pageFromItems(m.number, m.width, m.height, m.items, counter));
      } else if (m.kind === "page-error") {
        pageErrors.push(`${m.number}: ${m.message}`);
      } else if (m.kind === "error") {
        if (m.name === "PasswordException") stop(fail("encrypted", `the PDF needs a password to open (${m.message})`));
        else stop(fail("truncated", damagedDetail(pre, `${m.name}: ${m.message}`)));
      } else stop("end");
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if (e.code === "ERR_WORKER_OUT_OF_MEMORY")
        stop(fail("too-large", `reading the PDF needed more than ${limits.workerHeapMb} MiB of memory (${pages.length} pages read)`));
      else stop(fail("truncated", damagedDetail(pre, e.message)));
    });
    worker.on("exit", () => stop("end"));
  });
  await worker.terminate();
  if (outcome !== "end") return outcome;
  const notes: string[] = [];
  if (pageErrors.length > 0) notes.push(`pdf.js 无法读取的页 / pages pdf.js could not read: ${pageErrors.slice(0, 10).join("; ")}`);
  if (numPages !== undefined && pages.length < numPages && pageErrors.length === 0)
    notes.push(`缺页：文件声明 ${numPages} 页，只读到 ${pages.length} 页 / pages missing: the PDF declares ${numPages} pages, ${pages.length} were read`);
  const readable = pages.filter((p) => !pageErrors.some((e) => e.startsWith(`${p.number}:`)));
  return finish({ source: path, reader: "pdfjs", geometry: "pdf", pages: readable }, notes, counter.radicals, pre);
}

// ---------------------------------------------------------------------------------------------------------------------
// pdf.js text items → words

interface Glyphs {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** baseline y and font size, for deciding whether the next piece continues this word */
  base: number;
  size: number;
}

/**
 * The words of one page: each item split at white space into pieces (their widths spread over the characters by
 * display width), then a piece joined to the previous one when it stands on the same baseline and starts within
 * 0.15 × the font size of where the previous ended — as pdftotext joins glyphs into words. Rotated text gets the
 * axis-aligned box of its run.
 */
export function pageFromItems(number: number, width: number, height: number, items: readonly RawItem[], counter: { radicals: number }): TextPage {
  const words: Glyphs[] = [];
  let last: Glyphs | undefined;
  for (const [str, a, b, c, d, e, f, w, ascent, descent] of items) {
    const size = Math.hypot(c, d) || Math.hypot(a, b);
    const len = Math.hypot(a, b) || 1;
    const ux = a / len;
    const uy = b / len;
    const chars = [...str];
    const total = chars.reduce((s, ch) => s + Math.max(1, displayWidth(ch)), 0);
    let offset = 0;
    let piece = "";
    let pieceStart = 0;
    const flush = (endOffset: number) => {
      if (piece === "") return;
      const s0 = (pieceStart / total) * w;
      const s1 = (endOffset / total) * w;
      // the run from s0 to s1 along the baseline direction, from descent to ascent across it
      const corners: [number, number][] = [];
      for (const s of [s0, s1]) for (const h of [ascent, descent]) corners.push([e + ux * s + uy * h * size, f + uy * s - ux * h * size]);
      const xs = corners.map((p) => p[0]);
      const ys = corners.map((p) => p[1]);
      const g: Glyphs = {
        text: piece,
        x0: Math.min(...xs),
        x1: Math.max(...xs),
        y0: Math.min(...ys),
        y1: Math.max(...ys),
        base: f + uy * s0,
        size,
      };
      const horizontal = Math.abs(uy) < 1e-3 && ux > 0;
      if (
        last &&
        horizontal &&
        Math.abs(last.base - g.base) < 0.2 * size &&
        Math.abs(last.size - size) < 0.3 * size &&
        g.x0 >= last.x1 - 0.3 * size &&
        g.x0 - last.x1 < 0.15 * size
      ) {
        last.text += g.text;
        last.x1 = Math.max(last.x1, g.x1);
        last.y0 = Math.min(last.y0, g.y0);
        last.y1 = Math.max(last.y1, g.y1);
      } else {
        words.push(g);
        last = horizontal ? g : undefined;
      }
      piece = "";
    };
    for (const ch of chars) {
      const u = Math.max(1, displayWidth(ch));
      if (/\s/.test(ch)) {
        flush(offset);
        last = undefined;
      } else {
        if (piece === "") pieceStart = offset;
        piece += ch;
      }
      offset += u;
    }
    flush(offset);
  }
  const out: Word[] = [];
  for (const g of words) {
    if (hasRadicalCodePoints(g.text)) counter.radicals++;
    const text = normaliseText(g.text).trim();
    if (text !== "")
      out.push({
        text,
        x0: round2(g.x0),
        y0: round2(g.y0),
        x1: round2(g.x1),
        y1: round2(g.y1),
      });
  }
  return { number, width, height, words: out };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
