/**
 * Hostile input (issue 10, points 1, 2, 5 and 7), through the CLI as a subprocess under /usr/bin/time: for every
 * probe the exit code (2), the problem's code and place (file, line or cell, field or option), a Chinese message, no
 * stack trace, nothing written, and the subprocess under 30 s and 1.5 GiB of peak memory.
 *
 * - limits: a budget one past the limit of units, projects or lines (bench/limit-budget.ts makes them);
 * - files named by options: `--template` a device, a FIFO, too large, an alias bomb, too deep; `--catalog` a file,
 *   a folder whose func.csv is a FIFO, a folder or too large;
 * - texts: YAML escapes of C0/C1 controls, noncharacters and lone surrogates; explicit tags (`!!str`, `!!int`,
 *   `!!float`);
 * - workbooks: a number cell `<v>0x10</v>`, a text cell holding a control character.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { largeBudgetYaml } from "../../bench/limit-budget.ts";
import { MAX_INDICATORS, MAX_LINES, MAX_PROJECTS, MAX_UNITS } from "../../src/domain/budget-schema.ts";
import { cliArgs, copyExample, NODE, ROOT, tempDir } from "../cli-harness.ts";
import { exampleWorkbook, replaceEntries, sheetPart, unzip } from "../workbook-harness.ts";

const MAX_RSS_KB = 1.5 * 1024 * 1024;

interface Problem {
  code: string;
  file: string;
  line?: number;
  cell?: string;
  field?: string;
  params?: Record<string, string | number>;
  message: string;
}

/**
 * Runs the CLI under /usr/bin/time: exit code, output, the peak memory (KB) and the CPU seconds (user + system) of the
 * subprocess — CPU time, since the machine is shared and wall time measures the neighbours too.
 */
function run(args: readonly string[]) {
  const dir = tempDir("gongkai-hostile-");
  const out = join(dir, "out");
  const started = Date.now();
  const r = spawnSync("/usr/bin/time", ["-f", "GONGKAI_RSS_KB=%M GONGKAI_CPU=%U+%S", NODE, ...cliArgs([...args, "--out", out, "--json"])], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000, // wall clock on a shared machine; the promise is checked on CPU time below
    env: { ...process.env, NO_COLOR: "1" },
    input: "",
  });
  const wall = (Date.now() - started) / 1000;
  const rss = Number(/GONGKAI_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  const cpu = /GONGKAI_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  const seconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : wall;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/GONGKAI_RSS_KB=.*\n?/, ""), out, seconds, rss };
}

/** The common promises of a refused input, and the problem of that code. */
function refused(r: ReturnType<typeof run>, code: string): Problem {
  expect(r.seconds).toBeLessThan(30);
  expect(r.rss).toBeLessThan(MAX_RSS_KB);
  expect(r.status, r.stderr + r.stdout.slice(0, 2000)).toBe(2);
  for (const text of [r.stdout, r.stderr]) expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(existsSync(r.out)).toBe(false);
  const json = JSON.parse(r.stdout) as { exitCode: number; problems: Problem[] };
  expect(json.exitCode).toBe(2);
  const p = json.problems.find((x) => x.code === code);
  expect(p, JSON.stringify(json.problems.slice(0, 3))).toBeDefined();
  expect(p!.message).toMatch(/[\u4e00-\u9fff]/);
  return p!;
}

let exampleDir = "";
let exampleYaml = "";
beforeAll(() => {
  exampleDir = copyExample("changji-xinfang-2024");
  exampleYaml = readFileSync(join(exampleDir, "budget.yaml"), "utf8");
});
const budgetFile = () => join(exampleDir, "budget.yaml");

const write = (name: string, text: string | Buffer) => {
  const file = join(tempDir("gongkai-probe-"), name);
  writeFileSync(file, text);
  return file;
};

const fifo = () => {
  const dir = tempDir("gongkai-fifo-");
  const f = join(dir, "template.yaml");
  expect(spawnSync("mkfifo", [f]).status).toBe(0);
  return f;
};

const catalogDir = (func: (path: string) => void) => {
  const dir = tempDir("gongkai-catalog-");
  writeFileSync(join(dir, "econ.csv"), readFileSync(join(ROOT, "data/catalogs/2024/exp_econ_department_2024.csv")));
  func(join(dir, "func.csv"));
  return dir;
};

const nameLine = () => {
  const i = exampleYaml.split("\n").findIndex((l) => /^\s+name: /.test(l) && !/^\s{6}/.test(l));
  return i;
};

/** The workbook with the first plain number cell of 明细 replaced by `cell(address)`. */
const withCell = (cell: (address: string) => string) => {
  const bytes = exampleWorkbook();
  const part = sheetPart(bytes, "明细");
  const xml = Buffer.from(unzip(bytes).get(part)!).toString("utf8");
  const m = /<c r="([A-Z]+[0-9]+)"((?:(?! t=)[^>])*)><v>([0-9.]+)<\/v><\/c>/.exec(xml);
  expect(m).not.toBeNull();
  const address = m![1]!;
  return { bytes: replaceEntries(bytes, { [part]: xml.replace(m![0], cell(address)) }), address };
};

describe("limits of units, projects and lines (point 1)", () => {
  const cases = [
    { what: "units", size: { units: MAX_UNITS + 1, projects: 10, lines: 300 }, max: MAX_UNITS },
    { what: "projects", size: { units: 100, projects: MAX_PROJECTS + 1, lines: MAX_LINES }, max: MAX_PROJECTS },
    { what: "lines", size: { units: MAX_UNITS, projects: MAX_PROJECTS, lines: MAX_LINES + 1 }, max: MAX_LINES },
  ] as const;
  it(`one indicator past the limit of ${MAX_INDICATORS} (all performance targets together) is refused at performance`, () => {
    const file = write("budget.yaml", largeBudgetYaml({ units: 50, projects: MAX_PROJECTS, lines: 600, indicators: MAX_INDICATORS + 1 }));
    const p = refused(run(["build", file]), "budget.too_many_rows");
    expect(p.file).toBe(file);
    expect(p.field).toBe("performance");
    expect(p.line).toBeGreaterThan(0);
    expect(Number(p.params?.["limit"])).toBe(MAX_INDICATORS);
    expect(p.message).toContain(String(MAX_INDICATORS));
  }, 60_000);
  for (const c of cases) {
    it(`one ${c.what.replace(/s$/, "")} past the limit of ${c.max} is refused at ${c.what}`, () => {
      const file = write("budget.yaml", largeBudgetYaml(c.size));
      const p = refused(run(["build", file]), "field.too_many");
      expect(p.file).toBe(file);
      expect(p.field).toBe(c.what);
      expect(p.line).toBeGreaterThan(0);
      expect(Number(p.params?.["maximum"])).toBe(c.max);
      expect(p.message).toContain(String(c.max));
    }, 60_000);
  }
});

describe("files named by options are input too (point 2)", () => {
  const aliasBomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join("\n");
  const cases: { what: string; args: () => string[]; code: string; option: string; file?: (args: string[]) => string }[] = [
    { what: "--template /dev/zero", args: () => ["--template", "/dev/zero"], code: "input.not_a_file", option: "--template" },
    { what: "--template a FIFO", args: () => ["--template", fifo()], code: "input.not_a_file", option: "--template" },
    { what: "--template a folder", args: () => ["--template", tempDir()], code: "input.not_a_file", option: "--template" },
    { what: "--template of 2 MB", args: () => ["--template", write("t.yaml", "# " + "x".repeat(2 * 1024 * 1024) + "\n")], code: "input.too_large", option: "--template" },
    { what: "--template an alias bomb", args: () => ["--template", write("t.yaml", aliasBomb + "\n")], code: "input.alias_bomb", option: "--template" },
    { what: "--template nested 10,000 deep", args: () => ["--template", write("t.yaml", "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n")], code: "input.too_deep", option: "--template" },
    { what: "--template with a tag", args: () => ["--template", write("t.yaml", "id: !!python/object x\n")], code: "input.tag_refused", option: "--template" },
    { what: "--catalog naming a file", args: () => ["--catalog", join(ROOT, "README.md")], code: "input.not_a_folder", option: "--catalog" },
    { what: "--catalog whose func.csv is a FIFO", args: () => ["--catalog", catalogDir((f) => spawnSync("mkfifo", [f]))], code: "input.not_a_file", option: "--catalog", file: (a) => join(a[1]!, "func.csv") },
    { what: "--catalog whose func.csv is a folder", args: () => ["--catalog", catalogDir((f) => mkdirSync(f))], code: "input.not_a_file", option: "--catalog", file: (a) => join(a[1]!, "func.csv") },
    { what: "--catalog whose func.csv is 5 MB", args: () => ["--catalog", catalogDir((f) => writeFileSync(f, "code,name\n" + "1,x\n".repeat(1_400_000)))], code: "input.too_large", option: "--catalog", file: (a) => join(a[1]!, "func.csv") },
  ];
  for (const c of cases) {
    it(`${c.what}: exit 2 naming the option and the path`, () => {
      const args = c.args();
      const p = refused(run(["build", budgetFile(), ...args]), c.code);
      expect(p.file).toBe(c.file ? c.file(args) : args[1]);
      expect(p.field).toBe(c.option);
    }, 40_000);
  }
});

describe("texts no format can carry are refused at their field (point 5)", () => {
  const cases: [string, string][] = [
    ["\\0", "U+0000"],
    ["\\v", "U+000B"],
    ["\\x01", "U+0001"],
    ["\\r", "U+000D"],
    ["\\x7f", "U+007F"],
    ["\\x85", "U+0085"],
    ["\\uFFFE", "U+FFFE"],
    ["\\uFFFF", "U+FFFF"],
    ["\\uFDD0", "U+FDD0"],
    ["\\U0010FFFF", "U+10FFFF"],
    ["\\uD800", "U+D800"],
  ];
  for (const [escape, char] of cases) {
    it(`"${escape}" in the department's name`, () => {
      const lines = exampleYaml.split("\n");
      const i = nameLine();
      const indent = /^\s*/.exec(lines[i]!)![0];
      lines[i] = `${indent}name: "新疆${escape}信访局"`;
      const file = write("budget.yaml", lines.join("\n"));
      const p = refused(run(["build", file]), "text.refused_char");
      expect(p.file).toBe(file);
      expect(p.line).toBe(i + 1);
      expect(p.field).toBe("department.name");
      expect(p.params?.["char"]).toBe(char);
    }, 40_000);
  }
  it("tab and line feed stay allowed in a text", () => {
    const lines = exampleYaml.split("\n");
    const i = exampleYaml.split("\n").findIndex((l) => /^\s+name: /.test(l));
    const indent = /^\s*/.exec(lines[i]!)![0];
    lines[i] = `${indent}name: "新疆\\t信访局"`;
    const file = write("budget.yaml", lines.join("\n"));
    const r = run(["check", file]);
    expect(r.stdout).not.toContain("text.refused_char");
  }, 40_000);
});

describe("tags are refused, every one (point 7)", () => {
  for (const tag of ["!!str", "!!int", "!!float"]) {
    it(`${tag} on the budget year`, () => {
      const lines = exampleYaml.split("\n");
      const i = lines.findIndex((l) => /^\s+year: /.test(l));
      lines[i] = lines[i]!.replace(/year: (.*)$/, `year: ${tag} $1`);
      const file = write("budget.yaml", lines.join("\n"));
      const p = refused(run(["build", file]), "input.tag_refused");
      expect(p.line).toBe(i + 1);
      expect(p.field).toBe("department.year");
      expect(p.params?.["tag"]).toBe(tag);
    }, 40_000);
  }
});

describe("workbook cells (points 5 and 7)", () => {
  const cases = [
    { what: "a number cell <v>0x10</v>", cell: (a: string) => `<c r="${a}"><v>0x10</v></c>`, code: "xlsx.bad_number" },
    { what: "a number cell <v>Infinity</v>", cell: (a: string) => `<c r="${a}"><v>Infinity</v></c>`, code: "xlsx.bad_number" },
    { what: "a text cell holding U+0001", cell: (a: string) => `<c r="${a}" t="inlineStr"><is><t>1_x0001_0</t></is></c>`, code: "text.refused_char" },
    { what: "a text cell holding U+FFFE", cell: (a: string) => `<c r="${a}" t="inlineStr"><is><t>1_xFFFE_0</t></is></c>`, code: "text.refused_char" },
  ];
  for (const c of cases) {
    it(`${c.what} is refused at the cell`, () => {
      const { bytes, address } = withCell(c.cell);
      const file = write("budget.xlsx", bytes);
      const p = refused(run(["build", file]), c.code);
      expect(p.file).toBe(file);
      expect(p.cell).toBe(`明细!${address}`);
      expect(p.field).toMatch(/^lines\[\d+\]\./);
    }, 60_000);
  }
});
