import { describe, expect, it } from "vitest";
import { displayWidth, helpColumns, padDisplay, wrapDisplay } from "./help-columns.ts";

describe("help columns by display width", () => {
  it("counts a Chinese character as two columns", () => {
    expect(displayWidth("预算")).toBe(4);
    expect(displayWidth("build <预算文件>")).toBe(16);
    expect(padDisplay("new <文件夹>", 14)).toBe("new <文件夹>  ");
  });

  it("starts the text of every row at the same display column", () => {
    const lines = helpColumns(
      [
        ["build <预算文件>", "生成"],
        ["workbook", "工作簿"],
        ["--lang zh|en", "language"],
      ],
      { width: 80 },
    );
    const at = lines.map((l) => displayWidth(l.slice(0, l.search(/(生成|工作簿|language)/))));
    expect(new Set(at)).toEqual(new Set([2 + 16 + 2]));
  });

  it("puts a first cell wider than maxLeft on its own line, its text aligned below", () => {
    const lines = helpColumns(
      [
        ["--out <文件夹>", "输出文件夹"],
        ["--prior <上年预算文件|disclosure.json>", "由上年的预算文件推导"],
      ],
      { width: 80, maxLeft: 20 },
    );
    expect(lines).toEqual(["  --out <文件夹>  输出文件夹", "  --prior <上年预算文件|disclosure.json>", "                  由上年的预算文件推导"]);
  });

  it("wraps within the width, between English words and Chinese characters, never before closing punctuation", () => {
    const text = "使用正式的分类科目目录（func.csv、econ.csv），代替本系统的部分目录；未知科目即为错误";
    // its longest unbreakable run is 12 columns: “econ.csv），”
    for (const width of [12, 13, 17, 23, 30]) {
      const lines = wrapDisplay(text, width);
      expect(lines.join("")).toBe(text);
      for (const l of lines) {
        expect(displayWidth(l)).toBeLessThanOrEqual(width);
        expect(l).not.toMatch(/^[，。、；）]/);
        expect(l).not.toMatch(/[（]$/);
      }
    }
    expect(wrapDisplay("write only these formats (comma-separated; all by default)", 20)).toEqual(["write only these", "formats", "(comma-separated;", "all by default)"]);
  });
});
