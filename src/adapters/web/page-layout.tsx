/**
 * The one layout of every HTML page of the web application: a skip link, a header with the site name, the region
 * navigation, the sign-in state (the user's name and role, a sign-out form carrying the CSRF token) and the 中文 /
 * English switch, the page's main content and one small style sheet that reads at 390 px and at desktop widths.
 * No JavaScript: every action is a link or a form.
 */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Role } from "../../app/platform/platform-store.ts";
import type { Lang, WebContext } from "./web-context.ts";

export type JSX = Child;

/** Chinese by default, English by `?lang=en`: pick the text of the request's language. */
export function t(c: WebContext, zh: string, en: string): string {
  return langOf(c) === "en" ? en : zh;
}

export function langOf(c: WebContext): Lang {
  const lang = c.get("lang");
  return lang === "en" ? "en" : "zh";
}

const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  preparer: { zh: "编制人", en: "Preparer" },
  dept_approver: { zh: "部门审核人", en: "Department approver" },
  finance_reviewer: { zh: "财政审核人", en: "Finance reviewer" },
  admin: { zh: "管理员", en: "Administrator" },
};

export function roleName(c: WebContext, role: Role): string {
  const n = ROLE_NAMES[role];
  return t(c, n.zh, n.en);
}

/** The same path and query with `lang` set to the other language (the switch keeps the page the user is on). */
function langSwitchHref(c: WebContext, to: Lang): string {
  const url = new URL(c.req.url);
  url.searchParams.set("lang", to);
  return url.pathname + url.search;
}

/** An instant as Beijing time (UTC+8, no daylight saving), `2024-02-01 10:30`. */
export function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/** A link within the site that keeps `?lang=en` when the page is in English. */
export function href(c: WebContext, path: string): string {
  if (langOf(c) !== "en") return path;
  return path + (path.includes("?") ? "&" : "?") + "lang=en";
}

/** A hidden CSRF field for a form posted by the signed-in user (empty for anonymous). */
export function CsrfField(props: { c: WebContext }): JSX {
  const token = props.c.get("actor")?.csrfToken ?? null;
  return token === null ? null : <input type="hidden" name="_csrf" value={token} />;
}

export const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;line-height:1.6;color:#1b1b1b;background:#f6f6f4}
a{color:#0b4f9c}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid #d97706;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
.site-header{background:#8b1a1a;color:#fff}
.site-header a{color:#fff}
.bar{max-width:72rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
.site-name{font-weight:700;font-size:1.15rem;text-decoration:none;margin-right:auto}
.site-header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.who{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center;font-size:.92rem}
.who form{margin:0}
.who button{font:inherit;background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:.1rem .6rem;cursor:pointer}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.3;margin:.4rem 0 1rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #ddd;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e5e5e5;vertical-align:top}
th{background:#f0efeb;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.table-wrap th,.table-wrap td{min-width:4.5em}
.table-wrap tr>:first-child{min-width:7.5em}
.card{background:#fff;border:1px solid #ddd;border-radius:4px;padding:1rem;margin:0 0 1rem}
.muted{color:#555}
.nowrap{white-space:nowrap}
.banner{background:#fff7e0;border:1px solid #d9a400;border-left:6px solid #d9a400;padding:.8rem 1rem;margin:0 0 1rem;border-radius:4px}
.error{background:#fdecec;border:1px solid #c62828;border-left:6px solid #c62828;padding:.8rem 1rem;margin:0 0 1rem;border-radius:4px}
.ok{background:#e8f5e9;border:1px solid #2e7d32;border-left:6px solid #2e7d32;padding:.8rem 1rem;margin:0 0 1rem;border-radius:4px}
.state{display:inline-block;padding:0 .5rem;border-radius:3px;background:#e8e8e8;font-size:.88rem;white-space:nowrap}
.state-published{background:#e8f5e9;color:#1b5e20}
.state-approved{background:#e3f2fd;color:#0d47a1}
.state-submitted{background:#fff3e0;color:#8a4b00}
.state-draft,.state-correcting{background:#eeeeee;color:#333}
.state-overdue{background:#fdecec;color:#8b1a1a}
form.action{margin:0 0 1rem}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
input[type=text],input[type=password],input[type=number],select,textarea{font:inherit;width:100%;max-width:32rem;padding:.4rem .5rem;border:1px solid #888;border-radius:4px;background:#fff}
textarea{min-height:5rem}
input[type=file]{font:inherit;max-width:100%}
button.primary,button.secondary{font:inherit;padding:.45rem 1.1rem;border-radius:4px;cursor:pointer;margin-top:.6rem}
form.card button.primary,form.action button{display:block}
button.primary{background:#8b1a1a;color:#fff;border:1px solid #8b1a1a}
button.secondary{background:#fff;color:#8b1a1a;border:1px solid #8b1a1a}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain li{padding:.35rem 0;border-bottom:1px solid #e5e5e5}
.site-footer{max-width:72rem;margin:2rem auto 0;padding:1rem;color:#555;font-size:.85rem;border-top:1px solid #ddd}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
form.site-search{display:flex;gap:.3rem;margin:0;align-items:center}
form.site-search input{font:inherit;font-size:.92rem;width:11rem;max-width:55vw;padding:.1rem .4rem;border:1px solid #fff;border-radius:4px;background:#fff;color:#1b1b1b}
form.site-search button{font:inherit;font-size:.92rem;background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:.1rem .6rem;cursor:pointer}
form.search-box{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:0 0 1rem}
form.search-box input,.search-form input[type=search]{font:inherit;width:100%;max-width:32rem;padding:.4rem .5rem;border:1px solid #888;border-radius:4px;background:#fff}
form.search-box input{flex:1 1 14rem}
form.search-box button{margin-top:0}
.search-filters{display:flex;flex-wrap:wrap;gap:0 1rem}
.search-filters input[type=text]{max-width:12rem}
figure.chart{margin:0 0 1rem;padding:.8rem;background:#fff;border:1px solid #ddd;border-radius:4px}
figure.chart figcaption{font-weight:600;margin-bottom:.4rem}
figure.chart .f-unit{font-weight:400;font-size:.9rem}
.chart-row{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.chart-svg{flex:0 1 380px;max-width:100%;min-width:0}
.chart-svg svg{display:block;max-width:100%;height:auto}
.chart-row .chart-table{flex:1 1 20rem;min-width:0}
table.chart-data caption{text-align:left;font-size:.9rem;color:#555;padding:.3rem .6rem}
th a.sort{color:inherit;display:inline-block}
tr.median th,tr.median td{background:#fff3e0;font-weight:600;border-top:2px solid #b45309}
table.compare-table tbody th,table.compare-table tfoot th{min-width:8rem}
tr.group th{background:#f7f7f5;font-weight:600}
@media (max-width:40rem){
  .bar{padding:.5rem .75rem}
  main{padding:.75rem}
  h1{font-size:1.3rem}
  th,td{padding:.4rem .45rem}
  .hide-narrow{display:none}
}
`;

/**
 * A search box: a GET form to /search (no JavaScript), its field labelled (visibly hidden in the header), carrying
 * `lang=en` when the page is in English. `id` keeps the field's id unique on the page; `label` names the landmark.
 */
export function SearchBox(props: { c: WebContext; id: string; variant: "header" | "page" }): JSX {
  const { c, id } = props;
  const header = props.variant === "header";
  return (
    <form class={header ? "site-search" : "search-box"} method="get" action="/search" role="search" aria-label={header ? t(c, "全站检索", "Site search") : t(c, "检索", "Search")}>
      <label for={id} class={header ? "sr-only" : undefined}>
        {t(c, "检索部门、单位、项目或科目编码", "Search departments, units, projects or codes")}
      </label>
      <input type="search" id={id} name="q" maxlength={100} />
      {langOf(c) === "en" ? <input type="hidden" name="lang" value="en" /> : null}
      <button type="submit" class={header ? undefined : "primary"}>
        {t(c, "检索", "Search")}
      </button>
    </form>
  );
}

/**
 * The whole page: a complete HTML document in the request's language, with the given status (200 by default);
 * `css`, rules of this page's own after the site's (the audit report's parts).
 */
export function pageResponse(c: WebContext, p: { title: string; body: JSX; status?: number; css?: string }): Response {
  const lang = langOf(c);
  const actor = c.get("actor");
  const siteName = t(c, "公开 · 部门预算公开平台", "Gongkai · Department budget disclosures");
  const doc = (
    <html lang={lang === "en" ? "en" : "zh-CN"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <title>{`${p.title} · ${siteName}`}</title>
        <style>{raw(p.css === undefined ? PAGE_CSS : PAGE_CSS + p.css)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          {t(c, "跳到正文", "Skip to content")}
        </a>
        <header class="site-header">
          <div class="bar">
            <a class="site-name" href={href(c, "/")}>
              {siteName}
            </a>
            <SearchBox c={c} id="site-search-q" variant="header" />
            <nav aria-label={t(c, "主导航", "Main")}>
              <ul>
                <li>
                  <a href={href(c, "/")}>{t(c, "地区", "Regions")}</a>
                </li>
                <li>
                  <a href={href(c, "/audit-pdf")}>{t(c, "在线审核", "Audit a PDF")}</a>
                </li>
                {actor !== null ? (
                  <li>
                    <a href={href(c, "/workspace")}>{t(c, "工作台", "Workspace")}</a>
                  </li>
                ) : null}
                {actor !== null && actor.user.role === "admin" ? (
                  <li>
                    <a href={href(c, "/admin")}>{t(c, "管理", "Administration")}</a>
                  </li>
                ) : null}
              </ul>
            </nav>
            <div class="who">
              {actor !== null ? (
                <>
                  <span>
                    {actor.user.displayName}
                    {t(c, `（${roleName(c, actor.user.role)}）`, ` (${roleName(c, actor.user.role)})`)}
                  </span>
                  <form method="post" action={href(c, "/logout")}>
                    <CsrfField c={c} />
                    <button type="submit">{t(c, "退出", "Sign out")}</button>
                  </form>
                </>
              ) : (
                <a href={href(c, "/login")}>{t(c, "登录", "Sign in")}</a>
              )}
              {lang === "en" ? (
                <a href={langSwitchHref(c, "zh")} lang="zh-CN" hreflang="zh-CN">
                  中文
                </a>
              ) : (
                <a href={langSwitchHref(c, "en")} lang="en" hreflang="en">
                  English
                </a>
              )}
            </div>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {p.body}
        </main>
        <footer class="site-footer">
          {t(
            c,
            "本平台发布的部门预算公开文件由预算数据按公开模板生成。",
            "The disclosures published here are derived from the budget data by the disclosure template.",
          )}
        </footer>
      </body>
    </html>
  );
  return new Response("<!doctype html>" + doc.toString(), {
    status: p.status ?? 200,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
