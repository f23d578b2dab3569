/**
 * Phase `audit`: `gongkai audit`'s throughput in pages per second over the real published PDFs of
 * test/reference/published/, against `pdftotext -bbox-layout` alone on the same files in the same run (issue 14's goal:
 * within 3× of pdftotext per page). The audit runs in this process as `gongkai audit` runs it (auditDocument with the
 * CLI's ports), once with each reader: poppler (the default when installed: pdftotext is part of its cost) and pdf.js
 * (the reader that works after `npm install` alone). Each file is timed ROUNDS times after one warm-up; the median
 * counts. The results also go to bench/results/audit.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { auditData } from "../src/adapters/audit/audit-data.ts";
import { readDocument, unreadableMessage } from "../src/adapters/audit/read-document.ts";
import { auditDocument } from "../src/app/audit/audit-document.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PUBLISHED = join(ROOT, "test/reference/published");
const ROUNDS = Number(process.env["BENCH_AUDIT_ROUNDS"] ?? 5);
export const AUDIT_RESULTS = join(ROOT, "bench/results/audit.json");

export interface AuditFileResult {
  file: string;
  pages: number;
  pdftotextSeconds: number;
  auditPopplerSeconds: number;
  auditPdfjsSeconds: number;
  findings: number;
}

export interface AuditBenchResult {
  rounds: number;
  files: AuditFileResult[];
  pages: number;
  pdftotextPagesPerSecond: number;
  auditPopplerPagesPerSecond: number;
  auditPdfjsPagesPerSecond: number;
  /** seconds per page of the audit ÷ seconds per page of pdftotext alone (goal ≤ 3) */
  popplerRatio: number;
  pdfjsRatio: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(f: () => unknown): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

export async function benchAudit(opts: { note: (line: string) => void }): Promise<AuditBenchResult> {
  const ports = { readDocument, unreadableMessage, data: auditData };
  const files = readdirSync(PUBLISHED)
    .filter((f) => f.endsWith(".pdf"))
    .sort();
  const out: AuditFileResult[] = [];
  for (const name of files) {
    const file = join(PUBLISHED, name);
    const info = spawnSync("pdfinfo", [file], { encoding: "utf8" });
    if (info.error) throw new Error("bench audit: pdfinfo (poppler-utils) is not installed");
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1]);
    const pdftotext = () => {
      const r = spawnSync("pdftotext", ["-bbox-layout", file, "-"], { maxBuffer: 256 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`pdftotext ${name}: exit ${r.status}`);
    };
    let findings = 0;
    const audit = (reader: "pdftotext" | "pdfjs") => async () => {
      const r = await auditDocument([file], { reader }, ports);
      if (r.exitCode === 2) throw new Error(`audit ${name} (${reader}): unreadable`);
      findings = r.findings.length;
    };
    const runs = { pdftotext: [] as number[], poppler: [] as number[], pdfjs: [] as number[] };
    for (let i = 0; i <= ROUNDS; i++) {
      const a = await timed(pdftotext);
      const b = await timed(audit("pdftotext"));
      const c = await timed(audit("pdfjs"));
      if (i === 0) continue; // warm-up: module loading, the pdf.js worker's first start
      runs.pdftotext.push(a);
      runs.poppler.push(b);
      runs.pdfjs.push(c);
    }
    const r: AuditFileResult = { file: name, pages, pdftotextSeconds: median(runs.pdftotext), auditPopplerSeconds: median(runs.poppler), auditPdfjsSeconds: median(runs.pdfjs), findings };
    opts.note(`bench: audit ${name}: ${pages} pages, pdftotext ${(r.pdftotextSeconds * 1000).toFixed(0)} ms, audit (poppler) ${(r.auditPopplerSeconds * 1000).toFixed(0)} ms, audit (pdf.js) ${(r.auditPdfjsSeconds * 1000).toFixed(0)} ms`);
    out.push(r);
  }
  const pages = out.reduce((n, r) => n + r.pages, 0);
  const sum = (k: "pdftotextSeconds" | "auditPopplerSeconds" | "auditPdfjsSeconds") => out.reduce((s, r) => s + r[k], 0);
  const result: AuditBenchResult = {
    rounds: ROUNDS,
    files: out,
    pages,
    pdftotextPagesPerSecond: pages / sum("pdftotextSeconds"),
    auditPopplerPagesPerSecond: pages / sum("auditPopplerSeconds"),
    auditPdfjsPagesPerSecond: pages / sum("auditPdfjsSeconds"),
    popplerRatio: sum("auditPopplerSeconds") / sum("pdftotextSeconds"),
    pdfjsRatio: sum("auditPdfjsSeconds") / sum("pdftotextSeconds"),
  };
  mkdirSync(dirname(AUDIT_RESULTS), { recursive: true });
  writeFileSync(AUDIT_RESULTS, JSON.stringify({ measuredAt: new Date().toISOString(), ...result }, null, 2) + "\n");
  return result;
}
