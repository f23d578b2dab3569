/**
 * The date a disclosure carries in every file that records one (document properties, zip entry times, PDF
 * metadata): the department's own publication date (`department.date`, YYYY-MM-DD), or 1 January of the budget year
 * when it has none. Never the clock: the same input gives the same bytes, so published versions can be addressed by
 * their content.
 */
import type { Disclosure } from "./disclosure-model.ts";

/** Midnight UTC of the disclosure's date. */
export function disclosureDate(d: Pick<Disclosure, "department">): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.department.date ?? "");
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(Date.UTC(d.department.year, 0, 1));
}
