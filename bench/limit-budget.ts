/**
 * One department budget as large as the input limits allow (or any size below): the departments of the synthetic
 * province merged into one, their units, projects and lines interleaved so that every unit and project has money,
 * then cut to the counts asked for. Used by the bench's `limits` phase and to measure the limits (README, Input limits).
 */
import { writeFileSync } from "node:fs";
import type { Budget, BudgetLine, Project, Unit } from "../src/domain/budget-schema.ts";
import { budgetYaml, generateDepartment } from "./province-generator.ts";

export interface BudgetSize {
  readonly units: number;
  readonly projects: number;
  readonly lines: number;
  /** indicators of all performance targets together, copied round the projects' targets up to this (default: as generated) */
  readonly indicators?: number;
}

const rename = (i: number, code: string) => `${i}-${code}`;

/**
 * A budget with `size.units` units, `size.projects` projects (each with a performance target) and `size.lines` lines
 * (fewer when the merged departments have fewer: enough of them are merged for the largest of the three).
 */
export function largeBudget(size: BudgetSize): Budget {
  const depts: Budget[] = [];
  let units = 0;
  let projects = 0;
  let lines = 0;
  for (let i = 0; units < size.units || projects < size.projects || lines < size.lines; i++) {
    const d = generateDepartment(i);
    depts.push(d);
    units += d.units.length;
    projects += d.projects.length;
    lines += d.lines.length;
  }
  const first = depts[0]!;
  const keptUnits = new Set<string>();
  const outUnits: Unit[] = [];
  // units round-robin over departments, so that a cut keeps units of many departments
  for (let k = 0; outUnits.length < size.units; k++) {
    let any = false;
    depts.forEach((d, i) => {
      const u = d.units[k];
      if (u === undefined || outUnits.length >= size.units) return;
      any = true;
      const code = rename(i, u.code);
      keptUnits.add(code);
      outUnits.push({ ...u, code, name: `${u.name}${i}` });
    });
    if (!any) break;
  }
  const keptProjects = new Set<string>();
  const outProjects: Project[] = [];
  for (let k = 0; outProjects.length < size.projects; k++) {
    let any = false;
    depts.forEach((d, i) => {
      const p = d.projects[k];
      if (p === undefined || outProjects.length >= size.projects) return;
      any = true;
      const unit = rename(i, p.unit);
      if (!keptUnits.has(unit)) return;
      const code = rename(i, p.code);
      keptProjects.add(code);
      outProjects.push({ ...p, code, unit, name: `${p.name}${i}` });
    });
    if (!any) break;
  }
  const outLines: BudgetLine[] = [];
  for (let k = 0; outLines.length < size.lines; k++) {
    let any = false;
    depts.forEach((d, i) => {
      const l = d.lines[k];
      if (l === undefined || outLines.length >= size.lines) return;
      any = true;
      const unit = rename(i, l.unit);
      if (!keptUnits.has(unit)) return;
      if (l.project !== undefined) {
        const project = rename(i, l.project);
        if (!keptProjects.has(project)) return;
        outLines.push({ ...l, unit, project });
      } else outLines.push({ ...l, unit });
    });
    if (!any) break;
  }
  // every project with a performance target (the generator gives only some one): the worst case for the documents
  const targets = new Map(depts.flatMap((d, i) => d.performance.projects.map((p) => [rename(i, p.project), p] as const)));
  const anyTarget = [...targets.values()][0];
  const perf = outProjects.flatMap((p) => {
    const t = targets.get(p.code) ?? anyTarget;
    return t === undefined ? [] : [{ ...t, project: p.code }];
  });
  if (size.indicators !== undefined) {
    const count = () => perf.reduce((n, t) => n + t.indicators.length, 0) + (first.performance.department?.indicators.length ?? 0);
    const pool = perf.flatMap((t) => t.indicators);
    for (let k = 0, total = count(); total < size.indicators && pool.length > 0 && perf.length > 0; k++, total++) {
      const t = perf[k % perf.length]!;
      t.indicators = [...t.indicators, { ...pool[k % pool.length]!, name: `${pool[k % pool.length]!.name}${k}` }];
    }
  }
  const carryover = depts.flatMap((d, i) => d.carryover.map((c) => ({ ...c, unit: rename(i, c.unit) }))).filter((c) => keptUnits.has(c.unit)).slice(0, 200);
  return { ...first, units: outUnits, projects: outProjects, lines: outLines, carryover, performance: { ...first.performance, projects: perf } };
}

/** The same budget as an input file. */
export const largeBudgetYaml = (size: BudgetSize): string => budgetYaml(largeBudget(size));

// `npx tsx bench/limit-budget.ts <units> <projects> <lines> <out.yaml>`
if (process.argv[1]?.endsWith("limit-budget.ts")) {
  const [u, p, l, out] = process.argv.slice(2);
  const ind = process.argv[6];
  writeFileSync(out!, largeBudgetYaml({ units: Number(u), projects: Number(p), lines: Number(l), ...(ind ? { indicators: Number(ind) } : {}) }));
}
