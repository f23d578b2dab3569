/**
 * `npm run bench`: the province benchmark. See bench/README.md for what is measured and how.
 *
 * Env: BENCH_DEPARTMENTS=N (default 10000), BENCH_E2E_DEPARTMENTS=M (files read end to end; default N), BENCH_AUDIT_ROUNDS (phase audit: bench/audit-phase.ts),
 * BENCH_PHASES=engine,sqlite,e2e,page,pdf,xlsx,limits,audit (default all), BENCH_PAGE_DEPARTMENTS=K (synthetic pages rendered; default 1000),
 * BENCH_PDF_DEPARTMENTS=P (synthetic PDFs rendered; default 100), BENCH_PIN=0 to skip pinning the process to one CPU, BENCH_SEED to
 * change the province, BENCH_OUT for the results file (default: bench/results/latest.json for a full run,
 * bench/.data/results-partial.json otherwise).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { buildDisclosure, type BuildResult } from "../src/app/build-disclosure.ts";
import { chartSpecs } from "../src/adapters/render/chart-specs.ts";
import { renderBuild } from "../src/adapters/render/build-outputs.ts";
import { renderChartSvg } from "../src/adapters/render/chart-svg.ts";
import { disclosureToJson } from "../src/adapters/render/disclosure-json.ts";
import { disclosureDocx } from "../src/adapters/render/docx-disclosure.ts";
import { renderDisclosurePage } from "../src/adapters/render/html-page.ts";
import { renderDisclosurePdf } from "../src/adapters/render/pdf-document.ts";
import type { Budget } from "../src/domain/budget-schema.ts";
import { assembleDisclosure } from "../src/domain/disclosure-model.ts";
import { benchWorkbookImport, type WorkbookBenchResult } from "./workbook-import.ts";
import { benchLimits, type LimitsBenchResult } from "./limits-phase.ts";
import { benchAudit, type AuditBenchResult } from "./audit-phase.ts";
import { MAX_LINES } from "../src/domain/budget-schema.ts";
import { DEFAULT_SEED, ensureProvinceFiles, generateDepartment, GENERATOR_VERSION, provinceChunks, provinceFile } from "./province-generator.ts";

// ---------------------------------------------------------------------------------------------------------------
// One core: re-run pinned to a single CPU (taskset), so that no figure borrows a second core.

const PIN_CPU = "0";
if (process.platform === "linux" && process.env["BENCH_PIN"] !== "0" && process.env["BENCH_PINNED"] === undefined && existsSync("/usr/bin/taskset")) {
  const r = spawnSync("/usr/bin/taskset", ["-c", PIN_CPU, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_PINNED: PIN_CPU },
  });
  process.exit(r.status ?? 1);
}

const N = Number(process.env["BENCH_DEPARTMENTS"] ?? 10_000);
if (!Number.isInteger(N) || N < 1) throw new Error(`BENCH_DEPARTMENTS must be a positive integer, got ${process.env["BENCH_DEPARTMENTS"]}`);
const SEED = Number(process.env["BENCH_SEED"] ?? DEFAULT_SEED);
const E2E_N = Math.min(N, Number(process.env["BENCH_E2E_DEPARTMENTS"] ?? N));
if (!Number.isInteger(E2E_N) || E2E_N < 1) throw new Error("BENCH_E2E_DEPARTMENTS must be a positive integer");
const PHASES = new Set((process.env["BENCH_PHASES"] ?? "engine,sqlite,e2e,page,pdf,xlsx,limits,audit").split(",").map((s) => s.trim()));
const PAGE_N = Number(process.env["BENCH_PAGE_DEPARTMENTS"] ?? 1000);
if (!Number.isInteger(PAGE_N) || PAGE_N < 1) throw new Error("BENCH_PAGE_DEPARTMENTS must be a positive integer");
const PDF_N = Number(process.env["BENCH_PDF_DEPARTMENTS"] ?? 100);
if (!Number.isInteger(PDF_N) || PDF_N < 1) throw new Error("BENCH_PDF_DEPARTMENTS must be a positive integer");
const CHUNK = 250;
const WARMUP = Math.min(200, N);
const SAMPLE_CHECK = Math.min(20, N);
// Only a full run replaces the committed figures; smaller runs write next to the generated data.
const FULL =
  N === 10_000 &&
  E2E_N === N &&
  ["engine", "sqlite", "e2e", "page", "pdf"].every((p) => PHASES.has(p)) &&
  PAGE_N === 1000 &&
  PDF_N === 100 &&
  process.env["BENCH_SEED"] === undefined;
const OUT = process.env["BENCH_OUT"] ?? fileURLToPath(new URL(FULL ? "./results/latest.json" : "./.data/results-partial.json", import.meta.url));

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const now = () => performance.now();
const T0 = now();
const MB = 1024 * 1024;
let peakRss = 0;
const sampleRss = () => {
  const r = process.memoryUsage().rss;
  if (r > peakRss) peakRss = r;
  return r;
};
const progress = (label: string, done: number, total: number) => {
  if (process.stderr.isTTY) process.stderr.write(`\r  ${label} ${done}/${total}   `);
  else if (done === total || done % Math.max(1, Math.round(total / 10)) === 0) process.stderr.write(`  ${label} ${done}/${total}\n`);
  if (done === total && process.stderr.isTTY) process.stderr.write("\n");
};
const note = (s: string) => process.stderr.write(`${s}\n`);
const rate = (n: number, seconds: number) => (seconds > 0 ? n / seconds : 0);
const fmtInt = (x: number) => Math.round(x).toLocaleString("en-US");
const fmtS = (s: number) => `${s.toFixed(2)} s`;

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------------------------
// Setup: the template, catalog and rules every department uses

const ct = projectData.template("xinjiang-2024") ?? fail("template xinjiang-2024 not found");
const catalog = projectData.catalog(ct.data.catalog_year) ?? fail(`no catalog for ${ct.data.catalog_year}`);
if (!projectData.rules(ct.data.id)) note("bench: warning: the template has no rules; tables+rules equals tables-only");

const cpu = os.cpus()[0]?.model ?? "unknown";
const machine = {
  node: process.version,
  v8: process.versions.v8,
  cpu,
  logicalCpus: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  pinnedCpu: process.env["BENCH_PINNED"] ?? null,
  threads: "one JavaScript thread; no worker threads; SQLite synchronous in the same thread",
};
note(`bench: ${N} departments, seed ${SEED}, generator v${GENERATOR_VERSION}; node ${machine.node}; ${cpu}; ${machine.pinnedCpu === null ? "not pinned" : `pinned to CPU ${machine.pinnedCpu}`}`);

interface Timing {
  seconds: number;
  itemsPerSecond: number;
  departmentsPerSecond: number;
}
const timing = (seconds: number, items: number, departments: number): Timing => ({
  seconds,
  itemsPerSecond: rate(items, seconds),
  departmentsPerSecond: rate(departments, seconds),
});

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine,
  config: { departments: N, seed: SEED, generatorVersion: GENERATOR_VERSION, chunk: CHUNK, warmupDepartments: WARMUP },
};

// ---------------------------------------------------------------------------------------------------------------
// YAML files (setup; reused when present) and the schema check of a sample

let e2eReady = false;
if (PHASES.has("e2e") || PHASES.has("check")) {
  note("setup: province YAML files in bench/.data/province …");
  const ens = ensureProvinceFiles({ departments: N, seed: SEED }, (d) => progress("writing YAML", d, N));
  note(ens.generated ? `setup: wrote ${N} files (${(ens.bytes / MB).toFixed(0)} MB) in ${fmtS(ens.seconds)}` : "setup: reusing existing YAML files");
  results["yamlFiles"] = { generated: ens.generated, writeSeconds: ens.seconds, megabytes: ens.bytes / MB };
  // The in-memory model and the files must be the same budgets: read a sample back through the real reader.
  const sample = [...Array.from({ length: SAMPLE_CHECK }, (_, i) => i), N - 1, Math.floor(N / 2)];
  for (const i of sample) {
    const r = await readBudgetFile(provinceFile(i));
    if (!r.ok) fail(`${provinceFile(i)} is not a valid budget:\n${r.problems.slice(0, 10).map((p) => JSON.stringify(p)).join("\n")}`);
    if (!isDeepStrictEqual(r.budget, generateDepartment(i, { seed: SEED }))) fail(`${provinceFile(i)}: readBudgetFile gives a budget different from the generator's`);
  }
  note(`check: ${sample.length} sample files pass readBudgetFile and equal the in-memory budgets`);
  e2eReady = true;
}

// ---------------------------------------------------------------------------------------------------------------
// Engine (and the SQLite inserts of the same items), chunk by chunk

const db = PHASES.has("sqlite") ? new Database(":memory:") : null;
db?.exec(`CREATE TABLE item (
  dept INTEGER NOT NULL, unit TEXT NOT NULL, unit_type TEXT NOT NULL, func TEXT NOT NULL, econ TEXT NOT NULL,
  fund TEXT NOT NULL, kind TEXT NOT NULL, project TEXT, amount INTEGER NOT NULL)`);
const insert = db?.prepare("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
const insertChunk = db?.transaction((chunk: readonly Budget[], base: number) => {
  chunk.forEach((b, k) => {
    const dept = base + k;
    const typeOf = new Map(b.units.map((u) => [u.code, u.type]));
    for (const l of b.lines) insert!.run(dept, l.unit, typeOf.get(l.unit) ?? "", l.func, l.econ, l.fund, l.kind, l.project ?? null, l.amount);
    for (const c of b.carryover) insert!.run(dept, c.unit, typeOf.get(c.unit) ?? "", c.func, c.econ, `co.${c.fund}`, c.kind, null, c.amount);
  });
});

let lines = 0;
let carryover = 0;
let engineTotal = 0n; // sum of every department's 表3 总计 (exact), cross-checked against SQLite
let sink = 0;
const findingCounts = new Map<string, number>();
let tTables = 0;
let tFull = 0;
let tInsert = 0;
let tGenerate = 0;
let rssAfterEngine = 0;

if (PHASES.has("engine") || PHASES.has("sqlite")) {
  note(`engine: warm-up on ${WARMUP} departments, then ${N} timed (chunks of ${CHUNK}) …`);
  let base = 0;
  let g0 = now();
  for (const chunk of provinceChunks({ departments: N, seed: SEED }, CHUNK)) {
    tGenerate += now() - g0;
    if (base === 0 && PHASES.has("engine")) {
      for (const b of chunk.slice(0, WARMUP)) {
        sink += assembleDisclosure(ct, b, catalog).tables.length;
        const r = buildDisclosure(projectData, b);
        if (!r.ok) fail(`department ${b.department.code} refused: ${r.refusal.code}`);
      }
    }
    for (const b of chunk) {
      lines += b.lines.length;
      carryover += b.carryover.length;
    }
    if (PHASES.has("engine")) {
      // tables only
      let t = now();
      for (const b of chunk) sink += assembleDisclosure(ct, b, catalog).tables.length;
      tTables += now() - t;
      // tables + rules (the use case)
      t = now();
      for (const b of chunk) {
        const r = buildDisclosure(projectData, b);
        if (!r.ok) fail(`department ${b.department.code} refused: ${r.refusal.code}`);
        for (const f of r.result.findings) findingCounts.set(f.code, (findingCounts.get(f.code) ?? 0) + 1);
        const t03 = r.result.disclosure.tables.find((x) => x.id === "t03");
        engineTotal += t03?.rows.find((x) => x.key === "total")?.cells[0] ?? 0n;
      }
      tFull += now() - t;
    }
    if (insertChunk) {
      const t = now();
      insertChunk(chunk, base);
      tInsert += now() - t;
    }
    base += chunk.length;
    sampleRss();
    progress("departments", base, N);
    g0 = now();
  }
  rssAfterEngine = sampleRss();
}

if (PHASES.has("engine")) {
  const tablesOnly = timing(tTables / 1000, lines, N);
  const full = timing(tFull / 1000, lines, N);
  results["engine"] = {
    lines,
    carryoverItems: carryover,
    tablesOnly,
    tablesAndRules: full,
    rulesShare: full.seconds > 0 ? 1 - tablesOnly.seconds / full.seconds : 0,
    targetItemsPerSecond: 5_000_000,
    meetsTarget: full.itemsPerSecond >= 5_000_000,
    findings: Object.fromEntries([...findingCounts].toSorted((a, b) => b[1] - a[1])),
  };
}
results["generator"] = { seconds: tGenerate / 1000, departmentsPerSecond: rate(N, tGenerate / 1000) };

// ---------------------------------------------------------------------------------------------------------------
// SQLite baseline: the same items, GROUP BY the equivalent aggregates

if (db) {
  const KIND3 = "CASE WHEN kind = 'project' THEN 'project' WHEN substr(econ, 1, 3) IN ('301', '303') THEN 'personnel' ELSE 'operating' END";
  const GPB = "fund IN ('gpb.own', 'gpb.transfer')";
  const queries: { name: string; what: string; sql: string }[] = [
    {
      name: "dept×func项×fund×kind",
      what: "leaves of 表2/3/5/8/9 (function tree × fund columns × basic/personnel/operating/project)",
      sql: `SELECT dept, func, fund, ${KIND3} AS k, SUM(amount) FROM item GROUP BY dept, func, fund, k`,
    },
    {
      name: "dept×econ款 (basic gpb)",
      what: "leaves of 表6 (economic tree of general-budget basic expenditure)",
      sql: `SELECT dept, econ, ${KIND3} AS k, SUM(amount) FROM item WHERE kind = 'basic' AND ${GPB} GROUP BY dept, econ, k`,
    },
    {
      name: "dept×class类×fund",
      what: "表1 and 表4 class lists and income rows",
      sql: "SELECT dept, substr(func, 1, 3) AS cls, fund, SUM(amount) FROM item GROUP BY dept, cls, fund",
    },
    {
      name: "dept×unit×func×project×econ类 (gpb project)",
      what: "表7 (unit blocks, function items split by project, economic class columns)",
      sql: `SELECT dept, unit, func, project, substr(econ, 1, 3) AS ec, SUM(amount) FROM item WHERE kind = 'project' AND ${GPB} GROUP BY dept, unit, func, project, ec`,
    },
    {
      name: "dept×三公 econ×fund",
      what: "表10 and the 三公 figures",
      sql: "SELECT dept, econ, fund, SUM(amount) FROM item WHERE econ IN ('30212', '30217', '30231', '31013', '30913') GROUP BY dept, econ, fund",
    },
    {
      name: "dept×fund×kind×unit type",
      what: "narrative figures (income, expenditure, 机关运行经费)",
      sql: `SELECT dept, fund, ${KIND3} AS k, unit_type, SUM(amount) FROM item GROUP BY dept, fund, k, unit_type`,
    },
  ];
  note("sqlite: GROUP BY queries …");
  const items = lines + carryover;
  const qres: { name: string; what: string; seconds: number; groups: number }[] = [];
  let tGroup = 0;
  let qsink = 0;
  for (const q of queries) {
    const stmt = db.prepare(q.sql).raw(true);
    const t = now();
    let groups = 0;
    for (const row of stmt.iterate()) {
      groups++;
      qsink += (row as unknown[]).length;
    }
    const s = (now() - t) / 1000;
    tGroup += s;
    qres.push({ name: q.name, what: q.what, seconds: s, groups });
    note(`  ${q.name}: ${fmtS(s)}, ${fmtInt(groups)} groups`);
  }
  sink += qsink;
  const total = db.prepare("SELECT SUM(amount) FROM item").safeIntegers(true).pluck().get() as bigint;
  const crossCheck = PHASES.has("engine") ? { engineTotalFen: String(engineTotal), sqliteTotalFen: String(total), equal: engineTotal === total } : null;
  if (crossCheck && !crossCheck.equal) note(`sqlite: WARNING cross-check failed: engine 表3 totals ${engineTotal} ≠ SQLite SUM ${total}`);
  const rows = (db.prepare("SELECT COUNT(*) FROM item").pluck().get() as number) ?? 0;
  const groupBy = { seconds: tGroup, itemsPerSecond: rate(lines, tGroup), scansPerSecond: rate(items * queries.length, tGroup), queries: qres };
  const engine = results["engine"] as { tablesOnly: Timing; tablesAndRules: Timing } | undefined;
  results["sqlite"] = {
    version: (db.prepare("SELECT sqlite_version()").pluck().get() as string) ?? "",
    rows,
    insert: timing(tInsert / 1000, lines, N),
    groupBy,
    rssAfterInsertMiB: rssAfterEngine / MB,
    ratio: engine
      ? {
          tablesOnlyVsGroupBy: engine.tablesOnly.itemsPerSecond / groupBy.itemsPerSecond,
          tablesAndRulesVsGroupBy: engine.tablesAndRules.itemsPerSecond / groupBy.itemsPerSecond,
        }
      : null,
    crossCheck,
  };
  db.close();
}

// ---------------------------------------------------------------------------------------------------------------
// End to end from the YAML files: read + validate + build + rules

if (PHASES.has("e2e") && e2eReady) {
  note(`e2e: reading and building ${E2E_N} files …`);
  let tRead = 0;
  let tBuild = 0;
  let e2eLines = 0;
  let bad = 0;
  const t0 = now();
  for (let i = 0; i < E2E_N; i++) {
    let t = now();
    const r = await readBudgetFile(provinceFile(i));
    tRead += now() - t;
    if (!r.ok) {
      bad++;
      continue;
    }
    e2eLines += r.budget.lines.length;
    t = now();
    const b = buildDisclosure(projectData, r.budget);
    tBuild += now() - t;
    if (!b.ok) bad++;
    if ((i + 1) % 250 === 0 || i === E2E_N - 1) {
      sampleRss();
      progress("files", i + 1, E2E_N);
    }
  }
  const wall = (now() - t0) / 1000;
  if (bad) note(`e2e: WARNING ${bad} files failed to read or build`);
  results["e2e"] = {
    files: E2E_N,
    lines: e2eLines,
    failed: bad,
    total: { seconds: wall, filesPerSecond: rate(E2E_N, wall), itemsPerSecond: rate(e2eLines, wall) },
    readAndValidate: { seconds: tRead / 1000, filesPerSecond: rate(E2E_N, tRead / 1000), itemsPerSecond: rate(e2eLines, tRead / 1000) },
    buildAndRules: { seconds: tBuild / 1000, filesPerSecond: rate(E2E_N, tBuild / 1000), itemsPerSecond: rate(e2eLines, tBuild / 1000) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The disclosure page (index.html): the reference example's page, then pages per second over synthetic departments.
// Baseline in the same run: disclosure.json of the same disclosure (disclosureToJson + JSON.stringify), the other
// whole-document output. Budgets are built (disclosure, narrative, findings) before timing; only rendering is timed.

const jsonOf = (r: BuildResult) => JSON.stringify(disclosureToJson(r.disclosure, r.findings), null, 2);
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

if (PHASES.has("page")) {
  const renderOf = (r: BuildResult) => {
    if (!r.narrative) fail(`no narrative for ${r.disclosure.department.code}`);
    return renderDisclosurePage({ disclosure: r.disclosure, narrative: r.narrative, findings: r.findings, template: r.template });
  };

  const ex = await readBudgetFile(fileURLToPath(new URL("../examples/changji-xinfang-2024/budget.yaml", import.meta.url)));
  if (!ex.ok) fail("the reference example does not read");
  const exBuilt = buildDisclosure(projectData, ex.budget);
  if (!exBuilt.ok) fail("the reference example does not build");
  const REPS = 30;
  const pageMs: number[] = [];
  const jsonMs: number[] = [];
  const chartMs: number[] = [];
  let pageBytes = 0;
  let jsonBytes = 0;
  for (let i = 0; i < REPS + 5; i++) {
    let t = now();
    const html = renderOf(exBuilt.result);
    const tp = now() - t;
    t = now();
    const json = jsonOf(exBuilt.result);
    const tj = now() - t;
    t = now();
    for (const c of chartSpecs(exBuilt.result.disclosure, exBuilt.result.template.data.charts)) sink += renderChartSvg(c).length;
    const tc = now() - t;
    if (i < 5) continue; // warm-up
    pageMs.push(tp);
    jsonMs.push(tj);
    chartMs.push(tc);
    pageBytes = Buffer.byteLength(html);
    jsonBytes = Buffer.byteLength(json);
  }
  note(`page: reference example ${median(pageMs).toFixed(1)} ms (median of ${REPS}); rendering ${PAGE_N} synthetic departments …`);

  let tPage = 0;
  let tJson = 0;
  let tCharts = 0;
  let bytes = 0;
  let jbytes = 0;
  let charts = 0;
  const warm = Math.min(20, PAGE_N);
  for (let i = 0; i < PAGE_N + warm; i++) {
    const b = generateDepartment(i % PAGE_N, { seed: SEED });
    const r = buildDisclosure(projectData, b);
    if (!r.ok) fail(`department ${b.department.code} refused: ${r.refusal.code}`);
    let t = now();
    const html = renderOf(r.result);
    const tp = now() - t;
    t = now();
    const json = jsonOf(r.result);
    const tj = now() - t;
    t = now();
    const specs = chartSpecs(r.result.disclosure, r.result.template.data.charts);
    for (const c of specs) sink += renderChartSvg(c).length;
    const tc = now() - t;
    if (i < warm) continue;
    tPage += tp;
    tJson += tj;
    tCharts += tc;
    bytes += html.length;
    jbytes += json.length;
    charts += specs.length;
    if ((i - warm + 1) % 100 === 0 || i - warm + 1 === PAGE_N) {
      sampleRss();
      progress("pages", i - warm + 1, PAGE_N);
    }
  }
  results["page"] = {
    example: {
      medianMs: median(pageMs),
      bytes: pageBytes,
      jsonBaselineMedianMs: median(jsonMs),
      jsonBytes,
      chartsMedianMs: median(chartMs),
      ratioPageVsJson: median(pageMs) / Math.max(1e-9, median(jsonMs)),
    },
    synthetic: {
      departments: PAGE_N,
      seconds: tPage / 1000,
      pagesPerSecond: rate(PAGE_N, tPage / 1000),
      meanKiB: bytes / PAGE_N / 1024,
      chartsPerPage: charts / PAGE_N,
      chartsShare: tPage > 0 ? tCharts / tPage : 0,
      jsonBaseline: { seconds: tJson / 1000, documentsPerSecond: rate(PAGE_N, tJson / 1000), meanKiB: jbytes / PAGE_N / 1024 },
      ratioPageVsJson: tJson > 0 ? tPage / tJson : 0,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The PDF (disclosure.pdf): the reference example alone, then documents per second over PDF_N synthetic departments.
// Baseline in the same run: LibreOffice converting the DOCX of the same disclosure (disclosureDocx) to PDF, each
// conversion a new `soffice --headless --convert-to pdf` process on one profile: the first run is cold (it creates the
// profile), the median of the next five is warm. Our renders are interleaved with the LibreOffice runs (three after
// each), so that both are sampled over the same minutes of a shared VM; both wall time and CPU time are reported
// (ours from process.cpuUsage, LibreOffice's from /usr/bin/time). LibreOffice inherits this process's CPU pinning.
// The process's first document (which reads and parses the fonts) is reported apart.

const pdfPages = (pdf: Uint8Array) => (Buffer.from(pdf).toString("latin1").match(/\/Type\s*\/Page(?!s)\b/g) ?? []).length;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

if (PHASES.has("pdf")) {
  const ex = await readBudgetFile(fileURLToPath(new URL("../examples/changji-xinfang-2024/budget.yaml", import.meta.url)));
  if (!ex.ok) fail("the reference example does not read");
  const built = buildDisclosure(projectData, ex.budget);
  if (!built.ok) fail("the reference example does not build");
  const input = { result: built.result, findings: built.result.findings };
  let t = now();
  const first = await renderDisclosurePdf(input);
  const coldMs = now() - t;
  const pdfMs: number[] = [];
  const pdfCpu: number[] = [];
  const renderExample = async (timed: boolean) => {
    const c = process.cpuUsage();
    const t0 = now();
    const pdf = await renderDisclosurePdf(input);
    if (timed) {
      pdfMs.push(now() - t0);
      pdfCpu.push(cpuMs(process.cpuUsage(c)));
    }
    sink += pdf.length;
  };
  for (let i = 0; i < 3; i++) await renderExample(false); // warm-up

  const soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"].find((p) => existsSync(p)) ?? null;
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  type LibreOffice = { binary: string; docxKiB: number; coldMs: number; warmMs: number; runsMs: number[]; coldCpuMs: number | null; warmCpuMs: number | null; pages: number };
  let libreoffice: LibreOffice | { skipped: string };
  if (soffice === null) {
    libreoffice = { skipped: "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui" };
    note(`pdf: baseline skipped — ${libreoffice.skipped}`);
    for (let i = 0; i < 15; i++) await renderExample(true);
  } else {
    note("pdf: the reference example, interleaved with LibreOffice converting its DOCX (6 processes) …");
    const dir = mkdtempSync(join(os.tmpdir(), "gongkai-bench-lo-"));
    try {
      const docx = join(dir, "disclosure.docx");
      const docxBytes = await disclosureDocx(built.result, built.result.findings);
      writeFileSync(docx, docxBytes);
      const runsMs: number[] = [];
      const runsCpu: number[] = [];
      let loPages = 0;
      for (let i = 0; i < 6; i++) {
        const out = join(dir, `out-${i}`);
        const args = ["--headless", "--norestore", `-env:UserInstallation=file://${join(dir, "profile")}`, "--convert-to", "pdf", "--outdir", out, docx];
        const t0 = now();
        const lo = timeBin ? spawnSync(timeBin, ["-f", "cpu %U %S", soffice, ...args], { encoding: "utf8" }) : spawnSync(soffice, args, { encoding: "utf8" });
        runsMs.push(now() - t0);
        const used = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(lo.stderr ?? "");
        if (used) runsCpu.push((Number(used[1]) + Number(used[2])) * 1000);
        const pdfPath = join(out, "disclosure.pdf");
        if (lo.status !== 0 || !existsSync(pdfPath)) fail(`LibreOffice failed to convert the DOCX: ${lo.stderr || lo.stdout}`);
        loPages = pdfPages(readFileSync(pdfPath));
        for (let k = 0; k < 3; k++) await renderExample(true);
      }
      libreoffice = {
        binary: soffice,
        docxKiB: docxBytes.length / 1024,
        coldMs: runsMs[0]!,
        warmMs: median(runsMs.slice(1)),
        runsMs,
        coldCpuMs: runsCpu.length === 6 ? runsCpu[0]! : null,
        warmCpuMs: runsCpu.length === 6 ? median(runsCpu.slice(1)) : null,
        pages: loPages,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ourMs = median(pdfMs);
  const ourCpu = median(pdfCpu);
  note(`pdf: reference example ${ourMs.toFixed(0)} ms (median of ${pdfMs.length}, first in process ${coldMs.toFixed(0)} ms); rendering ${PDF_N} synthetic departments …`);

  let tPdf = 0;
  let tAll = 0;
  let allBytes = 0;
  let bytes = 0;
  let pages = 0;
  const warm = Math.min(5, PDF_N);
  for (let i = 0; i < PDF_N + warm; i++) {
    const b = generateDepartment(i % PDF_N, { seed: SEED });
    const r = buildDisclosure(projectData, b);
    if (!r.ok) fail(`department ${b.department.code} refused: ${r.refusal.code}`);
    t = now();
    const pdf = await renderDisclosurePdf({ result: r.result, findings: r.result.findings });
    const dt = now() - t;
    // every format of `gongkai build` (csv, json, page, workbook, Word, open data, PDF) for the same department
    t = now();
    const files = await renderBuild(r.result, r.result.findings);
    const dtAll = now() - t;
    if (i < warm) continue;
    tAll += dtAll;
    allBytes += files.reduce((s, f) => s + (typeof f.content === "string" ? Buffer.byteLength(f.content) : f.content.length), 0);
    tPdf += dt;
    bytes += pdf.length;
    pages += pdfPages(pdf);
    if ((i - warm + 1) % 10 === 0) {
      sampleRss();
      progress("pdfs", i - warm + 1, PDF_N);
    }
  }
  const lo = "warmMs" in libreoffice ? libreoffice : null;
  results["pdf"] = {
    example: { firstInProcessMs: coldMs, medianMs: ourMs, medianCpuMs: ourCpu, runs: pdfMs.length, kib: first.length / 1024, pages: pdfPages(first) },
    synthetic: { departments: PDF_N, seconds: tPdf / 1000, documentsPerSecond: rate(PDF_N, tPdf / 1000), meanKiB: bytes / PDF_N / 1024, meanPages: pages / PDF_N },
    allFormats: { departments: PDF_N, seconds: tAll / 1000, departmentsPerSecond: rate(PDF_N, tAll / 1000), meanKiB: allBytes / PDF_N / 1024 },
    libreoffice,
    speedupVsLibreOfficeWarm: lo ? lo.warmMs / ourMs : null,
    cpuSpeedupVsLibreOfficeWarm: lo && lo.warmCpuMs !== null ? lo.warmCpuMs / ourCpu : null,
    goal: 5,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Workbook import (phase xlsx, BENCH_XLSX_ROWS rows, default the input limit of lines, MAX_LINES): a synthetic department's line-items sheet written
// by our workbook writer, read as build/check read it and imported as `gongkai import` does; baseline in the same run:
// readBudgetFile of the same budget as YAML. See bench/workbook-import.ts.

const XLSX_ROWS = Number(process.env["BENCH_XLSX_ROWS"] ?? MAX_LINES);
if (PHASES.has("xlsx")) {
  if (!Number.isInteger(XLSX_ROWS) || XLSX_ROWS < 1) fail("BENCH_XLSX_ROWS must be a positive integer");
  note(`xlsx: a ${XLSX_ROWS}-row workbook …`);
  results["xlsxImport"] = await benchWorkbookImport({ rows: XLSX_ROWS, seed: SEED, dir: fileURLToPath(new URL("./.data/xlsx/", import.meta.url)), note });
  sampleRss();
}

// ---------------------------------------------------------------------------------------------------------------
// The largest budget the input limits allow (phase limits): every format, time and peak memory. See bench/limits-phase.ts.

if (PHASES.has("limits")) {
  results["limits"] = benchLimits({ dir: fileURLToPath(new URL("./.data/limits/", import.meta.url)), note });
}

// ---------------------------------------------------------------------------------------------------------------
// gongkai audit over the real published PDFs, against pdftotext alone (phase audit). See bench/audit-phase.ts.

if (PHASES.has("audit")) results["audit"] = await benchAudit({ note });

// ---------------------------------------------------------------------------------------------------------------
// Memory and report

sampleRss();
const ru = process.resourceUsage();
results["memory"] = {
  peakSampledRssMiB: peakRss / MB,
  maxRssMiB: ru.maxRSS / 1024, // maxRSS is in KiB
  heapUsedMiBAtEnd: process.memoryUsage().heapUsed / MB,
  targetMiB: 2048,
  meetsTarget: ru.maxRSS / 1024 < 2048,
};
results["sink"] = sink % 1000; // keeps the work observable
results["wallSeconds"] = (now() - T0) / 1000;

const out: string[] = [];
const row = (label: string, value: string, extra = "") => out.push(`  ${label.padEnd(44)} ${value.padStart(16)}  ${extra}`);
out.push("");
out.push(`Gongkai province benchmark — ${N} departments${lines ? `, ${fmtInt(lines)} line items (+${fmtInt(carryover)} carry-over)` : ""}`);
out.push(`  node ${machine.node} (V8 ${machine.v8}), ${cpu}, ${machine.logicalCpus} logical CPUs, ${machine.memoryGiB} GiB`);
out.push(`  single thread${machine.pinnedCpu === null ? " (not pinned)" : `, pinned to CPU ${machine.pinnedCpu} (taskset)`}`);
out.push("");
const engine = results["engine"] as { tablesOnly: Timing; tablesAndRules: Timing; rulesShare: number; meetsTarget: boolean } | undefined;
if (engine) {
  out.push("Engine (validated in-memory budgets; loop only, after warm-up)");
  row("tables only (assembleDisclosure)", `${fmtInt(engine.tablesOnly.itemsPerSecond)} items/s`, `${fmtInt(engine.tablesOnly.departmentsPerSecond)} depts/s, ${fmtS(engine.tablesOnly.seconds)}`);
  row("tables + rules (buildDisclosure)", `${fmtInt(engine.tablesAndRules.itemsPerSecond)} items/s`, `${fmtInt(engine.tablesAndRules.departmentsPerSecond)} depts/s, ${fmtS(engine.tablesAndRules.seconds)}`);
  row("  share of time in rules", `${(engine.rulesShare * 100).toFixed(0)} %`);
  row("  target ≥ 5,000,000 items/s", engine.meetsTarget ? "met" : "MISSED");
}
const sq = results["sqlite"] as { version: string; insert: Timing; groupBy: { seconds: number; itemsPerSecond: number; queries: { name: string; seconds: number }[] }; ratio: { tablesOnlyVsGroupBy: number; tablesAndRulesVsGroupBy: number } | null; crossCheck: { equal: boolean } | null } | undefined;
if (sq) {
  out.push(`SQLite ${sq.version} baseline (better-sqlite3, :memory:, one connection)`);
  row("insert (prepared, one transaction per 250 depts)", `${fmtInt(sq.insert.itemsPerSecond)} items/s`, fmtS(sq.insert.seconds));
  row(`GROUP BY, ${sq.groupBy.queries.length} queries`, `${fmtInt(sq.groupBy.itemsPerSecond)} items/s`, fmtS(sq.groupBy.seconds));
  if (sq.ratio) {
    row("engine tables-only ÷ SQLite GROUP BY", `${sq.ratio.tablesOnlyVsGroupBy.toFixed(2)} ×`);
    row("engine tables+rules ÷ SQLite GROUP BY", `${sq.ratio.tablesAndRulesVsGroupBy.toFixed(2)} ×`);
  }
  if (sq.crossCheck) row("cross-check Σ表3 总计 = SQLite SUM(amount)", sq.crossCheck.equal ? "equal" : "DIFFERENT");
}
const e2e = results["e2e"] as { total: { seconds: number; filesPerSecond: number; itemsPerSecond: number }; readAndValidate: { seconds: number; itemsPerSecond: number; filesPerSecond: number }; buildAndRules: { seconds: number; itemsPerSecond: number; filesPerSecond: number } } | undefined;
if (e2e) {
  out.push(`End to end from ${E2E_N} YAML files (readBudgetFile + buildDisclosure)`);
  row("total", `${fmtInt(e2e.total.itemsPerSecond)} items/s`, `${e2e.total.filesPerSecond.toFixed(0)} files/s, ${fmtS(e2e.total.seconds)}`);
  row("  read + validate", `${fmtInt(e2e.readAndValidate.itemsPerSecond)} items/s`, `${e2e.readAndValidate.filesPerSecond.toFixed(0)} files/s, ${fmtS(e2e.readAndValidate.seconds)}`);
  row("  build + rules", `${fmtInt(e2e.buildAndRules.itemsPerSecond)} items/s`, `${e2e.buildAndRules.filesPerSecond.toFixed(0)} files/s, ${fmtS(e2e.buildAndRules.seconds)}`);
}
const pg = results["page"] as
  | {
      example: { medianMs: number; bytes: number; jsonBaselineMedianMs: number; jsonBytes: number; chartsMedianMs: number; ratioPageVsJson: number };
      synthetic: { departments: number; seconds: number; pagesPerSecond: number; meanKiB: number; chartsPerPage: number; chartsShare: number; jsonBaseline: { documentsPerSecond: number; meanKiB: number }; ratioPageVsJson: number };
    }
  | undefined;
if (pg) {
  out.push("Disclosure page (renderDisclosurePage: HTML + 4 ECharts SVG charts; baseline disclosure.json of the same disclosure)");
  row("reference example, median", `${pg.example.medianMs.toFixed(1)} ms`, `${(pg.example.bytes / 1024).toFixed(0)} KiB; charts alone ${pg.example.chartsMedianMs.toFixed(1)} ms`);
  row("  baseline disclosure.json, median", `${pg.example.jsonBaselineMedianMs.toFixed(1)} ms`, `${(pg.example.jsonBytes / 1024).toFixed(0)} KiB; page ÷ JSON ${pg.example.ratioPageVsJson.toFixed(1)} ×`);
  row(`${fmtInt(pg.synthetic.departments)} synthetic departments`, `${pg.synthetic.pagesPerSecond.toFixed(0)} pages/s`, `${fmtS(pg.synthetic.seconds)}, ${pg.synthetic.meanKiB.toFixed(0)} KiB/page, ${pg.synthetic.chartsPerPage.toFixed(1)} charts/page (${(pg.synthetic.chartsShare * 100).toFixed(0)} % of the time)`);
  row("  baseline disclosure.json", `${pg.synthetic.jsonBaseline.documentsPerSecond.toFixed(0)} docs/s`, `${pg.synthetic.jsonBaseline.meanKiB.toFixed(0)} KiB/doc; page ÷ JSON ${pg.synthetic.ratioPageVsJson.toFixed(1)} × the time`);
}
const cpuText = (x: number | null) => (x === null ? "" : `CPU ${x.toFixed(0)} ms`);
const pdfr = results["pdf"] as
  | {
      example: { firstInProcessMs: number; medianMs: number; medianCpuMs: number; runs: number; kib: number; pages: number };
      synthetic: { departments: number; seconds: number; documentsPerSecond: number; meanKiB: number; meanPages: number };
      allFormats: { departments: number; seconds: number; departmentsPerSecond: number; meanKiB: number };
      libreoffice: { coldMs: number; warmMs: number; coldCpuMs: number | null; warmCpuMs: number | null; docxKiB: number; pages: number } | { skipped: string };
      speedupVsLibreOfficeWarm: number | null;
      cpuSpeedupVsLibreOfficeWarm: number | null;
      goal: number;
    }
  | undefined;
if (pdfr) {
  const met = (x: number) => `(goal ≥ ${pdfr.goal} ×: ${x >= pdfr.goal ? "met" : "MISSED"})`;
  out.push("PDF (renderDisclosurePdf: pdfmake, Noto Serif SC Regular + Noto Sans SC Bold subset; baseline LibreOffice DOCX → PDF of the same disclosure)");
  row(`reference example, median of ${pdfr.example.runs}`, `${pdfr.example.medianMs.toFixed(0)} ms`, `CPU ${pdfr.example.medianCpuMs.toFixed(0)} ms; ${pdfr.example.pages} pages, ${pdfr.example.kib.toFixed(0)} KiB; first in process ${pdfr.example.firstInProcessMs.toFixed(0)} ms (font parse)`);
  const lo = pdfr.libreoffice;
  if ("skipped" in lo) row("  baseline LibreOffice", "skipped", lo.skipped);
  else {
    row("  baseline LibreOffice, cold (first process)", `${lo.coldMs.toFixed(0)} ms`, `${cpuText(lo.coldCpuMs)}; DOCX ${lo.docxKiB.toFixed(0)} KiB → ${lo.pages} pages`);
    row("  baseline LibreOffice, warm (median of 5)", `${lo.warmMs.toFixed(0)} ms`, cpuText(lo.warmCpuMs));
    row("  LibreOffice warm ÷ PDF, wall time", `${pdfr.speedupVsLibreOfficeWarm!.toFixed(1)} ×`, met(pdfr.speedupVsLibreOfficeWarm!));
    if (pdfr.cpuSpeedupVsLibreOfficeWarm !== null) row("  LibreOffice warm ÷ PDF, CPU time", `${pdfr.cpuSpeedupVsLibreOfficeWarm.toFixed(1)} ×`, met(pdfr.cpuSpeedupVsLibreOfficeWarm));
  }
  row(`${fmtInt(pdfr.synthetic.departments)} synthetic departments`, `${pdfr.synthetic.documentsPerSecond.toFixed(1)} docs/s`, `${fmtS(pdfr.synthetic.seconds)}, ${pdfr.synthetic.meanPages.toFixed(1)} pages and ${pdfr.synthetic.meanKiB.toFixed(0)} KiB per document`);
  row(`  the same, every format of build`, `${pdfr.allFormats.departmentsPerSecond.toFixed(1)} depts/s`, `${fmtS(pdfr.allFormats.seconds)}, ${pdfr.allFormats.meanKiB.toFixed(0)} KiB per department (csv, json, page, xlsx, docx, open data, pdf)`);
}
const wi = results["xlsxImport"] as WorkbookBenchResult | undefined;
if (wi) {
  out.push(`Workbook import — a ${fmtInt(wi.rows)}-row line-items sheet (median of ${wi.runs}; baseline: the same budget as YAML)`);
  row("readWorkbookFile (what build and check do)", `${fmtInt(wi.read.rowsPerSecond)} rows/s`, fmtS(wi.read.medianSeconds));
  row("importWorkbook (+ YAML text, read back)", `${fmtInt(wi.import.rowsPerSecond)} rows/s`, fmtS(wi.import.medianSeconds));
  row("baseline: readBudgetFile of the YAML", `${fmtInt(wi.yamlBaseline.rowsPerSecond)} rows/s`, fmtS(wi.yamlBaseline.medianSeconds));
  row("  workbook read ÷ YAML read (time)", `${wi.ratioReadVsYaml.toFixed(2)} ×`, `import ÷ YAML ${wi.ratioImportVsYaml.toFixed(2)} ×`);
  row("  files", `${wi.workbookKiB.toFixed(0)} KiB xlsx`, `${wi.yamlKiB.toFixed(0)} KiB YAML; workbook written in ${fmtS(wi.writeSeconds)}`);
}
const lim = results["limits"] as LimitsBenchResult | undefined;
if (lim) {
  out.push(`The largest budget the limits allow — ${fmtInt(lim.units)} units, ${fmtInt(lim.projects)} projects, ${fmtInt(lim.lines)} lines, ${fmtInt(lim.indicators)} indicators (${lim.yamlKiB.toFixed(0)} KiB YAML), one build each`);
  for (const r of lim.runs)
    row(`  build --format ${r.formats}`, `${r.maxRssMiB.toFixed(0)} MiB`, `${fmtS(r.wallSeconds)} wall, ${fmtS(r.cpuSeconds)} CPU${r.meetsTarget ? "" : " (target < 1536 MiB and 60 s: MISSED)"}`);
}
const au = results["audit"] as AuditBenchResult | undefined;
if (au) {
  out.push(`gongkai audit — ${au.files.length} published PDFs, ${fmtInt(au.pages)} pages (median of ${au.rounds}; baseline: pdftotext -bbox-layout alone on the same files)`);
  row("baseline: pdftotext -bbox-layout", `${au.pdftotextPagesPerSecond.toFixed(0)} pages/s`);
  row("audit, poppler reader (the default)", `${au.auditPopplerPagesPerSecond.toFixed(0)} pages/s`, `${au.popplerRatio.toFixed(2)} × pdftotext's time per page${au.popplerRatio <= 3 ? " (goal ≤ 3: met)" : " (goal ≤ 3: MISSED)"}`);
  row("audit, pdf.js reader (npm install alone)", `${au.auditPdfjsPagesPerSecond.toFixed(0)} pages/s`, `${au.pdfjsRatio.toFixed(2)} × pdftotext's time per page`);
}
const mem = results["memory"] as { peakSampledRssMiB: number; maxRssMiB: number; meetsTarget: boolean };
out.push("Memory");
row("peak RSS (process.resourceUsage().maxRSS)", `${mem.maxRssMiB.toFixed(0)} MiB`, mem.meetsTarget ? "(target < 2048 MiB: met)" : "(target < 2048 MiB: MISSED)");
row("peak RSS sampled (memoryUsage().rss)", `${mem.peakSampledRssMiB.toFixed(0)} MiB`);
out.push(`  whole run ${fmtS((now() - T0) / 1000)} (setup included)`);
out.push("");
process.stdout.write(out.join("\n") + "\n");

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(results, null, 2) + "\n");
note(`bench: results written to ${relative(process.cwd(), OUT)}`);
