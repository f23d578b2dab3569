import { describe, expect, it } from "vitest";
import { breakLines, justifySpacing, keepLines, linesContent, wrapText, type TextMeasure } from "./pdf-lines.ts";

/** A monospaced measure: ideographs 1 em, everything else 0.5 em (bold the same). */
const mono: TextMeasure = { width: (text, size) => [...text].reduce((s, c) => s + (c.codePointAt(0)! > 0x2000 ? 1 : 0.5), 0) * size };
const text = (lines: ReturnType<typeof breakLines>) => lines.map((l) => l.spans.map((s) => s.text).join(""));

describe("line breaking", () => {
  it("breaks ideographs anywhere, to the width", () => {
    expect(wrapText("一二三四五六七", 30.6, 10, mono)).toEqual(["一二三", "四五六", "七"]);
  });

  it("keeps closing punctuation off a line's start and opening brackets off its end", () => {
    expect(wrapText("一二三，四", 30.6, 10, mono)).toEqual(["一二", "三，四"]);
    expect(wrapText("一二（三四", 30.6, 10, mono)).toEqual(["一二", "（三四"]);
  });

  it("keeps a run of digits whole and drops the spaces a line ends with", () => {
    expect(wrapText("一二 482.45 三", 40.6, 10, mono)).toEqual(["一二", "482.45", "三"]);
  });

  it("breaks a run longer than the line between its characters", () => {
    expect(wrapText("12345678", 20.6, 10, mono)).toEqual(["1234", "5678"]);
  });

  it("keeps line breaks of the text and narrows the first line by the indent", () => {
    expect(wrapText("一二\n三", 100, 10, mono)).toEqual(["一二", "三"]);
    expect(text(breakLines([{ text: "一二三四五六" }], 40.6, 10, mono, 20))).toEqual(["一二", "三四五六"]);
  });

  it("keeps bold and regular spans apart on a line", () => {
    const [line] = breakLines([{ text: "标签：", bold: true }, { text: "值" }], 100, 10, mono);
    expect(line!.spans).toEqual([{ text: "标签：", bold: true }, { text: "值" }]);
    expect(line!.width).toBe(40);
  });

  it("justifies every line but the last, and never with visible gaps", () => {
    const lines = breakLines([{ text: "一二三四五六七" }], 31.6, 10, mono);
    expect(justifySpacing(lines[0]!, 31.6, 1.2)).toBeCloseTo((31.1 - 30) / 2);
    expect(justifySpacing(lines[lines.length - 1]!, 31.6, 1.2)).toBe(0);
    expect(justifySpacing(breakLines([{ text: "一二 1234567890" }], 60, 10, mono)[0]!, 60, 1.2)).toBe(0);
  });

  it("hands pdfmake whole lines", () => {
    expect(linesContent(["一"])).toEqual({ text: "一", noWrap: true });
    expect(linesContent(["一", "二"])).toEqual({ stack: [{ text: "一", noWrap: true }, { text: "二", noWrap: true }] });
  });
});

const kept = (n: number) => keepLines(Array.from({ length: n }, (_, i) => i));

describe("widows and orphans", () => {
  it("keeps the first two and the last two lines of a paragraph together", () => {
    expect(kept(1)).toEqual([0]);
    expect(kept(2)).toEqual([{ stack: [0, 1], unbreakable: true }]);
    expect(kept(3)).toEqual([{ stack: [0, 1, 2], unbreakable: true }]);
    expect(kept(4)).toEqual([
      { stack: [0, 1], unbreakable: true },
      { stack: [2, 3], unbreakable: true },
    ]);
    expect(kept(6)).toEqual([{ stack: [0, 1], unbreakable: true }, 2, 3, { stack: [4, 5], unbreakable: true }]);
  });

  it("allows a page break only where it leaves at least two lines on each side", () => {
    for (let n = 1; n <= 12; n++) {
      // a break may fall between the groups only: the line counts before each possible break
      const groups = kept(n).map((g) => (typeof g === "number" ? 1 : g.stack.length));
      expect(groups.reduce((a, b) => a + b, 0)).toBe(n);
      let before = 0;
      for (const size of groups.slice(0, -1)) {
        before += size;
        expect(before, `${n} lines`).toBeGreaterThanOrEqual(2);
        expect(n - before, `${n} lines`).toBeGreaterThanOrEqual(2);
      }
    }
  });
});
