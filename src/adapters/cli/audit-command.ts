/**
 * `gongkai audit <文件.pdf|文件.txt|文件夹…> [--json] [--html <out>] [--reader auto|pdfjs|pdftotext]` (issue 14).
 *
 * - Files: all of them are one disclosure (a narrative PDF and a tables PDF), one report: on the terminal, or the
 *   report as JSON (`--json`, docs/audit-report.md); `--html <out>` writes a folder holding `index.html` (the report)
 *   and the images of the pages with findings. Exit code: the report's (0 no error, 1 error findings, 2 unreadable).
 * - Folders: every `.pdf` and `.txt` in them (any case), recursively, sorted, symbolic links not followed, each file
 *   its own disclosure. A bad file is a row with its reason, never the end of the run (the auditor failing on one file
 *   is a row too). A progress bar on standard error when it is a terminal. The summary as a table (terminal), an array
 *   of reports (`--json`), and with `--html <out>`: `index.html` (the summary), `summary.csv` and one report page per
 *   document under `reports/`. Exit code: 2 if nothing at all could be read, else 1 if any document has an error
 *   finding, else 0.
 * - Files and folders together are refused (which of the two meanings was meant cannot be told).
 *
 * `--html` is checked before any work as `build --out` is (never an input, never a foreign folder) and written whole
 * or not at all (replaceFolder); exit 2 writes nothing. No stack trace: a failure of the auditor on one document of a
 * folder is that document's row; anything else is main.ts's one-line internal error.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { Lang, OutputFile } from "../../app/command-registry.ts";
import { auditDocument, type AuditPorts } from "../../app/audit/audit-document.ts";
import type { AuditFinding, AuditReport } from "../../domain/audit/audit-report.ts";
import type { DocumentText } from "../../domain/audit/document-text.ts";
import { readDocument, unreadableMessage } from "../audit/read-document.ts";
import { auditData } from "../audit/audit-data.ts";
import { lineTextFigure, pageTextFigure, squeeze, textLines } from "../render/audit-page-text.ts";
import { placeKey, renderAuditReportHtml, type PlaceFigure } from "../render/audit-report-html.ts";
import { inDocumentOrder } from "../render/audit-report-labels.ts";
import { folderExitCode, renderAuditSummaryCsv, renderAuditSummaryHtml, renderAuditSummaryText, type SummaryRow } from "../render/audit-report-summary.ts";
import { renderAuditReportText } from "../render/audit-report-text.ts";
import { checkOutputFolder, formatOutputProblem, OutputLockedError, replaceFolder, type OutputProblem } from "./output-folder.ts";
import { createProgress } from "./progress-bar.ts";

export interface AuditIo {
  readonly lang: Lang;
  readonly json: boolean;
}

export interface AuditCommandOptions {
  readonly html?: string | undefined;
  readonly reader?: string | undefined;
}

type ReaderChoice = "auto" | "pdfjs" | "pdftotext";
const READERS: readonly ReaderChoice[] = ["auto", "pdfjs", "pdftotext"];

const TEXT = {
  bad_reader: { zh: "参数有误：--reader 只能是 auto、pdfjs 或 pdftotext", en: "bad arguments: --reader takes auto, pdfjs or pdftotext" },
  mixed: {
    zh: "参数有误：不能同时给出文件和文件夹。多个文件作为一份公开一起审核；文件夹中的每个文件各自审核。请分开运行。",
    en: "bad arguments: give files or folders, not both. Several files are audited as one disclosure; each file of a folder is audited on its own. Run them separately.",
  },
  no_files: { zh: "没有可审核的文件：{dirs} 中没有 .pdf 或 .txt 文件", en: "nothing to audit: no .pdf or .txt file in {dirs}" },
  nothing_read: { zh: "没有任何文件可以读取，未输出任何文件", en: "no file could be read; nothing was written" },
  symlinks: { zh: "（未跟随 {n} 个符号链接）", en: "({n} symbolic links not followed)" },
  folder_unreadable: { zh: "文件夹无法读取（{detail}）", en: "the folder cannot be read ({detail})" },
  written: { zh: "已写出审核报告：{out}\n  在浏览器中打开：{index}", en: "wrote the audit report to {out}\n  open in a browser: {index}" },
  input_unusable: { zh: "输出位置无法使用，未输出任何文件：", en: "the output cannot be used; nothing was written:" },
  progress: { zh: "审核 audit", en: "audit" },
} as const;

const say = (key: keyof typeof TEXT, lang: Lang, params: Record<string, string | number> = {}) => {
  let s: string = TEXT[key][lang];
  for (const [k, v] of Object.entries(params)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
};

/** Page images per report, and per run: beyond, the page's text (the output folder is held in memory until written). */
const MAX_IMAGES_PER_REPORT = 20;
const MAX_IMAGES_PER_RUN = 1000;
/** The longest side of a page image, in pixels: enough to read a table on a phone, small on disk (~30 KB). */
const IMAGE_PIXELS = 1000;
const PDFTOPPM_TIMEOUT_MS = 30_000;
const PDFTOPPM_MAX_BYTES = 20 * 1024 * 1024;

let pdftoppmPresent: boolean | undefined;
function havePdftoppm(): boolean {
  pdftoppmPresent ??= spawnSync("pdftoppm", ["-v"], { stdio: "ignore", timeout: 10_000 }).error === undefined;
  return pdftoppmPresent;
}

function outputRefused(p: OutputProblem, io: AuditIo): number {
  const message = formatOutputProblem(p, io.lang);
  if (io.json) console.log(JSON.stringify({ ok: false, exitCode: 2, problems: [{ code: p.code, severity: "error", file: p.path, field: p.option, message }] }, null, 2));
  else console.error(`${say("input_unusable", io.lang)}\n  ${message}`);
  return 2;
}

export async function runAuditCommand(io: AuditIo, paths: readonly string[], opts: AuditCommandOptions): Promise<number> {
  const reader = opts.reader ?? "auto";
  if (!(READERS as readonly string[]).includes(reader)) {
    console.error(say("bad_reader", io.lang));
    return 2;
  }
  const kinds = await Promise.all(paths.map(async (p) => ((await stat(p).catch(() => null))?.isDirectory() ? "folder" : "file")));
  const folders = kinds.filter((k) => k === "folder").length;
  if (folders > 0 && folders < paths.length) {
    console.error(say("mixed", io.lang));
    return 2;
  }
  if (opts.html !== undefined) {
    const bad = await checkOutputFolder(opts.html, "--html", paths);
    if (bad) return outputRefused(bad, io);
  }
  try {
    return folders > 0 ? await auditFolders(io, paths, reader as ReaderChoice, opts.html) : await auditFiles(io, paths, reader as ReaderChoice, opts.html);
  } catch (e) {
    if (e instanceof OutputLockedError) return outputRefused(e.problem, io);
    throw e;
  }
}

/** The reader port, keeping what it read when a report page is to show the pages' text or images. */
function readerPorts(keep: Map<string, DocumentText> | null): AuditPorts {
  return {
    async readDocument(path, o) {
      const r = await readDocument(path, o);
      if (r.ok && keep) keep.set(path, r.text);
      return r;
    },
    unreadableMessage,
    data: auditData,
  };
}

async function auditFiles(io: AuditIo, files: readonly string[], reader: ReaderChoice, html: string | undefined): Promise<number> {
  const texts = html === undefined ? null : new Map<string, DocumentText>();
  const progress = createProgress(say("progress", io.lang));
  const report = await auditDocument(files, { lang: io.lang, reader }, readerPorts(texts));
  progress.done();
  if (io.json) console.log(JSON.stringify(report, null, 2));
  else if (report.exitCode === 2) console.error(renderAuditReportText(report, { lang: io.lang }));
  else console.log(renderAuditReportText(report, { lang: io.lang }));
  if (html !== undefined && report.exitCode === 2) console.error(say("nothing_read", io.lang));
  if (html !== undefined && report.exitCode !== 2) {
    const budget = { left: MAX_IMAGES_PER_RUN };
    const page = await reportPage(report, texts ?? new Map(), io.lang, "", budget, undefined);
    await replaceFolder(html, page.files);
    const done = say("written", io.lang, { out: resolve(html), index: join(resolve(html), "index.html") });
    if (io.json) console.error(done);
    else console.log(done);
  }
  return report.exitCode;
}

// ---------------------------------------------------------------------------------------------------------------------
// Folders

interface Listed {
  /** the files to audit, as the user can find them: the folder as named, then the path inside it */
  readonly files: string[];
  /** sub-folders that could not be read */
  readonly problems: { path: string; detail: string }[];
  symlinks: number;
}

const AUDITED = /\.(pdf|txt)$/i;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function listFolder(root: string, out: Listed): Promise<void> {
  const pending = [root];
  const found: string[] = [];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      out.problems.push({ path: dir, detail: e instanceof Error && "code" in e ? String(e.code) : String(e) });
      continue;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isSymbolicLink()) out.symlinks++;
      else if (e.isDirectory()) pending.push(path);
      else if (e.isFile() && AUDITED.test(e.name)) found.push(path);
    }
  }
  out.files.push(...found.sort(byCodeUnits));
}

function emptyReport(file: string, unreadable: NonNullable<AuditReport["unreadable"]>): AuditReport {
  return {
    files: [file],
    reader: null,
    recognised: { department: null, year: null, kind: null, level: null, template: null, tables: [] },
    counts: { pages: 0, tables: { found: 0, read: 0, checked: 0 }, cells: { read: 0, checked: 0 }, sentences: { read: 0, checked: 0 }, claims: { read: 0, checked: 0 }, relations: { checked: 0, failed: 0 } },
    findings: [],
    notChecked: [],
    exitCode: 2,
    unreadable,
    notes: [],
  };
}

/** `items` through `fn`, at most `n` at a time, the results in the items' order. */
async function inPool<T, R>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return results;
}

/** A folder name safe in a URL and on every file system: letters, digits, CJK, `-`, `_`; at most 60 characters. */
function safeName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? "file";
  const clean = base.replace(/[^\p{L}\p{N}-]+/gu, "_").replace(/^_+/, "");
  return [...(clean === "" ? "file" : clean)].slice(0, 60).join("");
}

async function auditFolders(io: AuditIo, dirs: readonly string[], reader: ReaderChoice, html: string | undefined): Promise<number> {
  const listed: Listed = { files: [], problems: [], symlinks: 0 };
  for (const d of dirs) await listFolder(d, listed);
  // a file reached through two of the folders named is audited once
  const seen = new Set<string>();
  const files = listed.files.filter((f) => {
    const key = resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (files.length === 0 && listed.problems.length === 0) {
    const message = say("no_files", io.lang, { dirs: dirs.join(" ") });
    if (io.json) console.log("[]");
    console.error(message);
    return 2;
  }
  const progress = createProgress(say("progress", io.lang));
  const total = files.length;
  let done = 0;
  const budget = { left: MAX_IMAGES_PER_RUN };
  const width = String(total).length < 4 ? 4 : String(total).length;
  const outputs: OutputFile[] = [];
  const parallel = Math.max(1, Math.min(4, availableParallelism()));
  const rows: SummaryRow[] = await inPool(files, parallel, async (file, i) => {
    const texts = html === undefined ? null : new Map<string, DocumentText>();
    let report: AuditReport;
    try {
      report = await auditDocument([file], { lang: io.lang, reader }, readerPorts(texts));
    } catch (e) {
      // the auditor's own failure on this file: its row, and the next file
      report = emptyReport(file, { file, reason: "internal-error", detail: e instanceof Error ? e.message : String(e) });
    }
    let href: string | null = null;
    if (html !== undefined && report.exitCode !== 2) {
      const dir = `reports/${String(i + 1).padStart(width, "0")}-${safeName(file)}/`;
      try {
        const page = await reportPage(report, texts ?? new Map(), io.lang, dir, budget, "../../index.html");
        outputs.push(...page.files);
        href = `${dir}index.html`;
      } catch {
        // a page that could not be drawn leaves the row without its link; the summary still lists it
        href = null;
      }
    }
    progress.tick(++done, total);
    return { file, report, href };
  });
  progress.done();
  for (const p of listed.problems) rows.push({ file: p.path, report: emptyReport(p.path, { file: p.path, reason: "not-found", detail: say("folder_unreadable", "en", { detail: p.detail }) }), href: null });
  const code = folderExitCode(rows);
  if (io.json) console.log(JSON.stringify(rows.map((r) => r.report), null, 2));
  else {
    console.log(renderAuditSummaryText(rows, io.lang));
    if (listed.symlinks > 0) console.log(say("symlinks", io.lang, { n: listed.symlinks }));
  }
  if (code === 2) {
    console.error(say("nothing_read", io.lang));
    return 2;
  }
  if (html !== undefined) {
    outputs.push({ path: "index.html", content: renderAuditSummaryHtml(rows, { lang: io.lang, folders: dirs, csvHref: "summary.csv" }) });
    outputs.push({ path: "summary.csv", content: renderAuditSummaryCsv(rows, io.lang) });
    await replaceFolder(html, outputs);
    const message = say("written", io.lang, { out: resolve(html), index: join(resolve(html), "index.html") });
    if (io.json) console.error(message);
    else console.log(message);
  }
  return code;
}

// ---------------------------------------------------------------------------------------------------------------------
// A report page and the figures beside its findings

/** Width and height of a PNG (its IHDR), or nulls. */
function pngSize(bytes: Uint8Array): { width: number | null; height: number | null } {
  const sig = [0x89, 0x50, 0x4e, 0x47];
  if (bytes.length < 24 || !sig.every((b, i) => bytes[i] === b)) return { width: null, height: null };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** One page of a PDF as a small PNG, through pdftoppm; null when it cannot be made. */
function renderPageImage(file: string, page: number): Promise<Uint8Array | null> {
  return new Promise((done) => {
    const args = ["-f", String(page), "-l", String(page), "-png", "-scale-to", String(IMAGE_PIXELS), "-aa", "no", "-aaVector", "no", "-singlefile", resolve(file)];
    let child;
    try {
      child = spawn("pdftoppm", args, { stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      done(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => child.kill("SIGKILL"), PDFTOPPM_TIMEOUT_MS);
    child.stdout.on("data", (c: Buffer) => {
      size += c.length;
      if (size > PDFTOPPM_MAX_BYTES) child.kill("SIGKILL");
      else chunks.push(c);
    });
    child.on("error", () => {
      clearTimeout(timer);
      done(null);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      done(code === 0 && size <= PDFTOPPM_MAX_BYTES && pngSize(bytes).width !== null ? new Uint8Array(bytes) : null);
    });
  });
}

/**
 * The report page of one disclosure (`<dir>index.html`) and the figures beside its findings: for a PDF page, its image
 * (`<dir>page-003.png`, `<dir>f2-page-003.png` in the second file of a disclosure of several) while pdftoppm is there
 * and the caps allow, else the page's text; for a text source, the lines around the finding's line.
 */
export async function reportPage(
  report: AuditReport,
  texts: ReadonlyMap<string, DocumentText>,
  lang: Lang,
  dir: string,
  budget: { left: number },
  summaryHref: string | undefined,
): Promise<{ files: OutputFile[] }> {
  const files: OutputFile[] = [];
  const figures = new Map<string, PlaceFigure>();
  const groups = new Map<string, AuditFinding[]>();
  for (const f of inDocumentOrder(report.findings, report.files)) {
    const k = placeKey(f);
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const images = havePdftoppm();
  let made = 0;
  let capped: number | null = null;
  const lineCache = new Map<string, Map<number, string>>();
  for (const [key, list] of groups) {
    const first = list[0]!;
    const file = first.file ?? report.files[0];
    const doc = file === undefined ? undefined : texts.get(file);
    if (file === undefined || doc === undefined) continue;
    const quotes = list.map((f) => squeeze(f.quote));
    if (first.page !== null && doc.geometry === "pdf") {
      const page = doc.pages.find((p) => p.number === first.page);
      if (images && made < MAX_IMAGES_PER_REPORT && budget.left > 0) {
        const png = await renderPageImage(file, first.page);
        if (png) {
          const fileIndex = report.files.indexOf(file);
          const name = `${fileIndex > 0 ? `f${fileIndex + 1}-` : ""}page-${String(first.page).padStart(3, "0")}.png`;
          files.push({ path: `${dir}${name}`, content: png });
          figures.set(key, { kind: "image", src: name, page: first.page, ...pngSize(png) });
          made++;
          budget.left--;
          continue;
        }
      } else if (images) capped = budget.left > 0 ? MAX_IMAGES_PER_REPORT : MAX_IMAGES_PER_RUN;
      if (page) figures.set(key, pageTextFigure(page, quotes));
    } else if (first.line !== null && doc.geometry === "text") {
      let lines = lineCache.get(file);
      if (!lines) lineCache.set(file, (lines = textLines(doc.pages)));
      figures.set(key, lineTextFigure(lines, first.line));
    }
  }
  const html = renderAuditReportHtml({
    report,
    lang,
    figures,
    pageImages: images ? "pdftoppm" : "absent",
    imagesCapped: capped,
    ...(summaryHref === undefined ? {} : { summaryHref }),
  });
  files.push({ path: `${dir}index.html`, content: html });
  return { files };
}
