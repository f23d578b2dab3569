/**
 * disclosure.xlsx read back with exceljs: every table sheet equals the reference's expected CSV cell by cell (and
 * the three-unit example's independently computed tables), amounts are numbers in `#,##0.00`, the printed headers
 * merge exactly as the reference's do (a hand-written list), headers are frozen and repeated on printed pages, A4
 * fitted to width, landscape where the template says; the performance, figures, findings and 说明 sheets carry what
 * they should, including the constructed-data note.
 */
import ExcelJS from "exceljs";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import { narrativeFigures } from "../src/adapters/render/xlsx-disclosure.ts";
import { copyExample, readCsvFile, REFERENCE_EXPECTED, ROOT, runCli, tempDir } from "./cli-harness.ts";
import { gridDiff, headerDepth, needs, printedRows, REFERENCE_HEADERS, sameLabel, tableNumber } from "./office-output-harness.ts";

async function buildWorkbook(example: string): Promise<{ wb: ExcelJS.Workbook; out: string }> {
  const dir = copyExample(example);
  const out = join(dir, "..", "out");
  const r = runCli(["build", dir, "--out", out, "--format", "xlsx"]);
  expect(r.stderr).toBe("");
  expect(r.status, r.stdout).toBe(0);
  expect(readdirSync(out)).toEqual(["disclosure.xlsx"]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(join(out, "disclosure.xlsx")) as unknown as ArrayBuffer);
  return { wb, out };
}

/** The text a cell prints: numbers with their number format's decimals, merged-over cells blank. */
function cellText(ws: ExcelJS.Worksheet, row: number, col: number): string {
  const c = ws.getCell(row, col);
  if (c.isMerged && c.master.address !== c.address) return "";
  const v = c.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    const decimals = /\.(0+)$/.exec(c.numFmt ?? "")?.[1]?.length ?? 0;
    return v.toFixed(decimals);
  }
  return String(v);
}

function frozenRows(ws: ExcelJS.Worksheet): number {
  const v = ws.views[0];
  return v && v.state === "frozen" ? (v.ySplit ?? 0) : 0;
}

/** The data rows of a table sheet (below the frozen header), `width` cells each, up to `count` rows. */
function dataRows(ws: ExcelJS.Worksheet, width: number, count: number): string[][] {
  const first = frozenRows(ws) + 1;
  return Array.from({ length: count }, (_, i) => Array.from({ length: width }, (__, k) => cellText(ws, first + i, k + 1)));
}

const rowIsEmpty = (ws: ExcelJS.Worksheet, row: number, width: number) => Array.from({ length: width + 2 }, (_, k) => ws.getCell(row, k + 1).value).every((v) => v === null || v === undefined);

const ROUNDING_NOTE = projectData.template("xinjiang-2024")!.data.sentences["rounding_note"];

const TABLES = readdirSync(REFERENCE_EXPECTED)
  .filter((f) => /^t\d\d\.csv$/.test(f))
  .map((f) => f.slice(0, 3))
  .sort();

function sheetOf(wb: ExcelJS.Workbook, id: string): ExcelJS.Worksheet {
  const ws = wb.worksheets.find((w) => w.name.startsWith(`${tableNumber(id)} `));
  if (!ws) throw new Error(`no sheet for ${id}: ${wb.worksheets.map((w) => w.name).join(", ")}`);
  return ws;
}

function compareTableSheet(ws: ExcelJS.Worksheet, id: string, expected: string[][]): void {
  const want = printedRows(id, expected);
  const width = Math.max(...want.map((r) => r.length));
  const got = dataRows(ws, width, want.length);
  expect(gridDiff(got, want), `${ws.name}`).toEqual([]);
  // nothing below the table's last row but, where the table has one, its rounding note (test/rounding-notes.test.ts)
  const after = frozenRows(ws) + want.length + 1;
  const below = cellText(ws, after, 1) === ROUNDING_NOTE ? after + 1 : after;
  expect(rowIsEmpty(ws, below, width), `${ws.name}: a row after the table`).toBe(true);
  // amounts are numbers in the template's format, never text
  for (let r = frozenRows(ws) + 1; r <= frozenRows(ws) + want.length; r++)
    for (let c = 1; c <= width; c++) {
      const cell = ws.getCell(r, c);
      if (typeof cell.value === "number") expect(cell.numFmt).toBe("#,##0.00");
      else if (typeof cell.value === "string") expect(cell.value, `${ws.name} ${cell.address} holds an amount as text`).not.toMatch(/^-?[\d,]+\.\d\d$/);
    }
}

describe("disclosure.xlsx of the reference example", () => {
  let wb: ExcelJS.Workbook;
  let out = "";
  beforeAll(async () => {
    ({ wb, out } = await buildWorkbook("changji-xinfang-2024"));
  }, 120_000);

  it.runIf(needs("soffice"))(
    "opens in LibreOffice Calc without error (converted to PDF: a page per table at least)",
    () => {
      const dir = tempDir("gongkai-xlsx-");
      const r = spawnSync(
        "soffice",
        [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, join(out, "disclosure.xlsx")],
        { encoding: "utf8", timeout: 170_000 },
      );
      expect(r.error, "soffice could not run (apt-get install libreoffice-calc-nogui)").toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/Error/);
      const pdf = readFileSync(join(dir, "disclosure.pdf"));
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect((pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(wb.worksheets.length);
    },
    180_000,
  );

  it("has 说明 first, a sheet per table and per performance table, then the figures and the findings", () => {
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe("说明");
    expect(names.slice(1, 12).map((n) => n.split(" ")[0])).toEqual(TABLES.map(tableNumber));
    expect(names[1]).toBe("表1 部门收支总体情况表");
    expect(names).toContain("部门整体绩效目标表");
    expect(names).toContain("项目支出绩效目标表");
    expect(names.slice(-2)).toEqual(["说明中的数字", "检查结果"]);
    for (const n of names) expect([...n].length).toBeLessThanOrEqual(31);
  });

  it.each(TABLES)("sheet of %s equals the reference cell by cell", (id) => {
    compareTableSheet(sheetOf(wb, id), id, readCsvFile(join(REFERENCE_EXPECTED, `${id}.csv`)));
  });

  it.each(TABLES)("sheet of %s merges its header exactly as the reference prints it", (id) => {
    const ws = sheetOf(wb, id);
    const spec = REFERENCE_HEADERS[id]!;
    const depth = headerDepth(spec);
    const top = frozenRows(ws) - depth + 1;
    const merges = new Set(
      (ws.model.merges ?? []).filter((m) => {
        const row = Number(/\d+/.exec(m)![0]);
        return row >= top && row < top + depth;
      }),
    );
    const expectedMerges = new Set<string>();
    for (const [label, row, col, rowspan, colspan] of spec) {
      const cell = ws.getCell(top + row, col + 1);
      expect(sameLabel(String(cell.value ?? ""), label), `${id}: ${cell.address} is ${String(cell.value)}, want ${label}`).toBe(true);
      if (rowspan > 1 || colspan > 1) expectedMerges.add(`${cell.address}:${ws.getCell(top + row + rowspan - 1, col + colspan).address}`);
      else expect(cell.isMerged, `${id}: ${cell.address} (${label}) must not be merged`).toBe(false);
    }
    expect([...merges].sort()).toEqual([...expectedMerges].sort());
    // the rows above the header: 表N, the title, 编制部门 … 单位：万元
    const above = Array.from({ length: top - 1 }, (_, i) => ws.getRow(i + 1).values)
      .flat()
      .filter((v) => typeof v === "string")
      .join(" ");
    expect(above).toContain(tableNumber(id));
    expect(above).toContain("编制部门：昌吉回族自治州信访局");
    expect(above).toContain("单位：万元");
  });

  it("freezes the header rows, repeats them on every printed page, prints A4 fitted to width, landscape as the template says", () => {
    const orientation: Record<string, string> = { t02: "landscape", t07: "landscape", t11: "landscape" };
    for (const id of TABLES) {
      const ws = sheetOf(wb, id);
      const depth = headerDepth(REFERENCE_HEADERS[id]!);
      const top = frozenRows(ws) - depth + 1;
      expect(frozenRows(ws)).toBeGreaterThan(depth);
      expect(ws.pageSetup.printTitlesRow).toBe(`${top}:${frozenRows(ws)}`);
      expect(ws.pageSetup.paperSize).toBe(9);
      expect(ws.pageSetup.fitToPage).toBe(true);
      expect(ws.pageSetup.fitToWidth).toBe(1);
      expect(ws.pageSetup.fitToHeight).toBe(0);
      expect(ws.pageSetup.orientation, id).toBe(orientation[id] ?? "portrait");
    }
  });

  it("leaves blank cells blank: exact zero is no value, not 0", () => {
    const ws = sheetOf(wb, "t01");
    // 2、基金预算拨款 has no money: its amount cell is empty
    const first = frozenRows(ws) + 1;
    const row = Array.from({ length: 30 }, (_, i) => first + i).find((r) => ws.getCell(r, 1).value === "2、基金预算拨款")!;
    expect(row).toBeDefined();
    expect(ws.getCell(row, 2).value).toBeNull();
  });

  it.each([
    ["perf-department", "部门整体绩效目标表"],
    ["perf-project", "项目支出绩效目标表"],
  ])("%s sheet equals the reference's indicator rows", (file, sheet) => {
    const ws = wb.getWorksheet(sheet)!;
    const expected = readCsvFile(join(REFERENCE_EXPECTED, `${file}.csv`));
    const width = expected[0]!.length;
    const head = frozenRows(ws);
    expect(Array.from({ length: width }, (_, k) => cellText(ws, head, k + 1))).toEqual(expected[0]);
    const got = Array.from({ length: expected.length - 1 }, (_, i) => Array.from({ length: width }, (__, k) => cellText(ws, head + 1 + i, k + 1)));
    expect(gridDiff(got, expected.slice(1))).toEqual([]);
  });

  it("says under the project targets that the classified project's table is withheld, and never names it", () => {
    const ws = wb.getWorksheet("项目支出绩效目标表")!;
    const texts = ws.getSheetValues().flat().filter((v) => typeof v === "string");
    expect(texts).toContain("部门有 1 个涉密项目，涉及预算资金 55.00 万元，项目绩效目标表完全不予公开。");
  });

  it("lists every figure of the narrative with its section, its words around it and its source", async () => {
    const r = await readBudgetFile(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"));
    if (!r.ok) throw new Error("example does not read");
    const b = buildDisclosure(projectData, r.budget);
    if (!b.ok || !b.result.narrative) throw new Error("no narrative");
    const figures = narrativeFigures(b.result.narrative);
    // every bound value run of the narrative, counted independently of narrativeFigures
    let values = 0;
    JSON.stringify(b.result.narrative, (k, v: unknown) => {
      if (v && typeof v === "object" && (v as { kind?: string }).kind === "value") values++;
      return v;
    });
    expect(figures).toHaveLength(values);
    expect(values).toBeGreaterThan(50);
    const ws = wb.getWorksheet("说明中的数字")!;
    expect(Array.from({ length: 7 }, (_, k) => cellText(ws, 1, k + 1))).toEqual(["部分", "章节", "前文", "数值", "后文", "类型", "来源"]);
    figures.forEach((f, i) => {
      const row = i + 2;
      expect(cellText(ws, row, 4), `figure ${i + 1}`).toBe(f.value);
      expect(cellText(ws, row, 7)).toBe(f.ref);
      expect(cellText(ws, row, 2)).toBe(f.section);
    });
    expect(rowIsEmpty(ws, figures.length + 2, 7)).toBe(true);
    // e.g. 收支总预算 551.44 万元 in 第三部分 一
    const total = figures.findIndex((f) => f.ref === "figure:income.total");
    expect(cellText(ws, total + 2, 3)).toContain("收支总预算");
    expect(cellText(ws, total + 2, 5).startsWith("万元")).toBe(true);
  });

  it("lists the findings", () => {
    const ws = wb.getWorksheet("检查结果")!;
    const rows = Array.from({ length: 3 }, (_, i) => [cellText(ws, i + 2, 1), cellText(ws, i + 2, 2)]);
    expect(rows).toEqual([
      ["警告", "I-REASON-DIRECTION"],
      ["警告", "I-REASON-DIRECTION"],
      ["警告", "I-REASON-DIRECTION"],
    ]);
    expect(cellText(ws, 3, 4)).toContain("行政单位医疗");
    expect(cellText(ws, 3, 5)).toBe('reasons["func.2101101"]');
  });

  it("carries the constructed-data note, the generator, the template and the date on its 说明 sheet", () => {
    const budget = readFileSync(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"), "utf8");
    const note = /^constructed: (.+)$/m.exec(budget)![1]!.trim();
    const texts = wb.getWorksheet("说明")!.getSheetValues().flat().filter((v) => typeof v === "string").join("\n");
    expect(texts).toContain(note);
    expect(texts).toMatch(/gongkai \d+\.\d+\.\d+/);
    expect(texts).toContain("xinjiang-2024");
    expect(texts).toContain("2024-02-23");
    expect(wb.description).toBe(note);
  });
});

describe("disclosure.xlsx of the three-unit example", () => {
  const EXPECTED = join(ROOT, "examples/three-units-2024/expected/department");
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    ({ wb } = await buildWorkbook("three-units-2024"));
  }, 120_000);

  const files = existsSync(EXPECTED)
    ? readdirSync(EXPECTED)
        .filter((f) => /^t\d\d\.csv$/.test(f))
        .map((f) => f.slice(0, 3))
    : [];
  it("has the independently computed tables to compare with", () => expect(files.length).toBe(11));
  it.each(files)("sheet of %s equals the independent computation", (id) => {
    compareTableSheet(sheetOf(wb, id), id, readCsvFile(join(EXPECTED, `${id}.csv`)));
  });
});
