import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { generateDepartment } from "../bench/province-generator.ts";
import { loadTemplate } from "../src/adapters/ingest/project-data.ts";
import { readBudgetInput } from "../src/adapters/ingest/budget-input.ts";
import { instantiateRelations } from "../src/domain/figure-relations.ts";
import { figuresOfBudget } from "../src/domain/last-year.ts";
import { parseTemplate } from "../src/domain/template-model.ts";

const ROOT = join(import.meta.dirname, "..");
const rawTemplate = () => parse(readFileSync(join(ROOT, "data/templates/xinjiang-2024.yaml"), "utf8")) as Record<string, unknown> & { figure_relations: unknown[] };

describe("figure relations (template data)", () => {
  it("the shipped template's relations are proved from the figures' filters", () => {
    const r = parseTemplate(rawTemplate());
    expect(r.ok ? [] : r.problems).toEqual([]);
    expect(r.ok && r.template.figure_relations.length).toBeGreaterThan(15);
  });

  it("a relation the filters do not prove is a template error naming it and an atom it misses", () => {
    for (const [bad, why] of [
      // 公务接待费 left out of 三公
      [{ total: "sangong.total", parts: ["sangong.overseas", "sangong.vehicle_purchase", "sangong.vehicle_running"] }, /30217/],
      // the general public budget is not all expenditure
      [{ total: "exp.all.total", parts: ["exp.gpb.basic", "exp.gpb.project"] }, /not an identity/],
      // a part counted twice
      [{ total: "income.total", parts: ["income.current", "carryover.total", "carryover.appropriated"] }, /in the parts 2×/],
      [{ total: "exp.gpb.total", family: "class_all" }, /not an identity/],
      [{ family: "func", parts_family: "class" }, /coarser/],
      [{ total: "no.such", parts: ["income.total"] }, /unknown figure no\.such/],
    ] as const) {
      const t = rawTemplate();
      t.figure_relations.push(bad);
      const r = parseTemplate(t);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.problems.join("\n")).toMatch(why);
    }
  });

  it("every relation holds exactly on the figures of generated budgets and of both examples", async () => {
    const ct = loadTemplate("xinjiang-2024")!;
    const budgets = Array.from({ length: 25 }, (_, i) => generateDepartment(i));
    for (const ex of ["changji-xinfang-2024", "three-units-2024"]) {
      const r = await readBudgetInput(join(ROOT, "examples", ex));
      if (!r.ok) throw new Error(ex);
      budgets.push(r.budget);
    }
    let checked = 0;
    for (const b of budgets) {
      const figures = figuresOfBudget(ct, b);
      for (const e of instantiateRelations(ct.data, figures.keys())) {
        const sum = e.parts.reduce((s, id) => s + (figures.get(id) ?? 0n), 0n);
        expect(sum, `${b.department.code} ${e.total} = Σ ${e.parts.join(" + ")}`).toBe(figures.get(e.total) ?? 0n);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25 * 20);
  });
});
