/**
 * The kinds of table a disclosure prints, recognised by their titles (issue 14). The words are data
 * (`data/audit/table-titles.yaml`, read by `src/adapters/audit/table-titles.ts`); this file only matches them.
 */

export interface TableKind {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  /** titles this kind is printed under, normalised (see normaliseTitle) */
  readonly titles: readonly string[];
  /** false: a table of text (performance targets): recognised, not read */
  readonly read: boolean;
}

export interface TableTitleCatalog {
  readonly kinds: readonly TableKind[];
  /** taken off the start of a title line, in order, repeatedly */
  readonly prefixes: readonly RegExp[];
  /** a line that only numbers the table ("公开01表", "表1") */
  readonly numberLine: RegExp;
  readonly units: readonly {
    readonly unit: TableUnit;
    readonly pattern: RegExp;
  }[];
  readonly genericEndings: readonly string[];
  readonly maxTitleLength: number;
}

export type TableUnit = "元" | "万元";

/**
 * A title as compared: NFKC (Kangxi radicals ⽀ → 支, full-width forms), no whitespace, no quotation marks, brackets
 * as ( ).
 */
export function normaliseTitle(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\s\u3000]+/g, "")
    .replace(/["'“”‘’「」『』〝〞]/g, "")
    .replace(/[（【〔［]/g, "(")
    .replace(/[）】〕］]/g, ")");
}

export interface TitleMatch {
  /** the kind, or null for a title of no known kind that still reads as a table title */
  readonly kind: TableKind | null;
  /** the title as printed on its line, normalised */
  readonly title: string;
  /** a bracketed qualifier after the title, e.g. (功能科目) */
  readonly qualifier: string | null;
  /** a table number on the title line itself ("公开01表收支预算总表"), else null */
  readonly number: string | null;
  /** the title, its prefixes taken off, is exactly one of the kind's titles (not only ends with one) */
  readonly exact: boolean;
}

const LEADERS = /(…{2,}|\.{4,}|·{3,}|-{4,}|_{4,})/;
const SENTENCE = /[。，；：:,;？！]/;

/**
 * Whether a line's text is a table title, and of which kind. A line that reads as prose (a sentence mark), a contents
 * line (leaders), or one longer than a title is never a title; whether a table actually follows is for the caller.
 */
export function matchTitle(
  lineText: string,
  catalog: TableTitleCatalog,
): TitleMatch | null {
  const title = normaliseTitle(lineText);
  if (title.length < 3 || title.length > catalog.maxTitleLength) return null;
  if (LEADERS.test(title) || SENTENCE.test(title.replace(/、/g, "")))
    return null;
  // a contents line ends with its page number
  if (/表\d{1,3}$/.test(title) && !/^(表|附表)\d{1,3}$/.test(title))
    return null;
  let rest = title;
  let qualifier: string | null = null;
  const q = /\(([^()]{1,12})\)$/.exec(rest);
  if (q) {
    qualifier = `(${q[1] ?? ""})`;
    rest = rest.slice(0, q.index);
  }
  if (!rest.endsWith("表")) return null;
  let number: string | null = null;
  const numberMatch = /^(公开|附表|表)?\d{1,2}(-\d{1,2})?表?/.exec(rest);
  if (numberMatch && /表/.test(numberMatch[0])) number = numberMatch[0];
  for (let guard = 0; guard < 8; guard++) {
    let changed = false;
    for (const p of catalog.prefixes) {
      const m = p.exec(rest);
      if (m && m[0].length > 0 && m[0].length < rest.length) {
        rest = rest.slice(m[0].length);
        changed = true;
      }
    }
    if (!changed) break;
  }
  let best: { kind: TableKind; length: number } | null = null;
  for (const kind of catalog.kinds)
    for (const t of kind.titles)
      if (rest.endsWith(t) && (best === null || t.length > best.length))
        best = { kind, length: t.length };
  if (best)
    return {
      kind: best.kind,
      title,
      qualifier,
      number,
      exact: rest.length === best.length,
    };
  if (catalog.genericEndings.some((e) => rest.endsWith(e)) && rest.length >= 4)
    return { kind: null, title, qualifier, number, exact: false };
  return null;
}

/** The unit a line states ("单位：万元" → 万元), or null. */
export function matchUnit(
  lineText: string,
  catalog: TableTitleCatalog,
): { unit: TableUnit; text: string } | null {
  const t = normaliseTitle(lineText);
  for (const u of catalog.units) {
    const m = u.pattern.exec(t);
    if (m) return { unit: u.unit, text: m[0] };
  }
  return null;
}
