/**
 * `gongkai --help` as a user reads it in a terminal (the CLI as a subprocess): in every help page, the text column of a
 * list starts at the same display column on every row (a Chinese character takes two columns), no line is wider than
 * the layout's 100 columns; `build --help` lists every output format with what it writes; `new --help` and the
 * message of `new` say that a clerk may fill the Excel workbook instead.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import stringWidth from "string-width";
import { beforeAll, describe, expect, it } from "vitest";
import { OUTPUT_FORMATS } from "../src/adapters/render/build-outputs.ts";
import { FORMAT_TEXT } from "../src/adapters/cli/cli-messages.ts";
import { COMMANDS } from "../src/app/command-registry.ts";
import { cliArgs, NODE, ROOT, runCli, tempDir } from "./cli-harness.ts";

const PAGES: string[][] = [["--help"], ...COMMANDS.map((c) => [c.name, "--help"])].flatMap((p) => [p, [...p, "--lang", "en"]]);
const pages = new Map<string, string>();

beforeAll(async () => {
  // every help page, two subprocesses at a time
  const run = promisify(execFile);
  const queue = [...PAGES];
  const worker = async () => {
    for (let args = queue.shift(); args; args = queue.shift()) {
      const r = await run(NODE, cliArgs(args), { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      pages.set(args.join(" "), r.stdout);
    }
  };
  await Promise.all([worker(), worker()]);
}, 120_000);

/** A page of `pages` (Chinese is the default: `--lang zh` is the page without `--lang`). */
const help = (args: string[]) => {
  const page = pages.get(args.join(" ").replace(" --lang zh", ""));
  expect(page, args.join(" ")).toBeDefined();
  return page!;
};

/**
 * The lists of a help page: runs of lines indented by two spaces under a heading that ends with ':'. For each row the
 * display column where its text starts: after the first gap of two spaces or more (a continuation line: its indent).
 */
function listColumns(page: string): { heading: string; rows: { line: string; column: number }[] }[] {
  const lists: { heading: string; rows: { line: string; column: number }[] }[] = [];
  let current: (typeof lists)[number] | null = null;
  for (const line of page.split("\n")) {
    if (/^\S.*[:：]$/.test(line)) {
      current = { heading: line, rows: [] };
      lists.push(current);
      continue;
    }
    if (!line.startsWith("  ") || current === null) {
      current = null;
      continue;
    }
    // a row: its first cell, a gap of two spaces or more, its text; a continuation of the text: the indent alone
    const gap = /^( {2}\S.*?\S? {2,})\S/.exec(line) ?? /^( {3,})\S/.exec(line);
    // (a first cell too wide for the column stands alone on its line; its text follows on the next)
    if (gap) current.rows.push({ line, column: stringWidth(gap[1]!) });
  }
  return lists.filter((l) => l.rows.length > 0);
}

describe("help", () => {
  it.each(PAGES.map((p) => [p.join(" "), p]))("%s: every list's text starts at one display column", (_, args) => {
    const page = help(args as string[]);
    const lists = listColumns(page);
    expect(lists.length).toBeGreaterThan(0);
    for (const l of lists) {
      const columns = new Set(l.rows.map((r) => r.column));
      expect([...columns], `${l.heading}\n${l.rows.map((r) => r.line).join("\n")}`).toHaveLength(1);
    }
    for (const line of page.split("\n")) expect(stringWidth(line), line).toBeLessThanOrEqual(100);
  });

  it("the top help aligns the commands whose arguments are Chinese with those that have none", () => {
    const page = help(["--help"]);
    const col = (name: string) => {
      const line = page.split("\n").find((l) => l.startsWith(`  ${name}`))!;
      return stringWidth(/^( {2}\S.*?\S? {2,})\S/.exec(line)![1]!);
    };
    expect(col("build")).toBe(col("workbook"));
    expect(col("import")).toBe(col("schema"));
  });

  it.each(["zh", "en"] as const)("build --help lists every output format with what it writes (%s)", (lang) => {
    const page = help(["build", "--help", "--lang", lang]);
    const formats = [...OUTPUT_FORMATS.keys()];
    expect(formats.length).toBeGreaterThan(5);
    for (const f of formats) {
      const text = FORMAT_TEXT[f]?.[lang];
      expect(text, `format ${f} has no help text`).toBeDefined();
      const line = page.split("\n").find((l) => new RegExp(`^ {2}${f} {2,}\\S`).test(l));
      expect(line, `format ${f} in build --help`).toBeDefined();
      // the text may wrap: its first words are on the format's line
      expect(line).toContain(text!.slice(0, 8));
    }
    expect(page).toContain(lang === "zh" ? "disclosure.pdf" : "the PDF");
  });

  it.each(["zh", "en"] as const)("new --help and the message of new point to the Excel workbook (%s)", (lang) => {
    expect(help(["new", "--help", "--lang", lang]).replace(/\s+/g, " ")).toMatch(/gongkai workbook --out <[^>]+\.xlsx>/);
    const r = runCli(["new", join(tempDir(), "dept"), "--lang", lang]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gongkai workbook --out \S+\.xlsx/);
    expect(r.stdout).toContain("gongkai import");
  });
});
