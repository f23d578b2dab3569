/**
 * Every prior-year key a clerk may fill is shown with its Chinese name: the template's compared figures (those the
 * narrative states a change of) and one key per 项 of the compared families appear in the scaffold of `gongkai new`,
 * each with its template name as the line's comment, and in the prior-year sheet of the input workbook — an empty one
 * (`gongkai workbook`), where the families' rows say how their keys are made, and one filled from the scaffold.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { isMap, isScalar, parseDocument, type Pair } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { figureNamer } from "../src/app/build-disclosure.ts";
import { SHEET } from "../src/adapters/ingest/xlsx-input-layout.ts";
import { loadCatalog, loadTemplate } from "../src/adapters/ingest/project-data.ts";
import type { CompiledTemplate } from "../src/domain/table-engine.ts";
import { runCli, tempDir } from "./cli-harness.ts";

const ct = loadTemplate("xinjiang-2024") as CompiledTemplate;
const catalog = loadCatalog(ct.data.catalog_year)!;
const name = figureNamer(ct, catalog);
const compared = Object.entries(ct.data.figures)
  .filter(([, f]) => f.compare)
  .map(([id]) => id);
const comparedFamilies = Object.entries(ct.data.figure_families).filter(([, f]) => f.compare);

/** The prior-year sheet of a workbook: id → name, in order. */
async function priorSheet(file: string): Promise<Map<string, string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(SHEET.prior)!;
  const rows = new Map<string, string>();
  ws.eachRow((row, i) => {
    if (i === 1) return;
    const id = row.getCell(1).text;
    if (id) rows.set(id, row.getCell(2).text);
  });
  return rows;
}

describe("prior-year keys with their names", () => {
  let scaffoldFile = "";
  let scaffold = "";
  const dir = tempDir();
  beforeAll(() => {
    const r = runCli(["new", join(dir, "dept")]);
    expect(r.status, r.stderr).toBe(0);
    scaffoldFile = join(dir, "dept", "budget.yaml");
    scaffold = readFileSync(scaffoldFile, "utf8");
  });

  it("the template compares figures and a family by 项 (what the rest of this test relies on)", () => {
    expect(compared.length).toBeGreaterThan(15);
    expect(comparedFamilies.map(([f, spec]) => [f, spec.by])).toEqual([["func", "function_item"]]);
  });

  it("the scaffold lists every compared figure and the 项 of its lines, each with its template name as comment", () => {
    const doc = parseDocument(scaffold);
    const prior = doc.get("prior_year");
    expect(isMap(prior)).toBe(true);
    const lines = scaffold.split("\n");
    const keyed = new Map<string, string>();
    for (const pair of (prior as { items: Pair[] }).items) {
      const key = pair.key;
      if (!isScalar(key) || !key.range) throw new Error("a prior_year key without a position");
      const line = scaffold.slice(0, key.range[0]).split("\n").length;
      const comment = /#\s*(.*)$/.exec(lines[line - 1] ?? "")?.[1]?.trim() ?? "";
      keyed.set(String(key.value), comment);
    }
    const items = [...new Set((doc.toJS() as { lines: { func: string }[] }).lines.map((l) => l.func))];
    const expected = [...compared, ...comparedFamilies.flatMap(([family]) => items.map((code) => `${family}.${code}`))];
    for (const id of expected) expect(keyed.get(id), `prior_year.${id} with its name`).toBe(name(id));
    // and nothing unnamed
    for (const [id, comment] of keyed) expect(comment, id).toBe(name(id));
  });

  it("an empty workbook's prior sheet has every compared figure with its name, and a row per compared family saying how its keys are made", async () => {
    const file = join(dir, "empty.xlsx");
    const r = runCli(["workbook", "--out", file]);
    expect(r.status, r.stderr).toBe(0);
    const rows = await priorSheet(file);
    for (const id of compared) expect(rows.get(id), id).toBe(name(id));
    for (const [family] of comparedFamilies) {
      const pattern = [...rows.keys()].find((id) => id.startsWith(`${family}.<`));
      expect(pattern, `a row for ${family}.<…>`).toBeDefined();
      const example = /如 (\S+)：(.+)$/.exec(rows.get(pattern!)!);
      expect(example, rows.get(pattern!)).not.toBeNull();
      expect(example![2]).toBe(name(example![1]!));
    }
    // the pattern row left as it is is not read; an amount written in it is refused at its cell (it is not an id)
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet(SHEET.prior)!;
    const at = [...rows.keys()].findIndex((id) => id.includes("<")) + 2;
    const blank = runCli(["check", file, "--json"]);
    expect(blank.stdout).not.toContain(`${SHEET.prior}!A${at}`);
    ws.getCell(`C${at}`).value = 5;
    const filled = join(dir, "pattern-filled.xlsx");
    await wb.xlsx.writeFile(filled);
    const r2 = runCli(["check", filled, "--json"]);
    expect(r2.status).toBe(2);
    expect(r2.stdout).toContain(`${SHEET.prior}!A${at}`);
  });

  it("a workbook filled from the scaffold names every key of its prior sheet", async () => {
    const file = join(dir, "filled.xlsx");
    const r = runCli(["workbook", "--from", scaffoldFile, "--out", file]);
    expect(r.status, r.stderr).toBe(0);
    const rows = await priorSheet(file);
    const prior = Object.keys((parseDocument(scaffold).toJS() as { prior_year: Record<string, unknown> }).prior_year);
    for (const id of prior) expect(rows.get(id), id).toBe(name(id));
  });
});
