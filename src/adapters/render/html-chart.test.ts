/**
 * A chart says what the text says (issue 8, point 2). Read back from the rendered page: every bar, slice and label
 * of every chart (the SVG's mark titles and data labels) is a figure that the narrative section the chart sits in
 * states — under the same name, with the same printed value — and a prior-year bar is the prior of a figure whose
 * comparison with the prior year that section states, by the same name. For both examples (the department and every
 * unit) and for a second template, which has no narrative: there every chart value is the cell its figure prints in
 * the chart's table. And a template whose chart sums figures, renames them or shows a prior the text does not compare
 * is refused when it is read.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { parse, type HTMLElement, type Node } from "node-html-parser";
import { describe, expect, it } from "vitest";
import { projectData } from "../ingest/project-data.ts";
import { readBudgetFile } from "../ingest/yaml-budget-reader.ts";
import { buildDisclosure } from "../../app/build-disclosure.ts";
import { formatCell, parseSteps } from "../../domain/money.ts";
import { parseTemplate } from "../../domain/template-model.ts";
import { buildExample, chartTableValues, clean, renderPage, svgLabelNumbers, svgMarkValues, type BuiltPage } from "../../../test/page-fixture.ts";
import { ROOT } from "../../../test/cli-harness.ts";
import { renderDisclosurePage } from "./html-page.ts";

/** A run of a narrative block as the page prints it: text, or a bound value (`<data>`). */
type Token = { kind: "text"; text: string } | { kind: "data"; ref: string; role: string; text: string };

function tokens(el: Node, out: Token[] = []): Token[] {
  for (const n of el.childNodes) {
    if (n.nodeType === 3) out.push({ kind: "text", text: n.text });
    else if (n.nodeType === 1) {
      const e = n as HTMLElement;
      if (e.tagName === "DATA") out.push({ kind: "data", ref: e.getAttribute("data-ref") ?? "", role: (e.getAttribute("class") ?? "").replace(/^v v-/, ""), text: e.text });
      else tokens(e, out);
    }
  }
  return out;
}

/** What a section's own text (not its tables, charts or subsections) states of one figure, found by its name. */
interface Statement {
  readonly id: string;
  readonly amount: string;
  /** the signed change in print steps the text states (0 for 持平), or null when the text makes no comparison */
  readonly change: bigint | null;
  readonly words: string;
}

function statementsOf(section: HTMLElement): Token[][] {
  return section
    .querySelectorAll("p, li, dd")
    .filter((b) => b.closest("section.sec") === section && !b.closest("figure") && !b.closest(".sheet"))
    .map((b) => tokens(b));
}

/** The statement of the figure named `name` in these blocks: the amount whose preceding text ends with the name. */
function findStatement(blocks: Token[][], name: string, decimals: number): Statement | null {
  for (const b of blocks) {
    let before = "";
    for (let i = 0; i < b.length; i++) {
      const t = b[i]!;
      if (t.kind === "text") {
        before += t.text;
        continue;
      }
      if (t.role === "amount" && t.ref.startsWith("figure:") && clean(before).endsWith(name)) {
        const id = t.ref.slice("figure:".length);
        // the words after the amount, to the end of its sentence: the comparison with the prior year
        let words = "";
        let change: bigint | null = null;
        for (let k = i + 1; k < b.length && !words.includes("。"); k++) {
          const u = b[k]!;
          if (u.kind === "data" && u.role === "amount") break;
          if (u.kind === "data" && u.role === "change" && u.ref === `change:${id}`) {
            const steps = parseSteps(u.text, decimals)!;
            change = /减少\s*$/.test(words) ? -steps : steps;
          }
          words += u.text;
        }
        words = words.split("。")[0]!;
        if (change === null && /持平|未安排/.test(words)) change = 0n;
        return { id, amount: t.text, change, words: clean(words) };
      }
      before = "";
    }
  }
  return null;
}

/** A chart's categories with their values as the data table prints them: text, "" (no money) or null (not given). */
function chartRows(figure: HTMLElement): { name: string; ref: string | null; values: (string | null)[] }[] {
  return figure.querySelectorAll("table.chart-data tbody tr").map((tr) => ({
    name: clean(tr.querySelector("th")!.textContent),
    ref: tr.querySelector("data[data-ref^='figure:']")?.getAttribute("data-ref") ?? null,
    values: tr.querySelectorAll("td").map((td) => (td.classList.contains("na") ? null : clean(td.textContent))),
  }));
}

const sorted = (m: Map<string, string>) => JSON.stringify([...m].sort());

/** Every contradiction between a page's charts and the text beside them; also checks the SVG draws its data table. */
function chartContradictions(p: BuiltPage): string[] {
  const decimals = p.result.disclosure.template.printUnit.decimals;
  const steps = (v: string | null) => (v === null || v === "" ? 0n : parseSteps(v, decimals)!);
  const out: string[] = [];
  const figures = p.root.querySelectorAll("figure.chart");
  if (figures.length === 0) out.push("no charts");
  for (const f of figures) {
    const svg = f.querySelector("svg")!;
    const table = chartTableValues(f.querySelector("table.chart-data")!);
    // the picture draws exactly its data table
    if (sorted(svgMarkValues(svg)) !== sorted(table)) out.push(`${f.id}: the SVG's marks differ from its data table`);
    if (JSON.stringify(svgLabelNumbers(svg).sort()) !== JSON.stringify([...table.values()].sort())) out.push(`${f.id}: the SVG's labels differ from its data table`);
    const section = f.closest("section.sec")!;
    const blocks = statementsOf(section);
    const where = `${f.id} in “${clean(section.querySelector("h3, h4")!.textContent)}”`;
    const series = f.querySelectorAll("table.chart-data thead th").slice(1).map((th) => clean(th.textContent));
    const hasPrior = series.length > 1;
    for (const row of chartRows(f)) {
      const [current, prior] = row.values;
      const s = findStatement(blocks, row.name, decimals);
      if (!s) {
        out.push(`${where}: “${row.name}” is not a figure its section states by that name`);
        continue;
      }
      if (row.ref !== null && row.ref !== `figure:${s.id}`) out.push(`${where}: “${row.name}” is bound to ${row.ref}, the text states it as ${s.id}`);
      if (steps(current ?? null) !== steps(s.amount)) out.push(`${where}: “${row.name}” is ${current || "blank"} in the chart, ${s.amount} in the text`);
      // every statement of the figure anywhere in the text prints the same
      for (const el of p.root.querySelectorAll(`data.v-amount[data-ref="figure:${s.id}"]`))
        if (!el.closest("figure") && el.text !== s.amount) out.push(`${where}: ${s.id} prints ${el.text} elsewhere in the text, ${s.amount} here`);
      if (!hasPrior) continue;
      if (prior === null || prior === undefined) {
        if (s.change !== null) out.push(`${where}: “${row.name}” has no prior bar, but the text compares it with the prior year (${s.words})`);
        continue;
      }
      if (s.change === null) {
        out.push(`${where}: “${row.name}” has a prior bar ${prior || "blank"} that the text does not compare with (${s.words})`);
        continue;
      }
      // current − prior, each printed, is the stated change within the two roundings
      const gap = steps(current ?? null) - steps(prior) - s.change;
      if (gap > 1n || gap < -1n) out.push(`${where}: “${row.name}” ${current || "0"} − prior ${prior || "0"} is not the change the text states (${s.words})`);
    }
  }
  return out;
}

describe("a chart says what the text says", () => {
  it.each([
    ["changji-xinfang-2024", undefined],
    ["three-units-2024", undefined],
    ["three-units-2024", "101"],
    ["three-units-2024", "102"],
    ["three-units-2024", "103"],
  ])("%s (unit %s): every bar, slice and label is a figure its section states, by name and printed value", async (example, unit) => {
    const p = renderPage(await buildExample(example, unit));
    expect(chartContradictions(p)).toEqual([]);
  });

  it("the three-unit department's income chart has each source of section 二, own and transfer apart", async () => {
    const p = renderPage(await buildExample("three-units-2024"));
    const income = new Map(chartRows(p.root.querySelector("#chart-income")!).map((r) => [r.name, r.values[0]]));
    expect(income.get("政府性基金预算")).toBe("158.46");
    expect(income.get("上级政府性基金安排的转移支付资金")).toBe("60.00");
    expect(income.get("国有资本经营预算")).toBe("50.00");
    expect(income.get("上级国有资本经营预算安排的转移支付资金")).toBe("20.00");
    expect(income.get("上级一般公共预算安排的转移支付资金")).toBe("214.28");
  });

  it("finds a chart that sums what the text states apart, renames a figure or shows a prior the text does not (the test can fail)", async () => {
    const p = renderPage(await buildExample("three-units-2024"));
    /** the page with one chart's HTML edited (its picture and its data table alike) */
    const edited = (id: string, edit: (figure: string) => string): BuiltPage => {
      const start = p.html.indexOf(`<figure class="chart" id="${id}"`);
      const end = p.html.indexOf("</figure>", start);
      expect(start).toBeGreaterThan(0);
      const html = p.html.slice(0, start) + edit(p.html.slice(start, end)) + p.html.slice(end);
      expect(html).not.toBe(p.html);
      return { ...p, html, root: parse(html) };
    };
    const s2 = "chart-income in “二、关于某县住房和城乡建设局2024年收入预算情况说明”";
    const s10 = "chart-sangong in “十、关于某县住房和城乡建设局2024年财政拨款“三公”经费预算情况说明”";
    // the old chart: 政府性基金预算 = own + transfer
    expect(chartContradictions(edited("chart-income", (h) => h.replaceAll("158.46", "218.46")))).toEqual([`${s2}: “政府性基金预算” is 218.46 in the chart, 158.46 in the text`]);
    // the old chart's name for a figure the text calls otherwise
    expect(chartContradictions(edited("chart-income", (h) => h.replaceAll("上级一般公共预算安排的转移支付资金", "上级一般公共预算转移支付")))).toEqual([
      `${s2}: “上级一般公共预算转移支付” is not a figure its section states by that name`,
    ]);
    // a prior bar that is not current − the stated change
    expect(chartContradictions(edited("chart-sangong", (h) => h.replaceAll("26.00", "27.00")))).toEqual([`${s10}: “公务用车购置费” 44.50 − prior 27.00 is not the change the text states (万元，比上年预算增加18.50万元，增长71.15%)`]);
  });
});

describe("a second template's charts (no narrative)", () => {
  const FIXTURE = join(ROOT, "test/fixtures/other-region-2024/template.yaml");

  it("print every value as the cell its figure prints in the chart's table, under the figure's name", async () => {
    const r = await readBudgetFile(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"));
    if (!r.ok) throw new Error("the reference example does not read");
    const b = buildDisclosure(projectData, r.budget, { templateFile: FIXTURE });
    if (!b.ok) throw new Error(`the second template does not build: ${b.refusal.code}`);
    const { disclosure: d, template } = b.result;
    const root = parse(renderDisclosurePage({ disclosure: d, narrative: { title: "", parts: [], signature: [] }, findings: b.result.findings, template }));
    const figures = root.querySelectorAll("figure.chart");
    expect(figures.map((f) => f.id)).toEqual(template.data.charts.map((c) => c.id));
    expect(figures.length).toBeGreaterThan(0);
    const unit = d.template.printUnit;
    for (const f of figures) {
      const chart = template.data.charts.find((c) => c.id === f.id)!;
      const table = chartTableValues(f.querySelector("table.chart-data")!);
      const svg = f.querySelector("svg")!;
      expect(Object.fromEntries(svgMarkValues(svg)), f.id).toEqual(Object.fromEntries(table));
      expect(svgLabelNumbers(svg).sort(), f.id).toEqual([...table.values()].sort());
      const rows = chartRows(f);
      expect(rows.length, f.id).toBeGreaterThan(1);
      for (const row of rows) {
        const id = row.ref!.slice("figure:".length);
        const dot = id.indexOf(".");
        const fig = template.data.figures[id];
        const fam = fig ? undefined : template.data.figure_families[id.slice(0, dot)];
        const cell = fig?.cell ?? { ...fam!.cell!, row: fam!.cell!.row.replace("{code}", id.slice(dot + 1)) };
        expect(cell.table, id).toBe(chart.table);
        const t = d.tables.find((x) => x.id === cell.table)!;
        const printed = t.rows.find((x) => x.key === cell.row)?.cells[t.amountColumns.findIndex((ci) => t.columns[ci]!.id === cell.column)];
        expect(row.values[0], id).toBe(printed === null || printed === undefined ? "" : formatCell(printed, unit));
        expect(row.name, id).toBe(d.figures.get(id)!.name);
      }
    }
  });
});

const rawTemplate = (id: string) => parseYaml(readFileSync(join(ROOT, `data/templates/${id}.yaml`), "utf8"), { maxAliasCount: 1000 }) as { charts: Record<string, unknown>[] };

/** The problems of the shipped template with its charts edited. */
const chartEditProblems = (edit: (charts: Record<string, unknown>[]) => void, id = "xinjiang-2024") => {
  const t = rawTemplate(id);
  edit(t.charts);
  const r = parseTemplate(t);
  return r.ok ? [] : r.problems;
};

describe("a template's charts are checked when it is read", () => {
  it("accepts the shipped templates and the second template", () => {
    for (const id of projectData.templateIds()) expect(chartEditProblems(() => {}, id), id).toEqual([]);
    expect(projectData.templateFile(join(ROOT, "test/fixtures/other-region-2024/template.yaml")).ok).toBe(true);
  });

  it("refuses a part that sums figures or renames one (the old form)", () => {
    const p = chartEditProblems((c) => (c[0]!["parts"] = [{ label: "政府性基金预算", figures: ["income.gf_own", "income.gf_transfer"] }]));
    expect(p.join("\n")).toMatch(/^charts\.0\.parts\.0: /m);
  });

  it("refuses a part that is not a figure, is shown twice or does not print in the chart's table", () => {
    const p = chartEditProblems((c) => (c[0]!["parts"] = ["income.gpb", "income.gpb_own", "income.gpb_own", "exp.all.basic"]));
    expect(p).toContain("charts.0.parts.0 (chart-income): income.gpb is not a figure of the template (a part is one figure, under its own name)");
    expect(p).toContain("charts.0.parts.2 (chart-income): income.gpb_own is shown twice");
    expect(p).toContain("charts.0.parts.3 (chart-income): figure exp.all.basic does not print in the chart's table t01 (its cell is in t03)");
  });

  it("refuses prior-year bars of figures the narrative does not compare with the prior year", () => {
    const p = chartEditProblems((c) => (c[2]!["prior"] = true));
    expect(p).toContain("charts.2.family (chart-gpb-class): family class is not compared with the prior year (compare: true), so the chart cannot show its prior");
    const q = chartEditProblems((c) => (c[0]!["prior"] = true));
    expect(q).toContain("charts.0.parts.3 (chart-income): figure income.gf_transfer is not compared with the prior year (compare: true), so the chart cannot show its prior");
  });
});
