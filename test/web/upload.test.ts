/**
 * Uploads through the API: the file must be the department's own budget of that year, in the region's template for
 * the year; each refusal names its place in the file and stores nothing. A draft is replaced only from the revision
 * it was made from.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, upload, type Platform, type Session } from "./web-harness.ts";

const REFERENCE = readFileSync(new URL("../../examples/changji-xinfang-2024/budget.yaml", import.meta.url), "utf8");
const as2023 = (y: string) => y.replace(/^  year: 2024$/m, "  year: 2023");

describe("uploading a budget", () => {
  let p: Platform;
  let preparer: Session;
  beforeAll(async () => {
    p = await startPlatform();
    preparer = await p.login("preparer");
  }, 120_000);
  afterAll(() => p?.close());

  const post = (yaml: string, fields: Record<string, string> = {}) =>
    p.request("/api/v1/workspace/budgets", upload(preparer, { departmentId: String(p.a.id), year: "2023", ...fields }, { name: "budget.yaml", bytes: yaml }));

  it("refuses another department's, another year's or another template's budget, at its line", async () => {
    expect(as2023(REFERENCE)).not.toBe(REFERENCE);
    const cases: [string, string, RegExp][] = [
      [as2023(REFERENCE).replace('code: "415001"', 'code: "415099"'), "platform.other_department", /budget\.yaml:\d+:\d+/],
      [REFERENCE, "platform.other_year", /budget\.yaml:\d+:\d+/],
      [as2023(REFERENCE).replace("template: xinjiang-2024", "template: other-2024"), "platform.other_template", /budget\.yaml:\d+:\d+/],
    ];
    for (const [yaml, code, place] of cases) {
      expect(yaml).not.toBe(as2023(REFERENCE));
      const r = await post(yaml);
      expect(r.status).toBe(422);
      const e = ((await r.json()) as { error: { code: string; problems: { code: string; place: string }[] } }).error;
      expect(e.code).toBe("invalid_input");
      expect(e.problems.map((x) => x.code)).toContain(code);
      expect(e.problems.find((x) => x.code === code)!.place).toMatch(place);
    }
    expect(await p.store.findBudget(p.a.id, 2023)).toBeNull();
  });

  it("reports the file's own problems with their places, as gongkai check does", async () => {
    const r = await post(as2023(REFERENCE).replace("amount: 786750 }", "amount: 7867.505 }"));
    expect(r.status).toBe(422);
    const e = ((await r.json()) as { error: { problems: { message: { zh: string }; place: string }[] } }).error;
    expect(e.problems.some((x) => /budget\.yaml:\d+:\d+/.test(x.place))).toBe(true);
    expect(await p.store.findBudget(p.a.id, 2023)).toBeNull();
  });

  it("stores a draft, and replaces it only from the revision it was made from", async () => {
    let r = await post(as2023(REFERENCE));
    expect(r.status, await r.clone().text()).toBe(201);
    const first = ((await r.json()) as { budget: { id: number; revision: number; warnings: number }; findings: { place: string | null }[] }).budget;
    expect(first.warnings).toBeGreaterThan(0);
    r = await post(as2023(REFERENCE), { revision: String(first.revision - 1) });
    expect(r.status).toBe(409);
    r = await post(as2023(REFERENCE), { revision: String(first.revision) });
    expect(r.status).toBe(201);
    expect((await p.store.getBudget(first.id))!.revision).toBe(first.revision + 1);
    const audit = (await p.store.listAudit({ entity: "budget", entityId: String(first.id) })).map((a) => a.action);
    expect(audit).toEqual(["budget.upload"]);
  });
});
