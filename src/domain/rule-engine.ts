/**
 * Rules are data (data/rules/<template>.yaml): a stable code, a severity, a scope, a check kind with its
 * parameters, and a message in Chinese and English. This file interprets them.
 *
 * Printed-cell rules see only printed values (steps of the print unit) through template addresses
 * (table, row key, column id), so they run the same on a computed disclosure and on a document read from a PDF.
 * A relation over n rounded cells tolerates n × half a step.
 */
import { z } from "zod";
import type { Budget } from "./budget-schema.ts";
import { CODE_LEVEL_LENGTHS, isCatalogued, nameOf, nearestCodes, type Catalog, type CatalogKind } from "./catalog-model.ts";
import { describeChange, DIRECTION_EN, DIRECTION_ZH, type Direction } from "./change-wording.ts";
import type { Disclosure } from "./disclosure-model.ts";
import { formatFieldPath } from "./input-problem.ts";
import { priorContradictions, priorMismatches } from "./prior-rules.ts";
import { formatSteps, parseYuan, stepsOfSafeInteger, toSteps, type PrintUnit } from "./money.ts";
import { quotedTexts, spacedText } from "./text-spacing.ts";
import { fill, isComparedFigure, isFigureId, projectPublicName, type ComputedRow, type ComputedTable } from "./table-engine.ts";
import { isAppropriated, type TemplateData } from "./template-model.ts";

// ---------------------------------------------------------------------------------------------------------------
// Rule data

const message = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();
const cellRef = z.object({ table: z.string(), row: z.string(), column: z.string() }).strict();
const matchSide = z.object({ table: z.string(), side: z.string().optional(), columns: z.array(z.string()).min(1) }).strict();

const base = {
  code: z.string().regex(/^[A-Z]-[A-Z0-9-]+$/),
  severity: z.enum(["error", "warning", "note"]),
  severity_official: z.enum(["error", "warning", "note"]).optional(),
  message,
};

export const ruleSchema = z.discriminatedUnion("check", [
  z.object({ ...base, scope: z.literal("printed"), check: z.literal("tree_sum"), tables: z.array(z.string()).min(1) }).strict(),
  z
    .object({
      ...base,
      scope: z.literal("printed"),
      check: z.literal("total_sum"),
      tables: z.array(z.string()).min(1),
      side: z.string().optional(),
      total_row: z.string(),
    })
    .strict(),
  z
    .object({
      ...base,
      scope: z.literal("printed"),
      check: z.literal("columns_sum"),
      each_row: z.literal(true),
      relations: z.array(z.object({ table: z.string(), side: z.string().optional(), lhs: z.string(), rhs: z.array(z.string()).min(1) }).strict()),
    })
    .strict(),
  z
    .object({
      ...base,
      scope: z.literal("printed"),
      check: z.literal("rows_sum"),
      relations: z.array(z.object({ table: z.string(), column: z.string(), lhs: z.string(), rhs: z.array(z.string()).min(1) }).strict()),
    })
    .strict(),
  z
    .object({
      ...base,
      scope: z.literal("printed"),
      check: z.enum(["cells_equal", "cells_le"]),
      relations: z.array(z.object({ left: z.array(cellRef).min(1), right: z.array(cellRef).min(1) }).strict()),
    })
    .strict(),
  z
    .object({
      ...base,
      scope: z.literal("printed"),
      check: z.literal("rows_match"),
      relations: z.array(z.object({ left: matchSide, right: matchSide, level: z.enum(["class", "all"]).default("all") }).strict()),
    })
    .strict(),
  z
    .object({
      ...base,
      scope: z.literal("input"),
      check: z.enum([
        "office_running_scope",
        "procurement_reservation",
        "allocation_sum",
        "performance_weights",
        "performance_cost",
        "reason_missing",
        "reason_direction",
        "prior_missing",
        "prior_contradiction",
        "prior_incomplete",
        "prior_mismatch",
        "prior_fallback",
        "figure_unknown",
        "unknown_code",
        "unnamed_code",
        "text_spacing",
      ]),
    })
    .strict(),
]);
export type Rule = z.infer<typeof ruleSchema>;

export const ruleSetSchema = z
  .object({
    template: z.string(),
    direction_words: z.object({ up: z.array(z.string()).min(1), down: z.array(z.string()).min(1) }).strict(),
    rules: z.array(ruleSchema).min(1),
  })
  .strict()
  .refine((s) => new Set(s.rules.map((r) => r.code)).size === s.rules.length, { message: "rule codes must be unique" });
export type RuleSet = z.infer<typeof ruleSetSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Findings

export type Severity = "error" | "warning" | "note";

export interface CellAddress {
  readonly table: string;
  readonly row: string;
  readonly column: string;
}

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly scope: "printed" | "input";
  readonly message: { readonly zh: string; readonly en: string };
  /** printed cells the finding relates (printed-cell rules) */
  readonly cells: readonly CellAddress[];
  /** input field path (input rules), e.g. `reasons.func.2101101` */
  readonly field: string | null;
  /** other input fields the finding names (the other side of a contradiction) */
  readonly related?: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Printed view of tables: what an auditor sees

export interface PrintedTable {
  readonly id: string;
  readonly number: string;
  /** amount column ids and labels, in cell order */
  readonly columns: readonly { id: string; label: string }[];
  readonly rows: readonly PrintedRow[];
}

export interface PrintedRow {
  readonly key: string;
  readonly side: string | null;
  readonly type: ComputedRow["type"];
  readonly code: string | null;
  readonly name: string;
  readonly project: string | null;
  /** index of the parent row (款 of a 项, 类 of a 款, the unit row), or -1 at the top */
  readonly parent: number;
  /** printed steps per amount column (blank is 0); NaN where the row has no such cell */
  readonly values: readonly number[];
}

/** The printed view of computed tables: each cell rounded once to the print unit. */
export function printedTables(tables: readonly ComputedTable[], unit: PrintUnit): PrintedTable[] {
  const step = Number(unit.step);
  return tables.map((t) => ({
    id: t.id,
    number: t.number,
    columns: t.amountColumns.map((ci) => ({ id: t.columns[ci]!.id, label: t.columns[ci]!.csv })),
    rows: t.rows.map((r) => ({
      key: r.key,
      side: r.side,
      type: r.type,
      code: r.code,
      name: r.name,
      project: r.project,
      parent: r.parent,
      values: r.raw.map((v) => (Number.isNaN(v) ? v : stepsOfSafeInteger(v, step))),
    })),
  }));
}

export const rowLabel = (r: PrintedRow): string => [r.code, r.name, r.project].filter((x) => x).join(" ");

// ---------------------------------------------------------------------------------------------------------------
// Evaluation of printed-cell rules

/** A side of a relation: a sum of printed cells. */
export interface Term {
  /** the sum, in printed steps */
  readonly value: number;
  readonly cells: readonly CellAddress[];
}

/**
 * A relation a printed-cell rule states: lhs = rhs (or lhs ≤ rhs) over rounded cells. Over n rounded cells it
 * tolerates n × ½ step.
 */
export interface Relation {
  readonly rule: Rule;
  readonly kind: "eq" | "le";
  readonly lhs: Term;
  readonly rhs: Term;
  readonly params: Readonly<Record<string, string>>;
}

/** Tolerance of a relation in half-steps of the printed unit: one per rounded cell. */
export function relationSlack(r: Relation): number {
  return r.lhs.cells.length + r.rhs.cells.length;
}

/** Twice the residual (lhs − rhs): the residual in half-steps. */
export function relationResidual(r: Relation): number {
  return 2 * (r.lhs.value - r.rhs.value);
}

export function relationHolds(r: Relation): boolean {
  const d = relationResidual(r);
  return r.kind === "le" ? d <= relationSlack(r) : Math.abs(d) <= relationSlack(r);
}

function finding(rule: Rule, params: Record<string, string>, cells: CellAddress[], field: string | null, severity?: Severity): Finding {
  return {
    code: rule.code,
    severity: severity ?? rule.severity,
    scope: rule.scope,
    message: { zh: fill(rule.message.zh, params), en: fill(rule.message.en, params) },
    cells,
    field,
    meta: params,
  };
}

/**
 * Walks every relation the printed-cell rules state over a set of tables. Sums are formed on numbers into reused
 * buffers; a relation becomes an object (cells, message parameters) only when the mode keeps it: when it fails, when
 * its printed sides differ at all (rounding notes), or every relation (the coverage tests).
 */
class RelationWalker {
  private readonly tableIdx = new Map<string, number>();
  private readonly colIdx: Map<string, number>[];
  private readonly rowIdx: (Map<string, number> | undefined)[];
  private lv = 0;
  private rv = 0;
  /** cell references (table, row, column) of each side, reused across relations; `ln`/`rn` count entries used */
  private lrefs: Int32Array = new Int32Array(96);
  private rrefs: Int32Array = new Int32Array(96);
  private ln = 0;
  private rn = 0;
  readonly out: Relation[] = [];

  constructor(
    readonly tables: readonly PrintedTable[],
    private readonly decimals: number,
    private readonly mode: WalkMode,
  ) {
    tables.forEach((t, i) => this.tableIdx.set(t.id, i));
    this.colIdx = tables.map((t) => new Map(t.columns.map((c, i) => [c.id, i])));
    this.rowIdx = tables.map(() => undefined);
  }

  table(id: string): number {
    return this.tableIdx.get(id) ?? -1;
  }
  col(t: number, id: string): number {
    return this.colIdx[t]?.get(id) ?? -1;
  }
  row(t: number, key: string): number {
    let m = this.rowIdx[t];
    if (!m) this.rowIdx[t] = m = new Map(this.tables[t]!.rows.map((r, i) => [r.key, i]));
    return m.get(key) ?? -1;
  }

  start(): void {
    this.lv = 0;
    this.rv = 0;
    this.ln = 0;
    this.rn = 0;
  }
  /** Adds a cell to the left (side 0) or right (side 1); a missing table, row or cell adds nothing. */
  add(side: 0 | 1, t: number, r: number, c: number): void {
    if (t < 0 || r < 0 || c < 0) return;
    const v = this.tables[t]!.rows[r]!.values[c]!;
    if (Number.isNaN(v)) return;
    if (side === 0) {
      this.lv += v;
      if (this.ln + 3 > this.lrefs.length) this.lrefs = grow(this.lrefs);
      this.lrefs[this.ln++] = t;
      this.lrefs[this.ln++] = r;
      this.lrefs[this.ln++] = c;
    } else {
      this.rv += v;
      if (this.rn + 3 > this.rrefs.length) this.rrefs = grow(this.rrefs);
      this.rrefs[this.rn++] = t;
      this.rrefs[this.rn++] = r;
      this.rrefs[this.rn++] = c;
    }
  }

  /** Whether the relation just summed must be recorded, per the walk's mode. */
  keep(kind: "eq" | "le"): boolean {
    const n = (this.ln + this.rn) / 3;
    if (n === 0) return false;
    if (this.mode === "all") return true;
    if (this.mode === "differing") return kind === "le" ? this.lv > this.rv : this.lv !== this.rv;
    const d = 2 * (this.lv - this.rv);
    return kind === "le" ? d > n : Math.abs(d) > n;
  }

  /** Records the relation just summed, with its message parameters. */
  record(rule: Rule, kind: "eq" | "le", params: Record<string, string>): void {
    const cells = (refs: Int32Array, len: number) => {
      const out: CellAddress[] = [];
      for (let i = 0; i < len; i += 3) {
        const t = this.tables[refs[i]!]!;
        out.push({ table: t.id, row: t.rows[refs[i + 1]!]!.key, column: t.columns[refs[i + 2]!]!.id });
      }
      return out;
    };
    this.out.push({
      rule,
      kind,
      lhs: { value: this.lv, cells: cells(this.lrefs, this.ln) },
      rhs: { value: this.rv, cells: cells(this.rrefs, this.rn) },
      params: { ...params, lhs: formatSteps(BigInt(this.lv), this.decimals), rhs: formatSteps(BigInt(this.rv), this.decimals) },
    });
  }

  tname(t: number): string {
    return this.tables[t]?.number ?? "";
  }
  clabel(t: number, c: number): string {
    return this.tables[t]?.columns[c]?.label ?? "";
  }
  rlabel(t: number, r: number): string {
    const row = this.tables[t]?.rows[r];
    return row ? rowLabel(row) : "";
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Which relations a walk records: those that fail, those whose printed sides differ at all, or every one. */
type WalkMode = "failing" | "differing" | "all";

function walkRelations(rules: RuleSet, tables: readonly PrintedTable[], unit: PrintUnit, mode: WalkMode): Relation[] {
  const w = new RelationWalker(tables, unit.decimals, mode);
  for (const rule of rules.rules) {
    if (rule.scope !== "printed") continue;
    switch (rule.check) {
      case "tree_sum":
        for (const tid of rule.tables) {
          const t = w.table(tid);
          if (t < 0) continue;
          const rows = tables[t]!.rows;
          const children = new Map<number, number[]>();
          rows.forEach((r, i) => {
            if (r.parent < 0) return;
            let list = children.get(r.parent);
            if (!list) children.set(r.parent, (list = []));
            list.push(i);
          });
          const ncols = tables[t]!.columns.length;
          for (const [p, kids] of children)
            for (let c = 0; c < ncols; c++) {
              w.start();
              w.add(0, t, p, c);
              for (const k of kids) w.add(1, t, k, c);
              if (w.keep("eq")) w.record(rule, "eq", { table: w.tname(t), row: w.rlabel(t, p), column: w.clabel(t, c) });
            }
        }
        break;
      case "total_sum":
        for (const tid of rule.tables) {
          const t = w.table(tid);
          if (t < 0) continue;
          const total = w.row(t, rule.total_row);
          if (total < 0) continue;
          const rows = tables[t]!.rows;
          const tops: number[] = [];
          rows.forEach((r, i) => {
            if (r.type !== "fixed" && r.parent < 0 && (rule.side === undefined || r.side === rule.side)) tops.push(i);
          });
          const level = rows[tops[0] ?? -1]?.type === "unit" ? "单位" : "类";
          for (let c = 0; c < tables[t]!.columns.length; c++) {
            w.start();
            w.add(0, t, total, c);
            for (const k of tops) w.add(1, t, k, c);
            if (w.keep("eq")) w.record(rule, "eq", { table: w.tname(t), column: w.clabel(t, c), level });
          }
        }
        break;
      case "columns_sum":
        for (const rel of rule.relations) {
          const t = w.table(rel.table);
          if (t < 0) continue;
          const lc = w.col(t, rel.lhs);
          const rcs = rel.rhs.map((id) => w.col(t, id));
          const rows = tables[t]!.rows;
          for (let r = 0; r < rows.length; r++) {
            if (rel.side !== undefined && rows[r]!.side !== rel.side) continue;
            w.start();
            w.add(0, t, r, lc);
            for (const c of rcs) w.add(1, t, r, c);
            if (w.keep("eq")) w.record(rule, "eq", {
              table: w.tname(t),
              row: w.rlabel(t, r),
              lhsColumn: w.clabel(t, lc),
              rhsColumns: rcs.map((c) => w.clabel(t, c)).join("、"),
            });
          }
        }
        break;
      case "rows_sum":
        for (const rel of rule.relations) {
          const t = w.table(rel.table);
          if (t < 0) continue;
          const lr = w.row(t, rel.lhs);
          const rrs = rel.rhs.map((k) => w.row(t, k));
          const cols = rel.column === "*" ? tables[t]!.columns.map((_, i) => i) : [w.col(t, rel.column)];
          for (const c of cols) {
            w.start();
            w.add(0, t, lr, c);
            for (const r of rrs) w.add(1, t, r, c);
            if (w.keep("eq")) w.record(rule, "eq", {
              table: w.tname(t),
              lhsRow: lr < 0 ? rel.lhs : w.rlabel(t, lr),
              rhsRows: rrs.map((r, i) => (r < 0 ? rel.rhs[i]! : w.rlabel(t, r))).join("、"),
              column: w.clabel(t, c),
            });
          }
        }
        break;
      case "cells_equal":
      case "cells_le":
        for (const rel of rule.relations) {
          const resolve = (c: CellAddress) => {
            const t = w.table(c.table);
            return [t, t < 0 ? -1 : w.row(t, c.row), t < 0 ? -1 : w.col(t, c.column)] as const;
          };
          const left = rel.left.map(resolve);
          const right = rel.right.map(resolve);
          w.start();
          for (const [t, r, c] of left) w.add(0, t, r, c);
          for (const [t, r, c] of right) w.add(1, t, r, c);
          const kind = rule.check === "cells_le" ? "le" : "eq";
          const describe = (refs: readonly CellAddress[], ids: readonly (readonly [number, number, number])[]) =>
            refs.map((ref, i) => `${w.tname(ids[i]![0]) || ref.table}“${ids[i]![1] < 0 ? ref.row : w.rlabel(ids[i]![0], ids[i]![1])}”${w.clabel(ids[i]![0], ids[i]![2]) || ref.column}`).join(" + ");
          if (w.keep(kind)) w.record(rule, kind, { left: describe(rel.left, left), right: describe(rel.right, right) });
        }
        break;
      case "rows_match":
        for (const rel of rule.relations) {
          const collect = (s: { table: string; side?: string | undefined; columns: string[] }) => {
            const m = new Map<string, number[]>();
            const t = w.table(s.table);
            if (t < 0) return { t, m, cols: [] as number[] };
            const cols = s.columns.map((c) => w.col(t, c));
            tables[t]!.rows.forEach((r, i) => {
              if (s.side !== undefined && r.side !== s.side) return;
              if (r.code === null || !(r.type === "class" || r.type === "section" || r.type === "item")) return;
              if (rel.level === "class" && r.type !== "class") return;
              let list = m.get(r.code);
              if (!list) m.set(r.code, (list = []));
              list.push(i);
            });
            return { t, m, cols };
          };
          const L = collect(rel.left);
          const R = collect(rel.right);
          for (const code of new Set([...L.m.keys(), ...R.m.keys()])) {
            w.start();
            for (const r of L.m.get(code) ?? []) for (const c of L.cols) w.add(0, L.t, r, c);
            for (const r of R.m.get(code) ?? []) for (const c of R.cols) w.add(1, R.t, r, c);
            if (w.keep("eq")) w.record(rule, "eq", { leftTable: w.tname(L.t) || rel.left.table, rightTable: w.tname(R.t) || rel.right.table, code });
          }
        }
        break;
    }
  }
  return w.out;
}

/** Every relation the printed-cell rules state over these tables, whether it holds or not. */
export function printedRelations(rules: RuleSet, tables: readonly PrintedTable[], unit: PrintUnit): Relation[] {
  return walkRelations(rules, tables, unit, "all");
}

/**
 * Every relation whose printed sides are not exactly equal (for `le`: whose left side prints above the right), whether
 * within its tolerance (a rounding difference) or not (a failing rule).
 */
export function differingRelations(rules: RuleSet, tables: readonly PrintedTable[], unit: PrintUnit): Relation[] {
  return walkRelations(rules, tables, unit, "differing");
}

/** Evaluates the printed-cell rules on printed tables (computed, or read from a published document). */
export function evaluatePrintedRules(rules: RuleSet, tables: readonly PrintedTable[], unit: PrintUnit): Finding[] {
  return walkRelations(rules, tables, unit, "failing").map((r) => finding(r.rule, { ...r.params }, [...r.lhs.cells, ...r.rhs.cells], null));
}

// ---------------------------------------------------------------------------------------------------------------
// Input rules

export interface InputRuleContext {
  readonly budget: Budget;
  readonly disclosure: Disclosure;
  readonly template: TemplateData;
  readonly catalog: Catalog;
  readonly unit: PrintUnit;
  /** the department's name for each figure id, for messages */
  readonly figureName: (id: string) => string;
}

const wan = (fen: bigint, unit: PrintUnit) => formatSteps(toSteps(fen, unit), unit.decimals);

/** Reads a performance target value (e.g. "26", "22.56") as 万元 in 分; null when it is not a plain number. */
function targetFen(value: string, unitLabel: string | undefined): bigint | null {
  const r = parseYuan(value);
  if (!r.ok) return null;
  if (unitLabel === "万元") return r.fen * 10_000n;
  if (unitLabel === "元") return r.fen;
  return null;
}

function wordsIn(text: string, words: readonly string[]): string | null {
  for (const w of words) if (text.includes(w)) return w;
  return null;
}

export function evaluateInputRules(rules: RuleSet, ctx: InputRuleContext): Finding[] {
  const { budget, disclosure, template, catalog, unit } = ctx;
  const out: Finding[] = [];
  const isDepartment = disclosure.scope.kind === "department";
  const scopeUnit = disclosure.scope.kind === "unit" ? disclosure.scope.unit : null;
  const inScope = (unitCode: string) => scopeUnit === null || unitCode === scopeUnit;
  const projectInScope = (code: string) => {
    const p = budget.projects.find((x) => x.code === code);
    return p !== undefined && inScope(p.unit);
  };
  const changes = new Map<string, { direction: Direction } | null>();
  /** the change of a figure against its prior, or null when it has none (computed on first use) */
  const changeOf = (id: string): { direction: Direction } | null => {
    let c = changes.get(id);
    if (c === undefined) {
      const f = disclosure.figures.get(id);
      c = f && f.prior !== null ? describeChange(f.current, f.prior, unit) : null;
      changes.set(id, c);
    }
    return c;
  };
  const projectBudget = new Map<string, bigint>();
  for (const l of budget.lines) if (l.project !== undefined) projectBudget.set(l.project, (projectBudget.get(l.project) ?? 0n) + l.amount);
  for (const rule of rules.rules) {
    if (rule.scope !== "input") continue;
    switch (rule.check) {
      case "office_running_scope": {
        const seen = new Map<string, { amount: bigint; line: number }>();
        budget.lines.forEach((l, i) => {
          if (!inScope(l.unit)) return;
          if (l.kind !== "basic" || !isAppropriated(l.fund)) return;
          if (template.personnel_econ.some((p) => l.econ.startsWith(p))) return;
          const u = budget.units.find((x) => x.code === l.unit);
          if (!u) return;
          const funcName = catalog.func.get(l.func)?.name ?? "";
          const wrong = (u.type === "事业" && funcName === "行政运行") || (u.type !== "事业" && funcName === "事业运行");
          if (!wrong) return;
          const key = `${l.unit}|${l.func}`;
          const s = seen.get(key);
          if (s) s.amount += l.amount;
          else seen.set(key, { amount: l.amount, line: i });
        });
        for (const [key, s] of seen) {
          const [uc, func] = key.split("|") as [string, string];
          const u = budget.units.find((x) => x.code === uc)!;
          out.push(finding(rule, { unit: u.name, unitType: u.type, amount: wan(s.amount, unit), func, funcName: nameOf(catalog, "func", func) }, [], `lines[${s.line}].func`));
        }
        break;
      }
      case "procurement_reservation": {
        const p = budget.procurement;
        if (!p || !isDepartment) break;
        const total = p.goods + p.works + p.services;
        if (p.sme_reserved > total)
          out.push(finding(rule, { part: "面向中小企业预留", partAmount: wan(p.sme_reserved, unit), whole: "政府采购预算", wholeAmount: wan(total, unit) }, [], "procurement.sme_reserved"));
        if (p.small_micro_reserved > p.sme_reserved)
          out.push(finding(rule, { part: "小微企业预留", partAmount: wan(p.small_micro_reserved, unit), whole: "面向中小企业预留", wholeAmount: wan(p.sme_reserved, unit) }, [], "procurement.small_micro_reserved"));
        break;
      }
      case "allocation_sum":
        budget.projects.forEach((p, i) => {
          if (!p.allocation.length || !inScope(p.unit)) return;
          const allocated = p.allocation.reduce((s, a) => s + a.amount, 0n);
          const budgeted = projectBudget.get(p.code) ?? 0n;
          if (allocated !== budgeted)
            out.push(finding(rule, { project: projectPublicName(p), allocated: wan(allocated, unit), budget: wan(budgeted, unit) }, [], `projects[${i}].allocation`));
        });
        break;
      case "performance_weights": {
        const { execution_rate_weight: exec, total_weight: total } = template.performance;
        const check = (name: string, inds: readonly { name: string; weight: number }[], field: string) => {
          if (!inds.length) return;
          const sum = inds.reduce((s, x) => s + x.weight, 0);
          const hasExec = inds.some((x) => x.name.includes("预算执行率"));
          const expected = hasExec ? total : total - exec;
          if (Math.abs(sum - expected) > 1e-9)
            out.push(finding(rule, { table: name, sum: String(sum), expected: String(expected), execution: String(exec) }, [], field));
        };
        if (isDepartment && budget.performance.department) check("部门整体绩效目标表", budget.performance.department.indicators, "performance.department.indicators");
        budget.performance.projects.forEach((pp, i) => {
          if (!projectInScope(pp.project)) return;
          const p = budget.projects.find((x) => x.code === pp.project);
          check(`项目“${p ? projectPublicName(p) : pp.project}”绩效目标表`, pp.indicators, `performance.projects[${i}].indicators`);
        });
        break;
      }
      case "performance_cost":
        budget.performance.projects.forEach((pp, i) => {
          const p = budget.projects.find((x) => x.code === pp.project);
          if (!p || !inScope(p.unit)) return;
          let sum = 0n;
          let count = 0n;
          for (const ind of pp.indicators) {
            if (!ind.level1.includes("成本") && !ind.level2.includes("成本")) continue;
            if (ind.comparator !== "<=" && ind.comparator !== "<" && ind.comparator !== "=") continue;
            const v = targetFen(ind.value, ind.unit);
            if (v === null) continue;
            sum += v;
            count++;
          }
          const budgeted = projectBudget.get(p.code) ?? 0n;
          // targets are stated to the printed step: each may be half a step under the exact amount it caps
          if (count > 0n && 2n * (sum - budgeted) > count * unit.step) out.push(finding(rule, { project: projectPublicName(p), sum: wan(sum, unit), budget: wan(budgeted, unit) }, [], `performance.projects[${i}].indicators`));
        });
        break;
      case "reason_missing":
        if (!isDepartment) break;
        // the figures whose prior is known: entered by hand (prior_year), or every figure with one when they come
        // from last year's own figures (the platform, `--last-year`): a change needs its reason either way
        for (const id of disclosure.priorYear.source === "last_year" ? [...disclosure.figures].flatMap(([k, f]) => (f.prior === null ? [] : [k])) : Object.keys(budget.prior_year)) {
          if (budget.reasons[id] !== undefined || !isComparedFigure(template, id)) continue;
          const c = changeOf(id);
          if (!c || c.direction === "flat" || c.direction === "none") continue;
          out.push(finding(rule, { figure: ctx.figureName(id), direction: DIRECTION_ZH[c.direction], direction_en: DIRECTION_EN[c.direction] }, [], formatFieldPath(["reasons", id])));
        }
        break;
      case "reason_direction":
        if (!isDepartment) break;
        for (const [id, reason] of Object.entries(budget.reasons)) {
          const up = wordsIn(reason, rules.direction_words.up);
          const down = wordsIn(reason, rules.direction_words.down);
          if ((up === null) === (down === null)) continue; // no direction named, or both: not judged
          const c = changeOf(id);
          if (!c) continue;
          const says: "up" | "down" = up !== null ? "up" : "down";
          const numbers = c.direction === "new" ? "up" : c.direction === "none" ? "flat" : c.direction;
          if (numbers === says) continue;
          out.push(finding(rule, { figure: ctx.figureName(id), direction: DIRECTION_ZH[c.direction], direction_en: DIRECTION_EN[c.direction], word: (up ?? down)!, reason }, [], formatFieldPath(["reasons", id])));
        }
        break;
      case "prior_missing":
        if (!isDepartment) break;
        for (const [id, f] of disclosure.figures) {
          if (f.prior !== null || !isComparedFigure(template, id)) continue;
          if (toSteps(f.current, unit) === 0n) continue;
          out.push(finding(rule, { figure: ctx.figureName(id) }, [], formatFieldPath(["prior_year", id])));
        }
        break;
      case "prior_contradiction":
      case "prior_incomplete":
        if (!isDepartment) break;
        for (const d of priorContradictions(disclosure, ctx.figureName, rule.check === "prior_incomplete")) out.push({ ...finding(rule, d.params, [], d.field), related: d.related });
        break;
      case "prior_mismatch": {
        const from = disclosure.priorYear.lastYear;
        if (!isDepartment || !from) break;
        for (const d of priorMismatches(disclosure, ctx.figureName, from.file)) out.push(finding(rule, d.params, [], d.field));
        break;
      }
      case "prior_fallback": {
        const from = disclosure.priorYear.lastYear;
        if (!isDepartment || !from) break;
        for (const what of from.fallback)
          out.push(
            finding(rule, {
              year: String(from.year),
              what: what === "template" ? "公开模板" : "分类科目目录",
              what_en: what === "template" ? "disclosure template" : "classification catalog",
              used: what === "template" ? ` ${from.template} 模板` : ` ${from.catalogYear} 年目录`,
              used_en: what === "template" ? `the ${from.template} template` : `the ${from.catalogYear} catalog`,
              file: from.file,
            }, [], null),
          );
        break;
      }
      case "text_spacing":
        // the department's own words print as written: a space PDF extraction left between 汉字 and a digit or letter
        for (const t of quotedTexts(budget, isDepartment, inScope)) {
          const sp = spacedText(t.text);
          if (sp) out.push(finding(rule, { what: t.what.zh, what_en: t.what.en, excerpt: sp.excerpt, count: String(sp.count) }, [], formatFieldPath(t.path)));
        }
        break;
      case "figure_unknown":
        for (const [what, rec] of [["prior_year", budget.prior_year], ["reasons", budget.reasons], ["descriptions", budget.descriptions]] as const)
          for (const id of Object.keys(rec)) if (!isFigureId(template, id)) out.push(finding(rule, { figure: id }, [], formatFieldPath([what, id])));
        break;
      case "unknown_code": {
        // A code that nobody names is the error of `unnamed_code` when the rules have it; this one is about codes
        // the budget names but the catalog does not list (a warning against ours, an error against an official one).
        const unnamedIsChecked = rules.rules.some((r) => r.scope === "input" && r.check === "unnamed_code");
        const severity = catalog.official ? (rule.severity_official ?? rule.severity) : rule.severity;
        const reported = { func: new Set<string>(), econ: new Set<string>() };
        const check = (kind: "func" | "econ", code: string, field: string) => {
          if (isCatalogued(catalog, kind, code) || reported[kind].has(code)) return;
          if (unnamedIsChecked && !isNamed(catalog, budget, kind, code)) return;
          reported[kind].add(code);
          out.push(finding(rule, { ...codeParams(catalog, kind, code), name: budget.names[kind][code] ?? nameOf(catalog, kind, code) }, [], field, severity));
        };
        eachCodeInScope(budget, inScope, check);
        break;
      }
      case "unnamed_code": {
        // Every printed level of every code in scope (a function 类/款/项, an economic 类/款): a level that neither
        // the catalog nor the budget's `names` names would print as a placeholder. Reported once per code, at the
        // first line or carry-over item that uses it, with how many use it.
        const first = new Map<string, { kind: CatalogKind; code: string; field: string; uses: number }>();
        const use = (kind: CatalogKind, code: string, field: string) => {
          for (const len of CODE_LEVEL_LENGTHS[kind]) {
            const part = code.slice(0, len);
            if (part.length !== len || isNamed(catalog, budget, kind, part)) continue;
            const key = `${kind}:${part}`;
            const seen = first.get(key);
            if (seen) seen.uses++;
            else first.set(key, { kind, code: part, field, uses: 1 });
          }
        };
        eachCodeInScope(budget, inScope, use);
        for (const { kind, code, field, uses } of first.values()) {
          out.push(finding(rule, { ...codeParams(catalog, kind, code), key: kind, uses: String(uses) }, [], field));
        }
        break;
      }
    }
  }
  return out;
}

/** The message parameters of a code missing from the catalog: its classification, the catalog, the nearest known codes. */
function codeParams(catalog: Catalog, kind: CatalogKind, code: string): Record<string, string> {
  return {
    kind: kind === "func" ? "功能分类" : "经济分类",
    kind_en: kind === "func" ? "functional" : "economic",
    code,
    year: String(catalog.year),
    catalog: catalog.official ? "正式目录" : "本系统的部分目录",
    catalog_en: catalog.official ? "the official catalog" : "our partial catalog",
    nearest: nearestCodes(catalog, kind, code).map((c) => `${c} ${nameOf(catalog, kind, c)}`).join("、") || "无",
  };
}

/** Whether a code has a name to print: from the catalog, or from the budget's `names`. */
function isNamed(catalog: Catalog, budget: Budget, kind: CatalogKind, code: string): boolean {
  return catalog[kind].has(code) || Object.hasOwn(budget.names[kind], code);
}

/** Every function and economic code of the lines and carry-over items in scope, with its field, in input order. */
function eachCodeInScope(budget: Budget, inScope: (unit: string) => boolean, visit: (kind: "func" | "econ", code: string, field: string) => void): void {
  for (const [what, items] of [["lines", budget.lines], ["carryover", budget.carryover]] as const)
    items.forEach((x, i) => {
      if (!inScope(x.unit)) return;
      visit("func", x.func, `${what}[${i}].func`);
      visit("econ", x.econ, `${what}[${i}].econ`);
    });
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };
