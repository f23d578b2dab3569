/**
 * The charts of a disclosure page, as data built from the disclosure's figures: income by source, expenditure by
 * kind (basic / project), the general public budget by 类 against the prior year, and the three public expenses
 * against the prior year. Every value is a figure's exact amount (or an exact sum of figures) rounded once to the
 * print unit, so a chart shows exactly what the tables print. `chart-svg.ts` draws a spec; `html-chart.ts` prints it
 * with its data table.
 */
import type { Disclosure } from "../../domain/disclosure-model.ts";
import type { ChartData } from "../../domain/template-model.ts";
import { sectionFigureRefs, walkSections, type NarrativePart, type NarrativeSection } from "../../domain/narrative-model.ts";
import { formatCell, toSteps } from "../../domain/money.ts";

/** One value of a chart: printed steps of the print unit (e.g. 48245 for 482.45 万元) and the printed text. */
export interface ChartValue {
  readonly steps: bigint;
  /** what the tables print: blank for an exact zero */
  readonly text: string;
}

export interface ChartSeries {
  readonly name: string;
  /** per category; null where the figure is not given (a prior year the budget does not state) */
  readonly values: readonly (ChartValue | null)[];
}

export interface ChartSpec {
  /** element id, e.g. `chart-income` */
  readonly id: string;
  /** 图1 … in page order */
  readonly number: string;
  readonly title: string;
  /** pie: shares of one whole; hbar: horizontal bars (long category names); bar: vertical grouped bars */
  readonly kind: "pie" | "hbar" | "bar";
  /** the heading of the category column of the data table */
  readonly categoryHeader: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** print unit label (万元) and decimals */
  readonly unitLabel: string;
  readonly decimals: number;
  /** the figure ids the chart shows: the page places a chart in the first narrative section that speaks of one */
  readonly figures: readonly string[];
  /** the table of the disclosure whose figures the chart shows */
  readonly table: string;
  readonly note: string | null;
}

/**
 * Every chart of the template (data/templates/<id>.yaml, `charts`) the disclosure has data for, numbered in page
 * order. A part's value is the exact sum of its figures; a family chart shows the family's members with money (or a
 * prior); the prior-year series is shown when the chart asks for it and the budget gives priors.
 */
export function chartSpecs(d: Disclosure, charts: readonly ChartData[]): ChartSpec[] {
  const unit = d.template.printUnit;
  const value = (fen: bigint): ChartValue => ({ steps: toSteps(fen, unit), text: formatCell(fen, unit) });
  const year = d.department.year;
  /** exact sum of figures in one year; null when none of them exists (or, for the prior year, none is given) */
  const sum = (figures: readonly string[], which: "current" | "prior"): bigint | null => {
    let total: bigint | null = null;
    for (const id of figures) {
      const f = d.figures.get(id);
      const v = f === undefined ? null : which === "current" ? f.current : f.prior;
      if (v !== null) total = (total ?? 0n) + v;
    }
    return total;
  };
  const names = classNames(d);
  const out: Omit<ChartSpec, "number">[] = [];
  for (const c of charts) {
    const parts: { label: string; figures: readonly string[] }[] = c.parts
      ? c.parts
      : [...d.figures]
          .filter(([id]) => id.startsWith(`${c.family}.`))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([id, f]) => ({ label: names.get(id.slice(id.indexOf(".") + 1)) ?? f.name, figures: [id] }));
    const shown = parts
      .map((p) => ({ p, cur: sum(p.figures, "current"), prior: c.prior ? sum(p.figures, "prior") : null }))
      .filter((x) => c.keep_empty || (x.cur !== null && x.cur !== 0n) || (x.prior !== null && x.prior !== 0n));
    if (!shown.length || !shown.some((x) => (x.cur ?? 0n) !== 0n || (x.prior ?? 0n) !== 0n)) continue;
    const hasPrior = c.prior && shown.some((x) => x.prior !== null);
    const series: ChartSeries[] = [{ name: hasPrior ? `${year}年` : `${year}年预算数`, values: shown.map((x) => (x.cur === null ? null : value(x.cur))) }];
    if (hasPrior) series.push({ name: `${year - 1}年`, values: shown.map((x) => (x.prior === null ? null : value(x.prior))) });
    out.push({
      id: c.id,
      title: (hasPrior ? (c.title_with_prior ?? c.title) : c.title).replace("{year}", String(year)),
      kind: c.kind,
      categoryHeader: c.category_header,
      categories: shown.map((x) => x.p.label),
      series,
      unitLabel: unit.label,
      decimals: unit.decimals,
      figures: shown.flatMap((x) => x.p.figures),
      table: c.table,
      note: hasPrior ? (c.note_with_prior ?? null) : null,
    });
  }
  return out.map((c, i) => ({ ...c, number: `图${i + 1}` }));
}

/** 类 names as the tables print them (表1 lists every class of the template). */
function classNames(d: Disclosure): Map<string, string> {
  const names = new Map<string, string>();
  for (const t of d.tables) for (const r of t.rows) if (r.type === "class" && r.code !== null && !names.has(r.code)) names.set(r.code, r.name);
  return names;
}

/** Each chart's section: the first section of the explanation that speaks of one of the chart's figures. */
export function placeCharts(specs: readonly ChartSpec[], explanation: NarrativePart | undefined): Map<string, ChartSpec[]> {
  const placed = new Map<string, ChartSpec[]>();
  if (!explanation) return placed;
  const order: NarrativeSection[] = [];
  walkSections(explanation.sections, (s) => order.push(s));
  const refs = new Map(order.map((s) => [s.id, sectionFigureRefs(s)]));
  for (const spec of specs) {
    const home = order.find((s) => spec.figures.some((f) => refs.get(s.id)?.has(f)));
    if (!home) continue;
    placed.set(home.id, [...(placed.get(home.id) ?? []), spec]);
  }
  return placed;
}
