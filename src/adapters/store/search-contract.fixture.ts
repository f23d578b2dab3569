/**
 * The public search's part of the store contract suite (platform-store.db.test.ts calls `searchContract` once per
 * store: SQLite, PGlite and, with DATABASE_URL_TEST, PostgreSQL). The reference department is published through the
 * real path (upload → submit → approve → publish, rendering every file), and a copy of it whose classified project
 * has a public label without its code; then queries, hostile ones included, a correction and the backfill.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { Kysely } from "kysely";
import { Migrator } from "./kysely-runtime.ts";
import { beforeAll, describe, expect, it } from "vitest";
import * as service from "../../app/platform/platform-service.ts";
import type { PlatformStore, SearchGroup, SearchKind, UserRow, VersionRow } from "../../app/platform/platform-store.ts";
import { backfillSearchIndex, SEARCH_BACKFILL_META_KEY, searchEntriesOf, searchPublished } from "../../app/platform/search-index.ts";
import { buildDisclosure } from "../../app/build-disclosure.ts";
import { formatCell, formatYuan, WAN_YUAN_2DP } from "../../domain/money.ts";
import { createPlatformDeps, readUpload } from "../platform/platform-deps.ts";
import { projectData } from "../ingest/project-data.ts";
import { renderBuild } from "../render/build-outputs.ts";
import { countRows, KyselyPlatformStore, type StoreDatabase } from "./kysely-store.ts";
import { openStore, type StoreConfig } from "./open-store.ts";
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, storeMigrations } from "./store-migrations.ts";

const ROOT = join(import.meta.dirname, "../../..");
export const REFERENCE_YAML = readFileSync(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"), "utf8");
/** the reference's classified project: its real name (input only) and its code */
export const SECRET_NAME = "信访维稳专项经费";
const SECRET_CODE = "8910002U";
const PUBLIC_LABEL_IN_REFERENCE = `public_label: 特定目标 ${SECRET_CODE}`;

/** The reference with its classified project's public label not naming its code. */
export function classifiedVariant(): string {
  if (!REFERENCE_YAML.includes(PUBLIC_LABEL_IN_REFERENCE) || !REFERENCE_YAML.includes(`name: ${SECRET_NAME}`)) throw new Error("the reference's classified project changed");
  return REFERENCE_YAML.replace(PUBLIC_LABEL_IN_REFERENCE, "public_label: 特定目标项目甲");
}

const kindOf = (groups: readonly SearchGroup[], kind: SearchKind) => groups.find((g) => g.kind === kind)!;
const totalOf = (groups: readonly SearchGroup[]) => groups.reduce((n, g) => n + g.total, 0);

export const HOSTILE_QUERIES = [
  "'; DROP TABLE gongkai_budget; --",
  "'; DROP TABLE budgets; --",
  '" OR 1=1',
  "' OR '1'='1",
  "NEAR(a b)",
  "*",
  '信访" OR "x',
  "<script>alert(1)</script>",
  '"',
  "",
  "   ",
  "信".repeat(100),
  "\\",
  "a:* & !b",
] as const;

/** upload → submit → approve → publish, as `user` (an administrator may do every step) */
async function publishThrough(store: PlatformStore, user: UserRow, departmentId: number, yaml: string, reason?: string): Promise<VersionRow> {
  const deps = createPlatformDeps(store);
  const existing = await store.findBudget(departmentId, 2024);
  if (existing && existing.state === "published") {
    const c = await service.startCorrection(deps, user, { budgetId: existing.id, expectedRevision: existing.revision });
    if (!c.ok) throw new Error(JSON.stringify(c.error));
  }
  const draft = await store.findBudget(departmentId, 2024);
  const up = await service.uploadBudget(deps, user, { departmentId, year: 2024, fileName: "budget.yaml", bytes: new TextEncoder().encode(yaml), ...(draft ? { expectedRevision: draft.revision } : {}) });
  if (!up.ok) throw new Error(JSON.stringify(up.error));
  const sub = await service.submitBudget(deps, user, { budgetId: up.value.budget.id, expectedRevision: up.value.budget.revision, acknowledgement: "已阅" });
  if (!sub.ok) throw new Error(JSON.stringify(sub.error));
  const app = await service.approveBudget(deps, user, { budgetId: sub.value.id, expectedRevision: sub.value.revision });
  if (!app.ok) throw new Error(JSON.stringify(app.error));
  const pub = await service.publishBudget(deps, user, { budgetId: app.value.id, expectedRevision: app.value.revision, ...(reason ? { reason } : {}) });
  if (!pub.ok) throw new Error(JSON.stringify(pub.error));
  return pub.value;
}

async function setUpRegion(store: PlatformStore, code: string, parentCode: string | null, name: string): Promise<void> {
  await store.putRegion({ code, parentCode, name });
  await store.putRegionYear({ regionCode: code, year: 2024, templateId: "xinjiang-2024", catalogOfficial: false, approvalDate: "2024-01-19" });
}

/**
 * Registers the search tests of one store. `store()` is the suite's open store (the suite may reopen it); `regionCode()`
 * a fresh 6-digit region code; `name` the backend.
 */
export function searchContract(store: () => PlatformStore, regionCode: () => string, name: "sqlite" | "pglite" | "postgres"): void {
  const s = store;
  const find = (q: string, filter: { regionCode?: string; year?: number } = {}) => searchPublished(s(), { q, ...filter });
  describe("search", () => {
    let top: string;
    let ra: string;
    let rb: string;
    let admin: UserRow;
    let va: VersionRow;
    let vb: VersionRow;
    let budgetA: number;

    beforeAll(async () => {
      // a region with the reference department under it (ra), and the classified copy in another (rb) under the same top
      top = regionCode();
      ra = regionCode();
      rb = regionCode();
      await s().putRegion({ code: top, parentCode: null, name: "测试自治区" });
      await setUpRegion(s(), ra, top, "测试甲州");
      await setUpRegion(s(), rb, top, "测试乙州");
      const u = await s().createUser(
        { username: `search-admin-${ra}`, displayName: "检索测试管理员", role: "admin", departmentId: null, regionCode: null, passwordHash: "x" },
        { userId: null, action: "user.create", entity: "user", entityId: `search-admin-${ra}`, before: null, after: null },
      );
      if (!u.ok) throw new Error(u.reason);
      admin = u.value;
      const da = await s().createDepartment({ regionCode: ra, code: "415001", name: "昌吉回族自治州信访局" });
      const db = await s().createDepartment({ regionCode: rb, code: "415001", name: "昌吉回族自治州信访局" });
      va = await publishThrough(s(), admin, da.id, REFERENCE_YAML);
      vb = await publishThrough(s(), admin, db.id, classifiedVariant());
      budgetA = va.budgetId;
    }, 180_000);

    it("信访 finds the department (with its region, year and total), in each region it is published in", async () => {
      const r = await find("信访", { regionCode: ra });
      const deps = kindOf(r.groups, "department");
      expect(deps.total).toBe(1);
      expect(deps.hits[0]).toMatchObject({ kind: "department", code: "415001", name: "昌吉回族自治州信访局", regionCode: ra, regionName: "测试甲州", departmentCode: "415001", year: 2024, versionId: va.id, versionNumber: 1, figure: "exp.all.total" });
      // 支出总计 of the reference: 551.44 万元
      expect(formatCell(deps.hits[0]!.amountFen!, WAN_YUAN_2DP)).toBe("551.44");
      expect(kindOf(r.groups, "unit").hits.map((h) => h.name)).toEqual(["昌吉回族自治州信访局"]);
      // the region filter takes the regions under it; a year filter narrows
      expect(kindOf((await find("信访", { regionCode: top })).groups, "department").hits.map((h) => h.regionCode)).toEqual([ra, rb]);
      expect(kindOf((await find("信访", { regionCode: rb })).groups, "department").hits.map((h) => h.regionCode)).toEqual([rb]);
      expect(totalOf((await find("信访", { regionCode: ra, year: 2023 })).groups)).toBe(0);
      expect(kindOf((await find("信访", { regionCode: ra, year: 2024 })).groups, "department").total).toBe(1);
      expect(totalOf((await find("信访", { regionCode: "999999" })).groups)).toBe(0);
    });

    it("2010301 finds the 行政运行 line and its amount, 231.52 万元 = 2315200.00 元; 20103 the 项 of its 款; 30217 公务接待费", async () => {
      const r = await find("2010301", { regionCode: ra });
      const f = kindOf(r.groups, "function");
      expect(f.total).toBe(1);
      expect(f.hits[0]).toMatchObject({ kind: "function", code: "2010301", name: "行政运行（项）", figure: "func.2010301", regionCode: ra, year: 2024 });
      expect(f.hits[0]!.amountFen).toBe(231_520_000n);
      expect(formatCell(f.hits[0]!.amountFen!, WAN_YUAN_2DP)).toBe("231.52");
      expect(formatYuan(f.hits[0]!.amountFen!)).toBe("2315200.00");
      expect(totalOf(r.groups)).toBe(1);
      // the full-width form of the code is the same query
      expect(kindOf((await find("２０１０３０１", { regionCode: ra })).groups, "function").hits.map((h) => h.code)).toEqual(["2010301"]);
      expect(kindOf((await find("20103", { regionCode: ra })).groups, "function").hits.map((h) => h.code)).toEqual(["2010301", "2010350", "2010399"]);
      // the 类 201 and every line under it; 2010302 (zero this year) is not a line
      expect(kindOf((await find("201", { regionCode: ra })).groups, "function").hits.map((h) => h.code)).toEqual(["201", "2010301", "2010350", "2010399", "2014004"]);
      expect(totalOf((await find("2010302", { regionCode: ra })).groups)).toBe(0);
      const e = kindOf((await find("30217", { regionCode: ra })).groups, "economic");
      expect(e.hits.map((h) => [h.code, h.name, h.figure, formatYuan(h.amountFen!)])).toEqual([["30217", "公务接待费", "econ_operating.30217", "2500.00"]]);
    });

    it("two-character queries and one-character ones (a prefix of the pairs)", async () => {
      const run = await find("运行", { regionCode: ra });
      expect(kindOf(run.groups, "function").hits.map((h) => h.code)).toEqual(["2010301", "2010350"]);
      expect(kindOf(run.groups, "economic").hits.map((h) => h.code)).toEqual(["30231"]);
      expect(kindOf((await find("接待", { regionCode: ra })).groups, "economic").hits.map((h) => h.code)).toEqual(["30217"]);
      expect(kindOf((await find("业务经费", { regionCode: ra })).groups, "project").hits.map((h) => [h.code, h.name, formatYuan(h.amountFen!)])).toEqual([["P2024001", "信访工作业务经费", "760000.00"]]);
      expect(kindOf((await find("局", { regionCode: ra })).groups, "department").total).toBe(1);
      // all terms must match
      expect(totalOf((await find("信访 北京", { regionCode: ra })).groups)).toBe(0);
    });

    it("a classified project: its public label finds it, its real name and code find nothing (disclosure.json holds neither)", async () => {
      const file = await s().readVersionFile(vb.id, "disclosure.json");
      const text = new TextDecoder().decode(file!.bytes);
      expect(text).toContain("特定目标项目甲");
      expect(text).not.toContain(SECRET_NAME);
      expect(text).not.toContain(SECRET_CODE);
      // the secret is in the stored budget (so a search that read it would find it)
      expect((await s().getBudget(vb.budgetId))!.sourceYaml).toContain(SECRET_NAME);
      const label = kindOf((await find("特定目标", { regionCode: rb })).groups, "project");
      expect(label.hits.map((h) => [h.code, h.name, formatYuan(h.amountFen!)])).toEqual([["", "特定目标项目甲", "550000.00"]]);
      for (const q of [SECRET_NAME, "维稳", "维稳专项"]) expect(totalOf((await find(q)).groups), q).toBe(0);
      expect(totalOf((await find(SECRET_CODE, { regionCode: rb })).groups)).toBe(0);
      // in the reference, whose label names the code, the code finds the label only
      expect(kindOf((await find(SECRET_CODE, { regionCode: ra })).groups, "project").hits.map((h) => [h.code, h.name])).toEqual([["", `特定目标 ${SECRET_CODE}`]]);
      const entries = searchEntriesOf(file!.bytes);
      expect(entries.ok && entries.entries.filter((e) => e.kind === "project").map((e) => e.code)).toEqual(["P2024001", ""]);
    });

    it("queries of SQL or script are harmless: no error, no match from syntax, the tables intact", async () => {
      const before = await Promise.all((["budgets", "versions", "search_entries", "departments"] as const).map((t) => countRows((s() as KyselyPlatformStore).db, t)));
      for (const q of HOSTILE_QUERIES) expect(totalOf((await find(q)).groups), JSON.stringify(q)).toBe(0);
      // the store quotes even terms that the tokenizer would never make
      const raw = [
        { text: '" OR 1=1 --', prefix: false },
        { text: "'; DROP TABLE budgets; --", prefix: true },
        { text: "NEAR(a b)", prefix: false },
        { text: "*", prefix: true },
        { text: "a' | 'b", prefix: false },
        { text: "\\'", prefix: true },
        { text: ":*", prefix: false },
      ];
      for (const t of raw) expect(totalOf(await s().search([t], {}, 50)), t.text).toBe(0);
      expect(totalOf(await s().search(raw, {}, 50))).toBe(0);
      expect(totalOf(await s().search([], {}, 50))).toBe(0);
      // a hostile term with a real one: still AND
      expect(totalOf(await s().search([{ text: "信访", prefix: false }, { text: '" OR "', prefix: false }], {}, 50))).toBe(0);
      const after = await Promise.all((["budgets", "versions", "search_entries", "departments"] as const).map((t) => countRows((s() as KyselyPlatformStore).db, t)));
      expect(after).toEqual(before);
      expect(kindOf((await find("信访", { regionCode: ra })).groups, "department").total).toBe(1);
    });

    it("hits are capped per kind, the total counted in full", async () => {
      const capped = await searchPublished(s(), { q: "201", regionCode: ra, limitPerKind: 2 });
      const f = kindOf(capped.groups, "function");
      expect(f.total).toBe(5);
      expect(f.hits.map((h) => h.code)).toEqual(["201", "2010301"]);
    });

    it("a correction replaces the entries of the version it corrects", async () => {
      const renamed = REFERENCE_YAML.replace("name: 信访工作业务经费", "name: 信访工作专项经费");
      expect(renamed).not.toBe(REFERENCE_YAML);
      const v2 = await publishThrough(s(), admin, (await s().getBudget(budgetA))!.departmentId, renamed, "更正项目名称");
      expect(v2.number).toBe(2);
      expect(totalOf((await find("业务经费", { regionCode: ra })).groups)).toBe(0);
      const p = kindOf((await find("工作专项", { regionCode: ra })).groups, "project");
      expect(p.hits.map((h) => [h.code, h.name, h.versionId, h.versionNumber])).toEqual([["P2024001", "信访工作专项经费", v2.id, 2]]);
      const every = await find("信访", { regionCode: ra });
      expect(every.groups.flatMap((g) => g.hits).every((h) => h.versionId === v2.id)).toBe(true);
      const db = (s() as KyselyPlatformStore).db;
      const left = await db.selectFrom("search_entries").select("version_id").where("budget_id", "=", budgetA).execute();
      expect(left.length).toBeGreaterThan(10);
      expect(new Set(left.map((r) => r.version_id))).toEqual(new Set([v2.id]));
      // the version it corrects can no longer be indexed
      const old = await s().readVersionFile(va.id, "disclosure.json");
      const entries = searchEntriesOf(old!.bytes);
      if (!entries.ok) throw new Error(entries.reason);
      expect(await s().indexVersion(va.id, entries.entries)).toBe(false);
      expect(totalOf((await find("业务经费", { regionCode: ra })).groups)).toBe(0);
      va = v2;
    });

    it("the backfill indexes a current version that has no entries, once", async () => {
      const db = (s() as KyselyPlatformStore).db;
      // as a version published before the search migration: no entry
      if (name === "sqlite") await db.deleteFrom("search_fts").where("rowid", "in", db.selectFrom("search_entries").select("id").where("budget_id", "=", budgetA)).execute();
      await db.deleteFrom("search_entries").where("budget_id", "=", budgetA).execute();
      await db.deleteFrom("meta").where("key", "=", SEARCH_BACKFILL_META_KEY).execute();
      expect(totalOf((await find("信访", { regionCode: ra })).groups)).toBe(0);
      const unindexed: string[] = [];
      for (let after: string | null = null; ; ) {
        const batch = await s().listUnindexedVersions(after, 2);
        if (batch.length === 0) break;
        unindexed.push(...batch.map((v) => v.id));
        after = batch[batch.length - 1]!.id;
      }
      expect(unindexed).toContain(va.id);
      expect(unindexed).not.toContain(vb.id);
      const r = await backfillSearchIndex(s());
      expect(r.skipped).toBe(false);
      expect(r.indexed).toBeGreaterThanOrEqual(1);
      const dept = kindOf((await find("信访", { regionCode: ra })).groups, "department");
      expect(dept.hits.map((h) => [h.versionId, h.versionNumber])).toEqual([[va.id, 2]]);
      expect(kindOf((await find("2010301", { regionCode: ra })).groups, "function").hits[0]!.amountFen).toBe(231_520_000n);
      expect((await s().listUnindexedVersions(null, 1000)).map((v) => v.id)).not.toContain(va.id);
      expect(await s().getMeta(SEARCH_BACKFILL_META_KEY)).not.toBeNull();
      expect(await backfillSearchIndex(s())).toEqual({ indexed: 0, failed: 0, skipped: true });
    });
  });
}

const FIRST_MIGRATION = "2026-12-03-001-platform";
export const SEARCH_MIGRATION = "2026-12-04-002-search";

/** A store made before the search migration: only the first migration ran. */
async function migrateToFirst(store: PlatformStore): Promise<void> {
  const db = (store as KyselyPlatformStore).db;
  const all = await storeMigrations(store.kind).getMigrations();
  const first = all[FIRST_MIGRATION];
  if (!first) throw new Error("the first migration is gone");
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ [FIRST_MIGRATION]: first }) }, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
  const r = await migrator.migrateToLatest();
  if (r.error) throw r.error;
}

/** The reference's disclosure.json, as `gongkai build --format json` writes it. */
async function referenceDisclosureJson(): Promise<Uint8Array> {
  const read = await readUpload("budget.yaml", new TextEncoder().encode(REFERENCE_YAML));
  if (!read.ok) throw new Error("reference unreadable");
  const built = buildDisclosure(projectData, read.budget);
  if (!built.ok) throw new Error("reference refused");
  const files = await renderBuild(built.result, built.result.findings, ["json"]);
  const f = files.find((x) => x.path === "disclosure.json")!;
  return typeof f.content === "string" ? new TextEncoder().encode(f.content) : f.content;
}

/**
 * A database made before the search migration, with a version published then (its rows written as the store wrote
 * them before): the migration runs, the backfill indexes the version, and the search finds it.
 */
export function backfillAfterMigration(label: string, config: () => Promise<{ config: StoreConfig; cleanup: () => Promise<void> }>): void {
  it(`${label}: a version published before the search migration is found after the migration and the backfill`, async () => {
    const { config: cfg, cleanup } = await config();
    const store = await openStore(cfg);
    try {
      await migrateToFirst(store);
      const db: Kysely<StoreDatabase> = (store as KyselyPlatformStore).db;
      await store.putRegion({ code: "652300", parentCode: null, name: "昌吉回族自治州" });
      const d = await store.createDepartment({ regionCode: "652300", code: "415001", name: "昌吉回族自治州信访局" });
      const fields = { sourceName: "budget.yaml", sourceYaml: REFERENCE_YAML, findingsJson: "[]", errorCount: 0, warningCount: 0 };
      const b = await store.createBudget(d.id, 2024, fields, "2024-02-01T00:00:00.000Z", { userId: null, action: "budget.create", entity: "budget", entityId: "x", before: null, after: null });
      if (!b.ok) throw new Error(b.reason);
      const bytes = await referenceDisclosureJson();
      const sha = createHash("sha256").update(bytes).digest("hex");
      await db.updateTable("budgets").set({ state: "published", published_count: 1 }).where("id", "=", b.value.id).execute();
      await db.insertInto("blobs").values({ sha256: sha, bytes: Buffer.from(bytes), size: bytes.byteLength }).execute();
      await db.insertInto("versions").values({ id: sha, budget_id: b.value.id, number: 1, published_at: "2024-02-02T00:00:00.000Z", published_by: null, reason: null, change_log_json: null }).execute();
      await db.insertInto("version_files").values({ version_id: sha, path: "disclosure.json", media_type: "application/json; charset=utf-8", sha256: sha }).execute();

      expect(await store.migrate()).toContain(SEARCH_MIGRATION);
      expect(totalOf(await store.search([{ text: "信访", prefix: false }], {}, 50))).toBe(0);
      expect(await backfillSearchIndex(store)).toEqual({ indexed: 1, failed: 0, skipped: false });
      const r = await searchPublished(store, { q: "信访" });
      expect(kindOf(r.groups, "department").hits.map((h) => [h.departmentCode, h.regionName, h.versionId])).toEqual([["415001", "昌吉回族自治州", sha]]);
      expect(kindOf((await searchPublished(store, { q: "2010301" })).groups, "function").hits.map((h) => formatYuan(h.amountFen!))).toEqual(["2315200.00"]);
      expect((await backfillSearchIndex(store)).skipped).toBe(true);
    } finally {
      await store.close();
      await cleanup();
    }
  }, 120_000);
}

/**
 * A fresh PostgreSQL database beside the test database (the CI role may create databases), as a store configuration;
 * dropped afterwards. (Not a schema: Kysely's Migrator finds its tables by name in any schema.)
 */
export async function freshPostgresDatabase(url: string, name: string): Promise<{ config: StoreConfig; cleanup: () => Promise<void> }> {
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { config: { kind: "postgres", url: u.toString() }, cleanup: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
