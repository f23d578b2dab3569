import { describe, expect, it } from "vitest";
import { budgetSchema, type Budget } from "./budget-schema.ts";
import { checkBudgetIntegrity, MAX_BUDGET_TOTAL_FEN } from "./budget-integrity.ts";

const line = (over: Record<string, unknown> = {}) => ({
  unit: "005001",
  func: "2010301",
  econ: "30101",
  fund: "gpb.own",
  kind: "basic",
  amount: "100.00",
  ...over,
});

function budget(over: Record<string, unknown> = {}): Budget {
  return budgetSchema.parse({
    format: "gongkai/budget@1",
    department: { name: "测试局", code: "03", region: "昌吉州", year: 2024, template: "xinjiang-2024" },
    units: [{ code: "005001", name: "测试局（本级）", type: "行政" }],
    projects: [{ code: "P001", name: "专项", unit: "005001" }],
    lines: [line(), line({ econ: "30201" }), line({ kind: "project", project: "P001", func: "2010350" })],
    ...over,
  });
}

const codes = (b: Budget) =>
  checkBudgetIntegrity(b, "budget.yaml").problems.map((p) => [p.code, p.severity, p.field, p.params]);

describe("checkBudgetIntegrity", () => {
  it("accepts a consistent budget and returns it unchanged", () => {
    const b = budget();
    const r = checkBudgetIntegrity(b, "budget.yaml");
    expect(r.problems).toEqual([]);
    expect(r.budget).toBe(b);
  });

  it("refuses a line whose unit is not among units", () => {
    expect(codes(budget({ lines: [line(), line({ unit: "009" })] }))).toEqual([
      ["line.unknown_unit", "error", "lines[1].unit", { unit: "009" }],
    ]);
  });

  it("refuses a project line without project, or with an unknown project", () => {
    const b = budget({ lines: [line({ kind: "project" }), line({ kind: "project", project: "P999" })] });
    expect(codes(b)).toEqual([
      ["line.project_missing", "error", "lines[0].project", undefined],
      ["line.unknown_project", "error", "lines[1].project", { project: "P999" }],
    ]);
  });

  it("refuses a current-year basic line that names a project", () => {
    expect(codes(budget({ lines: [line({ project: "P001" })] }))).toEqual([
      ["line.basic_with_project", "error", "lines[0].project", { project: "P001" }],
    ]);
  });

  it("refuses duplicate unit and project codes, naming the first", () => {
    const b = budget({
      units: [
        { code: "005001", name: "a", type: "行政" },
        { code: "005001", name: "b", type: "事业" },
      ],
      projects: [
        { code: "P001", name: "a", unit: "005001" },
        { code: "P001", name: "b", unit: "005001" },
      ],
    });
    expect(codes(b)).toEqual([
      ["unit.duplicate_code", "error", "units[1].code", { code: "005001", first: "units[0]" }],
      ["project.duplicate_code", "error", "projects[1].code", { code: "P001", first: "projects[0]" }],
    ]);
  });

  it("refuses a classified project without public label, and a project of an unknown unit", () => {
    const b = budget({
      projects: [
        { code: "P001", name: "a", unit: "005001", classified: true },
        { code: "P002", name: "b", unit: "005001", classified: true, public_label: "特定目标 8910002U" },
        { code: "P003", name: "c", unit: "777" },
      ],
    });
    expect(codes(b)).toEqual([
      ["project.classified_without_label", "error", "projects[0].public_label", { project: "P001" }],
      ["project.unknown_unit", "error", "projects[2].unit", { unit: "777" }],
    ]);
  });

  it("refuses a carry-over item of an unknown unit and performance targets of an unknown project", () => {
    const b = budget({
      carryover: [
        { unit: "008", name: "结转", func: "2010301", econ: "30201", fund: "gpb", kind: "basic", amount: "1" },
      ],
      performance: { projects: [{ project: "P404", goal: "目标", indicators: [] }] },
    });
    expect(codes(b)).toEqual([
      ["carryover.unknown_unit", "error", "carryover[0].unit", { unit: "008" }],
      ["performance.unknown_project", "error", "performance.projects[0].project", { project: "P404" }],
    ]);
  });

  it("sums lines identical in every field including the amount, with a note on each later one", () => {
    const b = budget({ lines: [line(), line({ econ: "30201" }), line(), line({ amount: "100" })] });
    const r = checkBudgetIntegrity(b, "budget.yaml");
    expect(r.problems).toEqual([
      {
        code: "line.duplicate_summed",
        severity: "note",
        file: "budget.yaml",
        field: "lines[2]",
        params: { first: "lines[0]" },
      },
      {
        code: "line.duplicate_summed",
        severity: "note",
        file: "budget.yaml",
        field: "lines[3]",
        params: { first: "lines[0]" },
      },
    ]);
    expect(r.budget.lines.map((l) => [l.econ, l.amount])).toEqual([
      ["30101", 30000n],
      ["30201", 10000n],
    ]);
    expect(b.lines).toHaveLength(4); // the input is not mutated
  });

  it("keeps lines that differ only in the amount, or only in the note, as distinct lines", () => {
    const b = budget({ lines: [line(), line({ amount: "200.00" }), line({ note: "另一笔" })] });
    const r = checkBudgetIntegrity(b, "budget.yaml");
    expect(r.problems).toEqual([]);
    expect(r.budget.lines.map((l) => l.amount)).toEqual([10000n, 20000n, 10000n]);
  });
});

describe("the budget's total", () => {
  it("is refused above 2^53 分, so the engine's float64 sums stay exact", () => {
    const b = budget();
    b.lines[0]!.amount = MAX_BUDGET_TOTAL_FEN - b.lines[1]!.amount - b.lines[2]!.amount;
    expect(checkBudgetIntegrity(b, "f.yaml").problems.filter((p) => p.severity === "error")).toEqual([]);
    b.lines[1]!.amount += 1n;
    expect(checkBudgetIntegrity(b, "f.yaml").problems.map((p) => p.code)).toContain("budget.total_too_large");
  });
});
