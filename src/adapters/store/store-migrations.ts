/**
 * The platform store's schema, as in-code Kysely migrations: one set for SQLite, PostgreSQL and PGlite. Where the
 * databases' types differ (auto-increment ids, booleans, bytes) the migration branches on the dialect's kind.
 * Kysely's Migrator records what ran in `gongkai_migration` (and locks with `gongkai_migration_lock`).
 */
import type { ColumnDataType, CreateTableBuilder, Kysely, Migration, MigrationProvider } from "kysely";
import { sql } from "./kysely-runtime.ts";

export type DialectKind = "sqlite" | "postgres" | "pglite";

/** the table where the Migrator records the migrations that ran (also how a backup is recognised as a store) */
export const MIGRATION_TABLE = "gongkai_migration";
export const MIGRATION_LOCK_TABLE = "gongkai_migration_lock";

type Types = { bool: ColumnDataType; bytes: ColumnDataType };

function typesOf(kind: DialectKind): Types {
  return kind === "sqlite" ? { bool: "integer", bytes: "blob" } : { bool: "boolean", bytes: "bytea" };
}

/** an integer id the database assigns: INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, an identity column on PostgreSQL */
function withId<T extends string>(kind: DialectKind, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, "id"> {
  return kind === "sqlite"
    ? t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    : t.addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity());
}

function platform(kind: DialectKind): Migration {
  const ty = typesOf(kind);
  return {
    // oxlint-disable-next-line typescript/no-explicit-any -- a migration is written against the schema of its time
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("regions")
        .addColumn("code", "text", (c) => c.primaryKey())
        .addColumn("parent_code", "text", (c) => c.references("regions.code"))
        .addColumn("name", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("regions_parent").on("regions").column("parent_code").execute();

      await db.schema
        .createTable("region_years")
        .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
        .addColumn("year", "integer", (c) => c.notNull())
        .addColumn("template_id", "text", (c) => c.notNull())
        .addColumn("catalog_official", ty.bool, (c) => c.notNull())
        .addColumn("approval_date", "text")
        .addPrimaryKeyConstraint("region_years_pk", ["region_code", "year"])
        .execute();

      await withId(kind, db.schema.createTable("departments"))
        .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addUniqueConstraint("departments_region_code", ["region_code", "code"])
        .execute();

      await db.schema
        .createTable("units")
        .addColumn("department_id", "integer", (c) => c.notNull().references("departments.id"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("units_pk", ["department_id", "position"])
        .execute();

      await withId(kind, db.schema.createTable("users"))
        .addColumn("username", "text", (c) => c.notNull().unique())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("department_id", "integer", (c) => c.references("departments.id"))
        .addColumn("region_code", "text", (c) => c.references("regions.code"))
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("disabled", ty.bool, (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("sessions")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("csrf_token", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

      await withId(kind, db.schema.createTable("login_failures"))
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("login_failures_key_at").on("login_failures").columns(["key", "at"]).execute();

      await withId(kind, db.schema.createTable("api_tokens"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("revoked_at", "text")
        .execute();

      await withId(kind, db.schema.createTable("budgets"))
        .addColumn("department_id", "integer", (c) => c.notNull().references("departments.id"))
        .addColumn("year", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("revision", "integer", (c) => c.notNull())
        .addColumn("source_name", "text", (c) => c.notNull())
        .addColumn("source_yaml", "text", (c) => c.notNull())
        .addColumn("findings_json", "text", (c) => c.notNull())
        .addColumn("error_count", "integer", (c) => c.notNull())
        .addColumn("warning_count", "integer", (c) => c.notNull())
        .addColumn("acknowledgement", "text")
        .addColumn("return_reason", "text")
        .addColumn("published_count", "integer", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("updated_by", "integer", (c) => c.references("users.id"))
        .addUniqueConstraint("budgets_department_year", ["department_id", "year"])
        .execute();

      await db.schema
        .createTable("blobs")
        .addColumn("sha256", "text", (c) => c.primaryKey())
        .addColumn("bytes", ty.bytes, (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("versions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("budget_id", "integer", (c) => c.notNull().references("budgets.id"))
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("published_at", "text", (c) => c.notNull())
        .addColumn("published_by", "integer", (c) => c.references("users.id"))
        .addColumn("reason", "text")
        .addColumn("change_log_json", "text")
        .addUniqueConstraint("versions_budget_number", ["budget_id", "number"])
        .execute();

      await db.schema
        .createTable("version_files")
        .addColumn("version_id", "text", (c) => c.notNull().references("versions.id"))
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("media_type", "text", (c) => c.notNull())
        .addColumn("sha256", "text", (c) => c.notNull().references("blobs.sha256"))
        .addPrimaryKeyConstraint("version_files_pk", ["version_id", "path"])
        .execute();

      await withId(kind, db.schema.createTable("audit_log"))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("user_id", "integer")
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("entity", "text", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("before", "text")
        .addColumn("after", "text")
        .execute();
      await db.schema.createIndex("audit_log_entity").on("audit_log").columns(["entity", "entity_id"]).execute();
      await db.schema.createIndex("audit_log_user").on("audit_log").column("user_id").execute();

      await db.schema
        .createTable("meta")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * The public search (src/domain/search-terms.ts): one row per searchable thing of a budget's current published
 * version, with its tokens. SQLite matches the tokens with an FTS5 table (`ascii` tokenizer: every non-ASCII
 * character is a token character and tokens are split at spaces only, so the pairs of Han characters stay whole;
 * rowid = the entry's id); PostgreSQL with a generated tsvector of exactly the tokens (`array_to_tsvector`, no parser
 * or dictionary, so what matches does not depend on the server's locale) under a GIN index.
 */
function search(kind: DialectKind): Migration {
  return {
    // oxlint-disable-next-line typescript/no-explicit-any -- a migration is written against the schema of its time
    async up(db: Kysely<any>) {
      await withId(kind, db.schema.createTable("search_entries"))
        .addColumn("version_id", "text", (c) => c.notNull().references("versions.id"))
        .addColumn("budget_id", "integer", (c) => c.notNull().references("budgets.id"))
        .addColumn("department_id", "integer", (c) => c.notNull().references("departments.id"))
        .addColumn("region_code", "text", (c) => c.notNull())
        .addColumn("year", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("figure", "text")
        .addColumn("amount_fen", "bigint")
        .addColumn("tokens", "text", (c) => c.notNull())
        .$call((t) => (kind === "sqlite" ? t : t.addColumn("tsv", sql`tsvector`, (c) => c.generatedAlwaysAs(sql`array_to_tsvector(string_to_array(tokens, ' '))`).stored())))
        .execute();
      await db.schema.createIndex("search_entries_budget").on("search_entries").column("budget_id").execute();
      await db.schema.createIndex("search_entries_version").on("search_entries").column("version_id").execute();
      if (kind === "sqlite") await sql`create virtual table search_fts using fts5(tokens, tokenize = 'ascii')`.execute(db);
      else await sql`create index search_entries_tsv on search_entries using gin (tsv)`.execute(db);
    },
  };
}

/** The store's migrations, by name (applied in name order). */
export function storeMigrations(kind: DialectKind): MigrationProvider {
  return {
    getMigrations: async () => ({
      "2026-12-03-001-platform": platform(kind),
      "2026-12-04-002-search": search(kind),
    }),
  };
}
