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
  /** true for a name the budget gives (`names.func` / `names.econ`) to a code the catalog does not list */
  readonly fromInput?: true;
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

/** Names a budget gives to codes (its `names` section): by kind, code → name. */
export type InputNames = { readonly [K in CatalogKind]: Readonly<Record<string, string>> };

/** The code lengths of each printed level: function 类/款/项, economic 类/款. */
export const CODE_LEVEL_LENGTHS: { readonly [K in CatalogKind]: readonly number[] } = { func: [3, 5, 7], econ: [3, 5] };

/**
 * The catalog with the budget's own names added for the codes it does not list, so that every table, figure,
 * narrative and output prints the given name where the catalog's name would be. A code the catalog lists keeps the
 * catalog's name (docs/decisions.md D2). The catalog itself when the budget names nothing new.
 */
export function withInputNames(catalog: Catalog, names: InputNames): Catalog {
  const add = (kind: CatalogKind): ReadonlyMap<string, CatalogEntry> => {
    const extra = Object.entries(names[kind]).filter(([code]) => !catalog[kind].has(code));
    if (extra.length === 0) return catalog[kind];
    const map = new Map(catalog[kind]);
    const lens = CODE_LEVEL_LENGTHS[kind];
    for (const [code, name] of extra) {
      const level = lens.indexOf(code.length) + 1;
      const parent = level > 1 ? code.slice(0, lens[level - 2]) : null;
      map.set(code, { code, name, level, parent, confidence: "input", fromInput: true });
    }
    return map;
  };
  const func = add("func");
  const econ = add("econ");
  return func === catalog.func && econ === catalog.econ ? catalog : { ...catalog, func, econ };
}

/** Whether the catalog itself lists a code (a name the budget gave does not count). */
export function isCatalogued(catalog: Catalog, kind: CatalogKind, code: string): boolean {
  const e = catalog[kind].get(code);
  return e !== undefined && e.fromInput !== true;
}

/**
 * A code's printed name. A code that neither the catalog nor the budget names prints as such, never as an empty
 * cell — and is the error I-CODE-UNNAMED, so that such a placeholder is never published without a failing status.
 */
export function nameOf(catalog: Catalog, kind: CatalogKind, code: string): string {
  return catalog[kind].get(code)?.name ?? `（未列入目录的科目 ${code}）`;
}

/**
 * The known codes nearest to an unknown one: same length, longest common prefix first, then fewest differing
 * digits. Used in the unknown-code message so that a typo points at its fix.
 */
export function nearestCodes(catalog: Catalog, kind: CatalogKind, code: string, limit = 3): string[] {
  const scored: { code: string; prefix: number; diff: number }[] = [];
  for (const [c, e] of catalog[kind]) {
    if (c.length !== code.length || e.fromInput === true) continue;
    let prefix = 0;
    while (prefix < c.length && c[prefix] === code[prefix]) prefix++;
    let diff = 0;
    for (let i = 0; i < c.length; i++) if (c[i] !== code[i]) diff++;
    scored.push({ code: c, prefix, diff });
  }
  scored.sort((a, b) => b.prefix - a.prefix || a.diff - b.diff || (a.code < b.code ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.code);
}
