/**
 * The tables of the published PDFs and of the seed text, read by `extractTables` (issue 14, point 3), against what a
 * person read in the documents:
 *
 * - for every published PDF in test/reference/published/: the number of tables, each one's title, kind and unit, in
 *   order, as read from the document's pages (its table of contents and its table pages);
 * - for each PDF at least two tables transcribed by hand from the page images (test/audit/tables/*.csv, each with a
 *   comment line saying which pages and how they were read): the column labels and every cell — text, blank, or an
 *   exact amount — equal the transcription. They include tables that continue over a page break with and without
 *   their header, two- and three-level headers, names wrapped over two lines and 类/款/项 code columns;
 * - the seed text (columns lost): 表3, 表5 and 表6 placed by the tables' own sums equal the reference transcription
 *   (test/reference/changji-xinfang-2024/expected/t03, t05, t06), with the relations used listed; 表2, whose rows
 *   fit its twelve columns in many ways, is listed as not read.
 *
 * The PDFs are read with poppler (`pdftotext -bbox-layout`), each once. Without poppler those tests are skipped with
 * the reason printed, except under CI=true, where they fail. One PDF is also read with pdf.js (pure JS, no poppler),
 * and must give the same tables.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/adapters/audit/read-document.ts";
import { tableTitles } from "../../src/adapters/audit/table-titles.ts";
import { parseCsv } from "../../src/domain/csv-format.ts";
import {
  formatPrintedAmount,
  parsePrintedAmount,
} from "../../src/domain/audit/printed-amount.ts";
import {
  extractTables,
  type ExtractedTable,
  type TableExtraction,
} from "../../src/domain/audit/table-extract.ts";
import { normaliseTitle } from "../../src/domain/audit/table-kinds.ts";

const HAVE_POPPLER = spawnSync("pdftotext", ["-v"]).error === undefined;
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI)
  console.warn(
    "table-extract.test.ts: PDF tests skipped — pdftotext (poppler-utils) is not installed; it is mandatory under CI=true",
  );

const ROOT = join(import.meta.dirname, "..", "..");
const PUBLISHED = join(ROOT, "test", "reference", "published");
const TABLES = join(import.meta.dirname, "tables");

type Listed = readonly [
  title: string,
  kind: string | null,
  unit: "元" | "万元",
];

/** The tables of each document as read from its pages, in order. */
const SHANGHAI_BUDGET: readonly Listed[] = [
  ["2025年部门财务收支预算总表", "income-expenditure", "元"],
  ["2025年部门收入预算总表", "income", "元"],
  ["2025年部门支出预算总表", "expenditure", "元"],
  ["2025年部门财政拨款收支预算总表", "appropriation", "元"],
  ["2025年部门一般公共预算支出功能分类预算表", "gpb-function", "元"],
  ["2025年部门政府性基金预算支出功能分类预算表", "government-fund", "元"],
  ["2025年部门国有资本经营预算支出功能分类预算表", "state-capital", "元"],
  ["2025年部门一般公共预算基本支出部门预算经济分类预算表", "gpb-basic", "元"],
  ["2025年部门“三公”经费和机关运行经费预算表", "three-public", "万元"],
];
const SHANGHAI_ACCOUNTS = (withExpenditure: boolean): Listed[] => [
  ["收入支出决算总表", "income-expenditure", "万元"],
  ["收入决算表", "income", "万元"],
  ...(withExpenditure ? [["支出决算表", "expenditure", "万元"] as const] : []),
  ["财政拨款收入支出决算总表", "appropriation", "万元"],
  ["一般公共预算财政拨款支出决算表", "gpb-function", "万元"],
  ["一般公共预算财政拨款基本支出决算表", "gpb-basic", "万元"],
  ["财政拨款“三公”经费支出决算表", "three-public", "万元"],
  ["政府性基金预算财政拨款收入支出决算表", "government-fund", "万元"],
  ["国有资本经营预算财政拨款收入支出决算表", "state-capital", "万元"],
];

interface Doc {
  readonly file: string;
  readonly tables: readonly Listed[];
  /** transcriptions: csv file → index of the table in `tables` */
  readonly transcribed: Readonly<Record<string, number>>;
}

const DOCS: readonly Doc[] = [
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    tables: [
      ["收支预算总表", "income-expenditure", "万元"],
      ["收入预算总表", "income", "万元"],
      ["支出预算总表", "expenditure", "万元"],
      ["财政拨款收支预算总表", "appropriation", "万元"],
      ["财政拨款支出预算表（功能科目）", "appropriation-function", "万元"],
      ["财政拨款基本支出预算表（经济科目）", "appropriation-basic", "万元"],
      ["一般公共预算支出预算表（功能科目）", "gpb-function", "万元"],
      ["一般公共预算基本支出预算表（经济科目）", "gpb-basic", "万元"],
      ["“三公”经费、会议费、培训费支出预算表", "three-public", "万元"],
      ["政府性基金预算财政拨款支出预算表", "government-fund", "万元"],
      ["一般公共预算机关运行经费支出预算表", "office-running", "万元"],
      ["政府采购支出预算表", "procurement", "万元"],
    ],
    transcribed: {
      "02-gongkai04.csv": 3,
      "02-gongkai05.csv": 4,
      "02-gongkai09.csv": 8,
    },
  },
  {
    file: "08-putuo-shangwuwei-2025-bumen-yusuan.pdf",
    tables: SHANGHAI_BUDGET,
    transcribed: { "08-income.csv": 1, "08-three-public.csv": 8 },
  },
  {
    file: "11-putuo-caizhengju-2025-bumen-yusuan.pdf",
    tables: SHANGHAI_BUDGET,
    transcribed: { "11-summary.csv": 0, "11-basic-economic.csv": 7 },
  },
  {
    file: "14-putuo-wanlijiedao-2025-bumen-yusuan.pdf",
    tables: SHANGHAI_BUDGET,
    transcribed: { "14-appropriation.csv": 3, "14-three-public.csv": 8 },
  },
  {
    file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf",
    tables: SHANGHAI_ACCOUNTS(true),
    transcribed: { "18-income.csv": 1, "18-three-public.csv": 6 },
  },
  // the planted-errors copy prints no 支出决算表
  {
    file: "X1-putuo-caizhengju-2024-bumen-juesuan-planted-errors.pdf",
    tables: SHANGHAI_ACCOUNTS(false),
    transcribed: { "X1-summary.csv": 0, "X1-income.csv": 1 },
  },
];

/** Cell text as compared: NFKC, no whitespace. */
const norm = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");
/** A label path as compared: its words in order, without separators, quotation marks or spaces. */
const label = (s: string) => normaliseTitle(s.replace(/\//g, ""));

function readTranscription(file: string): {
  header: string[];
  rows: string[][];
} {
  const text = readFileSync(join(TABLES, file), "utf8");
  const lines = text.split("\n");
  expect(
    lines[0],
    `${file} starts with a comment saying how it was read`,
  ).toMatch(/^# .+page/);
  const [header, ...rows] = parseCsv(lines.slice(1).join("\n")).filter((r) =>
    r.some((c) => c !== ""),
  );
  return { header: header ?? [], rows };
}

/** Cell-by-cell differences of a table against a transcription (empty when equal). */
function diffTable(
  t: ExtractedTable,
  want: { header: string[]; rows: string[][] },
): string[] {
  const out: string[] = [];
  const labels = t.columns.map((c) => label(c.label));
  const wantLabels = want.header.map(label);
  if (labels.join("|") !== wantLabels.join("|"))
    out.push(
      `columns: got ${JSON.stringify(t.columns.map((c) => c.label))} want ${JSON.stringify(want.header)}`,
    );
  if (t.rows.length !== want.rows.length)
    out.push(`rows: got ${t.rows.length} want ${want.rows.length}`);
  want.rows.forEach((w, i) => {
    const row = t.rows[i];
    if (!row) return;
    if (!row.readable)
      out.push(`row ${i + 1}: not read (${row.problem ?? ""})`);
    w.forEach((cell, j) => {
      const got = row.cells[j];
      const where = `row ${i + 1} (${w.find((c) => c !== "") ?? ""}) col ${j + 1}`;
      if (!got) return void out.push(`${where}: missing`);
      const amount = /^-?[\d,]+(\.\d+)?$/.test(cell)
        ? parsePrintedAmount(cell)
        : null;
      if (cell === "") {
        if (got.kind !== "blank")
          out.push(
            `${where}: got ${got.kind} ${JSON.stringify(got.text)}, want blank`,
          );
      } else if (amount && t.columns[j]?.kind === "amount") {
        if (
          got.kind !== "amount" ||
          got.amount?.value !== amount.value ||
          got.amount.decimals !== amount.decimals
        )
          out.push(
            `${where}: got ${got.kind} ${got.amount ? formatPrintedAmount(got.amount) : JSON.stringify(got.text)}, want ${cell}`,
          );
      } else if (
        norm(got.text) !== norm(cell) ||
        got.kind === "amount" ||
        got.kind === "blank"
      )
        out.push(
          `${where}: got ${got.kind} ${JSON.stringify(got.text)}, want ${JSON.stringify(cell)}`,
        );
    });
    if (row.cells.length !== w.length)
      out.push(`row ${i + 1}: ${row.cells.length} cells, want ${w.length}`);
  });
  return out;
}

describe.skipIf(!HAVE_POPPLER && !CI)(
  "tables of the published PDFs, read with poppler",
  () => {
    const read = new Map<string, TableExtraction>();
    beforeAll(async () => {
      for (const d of DOCS) {
        const r = await readDocument(join(PUBLISHED, d.file), {
          reader: "pdftotext",
        });
        if (!r.ok) throw new Error(`${d.file}: ${r.reason} ${r.detail}`);
        read.set(d.file, extractTables(r.text, tableTitles()));
      }
    });

    for (const d of DOCS) {
      describe(d.file, () => {
        it(`finds its ${d.tables.length} tables, with their titles, kinds and units`, () => {
          const x = read.get(d.file)!;
          expect(x.tables.map((t) => [t.title, t.kind, t.unit])).toEqual(
            d.tables.map(([title, kind, unit]) => [
              normaliseTitle(title),
              kind,
              unit,
            ]),
          );
          // every table read with confidence: no row of these documents is left unread
          expect(
            x.notChecked.filter((n) => n.reason !== "kind-not-read"),
          ).toEqual([]);
          for (const t of x.tables) expect(t.geometry).toBe("pdf");
        });
        for (const [csv, index] of Object.entries(d.transcribed))
          it(`reads ${csv} cell by cell as transcribed`, () => {
            const t = read.get(d.file)!.tables[index];
            expect(t, `table ${index}`).toBeDefined();
            expect(diffTable(t!, readTranscription(csv))).toEqual([]);
          });
      });
    }

    it("reads a table over two pages as one table, the page header repeated or not (收入预算总表, 收入决算表)", () => {
      expect(read.get(DOCS[1]!.file)!.tables[1]!.pages).toEqual([10, 11]);
      expect(read.get(DOCS[4]!.file)!.tables[1]!.pages).toEqual([8, 9]);
      expect(read.get(DOCS[2]!.file)!.tables[7]!.pages).toEqual([19, 20]);
    });

    it("keeps the empty-table sentence as the table's note, and its 合计 row blank", () => {
      const fund = read.get(DOCS[2]!.file)!.tables[5]!;
      expect(fund.notes.map(norm)).toEqual([
        norm(
          "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。",
        ),
      ]);
      expect(
        fund.rows.map((r) =>
          r.cells.map((c) => c.text).filter((x) => x !== ""),
        ),
      ).toEqual([["合计"]]);
      expect(fund.rows[0]!.cells.filter((c) => c.kind === "amount")).toEqual(
        [],
      );
    });

    it("reads codes as codes, never as amounts", () => {
      for (const x of read.values())
        for (const t of x.tables)
          t.columns.forEach((c, j) => {
            if (c.kind !== "code") return;
            for (const r of t.rows)
              expect(
                r.cells[j]!.kind === "code" || r.cells[j]!.kind === "blank",
                `${t.title}: ${r.cells[j]!.text}`,
              ).toBe(true);
          });
    });
  },
);

describe("tables of a published PDF read with pdf.js (the reader that needs no poppler)", () => {
  const d = DOCS[4]!;
  let x: TableExtraction;
  beforeAll(async () => {
    const r = await readDocument(join(PUBLISHED, d.file), { reader: "pdfjs" });
    if (!r.ok) throw new Error(`${d.file}: ${r.reason} ${r.detail}`);
    x = extractTables(r.text, tableTitles());
  });
  it(`finds the ${d.tables.length} tables of ${d.file} and reads its transcribed tables cell by cell`, () => {
    expect(x.tables.map((t) => [t.title, t.kind, t.unit])).toEqual(
      d.tables.map(([title, kind, unit]) => [
        normaliseTitle(title),
        kind,
        unit,
      ]),
    );
    for (const [csv, index] of Object.entries(d.transcribed))
      expect(diffTable(x.tables[index]!, readTranscription(csv)), csv).toEqual(
        [],
      );
  });
});

/** a table of the reference transcription of the seed (test/reference/changji-xinfang-2024/expected/) */
function expected(name: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parseCsv(
    readFileSync(
      join(ROOT, "test", "reference", "changji-xinfang-2024", "expected", name),
      "utf8",
    ),
  ).filter((r) => r.some((c) => c !== ""));
  return { header: header!, rows };
}

describe("tables of the seed text (columns lost)", () => {
  let x: TableExtraction;
  beforeAll(async () => {
    const r = await readDocument(
      join(
        ROOT,
        "test",
        "reference",
        "seed",
        "changji-xinfang-2024-budget.txt",
      ),
    );
    if (!r.ok) throw new Error(`${r.reason} ${r.detail}`);
    x = extractTables(r.text, tableTitles());
  });
  const table = (title: string) => x.tables.find((t) => t.title === title);

  for (const [title, csv] of [
    ["部门支出总体情况表", "t03.csv"],
    ["一般公共预算支出情况表", "t05.csv"],
    ["一般公共预算基本支出情况表", "t06.csv"],
  ] as const)
    it(`places every number of ${title} as the reference transcribes it (${csv}), by the table's own sums`, () => {
      const t = table(title);
      expect(t, title).toBeDefined();
      const want = expected(csv);
      // plain text has no column labels to read: the amount columns are the printed column numbers 1, 2, 3
      expect(
        diffTable(t!, {
          header: t!.columns.map((c) => c.label),
          rows: want.rows,
        }),
      ).toEqual([]);
      expect(t!.placedBy.length).toBeGreaterThan(0);
      expect(
        t!.placedBy.every(
          (p) =>
            p.relation === "parent-children" || p.relation === "total-classes",
        ),
      ).toBe(true);
    });

  it("lists what it could not place: 表2 (twelve columns), the rows of 表4 whose side prints two numbers", () => {
    expect(table("部门收入总体情况表")).toBeUndefined();
    expect(
      x.notChecked.some(
        (n) =>
          n.table === "部门收入总体情况表" &&
          n.scope === "table" &&
          n.reason === "placement-ambiguous",
      ),
    ).toBe(true);
    const t4 = table("财政拨款收支预算总体情况表")!;
    expect(
      t4.rows
        .filter((r) => !r.readable)
        .map((r) => r.numbers?.map(formatPrintedAmount)),
    ).toEqual([
      ["537.45", "423.59", "423.59"],
      ["60.57", "60.57"],
      ["21.39", "21.39"],
      ["31.90", "31.90"],
      ["537.45", "537.45", "537.45"],
    ]);
  });

  it("reads 表1 side by side: each side's one amount column is placed without ambiguity", () => {
    const t1 = table("部门收支总体情况表")!;
    expect(t1.unit).toBe("万元");
    expect(t1.rows.every((r) => r.readable)).toBe(true);
    const first = t1.rows[0]!.cells.map((c) => c.text);
    expect(first).toEqual([
      "一、本年收入",
      "546.59",
      "201",
      "一般公共服务支出",
      "436.35",
    ]);
    const last = t1.rows[t1.rows.length - 1]!.cells.map((c) => c.text);
    expect(last).toEqual(["收入总计", "551.44", "", "支出总计", "551.44"]);
  });

  it("keeps the empty-table sentence of 表8 as its note, not a row", () => {
    const t8 = table("政府性基金预算支出情况表")!;
    expect(t8.rows).toEqual([]);
    expect(t8.notes.map(norm)).toEqual([
      norm(
        "昌吉回族自治州信访局 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。",
      ),
    ]);
  });
});
