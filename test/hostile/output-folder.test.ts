/**
 * A build's output folder is replaced whole or not at all (issue 10, point 4): killed (kill -9) at any moment, the
 * folder is byte for byte the previous build or the new one, with no stray file; two builds into one folder never mix;
 * a lock left by a killed build does not block the next one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cliArgs, NODE, ROOT, runCli, tempDir } from "../cli-harness.ts";

const A = join(ROOT, "examples/changji-xinfang-2024");
const B = join(ROOT, "examples/three-units-2024");
// the formats that are quick to write; the folder's replacement does not depend on which are written
const FORMATS = ["--format", "csv,json"];

/** Every file below a folder (through the link), with its bytes. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p).toString("base64"));
    }
  };
  walk(dir);
  return out;
}

function same(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

function start(input: string, out: string, env: Record<string, string> = {}): ChildProcess {
  // its own process group, so that the kill reaches the build and anything it may have started
  return spawn(NODE, cliArgs(["build", input, "--out", out, ...FORMATS]), { env: { ...process.env, NO_COLOR: "1", ...env }, stdio: "ignore", detached: true });
}

/** Waits until no process of the group is left (a process the build started may outlive it by a moment). */
async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`process group ${pgid} still alive`);
}

const exited = (p: ChildProcess) => new Promise<number | null>((r) => p.on("exit", (code) => r(code)));

/** A small seeded generator (mulberry32), so that the kill moments are the same in every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("an output folder is replaced whole or not at all", () => {
  it("killed at 30 seeded random moments, the folder is every time exactly the previous build or the new one", async () => {
    const dir = tempDir();
    const refA = join(dir, "ref-a");
    const refB = join(dir, "ref-b");
    expect(runCli(["build", A, "--out", refA, ...FORMATS]).status).toBe(0);
    expect(runCli(["build", B, "--out", refB, ...FORMATS]).status).toBe(0);
    const [snapA, snapB] = [snapshot(refA), snapshot(refB)];
    expect(same(snapA, snapB)).toBe(false);
    const out = join(dir, "out");
    expect(runCli(["build", A, "--out", out, ...FORMATS]).status).toBe(0);
    // how long a build takes here, so that the kills spread over all of it (start-up, work, writing, the swap)
    const t0 = Date.now();
    expect(await exited(start(B, join(dir, "timing")))).toBe(0);
    const span = Date.now() - t0 + 600;
    const next = rng(20261202);
    let previous = snapA;
    let sawNew = 0;
    for (let i = 0; i < 30; i++) {
      const [input, snap] = i % 2 === 0 ? [B, snapB] : [A, snapA];
      const child = start(input, out, { GONGKAI_TEST_SLOW_RENAME_MS: "150" });
      const done = exited(child);
      await new Promise((r) => setTimeout(r, Math.floor(next() * span)));
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the build had finished
      }
      await done;
      await groupGone(child.pid!);
      const now = snapshot(out);
      const isOld = same(now, previous);
      const isNew = same(now, snap);
      expect(isOld || isNew, `kill ${i}: the folder is a mix (${now.size} files)`).toBe(true);
      if (isNew) {
        sawNew++;
        previous = snap;
      }
      // no stray file beside the target but its builds folder and, at most, a dead build's lock
      for (const e of readdirSync(dir)) expect(["ref-a", "ref-b", "out", "timing", ".out.builds", ".out.lock", ".timing.builds", ".ref-a.builds", ".ref-b.builds"], e).toContain(e);
    }
    // some kills landed after the swap, some before: both sides were seen
    expect(sawNew).toBeGreaterThan(0);
    expect(sawNew).toBeLessThan(30);
    // the next build takes over a lock left by a killed one, and clears the crashed builds' leftovers
    expect(runCli(["build", B, "--out", out, ...FORMATS]).status).toBe(0);
    expect(same(snapshot(out), snapB)).toBe(true);
    expect(readdirSync(join(dir, ".out.builds"))).toHaveLength(1);
    expect(readdirSync(dir)).not.toContain(".out.lock");
  }, 480_000);

  it("two builds into one folder at once never mix: the second waits for the first", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const refA = join(dir, "ref-a");
    const refB = join(dir, "ref-b");
    expect(runCli(["build", A, "--out", refA, ...FORMATS]).status).toBe(0);
    expect(runCli(["build", B, "--out", refB, ...FORMATS]).status).toBe(0);
    for (let round = 0; round < 3; round++) {
      const a = start(A, out, { GONGKAI_TEST_SLOW_RENAME_MS: "300" });
      const b = start(B, out, { GONGKAI_TEST_SLOW_RENAME_MS: "300" });
      expect(await Promise.all([exited(a), exited(b)])).toEqual([0, 0]);
      const now = snapshot(out);
      expect(same(now, snapshot(refA)) || same(now, snapshot(refB))).toBe(true);
      expect(readdirSync(join(dir, ".out.builds"))).toHaveLength(1);
    }
  }, 120_000);

  const ownStart = () => {
    const stat = readFileSync(`/proc/${process.pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  };
  it.each([
    // this test process is alive, but it is not the build that took the lock: its start time differs
    ["whose pid now belongs to another process (pid reused)", () => `${process.pid} ${ownStart() + 12345}`],
    // as a build of an earlier version, killed between creating its lock and writing it, left it
    ["that is empty", () => ""],
  ])("a lock %s is stale: the build takes it over at once", (_, text) => {
    const dir = tempDir();
    const out = join(dir, "out");
    writeFileSync(join(dir, ".out.lock"), text());
    const t0 = Date.now();
    expect(runCli(["build", A, "--out", out, ...FORMATS]).status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(readdirSync(dir)).not.toContain(".out.lock");
    // (a live holder's lock is waited for: "two builds into one folder at once" above)
  }, 120_000);

  it("a plain folder of an earlier build is taken over; the folder is readable like any other", () => {
    const dir = tempDir();
    const ref = join(dir, "ref");
    expect(runCli(["build", A, "--out", ref, ...FORMATS]).status).toBe(0);
    // as an earlier version of Gongkai left it: a plain folder holding a build
    const out = join(dir, "out");
    cpSync(ref, out, { recursive: true, dereference: true });
    expect(lstatSync(out).isDirectory()).toBe(true);
    expect(runCli(["build", B, "--out", out, ...FORMATS]).status).toBe(0);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(out, "disclosure.json"), "utf8")).toContain("某县住房和城乡建设局");
    expect(readdirSync(join(dir, ".out.builds"))).toHaveLength(1);
  });
});
