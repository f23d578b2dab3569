/**
 * The public comparisons, each chart beside its data table, with a JSON twin and a CSV download:
 *
 * - one department across its published years (`/r/:region/d/:department/trend/`): 收入总计, 支出总计, 基本支出 and
 *   项目支出, “三公”经费 and its parts, 机关运行经费 and each 类 of expenditure, every 类 under the last year's code
 *   (the crosswalk of renamed codes, data/crosswalks/);
 * - a region's departments side by side for one year (`/r/:region/:year/compare/`): the same measures and per staff
 *   member (实有人数 or 编制数), sortable by links (`?sort=<measure>&order=asc|desc`), the region's median marked.
 *
 * Figures come from the stored disclosure.json of each current published version, exact in 分; a page prints each
 * amount once rounded to 0.01 万元, the JSON and the CSV give 元 with two decimals. No JavaScript.
 */
import { raw } from "hono/html";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { CLASS_FAMILY, isSortKey, sortRows, type CompareColumn, type CompareRow, type Comparison, type StaffBasis, type Trend, type TrendRow } from "../../domain/comparison-measures.ts";
import { formatCell, formatYuan, toSteps, WAN_YUAN_2DP, type Fen } from "../../domain/money.ts";
import { readDepartmentTrend, readRegionComparison, type ComparedDepartment, type TrendYear } from "../../app/platform/comparison-read.ts";
import type { DepartmentRow, RegionRow } from "../../app/platform/platform-store.ts";
import type { ChartSpec, ChartValue } from "../render/chart-specs.ts";
import { chartDescription, renderChartSvg } from "../render/chart-svg.ts";
import { CHART_TABLE_WORDS_ZH, chartDataTable, pageChartSize, type ChartTableWords } from "../render/html-chart.ts";
import { href, langOf, pageResponse, t, type JSX } from "./page-layout.tsx";
import { csvResponse, DEPARTMENT_PATH, findDepartment, findRegion, REGION_YEAR_PATH } from "./route-params.ts";
import type { RouteDef, WebContext, WebDeps } from "./web-context.ts";
import { ERRORS, errorResponse, type WebError } from "./web-respond.tsx";

/**
 * The SVG of a chart, kept for the next request that draws the same one: it is a function of the spec alone (the
 * published figures it shows never change), and drawing it is most of a comparison page's time.
 */
const SVGS = new LRUCache<string, string>({ max: 2000 });
function chartSvg(spec: ChartSpec, description: string): string {
  const key = JSON.stringify([spec, description], (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  let svg = SVGS.get(key);
  if (svg === undefined) SVGS.set(key, (svg = renderChartSvg(spec, pageChartSize(spec), description)));
  return svg;
}

/**
 * A comparison page as an anonymous reader gets it, kept for the next such request: it is a function of the URL,
 * the language, the published versions it reads (keyed by their ids, which name their figures for good) and the
 * departments' names, so a correction — a new version id — or a renamed department makes a new page. A signed-in reader's page carries their name and CSRF token and
 * is drawn each time.
 */
const PAGES = new LRUCache<string, string>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (html) => Math.max(1, html.length * 2) });
async function keptPage(c: WebContext, inputs: readonly string[], draw: () => Response): Promise<Response> {
  if (c.get("actor") !== null) return draw();
  const url = new URL(c.req.url);
  const key = `${langOf(c)} ${url.pathname}${url.search} ${inputs.join(",")}`;
  const kept = PAGES.get(key);
  const headers = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };
  if (kept !== undefined) return new Response(kept, { headers });
  const res = draw();
  if (res.status !== 200) return res;
  const html = await res.text();
  PAGES.set(key, html);
  return new Response(html, { headers });
}

const D = DEPARTMENT_PATH;
const Y = REGION_YEAR_PATH;
/** the compare chart shows this many departments at most (the tables show all) */
export const CHART_MAX_DEPARTMENTS = 40;
const DEFAULT_SORT = "exp.all.total";

// ---------------------------------------------------------------------------------------------------------------
// Numbers and charts

const unitLabel = (c: WebContext) => t(c, "万元", "10,000 yuan");
/** a printed cell: 0.01 万元, blank for an exact zero, — when not given */
const wan = (fen: Fen | null) => (fen === null ? "—" : formatCell(fen, WAN_YUAN_2DP));
const yuan = (fen: Fen | null) => (fen === null ? null : formatYuan(fen));
const chartValue = (fen: Fen | null): ChartValue | null => (fen === null ? null : { steps: toSteps(fen, WAN_YUAN_2DP), text: formatCell(fen, WAN_YUAN_2DP) });
const prints = (fen: Fen | null) => fen !== null && toSteps(fen, WAN_YUAN_2DP) !== 0n;

function tableWords(c: WebContext): ChartTableWords {
  return langOf(c) === "en" ? { caption: (n, u) => `${n} data (unit: ${u})`, notGiven: "not stated" } : CHART_TABLE_WORDS_ZH;
}

function describe(c: WebContext, spec: ChartSpec): string {
  if (langOf(c) !== "en") return chartDescription(spec);
  const parts = spec.categories.map((cat, i) => {
    const vals = spec.series.map((s) => {
      const v = s.values[i];
      const text = v === null || v === undefined ? "not stated" : v.text === "" ? "none" : `${v.text} ${spec.unitLabel}`;
      return spec.series.length > 1 ? `${s.name} ${text}` : text;
    });
    return `${cat}: ${vals.join(", ")}`;
  });
  return `${spec.number} ${spec.title} (unit: ${spec.unitLabel}). ${parts.join("; ")}.`;
}

/** A chart beside its data table (the same numbers), as the disclosure page pairs them. */
function ChartFigure(props: { c: WebContext; spec: ChartSpec }): JSX {
  const { c, spec } = props;
  return (
    <figure class="chart" id={spec.id} aria-labelledby={`${spec.id}-cap`}>
      <figcaption id={`${spec.id}-cap`}>
        <span class="f-no">{spec.number}</span> {spec.title}
        <span class="f-unit">
          {t(c, "（单位：", " (unit: ")}
          {spec.unitLabel}
          {t(c, "）", ")")}
        </span>
      </figcaption>
      {spec.note !== null ? <p class="muted chart-note">{spec.note}</p> : null}
      <div class="chart-row">
        <div class="chart-svg">{raw(chartSvg(spec, describe(c, spec)))}</div>
        <div class="table-wrap chart-table">{raw(chartDataTable(spec, tableWords(c)))}</div>
      </div>
    </figure>
  );
}


const measureName = (c: WebContext, m: { zh: string; en: string }) => t(c, m.zh, m.en);

// ---------------------------------------------------------------------------------------------------------------
// One department across years

interface TrendData {
  readonly region: RegionRow;
  readonly department: DepartmentRow;
  readonly years: TrendYear[];
  readonly trend: Trend;
}

async function findTrend(c: WebContext, deps: WebDeps): Promise<TrendData | null> {
  const found = await findDepartment(c, deps);
  if (!found) return null;
  const { years, trend } = await readDepartmentTrend(deps, found.department);
  return years.length === 0 ? null : { ...found, years, trend };
}

const trendPath = (d: Pick<TrendData, "region" | "department">) => `/r/${d.region.code}/d/${d.department.code}/trend`;

function trendJson(d: TrendData) {
  const base = `/r/${d.region.code}/d/${d.department.code}`;
  return {
    region: { code: d.region.code, name: d.region.name },
    department: { code: d.department.code, name: d.department.name },
    unit: "元",
    years: d.years.map((y) => ({ year: y.year, version: { number: y.version.number, id: y.version.id, publishedAt: y.version.publishedAt }, url: `${base}/${y.year}/` })),
    crosswalk: { codesOfYear: d.trend.years.at(-1)!, renamed: d.trend.renamed },
    measures: d.trend.rows.map((r) => ({ id: r.id, name: { zh: r.zh, en: r.en }, group: r.group, values: Object.fromEntries(d.trend.years.map((y, i) => [String(y), yuan(r.values[i] ?? null)])) })),
    csv: `${trendPath(d)}.csv`,
  };
}

/** The trend as CSV, headed in the request's language (measure names stay Chinese where they have no English). */
function trendCsv(c: WebContext, d: TrendData): string[][] {
  const head = [t(c, "指标编码", "Measure code"), t(c, "指标", "Measure"), ...d.trend.years.map((y) => t(c, `${y}年（元）`, `${y} (yuan)`))];
  return [head, ...d.trend.rows.map((r) => [r.id, t(c, r.zh, r.en), ...r.values.map((v) => yuan(v) ?? "")])];
}

/** A chart of some measures (categories) across the years (series). */
function trendSpec(c: WebContext, d: TrendData, id: string, title: string, kind: ChartSpec["kind"], rows: readonly TrendRow[]): Omit<ChartSpec, "number"> | null {
  const shown = rows.filter((r) => r.values.some(prints));
  if (shown.length === 0) return null;
  return {
    id,
    title,
    kind,
    categoryHeader: t(c, "项目", "Item"),
    categories: shown.map((r) => measureName(c, r)),
    series: d.trend.years.map((y, yi) => ({ name: t(c, `${y}年`, String(y)), prior: false, values: shown.map((r) => chartValue(r.values[yi] ?? null)) })),
    unitLabel: unitLabel(c),
    lang: langOf(c),
    decimals: WAN_YUAN_2DP.decimals,
    figures: shown.map((r) => r.id),
    table: "",
    note: null,
  };
}

function trendCharts(c: WebContext, d: TrendData): ChartSpec[] {
  const row = (id: string) => d.trend.rows.find((r) => r.id === id)!;
  const first = d.trend.years[0]!;
  const last = d.trend.years.at(-1)!;
  const span = first === last ? `${first}` : `${first}—${last}`;
  const specs = [
    trendSpec(c, d, "trend-totals", t(c, `${span} 年收入总计与支出总计`, `Total income and expenditure, ${span}`), "hbar", [row("income.total"), row("exp.all.total")]),
    trendSpec(c, d, "trend-kinds", t(c, `${span} 年基本支出与项目支出`, `Basic and project expenditure, ${span}`), "hbar", [row("exp.all.basic"), row("exp.all.project")]),
    trendSpec(c, d, "trend-sangong", t(c, `${span} 年“三公”经费与机关运行经费`, `“Three public expenses” and office running costs, ${span}`), "hbar", d.trend.rows.filter((r) => r.group === "sangong" || r.group === "office")),
    trendSpec(c, d, "trend-classes", t(c, `${span} 年支出按功能分类（类）`, `Expenditure by function class, ${span}`), "hbar", d.trend.rows.filter((r) => r.group === "class")),
  ].filter((s): s is Omit<ChartSpec, "number"> => s !== null);
  return specs.map((s, i) => ({ ...s, number: t(c, `图${i + 1}`, `Figure ${i + 1}`) }));
}

function trendPage(c: WebContext, d: TrendData): Response {
  const charts = trendCharts(c, d);
  const title = t(c, `${d.department.name}历年部门预算对比`, `${d.department.name}: budgets across years`);
  const last = d.trend.years.at(-1)!;
  const groups: { group: TrendRow["group"][]; zh: string; en: string }[] = [
    { group: ["total"], zh: "收支总计", en: "Totals" },
    { group: ["sangong", "office"], zh: "“三公”经费与机关运行经费", en: "“Three public expenses” and office running costs" },
    { group: ["class"], zh: "支出按功能分类（类）", en: "Expenditure by function class" },
  ];
  return pageResponse(c, {
    title,
    body: (
      <>
        <p>
          <a href={href(c, "/")}>{t(c, "地区", "Regions")}</a> › <a href={href(c, `/r/${d.region.code}/`)}>{d.region.name}</a> ›{" "}
          <a href={href(c, `/r/${d.region.code}/d/${d.department.code}/`)}>{d.department.name}</a> › {t(c, "历年对比", "Across years")}
        </p>
        <h1>{title}</h1>
        <p>
          {t(
            c,
            "数据取自各年度现行公开版本的部门预算公开文件；金额单位为万元，每个数为精确合计四舍五入到 0.01 万元（为零不列示）。",
            "From the current published version of each year's disclosure; amounts in units of 10,000 yuan, each the exact total rounded once to 0.01 (blank when zero).",
          )}{" "}
          {t(c, `各年度“类”编码按科目新旧对照表统一为 ${last} 年编码。`, `Every year's function classes are shown under the codes of ${last} (the crosswalk of renamed codes).`)}
        </p>
        {d.trend.renamed.length > 0 ? (
          <ul>
            {d.trend.renamed.map((r) => (
              <li>{t(c, `${r.year} 年科目 ${r.from} 按对照表列为 ${r.to}`, `${r.year}: class ${r.from} shown as ${r.to}`)}</li>
            ))}
          </ul>
        ) : null}
        <p>
          {t(c, "下载：", "Download: ")}
          <a href={href(c, `${trendPath(d)}.csv`)}>CSV</a> · <a href={href(c, `/api/v1${trendPath(d)}/`)}>JSON</a>
        </p>
        <h2>{t(c, "各年度版本", "Versions compared")}</h2>
        <ul class="plain">
          {d.years.map((y) => (
            <li>
              <a href={href(c, `/r/${d.region.code}/d/${d.department.code}/${y.year}/`)}>{t(c, `${y.year} 年部门预算`, `${y.year} budget`)}</a>{" "}
              <span class="muted">{t(c, `（第 ${y.version.number} 版）`, `(version ${y.version.number})`)}</span>
            </li>
          ))}
        </ul>
        <h2>{t(c, "图表", "Charts")}</h2>
        {charts.map((spec) => (
          <ChartFigure c={c} spec={spec} />
        ))}
        <h2 id="all-measures">{t(c, "全部指标", "All measures")}</h2>
        <div class="table-wrap">
          <table aria-labelledby="all-measures" class="trend-table">
            <thead>
              <tr>
                <th scope="col">{t(c, "指标（万元）", "Measure (10,000 yuan)")}</th>
                {d.trend.years.map((y) => (
                  <th scope="col" class="num">
                    {t(c, `${y}年`, String(y))}
                  </th>
                ))}
              </tr>
            </thead>
            {groups.map((g) => {
              const rows = d.trend.rows.filter((r) => g.group.includes(r.group));
              return rows.length === 0 ? null : (
                <tbody>
                  <tr class="group">
                    <th scope="rowgroup" colspan={d.trend.years.length + 1}>
                      {t(c, g.zh, g.en)}
                    </th>
                  </tr>
                  {rows.map((r) => (
                    <tr data-measure={r.id}>
                      <th scope="row">{measureName(c, r)}</th>
                      {r.values.map((v) => (
                        <td class="num">{wan(v)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              );
            })}
          </table>
        </div>
      </>
    ),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A region's departments in one year

const compareQuery = z.object({
  sort: z
    .string()
    .max(80)
    .regex(/^[a-z_]+(\.[a-z0-9_]+)*$/)
    .optional(),
  order: z.enum(["asc", "desc"]).optional(),
  staff: z.enum(["actual", "authorised"]).optional(),
  lang: z.string().max(8).optional(),
});

interface CompareData {
  readonly region: RegionRow;
  readonly year: number;
  readonly departments: ReadonlyMap<string, ComparedDepartment>;
  readonly comparison: Comparison;
  readonly sort: string;
  readonly order: "asc" | "desc";
  readonly rows: readonly CompareRow[];
}

const unknownSort: WebError = { status: 400, code: "invalid_request", message: { zh: "没有这个排序指标。", en: "No such measure to sort by." } };

type Found<T> = { ok: true; value: T } | { ok: false; error: WebError };

async function findComparison(c: WebContext, deps: WebDeps): Promise<Found<CompareData>> {
  const region = await findRegion(c, deps);
  const year = Number(c.req.param("year"));
  if (!region || !Number.isInteger(year)) return { ok: false, error: ERRORS.notFound };
  const basis: StaffBasis = c.req.query("staff") === "authorised" ? "authorised" : "actual";
  const { departments, comparison } = await readRegionComparison(deps, region.code, year, basis);
  if (departments.length === 0) return { ok: false, error: ERRORS.notFound };
  const sort = c.req.query("sort") ?? DEFAULT_SORT;
  if (!isSortKey(comparison, sort)) return { ok: false, error: unknownSort };
  const order = c.req.query("order") === "asc" ? "asc" : c.req.query("order") === "desc" ? "desc" : sort === "name" || sort === "code" ? "asc" : "desc";
  return { ok: true, value: { region, year, departments: new Map(departments.map((x) => [x.department.code, x])), comparison, sort, order, rows: sortRows(comparison.rows, sort, order) } };
}

const comparePath = (d: Pick<CompareData, "region" | "year">) => `/r/${d.region.code}/${d.year}/compare`;
const basisName = (c: WebContext, b: StaffBasis) => (b === "actual" ? t(c, "实有人数", "actual staff") : t(c, "编制数", "authorised posts"));
const classCode = (col: CompareColumn) => col.id.slice(CLASS_FAMILY.length + 1);
const columnName = (c: WebContext, col: CompareColumn) => (col.group === "class" ? t(c, `${col.zh}（${classCode(col)}）`, `${col.zh} (${classCode(col)})`) : measureName(c, col));

/** The query of the page's own state (sort, order, basis) for a link or a download. */
function stateQuery(d: Pick<CompareData, "sort" | "order" | "comparison">, over: { sort?: string; order?: string; staff?: StaffBasis } = {}): string {
  const q = new URLSearchParams();
  q.set("sort", over.sort ?? d.sort);
  q.set("order", over.order ?? d.order);
  const staff = over.staff ?? d.comparison.basis;
  if (staff !== "actual") q.set("staff", staff);
  return `?${q.toString()}`;
}

function compareJson(d: CompareData) {
  const { comparison: cmp } = d;
  const values = (get: (id: string) => Fen | null) => Object.fromEntries(cmp.columns.map((col) => [col.id, yuan(get(col.id))]));
  return {
    region: { code: d.region.code, name: d.region.name },
    year: d.year,
    unit: "元",
    staffBasis: cmp.basis,
    sort: { key: d.sort, order: d.order },
    columns: cmp.columns.map((col) => ({ id: col.id, name: { zh: col.zh, en: col.en }, group: col.group })),
    departments: d.rows.map((r) => {
      const x = d.departments.get(r.code)!;
      return {
        code: r.code,
        name: r.name,
        url: `/r/${d.region.code}/d/${r.code}/${d.year}/`,
        version: { number: x.version.number, id: x.version.id, publishedAt: x.version.publishedAt },
        staff: r.staff,
        values: values((id) => r.values.get(id) ?? null),
      };
    }),
    median: {
      rule: "偶数个部门时取中间两个数的平均数，四舍五入（远离零）到分 / for an even count, the mean of the two middle values rounded half away from zero to the fen",
      values: values((id) => cmp.median.get(id) ?? null),
      counts: Object.fromEntries(cmp.columns.map((col) => [col.id, cmp.medianCount.get(col.id) ?? 0])),
    },
    csv: `${comparePath(d)}.csv${stateQuery(d)}`,
  };
}

/** The comparison as CSV, headed in the request's language; amounts in 元. */
function compareCsv(c: WebContext, d: CompareData): string[][] {
  const { comparison: cmp } = d;
  const basis = basisName(c, cmp.basis);
  const head = [
    t(c, "部门编码", "Department code"),
    t(c, "部门名称", "Department"),
    t(c, "版本", "Version"),
    basis,
    ...cmp.columns.map((col) => (col.group === "per_staff" ? t(c, `${col.zh}（元/人，按${basis}）`, `${measureName(c, col)} (yuan per head, by ${basis})`) : `${columnName(c, col)}${t(c, "（元）", " (yuan)")}`)),
  ];
  const rows = d.rows.map((r) => [r.code, r.name, String(d.departments.get(r.code)!.version.number), r.staff === null ? "" : String(r.staff), ...cmp.columns.map((col) => yuan(r.values.get(col.id) ?? null) ?? "")]);
  return [head, ...rows, ["", t(c, "中位数", "Median"), "", "", ...cmp.columns.map((col) => yuan(cmp.median.get(col.id) ?? null) ?? "")]];
}

/** The chart of one measure across the departments (in the page's order, the median marked where it falls). */
function compareChart(c: WebContext, d: CompareData): ChartSpec {
  const { comparison: cmp } = d;
  const col = cmp.columns.find((x) => x.id === d.sort) ?? cmp.columns.find((x) => x.id === DEFAULT_SORT)!;
  const sortedByIt = col.id === d.sort;
  const withValue = d.rows.filter((r) => r.values.get(col.id) !== null && r.values.get(col.id) !== undefined);
  const shown = withValue.slice(0, CHART_MAX_DEPARTMENTS);
  const median = cmp.median.get(col.id) ?? null;
  const items: { name: string; fen: Fen; id: string }[] = shown.map((r) => ({ name: r.name, fen: r.values.get(col.id)!, id: `department:${r.code}` }));
  let at = items.length;
  if (median !== null && sortedByIt) {
    const i = items.findIndex((x) => (d.order === "desc" ? x.fen < median : x.fen > median));
    at = i === -1 ? items.length : i;
  }
  const medianName = t(c, "中位数（全区）", "Median (region)");
  if (median !== null) items.splice(at, 0, { name: medianName, fen: median, id: "median" });
  const notes: string[] = [];
  if (withValue.length > shown.length)
    notes.push(t(c, `图中列出排序在前的 ${shown.length} 个部门（共 ${withValue.length} 个），全部部门见下表。`, `The chart shows the first ${shown.length} of ${withValue.length} departments in this order; the tables list all.`));
  if (withValue.length < d.rows.length)
    notes.push(t(c, `${d.rows.length - withValue.length} 个部门无此项数据（如未填报人数），不在图中。`, `${d.rows.length - withValue.length} department(s) without this value (e.g. no staff stated) are not in the chart.`));
  notes.push(t(c, "中位数以橙色标出。", "The median is drawn in orange."));
  return {
    id: "compare-chart",
    number: t(c, "图1", "Figure 1"),
    title: t(c, `${d.year} 年各部门${col.group === "class" ? `${col.zh}支出` : col.zh}`, `${columnName(c, col)} by department, ${d.year}`),
    kind: "hbar",
    categoryHeader: t(c, "部门", "Department"),
    categories: items.map((x) => x.name),
    series: [{ name: t(c, `${d.year}年`, String(d.year)), prior: false, values: items.map((x) => chartValue(x.fen)) }],
    unitLabel: unitLabel(c),
    lang: langOf(c),
    decimals: WAN_YUAN_2DP.decimals,
    figures: items.map((x) => x.id),
    table: "",
    note: notes.join(" "),
    highlight: median === null ? [] : [at],
  };
}

function SortHeader(props: { c: WebContext; d: CompareData; id: string; label: string; num?: boolean }): JSX {
  const { c, d, id, label } = props;
  const active = d.sort === id;
  const next = active ? (d.order === "asc" ? "desc" : "asc") : id === "name" || id === "code" ? "asc" : "desc";
  return (
    <th scope="col" class={props.num ? "num" : undefined} aria-sort={active ? (d.order === "asc" ? "ascending" : "descending") : undefined}>
      <a class="sort" href={href(c, `${comparePath(d)}/${stateQuery(d, { sort: id, order: next })}`)}>
        {label}
        {active ? <span aria-hidden="true">{d.order === "asc" ? " ▲" : " ▼"}</span> : null}
      </a>
    </th>
  );
}

function CompareTable(props: { c: WebContext; d: CompareData; id: string; caption: string; columns: readonly CompareColumn[]; staff?: boolean }): JSX {
  const { c, d, columns } = props;
  const cmp = d.comparison;
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.caption}</h2>
      <div class="table-wrap">
        <table class="compare-table" aria-labelledby={props.id}>
          <thead>
            <tr>
              <SortHeader c={c} d={d} id="name" label={t(c, "部门", "Department")} />
              {props.staff ? <SortHeader c={c} d={d} id="staff" label={t(c, `人数（${basisName(c, cmp.basis)}）`, `Staff (${basisName(c, cmp.basis)})`)} num /> : null}
              {columns.map((col) => (
                <SortHeader c={c} d={d} id={col.id} label={columnName(c, col)} num />
              ))}
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr data-department={r.code}>
                <th scope="row">
                  <a href={href(c, `/r/${d.region.code}/d/${r.code}/${d.year}/`)}>{r.name}</a>
                </th>
                {props.staff ? <td class="num">{r.staff === null ? "—" : String(r.staff)}</td> : null}
                {columns.map((col) => (
                  <td class="num" data-measure={col.id}>
                    {wan(r.values.get(col.id) ?? null)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="median" data-median="true">
              <th scope="row">{t(c, "中位数（全区）", "Median (region)")}</th>
              {props.staff ? <td class="num">—</td> : null}
              {columns.map((col) => (
                <td class="num" data-measure={col.id}>
                  {wan(cmp.median.get(col.id) ?? null)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

function comparePage(c: WebContext, d: CompareData): Response {
  const cmp = d.comparison;
  const title = t(c, `${d.region.name} ${d.year} 年各部门预算对比`, `${d.region.name}: departments compared, ${d.year}`);
  const of = (g: CompareColumn["group"]) => cmp.columns.filter((x) => x.group === g);
  const other: StaffBasis = cmp.basis === "actual" ? "authorised" : "actual";
  const sortedBy = d.sort === "name" ? t(c, "部门名称", "department name") : d.sort === "code" ? t(c, "部门编码", "department code") : d.sort === "staff" ? t(c, "人数", "staff") : columnName(c, cmp.columns.find((x) => x.id === d.sort)!);
  return pageResponse(c, {
    title,
    body: (
      <>
        <p>
          <a href={href(c, "/")}>{t(c, "地区", "Regions")}</a> › <a href={href(c, `/r/${d.region.code}/`)}>{d.region.name}</a> › {t(c, `${d.year} 年各部门对比`, `Departments compared, ${d.year}`)}
        </p>
        <h1>{title}</h1>
        <p>
          {t(
            c,
            `共 ${cmp.rows.length} 个部门公开了 ${d.year} 年部门预算，数据取自各部门的现行公开版本。金额单位为万元，每个数为精确合计四舍五入到 0.01 万元（为零不列示，— 表示无此数据）。`,
            `${cmp.rows.length} departments published a ${d.year} budget; figures from each one's current published version. Amounts in units of 10,000 yuan, each the exact total rounded once to 0.01 (blank when zero; — when not stated).`,
          )}
        </p>
        <ul class="notes">
          <li>
            {t(
              c,
              "中位数按有该项数据的部门计算；部门数为偶数时，取中间两个数的平均数，按四舍五入（远离零）精确到分。",
              "Each median is taken over the departments that have the value; for an even count it is the mean of the two middle values, rounded half away from zero to the fen (0.01 yuan).",
            )}
          </li>
          <li>
            {t(c, `人均数 = 金额 ÷ ${basisName(c, cmp.basis)}（取自各部门公开的人员情况），精确到分；未填报人数或人数为零的部门显示“—”，不计入人均中位数。`, `Per staff member = amount ÷ ${basisName(c, cmp.basis)} (from each department's staffing), to the fen; a department without staff shows “—” and is left out of the per-staff median.`)}{" "}
            <a href={href(c, `${comparePath(d)}/${stateQuery(d, { staff: other })}`)}>{t(c, `改按${basisName(c, other)}计算`, `Use ${basisName(c, other)} instead`)}</a>
          </li>
          <li>
            {t(c, `当前按“${sortedBy}”${d.order === "asc" ? "升序" : "降序"}排列；点击列标题可改变排序。`, `Sorted by ${sortedBy}, ${d.order === "asc" ? "ascending" : "descending"}; a column heading sorts by it.`)}
          </li>
        </ul>
        <p>
          {t(c, "下载：", "Download: ")}
          <a href={href(c, `${comparePath(d)}.csv${stateQuery(d)}`)}>CSV</a> · <a href={href(c, `/api/v1${comparePath(d)}/${stateQuery(d)}`)}>JSON</a>
        </p>
        <ChartFigure c={c} spec={compareChart(c, d)} />
        <CompareTable c={c} d={d} id="t-totals" caption={t(c, "收支总计与机关运行经费", "Totals and office running costs")} columns={[...of("total"), ...of("office")]} />
        <CompareTable c={c} d={d} id="t-sangong" caption={t(c, "“三公”经费", "“Three public expenses”")} columns={of("sangong")} />
        <CompareTable c={c} d={d} id="t-staff" caption={t(c, `人均（按${basisName(c, cmp.basis)}）`, `Per staff member (${basisName(c, cmp.basis)})`)} columns={of("per_staff")} staff />
        {of("class").length > 0 ? <CompareTable c={c} d={d} id="t-classes" caption={t(c, "支出按功能分类（类）", "Expenditure by function class")} columns={of("class")} /> : null}
      </>
    ),
  });
}

// ---------------------------------------------------------------------------------------------------------------

const trendAnswer = async (c: WebContext, deps: WebDeps, ok: (d: TrendData) => Response | Promise<Response>): Promise<Response> => {
  const d = await findTrend(c, deps);
  return d ? ok(d) : errorResponse(c, ERRORS.notFound);
};

const compareAnswer = async (c: WebContext, deps: WebDeps, ok: (d: CompareData) => Response | Promise<Response>): Promise<Response> => {
  const r = await findComparison(c, deps);
  return r.ok ? ok(r.value) : errorResponse(c, r.error);
};

const summary = (zh: string, en: string) => ({ zh, en });

export const COMPARE_ROUTES: readonly RouteDef[] = [
  {
    method: "GET",
    path: `${D}/trend/`,
    access: "public",
    kind: "page",
    summary: summary("部门历年预算对比", "A department's budgets across years"),
    handler: (c, deps) => trendAnswer(c, deps, (d) => keptPage(c, [d.department.name, ...d.years.map((y) => y.version.id)], () => trendPage(c, d))),
  },
  {
    method: "GET",
    path: `/api/v1${D}/trend/`,
    access: "public",
    kind: "api",
    summary: summary("部门历年预算对比", "A department's budgets across years"),
    handler: (c, deps) => trendAnswer(c, deps, (d) => c.json(trendJson(d))),
  },
  {
    method: "GET",
    path: `${D}/trend.csv`,
    access: "public",
    kind: "file",
    summary: summary("部门历年预算对比（CSV）", "A department's budgets across years (CSV)"),
    handler: (c, deps) => trendAnswer(c, deps, (d) => csvResponse(trendCsv(c, d), `${d.region.code}-${d.department.code}-trend.csv`)),
  },
  {
    method: "GET",
    path: `${Y}/compare/`,
    access: "public",
    kind: "page",
    summary: summary("地区各部门年度预算对比", "A region's departments compared for a year"),
    query: compareQuery,
    handler: (c, deps) => compareAnswer(c, deps, (d) => keptPage(c, [...d.departments.values()].map((x) => `${x.version.id}:${x.department.name}`), () => comparePage(c, d))),
  },
  {
    method: "GET",
    path: `/api/v1${Y}/compare/`,
    access: "public",
    kind: "api",
    summary: summary("地区各部门年度预算对比", "A region's departments compared for a year"),
    query: compareQuery,
    handler: (c, deps) => compareAnswer(c, deps, (d) => c.json(compareJson(d))),
  },
  {
    method: "GET",
    path: `${Y}/compare.csv`,
    access: "public",
    kind: "file",
    summary: summary("地区各部门年度预算对比（CSV）", "A region's departments compared for a year (CSV)"),
    query: compareQuery,
    handler: (c, deps) => compareAnswer(c, deps, (d) => csvResponse(compareCsv(c, d), `${d.region.code}-${d.year}-compare.csv`)),
  },
];

/** Links for other pages: a department's trend, a region's comparison of a year. */
export const trendUrl = (regionCode: string, departmentCode: string) => `/r/${regionCode}/d/${departmentCode}/trend/`;
export const compareUrl = (regionCode: string, year: number) => `/r/${regionCode}/${year}/compare/`;
