import { describe, expect, it } from "vitest";
import type { TextPage, Word } from "./document-text.ts";
import { joinWords, pageLines, squeezeSpaces } from "./text-lines.ts";

const w = (text: string, x0: number, y0: number, x1: number, y1: number): Word => ({ text, x0, y0, x1, y1 });
const page = (words: Word[]): TextPage => ({ number: 1, width: 595, height: 842, words });

describe("pageLines", () => {
  it("puts a word whose box is many times too tall on the line its bottom stands on", () => {
    // as the published ONLYOFFICE 决算 prints them (page 22): the amount's box starts a line higher than its line
    const lines = pageLines(
      page([
        w("1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人", 78, 66.33, 516, 88.68),
        w("员经费及公用经费等的基本支出。年初预算为", 72, 94.7, 312, 97.77),
        w("1560.05", 315, 80.3, 354, 102.65),
        w("万元，支出决算为1511.89万", 357, 94.7, 504, 97.77),
        w("元。", 72, 108.55, 96, 111.63),
        w("决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。", 99, 108.55, 495, 111.63),
        w("2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于：", 78, 122.07, 516, 144.41),
        w("局财政业务指导与宣传等基本支出。年初预算为", 72, 150.44, 324, 153.51),
      ]),
      "pdf",
    );
    expect(lines.map((l) => l.text)).toEqual([
      "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人",
      "员经费及公用经费等的基本支出。年初预算为1560.05万元，支出决算为1511.89万",
      "元。决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。",
      "2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于：",
      "局财政业务指导与宣传等基本支出。年初预算为",
    ]);
  });

  it("keeps a tall box whose top stands on the line above it on its own line below (page 21)", () => {
    const lines = pageLines(
      page([
        w("三、支出决算情况说明", 96, 317.3, 216, 320.4),
        w("本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；", 96, 345.3, 463, 348.3),
        w("项目支出", 466, 345.3, 514, 348.3),
        w("603.14万元，占20.51%；", 72, 344.8, 202, 367.2),
        w("四、财政拨款收入支出决算总体情况说明", 96, 387.1, 312, 390.1),
      ]),
      "pdf",
    );
    expect(lines.map((l) => l.text)).toEqual([
      "三、支出决算情况说明",
      "本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出",
      "603.14万元，占20.51%；",
      "四、财政拨款收入支出决算总体情况说明",
    ]);
  });

  it("reads the lines of a plain text by their line numbers", () => {
    const lines = pageLines(page([w("2024", 10, 1, 14, 2), w("年", 15, 1, 17, 2), w("第二行", 0, 3, 6, 4)]), "text");
    expect(lines.map((l) => [l.text, l.y0])).toEqual([
      ["2024年", 1],
      ["第二行", 3],
    ]);
  });
});

describe("joining words", () => {
  it("drops layout spaces but keeps two numbers apart", () => {
    expect(joinWords([w("2010301", 0, 0, 40, 10), w("231.52", 50, 0, 80, 10), w("万元", 82, 0, 100, 10)], 2)).toBe("2010301 231.52万元");
    expect(squeezeSpaces("增长 0.24% ，主要 原因")).toBe("增长0.24%，主要原因");
    expect(squeezeSpaces("2.85  2.00")).toBe("2.85 2.00");
  });
});
