/**
 * SIGKILL of the server at 30 seeded random points of a publish, on PostgreSQL (DATABASE_URL_TEST; mandatory in CI,
 * where its absence fails): every time, either the old state or the new version is there with all its files, never
 * a half one (see publish-sigkill-harness.ts). The store's contract suite uses DATABASE_URL_TEST's database at the
 * same time, so this test creates a database of its own beside it (the role needs CREATEDB, see .ci/run) and drops
 * it at the end.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { killLeftovers, runPublishSigkill } from "./publish-sigkill-harness.ts";

const PG_URL = process.env.DATABASE_URL_TEST;
const IN_CI = process.env.CI === "true";
const SEED = 0x5eed2025;
const KILLS = 30;

afterEach(killLeftovers);

async function admin<T>(f: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}

/** until no connection to `db` is left but ours: a killed server's transaction is then rolled back or committed */
async function settle(db: string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const n = await admin(async (c) => Number((await c.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [db])).rows[0]?.n));
    if (n === 0) return;
    if (Date.now() > until) throw new Error(`${n} connection(s) to ${db} still open 30 s after the kill`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("publish under SIGKILL on PostgreSQL", () => {
  it.skipIf(!IN_CI && !PG_URL)("DATABASE_URL_TEST names the PostgreSQL test database (mandatory in CI)", () => {
    expect(PG_URL, "CI=true but DATABASE_URL_TEST is not set: the publish SIGKILL test must run on PostgreSQL in CI (see .ci/run)").toBeTruthy();
  });

  it.skipIf(!PG_URL)(
    `${KILLS} SIGKILLs of the server at seeded random points of a publish (seed 0x${SEED.toString(16)}) leave the old state or the whole new version`,
    async () => {
      const db = `gongkai_sigkill_${randomBytes(6).toString("hex")}`;
      await admin((c) => c.query(`CREATE DATABASE ${db}`)).catch((e: unknown) => {
        throw new Error(`cannot create the test's own database ${db} (DATABASE_URL_TEST's role needs CREATEDB, see .ci/run): ${String(e)}`, { cause: e });
      });
      try {
        const u = new URL(PG_URL!);
        u.pathname = `/${db}`;
        const url = u.toString();
        const report = await runPublishSigkill(
          { name: "postgres", config: { kind: "postgres", url }, serverEnv: { DATABASE_URL: url }, settle: () => settle(db) },
          { seed: SEED, kills: KILLS, lo: 0.4, hi: 1.25, log: (l) => console.log(l) },
        );
        console.log(`postgres: ${report.old} old, ${report.new} new of ${KILLS} kills; T ${report.measuredMs.toFixed(0)} ms; ${(report.totalMs / 1000).toFixed(1)} s in all`);
        expect(report.kills).toHaveLength(KILLS);
        expect(report.old, "some kills land before the commit (otherwise the kill points miss the window)").toBeGreaterThanOrEqual(1);
        expect(report.new, "some kills land after the commit").toBeGreaterThanOrEqual(1);
      } finally {
        killLeftovers();
        await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
      }
    },
    15 * 60_000,
  );
});
