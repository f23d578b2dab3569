/**
 * Last year's figures from last year's line items, computed exactly as this year's are, so that every prior-year
 * figure agrees with every other by construction. Codes renamed between the two years go through a crosswalk
 * (data/crosswalks/<last year>-<this year>.csv) before the figures are formed, so that last year's money lands on this
 * year's codes and the narrative compares like with like.
 */
import type { Budget } from "./budget-schema.ts";
import { buildFacts } from "./fact-set.ts";
import { computeFigures, type CompiledTemplate } from "./table-engine.ts";

/** Codes of last year → the codes that replace them this year, per classification. */
export interface Crosswalk {
  readonly func: ReadonlyMap<string, string>;
  readonly econ: ReadonlyMap<string, string>;
}

export const EMPTY_CROSSWALK: Crosswalk = { func: new Map(), econ: new Map() };

/** A crosswalk entry maps a code or a prefix of codes (a 类 or 款 renamed with everything in it): longest first. */
export function renamer(map: ReadonlyMap<string, string>): (code: string) => string {
  if (map.size === 0) return (code) => code;
  const keys = [...map.keys()].sort((a, b) => b.length - a.length);
  return (code) => {
    for (const k of keys) if (code.startsWith(k)) return map.get(k)! + code.slice(k.length);
    return code;
  };
}

/** Last year's budget with its codes renamed to this year's; `renamed` counts the lines and items that changed. */
export function applyCrosswalk(budget: Budget, cw: Crosswalk): { budget: Budget; renamed: number } {
  const func = renamer(cw.func);
  const econ = renamer(cw.econ);
  let renamed = 0;
  const rename = <T extends { func: string; econ: string }>(x: T): T => {
    const f = func(x.func);
    const e = econ(x.econ);
    if (f === x.func && e === x.econ) return x;
    renamed++;
    return { ...x, func: f, econ: e };
  };
  const lines = budget.lines.map(rename);
  const carryover = budget.carryover.map(rename);
  return { budget: renamed ? { ...budget, lines, carryover } : budget, renamed };
}

/** Every figure of a budget (the template's, and each family's members over the codes it has), in 分. */
export function figuresOfBudget(ct: CompiledTemplate, budget: Budget): Map<string, bigint> {
  return computeFigures(ct, buildFacts(budget, ct), []);
}
