/**
 * The input workbook through the CLI, as a clerk's round trip: `workbook --from` → `import` → `build` reproduces the
 * reference tables exactly, and the three-unit example's tables; `build`/`check` read the workbook directly, with
 * findings placed at their cell; the imported YAML reads back as the very budget of the example.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { readWorkbookFile } from "../src/adapters/ingest/xlsx-budget-reader.ts";
import { canonical } from "../src/adapters/ingest/xlsx-import.ts";
import { LAYOUT, SHEET } from "../src/adapters/ingest/xlsx-input-layout.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { budgetSchema } from "../src/domain/budget-schema.ts";
import { csvDiff, readCsvFile, REFERENCE_EXPECTED, ROOT, runCli, tempDir } from "./cli-harness.ts";
import { problemsOf } from "./workbook-harness.ts";

const REFERENCE_TABLES = readdirSync(REFERENCE_EXPECTED)
  .filter((f) => /^(t\d\d|perf-department|perf-project)\.csv$/.test(f))
  .sort();

function tables(out: string): Map<string, string[][]> {
  const dir = join(out, "tables");
  return new Map(readdirSync(dir).map((f) => [f, readCsvFile(join(dir, f))]));
}

interface Trip {
  dir: string;
  xlsx: string;
  yaml: string;
  fromYaml: string;
  fromXlsx: string;
}

/** workbook --from example → import → build (from the YAML and from the workbook). */
function roundTrip(example: string, extra: string[] = []): Trip {
  const dir = tempDir("gongkai-trip-");
  const xlsx = join(dir, "budget.xlsx");
  const yaml = join(dir, "budget.yaml");
  const w = runCli(["workbook", "--from", join(ROOT, "examples", example), "--out", xlsx]);
  expect(w.status, w.stderr).toBe(0);
  expect(w.stdout).toContain(xlsx);
  const i = runCli(["import", xlsx, "--out", yaml]);
  expect(i.status, i.stderr + i.stdout).toBe(0);
  const fromYaml = join(dir, "out-yaml");
  const b1 = runCli(["build", yaml, "--out", fromYaml, ...extra]);
  expect(b1.status, b1.stderr).toBe(0);
  const fromXlsx = join(dir, "out-xlsx");
  const b2 = runCli(["build", xlsx, "--out", fromXlsx, ...extra]);
  expect(b2.status, b2.stderr).toBe(0);
  return { dir, xlsx, yaml, fromYaml, fromXlsx };
}

describe("reference example through the workbook", () => {
  let trip: Trip;
  beforeAll(() => {
    trip = roundTrip("changji-xinfang-2024");
  });

  it.each(REFERENCE_TABLES)("%s from workbook → import → build equals the reference cell by cell", (name) => {
    const got = readCsvFile(join(trip.fromYaml, "tables", name));
    const want = readCsvFile(join(REFERENCE_EXPECTED, name));
    expect(csvDiff(got, want)).toEqual([]);
    expect(got.length).toBe(want.length);
  });

  it("builds the same tables from the workbook directly as from the imported YAML", () => {
    expect(tables(trip.fromXlsx)).toEqual(tables(trip.fromYaml));
  });

  it("imports to the example's very budget (every amount, code and text), as YAML with unquoted amounts and comments", async () => {
    const original = await readBudgetFile(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"));
    const imported = await readBudgetFile(trip.yaml);
    const workbook = await readWorkbookFile(trip.xlsx);
    expect(original.ok && imported.ok && workbook.ok).toBe(true);
    if (!original.ok || !imported.ok || !workbook.ok) return;
    expect(canonical(imported.budget)).toBe(canonical(original.budget));
    expect(canonical(workbook.budget)).toBe(canonical(original.budget));
    const text = readFileSync(trip.yaml, "utf8");
    expect(text).toMatch(/^# .*gongkai import/m);
    expect(text).toContain("format: gongkai/budget@1");
    expect(text).toMatch(/\{ unit: "001", func: "2010301", econ: "30101", fund: gpb\.own, kind: basic, amount: 786750 \}/);
    expect(text).toMatch(/^ {2}income\.gpb_own: 4813000$/m);
  });
});

describe("three-unit example through the workbook", () => {
  let trip: Trip;
  let yamlBuild = "";
  beforeAll(() => {
    trip = roundTrip("three-units-2024");
    yamlBuild = join(trip.dir, "out-original");
    const r = runCli(["build", join(ROOT, "examples/three-units-2024"), "--out", yamlBuild]);
    expect(r.status, r.stderr).toBe(0);
  });

  it("gives the tables of the YAML build, from the imported YAML and from the workbook", () => {
    const want = tables(yamlBuild);
    expect(want.size).toBeGreaterThanOrEqual(13);
    for (const got of [tables(trip.fromYaml), tables(trip.fromXlsx)]) {
      for (const [name, t] of want) expect(csvDiff(got.get(name) ?? [], t), name).toEqual([]);
    }
  });

  it("gives each unit's tables too (--unit 103)", () => {
    const a = join(trip.dir, "u-yaml");
    const b = join(trip.dir, "u-xlsx");
    expect(runCli(["build", join(ROOT, "examples/three-units-2024"), "--out", a, "--unit", "103"]).status).toBe(0);
    expect(runCli(["build", trip.xlsx, "--out", b, "--unit", "103"]).status).toBe(0);
    expect(tables(b)).toEqual(tables(a));
  });

  it("imports to the example's very budget", async () => {
    const original = await readBudgetFile(join(ROOT, "examples/three-units-2024/budget.yaml"));
    const imported = await readBudgetFile(trip.yaml);
    expect(original.ok && imported.ok).toBe(true);
    if (original.ok && imported.ok) expect(canonical(imported.budget)).toBe(canonical(original.budget));
  });

  it("carries the example's names through the sheet 科目名称: workbook, import and build print the given name", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(trip.xlsx);
    const names = wb.getWorksheet(SHEET.names)!;
    expect([names.getCell("A2").value, names.getCell("B2").value, names.getCell("C2").value]).toEqual(["功能分类", "2230202", "公益性设施投资支出"]);
    expect(wb.getWorksheet(SHEET.lines)!.getCell("C37").value).toBe("2230202 公益性设施投资支出");
    expect(readFileSync(trip.yaml, "utf8")).toMatch(/^names:\n {2}func:\n {4}"2230202": 公益性设施投资支出$/m);
    const imported = await readBudgetFile(trip.yaml);
    expect(imported.ok && imported.budget.names).toEqual({ func: { "2230202": "公益性设施投资支出" }, econ: {} });
    for (const out of [trip.fromYaml, trip.fromXlsx]) {
      const t09 = readFileSync(join(out, "tables", "t09.csv"), "utf8");
      expect(t09).toContain("223,02,02,公益性设施投资支出");
      expect(t09).not.toContain("未列入目录");
    }
  });

  it("check on the workbook places a finding at its cell: the unknown code of lines[35] at 明细!C37", () => {
    const text = runCli(["check", trip.xlsx]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`I-CODE-UNKNOWN  ${trip.xlsx}:明细!C37 lines[35].func`);
    const json = runCli(["check", trip.xlsx, "--json"]);
    const findings = (JSON.parse(json.stdout) as { findings: { code: string; field: string | null; location: unknown }[] }).findings;
    const unknown = findings.find((f) => f.code === "I-CODE-UNKNOWN");
    expect(unknown?.location).toEqual({ cell: "明细!C37" });
    const reason = findings.find((f) => f.code === "I-REASON-DIRECTION");
    expect(reason?.location).toMatchObject({ cell: expect.stringMatching(/^上年数与原因!D\d+$/) as unknown });
  });
});

describe("the workbook itself", () => {
  let dir = "";
  let empty = "";
  beforeAll(() => {
    dir = tempDir("gongkai-wb-");
    empty = join(dir, "empty.xlsx");
    const r = runCli(["workbook", "--out", empty]);
    expect(r.status, r.stderr).toBe(0);
  });

  it("has the instructions first, every sheet of the layout, and the lists hidden", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(empty);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET.guide, ...LAYOUT.map((s) => s.name), SHEET.lists]);
    expect(wb.getWorksheet(SHEET.lists)?.state).toBe("hidden");
    const guide = wb.getWorksheet(SHEET.guide)!;
    const guideText = guide.getSheetValues().flat().filter((v) => typeof v === "string").join("\n");
    for (const spec of LAYOUT) {
      expect(guideText).toContain(spec.name);
      const headers = spec.kind === "table" ? spec.columns.map((c) => c.header) : spec.rows.map((r) => r.header);
      for (const h of headers) expect(guideText).toContain(h);
    }
    expect(guideText).toContain("Amounts are in yuan"); // the English column
  });

  it("freezes the headers, formats amounts and code columns, and offers lists with the warning style", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(empty);
    const lines = wb.getWorksheet(SHEET.lines)!;
    expect(lines.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(lines.getCell("F1").value).toBe("金额（元）");
    expect(lines.getColumn(6).numFmt).toBe("#,##0.00");
    expect(lines.getColumn(3).numFmt).toBe("@");
    expect(lines.getColumn(1).numFmt).toBe("@");
    const dv = (lines as unknown as { dataValidations: { model: Record<string, { type: string; errorStyle?: string; formulae: string[] }> } }).dataValidations.model;
    for (const col of ["A", "B", "C", "D", "E", "G"]) {
      const v = dv[`${col}2`];
      expect(v, col).toBeDefined();
      expect(v?.type).toBe("list");
      expect(v?.errorStyle).toBe("warning");
    }
    expect(dv["C2"]?.formulae[0]).toMatch(/代码表/);
    expect(dv["A2"]?.formulae[0]).toMatch(/单位/);
    const indicators = wb.getWorksheet(SHEET.indicators)!;
    const cmp = (indicators as unknown as { dataValidations: { model: Record<string, { errorStyle?: string }> } }).dataValidations.model["E2"];
    expect(cmp?.errorStyle).toBe("warning");
    const lists = wb.getWorksheet(SHEET.lists)!;
    const values = lists.getSheetValues().flat().filter((v) => typeof v === "string");
    expect(values).toContain("2010301 行政运行");
    expect(values).toContain("30101 基本工资");
    expect(values).toContain("≥");
    expect(values).toContain("一般公共预算（本级一般财力）");
  });

  it("an empty workbook imports to the list of what is missing, at its cells, and nothing is written", () => {
    const out = join(dir, "empty.yaml");
    const r = runCli(["import", empty, "--out", out, "--json"]);
    expect(r.status).toBe(2);
    const problems = problemsOf(r);
    expect(problems.find((p) => p.field === "department.name")).toMatchObject({ code: "field.missing", cell: "部门!B2" });
    expect(problems.find((p) => p.field === "units")).toMatchObject({ code: "field.too_few", cell: "单位!A1" });
    expect(problems.every((p) => !p.code.startsWith("xlsx."))).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses to overwrite a file without --force, for workbook and import", () => {
    const r = runCli(["workbook", "--out", empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--force");
    const yaml = join(dir, "exists.yaml");
    writeFileSync(yaml, "keep me");
    const i = runCli(["import", empty, "--out", yaml]);
    expect(i.status).toBe(2);
    expect(readFileSync(yaml, "utf8")).toBe("keep me");
  });

  it("reads every top-level field of the budget format (a new field needs a place in the workbook)", () => {
    const handled = ["format", "constructed", "department", "units", "profile", "projects", "lines", "carryover", "prior_year", "reasons", "descriptions", "names", "procurement", "assets", "performance"];
    expect(Object.keys(budgetSchema.shape).sort()).toEqual(handled.sort());
  });
});
