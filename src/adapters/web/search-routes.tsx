/**
 * The public search: `/search?q=…` (a plain GET form, no JavaScript) and its JSON twin `/api/v1/search?q=…`, over the
 * current published versions (src/app/platform/search-index.ts). Results are grouped by kind — departments, units,
 * projects, function codes, economic codes — each hit with its region, year, amount and a link to its disclosure
 * page. Optional filters: `region` (6 digits: the region and every region under it) and `year` (4 digits).
 */
import { z } from "zod";
import type { SearchGroup, SearchHit, SearchKind } from "../../app/platform/platform-store.ts";
import { MAX_QUERY_CHARS, SEARCH_LIMIT_PER_KIND, searchPublished, type SearchOutcome } from "../../app/platform/search-index.ts";
import { formatCell, formatYuan, WAN_YUAN_2DP } from "../../domain/money.ts";
import { href, langOf, pageResponse, t, type JSX } from "./page-layout.tsx";
import type { RouteDef, WebContext, WebDeps } from "./web-context.ts";

const check = (ok: (s: string) => boolean, zh: string, en: string) => z.string().refine(ok, { message: en, params: { zh, en } });

/** The query string of both routes; an empty `region` or `year` (an empty form field) is no filter. */
export const SEARCH_QUERY = z.object({
  q: check((s) => [...s].length <= MAX_QUERY_CHARS, `检索词最多 ${MAX_QUERY_CHARS} 个字符。`, `The search is at most ${MAX_QUERY_CHARS} characters long.`).optional(),
  region: check((s) => /^(\d{6})?$/.test(s.trim()), "地区编码是 6 位数字（例如 652300）。", "A region code is 6 digits (e.g. 652300).").optional(),
  year: check((s) => /^(\d{4})?$/.test(s.trim()), "年度是 4 位数字（例如 2024）。", "A year is 4 digits (e.g. 2024).").optional(),
  lang: z.enum(["zh", "en"]).optional(),
});

const KIND_NAMES: Readonly<Record<SearchKind, { zh: string; en: string }>> = {
  department: { zh: "部门", en: "Departments" },
  unit: { zh: "单位", en: "Units" },
  project: { zh: "项目", en: "Projects" },
  function: { zh: "功能分类科目", en: "Function codes" },
  economic: { zh: "经济分类科目", en: "Economic codes" },
};

/** What each kind's amount is (the figure it comes from). */
const KIND_BASIS: Readonly<Record<SearchKind, { zh: string; en: string } | null>> = {
  department: { zh: "金额为部门预算支出总计。", en: "The amount is the department's total expenditure." },
  unit: null,
  project: { zh: "金额为项目支出预算；涉密项目只以公开名称列示。", en: "The amount is the project's budget; a classified project is listed under its public label only." },
  function: {
    zh: "金额为一般公共预算支出（表5）；没有一般公共预算的类为全部支出（表3）。检索类或款的编码（如 201、20103）也列出其下各项。",
    en: "The amount is of the general public budget (table 5); a class without one, of all expenditure (table 3). A class or division code (e.g. 201, 20103) also lists the lines under it.",
  },
  economic: { zh: "金额为一般公共预算基本支出（表6）。", en: "The amount is of the general public budget's basic expenditure (table 6)." },
};

interface Params {
  readonly q: string;
  readonly region: string | null;
  readonly year: number | null;
}

function paramsOf(c: WebContext): Params {
  const region = (c.req.query("region") ?? "").trim();
  const year = (c.req.query("year") ?? "").trim();
  return { q: (c.req.query("q") ?? "").trim(), region: region === "" ? null : region, year: year === "" ? null : Number(year) };
}

const pageUrl = (h: SearchHit) => `/r/${h.regionCode}/d/${encodeURIComponent(h.departmentCode)}/${h.year}/`;

async function run(deps: WebDeps, p: Params): Promise<SearchOutcome | null> {
  if (p.q === "") return null;
  return searchPublished(deps.store, { q: p.q, ...(p.region !== null ? { regionCode: p.region } : {}), ...(p.year !== null ? { year: p.year } : {}) });
}

function hitJson(h: SearchHit) {
  return {
    kind: h.kind,
    code: h.code,
    name: h.name,
    figure: h.figure,
    /** 元, two decimals (null: the disclosure gives none) */
    amount: h.amountFen === null ? null : formatYuan(h.amountFen),
    region: { code: h.regionCode, name: h.regionName },
    department: { code: h.departmentCode, name: h.departmentName },
    year: h.year,
    version: h.versionNumber,
    url: pageUrl(h),
  };
}

function groupJson(g: SearchGroup) {
  return { kind: g.kind, name: KIND_NAMES[g.kind], total: g.total, shown: g.hits.length, hits: g.hits.map(hitJson) };
}

function SearchForm(props: { c: WebContext; p: Params }): JSX {
  const { c, p } = props;
  return (
    <form class="card search-form" method="get" action="/search" role="search" aria-label={t(c, "检索部门预算公开", "Search the disclosures")}>
      <label for="search-q">{t(c, "检索词", "Search for")}</label>
      <input type="search" id="search-q" name="q" value={p.q} maxlength={MAX_QUERY_CHARS} aria-describedby="search-hint" />
      <p id="search-hint" class="muted">
        {langOf(c) === "en" ? (
          <>
            A department, unit or project name, or a function or economic code or name, e.g. <span lang="zh-CN">信访</span>, <span lang="zh-CN">三公</span>, 2010301, 30217.
          </>
        ) : (
          "部门、单位、项目名称，或功能分类、经济分类的编码和名称，如：信访、三公、2010301、30217。"
        )}
      </p>
      <div class="search-filters">
        <div>
          <label for="search-region">{t(c, "地区编码（可选）", "Region code (optional)")}</label>
          <input type="text" id="search-region" name="region" value={p.region ?? ""} inputmode="numeric" pattern="\d{6}" maxlength={6} autocomplete="off" />
        </div>
        <div>
          <label for="search-year">{t(c, "年度（可选）", "Year (optional)")}</label>
          <input type="text" id="search-year" name="year" value={p.year === null ? "" : String(p.year)} inputmode="numeric" pattern="\d{4}" maxlength={4} autocomplete="off" />
        </div>
      </div>
      {langOf(c) === "en" ? <input type="hidden" name="lang" value="en" /> : null}
      <button type="submit" class="primary">
        {t(c, "检索", "Search")}
      </button>
    </form>
  );
}

function amountCell(h: SearchHit): string {
  if (h.amountFen === null) return "—";
  // a cell that is exactly zero prints blank in the tables; here it says so
  return h.amountFen === 0n ? "0.00" : formatCell(h.amountFen, WAN_YUAN_2DP);
}

function GroupTable(props: { c: WebContext; g: SearchGroup }): JSX {
  const { c, g } = props;
  const name = KIND_NAMES[g.kind];
  const basis = KIND_BASIS[g.kind];
  const id = `kind-${g.kind}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {t(c, name.zh, name.en)}
        {t(c, `（${g.total}）`, ` (${g.total})`)}
      </h2>
      {g.total > g.hits.length ? (
        <p class="muted">{t(c, `共 ${g.total} 条，显示前 ${g.hits.length} 条；请加上更多字词或筛选条件。`, `${g.total} in all; the first ${g.hits.length} are shown. Add words or a filter to narrow.`)}</p>
      ) : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(c, "名称", "Name")}</th>
              <th scope="col">{t(c, "编码", "Code")}</th>
              {g.kind === "department" ? null : <th scope="col">{t(c, "部门", "Department")}</th>}
              <th scope="col">{t(c, "地区", "Region")}</th>
              <th scope="col">{t(c, "年度", "Year")}</th>
              <th scope="col" class="num">
                {t(c, "金额（万元）", "Amount (10,000 yuan)")}
              </th>
            </tr>
          </thead>
          <tbody>
            {g.hits.map((h) => (
              <tr>
                <td>
                  <a href={href(c, pageUrl(h))}>{h.name}</a>
                </td>
                <td class="nowrap">{h.code === "" ? "—" : h.code}</td>
                {g.kind === "department" ? null : <td>{h.departmentName}</td>}
                <td>
                  {h.regionName} <span class="muted">{h.regionCode}</span>
                </td>
                <td>{h.year}</td>
                <td class="num">{amountCell(h)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {basis ? <p class="muted">{t(c, basis.zh, basis.en)}</p> : null}
    </section>
  );
}

function Results(props: { c: WebContext; r: SearchOutcome }): JSX {
  const { c, r } = props;
  if (r.terms.length === 0)
    return (
      <p class="banner" role="status">
        {t(c, "检索词中没有可检索的文字或数字。", "The search has no letter, digit or Chinese character to look for.")}
      </p>
    );
  if (r.total === 0)
    return (
      <p class="banner" role="status">
        {t(c, `没有找到与“${r.q}”相符的已公开内容。`, `Nothing published matches “${r.q}”.`)}
      </p>
    );
  return (
    <>
      <p role="status">{t(c, `“${r.q}”共找到 ${r.total} 条结果（只检索各部门预算的现行公开版本）。`, `${r.total} results for “${r.q}” (only the current published version of each budget is searched).`)}</p>
      {r.groups
        .filter((g) => g.total > 0)
        .map((g) => (
          <GroupTable c={c} g={g} />
        ))}
    </>
  );
}

export const SEARCH_ROUTES: readonly RouteDef[] = [
  {
    method: "GET",
    path: "/search",
    access: "public",
    kind: "page",
    summary: { zh: "检索已公开的部门预算", en: "Search the published disclosures" },
    query: SEARCH_QUERY,
    handler: async (c, deps) => {
      const p = paramsOf(c);
      const r = await run(deps, p);
      return pageResponse(c, {
        title: p.q === "" ? t(c, "检索", "Search") : t(c, `检索：${p.q}`, `Search: ${p.q}`),
        body: (
          <>
            <h1>{t(c, "检索已公开的部门预算", "Search the published department budgets")}</h1>
            <SearchForm c={c} p={p} />
            {r ? <Results c={c} r={r} /> : null}
          </>
        ),
      });
    },
  },
  {
    method: "GET",
    path: "/api/v1/search",
    access: "public",
    kind: "api",
    summary: { zh: "检索已公开的部门预算（q，可选 region、year）", en: "Search the published disclosures (q; optional region, year)" },
    query: SEARCH_QUERY,
    handler: async (c, deps) => {
      const p = paramsOf(c);
      const r = await run(deps, p);
      return c.json({
        q: p.q,
        region: p.region,
        year: p.year,
        limit: SEARCH_LIMIT_PER_KIND,
        terms: r ? r.terms : [],
        total: r ? r.total : 0,
        groups: r ? r.groups.map(groupJson) : [],
      });
    },
  },
];
