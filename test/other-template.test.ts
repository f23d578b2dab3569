/**
 * A second template, as data only: renamed and reordered columns, a different 类 list and a table the Xinjiang
 * template lacks build the reference budget and match hand-written expected CSVs — no code change.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyExample, csvDiff, readCsvFile, ROOT, runCli } from "./cli-harness.ts";

const FIXTURE = join(ROOT, "test/fixtures/other-region-2024");
const TABLES = readdirSync(join(FIXTURE, "expected")).sort();

describe("a second template given with --template", () => {
  let out = "";
  beforeAll(() => {
    const dir = copyExample("changji-xinfang-2024");
    out = join(dir, "..", "out-other");
    const r = runCli(["build", dir, "--template", join(FIXTURE, "template.yaml"), "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("writes exactly its own tables", () => {
    expect(readdirSync(join(out, "tables")).sort()).toEqual(TABLES);
  });

  it.each(TABLES)("%s equals the hand-written expected table", (name) => {
    const got = readCsvFile(join(out, "tables", name));
    const want = readCsvFile(join(FIXTURE, "expected", name));
    expect(csvDiff(got, want)).toEqual([]);
    expect(got.length).toBe(want.length);
  });

  it("refuses a broken template file with a message naming it, and writes nothing", () => {
    const dir = copyExample("changji-xinfang-2024");
    const bad = join(dir, "budget.yaml"); // a budget is not a template
    const r = runCli(["build", dir, "--template", bad, "--out", join(dir, "o")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("模板文件无法使用");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "o"))).toBe(false);
  });
});
