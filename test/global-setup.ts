/**
 * Once before every test run: the browser editor's script and stylesheet are built (as `npm start` builds them), so
 * the servers the tests start serve what a user's would.
 *
 * And every temporary file of the run — the tests' own folders, the CLI's, LibreOffice's and Chromium's — goes into
 * one folder made here (TMPDIR, which the test workers and every process they start inherit), removed when the run
 * ends: a run leaves nothing behind in /tmp, even where a test forgets to clean up or is stopped half-way.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAssets } from "../src/adapters/web/build-assets.ts";

export default async function setup(): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), "gongkai-tests-"));
  const before = process.env["TMPDIR"];
  process.env["TMPDIR"] = root;
  await buildAssets();
  return () => {
    if (before === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = before;
    if (process.env["GONGKAI_KEEP_TEST_TMP"] === "1") console.log(`test files kept in ${root}`);
    else rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
