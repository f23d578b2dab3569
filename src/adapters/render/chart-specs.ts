/**
 * The charts of a disclosure page, as data built from the disclosure's figures: income by source, expenditure by
 * kind (basic / project), the general public budget by 类 against the prior year, and the three public expenses
 * against the prior year. Every value is a figure's exact amount (or an exact sum of figures) rounded once to the
 * print unit, so a chart shows exactly what the tables print. `chart-svg.ts` draws a spec; `html-chart.ts` prints it
 * with its data table.
 */
import type { Disclosure } from "../../domain/disclosure-model.ts";
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

interface Part {
  readonly label: string;
  readonly figures: readonly string[];
}

/** Income by source: each part's figures are summed exactly (government funds = own + transfers). */
const INCOME_PARTS: readonly Part[] = [
  { label: "一般公共预算", figures: ["income.gpb_own"] },
  { label: "上级一般公共预算转移支付", figures: ["income.gpb_transfer"] },
  { label: "政府性基金预算", figures: ["income.gf_own", "income.gf_transfer"] },
  { label: "国有资本经营预算", figures: ["income.sc_own", "income.sc_transfer"] },
  { label: "财政专户管理资金", figures: ["income.special_account"] },
  { label: "单位资金", figures: ["income.unit"] },
  { label: "上年结转结余", figures: ["carryover.total"] },
];

const EXPENDITURE_PARTS: readonly Part[] = [
  { label: "基本支出", figures: ["exp.all.basic"] },
  { label: "项目支出", figures: ["exp.all.project"] },
];

const SANGONG_PARTS: readonly Part[] = [
  { label: "因公出国（境）费", figures: ["sangong.overseas"] },
  { label: "公务接待费", figures: ["sangong.reception"] },
  { label: "公务用车购置费", figures: ["sangong.vehicle_purchase"] },
  { label: "公务用车运行费", figures: ["sangong.vehicle_running"] },
];

/** Every chart spec the disclosure has data for, numbered in page order. */
export function chartSpecs(d: Disclosure): ChartSpec[] {
  const unit = d.template.printUnit;
  const value = (fen: bigint): ChartValue => ({ steps: toSteps(fen, unit), text: formatCell(fen, unit) });
  const year = d.department.year;
  /** exact sum of a part's figures in one year; null when no figure of it exists (or, for the prior year, none is given) */
  const sum = (p: Part, which: "current" | "prior"): bigint | null => {
    let total: bigint | null = null;
    for (const id of p.figures) {
      const f = d.figures.get(id);
      const v = f === undefined ? null : which === "current" ? f.current : f.prior;
      if (v !== null) total = (total ?? 0n) + v;
    }
    return total;
  };
  const base = { unitLabel: unit.label, decimals: unit.decimals, note: null };
  const out: Omit<ChartSpec, "number">[] = [];

  const income = INCOME_PARTS.map((p) => ({ p, v: sum(p, "current") })).filter((x) => x.v !== null && x.v !== 0n);
  if (income.length > 0)
    out.push({
      ...base,
      id: "chart-income",
      title: `${year}年收入预算构成`,
      kind: "hbar",
      categoryHeader: "收入来源",
      categories: income.map((x) => x.p.label),
      series: [{ name: `${year}年预算数`, values: income.map((x) => value(x.v!)) }],
      figures: income.flatMap((x) => x.p.figures),
      table: "t01",
    });

  const exp = EXPENDITURE_PARTS.map((p) => ({ p, v: sum(p, "current") })).filter((x) => x.v !== null && x.v !== 0n);
  if (exp.length > 0)
    out.push({
      ...base,
      id: "chart-expenditure",
      title: `${year}年支出预算结构`,
      kind: "pie",
      categoryHeader: "支出类型",
      categories: exp.map((x) => x.p.label),
      series: [{ name: `${year}年预算数`, values: exp.map((x) => value(x.v!)) }],
      figures: exp.flatMap((x) => x.p.figures),
      table: "t03",
    });

  // The general public budget by 类: current and prior (a class's prior is derived from its 项 priors by the engine).
  const names = classNames(d);
  const classes = [...d.figures]
    .filter(([id, f]) => /^class\.\d{3}$/.test(id) && (f.current !== 0n || (f.prior !== null && f.prior !== 0n)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (classes.length > 0) {
    const hasPrior = classes.some(([, f]) => f.prior !== null);
    const series: ChartSeries[] = [{ name: `${year}年`, values: classes.map(([, f]) => value(f.current)) }];
    if (hasPrior) series.push({ name: `${year - 1}年`, values: classes.map(([, f]) => (f.prior === null ? null : value(f.prior))) });
    out.push({
      ...base,
      id: "chart-gpb-class",
      title: hasPrior ? `一般公共预算支出按功能分类（类）与上年对比` : `一般公共预算支出按功能分类（类）`,
      kind: "hbar",
      categoryHeader: "功能分类（类）",
      categories: classes.map(([id, f]) => names.get(id.slice(6)) ?? f.name),
      series,
      figures: classes.map(([id]) => id),
      table: "t05",
      note: hasPrior ? "上年数为各类所含功能分类（项）上年预算数之和。" : null,
    });
  }

  const sgCurrent = SANGONG_PARTS.map((p) => sum(p, "current"));
  const sgPrior = SANGONG_PARTS.map((p) => sum(p, "prior"));
  if ([...sgCurrent, ...sgPrior].some((v) => v !== null && v !== 0n)) {
    const series: ChartSeries[] = [{ name: `${year}年`, values: sgCurrent.map((v) => (v === null ? null : value(v))) }];
    const hasPrior = sgPrior.some((v) => v !== null);
    if (hasPrior) series.push({ name: `${year - 1}年`, values: sgPrior.map((v) => (v === null ? null : value(v))) });
    out.push({
      ...base,
      id: "chart-sangong",
      title: hasPrior ? `财政拨款“三公”经费预算与上年对比` : `财政拨款“三公”经费预算`,
      kind: "bar",
      categoryHeader: "“三公”经费",
      categories: SANGONG_PARTS.map((p) => p.label),
      series,
      figures: SANGONG_PARTS.flatMap((p) => p.figures),
      table: "t10",
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
