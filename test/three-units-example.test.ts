/**
 * The second example (three units, government funds, state capital, 因公出国, vehicles through 30913 and 31013,
 * both carry-overs, two projects under one 项, a classified project): the department's build and each unit's
 * build equal the tables computed independently by expected/compute.py, and the units' 表3 add up to the department's.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyExample, csvDiff, readCsvFile, ROOT, runCli, tempDir } from "./cli-harness.ts";
import { parseSteps } from "../src/domain/money.ts";

const EXAMPLE = join(ROOT, "examples/three-units-2024");
const SCOPES = readdirSync(join(EXAMPLE, "expected"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("three-unit example", () => {
  const outs = new Map<string, string>();
  beforeAll(() => {
    const dir = copyExample("three-units-2024");
    for (const scope of SCOPES) {
      const out = join(dir, "..", `out-${scope}`);
      const args = ["build", dir, "--out", out];
      if (scope.startsWith("unit-")) args.push("--unit", scope.slice(5));
      const r = runCli(args);
      expect(r.stderr).toBe("");
      expect(r.status, r.stdout).toBe(0);
      outs.set(scope, out);
    }
  });

  it("has a department and three unit scopes", () => {
    expect(SCOPES).toEqual(["department", "unit-101", "unit-102", "unit-103"]);
  });

  const cases = SCOPES.flatMap((scope) => readdirSync(join(EXAMPLE, "expected", scope)).map((f) => [scope, f] as const));
  it.each(cases)("%s %s equals the independent computation", (scope, file) => {
    const got = readCsvFile(join(outs.get(scope)!, "tables", file));
    const want = readCsvFile(join(EXAMPLE, "expected", scope, file));
    expect(csvDiff(got, want)).toEqual([]);
    expect(got.length).toBe(want.length);
  });

  it("adds the units' 表3 totals up to the department's (within rounding of the printed cells)", () => {
    const totalRow = (scope: string) => readCsvFile(join(outs.get(scope)!, "tables", "t03.csv"))[1]!;
    const dept = totalRow("department").slice(4).map((c) => parseSteps(c, 2) ?? 0n);
    const units = SCOPES.filter((s) => s.startsWith("unit-")).map((s) => totalRow(s).slice(4).map((c) => parseSteps(c, 2) ?? 0n));
    dept.forEach((d, i) => {
      const sum = units.reduce((s, u) => s + u[i]!, 0n);
      expect(2n * (d > sum ? d - sum : sum - d)).toBeLessThanOrEqual(BigInt(units.length + 1));
    });
    // and exactly, from disclosure.json's exact amounts
    const exact = (scope: string) =>
      (JSON.parse(readFileSync(join(outs.get(scope)!, "disclosure.json"), "utf8")) as { tables: { id: string; rows: { key: string; amounts: Record<string, string | null> }[] }[] }).tables
        .find((t) => t.id === "t03")!
        .rows.find((r) => r.key === "total")!.amounts;
    const fen = (s: string | null | undefined) => BigInt((s ?? "0").replace(".", ""));
    for (const col of ["total", "basic", "project"]) {
      const sum = SCOPES.filter((s) => s.startsWith("unit-")).reduce((s, u) => s + fen(exact(u)[col]), 0n);
      expect(sum).toBe(fen(exact("department")[col]));
    }
  });

  it("its committed expected tables are what expected/compute.py computes", () => {
    const python = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import yaml"]).status === 0);
    if (!python) {
      if (process.env["CI"] === "true") throw new Error("python3 with PyYAML is required in CI");
      console.warn("skipped: no python3 with PyYAML here");
      return;
    }
    const dir = tempDir();
    const r = spawnSync(python, [join(EXAMPLE, "expected/compute.py"), "--out", dir], { encoding: "utf8", cwd: EXAMPLE });
    expect(r.status, r.stderr).toBe(0);
    for (const [scope, file] of cases) {
      expect(csvDiff(readCsvFile(join(dir, scope, file)), readCsvFile(join(EXAMPLE, "expected", scope, file)))).toEqual([]);
    }
  });
});
