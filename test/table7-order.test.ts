/**
 * The order of 表7's rows, as docs/input-format.md states it: unit blocks in the order of `units`; within a block the
 * function tree in code order; under each 项 one row per (项, project), projects in the input order of `projects` — not
 * of `lines`. Shown on the three-unit example, whose 2120102 of unit 101 holds two projects.
 */
import { describe, expect, it } from "vitest";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import type { Budget } from "../src/domain/budget-schema.ts";
import { printUnitOf, tableTexts } from "../src/domain/disclosure-model.ts";
import { ROOT } from "./cli-harness.ts";

const ct = projectData.template("xinjiang-2024")!;

async function example(): Promise<Budget> {
  const r = await readBudgetFile(`${ROOT}/examples/three-units-2024/budget.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.budget;
}

function t07(budget: Budget): string[][] {
  const r = buildDisclosure(projectData, budget);
  if (!r.ok) throw new Error("build refused");
  return tableTexts(r.result.disclosure.tables.find((t) => t.id === "t07")!, printUnitOf(ct)).map((row) => [...row]);
}

/** The project names under one 项 of the first unit block that has it. */
const projectsUnder = (rows: string[][], item: [string, string, string]) => rows.filter((r) => r[0] === item[0] && r[1] === item[1] && r[2] === item[2]).map((r) => r[4]);

describe("表7's row order", () => {
  it("does not follow the order of lines", async () => {
    const b = await example();
    expect(t07({ ...b, lines: [...b.lines].reverse() })).toEqual(t07(b));
  });

  it("lists a 项's projects in the order of projects", async () => {
    const b = await example();
    const before = projectsUnder(t07(b), ["212", "01", "02"]);
    expect(before).toHaveLength(2);
    const reversed = projectsUnder(t07({ ...b, projects: [...b.projects].reverse() }), ["212", "01", "02"]);
    expect(reversed).toEqual([...before].reverse());
  });

  it("puts unit blocks in the order of units and codes in code order", async () => {
    const b = await example();
    const rows = t07({ ...b, units: [...b.units].reverse() });
    const unitRows = rows.filter((r) => r[0] === "" && r[3] !== "总计").map((r) => r[3]);
    expect(unitRows).toEqual([...b.units].reverse().map((u) => u.name));
    // within each block, the codes never go down
    let last = "";
    for (const r of rows) {
      if (r[0] === "") {
        last = "";
        continue;
      }
      const code = `${r[0]}${r[1]}${r[2]}`.padEnd(7, "0");
      expect(code >= last, `${code} after ${last}`).toBe(true);
      last = code;
    }
  });
});
