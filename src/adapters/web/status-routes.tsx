/**
 * The publication status of a region's departments for a year (issue 12, point 3): every department of the region,
 * with or without a budget, published on time or late, not yet due or overdue against the 20-day rule from the
 * region-year's 批复日期, and corrected (with the dates of its corrections); counted at the top, filtered by
 * `?state=`, overdue first. A page, its JSON twin and a CSV download (UTF-8 with a BOM for Excel), all from one
 * report so that they cannot disagree. "Now" is `deps.now()`; dates are Asia/Shanghai calendar days.
 */
import { z } from "zod";
import type { BudgetState, DepartmentRow, RegionRow, RegionYearRow } from "../../app/platform/platform-store.ts";
import { STATE_NAMES } from "../../app/platform/workflow-rules.ts";
import { PUBLICATION_DAYS, publicationDeadline, shanghaiDate } from "../../domain/publication-clock.ts";
import {
  compareStatus,
  isCorrected,
  matchesFilter,
  publicationStatus,
  statusCounts,
  STATUS_FILTERS,
  type PublicationStatus,
  type StatusCounts,
  type StatusFilter,
} from "../../domain/publication-status.ts";
import { beijingTime, href, pageResponse, t } from "./page-layout.tsx";
import { csvResponse, REGION_RE, REGION_YEAR_PATH, YEAR_RE } from "./route-params.ts";
import type { RouteDef, WebContext, WebDeps } from "./web-context.ts";
import { ERRORS, errorResponse } from "./web-respond.tsx";


const statusQuery = z.object({ state: z.enum(STATUS_FILTERS).optional(), lang: z.enum(["zh", "en"]).optional() });

/** where the budget is in the workflow: `none` without a budget; `correcting` for a published budget being corrected */
interface Workflow {
  readonly state: BudgetState | "none";
  readonly correcting: boolean;
}

interface StatusRow {
  readonly department: DepartmentRow;
  readonly status: PublicationStatus;
  readonly workflow: Workflow;
}

interface StatusReport {
  readonly region: RegionRow;
  readonly regionYear: RegionYearRow;
  readonly deadline: string | null;
  readonly now: Date;
  readonly filter: StatusFilter | null;
  /** of every department of the region, whatever the filter */
  readonly counts: StatusCounts;
  /** the departments the filter keeps, in status order */
  readonly rows: readonly StatusRow[];
}

async function statusReport(c: WebContext, deps: WebDeps): Promise<StatusReport | null> {
  const code = c.req.param("region") ?? "";
  const y = c.req.param("year") ?? "";
  if (!REGION_RE.test(code) || !YEAR_RE.test(y)) return null;
  const [region, regionYear] = await Promise.all([deps.store.getRegion(code), deps.store.getRegionYear(code, Number(y))]);
  if (!region || !regionYear) return null;
  const [departments, dates] = await Promise.all([deps.store.listDepartments(code), deps.store.listPublicationDates(code, regionYear.year)]);
  const now = deps.now();
  const budgets = new Map(dates.map((d) => [d.departmentId, d]));
  const all: StatusRow[] = departments.map((department) => {
    const b = budgets.get(department.id);
    const versions = (b?.versions ?? []).map((v) => ({ number: v.number, publishedAt: new Date(v.publishedAt) }));
    return {
      department,
      status: publicationStatus(regionYear.approvalDate, versions, now),
      workflow: b ? { state: b.state, correcting: b.publishedCount > 0 && b.state !== "published" } : { state: "none", correcting: false },
    };
  });
  const q = c.req.query("state");
  const filter = STATUS_FILTERS.find((f) => f === q) ?? null;
  const rows = all.filter((r) => matchesFilter(r.status, filter)).sort((a, b) => compareStatus(a.status, b.status) || (a.department.code < b.department.code ? -1 : a.department.code > b.department.code ? 1 : 0));
  return {
    region,
    regionYear,
    deadline: regionYear.approvalDate === null ? null : publicationDeadline(regionYear.approvalDate),
    now,
    filter,
    counts: statusCounts(all.map((r) => r.status)),
    rows,
  };
}

const statusPath = (r: Pick<StatusReport, "region" | "regionYear">) => `/r/${r.region.code}/${r.regionYear.year}/status/`;
const csvPath = (r: Pick<StatusReport, "region" | "regionYear">) => `/r/${r.region.code}/${r.regionYear.year}/status.csv`;
const disclosurePath = (r: StatusReport, x: StatusRow) => (x.status.firstPublishedAt === null ? null : `/r/${r.region.code}/d/${x.department.code}/${r.regionYear.year}/`);
const withFilter = (path: string, filter: StatusFilter | null) => (filter === null ? path : `${path}?state=${filter}`);

const days = (c: WebContext, n: number) => t(c, `${n} 天`, n === 1 ? "1 day" : `${n} days`);

/** The short name of each class, for the counts and the filter. */
function filterName(c: WebContext, f: StatusFilter): string {
  switch (f) {
    case "overdue":
      return t(c, "逾期未公开", "Overdue");
    case "not_yet_due":
      return t(c, "未到期", "Not yet due");
    case "late":
      return t(c, "逾期公开", "Published late");
    case "on_time":
      return t(c, "按时公开", "Published on time");
    case "corrected":
      return t(c, "已更正", "Corrected");
  }
}

/** A department's state in words, with its days. */
export function statusText(c: WebContext, s: PublicationStatus): string {
  switch (s.state) {
    case "on_time":
      return t(c, "按时公开", "Published on time");
    case "late":
      return t(c, `逾期 ${days(c, s.days ?? 0)}公开`, `Published ${days(c, s.days ?? 0)} late`);
    case "overdue":
      return t(c, `逾期未公开（已超期 ${days(c, s.days ?? 0)}）`, `Overdue: not published, ${days(c, s.days ?? 0)} past the deadline`);
    case "not_yet_due":
      if (s.days === null) return t(c, "未到期（尚无批复日期）", "Not yet due (no approval date yet)");
      return s.days === 0 ? t(c, "未到期（今天截止）", "Not yet due (due today)") : t(c, `未到期（还剩 ${days(c, s.days)}）`, `Not yet due (${days(c, s.days)} left)`);
  }
}

function workflowText(c: WebContext, w: Workflow): string {
  if (w.state === "none") return t(c, "未上传预算", "No budget uploaded");
  const n = STATE_NAMES[w.state];
  return w.correcting ? t(c, `更正中（${n.zh}）`, `Being corrected (${n.en.toLowerCase()})`) : t(c, n.zh, n.en);
}

function correctionsText(c: WebContext, s: PublicationStatus): string {
  return s.corrections.map((x) => t(c, `第 ${x.number} 版 ${x.date}`, `version ${x.number} ${x.date}`)).join(t(c, "；", "; "));
}

const STATE_CLASS: Readonly<Record<PublicationStatus["state"], string>> = { on_time: "state-published", late: "state-submitted", not_yet_due: "state-approved", overdue: "state-overdue" };

function statusJson(r: StatusReport) {
  return {
    region: { code: r.region.code, name: r.region.name },
    year: r.regionYear.year,
    approvalDate: r.regionYear.approvalDate,
    publicationDays: PUBLICATION_DAYS,
    deadline: r.deadline,
    asOf: r.now.toISOString(),
    asOfDate: shanghaiDate(r.now),
    filter: r.filter,
    counts: r.counts,
    csv: withFilter(csvPath(r), r.filter),
    departments: r.rows.map((x) => ({
      code: x.department.code,
      name: x.department.name,
      state: x.status.state,
      days: x.status.days,
      firstPublishedAt: x.status.firstPublishedAt?.toISOString() ?? null,
      firstPublishedDate: x.status.firstPublishedDate,
      corrected: isCorrected(x.status),
      corrections: x.status.corrections.map((k) => ({ version: k.number, publishedAt: k.publishedAt.toISOString(), date: k.date })),
      workflow: x.workflow,
      url: disclosurePath(r, x),
    })),
  };
}

function statusCsv(c: WebContext, r: StatusReport): string[][] {
  const header = [
    t(c, "部门编码", "Department code"),
    t(c, "部门名称", "Department"),
    t(c, "状态代码", "State code"),
    t(c, "公开状态", "Status"),
    t(c, "天数", "Days"),
    t(c, "批复日期", "Approval date"),
    t(c, "公开期限", "Deadline"),
    t(c, "首次公开时间（UTC）", "First published (UTC)"),
    t(c, "首次公开日期（北京时间）", "First publication date (Beijing)"),
    t(c, "更正次数", "Corrections"),
    t(c, "更正日期（北京时间）", "Correction dates (Beijing)"),
    t(c, "预算流程状态", "Workflow state"),
  ];
  const rows = r.rows.map((x) => [
    x.department.code,
    x.department.name,
    x.status.state,
    statusText(c, x.status),
    x.status.days === null ? "" : String(x.status.days),
    r.regionYear.approvalDate ?? "",
    r.deadline ?? "",
    x.status.firstPublishedAt?.toISOString() ?? "",
    x.status.firstPublishedDate ?? "",
    String(x.status.corrections.length),
    x.status.corrections.map((k) => k.date).join(" "),
    workflowText(c, x.workflow),
  ]);
  return [header, ...rows];
}

function statusPage(c: WebContext, r: StatusReport): Response {
  const title = t(c, `${r.region.name} ${r.regionYear.year} 年部门预算公开情况`, `${r.region.name}: publication status of the ${r.regionYear.year} department budgets`);
  const here = statusPath(r);
  return pageResponse(c, {
    title,
    body: (
      <>
        <p>
          <a href={href(c, "/")}>{t(c, "地区", "Regions")}</a> › <a href={href(c, `/r/${r.region.code}/`)}>{r.region.name}</a> › {t(c, `${r.regionYear.year} 年公开情况`, `${r.regionYear.year} publication status`)}
        </p>
        <h1>{title}</h1>
        <p>
          {r.regionYear.approvalDate === null
            ? t(c, `尚未录入批复日期：${PUBLICATION_DAYS} 日公开期限尚未起算。`, `No approval date is entered yet: the ${PUBLICATION_DAYS}-day period has not started.`)
            : t(
                c,
                `批复日期 ${r.regionYear.approvalDate}，应于批复后 ${PUBLICATION_DAYS} 日内、即 ${r.deadline} 前（含当日）公开。`,
                `Approved on ${r.regionYear.approvalDate}: each budget must be published within ${PUBLICATION_DAYS} days, by ${r.deadline} (inclusive).`,
              )}{" "}
          {t(c, `统计截至 ${beijingTime(r.now.toISOString())}（北京时间）。`, `As of ${beijingTime(r.now.toISOString())} (Beijing time).`)}
        </p>
        <h2 id="counts">{t(c, "各状态部门数", "Departments by status")}</h2>
        <ul class="plain" aria-labelledby="counts">
          <li>
            <a href={href(c, here)} aria-current={r.filter === null ? "true" : undefined}>
              {t(c, "全部部门", "All departments")}
            </a>{" "}
            <strong data-count="total">{r.counts.total}</strong>
          </li>
          {STATUS_FILTERS.map((f) => (
            <li>
              <a href={href(c, withFilter(here, f))} aria-current={r.filter === f ? "true" : undefined}>
                {filterName(c, f)}
              </a>{" "}
              <strong data-count={f}>{r.counts[f]}</strong>
              {f === "corrected" ? <span class="muted">{t(c, "（已公开后又更正的，计入按时或逾期公开）", " (published, then corrected; also counted as on time or late)")}</span> : null}
            </li>
          ))}
        </ul>
        <h2 id="list">
          {r.filter === null ? t(c, "各部门公开状态", "Every department") : t(c, `${filterName(c, r.filter)}的部门`, `Departments: ${filterName(c, r.filter).toLowerCase()}`)}
          <span class="muted">{t(c, `（${r.rows.length} 个）`, ` (${r.rows.length})`)}</span>
        </h2>
        <p>
          <a href={href(c, withFilter(csvPath(r), r.filter))}>{t(c, "下载 CSV", "Download CSV")}</a> · <a href={href(c, `/api/v1${withFilter(here, r.filter)}`)}>JSON</a>
        </p>
        {r.rows.length === 0 ? (
          <p class="muted">{t(c, "没有这一状态的部门。", "No department in this state.")}</p>
        ) : (
          <div class="table-wrap">
            <table aria-labelledby="list">
              <thead>
                <tr>
                  <th scope="col">{t(c, "部门", "Department")}</th>
                  <th scope="col">{t(c, "公开状态", "Status")}</th>
                  <th scope="col">{t(c, "首次公开（北京时间）", "First published (Beijing time)")}</th>
                  <th scope="col">{t(c, "更正", "Corrections")}</th>
                  <th scope="col">{t(c, "预算流程", "Workflow")}</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((x) => {
                  const url = disclosurePath(r, x);
                  return (
                    <tr data-code={x.department.code} data-state={x.status.state}>
                      <td>
                        {url === null ? x.department.name : <a href={href(c, url)}>{x.department.name}</a>} <span class="muted">{x.department.code}</span>
                      </td>
                      <td>
                        <span class={`state ${STATE_CLASS[x.status.state]}`}>{statusText(c, x.status)}</span>
                      </td>
                      <td class="nowrap">{x.status.firstPublishedAt === null ? "—" : beijingTime(x.status.firstPublishedAt.toISOString())}</td>
                      <td>{isCorrected(x.status) ? <a href={href(c, `${url}changes/`)}>{correctionsText(c, x.status)}</a> : "—"}</td>
                      <td>{workflowText(c, x.workflow)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </>
    ),
  });
}

const SUMMARY = { zh: "地区年度公开情况", en: "Publication status of a region's year" };
const S = REGION_YEAR_PATH;

export const STATUS_ROUTES: readonly RouteDef[] = [
  {
    method: "GET",
    path: `${S}/status/`,
    access: "public",
    kind: "page",
    summary: SUMMARY,
    query: statusQuery,
    handler: async (c, deps) => {
      const r = await statusReport(c, deps);
      return r ? statusPage(c, r) : errorResponse(c, ERRORS.notFound);
    },
  },
  {
    method: "GET",
    path: `/api/v1${S}/status/`,
    access: "public",
    kind: "api",
    summary: SUMMARY,
    query: statusQuery,
    handler: async (c, deps) => {
      const r = await statusReport(c, deps);
      return r ? c.json(statusJson(r), 200, { "cache-control": "no-store" }) : errorResponse(c, ERRORS.notFound);
    },
  },
  {
    method: "GET",
    path: `${S}/status.csv`,
    access: "public",
    kind: "file",
    summary: { zh: "地区年度公开情况（CSV）", en: "Publication status of a region's year (CSV)" },
    query: statusQuery,
    handler: async (c, deps) => {
      const r = await statusReport(c, deps);
      if (!r) return errorResponse(c, ERRORS.notFound);
      const name = `status-${r.region.code}-${r.regionYear.year}${r.filter === null ? "" : `-${r.filter}`}.csv`;
      return csvResponse(statusCsv(c, r), name);
    },
  },
];
