/**
 * The platform store's contract, one suite run on SQLite (a temporary file), PGlite (in memory) and PostgreSQL
 * (DATABASE_URL_TEST; mandatory in CI, where its absence fails the suite).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { AuditEntry, BudgetDraftFields, BudgetRow, NewUser, PlatformStore, VersionRow } from "../../app/platform/platform-store.ts";
import { countRows, KyselyPlatformStore } from "./kysely-store.ts";
import { backupSqlite, openStore, restoreSqlite, storeConfigFromEnv, type StoreConfig } from "./open-store.ts";
import { backfillAfterMigration, freshPostgresDatabase, SEARCH_MIGRATION, searchContract } from "./search-contract.fixture.ts";

const PG_URL = process.env.DATABASE_URL_TEST;
const IN_CI = process.env.CI === "true";
const MIGRATION = "2026-12-03-001-platform";
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "../../..");

const tmp = mkdtempSync(join(tmpdir(), "gongkai-store-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** a fresh, empty public schema on the PostgreSQL test database */
async function resetPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("DROP SCHEMA public CASCADE");
    await client.query("CREATE SCHEMA public");
  } finally {
    await client.end();
  }
}

interface Backend {
  readonly name: "sqlite" | "pglite" | "postgres";
  readonly config: () => StoreConfig;
  readonly reset?: () => Promise<void>;
}

const sqliteFile = join(tmp, "sub", "folder", "store.db");
const backends: Backend[] = [
  { name: "sqlite", config: () => ({ kind: "sqlite", file: sqliteFile }) },
  { name: "pglite", config: () => ({ kind: "pglite" }) },
];
if (PG_URL) backends.push({ name: "postgres", config: () => ({ kind: "postgres", url: PG_URL }), reset: () => resetPostgres(PG_URL) });

describe("postgres backend configured", () => {
  it.skipIf(!IN_CI && !PG_URL)("DATABASE_URL_TEST names the PostgreSQL test database (mandatory in CI)", () => {
    expect(PG_URL, "CI=true but DATABASE_URL_TEST is not set: the store's contract suite must run on PostgreSQL in CI (see .ci/run)").toBeTruthy();
  });
});

const FIELDS: BudgetDraftFields = { sourceName: "budget.yaml", sourceYaml: "department: {}\n", findingsJson: "[]", errorCount: 0, warningCount: 2 };
const T0 = "2024-03-01T08:00:00.000Z";
const T1 = "2024-03-01T09:00:00.000Z";
const T2 = "2024-03-01T10:00:00.000Z";
const enc = (s: string) => new TextEncoder().encode(s);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const ids = (bs: readonly { id: number }[]) => bs.map((b) => b.id);
const audit = (action: string, entity: string, entityId: string, userId: number | null = null): AuditEntry => ({
  userId,
  action,
  entity,
  entityId,
  before: JSON.stringify({ b: action }),
  after: JSON.stringify({ a: action }),
});

describe.each(backends)("platform store on $name", (backend) => {
  let store: PlatformStore;
  let firstMigration: string[];
  let n = 0;
  /** a unique suffix, so that the tests share one database without sharing rows */
  const uniq = () => `${++n}`;
  const kysely = () => (store as KyselyPlatformStore).db;

  async function region(): Promise<string> {
    const code = `65${uniq().padStart(4, "0")}`;
    await store.putRegion({ code, parentCode: null, name: `区 ${code}` });
    return code;
  }
  async function department(regionCode?: string) {
    const rc = regionCode ?? (await region());
    return store.createDepartment({ regionCode: rc, code: `D${uniq().padStart(3, "0")}`, name: "部门" });
  }
  async function newUser(extra: Partial<NewUser> = {}) {
    const u = uniq();
    const r = await store.createUser(
      { username: `user${u}`, displayName: `用户${u}`, role: "preparer", departmentId: null, regionCode: null, passwordHash: `hash${u}`, ...extra },
      audit("user.create", "user", `user${u}`),
    );
    if (!r.ok) throw new Error(r.reason);
    return r.value;
  }
  async function newBudget(state: "draft" | "approved" = "draft", year = 2024): Promise<BudgetRow> {
    const d = await department();
    const r = await store.createBudget(d.id, year, FIELDS, T0, audit("budget.create", "budget", `${d.code}/${year}`));
    if (!r.ok) throw new Error(r.reason);
    if (state === "draft") return r.value;
    const t = await store.transition(r.value.id, r.value.revision, ["draft"], "approved", {}, T0, audit("budget.approve", "budget", String(r.value.id)));
    if (!t.ok) throw new Error(t.reason);
    return t.value;
  }
  const auditOf = (entity: string, entityId: string) => store.listAudit({ entity, entityId });
  /** an approved budget of the department and year */
  async function approved(departmentId: number, year: number): Promise<BudgetRow> {
    const c = await store.createBudget(departmentId, year, FIELDS, T0, audit("budget.create", "budget", `${departmentId}/${year}`));
    if (!c.ok) throw new Error(c.reason);
    const a = await store.transition(c.value.id, c.value.revision, ["draft"], "approved", {}, T0, audit("budget.approve", "budget", String(c.value.id)));
    if (!a.ok) throw new Error(a.reason);
    return a.value;
  }
  /** publishes the approved budget as a version without files (its id from `tag`); the budget as it is then */
  async function publishEmpty(b: BudgetRow, at: string, tag: string): Promise<{ budget: BudgetRow; version: VersionRow }> {
    const r = await store.publishVersion({ budgetId: b.id, expectedRevision: b.revision, id: sha(enc(tag)), reason: null, changeLogJson: null, files: [] }, at, null, audit("budget.publish", "budget", String(b.id)));
    if (!r.ok) throw new Error(r.reason);
    return { budget: (await store.getBudget(b.id))!, version: r.value };
  }

  beforeAll(async () => {
    await backend.reset?.();
    store = await openStore(backend.config());
    firstMigration = await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
  });

  it("migrates once: the second call runs nothing", async () => {
    expect(store.kind).toBe(backend.name);
    expect(firstMigration).toEqual([MIGRATION, SEARCH_MIGRATION]);
    expect(await store.migrate()).toEqual([]);
  });

  it("regions: upsert, children by code, ancestors nearest first; region years upsert", async () => {
    const top = await region();
    const mid = `${top}-b`;
    const mid2 = `${top}-a`;
    const leaf = `${top}-b-1`;
    await store.putRegion({ code: mid, parentCode: top, name: "州" });
    await store.putRegion({ code: mid2, parentCode: top, name: "另一州" });
    await store.putRegion({ code: leaf, parentCode: mid, name: "旧名" });
    await store.putRegion({ code: leaf, parentCode: mid, name: "县" });
    expect(await store.getRegion(leaf)).toEqual({ code: leaf, parentCode: mid, name: "县" });
    expect(await store.getRegion("nope")).toBeNull();
    expect((await store.listRegions(top)).map((r) => r.code)).toEqual([mid2, mid]);
    const topLevel = await store.listRegions(null);
    expect(topLevel.some((r) => r.code === top)).toBe(true);
    expect(topLevel.every((r) => r.parentCode === null)).toBe(true);
    expect((await store.regionAncestors(leaf)).map((r) => r.code)).toEqual([leaf, mid, top]);
    expect(await store.regionAncestors(top)).toEqual([{ code: top, parentCode: null, name: `区 ${top}` }]);
    expect(await store.regionAncestors("nope")).toEqual([]);

    expect(await store.getRegionYear(leaf, 2024)).toBeNull();
    await store.putRegionYear({ regionCode: leaf, year: 2024, templateId: "xinjiang-2024", catalogOfficial: false, approvalDate: null });
    expect(await store.getRegionYear(leaf, 2024)).toEqual({ regionCode: leaf, year: 2024, templateId: "xinjiang-2024", catalogOfficial: false, approvalDate: null });
    await store.putRegionYear({ regionCode: leaf, year: 2024, templateId: "t2", catalogOfficial: true, approvalDate: "2024-02-01" });
    await store.putRegionYear({ regionCode: leaf, year: 2023, templateId: "t1", catalogOfficial: false, approvalDate: "2023-02-01" });
    expect(await store.getRegionYear(leaf, 2024)).toEqual({ regionCode: leaf, year: 2024, templateId: "t2", catalogOfficial: true, approvalDate: "2024-02-01" });
    expect((await store.getRegionYear(leaf, 2023))?.templateId).toBe("t1");
    expect((await store.listRegionYears(leaf)).map((y) => y.year)).toEqual([2024, 2023]);
    expect(await store.listRegionYears(top)).toEqual([]);
  });

  it("departments and their units", async () => {
    const rc = await region();
    const b = await store.createDepartment({ regionCode: rc, code: "200", name: "乙" });
    const a = await store.createDepartment({ regionCode: rc, code: "100", name: "甲" });
    expect(a.id).toBeGreaterThan(b.id);
    expect(a).toEqual({ id: a.id, regionCode: rc, code: "100", name: "甲" });
    expect(await store.getDepartment(a.id)).toEqual(a);
    expect(await store.getDepartment(999_999)).toBeNull();
    expect(await store.findDepartment(rc, "200")).toEqual(b);
    expect(await store.findDepartment(rc, "300")).toBeNull();
    expect(await store.listDepartments(rc)).toEqual([a, b]);

    expect(await store.listUnits(a.id)).toEqual([]);
    await store.setUnits(a.id, [
      { code: "100002", name: "二", type: "行政" },
      { code: "100001", name: "一", type: "事业" },
    ]);
    await store.setUnits(b.id, [{ code: "200001", name: "乙一", type: "行政" }]);
    expect(await store.listUnits(a.id)).toEqual([
      { departmentId: a.id, code: "100002", name: "二", type: "行政" },
      { departmentId: a.id, code: "100001", name: "一", type: "事业" },
    ]);
    await store.setUnits(a.id, [{ code: "100003", name: "三", type: "行政" }]);
    expect(await store.listUnits(a.id)).toEqual([{ departmentId: a.id, code: "100003", name: "三", type: "行政" }]);
    await store.setUnits(a.id, []);
    expect(await store.listUnits(a.id)).toEqual([]);
    expect(await store.listUnits(b.id)).toHaveLength(1);
  });

  it("users: create with audit, duplicate username, disable and password change audited", async () => {
    const d = await department();
    const before = Date.now();
    const r = await store.createUser(
      { username: "alice" + uniq(), displayName: "爱丽丝", role: "dept_approver", departmentId: d.id, regionCode: null, passwordHash: "h1" },
      audit("user.create", "user", "alice", 7),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const u = r.value;
    expect(u).toMatchObject({ displayName: "爱丽丝", role: "dept_approver", departmentId: d.id, regionCode: null, passwordHash: "h1", disabled: false });
    expect(Date.parse(u.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await store.getUser(u.id)).toEqual(u);
    expect(await store.findUser(u.username)).toEqual(u);
    expect(await store.findUser("nobody")).toBeNull();
    expect(await store.getUser(999_999)).toBeNull();
    const created = await store.listAudit({ entity: "user", entityId: "alice" });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ userId: 7, action: "user.create", before: JSON.stringify({ b: "user.create" }), after: JSON.stringify({ a: "user.create" }) });
    expect(Date.parse(created[0]?.at ?? "")).toBeGreaterThanOrEqual(before - 1000);

    const dup = await store.createUser({ username: u.username, displayName: "x", role: "admin", departmentId: null, regionCode: null, passwordHash: "h" }, audit("user.create", "user", "alice", 7));
    expect(dup).toEqual({ ok: false, reason: "duplicate" });
    expect(await store.listAudit({ entity: "user", entityId: "alice" })).toHaveLength(1);

    const reviewer = await newUser({ role: "finance_reviewer", regionCode: d.regionCode });
    expect(reviewer.regionCode).toBe(d.regionCode);
    const all = await store.listUsers();
    expect(all.map((x) => x.id)).toEqual(expect.arrayContaining([u.id, reviewer.id]));
    expect(all.map((x) => x.id)).toEqual(all.map((x) => x.id).sort((x, y) => x - y));

    await store.setUserDisabled(u.id, true, audit("user.disable", "user", String(u.id), 1));
    expect((await store.getUser(u.id))?.disabled).toBe(true);
    await store.setUserDisabled(u.id, false, audit("user.enable", "user", String(u.id), 1));
    expect((await store.getUser(u.id))?.disabled).toBe(false);
    await store.setPasswordHash(u.id, "h2", audit("user.password", "user", String(u.id), 1));
    expect((await store.getUser(u.id))?.passwordHash).toBe("h2");
    expect((await auditOf("user", String(u.id))).map((a) => a.action)).toEqual(["user.password", "user.enable", "user.disable"]);
  });

  it("sessions: expiry, disabled users, sign-out and sign-out everywhere", async () => {
    const u = await newUser();
    const other = await newUser();
    const s = { tokenHash: `t${uniq()}`, userId: u.id, csrfToken: "csrf", createdAt: T0, expiresAt: T2 };
    await store.createSession(s);
    await store.createSession({ ...s, tokenHash: `${s.tokenHash}-2` });
    await store.createSession({ ...s, tokenHash: `${s.tokenHash}-other`, userId: other.id });
    expect(await store.getSession(s.tokenHash, T1)).toEqual({ session: s, user: u });
    expect(await store.getSession(s.tokenHash, T2)).toBeNull();
    expect(await store.getSession(s.tokenHash, "2024-03-02T00:00:00.000Z")).toBeNull();
    expect(await store.getSession("unknown", T1)).toBeNull();

    await store.setUserDisabled(u.id, true, audit("user.disable", "user", String(u.id)));
    expect(await store.getSession(s.tokenHash, T1)).toBeNull();
    await store.setUserDisabled(u.id, false, audit("user.enable", "user", String(u.id)));
    expect(await store.getSession(s.tokenHash, T1)).not.toBeNull();

    await store.deleteSession(s.tokenHash);
    expect(await store.getSession(s.tokenHash, T1)).toBeNull();
    expect(await store.getSession(`${s.tokenHash}-2`, T1)).not.toBeNull();
    await store.createSession({ ...s, tokenHash: `${s.tokenHash}-3` });
    expect(await store.deleteSessionsOfUser(u.id)).toBe(2);
    expect(await store.getSession(`${s.tokenHash}-2`, T1)).toBeNull();
    expect(await store.deleteSessionsOfUser(u.id)).toBe(0);
    expect(await store.getSession(`${s.tokenHash}-other`, T1)).not.toBeNull();
  });

  it("login failures are counted per key since a time and cleared", async () => {
    const key = `user:${uniq()}`;
    expect(await store.countLoginFailures(key, T0)).toBe(0);
    await store.recordLoginFailure(key, T0);
    await store.recordLoginFailure(key, T1);
    await store.recordLoginFailure(key, T2);
    await store.recordLoginFailure(`${key}x`, T2);
    expect(await store.countLoginFailures(key, T0)).toBe(3);
    expect(await store.countLoginFailures(key, T1)).toBe(2);
    expect(await store.countLoginFailures(key, "2024-03-01T09:00:00.001Z")).toBe(1);
    await store.clearLoginFailures(key);
    expect(await store.countLoginFailures(key, T0)).toBe(0);
    expect(await store.countLoginFailures(`${key}x`, T0)).toBe(1);
  });

  it("API tokens: created with audit, found until revoked or the user disabled", async () => {
    const admin = await newUser({ role: "admin" });
    const u = await newUser();
    const hash = `api${uniq()}`;
    const t = await store.createApiToken({ name: "ci", userId: u.id, tokenHash: hash, createdAt: T0, createdBy: admin.id }, audit("token.create", "token", hash, admin.id));
    expect(t).toEqual({ id: t.id, name: "ci", userId: u.id, tokenHash: hash, createdAt: T0, createdBy: admin.id, revokedAt: null });
    expect(await auditOf("token", hash)).toMatchObject([{ action: "token.create", at: T0, userId: admin.id }]);
    expect(await store.findApiToken(hash)).toEqual({ token: t, user: u });
    expect(await store.findApiToken("unknown")).toBeNull();

    await store.setUserDisabled(u.id, true, audit("user.disable", "user", String(u.id)));
    expect(await store.findApiToken(hash)).toBeNull();
    await store.setUserDisabled(u.id, false, audit("user.enable", "user", String(u.id)));
    expect(await store.findApiToken(hash)).not.toBeNull();

    expect(await store.revokeApiToken(t.id, T1, audit("token.revoke", "token", String(t.id), admin.id))).toBe(true);
    expect(await store.findApiToken(hash)).toBeNull();
    expect(await store.revokeApiToken(t.id, T2, audit("token.revoke", "token", String(t.id), admin.id))).toBe(false);
    expect(await store.revokeApiToken(999_999, T2, audit("token.revoke", "token", "999999", admin.id))).toBe(false);
    expect(await auditOf("token", String(t.id))).toMatchObject([{ action: "token.revoke", at: T1 }]);
    const listed = (await store.listApiTokens()).find((x) => x.id === t.id);
    expect(listed).toEqual({ ...t, revokedAt: T1 });
  });

  it("budgets: create (duplicate per department and year), update the draft at its revision", async () => {
    const d = await department();
    const u = await newUser();
    const r = await store.createBudget(d.id, 2024, FIELDS, T0, audit("budget.create", "budget", `${d.code}/2024`, u.id));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const b = r.value;
    expect(b).toEqual({
      id: b.id,
      departmentId: d.id,
      year: 2024,
      state: "draft",
      revision: b.revision,
      ...FIELDS,
      acknowledgement: null,
      returnReason: null,
      publishedCount: 0,
      updatedAt: T0,
      updatedBy: u.id,
    });
    expect(await store.getBudget(b.id)).toEqual(b);
    expect(await store.findBudget(d.id, 2024)).toEqual(b);
    expect(await store.findBudget(d.id, 2023)).toBeNull();
    expect(await store.getBudget(999_999)).toBeNull();
    expect(await auditOf("budget", `${d.code}/2024`)).toMatchObject([{ action: "budget.create", at: T0, userId: u.id }]);

    expect(await store.createBudget(d.id, 2024, FIELDS, T1, audit("budget.create", "budget", `${d.code}/2024`))).toEqual({ ok: false, reason: "duplicate" });
    expect(await auditOf("budget", `${d.code}/2024`)).toHaveLength(1);

    const f2 = { ...FIELDS, sourceName: "填报.xlsx", sourceYaml: "x: 1\n", errorCount: 3, warningCount: 0, findingsJson: '[{"code":"x"}]' };
    const up = await store.updateDraft(b.id, b.revision, f2, T1, audit("budget.upload", "budget", String(b.id), u.id));
    expect(up).toEqual({ ok: true, value: { ...b, ...f2, revision: b.revision + 1, updatedAt: T1, updatedBy: u.id } });
    expect(await store.getBudget(b.id)).toEqual(up.ok ? up.value : null);
    expect(await auditOf("budget", String(b.id))).toMatchObject([{ action: "budget.upload", at: T1 }]);

    // a stale revision, an unknown budget, a budget no longer a draft
    expect(await store.updateDraft(b.id, b.revision, FIELDS, T2, audit("budget.upload", "budget", String(b.id)))).toEqual({ ok: false, reason: "conflict" });
    expect(await store.updateDraft(999_999, 1, FIELDS, T2, audit("budget.upload", "budget", "999999"))).toEqual({ ok: false, reason: "not_found" });
    const sub = await store.transition(b.id, b.revision + 1, ["draft"], "submitted", { acknowledgement: "知悉" }, T2, audit("budget.submit", "budget", String(b.id)));
    expect(sub.ok).toBe(true);
    expect(await store.updateDraft(b.id, b.revision + 2, FIELDS, T2, audit("budget.upload", "budget", String(b.id)))).toEqual({ ok: false, reason: "conflict" });
    expect((await store.getBudget(b.id))?.sourceName).toBe("填报.xlsx");
    expect((await auditOf("budget", String(b.id))).map((a) => a.action)).toEqual(["budget.submit", "budget.upload"]);
  });

  it("transition: from the allowed states at the revision, writing the fields given and leaving the others", async () => {
    const b = await newBudget();
    const id = String(b.id);
    const s = await store.transition(b.id, b.revision, ["draft"], "submitted", { acknowledgement: "已知悉两条提示" }, T1, audit("budget.submit", "budget", id, 5));
    expect(s).toEqual({ ok: true, value: { ...b, state: "submitted", revision: b.revision + 1, acknowledgement: "已知悉两条提示", updatedAt: T1, updatedBy: 5 } });
    // not from an allowed state
    expect(await store.transition(b.id, b.revision + 1, ["approved"], "draft", {}, T2, audit("budget.return", "budget", id))).toEqual({ ok: false, reason: "conflict" });
    expect(await store.transition(999_999, 1, ["draft"], "submitted", {}, T2, audit("budget.submit", "budget", "999999"))).toEqual({ ok: false, reason: "not_found" });
    const back = await store.transition(b.id, b.revision + 1, ["submitted", "approved"], "draft", { returnReason: "补充说明" }, T2, audit("budget.return", "budget", id, 6));
    expect(back).toEqual({ ok: true, value: { ...b, state: "draft", revision: b.revision + 2, acknowledgement: "已知悉两条提示", returnReason: "补充说明", updatedAt: T2, updatedBy: 6 } });
    const cleared = await store.transition(b.id, b.revision + 2, ["draft"], "submitted", { acknowledgement: null, returnReason: null }, T2, audit("budget.submit", "budget", id));
    expect(cleared.ok && [cleared.value.acknowledgement, cleared.value.returnReason]).toEqual([null, null]);
    expect((await auditOf("budget", id)).map((a) => a.action)).toEqual(["budget.submit", "budget.return", "budget.submit"]);
  });

  it("two transitions from the same revision: one succeeds, the other is a conflict", async () => {
    const b = await newBudget();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.transition(b.id, b.revision, ["draft"], "submitted", { acknowledgement: `#${i}` }, T1, audit("budget.submit", "budget", String(b.id)))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 5 }, () => ({ ok: false, reason: "conflict" })));
    const after = await store.getBudget(b.id);
    expect(after?.revision).toBe(b.revision + 1);
    expect(await auditOf("budget", String(b.id))).toHaveLength(1);
  });

  it("concurrent writes from one revision where the state alone would allow them all: only the revision decides", async () => {
    const b = await newBudget();
    const drafts = await Promise.all(
      Array.from({ length: 4 }, (_, i) => store.updateDraft(b.id, b.revision, { ...FIELDS, sourceName: `v${i}.yaml` }, T1, audit("budget.upload", "budget", String(b.id)))),
    );
    expect(drafts.filter((r) => r.ok)).toHaveLength(1);
    expect(drafts.filter((r) => !r.ok)).toEqual(Array.from({ length: 3 }, () => ({ ok: false, reason: "conflict" })));
    const winner = drafts.find((r) => r.ok);
    expect(await store.getBudget(b.id)).toEqual(winner?.ok ? winner.value : null);
    const moves = await Promise.all(
      Array.from({ length: 4 }, () => store.transition(b.id, b.revision + 1, ["draft", "submitted"], "submitted", {}, T2, audit("budget.submit", "budget", String(b.id)))),
    );
    expect(moves.filter((r) => r.ok)).toHaveLength(1);
    expect((await store.getBudget(b.id))?.revision).toBe(b.revision + 2);
    expect(await auditOf("budget", String(b.id))).toHaveLength(2);
  });

  it("a transaction rolled back does not take a concurrent write with it", async () => {
    const k1 = `rolled${uniq()}`;
    const k2 = `kept${uniq()}`;
    const failing = kysely()
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("meta").values({ key: k1, value: "x" }).execute();
        await new Promise((r) => setTimeout(r, 200));
        throw new Error("abort");
      });
    await new Promise((r) => setTimeout(r, 50));
    const [f, w] = await Promise.allSettled([failing, store.setMeta(k2, "y")]);
    expect(f.status).toBe("rejected");
    expect(w.status).toBe("fulfilled");
    expect(await store.getMeta(k1)).toBeNull();
    expect(await store.getMeta(k2)).toBe("y");
  });

  it.runIf(backend.name === "postgres")("a transition waiting on a concurrent change re-checks the revision after its commit (PostgreSQL)", async () => {
    const b = await newBudget();
    const blocker = new pg.Client({ connectionString: PG_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("UPDATE budgets SET revision = revision + 1 WHERE id = $1", [b.id]);
      let settled = false;
      const pending = store.transition(b.id, b.revision, ["draft"], "submitted", {}, T1, audit("budget.submit", "budget", String(b.id))).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false); // it waits on the row lock
      await blocker.query("COMMIT");
      expect(await pending).toEqual({ ok: false, reason: "conflict" });
    } finally {
      await blocker.end();
    }
    expect(await auditOf("budget", String(b.id))).toEqual([]);
  });

  it("publishes a version in one write: files read back byte-identical, a file shared by two versions stored once", async () => {
    const b = await newBudget("approved");
    const reviewer = await newUser({ role: "finance_reviewer" });
    const shared = enc("同一份文件 shared\n");
    const pdf = new Uint8Array(256).map((_, i) => i); // every byte value, NUL included
    const json1 = enc('{"v":1}');
    const id1 = sha(json1);
    const blobsBefore = await countRows(kysely(), "blobs");
    const r1 = await store.publishVersion(
      {
        budgetId: b.id,
        expectedRevision: b.revision,
        id: id1,
        reason: null,
        changeLogJson: null,
        files: [
          { path: "disclosure.json", mediaType: "application/json", bytes: json1 },
          { path: "disclosure.pdf", mediaType: "application/pdf", bytes: pdf },
          { path: "style.css", mediaType: "text/css", bytes: shared },
        ],
      },
      T1,
      reviewer.id,
      audit("budget.publish", "budget", String(b.id), reviewer.id),
    );
    expect(r1).toEqual({ ok: true, value: { id: id1, budgetId: b.id, number: 1, publishedAt: T1, publishedBy: reviewer.id, reason: null, hasChangeLog: false } });
    expect(await store.readChangeLog(id1)).toBeNull();
    expect(await store.getBudget(b.id)).toMatchObject({ state: "published", publishedCount: 1, revision: b.revision + 1, updatedAt: T1, updatedBy: reviewer.id });
    expect(await countRows(kysely(), "blobs")).toBe(blobsBefore + 3);
    expect(await store.listVersionFiles(id1)).toEqual([
      { path: "disclosure.json", mediaType: "application/json", sha256: sha(json1), size: json1.length },
      { path: "disclosure.pdf", mediaType: "application/pdf", sha256: sha(pdf), size: 256 },
      { path: "style.css", mediaType: "text/css", sha256: sha(shared), size: shared.length },
    ]);
    const read = await store.readVersionFile(id1, "disclosure.pdf");
    expect(read?.file).toEqual({ path: "disclosure.pdf", mediaType: "application/pdf", sha256: sha(pdf), size: 256 });
    expect(read?.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(read?.bytes ?? []).equals(Buffer.from(pdf))).toBe(true);
    expect(await store.readVersionFile(id1, "missing.txt")).toBeNull();
    expect(await store.readVersionFile("0".repeat(64), "disclosure.pdf")).toBeNull();
    expect(await auditOf("budget", String(b.id))).toMatchObject([{ action: "budget.publish", at: T1, userId: reviewer.id }, { action: "budget.approve" }]);

    // publishing the same version again
    const again = await store.publishVersion(
      { budgetId: b.id, expectedRevision: b.revision + 1, id: id1, reason: null, changeLogJson: null, files: [] },
      T2,
      reviewer.id,
      audit("budget.publish", "budget", String(b.id)),
    );
    expect(again).toEqual({ ok: false, reason: "duplicate" });

    // a correction: back to draft from published, approved, published again as version 2 sharing style.css
    const corr = await store.transition(b.id, b.revision + 1, ["published"], "draft", { returnReason: "更正" }, T2, audit("budget.correct", "budget", String(b.id)));
    expect(corr.ok && corr.value).toMatchObject({ state: "draft", publishedCount: 1 });
    if (!corr.ok) return;
    const appr = await store.transition(b.id, corr.value.revision, ["draft"], "approved", {}, T2, audit("budget.approve", "budget", String(b.id)));
    if (!appr.ok) throw new Error(appr.reason);
    const json2 = enc('{"v":2}');
    const id2 = sha(json2);
    // the budget not approved: a conflict, nothing written
    const early = await store.publishVersion(
      { budgetId: b.id, expectedRevision: corr.value.revision, id: id2, reason: "x", changeLogJson: "{}", files: [{ path: "a", mediaType: "text/plain", bytes: enc("early") }] },
      T2,
      reviewer.id,
      audit("budget.publish", "budget", String(b.id)),
    );
    expect(early).toEqual({ ok: false, reason: "conflict" });
    const r2 = await store.publishVersion(
      {
        budgetId: b.id,
        expectedRevision: appr.value.revision,
        id: id2,
        reason: "数字更正",
        changeLogJson: '{"log":[]}',
        files: [
          { path: "disclosure.json", mediaType: "application/json", bytes: json2 },
          { path: "style.css", mediaType: "text/css", bytes: shared },
        ],
      },
      T2,
      reviewer.id,
      audit("budget.publish", "budget", String(b.id), reviewer.id),
    );
    expect(r2).toEqual({ ok: true, value: { id: id2, budgetId: b.id, number: 2, publishedAt: T2, publishedBy: reviewer.id, reason: "数字更正", hasChangeLog: true } });
    // a listing carries no change log (it is large); readChangeLog reads it
    expect(await store.readChangeLog(id2)).toBe('{"log":[]}');
    expect((await store.listVersions(b.id)).map((v) => v.hasChangeLog)).toEqual([false, true]);
    // a public page's lookup, in one query: the region, the department by code, the versions by number
    const dept = (await store.getDepartment(b.departmentId))!;
    const found = await store.findPublishedVersions(dept.regionCode, dept.code, 2024);
    expect(found).toEqual({ region: await store.getRegion(dept.regionCode), department: dept, versions: await store.listVersions(b.id) });
    expect(await store.findPublishedVersions(dept.regionCode, dept.code, 2023)).toBeNull();
    expect(await store.findPublishedVersions(dept.regionCode, `${dept.code}x`, 2024)).toBeNull();
    expect(await countRows(kysely(), "blobs")).toBe(blobsBefore + 4);
    expect((await store.readVersionFile(id2, "style.css"))?.file.sha256).toBe((await store.readVersionFile(id1, "style.css"))?.file.sha256);
    expect(Buffer.from((await store.readVersionFile(id2, "style.css"))?.bytes ?? []).equals(Buffer.from(shared))).toBe(true);
    expect(await store.getBudget(b.id)).toMatchObject({ state: "published", publishedCount: 2, revision: appr.value.revision + 1 });
    expect((await store.listVersions(b.id)).map((v) => [v.number, v.id])).toEqual([
      [1, id1],
      [2, id2],
    ]);
    expect((await store.getVersion(b.id, 1))?.id).toBe(id1);
    expect(await store.getVersion(b.id, 3)).toBeNull();
    expect((await store.currentVersion(b.departmentId, 2024))?.id).toBe(id2);
    expect(await store.currentVersion(b.departmentId, 2023)).toBeNull();
    expect(await store.listVersions(999_999)).toEqual([]);
  });

  it("publication dates: the region's budgets of the year with their versions' dates, a budget being corrected included", async () => {
    const rc = await region();
    const [d1, d2, d3] = [await department(rc), await department(rc), await department()];
    // d1 2024: published at T1, corrected as version 2 at T2, and now being corrected again (a draft)
    let { budget: b1 } = await publishEmpty(await approved(d1.id, 2024), T1, `pd-${rc}-1`);
    const c1 = await store.transition(b1.id, b1.revision, ["published"], "approved", {}, T1, audit("budget.correct", "budget", String(b1.id)));
    if (!c1.ok) throw new Error(c1.reason);
    ({ budget: b1 } = await publishEmpty(c1.value, T2, `pd-${rc}-2`));
    const again = await store.transition(b1.id, b1.revision, ["published"], "draft", {}, T2, audit("budget.correct", "budget", String(b1.id)));
    if (!again.ok) throw new Error(again.reason);
    // d2 2024: a draft never published; d1 2023 (another year) and d3 2024 (another region) are not listed
    const b2 = await store.createBudget(d2.id, 2024, FIELDS, T0, audit("budget.create", "budget", `${d2.code}/2024`));
    if (!b2.ok) throw new Error(b2.reason);
    await publishEmpty(await approved(d1.id, 2023), T0, `pd-${rc}-2023`);
    await publishEmpty(await approved(d3.id, 2024), T0, `pd-${rc}-other`);
    expect(await store.listPublicationDates(rc, 2024)).toEqual([
      {
        departmentId: d1.id,
        budgetId: b1.id,
        state: "draft",
        publishedCount: 2,
        versions: [
          { number: 1, publishedAt: T1 },
          { number: 2, publishedAt: T2 },
        ],
      },
      { departmentId: d2.id, budgetId: b2.value.id, state: "draft", publishedCount: 0, versions: [] },
    ]);
    expect(await store.listPublicationDates(rc, 2025)).toEqual([]);
  });

  it("current versions of a region: the latest published version of each department's budget of the year, one per department, by code", async () => {
    const rc = await region();
    const [d1, d2, d3, d4, other] = [await department(rc), await department(rc), await department(rc), await department(rc), await department()];
    // d2, published before d1 but listed after it (by code): versions 1, 2 and a correction in progress
    let p2 = await publishEmpty(await approved(d2.id, 2024), T1, `cv-${rc}-2a`);
    const c2 = await store.transition(p2.budget.id, p2.budget.revision, ["published"], "approved", {}, T1, audit("budget.correct", "budget", String(p2.budget.id)));
    if (!c2.ok) throw new Error(c2.reason);
    p2 = await publishEmpty(c2.value, T1, `cv-${rc}-2b`);
    const again = await store.transition(p2.budget.id, p2.budget.revision, ["published"], "draft", {}, T2, audit("budget.correct", "budget", String(p2.budget.id)));
    if (!again.ok) throw new Error(again.reason);
    const p1 = await publishEmpty(await approved(d1.id, 2024), T1, `cv-${rc}-1`);
    // d3: approved, never published; d4: only another year; other: another region
    await approved(d3.id, 2024);
    await publishEmpty(await approved(d4.id, 2023), T1, `cv-${rc}-4`);
    await publishEmpty(await approved(other.id, 2024), T1, `cv-${rc}-other`);
    const got = await store.listCurrentVersions(rc, 2024);
    expect(got.map((x) => [x.department, x.version.id, x.version.number])).toEqual([
      [d1, p1.version.id, 1],
      [d2, p2.version.id, 2],
    ]);
    expect(got[1]!.version).toEqual(await store.currentVersion(d2.id, 2024));
    expect((await store.listCurrentVersions(rc, 2023)).map((x) => x.department.id)).toEqual([d4.id]);
    expect(await store.listCurrentVersions(rc, 2025)).toEqual([]);
  });

  it("publish: a stale revision or an unknown budget writes nothing; a failure inside the write leaves no version", async () => {
    const b = await newBudget("approved");
    const files = [{ path: "disclosure.json", mediaType: "application/json", bytes: enc(`unique ${uniq()}`) }];
    const db = kysely();
    const counts = async () => Promise.all((["blobs", "versions", "version_files", "audit_log"] as const).map((t) => countRows(db, t)));
    const before = await counts();
    const p = { budgetId: b.id, expectedRevision: b.revision - 1, id: sha(enc(`v ${uniq()}`)), reason: null, changeLogJson: null, files };
    expect(await store.publishVersion(p, T1, null, audit("budget.publish", "budget", String(b.id)))).toEqual({ ok: false, reason: "conflict" });
    expect(await store.publishVersion({ ...p, budgetId: 999_999 }, T1, null, audit("budget.publish", "budget", "999999"))).toEqual({ ok: false, reason: "not_found" });
    // two files at one path: the file list's insert fails after the blobs, the version and the budget were written
    const broken = { ...p, expectedRevision: b.revision, files: [...files, { path: "disclosure.json", mediaType: "text/plain", bytes: enc("other") }] };
    await expect(store.publishVersion(broken, T1, null, audit("budget.publish", "budget", String(b.id)))).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(await store.getBudget(b.id)).toEqual(b);
    expect(await store.listVersions(b.id)).toEqual([]);
    // and the store still works afterwards
    const ok = await store.publishVersion({ ...p, expectedRevision: b.revision }, T1, null, audit("budget.publish", "budget", String(b.id)));
    expect(ok.ok && ok.value.number).toBe(1);
  });

  it("listBudgets filters by department, region, year and state, ordered by department code then year", async () => {
    const rc = await region();
    const other = await region();
    const d2 = await store.createDepartment({ regionCode: rc, code: "B02", name: "乙" });
    const d1 = await store.createDepartment({ regionCode: rc, code: "A01", name: "甲" });
    const d3 = await store.createDepartment({ regionCode: other, code: "A00", name: "丙" });
    const mk = async (d: number, y: number) => {
      const r = await store.createBudget(d, y, FIELDS, T0, audit("budget.create", "budget", `${d}/${y}`));
      if (!r.ok) throw new Error(r.reason);
      return r.value;
    };
    const b22 = await mk(d2.id, 2024);
    const b21 = await mk(d2.id, 2023);
    const b12 = await mk(d1.id, 2024);
    const b3 = await mk(d3.id, 2024);
    const sub = await store.transition(b21.id, b21.revision, ["draft"], "submitted", {}, T1, audit("budget.submit", "budget", String(b21.id)));
    if (!sub.ok) throw new Error(sub.reason);
    expect(ids(await store.listBudgets({ regionCode: rc }))).toEqual([b12.id, b21.id, b22.id]);
    expect(ids(await store.listBudgets({ regionCode: rc, year: 2024 }))).toEqual([b12.id, b22.id]);
    expect(ids(await store.listBudgets({ departmentId: d2.id }))).toEqual([b21.id, b22.id]);
    // a listing carries all but the YAML and the findings
    const { sourceYaml: _y, findingsJson: _f, ...summary } = sub.value;
    expect(await store.listBudgets({ regionCode: rc, state: "submitted" })).toEqual([summary]);
    expect(ids(await store.listBudgets({ regionCode: other }))).toEqual([b3.id]);
    expect(await store.listBudgets({ regionCode: rc, state: "published" })).toEqual([]);
    const everything = ids(await store.listBudgets({}));
    expect(everything).toEqual(expect.arrayContaining([b12.id, b21.id, b22.id, b3.id]));
  });

  it("the audit log: newest first, filtered, 100 by default and at most 1000", async () => {
    const entity = `bulk${uniq()}`;
    const rows = Array.from({ length: 1005 }, (_, i) => ({ at: T0, user_id: i % 2, action: "bulk", entity, entity_id: String(i), before: null, after: null }));
    for (let i = 0; i < rows.length; i += 250) await kysely().insertInto("audit_log").values(rows.slice(i, i + 250)).execute();
    const page = await store.listAudit({ entity });
    expect(page).toHaveLength(100);
    expect(page[0]?.entityId).toBe("1004");
    expect(page.map((a) => a.id)).toEqual(page.map((a) => a.id).sort((x, y) => y - x));
    expect(await store.listAudit({ entity, limit: 5000 })).toHaveLength(1000);
    expect((await store.listAudit({ entity, limit: 3 })).map((a) => a.entityId)).toEqual(["1004", "1003", "1002"]);
    expect((await store.listAudit({ entity, userId: 1, limit: 2 })).map((a) => a.entityId)).toEqual(["1003", "1001"]);
    expect(await store.listAudit({ entity, entityId: "7" })).toEqual([{ id: expect.any(Number), at: T0, userId: 1, action: "bulk", entity, entityId: "7", before: null, after: null }]);
    expect(await store.listAudit({ entity: "no such entity" })).toEqual([]);
  });

  it("settings: get, set and overwrite", async () => {
    const key = `k${uniq()}`;
    expect(await store.getMeta(key)).toBeNull();
    await store.setMeta(key, "reference");
    expect(await store.getMeta(key)).toBe("reference");
    await store.setMeta(key, "done");
    expect(await store.getMeta(key)).toBe("done");
  });

  // the public search: the reference published through the real path, hostile queries, a correction, the backfill
  searchContract(() => store, () => `66${uniq().padStart(4, "0")}`, backend.name);

  it.runIf(backend.name !== "pglite")("a process killed (SIGKILL) while publishing leaves each version whole or absent", async () => {
    const rc = await region();
    for (let round = 0; round < 3; round++) {
      // node itself with tsx's loader (not the tsx command, which would run it in a second process the kill misses)
      const child = spawn(process.execPath, ["--import", "tsx", join(HERE, "publish-loop.fixture.ts"), JSON.stringify(backend.config()), rc], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      });
      let out = "";
      let err = "";
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
      const target = 1 + round;
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes(`published ${target}\n`)) resolve();
        });
        void exited.then(() => reject(new Error(`the publishing process ended early: ${err}`)));
      });
      // somewhere inside the next publish (each writes 24 files of 256 KiB)
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 60)));
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
    }
    const departments = await store.listDepartments(rc);
    expect(departments.length).toBeGreaterThanOrEqual(4);
    let published = 0;
    for (const d of departments) {
      const b = await store.findBudget(d.id, 2024);
      if (!b) continue;
      const versions = await store.listVersions(b.id);
      if (b.state === "published") {
        published++;
        expect(versions).toHaveLength(1);
        const files = await store.listVersionFiles(versions[0]?.id ?? "");
        expect(files).toHaveLength(24);
        expect(files.every((f) => f.size === 256 * 1024)).toBe(true);
        const last = await store.readVersionFile(versions[0]?.id ?? "", "f23.bin");
        expect(last && sha(last.bytes)).toBe(last?.file.sha256);
      } else {
        expect(versions).toEqual([]);
        expect(b.publishedCount).toBe(0);
      }
    }
    expect(published).toBeGreaterThanOrEqual(1 + 2 + 3);
    const orphans = await kysely()
      .selectFrom("version_files")
      .leftJoin("blobs", "blobs.sha256", "version_files.sha256")
      .select("version_files.path")
      .where("blobs.sha256", "is", null)
      .execute();
    expect(orphans).toEqual([]);
  });

  it.runIf(backend.name === "sqlite")("SQLite: the data outlives the process's store (reopen), and a backup restores it", async () => {
    const key = `persist${uniq()}`;
    await store.setMeta(key, "kept");
    const u = await newUser();
    await store.close();
    store = await openStore({ kind: "sqlite", file: sqliteFile });
    expect(await store.migrate()).toEqual([]);
    expect(await store.getMeta(key)).toBe("kept");
    expect(await store.findUser(u.username)).toEqual(u);

    const backup = join(tmp, "backups", "store.backup.db");
    await backupSqlite(sqliteFile, backup);
    await store.setMeta(key, "after the backup");
    await store.close();
    await restoreSqlite(backup, sqliteFile);
    expect(existsSync(`${sqliteFile}-wal`)).toBe(false);
    store = await openStore({ kind: "sqlite", file: sqliteFile });
    expect(await store.migrate()).toEqual([]);
    expect(await store.getMeta(key)).toBe("kept");
    expect(await store.findUser(u.username)).toEqual(u);
  });
});

describe("a database made before the search migration", () => {
  backfillAfterMigration("SQLite", async () => ({ config: { kind: "sqlite", file: join(tmp, "pre-search", "store.db") }, cleanup: async () => {} }));
  backfillAfterMigration("PGlite", async () => ({ config: { kind: "pglite" }, cleanup: async () => {} }));
  if (PG_URL) backfillAfterMigration("PostgreSQL", () => freshPostgresDatabase(PG_URL, "gongkai_test_pre_search"));
});

describe("PGlite in a data folder", () => {
  it("keeps the data when reopened", async () => {
    const dataDir = join(tmp, "pglite-data");
    const a = await openStore({ kind: "pglite", dataDir });
    expect(await a.migrate()).toEqual([MIGRATION, SEARCH_MIGRATION]);
    await a.setMeta("seed", "done");
    await a.close();
    const b = await openStore({ kind: "pglite", dataDir });
    try {
      expect(b.kind).toBe("pglite");
      expect(await b.migrate()).toEqual([]);
      expect(await b.getMeta("seed")).toBe("done");
    } finally {
      await b.close();
    }
  });
});

describe("SQLite backups refuse what is not a store", () => {
  it("a SQLite file without the store's migrations, a text file, a missing file", async () => {
    const target = join(tmp, "restore-target.db");
    writeFileSync(target, "");
    const foreign = join(tmp, "foreign.db");
    const db = new Database(foreign);
    db.exec("create table t (x)");
    db.close();
    await expect(restoreSqlite(foreign, target)).rejects.toThrow(/不是公开平台的数据库.*gongkai_migration.*not a Gongkai platform database/);
    const text = join(tmp, "notes.txt");
    writeFileSync(text, "这不是数据库，只是一段足够长的文字，用来占满 SQLite 文件头的一百个字节。".repeat(4));
    await expect(restoreSqlite(text, target)).rejects.toThrow(/不是有效的 SQLite 数据库.*not a valid SQLite database/);
    await expect(restoreSqlite(join(tmp, "missing.db"), target)).rejects.toThrow(/无法读取备份.*cannot read the backup/);
    await expect(backupSqlite(join(tmp, "missing.db"), join(tmp, "b.db"))).rejects.toThrow(/无法打开数据库.*cannot open the database/);
  });
});

describe("openStore reports a bad configuration in plain words", () => {
  it("an unwritable SQLite path", async () => {
    const blocker = join(tmp, "a-file");
    writeFileSync(blocker, "x");
    const err = await openStore({ kind: "sqlite", file: join(blocker, "db", "gongkai.db") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^无法打开数据库 .*a-file\/db\/gongkai\.db：路径中有一部分不是文件夹 \/ cannot open the database .*: a part of the path is not a folder$/);
  });

  it("a file that is not a database", async () => {
    const file = join(tmp, "not-a-db.db");
    writeFileSync(file, "plain text, long enough to be read as a database header by SQLite ........................ end");
    await expect(openStore({ kind: "sqlite", file })).rejects.toThrow(/无法打开数据库 .*不是 SQLite 数据库 \/ cannot open the database .*not a SQLite database/);
  });

  it("an unreachable PostgreSQL server, without its password", async () => {
    const err = await openStore({ kind: "postgres", url: "postgres://someone:s3cret@127.0.0.1:1/nothing" }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^无法打开数据库 postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nothing：连接被拒绝.* \/ cannot open the database .*: connection refused/);
    expect((err as Error).message).not.toContain("s3cret");
  });

  it("storeConfigFromEnv: DATABASE_URL for PostgreSQL, else SQLite at GONGKAI_DB or ./var/gongkai.db", () => {
    expect(storeConfigFromEnv({ DATABASE_URL: "postgres://u:p@h/db" })).toEqual({ kind: "postgres", url: "postgres://u:p@h/db" });
    expect(storeConfigFromEnv({ DATABASE_URL: "postgresql://h/db", GONGKAI_DB: "/x.db" })).toEqual({ kind: "postgres", url: "postgresql://h/db" });
    expect(storeConfigFromEnv({ DATABASE_URL: "mysql://h/db", GONGKAI_DB: "/data/g.db" })).toEqual({ kind: "sqlite", file: "/data/g.db" });
    expect(storeConfigFromEnv({})).toEqual({ kind: "sqlite", file: "./var/gongkai.db" });
  });
});
