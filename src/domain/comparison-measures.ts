/**
 * The measures of the public comparisons (a department across years; a region's departments side by side in one
 * year), computed from the figures of published disclosures: 收入总计, 支出总计, 基本支出 and 项目支出, “三公”经费 and its
 * parts, 机关运行经费, and each 类 of expenditure (all funds). Everything is exact `bigint` 分: a median of an even
 * count is the mean of the two middle values rounded half away from zero to the 分, a per-staff amount is the amount
 * divided by the headcount rounded likewise, and a department without staff has no per-staff amount (never a
 * division by zero). Codes renamed between years go through the crosswalk so that a 类 keeps one series.
 */
import { divRoundHalfAway, type Fen } from "./money.ts";

export interface MeasureDef {
  /** the template's figure id (`exp.all.total`), or `class_all.<类>` */
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly group: "total" | "sangong" | "office" | "class";
}

/** The measures every disclosure of the template states, in the order the pages show them. */
export const FIXED_MEASURES: readonly MeasureDef[] = [
  { id: "income.total", zh: "收入总计", en: "Total income", group: "total" },
  { id: "exp.all.total", zh: "支出总计", en: "Total expenditure", group: "total" },
  { id: "exp.all.basic", zh: "基本支出", en: "Basic expenditure", group: "total" },
  { id: "exp.all.project", zh: "项目支出", en: "Project expenditure", group: "total" },
  { id: "sangong.total", zh: "“三公”经费", en: "“Three public expenses”", group: "sangong" },
  { id: "sangong.overseas", zh: "因公出国（境）费", en: "Official travel abroad", group: "sangong" },
  { id: "sangong.vehicle_purchase", zh: "公务用车购置费", en: "Official vehicle purchase", group: "sangong" },
  { id: "sangong.vehicle_running", zh: "公务用车运行费", en: "Official vehicle running", group: "sangong" },
  { id: "sangong.reception", zh: "公务接待费", en: "Official reception", group: "sangong" },
  { id: "office_running", zh: "机关运行经费", en: "Office running costs", group: "office" },
];

/** The measures given per staff member in the comparison of a region's departments. */
export const PER_STAFF_MEASURES: readonly string[] = ["income.total", "exp.all.total", "exp.all.basic", "exp.all.project", "sangong.total", "office_running"];

export const CLASS_FAMILY = "class_all";
export const PER_STAFF = "per_staff";

/** 编制数 (`authorised`) or 实有人数 (`actual`). */
export type StaffBasis = "actual" | "authorised";

export interface Staffing {
  readonly authorised: number;
  readonly actual: number;
}

/** What a comparison needs of one published disclosure: its figures (exact) and its staffing. */
export interface DisclosureFacts {
  readonly figures: ReadonlyMap<string, { readonly name: string; readonly fen: Fen }>;
  readonly staffing: Staffing | null;
}

export interface Measures {
  /** per fixed measure: its amount, or null when the disclosure does not state it */
  readonly fixed: ReadonlyMap<string, Fen | null>;
  /** 类 code → its expenditure (all funds) and its name, for the 类 that have money */
  readonly classes: ReadonlyMap<string, { readonly name: string; readonly fen: Fen }>;
  readonly staffing: Staffing | null;
}

const CLASS_CODE = /^\d{3}$/;

export function measuresOf(d: DisclosureFacts): Measures {
  const fixed = new Map<string, Fen | null>(FIXED_MEASURES.map((m) => [m.id, d.figures.get(m.id)?.fen ?? null]));
  const classes = new Map<string, { name: string; fen: Fen }>();
  for (const [id, f] of d.figures) {
    if (!id.startsWith(`${CLASS_FAMILY}.`)) continue;
    const code = id.slice(CLASS_FAMILY.length + 1);
    if (CLASS_CODE.test(code) && f.fen !== 0n) classes.set(code, { name: f.name, fen: f.fen });
  }
  return { fixed, classes, staffing: d.staffing };
}

/** Renames a function code of one year to the next year's code (the crosswalk's prefix rule). */
export type CodeRename = (code: string) => string;

export interface Rename {
  readonly from: string;
  readonly to: string;
}

/**
 * The 类 of one year under the codes of a later year: each code goes through the renames of every pair of years in
 * between, in order; two codes that become one are summed (under the later year's name when it has the 类).
 */
export function renameClasses(classes: Measures["classes"], renames: readonly CodeRename[]): { classes: Map<string, { name: string; fen: Fen }>; renamed: Rename[] } {
  const out = new Map<string, { name: string; fen: Fen }>();
  const renamed: Rename[] = [];
  for (const [code, c] of classes) {
    const to = renames.reduce((x, r) => r(x), code);
    if (to !== code) renamed.push({ from: code, to });
    const had = out.get(to);
    out.set(to, { name: had?.name ?? c.name, fen: (had?.fen ?? 0n) + c.fen });
  }
  return { classes: out, renamed };
}

/** The median of exact amounts: the middle value, or the mean of the two middle values rounded half away from zero to the 分. */
export function medianFen(values: readonly Fen[]): Fen | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : divRoundHalfAway(s[mid - 1]! + s[mid]!, 2n);
}

/** An amount per staff member, rounded half away from zero to the 分; null without an amount or without staff. */
export function perStaff(fen: Fen | null, staff: number | null): Fen | null {
  if (fen === null || staff === null || !Number.isInteger(staff) || staff <= 0) return null;
  return divRoundHalfAway(fen, BigInt(staff));
}

export function headcount(s: Staffing | null, basis: StaffBasis): number | null {
  if (s === null) return null;
  const n = basis === "actual" ? s.actual : s.authorised;
  return n > 0 ? n : null;
}

// ---------------------------------------------------------------------------------------------------------------
// One department across years

export interface TrendRow {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly group: MeasureDef["group"];
  /** per year (in the order given): the amount; null when that year's disclosure does not state it */
  readonly values: readonly (Fen | null)[];
}

export interface Trend {
  readonly years: readonly number[];
  readonly rows: readonly TrendRow[];
  /** the 类 codes renamed to the last year's codes, per year */
  readonly renamed: readonly { readonly year: number; readonly from: string; readonly to: string }[];
}

/**
 * The measures of each year, oldest first, with every year's 类 under the last year's codes: `rename(from, to)` gives
 * the crosswalk from one year to the next. A 类 without money in a year is 0 that year.
 */
export function departmentTrend(years: readonly { readonly year: number; readonly measures: Measures }[], rename: (fromYear: number, toYear: number) => CodeRename): Trend {
  const sorted = [...years].sort((a, b) => a.year - b.year);
  const last = sorted.at(-1)?.year ?? 0;
  const renamed: { year: number; from: string; to: string }[] = [];
  const classesOf = sorted.map((y) => {
    const steps: CodeRename[] = [];
    for (let from = y.year; from < last; from++) steps.push(rename(from, from + 1));
    const r = renameClasses(y.measures.classes, steps);
    for (const x of r.renamed) renamed.push({ year: y.year, ...x });
    return r.classes;
  });
  const rows: TrendRow[] = FIXED_MEASURES.map((m) => ({ id: m.id, zh: m.zh, en: m.en, group: m.group, values: sorted.map((y) => y.measures.fixed.get(m.id) ?? null) }));
  const codes = [...new Set(classesOf.flatMap((c) => [...c.keys()]))].sort();
  for (const code of codes) {
    // the name of the latest year that has the 类
    const name = classesOf.findLast((c) => c.has(code))!.get(code)!.name;
    rows.push({ id: `${CLASS_FAMILY}.${code}`, zh: name, en: name, group: "class", values: classesOf.map((c) => c.get(code)?.fen ?? 0n) });
  }
  return { years: sorted.map((y) => y.year), rows, renamed };
}

// ---------------------------------------------------------------------------------------------------------------
// A region's departments in one year

export interface CompareColumn {
  /** a measure id, `class_all.<类>`, or `per_staff.<measure id>` */
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly group: MeasureDef["group"] | "per_staff";
}

export interface CompareRow {
  readonly code: string;
  readonly name: string;
  /** per column id: the amount; null when not stated (or, per staff, without staff) */
  readonly values: ReadonlyMap<string, Fen | null>;
  /** the headcount of the basis, null when the department states none (or zero) */
  readonly staff: number | null;
}

export interface Comparison {
  readonly basis: StaffBasis;
  readonly columns: readonly CompareColumn[];
  /** by department code */
  readonly rows: readonly CompareRow[];
  /** per column id: the median over the departments that have a value (null when none has) */
  readonly median: ReadonlyMap<string, Fen | null>;
  /** how many departments each median is taken over */
  readonly medianCount: ReadonlyMap<string, number>;
}

export function compareDepartments(departments: readonly { readonly code: string; readonly name: string; readonly measures: Measures }[], basis: StaffBasis): Comparison {
  const classNames = new Map<string, string>();
  for (const d of departments) for (const [code, c] of d.measures.classes) if (!classNames.has(code)) classNames.set(code, c.name);
  const columns: CompareColumn[] = [
    ...FIXED_MEASURES.map((m) => ({ id: m.id, zh: m.zh, en: m.en, group: m.group })),
    ...PER_STAFF_MEASURES.map((id) => {
      const m = FIXED_MEASURES.find((x) => x.id === id)!;
      return { id: `${PER_STAFF}.${id}`, zh: `人均${m.zh}`, en: `${m.en} per staff member`, group: "per_staff" as const };
    }),
    ...[...classNames.keys()].sort().map((code) => ({ id: `${CLASS_FAMILY}.${code}`, zh: classNames.get(code)!, en: classNames.get(code)!, group: "class" as const })),
  ];
  const rows: CompareRow[] = [...departments]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((d) => {
      const staff = headcount(d.measures.staffing, basis);
      const values = new Map<string, Fen | null>();
      for (const m of FIXED_MEASURES) values.set(m.id, d.measures.fixed.get(m.id) ?? null);
      for (const id of PER_STAFF_MEASURES) values.set(`${PER_STAFF}.${id}`, perStaff(d.measures.fixed.get(id) ?? null, staff));
      for (const code of classNames.keys()) values.set(`${CLASS_FAMILY}.${code}`, d.measures.classes.get(code)?.fen ?? 0n);
      return { code: d.code, name: d.name, values, staff };
    });
  const median = new Map<string, Fen | null>();
  const medianCount = new Map<string, number>();
  for (const col of columns) {
    const vals = rows.map((r) => r.values.get(col.id) ?? null).filter((v): v is Fen => v !== null);
    median.set(col.id, medianFen(vals));
    medianCount.set(col.id, vals.length);
  }
  return { basis, columns, rows, median, medianCount };
}

const cmp = (a: bigint | string, b: bigint | string) => (a < b ? -1 : a > b ? 1 : 0);

/** `name`, `code`, `staff` or a column id. */
export type SortKey = string;

export function isSortKey(c: Comparison, key: string): boolean {
  return key === "name" || key === "code" || key === "staff" || c.columns.some((x) => x.id === key);
}

/**
 * The rows ordered by a key: amounts and headcounts numerically, names in code-point order; rows without a value
 * last whatever the order; ties by department code.
 */
export function sortRows(rows: readonly CompareRow[], key: SortKey, order: "asc" | "desc"): CompareRow[] {
  const sign = order === "asc" ? 1 : -1;
  const valueOf = (r: CompareRow): bigint | string | null =>
    key === "name" ? r.name : key === "code" ? r.code : key === "staff" ? (r.staff === null ? null : BigInt(r.staff)) : (r.values.get(key) ?? null);
  return [...rows].sort((a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    if (x === null || y === null) return x === y ? cmp(a.code, b.code) : x === null ? 1 : -1;
    return sign * cmp(x, y) || cmp(a.code, b.code);
  });
}
