/**
 * Use case behind `--prior`: last year's figures, from last year's budget file (its line items, through last year's
 * template where the project has it, and the crosswalk of renamed codes) or from the disclosure.json Gongkai wrote for
 * it. The reading is the adapters'; this layer decides what applies and computes.
 */
import type { Budget } from "../domain/budget-schema.ts";
import type { LastYear } from "../domain/disclosure-model.ts";
import { applyCrosswalk, figuresOfBudget, type Crosswalk } from "../domain/last-year.ts";
import type { CompiledTemplate } from "../domain/table-engine.ts";
import type { TemplateData } from "../domain/template-model.ts";
import type { ProjectData } from "./build-disclosure.ts";

/** What `--prior` named, as read: a budget, or a disclosure's figures. */
export type LastYearSource =
  | { readonly kind: "budget"; readonly file: string; readonly budget: Budget }
  | {
      readonly kind: "disclosure";
      readonly file: string;
      readonly figures: ReadonlyMap<string, bigint>;
      readonly year: number;
      readonly template: string;
    };

export interface LastYearRefusal {
  readonly code: "prior.wrong_year";
  readonly file: string;
  readonly field: string;
  readonly params: Record<string, string>;
}

/** Renames the codes of family members (`func.2080599` → `func.2080510`) of figures read from a disclosure. */
function renameFigureIds(t: TemplateData, figures: ReadonlyMap<string, bigint>, cw: Crosswalk): { figures: Map<string, bigint>; renamed: number } {
  const out = new Map<string, bigint>();
  let renamed = 0;
  for (const [id, v] of figures) {
    const dot = id.indexOf(".");
    const fam = id in t.figures ? undefined : t.figure_families[id.slice(0, dot)];
    let to = id;
    if (fam) {
      const code = id.slice(dot + 1);
      const map = fam.by === "economic_section" ? cw.econ : cw.func;
      for (const [from, repl] of [...map].sort(([a], [b]) => b.length - a.length))
        if (code.startsWith(from)) {
          to = `${id.slice(0, dot)}.${repl}${code.slice(from.length)}`;
          break;
        }
    }
    if (to !== id) renamed++;
    out.set(to, (out.get(to) ?? 0n) + v);
  }
  return { figures: out, renamed };
}

/**
 * Last year's figures for a budget built with `ct`. Last year's template applies where the project has it (the one
 * its budget names), else this year's, noted as a fallback; likewise its year's catalog.
 */
export function lastYearFigures(
  data: ProjectData,
  ct: CompiledTemplate,
  year: number,
  source: LastYearSource,
  crosswalk: Crosswalk,
): { ok: true; lastYear: LastYear } | { ok: false; refusal: LastYearRefusal } {
  const sourceYear = source.kind === "budget" ? source.budget.department.year : source.year;
  if (sourceYear !== year - 1)
    return { ok: false, refusal: { code: "prior.wrong_year", file: source.file, field: "department.year", params: { value: String(sourceYear), want: String(year - 1) } } };
  const fallback: ("template" | "catalog")[] = [];
  const named = source.kind === "budget" ? source.budget.department.template : source.template;
  let priorCt = named === ct.data.id ? ct : data.template(named);
  if (!priorCt) {
    priorCt = ct;
    fallback.push("template");
  }
  if (!data.catalog(year - 1)) fallback.push("catalog");
  if (source.kind === "budget") {
    const { budget, renamed } = applyCrosswalk(source.budget, crosswalk);
    return {
      ok: true,
      lastYear: { figures: figuresOfBudget(priorCt, budget), file: source.file, year: sourceYear, template: priorCt.data.id, catalogYear: fallback.includes("catalog") ? year : year - 1, fallback, renamed },
    };
  }
  const { figures, renamed } = renameFigureIds(priorCt.data, source.figures, crosswalk);
  return {
    ok: true,
    lastYear: { figures, file: source.file, year: sourceYear, template: priorCt.data.id, catalogYear: fallback.includes("catalog") ? year : year - 1, fallback, renamed },
  };
}
