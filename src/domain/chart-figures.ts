/**
 * Which figures a chart of a template may show, so that a chart says what the text and the tables say:
 *
 * - a part of a chart is one figure of the template's `figures`, and is labelled with that figure's own name — so a
 *   chart cannot sum figures that the text states apart (政府性基金预算 and 上级政府性基金安排的转移支付资金), nor call
 *   a figure by another name;
 * - every figure a chart shows prints in the chart's table (its `cell` is in `table`), so the chart's data table is a
 *   subset of a printed table, number for number;
 * - a chart with prior-year bars (`prior: true`) shows only figures the narrative compares with the prior year
 *   (`compare: true`), so every prior-year bar is a prior that the text's change words speak of.
 *
 * Checked when a template is read (`parseTemplate`); a template breaking it is refused with these lines.
 */
import type { TemplateData } from "./template-model.ts";

export function chartProblems(t: TemplateData): string[] {
  const problems: string[] = [];
  const tables = new Set(t.tables.map((x) => x.id));
  const seen = new Set<string>();
  t.charts.forEach((c, i) => {
    const at = (field: string) => `charts.${i}${field} (${c.id})`;
    if (seen.has(c.id)) problems.push(`${at("")}: a second chart with this id`);
    seen.add(c.id);
    if (!tables.has(c.table)) problems.push(`${at(".table")}: the template has no table ${c.table}`);
    const shows = (field: string, what: string, cell: { table: string } | undefined, compare: boolean) => {
      if (cell?.table !== c.table) problems.push(`${at(field)}: ${what} does not print in the chart's table ${c.table} (its cell is ${cell ? `in ${cell.table}` : "not given"})`);
      if (c.prior && !compare) problems.push(`${at(field)}: ${what} is not compared with the prior year (compare: true), so the chart cannot show its prior`);
    };
    const parts = new Set<string>();
    (c.parts ?? []).forEach((id, k) => {
      const field = `.parts.${k}`;
      if (parts.has(id)) problems.push(`${at(field)}: ${id} is shown twice`);
      parts.add(id);
      const f = t.figures[id];
      if (!f) problems.push(`${at(field)}: ${id} is not a figure of the template (a part is one figure, under its own name)`);
      else shows(field, `figure ${id}`, f.cell, f.compare);
    });
    if (c.family !== undefined) {
      const fam = t.figure_families[c.family];
      if (!fam) problems.push(`${at(".family")}: ${c.family} is not a figure family of the template`);
      else shows(".family", `family ${c.family}`, fam.cell, fam.compare);
    }
  });
  return problems;
}
