/**
 * The budget's money as flat, interned facts: one per line item and one per carry-over entry. Codes are interned
 * into a code table shared by every department built with the same compiled template, so that a fact's filter
 * signature is a small integer and each (table, signature) pair is classified once per process, not per fact.
 */
import type { Budget } from "./budget-schema.ts";
import { carryoverItems, type CarryoverItem } from "./carryover-items.ts";
import { KIND_OPERATING, KIND_PERSONNEL, KIND_PROJECT, SOURCE_INDEX, unitTypeIndex } from "./template-model.ts";

/** Interns codes (function and economic, each in its own table) to dense ids. */
export class CodeTable {
  readonly codes: string[] = [];
  private readonly ids = new Map<string, number>();
  id(code: string): number {
    let id = this.ids.get(code);
    if (id === undefined) {
      id = this.codes.length;
      this.codes.push(code);
      this.ids.set(code, id);
    }
    return id;
  }
}

/** Columnar facts of one department (or one unit). */
export interface FactSet {
  readonly n: number;
  /** index into SOURCES */
  readonly source: Uint8Array;
  /** KIND_PERSONNEL | KIND_OPERATING | KIND_PROJECT */
  readonly kind: Uint8Array;
  readonly func: Int32Array;
  readonly econ: Int32Array;
  readonly unit: Int32Array;
  /** project index into budget.projects, or -1 */
  readonly project: Int32Array;
  /** carry-over item index into `carryoverItems` (the entries of one unit under one name are one item), or -1 */
  readonly item: Int32Array;
  /** the budget's carry-over items, each a row of 表11 (carryover-items.ts) */
  readonly carryoverItems: readonly CarryoverItem[];
  readonly unitType: Uint8Array;
  readonly amount: bigint[];
  /**
   * The same amounts as float64 integers, for the engine's sums: exact, because a budget's total is refused at
   * the boundary above Number.MAX_SAFE_INTEGER 分 (budget-integrity), so no sum of its amounts leaves 2^53.
   */
  readonly amountN: Float64Array;
}

export interface FactContext {
  readonly funcCodes: CodeTable;
  readonly econCodes: CodeTable;
  /** economic class prefixes that make a basic fact 人员经费 */
  readonly personnelEcon: readonly string[];
}

/**
 * Builds the facts of a validated budget. With `unitCode`, only that unit's money (单位预算).
 * Unit and project references have been checked at the boundary (budget-integrity).
 */
export function buildFacts(budget: Budget, ctx: FactContext, unitCode?: string): FactSet {
  const unitIdx = new Map(budget.units.map((u, i) => [u.code, i]));
  const projectIdx = new Map(budget.projects.map((p, i) => [p.code, i]));
  const only = unitCode === undefined ? -1 : (unitIdx.get(unitCode) ?? -2);
  const cap = budget.lines.length + budget.carryover.length;
  const source = new Uint8Array(cap);
  const kind = new Uint8Array(cap);
  const func = new Int32Array(cap);
  const econ = new Int32Array(cap);
  const unit = new Int32Array(cap);
  const project = new Int32Array(cap);
  const item = new Int32Array(cap);
  const unitType = new Uint8Array(cap);
  const amount: bigint[] = [];
  const amountN = new Float64Array(cap);
  const personnelCache = new Map<number, boolean>();
  const isPersonnel = (econId: number, code: string): boolean => {
    let v = personnelCache.get(econId);
    if (v === undefined) {
      v = ctx.personnelEcon.some((p) => code.startsWith(p));
      personnelCache.set(econId, v);
    }
    return v;
  };
  let n = 0;
  const push = (
    src: string,
    k: "basic" | "project",
    f: string,
    e: string,
    u: string,
    p: number,
    it: number,
    amt: bigint,
  ): void => {
    const ui = unitIdx.get(u) ?? -1;
    if (only !== -1 && ui !== only) return;
    const s = SOURCE_INDEX.get(src);
    if (s === undefined) throw new Error(`unknown source ${src}`);
    const eid = ctx.econCodes.id(e);
    source[n] = s;
    kind[n] = k === "project" ? KIND_PROJECT : isPersonnel(eid, e) ? KIND_PERSONNEL : KIND_OPERATING;
    func[n] = ctx.funcCodes.id(f);
    econ[n] = eid;
    unit[n] = ui;
    project[n] = p;
    item[n] = it;
    const ut = budget.units[ui]?.type;
    unitType[n] = ut === undefined ? 0 : unitTypeIndex(ut);
    amount.push(amt);
    amountN[n] = Number(amt);
    n++;
  };
  for (const l of budget.lines) {
    const p = l.project === undefined ? -1 : (projectIdx.get(l.project) ?? -1);
    push(l.fund, l.kind, l.func, l.econ, l.unit, p, -1, l.amount);
  }
  const items = carryoverItems(budget.carryover);
  budget.carryover.forEach((c, i) => push(`co.${c.fund}`, c.kind, c.func, c.econ, c.unit, -1, items.itemOf[i]!, c.amount));
  return {
    n,
    source: source.subarray(0, n),
    kind: kind.subarray(0, n),
    func: func.subarray(0, n),
    econ: econ.subarray(0, n),
    unit: unit.subarray(0, n),
    project: project.subarray(0, n),
    item: item.subarray(0, n),
    carryoverItems: items.items,
    unitType: unitType.subarray(0, n),
    amount,
    amountN: amountN.subarray(0, n),
  };
}
