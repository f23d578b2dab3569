/**
 * Opens the platform store on SQLite (the embedded default), PostgreSQL (DATABASE_URL) or PGlite (tests), and backs up
 * and restores a SQLite store. openStore does not migrate: callers call `store.migrate()`.
 */
import { mkdirSync } from "node:fs";
import { rename, rm, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { DatabaseConnection, Driver, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver } from "./kysely-runtime.ts";
import pg from "pg";
import type { PlatformStore } from "../../app/platform/platform-store.ts";
import { KyselyPlatformStore, type StoreDatabase } from "./kysely-store.ts";
import { MIGRATION_TABLE } from "./store-migrations.ts";

export type StoreConfig = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string } | { kind: "pglite"; dataDir?: string };

export const DEFAULT_SQLITE_FILE = "./var/gongkai.db";

/** `DATABASE_URL` (postgres:// or postgresql://) → PostgreSQL; otherwise SQLite at `GONGKAI_DB` or ./var/gongkai.db */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { kind: "postgres", url };
  const file = env.GONGKAI_DB?.trim();
  return { kind: "sqlite", file: file ? file : DEFAULT_SQLITE_FILE };
}

export async function openStore(config: StoreConfig): Promise<PlatformStore> {
  switch (config.kind) {
    case "sqlite":
      return openSqlite(config.file);
    case "postgres":
      return openPostgres(config.url);
    case "pglite":
      return openPglite(config.dataDir);
  }
}

// errors in plain words --------------------------------------------------------------------------------------------

const CAUSES: Record<string, [string, string]> = {
  EACCES: ["没有权限", "permission denied"],
  EPERM: ["没有权限", "permission denied"],
  EROFS: ["文件系统只读", "read-only file system"],
  ENOTDIR: ["路径中有一部分不是文件夹", "a part of the path is not a folder"],
  EISDIR: ["这是一个文件夹", "it is a folder"],
  ENOSPC: ["磁盘空间不足", "no space left on the device"],
  SQLITE_CANTOPEN: ["无法打开文件", "the file cannot be opened"],
  SQLITE_NOTADB: ["不是 SQLite 数据库", "not a SQLite database"],
  SQLITE_CORRUPT: ["数据库文件已损坏", "the database file is corrupt"],
  SQLITE_READONLY: ["数据库只读", "the database is read-only"],
  SQLITE_BUSY: ["数据库被其他进程锁定", "the database is locked by another process"],
  ECONNREFUSED: ["连接被拒绝（服务器未运行或端口不对）", "connection refused (the server is not running or the port is wrong)"],
  ENOTFOUND: ["找不到主机", "host not found"],
  EAI_AGAIN: ["无法解析主机名", "the host name cannot be resolved"],
  ETIMEDOUT: ["连接超时", "the connection timed out"],
  ECONNRESET: ["连接被重置", "the connection was reset"],
  "28P01": ["用户名或密码错误", "wrong user name or password"],
  "28000": ["服务器拒绝了这个用户的连接", "the server refuses this user"],
  "3D000": ["数据库不存在", "the database does not exist"],
  "42501": ["没有权限", "permission denied"],
  "53300": ["连接数已满", "too many connections"],
  "57P03": ["服务器正在启动或关闭", "the server is starting up or shutting down"],
};

function causeOf(e: unknown): [string, string] {
  const err = e as { code?: unknown; message?: unknown; errors?: unknown[] } | null;
  // pg reports a refused connection to every address of a host as an AggregateError
  const inner = err && Array.isArray(err.errors) && err.errors.length > 0 ? (err.errors[0] as { code?: unknown; message?: unknown }) : null;
  const code = typeof err?.code === "string" ? err.code : typeof inner?.code === "string" ? inner.code : "";
  const known = CAUSES[code];
  if (known) return known;
  const message = typeof err?.message === "string" && err.message !== "" ? err.message : typeof inner?.message === "string" ? inner.message : String(e);
  return [message, message];
}

function openError(name: string, e: unknown): Error {
  const [zh, en] = causeOf(e);
  return new Error(`无法打开数据库 ${name}：${zh} / cannot open the database ${name}: ${en}`, { cause: e });
}

/** a PostgreSQL URL without its password, for messages */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return "(DATABASE_URL)";
  }
}

// SQLite ----------------------------------------------------------------------------------------------------------

/** a transaction takes the write lock when it begins, so that two processes never deadlock upgrading a read lock */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: Database.Database;
  constructor(database: Database.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

function openSqliteDatabase(file: string): Database.Database {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    // reads the header: a file that is not a database fails here rather than at the first query
    db.prepare("select count(*) from sqlite_master").get();
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

async function openSqlite(file: string): Promise<PlatformStore> {
  let database: Database.Database;
  try {
    database = openSqliteDatabase(file);
  } catch (e) {
    throw openError(file, e);
  }
  return new KyselyPlatformStore("sqlite", new Kysely<StoreDatabase>({ dialect: new ImmediateSqliteDialect(database) }));
}

/** An online backup of a SQLite store (consistent while the server runs), written to a temporary name then renamed. */
export async function backupSqlite(dbFile: string, destFile: string): Promise<void> {
  let db: Database.Database;
  try {
    db = new Database(dbFile, { fileMustExist: true });
    db.pragma("busy_timeout = 5000");
  } catch (e) {
    throw openError(dbFile, e);
  }
  const tmp = `${destFile}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(dirname(resolve(destFile)), { recursive: true });
    await db.backup(tmp);
    await rename(tmp, destFile);
  } catch (e) {
    await rm(tmp, { force: true });
    const [zh, en] = causeOf(e);
    throw new Error(`无法备份数据库 ${dbFile} 到 ${destFile}：${zh} / cannot back up the database ${dbFile} to ${destFile}: ${en}`, { cause: e });
  } finally {
    db.close();
  }
}

/**
 * Replaces the SQLite store at `dbFile` by the backup `srcFile` (which must be a SQLite database holding the store's
 * migrations table). The server must not have the store open.
 */
export async function restoreSqlite(srcFile: string, dbFile: string): Promise<void> {
  let src: Database.Database;
  try {
    src = new Database(srcFile, { fileMustExist: true, readonly: true });
  } catch (e) {
    const [zh, en] = causeOf(e);
    throw new Error(`无法读取备份 ${srcFile}：${zh} / cannot read the backup ${srcFile}: ${en}`, { cause: e });
  }
  const tmp = `${dbFile}.restore-${process.pid}-${Date.now()}`;
  try {
    let isStore: boolean;
    try {
      isStore = src.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(MIGRATION_TABLE) !== undefined;
    } catch (e) {
      const [zh, en] = causeOf(e);
      throw new Error(`备份 ${srcFile} 不是有效的 SQLite 数据库：${zh} / the backup ${srcFile} is not a valid SQLite database: ${en}`, { cause: e });
    }
    if (!isStore) {
      throw new Error(`备份 ${srcFile} 不是公开平台的数据库（缺少迁移记录表 ${MIGRATION_TABLE}） / the backup ${srcFile} is not a Gongkai platform database (no ${MIGRATION_TABLE} table)`);
    }
    try {
      await mkdir(dirname(resolve(dbFile)), { recursive: true });
      await src.backup(tmp);
      // a stale write-ahead log must not be replayed over the restored file
      await rm(`${dbFile}-wal`, { force: true });
      await rm(`${dbFile}-shm`, { force: true });
      await rename(tmp, dbFile);
    } catch (e) {
      await rm(tmp, { force: true });
      const [zh, en] = causeOf(e);
      throw new Error(`无法恢复数据库 ${dbFile}：${zh} / cannot restore the database ${dbFile}: ${en}`, { cause: e });
    }
  } finally {
    src.close();
  }
}

// PostgreSQL ------------------------------------------------------------------------------------------------------

async function openPostgres(url: string): Promise<PlatformStore> {
  const name = redactUrl(url);
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  } catch (e) {
    throw openError(name, e);
  }
  // an idle client losing its connection must not crash the process: the next query reports it
  pool.on("error", () => {});
  try {
    await pool.query("select 1");
  } catch (e) {
    await pool.end().catch(() => {});
    throw openError(name, e);
  }
  return new KyselyPlatformStore("postgres", new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) }));
}

// PGlite ----------------------------------------------------------------------------------------------------------

type PGliteInstance = {
  query<T>(query: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number; command?: string; rowCount?: number }>;
  close(): Promise<void>;
};

/** One connection at a time: a client holds the lock from connect() until release(). */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

const COMMANDS = new Set(["UPDATE", "DELETE", "INSERT", "SELECT", "MERGE", "COMMIT", "ROLLBACK"]);

/** PGlite behind the part of pg's Pool that Kysely's PostgresDriver uses (connect, client.query, release, end). */
export function pglitePool(db: PGliteInstance): PostgresPool {
  const mutex = new Mutex();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const unlock = await mutex.lock();
      let released = false;
      const client = {
        async query<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          const r = await db.query<R>(sqlText, [...parameters]);
          const tag = (r.command ?? sqlText.trimStart().split(/\s+/, 1)[0] ?? "").toUpperCase();
          const command = (COMMANDS.has(tag) ? tag : "SELECT") as PostgresQueryResult<R>["command"];
          return { command, rowCount: r.rowCount ?? r.affectedRows ?? r.rows.length, rows: r.rows };
        },
        release(): void {
          if (released) return;
          released = true;
          unlock();
        },
      };
      return client as PostgresPoolClient;
    },
    async end(): Promise<void> {
      const unlock = await mutex.lock();
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<PlatformStore> {
  const name = dataDir ?? "PGlite (memory)";
  let db: PGliteInstance;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
    db = (await PGlite.create(dataDir === undefined ? {} : { dataDir })) as unknown as PGliteInstance;
  } catch (e) {
    throw openError(name, e);
  }
  return new KyselyPlatformStore("pglite", new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool: pglitePool(db) }) }));
}
