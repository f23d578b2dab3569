/**
 * The public search in the store (the tables of the `search` migration in store-migrations.ts): writing a version's
 * entries in the caller's transaction, and matching a query's terms — SQLite through the FTS5 table `search_fts`,
 * PostgreSQL and PGlite through the GIN-indexed tsvector column `search_entries.tsv`.
 *
 * The query never enters SQL: the FTS5 or tsquery expression is built here from the terms, each token quoted (FTS5:
 * `"tok"`, a `"` doubled; tsquery: `'tok'`, a `'` doubled and a `\` escaped; a prefix term `"tok"*` / `'tok':*`),
 * joined by AND, and bound as one parameter. Amounts are written as bigint 分 and read back as text, so that no
 * driver turns them into a float.
 */
import type { Generated, Kysely, Transaction } from "kysely";
import { sql } from "./kysely-runtime.ts";
import type { SearchEntry, SearchFilter, SearchGroup, SearchHit, SearchKind, SearchTermInput, VersionRow } from "../../app/platform/platform-store.ts";
import { SEARCH_KINDS } from "../../app/platform/platform-store.ts";
import { HAS_CHANGE_LOG, version, VERSION_COLUMNS, type StoreDatabase } from "./kysely-store.ts";
import type { DialectKind } from "./store-migrations.ts";

export interface SearchEntriesTable {
  id: Generated<number>;
  version_id: string;
  budget_id: number;
  department_id: number;
  region_code: string;
  year: number;
  kind: string;
  position: number;
  code: string;
  name: string;
  figure: string | null;
  /** bigint 分: bound as a bigint on SQLite, as its decimal text on PostgreSQL (pg cannot bind a bigint) */
  amount_fen: bigint | string | null;
  tokens: string;
}

/** SQLite only: the FTS5 table over the entries' tokens (rowid = search_entries.id) */
export interface SearchFtsTable {
  rowid: number;
  tokens: string;
}

type Db = Kysely<StoreDatabase> | Transaction<StoreDatabase>;

/** The FTS5 expression of the terms: each a quoted string (`"` doubled), a prefix term followed by `*`, joined by AND. */
export function ftsExpression(terms: readonly SearchTermInput[]): string {
  return terms.map((t) => `"${t.text.replaceAll('"', '""')}"${t.prefix ? "*" : ""}`).join(" AND ");
}

/** The tsquery text of the terms: each a quoted lexeme (`'` doubled, `\` escaped), a prefix term with `:*`, joined by &. */
export function tsqueryExpression(terms: readonly SearchTermInput[]): string {
  return terms.map((t) => `'${t.text.replaceAll("\\", "\\\\").replaceAll("'", "''")}'${t.prefix ? ":*" : ""}`).join(" & ");
}

/**
 * Replaces the budget's entries by the version's (in the caller's transaction): the entries of every earlier version
 * of the budget go, so that only the current version is ever found.
 */
export async function replaceSearchEntries(
  kind: DialectKind,
  trx: Transaction<StoreDatabase>,
  at: { versionId: string; budgetId: number; departmentId: number; regionCode: string; year: number },
  entries: readonly SearchEntry[],
): Promise<void> {
  if (kind === "sqlite") await sql`delete from search_fts where rowid in (select id from search_entries where budget_id = ${at.budgetId})`.execute(trx);
  await trx.deleteFrom("search_entries").where("budget_id", "=", at.budgetId).execute();
  if (entries.length === 0) return;
  const rows = entries.map((e, position) => ({
    version_id: at.versionId,
    budget_id: at.budgetId,
    department_id: at.departmentId,
    region_code: at.regionCode,
    year: at.year,
    kind: e.kind,
    position,
    code: e.code,
    name: e.name,
    figure: e.figure,
    amount_fen: e.amountFen === null ? null : kind === "sqlite" ? e.amountFen : e.amountFen.toString(),
    tokens: e.tokens,
  }));
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto("search_entries").values(rows.slice(i, i + 200)).execute();
  if (kind === "sqlite") await sql`insert into search_fts (rowid, tokens) select id, tokens from search_entries where version_id = ${at.versionId}`.execute(trx);
}

/**
 * The version's entries replace its budget's when the version is still the budget's latest (the budget row is locked
 * first, as publishVersion locks it, so that a publish running at the same time is ordered before or after).
 */
export async function indexVersion(kind: DialectKind, db: Kysely<StoreDatabase>, versionId: string, entries: readonly SearchEntry[]): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const v = await trx.selectFrom("versions").select(["budget_id", "number"]).where("id", "=", versionId).executeTakeFirst();
    if (!v) return false;
    const budgetId = Number(v.budget_id);
    const lock = trx.selectFrom("budgets").innerJoin("departments", "departments.id", "budgets.department_id").select(["budgets.department_id", "budgets.year", "departments.region_code"]).where("budgets.id", "=", budgetId);
    const b = await (kind === "sqlite" ? lock : lock.forUpdate("budgets")).executeTakeFirst();
    if (!b) return false;
    const latest = await trx.selectFrom("versions").select((eb) => eb.fn.max("number").as("n")).where("budget_id", "=", budgetId).executeTakeFirst();
    if (Number(latest?.n ?? 0) !== Number(v.number)) return false;
    await replaceSearchEntries(kind, trx, { versionId, budgetId, departmentId: Number(b.department_id), regionCode: b.region_code, year: Number(b.year) }, entries);
    return true;
  });
}

/** Current versions (the latest of their budget) that have no entry, by id after `afterId`. */
export async function listUnindexedVersions(db: Db, afterId: string | null, limit: number): Promise<VersionRow[]> {
  let q = db
    .selectFrom("versions")
    .select([...VERSION_COLUMNS, HAS_CHANGE_LOG])
    .where(({ eb, selectFrom }) => eb("versions.number", "=", selectFrom("versions as l").select(({ fn }) => fn.max("l.number").as("n")).whereRef("l.budget_id", "=", "versions.budget_id")))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("search_entries as e").select("e.id").whereRef("e.version_id", "=", "versions.id"))));
  if (afterId !== null) q = q.where("versions.id", ">", afterId);
  const rows = await q.orderBy("versions.id").limit(Math.max(1, Math.min(1000, Math.floor(limit)))).execute();
  return rows.map(version);
}

interface HitRow {
  kind: string;
  code: string;
  name: string;
  figure: string | null;
  amount: string | null;
  region_code: string;
  region_name: string;
  department_code: string;
  department_name: string;
  year: number | string;
  version_id: string;
  version_number: number | string;
  rn: number | string | bigint;
  total: number | string | bigint;
}

/** The entries matching every term, grouped by kind, at most `limitPerKind` of each with the kind's total. */
export async function searchEntries(kind: DialectKind, db: Db, terms: readonly SearchTermInput[], filter: SearchFilter, limitPerKind: number): Promise<SearchGroup[]> {
  const groups = new Map<SearchKind, { total: number; hits: SearchHit[] }>(SEARCH_KINDS.map((k) => [k, { total: 0, hits: [] }]));
  const usable = terms.filter((t) => t.text !== "");
  if (usable.length > 0) {
    const limit = Math.max(1, Math.min(1000, Math.floor(limitPerKind)));
    const match = kind === "sqlite" ? sql`e.id in (select rowid from search_fts where search_fts match ${ftsExpression(usable)})` : sql`e.tsv @@ cast(${tsqueryExpression(usable)} as tsquery)`;
    const conditions = [match];
    if (filter.year !== undefined) conditions.push(sql`e.year = ${filter.year}`);
    if (filter.regionCode !== undefined) conditions.push(sql`e.region_code in (select code from within_region)`);
    const within =
      filter.regionCode === undefined
        ? sql``
        : sql`with recursive within_region(code) as (select code from regions where code = ${filter.regionCode} union select r.code from regions r join within_region w on r.parent_code = w.code) `;
    // the window runs over the matching entries alone; the names are joined only to the rows shown
    const r = await sql<HitRow>`${within}select m.kind, m.code, m.name, m.figure, cast(m.amount_fen as text) as amount, m.region_code, g.name as region_name,
        d.code as department_code, d.name as department_name, m.year, m.version_id, v.number as version_number, m.rn, m.total
      from (
        select e.kind, e.code, e.name, e.figure, e.amount_fen, e.region_code, e.department_id, e.year, e.version_id,
          row_number() over (partition by e.kind order by e.year desc, e.region_code, e.department_id, e.position) as rn,
          count(*) over (partition by e.kind) as total
        from search_entries e
        where ${sql.join(conditions, sql` and `)}
      ) m
      join departments d on d.id = m.department_id
      join regions g on g.code = m.region_code
      join versions v on v.id = m.version_id
      where m.rn <= ${limit} order by m.kind, m.rn`.execute(db);
    for (const row of r.rows) {
      const g = groups.get(row.kind as SearchKind);
      if (!g) continue;
      g.total = Number(row.total);
      g.hits.push({
        kind: row.kind as SearchKind,
        code: row.code,
        name: row.name,
        figure: row.figure,
        amountFen: row.amount === null ? null : BigInt(row.amount),
        regionCode: row.region_code,
        regionName: row.region_name,
        departmentCode: row.department_code,
        departmentName: row.department_name,
        year: Number(row.year),
        versionId: row.version_id,
        versionNumber: Number(row.version_number),
      });
    }
  }
  return SEARCH_KINDS.map((k) => ({ kind: k, ...groups.get(k)! }));
}
