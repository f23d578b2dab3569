/**
 * Summarises a V8 .cpuprofile: top functions by self and total time, and the hottest source lines, mapped back to
 * the TypeScript sources. Run the profile through bench/profile/register.mjs (not tsx, which minifies every
 * module onto one line); see bench/README.md "Profiling":
 *
 *   BENCH_PIN=0 BENCH_DEPARTMENTS=2000 BENCH_PHASES=engine \
 *     node --import ./bench/profile/register.mjs --cpu-prof --cpu-prof-dir=bench/.data/prof bench/run.ts
 *   npx tsx bench/cpuprofile-top.ts bench/.data/prof/<file>.cpuprofile [top=25] [filter=src/domain]
 *
 * Positions are mapped by re-running the loader's (deterministic) transform on the current sources: summarise
 * before the sources change.
 */
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { transformTs } from "./profile/ts-loader.mjs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, filter] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: tsx bench/cpuprofile-top.ts <file.cpuprofile> [top] [filter]\n");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, "utf8")) as Profile;
const ROOT = fileURLToPath(new URL("../", import.meta.url));

// --- source maps (VLQ) ---------------------------------------------------------------------------------------
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** per generated line: sorted [generatedColumn, sourceLine0] */
type LineMap = [number, number][][];
function decodeMappings(mappings: string): LineMap {
  const out: LineMap = [];
  let srcLine = 0;
  for (const line of mappings.split(";")) {
    const segs: [number, number][] = [];
    let genCol = 0;
    for (const seg of line.split(",")) {
      if (!seg) continue;
      const vals: number[] = [];
      let v = 0;
      let shift = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        v += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          vals.push(v & 1 ? -(v >> 1) : v >> 1);
          v = 0;
          shift = 0;
        }
      }
      genCol += vals[0] ?? 0;
      if (vals.length >= 4) {
        srcLine += vals[2] ?? 0;
        segs.push([genCol, srcLine]);
      }
    }
    out.push(segs);
  }
  return out;
}
const maps = new Map<string, LineMap | null>();
function mapOf(url: string): LineMap | null {
  if (maps.has(url)) return maps.get(url) ?? null;
  let m: LineMap | null = null;
  if (url.startsWith("file:") && url.endsWith(".ts")) {
    const path = fileURLToPath(url);
    if (existsSync(path)) m = decodeMappings((JSON.parse(transformTs(path).map) as { mappings: string }).mappings);
  }
  maps.set(url, m);
  return m;
}
/** 1-based source line of a generated position (0-based line and column), or null */
function sourceLine(url: string, line0: number, col0: number | null): number | null {
  const segs = mapOf(url)?.[line0];
  if (!segs || !segs.length) return null;
  if (col0 === null) return segs[0]![1] + 1;
  let best = segs[0]!;
  for (const s of segs) if (s[0] <= col0) best = s;
  return best[1] + 1;
}
const shortUrl = (u: string) => (u.startsWith("file:") ? relative(ROOT, fileURLToPath(u)) : u || "(native)");

// --- aggregate ---------------------------------------------------------------------------------------------------
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n: ProfileNode) => {
  const cf = n.callFrame;
  const line = sourceLine(cf.url, cf.lineNumber, cf.columnNumber) ?? cf.lineNumber + 1;
  return `${cf.functionName || "(anonymous)"}  ${shortUrl(cf.url)}${cf.url ? `:${line}` : ""}`;
};
const keys = new Map(prof.nodes.map((n) => [n.id, keyOf(n)]));

const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (let s = 0; s < prof.samples.length; s++) {
  const dt = prof.timeDeltas[s] ?? 0;
  let id: number | undefined = prof.samples[s];
  all += dt;
  if (id === undefined) continue;
  const k0 = keys.get(id)!;
  self.set(k0, (self.get(k0) ?? 0) + dt);
  const seen = new Set<string>();
  while (id !== undefined) {
    const k = keys.get(id);
    if (k !== undefined && !seen.has(k)) {
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
    id = parent.get(id);
  }
}
// hot lines: positionTicks (generated line, 1-based) mapped to source lines
const lineTicks = new Map<string, number>();
let allTicks = 0;
for (const n of prof.nodes) {
  for (const pt of n.positionTicks ?? []) {
    allTicks += pt.ticks;
    const sl = sourceLine(n.callFrame.url, pt.line - 1, null);
    const k = `${shortUrl(n.callFrame.url)}:${sl ?? `gen${pt.line}`}  (${n.callFrame.functionName || "anonymous"})`;
    lineTicks.set(k, (lineTicks.get(k) ?? 0) + pt.ticks);
  }
}

const show = (title: string, m: Map<string, number>, denom: number, unit: (v: number) => string) => {
  process.stdout.write(`\n${title}\n`);
  [...m]
    .filter(([k]) => filter === undefined || k.includes(filter))
    .toSorted((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, v]) => process.stdout.write(`  ${((v / denom) * 100).toFixed(1).padStart(5)} %  ${unit(v).padStart(8)}  ${k}\n`));
};
const ms = (v: number) => `${(v / 1e3).toFixed(0)} ms`;
show(`Self time (of ${(all / 1e6).toFixed(2)} s sampled)`, self, all, ms);
show("Total (inclusive) time", total, all, ms);
show(`Hot source lines (of ${allTicks} ticks)`, lineTicks, allTicks, (v) => `${v}`);
