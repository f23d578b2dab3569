/**
 * A 1,000-page PDF given to the auditor's reader (issue 14, "Done means"): within the default limits (50 MB, 2,000
 * pages, 60 s) it is read whole, by pdf.js and by pdftotext, in under 30 s and under 1 GiB; with a lower page limit it
 * is refused as "too-large" before its pages are read; past a time limit → "timeout"; past the memory limit of pdf.js's
 * worker thread or of poppler's processes (`ulimit -v`) → "too-large", never a crash. All cases run by `readDocument`
 * in one child process, which reports each case's time and its peak resident memory so far.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import PDFDocument from "pdfkit";
import { beforeAll, describe, expect, it } from "vitest";
import { havePdftotext } from "../../src/adapters/audit/pdf-text.ts";

const HAVE_POPPLER = havePdftotext();
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI)
  console.warn("readers-big.test.ts: the pdftotext cases are skipped — pdftotext (poppler-utils) is not installed; they are mandatory under CI=true");

const require = createRequire(import.meta.url);
const SERIF = require.resolve("@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf");
const READ_DOCUMENT = pathToFileURL(join(import.meta.dirname, "../../src/adapters/audit/read-document.ts")).href;
const ROOT = join(import.meta.dirname, "../..");
const GIB_KB = 1024 * 1024;
const PAGES = 1000;
const LINES = 12;

interface CaseResult {
  readonly name: string;
  readonly ms: number;
  readonly rssKb: number;
  readonly ok: boolean;
  readonly reason: string | null;
  readonly detail: string;
  readonly pages: number;
  readonly words: number;
  readonly last: string;
  readonly threw?: string;
}

const dir = mkdtempSync(join(tmpdir(), "gongkai-big-"));
const BIG = join(dir, "thousand.pdf");
type Reader = "pdfjs" | "pdftotext";
const READERS: readonly Reader[] = HAVE_POPPLER || CI ? ["pdfjs", "pdftotext"] : ["pdfjs"];

/** the line printed on page p, line l */
const lineText = (p: number, l: number) => `第${p}页 第${l}行 一般公共预算财政拨款支出 ${(p * 1000 + l).toLocaleString("en")}.00`;

const CASES: Record<
  string,
  {
    opts: (r: Reader) => object;
    want: string;
    says?: string;
    readers?: readonly Reader[];
  }
> = {
  "default limits": { opts: () => ({}), want: "ok" },
  "a page limit of 500": {
    opts: () => ({ limits: { maxPages: 500 } }),
    want: "too-large",
    says: "1000 pages, more than the limit of 500",
  },
  "a size limit of 100 kB": {
    opts: () => ({ limits: { maxBytes: 100_000 } }),
    want: "too-large",
    says: "more than the limit of 100000",
  },
  "a time limit of 150 ms": {
    opts: () => ({ limits: { timeoutMs: 150 } }),
    want: "timeout",
  },
  "a memory limit too low": {
    opts: (r) => ({
      limits: r === "pdfjs" ? { workerHeapMb: 16 } : { popplerMemoryMb: 8 },
    }),
    want: "too-large",
    says: "MiB of memory",
  },
};

let results = new Map<string, CaseResult>();

beforeAll(async () => {
  await new Promise<void>((done, failed) => {
    const d = new PDFDocument({ size: "A4", autoFirstPage: false });
    const chunks: Buffer[] = [];
    d.on("data", (c: Buffer) => chunks.push(c));
    d.on("end", () => {
      writeFileSync(BIG, Buffer.concat(chunks));
      done();
    });
    d.on("error", failed);
    d.registerFont("song", SERIF);
    for (let p = 1; p <= PAGES; p++) {
      d.addPage().font("song").fontSize(11);
      for (let l = 1; l <= LINES; l++) d.text(lineText(p, l), 60, 40 + l * 24, { lineBreak: false });
    }
    d.end();
  });
  const cases = Object.entries(CASES).flatMap(([name, c]) =>
    READERS.map((reader) => ({
      name: `${name} / ${reader}`,
      path: BIG,
      opts: { reader, ...c.opts(reader) },
    })),
  );
  const code = `
    const { readDocument } = await import(process.argv[1]);
    for (const c of JSON.parse(process.argv[2])) {
      const t = performance.now();
      let line;
      try {
        const r = await readDocument(c.path, c.opts);
        const pages = r.ok ? r.text.pages : [];
        const lastPage = pages[pages.length - 1];
        line = { name: c.name, ok: r.ok, reason: r.ok ? null : r.reason, detail: r.ok ? r.notes.join(" | ") : r.detail, pages: pages.length,
          words: pages.reduce((s, p) => s + p.words.length, 0), last: lastPage ? lastPage.words.map((w) => w.text).join(" ") : "" };
      } catch (e) {
        line = { name: c.name, ok: false, reason: null, detail: "", pages: 0, words: 0, last: "", threw: String(e && e.stack || e) };
      }
      console.log(JSON.stringify({ ...line, ms: performance.now() - t, rssKb: process.resourceUsage().maxRSS }));
    }`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, READ_DOCUMENT, JSON.stringify(cases)], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 170_000,
  });
  if (run.status !== 0) throw new Error(`the reading process failed (${run.status}): ${run.stderr}`);
  for (const l of run.stdout.split("\n")) if (l.startsWith("{")) results.set((JSON.parse(l) as CaseResult).name, JSON.parse(l) as CaseResult);
  for (const r of results.values())
    console.info(`readers-big.test.ts: ${r.name}: ${r.ok ? "ok" : r.reason} in ${r.ms.toFixed(0)} ms, peak RSS ${(r.rssKb / 1024).toFixed(0)} MiB`);
}, 180_000);

describe.each(READERS)("a 1,000-page PDF read with %s", (reader) => {
  it.each(Object.keys(CASES))("%s", (name) => {
    const c = CASES[name]!;
    const r = results.get(`${name} / ${reader}`);
    expect(r, "the case was read").toBeDefined();
    expect(r!.threw, "no exception").toBeUndefined();
    expect(r!.ok ? "ok" : r!.reason, r!.detail).toBe(c.want);
    if (c.says) expect(r!.detail).toContain(c.says);
    if (r!.ok) {
      expect(r!.pages).toBe(PAGES);
      // 每行: 第p页 / 第l行 / 一般公共预算财政拨款支出 / amount — four words
      expect(r!.words).toBe(PAGES * LINES * 4);
      expect(r!.last.startsWith(`${lineText(PAGES, 1)} ${lineText(PAGES, 2)}`)).toBe(true);
    }
    expect(r!.ms, "under 30 s").toBeLessThan(30_000);
    expect(r!.rssKb, "under 1 GiB").toBeLessThan(GIB_KB);
  });
});
