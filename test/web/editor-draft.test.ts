/**
 * The editor's draft through its API (the same requests the grid makes): patches on stable line ids, two people on
 * one draft, findings at their line and field, the lock after submit, scope, the audit log, and what a preparer types
 * reaching a page only escaped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli-harness.ts";
import { get, json, startPlatform, upload, type Platform, type Session } from "./web-harness.ts";

interface Line {
  id: string;
  values: Record<string, string | null>;
}
interface Finding {
  code: string;
  severity: string;
  line: string | null;
  field: string | null;
}
interface Reply {
  revision: number;
  lines: Line[];
  findings: Finding[];
  conflicts: { op: { op: string; line: string; field?: string; to?: string | null }; reason: string; current: string | null; row: number | null }[];
  applied: number;
}

const YEAR = 2023;

describe("the editor's draft API", () => {
  let p: Platform;
  let prep: Session;
  let budget: number;

  beforeAll(async () => {
    p = await startPlatform();
    prep = await p.login("preparer");
    // a 2023 draft of department A: the reference budget moved a year back (the seed published its 2024)
    const yaml = readFileSync(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"), "utf8")
      .replace(/^ {2}year: 2024$/m, `  year: ${YEAR}`)
      .replace(/^ {2}date: "2024-02-23"$/m, `  date: "${YEAR}-02-23"`);
    const res = await p.request("/api/v1/workspace/budgets", upload(prep, { departmentId: String(p.a.id), year: String(YEAR) }, { name: "budget.yaml", bytes: yaml }));
    expect(res.status, await res.clone().text()).toBe(201);
    budget = ((await res.json()) as { budget: { id: number } }).budget.id;
  }, 120_000);
  afterAll(() => p?.close());

  const draft = async (s: Session = prep) => (await (await p.request(`/api/v1/workspace/budgets/${budget}/draft`, get(s))).json()) as { revision: number; editable: boolean; lines: Line[]; findings: Finding[] };
  const save = async (s: Session, revision: number, ops: unknown[]) => {
    const res = await p.request(`/api/v1/workspace/budgets/${budget}/draft`, json(s, { revision, ops }));
    return { status: res.status, body: (await res.json()) as Reply & { error?: { code: string } } };
  };

  it("gives every line a stable id, the same on every read", async () => {
    const a = await draft();
    const b = await draft();
    expect(a.editable).toBe(true);
    expect(a.lines.length).toBeGreaterThan(30);
    expect(new Set(a.lines.map((l) => l.id)).size).toBe(a.lines.length);
    expect(b.lines.map((l) => l.id)).toEqual(a.lines.map((l) => l.id));
    expect(a.lines[0]!.values).toMatchObject({ unit: "001", func: "2010301", econ: "30101", fund: "gpb.own", kind: "basic" });
  });

  it("two people editing different rows from the same revision both keep their work; the same field gives the second a conflict with the other's value", async () => {
    const d = await draft();
    const [l1, l2, l3] = [d.lines[1]!, d.lines[2]!, d.lines[3]!];
    const set = (l: Line, to: string) => ({ op: "set", line: l.id, field: "amount", from: l.values.amount, to });
    const first = await save(prep, d.revision, [set(l1, "595501.00")]);
    expect(first.status).toBe(200);
    expect(first.body.conflicts).toEqual([]);
    const other = await p.login("preparer");
    // the second person saw the same revision as the first
    const second = await save(other, d.revision, [set(l2, "391201.00")]);
    expect(second.status).toBe(200);
    expect(second.body.conflicts).toEqual([]);
    const now = await draft();
    expect(now.lines.find((l) => l.id === l1.id)!.values.amount).toBe("595501.00");
    expect(now.lines.find((l) => l.id === l2.id)!.values.amount).toBe("391201.00");
    // the same field: the first wins, the second is told what it is now and keeps its input to re-apply
    await save(prep, now.revision, [set(l3, "140601.00")]);
    const clash = await save(other, now.revision, [set(l3, "140699.00")]);
    expect(clash.status).toBe(200);
    expect(clash.body.conflicts).toHaveLength(1);
    expect(clash.body.conflicts[0]).toMatchObject({ reason: "changed", current: "140601.00", op: { line: l3.id, to: "140699.00" } });
    expect(clash.body.lines.find((l) => l.id === l3.id)!.values.amount).toBe("140601.00");
    const reapplied = await save(other, clash.body.revision, [{ op: "set", line: l3.id, field: "amount", from: "140601.00", to: "140699.00" }]);
    expect(reapplied.body.conflicts).toEqual([]);
    expect((await draft()).lines.find((l) => l.id === l3.id)!.values.amount).toBe("140699.00");
  });

  it("a finding points at its line and field, and goes when the value is fixed", async () => {
    const d = await draft();
    const l = d.lines[4]!;
    const bad = await save(prep, d.revision, [{ op: "set", line: l.id, field: "amount", from: l.values.amount, to: "8000.005" }]);
    const at = bad.body.findings.filter((f) => f.line === l.id);
    expect(at.length, JSON.stringify(bad.body.findings.slice(0, 5))).toBeGreaterThan(0);
    expect(at[0]).toMatchObject({ severity: "error", field: "amount" });
    const budgetRow = await p.store.getBudget(budget);
    expect(budgetRow!.errorCount).toBeGreaterThan(0);
    const fixed = await save(prep, bad.body.revision, [{ op: "set", line: l.id, field: "amount", from: "8000.005", to: "8000.00" }]);
    expect(fixed.body.findings.filter((f) => f.line === l.id)).toEqual([]);
    expect((await p.store.getBudget(budget))!.errorCount).toBe(0);
  });

  it("inserts and deletes rows by id; the YAML keeps its comments; the audit log records each save", async () => {
    const d = await draft();
    const values = { ...d.lines[0]!.values, amount: "1000.00", note: "新增" };
    const ins = await save(prep, d.revision, [{ op: "insert", line: "Lnewrow1", after: d.lines[0]!.id, values }]);
    expect(ins.body.lines[1]!.id).toBe("Lnewrow1");
    expect(ins.body.lines).toHaveLength(d.lines.length + 1);
    const row = await p.store.getBudget(budget);
    expect(row!.sourceYaml).toContain("本文件是构造数据");
    const del = await save(prep, ins.body.revision, [{ op: "delete", line: "Lnewrow1", from: ins.body.lines[1]!.values }]);
    expect(del.body.lines.map((l) => l.id)).toEqual(d.lines.map((l) => l.id));
    const edits = (await p.store.listAudit({ entity: "budget", entityId: String(budget) })).filter((a) => a.action === "budget.edit");
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(edits.at(-1)!.after!)).toMatchObject({ source: "editor", ops: 1, applied: 1 });
  });

  it("refuses a malformed patch with a 400 naming the field, and nothing changes", async () => {
    const before = await p.store.getBudget(budget);
    for (const ops of [[{ op: "set", line: "../../etc", field: "amount", from: null, to: "1" }], [{ op: "set", line: "L1", field: "__proto__", from: null, to: "1" }], [{ op: "drop" }], "x"]) {
      const r = await save(prep, before!.revision, ops as unknown[]);
      expect(r.status).toBe(400);
    }
    expect((await p.store.getBudget(budget))!.revision).toBe(before!.revision);
  });

  it("what the preparer types reaches the editor page only escaped", async () => {
    const d = await draft();
    const l = d.lines[0]!;
    const evil = '</script><script>alert(1)</script>=HYPERLINK("http://x")\u202egnp.exe';
    await save(prep, d.revision, [{ op: "set", line: l.id, field: "note", from: l.values.note, to: evil }]);
    const html = await (await p.request(`/workspace/b/${budget}/edit`, get(prep))).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toMatch(/<\/script><script>alert/);
    const data = /<script type="application\/json" id="editor-data">([^<]*)<\/script>/.exec(html);
    expect(data, "the editor's data block").not.toBeNull();
    expect((JSON.parse(data![1]!) as { lines: Line[] }).lines[0]!.values.note).toBe(evil);
  });

  it("is out of reach of another department's preparer and of the public", async () => {
    const b = await p.login("preparer_b");
    expect((await p.request(`/api/v1/workspace/budgets/${budget}/draft`, get(b))).status).toBe(404);
    expect((await p.request(`/workspace/b/${budget}/edit`, get(b))).status).toBe(404);
    expect((await p.request(`/workspace/b/${budget}/draft.yaml`, get(b))).status).toBe(404);
    expect((await save(b, 1, [])).status).toBe(404);
    expect((await p.request(`/api/v1/workspace/budgets/${budget}/draft`, get(null))).status).toBe(401);
  });

  it("a submitted draft is locked", async () => {
    const row = (await p.store.getBudget(budget))!;
    const sub = await p.request(`/api/v1/workspace/budgets/${budget}/submit`, json(prep, { revision: row.revision, acknowledgement: "已核对警告。" }));
    expect(sub.status, await sub.clone().text()).toBe(200);
    const d = await draft();
    expect(d.editable).toBe(false);
    const l = d.lines[0]!;
    const r = await save(prep, d.revision, [{ op: "set", line: l.id, field: "amount", from: l.values.amount, to: "1.00" }]);
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe("wrong_state");
  });
});
