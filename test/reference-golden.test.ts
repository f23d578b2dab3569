/**
 * The reference example's build equals every cell of the reference's expected tables; the test copies the example
 * to a temporary folder and reads only what the CLI writes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyExample, csvDiff, readCsvFile, REFERENCE_EXPECTED, runCli } from "./cli-harness.ts";

const TABLES = readdirSync(REFERENCE_EXPECTED)
  .filter((f) => /^(t\d\d|perf-department|perf-project)\.csv$/.test(f))
  .sort();

describe("reference example (昌吉回族自治州信访局 2024)", () => {
  let out = "";
  let stdout = "";
  beforeAll(() => {
    const dir = copyExample("changji-xinfang-2024");
    out = join(dir, "..", "out");
    const r = runCli(["build", join(dir, "budget.yaml"), "--out", out]);
    stdout = r.stdout;
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("covers every expected table", () => {
    expect(TABLES).toHaveLength(13);
  });

  it.each(TABLES)("%s equals the reference cell by cell", (name) => {
    const got = readCsvFile(join(out, "tables", name));
    const want = readCsvFile(join(REFERENCE_EXPECTED, name));
    expect(csvDiff(got, want)).toEqual([]);
    expect(got.length).toBe(want.length);
  });

  it("writes CSV as UTF-8 with a byte-order mark", () => {
    const bytes = readFileSync(join(out, "tables", "t01.csv"));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("says the example is constructed", () => {
    expect(stdout).toContain("构造");
    const d = JSON.parse(readFileSync(join(out, "disclosure.json"), "utf8")) as { constructed: string; format: string };
    expect(d.format).toBe("gongkai/disclosure@1");
    expect(d.constructed).toContain("构造");
  });

  it("never prints the classified project's real name or details", () => {
    const all = ["disclosure.json", "findings.json", ...readdirSync(join(out, "tables")).map((f) => `tables/${f}`)]
      .map((f) => readFileSync(join(out, f), "utf8"))
      .join("\n");
    expect(all).toContain("特定目标 8910002U");
    const budget = readFileSync(join(out, "..", "changji-xinfang-2024", "budget.yaml"), "utf8");
    const secretName = /code: "?8910002U"?\s*\n\s*name: (.+)/.exec(budget)?.[1]?.trim();
    expect(secretName).toBeTruthy();
    expect(all).not.toContain(secretName!);
  });
});
