/**
 * Shared by publish-sigkill.sqlite.test.ts and publish-sigkill.pg.test.ts: the real server (src/adapters/web/main.ts,
 * a child process) is SIGKILLed at seeded random points of `POST /api/v1/workspace/budgets/:id/publish`, once per
 * department, and after every kill the store must hold either the old state (approved, no version) or the new one
 * (published, one version with every file of a build, each file's bytes matching its hash and size).
 *
 * Setup goes through the store and the use cases in the test process; every publish goes through a fresh server
 * process, so that each kill lands in a cold rebuild, render and transaction exactly like the measured one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "../../src/adapters/store/kysely-runtime.ts";
import { expect } from "vitest";
import type { PlatformStore, UserRow } from "../../src/app/platform/platform-store.ts";
import { approveBudget, submitBudget, uploadBudget } from "../../src/app/platform/platform-service.ts";
import { hashPassword, newToken, tokenHash } from "../../src/adapters/auth/password-hash.ts";
import { createPlatformDeps } from "../../src/adapters/platform/platform-deps.ts";
import { openStore, type StoreConfig } from "../../src/adapters/store/open-store.ts";
import { countRows, KyselyPlatformStore } from "../../src/adapters/store/kysely-store.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, "../..");
const REFERENCE_YAML = join(ROOT, "examples/changji-xinfang-2024/budget.yaml");
const REGION = "652300";
const YEAR = 2024;

export interface SigkillBackend {
  readonly name: "sqlite" | "postgres";
  /** how the test process opens the store */
  readonly config: StoreConfig;
  /** what tells the server process the same store (GONGKAI_DB or DATABASE_URL) */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** waits until the killed server's writes have settled (PostgreSQL: its connections are gone) */
  readonly settle?: () => Promise<void>;
}

export interface SigkillOptions {
  readonly seed: number;
  readonly kills: number;
  /**
   * kill delays are uniform in [lo·T, hi·T] after the request is sent, T the measured publish's duration, kept up to
   * date by what each kill shows (the machine's load changes while the suite runs)
   */
  readonly lo: number;
  readonly hi: number;
  readonly log?: (line: string) => void;
}

export type Outcome = "old" | "new";

export interface KillRecord {
  readonly department: string;
  readonly delayMs: number;
  /** the publish's duration (ms) when the server answered before the kill */
  readonly answeredMs: number | null;
  /** the estimate of a publish's duration the delay was drawn from */
  readonly estimateMs: number;
  readonly outcome: Outcome;
}

export interface SigkillReport {
  readonly measuredMs: number;
  readonly filesPerVersion: number;
  readonly kills: readonly KillRecord[];
  readonly old: number;
  readonly new: number;
  readonly setupMs: number;
  readonly totalMs: number;
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1) */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const departmentCode = (i: number) => String(416000 + i);

interface Prepared {
  readonly budgets: readonly { code: string; budgetId: number; revision: number }[];
  readonly token: string;
}

/** region, year, one admin with an API token, and `count` departments each with an approved 2024 budget */
async function prepare(store: PlatformStore, count: number): Promise<Prepared> {
  await store.migrate();
  await store.putRegion({ code: "650000", parentCode: null, name: "新疆维吾尔自治区" });
  await store.putRegion({ code: REGION, parentCode: "650000", name: "昌吉回族自治州" });
  await store.putRegionYear({ regionCode: REGION, year: YEAR, templateId: "xinjiang-2024", catalogOfficial: false, approvalDate: "2024-01-19" });
  const created = await store.createUser(
    { username: "sigkill-admin", displayName: "管理员", role: "admin", departmentId: null, regionCode: null, passwordHash: await hashPassword(newToken()) },
    { userId: null, action: "user.create", entity: "user", entityId: "sigkill-admin", before: null, after: null },
  );
  if (!created.ok) throw new Error(`createUser: ${created.reason}`);
  const admin: UserRow = created.value;
  const token = newToken();
  await store.createApiToken(
    { name: "sigkill", userId: admin.id, tokenHash: tokenHash(token), createdAt: new Date().toISOString(), createdBy: admin.id },
    { userId: admin.id, action: "token.create", entity: "token", entityId: "sigkill", before: null, after: null },
  );
  const yaml = readFileSync(REFERENCE_YAML, "utf8");
  const codeLine = '  code: "415001"\n';
  expect(yaml.split(codeLine).length, "the reference budget's department code line").toBe(2);
  const deps = createPlatformDeps(store);
  const budgets: { code: string; budgetId: number; revision: number }[] = [];
  for (let i = 0; i < count; i++) {
    const code = departmentCode(i);
    const d = await store.createDepartment({ regionCode: REGION, code, name: `测试部门 ${code}` });
    const bytes = new TextEncoder().encode(yaml.replace(codeLine, `  code: "${code}"\n`));
    const up = await uploadBudget(deps, admin, { departmentId: d.id, year: YEAR, fileName: "budget.yaml", bytes });
    if (!up.ok) throw new Error(`upload ${code}: ${JSON.stringify(up.error)}`);
    expect(up.value.budget.errorCount, `department ${code}: the check finds no error`).toBe(0);
    const sub = await submitBudget(deps, admin, {
      budgetId: up.value.budget.id,
      expectedRevision: up.value.budget.revision,
      ...(up.value.budget.warningCount > 0 ? { acknowledgement: "已阅，警告均有原因。" } : {}),
    });
    if (!sub.ok) throw new Error(`submit ${code}: ${JSON.stringify(sub.error)}`);
    const app = await approveBudget(deps, admin, { budgetId: sub.value.id, expectedRevision: sub.value.revision });
    if (!app.ok) throw new Error(`approve ${code}: ${JSON.stringify(app.error)}`);
    expect(app.value.state).toBe("approved");
    budgets.push({ code, budgetId: app.value.id, revision: app.value.revision });
  }
  return { budgets, token };
}

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

const live = new Set<ChildProcess>();

/** SIGKILLs any server a failed test left running */
export function killLeftovers(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  live.clear();
}

/** node itself with tsx's loader (not the tsx command, whose second process the kill would miss) */
async function startServer(backend: SigkillBackend): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.GONGKAI_DB;
  Object.assign(env, { PORT: "0", HOST: "127.0.0.1", GONGKAI_SEED: "0", LOG_LEVEL: "warn" }, backend.serverEnv);
  const child = spawn(process.execPath, ["--import", "tsx", "src/adapters/web/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("exit", (code, signal) => {
      live.delete(child);
      r({ code, signal });
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s: ${out}\n${err}`)), 60_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /Gongkai is serving: (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server ended before serving (code ${code}, signal ${signal}): ${out}\n${err}`));
    });
  });
  return { child, url, exited, stderr: () => err };
}

function publishRequest(server: Server, token: string, budgetId: number, revision: number): Promise<Response> {
  return fetch(`${server.url}/api/v1/workspace/budgets/${budgetId}/publish`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ revision }),
  });
}

async function withStore<T>(config: StoreConfig, f: (store: PlatformStore) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

/**
 * The budget is either as it was (approved, nothing published) or published whole: one version whose file list is a
 * build's (`paths`), each file's bytes of its recorded hash and size, its id the hash of its disclosure.json, and
 * one publish in the audit log (written in the same transaction).
 */
async function checkBudget(store: PlatformStore, code: string, budgetId: number, paths: readonly string[] | null): Promise<{ outcome: Outcome; paths: string[] }> {
  const b = await store.getBudget(budgetId);
  expect(b, `department ${code}: its budget`).not.toBeNull();
  const versions = await store.listVersions(budgetId);
  const publishes = (await store.listAudit({ entity: "budget", entityId: String(budgetId) })).filter((a) => a.action === "budget.publish");
  if (b!.state === "approved") {
    expect({ publishedCount: b!.publishedCount, versions: versions.length, publishes: publishes.length }, `department ${code}: the old state`).toEqual({ publishedCount: 0, versions: 0, publishes: 0 });
    return { outcome: "old", paths: [] };
  }
  expect(b!.state, `department ${code}: approved or published, nothing else`).toBe("published");
  expect({ publishedCount: b!.publishedCount, versions: versions.length, publishes: publishes.length }, `department ${code}: the new state`).toEqual({ publishedCount: 1, versions: 1, publishes: 1 });
  const v = versions[0]!;
  expect(v.number).toBe(1);
  const files = await store.listVersionFiles(v.id);
  const got = files.map((f) => f.path);
  if (paths !== null) expect(got, `department ${code}: every file of a build`).toEqual(paths);
  for (const f of files) {
    const r = await store.readVersionFile(v.id, f.path);
    expect(r, `department ${code}: ${f.path} readable`).not.toBeNull();
    expect({ path: f.path, sha256: sha256(r!.bytes), size: r!.bytes.byteLength }, `department ${code}: ${f.path} whole`).toEqual({ path: f.path, sha256: f.sha256, size: f.size });
  }
  const json = await store.readVersionFile(v.id, "disclosure.json");
  expect(json, `department ${code}: disclosure.json`).not.toBeNull();
  expect(v.id, `department ${code}: the version id is the hash of its disclosure.json`).toBe(sha256(json!.bytes));
  return { outcome: "new", paths: got };
}

/** no row left behind by an interrupted publish: versions, file lists and blobs only of published budgets */
async function checkNoOrphans(store: PlatformStore, filesPerVersion: number): Promise<void> {
  const published = await store.listBudgets({ state: "published" });
  const db = (store as KyselyPlatformStore).db;
  expect(await countRows(db, "versions"), "versions = published budgets").toBe(published.length);
  expect(await countRows(db, "version_files"), "file list rows = published budgets × files of a build").toBe(published.length * filesPerVersion);
  const strayBlobs = await sql<{ n: number | string }>`select count(*) as n from blobs where sha256 not in (select sha256 from version_files)`.execute(db);
  expect(Number(strayBlobs.rows[0]?.n), "blobs no version lists").toBe(0);
  const missingBlobs = await sql<{ n: number | string }>`select count(*) as n from version_files where sha256 not in (select sha256 from blobs)`.execute(db);
  expect(Number(missingBlobs.rows[0]?.n), "file list rows without their bytes").toBe(0);
  const strayFiles = await sql<{ n: number | string }>`select count(*) as n from version_files where version_id not in (select id from versions)`.execute(db);
  expect(Number(strayFiles.rows[0]?.n), "file list rows of no version").toBe(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runPublishSigkill(backend: SigkillBackend, opts: SigkillOptions): Promise<SigkillReport> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const { budgets, token } = await withStore(backend.config, (store) => prepare(store, opts.kills + 1));
  const setupMs = performance.now() - t0;
  log(`${backend.name}: setup of ${budgets.length} approved budgets in ${(setupMs / 1000).toFixed(1)} s`);

  // the measurement: a publish in a fresh server, answered in full
  const m = budgets[0]!;
  const server = await startServer(backend);
  const started = performance.now();
  const res = await publishRequest(server, token, m.budgetId, m.revision);
  const body = await res.text();
  const measuredMs = performance.now() - started;
  expect(res.status, `the measured publish: ${body}\n${server.stderr()}`).toBe(200);
  server.child.kill("SIGTERM");
  expect((await server.exited).code, "the measurement server stops on SIGTERM").toBe(0);
  const reference = await withStore(backend.config, (store) => checkBudget(store, m.code, m.budgetId, null));
  expect(reference.outcome).toBe("new");
  const paths = reference.paths;
  expect(paths.length, "a build's files").toBeGreaterThanOrEqual(15);
  log(`${backend.name}: measured publish T = ${measuredMs.toFixed(0)} ms, ${paths.length} files`);

  const random = mulberry32(opts.seed);
  const kills: KillRecord[] = [];
  let estimateMs = measuredMs;
  for (let i = 1; i <= opts.kills; i++) {
    const b = budgets[i]!;
    const fraction = opts.lo + (opts.hi - opts.lo) * random();
    const delayMs = Math.round(estimateMs * fraction);
    const s = await startServer(backend);
    let answered: { status: number; ms: number } | null = null;
    const sent = performance.now();
    const request = publishRequest(s, token, b.budgetId, b.revision).then(
      async (r) => {
        await r.arrayBuffer().catch(() => undefined);
        answered = { status: r.status, ms: performance.now() - sent };
      },
      () => undefined,
    );
    await sleep(delayMs);
    s.child.kill("SIGKILL");
    const exit = await s.exited;
    expect(exit.signal, `server ${i} ended by the kill (stderr: ${s.stderr()})`).toBe("SIGKILL");
    await request;
    const reply = answered as { status: number; ms: number } | null;
    if (reply) expect(reply.status, `department ${b.code}: the answer before the kill`).toBe(200);
    await backend.settle?.();
    const { outcome } = await withStore(backend.config, async (store) => {
      const r = await checkBudget(store, b.code, b.budgetId, paths);
      await checkNoOrphans(store, paths.length);
      return r;
    });
    if (reply) expect(outcome, `department ${b.code}: answered 200, so published`).toBe("new");
    kills.push({ department: b.code, delayMs, answeredMs: reply ? Math.round(reply.ms) : null, estimateMs: Math.round(estimateMs), outcome });
    log(
      `${backend.name}: kill ${i}/${opts.kills} at ${delayMs} ms (${fraction.toFixed(2)} of T ≈ ${estimateMs.toFixed(0)} ms): ` +
        `${outcome === "old" ? "old state" : "published whole"}${reply ? ` (answered after ${reply.ms.toFixed(0)} ms)` : ""}`,
    );
    // what the kill shows of this publish's duration: answered → its duration; not yet committed → longer than the delay
    if (reply) estimateMs = (estimateMs + reply.ms) / 2;
    else if (outcome === "old" && delayMs > estimateMs) estimateMs = delayMs * 1.05;
    else if (outcome === "new") estimateMs = (estimateMs + delayMs) / 2;
  }

  // once more at the end: every department as its kill left it, and nothing stray
  await withStore(backend.config, async (store) => {
    await checkBudget(store, m.code, m.budgetId, paths);
    for (const [i, k] of kills.entries()) {
      const b = budgets[i + 1]!;
      expect((await checkBudget(store, b.code, b.budgetId, paths)).outcome, `department ${b.code}: unchanged since its kill`).toBe(k.outcome);
    }
    await checkNoOrphans(store, paths.length);
  });
  const old = kills.filter((k) => k.outcome === "old").length;
  return { measuredMs, filesPerVersion: paths.length, kills, old, new: kills.length - old, setupMs, totalMs: performance.now() - t0 };
}
