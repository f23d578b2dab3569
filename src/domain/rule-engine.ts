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
import { nameOf, nearestCodes, type Catalog } from "./catalog-model.ts";
import { describeChange, DIRECTION_EN, DIRECTION_ZH, type Direction } from "./change-wording.ts";
import type { Disclosure } from "./disclosure-model.ts";
import { formatFieldPath } from "./input-problem.ts";
import { formatSteps, parseYuan, toSteps, type PrintUnit } from "./money.ts";
import { fill, isComparedFigure, isFigureId, projectPublicName, type ComputedRow, type ComputedTable } from "./table-engine.ts";
import { resolveSources, SOURCE_INDEX, type TemplateData } from "./template-model.ts";

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
        "figure_unknown",
        "unknown_code",
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
  readonly label: string;
  /** printed steps per amount column; blank prints as 0 here; null = no such cell */
  readonly values: readonly (bigint | null)[];
}

export function printedTables(tables: readonly ComputedTable[], unit: PrintUnit): PrintedTable[] {
  return tables.map((t) => ({
    id: t.id,
    number: t.number,
    columns: t.amountColumns.map((ci) => ({ id: t.columns[ci]!.id, label: t.columns[ci]!.csv })),
    rows: t.rows.map((r) => ({
      key: r.key,
      side: r.side,
      type: r.type,
      code: r.code,
      label: [r.code, r.name, r.project].filter((x) => x).join(" "),
      values: r.cells.map((c) => (c === null ? null : toSteps(c, unit))),
    })),
  }));
}

/** Parent row key of a row, from its key structure; null at the top level. */
export function parentKey(row: { key: string; type: ComputedRow["type"]; code: string | null }): string | null {
  const slash = row.key.lastIndexOf("/");
  let prefix = slash < 0 ? "" : row.key.slice(0, slash + 1);
  // a project-split row `u:1/f:2010399/p:0`: its own prefix is `u:1/`
  if (row.key.endsWith(`/p:${row.key.split("/p:").pop()}`) && row.key.includes("/p:")) {
    const withoutProject = row.key.slice(0, row.key.lastIndexOf("/p:"));
    const s2 = withoutProject.lastIndexOf("/");
    prefix = s2 < 0 ? "" : withoutProject.slice(0, s2 + 1);
  }
  const unitKey = prefix ? prefix.slice(0, -1) : null;
  const code = row.code ?? "";
  switch (row.type) {
    case "item":
      return `${prefix}f:${code.slice(0, 5)}`;
    case "section":
      return `${prefix}f:${code.slice(0, 3)}`;
    case "econ-section":
      return `${prefix}e:${code.slice(0, 3)}`;
    case "class":
    case "econ-class":
    case "carryover":
      return unitKey;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation of printed-cell rules

class PrintedIndex {
  readonly byId = new Map<string, PrintedTable>();
  private readonly rowIdx = new Map<string, Map<string, PrintedRow>>();
  constructor(readonly tables: readonly PrintedTable[]) {
    for (const t of tables) {
      this.byId.set(t.id, t);
      this.rowIdx.set(t.id, new Map(t.rows.map((r) => [r.key, r])));
    }
  }
  colIndex(t: PrintedTable, col: string): number {
    return t.columns.findIndex((c) => c.id === col);
  }
  row(table: string, key: string): PrintedRow | undefined {
    return this.rowIdx.get(table)?.get(key);
  }
  /** The value of a cell; a missing row prints nothing (0 with no cell). */
  term(table: string, rowKey: string, column: string): Term {
    const t = this.byId.get(table);
    if (!t) return { value: 0n, cells: [] };
    const r = this.row(table, rowKey);
    const ci = this.colIndex(t, column);
    const v = ci < 0 || !r ? null : (r.values[ci] ?? null);
    return v === null ? { value: 0n, cells: [] } : { value: v, cells: [{ table, row: rowKey, column }] };
  }
}

/**
 * A relation a printed-cell rule states: lhs = rhs (or lhs ≤ rhs) over rounded cells. Over n rounded cells it
 * tolerates n × ½ step: `slack` is that tolerance in half-steps.
 */
export interface Relation {
  readonly rule: Rule;
  readonly kind: "eq" | "le";
  readonly lhs: Term;
  readonly rhs: Term;
  readonly params: Readonly<Record<string, string>>;
}

export interface Term {
  readonly value: bigint;
  readonly cells: CellAddress[];
}

/** Tolerance of a relation in half-steps of the printed unit: one per rounded cell. */
export function relationSlack(r: Relation): bigint {
  return BigInt(r.lhs.cells.length + r.rhs.cells.length);
}

/** Twice the residual (lhs − rhs) in half-steps. */
export function relationResidual(r: Relation): bigint {
  return 2n * (r.lhs.value - r.rhs.value);
}

export function relationHolds(r: Relation): boolean {
  const d = relationResidual(r);
  const slack = relationSlack(r);
  return r.kind === "le" ? d <= slack : (d < 0n ? -d : d) <= slack;
}

function sumTerms(terms: readonly Term[]): Term {
  return { value: terms.reduce((s, t) => s + t.value, 0n), cells: terms.flatMap((t) => t.cells) };
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

/** Every relation the printed-cell rules state over these tables, whether it holds or not. */
export function printedRelations(rules: RuleSet, tables: readonly PrintedTable[], unit: PrintUnit): Relation[] {
  const ix = new PrintedIndex(tables);
  const out: Relation[] = [];
  const fmt = (v: bigint) => formatSteps(v, unit.decimals);
  const tname = (id: string) => ix.byId.get(id)?.number ?? id;
  const colLabel = (tid: string, col: string) => ix.byId.get(tid)?.columns.find((c) => c.id === col)?.label ?? col;
  const rowLabel = (tid: string, key: string) => ix.row(tid, key)?.label ?? key;
  const rel = (rule: Rule, params: Record<string, string>, lhs: Term, rhs: Term, kind: "eq" | "le" = "eq") => {
    if (lhs.cells.length === 0 && rhs.cells.length === 0) return;
    out.push({ rule, kind, lhs, rhs, params: { ...params, lhs: fmt(lhs.value), rhs: fmt(rhs.value) } });
  };

  for (const rule of rules.rules) {
    if (rule.scope !== "printed") continue;
    switch (rule.check) {
      case "tree_sum":
        for (const tid of rule.tables) {
          const t = ix.byId.get(tid);
          if (!t) continue;
          const children = new Map<string, PrintedRow[]>();
          for (const r of t.rows) {
            const p = parentKey(r);
            if (p === null) continue;
            let list = children.get(p);
            if (!list) children.set(p, (list = []));
            list.push(r);
          }
          for (const [pk, kids] of children)
            for (const c of t.columns)
              rel(rule, { table: tname(tid), row: rowLabel(tid, pk), column: c.label }, ix.term(tid, pk, c.id), sumTerms(kids.map((k) => ix.term(tid, k.key, c.id))));
        }
        break;
      case "total_sum":
        for (const tid of rule.tables) {
          const t = ix.byId.get(tid);
          if (!t) continue;
          const tops = t.rows.filter((r) => r.type !== "fixed" && parentKey(r) === null && (rule.side === undefined || r.side === rule.side));
          for (const c of t.columns) {
            const lhs = ix.term(tid, rule.total_row, c.id);
            if (lhs.cells.length === 0) continue;
            rel(rule, { table: tname(tid), column: c.label, level: tops[0]?.type === "unit" ? "单位" : "类" }, lhs, sumTerms(tops.map((k) => ix.term(tid, k.key, c.id))));
          }
        }
        break;
      case "columns_sum":
        for (const r0 of rule.relations) {
          const t = ix.byId.get(r0.table);
          if (!t) continue;
          for (const r of t.rows) {
            if (r0.side !== undefined && r.side !== r0.side) continue;
            rel(
              rule,
              { table: tname(r0.table), row: r.label, lhsColumn: colLabel(r0.table, r0.lhs), rhsColumns: r0.rhs.map((c) => colLabel(r0.table, c)).join("、") },
              ix.term(r0.table, r.key, r0.lhs),
              sumTerms(r0.rhs.map((c) => ix.term(r0.table, r.key, c))),
            );
          }
        }
        break;
      case "rows_sum":
        for (const r0 of rule.relations) {
          const t = ix.byId.get(r0.table);
          if (!t) continue;
          for (const col of r0.column === "*" ? t.columns.map((c) => c.id) : [r0.column])
            rel(
              rule,
              { table: tname(r0.table), lhsRow: rowLabel(r0.table, r0.lhs), rhsRows: r0.rhs.map((rk) => rowLabel(r0.table, rk)).join("、"), column: colLabel(r0.table, col) },
              ix.term(r0.table, r0.lhs, col),
              sumTerms(r0.rhs.map((rk) => ix.term(r0.table, rk, col))),
            );
        }
        break;
      case "cells_equal":
      case "cells_le":
        for (const r0 of rule.relations) {
          const describe = (refs: readonly CellAddress[]) => refs.map((c) => `${tname(c.table)}“${rowLabel(c.table, c.row)}”${colLabel(c.table, c.column)}`).join(" + ");
          rel(
            rule,
            { left: describe(r0.left), right: describe(r0.right) },
            sumTerms(r0.left.map((c) => ix.term(c.table, c.row, c.column))),
            sumTerms(r0.right.map((c) => ix.term(c.table, c.row, c.column))),
            rule.check === "cells_le" ? "le" : "eq",
          );
        }
        break;
      case "rows_match":
        for (const r0 of rule.relations) {
          const collect = (s: { table: string; side?: string | undefined; columns: string[] }) => {
            const m = new Map<string, Term[]>();
            const t = ix.byId.get(s.table);
            if (!t) return m;
            for (const r of t.rows) {
              if (s.side !== undefined && r.side !== s.side) continue;
              if (r.code === null || !(r.type === "class" || r.type === "section" || r.type === "item")) continue;
              if (r0.level === "class" && r.type !== "class") continue;
              let list = m.get(r.code);
              if (!list) m.set(r.code, (list = []));
              for (const c of s.columns) list.push(ix.term(s.table, r.key, c));
            }
            return m;
          };
          const left = collect(r0.left);
          const right = collect(r0.right);
          for (const code of new Set([...left.keys(), ...right.keys()]))
            rel(rule, { leftTable: tname(r0.left.table), rightTable: tname(r0.right.table), code }, sumTerms(left.get(code) ?? []), sumTerms(right.get(code) ?? []));
        }
        break;
    }
  }
  return out;
}

/** Evaluates the printed-cell rules on printed tables (computed, or read from a published document). */
export function evaluatePrintedRules(rules: RuleSet, tables: readonly PrintedTable[], unit: PrintUnit): Finding[] {
  return printedRelations(rules, tables, unit)
    .filter((r) => !relationHolds(r))
    .map((r) => finding(r.rule, { ...r.params }, [...r.lhs.cells, ...r.rhs.cells], null));
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
  const changes = new Map<string, { direction: Direction; current: bigint; prior: bigint }>();
  for (const [id, f] of disclosure.figures) {
    if (f.prior === null) continue;
    changes.set(id, { ...describeChange(f.current, f.prior, unit), current: f.current, prior: f.prior });
  }
  for (const rule of rules.rules) {
    if (rule.scope !== "input") continue;
    switch (rule.check) {
      case "office_running_scope": {
        const appropriated = resolveSources("appropriated", template.source_groups);
        const seen = new Map<string, { amount: bigint; line: number }>();
        budget.lines.forEach((l, i) => {
          if (!inScope(l.unit)) return;
          if (l.kind !== "basic" || (appropriated & (1 << (SOURCE_INDEX.get(l.fund) ?? 31))) === 0) return;
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
          const budgeted = budget.lines.filter((l) => l.project === p.code).reduce((s, l) => s + l.amount, 0n);
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
          const budgeted = budget.lines.filter((l) => l.project === p.code).reduce((s, l) => s + l.amount, 0n);
          // targets are stated to the printed step: each may be half a step under the exact amount it caps
          if (count > 0n && 2n * (sum - budgeted) > count * unit.step) out.push(finding(rule, { project: projectPublicName(p), sum: wan(sum, unit), budget: wan(budgeted, unit) }, [], `performance.projects[${i}].indicators`));
        });
        break;
      case "reason_missing":
        if (!isDepartment) break;
        for (const [id, c] of changes) {
          if (!isComparedFigure(template, id)) continue;
          if (c.direction === "flat" || c.direction === "none") continue;
          if (budget.reasons[id] !== undefined) continue;
          out.push(finding(rule, { figure: ctx.figureName(id), direction: DIRECTION_ZH[c.direction], direction_en: DIRECTION_EN[c.direction] }, [], formatFieldPath(["reasons", id])));
        }
        break;
      case "reason_direction":
        if (!isDepartment) break;
        for (const [id, reason] of Object.entries(budget.reasons)) {
          const c = changes.get(id);
          if (!c) continue;
          const up = wordsIn(reason, rules.direction_words.up);
          const down = wordsIn(reason, rules.direction_words.down);
          if ((up === null) === (down === null)) continue; // no direction named, or both: not judged
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
      case "figure_unknown":
        for (const [what, rec] of [["prior_year", budget.prior_year], ["reasons", budget.reasons]] as const)
          for (const id of Object.keys(rec)) if (!isFigureId(template, id)) out.push(finding(rule, { figure: id }, [], formatFieldPath([what, id])));
        break;
      case "unknown_code": {
        const severity = catalog.official ? (rule.severity_official ?? rule.severity) : rule.severity;
        const reported = new Set<string>();
        const check = (kind: "func" | "econ", code: string, field: string) => {
          if (catalog[kind].has(code) || reported.has(kind + code)) return;
          reported.add(kind + code);
          const nearest = nearestCodes(catalog, kind, code).map((c) => `${c} ${nameOf(catalog, kind, c)}`).join("、") || "无";
          out.push(
            finding(
              rule,
              {
                kind: kind === "func" ? "功能分类" : "经济分类",
                kind_en: kind === "func" ? "functional" : "economic",
                code,
                year: String(catalog.year),
                catalog: catalog.official ? "正式目录" : "本系统的部分目录",
                catalog_en: catalog.official ? "the official catalog" : "our partial catalog",
                nearest,
              },
              [],
              field,
              severity,
            ),
          );
        };
        budget.lines.forEach((l, i) => {
          if (!inScope(l.unit)) return;
          check("func", l.func, `lines[${i}].func`);
          check("econ", l.econ, `lines[${i}].econ`);
        });
        budget.carryover.forEach((c, i) => {
          if (!inScope(c.unit)) return;
          check("func", c.func, `carryover[${i}].func`);
          check("econ", c.econ, `carryover[${i}].econ`);
        });
        break;
      }
    }
  }
  return out;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };
