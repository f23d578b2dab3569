/**
 * The printed layout shared by the workbook and the Word document: header merges from print paths (property: every
 * header cell is covered exactly once), two-sided tables side by side with their totals on one line, and Excel's
 * sheet-name rules.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { projectData } from "../ingest/project-data.ts";
import { readBudgetFile } from "../ingest/yaml-budget-reader.ts";
import { buildDisclosure } from "../../app/build-disclosure.ts";
import { amountFormat, sheetName } from "./xlsx-disclosure.ts";
import { headerCells, tableLayout } from "./xlsx-disclosure-layout.ts";

const cells = (paths: string[][]) => headerCells(paths).cells.map((h) => `${h.label}@${h.row},${h.col}:${h.rowspan}x${h.colspan}`);

describe("headerCells", () => {
  it("merges equal adjacent group labels, lets short paths span down, and merges identical leaf paths", () => {
    expect(cells([["科目", "编码", "类"], ["科目", "编码", "款"], ["科目", "名称"], ["支出", "合计"], ["支出", "基本"]])).toEqual([
      "科目@0,0:1x3",
      "支出@0,3:1x2",
      "编码@1,0:1x2",
      "名称@1,2:2x1",
      "合计@1,3:2x1",
      "基本@1,4:2x1",
      "类@2,0:1x1",
      "款@2,1:1x1",
    ]);
    // a side's classification: the code and the name columns carry the same path and print one label
    expect(cells([["支出", "支出功能分类"], ["支出", "支出功能分类"], ["支出", "预算数"]])).toEqual(["支出@0,0:1x3", "支出功能分类@1,0:1x2", "预算数@1,2:1x1"]);
  });

  it("never merges equal labels under different parents, nor a leaf with a group", () => {
    expect(cells([["财政拨款", "合计"], ["非财政拨款", "合计"], ["合计"], ["合计", "x"]])).toEqual([
      "财政拨款@0,0:1x1",
      "非财政拨款@0,1:1x1",
      "合计@0,2:2x1",
      "合计@0,3:1x1",
      "合计@1,0:1x1",
      "合计@1,1:1x1",
      "x@1,3:1x1",
    ]);
  });

  it("covers every header cell exactly once (property)", () => {
    const label = fc.constantFrom("A", "B", "C");
    fc.assert(
      fc.property(fc.array(fc.array(label, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (paths) => {
        const { depth, cells: hs } = headerCells(paths);
        const cover = Array.from({ length: depth }, () => paths.map(() => 0));
        for (const h of hs) for (let r = h.row; r < h.row + h.rowspan; r++) for (let c = h.col; c < h.col + h.colspan; c++) cover[r]![c]! += 1;
        expect(cover.flat().every((n) => n === 1)).toBe(true);
        // a merged cell's label is the label of every column it covers at that level
        for (const h of hs) for (let c = h.col; c < h.col + h.colspan; c++) expect(paths[c]![h.row]).toBe(h.label);
      }),
    );
  });
});

describe("tableLayout of a two-sided table", () => {
  it("prints 收入 and 支出 side by side, each side's total on the last line", async () => {
    const r = await readBudgetFile(new URL("../../../examples/changji-xinfang-2024/budget.yaml", import.meta.url).pathname);
    if (!r.ok) throw new Error("example does not read");
    const b = buildDisclosure(projectData, r.budget);
    if (!b.ok) throw new Error("no build");
    const d = b.result.disclosure;
    const t01 = d.tables.find((t) => t.sides !== null)!;
    const layout = tableLayout(t01, d.template.printUnit);
    expect(layout.columns.map((c) => c.side)).toEqual([0, 0, 1, 1, 1]);
    const last = layout.body[layout.body.length - 1]!;
    expect(last.strong).toBe(true);
    expect(last.cells.map((c) => c.text)).toEqual(["收入总计", "551.44", "", "支出总计", "551.44"]);
    // the shorter side is padded with blank cells before its total
    const incomeRows = t01.rows.filter((x) => x.side === "收入").length;
    expect(layout.body[incomeRows - 1]!.cells.slice(0, 2).map((c) => c.text)).toEqual(["", ""]);
  });
});

describe("sheetName", () => {
  it("keeps a name Excel accepts: at most 31 characters, no : \\ / ? * [ ], unique", () => {
    const taken = new Set<string>();
    expect(sheetName("表10 财政拨款“三公”经费支出情况表", taken)).toBe("表10 财政拨款“三公”经费支出情况表");
    const long = "表12 一般公共预算“三公”经费及会议费培训费支出情况表（按功能分类科目）说明";
    const a = sheetName(long, taken);
    expect([...a]).toHaveLength(31);
    const b = sheetName(long, taken);
    expect(b).not.toBe(a);
    expect([...b].length).toBeLessThanOrEqual(31);
    expect(sheetName("a/b:c?[d]*", taken)).toBe("a_b_c__d__");
  });

  it("formats amounts with the template's decimals", () => {
    expect(amountFormat(2)).toBe("#,##0.00");
    expect(amountFormat(0)).toBe("#,##0");
  });
});
