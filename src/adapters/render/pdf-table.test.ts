import { describe, expect, it } from "vitest";
import { projectData } from "../ingest/project-data.ts";
import { readBudgetFile } from "../ingest/yaml-budget-reader.ts";
import { buildDisclosure } from "../../app/build-disclosure.ts";
import { pdfMeasure } from "./pdf-fonts.ts";
import { contentWidth, PAGE_MARGINS } from "./pdf-style.ts";
import { headerSpans, tableLayout } from "./pdf-table.ts";

describe("multi-level headers from print paths", () => {
  it("merges equal labels across columns and spans short paths down", () => {
    const rows = headerSpans([["编码", "类"], ["编码", "款"], ["名称"], ["支出", "基本支出", "人员经费"], ["支出", "基本支出", "公用经费"], ["支出", "项目支出"]]);
    expect(rows).toEqual([
      [
        { label: "编码", col: 0, colSpan: 2, rowSpan: 1 },
        { label: "名称", col: 2, colSpan: 1, rowSpan: 3 },
        { label: "支出", col: 3, colSpan: 3, rowSpan: 1 },
      ],
      [
        { label: "类", col: 0, colSpan: 1, rowSpan: 2 },
        { label: "款", col: 1, colSpan: 1, rowSpan: 2 },
        { label: "基本支出", col: 3, colSpan: 2, rowSpan: 1 },
        { label: "项目支出", col: 5, colSpan: 1, rowSpan: 2 },
      ],
      [
        { label: "人员经费", col: 3, colSpan: 1, rowSpan: 1 },
        { label: "公用经费", col: 4, colSpan: 1, rowSpan: 1 },
      ],
    ]);
  });

  it("does not merge equal labels under different parents", () => {
    const rows = headerSpans([["财政拨款", "合计"], ["非财政拨款", "合计"]]);
    expect(rows[1]).toEqual([
      { label: "合计", col: 0, colSpan: 1, rowSpan: 1 },
      { label: "合计", col: 1, colSpan: 1, rowSpan: 1 },
    ]);
  });
});

describe("column layout of the reference tables", async () => {
  const r = await readBudgetFile("examples/changji-xinfang-2024/budget.yaml");
  if (!r.ok) throw new Error("example unreadable");
  const b = buildDisclosure(projectData, r.budget);
  if (!b.ok) throw new Error("example refused");
  const d = b.result.disclosure;
  const m = pdfMeasure();

  it.each(d.tables.map((t) => [t.number, t] as const))("%s fills its page width exactly, every amount on one line", (_n, t) => {
    const layout = tableLayout(t, d.template.printUnit, m);
    const left = layout.x[0]![0];
    const right = layout.x[layout.x.length - 1]![1];
    expect(left).toBe(PAGE_MARGINS[0]);
    expect(right - left + 0.5).toBeCloseTo(contentWidth(t.orientation), 6);
    layout.columns.forEach((pc, k) => {
      if (pc.column.role !== "amount") return;
      for (const row of t.rows) {
        const pos = t.amountColumns.indexOf(pc.csvIndex);
        const v = row.cells[pos];
        if (v === null || v === undefined) continue;
        expect(m.width((Number(v) / 1e6).toFixed(2), 8.5, true)).toBeLessThanOrEqual(layout.widths[k]!);
      }
    });
  });

  it("splits 表1 into its two sides, each with its name column", () => {
    const t01 = d.tables.find((t) => t.number === "表1")!;
    const layout = tableLayout(t01, d.template.printUnit, m);
    expect(layout.sides.map((s) => s.name)).toEqual(["收入", "支出"]);
    for (const s of layout.sides) expect(layout.columns.slice(s.from, s.to).some((c) => c.column.role === "name")).toBe(true);
  });

  it.each(["表1", "表4"])("%s prints 支出功能分类 once over its 支出 side's code and name, and the code column stays narrow", (n) => {
    const t = d.tables.find((x) => x.number === n)!;
    const layout = tableLayout(t, d.template.printUnit, m);
    const spending = layout.columns.filter((c) => c.side === "支出");
    expect(spending.slice(0, 2).map((c) => [c.column.role, c.path])).toEqual([
      ["code1", [t.sides![1]!.printHeader[0], "支出功能分类"]],
      ["name", [t.sides![1]!.printHeader[0], "支出功能分类"]],
    ]);
    expect(layout.columns.filter((c) => c.side === "收入" && c.column.role === "name").map((c) => c.path)).toEqual([[t.sides![0]!.printHeader[0], "项目"]]);
    // the label spans both columns: the code column is as wide as its codes (three digits), not as its label
    const code = layout.columns.indexOf(spending[0]!);
    expect(layout.widths[code]).toBeLessThan(m.width("2290", 8.5, false));
  });
});
