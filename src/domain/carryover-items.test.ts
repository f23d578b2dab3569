import { describe, expect, it } from "vitest";
import type { Budget } from "./budget-schema.ts";
import { carryoverItems } from "./carryover-items.ts";

type Entry = Budget["carryover"][number];
const entry = (unit: string, name: string, econ: string, amount: bigint, purpose?: string): Entry =>
  ({ unit, name, func: "2010301", econ, fund: "gpb", kind: "project", amount, ...(purpose === undefined ? {} : { purpose }) }) as Entry;

describe("carry-over items", () => {
  it("are the entries of one unit under one name, in the order of their first entries", () => {
    const { items, itemOf } = carryoverItems([
      entry("001", "甲", "30227", 100n, "委托服务"),
      entry("002", "甲", "30227", 7n),
      entry("001", "乙", "30201", 5n),
      entry("001", "甲", "30201", 20n, "办公"),
      entry("001", "甲", "31002", 3n, "委托服务"),
    ]);
    expect(items.map((i) => [i.unit, i.name, i.amount, i.purpose, i.entries])).toEqual([
      ["001", "甲", 123n, "委托服务；办公", [0, 3, 4]],
      ["002", "甲", 7n, null, [1]],
      ["001", "乙", 5n, null, [2]],
    ]);
    expect([...itemOf]).toEqual([0, 1, 2, 0, 0]);
  });

  it("keep names that differ in any character apart", () => {
    const { items } = carryoverItems([entry("001", "2023 年结转", "30227", 1n), entry("001", "2023年结转", "30201", 2n)]);
    expect(items).toHaveLength(2);
    expect(carryoverItems([]).items).toEqual([]);
  });
});
