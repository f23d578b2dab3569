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

describe("the editor's 上年数与原因: each reason beside its change", () => {
  let p: Platform;
  let prep: Session;
  let id: number;

  beforeAll(async () => {
    p = await startPlatform();
    prep = await p.login("preparer");
    const y2024 = (await p.store.getRegionYear(p.a.regionCode, 2024))!;
    await p.store.putRegionYear({ ...y2024, year: 2025, approvalDate: "2025-01-20" });
    const from = (await p.store.findBudget(p.a.id, 2024))!.id;
    const res = await p.request(`/api/v1/workspace/budgets/${from}/next-year`, json(prep, {}));
    expect(res.status).toBe(201);
    id = ((await res.json()) as { budget: { id: number } }).budget.id;
  }, 120_000);
  afterAll(() => p?.close());

  const page = async () => (await p.request(`/workspace/b/${id}/edit/reasons`, get(prep))).text();
  const row = (html: string, figure: string) => new RegExp(`<tr id="reason-${figure.replace(/\./g, "\\.")}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";

  it("lists every compared figure with last year's amount (the published 2024's), this year's, the change and the finding", async () => {
    const html = await page();
    const rows = [...html.matchAll(/<tr id="reason-([^"]+)">/g)].map((m) => m[1]);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows).toEqual(expect.arrayContaining(["income.gpb_own", "exp.all.project", "sangong.total", "func.2010301"]));
    // 项目支出: 2024's 135.85 (the published disclosure's figure), 2025's 131.00 (the same lines, no carry-over)
    const published = refs(await (await p.request("/r/652300/d/415001/2024/", get(null))).text(), "figure").get("exp.all.project")!;
    const text = row(html, "exp.all.project").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(text).toContain(`项目支出 ${published.toFixed(2)} 131.00 −${(published - 131).toFixed(2)}`);
    // a change without a reason: the finding beside it, and only beside the figures that changed
    expect(text).toContain("I-REASON-MISSING");
    expect(row(html, "func.2010301")).not.toContain("I-REASON-MISSING");
    expect(row(html, "func.2010301").replace(/<[^>]+>/g, " ")).toContain("持平");
  });

  it("saves a reason beside its change: the finding goes; one naming the wrong direction gets its own; a stale form keeps what was typed", async () => {
    const b = (await p.store.getBudget(id))!;
    const res = await p.request(`/workspace/b/${id}/edit/reasons`, form(prep, { revision: String(b.revision), "r.exp.all.project": "2025年度上年结转资金减少", "r.carryover.appropriated": "2025年度无上年结转", "r.carryover.non_appropriated": "" }));
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get("location")).toBe(`/workspace/b/${id}/edit/reasons?done=saved`);
    const saved = (await p.store.getBudget(id))!;
    expect(saved.revision).toBe(b.revision + 1);
    const y = parseYaml(saved.sourceYaml) as { reasons: Record<string, string> };
    expect(y.reasons).toEqual({ "exp.all.project": "2025年度上年结转资金减少", "carryover.appropriated": "2025年度无上年结转" });
    expect(await (await p.request(res.headers.get("location")!, get(prep))).text()).toContain("已保存并检查。");
    const html = await page();
    expect(row(html, "exp.all.project")).toContain("2025年度上年结转资金减少");
    expect(row(html, "exp.all.project")).not.toContain("I-REASON");
    expect(row(html, "carryover.non_appropriated")).toContain("I-REASON-MISSING");
    // the audit log names the figures
    const log = await p.store.listAudit({ entity: "budget", entityId: String(id) });
    expect(JSON.stringify(log.at(-1) ?? log[0])).toContain("editor.reasons");
    // a reason that says 增加 where the figure fell
    const wrong = await p.request(`/workspace/b/${id}/edit/reasons`, form(prep, { revision: String(saved.revision), "r.exp.all.project": "2025年度项目支出增加" }));
    expect(wrong.status).toBe(303);
    expect(row(await page(), "exp.all.project")).toContain("I-REASON-DIRECTION");
    // a form of an old revision: refused (409), told so, and the text typed is still in its field
    const stale = await p.request(`/workspace/b/${id}/edit/reasons`, form(prep, { revision: String(saved.revision), "r.exp.all.project": "迟到的修改" }));
    expect(stale.status).toBe(409);
    expect(row(await stale.text(), "exp.all.project")).toContain("迟到的修改");
    // nothing else is accepted: a figure that takes no reason, a refused character
    const cur = String((await p.store.getBudget(id))!.revision);
    expect((await p.request(`/workspace/b/${id}/edit/reasons`, form(prep, { revision: cur, "r.no.such_figure": "x" }))).status).toBe(422);
    expect((await p.request(`/workspace/b/${id}/edit/reasons`, form(prep, { revision: cur, "r.exp.all.project": "bad\u0001" }))).status).toBe(422);
    expect((await p.request(`/workspace/b/${id}/edit/reasons`, form(prep, { revision: cur, "other": "x" }))).status).toBe(400);
  });

  it("is another department's to refuse (404), and read-only to whoever may not edit it", async () => {
    expect((await p.request(`/workspace/b/${id}/edit/reasons`, get(await p.login("preparer_b")))).status).toBe(404);
    const approver = await p.login("approver");
    const html = await (await p.request(`/workspace/b/${id}/edit/reasons`, get(approver))).text();
    expect(html).toContain("readonly");
    expect(html).not.toContain("保存原因并检查");
  });
});
