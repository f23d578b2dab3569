/**
 * Test helpers for the disclosure page: build an example through the real use case (disclosure, narrative,
 * findings), render its page, and read tables, charts and bound figures back out of the HTML.
 */
import { parse, type HTMLElement } from "node-html-parser";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { renderDisclosurePage } from "../src/adapters/render/html-page.ts";
import { buildDisclosure, type BuildResult } from "../src/app/build-disclosure.ts";
import type { Finding } from "../src/domain/rule-engine.ts";
import { ROOT } from "./cli-harness.ts";

export interface BuiltPage {
  readonly html: string;
  readonly root: HTMLElement;
  readonly result: BuildResult;
}

export async function buildExample(example: string, unit?: string): Promise<BuildResult> {
  const r = await readBudgetFile(`${ROOT}/examples/${example}/budget.yaml`);
  if (!r.ok) throw new Error(`examples/${example} does not read: ${JSON.stringify(r.problems.slice(0, 3))}`);
  const b = buildDisclosure(projectData, r.budget, unit === undefined ? {} : { unit });
  if (!b.ok) throw new Error(`examples/${example} does not build: ${b.refusal.code}`);
  return b.result;
}

export function renderPage(result: BuildResult, findings: readonly Finding[] = result.findings): BuiltPage {
  if (!result.narrative) throw new Error("the template has no narrative");
  const html = renderDisclosurePage({ disclosure: result.disclosure, narrative: result.narrative, findings, template: result.template });
  return { html, root: parse(html), result };
}

export async function examplePage(example: string, unit?: string): Promise<BuiltPage> {
  return renderPage(await buildExample(example, unit));
}

/** Text with whitespace runs collapsed (the page has no significant whitespace inside cells). */
export const clean = (s: string) => s.replace(/\s+/g, " ").trim();

/** The visible text of an element: its text content without <style>, SVG titles and descriptions. */
export function visibleText(el: HTMLElement): string {
  const copy = parse(el.toString());
  for (const x of copy.querySelectorAll("style, title, desc")) x.remove();
  return copy.textContent;
}

/** Cell texts of a table's body rows (th and td in order). */
export function bodyRows(table: HTMLElement): string[][] {
  return table.querySelectorAll("tbody tr").map((tr) => tr.querySelectorAll("th, td").map((c) => clean(c.textContent)));
}

/** Per chart: its values as the SVG's mark titles state them, keyed "category（series）" or "category". */
export function svgMarkValues(svg: HTMLElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of svg.querySelectorAll("path > title")) {
    const m = /^(.*)：(-?\d+(?:\.\d+)?) (\S+)$/.exec(clean(t.textContent));
    if (!m) throw new Error(`unreadable mark title: ${t.textContent}`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** The numeric data labels drawn in an SVG (text elements that are exactly a printed amount). */
export function svgLabelNumbers(svg: HTMLElement): string[] {
  return svg
    .querySelectorAll("text")
    .map((t) => clean(t.textContent))
    .filter((s) => /^-?\d+\.\d{2}$/.test(s));
}

/** A chart's data table as the same keys as `svgMarkValues` (blank and — cells left out). */
export function chartTableValues(table: HTMLElement): Map<string, string> {
  const series = table.querySelectorAll("thead th").slice(1).map((th) => clean(th.textContent));
  const out = new Map<string, string>();
  for (const tr of table.querySelectorAll("tbody tr")) {
    const category = clean(tr.querySelector("th")!.textContent);
    tr.querySelectorAll("td").forEach((td, i) => {
      const v = clean(td.textContent);
      if (!/^-?\d+(\.\d+)?$/.test(v)) return;
      out.set(series.length > 1 ? `${category}（${series[i]}）` : category, v);
    });
  }
  return out;
}
