/**
 * The platform store (src/app/platform/platform-store.ts) written once with Kysely, for SQLite, PostgreSQL and PGlite.
 * Tables are snake_case and mapped to the port's camelCase rows here, explicitly. Every write that carries an audit
 * entry writes it in the same transaction; the guarded writes (updateDraft, transition, publishVersion) update the
 * budget with `WHERE id = ? AND revision = ? AND state IN (…)` and read the outcome from the rows it touched, which
 * stays right under concurrency (PostgreSQL's READ COMMITTED re-evaluates the condition after a concurrent commit;
 * SQLite writes one transaction at a time, BEGIN IMMEDIATE).
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Generated, Kysely, Selectable, Transaction } from "kysely";
import { Migrator, sql } from "./kysely-runtime.ts";
import type {
  BudgetSummary,
  ApiTokenRow,
  AuditEntry,
  AuditRow,
  BudgetDraftFields,
  BudgetRow,
  BudgetState,
  DepartmentRow,
  FileToStore,
  Guarded,
  NewUser,
  PlatformStore,
  PublicationDateRow,
  RegionRow,
  RegionYearRow,
  Role,
  SearchEntry,
  SearchFilter,
  SearchGroup,
  SearchTermInput,
  SessionRow,
  StoredFile,
  UnitRow,
  UserRow,
  VersionRow,
} from "../../app/platform/platform-store.ts";
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, storeMigrations, type DialectKind } from "./store-migrations.ts";
import { indexVersion, listUnindexedVersions, replaceSearchEntries, searchEntries, type SearchEntriesTable, type SearchFtsTable } from "./search-store.ts";

/** SQLite stores booleans as 0/1, PostgreSQL as boolean */
type DbBool = number | boolean;

interface RegionsTable {
  code: string;
  parent_code: string | null;
  name: string;
}
interface RegionYearsTable {
  region_code: string;
  year: number;
  template_id: string;
  catalog_official: DbBool;
  approval_date: string | null;
}
interface DepartmentsTable {
  id: Generated<number>;
  region_code: string;
  code: string;
  name: string;
}
interface UnitsTable {
  department_id: number;
  position: number;
  code: string;
  name: string;
  type: string;
}
interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  department_id: number | null;
  region_code: string | null;
  password_hash: string;
  disabled: DbBool;
  created_at: string;
}
interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}
interface LoginFailuresTable {
  id: Generated<number>;
  key: string;
  at: string;
}
interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  user_id: number;
  token_hash: string;
  created_at: string;
  created_by: number;
  revoked_at: string | null;
}
interface BudgetsTable {
  id: Generated<number>;
  department_id: number;
  year: number;
  state: string;
  revision: number;
  source_name: string;
  source_yaml: string;
  findings_json: string;
  error_count: number;
  warning_count: number;
  acknowledgement: string | null;
  return_reason: string | null;
  published_count: number;
  updated_at: string;
  updated_by: number | null;
}
interface BlobsTable {
  sha256: string;
  bytes: Uint8Array;
  size: number;
}
interface VersionsTable {
  id: string;
  budget_id: number;
  number: number;
  published_at: string;
  published_by: number | null;
  reason: string | null;
  change_log_json: string | null;
}
interface VersionFilesTable {
  version_id: string;
  path: string;
  media_type: string;
  sha256: string;
}
interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
}
interface MetaTable {
  key: string;
  value: string;
}

export interface StoreDatabase {
  regions: RegionsTable;
  region_years: RegionYearsTable;
  departments: DepartmentsTable;
  units: UnitsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  api_tokens: ApiTokensTable;
  budgets: BudgetsTable;
  blobs: BlobsTable;
  versions: VersionsTable;
  version_files: VersionFilesTable;
  audit_log: AuditLogTable;
  meta: MetaTable;
  search_entries: SearchEntriesTable;
  /** SQLite only (FTS5) */
  search_fts: SearchFtsTable;
}

type Db = Kysely<StoreDatabase> | Transaction<StoreDatabase>;

// rows ------------------------------------------------------------------------------------------------------------

const region = (r: Selectable<RegionsTable>): RegionRow => ({ code: r.code, parentCode: r.parent_code, name: r.name });

const regionYear = (r: Selectable<RegionYearsTable>): RegionYearRow => ({
  regionCode: r.region_code,
  year: Number(r.year),
  templateId: r.template_id,
  catalogOfficial: toBool(r.catalog_official),
  approvalDate: r.approval_date,
});

const department = (r: Selectable<DepartmentsTable>): DepartmentRow => ({ id: Number(r.id), regionCode: r.region_code, code: r.code, name: r.name });

const user = (r: Selectable<UsersTable>): UserRow => ({
  id: Number(r.id),
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  departmentId: r.department_id === null ? null : Number(r.department_id),
  regionCode: r.region_code,
  passwordHash: r.password_hash,
  disabled: toBool(r.disabled),
  createdAt: r.created_at,
});

const session = (r: Selectable<SessionsTable>): SessionRow => ({
  tokenHash: r.token_hash,
  userId: Number(r.user_id),
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

const apiToken = (r: Selectable<ApiTokensTable>): ApiTokenRow => ({
  id: Number(r.id),
  name: r.name,
  userId: Number(r.user_id),
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  createdBy: Number(r.created_by),
  revokedAt: r.revoked_at,
});

/** A budget row without its YAML and findings (a listing's: those are tens of kilobytes each). */
const BUDGET_SUMMARY_COLUMNS = [
  "budgets.id",
  "budgets.department_id",
  "budgets.year",
  "budgets.state",
  "budgets.revision",
  "budgets.source_name",
  "budgets.error_count",
  "budgets.warning_count",
  "budgets.acknowledgement",
  "budgets.return_reason",
  "budgets.published_count",
  "budgets.updated_at",
  "budgets.updated_by",
] as const;

const budget = (r: Selectable<BudgetsTable>): BudgetRow => ({ ...budgetSummary(r), sourceYaml: r.source_yaml, findingsJson: r.findings_json });

const budgetSummary = (r: Omit<Selectable<BudgetsTable>, "source_yaml" | "findings_json">): BudgetSummary => ({
  id: Number(r.id),
  departmentId: Number(r.department_id),
  year: Number(r.year),
  state: r.state as BudgetState,
  revision: Number(r.revision),
  sourceName: r.source_name,
  errorCount: Number(r.error_count),
  warningCount: Number(r.warning_count),
  acknowledgement: r.acknowledgement,
  returnReason: r.return_reason,
  publishedCount: Number(r.published_count),
  updatedAt: r.updated_at,
  updatedBy: r.updated_by === null ? null : Number(r.updated_by),
});

/** The columns of a version row: all but the change log's text, which only `readChangeLog` reads (it is large). */
export const VERSION_COLUMNS = ["versions.id", "versions.budget_id", "versions.number", "versions.published_at", "versions.published_by", "versions.reason"] as const;
export const HAS_CHANGE_LOG = sql<number>`case when versions.change_log_json is null then 0 else 1 end`.as("has_change_log");

export const version = (r: Omit<Selectable<VersionsTable>, "change_log_json"> & { has_change_log: number | string }): VersionRow => ({
  id: r.id,
  budgetId: Number(r.budget_id),
  number: Number(r.number),
  publishedAt: r.published_at,
  publishedBy: r.published_by === null ? null : Number(r.published_by),
  reason: r.reason,
  hasChangeLog: Number(r.has_change_log) === 1,
});

const auditRow = (r: Selectable<AuditLogTable>): AuditRow => ({
  id: Number(r.id),
  at: r.at,
  userId: r.user_id === null ? null : Number(r.user_id),
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  before: r.before,
  after: r.after,
});

function toBool(v: DbBool): boolean {
  return v === true || v === 1;
}

/** bytes as read from any of the drivers (Buffer, Uint8Array) as a plain Uint8Array view */
function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  throw new Error(`store: unexpected bytes value (${typeof v})`);
}

/** a Buffer view over the bytes: what better-sqlite3, pg and PGlite all bind as BLOB / bytea */
function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

const sha256Hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** thrown inside a transaction to roll it back with a result for the caller */
class Rollback<T> extends Error {
  constructor(readonly result: Guarded<T>) {
    super("rollback");
  }
}

async function guardedTransaction<T>(db: Kysely<StoreDatabase>, body: (trx: Transaction<StoreDatabase>) => Promise<Guarded<T>>): Promise<Guarded<T>> {
  try {
    return await db.transaction().execute(async (trx) => {
      const r = await body(trx);
      if (!r.ok) throw new Rollback(r);
      return r;
    });
  } catch (e) {
    if (e instanceof Rollback) return e.result as Guarded<T>;
    throw e;
  }
}

// the store -------------------------------------------------------------------------------------------------------

/** The bytes of stored files kept in memory by default (FILE_CACHE_BYTES): the most read published files. */
export const FILE_CACHE_BYTES = 64 * 1024 * 1024;

type CachedFile = { file: StoredFile; bytes: Uint8Array } | null;

export class KyselyPlatformStore implements PlatformStore {
  readonly kind: DialectKind;
  readonly #db: Kysely<StoreDatabase>;
  /**
   * A published version's files never change (its id is the hash of its disclosure, each file is stored by its own
   * hash), so what `readVersionFile` read once can be served from memory ever after, by every process alike: the
   * most recently read files, up to `fileCacheBytes` in all. A file not found is not remembered (it may be published
   * a moment later).
   */
  readonly #files: LRUCache<string, NonNullable<CachedFile>>;

  constructor(kind: DialectKind, db: Kysely<StoreDatabase>, opts: { fileCacheBytes?: number } = {}) {
    this.kind = kind;
    this.#db = db;
    this.#files = new LRUCache({ maxSize: Math.max(1, opts.fileCacheBytes ?? FILE_CACHE_BYTES), sizeCalculation: (f) => Math.max(1, f.bytes.byteLength) });
  }

  /** the Kysely instance (for tests and tools); the port's methods are the store's interface */
  get db(): Kysely<StoreDatabase> {
    return this.#db;
  }

  #bool(b: boolean): DbBool {
    return this.kind === "sqlite" ? (b ? 1 : 0) : b;
  }

  async #audit(trx: Db, a: AuditEntry, at: string): Promise<void> {
    await trx
      .insertInto("audit_log")
      .values({ at, user_id: a.userId, action: a.action, entity: a.entity, entity_id: a.entityId, before: a.before, after: a.after })
      .execute();
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({
      db: this.#db,
      provider: storeMigrations(this.kind),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === "Error");
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`数据库迁移失败${failed ? ` ${failed.migrationName}` : ""}：${message} / the database migration failed${failed ? ` (${failed.migrationName})` : ""}: ${message}`, { cause: error });
    }
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  // regions -------------------------------------------------------------------------------------------------------

  async putRegion(r: RegionRow): Promise<void> {
    await this.#db
      .insertInto("regions")
      .values({ code: r.code, parent_code: r.parentCode, name: r.name })
      .onConflict((oc) => oc.column("code").doUpdateSet({ parent_code: r.parentCode, name: r.name }))
      .execute();
  }

  async getRegion(code: string): Promise<RegionRow | null> {
    const r = await this.#db.selectFrom("regions").selectAll().where("code", "=", code).executeTakeFirst();
    return r ? region(r) : null;
  }

  async listRegions(parentCode: string | null): Promise<RegionRow[]> {
    const rows = await this.#db
      .selectFrom("regions")
      .selectAll()
      .where("parent_code", parentCode === null ? "is" : "=", parentCode)
      .orderBy("code")
      .execute();
    return rows.map(region);
  }

  async regionAncestors(code: string): Promise<RegionRow[]> {
    const out: RegionRow[] = [];
    const seen = new Set<string>();
    let next: string | null = code;
    while (next !== null && !seen.has(next)) {
      seen.add(next);
      const r = await this.getRegion(next);
      if (!r) break;
      out.push(r);
      next = r.parentCode;
    }
    return out;
  }

  async putRegionYear(row: RegionYearRow): Promise<void> {
    const values = { template_id: row.templateId, catalog_official: this.#bool(row.catalogOfficial), approval_date: row.approvalDate };
    await this.#db
      .insertInto("region_years")
      .values({ region_code: row.regionCode, year: row.year, ...values })
      .onConflict((oc) => oc.columns(["region_code", "year"]).doUpdateSet(values))
      .execute();
  }

  async getRegionYear(regionCode: string, year: number): Promise<RegionYearRow | null> {
    const r = await this.#db.selectFrom("region_years").selectAll().where("region_code", "=", regionCode).where("year", "=", year).executeTakeFirst();
    return r ? regionYear(r) : null;
  }

  async listRegionYears(regionCode: string): Promise<RegionYearRow[]> {
    const rows = await this.#db.selectFrom("region_years").selectAll().where("region_code", "=", regionCode).orderBy("year", "desc").execute();
    return rows.map(regionYear);
  }

  // departments ---------------------------------------------------------------------------------------------------

  async createDepartment(d: Omit<DepartmentRow, "id">): Promise<DepartmentRow> {
    const r = await this.#db
      .insertInto("departments")
      .values({ region_code: d.regionCode, code: d.code, name: d.name })
      .returningAll()
      .executeTakeFirstOrThrow();
    return department(r);
  }

  async getDepartment(id: number): Promise<DepartmentRow | null> {
    const r = await this.#db.selectFrom("departments").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? department(r) : null;
  }

  async findDepartment(regionCode: string, code: string): Promise<DepartmentRow | null> {
    const r = await this.#db.selectFrom("departments").selectAll().where("region_code", "=", regionCode).where("code", "=", code).executeTakeFirst();
    return r ? department(r) : null;
  }

  async listDepartments(regionCode: string): Promise<DepartmentRow[]> {
    const rows = await this.#db.selectFrom("departments").selectAll().where("region_code", "=", regionCode).orderBy("code").execute();
    return rows.map(department);
  }

  async setUnits(departmentId: number, units: readonly Omit<UnitRow, "departmentId">[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("units").where("department_id", "=", departmentId).execute();
      if (units.length === 0) return;
      const rows = units.map((u, i) => ({ department_id: departmentId, position: i, code: u.code, name: u.name, type: u.type }));
      for (let i = 0; i < rows.length; i += 200) await trx.insertInto("units").values(rows.slice(i, i + 200)).execute();
    });
  }

  async listUnits(departmentId: number): Promise<UnitRow[]> {
    const rows = await this.#db.selectFrom("units").selectAll().where("department_id", "=", departmentId).orderBy("position").execute();
    return rows.map((r) => ({ departmentId: Number(r.department_id), code: r.code, name: r.name, type: r.type }));
  }

  // people --------------------------------------------------------------------------------------------------------

  async createUser(u: NewUser, audit: AuditEntry): Promise<Guarded<UserRow>> {
    const at = new Date().toISOString();
    return guardedTransaction(this.#db, async (trx) => {
      const r = await trx
        .insertInto("users")
        .values({
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          department_id: u.departmentId,
          region_code: u.regionCode,
          password_hash: u.passwordHash,
          disabled: this.#bool(false),
          created_at: at,
        })
        .onConflict((oc) => oc.column("username").doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!r) return { ok: false, reason: "duplicate" };
      await this.#audit(trx, audit, at);
      return { ok: true, value: user(r) };
    });
  }

  async getUser(id: number): Promise<UserRow | null> {
    const r = await this.#db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? user(r) : null;
  }

  async findUser(username: string): Promise<UserRow | null> {
    const r = await this.#db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
    return r ? user(r) : null;
  }

  async listUsers(): Promise<UserRow[]> {
    return (await this.#db.selectFrom("users").selectAll().orderBy("id").execute()).map(user);
  }

  async setUserDisabled(id: number, disabled: boolean, audit: AuditEntry): Promise<void> {
    const at = new Date().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      const r = await trx.updateTable("users").set({ disabled: this.#bool(disabled) }).where("id", "=", id).executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) await this.#audit(trx, audit, at);
    });
  }

  async setPasswordHash(id: number, passwordHash: string, audit: AuditEntry): Promise<void> {
    const at = new Date().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      const r = await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", id).executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) await this.#audit(trx, audit, at);
    });
  }

  async createSession(s: SessionRow): Promise<void> {
    await this.#db
      .insertInto("sessions")
      .values({ token_hash: s.tokenHash, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt })
      .execute();
  }

  async getSession(tokenHash: string, now: string): Promise<{ session: SessionRow; user: UserRow } | null> {
    const s = await this.#db.selectFrom("sessions").selectAll().where("token_hash", "=", tokenHash).where("expires_at", ">", now).executeTakeFirst();
    if (!s) return null;
    const u = await this.getUser(Number(s.user_id));
    if (!u || u.disabled) return null;
    return { session: session(s), user: u };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
  }

  async deleteSessionsOfUser(userId: number): Promise<number> {
    const r = await this.#db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async recordLoginFailure(key: string, at: string): Promise<void> {
    await this.#db.insertInto("login_failures").values({ key, at }).execute();
  }

  async countLoginFailures(key: string, since: string): Promise<number> {
    const r = await this.#db
      .selectFrom("login_failures")
      .select((eb) => eb.fn.countAll<number | string | bigint>().as("n"))
      .where("key", "=", key)
      .where("at", ">=", since)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.#db.deleteFrom("login_failures").where("key", "=", key).execute();
  }

  async createApiToken(t: Omit<ApiTokenRow, "id" | "revokedAt">, audit: AuditEntry): Promise<ApiTokenRow> {
    return this.#db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto("api_tokens")
        .values({ name: t.name, user_id: t.userId, token_hash: t.tokenHash, created_at: t.createdAt, created_by: t.createdBy, revoked_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.#audit(trx, audit, t.createdAt);
      return apiToken(r);
    });
  }

  async findApiToken(tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | null> {
    const t = await this.#db.selectFrom("api_tokens").selectAll().where("token_hash", "=", tokenHash).where("revoked_at", "is", null).executeTakeFirst();
    if (!t) return null;
    const u = await this.getUser(Number(t.user_id));
    if (!u || u.disabled) return null;
    return { token: apiToken(t), user: u };
  }

  async listApiTokens(): Promise<ApiTokenRow[]> {
    return (await this.#db.selectFrom("api_tokens").selectAll().orderBy("id").execute()).map(apiToken);
  }

  async revokeApiToken(id: number, at: string, audit: AuditEntry): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const r = await trx.updateTable("api_tokens").set({ revoked_at: at }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await this.#audit(trx, audit, at);
      return true;
    });
  }

  // budgets -------------------------------------------------------------------------------------------------------

  async getBudget(id: number): Promise<BudgetRow | null> {
    const r = await this.#db.selectFrom("budgets").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? budget(r) : null;
  }

  async findBudget(departmentId: number, year: number): Promise<BudgetRow | null> {
    const r = await this.#db.selectFrom("budgets").selectAll().where("department_id", "=", departmentId).where("year", "=", year).executeTakeFirst();
    return r ? budget(r) : null;
  }

  async listBudgets(filter: { departmentId?: number; regionCode?: string; year?: number; state?: BudgetState }): Promise<BudgetSummary[]> {
    let q = this.#db.selectFrom("budgets").innerJoin("departments", "departments.id", "budgets.department_id").select(BUDGET_SUMMARY_COLUMNS);
    if (filter.departmentId !== undefined) q = q.where("budgets.department_id", "=", filter.departmentId);
    if (filter.regionCode !== undefined) q = q.where("departments.region_code", "=", filter.regionCode);
    if (filter.year !== undefined) q = q.where("budgets.year", "=", filter.year);
    if (filter.state !== undefined) q = q.where("budgets.state", "=", filter.state);
    const rows = await q.orderBy("departments.code").orderBy("budgets.year").orderBy("budgets.id").execute();
    return rows.map(budgetSummary);
  }

  async listPublicationDates(regionCode: string, year: number): Promise<PublicationDateRow[]> {
    const rows = await this.#db
      .selectFrom("budgets")
      .innerJoin("departments", "departments.id", "budgets.department_id")
      .leftJoin("versions", "versions.budget_id", "budgets.id")
      .select(["budgets.id as budget_id", "budgets.department_id", "budgets.state", "budgets.published_count", "versions.number", "versions.published_at"])
      .where("departments.region_code", "=", regionCode)
      .where("budgets.year", "=", year)
      .orderBy("departments.code")
      .orderBy("budgets.id")
      .orderBy("versions.number")
      .execute();
    const out: PublicationDateRow[] = [];
    let last: { budgetId: number; versions: { number: number; publishedAt: string }[] } | null = null;
    for (const r of rows) {
      const budgetId = Number(r.budget_id);
      if (last === null || last.budgetId !== budgetId) {
        last = { budgetId, versions: [] };
        out.push({ departmentId: Number(r.department_id), budgetId, state: r.state as BudgetState, publishedCount: Number(r.published_count), versions: last.versions });
      }
      if (r.number !== null && r.published_at !== null) last.versions.push({ number: Number(r.number), publishedAt: r.published_at });
    }
    return out;
  }

  async createBudget(departmentId: number, year: number, f: BudgetDraftFields, at: string, audit: AuditEntry): Promise<Guarded<BudgetRow>> {
    return guardedTransaction(this.#db, async (trx) => {
      const r = await trx
        .insertInto("budgets")
        .values({
          department_id: departmentId,
          year,
          state: "draft",
          revision: 1,
          source_name: f.sourceName,
          source_yaml: f.sourceYaml,
          findings_json: f.findingsJson,
          error_count: f.errorCount,
          warning_count: f.warningCount,
          acknowledgement: null,
          return_reason: null,
          published_count: 0,
          updated_at: at,
          updated_by: audit.userId,
        })
        .onConflict((oc) => oc.columns(["department_id", "year"]).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!r) return { ok: false, reason: "duplicate" };
      await this.#audit(trx, audit, at);
      return { ok: true, value: budget(r) };
    });
  }

  /** why a guarded update of budget `id` touched no row */
  async #missed(trx: Db, id: number): Promise<{ ok: false; reason: "conflict" | "not_found" }> {
    const exists = await trx.selectFrom("budgets").select("id").where("id", "=", id).executeTakeFirst();
    return { ok: false, reason: exists ? "conflict" : "not_found" };
  }

  async updateDraft(id: number, expectedRevision: number, f: BudgetDraftFields, at: string, audit: AuditEntry): Promise<Guarded<BudgetRow>> {
    return guardedTransaction(this.#db, async (trx) => {
      const r = await trx
        .updateTable("budgets")
        .set((eb) => ({
          source_name: f.sourceName,
          source_yaml: f.sourceYaml,
          findings_json: f.findingsJson,
          error_count: f.errorCount,
          warning_count: f.warningCount,
          updated_at: at,
          updated_by: audit.userId,
          revision: eb("revision", "+", 1),
        }))
        .where("id", "=", id)
        .where("revision", "=", expectedRevision)
        .where("state", "=", "draft")
        .returningAll()
        .executeTakeFirst();
      if (!r) return this.#missed(trx, id);
      await this.#audit(trx, audit, at);
      return { ok: true, value: budget(r) };
    });
  }

  async transition(
    id: number,
    expectedRevision: number,
    from: readonly BudgetState[],
    to: Exclude<BudgetState, "published">,
    set: { acknowledgement?: string | null; returnReason?: string | null },
    at: string,
    audit: AuditEntry,
  ): Promise<Guarded<BudgetRow>> {
    if ((to as BudgetState) === "published") throw new Error("transition: a budget is published by publishVersion");
    if (from.length === 0) return (await this.getBudget(id)) ? { ok: false, reason: "conflict" } : { ok: false, reason: "not_found" };
    return guardedTransaction(this.#db, async (trx) => {
      const r = await trx
        .updateTable("budgets")
        .set((eb) => ({
          state: to,
          updated_at: at,
          updated_by: audit.userId,
          revision: eb("revision", "+", 1),
          ...(set.acknowledgement !== undefined ? { acknowledgement: set.acknowledgement } : {}),
          ...(set.returnReason !== undefined ? { return_reason: set.returnReason } : {}),
        }))
        .where("id", "=", id)
        .where("revision", "=", expectedRevision)
        .where("state", "in", [...from])
        .returningAll()
        .executeTakeFirst();
      if (!r) return this.#missed(trx, id);
      await this.#audit(trx, audit, at);
      return { ok: true, value: budget(r) };
    });
  }

  // versions ------------------------------------------------------------------------------------------------------

  async publishVersion(
    p: { budgetId: number; expectedRevision: number; id: string; reason: string | null; changeLogJson: string | null; files: readonly FileToStore[]; searchEntries?: readonly SearchEntry[] },
    at: string,
    publishedBy: number | null,
    audit: AuditEntry,
  ): Promise<Guarded<VersionRow>> {
    const files = p.files.map((f) => ({ path: f.path, mediaType: f.mediaType, bytes: toBuffer(f.bytes), sha256: sha256Hex(f.bytes) }));
    return guardedTransaction(this.#db, async (trx) => {
      const existing = await trx.selectFrom("versions").select("id").where("id", "=", p.id).executeTakeFirst();
      if (existing) return { ok: false, reason: "duplicate" };
      // the budget first: its row lock orders concurrent publishes of one budget
      const b = await trx
        .updateTable("budgets")
        .set((eb) => ({
          state: "published",
          published_count: eb("published_count", "+", 1),
          revision: eb("revision", "+", 1),
          updated_at: at,
          updated_by: publishedBy,
        }))
        .where("id", "=", p.budgetId)
        .where("revision", "=", p.expectedRevision)
        .where("state", "=", "approved")
        .returningAll()
        .executeTakeFirst();
      if (!b) return this.#missed(trx, p.budgetId);
      // each file's bytes once, in one order (by hash) so that concurrent publishes sharing files cannot deadlock
      const bySha = new Map(files.map((f) => [f.sha256, f.bytes] as const));
      const shas = [...bySha.keys()].sort();
      const stored = new Set<string>();
      for (let i = 0; i < shas.length; i += 500) {
        const rows = await trx.selectFrom("blobs").select("sha256").where("sha256", "in", shas.slice(i, i + 500)).execute();
        for (const r of rows) stored.add(r.sha256);
      }
      for (const sha of shas) {
        if (stored.has(sha)) continue;
        const bytes = bySha.get(sha) as Buffer;
        await trx
          .insertInto("blobs")
          .values({ sha256: sha, bytes, size: bytes.byteLength })
          .onConflict((oc) => oc.column("sha256").doNothing())
          .execute();
      }
      const v = await trx
        .insertInto("versions")
        .values({
          id: p.id,
          budget_id: p.budgetId,
          number: Number(b.published_count),
          published_at: at,
          published_by: publishedBy,
          reason: p.reason,
          change_log_json: p.changeLogJson,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .returning([...VERSION_COLUMNS, HAS_CHANGE_LOG])
        .executeTakeFirst();
      if (!v) return { ok: false, reason: "duplicate" };
      const fileRows = files.map((f) => ({ version_id: p.id, path: f.path, media_type: f.mediaType, sha256: f.sha256 }));
      for (let i = 0; i < fileRows.length; i += 200) await trx.insertInto("version_files").values(fileRows.slice(i, i + 200)).execute();
      // the version is searchable from the moment it is public, and the version it corrects no longer
      const d = await trx.selectFrom("departments").select("region_code").where("id", "=", b.department_id).executeTakeFirstOrThrow();
      await replaceSearchEntries(this.kind, trx, { versionId: p.id, budgetId: p.budgetId, departmentId: Number(b.department_id), regionCode: d.region_code, year: Number(b.year) }, p.searchEntries ?? []);
      await this.#audit(trx, audit, at);
      return { ok: true, value: version(v) };
    });
  }

  async listVersions(budgetId: number): Promise<VersionRow[]> {
    return (await this.#db.selectFrom("versions").select([...VERSION_COLUMNS, HAS_CHANGE_LOG]).where("budget_id", "=", budgetId).orderBy("number").execute()).map(version);
  }

  async findPublishedVersions(regionCode: string, departmentCode: string, year: number): Promise<{ region: RegionRow; department: DepartmentRow; versions: VersionRow[] } | null> {
    const rows = await this.#db
      .selectFrom("versions")
      .innerJoin("budgets", "budgets.id", "versions.budget_id")
      .innerJoin("departments", "departments.id", "budgets.department_id")
      .innerJoin("regions", "regions.code", "departments.region_code")
      .select([...VERSION_COLUMNS, HAS_CHANGE_LOG])
      .select(["departments.id as d_id", "departments.code as d_code", "departments.name as d_name", "regions.code as r_code", "regions.parent_code as r_parent", "regions.name as r_name"])
      .where("regions.code", "=", regionCode)
      .where("departments.code", "=", departmentCode)
      .where("budgets.year", "=", year)
      .orderBy("versions.number")
      .execute();
    const first = rows[0];
    if (!first) return null;
    return {
      region: region({ code: first.r_code, parent_code: first.r_parent, name: first.r_name }),
      department: department({ id: first.d_id, region_code: first.r_code, code: first.d_code, name: first.d_name }),
      versions: rows.map(version),
    };
  }

  async readChangeLog(versionId: string): Promise<string | null> {
    const r = await this.#db.selectFrom("versions").select("change_log_json").where("id", "=", versionId).executeTakeFirst();
    return r?.change_log_json ?? null;
  }

  async getVersion(budgetId: number, number: number): Promise<VersionRow | null> {
    const r = await this.#db.selectFrom("versions").select([...VERSION_COLUMNS, HAS_CHANGE_LOG]).where("budget_id", "=", budgetId).where("number", "=", number).executeTakeFirst();
    return r ? version(r) : null;
  }

  async currentVersion(departmentId: number, year: number): Promise<VersionRow | null> {
    const r = await this.#db
      .selectFrom("versions")
      .innerJoin("budgets", "budgets.id", "versions.budget_id")
      .select([...VERSION_COLUMNS, HAS_CHANGE_LOG])
      .where("budgets.department_id", "=", departmentId)
      .where("budgets.year", "=", year)
      .orderBy("versions.number", "desc")
      .limit(1)
      .executeTakeFirst();
    return r ? version(r) : null;
  }

  async listCurrentVersions(regionCode: string, year: number): Promise<{ department: DepartmentRow; version: VersionRow }[]> {
    const rows = await this.#db
      .selectFrom("versions")
      .innerJoin("budgets", "budgets.id", "versions.budget_id")
      .innerJoin("departments", "departments.id", "budgets.department_id")
      .select([...VERSION_COLUMNS, HAS_CHANGE_LOG])
      .select(["departments.id as d_id", "departments.region_code as d_region_code", "departments.code as d_code", "departments.name as d_name"])
      .where("departments.region_code", "=", regionCode)
      .where("budgets.year", "=", year)
      .where(({ eb, selectFrom }) => eb("versions.number", "=", selectFrom("versions as latest").select(({ fn }) => fn.max("latest.number").as("n")).whereRef("latest.budget_id", "=", "budgets.id")))
      .orderBy("departments.code")
      .execute();
    return rows.map((r) => ({ department: department({ id: r.d_id, region_code: r.d_region_code, code: r.d_code, name: r.d_name }), version: version(r) }));
  }

  async listVersionFiles(versionId: string): Promise<StoredFile[]> {
    const rows = await this.#db
      .selectFrom("version_files")
      .innerJoin("blobs", "blobs.sha256", "version_files.sha256")
      .select(["version_files.path", "version_files.media_type", "version_files.sha256", "blobs.size"])
      .where("version_files.version_id", "=", versionId)
      .orderBy("version_files.path")
      .execute();
    return rows.map((r) => ({ path: r.path, mediaType: r.media_type, sha256: r.sha256, size: Number(r.size) }));
  }

  async readVersionFile(versionId: string, path: string): Promise<{ file: StoredFile; bytes: Uint8Array } | null> {
    const key = `${versionId}/${path}`;
    const hit = this.#files.get(key);
    if (hit) return hit;
    const read = await this.#readVersionFile(versionId, path);
    if (read) this.#files.set(key, read);
    return read;
  }

  async #readVersionFile(versionId: string, path: string): Promise<CachedFile> {
    const r = await this.#db
      .selectFrom("version_files")
      .innerJoin("blobs", "blobs.sha256", "version_files.sha256")
      .select(["version_files.path", "version_files.media_type", "version_files.sha256", "blobs.size", "blobs.bytes"])
      .where("version_files.version_id", "=", versionId)
      .where("version_files.path", "=", path)
      .executeTakeFirst();
    if (!r) return null;
    return { file: { path: r.path, mediaType: r.media_type, sha256: r.sha256, size: Number(r.size) }, bytes: toBytes(r.bytes) };
  }

  // search --------------------------------------------------------------------------------------------------------

  search(terms: readonly SearchTermInput[], filter: SearchFilter, limitPerKind: number): Promise<SearchGroup[]> {
    return searchEntries(this.kind, this.#db, terms, filter, limitPerKind);
  }

  listUnindexedVersions(afterId: string | null, limit: number): Promise<VersionRow[]> {
    return listUnindexedVersions(this.#db, afterId, limit);
  }

  indexVersion(versionId: string, entries: readonly SearchEntry[]): Promise<boolean> {
    return indexVersion(this.kind, this.#db, versionId, entries);
  }

  // audit log and settings ----------------------------------------------------------------------------------------

  async listAudit(filter: { entity?: string; entityId?: string; userId?: number; limit?: number }): Promise<AuditRow[]> {
    const limit = Math.min(1000, Math.max(1, Math.floor(filter.limit ?? 100)));
    let q = this.#db.selectFrom("audit_log").selectAll();
    if (filter.entity !== undefined) q = q.where("entity", "=", filter.entity);
    if (filter.entityId !== undefined) q = q.where("entity_id", "=", filter.entityId);
    if (filter.userId !== undefined) q = q.where("user_id", "=", filter.userId);
    return (await q.orderBy("id", "desc").limit(limit).execute()).map(auditRow);
  }

  async getMeta(key: string): Promise<string | null> {
    const r = await this.#db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
    return r ? r.value : null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#db
      .insertInto("meta")
      .values({ key, value })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
      .execute();
  }
}

/** the number of rows of a table (tests and tools) */
export async function countRows(db: Kysely<StoreDatabase>, table: keyof StoreDatabase): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
