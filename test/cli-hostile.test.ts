/**
 * Hostile and clumsy input, through the CLI as a subprocess: exit 2 with the problem's code and file:line:field,
 * no stack trace, no hang, nothing written; a BOM or CRLF gives the same tables as the clean file; thousands
 * separators are accepted.
 */
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyExample, runCli, tempDir } from "./cli-harness.ts";

let cleanYaml = "";
let cleanTables = new Map<string, string>();

function buildText(text: string | Buffer, name = "budget.yaml") {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, text);
  const out = join(dir, "out");
  const r = runCli(["build", file, "--out", out, "--json"], { timeoutMs: 30_000 });
  return { ...r, out, file };
}

function tablesOf(out: string): Map<string, string> {
  const dir = join(out, "tables");
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

beforeAll(() => {
  const dir = copyExample("changji-xinfang-2024");
  cleanYaml = readFileSync(join(dir, "budget.yaml"), "utf8");
  const r = buildText(cleanYaml);
  expect(r.status).toBe(0);
  cleanTables = tablesOf(r.out);
});

/** The first line of the lines list, edited. */
const editFirstLine = (fn: (line: string) => string) => {
  const lines = cleanYaml.split("\n");
  const i = lines.findIndex((l) => /^\s*- \{ unit: "001", func:/.test(l));
  lines[i] = fn(lines[i]!);
  return { text: lines.join("\n"), line: i + 1 };
};

interface Case {
  name: string;
  make: () => { text: string | Buffer; line?: number };
  code: string;
  field?: string;
}

const CASES: Case[] = [
  { name: "invalid UTF-8", make: () => ({ text: Buffer.concat([Buffer.from(cleanYaml.slice(0, 200)), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(cleanYaml.slice(200))]) }), code: "input.bad_utf8" },
  { name: "a NUL byte", make: () => ({ text: cleanYaml.replace("department:", "depart\u0000ment:") }), code: "input.nul_byte" },
  {
    name: "a wrong type",
    make: () => {
      const lines = cleanYaml.split("\n");
      const i = lines.findIndex((l) => /^\s+year: 2024/.test(l));
      lines[i] = lines[i]!.replace("year: 2024", "year: [2024]");
      return { text: lines.join("\n"), line: i + 1 };
    },
    code: "field.wrong_type",
    field: "department.year",
  },
  { name: "NaN", make: () => editFirstLine((l) => l.replace(/amount: [\d.]+/, "amount: .nan")), code: "amount.not_a_number", field: "lines[0].amount" },
  { name: "a negative amount", make: () => editFirstLine((l) => l.replace(/amount: [\d.]+/, "amount: -100")), code: "amount.negative", field: "lines[0].amount" },
  { name: "a three-decimal amount", make: () => editFirstLine((l) => l.replace(/amount: [\d.]+/, "amount: 100.005")), code: "amount.too_many_decimals", field: "lines[0].amount" },
  {
    name: "an alias bomb",
    make: () => ({
      text:
        cleanYaml +
        '\nbomb_a: &a ["x","x","x","x","x","x","x","x","x","x"]\nbomb_b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nbomb_c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nbomb_d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\nbomb_e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nbomb_f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
    }),
    code: "input.alias_bomb",
  },
  { name: "10,000-deep flow nesting", make: () => ({ text: cleanYaml + "\ndeep: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n" }), code: "input.too_deep" },
  {
    name: "10,000-deep block nesting",
    // compact block sequences: one level per "- ", all on one line
    make: () => ({ text: cleanYaml + "\ndeep:\n  " + "- ".repeat(10_000) + "x\n" }),
    code: "input.too_deep",
  },
];

describe("hostile input through the CLI", () => {
  it.each(CASES)("$name → exit 2, $code with file:line, no stack trace, nothing written", (c) => {
    const made = c.make();
    const started = Date.now();
    const r = buildText(made.text);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const json = JSON.parse(r.stdout) as { exitCode: number; problems: { code: string; file: string; line?: number; field?: string; message: string }[] };
    expect(json.exitCode).toBe(2);
    const p = json.problems.find((x) => x.code === c.code);
    expect(p, JSON.stringify(json.problems.slice(0, 3))).toBeDefined();
    expect(p!.file).toBe(r.file);
    expect(p!.line).toBeGreaterThan(0);
    if (made.line !== undefined) expect(p!.line).toBe(made.line);
    if (c.field) expect(p!.field).toBe(c.field);
    expect(p!.message).toMatch(/[\u4e00-\u9fff]/);
    expect(existsSync(r.out)).toBe(false);
  });

  it("a file over the size limit → exit 2 naming the limit, before parsing, nothing written", () => {
    const dir = tempDir();
    const file = join(dir, "budget.yaml");
    writeFileSync(file, "");
    truncateSync(file, 10 * 1024 * 1024 + 1); // sparse: nothing to parse would finish quickly anyway
    const out = join(dir, "out");
    const r = runCli(["build", file, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("10 MB");
    expect(r.stderr).toContain(file);
    expect(existsSync(out)).toBe(false);
  });

  it("the plain-text message names file:line:column and field, in Chinese by default and English on request", () => {
    const { text, line } = editFirstLine((l) => l.replace(/amount: [\d.]+/, "amount: 100.005"));
    const dir = tempDir();
    const file = join(dir, "budget.yaml");
    writeFileSync(file, text);
    const zh = runCli(["check", file]);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toMatch(new RegExp(`budget\\.yaml:${line}:\\d+ lines\\[0\\]\\.amount：金额最多两位小数`));
    const en = runCli(["check", file, "--lang", "en"]);
    expect(en.stderr).toContain("an amount has at most two decimals");
  });

  it("a BOM and CRLF line ends give the same tables as the clean file", () => {
    const r = buildText("\uFEFF" + cleanYaml.replace(/\n/g, "\r\n"));
    expect(r.status).toBe(0);
    expect(tablesOf(r.out)).toEqual(cleanTables);
  });

  it("thousands separators and full-width digits are accepted as amounts", () => {
    const text = cleanYaml.replace(/amount: 786750\b/, 'amount: "786,750"').replace(/amount: 399800\b/, 'amount: "３９９８００"');
    expect(text).not.toBe(cleanYaml);
    const r = buildText(text);
    expect(r.status).toBe(0);
    expect(tablesOf(r.out)).toEqual(cleanTables);
    // unquoted inside a flow mapping, the comma splits the amount: that must be reported, never dropped
    const split = buildText(cleanYaml.replace(/amount: 786750\b/, "amount: 786,750"));
    expect(split.status).toBe(2);
    expect(split.stdout).toContain("input.flow_comma_number");
  });

  it("an unquoted 1,000.5 inside { … } says YAML read two keys because of the comma, and how to write it (zh and en)", () => {
    const { text, line } = editFirstLine((l) => l.replace(/amount: 786750\b/, "amount: 1,000.5"));
    const r = buildText(text);
    expect(r.status).toBe(2);
    expect(existsSync(r.out)).toBe(false);
    const json = JSON.parse(r.stdout) as { problems: { code: string; line?: number; column?: number; field?: string; message: string }[] };
    // one problem, at the value, instead of an unknown key "000.5" (and a silent amount of 1 元)
    expect(json.problems.map((p) => [p.code, p.line, p.field])).toEqual([["input.flow_comma_number", line, "lines[0].amount"]]);
    expect(json.problems[0]!.column).toBe(text.split("\n")[line - 1]!.indexOf("1,000.5") + 1);
    expect(json.problems[0]!.message).toContain("YAML 把 1,000.5 读成了 2 个键");
    expect(json.problems[0]!.message).toContain('amount: "1,000.5"');
    expect(json.problems[0]!.message).toContain("amount: 1000.5");
    const en = buildText(text);
    const file = en.file;
    const plain = runCli(["check", file, "--lang", "en"]);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain("a comma separates entries, so YAML read 1,000.5 as 2 keys");
    expect(plain.stderr).toContain('Quote it, amount: "1,000.5", or drop the separator, amount: 1000.5');
  });

  it("a file with schema errors also lists its unknown units and projects and a project on a basic line, in one run", () => {
    const rows = cleanYaml.split("\n");
    const at = (re: RegExp) => rows.findIndex((l) => re.test(l));
    const year = at(/^\s+year: 2024/);
    rows[year] = rows[year]!.replace("year: 2024", "year: 2024.5"); // a schema error
    const first = at(/^\s*- \{ unit: "001", func: "2010301", econ: "30101"/);
    rows[first] = rows[first]!.replace('unit: "001"', 'unit: "009"'); // unknown unit
    rows[first + 1] = rows[first + 1]!.replace("kind: basic,", "kind: basic, project: P2024001,"); // project on a basic line
    const proj = at(/kind: project, project: P2024001/);
    rows[proj] = rows[proj]!.replace("project: P2024001", "project: P2099999"); // unknown project
    const r = buildText(rows.join("\n"));
    expect(r.status).toBe(2);
    expect(existsSync(r.out)).toBe(false);
    const json = JSON.parse(r.stdout) as { problems: { code: string; line?: number; column?: number; field?: string }[] };
    expect(json.problems.map((p) => [p.code, p.line, p.field])).toEqual([
      ["field.wrong_type", year + 1, "department.year"],
      ["line.unknown_unit", first + 1, "lines[0].unit"],
      ["line.basic_with_project", first + 2, "lines[1].project"],
      ["line.unknown_project", proj + 1, expect.stringMatching(/^lines\[\d+\]\.project$/)],
    ]);
    for (const p of json.problems) expect(p.column).toBeGreaterThan(0);
  });

  it("an unknown command or option → exit 2 with usage, no stack trace", () => {
    const a = runCli(["frobnicate"]);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("未知命令");
    const b = runCli(["build", "--no-such-option", "x"]);
    expect(b.status).toBe(2);
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });

  it("a missing file → exit 2 naming it", () => {
    const r = runCli(["check", "/no/such/budget.yaml"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("/no/such/budget.yaml");
  });
});
