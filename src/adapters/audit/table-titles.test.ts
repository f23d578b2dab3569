/** The table titles of data/audit/table-titles.yaml, compiled and matched (src/domain/audit/table-kinds.ts). */
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  matchTitle,
  matchUnit,
  normaliseTitle,
} from "../../domain/audit/table-kinds.ts";
import { compileTableTitles, TABLE_TITLES_FILE } from "./table-titles.ts";

const catalog = compileTableTitles(
  parse(readFileSync(TABLE_TITLES_FILE, "utf8")),
);
const kind = (line: string) => {
  const m = matchTitle(line, catalog);
  return m === null ? null : (m.kind?.id ?? "unknown");
};

describe("table titles (data/audit/table-titles.yaml)", () => {
  it("recognise each region's and year's title styles, the longest title winning", () => {
    expect(kind("2025年部门财务收支预算总表")).toBe("income-expenditure");
    expect(kind("2025年部门财政拨款收支预算总表")).toBe("appropriation");
    expect(kind("部门收支总体情况表")).toBe("income-expenditure");
    expect(kind("财政拨款收支预算总体情况表")).toBe("appropriation");
    expect(kind("收入支出决算总表")).toBe("income-expenditure");
    expect(kind("财政拨款收入支出决算总表")).toBe("appropriation");
    expect(kind("一般公共预算财政拨款基本支出决算表")).toBe("gpb-basic");
    expect(kind("一般公共预算支出预算表（功能科目）")).toBe("gpb-function");
    expect(kind("财政拨款支出预算表（功能科目）")).toBe(
      "appropriation-function",
    );
    expect(kind("“三公”经费、会议费、培训费支出预算表")).toBe("three-public");
    expect(kind("2025年部门“三公”经费和机关运行经费预算表")).toBe(
      "three-public",
    );
    expect(kind("一般公共预算机关运行经费支出预算表")).toBe("office-running");
    expect(kind("政府性基金预算财政拨款支出预算表")).toBe("government-fund");
    expect(kind("上海市普陀区某局2024年度单位预算明细表")).toBe("unknown");
  });
  it("never take a contents line, a sentence or a bare number line for a title", () => {
    expect(kind("1. 2025年部门财务收支预算总表 ……………………")).toBeNull();
    expect(kind("政府性基金预算支出情况表为空表。")).toBeNull();
    expect(kind("主要用于缴纳职业年金支出，详见收支总表")).toBeNull();
    expect(kind("公开 01 表")).toBeNull();
  });
  it("keep the bracketed qualifier and the table number", () => {
    const m = matchTitle("公开05表财政拨款支出预算表（功能科目）", catalog)!;
    expect(m.qualifier).toBe("(功能科目)");
    expect(m.number).toBe("公开05表");
    expect(normaliseTitle("“三公” 经费（小计）")).toBe("三公经费(小计)");
  });
  it("read the unit from a header line", () => {
    expect(
      matchUnit("编制部门：上海市普陀区财政局 单位：元", catalog)?.unit,
    ).toBe("元");
    expect(matchUnit("单位:万元", catalog)?.unit).toBe("万元");
    expect(matchUnit("金额单位：万元", catalog)?.unit).toBe("万元");
    expect(matchUnit("部门名称：江苏省高级人民法院", catalog)).toBeNull();
  });
  it("refuse a broken title file", () => {
    expect(() => compileTableTitles({ kinds: [] })).toThrow();
  });
});
