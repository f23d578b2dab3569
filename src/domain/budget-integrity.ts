/**
 * Checks that run after the schema and, like it, make an input unusable (exit 2 per CONVENTIONS.md "Input"):
 * references between parts of one budget, and the few rules the schema cannot express. The reference checks also run
 * on input that fails the schema (`referenceView`), on the parts that could be read, so that one run reports both.
 * Pure: a budget in, the same budget (identical lines summed) and problems out. Each problem names its field path
 * (`lines[12].unit`); a reader that knows where the budget came from maps the path to a line and column.
 *
 * Duplicates, kept simple on purpose: lines identical in every field INCLUDING the amount (and the note) are summed
 * into the first of them, with a note on each later one. Lines that differ in anything, the amount included, are
 * distinct lines and stay as they are. A line's `id` is the editor's handle on it, not budget data: it takes no part
 * in this comparison (the summed line keeps the first one's id), so a budget computes the same with ids or without.
 * Two lines with the same id are an error (`line.duplicate_id`): the editor could not tell them apart.
 */
import type { z } from "zod";
import {
  carryoverSchema,
  MAX_ALLOCATIONS,
  MAX_INDICATORS,
  lineSchema,
  performanceSchema,
  projectSchema,
  unitSchema,
  type Budget,
  type BudgetLine,
  type ExpenditureKind,
} from "./budget-schema.ts";
import { formatFieldPath, inputError, inputNote, type InputProblem } from "./input-problem.ts";

export interface IntegrityResult {
  /** The budget with identical lines summed; the input itself when nothing was summed. */
  readonly budget: Budget;
  /** Errors (the input is unusable) and notes, in input order. */
  readonly problems: InputProblem[];
  /** For each line of `budget.lines`, its index in the input's lines (they differ once lines are summed). */
  readonly lineOrigin: readonly number[];
}

/**
 * What the reference checks look at, in input order. A field that is `undefined` could not be read (it has a schema
 * problem of its own, or is missing) and is not judged; a list that is `undefined` is unusable as a whole. A validated
 * `Budget` is such a view as it is; `referenceView` makes one from input that fails the schema, so that one run lists
 * every problem: schema problems and reference problems together (CONVENTIONS.md: the message names every problem).
 */
export interface ReferenceView {
  readonly units: readonly { readonly code?: string | undefined }[] | undefined;
  readonly projects:
    | readonly {
        readonly code?: string | undefined;
        readonly unit?: string | undefined;
        /** undefined: not judged (unreadable, or its public label is given but unreadable) */
        readonly classified?: boolean | undefined;
        readonly public_label?: string | undefined;
      }[]
    | undefined;
  readonly lines:
    | readonly {
        /** the editor's stable line id, when there is one (and it could be read) */
        readonly id?: string | undefined;
        readonly unit?: string | undefined;
        readonly kind?: ExpenditureKind | undefined;
        readonly project?: string | undefined;
        /** the project field is there but unreadable (as opposed to absent) */
        readonly projectUnreadable?: true;
      }[]
    | undefined;
  readonly carryover: readonly { readonly unit?: string | undefined }[] | undefined;
  readonly performanceProjects: readonly { readonly project?: string | undefined }[] | undefined;
}

/** The largest total a budget may have: Number.MAX_SAFE_INTEGER 分. */
export const MAX_BUDGET_TOTAL_FEN = BigInt(Number.MAX_SAFE_INTEGER);

const at = (...path: (string | number)[]) => ({ field: formatFieldPath(path) });

export function checkBudgetIntegrity(budget: Budget, file: string): IntegrityResult {
  const problems = checkReferences(
    { units: budget.units, projects: budget.projects, lines: budget.lines, carryover: budget.carryover, performanceProjects: budget.performance.projects },
    file,
  );

  // The engine sums amounts exactly as float64 integers; that needs every sum below 2^53 分 (about 90 万亿元, more
  // than any budget of a country): a larger total is refused here.
  const total = budget.lines.reduce((s, l) => s + l.amount, 0n) + budget.carryover.reduce((s, c) => s + c.amount, 0n);
  if (total > MAX_BUDGET_TOTAL_FEN) problems.push(inputError("budget.total_too_large", file, at("lines"), { limit: "90 万亿元 / 90 trillion yuan" }));

  // Rows of the performance and allocation tables, over all projects: bounded like units, projects and lines (MAX_* of
  // budget-schema.ts), as every output prints each of them.
  const indicators = budget.performance.projects.reduce((n, p) => n + p.indicators.length, budget.performance.department?.indicators.length ?? 0);
  if (indicators > MAX_INDICATORS) problems.push(inputError("budget.too_many_rows", file, at("performance"), { what: "indicators", count: indicators, limit: MAX_INDICATORS }));
  const allocations = budget.projects.reduce((n, p) => n + p.allocation.length, 0);
  if (allocations > MAX_ALLOCATIONS) problems.push(inputError("budget.too_many_rows", file, at("projects"), { what: "allocation", count: allocations, limit: MAX_ALLOCATIONS }));

  const { lines, origin, notes } = sumIdenticalLines(budget.lines, file);
  problems.push(...notes);
  return { budget: lines === budget.lines ? budget : { ...budget, lines }, problems, lineOrigin: origin };
}

/**
 * References between parts of one budget (units, projects, lines, carry-over, performance targets) and a classified
 * project's public label, on whatever of them could be read. A reference is judged only against a list whose every
 * code could be read: otherwise "not among units" might be a unit whose code has a problem of its own.
 */
export function checkReferences(v: ReferenceView, file: string): InputProblem[] {
  const problems: InputProblem[] = [];
  const err = (code: string, path: (string | number)[], params?: Record<string, string | number>) =>
    problems.push(inputError(code, file, at(...path), params));

  const codesOf = (list: readonly { readonly code?: string | undefined }[] | undefined, what: "units" | "projects", dupCode: string) => {
    const first = new Map<string, number>();
    let complete = list !== undefined;
    list?.forEach((x, i) => {
      if (x.code === undefined) {
        complete = false;
        return;
      }
      const f = first.get(x.code);
      if (f === undefined) first.set(x.code, i);
      else err(dupCode, [what, i, "code"], { code: x.code, first: formatFieldPath([what, f]) });
    });
    /** whether a code read from elsewhere is known not to be in the list */
    return (code: string | undefined): code is string => complete && code !== undefined && !first.has(code);
  };
  const notAUnit = codesOf(v.units, "units", "unit.duplicate_code");
  const notAProject = codesOf(v.projects, "projects", "project.duplicate_code");

  v.projects?.forEach((p, i) => {
    if (notAUnit(p.unit)) err("project.unknown_unit", ["projects", i, "unit"], { unit: p.unit });
    if (p.classified === true && p.code !== undefined && (p.public_label === undefined || p.public_label === "")) {
      err("project.classified_without_label", ["projects", i, "public_label"], { project: p.code });
    }
  });

  const firstOfId = new Map<string, number>();
  v.lines?.forEach((l, i) => {
    if (l.id !== undefined) {
      const f = firstOfId.get(l.id);
      if (f === undefined) firstOfId.set(l.id, i);
      else err("line.duplicate_id", ["lines", i, "id"], { id: l.id, first: formatFieldPath(["lines", f]) });
    }
    if (notAUnit(l.unit)) err("line.unknown_unit", ["lines", i, "unit"], { unit: l.unit });
    if (l.projectUnreadable === true || l.kind === undefined) return;
    if (l.kind === "project") {
      if (l.project === undefined) err("line.project_missing", ["lines", i, "project"]);
      else if (notAProject(l.project)) err("line.unknown_project", ["lines", i, "project"], { project: l.project });
    } else if (l.project !== undefined) {
      err("line.basic_with_project", ["lines", i, "project"], { project: l.project });
    }
  });

  v.carryover?.forEach((c, i) => {
    if (notAUnit(c.unit)) err("carryover.unknown_unit", ["carryover", i, "unit"], { unit: c.unit });
  });

  v.performanceProjects?.forEach((p, i) => {
    if (notAProject(p.project)) err("performance.unknown_project", ["performance", "projects", i, "project"], { project: p.project });
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// A view of input that fails the schema

type Raw = Record<string, unknown>;
const record = (v: unknown): Raw => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : {});
/** a list, `[]` when absent and the schema defaults it, undefined when it is not a list */
const listOf = (v: unknown, absent: unknown[] | undefined): unknown[] | undefined => (v === undefined ? absent : Array.isArray(v) ? v : undefined);
/** a field through its own schema: its value, or undefined when it does not pass */
function read<S extends z.ZodType>(schema: S, v: unknown): z.output<S> | undefined {
  if (v === undefined) return undefined;
  const r = schema.safeParse(v);
  return r.success ? (r.data as z.output<S>) : undefined;
}

const idOf = unitSchema.shape.code;
const kindOf = lineSchema.shape.kind;
const lineIdOf = lineSchema.shape.id;
const labelOf = projectSchema.shape.public_label;
const classifiedOf = projectSchema.shape.classified;
const perfProjectOf = performanceSchema.shape.projects.unwrap().element.shape.project;

/**
 * The parts of raw input (the plain object the readers hand to the schema) that the reference checks need, each field
 * read through its own schema. Indices stay those of the input, so problems name the same fields as the schema's.
 */
export function referenceView(data: unknown): ReferenceView {
  const root = record(data);
  const performance = record(root["performance"]);
  return {
    units: listOf(root["units"], undefined)?.map((u) => ({ code: read(idOf, record(u)["code"]) })),
    projects: listOf(root["projects"], [])?.map((x) => {
      const p = record(x);
      const rawLabel = p["public_label"];
      const label = read(labelOf, rawLabel);
      const classified = rawLabel !== undefined && label === undefined ? undefined : read(classifiedOf, p["classified"] ?? false);
      return { code: read(idOf, p["code"]), unit: read(idOf, p["unit"]), classified, public_label: label };
    }),
    lines: listOf(root["lines"], undefined)?.map((x) => {
      const l = record(x);
      const project = read(idOf, l["project"]);
      return {
        id: read(lineIdOf, l["id"]),
        unit: read(idOf, l["unit"]),
        kind: read(kindOf, l["kind"]),
        project,
        ...(l["project"] !== undefined && project === undefined ? { projectUnreadable: true as const } : {}),
      };
    }),
    carryover: listOf(root["carryover"], [])?.map((c) => ({ unit: read(carryoverSchema.shape.unit, record(c)["unit"]) })),
    performanceProjects: listOf(performance["projects"], [])?.map((p) => ({ project: read(perfProjectOf, record(p)["project"]) })),
  };
}

/** Every field, the amount included, but not the id (see the header); `undefined` and absent are the same. */
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
