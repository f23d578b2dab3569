import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareDepartments, departmentTrend, FIXED_MEASURES, measuresOf, medianFen, perStaff, renameClasses, sortRows, type DisclosureFacts, type Measures } from "./comparison-measures.ts";
import { renamer } from "./last-year.ts";

function facts(amounts: Record<string, bigint>, staffing: DisclosureFacts["staffing"] = { authorised: 10, actual: 8 }): DisclosureFacts {
  return { figures: new Map(Object.entries(amounts).map(([id, fen]) => [id, { name: id.startsWith("class_all.") ? `类${id.slice(10)}` : id, fen }])), staffing };
}

describe("the median of exact amounts", () => {
  it("is the middle value of an odd count, whatever the order", () => {
    expect(medianFen([5n, 1n, 3n])).toBe(3n);
    expect(medianFen([7n])).toBe(7n);
    expect(medianFen([])).toBeNull();
  });

  it("is the mean of the two middle values of an even count, rounded half away from zero to the 分", () => {
    expect(medianFen([1n, 2n])).toBe(2n); // 1.5 分 → 2
    expect(medianFen([10n, 1n, 4n, 100n])).toBe(7n); // (4 + 10) / 2
    expect(medianFen([0n, 3n])).toBe(2n); // 1.5 → 2
    expect(medianFen([0n, 5n, 1n, 2n])).toBe(2n); // (1 + 2) / 2 = 1.5 → 2
    expect(medianFen([99999999999999999n, 100000000000000000n])).toBe(100000000000000000n);
  });

  it("has as many values at or below it as at or above it (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: 1, maxLength: 40 }), (xs) => {
        const m = medianFen(xs)!;
        const below = xs.filter((x) => x <= m).length;
        const above = xs.filter((x) => x >= m).length;
        expect(below * 2).toBeGreaterThanOrEqual(xs.length);
        expect(above * 2).toBeGreaterThanOrEqual(xs.length);
      }),
    );
  });
});

describe("per staff member", () => {
  it("divides exactly, rounding half away from zero to the 分", () => {
    expect(perStaff(551440000n, 25)).toBe(22057600n);
    expect(perStaff(10n, 4)).toBe(3n); // 2.5 → 3
    expect(perStaff(10n, 3)).toBe(3n); // 3.33 → 3
  });

  it("is null without staff: never a division by zero", () => {
    expect(perStaff(100n, 0)).toBeNull();
    expect(perStaff(100n, null)).toBeNull();
    expect(perStaff(null, 5)).toBeNull();
  });
});

describe("a department across years", () => {
  it("keeps one series for a 类 renamed by the crosswalk", () => {
    const y2023 = measuresOf(facts({ "exp.all.total": 300n, "class_all.201": 100n, "class_all.212": 200n }));
    const y2024 = measuresOf(facts({ "exp.all.total": 500n, "class_all.201": 150n, "class_all.213": 350n }));
    const cw = new Map([["212", "213"]]);
    const t = departmentTrend(
      [
        { year: 2024, measures: y2024 },
        { year: 2023, measures: y2023 },
      ],
      (from, to) => (from === 2023 && to === 2024 ? renamer(cw) : (c) => c),
    );
    expect(t.years).toEqual([2023, 2024]);
    const row = (id: string) => t.rows.find((r) => r.id === id)?.values;
    expect(row("class_all.213")).toEqual([200n, 350n]);
    expect(row("class_all.212")).toBeUndefined();
    expect(row("class_all.201")).toEqual([100n, 150n]);
    expect(row("exp.all.total")).toEqual([300n, 500n]);
    expect(row("sangong.total")).toEqual([null, null]);
    expect(t.renamed).toEqual([{ year: 2023, from: "212", to: "213" }]);
  });

  it("renames through every pair of years in between, and sums two codes that become one", () => {
    const r = renameClasses(
      new Map([
        ["210", { name: "a", fen: 1n }],
        ["211", { name: "b", fen: 2n }],
      ]),
      [renamer(new Map([["210", "211"]])), renamer(new Map([["211", "220"]]))],
    );
    expect([...r.classes]).toEqual([["220", { name: "a", fen: 3n }]]);
  });

  it("a 类 without money in a year is 0 that year", () => {
    const t = departmentTrend(
      [
        { year: 2023, measures: measuresOf(facts({ "class_all.229": 5n })) },
        { year: 2024, measures: measuresOf(facts({})) },
      ],
      () => (c) => c,
    );
    expect(t.rows.find((r) => r.id === "class_all.229")?.values).toEqual([5n, 0n]);
  });
});

const dept = (code: string, total: bigint, staffing: DisclosureFacts["staffing"], extra: Record<string, bigint> = {}) => ({
  code,
  name: `部门${code}`,
  measures: measuresOf(facts({ "exp.all.total": total, "income.total": total, ...extra }, staffing)) as Measures,
});

describe("a region's departments side by side", () => {
  const c = compareDepartments(
    [dept("3", 300n, { authorised: 3, actual: 2 }, { "class_all.201": 7n }), dept("1", 100n, null), dept("2", 201n, { authorised: 0, actual: 0 }), dept("4", 400n, { authorised: 4, actual: 4 })],
    "actual",
  );

  it("gives every measure, 类 and per-staff column, rows by department code", () => {
    expect(c.rows.map((r) => r.code)).toEqual(["1", "2", "3", "4"]);
    expect(c.columns.map((x) => x.id)).toEqual(expect.arrayContaining([...FIXED_MEASURES.map((m) => m.id), "per_staff.exp.all.total", "class_all.201"]));
    expect(c.rows[2]!.values.get("per_staff.exp.all.total")).toBe(150n);
    expect(c.rows.find((r) => r.code === "1")!.values.get("class_all.201")).toBe(0n);
  });

  it("a department without staff (none stated, or zero) has no per-staff amount", () => {
    expect(c.rows[0]!.staff).toBeNull();
    expect(c.rows[1]!.staff).toBeNull();
    expect(c.rows[0]!.values.get("per_staff.exp.all.total")).toBeNull();
    expect(c.rows[1]!.values.get("per_staff.exp.all.total")).toBeNull();
  });

  it("takes each median over the departments that have a value", () => {
    expect(c.median.get("exp.all.total")).toBe(251n); // (201 + 300) / 2 = 250.5 → 251
    expect(c.median.get("per_staff.exp.all.total")).toBe(125n); // (150 + 100) / 2
    expect(c.medianCount.get("per_staff.exp.all.total")).toBe(2);
    expect(c.median.get("sangong.total")).toBeNull();
    expect(c.median.get("class_all.201")).toBe(0n);
  });

  it("the authorised basis divides by 编制数", () => {
    const a = compareDepartments([dept("3", 300n, { authorised: 3, actual: 2 })], "authorised");
    expect(a.rows[0]!.values.get("per_staff.exp.all.total")).toBe(100n);
  });

  it("sorts by a measure either way, rows without a value last", () => {
    expect(sortRows(c.rows, "exp.all.total", "desc").map((r) => r.code)).toEqual(["4", "3", "2", "1"]);
    expect(sortRows(c.rows, "exp.all.total", "asc").map((r) => r.code)).toEqual(["1", "2", "3", "4"]);
    expect(sortRows(c.rows, "per_staff.exp.all.total", "asc").map((r) => r.code)).toEqual(["4", "3", "1", "2"]);
    expect(sortRows(c.rows, "staff", "desc").map((r) => r.code)).toEqual(["4", "3", "1", "2"]);
    expect(sortRows(c.rows, "name", "desc").map((r) => r.code)).toEqual(["4", "3", "2", "1"]);
  });
});
