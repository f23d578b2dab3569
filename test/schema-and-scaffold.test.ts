/**
 * The published JSON Schema (`gongkai schema`) accepts the examples as written (amounts unquoted) and the
 * scaffold of `gongkai new`, which also passes `gongkai check`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "./cli-harness.ts";

describe("JSON Schema and scaffold", () => {
  let validate: ReturnType<Ajv2020["compile"]>;
  let scaffold = "";
  beforeAll(() => {
    const r = runCli(["schema"]);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const dir = tempDir();
    const n = runCli(["new", join(dir, "dept")]);
    expect(n.status).toBe(0);
    expect(n.stdout).not.toContain("{");
    scaffold = join(dir, "dept", "budget.yaml");
  });

  it.each(["changji-xinfang-2024", "three-units-2024"])("examples/%s validates with Ajv", (name) => {
    const text = readFileSync(join(ROOT, "examples", name, "budget.yaml"), "utf8");
    expect(text).toMatch(/amount: \d+/); // amounts are unquoted numbers
    const ok = validate(parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the scaffold validates with Ajv, is commented in Chinese, and passes check", () => {
    const text = readFileSync(scaffold, "utf8");
    expect(text).toMatch(/^# .*[\u4e00-\u9fff]/m);
    expect(validate(parse(text))).toBe(true);
    const r = runCli(["check", scaffold, "--json"]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { summary: { error: number; warning: number } };
    expect(json.summary).toMatchObject({ error: 0, warning: 0 });
  });

  it("the schema rejects what the input rules refuse at the type level", () => {
    const doc = parse(readFileSync(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"), "utf8")) as { lines: { amount: unknown; fund: unknown }[] };
    doc.lines[0]!.fund = "no.such.fund";
    expect(validate(doc)).toBe(false);
  });

  it("new refuses to overwrite an existing budget without --force", () => {
    const r = runCli(["new", join(scaffold, "..")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--force");
  });
});
