/**
 * The public comparisons' data, read from the stored disclosure.json of each current published version: a
 * department across its published years, and a region's departments side by side for one year. The figures are
 * read once per version and kept (published versions are immutable and their id is the hash of disclosure.json, so
 * a version id always means the same figures); the cache is bounded.
 */
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { compareDepartments, departmentTrend, measuresOf, type Comparison, type Measures, type StaffBasis, type Trend } from "../../domain/comparison-measures.ts";
import { renamer } from "../../domain/last-year.ts";
import { parseYuan } from "../../domain/money.ts";
import type { PlatformDeps } from "./platform-service.ts";
import type { DepartmentRow, VersionRow } from "./platform-store.ts";

const yuan = z.string().regex(/^\d{1,16}\.\d{2}$/);
const count = z.number().int().min(0).max(10_000_000);
const disclosureMeasures = z.object({
  format: z.literal("gongkai/disclosure@1"),
  figures: z.record(z.string(), z.object({ name: z.string(), current: yuan }).passthrough()),
  profile: z
    .object({ staffing: z.object({ authorised: count, actual: count }).passthrough().nullish() })
    .passthrough()
    .nullish(),
});

/** The measures of a stored disclosure.json; a stored file that does not read is our bug. */
export function measuresOfDisclosureJson(bytes: Uint8Array, what: string): Measures {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`${what}: disclosure.json does not parse`, { cause: e });
  }
  const r = disclosureMeasures.safeParse(raw);
  if (!r.success) throw new Error(`${what}: disclosure.json is not a disclosure: ${r.error.issues[0]?.message ?? ""}`, { cause: r.error });
  const figures = new Map<string, { name: string; fen: bigint }>();
  for (const [id, f] of Object.entries(r.data.figures)) {
    const v = parseYuan(f.current);
    if (!v.ok) throw new Error(`${what}: figures.${id}.current is not an amount`);
    figures.set(id, { name: f.name, fen: v.fen });
  }
  const s = r.data.profile?.staffing;
  return measuresOf({ figures, staffing: s ? { authorised: s.authorised, actual: s.actual } : null });
}

const MEASURE_CACHE_LIMIT = 20_000;
/** Parsed measures per version id, the most recently used kept. */
const cache = new LRUCache<string, Measures>({ max: MEASURE_CACHE_LIMIT });

/** The measures of a published version (null when it has no disclosure.json), from the cache when read before. */
export async function versionMeasures(deps: Pick<PlatformDeps, "store">, version: VersionRow): Promise<Measures | null> {
  const hit = cache.get(version.id);
  if (hit) return hit;
  const stored = await deps.store.readVersionFile(version.id, "disclosure.json");
  if (!stored) return null;
  const m = measuresOfDisclosureJson(stored.bytes, `version ${version.id}`);
  cache.set(version.id, m);
  return m;
}

export interface TrendYear {
  readonly year: number;
  readonly version: VersionRow;
}

/** The department's published years (the current version of each), oldest first, and its measures across them. */
export async function readDepartmentTrend(deps: Pick<PlatformDeps, "store" | "data">, department: DepartmentRow): Promise<{ years: TrendYear[]; trend: Trend }> {
  const budgets = (await deps.store.listBudgets({ departmentId: department.id })).filter((b) => b.publishedCount > 0).sort((a, b) => a.year - b.year);
  const years: { year: number; version: VersionRow; measures: Measures }[] = [];
  for (const b of budgets) {
    const version = await deps.store.currentVersion(department.id, b.year);
    if (!version) continue;
    const measures = await versionMeasures(deps, version);
    if (measures) years.push({ year: b.year, version, measures });
  }
  const trend = departmentTrend(years, (from, to) => renamer(deps.data.crosswalk(from, to).func));
  return { years: years.map((y) => ({ year: y.year, version: y.version })), trend };
}

export interface ComparedDepartment {
  readonly department: DepartmentRow;
  readonly version: VersionRow;
}

/** Every department of the region with a published budget of the year (its current version), side by side. */
export async function readRegionComparison(deps: Pick<PlatformDeps, "store">, regionCode: string, year: number, basis: StaffBasis): Promise<{ departments: ComparedDepartment[]; comparison: Comparison }> {
  const current = await deps.store.listCurrentVersions(regionCode, year);
  const read: { department: DepartmentRow; version: VersionRow; measures: Measures }[] = [];
  // a few reads at a time: a region of thousands of departments neither waits on one read after another nor floods the pool
  for (let i = 0; i < current.length; i += 16) {
    const chunk = current.slice(i, i + 16);
    const measures = await Promise.all(chunk.map((x) => versionMeasures(deps, x.version)));
    chunk.forEach((x, j) => {
      const m = measures[j];
      if (m) read.push({ ...x, measures: m });
    });
  }
  const comparison = compareDepartments(
    read.map((x) => ({ code: x.department.code, name: x.department.name, measures: x.measures })),
    basis,
  );
  return { departments: read.map((x) => ({ department: x.department, version: x.version })), comparison };
}
