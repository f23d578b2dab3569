/**
 * Classification catalogs (政府收支分类科目) of one budget year: the functional and the economic classification.
 * Ours are partial and carry a confidence per row; an official catalog loaded by the user replaces them, and then
 * an unknown code is an error rather than a warning (CONVENTIONS.md).
 */

export type CatalogKind = "func" | "econ";

export interface CatalogEntry {
  readonly code: string;
  readonly name: string;
  /** 1 类, 2 款, 3 项 */
  readonly level: number;
  readonly parent: string | null;
  readonly confidence: string;
}

export interface Catalog {
  readonly year: number;
  /** true when loaded from an official source: unknown codes are then errors */
  readonly official: boolean;
  readonly source: string;
  readonly func: ReadonlyMap<string, CatalogEntry>;
  readonly econ: ReadonlyMap<string, CatalogEntry>;
}

export interface CatalogRow {
  code: string;
  name: string;
  level: string;
  parent: string;
  confidence: string;
}

export function catalogFromRows(
  year: number,
  source: string,
  official: boolean,
  func: readonly CatalogRow[],
  econ: readonly CatalogRow[],
): Catalog {
  const toMap = (rows: readonly CatalogRow[]) =>
    new Map(
      rows.map((r) => [
        r.code,
        { code: r.code, name: r.name, level: Number(r.level), parent: r.parent || null, confidence: r.confidence || (official ? "official" : "") },
      ]),
    );
  return { year, official, source, func: toMap(func), econ: toMap(econ) };
}

/** A code's printed name; an unknown code prints as such, never as an empty cell. */
export function nameOf(catalog: Catalog, kind: CatalogKind, code: string): string {
  return catalog[kind].get(code)?.name ?? `（未列入目录的科目 ${code}）`;
}

/**
 * The known codes nearest to an unknown one: same length, longest common prefix first, then fewest differing
 * digits. Used in the unknown-code message so that a typo points at its fix.
 */
export function nearestCodes(catalog: Catalog, kind: CatalogKind, code: string, limit = 3): string[] {
  const scored: { code: string; prefix: number; diff: number }[] = [];
  for (const c of catalog[kind].keys()) {
    if (c.length !== code.length) continue;
    let prefix = 0;
    while (prefix < c.length && c[prefix] === code[prefix]) prefix++;
    let diff = 0;
    for (let i = 0; i < c.length; i++) if (c[i] !== code[i]) diff++;
    scored.push({ code: c, prefix, diff });
  }
  scored.sort((a, b) => b.prefix - a.prefix || a.diff - b.diff || (a.code < b.code ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.code);
}
