/**
 * The public pages (no sign-in, no JavaScript): regions → departments → years → a version's disclosure page with
 * its files beside it, and the change log of a corrected budget. Each page has its JSON twin at /api/v1 + the same
 * path. Only what was published is served: the stored files of a version, byte for byte, never re-rendered.
 */
import type { StoredChangeLog } from "../../app/platform/platform-service.ts";
import type { DepartmentRow, RegionRow, VersionRow } from "../../app/platform/platform-store.ts";
import type { ChangeLog } from "../../domain/change-log.ts";
import { beijingTime, href, langOf, pageResponse, SearchBox, t } from "./page-layout.tsx";
import { DEPARTMENT_PATH, DEPARTMENT_RE, findDepartment, findRegion, REGION_RE, YEAR_RE } from "./route-params.ts";
import type { RouteDef, WebContext, WebDeps } from "./web-context.ts";
import { ERRORS, errorResponse } from "./web-respond.tsx";

/** A stored file's path within a version: folders and a file of a format `build` writes. */
export const FILE_PARAM = ":file{[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\\.(?:html|pdf|docx|xlsx|csv|json)}";
const NUMBER_RE = /^[1-9]\d{0,3}$/;

const D = DEPARTMENT_PATH;

interface Found {
  readonly region: RegionRow;
  readonly department: DepartmentRow;
  readonly year: number;
  readonly version: VersionRow;
  readonly versions: VersionRow[];
}

/** The published versions of the department's budget of the year, and the one asked for (`v/:n`, else the current). */
async function findVersion(c: WebContext, deps: WebDeps): Promise<Found | null> {
  const [r, d, y, n] = [c.req.param("region") ?? "", c.req.param("department") ?? "", c.req.param("year") ?? "", c.req.param("n")];
  if (!REGION_RE.test(r) || !DEPARTMENT_RE.test(d) || !YEAR_RE.test(y) || (n !== undefined && !NUMBER_RE.test(n))) return null;
  // one query for the region, the department and the versions (every public page of a disclosure asks it)
  const found = await deps.store.findPublishedVersions(r, d, Number(y));
  if (!found) return null;
  const { versions } = found;
  const version = n === undefined ? versions.reduce((a, b) => (b.number > a.number ? b : a)) : versions.find((v) => v.number === Number(n));
  return version ? { region: found.region, department: found.department, year: Number(y), version, versions } : null;
}

const base = (f: Pick<Found, "region" | "department" | "year">) => `/r/${f.region.code}/d/${f.department.code}/${f.year}/`;

function versionJson(f: Found) {
  const latest = Math.max(...f.versions.map((v) => v.number));
  return {
    region: { code: f.region.code, name: f.region.name },
    department: { code: f.department.code, name: f.department.name },
    year: f.year,
    version: { number: f.version.number, id: f.version.id, publishedAt: f.version.publishedAt, reason: f.version.reason, current: f.version.number === latest },
    versions: f.versions.map((v) => ({ number: v.number, id: v.id, publishedAt: v.publishedAt, reason: v.reason, url: `${base(f)}v/${v.number}/` })),
    changes: f.versions.length > 1 ? `${base(f)}changes/` : null,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The stored page, with a banner saying which version it is when there is more than one. */
async function disclosurePage(c: WebContext, deps: WebDeps): Promise<Response> {
  const f = await findVersion(c, deps);
  if (!f) return errorResponse(c, ERRORS.notFound);
  const latest = Math.max(...f.versions.map((v) => v.number));
  const banner = f.versions.length > 1 || f.version.number !== latest;
  // the page as it is for this version, its versions and (with a banner) the language: a browser's copy is reused
  const etag = banner ? `"${f.version.id}-banner${f.versions.length}-${langOf(c)}"` : `"${f.version.id}"`;
  const headers = { "content-type": "text/html; charset=utf-8", etag, "cache-control": "no-cache" };
  if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers: { etag, "cache-control": "no-cache" } });
  const stored = await deps.store.readVersionFile(f.version.id, "index.html");
  if (!stored) return errorResponse(c, ERRORS.notFound);
  // one version only: the stored bytes as they are
  if (!banner) return new Response(stored.bytes as Uint8Array<ArrayBuffer>, { headers: { ...headers, "content-length": String(stored.bytes.byteLength) } });
  const lines: string[] = [];
  const n = f.version.number;
  const when = beijingTime(f.version.publishedAt);
  const reason = escapeHtml(f.version.reason ?? "");
  const corrections = f.versions.length - 1;
  // the stored page is in Chinese; the banner, the site's own text, follows the request's language
  if (n > 1) lines.push(t(c, `本页为第 ${n} 版，于 ${when}（北京时间）更正公开。更正理由：${reason}`, `This is version ${n}, published as a correction on ${when} (Beijing time). Reason: ${reason}`));
  if (n !== latest) lines.push(t(c, `本页为旧版本（第 ${n} 版）；<a href="${href(c, base(f))}">查看现行第 ${latest} 版</a>。`, `This is an old version (version ${n}); <a href="${href(c, base(f))}">see the current version ${latest}</a>.`));
  lines.push(`<a href="${href(c, `${base(f)}changes/`)}">${t(c, `查看更正说明（${corrections} 次更正）`, corrections === 1 ? "See the change log (1 correction)" : `See the change log (${corrections} corrections)`)}</a>`);
  const aside = `<aside role="note" lang="${langOf(c) === "en" ? "en" : "zh-CN"}" aria-label="${t(c, "更正说明", "Corrections")}" style="background:#fff7e0;border:1px solid #d9a400;border-left:6px solid #d9a400;padding:.8rem 1rem;margin:.5rem;font:16px/1.6 sans-serif;color:#1b1b1b">${lines.map((l) => `<p style="margin:.2rem 0">${l}</p>`).join("")}</aside>`;
  const html = new TextDecoder().decode(stored.bytes).replace(/<body[^>]*>/i, (m) => `${m}${aside}`);
  return new Response(html, { headers });
}

async function storedFile(c: WebContext, deps: WebDeps): Promise<Response> {
  const f = await findVersion(c, deps);
  const path = c.req.param("file") ?? "";
  if (!f || path.split("/").some((p) => p === "." || p === "..")) return errorResponse(c, ERRORS.notFound);
  const stored = await deps.store.readVersionFile(f.version.id, path);
  if (!stored) return errorResponse(c, ERRORS.notFound);
  const etag = `"${stored.file.sha256}"`;
  if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers: { etag } });
  const name = path.split("/").pop()!;
  const download = /\.(pdf|docx|xlsx|csv)$/.test(name) ? `attachment; filename="${f.department.code}-${f.year}-v${f.version.number}-${name}"` : "inline";
  return new Response(stored.bytes as Uint8Array<ArrayBuffer>, {
    headers: { "content-type": stored.file.mediaType, "content-length": String(stored.file.size), etag, "cache-control": "public, max-age=300", "content-disposition": download },
  });
}

async function regionsJson(deps: WebDeps) {
  const top = await deps.store.listRegions(null);
  return Promise.all(top.map(async (r) => ({ code: r.code, name: r.name, url: `/r/${r.code}/`, regions: (await deps.store.listRegions(r.code)).map((s) => ({ code: s.code, name: s.name, url: `/r/${s.code}/` })) })));
}

async function regionJson(deps: WebDeps, region: RegionRow) {
  const departments = await deps.store.listDepartments(region.code);
  // a budget being corrected keeps its published versions public
  const published = (await deps.store.listBudgets({ regionCode: region.code })).filter((b) => b.publishedCount > 0);
  const years = new Map<number, number[]>();
  for (const b of published) years.set(b.departmentId, [...(years.get(b.departmentId) ?? []), b.year]);
  return {
    code: region.code,
    name: region.name,
    parent: region.parentCode,
    regions: (await deps.store.listRegions(region.code)).map((s) => ({ code: s.code, name: s.name, url: `/r/${s.code}/` })),
    /** each fiscal year's publication status page, newest first */
    status: (await deps.store.listRegionYears(region.code)).map((y) => ({ year: y.year, url: `/r/${region.code}/${y.year}/status/` })),
    /** each year with published budgets: its departments side by side */
    compare: [...new Set(published.map((b) => b.year))].sort((x, y) => y - x).map((year) => ({ year, url: `/r/${region.code}/${year}/compare/` })),
    departments: departments
      .filter((d) => years.has(d.id))
      .map((d) => ({ code: d.code, name: d.name, url: `/r/${region.code}/d/${d.code}/`, years: years.get(d.id)!.sort((x, y) => x - y) })),
  };
}

async function departmentJson(deps: WebDeps, region: RegionRow, department: DepartmentRow) {
  const budgets = (await deps.store.listBudgets({ departmentId: department.id })).filter((b) => b.publishedCount > 0);
  return {
    region: { code: region.code, name: region.name },
    code: department.code,
    name: department.name,
    years: budgets.map((b) => ({ year: b.year, versions: b.publishedCount, url: `/r/${region.code}/d/${department.code}/${b.year}/` })),
    /** the department's published years side by side (null before its first publication) */
    trend: budgets.length > 0 ? `/r/${region.code}/d/${department.code}/trend/` : null,
  };
}

async function changeLogs(deps: WebDeps, f: Found): Promise<ChangeLog[]> {
  const corrections = f.versions.filter((v) => v.number > 1 && v.hasChangeLog).sort((a, b) => a.number - b.number);
  const stored = await Promise.all(corrections.map((v) => deps.store.readChangeLog(v.id)));
  return stored.map((json) => (json === null ? null : (JSON.parse(json) as StoredChangeLog).log)).filter((l): l is ChangeLog => l !== null);
}

const page = (path: string, zh: string, en: string, handler: RouteDef["handler"]): RouteDef => ({ method: "GET", path, access: "public", kind: "page", summary: { zh, en }, handler });
const api = (path: string, zh: string, en: string, handler: RouteDef["handler"]): RouteDef => ({ method: "GET", path: `/api/v1${path}`, access: "public", kind: "api", summary: { zh, en }, handler });

export const PUBLIC_ROUTES: readonly RouteDef[] = [
  page("/", "首页：地区", "Home: regions", async (c, deps) => {
    const regions = await regionsJson(deps);
    return pageResponse(c, {
      title: t(c, "部门预算公开", "Department budget disclosures"),
      body: (
        <>
          <h1>{t(c, "部门预算公开", "Department budget disclosures")}</h1>
          <p>{t(c, "按财政区划浏览各部门已公开的部门预算。", "Browse the published department budgets by fiscal region.")}</p>
          <SearchBox c={c} id="home-search-q" variant="page" />
          <h2>{t(c, "地区", "Regions")}</h2>
          <ul class="plain">
            {regions.map((r) => (
              <li>
                <a href={href(c, r.url)}>{r.name}</a> <span class="muted">{r.code}</span>
                {r.regions.length > 0 ? (
                  <ul>
                    {r.regions.map((s) => (
                      <li>
                        <a href={href(c, s.url)}>{s.name}</a> <span class="muted">{s.code}</span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ),
    });
  }),
  api("/", "地区列表", "Regions", async (c, deps) => c.json({ regions: await regionsJson(deps) })),
  page("/r/:region/", "地区：各部门", "Region: its departments", async (c, deps) => {
    const region = await findRegion(c, deps);
    if (!region) return errorResponse(c, ERRORS.notFound);
    const r = await regionJson(deps, region);
    return pageResponse(c, {
      title: region.name,
      body: (
        <>
          <p>
            <a href={href(c, "/")}>{t(c, "地区", "Regions")}</a> › {region.name}
          </p>
          <h1>
            {region.name}
            {t(c, "部门预算公开", " — department budgets")}
          </h1>
          {r.status.length > 0 ? (
            <p>
              {t(c, "各部门公开情况（按时、逾期、未公开、更正）：", "Publication status of every department (on time, late, overdue, corrected): ")}
              {r.status.map((y, i) => (
                <>
                  {i > 0 ? " · " : ""}
                  <a href={href(c, y.url)}>{t(c, `${y.year} 年`, String(y.year))}</a>
                </>
              ))}
            </p>
          ) : null}
          {r.regions.length > 0 ? (
            <>
              <h2>{t(c, "下级地区", "Regions under it")}</h2>
              <ul class="plain">
                {r.regions.map((s) => (
                  <li>
                    <a href={href(c, s.url)}>{s.name}</a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h2>{t(c, "已公开的部门", "Departments that have published")}</h2>
          {r.compare.length > 0 ? (
            <p>
              {t(c, "各部门预算对比（图表、中位数、人均）：", "Departments compared (charts, median, per staff member): ")}
              {r.compare.map((y, i) => (
                <>
                  {i > 0 ? " · " : ""}
                  <a href={href(c, y.url)}>{t(c, `${y.year} 年`, String(y.year))}</a>
                </>
              ))}
            </p>
          ) : null}
          {r.departments.length === 0 ? (
            <p class="muted">{t(c, "尚无已公开的部门预算。", "No department budget is published yet.")}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t(c, "部门", "Department")}</th>
                    <th scope="col">{t(c, "编码", "Code")}</th>
                    <th scope="col">{t(c, "年度", "Years")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.departments.map((d) => (
                    <tr>
                      <td>
                        <a href={href(c, d.url)}>{d.name}</a>
                      </td>
                      <td>{d.code}</td>
                      <td>
                        {d.years.map((y, i) => (
                          <>
                            {i > 0 ? " · " : ""}
                            <a href={href(c, `${d.url}${y}/`)}>{y}</a>
                          </>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ),
    });
  }),
  api("/r/:region/", "地区：各部门", "Region: its departments", async (c, deps) => {
    const region = await findRegion(c, deps);
    return region ? c.json(await regionJson(deps, region)) : errorResponse(c, ERRORS.notFound);
  }),
  page(`${D}/`, "部门：各年度", "Department: its years", async (c, deps) => {
    const found = await findDepartment(c, deps);
    if (!found) return errorResponse(c, ERRORS.notFound);
    const d = await departmentJson(deps, found.region, found.department);
    return pageResponse(c, {
      title: found.department.name,
      body: (
        <>
          <p>
            <a href={href(c, "/")}>{t(c, "地区", "Regions")}</a> › <a href={href(c, `/r/${found.region.code}/`)}>{found.region.name}</a> › {found.department.name}
          </p>
          <h1>{found.department.name}</h1>
          <ul class="plain">
            {d.years.map((y) => (
              <li>
                <a href={href(c, y.url)}>{t(c, `${y.year} 年部门预算`, `${y.year} department budget`)}</a>
                {y.versions > 1 ? <span class="muted">{t(c, `（已更正，共 ${y.versions} 版）`, ` (corrected: ${y.versions} versions)`)}</span> : null}
              </li>
            ))}
          </ul>
          {d.trend !== null ? (
            <p>
              <a href={href(c, d.trend)}>{t(c, "历年预算对比（图表与数据表）", "Budgets across years (charts and data tables)")}</a>
            </p>
          ) : null}
        </>
      ),
    });
  }),
  api(`${D}/`, "部门：各年度", "Department: its years", async (c, deps) => {
    const found = await findDepartment(c, deps);
    return found ? c.json(await departmentJson(deps, found.region, found.department)) : errorResponse(c, ERRORS.notFound);
  }),
  page(`${D}/:year/`, "部门预算公开（现行版本）", "The disclosure (current version)", disclosurePage),
  page(`${D}/:year/v/:n/`, "部门预算公开（指定版本）", "The disclosure (a given version)", disclosurePage),
  api(`${D}/:year/`, "版本信息（现行版本）", "Version (current)", async (c, deps) => {
    const f = await findVersion(c, deps);
    if (!f) return errorResponse(c, ERRORS.notFound);
    const files = await deps.store.listVersionFiles(f.version.id);
    return c.json({ ...versionJson(f), files: files.map((x) => ({ ...x, url: `${base(f)}${x.path}` })) });
  }),
  api(`${D}/:year/v/:n/`, "版本信息（指定版本）", "Version (given)", async (c, deps) => {
    const f = await findVersion(c, deps);
    if (!f) return errorResponse(c, ERRORS.notFound);
    const files = await deps.store.listVersionFiles(f.version.id);
    return c.json({ ...versionJson(f), files: files.map((x) => ({ ...x, url: `${base(f)}v/${f.version.number}/${x.path}` })) });
  }),
  page(`${D}/:year/changes/`, "更正说明", "Change log", async (c, deps) => {
    const f = await findVersion(c, deps);
    if (!f) return errorResponse(c, ERRORS.notFound);
    const logs = await changeLogs(deps, f);
    return pageResponse(c, {
      title: t(c, `${f.department.name} ${f.year} 年部门预算更正说明`, `${f.department.name} ${f.year}: change log`),
      body: (
        <>
          <p>
            <a href={href(c, base(f))}>{t(c, "返回现行版本", "Back to the current version")}</a>
          </p>
          <h1>{t(c, `${f.department.name} ${f.year} 年部门预算更正说明`, `${f.department.name} ${f.year}: change log`)}</h1>
          {logs.length === 0 ? <p>{t(c, "本年度预算公开未经更正。", "Never corrected.")}</p> : null}
          {logs.map((l) => {
            const v = f.versions.find((x) => x.number === l.to)!;
            return (
              <section class="card" aria-labelledby={`v${l.to}`}>
                <h2 id={`v${l.to}`}>{t(c, `第 ${l.to} 版（更正第 ${l.from} 版）`, `Version ${l.to} (corrects version ${l.from})`)}</h2>
                <p>
                  {t(c, `公开时间：${beijingTime(v.publishedAt)}（北京时间）`, `Published: ${beijingTime(v.publishedAt)} (Beijing time)`)} · <a href={href(c, `${base(f)}v/${l.to}/`)}>{t(c, "查看此版", "View")}</a> ·{" "}
                  <a href={href(c, `${base(f)}v/${l.from}/`)}>{t(c, "查看被更正的版本", "View the corrected version")}</a>
                </p>
                <p>
                  {t(c, "更正理由：", "Reason: ")}
                  {l.reason}
                </p>
                <h3>{t(c, `表格单元格（${l.cells.length} 处）`, `Table cells (${l.cells.length})`)}</h3>
                {l.cells.length === 0 ? (
                  <p class="muted">{t(c, "无", "None")}</p>
                ) : (
                  <div class="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{t(c, "表", "Table")}</th>
                          <th scope="col">{t(c, "行", "Row")}</th>
                          <th scope="col">{t(c, "列", "Column")}</th>
                          <th scope="col">{t(c, "更正前", "Before")}</th>
                          <th scope="col">{t(c, "更正后", "After")}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {l.cells.map((x) => (
                          <tr>
                            <td>{x.table}</td>
                            <td>{x.row}</td>
                            <td>{x.column}</td>
                            <td class="num">{x.before ?? "—"}</td>
                            <td class="num">{x.after ?? "—"}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                <h3>{t(c, `说明中的数字（${l.figures.length} 个）`, `Figures of the narrative (${l.figures.length})`)}</h3>
                {l.figures.length === 0 ? (
                  <p class="muted">{t(c, "无", "None")}</p>
                ) : (
                  <ul>
                    {l.figures.map((x) => (
                      <li>
                        {x.name}
                        {t(c, "：", ": ")}
                        {x.before ?? "—"} → {x.after ?? "—"}
                      </li>
                    ))}
                  </ul>
                )}
                <h3>{t(c, `语句（${l.sentences.length} 句）`, `Sentences (${l.sentences.length})`)}</h3>
                {l.sentences.length === 0 ? (
                  <p class="muted">{t(c, "无", "None")}</p>
                ) : (
                  <ul>
                    {l.sentences.map((x) => (
                      <li>
                        <span class="muted">{x.section}</span>
                        <br />
                        {t(c, "更正前：", "Before: ")}
                        {x.before ?? "—"}
                        <br />
                        {t(c, "更正后：", "After: ")}
                        {x.after ?? "—"}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </>
      ),
    });
  }),
  api(`${D}/:year/changes/`, "更正说明", "Change log", async (c, deps) => {
    const f = await findVersion(c, deps);
    return f ? c.json({ ...versionJson(f), changes: await changeLogs(deps, f) }) : errorResponse(c, ERRORS.notFound);
  }),
  { method: "GET", path: `${D}/:year/v/:n/${FILE_PARAM}`, access: "public", kind: "file", summary: { zh: "指定版本的文件", en: "A file of a given version" }, handler: storedFile },
  { method: "GET", path: `${D}/:year/${FILE_PARAM}`, access: "public", kind: "file", summary: { zh: "现行版本的文件", en: "A file of the current version" }, handler: storedFile },
];
