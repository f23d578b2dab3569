/**
 * Phase `limits`: the largest budget the input limits allow (MAX_UNITS units, MAX_PROJECTS projects each with a
 * performance target, MAX_LINES lines, MAX_INDICATORS indicators: bench/limit-budget.ts), built by the CLI as a user runs it, every format at once and then each format alone, each
 * under /usr/bin/time: wall and CPU seconds and peak memory (max RSS) of the subprocess. The promise (README, Input
 * limits): every renderer under 1.5 GiB and a minute.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_INDICATORS, MAX_LINES, MAX_PROJECTS, MAX_UNITS } from "../src/domain/budget-schema.ts";
import { largeBudgetYaml } from "./limit-budget.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MAIN = join(ROOT, "src/adapters/cli/main.ts");
export const LIMIT_FORMATS = ["csv", "json", "html", "xlsx", "docx", "datapackage", "pdf"] as const;
const MAX_RSS_MIB = 1536;
const MAX_SECONDS = 60;

export interface LimitRun {
  formats: string;
  exitCode: number | null;
  wallSeconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  meetsTarget: boolean;
}

export interface LimitsBenchResult {
  units: number;
  projects: number;
  lines: number;
  indicators: number;
  yamlKiB: number;
  runs: LimitRun[];
}

function build(file: string, dir: string, formats: string | null): LimitRun {
  const out = join(dir, "out");
  rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  const args = ["-f", "BENCH_TIME %M %U %S", TSX, MAIN, "build", file, "--out", out, ...(formats ? ["--format", formats] : [])];
  const r = spawnSync("/usr/bin/time", args, { cwd: ROOT, encoding: "utf8", input: "", maxBuffer: 64 * 1024 * 1024 });
  const wallSeconds = (performance.now() - started) / 1000;
  const m = /BENCH_TIME (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`limits: /usr/bin/time gave no figures: ${r.stderr.slice(-500)}`);
  const maxRssMiB = Number(m[1]) / 1024;
  const cpuSeconds = Number(m[2]) + Number(m[3]);
  // exit 1 (findings of severity error) still writes every output: the generated budget has some on purpose
  if (r.status !== 0 && r.status !== 1) throw new Error(`limits: build exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { formats: formats ?? "all", exitCode: r.status, wallSeconds, cpuSeconds, maxRssMiB, meetsTarget: maxRssMiB < MAX_RSS_MIB && wallSeconds < MAX_SECONDS };
}

export function benchLimits(opts: { dir: string; note: (s: string) => void }): LimitsBenchResult {
  mkdirSync(opts.dir, { recursive: true });
  const file = join(opts.dir, "largest-budget.yaml");
  writeFileSync(file, largeBudgetYaml({ units: MAX_UNITS, projects: MAX_PROJECTS, lines: MAX_LINES, indicators: MAX_INDICATORS }));
  const runs: LimitRun[] = [];
  for (const formats of [null, ...LIMIT_FORMATS]) {
    opts.note(`limits: building the largest budget (${formats ?? "all formats"}) …`);
    runs.push(build(file, opts.dir, formats));
  }
  return { units: MAX_UNITS, projects: MAX_PROJECTS, lines: MAX_LINES, indicators: MAX_INDICATORS, yamlKiB: statSync(file).size / 1024, runs };
}
