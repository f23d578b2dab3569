/**
 * The terminal view of an audit report, on reports written here by hand (findings with hostile text): what each line
 * says in Chinese and English, the order (by severity, then page), the limit on the not-checked list, columns aligned
 * by display width, and no control character of a quote reaching the terminal.
 */
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import type { AuditFinding, AuditReport, NotChecked } from "../../domain/audit/audit-report.ts";
import { renderAuditReportText, terminalSafe } from "./audit-report-text.ts";

const finding = (over: Partial<AuditFinding>): AuditFinding => ({
  code: "AUD-SUM",
  severity: "error",
  page: 3,
  line: null,
  quote: "合计1,234.65",
  expected: "1,234.56",
  found: "1,234.65",
  reason: { zh: "合计应等于各分项之和 1,234.56", en: "the total should be the sum of its parts, 1,234.56" },
  related: [],
  ...over,
});

const notChecked = (n: number): NotChecked[] =>
  Array.from({ length: n }, (_, i) => ({ what: "page" as const, page: i + 1, line: null, quote: `第${i + 1}页开头`, reason: { zh: "未检查的原因", en: "why not checked" } }));

function report(over: Partial<AuditReport> = {}): AuditReport {
  return {
    files: ["docs/a.pdf"],
    reader: "pdftotext",
    recognised: {
      department: "上海市普陀区财政局",
      year: 2025,
      kind: "budget",
      level: "department",
      template: "shanghai-district-budget-9",
      tables: [
        { title: "2025年部门财务收支预算总表", page: 9, unit: "元", kind: "t01" },
        { title: "2025年部门“三公”经费和机关运行经费预算表", page: 21, unit: "万元", kind: null },
        { title: "收入表", page: 10, unit: null, kind: null },
      ],
    },
    counts: { pages: 24, tables: { found: 9, read: 8, checked: 7 }, cells: { read: 300, checked: 280 }, sentences: { read: 40, checked: 30 }, claims: { read: 20, checked: 18 }, relations: { checked: 50, failed: 2 } },
    findings: [
      finding({ page: 9, quote: "总计3,121.42", expected: "3,121.42", found: "3,121.43" }),
      finding({ code: "AUD-TEXT", severity: "warning", page: 18, quote: "<script>\u001b[2J\u202eabc", expected: null, found: null, reason: { zh: "未闭合的括号", en: "an unclosed bracket" } }),
      finding({ related: [{ page: 5, line: null, quote: "分项一100.00" }] }),
    ],
    notChecked: notChecked(25),
    exitCode: 1,
    unreadable: null,
    ...over,
  };
}

describe("the terminal view of an audit report", () => {
  it("says, in Chinese, what was recognised, counted, found and not checked", () => {
    const text = renderAuditReportText(report(), { lang: "zh" });
    const lines = text.split("\n");
    expect(lines[0]).toBe("审核报告：docs/a.pdf");
    expect(lines[1]).toBe("状态：有 2 个错误级问题");
    expect(text).toContain("上海市普陀区财政局");
    expect(text).toMatch(/年度\s+2025/);
    expect(text).toMatch(/类型\s+预算/);
    expect(text).toMatch(/层级\s+部门/);
    expect(text).toMatch(/表格\s+找到 9，读取 8，检查 7/);
    expect(text).toMatch(/单元格\s+读取 300，检查 280/);
    expect(text).toMatch(/关系\s+检查 50，不符 2/);
    expect(text).toContain("未印单位");
    expect(lines).toContain("错误（2）");
    expect(lines).toContain("警告（1）");
    expect(lines).toContain("提示（0）");
    expect(text).toContain("    应为：1,234.56  →  实为：1,234.65");
    expect(text).toContain("    原因：合计应等于各分项之和 1,234.56");
    expect(text).toContain("    另见：第 5 页 “分项一100.00”");
    expect(lines).toContain("未检查（25）");
  });

  it("lists findings by severity, then in page order", () => {
    const lines = renderAuditReportText(report(), { lang: "zh" }).split("\n");
    const at = (s: string) => lines.findIndex((l) => l.startsWith(s));
    // the page-9 error was given first; the page-3 error is listed before it; the warning after both
    expect(at("  AUD-SUM  第 3 页")).toBeGreaterThan(at("错误（2）"));
    expect(at("  AUD-SUM  第 9 页")).toBeGreaterThan(at("  AUD-SUM  第 3 页"));
    expect(at("  AUD-TEXT  第 18 页")).toBeGreaterThan(at("警告（1）"));
    expect(at("警告（1）")).toBeGreaterThan(at("  AUD-SUM  第 9 页"));
  });

  it("says it in English with lang en", () => {
    const text = renderAuditReportText(report(), { lang: "en" });
    expect(text.split("\n")[0]).toBe("Audit report: docs/a.pdf");
    expect(text).toContain("Errors (2)");
    expect(text).toContain("Warnings (1)");
    expect(text).toContain("  AUD-SUM  page 3");
    expect(text).toContain("expected: 1,234.56  →  found: 1,234.65");
    expect(text).toContain("reason: the total should be the sum of its parts, 1,234.56");
    expect(text).toContain("budget (预算)");
    expect(text).toContain("Not checked (25)");
    expect(text).toContain("… and 5 more");
    expect(text).not.toMatch(/错误|未检查|原因/);
  });

  it("lists 20 not-checked entries and counts the rest; a limit can be given", () => {
    const zh = renderAuditReportText(report(), { lang: "zh" }).split("\n");
    const rows = zh.filter((l) => /^ {2}页 {2}/.test(l));
    expect(rows).toHaveLength(20);
    expect(zh).toContain("  ……另有 5 项（--json 或 --html 列出全部）");
    const five = renderAuditReportText(report(), { lang: "zh", notCheckedLimit: 5 }).split("\n");
    expect(five.filter((l) => /^ {2}页 {2}/.test(l))).toHaveLength(5);
    expect(five).toContain("  ……另有 20 项（--json 或 --html 列出全部）");
    const all = renderAuditReportText(report({ notChecked: notChecked(3) }), { lang: "zh" });
    expect(all).not.toContain("另有");
  });

  it("aligns columns by display width (a Chinese character takes two columns)", () => {
    const lines = renderAuditReportText(report(), { lang: "zh" }).split("\n");
    // the tables of the recognised block: the page column starts at one display column on every row
    const rows = lines.slice(lines.indexOf("识别结果"), lines.indexOf("读取与检查")).filter((l) => /^ {4}\S/.test(l));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((l) => stringWidth(l.slice(0, l.indexOf("第 "))))).size).toBe(1);
    // the not-checked rows: the reason starts at one display column although "第 9 页" and "第 10 页" differ in width
    const nc = lines.filter((l) => /^ {2}页 {2}/.test(l));
    expect(new Set(nc.map((l) => stringWidth(l.slice(0, l.indexOf("未检查的原因"))))).size).toBe(1);
  });

  it("never writes a control character or a bidirectional override of a quote to the terminal", () => {
    const text = renderAuditReportText(report(), { lang: "zh" });
    const controls = [...text].filter((c) => c !== "\n" && (c.codePointAt(0)! < 0x20 || (c.codePointAt(0)! >= 0x7f && c.codePointAt(0)! <= 0x9f) || (c >= "\u202a" && c <= "\u202e")));
    expect(controls).toEqual([]);
    expect(text).toContain("“<script>\\u{001b}[2J\\u{202e}abc”");
    expect(terminalSafe("a\tb\nc")).toBe("a\\u{0009}b\\u{000a}c");
  });

  it("says what is not recognised, and the line of a text source", () => {
    const r = report({
      files: ["seed.txt"],
      reader: "text",
      recognised: { department: null, year: null, kind: null, level: null, template: null, tables: [] },
      findings: [finding({ page: null, line: 120, code: "AUD-PLACEHOLDER", severity: "warning", quote: "XX万元", expected: null, found: "XX" })],
      notChecked: [],
    });
    const text = renderAuditReportText(r, { lang: "zh" });
    expect(text).toMatch(/部门\s+未识别/);
    expect(text).toMatch(/模板\s+未识别/);
    expect(text).toContain("  AUD-PLACEHOLDER  第 120 行");
    expect(text).toContain("    应为：—  →  实为：XX");
    expect(text).toContain("全部已检查");
    expect(text.split("\n")[1]).toBe("状态：未发现错误级问题");
    const nothing = renderAuditReportText(report({ findings: [], counts: { pages: 3, tables: { found: 0, read: 0, checked: 0 }, cells: { read: 0, checked: 0 }, sentences: { read: 0, checked: 0 }, claims: { read: 0, checked: 0 }, relations: { checked: 0, failed: 0 } } }), { lang: "en" });
    expect(nothing.split("\n")[1]).toBe("status: nothing was checked (no finding does not mean no error)");
  });

  it("names the file of each place in a disclosure of several files", () => {
    const r = report({ files: ["说明.pdf", "表格.pdf"], findings: [finding({ file: "表格.pdf", page: 2 })], notChecked: [{ what: "file", page: null, line: null, quote: "", file: "说明.pdf", reason: { zh: "说明.pdf：PDF 已加密", en: "encrypted" } }] });
    const text = renderAuditReportText(r, { lang: "zh" });
    expect(text).toContain("审核报告：说明.pdf  表格.pdf");
    expect(text).toContain("  AUD-SUM  表格.pdf 第 2 页");
    expect(text).toMatch(/ {2}文件 {2}说明\.pdf +说明\.pdf：PDF 已加密/);
  });

  it("gives only the reason for a report of nothing read", () => {
    const r = report({ exitCode: 2, unreadable: { file: "x.pdf", reason: "encrypted", detail: "needs a password" }, findings: [], notChecked: [] });
    expect(renderAuditReportText(r, { lang: "zh" })).toBe("审核报告：docs/a.pdf\n无法读取，未审核：x.pdf：PDF 已加密，需要密码才能打开（needs a password）");
    expect(renderAuditReportText(r, { lang: "en" })).toBe("Audit report: docs/a.pdf\ncould not be read; not audited: x.pdf: the PDF is encrypted: it needs a password to open (needs a password)");
  });
});
