/**
 * Test helpers: run the CLI as a user does (a subprocess), read CSV outputs, compare tables cell by cell
 * the way the reference README says (BOM ignored, spaces inside a cell ignored, a missing trailing cell blank).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseCsv } from "../src/domain/csv-format.ts";

export const ROOT = resolve(import.meta.dirname, "..");
/** The reference material the tests compare with, copied into the project (test/reference/README.md says from where). */
export const REFERENCE = join(ROOT, "test/reference");
export const REFERENCE_EXPECTED = join(REFERENCE, "changji-xinfang-2024/expected");
export const REFERENCE_SEED = join(REFERENCE, "seed/changji-xinfang-2024-budget.txt");
/**
 * How the tests start `gongkai`: node itself with tsx's loader, one process per run (the `tsx` command would start a
 * second node and pass signals on to it). `spawn(CLI[0], [...CLI.slice(1), ...args])`, or `cliArgs(args)`.
 */
export const CLI_MAIN = join(ROOT, "src/adapters/cli/main.ts");
export const TSX_LOADER = import.meta.resolve("tsx");
export const NODE = process.execPath;
export const cliArgs = (args: readonly string[]): string[] => ["--import", TSX_LOADER, CLI_MAIN, ...args];

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], opts: { cwd?: string; input?: string; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(NODE, cliArgs(args), {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 60_000,
    env: { ...process.env, NO_COLOR: "1" },
    input: opts.input ?? "",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = "gongkai-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copies an example folder to a temporary folder, so the test reads only what the CLI writes. */
export function copyExample(name: string): string {
  const dir = tempDir();
  cpSync(join(ROOT, "examples", name), join(dir, name), { recursive: true });
  return join(dir, name);
}

export function readCsvFile(path: string): string[][] {
  return parseCsv(readFileSync(path, "utf8"));
}

const norm = (s: string | undefined) => (s ?? "").replace(/\s+/g, "");

/** Cell-by-cell differences between two CSV tables (empty list when equal). */
export function csvDiff(got: string[][], want: string[][], limit = 20): string[] {
  const out: string[] = [];
  const rows = Math.max(got.length, want.length);
  for (let i = 0; i < rows; i++) {
    const g = got[i] ?? [];
    const w = want[i] ?? [];
    const cols = Math.max(g.length, w.length);
    for (let j = 0; j < cols; j++) {
      if (norm(g[j]) !== norm(w[j])) out.push(`row ${i + 1} col ${j + 1} (${w[0] ?? g[0] ?? ""}): got ${JSON.stringify(g[j] ?? "")} want ${JSON.stringify(w[j] ?? "")}`);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}
