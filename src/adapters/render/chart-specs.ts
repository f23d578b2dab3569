/**
 * The charts of a disclosure page, as data built from the disclosure's figures: income by source, expenditure by
 * kind (basic / project), the general public budget by 类, and the three public expenses against the prior year.
 * Each bar or slice is one figure of the template, under the figure's own name (the name the narrative states it
 * by), its exact amount rounded once to the print unit — so a chart shows exactly what the text and the tables print
 * (the template's charts are checked by `chartProblems`, src/domain/chart-figures.ts). `chart-svg.ts` draws a spec;
 * `html-chart.ts` prints it with its data table.
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
  /** the prior-year series (its values are the figures' priors) */
  readonly prior: boolean;
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
  /** per category: the name of its figure */
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** print unit label (万元) and decimals */
  readonly unitLabel: string;
  readonly decimals: number;
  /** per category: the id of its figure; the page places a chart in the first narrative section that speaks of one */
  readonly figures: readonly string[];
  /** the table of the disclosure whose figures the chart shows */
  readonly table: string;
  readonly note: string | null;
  /** categories drawn in the highlight colour (a comparison's median); none by default */
  readonly highlight?: readonly number[];
  /** the language of the marks' titles (Chinese by default; a comparison page may be in English) */
  readonly lang?: "zh" | "en";
}

/**
 * Every chart of the template (data/templates/<id>.yaml, `charts`) the disclosure has data for, numbered in page
 * order. A chart shows its parts (or its family's members) whose current amount — or, for a chart with the prior
 * year, whose prior — prints as non-zero, as the narrative leaves out what prints as zero; `keep_empty` keeps every
 * part. The prior-year series is shown when the chart asks for it and the budget gives priors.
 */
export function chartSpecs(d: Disclosure, charts: readonly ChartData[]): ChartSpec[] {
  const unit = d.template.printUnit;
  const value = (fen: bigint): ChartValue => ({ steps: toSteps(fen, unit), text: formatCell(fen, unit) });
  const prints = (fen: bigint | null) => fen !== null && toSteps(fen, unit) !== 0n;
  const year = d.department.year;
  const out: Omit<ChartSpec, "number">[] = [];
  for (const c of charts) {
    const ids = c.parts ?? [...d.figures.keys()].filter((id) => id.startsWith(`${c.family}.`)).sort();
    const shown = ids
      .flatMap((id) => {
        const f = d.figures.get(id);
        return f ? [{ id, f, prior: c.prior ? f.prior : null }] : [];
      })
      .filter((x) => c.keep_empty || prints(x.f.current) || prints(x.prior));
    if (!shown.some((x) => prints(x.f.current) || prints(x.prior))) continue;
    const hasPrior = c.prior && shown.some((x) => x.prior !== null);
    const series: ChartSeries[] = [{ name: hasPrior ? `${year}年` : `${year}年预算数`, prior: false, values: shown.map((x) => value(x.f.current)) }];
    if (hasPrior) series.push({ name: `${year - 1}年`, prior: true, values: shown.map((x) => (x.prior === null ? null : value(x.prior))) });
    out.push({
      id: c.id,
      title: (hasPrior ? (c.title_with_prior ?? c.title) : c.title).replace("{year}", String(year)),
      kind: c.kind,
      categoryHeader: c.category_header,
      categories: shown.map((x) => x.f.name),
      series,
      unitLabel: unit.label,
      decimals: unit.decimals,
      figures: shown.map((x) => x.id),
      table: c.table,
      note: hasPrior ? (c.note_with_prior ?? null) : null,
    });
  }
  return out.map((c, i) => ({ ...c, number: `图${i + 1}` }));
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
