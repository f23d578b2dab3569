/**
 * Test helper: the platform as `npm start` runs it — `src/adapters/web/main.ts` in its own Node process (tsx loaded
 * with `--import`, so the pid is the server's), on a SQLite file of its own, port chosen by the system (PORT=0). Ready
 * when it prints its serving line; stopped with SIGTERM (then SIGKILL if it hangs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../cli-harness.ts";

const MAIN = join(ROOT, "src/adapters/web/main.ts");
const SERVING = /Gongkai is serving: (http:\/\/\S+?)\/?$/m;

export interface PlatformServer {
  /** e.g. http://127.0.0.1:40123 (no trailing slash) */
  readonly origin: string;
  readonly child: ChildProcess;
  /** what it wrote so far (stdout and stderr), for failure messages */
  output(): string;
  stop(): Promise<void>;
}

export function startPlatform(p: { db: string; env?: Record<string, string>; timeoutMs?: number }): Promise<PlatformServer> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      GONGKAI_DB: p.db,
      PORT: "0",
      HOST: "127.0.0.1",
      GONGKAI_SEED: "reference",
      LOG_LEVEL: "warn",
      NO_COLOR: "1",
      ...p.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (s: string) => (out += s));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 12_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the platform did not start within ${p.timeoutMs ?? 120_000} ms:\n${out}`));
    }, p.timeoutMs ?? 120_000);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the platform exited before serving (code ${code}, signal ${signal}):\n${out}`));
    });
    child.stdout!.on("data", (s: string) => {
      out += s;
      const m = SERVING.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1]!, child, output: () => out, stop });
      }
    });
  });
}
