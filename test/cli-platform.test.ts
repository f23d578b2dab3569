/**
 * The platform's commands as an operator runs them (the CLI as a subprocess, the database named by GONGKAI_DB):
 * `gongkai user add` creates the first administrator on a fresh database, its password read from standard input and
 * verifiable; a taken user name, an unknown role, a preparer without department are refused (exit 2, nothing created);
 * `gongkai backup` and `gongkai restore` round-trip a SQLite store, refuse to overwrite without --force, refuse a file
 * that is not a Gongkai database leaving the store as it was, and name pg_dump on PostgreSQL. No message is a stack trace.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ROLES, type PlatformStore } from "../src/app/platform/platform-store.ts";
import { verifyPassword } from "../src/adapters/auth/password-hash.ts";
import { openStore } from "../src/adapters/store/open-store.ts";
import { cliArgs, NODE, ROOT, tempDir } from "./cli-harness.ts";

const PASSWORD = "correct horse battery staple";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
const runs: Run[] = [];

/** Runs `gongkai …` with the database at `db` (no DATABASE_URL unless given), `input` on its standard input. */
function gongkai(args: readonly string[], opts: { db: string; input?: string; env?: Record<string, string> }): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", GONGKAI_DB: opts.db, ...opts.env };
  if (!opts.env?.["DATABASE_URL"]) delete env["DATABASE_URL"];
  return new Promise((resolveRun, reject) => {
    const child = spawn(NODE, cliArgs(args), { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => {
      const run = { status, stdout, stderr };
      runs.push(run);
      resolveRun(run);
    });
    child.stdin.end(opts.input ?? "");
  });
}

const addUser = (db: string, username: string, args: readonly string[], input = `${PASSWORD}\n`) => gongkai(["user", "add", username, ...args], { db, input });

async function withStore<T>(db: string, use: (store: PlatformStore) => Promise<T>): Promise<T> {
  const store = await openStore({ kind: "sqlite", file: db });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

const usernames = (db: string) => withStore(db, async (s) => (await s.listUsers()).map((u) => u.username).sort());
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

afterAll(() => {
  // an expected failure is a message, never a stack trace
  for (const r of runs) {
    expect(r.stderr).not.toContain("    at ");
    expect(r.stdout).not.toContain("    at ");
    expect(r.stderr).not.toContain("内部错误");
  }
});

describe("gongkai user add", () => {
  it("creates the first administrator on a fresh database, the password from standard input", async () => {
    const db = join(tempDir(), "var", "gongkai.db");
    const r = await addUser(db, "admin", ["--role", "admin", "--name", "系统管理员"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("admin");
    expect(r.stdout).toContain("管理员");
    expect(r.stdout).toContain(db);
    await withStore(db, async (store) => {
      const user = await store.findUser("admin");
      expect(user).not.toBeNull();
      expect(user!.role).toBe("admin");
      expect(user!.displayName).toBe("系统管理员");
      expect(user!.disabled).toBe(false);
      expect(await verifyPassword(user!.passwordHash, PASSWORD)).toBe(true);
      expect(await verifyPassword(user!.passwordHash, `${PASSWORD}x`)).toBe(false);
      const audit = await store.listAudit({ entity: "user", entityId: "admin" });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ userId: null, action: "user.create", before: null });
      expect(JSON.parse(audit[0]!.after!)).toMatchObject({ username: "admin", role: "admin", via: "cli" });
    });
  }, 120_000);

  it("refuses a user name that is taken (exit 2), in Chinese, English and JSON", async () => {
    const db = join(tempDir(), "gongkai.db");
    expect((await addUser(db, "admin", ["--role", "admin"])).status).toBe(0);
    const [zh, en, json] = await Promise.all([
      addUser(db, "admin", ["--role", "admin"], "another password 123\n"),
      addUser(db, "admin", ["--role", "admin", "--lang", "en"]),
      addUser(db, "admin", ["--role", "admin", "--json"]),
    ]);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toContain("已存在");
    expect(en.status).toBe(2);
    expect(en.stderr).toContain("taken");
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2, problems: [{ code: "user.duplicate" }] });
    await withStore(db, async (store) => {
      // the first password still holds
      expect(await verifyPassword((await store.findUser("admin"))!.passwordHash, PASSWORD)).toBe(true);
      expect(await store.listUsers()).toHaveLength(1);
    });
  }, 120_000);

  it("prints the created user as JSON with --json", async () => {
    const db = join(tempDir(), "gongkai.db");
    const r = await addUser(db, "root.admin", ["--role", "admin", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, user: { id: expect.any(Number), username: "root.admin", role: "admin" } });
  }, 120_000);

  it("refuses an unknown role (exit 2), listing the roles", async () => {
    const db = join(tempDir(), "gongkai.db");
    const [r, none] = await Promise.all([addUser(db, "admin", ["--role", "superuser"]), addUser(db, "admin", [])]);
    expect(r.status).toBe(2);
    for (const role of ROLES) expect(r.stderr).toContain(role);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("--role");
    expect(existsSync(db)).toBe(false);
  }, 120_000);

  it("refuses a bad user name, a short or missing password (exit 2)", async () => {
    const db = join(tempDir(), "gongkai.db");
    const names = ["Admin", "ab", "a b", "x".repeat(33)];
    const [short, missing, ...bad] = await Promise.all([
      addUser(db, "admin", ["--role", "admin"], "short\n"),
      addUser(db, "admin", ["--role", "admin"], ""),
      ...names.map((name) => addUser(db, name, ["--role", "admin"])),
    ]);
    for (const [i, r] of bad.entries()) {
      expect(r.status, names[i]).toBe(2);
      expect(r.stderr, names[i]).toContain("用户名");
    }
    expect(short.status).toBe(2);
    expect(short.stderr).toContain("10");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("printf");
    expect(existsSync(db)).toBe(false);
  }, 120_000);

  it("needs a department for a preparer and a region for a finance reviewer (exit 2), and accepts existing ones", async () => {
    const db = join(tempDir(), "gongkai.db");
    const [noDepartment, regionOnly, noRegion] = await Promise.all([
      addUser(db, "clerk", ["--role", "preparer"]),
      addUser(db, "clerk", ["--role", "dept_approver", "--region", "652300"]),
      addUser(db, "auditor", ["--role", "finance_reviewer"]),
    ]);
    expect(noDepartment.status).toBe(2);
    expect(noDepartment.stderr).toContain("--department");
    expect(regionOnly.status).toBe(2);
    expect(regionOnly.stderr).toContain("--department");
    expect(noRegion.status).toBe(2);
    expect(noRegion.stderr).toContain("--region");

    const departmentId = await withStore(db, async (store) => {
      await store.migrate();
      await store.putRegion({ code: "652300", parentCode: null, name: "昌吉回族自治州" });
      return (await store.createDepartment({ regionCode: "652300", code: "001", name: "信访局" })).id;
    });
    const [unknown, unknownRegion] = await Promise.all([
      addUser(db, "clerk", ["--role", "preparer", "--region", "652300", "--department", "999"]),
      addUser(db, "auditor", ["--role", "finance_reviewer", "--region", "650000"]),
    ]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("999");
    expect(unknownRegion.status).toBe(2);
    expect(unknownRegion.stderr).toContain("650000");

    const created = await Promise.all([
      addUser(db, "clerk", ["--role", "preparer", "--region", "652300", "--department", "001"]),
      addUser(db, "auditor", ["--role", "finance_reviewer", "--region", "652300"]),
    ]);
    for (const r of created) expect(r.status, r.stderr).toBe(0);
    await withStore(db, async (store) => {
      expect(await store.findUser("clerk")).toMatchObject({ role: "preparer", departmentId, regionCode: null });
      expect(await store.findUser("auditor")).toMatchObject({ role: "finance_reviewer", departmentId: null, regionCode: "652300" });
    });
  }, 120_000);
});

describe("gongkai backup and restore", () => {
  it("round-trip: a user added after the backup is gone once it is restored", async () => {
    const dir = tempDir();
    const db = join(dir, "gongkai.db");
    const backup = join(dir, "backups", "gongkai-1.db");
    expect((await addUser(db, "admin", ["--role", "admin"])).status).toBe(0);
    const b = await gongkai(["backup", backup], { db });
    expect(b.status, b.stderr).toBe(0);
    expect(statSync(backup).size).toBeGreaterThan(0);
    expect(b.stdout).toContain(backup);
    expect(b.stdout).toContain(statSync(backup).size.toLocaleString("en-US"));

    expect((await addUser(db, "later", ["--role", "admin"])).status).toBe(0);
    expect(await usernames(db)).toEqual(["admin", "later"]);

    // the database exists: restoring replaces it, only with --force, and the server must be stopped first
    const refused = await gongkai(["restore", backup], { db });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("--force");
    expect(refused.stderr).toContain("停止服务器");
    expect(await usernames(db)).toEqual(["admin", "later"]);

    const r = await gongkai(["restore", backup, "--force"], { db });
    expect(r.status, r.stderr).toBe(0);
    expect(await usernames(db)).toEqual(["admin"]);
    await withStore(db, async (store) => expect(await verifyPassword((await store.findUser("admin"))!.passwordHash, PASSWORD)).toBe(true));
  }, 120_000);

  it("restores into a database that does not exist yet without --force", async () => {
    const dir = tempDir();
    const db = join(dir, "gongkai.db");
    expect((await addUser(db, "admin", ["--role", "admin"])).status).toBe(0);
    expect((await gongkai(["backup", join(dir, "b.db")], { db })).status).toBe(0);
    const fresh = join(dir, "new", "gongkai.db");
    const r = await gongkai(["restore", join(dir, "b.db"), "--json"], { db: fresh });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    expect(await usernames(fresh)).toEqual(["admin"]);
  }, 120_000);

  it("refuses to restore a file that is not a Gongkai database (exit 2), leaving the database as it was", async () => {
    const dir = tempDir();
    const db = join(dir, "gongkai.db");
    expect((await addUser(db, "admin", ["--role", "admin"])).status).toBe(0);
    const before = sha(db);
    const text = join(dir, "notes.txt");
    writeFileSync(text, "这不是数据库 / not a database\n".repeat(200));
    const other = join(dir, "other.sqlite");
    const o = new Database(other);
    o.exec("create table t (x integer)");
    o.close();
    const files = [text, other];
    const [missing, en, ...refused] = await Promise.all([
      gongkai(["restore", join(dir, "missing.db"), "--force"], { db }),
      gongkai(["restore", text, "--force", "--json", "--lang", "en"], { db }),
      ...files.map((file) => gongkai(["restore", file, "--force"], { db })),
    ]);
    for (const [i, r] of refused.entries()) {
      expect(r.status, files[i]).toBe(2);
      expect(r.stderr, files[i]).toContain(files[i]);
      expect(r.stderr, files[i]).toMatch(/不是/);
    }
    expect(sha(db)).toBe(before);
    expect(missing.status).toBe(2);
    expect(en.status).toBe(2);
    expect(JSON.parse(en.stdout)).toMatchObject({ ok: false, exitCode: 2 });
    expect(await usernames(db)).toEqual(["admin"]);
  }, 120_000);

  it("refuses to overwrite an existing file without --force", async () => {
    const dir = tempDir();
    const db = join(dir, "gongkai.db");
    expect((await addUser(db, "admin", ["--role", "admin"])).status).toBe(0);
    const file = join(dir, "backup.db");
    writeFileSync(file, "precious");
    // nor onto the database itself, even with --force
    const [r, self] = await Promise.all([gongkai(["backup", file], { db }), gongkai(["backup", db, "--force"], { db })]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--force");
    expect(readFileSync(file, "utf8")).toBe("precious");
    expect(self.status).toBe(2);
    const forced = await gongkai(["backup", file, "--force"], { db });
    expect(forced.status, forced.stderr).toBe(0);
    expect(await usernames(file)).toEqual(["admin"]);
  }, 120_000);

  it("refuses a database that does not exist, and names pg_dump on PostgreSQL", async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: "postgres://gongkai:s3cret@127.0.0.1:1/gongkai" };
    const [absent, pg, restore] = await Promise.all([
      gongkai(["backup", join(dir, "b.db")], { db: join(dir, "none.db") }),
      gongkai(["backup", "dump.sql"], { db: join(dir, "none.db"), env }),
      gongkai(["restore", "dump.sql", "--lang", "en"], { db: join(dir, "none.db"), env }),
    ]);
    expect(absent.status).toBe(2);
    expect(existsSync(join(dir, "b.db"))).toBe(false);
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain('pg_dump "$DATABASE_URL" > dump.sql');
    expect(pg.stderr).not.toContain("s3cret");
    expect(restore.status).toBe(2);
    expect(restore.stderr).toContain("psql");
    expect(restore.stderr).not.toContain("s3cret");
  }, 120_000);
});
