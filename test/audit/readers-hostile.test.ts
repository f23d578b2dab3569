/**
 * Hostile files given to the auditor's reader (issue 14, "Done means": truncated, encrypted, an image-only scan, a zip
 * renamed .pdf…): each gives a clear `ReadResult` reason — never a throw or a stack trace — in under 30 s and under
 * 1 GiB. The files are made here; all of them are read by `readDocument` in one child process, which reports each
 * case's time and its peak resident memory so far (`process.resourceUsage().maxRSS`, pdf.js's worker thread
 * included; pdfinfo/pdftotext run in processes of their own under `ulimit -v`, see readers-big.test.ts).
 *
 * A cut that keeps 50 % of a published PDF loses its cross-reference stream and the page tree: neither reader can
 * recover a page → "truncated". A cut at 90 % of 02 keeps every page object: pdf.js rebuilds the xref and reads all
 * 26 pages (ok, with a note that the file lacks %%EOF), poppler cannot → "truncated"; `auto` falls back to pdf.js.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { crc32, deflateSync } from "node:zlib";
import ExcelJS from "exceljs";
import { pdfBytes } from "./pdf-fixture.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { havePdftotext } from "../../src/adapters/audit/pdf-text.ts";

const HAVE_POPPLER = havePdftotext();
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI)
  console.warn("readers-hostile.test.ts: the pdftotext cases are skipped — pdftotext (poppler-utils) is not installed; they are mandatory under CI=true");

const require = createRequire(import.meta.url);
const SERIF = require.resolve("@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf");
const PUBLISHED = join(import.meta.dirname, "../reference/published");
const READ_DOCUMENT = pathToFileURL(join(import.meta.dirname, "../../src/adapters/audit/read-document.ts")).href;
const ROOT = join(import.meta.dirname, "../..");
const GIB_KB = 1024 * 1024;


function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A grey 8-bit PNG of w × h pixels (a pattern, so that it is not one flat colour). */
function png(w: number, h: number): Buffer {
  const chunk = pngChunk;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (grey), no interlace
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = (x * 7 + y * 3) & 0xff;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Deterministic bytes (an LCG), so that a failure can be reproduced. */
function noise(n: number): Buffer {
  const b = Buffer.alloc(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

interface CaseResult {
  readonly name: string;
  readonly ms: number;
  readonly rssKb: number;
  readonly ok: boolean;
  readonly reason: string | null;
  readonly detail: string;
  readonly pages: number;
  readonly threw?: string;
}

/** Reads every case with `readDocument` in one child process: time and peak memory per case. */
function runCases(cases: readonly { name: string; path: string; opts: object }[]): Map<string, CaseResult> {
  const code = `
    const { readDocument } = await import(process.argv[1]);
    for (const c of JSON.parse(process.argv[2])) {
      const t = performance.now();
      let line;
      try {
        const r = await readDocument(c.path, c.opts);
        line = { name: c.name, ok: r.ok, reason: r.ok ? null : r.reason, detail: r.ok ? r.notes.join(" | ") : r.detail, pages: r.ok ? r.text.pages.length : 0 };
      } catch (e) {
        line = { name: c.name, ok: false, reason: null, detail: "", pages: 0, threw: String(e && e.stack || e) };
      }
      console.log(JSON.stringify({ ...line, ms: performance.now() - t, rssKb: process.resourceUsage().maxRSS }));
    }`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, READ_DOCUMENT, JSON.stringify(cases)], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`the reading process failed (${run.status}): ${run.stderr}`);
  const out = new Map<string, CaseResult>();
  for (const l of run.stdout.split("\n")) if (l.startsWith("{")) out.set((JSON.parse(l) as CaseResult).name, JSON.parse(l) as CaseResult);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "gongkai-hostile-"));
const f = (name: string) => join(dir, name);
type Reader = "pdfjs" | "pdftotext" | "auto";
const READERS: readonly Reader[] = HAVE_POPPLER || CI ? ["pdfjs", "pdftotext", "auto"] : ["pdfjs", "auto"];

/** case → what it must give, per reader ("ok" or an UnreadableReason), and a word the detail or notes must contain */
const EXPECT: Record<
  string,
  {
    path: () => string;
    want: Partial<Record<Reader, string>> & { all?: string };
    says?: string;
    pages?: number;
  }
> = {
  missing: {
    path: () => f("missing.pdf"),
    want: { all: "not-found" },
    says: "does not exist",
  },
  directory: {
    path: () => f("folder.pdf"),
    want: { all: "not-found" },
    says: "not a regular file",
  },
  "zip renamed .pdf": {
    path: () => f("tables.pdf"),
    want: { all: "not-pdf" },
    says: "zip",
  },
  "random bytes": { path: () => f("random.pdf"), want: { all: "not-pdf" } },
  "an HTML page": {
    path: () => f("page.pdf"),
    want: { all: "not-pdf" },
    says: "HTML",
  },
  "cut in half": {
    path: () => f("half.pdf"),
    want: { all: "truncated" },
    says: "%%EOF",
  },
  "cut at 90 %": {
    path: () => f("cut90.pdf"),
    want: { pdfjs: "ok", pdftotext: "truncated", auto: "ok" },
    pages: 26,
  },
  "user password": {
    path: () => f("encrypted.pdf"),
    want: { all: "encrypted" },
    says: "password",
  },
  "owner password only": {
    path: () => f("owner.pdf"),
    want: { all: "ok" },
    pages: 1,
  },
  "image-only scan": {
    path: () => f("scan.pdf"),
    want: { all: "no-text" },
    says: "scan",
  },
};

let results = new Map<string, CaseResult>();
const text = (d: PDFKit.PDFDocument) => d.font(SERIF).fontSize(14).text("2025年部门预算 一般公共预算支出 1,234.56", 72, 100);

beforeAll(async () => {
  mkdirSync(f("folder.pdf"));
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("表1").addRow(["项目", "金额"]);
  writeFileSync(f("tables.pdf"), Buffer.from(await wb.xlsx.writeBuffer()));
  writeFileSync(f("random.pdf"), noise(64 * 1024));
  writeFileSync(f("page.pdf"), "<!DOCTYPE html>\n<html><head><title>部门预算</title></head><body><p>2024年部门预算</p></body></html>\n");
  const b11 = readFileSync(join(PUBLISHED, "11-putuo-caizhengju-2025-bumen-yusuan.pdf"));
  writeFileSync(f("half.pdf"), b11.subarray(0, Math.floor(b11.length / 2)));
  const b02 = readFileSync(join(PUBLISHED, "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf"));
  writeFileSync(f("cut90.pdf"), b02.subarray(0, Math.floor(b02.length * 0.9)));
  writeFileSync(
    f("encrypted.pdf"),
    await pdfBytes(text, {
      userPassword: "secret",
      ownerPassword: "owner",
      pdfVersion: "1.7",
    }),
  );
  writeFileSync(
    f("owner.pdf"),
    await pdfBytes(text, {
      ownerPassword: "owner",
      permissions: { copying: false, modifying: false },
      pdfVersion: "1.7",
    }),
  );
  writeFileSync(f("scan.pdf"), await pdfBytes((d) => d.image(png(600, 800), 40, 40, { width: 515 })));
  const cases = Object.entries(EXPECT).flatMap(([name, c]) =>
    READERS.map((reader) => ({
      name: `${name} / ${reader}`,
      path: c.path(),
      opts: { reader },
    })),
  );
  results = runCases(cases);
  const all = [...results.values()];
  console.info(
    `readers-hostile.test.ts: ${all.length} cases, the slowest ${Math.max(...all.map((r) => r.ms)).toFixed(0)} ms, peak RSS ${(Math.max(...all.map((r) => r.rssKb)) / 1024).toFixed(0)} MiB`,
  );
}, 120_000);

describe.each(READERS)("hostile files read with %s", (reader) => {
  it.each(Object.keys(EXPECT))("%s", (name) => {
    const c = EXPECT[name]!;
    const r = results.get(`${name} / ${reader}`);
    expect(r, "the case was read").toBeDefined();
    expect(r!.threw, "no exception").toBeUndefined();
    const want = c.want[reader] ?? c.want.all!;
    expect(r!.ok ? "ok" : r!.reason, r!.detail).toBe(want);
    if (!r!.ok && c.says) expect(r!.detail).toContain(c.says);
    if (r!.ok && c.pages !== undefined) expect(r!.pages).toBe(c.pages);
    expect(r!.ms, "under 30 s").toBeLessThan(30_000);
    expect(r!.rssKb, "under 1 GiB").toBeLessThan(GIB_KB);
  });
});

describe("what a truncated file that pdf.js can still read says", () => {
  it("that it may be truncated; in auto, that pdftotext could not read it", () => {
    expect(results.get("cut at 90 % / pdfjs")!.detail).toContain("does not end with %%EOF");
    if (HAVE_POPPLER) expect(results.get("cut at 90 % / auto")!.detail).toContain("pdftotext could not read the whole file");
  });
});
