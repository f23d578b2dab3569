import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateDepartment } from "../bench/province-generator.ts";
import { loadTemplate } from "../src/adapters/ingest/project-data.ts";
import { figuresOfBudget } from "../src/domain/last-year.ts";
import { resolveEnteredPriors } from "../src/domain/prior-year.ts";

const ct = loadTemplate("xinjiang-2024")!;
const t = ct.data;

/** This year's figures of a small department: everything nil but what is given. */
function current(given: Record<string, bigint>): Map<string, bigint> {
  const m = new Map<string, bigint>(Object.keys(t.figures).map((id) => [id, 0n]));
  for (const [id, v] of Object.entries(given)) m.set(id, v);
  return m;
}

describe("resolveEnteredPriors", () => {
  it("finds the three-unit example's three prior-year 一般公共预算 totals and its 三公 that do not add up", () => {
    const cur = current({ "func.2120101": 1n, "func.2101101": 1n });
    const r = resolveEnteredPriors(t, cur, {
      "income.gpb_own": 9_050_000_00n,
      "income.gpb_transfer": 1_650_000_00n,
      "exp.gpb.basic": 8_180_000_00n,
      "exp.gpb.project": 2_400_000_00n,
      "func.2120101": 9_900_000_00n,
      "func.2101101": 272_000_00n,
      "sangong.total": 520_000_00n,
      "sangong.overseas": 0n,
      "sangong.vehicle_purchase": 260_000_00n,
      "sangong.vehicle_running": 110_000_00n,
      "sangong.reception": 18_000_00n,
    });
    const said = r.contradictions.map((c) => `${c.total.id} ${c.total.value} ${c.partsSum} ${c.totalEntered.join(",")} | ${c.partsEntered.join(",")}`);
    expect(said).toContain("exp.gpb.total 1070000000 1058000000 income.gpb_own,income.gpb_transfer | exp.gpb.basic,exp.gpb.project");
    expect(said).toContain("exp.gpb.total 1070000000 1017200000 income.gpb_own,income.gpb_transfer | func.2101101,func.2120101");
    expect(said).toContain(
      "sangong.total 52000000 38800000 sangong.total | sangong.overseas,sangong.reception,sangong.vehicle_purchase,sangong.vehicle_running",
    );
  });

  it("derives what is not entered but follows: a total from its parts, the last part from the total, a 类 from its 项", () => {
    const cur = current({ "func.2120101": 1n, "func.2120102": 1n, "exp.gpb.personnel": 1n, "exp.gpb.operating": 1n });
    const r = resolveEnteredPriors(t, cur, {
      "sangong.overseas": 0n,
      "sangong.vehicle_purchase": 260_000_00n,
      "sangong.vehicle_running": 110_000_00n,
      "sangong.reception": 18_000_00n,
      "exp.gpb.basic": 700n,
      "income.gpb_own": 1000n,
      "income.gpb_transfer": 0n,
      "func.2120101": 600n,
      "func.2120102": 400n,
    });
    expect(r.contradictions).toEqual([]);
    expect(r.values.get("sangong.total")).toBe(388_000_00n);
    expect(r.values.get("exp.gpb.total")).toBe(1000n);
    expect(r.values.get("exp.gpb.project")).toBe(300n);
    expect(r.values.get("class.212")).toBe(1000n);
  });

  it("a part that would have to be negative is a contradiction", () => {
    const r = resolveEnteredPriors(t, current({}), { "sangong.total": 100n, "sangong.overseas": 80n, "sangong.reception": 80n });
    expect(r.contradictions.map((c) => [c.total.id, c.total.value, c.partsSum])).toEqual([["sangong.total", 100n, 160n]]);
  });

  it("a figure presumed nil (no money this year, not entered) never makes a total contradict its entered parts", () => {
    // 政府性基金: last year's own money entered, nothing this year: its total is not presumed nil against it
    const r = resolveEnteredPriors(t, current({}), { "income.gf_own": 500n });
    expect(r.contradictions).toEqual([]);
    // nor is the transfer presumed nil to derive the total: a presumption is for checking only, never published
    expect(r.values.has("exp.gf.total")).toBe(false);
    expect(r.values.has("income.gf_transfer")).toBe(false);
    // with the transfer entered, the total follows
    expect(resolveEnteredPriors(t, current({}), { "income.gf_own": 500n, "income.gf_transfer": 0n }).values.get("exp.gf.total")).toBe(500n);
  });

  it("a contradiction that rests on a presumed nil says which figure was presumed", () => {
    // income 10 + carry-over 0 against expenditure 12: the missing 2 could only be money this year does not have
    const r = resolveEnteredPriors(t, current({ "income.gpb_own": 1n, "exp.gpb.basic": 1n, "exp.all.basic": 1n }), {
      "income.gpb_own": 10n,
      "income.gpb_transfer": 0n,
      "income.gf_own": 0n,
      "income.sc_own": 0n,
      "income.unit": 0n,
      "carryover.appropriated": 0n,
      "carryover.non_appropriated": 0n,
      "exp.all.basic": 12n,
      "exp.all.project": 0n,
    });
    expect(r.contradictions.length).toBeGreaterThan(0);
    expect(r.contradictions.flatMap((c) => c.presumed)).toEqual(expect.arrayContaining(["income.special_account", "income.gf_transfer", "income.sc_transfer"]));
  });

  it("priors entered from a real last year never contradict, and what is left out is derived as it was (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 401, max: 800 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (a, b, drop) => {
        const lastYear = figuresOfBudget(ct, generateDepartment(a));
        const thisYear = figuresOfBudget(ct, generateDepartment(b));
        // a department leaves out some of the figures it has money for this year
        const entered: Record<string, bigint> = {};
        let k = 0;
        for (const [id, v] of lastYear) if ((thisYear.get(id) ?? 0n) === 0n || (k++ * 0.618) % 1 >= drop) entered[id] = v;
        const r = resolveEnteredPriors(t, thisYear, entered);
        expect(r.contradictions).toEqual([]);
        for (const [id, v] of r.values) expect(v, id).toBe(lastYear.get(id) ?? 0n);
      }),
      { numRuns: 40 },
    );
  });
});
