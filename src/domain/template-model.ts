/**
 * A disclosure template is data: tables, columns with their money filters, row sources, sentences and the figure ids
 * of the narrative. This file validates a parsed template and compiles its filters for the engine.
 * Format: docs/template-format.md.
 */
import { z } from "zod";
import { CARRYOVER_FUNDS, CURRENT_FUNDS, UNIT_TYPES, type UnitType } from "./budget-schema.ts";
import { chartProblems } from "./chart-figures.ts";
import { performanceHeaderProblems } from "./performance-header.ts";
import { verifyRelations } from "./figure-relations.ts";

/** Every fund source a fact can carry: the current-year ones, then `co.<fund>` for carry-over. */
export const SOURCES = [...CURRENT_FUNDS, ...CARRYOVER_FUNDS.map((f) => `co.${f}` as const)] as const;
export type Source = (typeof SOURCES)[number];
export const SOURCE_INDEX: ReadonlyMap<string, number> = new Map(SOURCES.map((s, i) => [s, i]));

/**
 * 财政拨款 (fiscal appropriations) are by definition the current-year money of the three budgets — general public,
 * government fund and state capital — whatever a template calls its groups.
 */
export const APPROPRIATED_SOURCES: number = ["gpb.own", "gpb.transfer", "gf.own", "gf.transfer", "sc.own", "sc.transfer"].reduce(
  (bits, s) => bits | (1 << SOURCE_INDEX.get(s)!),
  0,
);

/** Whether a current-year fund source is a fiscal appropriation. */
export function isAppropriated(fund: string): boolean {
  const i = SOURCE_INDEX.get(fund);
  return i !== undefined && (APPROPRIATED_SOURCES & (1 << i)) !== 0;
}

export const KIND_FILTERS = ["basic", "project", "personnel", "operating"] as const;
export type KindFilter = (typeof KIND_FILTERS)[number];

const codeList = z.array(z.union([z.string(), z.number()]).transform(String)).min(1);

export const whereSchema = z
  .object({
    source: z.union([z.string(), z.array(z.string())]).optional(),
    kind: z.enum(KIND_FILTERS).optional(),
    econ: codeList.optional(),
    func: codeList.optional(),
    unit_type: z.array(z.enum(UNIT_TYPES)).optional(),
  })
  .strict();
export type Where = z.infer<typeof whereSchema>;

export const COLUMN_ROLES = ["amount", "side", "code1", "code2", "code3", "name", "project"] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

const columnSchema = z
  .object({
    id: z.string().min(1),
    role: z.enum(COLUMN_ROLES).default("amount"),
    csv: z.string().min(1),
    print: z.array(z.string()).optional(),
    where: whereSchema.optional(),
  })
  .strict();

type RowSourceInput =
  | { id: string; fixed: string; where?: Where | undefined }
  | { class_list: "function" }
  | { tree: "function" | "economic"; levels: number; split_leaf_by?: "project" | undefined }
  | { units: RowSourceInput[] }
  | { carryover_items: true };

const rowSourceSchema: z.ZodType<RowSourceInput> = z.lazy(() =>
  z.union([
    z.object({ id: z.string().min(1), fixed: z.string().min(1), where: whereSchema.optional() }).strict(),
    z.object({ class_list: z.literal("function") }).strict(),
    z
      .object({
        tree: z.enum(["function", "economic"]),
        levels: z.number().int().min(1).max(3),
        split_leaf_by: z.literal("project").optional(),
      })
      .strict(),
    z.object({ units: z.array(rowSourceSchema).min(1) }).strict(),
    z.object({ carryover_items: z.literal(true) }).strict(),
  ]),
);

/** YAML anchors may put a list of columns inside the list: flatten one level. */
const flatColumns = z
  .array(z.union([columnSchema, z.array(columnSchema)]))
  .min(1)
  .transform((cols) => cols.flat());

const tableSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    number: z.string().min(1),
    title: z.string().min(1),
    orientation: z.enum(["portrait", "landscape"]).default("portrait"),
    where: whereSchema.default({}),
    empty: z.object({ fund: z.string().min(1) }).strict().optional(),
    columns: flatColumns,
    rows: z.array(rowSourceSchema).optional(),
    sides: z
      .array(
        z
          .object({
            name: z.string().min(1),
            print_header: z.array(z.string()).optional(),
            columns: z.array(z.string()).optional(),
            rows: z.array(rowSourceSchema).min(1),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .refine((t) => (t.rows === undefined) !== (t.sides === undefined), { message: "a table has either rows or sides" });

/**
 * A chart of the disclosure: parts (one figure each, under the figure's own name) or a figure family's members, this
 * year and maybe last. What a chart may show is checked by `chartProblems` (chart-figures.ts).
 */
const chartSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    /** the title when a prior-year series is shown */
    title_with_prior: z.string().optional(),
    kind: z.enum(["pie", "hbar", "bar"]),
    category_header: z.string().min(1),
    /** the table whose figures the chart shows (its data table is checked against it) */
    table: z.string(),
    /** figure ids, one per bar or slice, in order */
    parts: z.array(z.string()).min(1).optional(),
    family: z.string().optional(),
    /** show last year's figures beside this year's where the budget gives them */
    prior: z.boolean().default(false),
    /** keep parts without money (a fixed set of categories, like the three public expenses) */
    keep_empty: z.boolean().default(false),
    note_with_prior: z.string().optional(),
  })
  .strict()
  .refine((c) => (c.parts === undefined) !== (c.family === undefined), { message: "a chart takes parts or a family" });
export type ChartData = z.output<typeof chartSchema>;

/**
 * What a performance table's header field may show (performance-header.ts): the department (or unit) name, the
 * contact, the goal; a project's unit, name, owner, budget and its split into 财政拨款 and other money.
 */
export const PERFORMANCE_VALUES = ["department", "contact_name", "contact_phone", "goal", "unit", "project", "owner", "amount", "appropriated", "non_appropriated"] as const;
export type PerformanceValue = (typeof PERFORMANCE_VALUES)[number];

/**
 * A header field of a performance table: its printed label (a path: leading parts group the fields below them) and
 * what it shows — a value of the disclosure, or the exact sum of template figures (performance-header.ts).
 */
const perfHeaderFieldSchema = z
  .object({
    label: z.union([z.string().min(1).transform((s) => [s]), z.array(z.string().min(1)).min(1)]),
    value: z.enum(PERFORMANCE_VALUES).optional(),
    figures: z.array(z.string().min(1)).min(1).optional(),
    /** printed on the line of the field before it */
    beside: z.boolean().default(false),
  })
  .strict()
  .refine((f) => (f.value === undefined) !== (f.figures === undefined), { message: "a header field takes value or figures" });

const perfTableSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    /** printed under the title (`{year}`: the budget year) */
    subtitle: z.string().optional(),
    /** whose indicators: the department's (部门整体) or every public project's (项目支出) */
    source: z.enum(["department", "projects"]),
    /** the fields above the indicators, in print order */
    header: z.array(perfHeaderFieldSchema).default([]),
    /** fields whose equal adjacent cells print merged downwards (一级指标, 二级指标), outermost first */
    merge_down: z.array(z.string()).default([]),
    columns: z.array(z.object({ field: z.string().min(1), csv: z.string().min(1) }).strict()).min(1),
  })
  .strict();

/** Where a figure prints in the tables (`{code}` in `row` stands for a family member's code). */
const cellSchema = z.object({ table: z.string(), row: z.string(), column: z.string() }).strict();

/** An identity among figures (src/domain/figure-relations.ts proves each one from the filters). */
const relationSchema = z.union([
  /** total = Σ parts */
  z.object({ total: z.string(), parts: z.array(z.string()).min(1) }).strict(),
  /** total = Σ of every member of the family */
  z.object({ total: z.string(), family: z.string() }).strict(),
  /** each member of `family` = Σ of the members of `parts_family` whose code starts with its code */
  z.object({ family: z.string(), parts_family: z.string() }).strict(),
]);

const figureSchema = z
  .object({ name: z.string().min(1), where: whereSchema, compare: z.boolean().default(false), cell: cellSchema.optional() })
  .strict();

export const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    year: z.number().int(),
    catalog_year: z.number().int(),
    print_unit: z.object({ label: z.string(), step_fen: z.number().int().positive(), decimals: z.number().int().min(0).max(4) }).strict(),
    personnel_econ: z.array(z.string()).min(1),
    performance: z.object({ execution_rate_weight: z.number().min(0), total_weight: z.number().positive() }).strict(),
    source_groups: z.record(z.string(), z.array(z.string()).min(1)),
    function_classes: z.array(z.string().regex(/^\d{3}$/)),
    sentences: z.record(z.string(), z.string()),
    column_sets: z.unknown().optional(),
    tables: z.array(tableSchema).min(1),
    performance_tables: z.array(perfTableSchema).default([]),
    charts: z.array(chartSchema).default([]),
    figures: z.record(z.string(), figureSchema),
    figure_families: z
      .record(z.string(), z
          .object({
            by: z.enum(["function_item", "function_class", "economic_section"]),
            name: z.string().min(1),
            where: whereSchema,
            compare: z.boolean().default(false),
            cell: cellSchema.optional(),
          })
          .strict())
      .default({}),
    figure_relations: z.array(relationSchema).default([]),
  })
  .strict();

export type TemplateInput = z.input<typeof templateSchema>;
export type TemplateData = z.output<typeof templateSchema>;
export type TableData = TemplateData["tables"][number];
export type ColumnData = TableData["columns"][number];
export type RowSourceData = RowSourceInput;

// ---------------------------------------------------------------------------------------------------------------
// Compiled filters

/**
 * A compiled filter. `sources` is a bit set over SOURCES. `kind`: which of basic personnel, basic operating and
 * project pass (bits 0, 1, 2). Prefix lists are matched on codes; `unitTypes` is a bit set over UNIT_TYPES.
 */
export interface Filter {
  readonly sources: number;
  readonly kinds: number;
  readonly econ: readonly string[] | null;
  readonly func: readonly string[] | null;
  readonly unitTypes: number;
}

export const ALL_SOURCES = (1 << SOURCES.length) - 1;
export const KIND_PERSONNEL = 1;
export const KIND_OPERATING = 2;
export const KIND_PROJECT = 4;
const ALL_KINDS = 7;
const ALL_UNIT_TYPES = (1 << UNIT_TYPES.length) - 1;

export const MATCH_ALL: Filter = { sources: ALL_SOURCES, kinds: ALL_KINDS, econ: null, func: null, unitTypes: ALL_UNIT_TYPES };

const KIND_BITS: Record<KindFilter, number> = {
  basic: KIND_PERSONNEL | KIND_OPERATING,
  personnel: KIND_PERSONNEL,
  operating: KIND_OPERATING,
  project: KIND_PROJECT,
};

export class TemplateError extends Error {}

/** Resolves source names and groups (recursively) to a bit set. */
export function resolveSources(names: string | readonly string[], groups: Readonly<Record<string, readonly string[]>>): number {
  const list = typeof names === "string" ? [names] : names;
  let bits = 0;
  const visit = (name: string, depth: number): void => {
    if (depth > 16) throw new TemplateError(`source group cycle at ${name}`);
    const idx = SOURCE_INDEX.get(name);
    if (idx !== undefined) {
      bits |= 1 << idx;
      return;
    }
    const group = groups[name];
    if (!group) throw new TemplateError(`unknown fund source or group: ${name}`);
    for (const g of group) visit(g, depth + 1);
  };
  for (const n of list) visit(n, 0);
  return bits;
}

export function compileWhere(where: Where | undefined, groups: Readonly<Record<string, readonly string[]>>): Filter {
  if (!where) return MATCH_ALL;
  let unitTypes = ALL_UNIT_TYPES;
  if (where.unit_type) {
    unitTypes = 0;
    for (const t of where.unit_type) unitTypes |= 1 << UNIT_TYPES.indexOf(t);
  }
  return {
    sources: where.source === undefined ? ALL_SOURCES : resolveSources(where.source, groups),
    kinds: where.kind === undefined ? ALL_KINDS : KIND_BITS[where.kind],
    econ: where.econ ?? null,
    func: where.func ?? null,
    unitTypes,
  };
}

/** The conjunction of two filters. */
export function andFilter(a: Filter, b: Filter): Filter {
  return {
    sources: a.sources & b.sources,
    kinds: a.kinds & b.kinds,
    econ: intersectPrefixes(a.econ, b.econ),
    func: intersectPrefixes(a.func, b.func),
    unitTypes: a.unitTypes & b.unitTypes,
  };
}

function intersectPrefixes(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const out: string[] = [];
  for (const x of a) for (const y of b) {
    if (x.startsWith(y)) out.push(x);
    else if (y.startsWith(x)) out.push(y);
  }
  return out;
}

export function prefixMatch(code: string, prefixes: readonly string[] | null): boolean {
  if (prefixes === null) return true;
  for (const p of prefixes) if (code.startsWith(p)) return true;
  return false;
}

/** A fact's classification as far as filters see it. */
export interface FactSignature {
  readonly source: number;
  /** KIND_PERSONNEL, KIND_OPERATING or KIND_PROJECT */
  readonly kind: number;
  readonly econ: string;
  readonly func: string;
  readonly unitType: number;
}

export function matches(f: Filter, s: FactSignature): boolean {
  return (
    (f.sources & (1 << s.source)) !== 0 &&
    (f.kinds & s.kind) !== 0 &&
    (f.unitTypes & (1 << s.unitType)) !== 0 &&
    prefixMatch(s.econ, f.econ) &&
    prefixMatch(s.func, f.func)
  );
}

export function unitTypeIndex(t: UnitType): number {
  return UNIT_TYPES.indexOf(t);
}

/** Validates a parsed template; returns the problems as text lines (template files are ours, not users'). */
export function parseTemplate(raw: unknown): { ok: true; template: TemplateData } | { ok: false; problems: string[] } {
  const r = templateSchema.safeParse(raw);
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const t = r.data;
  const problems: string[] = [];
  try {
    for (const g of Object.keys(t.source_groups)) resolveSources(g, t.source_groups);
    const check = (w: Where | undefined, at: string) => {
      try {
        compileWhere(w, t.source_groups);
      } catch (e) {
        problems.push(`${at}: ${(e as Error).message}`);
      }
    };
    for (const tb of t.tables) {
      check(tb.where, `tables.${tb.id}.where`);
      for (const c of tb.columns) check(c.where, `tables.${tb.id}.columns.${c.id}`);
    }
    for (const [id, f] of Object.entries(t.figures)) check(f.where, `figures.${id}`);
    problems.push(...chartProblems(t));
    problems.push(...performanceHeaderProblems(t));
    if (!problems.length) problems.push(...verifyRelations(t));
  } catch (e) {
    problems.push((e as Error).message);
  }
  return problems.length ? { ok: false, problems } : { ok: true, template: t };
}
