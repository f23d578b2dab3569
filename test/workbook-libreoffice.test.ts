/**
 * A workbook our writer did not make: test/fixtures/workbook/changji-libreoffice.xlsx, saved by LibreOffice's own
 * XLSX filter from a hand-typed flat ODF file, with amounts typed as numbers and as text. It imports to the example's
 * very budget and builds the reference tables exactly. When LibreOffice is here (always in CI), the `.fods` is
 * converted again and must give the same budget.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readWorkbookFile } from "../src/adapters/ingest/xlsx-budget-reader.ts";
import { canonical } from "../src/adapters/ingest/xlsx-import.ts";
import { tableSpec, SHEET } from "../src/adapters/ingest/xlsx-input-layout.ts";
import { XlsxWorkbook } from "../src/adapters/ingest/xlsx-sheets.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { csvDiff, readCsvFile, REFERENCE_EXPECTED, ROOT, runCli, tempDir } from "./cli-harness.ts";

const FIXTURES = join(ROOT, "test/fixtures/workbook");
const XLSX = join(FIXTURES, "changji-libreoffice.xlsx");
const FODS = join(FIXTURES, "changji-libreoffice.fods");
const REFERENCE_TABLES = readdirSync(REFERENCE_EXPECTED)
  .filter((f) => /^(t\d\d|perf-department|perf-project)\.csv$/.test(f))
  .sort();

async function exampleBudget(): Promise<string> {
  const r = await readBudgetFile(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"));
  if (!r.ok) throw new Error("the example does not read");
  return canonical(r.budget);
}

describe("a workbook saved by LibreOffice", () => {
  let out = "";
  let yaml = "";
  let importRun = { status: null as number | null, stdout: "", stderr: "" };
  beforeAll(() => {
    const dir = tempDir("gongkai-lo-");
    yaml = join(dir, "budget.yaml");
    out = join(dir, "out");
    importRun = runCli(["import", XLSX, "--out", yaml]);
    expect(importRun.status, importRun.stderr).toBe(0);
    const b = runCli(["build", yaml, "--out", out]);
    expect(b.status, b.stderr).toBe(0);
  });

  it("was saved by LibreOffice, with amounts typed as numbers and as text (thousands separators, full-width digits)", () => {
    const wb = XlsxWorkbook.open(readFileSync(XLSX));
    expect(wb.application()).toMatch(/^LibreOffice\//);
    const lines = wb.sheet(SHEET.lines)!;
    const amountCol = tableSpec(SHEET.lines).columns.findIndex((c) => c.key === "amount") + 1;
    const amounts = lines.rows.filter((r) => r.row > 1).map((r) => r.cells.get(amountCol)!);
    expect(amounts.filter((c) => c.type === "number").length).toBeGreaterThan(5);
    const texts = amounts.filter((c) => c.type === "text").map((c) => c.text);
    expect(texts.some((t) => /^\d{1,3}(,\d{3})+$/.test(t))).toBe(true);
    expect(texts.some((t) => /[０-９]/.test(t))).toBe(true);
    expect(texts.some((t) => t.endsWith(" "))).toBe(true);
    const allocation = wb.sheet(SHEET.allocation)!;
    expect(allocation.rows.some((r) => [...r.cells.values()].some((c) => c.formula !== undefined && c.type === "number"))).toBe(true);
  });

  it("notes the clerk's own column and is otherwise clean", () => {
    expect(importRun.stdout).toMatch(/明细!I1：提示：“核对”列/);
    expect(importRun.stdout).toContain("错误（0）");
  });

  it("imports to the example's very budget", async () => {
    const imported = await readBudgetFile(yaml);
    expect(imported.ok).toBe(true);
    if (imported.ok) expect(canonical(imported.budget)).toBe(await exampleBudget());
  });

  it.each(REFERENCE_TABLES)("%s built from it equals the reference", (name) => {
    const got = readCsvFile(join(out, "tables", name));
    const want = readCsvFile(join(REFERENCE_EXPECTED, name));
    expect(csvDiff(got, want)).toEqual([]);
    expect(got.length).toBe(want.length);
  });

  it("is what LibreOffice makes of the committed .fods today (soffice; required in CI)", async () => {
    const soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
    if (!soffice) {
      if (process.env["CI"] === "true") throw new Error("LibreOffice (soffice) is required in CI: apt-get install libreoffice-calc-nogui");
      console.warn("skipped: no soffice here to convert test/fixtures/workbook/changji-libreoffice.fods (apt-get install libreoffice-calc-nogui)");
      return;
    }
    const dir = tempDir("gongkai-soffice-");
    // a profile of its own, so that a LibreOffice already running for the user does not take the job
    const r = spawnSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "xlsx", "--outdir", dir, FODS], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const converted = await readWorkbookFile(join(dir, "changji-libreoffice.xlsx"));
    expect(converted.ok, converted.ok ? "" : JSON.stringify(converted.problems.slice(0, 3))).toBe(true);
    if (converted.ok) {
      expect(converted.application).toMatch(/^LibreOffice\//);
      expect(canonical(converted.budget)).toBe(await exampleBudget());
    }
  }, 150_000);
});
