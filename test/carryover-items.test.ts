/**
 * A carry-over item whose money spans several economic codes (and funds, kinds) prints as ONE row of 表11, at the place
 * of its first entry, its cells the sums of its entries; section 十一 of the narrative lists it once; the totals of
 * 表11 and 表1's carry-over are unchanged by how the item's money is split.
 */
import { describe, expect, it } from "vitest";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import type { Budget } from "../src/domain/budget-schema.ts";
import { printUnitOf, tableTexts } from "../src/domain/disclosure-model.ts";
import { ROOT } from "./cli-harness.ts";

const ct = projectData.template("xinjiang-2024")!;

async function reference(): Promise<Budget> {
  const r = await readBudgetFile(`${ROOT}/examples/changji-xinfang-2024/budget.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.budget;
}

function built(budget: Budget) {
  const r = buildDisclosure(projectData, budget);
  if (!r.ok) throw new Error("build refused");
  const d = r.result.disclosure;
  const table = (id: string) => tableTexts(d.tables.find((t) => t.id === id)!, printUnitOf(ct));
  const narrative = JSON.stringify(r.result.narrative ?? null);
  return { d, table, narrative };
}

/** The row of 表1 that holds the carry-over. */
const carryoverRow = (t: readonly (readonly string[])[]) => t.find((r) => r.some((c) => c.includes("上年结转结余")));

describe("表11: one row per carry-over item", () => {
  it("an item split over two economic codes (and a second fund and kind) is still one row, at its place", async () => {
    const budget = await reference();
    const whole = built(budget);
    // the first item, 12,300 yuan on 30299: 8,000 stays, 3,000 on 30201 and 1,300 as a basic 30201 entry of the unit's
    // own funds, placed after the other items
    const [first, ...rest] = budget.carryover;
    const split: Budget = {
      ...budget,
      carryover: [
        { ...first!, amount: 800000n },
        ...rest,
        { ...first!, econ: "30201", amount: 300000n, purpose: undefined } as Budget["carryover"][number],
        { ...first!, econ: "30201", fund: "unit", kind: "basic", amount: 130000n } as Budget["carryover"][number],
      ],
    };
    const parts = built(split);
    const t11 = parts.table("t11");
    const names = t11.slice(1).map((r) => r[0]);
    expect(names.filter((n) => n === first!.name)).toHaveLength(1);
    expect(names).toEqual(whole.table("t11").slice(1).map((r) => r[0]));
    const row = t11.find((r) => r[0] === first!.name)!;
    // 总计 1.23 = 财政拨款 1.10 (project) + 非财政拨款 0.13 (basic, operating)
    expect(row.slice(0, 10)).toEqual([first!.name, "1.23", "1.10", "", "", "1.10", "0.13", "", "0.13", ""]);
    // the 总计 and the unit row of 表11 and 表1's carry-over keep their totals (the money moved between funds and kinds)
    expect(t11.slice(0, 3).map((r) => r[1])).toEqual(whole.table("t11").slice(0, 3).map((r) => r[1]));
    expect(carryoverRow(parts.table("t01"))).toEqual(carryoverRow(whole.table("t01")));
    // one item in the disclosure and in section 十一, its amount the sum and its purpose once
    expect(parts.d.carryover.map((c) => [c.name, c.amount, c.purpose])).toEqual(whole.d.carryover.map((c) => [c.name, c.amount, c.purpose]));
    expect(parts.narrative.split(first!.name).length - 1).toBe(whole.narrative.split(first!.name).length - 1);
  });
});
