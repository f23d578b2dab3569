import { describe, expect, it } from "vitest";
import { checkBudgetIntegrity, checkReferences, referenceView } from "./budget-integrity.ts";
import { budgetSchema, lineSchema, type Budget } from "./budget-schema.ts";
import {
  applyDraftOps,
  assignLineIds,
  clientLineId,
  draftOpsSchema,
  findingLine,
  largestLineCounter,
  LINE_FIELDS,
  LINE_ID_PATTERN,
  lineIdAllocator,
  lineIdCounter,
  lineInputOf,
  linesOf,
  MAX_DRAFT_OPS,
  newLineId,
  normalizeLineValue,
  type DraftLine,
  type DraftOp,
  type LineValues,
} from "./draft-patch.ts";
import { INPUT_MESSAGES, inputMessage } from "./input-messages.ts";

const values = (over: Partial<LineValues> = {}): LineValues => ({
  unit: "001",
  func: "2010301",
  econ: "30101",
  fund: "gpb.own",
  kind: "basic",
  project: null,
  amount: "786750.00",
  note: null,
  ...over,
});
const base: DraftLine[] = [
  { id: "L1", values: values() },
  { id: "L2", values: values({ econ: "30102", amount: "595500.00" }) },
  { id: "L3", values: values({ econ: "30103", amount: "391200.00" }) },
];
const ids = (lines: readonly DraftLine[]) => lines.map((l) => l.id);

describe("applyDraftOps", () => {
  it("applies a set whose field still holds what the browser saw, and leaves the input alone", () => {
    const before = structuredClone(base);
    const r = applyDraftOps(base, [{ op: "set", line: "L2", field: "amount", from: "595500.00", to: "600000" }]);
    expect(r.applied).toBe(1);
    expect(r.conflicts).toEqual([]);
    // kept in the draft's form
    expect(r.lines[1]?.values.amount).toBe("600000.00");
    // untouched lines are the input's own objects; the input is not modified
    expect(r.lines[0]).toBe(base[0]);
    expect(base).toEqual(before);
  });

  it("counts a set already made as applied, and changes nothing", () => {
    const r = applyDraftOps(base, [{ op: "set", line: "L1", field: "amount", from: "1.00", to: "786750" }]);
    expect(r).toEqual({ lines: base, applied: 1, conflicts: [] });
  });

  it("compares amounts in the draft's form: 786750.5 is 786750.50", () => {
    const r = applyDraftOps(base, [
      { op: "set", line: "L1", field: "amount", from: "786,750", to: "786750.5" },
      { op: "set", line: "L1", field: "amount", from: "786750.50", to: "1" },
    ]);
    expect(r.conflicts).toEqual([]);
    expect(r.lines[0]?.values.amount).toBe("1.00");
  });

  it("keeps an invalid entry as typed", () => {
    const r = applyDraftOps(base, [
      { op: "set", line: "L1", field: "amount", from: "786750.00", to: "12.345" },
      { op: "set", line: "L1", field: "func", from: "2010301", to: "abc" },
      { op: "set", line: "L1", field: "note", from: null, to: "" },
    ]);
    expect(r.lines[0]?.values).toMatchObject({ amount: "12.345", func: "abc", note: null });
  });

  it("reports a field someone else changed, with their value, and keeps it", () => {
    const op: DraftOp = { op: "set", line: "L1", field: "econ", from: "30199", to: "30102" };
    const r = applyDraftOps(base, [op]);
    expect(r.applied).toBe(0);
    expect(r.conflicts).toEqual([{ op, reason: "changed", current: "30101" }]);
    expect(r.lines).toEqual(base);
  });

  it("two people editing different rows both keep their work; on the same field the second is told", () => {
    // both loaded `base`; A saves first, B's save is applied to A's result
    const a = applyDraftOps(base, [
      { op: "set", line: "L1", field: "amount", from: "786750.00", to: "700000" },
      { op: "set", line: "L3", field: "note", from: null, to: "A 的备注" },
    ]);
    const b = applyDraftOps(a.lines, [
      { op: "set", line: "L2", field: "amount", from: "595500.00", to: "500000" },
      { op: "set", line: "L3", field: "note", from: null, to: "B 的备注" },
    ]);
    expect(b.lines.map((l) => l.values.amount)).toEqual(["700000.00", "500000.00", "391200.00"]);
    expect(b.lines[2]?.values.note).toBe("A 的备注");
    expect(b.applied).toBe(1);
    expect(b.conflicts).toMatchObject([{ reason: "changed", current: "A 的备注", op: { to: "B 的备注" } }]);
  });

  it("refuses to set or delete a deleted line, and to delete a line changed since", () => {
    const del: DraftOp = { op: "delete", line: "L2", from: base[1]!.values };
    const r = applyDraftOps(base, [
      del,
      { op: "set", line: "L2", field: "note", from: null, to: "x" },
      { op: "delete", line: "L2", from: base[1]!.values },
      { op: "delete", line: "L3", from: values({ econ: "30103", amount: "1.00" }) },
    ]);
    expect(ids(r.lines)).toEqual(["L1", "L3"]);
    expect(r.applied).toBe(1);
    expect(r.conflicts.map((c) => c.reason)).toEqual(["deleted", "deleted", "changed"]);
    expect(r.conflicts[2]).toMatchObject({ current: base[2]!.values });
  });

  it("inserts after a line, first for after: null, last when that line is gone", () => {
    const r = applyDraftOps(base, [
      { op: "insert", line: "La", after: "L1", values: values({ econ: "30199" }) },
      { op: "insert", line: "Lb", after: null, values: values({ econ: "30201" }) },
      { op: "delete", line: "L3", from: base[2]!.values },
      { op: "insert", line: "Lc", after: "L3", values: values({ econ: "30202" }) },
      { op: "insert", line: "Ld", after: "Lc", values: values({ econ: "30207" }) },
    ]);
    expect(r.conflicts).toEqual([]);
    expect(r.applied).toBe(5);
    expect(ids(r.lines)).toEqual(["Lb", "L1", "La", "L2", "Lc", "Ld"]);
  });

  it("refuses an insert with another line's id; the same insert sent again counts as applied", () => {
    const again: DraftOp = { op: "insert", line: "L2", after: "L1", values: { ...base[1]!.values, amount: "595500" } };
    const other: DraftOp = { op: "insert", line: "L2", after: "L1", values: values({ econ: "30199" }) };
    const r = applyDraftOps(base, [again, other, { op: "set", line: "L3", field: "note", from: null, to: "later ops still apply" }]);
    expect(r.lines.map((l) => l.values.note)).toEqual([null, null, "later ops still apply"]);
    expect(r.applied).toBe(2);
    expect(r.conflicts).toEqual([{ op: other, reason: "duplicate_id", current: base[1]!.values }]);
  });

  it("applies 20 000 operations on 20 000 lines in linear time", () => {
    const many: DraftLine[] = Array.from({ length: 20_000 }, (_, i) => ({ id: `L${(i + 1).toString(36)}`, values: values({ amount: `${i}.00` }) }));
    const ops: DraftOp[] = [];
    for (let i = 0; i < 10_000; i++) ops.push({ op: "insert", line: `Lnew_${i}`, after: many[i * 2]!.id, values: values() });
    for (let i = 0; i < 10_000; i++) ops.push({ op: "delete", line: many[i * 2 + 1]!.id, from: many[i * 2 + 1]!.values });
    const t = performance.now();
    const r = applyDraftOps(many, ops);
    console.log(`applyDraftOps: 20 000 operations on 20 000 lines in ${(performance.now() - t).toFixed(1)} ms`);
    expect(r.applied).toBe(20_000);
    expect(r.lines).toHaveLength(20_000);
    expect(ids(r.lines.slice(0, 4))).toEqual(["L1", "Lnew_0", "L3", "Lnew_1"]);
  });

  it("throws on a draft that repeats an id (a bug, not input)", () => {
    expect(() => applyDraftOps([base[0]!, base[0]!], [])).toThrow(/twice/);
  });
});

describe("draftOpsSchema", () => {
  it("reads the operations the browser sends, empty values and left-out fields as null", () => {
    const parsed = draftOpsSchema.parse([
      { op: "set", line: "L1", field: "note", from: "", to: "备注" },
      { op: "insert", line: "Lk2x9q0d1m4za", after: null, values: { unit: "001", amount: "5" } },
      { op: "delete", line: "L_x-1", from: { unit: "001" } },
    ]);
    // the schema's output is what applyDraftOps takes
    const ops: readonly DraftOp[] = parsed;
    expect(ops[0]).toEqual({ op: "set", line: "L1", field: "note", from: null, to: "备注" });
    expect(ops[1]).toMatchObject({ values: { unit: "001", amount: "5", note: null, func: null } });
    expect(Object.keys((ops[2] as { from: object }).from)).toEqual([...LINE_FIELDS]);
  });

  it.each([
    ["a bad id", [{ op: "set", line: "X1", field: "note", from: null, to: "x" }]],
    ["an id too long", [{ op: "set", line: `L${"a".repeat(25)}`, field: "note", from: null, to: "x" }]],
    ["an unknown field", [{ op: "set", line: "L1", field: "name", from: null, to: "x" }]],
    ["from left out", [{ op: "set", line: "L1", field: "note", to: "x" }]],
    ["an unknown key", [{ op: "delete", line: "L1", from: {}, extra: 1 }]],
    ["an unknown value key", [{ op: "insert", line: "L1", after: null, values: { amout: "1" } }]],
    ["an unknown op", [{ op: "move", line: "L1" }]],
    ["a value too long", [{ op: "set", line: "L1", field: "note", from: null, to: "x".repeat(4001) }]],
    ["a control character", [{ op: "set", line: "L1", field: "note", from: null, to: "a\u0000b" }]],
    ["a lone surrogate", [{ op: "set", line: "L1", field: "note", from: null, to: "a\ud800" }]],
    ["a number for text", [{ op: "set", line: "L1", field: "amount", from: null, to: 5 }]],
  ])("refuses %s", (_what, ops) => {
    expect(draftOpsSchema.safeParse(ops).success).toBe(false);
  });

  it(`takes at most ${MAX_DRAFT_OPS} operations`, () => {
    const op = { op: "set", line: "L1", field: "note", from: null, to: "x" };
    expect(draftOpsSchema.safeParse(Array.from({ length: MAX_DRAFT_OPS }, () => op)).success).toBe(true);
    expect(draftOpsSchema.safeParse(Array.from({ length: MAX_DRAFT_OPS + 1 }, () => op)).success).toBe(false);
  });
});

describe("line ids", () => {
  it("the server counts in base 36 above the largest counter, and above a floor it is given", () => {
    expect(newLineId(new Set())).toBe("L1");
    expect(newLineId(new Set(["L1", "Lz", "Lk2x9q0d1m4za", "Lhand_written"]))).toBe("L10");
    expect(newLineId(new Set(["L1"]), 100)).toBe("L2t");
    const next = lineIdAllocator(["L9"]);
    expect([next(), next(), next()]).toEqual(["La", "Lb", "Lc"]);
    expect(lineIdCounter("L10")).toBe(36);
    expect(lineIdCounter("L01")).toBeNull();
    expect(lineIdCounter("Lk2x9q0d1m4za")).toBeNull();
    expect(largestLineCounter(["L2", "La", "LB"])).toBe(10);
  });

  it("keeps valid ids, and replaces missing, invalid and repeated ones, deterministically", () => {
    const given = ["L5", undefined, "bad", "L5", null, "Lq_1"];
    const out = assignLineIds(given);
    expect(out).toEqual(["L5", "L6", "L7", "L8", "L9", "Lq_1"]);
    expect(assignLineIds(given)).toEqual(out);
    expect(assignLineIds([undefined], 35)).toEqual(["L10"]);
  });

  it("the browser's ids are 12 random base-36 digits: valid, never a server counter", () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const made = new Set(Array.from({ length: 1000 }, () => clientLineId(random)));
    expect(made.size).toBe(1000);
    for (const id of made) {
      expect(id).toMatch(/^L[0-9a-z]{12}$/);
      expect(LINE_ID_PATTERN.test(id)).toBe(true);
      expect(lineIdCounter(id)).toBeNull();
    }
    expect(clientLineId(() => 0.999999999)).toBe("Lzzzzzzzzzzzz");
    expect(clientLineId(() => 1)).toBe("Lzzzzzzzzzzzz");
  });
});

describe("lines of a budget", () => {
  const line = { unit: "001", func: "2010301", econ: "30101", fund: "gpb.own", kind: "basic", amount: "1036750.10" } as const;

  it("gives the draft's values and ids, and back the schema's input", () => {
    const lines = budgetSchema.shape.lines.parse([line, { ...line, id: "L7", note: "备注", kind: "project", project: "P1" }]);
    const draft = linesOf(lines);
    expect(draft.map((l) => l.id)).toEqual(["L8", "L7"]);
    expect(draft[0]?.values).toEqual({ ...line, project: null, note: null, amount: "1036750.10" });
    expect(lineInputOf(draft[1]!)).toEqual({ id: "L7", ...line, kind: "project", project: "P1", note: "备注" });
    // the schema reads it back to the same line
    expect(lineSchema.parse(lineInputOf(draft[1]!))).toEqual(lines[1]);
  });

  it("the schema takes an id and refuses a bad one", () => {
    expect(lineSchema.safeParse({ ...line, id: "L1" }).success).toBe(true);
    expect(lineSchema.safeParse({ ...line, id: "1" }).success).toBe(false);
    expect(lineSchema.safeParse({ ...line, id: "L" }).success).toBe(false);
  });

  it("normalizes an amount only when it is one", () => {
    expect(normalizeLineValue("amount", "1,036,750.1")).toBe("1036750.10");
    expect(normalizeLineValue("amount", "１２")).toBe("12.00");
    expect(normalizeLineValue("amount", "12.345")).toBe("12.345");
    expect(normalizeLineValue("unit", " 001")).toBe(" 001");
    expect(normalizeLineValue("note", "")).toBeNull();
  });
});

describe("findingLine", () => {
  it("maps a finding's field to the line's id and field", () => {
    expect(findingLine("lines[2].amount", base)).toEqual({ line: "L3", field: "amount" });
    expect(findingLine("lines[0]", base)).toEqual({ line: "L1", field: null });
    expect(findingLine("lines[0].id", base)).toEqual({ line: "L1", field: null });
    expect(findingLine("lines[3].amount", base)).toBeNull();
    expect(findingLine("carryover[0].amount", base)).toBeNull();
    expect(findingLine("reasons[\"func.2010301\"]", base)).toBeNull();
    expect(findingLine("not a path", base)).toBeNull();
  });

  it("counts a build's lines through lineOrigin (identical lines summed)", () => {
    // the input's lines 0 and 1 were summed: the build's line 1 is the input's line 2
    expect(findingLine("lines[1].econ", base, [0, 2])).toEqual({ line: "L3", field: "econ" });
    expect(findingLine("lines[2].econ", base, [0, 2])).toBeNull();
  });
});

describe("line ids in a budget", () => {
  const budget = (lines: object[]): Budget =>
    budgetSchema.parse({
      format: "gongkai/budget@1",
      department: { name: "部门", code: "1", region: "地区", year: 2024, template: "xinjiang-2024" },
      units: [{ code: "001", name: "单位", type: "行政" }],
      lines,
    });
  const line = { unit: "001", func: "2010301", econ: "30101", fund: "gpb.own", kind: "basic", amount: 100 };

  it("a repeated id is an input error, at the later line, naming the first", () => {
    const r = checkBudgetIntegrity(budget([{ ...line, id: "L1" }, { ...line, econ: "30102", id: "L2" }, { ...line, econ: "30103", id: "L1" }]), "b.yaml");
    const p = r.problems.find((x) => x.code === "line.duplicate_id");
    expect(p).toMatchObject({ severity: "error", field: "lines[2].id", params: { id: "L1", first: "lines[0]" } });
    expect(inputMessage(p!, "zh")).toContain("明细行标识“L1”重复（已见于 lines[0]）");
    expect(inputMessage(p!, "en")).toContain('line id "L1" repeats lines[0]');
    expect(INPUT_MESSAGES["line.duplicate_id"]).toBeDefined();
  });

  it("is found in input that fails the schema too", () => {
    const raw = { units: [{ code: "001" }], lines: [{ id: "L1", unit: "001", amount: "x" }, { id: "L1", unit: "001" }] };
    expect(checkReferences(referenceView(raw), "b.yaml").map((p) => p.code)).toEqual(["line.duplicate_id"]);
  });

  it("takes no part in summing identical lines: the sum keeps the first id, and equals the sum without ids", () => {
    const withIds = checkBudgetIntegrity(budget([{ ...line, id: "L1" }, { ...line, id: "L2" }]), "b.yaml");
    const without = checkBudgetIntegrity(budget([line, line]), "b.yaml");
    expect(withIds.budget.lines).toEqual([{ ...without.budget.lines[0], id: "L1" }]);
    expect(withIds.problems.map((p) => p.code)).toEqual(["line.duplicate_summed"]);
  });
});
