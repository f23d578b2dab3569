/**
 * The HTML report and the folder summary, on reports written here by hand with hostile text (a quote holding
 * `<script>`, a department name that closes an attribute, a file name with `<`): everything escaped, no script at all;
 * each finding under its page with the page's image or its text beside it, and the page saying which; every
 * not-checked entry listed; the summary linking each report, its CSV with BOM and CRLF.
 */
import { parse as parseHtml, type HTMLElement } from "node-html-parser";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../domain/csv-format.ts";
import type { AuditFinding, AuditReport } from "../../domain/audit/audit-report.ts";
import { placeKey, renderAuditReportHtml, type PlaceFigure } from "./audit-report-html.ts";
import { folderExitCode, renderAuditSummaryCsv, renderAuditSummaryHtml, renderAuditSummaryText, type SummaryRow } from "./audit-report-summary.ts";

const HOSTILE = `<script>alert("x")</script>`;

const finding = (over: Partial<AuditFinding>): AuditFinding => ({
  code: "AUD-NARRATIVE",
  severity: "error",
  page: 7,
  line: null,
  quote: "职业年金缴费支出887.36万元",
  expected: "87.36万元",
  found: "887.36万元",
  reason: { zh: "表中为 873,617.00 元，即 87.36 万元", en: "the table prints 873,617.00 元, that is 87.36 万元" },
  related: [{ page: 15, line: null, quote: "2080506职业年金873,617.00" }],
  ...over,
});

function report(over: Partial<AuditReport> = {}): AuditReport {
  return {
    files: ["a.pdf"],
    reader: "pdftotext",
    recognised: {
      department: `"><img src=x onerror=alert(1)>`,
      year: 2025,
      kind: "final_accounts",
      level: "unit",
      template: null,
      tables: [{ title: `表1 ${HOSTILE}`, page: 9, unit: "万元", kind: null }],
    },
    counts: { pages: 24, tables: { found: 9, read: 8, checked: 7 }, cells: { read: 300, checked: 280 }, sentences: { read: 40, checked: 30 }, claims: { read: 20, checked: 18 }, relations: { checked: 50, failed: 2 } },
    findings: [
      finding({}),
      finding({ code: "AUD-TEXT", severity: "warning", quote: HOSTILE, expected: null, found: null, reason: { zh: `未闭合的括号 & ${HOSTILE}`, en: "an unclosed bracket" }, related: [] }),
      finding({ code: "AUD-SUM", page: 12, quote: "合计1,234.65", expected: "1,234.56", found: "1,234.65", related: [] }),
      finding({ code: "AUD-PLACEHOLDER", severity: "warning", page: null, quote: "XX", expected: null, found: "XX", related: [] }),
    ],
    notChecked: Array.from({ length: 30 }, (_, i) => ({ what: "table" as const, page: i + 1, line: null, quote: `表${i + 1}`, reason: { zh: "列无法可靠识别", en: "its columns were not read with confidence" } })),
    exitCode: 1,
    unreadable: null,
    notes: [{ file: "a.pdf", text: `无文字的页：3 / pages without text: 3 ${HOSTILE}` }],
    ...over,
  };
}

const figures = new Map<string, PlaceFigure>([
  [placeKey({ page: 7, line: null }), { kind: "image", src: "page-007.png", page: 7, width: 1000, height: 707 }],
  [
    placeKey({ page: 12, line: null }),
    {
      kind: "page-text",
      page: 12,
      lines: [
        { n: null, text: "项目 金额", mark: false },
        { n: null, text: `合计 1,234.65 ${HOSTILE}`, mark: true },
      ],
    },
  ],
]);

/** `pre` parsed as markup (node-html-parser keeps it as raw text by default) */
const parse = (html: string) => parseHtml(html, { blockTextElements: { script: true, style: true } });

/** no element or attribute a script could run from: no script element, no on… attribute, no javascript: link */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  const all = parse(html).querySelectorAll("*");
  expect(all.length).toBeGreaterThan(5);
  for (const el of all as HTMLElement[]) {
    expect(el.tagName.toLowerCase()).not.toBe("script");
    for (const [name, value] of Object.entries(el.attributes)) {
      expect(name.toLowerCase().startsWith("on"), `${el.tagName} ${name}`).toBe(false);
      expect(value.trim().toLowerCase().startsWith("javascript:"), `${el.tagName} ${name}`).toBe(false);
    }
  }
}

describe("the HTML report", () => {
  const html = renderAuditReportHtml({ report: report(), lang: "zh", figures, pageImages: "pdftoppm" });
  const doc = parse(html);

  it("escapes every text of the report", () => {
    expectInert(html);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("未闭合的括号 &amp; &lt;script&gt;");
    expect(html).toContain(`content="script-src 'none'`);
  });

  it("is a whole page in Chinese that reads on a phone", () => {
    expect(html.startsWith("<!doctype html>\n<html lang=\"zh-CN\">")).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/@media \(max-width:48rem\)\{[^}]*\.place-row\{grid-template-columns:minmax\(0,1fr\)\}/);
    expect(html).not.toMatch(/<link |src="https?:|href="https?:/);
    expect(doc.querySelector("h1")?.text).toBe("审核报告：a.pdf");
    expect(doc.querySelector(".error")?.text).toContain("有 2 个错误级问题");
  });

  it("puts each finding under its page, with the page's image beside it", () => {
    const places = doc.querySelectorAll("section.place");
    expect(places.map((p) => p.querySelector("h3")?.text)).toEqual(["第 7 页", "第 12 页", "位置不明"]);
    const p7 = places[0]!;
    // the error first, then the warning, though both stand on page 7
    expect(p7.querySelectorAll("ol.findings > li").map((li) => li.querySelector("code")?.text)).toEqual(["AUD-NARRATIVE", "AUD-TEXT"]);
    const first = p7.querySelector("ol.findings > li")!;
    expect(first.querySelector("blockquote")?.text).toBe("“职业年金缴费支出887.36万元”");
    expect(first.text).toContain("应为：87.36万元 → 实为：887.36万元");
    expect(first.text).toContain("原因：表中为 873,617.00 元，即 87.36 万元");
    expect(first.text).toContain("另见：第 15 页 “2080506职业年金873,617.00”");
    const img = p7.querySelector("figure.page img")!;
    expect(img.getAttribute("src")).toBe("page-007.png");
    expect(img.getAttribute("alt")).toBe("第 7 页图像");
    expect(img.getAttribute("width")).toBe("1000");
    // page 12: its text, the line of the quote marked
    const p12 = places[1]!;
    expect(p12.querySelector("figcaption")?.text).toBe("第 12 页文字");
    expect(p12.querySelector("pre.page-text mark")?.text).toBe(`合计 1,234.65 ${HOSTILE}`);
    // a finding of no page: no figure
    expect(places[2]!.querySelector("figure")).toBeNull();
    expect(html).toContain("问题旁为所在页的图像（由 pdftoppm 生成，低分辨率）。");
  });

  it("says when the pages are text because pdftoppm is missing", () => {
    const text = renderAuditReportHtml({ report: report(), lang: "zh", figures: new Map([...figures].filter(([, f]) => f.kind !== "image")), pageImages: "absent" });
    expect(text).toContain("问题旁为所在页读出的文字（本机未安装 pdftoppm，无法生成页面图像）。");
    expect(text).not.toContain("<img");
  });

  it("lists every not-checked entry, with the rule that made them", () => {
    const rows = doc.querySelectorAll("section[aria-labelledby=nc-h] tbody tr");
    expect(rows).toHaveLength(30);
    expect(rows[29]!.text).toContain("第 30 页");
    expect(doc.querySelector("#nc-h")?.text).toBe("未检查（30）");
    expect(html).toContain("不能可靠读取的表格、句子和页面列为“未检查”，不作推测");
  });

  it("shows what was recognised and counted", () => {
    const facts = doc.querySelector("dl.facts")!.text;
    expect(facts).toContain("类型决算");
    expect(facts).toContain("层级单位");
    expect(facts).toContain("模板未识别");
    const counts = doc.querySelectorAll("section[aria-labelledby=counts-h] tbody tr").map((r) => r.querySelectorAll("th,td").map((c) => c.text));
    expect(counts).toContainEqual(["表格", "9", "8", "7"]);
    expect(counts).toContainEqual(["单元格", "", "300", "280"]);
  });

  it("is in English with lang en", () => {
    const en = renderAuditReportHtml({ report: report(), lang: "en", figures, pageImages: "pdftoppm", summaryHref: "../../index.html" });
    expect(en).toContain('<html lang="en">');
    const d = parse(en);
    expect(d.querySelector("h1")?.text).toBe("Audit report: a.pdf");
    expect(d.querySelectorAll("section.place h3").map((h) => h.text)).toEqual(["page 7", "page 12", "no place"]);
    expect(d.querySelector(".site-header a")?.getAttribute("href")).toBe("../../index.html");
    expect(en).toContain("expected: <strong>87.36万元</strong> → found: <strong>887.36万元</strong>");
    expect(en).not.toMatch(/审核报告|未检查|原因/);
  });

  it("does not show a report that checked nothing as passed", () => {
    const zero = { read: 0, checked: 0 };
    const r = report({ findings: [], exitCode: 0, counts: { pages: 3, tables: { found: 0, ...zero }, cells: zero, sentences: zero, claims: zero, relations: { checked: 0, failed: 0 } } });
    const d = parse(renderAuditReportHtml({ report: r, lang: "zh" }));
    expect(d.querySelector(".ok")).toBeNull();
    expect(d.querySelector(".banner")?.text).toContain("没有检查任何内容（未发现问题不代表没有问题）");
  });

  it("says why nothing could be read, and nothing else", () => {
    const r = report({ exitCode: 2, unreadable: { file: `x${HOSTILE}.pdf`, reason: "encrypted", detail: "needs a password" }, findings: [], notChecked: [] });
    const page = renderAuditReportHtml({ report: r, lang: "zh" });
    expectInert(page);
    expect(parse(page).querySelector(".error")?.text).toContain("PDF 已加密，需要密码才能打开");
    expect(page).not.toContain("读取与检查");
  });
});

describe("the folder summary", () => {
  const clean = report({ files: ["b.txt"], findings: [], exitCode: 0, notChecked: [] });
  const rows: SummaryRow[] = [
    { file: `d/${HOSTILE}.pdf`, report: report(), href: "reports/0001-a/index.html" },
    { file: "d/b.txt", report: clean, href: "reports/0002-b/index.html" },
    { file: "=cmd|' /C calc'!A0.pdf", report: report({ findings: [], exitCode: 2, notChecked: [], unreadable: { file: "x", reason: "not-pdf", detail: "a zip archive" } }), href: null },
  ];

  it("links each report from index.html and escapes the file names", () => {
    const html = renderAuditSummaryHtml(rows, { lang: "zh", folders: ["d"], csvHref: "summary.csv" });
    expectInert(html);
    const d = parse(html);
    const trs = d.querySelectorAll("tbody tr");
    expect(trs).toHaveLength(3);
    expect(trs[0]!.querySelector("a")?.getAttribute("href")).toBe("reports/0001-a/index.html");
    expect(trs[0]!.querySelector("a")?.text).toBe(`d/${HOSTILE}.pdf`);
    expect(trs[1]!.querySelectorAll("td").map((c) => c.text)).toEqual(["未发现错误", "24", "8", "7", "0", "0", "0", "0", ""]);
    expect(trs[2]!.querySelector("a")).toBeNull();
    expect(trs[2]!.text).toContain("既不是 PDF 也不是文本文件（a zip archive）");
    expect(d.querySelector('a[href="summary.csv"]')).not.toBeNull();
    expect(html).toContain("共 3 份文件：2 份已读取，1 份无法读取，1 份有错误级问题；错误 2，警告 2，提示 0，未检查 30 项。");
  });

  it("writes summary.csv with BOM and CRLF, one row per document, formulas defused", () => {
    const csv = renderAuditSummaryCsv(rows, "zh");
    expect(csv.startsWith("\uFEFF文件,状态,页数,")).toBe(true);
    expect(csv.split("\r\n")).toHaveLength(5); // header, three rows, the final line end
    const table = parseCsv(csv);
    expect(table[1]!.slice(0, 3)).toEqual([`d/${HOSTILE}.pdf`, "有错误", "24"]);
    expect(table[1]![10]).toBe("2"); // errors
    expect(table[1]!.at(-1)).toBe("reports/0001-a/index.html");
    expect(table[3]![0]).toBe("'=cmd|' /C calc'!A0.pdf");
    expect(table[3]![14]).toBe("not-pdf");
    const en = parseCsv(renderAuditSummaryCsv(rows, "en"));
    expect(en[0]!.slice(0, 3)).toEqual(["file", "status", "pages"]);
  });

  it("prints the summary table, the totals last", () => {
    const text = renderAuditSummaryText(rows, "zh");
    const lines = text.split("\n");
    expect(lines[0]).toBe("审核汇总");
    expect(lines).toHaveLength(2 + 3 + 2);
    expect(lines.at(-1)).toBe("合计 3 份文件：2 份已读取，1 份无法读取，1 份有错误；错误 2，警告 2，提示 0，未检查 30 项");
  });

  it("exits 2 only when nothing at all could be read", () => {
    const unreadable = rows[2]!;
    expect(folderExitCode([unreadable, unreadable])).toBe(2);
    expect(folderExitCode([unreadable, rows[1]!])).toBe(0);
    expect(folderExitCode([unreadable, rows[1]!, rows[0]!])).toBe(1);
  });
});
