/**
 * extractTables on documents built word by word (the published PDFs are in test/audit/table-extract.test.ts): what a
 * reader must do with columns, rows and pages, and where it must refuse to guess.
 */
import { describe, expect, it } from "vitest";
import type { DocumentText, TextPage, Word } from "./document-text.ts";
import { formatPrintedAmount } from "./printed-amount.ts";
import { extractTables } from "./table-extract.ts";
import {
  normaliseTitle,
  type TableKind,
  type TableTitleCatalog,
} from "./table-kinds.ts";

/** a small catalog of its own (the project's is data/audit/table-titles.yaml, tested with its loader) */
const kindOf = (id: string, titles: string[]): TableKind => ({
  id,
  zh: id,
  en: id,
  read: true,
  titles: titles.map(normaliseTitle),
});
const catalog: TableTitleCatalog = {
  kinds: [
    kindOf("expenditure", ["支出预算总表", "支出总体情况表"]),
    kindOf("income", ["收入预算总表"]),
    kindOf("government-fund", ["政府性基金预算支出功能分类预算表"]),
  ],
  prefixes: [/^\d{1,2}[.、]/u, /^.{0,40}?(19|20)\d{2}年度?/u, /^(部门|单位)/u],
  numberLine: /^(公开|附表|表)\d{1,2}表?$/u,
  units: [
    { unit: "万元", pattern: /单位[:：]?万元/u },
    { unit: "元", pattern: /单位[:：]?元/u },
  ],
  genericEndings: ["预算表", "情况表"],
  maxTitleLength: 40,
};
const EM = 10;
const isCjk = (c: string) => /[\u3000-\u9fff\uff00-\uffef]/u.test(c);
/** a word starting at x0 on the line at y (its width from its characters: CJK one em, others half) */
const w = (text: string, x0: number, y: number): Word => {
  const width = [...text].reduce((s, c) => s + (isCjk(c) ? EM : EM / 2), 0);
  return { text, x0, x1: x0 + width, y0: y, y1: y + EM };
};
/** a number right-aligned at x1 */
const n = (text: string, x1: number, y: number): Word => {
  const width = [...text].length * (EM / 2);
  return { text, x0: x1 - width, x1, y0: y, y1: y + EM };
};
const page = (number: number, words: Word[]): TextPage => ({
  number,
  width: 600,
  height: 800,
  words,
});
const doc = (pages: TextPage[]): DocumentText => ({
  source: "test.pdf",
  reader: "pdftotext",
  geometry: "pdf",
  pages,
});
const cells = (r: {
  cells: readonly {
    text: string;
    kind: string;
    amount?: { value: bigint; decimals: number };
  }[];
}) =>
  r.cells.map((c) =>
    c.kind === "amount" ? formatPrintedAmount(c.amount!) : c.text,
  );

const header = (y: number): Word[] => [
  w("项目", 145, y),
  w("支出预算", 380, y),
  w("科目编码", 40, y + 30),
  w("科目名称", 150, y + 30),
  w("合计", 300, y + 30),
  w("基本支出", 380, y + 30),
  w("项目支出", 480, y + 30),
];

const title = (y: number) => [
  w("2025年部门支出预算总表", 180, y),
  w("编制部门：某局", 40, y + 30),
  w("单位：元", 500, y + 30),
];

/** a text source: each line's words at their character columns */
const text = (lines: string[]): DocumentText => ({
  source: "t.txt",
  reader: "text",
  geometry: "text",
  pages: [
    {
      number: 1,
      width: 100,
      height: lines.length + 1,
      words: lines.flatMap((l, i) => {
        const out: Word[] = [];
        let col = 0;
        for (const part of l.split(/( +)/)) {
          const width = [...part].reduce((s, c) => s + (isCjk(c) ? 2 : 1), 0);
          if (part.trim())
            out.push({
              text: part,
              x0: col,
              x1: col + width,
              y0: i + 1,
              y1: i + 2,
            });
          col += width;
        }
        return out;
      }),
    },
  ],
});

describe("extractTables on a built PDF page", () => {
  it("reads title, unit, a two-level header, codes, names and right-aligned amounts; a blank is blank", () => {
    const x = extractTables(
      doc([
        page(1, [
          ...title(50),
          ...header(110),
          w("201", 40, 180),
          w("一般公共服务支出", 120, 180),
          n("1,036.75", 340, 180),
          n("1,000.00", 440, 180),
          n("36.75", 540, 180),
          w("2010101", 40, 200),
          w("人大事务", 120, 200),
          n("36.75", 340, 200),
          n("36.75", 540, 200),
          w("合计", 150, 220),
          n("1,036.75", 340, 220),
          n("1,000.00", 440, 220),
          n("36.75", 540, 220),
        ]),
      ]),
      catalog,
    );
    expect(x.notChecked).toEqual([]);
    const t = x.tables[0]!;
    expect([t.title, t.kind, t.unit]).toEqual([
      "2025年部门支出预算总表",
      "expenditure",
      "元",
    ]);
    expect(t.columns.map((c) => `${c.label}<${c.kind}>`)).toEqual([
      "项目/科目编码<code>",
      "项目/科目名称<name>",
      "支出预算/合计<amount>",
      "支出预算/基本支出<amount>",
      "支出预算/项目支出<amount>",
    ]);
    expect(t.rows.map(cells)).toEqual([
      ["201", "一般公共服务支出", "1036.75", "1000.00", "36.75"],
      ["2010101", "人大事务", "36.75", "", "36.75"],
      ["", "合计", "1036.75", "1000.00", "36.75"],
    ]);
    expect(t.rows[1]!.cells[3]!.kind).toBe("blank");
    expect(t.rows[0]!.cells[0]!.kind).toBe("code");
  });

  it("joins a name wrapped over two lines, and continues the table on the next page without a header", () => {
    const x = extractTables(
      doc([
        page(1, [
          ...title(50),
          ...header(110),
          w("208", 40, 180),
          w("社会保障和就业支出", 120, 180),
          n("20.00", 340, 180),
          n("20.00", 440, 180),
          w("2080505", 40, 200),
          w("机关事业单位基本养老", 120, 200),
          n("20.00", 340, 200),
          n("20.00", 440, 200),
          w("保险缴费支出", 120, 213),
          n("7", 300, 780),
        ]),
        page(2, [
          w("221", 40, 60),
          w("住房保障支出", 120, 60),
          n("5.00", 340, 60),
          n("5.00", 540, 60),
          w("合计", 150, 80),
          n("25.00", 340, 80),
          n("20.00", 440, 80),
          n("5.00", 540, 80),
          n("8", 300, 780),
        ]),
      ]),
      catalog,
    );
    const t = x.tables[0]!;
    expect(t.pages).toEqual([1, 2]);
    expect(t.rows.map(cells)).toEqual([
      ["208", "社会保障和就业支出", "20.00", "20.00", ""],
      ["2080505", "机关事业单位基本养老保险缴费支出", "20.00", "20.00", ""],
      ["221", "住房保障支出", "5.00", "", "5.00"],
      ["", "合计", "25.00", "20.00", "5.00"],
    ]);
  });

  it("does not guess a number that falls between two columns: the row is not read, and listed", () => {
    const rows: Word[] = [];
    for (let i = 0; i < 6; i++)
      rows.push(
        w(String(301 + i), 40, 180 + 20 * i),
        w("工资福利支出", 120, 180 + 20 * i),
        n("20.00", 340, 180 + 20 * i),
        n("10.00", 440, 180 + 20 * i),
        n("10.00", 540, 180 + 20 * i),
      );
    rows.push(
      w("399", 40, 300),
      w("其他支出", 120, 300),
      n("3.00", 340, 300),
      n("3.00", 490, 300),
    );
    const x = extractTables(
      doc([page(1, [...title(50), ...header(110), ...rows])]),
      catalog,
    );
    const t = x.tables[0]!;
    expect(
      t.rows
        .filter((r) => !r.readable)
        .map((r) => [r.cells[1]!.text, r.problem]),
    ).toEqual([["其他支出", "column-ambiguous"]]);
    expect(x.notChecked.map((nc) => [nc.scope, nc.reason, nc.page])).toEqual([
      ["row", "column-ambiguous", 1],
    ]);
  });

  it("reads no table from a contents page or a sentence that names a table", () => {
    const x = extractTables(
      doc([
        page(1, [
          w("目录", 280, 40),
          w("1.2025年部门支出预算总表……………3", 60, 80),
          w("2.2025年部门收入预算总表……………4", 60, 100),
          w(
            "本部门无政府性基金预算，政府性基金预算支出功能分类预算表为空表。",
            40,
            140,
          ),
        ]),
      ]),
      catalog,
    );
    expect(x.tables).toEqual([]);
  });
});

describe("extractTables on plain text (columns lost)", () => {
  const table = [
    "表 3",
    "部门支出总体情况表",
    "编制部门：某局 单位：万元",
    "科目 支出预算",
    "功能分类科目名称 合计 基本支出 项目支出",
    "类 款 项",
    "※ ※ ※ ※ 1 2 3",
  ];

  it("places the numbers of each row by the table's own sums, and lists the relations used", () => {
    const x = extractTables(
      text([
        ...table,
        "总计 30.00 20.00 10.00",
        "201 一般公共服务支出 30.00 20.00 10.00",
        "201 03 办公厅事务 30.00 20.00 10.00",
        "201 03 01 行政运行 20.00 20.00",
        "201 03 02 一般行政管理事务 10.00 10.00",
      ]),
      catalog,
    );
    const t = x.tables[0]!;
    expect(t.geometry).toBe("text");
    expect(t.rows.map(cells)).toEqual([
      ["", "", "", "总计", "30.00", "20.00", "10.00"],
      ["201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"],
      ["201", "03", "", "办公厅事务", "30.00", "20.00", "10.00"],
      ["201", "03", "01", "行政运行", "20.00", "20.00", ""],
      ["201", "03", "02", "一般行政管理事务", "10.00", "", "10.00"],
    ]);
    expect(t.placedBy.map((p) => [p.relation, p.rows])).toEqual([
      ["parent-children", [3, 4]],
    ]);
  });

  it("leaves a row whose numbers fit its columns in more than one way unread, and says so", () => {
    const x = extractTables(
      text([
        ...table,
        "总计 20.00 20.00",
        "201 一般公共服务支出 20.00 20.00",
        "201 03 办公厅事务 20.00 20.00",
      ]),
      catalog,
    );
    expect(x.tables).toEqual([]);
    expect(x.notChecked.map((nc) => [nc.scope, nc.reason])).toEqual([
      ["table", "placement-ambiguous"],
    ]);
  });

  it("refuses a row with more numbers than the table has columns", () => {
    const x = extractTables(
      text([
        ...table,
        "总计 30.00 20.00 10.00",
        "201 一般公共服务支出 30.00 20.00 10.00 5.00",
      ]),
      catalog,
    );
    const t = x.tables[0]!;
    expect(t.rows[1]!.readable).toBe(false);
    expect(t.rows[1]!.problem).toBe("more-numbers-than-columns");
  });
});
