/**
 * The words of the narrative as data (`data/audit/narrative-subjects.yaml`): the schema that file must fit, and the
 * compiled form `narrative-claims.ts` and `narrative-sentences.ts` use. Pure: the adapter
 * (`src/adapters/audit/narrative-data.ts`) reads the file and calls `compileNarrativeVocabulary`.
 */
import { z } from "zod";

export type Direction = "up" | "down" | "flat";
export type ScopeId = "gpb" | "gf" | "sc" | "appropriated";
export type Side = "income" | "expenditure";
export type MoneyUnit = "元" | "万元" | "亿元";

const regexSource = z.string().min(1).refine((s) => {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

const words = z.array(z.string().min(1));
const scopeId = z.enum(["gpb", "gf", "sc", "appropriated"]);

const tableRef = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9-]*$/),
  rows: words.optional(),
  column: z.string().min(1).optional(),
  /** other labels of the same column ("公务用车购置及运行维护费", "公务用车购置及运行费/购置费": a label under its group) */
  column_aliases: words.optional(),
  scope: scopeId.optional(),
  /** the scopes a claim may also be of for this table to hold its figure (besides no scope): 三公 of 财政拨款 or 一般公共预算 */
  scopes: z.array(scopeId).optional(),
  /** the entry holds only for a claim whose subject, as printed, matches this (本年收入 is not 收入总计) */
  named: regexSource.optional(),
  /** …or does not match this */
  not_named: regexSource.optional(),
});

const subjectSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_.]*$/),
  zh: z.string().min(1),
  names: words.optional(),
  patterns: z.array(regexSource).optional(),
  needs_scope: words.optional(),
  scoped: z.boolean().optional(),
  scope_word: scopeId.optional(),
  side: z.enum(["income", "expenditure"]).optional(),
  tables: z.array(tableRef).optional(),
  /** the subject this one is a part of (上级一般公共预算安排的转移支付 of 一般公共预算): named beside it, the whole may mean the rest */
  part_of: z.string().optional(),
  /** its parts of another family (the 类 of a 基本支出, the 财政拨款 of a carry-over) are parts of it, not the tables' rows */
  parts_within: z.boolean().optional(),
});

export const narrativeVocabularySchema = z.strictObject({
  directions: z.strictObject({ up: words.min(1), down: words.min(1), flat: words.min(1) }),
  compare_base: regexSource,
  share: regexSource,
  reasons: z.strictObject({
    markers: z.array(z.strictObject({ word: z.string().min(1), needs_change: z.boolean() })).min(1),
    turn: regexSource,
  }),
  purpose_markers: words,
  lead: regexSource,
  execution: z.strictObject({
    budgeted: regexSource,
    actual: regexSource,
    completion: regexSource,
    comparison: regexSource,
    words: z.strictObject({ up: words, down: words, flat: words }),
  }),
  none: z.strictObject({ after: words, before: words }),
  money_units: z.array(z.strictObject({ text: z.string().min(1), unit: z.enum(["元", "万元", "亿元"]) })).min(1),
  count_units: words,
  threshold_before: regexSource,
  threshold_after: regexSource,
  departments: z.strictObject({
    suffixes: words.min(1),
    not_followed_by: words,
    not_preceded_by: words,
    prefix: regexSource,
    max_gap: z.number().int().min(0).max(20),
    places: regexSource,
    left_stops: words,
    inside_stops: words,
    joiners: words,
    collective: regexSource,
    levels: regexSource,
  }),
  empty_table: regexSource,
  scopes: z.array(z.strictObject({ id: scopeId, zh: z.string().min(1), names: words.min(1) })).min(1),
  function_classes: words,
  /** where the figure of a function path (类/款/项) is printed, by the claim's scope, in order of preference */
  function_tables: z.array(tableRef).optional(),
  subjects: z.array(subjectSchema).min(1),
  layout: z.strictObject({
    part_heading: regexSource,
    markers: z.array(z.strictObject({ pattern: regexSource, level: z.number().int().min(0).max(9) })).min(1),
    heading_end: regexSource,
    contents_title: regexSource,
    page_number: regexSource,
    table_head_line: regexSource,
    unit_line: regexSource,
    table_note: regexSource,
  }),
});

export type NarrativeVocabularyData = z.infer<typeof narrativeVocabularySchema>;

export interface TableRef {
  readonly kind: string;
  readonly rows?: readonly string[];
  readonly column?: string;
  readonly columnAliases?: readonly string[];
  readonly scope?: ScopeId;
  readonly scopes?: readonly ScopeId[];
  readonly named?: RegExp;
  readonly notNamed?: RegExp;
}

export interface SubjectDef {
  readonly id: string;
  readonly zh: string;
  readonly names: readonly string[];
  readonly patterns: readonly RegExp[];
  readonly needsScope: readonly string[];
  readonly scoped: boolean;
  readonly scopeWord?: ScopeId;
  readonly side?: Side;
  readonly tables: readonly TableRef[];
  readonly partOf?: string;
  readonly partsWithin?: boolean;
}

export interface NarrativeVocabulary {
  readonly directions: readonly { readonly word: string; readonly direction: Direction }[];
  readonly compareBase: RegExp;
  readonly share: RegExp;
  readonly reasonMarkers: readonly { readonly word: string; readonly needsChange: boolean }[];
  readonly reasonTurn: RegExp;
  readonly purposeMarkers: readonly string[];
  readonly lead: RegExp;
  readonly execution: {
    readonly budgeted: RegExp;
    readonly actual: RegExp;
    readonly completion: RegExp;
    readonly comparison: RegExp;
    readonly words: readonly { readonly word: string; readonly direction: Direction }[];
  };
  readonly noneAfter: readonly string[];
  readonly noneBefore: readonly string[];
  readonly moneyUnits: readonly { readonly text: string; readonly unit: MoneyUnit }[];
  readonly countUnits: readonly string[];
  readonly thresholdBefore: RegExp;
  readonly thresholdAfter: RegExp;
  readonly departments: {
    readonly suffixes: readonly string[];
    readonly notFollowedBy: readonly string[];
    readonly notPrecededBy: readonly string[];
    readonly prefix: RegExp;
    readonly maxGap: number;
    readonly places: RegExp;
    readonly leftStops: readonly string[];
    readonly insideStops: readonly string[];
    readonly joiners: readonly string[];
    readonly collective: RegExp;
    readonly levels: RegExp;
  };
  readonly emptyTable: RegExp;
  readonly scopes: readonly { readonly id: ScopeId; readonly zh: string; readonly names: readonly string[] }[];
  readonly functionClasses: readonly string[];
  /** where a function path's figure is printed (data/audit/narrative-subjects.yaml `function_tables`) */
  readonly functionTables: readonly TableRef[];
  readonly subjects: readonly SubjectDef[];
  readonly layout: {
    readonly partHeading: RegExp;
    readonly markers: readonly { readonly pattern: RegExp; readonly level: number }[];
    readonly headingEnd: RegExp;
    readonly contentsTitle: RegExp;
    readonly pageNumber: RegExp;
    readonly tableHeadLine: RegExp;
    readonly unitLine: RegExp;
    readonly tableNote: RegExp;
  };
}

function compileTableRef(t: z.infer<typeof tableRef>): TableRef {
  return {
    kind: t.kind,
    ...(t.rows !== undefined ? { rows: t.rows } : {}),
    ...(t.column !== undefined ? { column: t.column } : {}),
    ...(t.column_aliases !== undefined ? { columnAliases: t.column_aliases } : {}),
    ...(t.scope !== undefined ? { scope: t.scope } : {}),
    ...(t.scopes !== undefined ? { scopes: t.scopes } : {}),
    ...(t.named !== undefined ? { named: new RegExp(t.named, "u") } : {}),
    ...(t.not_named !== undefined ? { notNamed: new RegExp(t.not_named, "u") } : {}),
  };
}

const longestFirst = <T extends { word: string }>(xs: T[]) => xs.sort((a, b) => b.word.length - a.word.length);

/** The vocabulary from the parsed YAML; throws with every problem when the data does not fit the schema. */
export function compileNarrativeVocabulary(raw: unknown, source = "narrative-subjects.yaml"): NarrativeVocabulary {
  const r = narrativeVocabularySchema.safeParse(raw);
  if (!r.success) throw new Error(`${source} is invalid:\n${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")}`);
  const d = r.data;
  const ids = new Set<string>();
  for (const s of d.subjects) {
    if (ids.has(s.id)) throw new Error(`${source}: subject ${s.id} is listed twice`);
    ids.add(s.id);
    if ((s.names ?? []).length === 0 && (s.patterns ?? []).length === 0 && s.scope_word === undefined)
      throw new Error(`${source}: subject ${s.id} has neither names, patterns nor a scope word`);
  }
  for (const s of d.subjects)
    if (s.part_of !== undefined && !ids.has(s.part_of)) throw new Error(`${source}: subject ${s.id} is part_of ${s.part_of}, which is not a subject`);
  const re = (s: string, flags = "u") => new RegExp(s, flags);
  const dirs = (o: { up: string[]; down: string[]; flat: string[] }) =>
    longestFirst([
      ...o.up.map((word) => ({ word, direction: "up" as const })),
      ...o.down.map((word) => ({ word, direction: "down" as const })),
      ...o.flat.map((word) => ({ word, direction: "flat" as const })),
    ]);
  return {
    directions: dirs(d.directions),
    compareBase: re(d.compare_base, "gu"),
    share: re(d.share, "gu"),
    reasonMarkers: longestFirst(d.reasons.markers.map((m) => ({ word: m.word, needsChange: m.needs_change }))),
    reasonTurn: re(d.reasons.turn),
    purposeMarkers: [...d.purpose_markers].sort((a, b) => b.length - a.length),
    lead: re(d.lead, "gu"),
    execution: {
      budgeted: re(d.execution.budgeted, "gu"),
      actual: re(d.execution.actual, "gu"),
      completion: re(d.execution.completion, "gu"),
      comparison: re(d.execution.comparison, "gu"),
      words: dirs(d.execution.words),
    },
    noneAfter: [...d.none.after].sort((a, b) => b.length - a.length),
    noneBefore: [...d.none.before].sort((a, b) => b.length - a.length),
    moneyUnits: [...d.money_units].sort((a, b) => b.text.length - a.text.length),
    countUnits: [...d.count_units].sort((a, b) => b.length - a.length),
    thresholdBefore: re(d.threshold_before),
    thresholdAfter: re(d.threshold_after),
    departments: {
      suffixes: [...d.departments.suffixes].sort((a, b) => b.length - a.length),
      notFollowedBy: d.departments.not_followed_by,
      notPrecededBy: d.departments.not_preceded_by,
      prefix: re(d.departments.prefix),
      maxGap: d.departments.max_gap,
      places: re(d.departments.places),
      leftStops: [...d.departments.left_stops].sort((a, b) => b.length - a.length),
      insideStops: d.departments.inside_stops,
      joiners: [...d.departments.joiners].sort((a, b) => b.length - a.length),
      collective: re(d.departments.collective),
      levels: re(d.departments.levels, "gu"),
    },
    emptyTable: re(d.empty_table),
    scopes: d.scopes.map((s) => ({ id: s.id, zh: s.zh, names: s.names })),
    functionClasses: d.function_classes,
    functionTables: (d.function_tables ?? []).map(compileTableRef),
    subjects: d.subjects.map((s) => ({
      id: s.id,
      zh: s.zh,
      names: s.names ?? [],
      patterns: (s.patterns ?? []).map((p) => re(p, "gu")),
      needsScope: s.needs_scope ?? [],
      scoped: s.scoped ?? false,
      ...(s.scope_word !== undefined ? { scopeWord: s.scope_word } : {}),
      ...(s.side !== undefined ? { side: s.side } : {}),
      tables: (s.tables ?? []).map(compileTableRef),
      ...(s.part_of !== undefined ? { partOf: s.part_of } : {}),
      ...(s.parts_within === true ? { partsWithin: true } : {}),
    })),
    layout: {
      partHeading: re(d.layout.part_heading),
      markers: d.layout.markers.map((m) => ({ pattern: re(m.pattern), level: m.level })),
      headingEnd: re(d.layout.heading_end),
      contentsTitle: re(d.layout.contents_title),
      pageNumber: re(d.layout.page_number),
      tableHeadLine: re(d.layout.table_head_line),
      unitLine: re(d.layout.unit_line),
      tableNote: re(d.layout.table_note),
    },
  };
}
