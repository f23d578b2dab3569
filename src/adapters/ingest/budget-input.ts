/**
 * A budget given on the command line: a YAML file, a folder holding `budget.yaml`, or an input workbook (.xlsx).
 * A workbook is recognised by its first bytes (a zip, or the OLE2 magic of an Excel 97 `.xls`, which is refused with
 * a clear message) or by its extension, whatever the other says, so that a damaged workbook is never read as YAML.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { AppPorts } from "../../app/command-registry.ts";
import { readWorkbookFile, sniffWorkbook } from "./xlsx-budget-reader.ts";
import { readBudgetFile } from "./yaml-budget-reader.ts";

const WORKBOOK_EXTENSIONS = new Set([".xlsx", ".xlsm", ".xltx", ".xls", ".et", ".ods"]);

/** Whether a file is to be read as a workbook (by extension or by its first bytes). */
export function isWorkbookFile(path: string): boolean {
  if (WORKBOOK_EXTENSIONS.has(extname(path).toLowerCase())) return true;
  try {
    if (!statSync(path).isFile()) return false; // never open a FIFO or a device to sniff it
    const fd = openSync(path, "r");
    try {
      const head = new Uint8Array(8);
      const n = readSync(fd, head, 0, 8, 0);
      return sniffWorkbook(head.subarray(0, n)) !== null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // the reader reports it, with the file name
  }
}

export const readBudgetInput: AppPorts["readBudget"] = async (path) => {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, "budget.yaml");
  } catch {
    // not there: the reader reports it with the file name
  }
  if (isWorkbookFile(file)) {
    const w = await readWorkbookFile(file);
    if (!w.ok) return w;
    return { ok: true, budget: w.budget, notes: w.notes, file, locate: w.locate };
  }
  const r = await readBudgetFile(file);
  if (!r.ok) return r;
  return { ok: true, budget: r.budget, notes: r.notes, file, locate: r.locate };
};
