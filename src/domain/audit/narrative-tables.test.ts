/**
 * narrativeAgainstTables on small made-up tables and claims (the published documents are in
 * test/audit/expectations.test.ts): where a figure's cell is, how the two printings compare, and where the check must
 * refuse to guess. The figures here were worked out by hand (873,617.00 元 = 87.3617 万元 → 87.36, …).
 */
import { describe, expect, it } from "vitest";
import type { DocumentText, TextPage, Word } from "./document-text.ts";
import type { ClaimSubject, FunctionPath, NarrativeAmount, NarrativeClaim, NarrativeReading } from "./narrative-claims.ts";
import type { NarrativeText } from "./narrative-sentences.ts";
import { compareFigure, hiddenRepeats, narrativeAgainstTables, rowLabel, type NarrativeTablesVocabulary } from "./narrative-tables.ts";
import type { ScopeId, SubjectDef, TableRef } from "./narrative-vocabulary.ts";
import { parsePrintedAmount, tokenKind } from "./printed-amount.ts";
import type { ColumnKind, ExtractedCell, ExtractedTable } from "./table-model.ts";
import type { DocumentKind } from "./audit-report.ts";

// the scope words (as data/audit/narrative-subjects.yaml has them); the subjects and their addresses are made up for
// each test
const SCOPES: NarrativeTablesVocabulary["scopes"] = [
  { id: "gpb", zh: "一般公共预算", names: ["一般公共预算财政拨款", "一般公共预算拨款", "一般公共预算"] },
  { id: "gf", zh: "政府性基金预算", names: ["政府性基金预算", "政府性基金"] },
  { id: "sc", zh: "国有资本经营预算", names: ["国有资本经营预算"] },
  { id: "appropriated", zh: "财政拨款", names: ["财政拨款"] },
];

const subject = (id: string, tables: TableRef[], extra: Partial<SubjectDef> = {}): SubjectDef => ({ id, zh: id, names: [], patterns: [], needsScope: [], scoped: false, tables, ...extra });

function vocabulary(subjects: SubjectDef[], functionTables: TableRef[] = []): NarrativeTablesVocabulary {
  return { scopes: SCOPES, subjects, functionTables };
}

// ---------------------------------------------------------------------------------------------------------------
// made-up tables

function cellOf(text: string, kind: ColumnKind): ExtractedCell {
  if (text === "") return { text, kind: "blank" };
  if (kind === "code") return { text, kind: "code" };
  if (kind === "amount") {
    const t = tokenKind(text);
    if (t === "dash") return { text, kind: "dash" };
    const a = parsePrintedAmount(text);
    if (a) return { text, kind: "amount", amount: a };
  }
  return { text, kind: "text" };
}

/** columns as [kind, header path ("收入预算/合计")]; rows as their printed cells */
function table(kind: string, unit: "元" | "万元" | null, columns: [ColumnKind, string][], rows: string[][], extra: Partial<ExtractedTable> = {}): ExtractedTable {
  return {
    kind,
    title: `${kind}表`,
    number: null,
    qualifier: null,
    page: 10,
    pages: [10],
    unit,
    unitText: unit,
    columns: columns.map(([k, label]) => ({ kind: k, label, header: label === "" ? [] : label.split("/") })),
    rows: rows.map((cells, i) => ({ page: 10, y: 100 + i * 20, readable: true, cells: cells.map((c, ci) => cellOf(c, columns[ci]![0])) })),
    notes: [],
    placedBy: [],
    geometry: "pdf",
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// made-up narrative: one sentence per claim, on page 3

interface ClaimSpec {
  readonly text: string;
  /** the words of the sentence that name the subject */
  readonly name: string;
  readonly id: string;
  /** the amount as printed in the sentence ("87.36万元") */
  readonly amount?: string;
  /** a final account's 年初预算 figure as printed ("0.95万元") */
  readonly budgeted?: string;
  readonly func?: FunctionPath;
  readonly scope?: ScopeId;
  readonly parent?: number;
}

function amountOf(printed: string): NarrativeAmount {
  const m = /^(-?[\d,]+(?:\.\d+)?)(万元|亿元|元)$/u.exec(printed);
  if (!m) throw new Error(`not an amount: ${printed}`);
  return { ...parsePrintedAmount(m[1]!)!, unit: m[2] as NarrativeAmount["unit"], text: printed };
}

function narrative(specs: readonly ClaimSpec[]): { nt: NarrativeText; reading: NarrativeReading } {
  let text = "";
  const sentenceStarts: number[] = [];
  const claims: NarrativeClaim[] = [];
  specs.forEach((s, i) => {
    const start = text.length;
    sentenceStarts.push(start);
    text += s.text;
    const at = (part: string, from = 0) => {
      const k = s.text.indexOf(part, from);
      if (k < 0) throw new Error(`"${part}" is not in "${s.text}"`);
      return { start: start + k, end: start + k + part.length };
    };
    const subj: ClaimSubject = { id: s.id, name: s.name, sentence: i, span: at(s.name), ...(s.func ? { func: s.func } : {}), ...(s.scope ? { scope: s.scope, scopeFrom: "words" as const } : {}) };
    const nameEnd = s.text.indexOf(s.name) + s.name.length;
    claims.push({
      index: i,
      sentence: i,
      sentences: [i],
      pages: [3],
      subject: subj,
      subjectInherited: false,
      ...(s.parent !== undefined ? { parent: s.parent } : {}),
      ...(s.amount ? { amount: { value: amountOf(s.amount), span: at(s.amount, nameEnd) } } : {}),
      ...(s.budgeted ? { execution: { budgeted: { value: amountOf(s.budgeted), span: at(s.budgeted, nameEnd) } } } : {}),
      inReason: false,
    });
  });
  const nt: NarrativeText = {
    source: "made-up",
    geometry: "pdf",
    sentences: specs.map((s, i) => ({ index: i, paragraph: i, kind: "text" as const, text: s.text, pages: [3], segments: [{ start: 0, page: 3, line: null }], headings: [] })),
    paragraphs: specs.map((s, i) => ({ index: i, kind: "text" as const, text: s.text, pages: [3], sentences: [i] })),
    tables: [],
    dropped: [],
    blankPages: [],
    pageCount: 12,
  };
  return { nt, reading: { text, sentenceStarts, sentences: [], claims, notRead: [] } };
}

const NO_TEXT: DocumentText = { source: "made-up", reader: "pdftotext", geometry: "pdf", pages: [] };

function check(specs: readonly ClaimSpec[], tables: readonly ExtractedTable[], v: NarrativeTablesVocabulary, kind: DocumentKind = "budget") {
  const { nt, reading } = narrative(specs);
  return narrativeAgainstTables({ doc: NO_TEXT, narrative: nt, reading, tables, tableProblems: [], kind, year: 2025, vocabulary: v });
}

// ---------------------------------------------------------------------------------------------------------------

describe("compareFigure: both printings' rounding", () => {
  it("converts 元 to 万元 exactly and allows half a step of each print", () => {
    // 873,617.00 元 = 87.3617 万元: 87.36 is its rounding
    expect(compareFigure(amountOf("87.36万元"), parsePrintedAmount("873,617.00"), "元")).toMatchObject({ ok: true });
    // 877,080.00 元 = 87.708 万元 → 87.71; 87.70 covers only [87.695, 87.705]
    expect(compareFigure(amountOf("87.70万元"), parsePrintedAmount("877,080.00"), "元")).toMatchObject({ ok: false, expected: "87.71", exact: "87.708" });
    expect(compareFigure(amountOf("87.71万元"), parsePrintedAmount("877,080.00"), "元")).toMatchObject({ ok: true });
    // 887.36 for 87.3617: far outside
    expect(compareFigure(amountOf("887.36万元"), parsePrintedAmount("873,617.00"), "元")).toMatchObject({ ok: false, expected: "87.36" });
  });

  it("is inclusive at the edge of the envelope", () => {
    // 873,650 元 = 87.365 万元: both 87.36 and 87.37 may be its rounding
    expect(compareFigure(amountOf("87.36万元"), parsePrintedAmount("873,650"), "元").ok).toBe(true);
    expect(compareFigure(amountOf("87.37万元"), parsePrintedAmount("873,650"), "元").ok).toBe(true);
    expect(compareFigure(amountOf("87.38万元"), parsePrintedAmount("873,650"), "元").ok).toBe(false);
  });

  it("takes each print's own precision: 6.2 (one decimal) against 6.20, 15 against 15", () => {
    expect(compareFigure(amountOf("6.2万元"), parsePrintedAmount("6.20"), "万元").ok).toBe(true);
    expect(compareFigure(amountOf("6.2万元"), parsePrintedAmount("6.26"), "万元").ok).toBe(false);
    // a table that prints whole 万元 (±0.5) and a narrative with two decimals (±0.005): 15.40 may be what prints 15
    expect(compareFigure(amountOf("15.40万元"), parsePrintedAmount("15"), "万元").ok).toBe(true);
    expect(compareFigure(amountOf("15.60万元"), parsePrintedAmount("15"), "万元").ok).toBe(false);
  });

  it("reads a blank cell as exactly zero", () => {
    expect(compareFigure(amountOf("0万元"), null, "万元").ok).toBe(true);
    expect(compareFigure(amountOf("0.00万元"), null, "元").ok).toBe(true);
    // 0.004 万元 would print 0.00: a narrative 0.00 is no proof of money; but 0.95 is not blank
    expect(compareFigure(amountOf("0.95万元"), null, "万元")).toMatchObject({ ok: false, expected: "0.00" });
  });

  it("converts 亿元", () => {
    expect(compareFigure({ ...parsePrintedAmount("3.72")!, unit: "亿元", text: "3.72亿元" }, parsePrintedAmount("37,151.47"), "万元").ok).toBe(true);
    expect(compareFigure({ ...parsePrintedAmount("3.70")!, unit: "亿元", text: "3.70亿元" }, parsePrintedAmount("37,151.47"), "万元").ok).toBe(false);
  });
});

describe("rowLabel", () => {
  it("takes off ordinals and 其中", () => {
    expect(rowLabel("一、财政拨款收入")).toBe("财政拨款收入");
    expect(rowLabel("1.一般公共预算资金")).toBe("一般公共预算资金");
    expect(rowLabel("（二）政府性基金")).toBe("政府性基金");
    expect(rowLabel("其中：一般财力")).toBe("一般财力");
    expect(rowLabel("收 入 总 计")).toBe("收入总计");
  });
});

// 表1 of a Shanghai budget, in 元: two sides
const summary = () =>
  table(
    "income-expenditure",
    "元",
    [["name", "本年收入/项目"], ["amount", "本年收入/预算数"], ["name", "本年支出/项目"], ["amount", "本年支出/预算数"]],
    [
      ["一、财政拨款收入", "31,214,205.80", "一、一般公共服务支出", "22,186,440.80"],
      ["二、事业收入", "", "二、社会保障和就业支出", "3,508,644.00"],
      ["收入总计", "31,214,205.80", "支出总计", "31,214,205.80"],
    ],
  );
const incomeTotal = subject("income.total", [{ kind: "income-expenditure", rows: ["收入总计"] }]);
const business = subject("income.business", [{ kind: "income-expenditure", rows: ["事业收入"] }]);

// 表1 read from plain text
const twoSides = (income: string, expenditure: string) =>
  table(
    "income-expenditure",
    "万元",
    [["name", "收入/项目"], ["amount", "收入/金额"], ["name", "支出/项目"], ["amount", "支出/金额"]],
    [
      ["二、事业收入", "", "一般公共服务支出", "551.44"],
      ["收入总计", income, "支出总计", expenditure],
    ],
    { geometry: "text" },
  );

describe("a figure against its cell", () => {
  it("finds the row on its side and converts the unit (3,121.42 万元 = 31,214,205.80 元)", () => {
    const r = check([{ text: "收入预算3,121.42万元。", name: "收入预算", id: "income.total", amount: "3,121.42万元" }], [summary()], vocabulary([incomeTotal]));
    expect(r.findings).toEqual([]);
    expect(r.counts.claims).toEqual({ read: 1, checked: 1 });
    expect([...r.cells]).toEqual(["0/2/1"]);
  });

  it("reports a figure outside the envelope, with the table's figure in the narrative's unit and the cell's place", () => {
    const r = check([{ text: "收入预算3,112.42万元。", name: "收入预算", id: "income.total", amount: "3,112.42万元" }], [summary()], vocabulary([incomeTotal]));
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f).toMatchObject({ code: "AUD-NARRATIVE", severity: "error", page: 3, quote: "收入预算3,112.42万元", expected: "3121.42万元", found: "3,112.42万元" });
    expect(f.related).toEqual([{ page: 10, line: null, quote: "收入总计 31,214,205.80" }]);
    expect(f.reason.zh).toContain("收入总计");
    expect(f.reason.en).toContain("收入总计");
  });

  it("reads a blank cell as zero: 事业收入0万元 agrees, 事业收入5.00万元 does not", () => {
    const v = vocabulary([business]);
    expect(check([{ text: "事业收入0万元。", name: "事业收入", id: "income.business", amount: "0万元" }], [summary()], v).findings).toEqual([]);
    const r = check([{ text: "事业收入5.00万元。", name: "事业收入", id: "income.business", amount: "5.00万元" }], [summary()], v);
    expect(r.findings.map((f) => [f.expected, f.found])).toEqual([["0.00万元（表中空白）", "5.00万元"]]);
  });

  it("does not check a subject whose label matches two rows of different figures, and says why", () => {
    const t = table(
      "income-expenditure",
      "万元",
      [["name", "收入/项目"], ["amount", "收入/金额"]],
      [
        ["1、一般公共预算拨款", "537.45"],
        ["二、上年结转结余", "4.85"],
        ["其中：一般公共预算拨款", "2.85"],
      ],
    );
    const gpb = subject("fund.gpb", [{ kind: "income-expenditure", rows: ["一般公共预算拨款"] }]);
    const r = check([{ text: "一般公共预算拨款500.00万元。", name: "一般公共预算拨款", id: "fund.gpb", amount: "500.00万元" }], [t], vocabulary([gpb]));
    expect(r.findings).toEqual([]);
    expect(r.counts.claims).toEqual({ read: 1, checked: 0 });
    expect(r.notChecked).toHaveLength(1);
    expect(r.notChecked[0]).toMatchObject({ what: "claim", page: 3, quote: "一般公共预算拨款500.00万元" });
    expect(r.notChecked[0]!.reason.zh).toContain("不止一处");
    // two rows of the same figure (the two sides of 总计) are one figure
    const both = table("income-expenditure", "万元", [["name", "收入/项目"], ["amount", "收入/金额"], ["name", "支出/项目"], ["amount", "支出/金额"]], [["总计", "551.44", "总计", "551.44"]]);
    const total = subject("total", [{ kind: "income-expenditure", rows: ["总计"] }]);
    const ok = check([{ text: "收支总预算551.44万元。", name: "收支总预算", id: "total", amount: "551.44万元" }], [both], vocabulary([total]));
    expect(ok.counts.claims.checked).toBe(1);
  });

  it("does not take a label's blank for zero when another side of a merged row prints the figure", () => {
    const t = table(
      "income-expenditure",
      "万元",
      [["name", "收入/项目"], ["amount", "收入/金额"], ["name", "支出/功能"], ["amount", "支出/金额"], ["name", "支出/用途"], ["amount", "支出/金额"]],
      [["收入合计", "37,188.34", "支出合计", "", "", "37,188.34"]],
    );
    const exp = subject("exp.total", [{ kind: "income-expenditure", rows: ["支出合计"] }]);
    const r = check([{ text: "支出预算37,188.34万元。", name: "支出预算", id: "exp.total", amount: "37,188.34万元" }], [t], vocabulary([exp]));
    expect(r.findings).toEqual([]);
    expect(r.counts.claims.checked).toBe(0);
  });

  it("does not check without a table of the kind, or a table without a unit", () => {
    const r = check([{ text: "收入预算3,121.42万元。", name: "收入预算", id: "income.total", amount: "3,121.42万元" }], [], vocabulary([incomeTotal]));
    expect(r.notChecked[0]!.reason.zh).toContain("没有载有该数字的表格");
    const noUnit = check([{ text: "收入预算3,121.42万元。", name: "收入预算", id: "income.total", amount: "3,121.42万元" }], [{ ...summary(), unit: null }], vocabulary([incomeTotal]));
    expect(noUnit.findings).toEqual([]);
    expect(noUnit.notChecked[0]!.reason.zh).toContain("未标明金额单位");
  });

  it("uses a table read from plain text only where its own sums confirm its figures", () => {
    const claim: ClaimSpec = { text: "事业收入5.00万元。", name: "事业收入", id: "income.business", amount: "5.00万元" };
    // 收入总计 = 支出总计: the table's own balance holds, so its blank is a blank
    const confirmed = check([claim], [twoSides("551.44", "551.44")], vocabulary([business]));
    expect(confirmed.findings.map((f) => f.found)).toEqual(["5.00万元"]);
    expect(confirmed.findings[0]!.related).toEqual([{ page: null, line: 100, quote: "二、事业收入 （空白）" }]);
    // the balance fails: where the text put its numbers is not confirmed, and a blank may be a figure printed elsewhere
    const unconfirmed = check([claim], [twoSides("551.44", "")], vocabulary([business]));
    expect(unconfirmed.findings).toEqual([]);
    expect(unconfirmed.notChecked[0]!.reason.zh).toContain("纯文本");
  });

  it("does not check a row that was not read with confidence", () => {
    const t = summary();
    const unread = { ...t, rows: t.rows.map((row, i) => (i === 2 ? { ...row, readable: false } : row)) };
    const r = check([{ text: "收入预算1.00万元。", name: "收入预算", id: "income.total", amount: "1.00万元" }], [unread], vocabulary([incomeTotal]));
    expect(r.findings).toEqual([]);
    expect(r.notChecked[0]!.reason.zh).toContain("未能可靠读取");
  });

  it("takes the address of the claim's scope: 一般公共预算 支出 from its own table, not 表1's all-funds total", () => {
    const gpbTable = table("gpb-function", "元", [["code", "科目编码"], ["name", "科目名称"], ["amount", "一般公共预算支出/合计"]], [["", "合计", "30,000,000.00"]]);
    const exp = subject("exp.total", [{ kind: "income-expenditure", rows: ["支出总计"] }, { kind: "gpb-function", rows: ["合计"], scope: "gpb" }], { scoped: true });
    const r = check([{ text: "一般公共预算拨款支出预算3,000.00万元。", name: "一般公共预算拨款支出预算", id: "exp.total", amount: "3,000.00万元", scope: "gpb" }], [summary(), gpbTable], vocabulary([exp]));
    expect(r.findings).toEqual([]);
    expect([...r.cells]).toEqual(["1/0/2"]);
  });

  it("does not check a whole named beside one of its own parts (it may mean the rest)", () => {
    const t = table("income-expenditure", "万元", [["name", "收入/项目"], ["amount", "收入/金额"]], [["1、一般公共预算拨款", "537.45"], ["上级一般公共预算安排转移支付", "55.00"], ["收入总计", "551.44"]]);
    const v = vocabulary([
      subject("income.total", [{ kind: "income-expenditure", rows: ["收入总计"] }]),
      subject("fund.gpb", [{ kind: "income-expenditure", rows: ["一般公共预算拨款"] }]),
      subject("income.gpb_transfer", [{ kind: "income-expenditure", rows: ["上级一般公共预算安排转移支付"] }], { partOf: "fund.gpb" }),
    ]);
    const r = check(
      [
        { text: "部门收入预算551.44万元，其中：", name: "部门收入预算", id: "income.total", amount: "551.44万元" },
        { text: "一般公共预算482.45万元；", name: "一般公共预算", id: "fund.gpb", amount: "482.45万元", parent: 0 },
        { text: "上级一般公共预算安排的转移支付资金55.00万元。", name: "上级一般公共预算安排的转移支付资金", id: "income.gpb_transfer", amount: "55.00万元", parent: 0 },
      ],
      [t],
      v,
    );
    expect(r.findings).toEqual([]);
    expect(r.counts.claims).toEqual({ read: 3, checked: 2 });
    expect(r.notChecked.map((n) => n.quote)).toEqual(["一般公共预算482.45万元"]);
  });

  it("does not take a part for the table's row of its name when it is a part of its lead (the 财政拨款 of a carry-over)", () => {
    const t = table("income-expenditure", "万元", [["name", "收入/项目"], ["amount", "收入/金额"]], [["一、财政拨款收入", "537.45"], ["二、上年结转结余", "4.85"]]);
    const carry = subject("carryover.total", [{ kind: "income-expenditure", rows: ["上年结转结余"] }]);
    const fund = subject("fund.appropriated", [{ kind: "income-expenditure", rows: ["财政拨款收入"] }]);
    const specs: ClaimSpec[] = [
      { text: "上年结转结余4.85万元，包括：", name: "上年结转结余", id: "carryover.total", amount: "4.85万元" },
      { text: "财政拨款2.85万元。", name: "财政拨款", id: "fund.appropriated", amount: "2.85万元", parent: 0 },
    ];
    // marked in the data: its parts of another family are parts of it
    const within = check(specs, [t], vocabulary([{ ...carry, partsWithin: true }, fund]));
    expect(within.findings).toEqual([]);
    expect(within.notChecked.map((n) => n.quote)).toEqual(["财政拨款2.85万元"]);
    // not marked: the part's cell (537.45) is more than its whole (4.85), so it cannot be that row either
    const larger = check(specs, [t], vocabulary([carry, fund]));
    expect(larger.findings).toEqual([]);
    expect(larger.notChecked[0]!.reason.zh).toContain("大于");
  });
});

// 支出总表 of a budget, codes in three columns
const expenditure = () =>
  table(
    "expenditure",
    "元",
    [["code", "科目编码/类"], ["code", "科目编码/款"], ["code", "科目编码/项"], ["name", "科目名称"], ["amount", "支出预算/合计"], ["amount", "支出预算/基本支出"]],
    [
      ["201", "", "", "一般公共服务支出", "1,497,900", ""],
      ["201", "29", "", "群众团体事务", "422,900", ""],
      ["201", "29", "02", "一般行政管理事务", "422,900", ""],
      ["201", "32", "", "组织事务", "1,075,000", ""],
      ["201", "32", "02", "一般行政管理事务", "1,075,000", ""],
      ["208", "", "", "社会保障和就业支出", "873,617.00", "873,617.00"],
      ["208", "05", "", "行政事业单位养老支出", "873,617.00", "873,617.00"],
      ["208", "05", "06", "机关事业单位职业年金缴费支出", "873,617.00", "873,617.00"],
    ],
  );

const item = (text: string, func: FunctionPath, amount: string): ClaimSpec => ({ text, name: text.slice(0, text.indexOf("”") + 1), id: "func", func, amount });

// a final account's 三公 table: 预算数 and 决算数 under each head
const sangong = (budget: string, actual: string) =>
  table(
    "three-public",
    "万元",
    [
      ["amount", "财政拨款“三公”经费/合计/预算数"],
      ["amount", "财政拨款“三公”经费/合计/决算数"],
      ["amount", "财政拨款“三公”经费/公务接待费/预算数"],
      ["amount", "财政拨款“三公”经费/公务接待费/决算数"],
    ],
    [[budget, actual, budget, actual]],
  );

// a text layer's lines, one word each
const line = (text: string, y: number): Word => ({ text, x0: 60, y0: y, x1: 60 + text.length * 14, y1: y + 14 });
const page = (number: number, lines: [string, number][]): TextPage => ({ number, width: 842, height: 595, words: lines.map(([t, y]) => line(t, y)) });
const body = (from: number, n: number, top = 75): [string, number][] => Array.from({ length: n }, (_, i) => [`第${from + i}行文字内容`, top + i * 17]);

describe("a function path", () => {
  const v = vocabulary([], [{ kind: "expenditure" }]);

  it("finds a 项 by its 类（类）款（款）项（项） names and converts its unit", () => {
    const ok = check([item("“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”87.36万元。", { class: "社会保障和就业支出", section: "行政事业单位养老支出", item: "机关事业单位职业年金缴费支出" }, "87.36万元")], [expenditure()], v);
    expect(ok.findings).toEqual([]);
    expect(ok.counts.claims.checked).toBe(1);
    const bad = check([item("“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”887.36万元。", { class: "社会保障和就业支出", section: "行政事业单位养老支出", item: "机关事业单位职业年金缴费支出" }, "887.36万元")], [expenditure()], v);
    expect(bad.findings.map((f) => [f.expected, f.found, f.related[0]!.quote])).toEqual([["87.36万元", "887.36万元", "2080506 机关事业单位职业年金缴费支出 873,617.00"]]);
    expect(bad.findings[0]!.quote).toBe("“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”887.36万元");
  });

  it("tells two 项 of one name apart by their 款, and does not guess without it", () => {
    const r = check([item("“一般公共服务支出（类）组织事务（款）一般行政管理事务（项）”107.50万元。", { class: "一般公共服务支出", section: "组织事务", item: "一般行政管理事务" }, "107.50万元")], [expenditure()], v);
    expect(r.findings).toEqual([]);
    expect([...r.cells]).toEqual(["0/4/4"]);
    const wrong = check([item("“一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）”107.50万元。", { class: "一般公共服务支出", section: "群众团体事务", item: "一般行政管理事务" }, "107.50万元")], [expenditure()], v);
    expect(wrong.findings.map((f) => f.expected)).toEqual(["42.29万元"]);
    const alone = check([item("“一般行政管理事务（项）”107.50万元。", { item: "一般行政管理事务" }, "107.50万元")], [expenditure()], v);
    expect(alone.findings).toEqual([]);
    expect(alone.notChecked[0]!.reason.zh).toContain("不止一个");
  });

  it("does not check a path the table does not print (a 款 named as a 项)", () => {
    const r = check([item("“一般公共服务支出（类）一般公共服务支出（款）组织事务（项）”107.50万元。", { class: "一般公共服务支出", section: "一般公共服务支出", item: "组织事务" }, "107.50万元")], [expenditure()], v);
    expect(r.findings).toEqual([]);
    expect(r.notChecked[0]!.reason.zh).toContain("类、款、项");
  });

  it("reads a 类 printed without its 支出, and a code", () => {
    const r = check([item("“一般公共服务（类）”149.79万元。", { class: "一般公共服务" }, "149.79万元")], [expenditure()], v);
    expect(r.findings).toEqual([]);
    expect(r.counts.claims.checked).toBe(1);
    const code = check([{ text: "2080506机关事业单位职业年金缴费支出87.37万元。", name: "2080506机关事业单位职业年金缴费支出", id: "func", func: { code: "2080506", item: "机关事业单位职业年金缴费支出" }, amount: "87.37万元" }], [expenditure()], v);
    expect(code.findings.map((f) => f.expected)).toEqual(["87.36万元"]);
  });
});

describe("the column of the document's period", () => {
  const v = vocabulary([subject("sangong.total", [{ kind: "three-public", rows: ["合计"], column: "三公经费", scopes: ["appropriated"] }])]);
  const claim: ClaimSpec = { text: "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元。", name: "“三公”经费财政拨款支出", id: "sangong.total", budgeted: "0.95万元", amount: "0.00万元", scope: "appropriated" };

  it("compares 年初预算 with the 预算数 column and 决算 with the 决算数 column", () => {
    const ok = check([claim], [sangong("0.95", "")], v, "final_accounts");
    expect(ok.findings).toEqual([]);
    expect([...ok.cells].sort()).toEqual(["0/0/0", "0/0/1"]);
  });

  it("reports a budget the table leaves blank (an empty row is a row of blanks)", () => {
    const empty = { ...sangong("", ""), rows: [] };
    const r = check([claim], [empty], v, "final_accounts");
    expect(r.findings.map((f) => [f.quote, f.expected, f.found])).toEqual([["“三公”经费财政拨款支出年初预算为0.95万元", "0.00万元（表中空白）", "0.95万元"]]);
  });

  it("never takes a budget column for a final account's actual figure", () => {
    const budgetOnly = table("three-public", "万元", [["amount", "“三公”经费预算数/合计"]], [["0.95"]]);
    const actualOnly: ClaimSpec = { text: "“三公”经费财政拨款支出决算为0.00万元。", name: "“三公”经费财政拨款支出", id: "sangong.total", amount: "0.00万元", scope: "appropriated" };
    const r = check([actualOnly], [budgetOnly], v, "final_accounts");
    expect(r.findings).toEqual([]);
    expect(r.counts.claims.checked).toBe(0);
  });
});

describe("hiddenRepeats: a text layer that repeats itself at a page break", () => {

  it("hides the copy above the top of the next page, and the lines of the page before that the next page shows", () => {
    const doc: DocumentText = {
      source: "made-up",
      reader: "pdftotext",
      geometry: "pdf",
      pages: [
        page(1, body(1, 10)),
        // page 2 ends with lines 20–24 (its last three, 22–24, are clipped on the page)
        page(2, body(15, 10)),
        // page 3's text layer begins with 20–21 above the top (clipped), then 22–24 and 25–26 as shown
        page(3, [["第20行文字内容", 24], ["第21行文字内容", 41], ["第22行文字内容", 75], ["第23行文字内容", 92], ["第24行文字内容", 109], ["第25行文字内容", 126]]),
        page(4, body(30, 5)),
      ],
    };
    const h = hiddenRepeats(doc);
    expect(h.get(3)?.hidden).toEqual(["第20行文字内容", "第21行文字内容"]);
    expect(h.get(2)?.hidden).toEqual(["第22行文字内容", "第23行文字内容", "第24行文字内容"]);
    expect(h.has(1)).toBe(false);
  });

  it("hides nothing when the repeated lines do not begin above the top (the document repeats itself)", () => {
    const doc: DocumentText = {
      source: "made-up",
      reader: "pdftotext",
      geometry: "pdf",
      pages: [page(1, body(1, 10)), page(2, [...body(11, 8), ["同一行", 211], ["另一行", 228]]), page(3, [["同一行", 75], ["另一行", 92], ...body(40, 3, 109)]), page(4, body(50, 4))],
    };
    expect(hiddenRepeats(doc).size).toBe(0);
  });
});
