/**
 * English on every public page (issue 12, point 4): starting from every public page route and following every
 * link, anonymously and signed in, each page asked with `?lang=en` must (1) have no Chinese of the site's own text
 * left — Chinese names and stored content (region, department and user names, template texts, the stored
 * disclosure and its change log) are allowed: they are taken from the pages' JSON twins — and (2) keep `lang=en` on
 * every link and form within the site. A stored disclosure page is Chinese by nature: only its banner, the site's
 * own text, is checked there. The checker is shown to catch both faults on the Chinese pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../src/adapters/web/routes.ts";
import { startStatusPlatform, type StatusFixture } from "./status-fixture.ts";
import { get, type Session } from "./web-harness.ts";

/** CJK ideographs, CJK punctuation (，。：（）…) and full-width forms */
const CHINESE = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const CHINESE_G = new RegExp(CHINESE.source, "gu");

const PUBLIC_PAGES = ROUTES.filter((r) => r.access === "public" && r.method === "GET" && r.kind !== "api");
/** a route's path as a regular expression (`:name{re}` and `:name`) */
const pattern = (path: string) => new RegExp(`^${path.replace(/:[A-Za-z]+(?:\{([^}]*(?:\{[^}]*\}[^}]*)*)\})?/g, (_m, re: string | undefined) => (re === undefined ? "[^/]+" : `(?:${re})`))}$`);
const MATCHERS = PUBLIC_PAGES.map((r) => ({ route: r, re: pattern(r.path) }));
const publicRoute = (path: string) => MATCHERS.find((m) => m.re.test(path))?.route ?? null;

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");

/** the language switch to Chinese is Chinese on purpose: an element marked lang="zh-CN" */
const withoutZhElements = (html: string) => html.replace(/<([a-z]+)\b[^>]*\blang="zh-CN"[^>]*>[\s\S]*?<\/\1>/g, " ");

/** the text a reader meets: text nodes, and the attributes read aloud or shown */
function readerText(html: string): string {
  const h = withoutZhElements(html.replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/gi, " "));
  const attrs = [...h.matchAll(/\s(?:aria-label|title|alt|placeholder)="([^"]*)"/g)].map((m) => m[1]!);
  return decode([h.replace(/<[^>]*>/g, " "), ...attrs].join(" ")).replace(/\s+/g, " ");
}

/**
 * every link and form target of the markup, but the switch to Chinese; a GET form's query is its fields, so its
 * `lang` is the value of its hidden field `lang` (added to the target here)
 */
function targets(html: string): string[] {
  const h = withoutZhElements(html);
  const links = [...h.replace(/<form\b[\s\S]*?<\/form>/g, " ").matchAll(/<(?:a|link)\b[^>]*?\shref="([^"]*)"/g)].map((m) => decode(m[1]!));
  const forms = [...h.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].flatMap((m) => {
    const action = decode(/\saction="([^"]*)"/.exec(m[1]!)?.[1] ?? "");
    if (/\smethod="post"/i.test(m[1]!)) return [action];
    const lang = /<input\b(?=[^>]*\stype="hidden")(?=[^>]*\sname="lang")[^>]*\svalue="([^"]*)"/.exec(m[2]!)?.[1];
    return [lang === undefined ? action.replace(/\?.*$/, "") : `${action.replace(/\?.*$/, "")}?lang=${lang}`];
  });
  const inner = [...h.matchAll(/<form\b[\s\S]*?<\/form>/g)].flatMap((m) => [...m[0].matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)].map((x) => decode(x[1]!)));
  return [...links, ...inner, ...forms];
}

const internal = (u: string) => !/^(?:[a-z]+:|\/\/|#)/i.test(u);

/** the part of a page that is the site's own: all of a layout page; of a stored disclosure, its banner */
function ownPart(html: string): string | null {
  if (html.includes('<header class="site-header">')) return html;
  const banner = /<aside role="note"[\s\S]*?<\/aside>/.exec(html);
  return banner ? banner[0] : null;
}

/** every string of a JSON value but those under a `zh` key (Chinese versions of the site's own words) */
function strings(v: unknown, out: Set<string>): void {
  if (typeof v === "string") {
    if (CHINESE.test(v)) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "zh") strings(x, out);
}

interface Fault {
  readonly url: string;
  readonly what: string;
}

function leftChinese(url: string, text: string, allowed: readonly string[]): Fault[] {
  let rest = text;
  for (const s of allowed) rest = rest.split(s).join(" ");
  return [...rest.matchAll(CHINESE_G)].slice(0, 3).map((m) => ({ url, what: `Chinese text: …${rest.slice(Math.max(0, m.index - 20), m.index + 20)}…` }));
}

function droppedLang(url: string, html: string, lang: "en"): Fault[] {
  return targets(html)
    .filter(internal)
    .filter((u) => new URL(u, "http://x" + url).searchParams.get("lang") !== lang)
    .map((u) => ({ url, what: `link without lang=${lang}: ${u}` }));
}

const withLang = (u: string) => u + (u.includes("?") ? "&" : "?") + "lang=en";

describe("English on every public page", () => {
  let f: StatusFixture;
  let admin: Session;
  const allowed = new Set<string>();

  beforeAll(async () => {
    f = await startStatusPlatform();
    admin = await f.p.login("admin");
    allowed.add((await f.p.user("admin")).displayName);
  }, 240_000);
  afterAll(() => f?.p.close());

  /** the names and stored content a page may show in Chinese: from its JSON twin */
  async function allowFor(path: string): Promise<void> {
    const res = await f.p.request(`/api/v1${path}`);
    if (res.status === 200 && (res.headers.get("content-type") ?? "").includes("json")) strings(await res.json(), allowed);
  }

  function starts(): string[] {
    const params: Record<string, string> = { region: "652300", department: f.reference.code, year: "2024", n: "1" };
    const fromRoutes = PUBLIC_PAGES.filter((r) => r.kind === "page").map((r) => r.path.replace(/:([A-Za-z]+)(\{[^}]*(?:\{[^}]*\}[^}]*)*\})?/g, (_m, k: string) => params[k] ?? "x"));
    return ["/", ...fromRoutes, "/r/652300/2025/status/", `/r/652300/d/${f.late.code}/2024/`, "/no-such-page", "/r/999999/", "/r/652300/2024/status/?state=nonsense"];
  }

  async function walk(session: Session | null): Promise<{ faults: Fault[]; visited: Map<string, number> }> {
    await allowFor("/");
    const queue = starts().map(withLang);
    const seen = new Set(queue);
    const faults: Fault[] = [];
    const visited = new Map<string, number>();
    while (queue.length > 0 && visited.size < 300) {
      const url = queue.shift()!;
      const res = await f.p.request(url, get(session));
      visited.set(url, res.status);
      const type = res.headers.get("content-type") ?? "";
      const path = new URL(url, "http://x").pathname;
      if (type.startsWith("text/csv")) {
        await allowFor(path.replace(/\.csv$/, "/"));
        faults.push(...leftChinese(url, await res.text(), [...allowed].sort((a, b) => b.length - a.length)));
        continue;
      }
      if (!type.startsWith("text/html")) continue;
      const html = await res.text();
      const own = ownPart(html);
      if (own === null) continue;
      if (own === html && !/<html lang="en">/.test(html)) faults.push({ url, what: "not marked <html lang=en>" });
      await allowFor(path);
      if (/\/v\/\d+\/$/.test(path)) await allowFor(path.replace(/v\/\d+\/$/, ""));
      if (!path.endsWith("/changes/") && /\/d\/[^/]+\/\d{4}\//.test(path)) await allowFor(path.replace(/(\/d\/[^/]+\/\d{4}\/).*$/, "$1changes/"));
      faults.push(...leftChinese(url, readerText(own), [...allowed].sort((a, b) => b.length - a.length)));
      faults.push(...droppedLang(url, own, "en"));
      for (const t of targets(own).filter(internal)) {
        const u = new URL(t, "http://x" + url);
        if (u.searchParams.get("lang") !== "en" || !publicRoute(u.pathname)) continue;
        const next = u.pathname + u.search;
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return { faults, visited };
  }

  it("anonymous: no site text in Chinese, no link without lang=en, on every page reached", async () => {
    const { faults, visited } = await walk(null);
    expect(faults).toEqual([]);
    const paths = [...visited.keys()].map((u) => new URL(u, "http://x").pathname);
    // every public page route was reached, and the pages that need data
    for (const r of PUBLIC_PAGES.filter((x) => x.kind === "page")) expect(paths.some((p) => pattern(r.path).test(p)), r.path).toBe(true);
    for (const p of ["/r/652300/2024/status/", "/r/652300/2024/status.csv", `/r/652300/d/${f.reference.code}/2024/changes/`, `/r/652300/d/${f.reference.code}/2024/v/1/`, `/r/652300/d/${f.late.code}/`, "/login"]) expect(paths, p).toContain(p);
    expect([...visited.entries()].filter(([u]) => u.startsWith("/no-such-page")).map(([, s]) => s)).toEqual([404]);
    expect(visited.get("/r/652300/2024/status/?state=nonsense&lang=en")).toBe(400);
  });

  it("signed in: the header's links and the sign-out form keep lang=en too", async () => {
    const { faults, visited } = await walk(admin);
    expect(faults).toEqual([]);
    const home = await (await f.p.request("/?lang=en", get(admin))).text();
    expect(targets(home)).toEqual(expect.arrayContaining(["/workspace?lang=en", "/admin?lang=en", "/logout?lang=en"]));
    expect(visited.size).toBeGreaterThan(10);
  });

  it("the banner of a corrected disclosure and its change log are in English", async () => {
    const page = await (await f.p.request(`/r/652300/d/${f.reference.code}/2024/v/1/?lang=en`)).text();
    const banner = ownPart(page)!;
    expect(banner).toContain('lang="en"');
    expect(readerText(banner)).toContain("This is an old version (version 1)");
    expect(targets(banner)).toEqual([`/r/652300/d/${f.reference.code}/2024/?lang=en`, `/r/652300/d/${f.reference.code}/2024/changes/?lang=en`]);
    const log = readerText(await (await f.p.request(`/r/652300/d/${f.reference.code}/2024/changes/?lang=en`)).text());
    expect(log).toContain("Published: 2024-03-05 00:30 (Beijing time)");
  });

  it("the checker catches Chinese site text and links that drop the language (on the Chinese pages)", async () => {
    // the Chinese page as if it claimed to be English
    const html = (await (await f.p.request("/r/652300/2024/status/")).text()).replace('<html lang="zh-CN">', '<html lang="en">');
    expect(leftChinese("zh", readerText(html), [...allowed]).length).toBeGreaterThan(0);
    expect(droppedLang("zh", html, "en").length).toBeGreaterThan(0);
    expect(droppedLang("x", '<a href="/r/652300/">x</a><a href="/?lang=en">y</a><form method="post" action="/logout"></form>', "en").map((x) => x.what)).toEqual(["link without lang=en: /r/652300/", "link without lang=en: /logout"]);
    // a GET form drops its action's query: only a hidden field keeps the language
    expect(droppedLang("x", '<form method="get" action="/search?lang=en"><input name="q"></form>', "en").map((x) => x.what)).toEqual(["link without lang=en: /search"]);
    expect(droppedLang("x", '<form method="get" action="/search"><input type="hidden" name="lang" value="en"></form>', "en")).toEqual([]);
    expect(leftChinese("x", "Status: 已公开 and 昌吉回族自治州", ["昌吉回族自治州"]).map((x) => x.what)[0]).toContain("已公开");
    expect(leftChinese("x", "Status（已公开） and 昌吉回族自治州", ["昌吉回族自治州", "已公开"]).length, "the full-width brackets").toBe(2);
  });
});
