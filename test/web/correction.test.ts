/**
 * A correction, end to end through the API and the pages: the reviewer starts it, the preparer uploads the corrected
 * file, it goes through approval again, and two reviewers publish at the same moment — one wins, the other is told
 * (409), nothing is lost. Then: the public page shows version 2 and says it is a correction, version 1 is still
 * served byte for byte, and the change log names exactly the cells that differ between the two versions' own CSV
 * tables (an oracle independent of the change log's code), the narrative figures and sentences that changed, with
 * the reviewer's reason. A form of an old revision is refused.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/domain/csv-format.ts";
import type { ChangeLog } from "../../src/domain/change-log.ts";
import { form, json, startPlatform, upload, type Platform, type Session } from "./web-harness.ts";

const REFERENCE = readFileSync(new URL("../../examples/changji-xinfang-2024/budget.yaml", import.meta.url), "utf8");
/** one line item of 基本支出 (工资福利支出 30101 of 行政运行) up by 10,000.00 元 */
const CORRECTED = REFERENCE.replace('econ: "30101", fund: gpb.own, kind: basic, amount: 786750 }', 'econ: "30101", fund: gpb.own, kind: basic, amount: 796750 }');
const BASE = "/r/652300/d/415001/2024/";
const REASON = "更正：工资福利支出少列 1 万元（测试）。";

interface FileEntry {
  path: string;
  sha256: string;
  size: number;
}

describe("a correction: version 2 with its change log, version 1 kept", () => {
  let p: Platform;
  let id: number;
  let v1Files: FileEntry[];
  const v1Bytes = new Map<string, Uint8Array>();
  let reviewer: Session;
  let reviewer2: Session;
  let preparer: Session;
  let approver: Session;
  const revision = async () => (await p.store.getBudget(id))!.revision;

  beforeAll(async () => {
    expect(CORRECTED).not.toBe(REFERENCE);
    p = await startPlatform();
    id = (await p.store.findBudget(p.a.id, 2024))!.id;
    [reviewer, reviewer2, preparer, approver] = await Promise.all([p.login("reviewer"), p.login("reviewer2"), p.login("preparer"), p.login("approver")]);
    const meta = (await (await p.request(`/api/v1${BASE}`)).json()) as { files: FileEntry[] };
    v1Files = meta.files;
    for (const f of v1Files) v1Bytes.set(f.path, new Uint8Array(await (await p.request(`${BASE}${f.path}`)).arrayBuffer()));
  }, 120_000);
  afterAll(() => p?.close());

  it("goes through correction, upload, submit and approval again", async () => {
    let r = await p.request(`/api/v1/workspace/budgets/${id}/correct`, json(reviewer, { revision: await revision() }));
    expect(r.status, await r.clone().text()).toBe(200);
    // the unchanged file cannot be published again: it is refused as unchanged at publish time, so upload the corrected one
    r = await p.request("/api/v1/workspace/budgets", upload(preparer, { departmentId: String(p.a.id), year: "2024", revision: String(await revision()) }, { name: "budget.yaml", bytes: CORRECTED }));
    expect(r.status, await r.clone().text()).toBe(201);
    const up = (await r.json()) as { budget: { warnings: number; errors: number } };
    expect(up.budget.errors).toBe(0);
    r = await p.request(`/api/v1/workspace/budgets/${id}/submit`, json(preparer, { revision: await revision(), acknowledgement: "警告已逐条核对。" }));
    expect(r.status, await r.clone().text()).toBe(200);
    r = await p.request(`/api/v1/workspace/budgets/${id}/approve`, json(approver, { revision: await revision() }));
    expect(r.status).toBe(200);
    expect((await p.store.getBudget(id))!.state).toBe("approved");
  });

  it("a correction needs the reviewer's reason", async () => {
    const r = await p.request(`/api/v1/workspace/budgets/${id}/publish`, json(reviewer, { revision: await revision() }));
    expect(r.status).toBe(422);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("needs_reason");
  });

  it("two reviewers publishing at once: one wins, the other is told, one version 2", async () => {
    const rev = await revision();
    const [x, y] = await Promise.all([
      p.request(`/api/v1/workspace/budgets/${id}/publish`, json(reviewer, { revision: rev, reason: REASON })),
      p.request(`/api/v1/workspace/budgets/${id}/publish`, json(reviewer2, { revision: rev, reason: "另一位审核人的理由" })),
    ]);
    const statuses = [x.status, y.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = x.status === 409 ? x : y;
    const body = (await loser.json()) as { error: { code: string; message: { zh: string } } };
    expect(body.error.code).toBe("conflict");
    expect(body.error.message.zh).toContain("已被他人更改");
    const versions = await p.store.listVersions(id);
    expect(versions.map((v) => v.number)).toEqual([1, 2]);
    expect(versions[1]!.reason === REASON || versions[1]!.reason === "另一位审核人的理由").toBe(true);
    const publishes = (await p.store.listAudit({ entity: "budget", entityId: String(id), limit: 1000 })).filter((a) => a.action === "budget.publish");
    expect(publishes.length).toBe(2); // version 1 (seed) and version 2: the loser left no trace
  });

  it("a form of an old revision is refused and changes nothing", async () => {
    const before = await p.store.getBudget(id);
    const r = await p.request(`/workspace/b/${id}/correct`, form(reviewer, { revision: String(before!.revision - 1) }));
    expect(r.status).toBe(409);
    expect(await r.text()).toContain("已被他人更改");
    expect(await p.store.getBudget(id)).toEqual(before);
  });

  it("the public page is version 2 and says so; version 1 stays downloadable byte for byte", async () => {
    const page = await (await p.request(BASE)).text();
    expect(page).toContain("本页为第 2 版");
    expect(page).toContain(`${BASE}changes/`);
    const meta = (await (await p.request(`/api/v1${BASE}`)).json()) as { version: { number: number }; files: FileEntry[] };
    expect(meta.version.number).toBe(2);
    const old = await (await p.request(`${BASE}v/1/`)).text();
    expect(old).toContain("旧版本");
    for (const f of v1Files) {
      const bytes = new Uint8Array(await (await p.request(`${BASE}v/1/${f.path}`)).arrayBuffer());
      expect(Buffer.from(bytes).equals(Buffer.from(v1Bytes.get(f.path)!)), f.path).toBe(true);
    }
    // the current PDF is version 2's, not version 1's
    const pdf2 = new Uint8Array(await (await p.request(`${BASE}disclosure.pdf`)).arrayBuffer());
    expect(Buffer.from(pdf2).equals(Buffer.from(v1Bytes.get("disclosure.pdf")!))).toBe(false);
  });

  it("the change log names exactly the cells that differ in the versions' CSV tables, and the changed figures and sentences", async () => {
    const logs = ((await (await p.request(`/api/v1${BASE}changes/`)).json()) as { changes: ChangeLog[] }).changes;
    expect(logs.length).toBe(1);
    const log = logs[0]!;
    expect([1, 2]).toEqual([log.from, log.to]);
    expect(log.reason.length).toBeGreaterThan(0);
    // the oracle: every table's CSV of both versions, cell by cell
    const expected: string[] = [];
    for (const f of v1Files.filter((x) => x.path.startsWith("tables/"))) {
      const table = f.path.slice("tables/".length, -".csv".length);
      const a = parseCsv(new TextDecoder().decode(v1Bytes.get(f.path)!).replace(/^\uFEFF/, ""));
      const b = parseCsv(new TextDecoder().decode(new Uint8Array(await (await p.request(`${BASE}${f.path}`)).arrayBuffer())).replace(/^\uFEFF/, ""));
      expect(b.length, `${table}: the correction adds or removes no row`).toBe(a.length);
      for (let r = 1; r < a.length; r++) for (let c = 0; c < a[r]!.length; c++) if (a[r]![c] !== b[r]![c]) expected.push(`${table}|${a[r]![c]}|${b[r]![c]}`);
    }
    const listed = log.cells.map((x) => `${x.key.split("\u0001")[0]}|${x.before ?? ""}|${x.after ?? ""}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(listed.sort()).toEqual(expected.sort());
    // figures: 基本支出 went up by 1.00 万元
    expect(log.figures.length).toBeGreaterThan(0);
    for (const f of log.figures) expect(f.before).not.toBe(f.after);
    // sentences: each before is in version 1's page and each after in version 2's
    const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
    const p1 = text(new TextDecoder().decode(v1Bytes.get("index.html")!));
    const p2 = text(await (await p.request(`${BASE}index.html`)).text());
    expect(log.sentences.length).toBeGreaterThan(0);
    for (const s of log.sentences) {
      if (s.before !== null) expect(p1, s.before).toContain(s.before);
      if (s.after !== null) expect(p2, s.after).toContain(s.after);
      expect(s.before).not.toBe(s.after);
    }
    const page = await (await p.request(`${BASE}changes/`)).text();
    expect(page).toContain("更正理由");
    expect(page).toContain(log.reason);
  });
});
