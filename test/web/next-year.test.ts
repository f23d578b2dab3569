/**
 * A new year's draft started from last year's budget: the department's 2024 budget (published by the seed) gives
 * the 2025 draft its units, projects, line items (the same ids) and targets; the one-year parts (date, prior-year
 * figures, reasons, carry-over) are left out, and the 2025 draft's prior-year figures are the published 2024's.
 * Offered only where the region has the next year and the department no budget for it; refused a second time, and to
 * another department.
 */
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, get, json, startPlatform, type Platform, type Session } from "./web-harness.ts";

interface Line {
  id: string;
  values: Record<string, string | null>;
}

/** the figures a disclosure page binds, by kind (`figure`, `change`, `prior`) and id, as numbers (万元) */
const refs = (html: string, kind: string) => new Map([...html.matchAll(new RegExp(`value="(-?[0-9.]+)" data-ref="${kind}:([^"]+)"`, "g"))].map((m) => [m[2]!, Number(m[1])]));

describe("a new year's draft from last year's budget", () => {
  let p: Platform;
  let prep: Session;
  let from: number;

  beforeAll(async () => {
    p = await startPlatform();
    prep = await p.login("preparer");
    from = (await p.store.findBudget(p.a.id, 2024))!.id;
  }, 120_000);
  afterAll(() => p?.close());

  const page = async (path: string, s: Session = prep) => (await p.request(path, get(s))).text();
  const lines = async (id: number) => ((await (await p.request(`/api/v1/workspace/budgets/${id}/draft`, get(prep))).json()) as { lines: Line[] }).lines;

  it("is not offered while the region has no 2025", async () => {
    expect(await page(`/workspace/b/${from}`)).not.toContain("新建 2025 年草稿");
    const res = await p.request(`/api/v1/workspace/budgets/${from}/next-year`, json(prep, {}));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: { zh: string } } }).error.message.zh).toBe("本地区没有 2025 年度的预算公开安排。");
    expect(await p.store.findBudget(p.a.id, 2025)).toBeNull();
  });

  it("starts 2025 from 2024: the same lines and ids, the one-year parts left out, last year's figures from the published 2024", async () => {
    const y2024 = (await p.store.getRegionYear(p.a.regionCode, 2024))!;
    await p.store.putRegionYear({ ...y2024, year: 2025, approvalDate: "2025-01-20" });
    const offer = await page(`/workspace/b/${from}`);
    expect(offer).toContain("新建 2025 年草稿");
    const res = await p.request(`/workspace/b/${from}/next-year`, form(prep, {}));
    expect(res.status, await res.clone().text()).toBe(303);
    const to = /^\/workspace\/b\/(\d+)\?done=next-year$/.exec(res.headers.get("location") ?? "");
    expect(to, res.headers.get("location") ?? "").not.toBeNull();
    const id = Number(to![1]);
    const landed = await page(`/workspace/b/${id}?done=next-year`);
    expect(landed).toContain("已以上年预算为基础新建草稿，并已检查。");
    expect(landed).toContain("2025 年部门预算");
    const budget = (await p.store.getBudget(id))!;
    expect(budget.year).toBe(2025);
    expect(budget.state).toBe("draft");
    // the lines are last year's, with their ids
    expect(await lines(id)).toEqual(await lines(from));
    // what belonged to 2024 alone is gone; the file says where it came from
    const y = parseYaml(budget.sourceYaml) as { department: { year: number; date?: string }; prior_year?: unknown; reasons?: unknown; carryover?: unknown; assets: { as_of: string } };
    expect(y.department.year).toBe(2025);
    // the assets as of the end of last year (2024's draft has them at the end of 2023)
    expect(y.assets.as_of).toBe("2024-12-31");
    expect(y.department.date).toBeUndefined();
    expect(y.prior_year).toBeUndefined();
    expect(y.reasons).toBeUndefined();
    expect(y.carryover).toBeUndefined();
    expect(budget.sourceYaml.startsWith("# 以 2024 年预算为基础新建的 2025 年草稿")).toBe(true);
    // the preview compares 2025 with the published 2024: every change it states (比上年增加/减少 …) is 2025's figure less
    // the one the published 2024 disclosure prints (within the 0.01 万元 of rounding each separately), the prior-year
    // cells are 2024's
    const published = refs(await page("/r/652300/d/415001/2024/"), "figure");
    const preview = await page(`/workspace/b/${id}/preview`);
    const now = refs(preview, "figure");
    const changes = refs(preview, "change");
    const compared = [...changes.keys()].filter((k) => published.has(k) && now.has(k));
    // the lines are 2024's, so only what 2025 lacks changed: 2024's carry-over (and the project spending it paid for);
    // every other figure is as last year
    expect(compared).toEqual(expect.arrayContaining(["carryover.appropriated", "carryover.non_appropriated", "exp.all.project"]));
    expect(preview.match(/与上年持平|与上年预算持平/g)?.length ?? 0).toBeGreaterThan(10);
    for (const k of compared) expect(Math.abs(Math.abs(now.get(k)! - published.get(k)!) - Math.abs(changes.get(k)!)), k).toBeLessThanOrEqual(0.0101);
    for (const [k, v] of refs(preview, "prior")) expect(v, k).toBe(published.get(k));
    // the 2024 budget no longer offers it; a second start is refused; the audit log names the new draft's origin
    expect(await page(`/workspace/b/${from}`)).not.toContain("新建 2025 年草稿");
    const again = await p.request(`/api/v1/workspace/budgets/${from}/next-year`, json(prep, {}));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: { zh: string } } }).error.message.zh).toBe("昌吉回族自治州信访局已有 2025 年的预算。");
    expect(budget.sourceName).toBe("415001-2025-from-2024.yaml");
  });

  it("is another department's to refuse (404), and not the approver's (403)", async () => {
    const other = await p.request(`/api/v1/workspace/budgets/${from}/next-year`, json(await p.login("preparer_b"), {}));
    expect(other.status).toBe(404);
    const approver = await p.request(`/api/v1/workspace/budgets/${from}/next-year`, json(await p.login("approver"), {}));
    expect(approver.status).toBe(403);
  });
});
