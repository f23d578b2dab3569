/**
 * Use case: a validated budget → the computed disclosure and its findings, through the budget's template, its
 * year's catalog and the template's rules. Data (templates, catalogs, rules) comes in through the `ProjectData`
 * port so that this layer does no I/O of its own.
 */
import type { Budget } from "../domain/budget-schema.ts";
import type { InputMessageCode } from "../domain/input-messages.ts";
import { withInputNames, type Catalog } from "../domain/catalog-model.ts";
import { assembleDisclosure, printUnitOf, type Disclosure, type LastYear } from "../domain/disclosure-model.ts";
import type { Crosswalk } from "../domain/last-year.ts";
import { lastYearFigures, type LastYearRefusal, type LastYearSource } from "./last-year.ts";
import { evaluateInputRules, evaluatePrintedRules, printedTables, SEVERITY_ORDER, type Finding, type RuleSet } from "../domain/rule-engine.ts";
import { figureName, type CompiledTemplate } from "../domain/table-engine.ts";
import { buildNarrative, type NarrativeSpec } from "../domain/narrative-engine.ts";
import type { Narrative } from "../domain/narrative-model.ts";

export interface ProjectData {
  template(id: string): CompiledTemplate | null;
  /** a template file of the user's (a region's own template): compiled, or the problems that make it unusable */
  templateFile(path: string): { ok: true; template: CompiledTemplate } | { ok: false; problems: string[]; refusal?: OptionFileRefusal };
  templateIds(): string[];
  catalog(year: number, officialDir?: string): Catalog | null;
  /** why the folder named by `--catalog` cannot be read (not a folder, a file in it not a regular file or too large) */
  officialCatalogProblem?(dir: string): OptionFileRefusal | null;
  rules(templateId: string): RuleSet | null;
  narrative(templateId: string): NarrativeSpec | null;
  /** codes renamed from one year to the next (data/crosswalks/<from>-<to>.csv); empty when there is none */
  crosswalk(fromYear: number, toYear: number): Crosswalk;
}

export interface BuildOptions {
  readonly unit?: string | undefined;
  /** a template file to use instead of the template the budget names */
  readonly templateFile?: string | undefined;
  /** a folder holding an official catalog that replaces ours */
  readonly catalogDir?: string | undefined;
  /** last year's budget or disclosure (`--prior`): every prior figure is derived from it */
  readonly lastYear?: { readonly source: LastYearSource; readonly crosswalk?: Crosswalk | undefined } | undefined;
}

/** A file named by an option that cannot be read as one: the problem, in the file (`file`), at the option (`field`). */
export interface OptionFileRefusal {
  readonly code: InputMessageCode;
  readonly file: string;
  readonly field: string;
  readonly params: Record<string, string>;
}

/** Why a budget cannot be built at all (exit 2), as message codes of the input catalog. */
export interface BuildRefusal {
  readonly code: "build.unknown_template" | "build.bad_template" | "build.no_catalog" | "build.unknown_unit" | LastYearRefusal["code"] | OptionFileRefusal["code"];
  /** the file at fault when it is not the budget's own (last year's, with `--prior`) */
  readonly file?: string;
  readonly field: string;
  readonly params: Record<string, string>;
}

export interface BuildResult {
  readonly disclosure: Disclosure;
  /** the written document, when the template has a narrative */
  readonly narrative: Narrative | null;
  readonly findings: readonly Finding[];
  readonly template: CompiledTemplate;
  readonly catalog: Catalog;
  /**
   * The validated input, for renderers that publish line items (open data). It holds classified details: whatever
   * is published from it must show a classified project only by its public label, aggregated (CONVENTIONS.md).
   */
  readonly budget: Budget;
}

/** A figure's name for messages: with the code of a family member (e.g. "2101101 行政单位医疗（项）"). */
export function figureNamer(ct: CompiledTemplate, catalog: Catalog): (id: string) => string {
  return (id) => {
    const name = figureName(ct.data, catalog, id);
    const dot = id.indexOf(".");
    return id in ct.data.figures || dot < 0 ? name : `${id.slice(dot + 1)} ${name}`;
  };
}

export function buildDisclosure(data: ProjectData, budget: Budget, opts: BuildOptions = {}): { ok: true; result: BuildResult } | { ok: false; refusal: BuildRefusal } {
  let ct: CompiledTemplate | null;
  if (opts.templateFile !== undefined) {
    const t = data.templateFile(opts.templateFile);
    if (!t.ok) return { ok: false, refusal: t.refusal ?? { code: "build.bad_template", field: "", params: { reason: t.problems.slice(0, 5).join("；") } } };
    ct = t.template;
  } else ct = data.template(budget.department.template);
  if (!ct)
    return {
      ok: false,
      refusal: { code: "build.unknown_template", field: "department.template", params: { value: budget.department.template, known: data.templateIds().join("、") } },
    };
  const catalogProblem = opts.catalogDir === undefined ? null : (data.officialCatalogProblem?.(opts.catalogDir) ?? null);
  if (catalogProblem) return { ok: false, refusal: catalogProblem };
  const loaded = data.catalog(ct.data.catalog_year, opts.catalogDir);
  if (!loaded)
    return { ok: false, refusal: { code: "build.no_catalog", field: "department.year", params: { value: String(ct.data.catalog_year), dir: opts.catalogDir ?? "" } } };
  // the budget's own names for codes the catalog does not list print wherever the catalog's would (D2)
  const catalog = withInputNames(loaded, budget.names);
  if (opts.unit !== undefined && !budget.units.some((u) => u.code === opts.unit))
    return { ok: false, refusal: { code: "build.unknown_unit", field: "units", params: { value: opts.unit, known: budget.units.map((u) => u.code).join("、") } } };
  const rules = data.rules(ct.data.id);
  let lastYear: LastYear | undefined;
  if (opts.lastYear) {
    const year = budget.department.year;
    const r = lastYearFigures(data, ct, year, opts.lastYear.source, opts.lastYear.crosswalk ?? data.crosswalk(year - 1, year));
    if (!r.ok) return { ok: false, refusal: r.refusal };
    lastYear = r.lastYear;
  }
  const disclosure = assembleDisclosure(ct, budget, catalog, {
    rules,
    ...(opts.unit === undefined ? {} : { unit: opts.unit }),
    ...(lastYear === undefined ? {} : { lastYear }),
  });
  const unit = printUnitOf(ct);
  const findings: Finding[] = [];
  if (rules) {
    findings.push(...evaluatePrintedRules(rules, printedTables(disclosure.tables, unit), unit));
    findings.push(...evaluateInputRules(rules, { budget, disclosure, template: ct.data, catalog, unit, figureName: figureNamer(ct, catalog) }));
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  // The narrative is written when a renderer first asks for it: checking needs none.
  const spec = data.narrative(ct.data.id);
  let narrative: Narrative | null | undefined;
  const result: BuildResult = {
    disclosure,
    findings,
    template: ct,
    catalog,
    budget,
    get narrative() {
      if (narrative === undefined) narrative = spec ? buildNarrative(spec, { disclosure, template: ct.data, catalog }) : null;
      return narrative;
    },
  };
  return { ok: true, result };
}
