/**
 * The path parameters the public pages share, checked before any lookup: a region (财政区划, 6 digits), a department
 * code, a year (4 digits) — and the CSV download every table page offers (UTF-8 with a BOM, so that Excel opens it).
 */
import type { DepartmentRow, RegionRow } from "../../app/platform/platform-store.ts";
import { writeCsv } from "../../domain/csv-format.ts";
import type { WebContext, WebDeps } from "./web-context.ts";

export const REGION_RE = /^\d{6}$/;
export const DEPARTMENT_RE = /^[A-Za-z0-9_-]{1,40}$/;
export const YEAR_RE = /^\d{4}$/;

/** a department's pages */
export const DEPARTMENT_PATH = "/r/:region/d/:department";
/** a region's year: four digits only, so that `/r/:region/d/…` (a department) is never taken for a year */
export const REGION_YEAR_PATH = "/r/:region/:year{[0-9][0-9][0-9][0-9]}";

export async function findRegion(c: WebContext, deps: WebDeps): Promise<RegionRow | null> {
  const code = c.req.param("region") ?? "";
  return REGION_RE.test(code) ? deps.store.getRegion(code) : null;
}

export async function findDepartment(c: WebContext, deps: WebDeps): Promise<{ region: RegionRow; department: DepartmentRow } | null> {
  const region = await findRegion(c, deps);
  const code = c.req.param("department") ?? "";
  if (!region || !DEPARTMENT_RE.test(code)) return null;
  const department = await deps.store.findDepartment(region.code, code);
  return department ? { region, department } : null;
}

/** A CSV download: UTF-8 with a BOM (Excel opens it as such), named `name`. */
export function csvResponse(rows: readonly (readonly string[])[], name: string): Response {
  return new Response("\uFEFF" + writeCsv(rows), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-cache" },
  });
}
