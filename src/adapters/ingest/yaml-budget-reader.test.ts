import { mkdtemp, open, rm, truncate, writeFile, mkdir } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INPUT_MESSAGES, formatInputProblem } from "../../domain/input-messages.ts";
import type { InputProblem } from "../../domain/input-problem.ts";
import {
  MAX_BUDGET_FILE_BYTES,
  MAX_REPORTED_PROBLEMS,
  readBudgetBytes,
  readBudgetFile,
  type ReadResult,
} from "./yaml-budget-reader.ts";

const FIXTURE_PATH = new URL("../../../test/fixtures/minimal-budget.yaml", import.meta.url);
const FIXTURE = readFileSync(FIXTURE_PATH, "utf8");
const FILE = "budget.yaml";

const read = (text: string): ReadResult => readBudgetBytes(new TextEncoder().encode(text), FILE);

/** The fixture with one exact text replaced (which must occur exactly once). */
function edit(from: string, to: string, src = FIXTURE): string {
  const i = src.indexOf(from);
  if (i < 0 || src.indexOf(from, i + 1) >= 0) throw new Error(`edit: "${from}" must occur exactly once`);
  return src.slice(0, i) + to + src.slice(i + from.length);
}

/** 1-based line of the (unique) text in src. */
function lineOf(src: string, needle: string): number {
  const i = src.indexOf(needle);
  if (i < 0) throw new Error(`lineOf: "${needle}" not found`);
  return src.slice(0, i).split("\n").length;
}

function problems(r: ReadResult): InputProblem[] {
  if (r.ok) throw new Error("expected the input to be refused");
  return r.problems;
}

function only(r: ReadResult, code: string): InputProblem {
  const found = problems(r).filter((p) => p.code === code);
  expect(found, JSON.stringify(problems(r), null, 1)).toHaveLength(1);
  return found[0] as InputProblem;
}

describe("a valid budget", () => {
  it("reads the fixture: exact amounts, codes with their zeros, numbers where the schema wants numbers", () => {
    const r = read(FIXTURE);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.notes).toEqual([]);
    expect(r.budget.department.year).toBe(2024);
    expect(r.budget.department.code).toBe("03");
    expect(r.budget.units[0]?.code).toBe("005001");
    expect(r.budget.lines.map((l) => l.unit)).toEqual(["005001", "005001", "005001"]);
    expect(r.budget.lines.map((l) => l.amount)).toEqual([103675010n, 1200000n, 500000n]);
    expect(r.budget.lines.map((l) => l.econ)).toEqual(["30101", "30201", "30217"]);
  });

  it("keeps a code that YAML would read as the number 3 as the text 03", () => {
    const r = read(edit("  code: 03\n", "  code: 0003\n"));
    expect(r.ok && r.budget.department.code).toBe("0003");
    const r2 = read(edit("    econ: 30101\n", "    econ: 03101\n"));
    expect(r2.ok && r2.budget.lines[0]?.econ).toBe("03101");
  });

  it("gives the same budget from a file with a BOM and CRLF or CR line ends", () => {
    const clean = read(FIXTURE);
    if (!clean.ok) throw new Error(JSON.stringify(clean.problems));
    for (const src of ["\uFEFF" + FIXTURE.replaceAll("\n", "\r\n"), FIXTURE.replaceAll("\n", "\r")]) {
      const r = read(src);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(r.budget).toEqual(clean.budget);
      expect(r.notes).toEqual(clean.notes);
      expect(r.locate("lines[2].amount")).toEqual(clean.locate("lines[2].amount"));
    }
    // …and the same lines and columns for problems
    const bad = edit("amount: 5000", "amount: 1.001");
    expect(read("\uFEFF" + bad.replaceAll("\n", "\r\n"))).toEqual(read(bad));
  });

  it("accepts thousands separators (plain and quoted) and full-width digits in amounts", () => {
    let src = edit("amount: 1036750.10", "amount: 1,036,750.10");
    src = edit('amount: "12,000.00"', "amount: １２，０００．００", src);
    src = edit("amount: 5000", 'amount: "５０００"', src);
    const r = read(src);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.budget.lines.map((l) => l.amount)).toEqual([103675010n, 1200000n, 500000n]);
  });

  it("reads an empty optional field as absent", () => {
    const r = read(edit("    amount: 5000\n", "    amount: 5000\n    note:\n"));
    expect(r.ok && r.budget.lines[2]?.note).toBeUndefined();
  });

  it("sums lines identical in every field, with a note naming the line", () => {
    const dup =
      "  - unit: 005001\n    func: 2010301\n    econ: 30101\n    fund: gpb.own\n    kind: basic\n    amount: 1036750.10\n";
    const src = FIXTURE + dup;
    const r = read(src);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.budget.lines).toHaveLength(3);
    expect(r.budget.lines[0]?.amount).toBe(2n * 103675010n);
    expect(r.notes).toHaveLength(1);
    // Fields of the returned budget map back to the file, across the summed line.
    const dupLine = lineOf(src, "  - unit: 005001\n    func: 2010350");
    expect(r.locate("lines[2].amount")).toEqual({ line: dupLine + 6, column: 13 });
    expect(r.locate("lines[0]")).toEqual({ line: lineOf(src, "  - unit: 005001"), column: 5 });
    expect(r.locate("profile.functions")).toEqual({ line: lineOf(src, "format:"), column: 1 }); // a default: the root
    expect(r.locate("not a path")).toBeNull();
    expect(r.notes[0]).toMatchObject({
      code: "line.duplicate_summed",
      severity: "note",
      field: "lines[3]",
      line: FIXTURE.split("\n").length,
    });
  });
});

describe("bytes", () => {
  it("refuses invalid UTF-8 and names the line of the first bad byte", () => {
    const src = edit("    name: 测试局（本级）", "    name: 测试局XX");
    const bytes = new TextEncoder().encode(src);
    const at = bytes.indexOf(0x58); // "X"
    bytes[at] = 0xff;
    const p = only(readBudgetBytes(bytes, FILE), "input.bad_utf8");
    expect(p.line).toBe(lineOf(src, "测试局XX"));
    expect(p.column).toBe(14);
  });

  it("refuses a truncated multi-byte sequence at the end", () => {
    const bytes = new TextEncoder().encode(FIXTURE + "x: 测");
    const p = only(readBudgetBytes(bytes.subarray(0, bytes.length - 1), FILE), "input.bad_utf8");
    expect(p.line).toBe(FIXTURE.split("\n").length);
  });

  it("refuses a NUL byte and names its line", () => {
    const src = edit("  region: ", "  region: \u0000");
    const p = only(read(src), "input.nul_byte");
    expect(p.line).toBe(lineOf(src, "region"));
  });
});

describe("size", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gongkai-reader-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a file over the limit from its size alone, without reading it", async () => {
    // A sparse file of 64 GiB: reading it would take minutes and more memory than a Buffer can hold.
    const path = join(dir, "huge.yaml");
    await writeFile(path, "format: gongkai/budget@1\n");
    await truncate(path, 64 * 2 ** 30);
    const t0 = performance.now();
    const r = await readBudgetFile(path);
    expect(performance.now() - t0).toBeLessThan(2000);
    const p = only(r, "input.too_large");
    expect(p.file).toBe(path);
    expect(p.params).toMatchObject({ limit: "10 MB", size: 64 * 2 ** 30 });
    expect(formatInputProblem(p)).toContain("10 MB");
  });

  it("refuses a file one byte over the limit, and accepts bytes up to it", async () => {
    const path = join(dir, "over.yaml");
    const fh = await open(path, "w");
    await fh.truncate(MAX_BUDGET_FILE_BYTES + 1);
    await fh.close();
    only(await readBudgetFile(path), "input.too_large");
    only(readBudgetBytes(new Uint8Array(MAX_BUDGET_FILE_BYTES + 1), FILE), "input.too_large");
  });

  it("reads the fixture from disk and reports a missing file or a directory without throwing", async () => {
    const path = join(dir, "budget.yaml");
    await writeFile(path, FIXTURE);
    expect((await readBudgetFile(path)).ok).toBe(true);
    expect(only(await readBudgetFile(join(dir, "nope.yaml")), "input.unreadable").params).toEqual({ reason: "ENOENT" });
    await mkdir(join(dir, "d.yaml"));
    only(await readBudgetFile(join(dir, "d.yaml")), "input.not_a_file");
  });
});

describe("hostile YAML", () => {
  it("stops a billion-laughs alias bomb quickly", () => {
    const lol = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
    ].join("\n");
    const t0 = performance.now();
    const p = only(read(lol), "input.alias_bomb");
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(p.line).toBe(4); // the first *c: expanding it passes the limit
  });

  it("refuses an alias to its own container and an alias without anchor", () => {
    expect(only(read("a: &x [1, *x]\n"), "input.alias_cycle").line).toBe(1);
    expect(only(read("a: 1\nb: *nope\n"), "input.bad_alias")).toMatchObject({
      line: 2,
      column: 4,
      params: { alias: "nope" },
    });
  });

  it("accepts a few aliases (they are plain YAML)", () => {
    const src = edit("    fund: gpb.own\n    kind: project", "    fund: *f\n    kind: project").replace(
      "    fund: gpb.own",
      "    fund: &f gpb.own",
    );
    const r = read(src);
    expect(r.ok && r.budget.lines[2]?.fund).toBe("gpb.own");
  });

  it("refuses 10,000-deep flow nesting with a line, before the parser can overflow", () => {
    const src = FIXTURE + "deep: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    const p = only(read(src), "input.too_deep");
    expect(p.line).toBe(lineOf(src, "deep:"));
    expect(p.params).toEqual({ limit: 64 });
  });

  it("refuses 10,000-deep block nesting (compact and indented) with a line", () => {
    const compact = FIXTURE + "deep:\n" + "- ".repeat(10_000) + "x\n";
    expect(only(read(compact), "input.too_deep").line).toBe(lineOf(compact, "deep:") + 1);
    const maps = "{a: ".repeat(10_000) + "1" + "}".repeat(10_000);
    expect(only(read(maps), "input.too_deep").line).toBe(1);
    // 3,000 levels, one more space each: as deep as 10 MB of indentation allows.
    const indented = Array.from({ length: 3000 }, (_, i) => " ".repeat(i) + "k:").join("\n") + " 1\n";
    const p = only(read(indented), "input.too_deep");
    expect(p.line).toBeGreaterThan(60);
    expect(p.line).toBeLessThan(70);
  });

  it("refuses tags: !!js/function and custom ones", () => {
    const src = edit("constructed: ", 'constructed: !!js/function "function () {}" #');
    expect(only(read(src), "input.tag_refused")).toMatchObject({
      line: lineOf(src, "constructed"),
      params: { tag: "!!js/function" },
    });
    const src2 = edit("  region: ", "  region: !foo ");
    expect(only(read(src2), "input.tag_refused")).toMatchObject({
      line: lineOf(src2, "region"),
      params: { tag: "!foo" },
    });
  });

  it("refuses several documents, duplicate keys and syntax errors, with lines", () => {
    const multi = FIXTURE + "---\nformat: gongkai/budget@1\n";
    expect(only(read(multi), "input.multiple_documents").line).toBe(lineOf(multi, "---"));
    const dup = edit(
      "    kind: basic\n    amount: 1036750.10",
      "    kind: basic\n    kind: project\n    amount: 1036750.10",
    );
    expect(only(read(dup), "input.duplicate_key")).toMatchObject({
      line: lineOf(dup, "kind: project\n    amount: 1036750.10"),
      column: 5,
      params: { key: "kind" },
    });
    const bad = edit("  region: 新疆维吾尔自治区昌吉回族自治州", "  region: [新疆, 昌吉");
    const ps = problems(read(bad));
    expect(new Set(ps.map((p) => p.code))).toEqual(new Set(["input.yaml_syntax"]));
    // The unclosed [ is seen where the next key starts.
    expect(ps[0]).toMatchObject({ line: lineOf(bad, "region") + 1, column: 3 });
    expect(String(ps[0]?.params?.["reason"])).toContain("]");
  });

  it("refuses a __proto__ key and an empty file", () => {
    expect(only(read(FIXTURE + "__proto__: {}\n"), "input.reserved_key").line).toBe(FIXTURE.split("\n").length);
    only(read(""), "input.empty");
    only(read("# nothing\n"), "input.empty");
  });
});

describe("schema problems", () => {
  it("reports a wrong type with expected and got, line and field", () => {
    const src = edit("  year: 2024", "  year: twenty");
    const p = only(read(src), "field.wrong_type");
    expect(p).toMatchObject({
      line: lineOf(src, "year"),
      column: 9,
      field: "department.year",
      params: { expected: "number", got: "text" },
    });
    expect(formatInputProblem(p)).toBe(`budget.yaml:${p.line}:9 department.year：应为数字，得到文本`);
  });

  it("refuses .nan and .inf as amounts", () => {
    const src = edit("amount: 1036750.10", "amount: .nan");
    expect(only(read(src), "amount.not_a_number")).toMatchObject({
      line: 25,
      column: 13,
      field: "lines[0].amount",
      params: { value: ".nan" },
    });
    only(read(edit("amount: 5000", "amount: -.inf")), "amount.not_a_number");
  });

  it("refuses a negative amount", () => {
    const src = edit("amount: 5000", "amount: -5000");
    expect(only(read(src), "amount.negative")).toMatchObject({ line: lineOf(src, "-5000"), field: "lines[2].amount" });
  });

  it("refuses an amount with three decimals, and says so in both languages", () => {
    const src = edit("amount: 1036750.10", "amount: 1.005");
    const p = only(read(src), "amount.too_many_decimals");
    expect(p).toMatchObject({ line: 25, column: 13, field: "lines[0].amount" });
    expect(formatInputProblem(p)).toBe('budget.yaml:25:13 lines[0].amount：金额最多两位小数（得到 "1.005"）');
    expect(formatInputProblem(p, "en")).toBe(
      'budget.yaml:25:13 lines[0].amount: an amount has at most two decimals (got "1.005")',
    );
  });

  it("reports an unknown key (a typo is never dropped) and the field it leaves missing", () => {
    const src = edit("    amount: 5000", "    amout: 5000");
    const unknown = only(read(src), "field.unknown");
    expect(unknown).toMatchObject({
      line: lineOf(src, "amout"),
      column: 5,
      field: "lines[2].amout",
      params: { key: "amout" },
    });
    expect(String(unknown.params?.["allowed"])).toContain("amount");
    expect(only(read(src), "field.missing")).toMatchObject({
      field: "lines[2].amount",
      line: lineOf(src, "  - unit: 005001\n    func: 2010350"),
    });
  });

  it("reports a bad enum value with the allowed values", () => {
    const src = edit("    type: 行政", "    type: 行政机关");
    expect(only(read(src), "field.bad_value")).toMatchObject({
      line: lineOf(src, "行政机关"),
      field: "units[0].type",
      params: { got: "行政机关", allowed: "行政 / 参公 / 事业" },
    });
  });

  it("reports several problems at once, sorted by line", () => {
    let src = edit("  year: 2024", "  year: 2024.5");
    src = edit("    econ: 30201", "    econ: 302", src);
    src = edit("amount: 5000", "amount: 12.345", src);
    src = edit("    fund: gpb.own\n    kind: project", "    fund: gpb\n    kind: project", src);
    const ps = problems(read(src));
    expect(ps.map((p) => [p.code, p.line, p.field])).toEqual([
      ["field.wrong_type", lineOf(src, "2024.5"), "department.year"],
      ["code.bad_shape", lineOf(src, "econ: 302\n"), "lines[1].econ"],
      ["field.bad_value", lineOf(src, "fund: gpb\n"), "lines[2].fund"],
      ["amount.too_many_decimals", lineOf(src, "12.345"), "lines[2].amount"],
    ]);
  });

  it("caps the list, with a final problem counting the rest", () => {
    const bad = Array.from(
      { length: 300 },
      () => "  - {unit: 005001, func: 2010301, econ: 30101, fund: gpb.own, kind: basic, amount: 1.001}\n",
    ).join("");
    const ps = problems(read(FIXTURE + bad));
    expect(ps).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(ps[MAX_REPORTED_PROBLEMS]).toMatchObject({ code: "input.more_problems", params: { count: 100 } });
    expect(ps[0]?.line).toBe(FIXTURE.split("\n").length);
  });
});

describe("integrity problems through the reader", () => {
  it("names the line of an unknown unit and of a basic line that names a project", () => {
    let src = edit(
      "    econ: 30201\n    fund: gpb.own\n    kind: basic",
      "    econ: 30201\n    fund: gpb.own\n    kind: basic\n    project: 65230024P001",
    );
    src = edit("  - unit: 005001\n    func: 2010350", "  - unit: 009\n    func: 2010350", src);
    const ps = problems(read(src));
    expect(ps.map((p) => [p.code, p.line, p.column, p.field])).toEqual([
      ["line.basic_with_project", lineOf(src, '    project: 65230024P001\n    amount: "12'), 14, "lines[1].project"],
      ["line.unknown_unit", lineOf(src, "unit: 009"), 11, "lines[2].unit"],
    ]);
  });
});

describe("every problem at once: references are checked on what could be read, even when the schema fails", () => {
  it("lists unknown units and projects and a project on a basic line together with the schema problems", () => {
    let src = edit("  year: 2024", "  year: 2024.5"); // schema
    src = edit("amount: 1036750.10", "amount: 1.005", src); // schema, on lines[0]
    src = edit(
      "    econ: 30201\n    fund: gpb.own\n    kind: basic",
      "    econ: 30201\n    fund: gpb.own\n    kind: basic\n    project: 65230024P001",
      src,
    );
    src = edit("  - unit: 005001\n    func: 2010350", "  - unit: 009\n    func: 2010350", src);
    src = edit("    project: 65230024P001\n    amount: 5000", "    project: P404\n    amount: 5000", src);
    const ps = problems(read(src));
    expect(ps.map((p) => [p.code, p.line, p.field])).toEqual([
      ["field.wrong_type", lineOf(src, "2024.5"), "department.year"],
      ["amount.too_many_decimals", lineOf(src, "1.005"), "lines[0].amount"],
      ["line.basic_with_project", lineOf(src, '    project: 65230024P001\n    amount: "12'), "lines[1].project"],
      ["line.unknown_unit", lineOf(src, "unit: 009"), "lines[2].unit"],
      ["line.unknown_project", lineOf(src, "P404"), "lines[2].project"],
    ]);
    for (const p of ps) expect(p.column).toBeGreaterThan(0);
  });

  it("does not judge a reference against a list with an unreadable code, nor a field with a problem of its own", () => {
    let src = edit("  - code: 005001\n", "  - code: [005001]\n"); // the unit's code is unreadable
    src = edit("    kind: project\n    project: 65230024P001", "    kind: projekt\n    project: 65230024P001", src);
    const ps = problems(read(src));
    // lines name unit 005001, which may well be the unreadable one: no line.unknown_unit; the bad kind is not judged
    expect(ps.map((p) => [p.code, p.field])).toEqual([
      ["field.wrong_type", "units[0].code"],
      ["field.bad_value", "lines[2].kind"],
    ]);
  });

  it("checks the project owner, carry-over units and performance targets too", () => {
    const src =
      edit("    unit: 005001\nlines:", "    unit: 777\nlines:", edit("  year: 2024", "  year: x")) +
      "carryover:\n  - { unit: 778, name: 结转, func: 2010301, econ: 30201, fund: gpb, kind: basic, amount: 1 }\n" +
      "performance:\n  projects:\n    - { project: P404, goal: 目标, indicators: [] }\n";
    expect(problems(read(src)).map((p) => [p.code, p.field])).toEqual([
      ["field.wrong_type", "department.year"],
      ["project.unknown_unit", "projects[0].unit"],
      ["carryover.unknown_unit", "carryover[0].unit"],
      ["performance.unknown_project", "performance.projects[0].project"],
    ]);
  });
});

/** The fixture with a fourth line in flow style, with this amount written as is. */
const flow = (amount: string) => FIXTURE + `  - { unit: 005001, func: 2010301, econ: 30101, fund: gpb.own, kind: basic, amount: ${amount} }\n`;

describe("an unquoted amount with a thousands separator inside { … }", () => {

  it("says YAML read it as two keys because of the comma, and how to write it, at the value", () => {
    const src = flow("1,000.5");
    const p = only(read(src), "input.flow_comma_number");
    expect(problems(read(src))).toHaveLength(1); // not also an unknown key "000.5"
    expect(p).toMatchObject({ line: src.split("\n").length - 1, field: "lines[3].amount", params: { key: "amount", written: "1,000.5", read: "1", extra: "000.5", count: 2, plain: "1000.5" } });
    expect(p.column).toBe(src.split("\n").at(-2)!.indexOf("1,000.5") + 1);
    expect(formatInputProblem(p)).toContain('YAML 把 1,000.5 读成了 2 个键：“amount” 的值为 1，其后的 000.5 成了多余的键。请加引号写作 amount: "1,000.5"，或去掉千分位写作 amount: 1000.5');
    expect(formatInputProblem(p, "en")).toContain('inside { … } a comma separates entries, so YAML read 1,000.5 as 2 keys: "amount" with the value 1');
  });

  it("covers several separators, and never lets the split amount through", () => {
    const p = only(read(flow("1,036,750.10")), "input.flow_comma_number");
    expect(p.params).toMatchObject({ written: "1,036,750.10", extra: "036, 750.10", count: 3, plain: "1036750.10" });
    // quoted, or in block style, the same text is an amount
    expect(read(flow('"1,000.5"')).ok).toBe(true);
    expect(read(FIXTURE.replace("amount: 5000", "amount: 1,000.5")).ok).toBe(true);
  });
});

const placeholders = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).toSorted();

describe("message catalog", () => {
  it("has both languages for every code, with the same placeholders", () => {
    for (const [code, text] of Object.entries(INPUT_MESSAGES)) {
      expect(text.zh, code).not.toBe("");
      expect(text.en, code).not.toBe("");
      expect(placeholders(text.zh), code).toEqual(placeholders(text.en));
    }
  });

  it("formats a file-level problem and a note", () => {
    expect(formatInputProblem({ code: "input.empty", severity: "error", file: "a.yaml" })).toBe("a.yaml：文件没有内容");
    expect(
      formatInputProblem(
        {
          code: "line.duplicate_summed",
          severity: "note",
          file: "a.yaml",
          line: 3,
          column: 5,
          field: "lines[1]",
          params: { first: "lines[0]" },
        },
        "en",
      ),
    ).toBe(
      "a.yaml:3:5 lines[1]: note: identical in every field (amount included) to lines[0]; merged into one line, amounts summed",
    );
  });
});
