import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDisclosure } from "../../app/build-disclosure.ts";
import type { Budget } from "../../domain/budget-schema.ts";
import { applyDraftOps, LINE_FIELDS, normalizeLineValues, type DraftLine, type DraftOp, type LineValues } from "../../domain/draft-patch.ts";
import { renderBuild } from "../render/build-outputs.ts";
import { projectData } from "./project-data.ts";
import { budgetToYaml } from "./xlsx-budget-yaml.ts";
import { canonical } from "./xlsx-import.ts";
import { readBudgetBytes } from "./yaml-budget-reader.ts";
import { readDraftLines, readLinesLayout, writeDraftLines } from "./yaml-draft.ts";

const EXAMPLE = readFileSync(new URL("../../../examples/changji-xinfang-2024/budget.yaml", import.meta.url), "utf8");

function read(text: string) {
  const r = readDraftLines(text);
  if (!r.ok) throw new Error(r.problem.en);
  return r;
}
function budgetOf(text: string): Budget {
  const r = readBudgetBytes(new TextEncoder().encode(text), "budget.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
  return r.budget;
}
const withoutIds = (b: Budget): Budget => ({ ...b, lines: b.lines.map(({ id: _id, ...rest }) => rest) });
const comments = (text: string) => text.split("\n").filter((l) => l.trimStart().startsWith("#")).map((l) => l.trim());
/** both readers agree, and the line scanner was used */
function layoutsAgree(text: string, fast = true): void {
  const a = readLinesLayout(text, "b.yaml");
  const b = readLinesLayout(text, "b.yaml", "document");
  if (!a.ok || !b.ok) throw new Error("unreadable");
  expect(a.fast).toBe(fast);
  expect(JSON.stringify(a.layout)).toBe(JSON.stringify(b.layout));
}
const values = (over: Partial<LineValues> = {}): LineValues => ({
  unit: "001",
  func: "2010301",
  econ: "30101",
  fund: "gpb.own",
  kind: "basic",
  project: null,
  amount: "100.00",
  note: null,
  ...over,
});

describe("the example budget", () => {
  const first = read(EXAMPLE);
  const written = writeDraftLines(EXAMPLE, first.lines);

  it("reads every line, assigning ids to lines without one, the line scanner and the yaml parser alike", () => {
    expect(first.lines).toHaveLength(35);
    expect(first.assigned).toBe(35);
    expect(first.lines.map((l) => l.id).slice(0, 3)).toEqual(["L1", "L2", "L3"]);
    expect(first.lines[0]?.values).toEqual(values({ amount: "786750.00" }));
    expect(first.lines[31]?.values).toMatchObject({ kind: "project", project: "P2024001", amount: "260000.00", note: "信访大厅安全服务" });
    layoutsAgree(EXAMPLE);
    layoutsAgree(written);
  });

  it("writes the ids in and changes nothing else, byte for byte", () => {
    expect(written).toContain('  - { id: L1, unit: "001", func: "2010301", econ: "30101", fund: gpb.own, kind: basic, amount: 786750 }\n');
    expect(written.replace(/id: L[0-9a-z]+, /g, "")).toBe(EXAMPLE);
    expect(comments(written)).toEqual(comments(EXAMPLE));
    // read again: the same lines, nothing assigned, and writing them again changes nothing
    const again = read(written);
    expect(again.assigned).toBe(0);
    expect(again.lines).toEqual(first.lines);
    expect(writeDraftLines(written, again.lines)).toBe(written);
    // reading without writing assigns the same ids every time
    expect(read(EXAMPLE).lines).toEqual(first.lines);
  });

  it("reads as the same budget apart from the ids", () => {
    const b = budgetOf(written);
    expect(b.lines.map((l) => l.id)).toEqual(first.lines.map((l) => l.id));
    expect(canonical(withoutIds(b))).toBe(canonical(budgetOf(EXAMPLE)));
  });

  it("builds, checks and renders every format byte for byte as without ids", async () => {
    const outputs = async (b: Budget) => {
      const r = buildDisclosure(projectData, b);
      if (!r.ok) throw new Error(r.refusal.code);
      const files = await renderBuild(r.result, r.result.findings);
      return { findings: JSON.stringify(r.result.findings), files: files.map((f) => [f.path, Buffer.from(f.content).toString("base64")]) };
    };
    const [a, b] = [await outputs(budgetOf(written)), await outputs(budgetOf(EXAMPLE))];
    expect(a.files.length).toBeGreaterThan(10);
    expect(a.files.map((f) => f[0])).toContain("disclosure.pdf");
    expect(a.findings).toBe(b.findings);
    for (const [i, f] of a.files.entries()) expect(f, f[0]).toEqual(b.files[i]);
    // the workbook import's YAML (no ids: the workbook has no column for them) is the same too
    const yaml = (x: Budget) => budgetToYaml(x, { source: "b.xlsx" });
    expect(yaml(budgetOf(written))).toBe(yaml(budgetOf(EXAMPLE)));
  }, 120_000);

  it("a repeated id is reported by the checker at its line, naming the first", () => {
    const twice = written.replace("id: L2,", "id: L1,");
    const r = readBudgetBytes(new TextEncoder().encode(twice), "b.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const at = twice.split("\n").findIndex((l) => l.includes('econ: "30102"')) + 1;
    expect(r.problems.filter((p) => p.code === "line.duplicate_id")).toMatchObject([{ line: at, field: "lines[1].id", params: { id: "L1", first: "lines[0]" } }]);
    // the editor still reads it, giving the repeated line a new id
    expect(read(twice).lines.map((l) => l.id).slice(0, 2)).toEqual(["L1", "L10"]);
  });

  it("a set, an insert and a delete round trip, comments and every other line kept", () => {
    const lines = read(written).lines;
    const ops: DraftOp[] = [
      { op: "set", line: "L1", field: "amount", from: "786750.00", to: "786750.10" },
      { op: "set", line: "L2", field: "note", from: null, to: "加, 一条备注" },
      { op: "set", line: "L4", field: "amount", from: "786750.00", to: "0" },
      // the first line under a comment: the comment stays
      { op: "delete", line: "Lh", from: lines[16]!.values },
      { op: "insert", line: "Lk2x9q0d1m4za", after: "L3", values: values({ econ: "30199", amount: "12.345", note: "新增" }) },
      { op: "set", line: "Lw", field: "project", from: "P2024001", to: null },
    ];
    const applied = applyDraftOps(lines, ops);
    expect(applied.conflicts).toMatchObject([{ reason: "changed", op: { line: "L4" } }]);
    const out = writeDraftLines(written, applied.lines);
    expect(read(out).lines).toEqual(applied.lines);
    expect(comments(out)).toEqual(comments(EXAMPLE));
    const outLines = out.split("\n");
    expect(outLines).toContain('  - { id: L1, unit: "001", func: "2010301", econ: "30101", fund: gpb.own, kind: basic, amount: "786750.10" }');
    expect(outLines).toContain('  - { id: L2, unit: "001", func: "2010301", econ: "30102", fund: gpb.own, kind: basic, amount: 595500, note: "加, 一条备注" }');
    // a new line in the style of its neighbour, after it, keys in the schema's order, empty fields left out
    const l3 = outLines.findIndex((l) => l.includes("id: L3,"));
    expect(outLines[l3 + 1]).toBe('  - { id: Lk2x9q0d1m4za, unit: "001", func: "2010301", econ: "30199", fund: gpb.own, kind: basic, amount: "12.345", note: 新增 }');
    expect(outLines.some((l) => l.includes("id: Lh,"))).toBe(false);
    expect(outLines.find((l) => l.includes("id: Lw,"))).toBe('  - { id: Lw, unit: "001", func: "2010399", econ: "30227", fund: gpb.own, kind: project, amount: 260000, note: 信访大厅安全服务 }');
    // every other line as it was
    const changed = new Set(["L1", "L2", "Lh", "Lw"]);
    const isChanged = (l: string) => [...changed].some((id) => l.includes(`id: ${id},`)) || l.includes("Lk2x9q0d1m4za");
    expect(outLines.filter((l) => !isChanged(l))).toEqual(written.split("\n").filter((l) => !isChanged(l)));
    // the checker reads the amounts to the 分 and reports the invalid one
    const check = readBudgetBytes(new TextEncoder().encode(out), "b.yaml");
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => `${p.code} ${p.field}`)).toContain("amount.too_many_decimals lines[3].amount");
    }
    const fixed = writeDraftLines(out, applyDraftOps(read(out).lines, [{ op: "set", line: "Lk2x9q0d1m4za", field: "amount", from: "12.345", to: "12.34" }, { op: "set", line: "Lw", field: "project", from: null, to: "P2024001" }]).lines);
    const b = budgetOf(fixed);
    expect(b.lines[0]?.amount).toBe(78675010n);
    expect(b.lines[3]?.amount).toBe(1234n);
    expect(b.lines.find((l) => l.id === "Lw")?.project).toBe("P2024001");
  });
});

describe("amounts", () => {
  const doc = (item: string) => `format: gongkai/budget@1\nlines:\n  - ${item}\n`;
  const amountAfter = (item: string, to: string | null) => {
    const text = doc(item);
    const [l] = read(text).lines;
    const out = writeDraftLines(text, [{ id: l!.id, values: { ...l!.values, amount: to } }]);
    return { out, back: read(out).lines[0]?.values.amount };
  };

  it.each([
    ["a whole 元 amount as a number", "{ id: L1, amount: 5 }", "786750", "amount: 786750", "786750.00"],
    ["分 as a string", "{ id: L1, amount: 5 }", "786750.1", 'amount: "786750.10"', "786750.10"],
    ["a quoted amount stays quoted", '{ id: L1, amount: "5" }', "786750", 'amount: "786750.00"', "786750.00"],
    ["thousands separators", "{ id: L1, amount: 5 }", "1,036,750.00", "amount: 1036750", "1036750.00"],
    ["too many decimals, kept quoted", "{ id: L1, amount: 5 }", "12.345", 'amount: "12.345"', "12.345"],
    ["text, kept quoted", "{ id: L1, amount: 5 }", "abc", 'amount: "abc"', "abc"],
    ["a negative amount, kept quoted", "{ id: L1, amount: 5 }", "-5", 'amount: "-5"', "-5"],
    ["a large amount, exactly", "{ id: L1, amount: 5 }", "999999999999999.99", 'amount: "999999999999999.99"', "999999999999999.99"],
  ])("%s", (_what, item, to, written, back) => {
    const r = amountAfter(item, to);
    expect(r.out).toContain(written);
    expect(r.back).toBe(back);
  });

  it("an empty amount is left out", () => {
    expect(amountAfter("{ id: L1, unit: x, amount: 5 }", null).out).toBe(doc("{ id: L1, unit: x }"));
  });

  it("reads a plain amount from its source text, never through a float", () => {
    expect(read(doc("{ amount: 123456789012345.67 }")).lines[0]?.values.amount).toBe("123456789012345.67");
    expect(read(doc("{ amount: 0x1F }")).lines[0]?.values.amount).toBe("0x1F");
  });
});

describe("block items and other layouts", () => {
  const BLOCK = [
    "format: gongkai/budget@1",
    "# before lines",
    "lines:   # the lines",
    "  # first group",
    "  - id: L1",
    "    unit: '001'",
    "    # about func",
    "    func: 2010301",
    "    econ: \"30101\"   # trailing",
    "    amount: 100",
    "",
    "  # second group",
    "  -   unit: \"001\"",
    "      amount: 200",
    "      note:",
    "carryover: []",
    "",
  ].join("\n");

  it("reads and splices block items, their comments kept", () => {
    layoutsAgree(BLOCK);
    const r = read(BLOCK);
    expect(r.lines.map((l) => l.id)).toEqual(["L1", "L2"]);
    expect(r.assigned).toBe(1);
    expect(r.lines[0]?.values).toMatchObject({ unit: "001", func: "2010301", econ: "30101", amount: "100.00", note: null });
    const out = writeDraftLines(
      BLOCK,
      applyDraftOps(r.lines, [
        { op: "set", line: "L1", field: "func", from: "2010301", to: null },
        { op: "set", line: "L1", field: "kind", from: null, to: "basic" },
        { op: "set", line: "L2", field: "note", from: null, to: "备注" },
        { op: "insert", line: "L9", after: "L2", values: values({ note: "a: b" }) },
      ]).lines,
    );
    expect(out).toBe(
      [
        "format: gongkai/budget@1",
        "# before lines",
        "lines:   # the lines",
        "  # first group",
        "  - id: L1",
        "    unit: '001'",
        "    # about func",
        "    econ: \"30101\"   # trailing",
        "    kind: basic",
        "    amount: 100",
        "",
        "  # second group",
        "  -   id: L2",
        "      unit: \"001\"",
        "      amount: 200",
        "      note: 备注",
        "  -   id: L9",
        "      unit: \"001\"",
        "      func: \"2010301\"",
        "      econ: \"30101\"",
        "      fund: gpb.own",
        "      kind: basic",
        "      amount: 100",
        "      note: \"a: b\"",
        "carryover: []",
        "",
      ].join("\n"),
    );
    expect(read(out).lines.map((l) => l.values.note)).toEqual([null, "备注", "a: b"]);
  });

  it("deleting every line writes lines: [] and keeps the comments", () => {
    const out = writeDraftLines(BLOCK, []);
    expect(out.startsWith("format: gongkai/budget@1\n# before lines\nlines: []   # the lines\n  # first group\n\n  # second group\ncarryover: []\n")).toBe(true);
    expect(read(out).lines).toEqual([]);
    // and a line added again, as a block list of flow items
    const back = writeDraftLines(out, [{ id: "L1", values: values() }]);
    expect(back).toContain('lines:\n  - { id: L1, unit: "001", func: "2010301", econ: "30101", fund: gpb.own, kind: basic, amount: 100 }   # the lines\n');
    expect(read(back).lines).toEqual([{ id: "L1", values: values() }]);
  });

  it.each([
    ["absent", "format: x\n", "format: x\nlines:\n  - { id: L1, unit: x }\n"],
    ["absent, no final line break", "format: x", "format: x\nlines:\n  - { id: L1, unit: x }\n"],
    ["empty", "format: x\nlines:\nother: 1\n", "format: x\nlines:\n  - { id: L1, unit: x }\nother: 1\n"],
    ["null", "lines: ~ # none\n", "lines:\n  - { id: L1, unit: x } # none\n"],
    ["a flow list", "lines: [{ unit: y }, { unit: z }]\nb: 1\n", "lines:\n  - { id: L1, unit: x }\nb: 1\n"],
    ["a flow document", "{ format: x }\n", "{ format: x, lines: [{ id: L1, unit: x }] }\n"],
    ["at column 0", "lines:\n- { unit: y }\nb: 1\n", "lines:\n- { id: L1, unit: x }\nb: 1\n"],
    ["no final line break", "lines:\n  - { unit: y }", "lines:\n  - { id: L1, unit: x }"],
    ["CRLF line breaks", "a: 1\r\nlines:\r\n  - { unit: y }\r\n  # c\r\nb: 2\r\n", "a: 1\r\nlines:\r\n  - { id: L1, unit: x }\r\n  # c\r\nb: 2\r\n"],
    ["a dash alone on its line", "lines:\n  -\n    unit: y\n", "lines:\n  -\n    id: L1\n    unit: x\n"],
  ])("lines %s", (_what, text, want) => {
    const line = { id: "L1", values: { ...values(), unit: "x", func: null, econ: null, fund: null, kind: null, amount: null } };
    const out = writeDraftLines(text, [line]);
    expect(out).toBe(want);
    expect(read(out).lines).toEqual([line]);
  });

  it("keeps a duplicate key, an unknown key and a value it does not know as they are", () => {
    const text = "lines:\n  - { id: L1, unit: \"001\", amout: 5, note: &n [a, b], unit: \"002\" }\n";
    const r = read(text);
    expect(r.lines[0]?.values).toMatchObject({ unit: "001", note: "[a, b]", amount: null });
    const out = writeDraftLines(text, [{ id: "L1", values: { ...r.lines[0]!.values, amount: "5" } }]);
    // a new key goes after the last of ours before it in the schema's order (here: the first unit)
    expect(out).toBe("lines:\n  - { id: L1, unit: \"001\", amount: 5, amout: 5, note: &n [a, b], unit: \"002\" }\n");
  });

  it("gives a repeated or invalid id a new one, and says how many it assigned", () => {
    const r = read("lines:\n  - { id: L5 }\n  - { id: L5 }\n  - { id: 7 }\n  - {}\n");
    expect(r.lines.map((l) => l.id)).toEqual(["L5", "L6", "L7", "L8"]);
    expect(r.assigned).toBe(3);
    const out = writeDraftLines("lines:\n  - { id: L5 }\n  - { id: L5 }\n  - { id: 7 }\n  - {}\n", r.lines);
    expect(out).toBe("lines:\n  - { id: L5 }\n  - { id: L6 }\n  - { id: L7 }\n  - { id: L8 }\n");
    // `above`: ids above those of earlier revisions
    expect(readDraftLines("lines:\n  - {}\n", { above: 35 })).toMatchObject({ ok: true, lines: [{ id: "L10" }] });
  });

  it.each([
    ["not YAML", "lines: [\n", "input.yaml_syntax"],
    ["not a mapping", "- a\n", "field.wrong_type"],
    ["lines not a list", "lines: 5\n", "field.wrong_type"],
    ["an item not a mapping", "lines:\n  - { unit: x }\n  - text\n", "field.wrong_type"],
    ["an alias item", "a: &x { unit: y }\nlines:\n  - *x\n", "field.wrong_type"],
    ["lines twice", "lines: []\nlines: []\n", "input.duplicate_key"],
  ])("refuses %s, saying where in both languages", (_what, text, code) => {
    const r = readDraftLines(text, { file: "draft.yaml" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.code).toBe(code);
    expect(r.problem.zh).toMatch(/^draft\.yaml:\d+/);
    expect(r.problem.en).toMatch(/^draft\.yaml:\d+/);
    expect(() => writeDraftLines(text, [])).toThrow(/cannot be read/);
  });

  it("an item not a mapping is named with its field", () => {
    const r = readDraftLines("lines:\n  - { unit: x }\n  - text\n");
    expect(r).toMatchObject({ ok: false, problem: { field: "lines[1]", line: 3, column: 5 } });
    if (!r.ok) expect(r.problem.zh).toContain("lines[1]：应为键值映射，得到文本");
  });

  it("refuses to write lines that repeat an id", () => {
    expect(() => writeDraftLines("lines: []\n", [{ id: "L1", values: values() }, { id: "L1", values: values() }])).toThrow(/twice/);
    expect(() => writeDraftLines("lines: []\n", [{ id: "x", values: values() }])).toThrow(/invalid/);
  });
});

describe("the line scanner and the yaml parser", () => {
  const scalar = fc.oneof(
    fc.constantFrom("001", "2010301", "gpb.own", "P2024001", "8910002U", "786750", "786750.10", "1,036,750", "-5", "abc", "true", "True", "null", "~", ".5", "0x1F", "1e5", "a b", "备注（一）", "a: b", "a#b", "a, b", "[x]", "it's", 'say "hi"', "x\\y", "", " pad "),
    fc.string({ maxLength: 8 }),
  );
  const style = fc.constantFrom("plain", "double", "single");
  const written = (v: string, s: string) => (s === "double" ? JSON.stringify(v) : s === "single" ? `'${v.replaceAll("'", "''")}'` : v);
  const field = fc.tuple(fc.constantFrom("id", ...LINE_FIELDS, "other"), scalar, style);
  const item = fc.record({ flow: fc.boolean(), fields: fc.array(field, { minLength: 1, maxLength: 5 }) });

  it("give the same layout wherever the scanner is sure, and every write reads back as written", () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), fc.boolean(), (items, comment) => {
        const body = items.map((x) =>
          x.flow
            ? `  - { ${x.fields.map(([k, v, s]) => `${k}: ${written(v, s)}`).join(", ")} }`
            : x.fields.map(([k, v, s], i) => `${i === 0 ? "  - " : "    "}${k}: ${written(v, s)}`).join("\n"),
        );
        const text = `format: x\nlines:\n${body.join(comment ? "\n  # c\n" : "\n")}\nafter: 1\n`;
        const doc = readLinesLayout(text, "b.yaml", "document");
        if (!doc.ok) return; // not YAML (a plain value that is not one)
        const auto = readLinesLayout(text, "b.yaml");
        if (!auto.ok) throw new Error("the scanner refused what the parser reads");
        if (auto.fast) {
          fast++;
          expect(JSON.stringify(auto.layout)).toBe(JSON.stringify(doc.layout));
        }
        const lines = read(text).lines;
        const changed: DraftLine[] = lines.map((l, i) => (i % 2 === 0 ? { id: l.id, values: { ...l.values, note: "改, 过", amount: "1.5" } } : l));
        const out = writeDraftLines(text, changed);
        expect(read(out).lines).toEqual(changed.map((l) => ({ id: l.id, values: normalizeLineValues(l.values) })));
        expect(out.endsWith("after: 1\n")).toBe(true);
      }),
      { numRuns: 300, seed: 20240223 },
    );
    // the scanner took a fair share, not just the trivial cases
    expect(fast).toBeGreaterThan(30);
  });
});

describe("20 000 lines", () => {
  it("read, apply and write (time printed, not asserted)", () => {
    const item = (i: number) => `  - { unit: "001", func: "2010301", econ: "${30101 + (i % 90)}", fund: gpb.own, kind: basic, amount: ${1000 + i}${i % 7 === 0 ? ", note: 备注" : ""} }\n`;
    const text = EXAMPLE.replace(/^lines:\n[\s\S]*?\n\n/m, `lines:\n${Array.from({ length: 20_000 }, (_, i) => item(i)).join("")}\n`);
    let t = performance.now();
    const first = read(text);
    const withIds = writeDraftLines(text, first.lines);
    const assign = performance.now() - t;
    t = performance.now();
    const lines = read(withIds).lines;
    const ops: DraftOp[] = [];
    for (let i = 0; i < 20_000; i += 20) ops.push({ op: "set", line: lines[i]!.id, field: "amount", from: lines[i]!.values.amount, to: "5.10" });
    for (let i = 5; i < 20_000; i += 200) ops.push({ op: "delete", line: lines[i]!.id, from: lines[i]!.values });
    for (let i = 7; i < 20_000; i += 200) ops.push({ op: "insert", line: `Lnew_${i}`, after: lines[i]!.id, values: values() });
    const applied = applyDraftOps(lines, ops);
    const out = writeDraftLines(withIds, applied.lines);
    const edit = performance.now() - t;
    console.log(`yaml-draft: 20 000 lines — ids assigned and written in ${assign.toFixed(0)} ms; read + ${ops.length} operations + write in ${edit.toFixed(0)} ms`);
    expect(first.lines).toHaveLength(20_000);
    expect(applied.conflicts).toEqual([]);
    expect(applied.lines).toHaveLength(20_000);
    const layout = readLinesLayout(out, "b.yaml");
    expect(layout.ok && layout.fast).toBe(true);
    expect(read(out).lines).toEqual(applied.lines);
  }, 60_000);
});
