/**
 * Round trip (issue 14, Done means): Gongkai's own disclosures, audited.
 *
 * Over 20 seeded generated budgets (src/app/synthetic-budget.ts, department 0 of each seed in SEEDS), each is built
 * in-process as `gongkai build --format pdf` builds it (buildDisclosure, then the CLI's renderBuild port for "pdf":
 * disclosure.pdf, the Xinjiang 11-table template in 万元), and `pdftotext` writes its text: plain (`txt`, each table
 * cell on a line of its own) and `-raw` (`raw`, a table row per line with the columns lost, as the sample seed text).
 * All three are audited through `auditDocument`, as `gongkai audit disclosure.pdf` (or `.txt`) would:
 *
 * - tables: the report found the tables the build printed (11, by number and title), and checked cells of them;
 * - clean: no error and no warning finding, but for Gongkai's own defects located by reading the document
 *   (roundtrip-harness.ts `ownDefects`), which must be found;
 * - then one error at a time, injected into the text the auditor reads (a word of the PDF's DocumentText; a line of
 *   the .txt) and audited with `auditText`, must be caught: a new finding of the expected code on the page of the
 *   injection, quoting or resting on the changed text:
 *   - cell: an amount of a 项 row raised by 0.20–0.99 万元 → AUD-SUM (or AUD-TWICE, AUD-NARRATIVE);
 *   - percent: a change's percentage moved just outside its interval-arithmetic envelope → AUD-ARITH;
 *   - direction: 增加↔减少 in a change → AUD-DIRECTION;
 *   - year: a wrong year in a section heading, a 项's sentence or a comparison → AUD-YEAR.
 *   What is changed where is chosen from the seed (the generator's Rng on a stream of its own per kind). The -raw
 *   text differs from the plain one in its tables only, so only its cells are injected.
 *
 * Where the auditor does not do this yet, the case is marked `it.fails` (GAPS, each with why): the file passes and
 * the gap stays visible; a gap that closes fails the suite until its mark is removed. The auditor's code is not
 * changed here.
 *
 * fast-check is a dependency, but a seeded loop is used: a failing case must be reported by seed rather than shrunk
 * (shrinking would re-render PDFs, about a second each).
 *
 * Needs poppler-utils (the .txt, and the PDF read as `gongkai audit` reads it when pdftotext is present): skipped
 * with the reason printed when `pdftotext` is missing, except under CI=true, where it fails.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditDocument } from "../../src/app/audit/audit-document.ts";
import { auditText } from "../../src/app/audit/audit-pipeline.ts";
import { buildDisclosure, type BuildResult } from "../../src/app/build-disclosure.ts";
import { generateDepartment } from "../../src/app/synthetic-budget.ts";
import { auditData } from "../../src/adapters/audit/audit-data.ts";
import { readDocument, unreadableMessage } from "../../src/adapters/audit/read-document.ts";
import { textToDocument } from "../../src/adapters/audit/text-file.ts";
import { projectData } from "../../src/adapters/ingest/project-data.ts";
import { renderBuild } from "../../src/adapters/render/build-outputs.ts";
import type { AuditFinding, AuditReport } from "../../src/domain/audit/audit-report.ts";
import type { DocumentText, ReadResult } from "../../src/domain/audit/document-text.ts";
import {
  cellInjection,
  directionInjection,
  editPdf,
  editText,
  findingKey,
  isOwnDefect,
  ownDefects,
  pdfPageLines,
  pdfUnits,
  percentInjection,
  placesOf,
  textPages,
  textUnits,
  withCleanReasons,
  yearInjection,
  type Injection,
  type InjectionKind,
  type OwnDefect,
} from "./roundtrip-harness.ts";

const HAVE_POPPLER = spawnSync("pdftotext", ["-v"]).error === undefined;
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI) console.warn("roundtrip.test.ts: skipped — pdftotext (poppler-utils) is not installed; it is mandatory under CI=true");

/**
 * Generator seeds (department 0 of each): the first 20 from 1 up whose build, reasons cleaned, has no error finding
 * (seeds 9, 13, 14, 17, 19 and 22 plant allocation errors, I-ALLOCATION, in a project: not a document Gongkai would
 * publish). The test asserts each build is still error-free, so that a generator change is noticed.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 15, 16, 18, 20, 21, 23, 24, 25, 26] as const;

type SourceName = "pdf" | "txt" | "raw";
type CaseName = "tables" | "clean" | "own-defects" | InjectionKind;

const ALL = SEEDS;

/**
 * Cases the auditor does not pass yet, each with why (found by running this file and reading the PDFs with
 * `pdftotext -layout`; the auditor's code is not changed here). A case listed here runs as `it.fails`: when the gap
 * closes, the case passes, the suite fails, and its seed is to be taken out of the list.
 */
const GAPS: readonly {
  source: SourceName;
  case: CaseName;
  seeds: readonly number[];
  why: string;
}[] = [
  // --- Gongkai's own PDF (pdftotext -bbox-layout, the reader `gongkai audit` uses when poppler is present) ---
  {
    source: "pdf",
    case: "tables",
    seeds: [1, 2, 3, 4, 5, 7, 11, 18, 21, 23, 24, 25, 26],
    why: "表11 printed empty (its 总计 row blank) is not found: the page number under it (e.g. 第 15 页 共 26 页) is read as a row whose numbers fall between two columns, and the table is listed as not read",
  },
  {
    source: "pdf",
    case: "tables",
    seeds: [2],
    why: "表1 is not found: a left-side amount and the right side's code beside it (12809.30 | 201 一般公共服务支出) are read as one cell with two numbers, and the table (15 rows) is listed as not read",
  },
  {
    source: "pdf",
    case: "clean",
    seeds: ALL.filter((s) => s !== 4 && s !== 23),
    why: "表2: the 总计 column is checked as the sum of every other column, 财政拨款（补助）小计 and the parts it sums both (the merged header 财政拨款（补助） over 小计 and its parts is not read as a group): AUD-SUM 合计栏应等于各分栏之和 on nearly every row",
  },
  {
    source: "pdf",
    case: "clean",
    seeds: ALL.filter((s) => s !== 26),
    why: "表7: Gongkai prints the projects unit by unit (a row with the unit's name, then its 类/款/项 rows); the next unit's 类 and 款 are taken as children of the previous unit's, and some amounts of those rows land in the wrong column: AUD-SUM 上级科目应等于其下级科目之和",
  },
  {
    source: "pdf",
    case: "clean",
    seeds: [2, 10, 11, 15, 20, 24],
    why: "表8 / 表9 / 表10: under a header over several columns (国有资本经营预算支出, 资金来源) the 合计 amounts are placed in another column and 合计 read blank; and the page-number line (e.g. 第 20 页 共 49 页) is read as a row, its 49 as an amount of 合计: AUD-SUM 合计栏应等于各分栏之和",
  },
  {
    source: "pdf",
    case: "clean",
    seeds: [6, 8, 10, 12, 15, 16, 20],
    why: "表11: 总计 is checked as the sum of every row under it, a unit's row and that unit's carry-over items both: AUD-SUM 合计行应等于各项之和",
  },
  // --- pdftotext's plain text: each table cell on its own line ---
  {
    source: "txt",
    case: "clean",
    seeds: ALL,
    why: "表4: 收入总计 is checked against a 支出总计 of 0 (AUD-SUM 收入总计应等于支出总计, 应为 0 = 0.00): the expenditure side is not found in the text, and the balance is evaluated anyway",
  },
  {
    source: "txt",
    case: "cell",
    seeds: ALL,
    why: "plain pdftotext prints each cell of a table on a line of its own: the 11 tables are found but their rows are not read (2–4 cells checked per document), so a changed cell is not seen",
  },
  // --- pdftotext -raw: a table row per line, the columns lost (as the sample seed text) ---
  {
    source: "raw",
    case: "clean",
    seeds: [3, 4, 5, 8, 10, 11, 18, 21, 26],
    why: "表7: as in the PDF, the next unit's 类 and 款 rows are taken as children of the previous unit's: AUD-SUM 上级科目应等于其下级科目之和",
  },
  {
    source: "raw",
    case: "cell",
    seeds: ALL,
    why: "columns lost: with one cell changed no placement of the row's numbers satisfies its sums, and the row is listed as not checked (该行数字可以多种方式填入各列) instead of reported; a row that no placement can make add up is wrong whatever the placement",
  },
];

const gap = (source: SourceName, c: CaseName, seed: number) => GAPS.filter((g) => g.source === source && g.case === c && g.seeds.includes(seed));

interface Source {
  readonly name: SourceName;
  readonly file: string;
  readonly doc: DocumentText;
  /** the .txt as written, for editing */
  readonly text: string | null;
  readonly report: AuditReport;
  readonly own: readonly OwnDefect[];
}

interface Trip {
  readonly seed: number;
  readonly built: BuildResult;
  /** the tables the build printed: number and title, quotation marks and spaces removed */
  readonly tables: readonly string[];
  readonly pdf: Source;
  readonly txt: Source;
  readonly raw: Source;
}

const trips = new Map<number, Trip>();
const ms = {
  build: 0,
  render: 0,
  pdftotext: 0,
  auditPdf: 0,
  auditTxt: 0,
  auditRaw: 0,
  injected: 0,
};
const started = performance.now();
const cpuAtStart = process.cpuUsage();
let dir = "";

const run = promisify(execFile);
const squash = (s: string) => s.replace(/[\s“”"「」]/gu, "");

async function roundTrip(seed: number): Promise<Trip> {
  let t = performance.now();
  const generated = generateDepartment(0, { seed });
  const first = buildDisclosure(projectData, generated);
  if (!first.ok) throw new Error(`seed ${seed}: build refused (${first.refusal.code})`);
  const built = buildDisclosure(projectData, withCleanReasons(generated, first.result.disclosure.figures));
  if (!built.ok) throw new Error(`seed ${seed}: build refused (${built.refusal.code})`);
  const errors = built.result.findings.filter((f) => f.severity === "error");
  if (errors.length) throw new Error(`seed ${seed}: the build has error findings (${errors.map((f) => f.code).join(", ")}): pick another seed`);
  ms.build += performance.now() - t;

  t = performance.now();
  const files = await renderBuild(built.result, built.result.findings, ["pdf"], ["pdf"]);
  const pdfFile = files.find((f) => f.path === "disclosure.pdf")!;
  const pdfPath = join(dir, `seed-${seed}.pdf`);
  writeFileSync(pdfPath, pdfFile.content);
  ms.render += performance.now() - t;

  t = performance.now();
  const txtPath = join(dir, `seed-${seed}.txt`);
  const rawPath = join(dir, `seed-${seed}.raw.txt`);
  await Promise.all([run("pdftotext", [pdfPath, txtPath]), run("pdftotext", ["-raw", pdfPath, rawPath])]);
  const texts = {
    txt: readFileSync(txtPath, "utf8"),
    raw: readFileSync(rawPath, "utf8"),
  };
  ms.pdftotext += performance.now() - t;

  // auditDocument as `gongkai audit` runs it; the reader port keeps what it read, for the injections
  const reads = new Map<string, ReadResult>();
  const ports = {
    readDocument: async (path: string, opts: { readonly reader?: "auto" | "pdfjs" | "pdftotext" }) => {
      const r = await readDocument(path, opts);
      reads.set(path, r);
      return r;
    },
    unreadableMessage,
    data: auditData,
  };
  const source = async (name: SourceName, path: string): Promise<Source> => {
    const t0 = performance.now();
    const report = await auditDocument([path], {}, ports);
    ms[name === "pdf" ? "auditPdf" : name === "txt" ? "auditTxt" : "auditRaw"] += performance.now() - t0;
    const read = reads.get(path);
    if (!read?.ok) throw new Error(`seed ${seed}: ${path} could not be read (${read ? read.reason : "not read"})`);
    const text = name === "pdf" ? null : texts[name];
    const pages = text === null ? pdfPageLines(read.text) : textPages(text).map((lines, i) => ({ page: i + 1, lines }));
    return {
      name,
      file: path,
      doc: read.text,
      text,
      report,
      own: ownDefects(pages),
    };
  };
  const d = built.result.disclosure;
  return {
    seed,
    built: built.result,
    tables: d.tables.map((x) => squash(`${x.number}${x.title}`)),
    pdf: await source("pdf", pdfPath),
    txt: await source("txt", txtPath),
    raw: await source("raw", rawPath),
  };
}

const data = auditData();

function inject(trip: Trip, s: Source, kind: InjectionKind): Injection | null {
  const units = s.name === "pdf" ? pdfUnits(s.doc) : textUnits(s.text!);
  const year = trip.built.disclosure.department.year;
  switch (kind) {
    case "cell":
      return s.name === "pdf" ? cellInjection(trip.seed, s.doc) : cellInjection(trip.seed, trip.pdf.doc, s.text!);
    case "percent":
      return percentInjection(trip.seed, units);
    case "direction":
      return directionInjection(trip.seed, units);
    case "year":
      return yearInjection(trip.seed, units, year);
  }
}

const line = (f: AuditFinding) => `${f.code} ${f.severity} p${f.page ?? "-"} l${f.line ?? "-"} ${f.quote.slice(0, 60)} | ${f.reason.zh.slice(0, 160)}`;
const errorsAndWarnings = (r: AuditReport) => r.findings.filter((f) => f.severity === "error" || f.severity === "warning");

/** what stayed not checked, counted by what and reason (a row's table and place, quotes and pages left out of the reason) */
function notCheckedByReason(r: AuditReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of r.notChecked) {
    const reason = (n.what === "row" || n.what === "table" ? n.reason.zh.replace(/^.*?(未能可靠读取|是文字表格)/u, "$1") : n.reason.zh)
      .replace(/“[^”]*”/gu, "“…”")
      .replace(/（\d+ 行）/u, "")
      .replace(/（第\s*\d+\s*页）/gu, "");
    const k = `${n.what}: ${reason}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

describe.skipIf(!HAVE_POPPLER && !CI)("round trip: Gongkai's disclosure.pdf of 20 seeded budgets, and its pdftotext, audited", () => {
  beforeAll(async () => {
    if (!HAVE_POPPLER) throw new Error("CI=true but pdftotext (poppler-utils) is not installed: the round-trip tests are mandatory in CI");
    dir = mkdtempSync(join(tmpdir(), "gongkai-roundtrip-"));
    // two budgets at a time: while one waits for pdftotext, the other renders or audits
    const queue: number[] = [...SEEDS];
    const lane = async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) trips.set(seed, await roundTrip(seed));
    };
    await Promise.all([lane(), lane()]);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (trips.size === 0) return;
    // what the auditor read and did not read of Gongkai's own PDF and its text, summed over the seeds
    const cpu = process.cpuUsage(cpuAtStart);
    const phases = Object.entries(ms)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(", ");
    const out: string[] = [
      `roundtrip.test.ts: ${trips.size} budgets, ${((performance.now() - started) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU of this process (pdftotext not counted); wall ms, two budgets at a time: ${phases}`,
    ];
    for (const name of ["pdf", "txt", "raw"] as const) {
      const sum = { pages: 0, found: 0, read: 0, checked: 0, cellsRead: 0, cellsChecked: 0, relations: 0, failed: 0 };
      const reasons = new Map<string, number>();
      for (const t of trips.values()) {
        const c = t[name].report.counts;
        sum.pages += c.pages;
        sum.found += c.tables.found;
        sum.read += c.tables.read;
        sum.checked += c.tables.checked;
        sum.cellsRead += c.cells.read;
        sum.cellsChecked += c.cells.checked;
        sum.relations += c.relations.checked;
        sum.failed += c.relations.failed;
        for (const [k, v] of notCheckedByReason(t[name].report)) reasons.set(k, (reasons.get(k) ?? 0) + v);
      }
      out.push(
        `  ${name}: ${sum.pages} pages; tables found ${sum.found} / read ${sum.read} / checked ${sum.checked} (of ${[...trips.values()].reduce((n, t) => n + t.tables.length, 0)} printed); cells read ${sum.cellsRead}, checked ${sum.cellsChecked}; relations ${sum.relations}, failed ${sum.failed}`,
      );
      for (const [k, v] of [...reasons].sort((a, b) => b[1] - a[1])) out.push(`    not checked ${v}× ${k}`);
      const own = [...trips.values()].sort((a, b) => a.seed - b.seed).flatMap((t) => t[name].own.map((d) => `seed ${t.seed} p${d.page} ${d.code} ${d.what}`));
      out.push(`    Gongkai's own defects (${own.length}): ${own.filter((d) => !d.includes("按项目")).join("; ")}; and （按项目分别填报） in every budget`);
    }
    console.log(out.join("\n"));
  });

  describe.each(SEEDS.map((seed) => ({ seed })))("seed $seed", ({ seed }) => {
    const trip = () => trips.get(seed)!;

    describe.each(["pdf", "txt", "raw"] as const)("%s", (name) => {
      const src = () => trip()[name];
      /** a case, or the case marked as a gap (it.fails) when GAPS lists it */
      const check = (c: CaseName, title: string, fn: () => void) => {
        const g = gap(name, c, seed);
        if (g.length) it.fails(`${title} — gap: ${g.map((x) => x.why).join("; ")}`, fn);
        else it(title, fn);
      };

      check("tables", "finds the tables the build printed and checks cells of them", () => {
        const r = src().report;
        const found = r.recognised.tables.map((t) => squash(t.title));
        const missing = trip().tables.filter((t) => !found.includes(t));
        expect({ missing, more: found.filter((t) => !trip().tables.includes(t)) }).toEqual({ missing: [], more: [] });
        expect(found).toEqual(trip().tables);
        expect(r.counts.tables.found).toBe(trip().tables.length);
        expect(r.recognised.template).toBe("xinjiang-budget-11");
        expect(r.counts.cells.checked).toBeGreaterThan(0);
        expect(r.counts.tables.checked).toBeGreaterThan(0);
        // everything not checked says why
        for (const n of r.notChecked) expect(n.reason.zh.length * n.reason.en.length, JSON.stringify(n)).toBeGreaterThan(0);
      });

      check("clean", "audits clean: no error and no warning finding but Gongkai's own defects", () => {
        const extra = errorsAndWarnings(src().report).filter((f) => !isOwnDefect(f, src().own));
        expect(extra.map(line)).toEqual([]);
      });

      check("own-defects", "reports Gongkai's own defects, located by reading the document", () => {
        const found = errorsAndWarnings(src().report);
        const missing = src().own.filter((d) => !found.some((f) => isOwnDefect(f, [d])));
        expect(missing).toEqual([]);
      });

      // -raw differs from the plain text in its tables only (its narrative lines are the same): its cells are injected
      for (const kind of name === "raw" ? (["cell"] as const) : (["cell", "percent", "direction", "year"] as const)) {
        check(kind, `catches one injected error: ${kind}`, () => {
          const s = src();
          const inj = inject(trip(), s, kind);
          expect(inj, `no place to inject a ${kind} error`).not.toBeNull();
          const t0 = performance.now();
          let doc = s.doc;
          if (s.name === "pdf") doc = editPdf(s.doc, inj!.edit);
          else {
            const read = textToDocument(s.file, editText(s.text!, inj!.edit));
            if (!read.ok) throw new Error(`the edited ${s.name} could not be read: ${read.detail}`);
            doc = read.text;
          }
          const report = auditText([s.file], doc, data);
          ms.injected += performance.now() - t0;
          const before = new Set(s.report.findings.map(findingKey));
          const fresh = report.findings.filter((f) => !before.has(findingKey(f)));
          const mark = squash(inj!.mark);
          const caught = fresh.filter(
            (f) =>
              inj!.codes.includes(f.code) &&
              placesOf(f).some((p) => p.page === inj!.page) &&
              [...placesOf(f).map((p) => p.quote), f.found ?? "", f.expected ?? ""].some((q) => squash(q).includes(mark)),
          );
          expect(caught.map(line), `${inj!.describe}; new findings: ${JSON.stringify(fresh.map(line))}`).not.toEqual([]);
        });
      }
    });
  });
});
