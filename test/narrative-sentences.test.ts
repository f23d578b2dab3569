/**
 * The narrative's sentences as the seed has them: every sentence the seed writes for a case the reference's data
 * covers, in the seed's order, and each case's sentence only where it applies (a budget where it does and one where it
 * does not); the performance tables placed where 十二（四） says 见下表; the department's words quoted without the
 * spaces PDF extraction left, and the note that points at such spaces.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import type { Budget } from "../src/domain/budget-schema.ts";
import { blockRuns, blockText, walkSections, type Narrative, type NarrativeSection } from "../src/domain/narrative-model.ts";
import { ROOT } from "./cli-harness.ts";

const SEED = readFileSync(join(ROOT, "test/reference/seed/changji-xinfang-2024-budget.txt"), "utf8").replace(/\s+/g, "");

async function reference(): Promise<Budget> {
  const r = await readBudgetFile(`${ROOT}/examples/changji-xinfang-2024/budget.yaml`);
  if (!r.ok) throw new Error("example does not read");
  return r.budget;
}

function narrativeOf(budget: Budget): Narrative {
  const b = buildDisclosure(projectData, budget, {});
  if (!b.ok || !b.result.narrative) throw new Error("no narrative");
  return b.result.narrative;
}

function section(n: Narrative, id: string): NarrativeSection {
  let found: NarrativeSection | undefined;
  for (const p of n.parts) walkSections(p.sections, (s) => (s.id === id ? (found = s) : undefined));
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

const textOf = (n: Narrative, id: string) => section(n, id).blocks.map(blockText).join("\n");

/** The seed's text of 第三部分 section 一…十二 (whitespace removed), from its heading to the next one. */
function seedSection(numeral: string, next: string | null): string {
  const start = SEED.indexOf(`${numeral}、关于`, SEED.indexOf("第三部分"));
  const from = start >= 0 ? start : SEED.indexOf(`${numeral}、其他重要事项`);
  const end = next === null ? SEED.indexOf("第四部分") : SEED.indexOf(`${next}、`, from + 1);
  return SEED.slice(from, end);
}

describe("the reference's narrative, sentence by sentence against the seed", () => {
  let n: Narrative;
  beforeAll(async () => {
    n = narrativeOf(await reference());
  });

  // Each paragraph's opening words (its text up to the first bound figure, or all of it) appear in the seed's section,
  // in the same order: no sentence is missing between two others, none is moved.
  it.each([
    ["s2", "二", "三"],
    ["s3", "三", "四"],
    ["s4", "四", "五"],
    ["s5-1", "五", "六"],
    ["s6", "六", "七"],
    ["s8", "八", "九"],
    ["s9", "九", "十"],
    ["s10", "十", "十一"],
    ["s11", "十一", "十二"],
    ["s12-1", "十二", null],
    ["s12-2", "十二", null],
    ["s12-3", "十二", null],
    ["s12-4", "十二", null],
    ["s12-5", "十二", null],
  ])("%s: every paragraph opens as a sentence of the seed's section %s, in the seed's order", (id, numeral, next) => {
    const seed = seedSection(numeral, next);
    expect(seed.length).toBeGreaterThan(20);
    let at = -1;
    const paragraphs = section(n, id).blocks.filter((b) => b.kind === "paragraph");
    expect(paragraphs.length).toBeGreaterThan(0);
    for (const b of paragraphs) {
      const firstValue = b.runs.findIndex((r) => r.kind !== "text");
      const opening = b.runs
        .slice(0, firstValue < 0 ? b.runs.length : firstValue)
        .map((r) => r.text)
        .join("")
        .replace(/\s+/g, "");
      const found = seed.indexOf(opening, at + 1);
      expect(found, `“${opening}” after position ${at} of the seed's ${numeral}`).toBeGreaterThan(at);
      at = found;
    }
  });

  it("二: each budget's upper-level transfer without money says 未安排 alone, right after its budget's line", () => {
    const lines = textOf(n, "s2").split("\n");
    const gf = lines.findIndex((l) => l.startsWith("政府性基金预算0.00万元"));
    const sc = lines.findIndex((l) => l.startsWith("国有资本经营预算0.00万元"));
    expect(lines[gf + 1]).toBe("上级政府性基金安排的转移支付资金未安排。");
    expect(lines[sc + 1]).toBe("上级国有资本经营预算安排的转移支付资金未安排。");
  });

  it("四: all of it general public budget — 收入全部为一般公共预算拨款…, then 一般公共预算支出包括", () => {
    const lines = textOf(n, "s4").split("\n");
    expect(lines[1]).toBe("收入全部为一般公共预算拨款，无政府性基金预算拨款和国有资本经营预算。");
    expect(lines[2]).toBe("收入预算包括：一般公共预算拨款537.45万元。");
    expect(lines[3]).toMatch(/^一般公共预算支出包括：一般公共服务支出423\.59万元/);
    expect(textOf(n, "s4")).not.toContain("财政拨款支出包括");
  });

  it("七: the classified project's fields in the seed's order, its owner second", () => {
    const fields = section(n, "s7").blocks.filter((b) => b.kind === "fields");
    const classified = fields.find((b) => blockText(b).includes("特定目标 8910002U"))!;
    expect(classified.fields.map((f) => f.label).slice(0, 4)).toEqual(["设立的政策依据", "项目承担单位", "资金分配情况", "资金执行时间"]);
    expect(blockText(classified)).toContain("项目承担单位：昌吉回族自治州信访局");
  });

  it("十二（二）: 小微企业预留 as the seed writes it", () => {
    expect(textOf(n, "s12-2")).toContain("面向中小企业预留政府采购项目预算金额79.19万元，小微企业预留政府采购项目预算金额79.19万元。");
  });

  it("十二（三）: nothing planned is 未安排购置车辆经费, never 购置车辆0辆，0.00万元", () => {
    const text = textOf(n, "s12-3");
    expect(text).toContain("2024年部门预算未安排购置车辆经费，安排购置50万元以上大型设备0台，单位价值100万元以上大型设备0台。");
    expect(text).not.toMatch(/购置车辆0辆/);
  });

  it("十二（四）: the performance tables follow 见下表 there, and 第二部分 holds only 表1–表11", () => {
    const blocks = section(n, "s12-4").blocks;
    expect(blockText(blocks[0]!)).toMatch(/具体情况见下表（按项目分别填报）：$/);
    expect(blocks.slice(1).map((b) => (b.kind === "performance" ? b.table : b.kind))).toEqual(["perf-department", "perf-project"]);
    const tablesPart = n.parts.find((p) => p.id === "tables")!;
    const named = tablesPart.sections.flatMap((s) => s.blocks.map((b) => b.kind));
    expect(named).not.toContain("performance");
    expect(named.filter((k) => k === "table")).toHaveLength(11);
    // each performance table is named once in the whole narrative
    const perf: string[] = [];
    for (const p of n.parts) walkSections(p.sections, (s) => s.blocks.forEach((b) => b.kind === "performance" && perf.push(b.table)));
    expect(perf.sort()).toEqual(["perf-department", "perf-project"]);
  });

  it("quotes the department's words without the spaces PDF extraction left (2024 年度 → 2024年度)", () => {
    const quotes: string[] = [];
    for (const p of n.parts) walkSections(p.sections, (s) => s.blocks.forEach((b) => blockRuns(b).forEach((r) => r.kind === "quote" && quotes.push(r.text))));
    expect(quotes.length).toBeGreaterThan(40);
    expect(quotes.filter((q) => /[\p{Script=Han}，：；] +[0-9A-Za-z]|[0-9A-Za-z] +[\p{Script=Han}，：；]/u.test(q))).toEqual([]);
    expect(textOf(n, "s7")).toContain("资金执行时间：2024年1月1日至2024年12月31日");
    expect(textOf(n, "s2")).toContain("主要原因是2024年度昌州财办行【2023】26号提前下达2024年解决信访问题资金增加。");
  });
});

describe("each seed sentence only where its case applies", () => {
  let ref: Budget;
  beforeAll(async () => {
    ref = await reference();
  });

  it("二 and 四 with government fund money: its transfer is stated with its amount; 四 says 财政拨款支出包括", () => {
    const b = structuredClone(ref);
    const line = b.lines.find((l) => l.fund === "gpb.own" && l.kind === "project")!;
    line.fund = "gf.transfer";
    const n = narrativeOf(b);
    const s2 = textOf(n, "s2");
    expect(s2).toMatch(/上级政府性基金安排的转移支付资金\d+\.\d\d万元，占/);
    expect(s2).not.toContain("上级政府性基金安排的转移支付资金未安排");
    expect(s2).toContain("上级国有资本经营预算安排的转移支付资金未安排。");
    const s4 = textOf(n, "s4");
    expect(s4).not.toContain("收入全部为一般公共预算拨款");
    expect(s4).toContain("财政拨款支出包括：");
    expect(s4).not.toContain("一般公共预算支出包括");
  });

  it("十二（三） with a vehicle planned: its count and amount, not 未安排购置车辆经费", () => {
    const b = structuredClone(ref);
    b.assets!.planned.vehicles = [{ kind: "general", count: 1, amount: 250_000_00n }];
    const text = textOf(narrativeOf(b), "s12-3");
    expect(text).toContain("2024年部门预算安排购置车辆1辆，25.00万元；");
    expect(text).not.toContain("未安排购置车辆经费");
  });
});
