/**
 * Bad workbooks through the CLI (`import --json`, and `build`): each case exits 2 with its code at its sheet!cell,
 * in Chinese, with no stack trace, nothing written and no hang; several at once are all reported. Then containers
 * that are not workbooks at all: an Excel 97 file, not a zip, over the size limit, zip bombs, a range of a million
 * rows. Unknown codes: a warning at their cell against our catalog, an error against an official one.
 */
import { cpSync, existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { SHEET } from "../src/adapters/ingest/xlsx-input-layout.ts";
import { ROOT, runCli, tempDir } from "./cli-harness.ts";
import { editWorkbook, exampleWorkbook, importBytes, makeZip, problemsOf, replaceEntries, sheet, sheetPart, unzip, type Problem } from "./workbook-harness.ts";

let base: Buffer;
beforeAll(() => {
  base = exampleWorkbook();
});

const NO_STACK = /\n\s+at .+:\d+:\d+/;

/** Imports, expects exit 2, a Chinese message, no stack trace, no output; returns the problems. */
function refused(bytes: Uint8Array | string, name = "budget.xlsx"): Problem[] {
  const started = Date.now();
  const r = importBytes(bytes, name);
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(r.status, r.stderr + r.stdout.slice(0, 2000)).toBe(2);
  expect(r.stderr).not.toMatch(NO_STACK);
  expect(existsSync(r.out)).toBe(false);
  const problems = problemsOf(r);
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  return problems;
}

const lines = (wb: ExcelJS.Workbook) => sheet(wb, SHEET.lines);
const withoutComments = (yaml: string) => yaml.replace(/^#.*$/gm, "");

interface CellCase {
  name: string;
  edit: (wb: ExcelJS.Workbook) => void;
  code: string;
  cell: string;
  field?: string;
}

// Rows of 明细: lines[i] is on row i + 2; the amount is column F.
const CELL_CASES: CellCase[] = [
  { name: "a number with three decimals", edit: (wb) => (lines(wb).getCell("F5").value = 100.005), code: "amount.too_many_decimals", cell: "明细!F5", field: "lines[3].amount" },
  { name: "text with three decimals", edit: (wb) => (lines(wb).getCell("F6").value = "1,000.005"), code: "amount.too_many_decimals", cell: "明细!F6", field: "lines[4].amount" },
  { name: "a negative amount", edit: (wb) => (lines(wb).getCell("F7").value = -50), code: "amount.negative", cell: "明细!F7", field: "lines[5].amount" },
  {
    name: "a formula whose result has too many decimals",
    edit: (wb) => (lines(wb).getCell("F8").value = { formula: "100/3", result: 100 / 3 }),
    code: "xlsx.formula_not_amount",
    cell: "明细!F8",
    field: "lines[6].amount",
  },
  {
    name: "a formula whose result is text",
    edit: (wb) => (lines(wb).getCell("F9").value = { formula: 'TEXT(5,"0")', result: "五" }),
    code: "xlsx.formula_not_amount",
    cell: "明细!F9",
  },
  {
    name: "a formula whose result is an error",
    edit: (wb) => (lines(wb).getCell("F10").value = { formula: "1/0", result: { error: "#DIV/0!" } }),
    code: "xlsx.formula_error",
    cell: "明细!F10",
  },
  { name: "a formula never computed", edit: (wb) => (lines(wb).getCell("F11").value = { formula: "1+1" } as ExcelJS.CellFormulaValue), code: "xlsx.formula_no_value", cell: "明细!F11" },
  { name: "a merged block inside the data", edit: (wb) => lines(wb).mergeCells("G12:H12"), code: "xlsx.merged_cells", cell: "明细!G12" },
  { name: "a hidden row with data", edit: (wb) => (lines(wb).getRow(14).hidden = true), code: "xlsx.hidden_row", cell: "明细!A14" },
  { name: "a fund source not in its list", edit: (wb) => (lines(wb).getCell("E4").value = "一般预算"), code: "xlsx.bad_choice", cell: "明细!E4", field: "lines[2].fund" },
  { name: "a code of the wrong length", edit: (wb) => (lines(wb).getCell("C3").value = 201030), code: "code.bad_shape", cell: "明细!C3", field: "lines[1].func" },
  { name: "a line naming a unit that does not exist", edit: (wb) => (lines(wb).getCell("A15").value = "009"), code: "line.unknown_unit", cell: "明细!A15", field: "lines[13].unit" },
  {
    name: "a missing column (金额 renamed to 金额（万元）)",
    edit: (wb) => (lines(wb).getCell("F1").value = "金额（万元）"),
    code: "xlsx.missing_column",
    cell: "明细!F1",
  },
  { name: "an empty required cell in a form", edit: (wb) => (sheet(wb, SHEET.department).getCell("B2").value = null), code: "field.missing", cell: "部门!B2", field: "department.name" },
  { name: "a missing row in a form", edit: (wb) => sheet(wb, SHEET.procurement).spliceRows(3, 1), code: "xlsx.missing_row", cell: "采购!A3", field: "procurement.works" },
  { name: "a hidden sheet holding data", edit: (wb) => (sheet(wb, SHEET.functions).state = "hidden"), code: "xlsx.hidden_sheet", cell: "职能!A1" },
  { name: "a prior-year figure with a malformed id", edit: (wb) => (sheet(wb, SHEET.prior).getCell("A2").value = "Income.GPB"), code: "figure.bad_id", cell: "上年数与原因!A2" },
];

describe("a bad cell or layout in a workbook", () => {
  it.each(CELL_CASES)("$name → exit 2, $code at $cell, nothing written", async (c) => {
    const problems = refused(await editWorkbook(base, c.edit));
    const p = problems.find((x) => x.code === c.code);
    expect(p, JSON.stringify(problems.slice(0, 5))).toBeDefined();
    expect(p!.cell).toBe(c.cell);
    if (c.field) expect(p!.field).toBe(c.field);
    expect(p!.message).toContain(c.cell);
  });

  it("a missing sheet → exit 2 naming the sheet, nothing written", async () => {
    const problems = refused(await editWorkbook(base, (wb) => wb.removeWorksheet(sheet(wb, SHEET.carryover).id)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "xlsx.missing_sheet", params: { sheet: SHEET.carryover } });
    expect(problems[0]!.message).toContain("结转");
  });

  it("several problems in several sheets are all reported at once, in sheet and cell order", async () => {
    const bytes = await editWorkbook(base, (wb) => {
      for (const c of CELL_CASES.filter((x) => !x.code.startsWith("xlsx.missing"))) c.edit(wb);
    });
    const problems = refused(bytes);
    // the reference problems (a unit that does not exist) too: they no longer wait for the schema problems' fixes
    const expected = CELL_CASES.filter((x) => !x.code.startsWith("xlsx.missing")).map((c) => `${c.code}@${c.cell}`);
    expect(expected).toContain("line.unknown_unit@明细!A15");
    const got = problems.map((p) => `${p.code}@${p.cell ?? ""}`);
    for (const e of expected) expect(got).toContain(e);
    const cells = problems.map((p) => p.cell ?? "");
    expect(cells.indexOf("部门!B2")).toBeLessThan(cells.indexOf("明细!C3"));
    expect(cells.indexOf("明细!C3")).toBeLessThan(cells.indexOf("明细!F5"));
  });

  it("a schema problem and every reference problem in one run: unknown unit and project, a project on a basic line", async () => {
    const bytes = await editWorkbook(base, (wb) => {
      const ws = lines(wb);
      ws.getCell("F5").value = 100.005; // schema: three decimals
      ws.getCell("A15").value = "009"; // unknown unit
      ws.getCell("G2").value = "P2024001"; // a project on a basic line (lines[0] is basic)
      const projectRow = ws.getColumn(7).values.findIndex((v, i) => i > 2 && v === "P2024001");
      ws.getCell(`G${projectRow}`).value = "P2099999"; // unknown project
    });
    const problems = refused(bytes);
    const got = problems.map((p) => `${p.code}@${p.cell ?? ""} ${p.field ?? ""}`);
    expect(got).toEqual(
      expect.arrayContaining([
        "amount.too_many_decimals@明细!F5 lines[3].amount",
        "line.basic_with_project@明细!G2 lines[0].project",
        "line.unknown_unit@明细!A15 lines[13].unit",
        expect.stringMatching(/^line\.unknown_project@明细!G\d+ lines\[\d+\]\.project$/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it("build and check refuse the same workbook with exit 2 and write nothing", async () => {
    const dir = tempDir("gongkai-wb-");
    const file = join(dir, "bad.xlsx");
    writeFileSync(file, await editWorkbook(base, CELL_CASES[0]!.edit));
    const out = join(dir, "out");
    const b = runCli(["build", file, "--out", out]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain(`${file}:明细!F5 lines[3].amount：金额最多两位小数（得到 "100.005"）`);
    expect(existsSync(out)).toBe(false);
    const en = runCli(["check", file, "--lang", "en"]);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain(`${file}:明细!F5 lines[3].amount: an amount has at most two decimals`);
  });

  it("accepts amounts typed as text with separators, full-width digits and spaces, and codes typed as numbers", async () => {
    const bytes = await editWorkbook(base, (wb) => {
      const ws = lines(wb);
      ws.getCell("F2").value = " 786,750 ";
      ws.getCell("F3").value = "５９５５００";
      ws.getCell("F4").value = "391200.00";
      ws.getCell("C2").value = 2010301;
      ws.getCell("D2").value = 30101;
    });
    const r = importBytes(bytes);
    expect(r.status, r.stdout).toBe(0);
    const base2 = importBytes(base);
    expect(base2.status).toBe(0);
    expect(withoutComments(readFileSync(r.out, "utf8"))).toBe(withoutComments(readFileSync(base2.out, "utf8")));
  });
});

describe("unknown classification codes in a workbook", () => {
  let file = "";
  let unnamed = "";
  beforeAll(async () => {
    const dir = tempDir("gongkai-wb-");
    unnamed = join(dir, "unnamed.xlsx");
    writeFileSync(unnamed, await editWorkbook(base, (wb) => (lines(wb).getCell("C5").value = "2239999")));
    file = join(dir, "codes.xlsx");
    writeFileSync(
      file,
      await editWorkbook(base, (wb) => {
        lines(wb).getCell("C5").value = "2239999";
        const names = sheet(wb, SHEET.names);
        names.getCell("A2").value = "功能分类";
        names.getCell("B2").value = "2239999";
        names.getCell("C2").value = "其他国有资本经营预算支出";
      }),
    );
  });

  it("without a name are the error I-CODE-UNNAMED at their cell: exit 1, outputs still written and marked failing", () => {
    const r = runCli(["check", unnamed]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/错误（1）\n {2}I-CODE-UNNAMED {2}.*:明细!C5 lines\[3\]\.func\n.*2239999.*names\.func.*科目名称/);
    expect(r.stdout).not.toContain("I-CODE-UNKNOWN");
    const out = join(tempDir("gongkai-out-"), "out");
    const b = runCli(["build", unnamed, "--out", out]);
    expect(b.status).toBe(1);
    expect(JSON.parse(readFileSync(join(out, "findings.json"), "utf8"))).toMatchObject({ status: "failing" });
  });

  it("named on the sheet 科目名称 are a warning at their cell against our partial catalog, and the name prints", () => {
    const r = runCli(["check", file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/警告（\d+）[\s\S]*I-CODE-UNKNOWN {2}.*:明细!C5 lines\[3\]\.func/);
    expect(r.stdout).not.toContain("I-CODE-UNNAMED");
    const out = join(tempDir("gongkai-out-"), "out");
    expect(runCli(["build", file, "--out", out]).status).toBe(0);
    const t02 = readFileSync(join(out, "tables", "t02.csv"), "utf8");
    expect(t02).toContain("其他国有资本经营预算支出");
    expect(t02).not.toContain("未列入目录");
  });

  it("are an error at their cell against an official catalog (import exits 1 and still writes, as build does)", () => {
    const dir = tempDir("gongkai-cat-");
    cpSync(join(ROOT, "data/catalogs/2024"), dir, { recursive: true });
    const r = runCli(["check", file, "--catalog", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/错误（[1-9]\d*）\n {2}I-CODE-UNKNOWN {2}.*:明细!C5 lines\[3\]\.func/);
    const out = join(tempDir("gongkai-imp-"), "budget.yaml");
    const i = runCli(["import", file, "--out", out, "--catalog", dir, "--json"]);
    expect(i.status).toBe(1);
    const findings = (JSON.parse(i.stdout) as { findings: { code: string; severity: string; location: unknown }[] }).findings;
    expect(findings.find((f) => f.code === "I-CODE-UNKNOWN")).toMatchObject({ severity: "error", location: { cell: "明细!C5" } });
    expect(existsSync(out)).toBe(true);
  });
});

describe("files that are not input workbooks", () => {
  const OLE2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096, 1)]);

  it.each(["budget.xls", "budget.xlsx", "budget.dat"])("an Excel 97 file (OLE2 magic) named %s → save it as .xlsx", (name) => {
    const problems = refused(OLE2, name);
    expect(problems[0]).toMatchObject({ code: "xlsx.legacy_xls" });
    expect(problems[0]!.message).toContain(".xlsx");
    expect(problems[0]!.message).toContain(".xls");
  });

  it("a file that is not a zip at all", () => {
    expect(refused("这不是工作簿\n", "budget.xlsx")[0]).toMatchObject({ code: "xlsx.not_a_workbook" });
    expect(refused("", "budget.xlsx")[0]).toMatchObject({ code: "xlsx.not_a_workbook" });
  });

  it("a zip that is not a spreadsheet, an ODF spreadsheet, and an xlsx of other sheets", () => {
    expect(refused(makeZip([{ name: "hello.txt", data: Buffer.from("hi") }]))[0]).toMatchObject({ code: "xlsx.not_a_workbook" });
    expect(refused(makeZip([{ name: "mimetype", data: Buffer.from("application/vnd.oasis.opendocument.spreadsheet"), method: 0 }]), "budget.ods")[0]).toMatchObject({ code: "xlsx.ods" });
    const other = replaceEntries(base, {
      "xl/workbook.xml": Buffer.from(unzip(base).get("xl/workbook.xml")!).toString("utf8").replace(/name="([^"]+)"/g, 'name="Sheet$1x"'),
    });
    expect(refused(other)[0]).toMatchObject({ code: "xlsx.not_input_workbook" });
  });

  it("a file over the size limit → exit 2 naming the limit, before it is read", () => {
    const dir = tempDir("gongkai-wb-");
    const file = join(dir, "budget.xlsx");
    writeFileSync(file, "");
    truncateSync(file, 10 * 1024 * 1024 + 1);
    const out = join(dir, "out");
    const r = runCli(["build", file, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("10 MB");
    expect(existsSync(out)).toBe(false);
  });

  it("an encrypted entry, and too many parts", () => {
    expect(refused(makeZip([{ name: "xl/workbook.xml", data: Buffer.from("<workbook/>"), flags: 1 }]))[0]).toMatchObject({ code: "xlsx.encrypted" });
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `p${i}.xml`, data: Buffer.from("<a/>") }));
    expect(refused(makeZip(many))[0]).toMatchObject({ code: "xlsx.too_many_parts" });
  });
});

describe("zip bombs and huge sheets are refused quickly", () => {
  it("a sheet that inflates to 300 MB (declared) is refused before it is inflated", () => {
    const part = sheetPart(base, SHEET.lines);
    const bomb = replaceEntries(base, { [part]: Buffer.alloc(300 * 1024 * 1024, 0x20) });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(refused(bomb)[0]).toMatchObject({ code: "xlsx.unzipped_too_large" });
  });

  it("a sheet whose header lies about its size stops inflating at the declared size", () => {
    const part = sheetPart(base, SHEET.lines);
    const entries = unzip(base);
    const lying = makeZip([...entries].map(([name, data]) => (name === part ? { name, data: Buffer.alloc(50 * 1024 * 1024, 0x20), declaredSize: 1000 } : { name, data })));
    expect(refused(lying)[0]).toMatchObject({ code: "xlsx.corrupt" });
  });

  it("250,000 rows, and a value in row 1,048,576, are more rows than the limit", () => {
    const part = sheetPart(base, SHEET.lines);
    const xml = Buffer.from(unzip(base).get(part)!).toString("utf8");
    const rows = Array.from({ length: 250_000 }, (_, i) => `<row r="${i + 2}"><c r="H${i + 2}" t="inlineStr"><is><t>x</t></is></c></row>`).join("");
    const many = xml.replace(/<sheetData>[\s\S]*<\/sheetData>/, `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>单位编码</t></is></c></row>${rows}</sheetData>`);
    expect(refused(replaceEntries(base, { [part]: many }))[0]).toMatchObject({ code: "xlsx.too_many_rows", params: { sheet: SHEET.lines } });
    const far = xml.replace(/<\/sheetData>/, '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>');
    expect(refused(replaceEntries(base, { [part]: far }))[0]).toMatchObject({ code: "xlsx.too_many_rows", params: { row: 1048576 } });
  });

  it("a merge of the whole sheet (A1:XFD1048576) is reported, never expanded cell by cell", () => {
    const part = sheetPart(base, SHEET.lines);
    const xml = Buffer.from(unzip(base).get(part)!).toString("utf8");
    const merged = xml.replace(/<\/sheetData>/, '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>');
    const problems = refused(replaceEntries(base, { [part]: merged }));
    expect(problems.find((p) => p.code === "xlsx.merged_cells")).toMatchObject({ cell: "明细!A1", params: { range: "A1:XFD1048576" } });
  });

  it("a DOCTYPE (entity expansion, external entities) in a part is refused", () => {
    const part = sheetPart(base, SHEET.lines);
    const xml = Buffer.from(unzip(base).get(part)!).toString("utf8");
    const xxe = xml.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b SYSTEM "file:///etc/passwd">]>');
    expect(refused(replaceEntries(base, { [part]: xxe }))[0]).toMatchObject({ code: "xlsx.corrupt" });
  });
});
