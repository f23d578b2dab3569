import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffDraftLines } from "./draft-diff.ts";
import { applyDraftOps, LINE_FIELDS, type DraftLine, type LineValues } from "./draft-patch.ts";

const values = (amount: string, note: string | null = null): LineValues => ({ unit: "001", func: "2010301", econ: "30101", fund: "gpb.own", kind: "basic", project: null, amount, note });

describe("diffDraftLines", () => {
  it("sends nothing for a value changed and changed back, and one set per changed field", () => {
    const saved: DraftLine[] = [{ id: "L1", values: values("100.00") }];
    expect(diffDraftLines(saved, [{ id: "L1", values: values("100.00") }])).toEqual([]);
    expect(diffDraftLines(saved, [{ id: "L1", values: values("200.00", "备注") }])).toEqual([
      { op: "set", line: "L1", field: "amount", from: "100.00", to: "200.00" },
      { op: "set", line: "L1", field: "note", from: null, to: "备注" },
    ]);
  });

  it("inserts a new first row before the others, and deletes what is gone with the values it had", () => {
    const saved: DraftLine[] = [{ id: "L1", values: values("1.00") }, { id: "L2", values: values("2.00") }];
    const ops = diffDraftLines(saved, [{ id: "Lnew", values: values("3.00") }, { id: "L2", values: values("2.00") }]);
    expect(ops).toEqual([
      { op: "delete", line: "L1", from: values("1.00") },
      { op: "insert", line: "Lnew", after: null, values: values("3.00") },
    ]);
  });

  it("applied to what it was computed from, gives the lines it was computed to (any edits, inserts, deletes, order)", () => {
    const line = fc.record({ id: fc.constantFrom("L1", "L2", "L3", "L4", "L5", "L6"), amount: fc.constantFrom("1.00", "2.00", "3.00"), note: fc.option(fc.constantFrom("a", "b"), { nil: null }) });
    const lines = fc.uniqueArray(line, { selector: (l) => l.id, maxLength: 6 }).map((ls) => ls.map((l): DraftLine => ({ id: l.id, values: values(l.amount, l.note) })));
    fc.assert(
      fc.property(lines, lines, (saved, current) => {
        // a row kept keeps its place relative to the other kept rows (the grid never moves a stored row)
        const kept = current.filter((c) => saved.some((s) => s.id === c.id)).map((c) => c.id);
        const order = saved.filter((s) => kept.includes(s.id)).map((s) => s.id);
        fc.pre(kept.join() === order.join());
        const r = applyDraftOps(saved, diffDraftLines(saved, current));
        expect(r.conflicts).toEqual([]);
        expect(r.lines.map((l) => [l.id, LINE_FIELDS.map((f) => l.values[f])])).toEqual(current.map((l) => [l.id, LINE_FIELDS.map((f) => l.values[f])]));
      }),
    );
  });
});
