/**
 * The narrative's sentences, claims and text faults (issue 14, points 4 and 5).
 *
 * - On the seed text and on two published PDFs (a Shanghai district budget and the Jiangsu provincial budget), the
 *   claims of the sentences listed in `test/audit/claims/*.yaml` — written down by hand by reading the documents —
 *   must be read exactly: nothing missing, nothing more, in printed order.
 * - On the published final accounts and its planted-errors copy, the findings of the text and of the narrative's own
 *   arithmetic must be those of `test/audit/<document>.yaml` (hand-made by reading the document) for the codes this
 *   part makes.
 * - Each rule on small made-up sentences, including sentences that must give no finding.
 *
 * PDFs are read with `readDocument`: through poppler when it is installed, else pdf.js, so only the test that compares
 * the two readers needs poppler (skipped without it, with a printed reason; mandatory under CI=true).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { narrativeLayout, narrativeVocabulary, textFaultPatterns } from "../../src/adapters/audit/narrative-data.ts";
import { readDocument } from "../../src/adapters/audit/read-document.ts";
import { textToDocument } from "../../src/adapters/audit/text-file.ts";
import type { DocumentText } from "../../src/domain/audit/document-text.ts";
import { narrativeClaims, type NarrativeClaim, type NarrativeReading } from "../../src/domain/audit/narrative-claims.ts";
import { narrativeSentences, type NarrativeText } from "../../src/domain/audit/narrative-sentences.ts";
import { compileNarrativeVocabulary } from "../../src/domain/audit/narrative-vocabulary.ts";
import { formatPrintedAmount } from "../../src/domain/audit/printed-amount.ts";
import { compileTextFaultPatterns, textFaults, type DocumentFacts, type TextFaultReport } from "../../src/domain/audit/text-faults.ts";

const HAVE_POPPLER = spawnSync("pdftotext", ["-v"]).error === undefined;
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI) console.warn("narrative-claims.test.ts: the two-readers test is skipped — pdftotext (poppler-utils) is not installed; it is mandatory under CI=true");

const vocabulary = narrativeVocabulary();
const layout = narrativeLayout();
const patterns = textFaultPatterns();

interface Read {
  readonly doc: DocumentText;
  readonly nt: NarrativeText;
  readonly reading: NarrativeReading;
}

function readText(text: string): Read {
  const r = textToDocument("made-up.txt", text);
  if (!r.ok) throw new Error(r.detail);
  const nt = narrativeSentences(r.text, layout);
  return { doc: r.text, nt, reading: narrativeClaims(nt, vocabulary) };
}

async function readFile(path: string): Promise<Read> {
  const r = await readDocument(path);
  if (!r.ok) throw new Error(`${path}: ${r.reason} ${r.detail}`);
  const nt = narrativeSentences(r.text, layout);
  return { doc: r.text, nt, reading: narrativeClaims(nt, vocabulary) };
}

function faultsOf(read: Read, facts: DocumentFacts = {}): TextFaultReport {
  return textFaults(read.doc, read.nt, read.reading, patterns, facts);
}

const rules = (read: Read, facts: DocumentFacts = {}) => faultsOf(read, facts).findings.map((f) => f.rule);
const money = (a: { value: { value: bigint; decimals: number; unit?: string } } | undefined) =>
  a ? `${formatPrintedAmount(a.value)}${a.value.unit ?? "%"}` : undefined;

// ---------------------------------------------------------------------------------------------------------------
// the hand-written claims

interface ExpectedClaim {
  subject: string | null;
  name?: string;
  scope?: string;
  side?: string;
  func?: Record<string, string>;
  amount?: string;
  share?: string;
  count?: string;
  change?: { direction: string; word: string; amount?: string; percent?: string; count?: string };
  reason?: string;
  reason_direction?: string;
  none?: string;
  parent?: string;
  budgeted?: string;
  completion?: string;
  comparison?: string;
}

interface ExpectedSentence {
  text: string;
  /** when the same words begin two sentences (a table's note and the narrative), the kind of the one meant */
  kind?: string;
  claims: ExpectedClaim[];
  years?: { year: number; context: string }[];
  departments?: string[];
}

/** A claim as the hand-written files state it: only the fields they give are compared. */
function asWritten(c: NarrativeClaim, reading: NarrativeReading, want: ExpectedClaim): ExpectedClaim {
  const out: ExpectedClaim = { subject: c.subject.id };
  if (want.name !== undefined) out.name = c.subject.name;
  if (want.scope !== undefined && c.subject.scope !== undefined) out.scope = c.subject.scope;
  if (want.side !== undefined && c.subject.side !== undefined) out.side = c.subject.side;
  if (want.func !== undefined && c.subject.func) {
    const f: Record<string, string> = {};
    for (const k of ["class", "section", "item", "code"] as const) if (c.subject.func[k] !== undefined && want.func[k] !== undefined) f[k] = c.subject.func[k];
    out.func = f;
  }
  const a = money(c.amount);
  if (a !== undefined) out.amount = a;
  if (c.share) out.share = c.share.value.text;
  if (c.count) out.count = c.count.value.text;
  if (c.change) {
    const ch: NonNullable<ExpectedClaim["change"]> = { direction: c.change.direction, word: c.change.word };
    const ca = money(c.change.amount);
    if (ca !== undefined) ch.amount = ca;
    if (c.change.percent) ch.percent = c.change.percent.value.text;
    if (c.change.count) ch.count = c.change.count.value.text;
    out.change = ch;
  }
  if (c.reason) out.reason = c.reason.text;
  if (want.reason_direction !== undefined && c.reason?.direction !== undefined) out.reason_direction = c.reason.direction;
  if (c.none) out.none = c.none.value;
  if (want.parent !== undefined && c.parent !== undefined) out.parent = reading.claims[c.parent]!.subject.id ?? "null";
  const b = money(c.execution?.budgeted);
  if (b !== undefined) out.budgeted = b;
  if (c.execution?.completion) out.completion = c.execution.completion.value.text;
  if (c.execution?.comparison) out.comparison = c.execution.comparison.value.word;
  return out;
}

function checkClaimsFile(file: string, read: () => Read): void {
  const data = parseYaml(readFileSync(new URL(`claims/${file}`, import.meta.url), "utf8")) as { sentences: ExpectedSentence[] };
  for (const want of data.sentences) {
    it(want.text, () => {
      const { nt, reading } = read();
      const starts = nt.sentences.filter((s) => s.text.startsWith(want.text) && (want.kind === undefined || s.kind === want.kind));
      expect(starts.map((s) => s.text), `the sentence beginning "${want.text}"`).toHaveLength(1);
      const s = starts[0]!;
      const got = reading.claims.filter((c) => c.sentence === s.index && !c.inReason);
      expect(got.map((c, i) => asWritten(c, reading, want.claims[i] ?? { subject: null }))).toEqual(
        want.claims.map((c) => Object.fromEntries(Object.entries(c).filter(([, x]) => x !== undefined))),
      );
      const sr = reading.sentences[s.index]!;
      if (want.years) expect(sr.years.map((y) => ({ year: y.year, context: y.context }))).toEqual(want.years);
      if (want.departments) expect(sr.departments.map((d) => d.name)).toEqual(want.departments);
    });
  }
}

describe("the seed's claims, as written down by reading it", () => {
  let cached: Read | null = null;
  const read = () => {
    if (!cached) {
      const r = textToDocument("seed.txt", readFileSync(new URL("../reference/seed/changji-xinfang-2024-budget.txt", import.meta.url), "utf8"));
      if (!r.ok) throw new Error(r.detail);
      const nt = narrativeSentences(r.text, layout);
      cached = { doc: r.text, nt, reading: narrativeClaims(nt, vocabulary) };
    }
    return cached;
  };
  checkClaimsFile("seed.yaml", read);
});

const published = (name: string) => new URL(`../reference/published/${name}`, import.meta.url).pathname;
const pdfReads = new Map<string, Promise<Read>>();
const pdf = (name: string) => {
  let p = pdfReads.get(name);
  if (!p) pdfReads.set(name, (p = readFile(published(name))));
  return p;
};

for (const [file, name] of [
  ["putuo-wanlijiedao-2025.yaml", "14-putuo-wanlijiedao-2025-bumen-yusuan.pdf"],
  ["jiangsu-gaoyuan-2019.yaml", "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf"],
] as const) {
  describe(`the claims of ${name}, as written down by reading it`, async () => {
    const read = await pdf(name);
    checkClaimsFile(file, () => read);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// the findings of the published final accounts and of its planted-errors copy, as a person found them

const MY_CODES = new Set(["AUD-ARITH", "AUD-DIRECTION", "AUD-TEXT", "AUD-PLACEHOLDER", "AUD-YEAR"]);
const squeeze = (s: string) => s.replace(/\s+/g, "");

for (const name of ["18-putuo-caizhengju-2024-bumen-juesuan", "X1-putuo-caizhengju-2024-bumen-juesuan-planted-errors"]) {
  it(`${name}: the text's and the narrative's own findings are those found by reading it`, async () => {
    const expected = parseYaml(readFileSync(new URL(`${name}.yaml`, import.meta.url), "utf8")) as {
      recognised: { year: number; kind: "budget" | "final_accounts" };
      findings: { code: string; page: number; quote: string }[];
    };
    const read = await pdf(`${name}.pdf`);
    const report = faultsOf(read, { year: expected.recognised.year, kind: expected.recognised.kind });
    const got = [
      ...report.findings.map((f) => ({ code: f.finding.code, page: f.finding.page, quote: squeeze(f.finding.quote) })),
      ...report.yearCandidates.map((y) => ({ code: "AUD-YEAR", page: y.page, quote: squeeze(y.quote) })),
    ];
    const want = expected.findings.filter((f) => MY_CODES.has(f.code)).map((f) => ({ code: f.code, page: f.page, quote: squeeze(f.quote) }));
    const key = (x: { code: string; page: number | null; quote: string }) => `${x.code} p${x.page}`;
    expect(got.map(key).sort()).toEqual(want.map(key).sort());
    // each quote as found by reading: the same text, or (a year's sentence, a finding's whole sentence) one holding it
    for (const w of want) {
      const g = got.find((x) => key(x) === key(w) && (x.quote.includes(w.quote) || w.quote.includes(x.quote)));
      expect(g, `${key(w)} "${w.quote}"`).toBeDefined();
    }
  });
}

describe.skipIf(!HAVE_POPPLER && !CI)("the two PDF readers", () => {
  it("give the same narrative of the final accounts whose word boxes are the least honest (ONLYOFFICE)", async () => {
    if (!HAVE_POPPLER) throw new Error("CI=true but pdftotext (poppler-utils) is not installed: the PDF tests are mandatory in CI");
    const file = published("18-putuo-caizhengju-2024-bumen-juesuan.pdf");
    const [a, b] = await Promise.all([readDocument(file, { reader: "pdftotext" }), readDocument(file, { reader: "pdfjs" })]);
    if (!a.ok || !b.ok) throw new Error("unreadable");
    const sentences = (d: DocumentText) => narrativeSentences(d, layout).sentences.map((s) => `${s.pages.join(",")} ${s.kind} ${s.text}`);
    expect(sentences(b.text)).toEqual(sentences(a.text));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// sentences

describe("sentences", () => {
  it("rejoins a sentence across line breaks and a page break, and drops the page number", () => {
    const r = readText(["一、收入预算情况说明", "", "本部门收入预算551.44万元，其中：一般公共预算482.45万元，比上年预算增加", "1.15万元，增长0.24%，主要原因是人员经费增", "7", "\f加。"].join("\n"));
    expect(r.nt.sentences.map((s) => [s.kind, s.text, s.pages])).toEqual([
      ["heading", "一、收入预算情况说明", [1]],
      ["text", "本部门收入预算551.44万元，其中：一般公共预算482.45万元，比上年预算增加1.15万元，增长0.24%，主要原因是人员经费增加。", [1, 2]],
    ]);
    expect(r.nt.dropped.map((d) => [d.page, d.text, d.why])).toEqual([[1, "7", "page-number"]]);
  });

  it("leaves a table out, keeps the note that says it is empty, and comes back at the next heading", () => {
    const r = readText(
      [
        "政府性基金预算支出情况表",
        "编制部门：某某局 单位：万元",
        "功能分类科目编码 功能分类科目名称 合计",
        "201 一般公共服务支出 436.35",
        "注：本部门2024年没有使用政府性基金预算拨款安排的支出，本表为空表。",
        "第三部分 2024年部门预算情况说明",
        "本部门2024年收支总预算551.44万元。",
      ].join("\n"),
    );
    expect(r.nt.tables.map((t) => [t.opening, t.lines.length])).toEqual([["政府性基金预算支出情况表", 5]]);
    expect(r.nt.sentences.map((s) => [s.kind, s.text])).toEqual([
      ["table-note", "注：本部门2024年没有使用政府性基金预算拨款安排的支出，本表为空表。"],
      ["heading", "第三部分2024年部门预算情况说明"],
      ["text", "本部门2024年收支总预算551.44万元。"],
    ]);
    expect(r.reading.sentences[0]!.emptyTable).toBe(true);
    // the table's 436.35 is no claim of the narrative
    expect(r.reading.claims.map((c) => money(c.amount))).toEqual([undefined, "551.44万元"]);
  });

  it("drops a table of contents and a running header", () => {
    const header = "某某局2024年部门预算";
    const r = readText(
      [
        [header, "目 录", "一、部门主要职能", "二、部门预算编制说明"].join("\n"),
        [header, "一、部门主要职能", "负责本区财政工作。"].join("\n"),
        [header, "二、部门预算编制说明", "收入预算100.00万元。"].join("\n"),
      ].join("\f"),
    );
    expect(r.nt.sentences.map((s) => s.text)).toEqual(["一、部门主要职能", "负责本区财政工作。", "二、部门预算编制说明", "收入预算100.00万元。"]);
    expect(r.nt.dropped.filter((d) => d.why === "running-header")).toHaveLength(3);
  });

  it("reports a page without text", () => {
    const r = readText("收入预算100.00万元。\f\f支出预算100.00万元。");
    expect(r.nt.blankPages).toEqual([2]);
    expect(rules(r)).toEqual(["text.blank-page"]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// what is, and what is not, an amount

describe("amounts", () => {
  const claimsOf = (t: string) => readText(t).reading.claims.filter((c) => !c.inReason);

  it("reads a code, a year, a date, a document number, an item number and counts as no amount", () => {
    const cs = claimsOf("1、2010301 行政运行：2024年预算数为231.52万元，根据昌财预【2023】26号文，执行时间2024年1月1日至2024年12月31日，涉及19人。");
    expect(cs.map((c) => [c.subject.id, c.subject.func?.code, money(c.amount)])).toEqual([["func", "2010301", "231.52万元"]]);
  });

  it("reads 单价100万元以上 as a threshold of the subject, not an amount", () => {
    const cs = claimsOf("单价100万元（含）以上设备（不含车辆）2台（套）。");
    expect(cs.map((c) => [c.subject.id, c.count?.value.text, c.amount])).toEqual([["assets.equipment", "2台（套）", undefined]]);
  });

  it("gives two claims for two amounts of two subjects", () => {
    const cs = claimsOf("公务用车运行费4.20万元，公务接待费0.25万元。");
    expect(cs.map((c) => [c.subject.id, money(c.amount)])).toEqual([
      ["sangong.vehicle_running", "4.20万元"],
      ["sangong.reception", "0.25万元"],
    ]);
  });

  it("reads 万 alone as 万元, and 元 and 亿元 with their units", () => {
    const cs = claimsOf("政府采购预算1720.00万，政府采购货物预算5,000.00元，政府采购服务预算1.2亿元。");
    expect(cs.map((c) => [c.subject.id, c.amount?.value.value, c.amount?.value.decimals, c.amount?.value.unit])).toEqual([
      ["procurement.total", 172000n, 2, "万元"],
      ["procurement.goods", 500000n, 2, "元"],
      ["procurement.services", 12n, 1, "亿元"],
    ]);
  });

  it("takes a scope word before a scoped subject, and after a subject", () => {
    const cs = claimsOf("一般公共预算财政拨款基本支出2336.91万元；机关运行经费财政拨款预算33.04万元。");
    expect(cs.map((c) => [c.subject.id, c.subject.scope])).toEqual([
      ["exp.basic", "gpb"],
      ["office_running", "appropriated"],
    ]);
  });

  it("gives a change in its own sentence to the subject before it, and a reason in its own sentence to the change", () => {
    const cs = claimsOf("1．公共安全（类）支出27488.23万元，主要用于人员支出。与上年相比增加1287.35万元，增长4.91%。主要原因是增加人员经费。");
    expect(cs.map((c) => [c.subject.func?.class, money(c.amount), c.change?.word, money(c.change?.amount), c.change?.percent?.value.text, c.reason?.text, c.sentences.length])).toEqual([
      ["公共安全", "27488.23万元", "增加", "1287.35万元", "4.91%", "增加人员经费", 3],
    ]);
  });

  it("lists an amount whose subject it does not know as not checked", () => {
    const r = readText("信访大厅正常运转工作经费54万元。");
    expect(r.reading.claims.map((c) => [c.subject.id, c.subject.name])).toEqual([[null, "信访大厅正常运转工作经费"]]);
    expect(faultsOf(r).notChecked.map((n) => [n.what, n.quote])).toEqual([["claim", "信访大厅正常运转工作经费54万元"]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// the rules

describe("placeholders", () => {
  it.each([
    ["上海市普陀区XX局2024年部门预算。", "placeholder.xx"],
    ["公务接待费××万元。", "placeholder.xx"],
    ["主要原因是待填写。", "placeholder.to-fill"],
    ["比上年增加（减少）5.00万元。", "placeholder.both-directions"],
    ["比上年增加/减少5.00万元。", "placeholder.both-directions"],
    ["项目支出131.00万元，比上年增加万元。", "placeholder.blank-amount"],
    ["基本支出406.45万元，占%。", "placeholder.blank-amount"],
    ["【说明：请根据实际情况填写本段】本部门收入预算100.00万元。", "placeholder.template-instruction"],
  ])("%s", (text, rule) => {
    expect(rules(readText(text))).toContain(rule);
  });

  it.each([
    "根据昌州财办行【2023】26号文件提前下达。",
    "本表金额单位为万元。",
    "比上年增加5.00万元，增长5.00%。",
    "XXL号服装购置。",
  ])("not in: %s", (text) => {
    expect(rules(readText(text)).filter((r) => r.startsWith("placeholder"))).toEqual([]);
  });
});

describe("faults of the text", () => {
  it.each([
    ["收入预算\uFFFD100.00万元。", "garbled.replacement-character"],
    ["锟斤拷收入预算。", "garbled.mojibake"],
    ["æ”¿åºœé‡‡è´­预算。", "garbled.mojibake"],
    ["办公室（组织人事科、来访接待科。", "text.unclosed"],
    ["“三公经费预算为4.45万元。", "text.unclosed"],
    ["行政运行）预算231.52万元。", "text.unopened"],
    ["比上年减少，主要原因是。", "unfinished.empty-reason"],
    ["主要用于：。", "unfinished.empty-purpose"],
    ["收入预算包括：。", "unfinished.empty-list"],
    ["主要用于在职职工的。", "unfinished.dangling-de"],
    ["主要用于办公、。", "unfinished.dangling-mark"],
    ["包括一般公共预算财政拨款。。", "text.doubled-punctuation"],
  ])("%s", (text, rule) => {
    expect(rules(readText(text))).toContain(rule);
  });

  it.each([
    "在加强法院队伍建设上有新作为。",
    "动员社会参与。",
    "这样安排是必要的。",
    "达到了预期的目的。",
    "卫生健康支出（类）行政事业单位医疗（款)行政单位医疗（项）63.19万元。",
    "“三公”经费预算数为4.45万元……具体如下。",
  ])("not in: %s", (text) => {
    expect(rules(readText(text))).toEqual([]);
  });
});

describe("the narrative's own arithmetic", () => {
  it.each([
    ["基本支出406.45万元，比上年预算增加15.15万元，增长3.87%。", []],
    ["基本支出406.45万元，比上年预算增加15.15万元，增长3.97%。", ["arith.change-percent"]],
    // 0.5 of 100.0 is 0.5 %: 100.5 and 0.5 rounded, the percentage lies within what their roundings allow
    ["项目支出100.5万元，比上年增加0.5万元，增长0.5%。", []],
    // the prior year 2.85 − 1.76 carries both roundings: 1.08…1.10, so 159.5 %…163.4 %
    ["财政拨款结转2.85万元，比上年预算增加1.76万元，增长161.64%。", []],
    ["财政拨款结转2.85万元，比上年预算增加1.76万元，增长170.00%。", ["arith.change-percent"]],
    ["单位资金9.14万元，比上年预算减少37.86万元，下降80.55%。", []],
    ["单位资金9.14万元，比上年预算减少37.86万元，下降70.55%。", ["arith.change-percent"]],
    ["信访业务55.00万元，比上年预算增加55.00万元，增长100.00%。", ["arith.percent-from-zero"]],
    ["项目支出10.00万元，比上年增加20.00万元。", ["arith.prior-negative"]],
    ["收入预算551.44万元，其中：一般公共预算482.45万元，占87.49%。", []],
    ["收入预算551.44万元，其中：一般公共预算482.45万元，占88.49%。", ["arith.share"]],
    ["一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。", []],
    ["一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的97.20%。", ["arith.completion"]],
  ])("%s", (text, want) => {
    expect(rules(readText(text))).toEqual(want);
  });

  it("derives a prior year from the sentence before, for the same subject", () => {
    const r = readText("收入支出总计0万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。");
    const f = faultsOf(r).findings;
    expect(f.map((x) => [x.rule, x.finding.quote, x.finding.found])).toEqual([["arith.change-percent", "收入支出总计0万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%", "1.87%"]]);
  });
});

describe("direction words", () => {
  it.each([
    ["基本支出406.45万元，比上年预算减少15.15万元，增长3.87%。", ["direction.words-disagree"]],
    // a printed 0.00 may be a change of +0.004: 增加 is not provably wrong (a head count is exact: 增加0人 is)
    ["公务接待费0.25万元，比上年预算增加0.00万元，增长0.00%。", []],
    ["实有人数25人，其中：在职19人，增加0人。", ["direction.zero-change"]],
    ["实有人数25人，其中：在职19人，增加2人。", []],
    ["公务接待费0.25万元，与上年预算持平。", []],
    ["行政单位医疗15.17万元，比上年预算减少0.94万元，下降5.83%。主要原因是在职职工医疗费增加。", ["direction.reason-contradicts"]],
    ["公务用车购置及运行费36.56万元，比2024年预算减少10万元，主要原因是2025年新增1辆公务用车，但车辆类型不同。", []],
    ["财政拨款收入支出总计持平。主要原因：项目支出中合同支付进度等原因减少支付。", ["direction.reason-contradicts"]],
    ["年初预算为1560.05万元，支出决算为1511.89万元。决算数大于预算数的主要原因：人员变化。", ["direction.execution"]],
    ["年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员变化。", []],
    ["年初预算为10.00万元，支出决算为10.00万元。决算数与预算数基本持平。", []],
    ["年初预算为62.29万元，支出决算为60.99万元。决算数等于预算数的主要原因：预算按周全保障测算。", ["direction.execution"]],
  ])("%s", (text, want) => {
    expect(rules(readText(text))).toEqual(want);
  });
});

describe("years", () => {
  const candidates = (text: string, facts: DocumentFacts) => faultsOf(readText(text), facts).yearCandidates.map((y) => [y.year, y.rule, y.expected]);

  it("takes 与2023年相比 in a 2024 budget as right, and another year there as a candidate", () => {
    expect(candidates("与2023年相比，基本支出增加15.15万元。", { year: 2024, kind: "budget" })).toEqual([]);
    expect(candidates("比2022年预算增加15.15万元。", { year: 2024, kind: "budget" })).toEqual([[2022, "comparison", [2023]]]);
  });

  it("takes a year said of a budget that is neither the document's nor the year before as a candidate", () => {
    expect(candidates("本部门2021年预算安排基本支出406.45万元。", { year: 2024, kind: "budget" })).toEqual([[2021, "outside-period", [2024, 2023]]]);
    expect(candidates("本部门2023年预算安排基本支出406.45万元。", { year: 2024, kind: "budget" })).toEqual([]);
  });

  it("takes a heading of the document's kind with another year, and an as-of date outside the period, as candidates", () => {
    expect(candidates("第三部分 2023年度部门决算情况说明", { year: 2024, kind: "final_accounts" })).toEqual([[2023, "title", [2024]]]);
    expect(candidates("截至2023年12月31日，本部门共有车辆0辆。", { year: 2024, kind: "final_accounts" })).toEqual([[2023, "as-of", [2024]]]);
    expect(candidates("截至2023年底，本部门共有车辆2辆。", { year: 2024, kind: "budget" })).toEqual([]);
  });

  it("leaves document numbers, titles and plain mentions alone", () => {
    expect(candidates("根据沪府规【2016】168号文和《2020年工作要点》，拟从2018年起实施。", { year: 2025, kind: "budget" })).toEqual([]);
  });
});

describe("data files", () => {
  it("refuse a subject without names and an invalid pattern", () => {
    const raw = parseYaml(readFileSync(new URL("../../data/audit/narrative-subjects.yaml", import.meta.url), "utf8")) as { subjects: unknown[]; compare_base: string };
    expect(() => compileNarrativeVocabulary({ ...raw, subjects: [...raw.subjects, { id: "x.y", zh: "无名" }] })).toThrow(/neither names/);
    expect(() => compileNarrativeVocabulary({ ...raw, compare_base: "(" })).toThrow(/compare_base/);
    const ph = parseYaml(readFileSync(new URL("../../data/audit/placeholders.yaml", import.meta.url), "utf8")) as Record<string, unknown>;
    expect(() => compileTextFaultPatterns({ ...ph, doubled_punctuation: "[" })).toThrow(/doubled_punctuation/);
  });
});

describe("what the page prints right", () => {
  it("does not take 〔2019〕 extracted as „2019‟ for a fault: only the text layer maps the brackets otherwise", () => {
    expect(rules(readText("根据《江苏省财政厅关于2019年省级部门预算的批复》（苏财预„2019‟7号）填列。"))).toEqual([]);
  });
});
