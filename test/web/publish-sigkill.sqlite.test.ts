/**
 * SIGKILL of the server at 30 seeded random points of a publish, on SQLite: every time, either the old state or the
 * new version is there with all its files, never a half one (see publish-sigkill-harness.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { killLeftovers, runPublishSigkill } from "./publish-sigkill-harness.ts";

const SEED = 0x5eed2024;
const KILLS = 30;

const tmp = mkdtempSync(join(tmpdir(), "gongkai-sigkill-sqlite-"));
afterEach(killLeftovers);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("publish under SIGKILL on SQLite", () => {
  it(
    `${KILLS} SIGKILLs of the server at seeded random points of a publish (seed 0x${SEED.toString(16)}) leave the old state or the whole new version`,
    async () => {
      const file = join(tmp, "gongkai.db");
      const report = await runPublishSigkill(
        { name: "sqlite", config: { kind: "sqlite", file }, serverEnv: { GONGKAI_DB: file } },
        { seed: SEED, kills: KILLS, lo: 0.4, hi: 1.25, log: (l) => console.log(l) },
      );
      console.log(`sqlite: ${report.old} old, ${report.new} new of ${KILLS} kills; T ${report.measuredMs.toFixed(0)} ms; ${(report.totalMs / 1000).toFixed(1)} s in all`);
      expect(report.kills).toHaveLength(KILLS);
      expect(report.old, "some kills land before the commit (otherwise the kill points miss the window)").toBeGreaterThanOrEqual(1);
      expect(report.new, "some kills land after the commit").toBeGreaterThanOrEqual(1);
    },
    15 * 60_000,
  );
});
