import { describe, expect, it } from "vitest";
import { changeLog, splitSentences, SNAPSHOT_FORMAT, type ChangeSnapshot } from "./change-log.ts";

const snap = (cells: Record<string, string>, sentences: Record<string, string[]>, figures: Record<string, string> = {}): ChangeSnapshot => ({
  format: SNAPSHOT_FORMAT,
  cells: Object.fromEntries(Object.entries(cells).map(([k, text]) => [k, { table: "表1 收支总表", row: k, column: "金额", text }])),
  figures: Object.fromEntries(Object.entries(figures).map(([k, text]) => [k, { name: k, text }])),
  sentences,
});

describe("the change log: what a reader sees that differs", () => {
  it("splits sentences at 。！？ and lines", () => {
    expect(splitSentences("一、收入预算 100 万元。支出 90 万元！\n  二、说明")).toEqual(["一、收入预算 100 万元。", "支出 90 万元！", "二、说明"]);
  });

  it("names changed, added and removed cells; a blank cell that stays blank is no change", () => {
    const log = changeLog(snap({ a: "1.00", b: "2.00", c: "", d: "5.00" }, {}), snap({ a: "1.00", b: "2.10", e: "3.00", f: "" }, {}), { from: 1, to: 2, reason: "r" });
    expect(log.cells.map((c) => [c.key, c.before, c.after])).toEqual([
      ["b", "2.00", "2.10"],
      ["d", "5.00", null],
      ["e", null, "3.00"],
    ]);
  });

  it("pairs a section's removed sentences with its added ones, in order; a repeated sentence counts once each", () => {
    const log = changeLog(snap({}, { s: ["甲。", "乙 1。", "丙。", "丙。"] }), snap({}, { s: ["甲。", "乙 2。", "丙。"], t: ["新。"] }), { from: 1, to: 2, reason: "r" });
    expect(log.sentences).toEqual([
      { section: "s", before: "乙 1。", after: "乙 2。" },
      { section: "s", before: "丙。", after: null },
      { section: "t", before: null, after: "新。" },
    ]);
  });

  it("lists figures whose printed value changed", () => {
    const log = changeLog(snap({}, {}, { x: "1.00", y: "2.00" }), snap({}, {}, { x: "1.00", y: "2.50" }), { from: 1, to: 2, reason: "r" });
    expect(log.figures).toEqual([{ id: "y", name: "y", before: "2.00", after: "2.50" }]);
  });
});
