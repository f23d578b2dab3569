/**
 * A budget given on the command line: a YAML file, or a folder holding `budget.yaml`.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { AppPorts } from "../../app/command-registry.ts";
import { readBudgetFile } from "./yaml-budget-reader.ts";

export const readBudgetInput: AppPorts["readBudget"] = async (path) => {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, "budget.yaml");
  } catch {
    // not there: the reader reports it with the file name
  }
  const r = await readBudgetFile(file);
  if (!r.ok) return r;
  return { ok: true, budget: r.budget, notes: r.notes, file, locate: r.locate };
};
