/**
 * The identities among a template's figures, as template data (`figure_relations`): a total and its parts, income and
 * expenditure of the same money, a family that sums to a figure, a family whose members sum the members of a finer one.
 * Each figure is a sum of facts under a filter, so an identity holds for every budget exactly when the parts' filters
 * split the total's filter: `verifyRelations` proves that for each relation when the template is compiled, by
 * enumerating the atoms of the filters (every fund source × kind × unit type × the economic and functional code
 * classes the filters distinguish). A relation the filters do not prove is a template error, so nothing checked
 * against these relations can be a false alarm of the template's making.
 */
import { UNIT_TYPES } from "./budget-schema.ts";
import { SOURCES, compileWhere, matches, type Filter, type FactSignature, type TemplateData } from "./template-model.ts";

const CODE_LENGTH = { function_item: 7, function_class: 3, economic_section: 5 } as const;

/** A relation instantiated over figure ids: total = Σ parts. `at` is the index of its template entry. */
export interface FigureEquation {
  readonly total: string;
  readonly parts: readonly string[];
  readonly at: number;
}

/**
 * The equations of a template's relations over the figure ids present (`ids`: the figures of the template and the
 * family members of the budget, e.g. `func.2010301`). A family sum covers the members present.
 */
export function instantiateRelations(t: TemplateData, ids: Iterable<string>): FigureEquation[] {
  const members = new Map<string, string[]>();
  for (const id of ids) {
    const dot = id.indexOf(".");
    const family = dot < 0 ? "" : id.slice(0, dot);
    if (!(family in t.figure_families) || id in t.figures) continue;
    let list = members.get(family);
    if (!list) members.set(family, (list = []));
    list.push(id);
  }
  for (const list of members.values()) list.sort();
  const out: FigureEquation[] = [];
  t.figure_relations.forEach((r, at) => {
    if ("parts" in r) out.push({ total: r.total, parts: r.parts, at });
    else if ("total" in r) {
      // a family with no member says nothing of last year: it may have had members then
      const parts = members.get(r.family) ?? [];
      if (parts.length) out.push({ total: r.total, parts, at });
    }
    else {
      const coarse = CODE_LENGTH[t.figure_families[r.family]!.by];
      const byCode = new Map<string, string[]>();
      for (const m of members.get(r.parts_family) ?? []) {
        const code = m.slice(m.indexOf(".") + 1).slice(0, coarse);
        let list = byCode.get(code);
        if (!list) byCode.set(code, (list = []));
        list.push(m);
      }
      for (const m of members.get(r.family) ?? []) byCode.set(m.slice(m.indexOf(".") + 1), byCode.get(m.slice(m.indexOf(".") + 1)) ?? []);
      for (const [code, parts] of [...byCode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out.push({ total: `${r.family}.${code}`, parts, at });
    }
  });
  return out;
}

/** Representative codes of every class of codes that a set of prefix lists distinguishes (see the file comment). */
function codeClasses(lists: readonly (readonly string[] | null)[]): string[] {
  const prefixes = new Set<string>();
  for (const l of lists) for (const p of l ?? []) prefixes.add(p);
  // a code equal to the longest prefix it matches stands for all codes that match the same prefixes; "#" matches none
  return [...prefixes, "#"];
}

/** Whether the parts' filters split the total's filter: every atom is in the total once, or in no part at all. */
function splits(total: Filter, parts: readonly Filter[]): string | null {
  const all = [total, ...parts];
  const econs = codeClasses(all.map((f) => f.econ));
  const funcs = codeClasses(all.map((f) => f.func));
  for (let source = 0; source < SOURCES.length; source++)
    for (const kind of [1, 2, 4])
      for (let unitType = 0; unitType < UNIT_TYPES.length; unitType++)
        for (const econ of econs)
          for (const func of funcs) {
            const s: FactSignature = { source, kind, unitType, econ, func };
            const inTotal = matches(total, s) ? 1 : 0;
            const inParts = parts.reduce((n, p) => n + (matches(p, s) ? 1 : 0), 0);
            if (inTotal !== inParts)
              return `${SOURCES[source]} kind ${kind} ${UNIT_TYPES[unitType]} econ ${econ} func ${func}: in the total ${inTotal}×, in the parts ${inParts}×`;
          }
  return null;
}

/** Problems of a template's relations (unknown figures, identities its filters do not prove), as text lines. */
export function verifyRelations(t: TemplateData): string[] {
  const problems: string[] = [];
  const filterOf = (id: string, at: string): Filter | null => {
    const f = t.figures[id];
    if (f) return compileWhere(f.where, t.source_groups);
    problems.push(`${at}: unknown figure ${id}`);
    return null;
  };
  const familyFilter = (name: string, at: string): Filter | null => {
    const fam = t.figure_families[name];
    if (fam) return compileWhere(fam.where, t.source_groups);
    problems.push(`${at}: unknown figure family ${name}`);
    return null;
  };
  t.figure_relations.forEach((r, i) => {
    const at = `figure_relations[${i}]`;
    let total: Filter | null;
    let parts: (Filter | null)[];
    if ("parts" in r) {
      total = filterOf(r.total, at);
      parts = r.parts.map((p) => filterOf(p, at));
    } else if ("total" in r) {
      total = filterOf(r.total, at);
      parts = [familyFilter(r.family, at)];
    } else {
      const coarse = t.figure_families[r.family];
      const fine = t.figure_families[r.parts_family];
      total = familyFilter(r.family, at);
      parts = [familyFilter(r.parts_family, at)];
      if (coarse && fine && (coarse.by === "economic_section") !== (fine.by === "economic_section"))
        problems.push(`${at}: ${r.family} and ${r.parts_family} group different classifications`);
      else if (coarse && fine && CODE_LENGTH[coarse.by] > CODE_LENGTH[fine.by]) problems.push(`${at}: ${r.parts_family} is coarser than ${r.family}`);
    }
    if (total === null || parts.some((p) => p === null)) return;
    const why = splits(total, parts as Filter[]);
    if (why !== null) problems.push(`${at}: not an identity of the figures' filters (${why})`);
  });
  return problems;
}
