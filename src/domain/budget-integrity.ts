/**
 * Checks that run after the schema and, like it, make an input unusable (exit 2 per CONVENTIONS.md "Input"):
 * references between parts of one budget, and the few rules the schema cannot express.
 * Pure: a budget in, the same budget (identical lines summed) and problems out. Each problem names its field path
 * (`lines[12].unit`); a reader that knows where the budget came from maps the path to a line and column.
 *
 * Duplicates, kept simple on purpose: lines identical in every field INCLUDING the amount (and the note) are summed
 * into the first of them, with a note on each later one. Lines that differ in anything, the amount included, are
 * distinct lines and stay as they are.
 */
import type { Budget, BudgetLine } from "./budget-schema.ts";
import { formatFieldPath, inputError, inputNote, type InputProblem } from "./input-problem.ts";

export interface IntegrityResult {
  /** The budget with identical lines summed; the input itself when nothing was summed. */
  readonly budget: Budget;
  /** Errors (the input is unusable) and notes, in input order. */
  readonly problems: InputProblem[];
  /** For each line of `budget.lines`, its index in the input's lines (they differ once lines are summed). */
  readonly lineOrigin: readonly number[];
}

/** The largest total a budget may have: Number.MAX_SAFE_INTEGER 分. */
export const MAX_BUDGET_TOTAL_FEN = BigInt(Number.MAX_SAFE_INTEGER);

const at = (...path: (string | number)[]) => ({ field: formatFieldPath(path) });

export function checkBudgetIntegrity(budget: Budget, file: string): IntegrityResult {
  const problems: InputProblem[] = [];
  const err = (code: string, path: (string | number)[], params?: Record<string, string | number>) =>
    problems.push(inputError(code, file, at(...path), params));

  const units = new Map<string, number>();
  budget.units.forEach((u, i) => {
    const first = units.get(u.code);
    if (first === undefined) units.set(u.code, i);
    else err("unit.duplicate_code", ["units", i, "code"], { code: u.code, first: formatFieldPath(["units", first]) });
  });

  const projects = new Map<string, number>();
  budget.projects.forEach((p, i) => {
    const first = projects.get(p.code);
    if (first === undefined) projects.set(p.code, i);
    else
      err("project.duplicate_code", ["projects", i, "code"], {
        code: p.code,
        first: formatFieldPath(["projects", first]),
      });
    if (!units.has(p.unit)) err("project.unknown_unit", ["projects", i, "unit"], { unit: p.unit });
    if (p.classified && (p.public_label === undefined || p.public_label === "")) {
      err("project.classified_without_label", ["projects", i, "public_label"], { project: p.code });
    }
  });

  // The engine sums amounts exactly as float64 integers; that needs every sum below 2^53 分 (about 90 万亿元, more
  // than any budget of a country): a larger total is refused here.
  const total = budget.lines.reduce((s, l) => s + l.amount, 0n) + budget.carryover.reduce((s, c) => s + c.amount, 0n);
  if (total > MAX_BUDGET_TOTAL_FEN) err("budget.total_too_large", ["lines"], { limit: "90 万亿元 / 90 trillion yuan" });

  budget.lines.forEach((l, i) => {
    if (!units.has(l.unit)) err("line.unknown_unit", ["lines", i, "unit"], { unit: l.unit });
    if (l.kind === "project") {
      if (l.project === undefined) err("line.project_missing", ["lines", i, "project"]);
      else if (!projects.has(l.project)) err("line.unknown_project", ["lines", i, "project"], { project: l.project });
    } else if (l.project !== undefined) {
      err("line.basic_with_project", ["lines", i, "project"], { project: l.project });
    }
  });

  budget.carryover.forEach((c, i) => {
    if (!units.has(c.unit)) err("carryover.unknown_unit", ["carryover", i, "unit"], { unit: c.unit });
  });

  budget.performance.projects.forEach((p, i) => {
    if (!projects.has(p.project))
      err("performance.unknown_project", ["performance", "projects", i, "project"], { project: p.project });
  });

  const { lines, origin, notes } = sumIdenticalLines(budget.lines, file);
  problems.push(...notes);
  return { budget: lines === budget.lines ? budget : { ...budget, lines }, problems, lineOrigin: origin };
}

/** Every field, the amount included; `undefined` and absent are the same. */
function lineKey(l: BudgetLine): string {
  return JSON.stringify([
    l.unit,
    l.func,
    l.econ,
    l.fund,
    l.kind,
    l.project ?? null,
    l.amount.toString(),
    l.note ?? null,
  ]);
}

function sumIdenticalLines(
  lines: Budget["lines"],
  file: string,
): { lines: Budget["lines"]; origin: number[]; notes: InputProblem[] } {
  const firstByKey = new Map<string, number>();
  /** index in `out` of each first line that absorbed others, with its running total */
  const out: BudgetLine[] = [];
  const origin: number[] = [];
  const outIndexOfFirst = new Map<number, number>();
  const notes: InputProblem[] = [];
  lines.forEach((l, i) => {
    const key = lineKey(l);
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, i);
      outIndexOfFirst.set(i, out.length);
      out.push(l);
      origin.push(i);
      return;
    }
    const j = outIndexOfFirst.get(first);
    const target = j === undefined ? undefined : out[j];
    if (j === undefined || target === undefined) throw new Error(`sumIdenticalLines: lost line ${first}`);
    out[j] = { ...target, amount: target.amount + l.amount };
    notes.push(inputNote("line.duplicate_summed", file, at("lines", i), { first: formatFieldPath(["lines", first]) }));
  });
  return { lines: notes.length === 0 ? lines : out, origin, notes };
}
