/**
 * The public search's page and its JSON twin, on the platform with the reference department published through the
 * real workflow: results grouped by kind with region, year, amount and a link to the disclosure page; filters;
 * English; a query of script shown as text; a query over 100 characters refused with a 400 in both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type Platform } from "./web-harness.ts";

interface Hit {
  kind: string;
  code: string;
  name: string;
  amount: string | null;
  region: { code: string; name: string };
  department: { code: string; name: string };
  year: number;
  version: number;
  url: string;
}
interface Answer {
  q: string;
  region: string | null;
  year: number | null;
  total: number;
  groups: { kind: string; total: number; shown: number; hits: Hit[] }[];
}

const PAGE = "/r/652300/d/415001/2024/";
const q = (s: string) => `q=${encodeURIComponent(s)}`;

describe("the search page and its JSON twin", () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform();
  }, 120_000);
  afterAll(() => p?.close());

  const api = async (query: string): Promise<Answer> => {
    const res = await p.request(`/api/v1/search?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    return (await res.json()) as Answer;
  };
  const page = async (query: string, status = 200): Promise<string> => {
    const res = await p.request(`/search?${query}`);
    const html = await res.text();
    expect(res.status, html.slice(0, 300)).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    return html;
  };

  it("JSON: 信访 finds the department, its unit, its project and the 信访业务 line, grouped by kind in order", async () => {
    const r = await api(q("信访"));
    expect(r.q).toBe("信访");
    expect(r.groups.map((g) => g.kind)).toEqual(["department", "unit", "project", "function", "economic"]);
    const byKind = Object.fromEntries(r.groups.map((g) => [g.kind, g]));
    expect(byKind["department"]!.hits).toEqual([
      { kind: "department", code: "415001", name: "昌吉回族自治州信访局", figure: "exp.all.total", amount: "5514400.00", region: { code: "652300", name: "昌吉回族自治州" }, department: { code: "415001", name: "昌吉回族自治州信访局" }, year: 2024, version: 1, url: PAGE },
    ]);
    expect(byKind["unit"]!.hits.map((h) => [h.code, h.name, h.amount])).toEqual([["001", "昌吉回族自治州信访局", null]]);
    expect(byKind["project"]!.hits.map((h) => [h.code, h.name, h.amount])).toEqual([["P2024001", "信访工作业务经费", "760000.00"]]);
    expect(byKind["function"]!.hits.map((h) => [h.code, h.name, h.amount])).toEqual([["2014004", "信访业务（项）", "550000.00"]]);
    expect(byKind["economic"]!.total).toBe(0);
    expect(r.total).toBe(r.groups.reduce((n, g) => n + g.total, 0));
    expect(r.total).toBe(4);
  });

  it("JSON: 2010301 finds 行政运行 with 2315200.00 元; 30217 公务接待费; filters by region (and the regions under it) and year", async () => {
    const r = await api(q("2010301"));
    expect(r.total).toBe(1);
    const f = r.groups.find((g) => g.kind === "function")!;
    expect(f.hits.map((h) => [h.code, h.name, h.amount, h.url])).toEqual([["2010301", "行政运行（项）", "2315200.00", PAGE]]);
    const e = (await api(q("30217"))).groups.find((g) => g.kind === "economic")!;
    expect(e.hits.map((h) => [h.code, h.name, h.amount])).toEqual([["30217", "公务接待费", "2500.00"]]);
    expect((await api(`${q("信访")}&region=652300&year=2024`)).total).toBe(4);
    expect((await api(`${q("信访")}&region=650000`)).total).toBe(4);
    expect((await api(`${q("信访")}&year=2023`)).total).toBe(0);
    expect((await api(`${q("信访")}&region=652301`)).total).toBe(0);
    // empty form fields are no filter
    const empty = await api(`${q("信访")}&region=&year=`);
    expect([empty.total, empty.region, empty.year]).toEqual([4, null, null]);
  });

  it("JSON: a classified project's real name finds nothing; its public label finds it", async () => {
    expect((await api(q("信访维稳专项经费"))).total).toBe(0);
    expect((await api(q("维稳"))).total).toBe(0);
    const label = (await api(q("特定目标"))).groups.find((g) => g.kind === "project")!;
    expect(label.hits.map((h) => [h.code, h.name, h.amount])).toEqual([["", "特定目标 8910002U", "550000.00"]]);
  });

  it("the page: the form, then each kind with its count, linked names, region, year and amounts in 万元", async () => {
    const html = await page(q("信访"));
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/<form[^>]*action="\/search"[^>]*role="search"/);
    expect(html).toContain('value="信访"');
    expect(html).toContain("共找到 4 条结果");
    const order = ["kind-department", "kind-unit", "kind-project", "kind-function"].map((id) => html.indexOf(`id="${id}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).not.toContain('id="kind-economic"');
    expect(html).toContain("部门（1）");
    expect(html).toContain(`<a href="${PAGE}">昌吉回族自治州信访局</a>`);
    expect(html).toContain(`<a href="${PAGE}">信访工作业务经费</a>`);
    expect(html).toContain("昌吉回族自治州 <span class=\"muted\">652300</span>");
    // 551.44 万元 (the department's total), 76.00 万元 (the project), 55.00 万元 (信访业务)
    for (const amount of ["551.44", "76.00", "55.00"]) expect(html).toContain(`<td class="num">${amount}</td>`);
    expect(html).toContain("金额（万元）");
    // the link leads to the published page
    const target = await p.request(PAGE);
    expect(target.status).toBe(200);
  });

  it("the page: 2010301 finds 行政运行（项） at 231.52 万元", async () => {
    const html = await page(q("2010301"));
    expect(html).toContain("功能分类科目（1）");
    expect(html).toMatch(/<a href="\/r\/652300\/d\/415001\/2024\/">行政运行（项）<\/a><\/td><td class="nowrap">2010301<\/td>.*?<td class="num">231\.52<\/td>/s);
  });

  it("in English by ?lang=en: texts, the links and the form keep the language", async () => {
    const html = await page(`${q("信访")}&lang=en`);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Departments (1)");
    expect(html).toContain("4 results for “信访”");
    expect(html).toContain(`<a href="${PAGE}?lang=en">昌吉回族自治州信访局</a>`);
    expect(html).toContain('<input type="hidden" name="lang" value="en"/>');
    expect(html).toContain("Amount (10,000 yuan)");
    expect(html).not.toContain("共找到");
  });

  it("an empty query shows the form only; nothing found and nothing searchable say so", async () => {
    for (const query of ["", "q=", "q=%20%20"]) {
      const html = await page(query);
      expect(html).toContain('id="search-q"');
      expect(html).not.toContain('role="status"');
      expect(html).not.toContain('id="kind-');
    }
    expect(await page(q("北京"))).toContain("没有找到与“北京”相符的已公开内容。");
    expect(await page(q("*"))).toContain("检索词中没有可检索的文字或数字。");
    const none = await api("");
    expect([none.total, none.groups]).toEqual([0, []]);
  });

  it("a query of script or SQL is shown as text and finds nothing", async () => {
    const script = "<script>alert(1)</script>";
    const html = await page(q(script));
    expect(html).not.toContain(script);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("没有找到");
    const attr = await page(q('"><img src=x onerror=alert(1)>'));
    expect(attr).not.toMatch(/<img/i);
    for (const s of [script, "'; DROP TABLE budgets; --", '信访" OR "x', "NEAR(a b)", '"']) {
      const r = await api(q(s));
      expect(r.q).toBe(s.trim());
      expect(r.total, s).toBe(0);
    }
    // the published department is still there
    expect((await api(q("信访"))).total).toBe(4);
  });

  it("a query over 100 characters is a 400 with a message in both languages; 100 is fine", async () => {
    expect((await api(q("信".repeat(100)))).total).toBe(0);
    await page(q("信".repeat(100)));
    const long = q("信".repeat(101));
    const zh = await page(long, 400);
    expect(zh).toContain("检索词最多 100 个字符。");
    const en = await page(`${long}&lang=en`, 400);
    expect(en).toContain("The search is at most 100 characters long.");
    const res = await p.request(`/api/v1/search?${long}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; problems: { message: { zh: string; en: string }; place: string }[] } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.problems).toEqual([{ code: "custom", message: { zh: "q：检索词最多 100 个字符。", en: "q: The search is at most 100 characters long." }, place: "q" }]);
    // and bad filters
    expect((await p.request(`/api/v1/search?${q("信访")}&region=6523`)).status).toBe(400);
    expect((await p.request(`/api/v1/search?${q("信访")}&year=24`)).status).toBe(400);
  });

  it("every page's header has a labelled search box, and the home page one more", async () => {
    for (const path of ["/", "/r/652300/", "/login", "/search"]) {
      const html = await (await p.request(path)).text();
      expect(html, path).toMatch(/<form class="site-search" method="get" action="\/search" role="search" aria-label="全站检索">/);
      expect(html, path).toContain('<label for="site-search-q" class="sr-only">');
      expect(html, path).toContain('<input type="search" id="site-search-q" name="q" maxlength="100"/>');
    }
    const home = await (await p.request("/")).text();
    expect(home).toContain('<label for="home-search-q">');
    const en = await (await p.request("/?lang=en")).text();
    expect(en.match(/<input type="hidden" name="lang" value="en"\/>/g)?.length).toBe(2);
  });
});
