/**
 * The disclosure page of the reference example (and of the three-unit example), read back from its HTML: order of
 * the parts, every table cell in its table, the printed multi-level headers, empty-table sentences, print CSS,
 * charts whose numbers equal their data tables and the reference's expected tables, bound figures that equal the
 * table cells they speak of, and nothing that would leak (no script, no external request, no classified name).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HTMLElement } from "node-html-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { rowTexts, tableTexts } from "../../domain/disclosure-model.ts";
import { formatCell, parseSteps } from "../../domain/money.ts";
import type { Narrative } from "../../domain/narrative-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import type { ComputedTable } from "../../domain/table-engine.ts";
import { readCsvFile, REFERENCE_EXPECTED, ROOT } from "../../../test/cli-harness.ts";
import { checkNarrative } from "../../../test/narrative-check.ts";
import {
  bodyRows,
  buildExample,
  chartTableValues,
  clean,
  renderPage,
  svgLabelNumbers,
  svgMarkValues,
  visibleText,
  type BuiltPage,
} from "../../../test/page-fixture.ts";

let page: BuiltPage;
beforeAll(async () => {
  page = renderPage(await buildExample("changji-xinfang-2024"));
});

/** Header cells of a table, row by row: [label, colspan, rowspan, scope]. */
const head = (id: string) =>
  tableEl(id)
    .querySelectorAll("thead tr")
    .map((tr) => tr.querySelectorAll("th").map((th) => [clean(th.textContent), th.getAttribute("colspan") ?? "1", th.getAttribute("rowspan") ?? "1", th.getAttribute("scope")]));

/** The heading of the narrative section a chart prints in. */
const chartHome = (id: string) => clean(page.root.querySelector(`#${id}`)!.closest("section.sec")!.querySelector("h3, h4")!.textContent);

const chartFigures = () => page.root.querySelectorAll("figure.chart");

const tableEl = (id: string): HTMLElement => {
  const el = page.root.querySelector(`#${id}-table`);
  if (!el) throw new Error(`no table ${id}`);
  return el;
};

describe("the reference example's page: document", () => {
  it("is one Chinese HTML document without script, external requests or web fonts", () => {
    const { html } = page;
    expect(html.startsWith("<!doctype html>\n<html lang=\"zh-CN\">")).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(|@font-face|javascript:/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // the only absolute URLs are the SVG namespaces
    expect([...html.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^"'\s<]*/gi)].map((m) => m[0]).filter((u) => !u.startsWith("http://www.w3.org/"))).toEqual([]);
    expect(html).toContain('"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei"');
    expect(page.root.querySelector("title")!.textContent).toBe("昌吉回族自治州信访局2024年部门预算公开");
  });

  it("has no undefined, NaN, object or brace in its visible text", () => {
    const text = visibleText(page.root.querySelector("body")!);
    expect(text.length).toBeGreaterThan(5000);
    expect(text).not.toMatch(/undefined|NaN|\[object|[{}]/);
    expect(page.html).not.toMatch(/undefined|NaN|\[object/);
  });

  it("opens with the cover: title, 编制部门, date and the constructed-data note", () => {
    const cover = page.root.querySelector("header.cover")!;
    expect(clean(cover.querySelector("h1")!.textContent)).toBe("昌吉回族自治州信访局2024年部门预算公开");
    expect(clean(cover.textContent)).toContain("编制部门：昌吉回族自治州信访局");
    expect(clean(cover.textContent)).toContain("2024年2月23日");
    const note = cover.querySelector(".constructed")!;
    expect(clean(note.textContent)).toContain(page.result.disclosure.constructed!);
    expect(cover.querySelector(".status-error")).toBeNull();
    // the CSS prints the template's constructed note at the foot of every page
    expect(page.html).toContain('@bottom-left{content:"本公开所依据的预算明细为构造数据。"');
  });

  it("shows a status line, not the findings, when checks fail", () => {
    const error: Finding = { code: "P-TEST", severity: "error", scope: "printed", message: { zh: "秘密的审核意见", en: "x" }, cells: [], field: null, meta: {} };
    const failing = renderPage(page.result, [...page.result.findings, error]);
    expect(clean(failing.root.querySelector(".status-error")!.textContent)).toContain("存在 1 个错误级问题");
    expect(failing.html).not.toContain("秘密的审核意见");
    for (const f of page.result.findings) expect(page.html).not.toContain(esc(f.message.zh));
  });

  it("prints 第一部分 to 第四部分 in order, the tables in template order in 第二部分 and the performance tables where 十二（四） says 见下表", () => {
    const parts = page.root.querySelectorAll("main > section.part");
    expect(parts.map((p) => p.id)).toEqual(["part-profile", "part-tables", "part-explanation", "part-glossary"]);
    expect(parts.map((p) => clean(p.querySelector("h2")!.textContent).slice(0, 4))).toEqual(["第一部分", "第二部分", "第三部分", "第四部分"]);
    const tablesPart = parts[1]!;
    const sheets = tablesPart.querySelectorAll(".sheet").map((s) => s.id);
    expect(sheets).toEqual(page.result.disclosure.tables.map((t) => t.id));
    const performance = page.root.querySelector("#sec-s12-4")!;
    expect(clean(performance.querySelector("p")!.textContent)).toMatch(/具体情况见下表（按项目分别填报）：$/);
    expect(performance.querySelectorAll(".sheet").map((s) => s.id)).toEqual(["perf-department", "perf-project"]);
    // every table prints exactly once
    for (const id of [...sheets, "perf-department", "perf-project"]) expect(page.root.querySelectorAll(`[id="${id}"]`)).toHaveLength(1);
  });

  it("has a table of contents linking to every part, section and table", () => {
    const links = page.root.querySelectorAll("nav.toc a").map((a) => a.getAttribute("href")!);
    expect(links).toContain("#part-profile");
    expect(links).toContain("#part-glossary");
    for (const t of page.result.disclosure.tables) expect(links).toContain(`#${t.id}`);
    expect(links).toContain("#perf-project");
    for (const href of links) expect(page.root.querySelector(`[id="${href.slice(1)}"]`), href).not.toBeNull();
  });
});

describe("the page's layout rules", () => {
  it("is deterministic: the same disclosure renders to the same bytes", () => {
    expect(renderPage(page.result).html).toBe(page.html);
  });

  it("prints every table once, and every chart, whatever the narrative names", () => {
    const bare: Narrative = {
      title: "x",
      parts: [
        { id: "profile", title: "部门概况", sections: [{ id: "p1", title: "一、主要职能", blocks: [{ kind: "paragraph", runs: [{ kind: "text", text: "职能。" }] }], subsections: [] }] },
        {
          id: "explanation",
          title: "部门预算情况说明",
          sections: [{ id: "s1", title: "一、总体", blocks: [{ kind: "table", table: "t10" }, { kind: "table", table: "t10" }, { kind: "table", table: "t99" }], subsections: [] }],
        },
      ],
      signature: ["昌吉回族自治州信访局", "2024年2月23日"],
    };
    const r = page.result;
    const p = renderPage({ ...r, narrative: bare });
    // 第二部分 is supplied after 第一部分, with every table the narrative does not print
    expect(p.root.querySelectorAll("main > section.part").map((x) => clean(x.querySelector("h2")!.textContent))).toEqual([
      "第一部分 部门概况",
      "第二部分 2024年部门预算公开表",
      "第三部分 部门预算情况说明",
    ]);
    const tablesPart = p.root.querySelector("#part-tables")!;
    expect(tablesPart.querySelectorAll(".sheet").map((x) => x.id)).toEqual([...r.disclosure.tables.filter((t) => t.id !== "t10").map((t) => t.id), "perf-department", "perf-project"]);
    // 表10 prints where the narrative names it; the second mention links to it; an unknown table prints nothing
    const s1 = p.root.querySelector("#sec-s1")!;
    expect(s1.querySelectorAll(".sheet").map((x) => x.id)).toEqual(["t10"]);
    expect(s1.querySelector("p.see a")!.getAttribute("href")).toBe("#t10");
    for (const t of r.disclosure.tables) expect(p.root.querySelectorAll(`[id="${t.id}"]`)).toHaveLength(1);
    // no section speaks of the charts' figures: they close 第三部分 in a section of their own
    expect(p.root.querySelectorAll("#sec-charts figure.chart")).toHaveLength(4);
    expect(p.root.querySelectorAll(".signature p").map((x) => x.textContent)).toEqual(["昌吉回族自治州信访局", "2024年2月23日"]);
  });
});

describe("the reference example's page: tables", () => {
  it("captions each table with its number, title, 编制部门 and the print unit", () => {
    for (const t of page.result.disclosure.tables) {
      const cap = clean(tableEl(t.id).querySelector("caption")!.textContent);
      expect(cap).toContain(t.number);
      expect(cap).toContain(t.title);
      expect(cap).toContain("编制部门：昌吉回族自治州信访局");
      expect(cap).toContain("单位：万元");
    }
  });

  it("prints every row of a one-sided table as the CSV has it (side column aside)", () => {
    const unit = page.result.disclosure.template.printUnit;
    for (const t of page.result.disclosure.tables.filter((x) => !x.sides)) {
      const want = tableTexts(t, unit)
        .slice(1)
        .map((r) => (t.emptySentence !== null ? [r[0]!] : r));
      expect(bodyRows(tableEl(t.id)), t.id).toEqual(want);
    }
  });

  it("prints every cell of the two-sided tables (表1, 表4) on its side, with the totals on one line", () => {
    const d = page.result.disclosure;
    for (const t of d.tables.filter((x) => x.sides)) {
      const el = tableEl(t.id);
      const got = bodyRows(el);
      for (const side of t.sides!) {
        const rows = t.rows.filter((r) => r.side === side.name);
        const texts = rows.map((r) => rowTexts(t, r, d.template.printUnit).filter((_, i) => t.columns[i]!.role !== "side"));
        // every non-blank cell of the side is somewhere in the page's rows, in order
        const flat = got.map((r) => r.join("|")).join("\n");
        for (const tx of texts) for (const c of tx) if (c !== "") expect(flat, `${t.id} ${side.name}`).toContain(c);
      }
      // multiset of non-blank cells equals the CSV's
      const want = tableTexts(t, d.template.printUnit)
        .slice(1)
        .flatMap((r) => r.slice(1))
        .filter((c) => c !== "")
        .sort();
      expect(got.flat().filter((c) => c !== "").sort(), t.id).toEqual(want);
      const last = got[got.length - 1]!;
      expect(last[0]).toMatch(/总计$/);
      expect(last).toContain("支出总计");
    }
    // 表1: 收入 and 支出 side by side, each side's cells naming their headers
    const t01 = tableEl("t01");
    expect(t01.querySelectorAll("thead tr")[0]!.querySelectorAll("th").map((th) => clean(th.textContent))).toEqual(["收入", "支出"]);
    const amount = t01.querySelectorAll("tbody td").find((td) => clean(td.textContent) === "436.35")!;
    const ids = amount.getAttribute("headers")!.split(" ");
    expect(ids.map((id) => clean(t01.querySelector(`[id="${id}"]`)!.textContent))).toEqual(["支出", "预算数", "一般公共服务支出"]);
  });

  it("prints the multi-level headers of the print (表2 财政拨款（补助） over 7 columns)", () => {
    const t02 = head("t02");
    expect(t02).toHaveLength(2);
    expect(t02[0]).toContainEqual(["财政拨款（补助）", "7", "1", "colgroup"]);
    expect(t02[0]).toContainEqual(["功能分类科目编码", "3", "1", "colgroup"]);
    expect(t02[0]).toContainEqual(["总计", "1", "2", "col"]);
    expect(t02[1]!.map((c) => c[0])).toEqual(["类", "款", "项", "财政拨款（补助）小计", "一般公共预算", "上级一般公共预算安排的转移支付", "政府性基金预算", "上级政府性基金安排的转移支付", "国有资本经营预算", "上级国有资本经营预算安排的转移支付"]);
    const t08 = head("t08");
    expect(t08).toHaveLength(3);
    expect(t08[0]).toContainEqual(["政府性基金预算支出", "4", "1", "colgroup"]);
    expect(t08[1]).toContainEqual(["基本支出", "2", "1", "colgroup"]);
    expect(t08[1]).toContainEqual(["项目支出", "1", "2", "col"]);
    expect(head("t11")[0]).toContainEqual(["财政拨款", "4", "1", "colgroup"]);
    // every header row spans every column
    for (const t of page.result.disclosure.tables.filter((x) => !x.sides)) {
      const cols = t.columns.filter((c) => c.role !== "side").length;
      const grid = head(t.id);
      const covered = grid.map(() => 0);
      grid.forEach((row, level) => row.forEach(([, cs, rs]) => { for (let l = level; l < level + Number(rs); l++) covered[l]! += Number(cs); }));
      expect(covered, t.id).toEqual(grid.map(() => cols));
    }
  });

  it("marks rows, amounts and codes for print: row headers, right-aligned amounts, indentation, blank stays blank", () => {
    const t05 = tableEl("t05");
    const rows = t05.querySelectorAll("tbody tr");
    for (const tr of rows) expect(tr.querySelectorAll('th[scope="row"]')).toHaveLength(1);
    const item = rows.find((tr) => clean(tr.querySelector("th")!.textContent) === "行政运行")!;
    expect(item.querySelector("th")!.classList.contains("lv2")).toBe(true);
    const cells = item.querySelectorAll("td");
    expect(cells.map((c) => c.classList.contains("num") || c.classList.contains("code"))).toEqual(cells.map(() => true));
    // 行政运行 has no project money: the cell is blank, not 0.00
    expect(clean(cells[cells.length - 1]!.textContent)).toBe("");
    expect(page.html).toMatch(/td\.num\{text-align:right;font-variant-numeric:tabular-nums/);
  });

  it("prints the empty-table sentence of 表8 and 表9 across all columns", () => {
    for (const [id, fund] of [["t08", "政府性基金预算"], ["t09", "国有资本经营预算"]] as const) {
      const t = page.result.disclosure.tables.find((x) => x.id === id)!;
      const td = tableEl(id).querySelector("tbody td.empty")!;
      expect(td.getAttribute("colspan")).toBe(String(t.columns.length));
      expect(clean(td.textContent)).toBe(t.emptySentence);
      expect(clean(td.textContent)).toContain(`没有使用${fund}拨款安排的支出`);
    }
  });

  it("puts the landscape tables (表2, 表7, 表11) on landscape pages, repeats headers and breaks before parts", () => {
    const landscape = page.root.querySelectorAll(".sheet.landscape").map((s) => s.id);
    expect(landscape).toEqual(page.result.disclosure.tables.filter((t) => t.orientation === "landscape").map((t) => t.id));
    expect(landscape).toEqual(["t02", "t07", "t11"]);
    const css = page.root.querySelector("style")!.textContent;
    expect(css).toContain("@page{size:A4;");
    expect(css).toContain("@page landscape{size:A4 landscape;");
    expect(css).toContain(".sheet.landscape{page:landscape}");
    expect(css).toContain("thead{display:table-header-group}");
    expect(css).toMatch(/tr,[^{]*\{break-inside:avoid/);
    expect(css).toContain(".part{break-before:page}");
  });

  it("prints the performance tables: the department's, one per public project, and the withheld sentence once", () => {
    const d = page.result.disclosure;
    const dept = page.root.querySelector("#perf-department")!;
    const deptTable = dept.querySelector("table.perf")!;
    const rows = bodyRows(deptTable);
    expect(rows.length).toBe(d.performance.department.length);
    for (const r of d.performance.department) expect(clean(deptTable.textContent)).toContain(r.indicator.name);
    const projects = page.root.querySelectorAll("#perf-project .perf-project");
    expect(projects).toHaveLength(d.performance.projects.length);
    // the narrative states the withheld project (十二（五）), so the tables do not say it again
    const all = clean(page.root.textContent).replace(/\s+/g, "");
    expect(all.split("部门有1个涉密项目，涉及预算资金55.00万元，项目绩效目标表完全不予公开。")).toHaveLength(2);
    // 一级指标 cells merge down over the rows they group
    expect(page.root.querySelector("#perf-project th[scope=rowgroup][rowspan]")).not.toBeNull();
  });

  it("shows the classified project only by its public label", () => {
    const budget = readFileSync(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"), "utf8");
    const secretName = /code: "?8910002U"?\s*\n\s*name: (.+)/.exec(budget)?.[1]?.trim();
    expect(secretName).toBeTruthy();
    expect(page.html).toContain("特定目标 8910002U");
    expect(page.html).not.toContain(secretName!);
  });
});

describe("the reference example's page: narrative", () => {
  it("states every figure of expected/narrative.csv in its section, with the corrected words", () => {
    const text = (id: string) => {
      const el = page.root.querySelector(`#sec-${id}`);
      if (!el) return undefined;
      const copy = el.clone() as HTMLElement;
      for (const x of copy.querySelectorAll("figure, .sheet")) x.remove();
      // paragraphs and list items end sentences as the model's blocks do
      return copy.querySelectorAll("p, li, h4, h5, dt, dd").map((p) => clean(p.textContent)).join("\n");
    };
    expect(checkNarrative(text)).toEqual([]);
    const all = visibleText(page.root.querySelector("#part-explanation")!);
    expect(all).not.toMatch(/增加\s*0\.00/);
    expect(all).not.toMatch(/增长\s*100\.00\s*%/);
    expect(all).toContain("增长161.64%");
  });

  it("binds every figure: <data value> equals its text and names its source", () => {
    const data = page.root.querySelectorAll("data");
    expect(data.length).toBeGreaterThan(100);
    for (const el of data) {
      expect(el.getAttribute("value")).toBe(el.textContent);
      expect(el.getAttribute("data-ref")).toMatch(/^[a-z]+[:[]/);
    }
    expect(page.root.querySelectorAll("span.quote[data-ref]").length).toBeGreaterThan(10);
  });

  it("states each bound amount as the table cell it speaks of", () => {
    expect(boundAmountMismatches(page)).toEqual([]);
  });
});

describe("the reference example's page: charts", () => {
  it("has four server-rendered SVG charts, each with a text alternative and its data table", () => {
    expect(chartFigures().map((f) => f.id)).toEqual(["chart-income", "chart-expenditure", "chart-gpb-class", "chart-sangong"]);
    for (const f of chartFigures()) {
      const svg = f.querySelector("svg")!;
      expect(svg.getAttribute("role")).toBe("img");
      const title = f.querySelector(`[id="${svg.getAttribute("aria-labelledby")}"]`)!;
      expect(clean(title.textContent)).toMatch(/^图\d /);
      const desc = clean(f.querySelector(`[id="${svg.getAttribute("aria-describedby")}"]`)!.textContent);
      expect(desc).toContain("单位：万元");
      expect(f.querySelector("table.chart-data")).not.toBeNull();
      expect(svg.toString()).not.toMatch(/zr\d+-cls|ecmeta_|<style/);
    }
  });

  it("places each chart in the section that speaks of its figures", () => {
    expect(chartHome("chart-income")).toMatch(/^二、.*收入预算/);
    expect(chartHome("chart-expenditure")).toMatch(/^三、.*支出预算/);
    expect(chartHome("chart-gpb-class")).toMatch(/一般公共预算/);
    expect(chartHome("chart-sangong")).toMatch(/“三公”经费/);
  });

  it("draws exactly the numbers of its data table (mark titles and data labels)", () => {
    for (const f of chartFigures()) {
      const svg = f.querySelector("svg")!;
      const marks = svgMarkValues(svg);
      const table = chartTableValues(f.querySelector("table.chart-data")!);
      expect(marks.size, f.id).toBeGreaterThan(1);
      expect(Object.fromEntries(marks), f.id).toEqual(Object.fromEntries(table));
      expect(svgLabelNumbers(svg).sort(), f.id).toEqual([...table.values()].sort());
      // and exactly what the narrative's figures print
      const d = page.result.disclosure;
      expect(f.id).toMatch(/^chart-/);
      for (const v of table.values()) expect(parseSteps(v, d.template.printUnit.decimals)).not.toBeNull();
    }
  });

  it("income by source equals 表1's income rows (expected/t01.csv), by the names of section 二", () => {
    const t01 = new Map(readCsvFile(join(REFERENCE_EXPECTED, "t01.csv")).filter((r) => r[0] === "收入").map((r) => [r[2]!, r[3]!]));
    const want: Record<string, string> = {
      一般公共预算: t01.get("其中：一般财力")!,
      上级一般公共预算安排的转移支付资金: t01.get("上级一般公共预算安排转移支付")!,
      政府性基金预算: t01.get("其中：政府性基金收入")!,
      上级政府性基金安排的转移支付资金: t01.get("上级政府性基金安排转移支付")!,
      国有资本经营预算: t01.get("其中：国有资本经营收入")!,
      上级国有资本经营预算安排的转移支付资金: t01.get("上级国有资本经营预算安排转移支付")!,
      财政专户管理资金: t01.get("4、财政专户核拨")!,
      单位资金: t01.get("5、单位资金")!,
      财政拨款结转: t01.get("1、财政拨款结转")!,
      非财政拨款结转结余: t01.get("2、非财政拨款结转结余")!,
    };
    const got = chartValues("chart-income");
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(Object.entries(want).filter(([, v]) => v !== "")));
    const sum = [...got.values()].reduce((s, v) => s + parseSteps(v, 2)!, 0n);
    expect(formatCell(sum * 10_000n, { step: 10_000n, decimals: 2 })).toBe(t01.get("收入总计"));
  });

  it("expenditure structure equals 表3's total row (expected/t03.csv)", () => {
    const total = readCsvFile(join(REFERENCE_EXPECTED, "t03.csv")).find((r) => r[3] === "总计")!;
    expect(Object.fromEntries(chartValues("chart-expenditure"))).toEqual({ 基本支出: total[5], 项目支出: total[6] });
  });

  it("the general public budget by 类 equals 表5's class rows, under the names of section 五（二）, without priors it does not state", () => {
    const t05 = readCsvFile(join(REFERENCE_EXPECTED, "t05.csv")).filter((r) => /^\d{3}$/.test(r[0]!) && r[1] === "");
    const want = Object.fromEntries(t05.map((r) => [`${r[3]}（类）`, r[4]!]));
    expect(Object.fromEntries(chartValues("chart-gpb-class"))).toEqual(want);
  });

  it("三公 equals 表10 (expected/t10.csv) and the prior year prior-year.csv", () => {
    const t10 = new Map(readCsvFile(join(REFERENCE_EXPECTED, "t10.csv")).map((r) => [r[0]!, r[1]!]));
    const prior = new Map(readCsvFile(join(REFERENCE_EXPECTED, "prior-year.csv")).map((r) => [r[0]!, r[1]!]));
    const want: Record<string, string> = {};
    const rows: [string, string][] = [["因公出国（境）费", "因公出国（境）费"], ["公务接待费", "公务接待费"], ["公务用车购置费", "其中：公务用车购置费"], ["公务用车运行费", "公务用车运行费"]];
    for (const [label, t10label] of rows) {
      const cur = t10.get(t10label)!;
      if (cur !== "") want[`${label}（2024年）`] = cur;
      const p = prior.get(label);
      if (p !== undefined && p !== "0.00") want[`${label}（2023年）`] = p;
    }
    expect(Object.fromEntries(chartValues("chart-sangong"))).toEqual(want);
    expect(Object.keys(want).length).toBe(4);
  });
});

describe("the three-unit example's pages", () => {
  it.each([undefined, "101", "102", "103"])("unit %s: every table, no undefined/NaN/braces, charts equal their tables, bound amounts equal cells", async (unit) => {
    const p = renderPage(await buildExample("three-units-2024", unit));
    const text = visibleText(p.root.querySelector("body")!);
    expect(text).not.toMatch(/undefined|NaN|\[object|[{}]/);
    for (const el of p.root.querySelectorAll("data")) expect(el.textContent).toMatch(/^\d[\d.]*$|^\d{4}年(\d{1,2}月\d{1,2}日)?$/);
    const d = p.result.disclosure;
    for (const t of d.tables) expect(p.root.querySelectorAll(`[id="${t.id}"]`), t.id).toHaveLength(1);
    // non-empty government-fund and state-capital tables print their rows
    const t08 = d.tables.find((t) => t.id === "t08")!;
    if (t08.emptySentence === null) expect(bodyRows(p.root.querySelector("#t08-table")!)).toEqual(tableTexts(t08, d.template.printUnit).slice(1));
    for (const f of p.root.querySelectorAll("figure.chart")) {
      const svg = f.querySelector("svg")!;
      const table = chartTableValues(f.querySelector("table.chart-data")!);
      expect(Object.fromEntries(svgMarkValues(svg)), f.id).toEqual(Object.fromEntries(table));
      expect(svgLabelNumbers(svg).sort(), f.id).toEqual([...table.values()].sort());
    }
    expect(boundAmountMismatches(p)).toEqual([]);
    if (unit === undefined) {
      // the department has government funds, state capital and the whole of 三公
      expect(chartValues("chart-income", p).get("政府性基金预算")).toBe(cell(d.tables, "t01", "income.gf_own", 0));
      expect(chartValues("chart-income", p).get("上级政府性基金安排的转移支付资金")).toBe(cell(d.tables, "t01", "income.gf_transfer", 0));
      expect(chartValues("chart-income", p).get("国有资本经营预算")).toBe(cell(d.tables, "t01", "income.sc_own", 0));
      expect(chartValues("chart-sangong", p).get("因公出国（境）费（2024年）")).toBe(cell(d.tables, "t10", "sangong.overseas", 0));
      expect(chartValues("chart-sangong", p).get("公务用车购置费（2024年）")).toBe(cell(d.tables, "t10", "sangong.vehicle_purchase", 0));
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function chartValues(id: string, p: BuiltPage = page): Map<string, string> {
  const f = p.root.querySelector(`#${id}`);
  if (!f) throw new Error(`no chart ${id}`);
  return chartTableValues(f.querySelector("table.chart-data")!);
}

/** The printed text of a cell: table id, row key, amount column position. */
function cell(tables: readonly ComputedTable[], table: string, key: string, pos: number): string {
  const t = tables.find((x) => x.id === table);
  const r = t?.rows.find((x) => x.key === key);
  const v = r?.cells[pos];
  return v === null || v === undefined ? "" : formatCell(v, { step: 10_000n, decimals: 2 });
}

/** Where a figure's amount prints in the tables, as the template says (`cell`; `{code}` for a family member). */
function cellOf(p: BuiltPage, id: string): [string, string, string] | null {
  const t = p.result.template.data;
  const f = t.figures[id];
  if (f) return f.cell ? [f.cell.table, f.cell.row, f.cell.column] : null;
  const dot = id.indexOf(".");
  const fam = t.figure_families[id.slice(0, dot)];
  return fam?.cell ? [fam.cell.table, fam.cell.row.replace("{code}", id.slice(dot + 1)), fam.cell.column] : null;
}

/** Every bound amount (`figure:<id>`) whose printed value differs from the table cell it speaks of. */
function boundAmountMismatches(p: BuiltPage): string[] {
  const d = p.result.disclosure;
  const out: string[] = [];
  let checked = 0;
  for (const el of p.root.querySelectorAll('data.v-amount[data-ref^="figure:"]')) {
    const id = el.getAttribute("data-ref")!.slice("figure:".length);
    const at = cellOf(p, id);
    if (!at) continue;
    const [tid, key, col] = at;
    const t = d.tables.find((x) => x.id === tid)!;
    const pos = t.amountColumns.findIndex((ci) => t.columns[ci]!.id === col);
    const printed = cell(d.tables, tid, key, pos);
    const want = printed === "" ? "0.00" : printed;
    checked++;
    if (el.textContent !== want) out.push(`${id}: page ${el.textContent}, ${tid}/${key}/${col} ${want}`);
  }
  if (checked < 10) out.push(`only ${checked} bound amounts checked`);
  return out;
}
