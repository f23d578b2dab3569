/**
 * `gongkai import`: a workbook → the YAML budget text, checked before anything is written. The YAML is read back
 * through the YAML reader and must give exactly the budget the workbook gave (every amount to the 分, every code and
 * text); a difference is a bug of ours and throws, so an import can never write a budget that says something else.
 */
import { basename } from "node:path";
import type { Budget } from "../../domain/budget-schema.ts";
import type { InputProblem } from "../../domain/input-problem.ts";
import { budgetToYaml } from "./xlsx-budget-yaml.ts";
import { readWorkbookFile, type CellLocator } from "./xlsx-budget-reader.ts";
import { readBudgetBytes } from "./yaml-budget-reader.ts";

export type ImportResult =
  | { ok: true; yaml: string; budget: Budget; notes: InputProblem[]; file: string; locate: CellLocator }
  | { ok: false; problems: InputProblem[] };

export async function importWorkbook(path: string): Promise<ImportResult> {
  const r = await readWorkbookFile(path);
  if (!r.ok) return r;
  return { ok: true, yaml: workbookYaml(r, path), budget: r.budget, notes: r.notes, file: path, locate: r.locate };
}

/** The YAML text of a workbook read from `path`, checked to read back as exactly the same budget. */
export function workbookYaml(r: { entered: Budget; budget: Budget }, path: string): string {
  const yaml = budgetToYaml(r.entered, { source: basename(path) });
  const back = readBudgetBytes(new TextEncoder().encode(yaml), "imported.yaml");
  if (!back.ok) throw new Error(`import: the YAML written for ${path} does not read back: ${JSON.stringify(back.problems.slice(0, 3))}`);
  if (canonical(back.budget) !== canonical(r.budget)) throw new Error(`import: the YAML written for ${path} reads back as a different budget`);
  return yaml;
}

/** A budget as text for comparison: keys sorted, bigint amounts as digits, absent and undefined alike. */
export function canonical(b: Budget): string {
  return JSON.stringify(b, (_k, v: unknown) => {
    if (typeof v === "bigint") return `${v}n`;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    }
    return v;
  });
}
