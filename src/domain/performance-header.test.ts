import { describe, expect, it } from "vitest";
import { fieldGrid, performanceHeaderProblems, type PerformanceField } from "./performance-header.ts";
import type { TemplateData } from "./template-model.ts";

const field = (label: string[], text: string, beside = false): PerformanceField => ({ label, text, amount: null, beside, ref: text });

type Spec = TemplateData["performance_tables"][number];
/** What performanceHeaderProblems reads of a template: its performance tables and figure ids. */
const template = (...specs: Spec[]) => ({ performance_tables: specs, figures: { "income.gpb_own": {} } }) as unknown as TemplateData;
const spec = (source: Spec["source"], header: Spec["header"]): Spec => ({ id: "p", title: "表", source, header, merge_down: [], columns: [{ field: "name", csv: "三级指标" }] });

describe("fieldGrid", () => {
  const grid = fieldGrid([
    field(["部门名称（盖章）"], "某局"),
    field(["部门联系人"], "马莉"),
    field(["联系电话"], "0994", true),
    field(["年度预算", "财政资金", "上级安排"], "55.00"),
    field(["年度预算", "财政资金", "本级安排"], "482.45"),
    field(["年度预算", "其他资金", "其他"], "13.99"),
  ]);

  it("lays the fields out as the reference prints them: groups merged down, a field beside another on its line", () => {
    expect(grid.columns).toBe(6); // three label levels, a value, a label and a value beside it
    const at = (text: string) => grid.cells.find((c) => c.text === text)!;
    expect(at("部门名称（盖章）")).toMatchObject({ row: 0, col: 0, colSpan: 3, rowSpan: 1, kind: "label" });
    expect(at("某局")).toMatchObject({ row: 0, col: 3, colSpan: 3, kind: "value" });
    expect(at("马莉")).toMatchObject({ row: 1, col: 3, colSpan: 1 });
    expect(at("联系电话")).toMatchObject({ row: 1, col: 4, kind: "label" });
    expect(at("0994")).toMatchObject({ row: 1, col: 5, colSpan: 1 });
    expect(at("年度预算")).toMatchObject({ row: 2, col: 0, rowSpan: 3 });
    expect(at("财政资金")).toMatchObject({ row: 2, col: 1, rowSpan: 2 });
    expect(at("其他资金")).toMatchObject({ row: 4, col: 1, rowSpan: 1 });
    expect(at("13.99")).toMatchObject({ row: 4, col: 3, colSpan: 3 });
  });

  it("covers every position of the grid exactly once", () => {
    const seen = new Map<string, number>();
    for (const c of grid.cells)
      for (let r = c.row; r < c.row + c.rowSpan; r++)
        for (let k = c.col; k < c.col + c.colSpan; k++) seen.set(`${r},${k}`, (seen.get(`${r},${k}`) ?? 0) + 1);
    expect(seen.size).toBe(grid.rows * grid.columns);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });
});

describe("performanceHeaderProblems", () => {
  it("accepts figures and values that the table's source has", () => {
    const ok = template(
      spec("department", [
        { label: ["部门联系人"], value: "contact_name", beside: false },
        { label: ["本级安排"], figures: ["income.gpb_own"], beside: false },
      ]),
      spec("projects", [
        { label: ["项目名称"], value: "project", beside: false },
        { label: ["项目负责人"], value: "owner", beside: true },
      ]),
    );
    expect(performanceHeaderProblems(ok)).toEqual([]);
  });

  it("refuses an unknown figure, a project's value in the department's table, figures in a project's, a first field beside nothing", () => {
    const problems = performanceHeaderProblems(
      template(
        spec("department", [
          { label: ["x"], value: "contact_name", beside: true },
          { label: ["y"], figures: ["income.nope"], beside: false },
          { label: ["z"], value: "amount", beside: false },
        ]),
        spec("projects", [{ label: ["w"], figures: ["income.gpb_own"], beside: false }]),
      ),
    ).join("\n");
    expect(problems).toMatch(/header\.0 \(p\): the first field cannot be beside another/);
    expect(problems).toMatch(/unknown figure income\.nope/);
    expect(problems).toMatch(/amount is a project's value/);
    expect(problems).toMatch(/a project's table cannot show department figures/);
  });
});
