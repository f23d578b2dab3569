/**
 * Carry-over items (上年结转结余项目). An entry of `carryover` is money of one unit under one function code, economic
 * code, fund and kind; an item is what 表11 prints as one row and section 十一 of the narrative names once: the entries
 * of one unit under one name. An item whose money spans several economic codes (or funds, or kinds) is several entries
 * with the same unit and name, and still one row, its cells the sums of its entries'. Items keep the input order of
 * their first entries.
 */
import type { Budget } from "./budget-schema.ts";

export interface CarryoverItem {
  readonly unit: string;
  readonly name: string;
  /** the sum of its entries (分) */
  readonly amount: bigint;
  /** the distinct purposes its entries give, in input order, joined by `；`; null when none gives one */
  readonly purpose: string | null;
  /** indexes of its entries in `budget.carryover`, in input order */
  readonly entries: readonly number[];
}

export interface CarryoverItems {
  readonly items: readonly CarryoverItem[];
  /** for each entry of `budget.carryover`, the index of its item */
  readonly itemOf: Int32Array;
}

/** The identity of an item: its unit and its name, exactly as the input gives them. */
const itemKey = (c: { readonly unit: string; readonly name: string }): string => `${c.unit}\u0000${c.name}`;

export function carryoverItems(carryover: Budget["carryover"]): CarryoverItems {
  const itemOf = new Int32Array(carryover.length);
  const index = new Map<string, number>();
  const groups: { unit: string; name: string; amount: bigint; purposes: string[]; entries: number[] }[] = [];
  carryover.forEach((c, i) => {
    const key = itemKey(c);
    let at = index.get(key);
    if (at === undefined) {
      at = groups.push({ unit: c.unit, name: c.name, amount: 0n, purposes: [], entries: [] }) - 1;
      index.set(key, at);
    }
    const g = groups[at]!;
    g.amount += c.amount;
    g.entries.push(i);
    if (c.purpose && !g.purposes.includes(c.purpose)) g.purposes.push(c.purpose);
    itemOf[i] = at;
  });
  const items = groups.map((g) => ({ unit: g.unit, name: g.name, amount: g.amount, purpose: g.purposes.length ? g.purposes.join("；") : null, entries: g.entries }));
  return { items, itemOf };
}
