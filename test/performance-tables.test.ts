/**
 * The performance target tables as the template prints them (issue 9.1): 部门整体绩效目标表 with the year, 部门名称,
 * the contact, 年度绩效目标 and the 年度预算 block (财政资金 上级安排 / 本级安排, 其他资金); 项目支出绩效目标表 with
 * 预算单位, 项目名称, 负责人, 项目资金 with its 其中 财政拨款 / 其他资金 split, and 项目总体目标 — on every output.
 *
 * `gongkai build` runs on both examples; the header block of each performance table is read back from the page
 * (index.html), Word (word/document.xml) and the workbook (disclosure.xlsx) as rows of cell texts, and must be the
 * same in the three and equal to what is expected; the PDF (pdftotext -layout) must show every label, every value, and
 * each amount on the line of its label. Expected labels are the seed's (test/reference/seed/, brackets and spaces
 * aside); expected values are derived here from the budget itself, independently of the engine (for the reference:
 * the header CSVs' values, except those its README says are printed wrong).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { parse as parseHtml, type HTMLElement } from "node-html-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import type { Budget } from "../src/domain/budget-schema.ts";
import { REFERENCE_EXPECTED, REFERENCE_SEED, ROOT, readCsvFile, tempDir } from "./cli-harness.ts";
import { buildAsync, HAVE_PDFTOTEXT } from "./consistency-harness.ts";
import { descendants, kids, parseXml, textOf, unzip, type El } from "./office-output-harness.ts";

const CI = process.env["CI"] === "true";
if (!HAVE_PDFTOTEXT && !CI) console.log("performance-tables.test.ts: the PDF is not read — pdftotext (poppler-utils) is not installed; it is mandatory under CI=true");

const DEPARTMENT = "部门整体绩效目标表";
const PROJECT = "项目支出绩效目标表";

/** Spaces removed, brackets full-width: how the seed's text and a label are compared. */
const squash = (s: string) => s.replace(/\s+/g, "").replace(/\(/g, "（").replace(/\)/g, "）");

/** A header block as rows, each the texts of the cells that start on it, left to right. */
type Rows = string[][];
/** Expected rows: a label is a string, a value `{ v }`. */
type Cell = string | { readonly v: string };
const texts = (rows: readonly (readonly Cell[])[]): Rows => rows.map((r) => r.map((c) => (typeof c === "string" ? c : c.v)));

// ---------------------------------------------------------------------------------------------------------------
// Expected, from the budget (amounts summed here in 分, rounded half away from zero to 0.01 万元)

const wan = (fen: bigint) => {
  const steps = (fen + 5_000n) / 10_000n; // 0.01 万元 = 10000 分; amounts are non-negative
  return { v: `${steps / 100n}.${String(steps % 100n).padStart(2, "0")}` };
};
const TRANSFER = new Set(["gpb.transfer", "gf.transfer", "sc.transfer"]);
const OWN = new Set(["gpb.own", "gf.own", "sc.own"]);

function expectedDepartment(b: Budget): Cell[][] {
  const sum = (pick: (fund: string) => boolean) => b.lines.filter((l) => pick(l.fund)).reduce((s, l) => s + l.amount, 0n);
  const carry = b.carryover.reduce((s, c) => s + c.amount, 0n);
  const other = sum((f) => !TRANSFER.has(f) && !OWN.has(f)) + carry;
  return [
    ["部门名称（盖章）", { v: b.department.name }],
    ["部门联系人", { v: b.performance.contact!.name }, "联系电话", { v: b.performance.contact!.phone }],
    ["年度绩效目标", { v: b.performance.department!.goal }],
    ["年度预算（万元）", "财政资金（万元）", "上级安排", wan(sum((f) => TRANSFER.has(f)))],
    ["本级安排", wan(sum((f) => OWN.has(f)))],
    ["其他资金（万元）", "其他", wan(other)],
  ];
}

function expectedProjects(b: Budget): Cell[][] {
  return b.performance.projects.flatMap((pp) => {
    const p = b.projects.find((x) => x.code === pp.project)!;
    const lines = b.lines.filter((l) => l.project === p.code);
    const all = lines.reduce((s, l) => s + l.amount, 0n);
    const fiscal = lines.filter((l) => TRANSFER.has(l.fund) || OWN.has(l.fund)).reduce((s, l) => s + l.amount, 0n);
    return [
      ["预算单位", { v: b.units.find((u) => u.code === p.unit)!.name }],
      ["项目名称", { v: p.name }, "项目负责人", { v: pp.owner ?? p.owner ?? "" }],
      ["项目资金（万元）", "年度预算总额", wan(all)],
      ["其中：财政拨款", wan(fiscal), "其他资金", wan(all - fiscal)],
      ["项目总体目标", { v: pp.goal }],
    ];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading each format back

function htmlRows(html: string, title: string): Rows {
  const root = parseHtml(html);
  const sheets = root.querySelectorAll(".perf-sheet").filter((s) => s.querySelector(".perf-head .t-title")?.textContent.trim() === title);
  return sheets.flatMap((s) =>
    s.querySelectorAll("table.perf-facts tr").map((tr) => tr.querySelectorAll("th, td").map((c: HTMLElement) => c.textContent.trim())),
  );
}

/** The year line printed under each title on the page. */
function htmlSubtitles(html: string, title: string): string[] {
  return parseHtml(html)
    .querySelectorAll(".perf-head")
    .filter((h) => h.querySelector(".t-title")?.textContent.trim() === title)
    .map((h) => h.querySelector(".t-sub")?.textContent.trim() ?? "");
}

const isContinued = (tc: El) => {
  const pr = kids(tc, "w:tcPr")[0];
  const vm = pr && kids(pr, "w:vMerge")[0];
  return vm !== undefined && vm.attrs["w:val"] !== "restart";
};

/** Word: the table after each paragraph holding the title (and its year line). */
function docxRows(docx: Buffer, title: string): { rows: Rows; subtitles: string[] } {
  const doc = parseXml(unzip(docx).get("word/document.xml")!.toString("utf8"));
  const body = descendants(doc, "w:body")[0]!;
  const rows: Rows = [];
  const subtitles: string[] = [];
  let after: "title" | "year" | null = null;
  for (const c of kids(body)) {
    if (c.name === "w:p") {
      const t = textOf(c).trim();
      const style = descendants(c, "w:pStyle")[0]?.attrs["w:val"] ?? "";
      if (style.startsWith("TOC")) continue; // an entry of the 目录
      if (t === title) after = "title";
      else if (after === "title" && t !== "") {
        subtitles.push(t);
        after = "year";
      }
      continue;
    }
    if (c.name === "w:tbl" && after !== null) {
      for (const tr of kids(c, "w:tr")) rows.push(kids(tr, "w:tc").filter((tc) => !isContinued(tc)).map((tc) => kids(tc, "w:p").map(textOf).join("\n").trim()));
      after = null;
    }
  }
  return { rows, subtitles };
}

/** The workbook: the rows between the year line and the frozen indicator header; a number as its printed text. */
async function xlsxRows(path: string, title: string): Promise<{ rows: Rows; subtitle: string; formats: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet(title)!;
  const head = (ws.views[0] as { ySplit?: number } | undefined)?.ySplit ?? 0;
  const rows: Rows = [];
  const formats: string[] = [];
  for (let r = 4; r < head; r++) {
    const row: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const cell = ws.getCell(r, c);
      if (cell.isMerged && cell.master.address !== cell.address) continue;
      const v = cell.value;
      if (typeof v === "number") {
        row.push(v.toFixed(2));
        formats.push(cell.numFmt);
      } else row.push(v === null || v === undefined ? "" : String(v as string).trim());
    }
    rows.push(row);
  }
  return { rows, subtitle: String(ws.getCell(3, 1).value ?? ""), formats };
}

const HEADING = /^(表\d+|第[一二三四五六七八九十]+部分|部门整体绩效目标表$|项目支出绩效目标表$)/;

/** The PDF's pages from the one with the title on a line of its own, up to the next table, part or performance table. */
function pdfPages(pdf: string, title: string): string {
  const r = spawnSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  const pages = r.stdout.split("\f").map((p) => p.split("\n").map(squash));
  const start = pages.findIndex((p) => p.includes(title));
  if (start < 0) return "";
  let end = start + 1;
  while (end < pages.length && !pages[end]!.some((l) => HEADING.test(l))) end++;
  return pages
    .slice(start, end)
    .map((p) => p.join("\n"))
    .join("\n");
}

// ---------------------------------------------------------------------------------------------------------------

const EXAMPLES = ["changji-xinfang-2024", "three-units-2024"] as const;
interface Built {
  readonly out: string;
  readonly budget: Budget;
  readonly html: string;
  readonly docx: Buffer;
}
const built = new Map<string, Built>();

beforeAll(async () => {
  await Promise.all(
    EXAMPLES.map(async (name) => {
      const out = tempDir(`gongkai-perf-${name}-`);
      const file = join(ROOT, "examples", name, "budget.yaml");
      const r = await buildAsync(file, out);
      if (r.status !== 0 && r.status !== 1) throw new Error(`build ${name} failed (${r.status}): ${r.stderr}`);
      const read = await readBudgetFile(file);
      if (!read.ok) throw new Error(`${name} does not read`);
      built.set(name, { out, budget: read.budget, html: readFileSync(join(out, "index.html"), "utf8"), docx: readFileSync(join(out, "disclosure.docx")) });
    }),
  );
}, 240_000);

const CASES = EXAMPLES.flatMap((name) => [
  { name, title: DEPARTMENT, expected: (b: Budget) => expectedDepartment(b) },
  { name, title: PROJECT, expected: (b: Budget) => expectedProjects(b) },
]);

describe.each(CASES)("$name: $title", ({ name, title, expected }) => {
  const want = () => texts(expected(built.get(name)!.budget));
  const year = () => `（${built.get(name)!.budget.department.year}年）`;

  it("the page shows the year and every header field, each label with its derived value", () => {
    const b = built.get(name)!;
    expect(htmlRows(b.html, title)).toEqual(want());
    const subs = htmlSubtitles(b.html, title);
    expect(subs.length).toBeGreaterThan(0);
    for (const s of subs) expect(s).toBe(year());
  });

  it("Word shows the same rows and the year", () => {
    const { rows, subtitles } = docxRows(built.get(name)!.docx, title);
    expect(rows).toEqual(want());
    expect(subtitles.length).toBeGreaterThan(0);
    for (const s of subtitles) expect(s).toBe(year());
  });

  it("the workbook shows the same rows and the year, amounts as numbers in the tables' format", async () => {
    const x = await xlsxRows(join(built.get(name)!.out, "disclosure.xlsx"), title);
    expect(x.rows).toEqual(want());
    expect(x.subtitle).toBe(year());
    expect(x.formats.length).toBeGreaterThan(0);
    for (const f of x.formats) expect(f).toBe("#,##0.00");
  });

  it.runIf(HAVE_PDFTOTEXT || CI)("the PDF shows the year, every label and value, each amount on its label's line", () => {
    const text = pdfPages(join(built.get(name)!.out, "disclosure.pdf"), title);
    expect(text, "no PDF page starts with the title").not.toBe("");
    const flat = squash(text);
    expect(flat).toContain(squash(year()));
    const lines = text.split("\n").map(squash);
    for (const cells of expected(built.get(name)!.budget)) {
      const row = texts([cells])[0]!;
      // a value over several lines has its label, centred beside it, between two of its lines
      const others = cells.reduce((t: string, c) => (typeof c === "string" ? t.split(squash(c)).join("") : t), flat);
      for (const cell of row) expect(flat.includes(squash(cell)) || others.includes(squash(cell)), cell).toBe(true);
      // an amount stands on the line of the label before it in its row (a leaf label: 上级安排 55.00)
      row.forEach((cell, k) => {
        if (k === 0 || !/^\d+\.\d\d$/.test(cell)) return;
        const label = squash(row[k - 1]!);
        expect(lines.some((l) => l.includes(`${label}${cell}`)), `${label} ${cell}`).toBe(true);
      });
    }
  });
});

const isLabel = (c: Cell | undefined): c is string => typeof c === "string";
/** A label of the CSV contract (normalised: 部门名称, 财政资金) names the printed one it begins (部门名称（盖章）). */
const like = (label: string, part: string) => squash(label).startsWith(squash(part));

describe("the reference's header fields", () => {
  /** Labels as the seed prints them: the text of its two performance tables. */
  const seed = squash(readFileSync(REFERENCE_SEED, "utf8").split("部门整体绩效目标表").slice(1).join(""));
  /** Values the reference prints wrong (test/reference/changji-xinfang-2024/README.md) and what is derived instead. */
  const CORRECTED: Readonly<Record<string, string>> = {
    "财政资金 上级安排": "55.00", // 表1: 55.00 of the 537.45 is 上级转移支付
    "财政资金 本级安排": "482.45",
    项目名称: "信访工作业务经费", // as 表7 names the project
  };

  it.each([
    [DEPARTMENT, "perf-department-header.csv", expectedDepartment],
    [PROJECT, "perf-project-header.csv", expectedProjects],
  ])("%s prints every field of %s with the seed's label and the derived value", (title, file, expected) => {
    const b = built.get("changji-xinfang-2024")!;
    const want = expected(b.budget);
    expect(htmlRows(b.html, title)).toEqual(texts(want));
    const labels = want.flat().filter(isLabel);
    for (const label of labels) expect(seed, `${label}: the seed's label`).toContain(squash(label));
    for (const [field, value] of readCsvFile(join(REFERENCE_EXPECTED, file)).slice(1)) {
      const parts = field!.split(" ");
      const leaf = parts[parts.length - 1]!;
      // the CSV's label (normalised: 部门名称, 财政资金 上级安排) names a printed label; its value is the first after it
      const row = want.find((r) => r.some((c) => isLabel(c) && like(c, leaf)))!;
      expect(row, field).toBeDefined();
      const k = row.findIndex((c) => isLabel(c) && like(c, leaf));
      const got = row.slice(k + 1).find((c) => !isLabel(c)) as { v: string };
      expect(squash(got.v), field).toBe(squash(CORRECTED[field!] ?? value!));
      for (const p of parts.slice(0, -1)) expect(labels.some((l) => like(l, p)), `${field}: group ${p}`).toBe(true);
    }
  });
});
