import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toSteps, WAN_YUAN_2DP } from "./money.ts";
import { roundingDifferenceTables, roundingNotes, tablesWithRoundingDifference } from "./rounding-note.ts";
import { printedRelations, ruleSetSchema, type PrintedRow, type PrintedTable } from "./rule-engine.ts";

const unit = WAN_YUAN_2DP;
const message = { zh: "x", en: "x" };
/** Rules of a small template: t1 is a tree (总计 over its 类 and 款) with 合计 = 基本 + 项目; t2 states t1's total again. */
const rules = ruleSetSchema.parse({
  template: "test",
  direction_words: { up: ["增加"], down: ["减少"] },
  rules: [
    { code: "P-TREE", severity: "error", scope: "printed", check: "tree_sum", tables: ["t1"], message },
    { code: "P-TOTAL-ROW", severity: "error", scope: "printed", check: "total_sum", tables: ["t1"], total_row: "total", message },
    { code: "P-COLUMNS", severity: "error", scope: "printed", check: "columns_sum", each_row: true, relations: [{ table: "t1", lhs: "total", rhs: ["basic", "project"] }], message },
    {
      code: "P-CROSS",
      severity: "error",
      scope: "printed",
      check: "cells_equal",
      relations: [{ left: [{ table: "t2", row: "all", column: "total" }], right: [{ table: "t1", row: "c", column: "basic" }, { table: "t1", row: "c", column: "project" }] }],
      message,
    },
  ],
});

const row = (key: string, type: PrintedRow["type"], parent: number, values: number[]): PrintedRow => ({ key, side: null, type, code: null, name: key, project: null, parent, values });
const cols = (...ids: string[]) => ids.map((id) => ({ id, label: id }));

/** t1: 总计, one 类 `c` and its 款 `s1` `s2`, in printed steps [合计, 基本, 项目]; t2: one cell, t1's 类 合计 again. */
function tables(c: number[], s1: number[], s2: number[], total: number[] = c, t2 = c[0]!): PrintedTable[] {
  return [
    { id: "t1", number: "表1", columns: cols("total", "basic", "project"), rows: [row("total", "fixed", -1, total), row("c", "class", -1, c), row("s1", "section", 1, s1), row("s2", "section", 1, s2)] },
    { id: "t2", number: "表2", columns: cols("total"), rows: [row("all", "fixed", -1, [t2])] },
  ];
}

describe("which tables show a rounding difference", () => {
  it("none when every printed sum adds up exactly", () => {
    expect(tablesWithRoundingDifference(rules, tables([300, 100, 200], [100, 50, 50], [200, 50, 150]), unit)).toEqual(new Set());
  });

  it("a parent row a step off the sum of its children: the table (表6 301 372.02 vs 372.03)", () => {
    // 合计 of c: 300 vs 101 + 200; its columns still add up in every row
    expect(tablesWithRoundingDifference(rules, tables([300, 100, 200], [101, 51, 50], [200, 50, 150], [300, 100, 200], 300), unit)).toEqual(new Set(["t1"]));
  });

  it("a 合计 column a step off its columns, in one row: the table", () => {
    // s2 合计 201 vs 50 + 150 (and c 301 vs 100 + 200), while every row adds up down the tree
    const t = tables([301, 100, 200], [100, 50, 50], [201, 50, 150], [301, 100, 200], 301);
    expect(tablesWithRoundingDifference(rules, t, unit)).toEqual(new Set(["t1"]));
    const differing = printedRelations(rules, t, unit).filter((r) => r.lhs.value !== r.rhs.value);
    expect(new Set(differing.map((r) => r.rule.code))).toEqual(new Set(["P-COLUMNS", "P-CROSS"]));
    expect(roundingDifferenceTables(differing.filter((r) => r.rule.code === "P-COLUMNS"))).toEqual(new Set(["t1"]));
  });

  it("a total row a step off the top-level rows: the table", () => {
    expect(tablesWithRoundingDifference(rules, tables([300, 100, 200], [100, 50, 50], [200, 50, 150], [301, 101, 200], 300), unit)).toEqual(new Set(["t1"]));
  });

  it("a sum stated in another table: the table whose parts a reader adds up, not the one with the single cell", () => {
    // t2's 300 against t1's 基本 + 项目 of c (100 + 201): t1's own 合计 column then also differs in that row
    const marked = roundingDifferenceTables(printedRelations(rules, tables([300, 100, 201], [100, 50, 50], [200, 50, 151]), unit).filter((r) => r.rule.code === "P-CROSS"));
    expect(marked).toEqual(new Set(["t1"]));
  });

  it("a difference beyond the tolerance is an error, not a rounding note", () => {
    expect(tablesWithRoundingDifference(rules, tables([300, 100, 200], [150, 100, 50], [200, 50, 150], [300, 100, 200], 300), unit)).toEqual(new Set());
  });

  it("no note without the template's sentence or without rules", () => {
    expect(roundingNotes([], rules, {}, unit).size).toBe(0);
    expect(roundingNotes([], null, { rounding_note: "注" }, unit).size).toBe(0);
  });

  it("property: a tree table is marked exactly when a rounded parent or 合计 differs from the sum of its rounded parts", () => {
    const amount = fc.bigInt({ min: 0n, max: 5_000_000_000n });
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, amount), { minLength: 1, maxLength: 6 }), (kids) => {
        // exact amounts in 分: each 款 has 基本 and 项目; the 类 and 总计 are their exact sums
        const rowsFen = kids.map(([b, p]) => [b + p, b, p]);
        const classFen = [0, 1, 2].map((k) => rowsFen.reduce((s, r) => s + r[k]!, 0n));
        const steps = (fen: bigint[]) => fen.map((v) => toSteps(v, unit));
        const printed = [steps(classFen), ...rowsFen.map(steps)];
        // the oracle, in bigint: a parent's printed cell against its children's, and each row's 合计 against its columns
        const differs =
          [0, 1, 2].some((k) => printed[0]![k] !== printed.slice(1).reduce((s, r) => s + r[k]!, 0n)) || printed.some((r) => r[0] !== r[1]! + r[2]!);
        const t1: PrintedTable = {
          id: "t1",
          number: "表1",
          columns: cols("total", "basic", "project"),
          rows: [
            row("total", "fixed", -1, printed[0]!.map(Number)),
            row("c", "class", -1, printed[0]!.map(Number)),
            ...printed.slice(1).map((r, i) => row(`s${i}`, "section", 1, r.map(Number))),
          ],
        };
        const t2: PrintedTable = { id: "t2", number: "表2", columns: cols("total"), rows: [row("all", "fixed", -1, [Number(printed[0]![0])])] };
        expect(tablesWithRoundingDifference(rules, [t1, t2], unit).has("t1")).toBe(differs);
      }),
      { numRuns: 500 },
    );
  });
});
