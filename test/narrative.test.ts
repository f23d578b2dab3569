/**
 * The narrative written from the reference example states every figure of the reference's narrative, with the
 * correct words where the print is wrong; the second example's narrative speaks only of figures it has.
 */
import { describe, expect, it } from "vitest";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import { blockText, type Narrative, type NarrativeSection, type Run } from "../src/domain/narrative-model.ts";
import { formatCell } from "../src/domain/money.ts";
import { ROOT } from "./cli-harness.ts";
import { checkNarrative, narrativeRows } from "./narrative-check.ts";

async function narrativeOf(example: string, unit?: string): Promise<Narrative> {
  const r = await readBudgetFile(`${ROOT}/examples/${example}/budget.yaml`);
  if (!r.ok) throw new Error("example does not read");
  const b = buildDisclosure(projectData, r.budget, unit === undefined ? {} : { unit });
  if (!b.ok || !b.result.narrative) throw new Error("no narrative");
  return b.result.narrative;
}

function sectionsOf(n: Narrative): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (s: NarrativeSection) => {
    out.set(s.id, s.blocks.map(blockText).join("\n") + s.subsections.map((x) => "\n" + x.title + "\n" + walkText(x)).join(""));
    s.subsections.forEach(walk);
  };
  const walkText = (s: NarrativeSection): string => s.blocks.map(blockText).join("\n") + s.subsections.map(walkText).join("\n");
  for (const p of n.parts) p.sections.forEach(walk);
  return out;
}

function allRuns(n: Narrative): Run[] {
  const runs: Run[] = [];
  const walk = (s: NarrativeSection) => {
    for (const b of s.blocks) {
      if (b.kind === "paragraph") runs.push(...b.runs);
      if (b.kind === "list") b.items.forEach((i) => runs.push(...i));
      if (b.kind === "fields") runs.push(...b.title, ...b.fields.flatMap((f) => f.value));
    }
    s.subsections.forEach(walk);
  };
  for (const p of n.parts) p.sections.forEach(walk);
  return runs;
}

const fullText = (n: Narrative) => [...sectionsOf(n).values()].join("\n");

describe("the reference example's narrative", () => {
  it("states every figure of expected/narrative.csv, with the correct words", async () => {
    const n = await narrativeOf("changji-xinfang-2024");
    const sections = sectionsOf(n);
    expect(narrativeRows().length).toBeGreaterThan(60);
    expect(checkNarrative((id) => sections.get(id))).toEqual([]);
  });

  it("never writes 增加 0.00 or 增长 100.00 %, and 161.64 % comes from the data", async () => {
    const text = fullText(await narrativeOf("changji-xinfang-2024"));
    expect(text).not.toMatch(/增加\s*0\.00/);
    expect(text).not.toMatch(/增长\s*100\.00\s*%/);
    expect(text).toContain("增长161.64%");
  });

  it("binds every figure to a source", async () => {
    const runs = allRuns(await narrativeOf("changji-xinfang-2024"));
    const values = runs.filter((r) => r.kind === "value");
    expect(values.length).toBeGreaterThan(100);
    for (const v of values) expect(v.ref).toMatch(/^(figure|share|change|percent|input|project|carryover)[:[]/);
    // no number is typed into the text runs: every amount with two decimals is a bound value
    const typed = runs.filter((r) => r.kind === "text" && /\d+\.\d{2}/.test(r.text));
    expect(typed).toEqual([]);
  });

  it("quotes the department's reasons as written, the contradicting one included", async () => {
    const text = fullText(await narrativeOf("changji-xinfang-2024"));
    expect(text).toContain("行政单位医疗（项）：2024年预算数为15.17万元，比上年预算减少0.94万元，下降5.83%。主要原因是2024年度在职职工行政事业单位医疗行政单位医疗费增加");
  });

  it("withholds the classified project's details", async () => {
    const text = fullText(await narrativeOf("changji-xinfang-2024"));
    expect(text).toContain("特定目标 8910002U，预算安排规模55.00万元");
    expect(text).not.toContain("信访维稳专项经费");
  });
});

describe("the three-unit example's narrative", () => {
  it.each([undefined, "101", "102", "103"])("unit %s: no undefined, NaN, braces or empty figures", async (unit) => {
    const n = await narrativeOf("three-units-2024", unit);
    const text = fullText(n) + n.title + n.parts.map((p) => p.title).join("");
    expect(text).not.toMatch(/undefined|NaN|\{|\}|\[object/);
    for (const r of allRuns(n)) if (r.kind === "value") expect(r.text).toMatch(/^\d[\d.]*$|^\d{4}年/);
  });
});

describe("every figure the narrative states equals the table cell it speaks of", () => {
  it.each([
    ["changji-xinfang-2024", undefined],
    ["three-units-2024", undefined],
    ["three-units-2024", "101"],
    ["three-units-2024", "102"],
    ["three-units-2024", "103"],
  ])("%s (unit %s)", async (example, unit) => {
    const r = await readBudgetFile(`${ROOT}/examples/${example}/budget.yaml`);
    if (!r.ok) throw new Error("example does not read");
    const b = buildDisclosure(projectData, r.budget, unit === undefined ? {} : { unit });
    if (!b.ok || !b.result.narrative) throw new Error("no narrative");
    const { disclosure, narrative, template } = b.result;
    const cellOf = (id: string) => {
      const f = template.data.figures[id];
      if (f) return f.cell;
      const dot = id.indexOf(".");
      const fam = template.data.figure_families[id.slice(0, dot)];
      return fam?.cell ? { ...fam.cell, row: fam.cell.row.replace("{code}", id.slice(dot + 1)) } : undefined;
    };
    let checked = 0;
    for (const run of allRuns(narrative)) {
      if (run.kind !== "value" || !run.ref.startsWith("figure:")) continue;
      const cell = cellOf(run.ref.slice("figure:".length));
      if (!cell) continue;
      const table = disclosure.tables.find((t) => t.id === cell.table)!;
      const row = table.rows.find((x) => x.key === cell.row);
      const col = table.amountColumns.findIndex((ci) => table.columns[ci]!.id === cell.column);
      expect(col, `${cell.table}.${cell.column}`).toBeGreaterThanOrEqual(0);
      const v = row?.cells[col];
      const printed = v === null || v === undefined || v === 0n ? "0.00" : formatCell(v, disclosure.template.printUnit);
      expect(`${run.ref} = ${run.text}`).toBe(`${run.ref} = ${printed}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(unit === undefined ? 30 : 10);
  });
});
