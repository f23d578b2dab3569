/**
 * The computed disclosure: everything a renderer, the API or a test needs, derived from one budget through one
 * template. Classified details never enter it: a classified project is known here only by its public label.
 */
import type { Budget, Indicator } from "./budget-schema.ts";
import type { Catalog } from "./catalog-model.ts";
import { carryoverItems } from "./carryover-items.ts";
import { buildFacts } from "./fact-set.ts";
import { formatCell, type PrintUnit } from "./money.ts";
import { roundingNotes } from "./rounding-note.ts";
import type { RuleSet } from "./rule-engine.ts";
import { enteredAgainstDerived, priorsFromLastYear, resolveEnteredPriors, type PriorContradiction, type PriorMismatch } from "./prior-year.ts";
import { isAppropriated } from "./template-model.ts";
import {
  computeFigures,
  computeTables,
  factSignatures,
  figureName,
  isFigureId,
  projectPublicName,
  type CompiledTemplate,
  type ComputedRow,
  type ComputedTable,
} from "./table-engine.ts";

export const DISCLOSURE_FORMAT = "gongkai/disclosure@1";

export interface FigureEntry {
  /** the figure's name in the narrative (e.g. 一般公共预算, 行政运行) */
  readonly name: string;
  readonly current: bigint;
  /** the prior-year figure (entered, derived from the entered ones, or from last year's line items), or null when unknown */
  readonly prior: bigint | null;
}

export interface PerformanceRow {
  readonly project: string | null;
  readonly indicator: Indicator;
}

/** A public project's performance table: its header facts and indicator rows. */
export interface PerformanceProjectEntry {
  readonly project: string;
  /** the name of the project's budget unit (预算单位) */
  readonly unit: string;
  readonly owner: string | null;
  readonly goal: string;
  /** the project's current-year budget, and of it 财政拨款 and other money (amount = appropriated + nonAppropriated) */
  readonly amount: bigint;
  readonly appropriated: bigint;
  readonly nonAppropriated: bigint;
  readonly rows: readonly PerformanceRow[];
}

export interface PublicProject {
  readonly code: string;
  readonly name: string;
  readonly classified: boolean;
  readonly unit: string;
  readonly amount: bigint;
  /** of `amount`: current-year fiscal appropriations (财政拨款) and other money */
  readonly appropriated: bigint;
  readonly nonAppropriated: bigint;
  /** of `amount`: the current-year general public budget (表7's projects) */
  readonly gpb: bigint;
  /** withheld (null) for a classified project */
  readonly details: {
    readonly owner: string | null;
    readonly basis: string | null;
    readonly purpose: string | null;
    readonly schedule: string | null;
    readonly allocation: readonly { item: string; amount: bigint }[];
  } | null;
}

export interface Disclosure {
  readonly format: typeof DISCLOSURE_FORMAT;
  readonly constructed: string | null;
  readonly department: Budget["department"];
  readonly scope: { readonly kind: "department" } | { readonly kind: "unit"; readonly unit: string; readonly name: string };
  readonly template: { readonly id: string; readonly name: string; readonly printUnit: PrintUnit & { readonly label: string } };
  readonly catalog: { readonly year: number; readonly official: boolean; readonly source: string };
  readonly units: Budget["units"];
  readonly profile: Budget["profile"];
  readonly tables: readonly ComputedTable[];
  /** the template's rounding note under each table whose printed sums do not all add up exactly (rounding-note.ts) */
  readonly roundingNotes: ReadonlyMap<string, string>;
  readonly figures: ReadonlyMap<string, FigureEntry>;
  readonly priorYear: PriorYearCheck;
  readonly reasons: Readonly<Record<string, string>>;
  readonly descriptions: Readonly<Record<string, string>>;
  readonly projects: readonly PublicProject[];
  /** the carry-over items: the entries of one unit under one name are one item (carryover-items.ts), one row of 表11 */
  readonly carryover: readonly { name: string; unit: string; amount: bigint; purpose: string | null }[];
  readonly procurement: Budget["procurement"] | null;
  readonly assets: Budget["assets"] | null;
  readonly performance: {
    readonly contact: { name: string; phone: string } | null;
    readonly departmentGoal: string | null;
    readonly department: readonly PerformanceRow[];
    readonly projects: readonly PerformanceProjectEntry[];
    /** number and amount of classified projects whose target tables are withheld */
    readonly withheld: { readonly count: number; readonly amount: bigint };
  };
}

export interface AssembleOptions {
  /** build one unit's budget (单位预算) instead of the department's */
  readonly unit?: string;
  /** the template's rules: their printed-cell relations say under which tables the rounding note prints */
  readonly rules?: RuleSet | null;
  /** last year's figures (from its line items or its disclosure): the priors are derived from them */
  readonly lastYear?: LastYear;
}

/** Last year's figures, computed from its line items (or read from its disclosure.json), and how. */
export interface LastYear {
  readonly figures: ReadonlyMap<string, bigint>;
  /** the file they come from, as the user named it */
  readonly file: string;
  readonly year: number;
  /** the template and catalog year they were computed with */
  readonly template: string;
  readonly catalogYear: number;
  /** what last year had of its own that the project does not have, so this year's was used instead */
  readonly fallback: readonly ("template" | "catalog")[];
  /** codes renamed between the years, through data/crosswalks/ */
  readonly renamed: number;
}

/** Where the prior-year figures come from, and what contradicts in them. */
export interface PriorYearCheck {
  readonly source: "last_year" | "entered" | "none";
  /** with `source: "last_year"`: where its figures come from */
  readonly lastYear: Omit<LastYear, "figures"> | null;
  /** identities the entered figures break (hand-entered priors only) */
  readonly contradictions: readonly PriorContradiction[];
  /** entered figures that differ from those derived from last year's line items */
  readonly mismatches: readonly PriorMismatch[];
}

export function printUnitOf(ct: CompiledTemplate): PrintUnit & { label: string } {
  const u = ct.data.print_unit;
  return { label: u.label, step: BigInt(u.step_fen), decimals: u.decimals };
}

export function assembleDisclosure(ct: CompiledTemplate, budget: Budget, catalog: Catalog, opts: AssembleOptions = {}): Disclosure {
  const unit = opts.unit === undefined ? undefined : budget.units.find((u) => u.code === opts.unit);
  if (opts.unit !== undefined && !unit) throw new Error(`unknown unit ${opts.unit} (checked by the caller)`);
  const facts = buildFacts(budget, ct, opts.unit);
  const ownerName = unit?.name ?? budget.department.name;
  const sigs = factSignatures(ct, facts);
  const tables = computeTables(ct, facts, { budget, catalog, department: ownerName, year: budget.department.year }, sigs);
  // Prior-year figures and reasons describe the department; a unit's build carries none.
  const entered: Readonly<Record<string, bigint>> = unit ? {} : budget.prior_year;
  const lastYear = unit ? undefined : opts.lastYear;
  const current = computeFigures(ct, facts, Object.keys(entered), sigs);
  let priors: ReadonlyMap<string, bigint>;
  let priorYear: PriorYearCheck;
  if (lastYear) {
    priors = priorsFromLastYear(current, lastYear.figures);
    for (const id of priors.keys()) if (!current.has(id) && isFigureId(ct.data, id)) current.set(id, 0n);
    const { figures: _figures, ...from } = lastYear;
    priorYear = { source: "last_year", lastYear: from, contradictions: [], mismatches: enteredAgainstDerived(entered, priors) };
  } else {
    const r = resolveEnteredPriors(ct.data, current, entered);
    priors = r.values;
    // a 类 of last year only (its 项 entered): this year's figure is nil
    for (const id of priors.keys()) if (!current.has(id) && isFigureId(ct.data, id)) current.set(id, 0n);
    priorYear = { source: Object.keys(entered).length ? "entered" : "none", lastYear: null, contradictions: r.contradictions, mismatches: [] };
  }
  const figures = new Map<string, FigureEntry>();
  for (const [id, value] of current) figures.set(id, { name: figureName(ct.data, catalog, id), current: value, prior: priors.get(id) ?? null });

  const inScope = (unitCode: string) => !unit || unit.code === unitCode;
  const projectAmount = new Map<string, bigint>();
  const projectAppropriated = new Map<string, bigint>();
  const projectGpb = new Map<string, bigint>();
  for (const l of budget.lines) {
    if (l.project === undefined || !inScope(l.unit)) continue;
    projectAmount.set(l.project, (projectAmount.get(l.project) ?? 0n) + l.amount);
    if (l.fund === "gpb.own" || l.fund === "gpb.transfer") projectGpb.set(l.project, (projectGpb.get(l.project) ?? 0n) + l.amount);
    if (isAppropriated(l.fund))
      projectAppropriated.set(l.project, (projectAppropriated.get(l.project) ?? 0n) + l.amount);
  }
  const projects: PublicProject[] = budget.projects
    .filter((p) => inScope(p.unit) || projectAmount.has(p.code))
    .map((p) => ({
      code: p.classified ? "" : p.code,
      name: projectPublicName(p),
      classified: p.classified,
      unit: p.unit,
      amount: projectAmount.get(p.code) ?? 0n,
      appropriated: projectAppropriated.get(p.code) ?? 0n,
      nonAppropriated: (projectAmount.get(p.code) ?? 0n) - (projectAppropriated.get(p.code) ?? 0n),
      gpb: projectGpb.get(p.code) ?? 0n,
      details: p.classified
        ? null
        : {
            owner: p.owner ?? null,
            basis: p.basis ?? null,
            purpose: p.purpose ?? null,
            schedule: p.schedule ?? null,
            allocation: p.allocation.map((a) => ({ item: a.item, amount: a.amount })),
          },
    }));
  const byCode = new Map(budget.projects.map((p) => [p.code, p]));
  const perfProjects = budget.performance.projects
    .filter((pp) => {
      const p = byCode.get(pp.project);
      return p !== undefined && !p.classified && (inScope(p.unit) || projectAmount.has(p.code));
    })
    .map((pp) => {
      const p = byCode.get(pp.project)!;
      const amount = projectAmount.get(p.code) ?? 0n;
      const appropriated = projectAppropriated.get(p.code) ?? 0n;
      return {
        project: p.name,
        unit: budget.units.find((u) => u.code === p.unit)?.name ?? p.unit,
        owner: pp.owner ?? p.owner ?? null,
        goal: pp.goal,
        amount,
        appropriated,
        nonAppropriated: amount - appropriated,
        rows: pp.indicators.map((indicator) => ({ project: p.name, indicator })),
      };
    });
  const classified = budget.projects.filter((p) => p.classified && projectAmount.has(p.code));
  const perf = budget.performance;
  let notes: ReadonlyMap<string, string> | undefined;
  return {
    format: DISCLOSURE_FORMAT,
    constructed: budget.constructed ?? null,
    department: budget.department,
    scope: unit ? { kind: "unit", unit: unit.code, name: unit.name } : { kind: "department" },
    template: { id: ct.data.id, name: ct.data.name, printUnit: printUnitOf(ct) },
    catalog: { year: catalog.year, official: catalog.official, source: catalog.source },
    units: unit ? [unit] : budget.units,
    profile: budget.profile,
    tables,
    // computed when a renderer first asks (checking needs none), then kept
    get roundingNotes() {
      return (notes ??= roundingNotes(tables, opts.rules ?? null, ct.data.sentences, printUnitOf(ct)));
    },
    figures,
    priorYear,
    reasons: unit ? {} : budget.reasons,
    descriptions: unit ? {} : budget.descriptions,
    projects,
    // one per carry-over item (the entries of one unit under one name), as 表11 prints them
    carryover: carryoverItems(budget.carryover)
      .items.filter((c) => inScope(c.unit))
      .map((c) => ({ name: c.name, unit: c.unit, amount: c.amount, purpose: c.purpose })),
    procurement: unit ? null : (budget.procurement ?? null),
    assets: unit ? null : (budget.assets ?? null),
    performance: {
      contact: perf.contact ?? null,
      departmentGoal: unit ? null : (perf.department?.goal ?? null),
      department: unit ? [] : (perf.department?.indicators ?? []).map((indicator) => ({ project: null, indicator })),
      projects: perfProjects,
      withheld: { count: classified.length, amount: classified.reduce((s, p) => s + (projectAmount.get(p.code) ?? 0n), 0n) },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Table layout: the cells of a table as text, in the CSV contract (the layout of the reference's expected/).

function codeParts(row: ComputedRow): [string, string, string] {
  const c = row.code ?? "";
  switch (row.type) {
    case "class":
    case "econ-class":
      return [c, "", ""];
    case "section":
    case "econ-section":
      return [c.slice(0, 3), c.slice(3), ""];
    case "item":
      return [c.slice(0, 3), c.slice(3, 5), c.slice(5)];
    default:
      return ["", "", ""];
  }
}

/** The text of one row, column by column. */
export function rowTexts(table: ComputedTable, row: ComputedRow, unit: PrintUnit): string[] {
  const parts = codeParts(row);
  let amountPos = 0;
  return table.columns.map((col) => {
    switch (col.role) {
      case "side":
        return row.side ?? "";
      case "code1":
        return parts[0];
      case "code2":
        return parts[1];
      case "code3":
        return parts[2];
      case "name":
        return row.name;
      case "project":
        return row.project ?? "";
      case "amount": {
        const v = row.cells[amountPos++];
        return v === null || v === undefined ? "" : formatCell(v, unit);
      }
    }
  });
}

/** Header + rows as text; an empty table is its header and one row holding the sentence. */
export function tableTexts(table: ComputedTable, unit: PrintUnit): string[][] {
  const header = table.columns.map((c) => c.csv);
  if (table.emptySentence !== null) return [header, [table.emptySentence, ...header.slice(1).map(() => "")]];
  return [header, ...table.rows.map((r) => rowTexts(table, r, unit))];
}

const INDICATOR_FIELD: Record<string, (r: PerformanceRow) => string> = {
  project_name: (r) => r.project ?? "",
  level1: (r) => r.indicator.level1,
  level2: (r) => r.indicator.level2,
  name: (r) => r.indicator.name,
  comparator: (r) => r.indicator.comparator,
  value: (r) => r.indicator.value,
  unit: (r) => r.indicator.unit ?? "",
  basis: (r) => r.indicator.basis ?? "",
  last_year: (r) => r.indicator.last_year ?? "",
  weight: (r) => String(r.indicator.weight),
  scoring: (r) => r.indicator.scoring ?? "",
  evidence: (r) => r.indicator.evidence ?? "",
};

/** The indicator rows a performance table shows. */
export function performanceRows(d: Disclosure, source: "department" | "projects"): readonly PerformanceRow[] {
  return source === "department" ? d.performance.department : d.performance.projects.flatMap((p) => p.rows);
}

/** A performance table's rows as text, per the template's performance_tables spec. */
export function performanceTexts(columns: readonly { field: string; csv: string }[], rows: readonly PerformanceRow[]): string[][] {
  const getters = columns.map((c) => {
    const g = INDICATOR_FIELD[c.field];
    if (!g) throw new Error(`unknown performance field ${c.field}`);
    return g;
  });
  return [columns.map((c) => c.csv), ...rows.map((r) => getters.map((g) => g(r)))];
}
