/**
 * `npm run bench:web`: the platform's public pages under load on loopback (autocannon), against a plain static file
 * server serving the disclosure page's bytes in the same run. See bench/README.md ("Web").
 *
 * Env: DATABASE_URL (PostgreSQL; else SQLite at bench/.data/web-<N>.db), BENCH_WEB_DEPARTMENTS (synthetic
 * departments loaded; default 200), BENCH_WEB_FILES (of which with every file; default 20), BENCH_WEB_SECONDS
 * (per target; default 10), BENCH_WEB_CONNECTIONS (default 64), BENCH_OUT (results file).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { createPlatformDeps } from "../src/adapters/platform/platform-deps.ts";
import { openStore, redactUrl } from "../src/adapters/store/open-store.ts";
import { loadWebData } from "./web-load.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const positive = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 0)
    throw new Error(`${name} must be a whole number, got ${process.env[name]}`);
  return v;
};
const DEPARTMENTS = positive("BENCH_WEB_DEPARTMENTS", 200);
const WITH_FILES = Math.min(DEPARTMENTS, positive("BENCH_WEB_FILES", 20));
const SECONDS = positive("BENCH_WEB_SECONDS", 10);
const CONNECTIONS = positive("BENCH_WEB_CONNECTIONS", 64);
const PG = process.env["DATABASE_URL"]?.startsWith("postgres")
  ? process.env["DATABASE_URL"]
  : undefined;
const DATA = join(ROOT, "bench/.data");
const SQLITE_FILE = join(DATA, `web-${DEPARTMENTS}-${WITH_FILES}.db`);
const OUT =
  process.env["BENCH_OUT"] ??
  join(
    ROOT,
    `bench/results/web-${PG ? "postgres" : "sqlite"}${DEPARTMENTS === 200 && WITH_FILES === 20 ? "" : `-${DEPARTMENTS}`}.json`,
  );

const say = (m: string) => process.stderr.write(`${m}\n`);

/** Starts a child that prints a line matching `ready`; resolves with the match and the child. */
function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    let found = false;
    child.stdout!.on("data", (d: Buffer) => {
      // read on until the end: a pipe nobody reads would block the server's request log
      if (found) return;
      text += d.toString();
      const m = text.match(ready);
      if (m) {
        found = true;
        resolve({ child, match: m });
      }
    });
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(d));
    child.on("exit", (code) => {
      if (!found)
        reject(
          new Error(
            `${args.join(" ")} exited (${code}) before it was ready:\n${text}`,
          ),
        );
    });
  });
}

interface Figure {
  readonly name: string;
  readonly path: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly bytesPerRequest: number;
  readonly requests: number;
  readonly errors: number;
}

async function load(
  name: string,
  origin: string,
  path: string,
): Promise<Figure> {
  const url = origin + path;
  const check = await fetch(url);
  const body = new Uint8Array(await check.arrayBuffer());
  if (check.status !== 200)
    throw new Error(`${name}: ${url} answered ${check.status}`);
  say(`  ${name}: ${url} (${body.length} bytes) …`);
  // a short warm-up (JIT, caches), not counted
  await autocannon({ url, connections: CONNECTIONS, duration: 2 });
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return {
    name,
    path,
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    bytesPerRequest: Math.round(
      r.throughput.average / Math.max(1, r.requests.average),
    ),
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const storeConfig = PG
    ? ({ kind: "postgres", url: PG } as const)
    : ({ kind: "sqlite", file: SQLITE_FILE } as const);
  say(
    `bench:web — store ${PG ? `postgres ${redactUrl(PG)}` : `sqlite ${SQLITE_FILE}`}, ${DEPARTMENTS} synthetic departments (${WITH_FILES} with every file)`,
  );
  const store = await openStore(storeConfig);
  await store.migrate();
  const loaded = await loadWebData(
    createPlatformDeps(store),
    {
      departments: DEPARTMENTS,
      withFiles: WITH_FILES,
      concurrency: PG ? 6 : 1,
    },
    say,
  );
  await store.close();
  say(
    loaded.loaded
      ? `  loaded in ${loaded.seconds.toFixed(0)} s`
      : "  data loaded by an earlier run: reused",
  );

  const server = await startChild(
    ["src/adapters/web/main.ts"],
    {
      HOST: "127.0.0.1",
      PORT: "0",
      GONGKAI_SEED: "0",
      LOG_LEVEL: "info",
      ...(PG
        ? { DATABASE_URL: PG }
        : { DATABASE_URL: "", GONGKAI_DB: SQLITE_FILE }),
    },
    /serving: (http:\/\/[^\s]+)\//,
  );
  const origin = server.match[1]!;
  const page = "/r/652300/d/415001/2024/";
  const pageBytes = new Uint8Array(
    await (await fetch(origin + page)).arrayBuffer(),
  );
  const staticDir = mkdtempSync(join(tmpdir(), "gongkai-bench-static-"));
  writeFileSync(join(staticDir, "index.html"), pageBytes);
  const statics = await startChild(
    ["bench/static-server.ts", staticDir],
    {},
    /listening (\d+)/,
  );
  const staticOrigin = `http://127.0.0.1:${statics.match[1]}`;

  const sample = loaded.sampleDepartment;
  const targets: [string, string, string][] = [
    ["static server: the page's bytes", staticOrigin, "/"],
    ["disclosure page", origin, page],
    ["its JSON twin", origin, `/api/v1${page}`],
    ["search 信访 (page)", origin, `/search?q=${encodeURIComponent("信访")}`],
    ["search 2010301 (JSON)", origin, "/api/v1/search?q=2010301"],
    [
      "department across years",
      origin,
      sample
        ? `/r/${sample.region}/d/${sample.code}/trend/`
        : "/r/652300/d/415001/trend/",
    ],
    [
      "region side by side",
      origin,
      sample ? `/r/${sample.region}/2024/compare/` : "/r/652300/2024/compare/",
    ],
    ["static server again", staticOrigin, "/"],
  ];
  const figures: Figure[] = [];
  try {
    for (const [name, o, path] of targets)
      figures.push(await load(name, o, path));
  } finally {
    server.child.kill("SIGTERM");
    statics.child.kill("SIGTERM");
  }
  const staticRps =
    (figures[0]!.requestsPerSecond + figures.at(-1)!.requestsPerSecond) / 2;
  const rows = figures.map((f) => ({
    ...f,
    vsStatic: f.requestsPerSecond / staticRps,
  }));
  const head = [
    "target",
    "req/s",
    "× static",
    "p50 ms",
    "p99 ms",
    "bytes",
    "errors",
  ];
  const lines = rows.map((r) => [
    r.name,
    r.requestsPerSecond.toFixed(0),
    r.vsStatic.toFixed(2),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.bytesPerRequest),
    String(r.errors),
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...lines.map((l) => l[i]!.length)),
  );
  console.log(
    [head, ...lines]
      .map((l) =>
        l
          .map((c, i) =>
            i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
          )
          .join("  "),
      )
      .join("\n"),
  );
  const disclosure = rows[1]!;
  console.log(
    `\ndisclosure page: ${disclosure.vsStatic.toFixed(2)}× the static server's throughput (goal ≥ 0.5), p99 ${disclosure.p99Ms} ms (goal < 50 ms); ` +
      `every target's p99 < 50 ms: ${rows.every((r) => r.p99Ms < 50) ? "yes" : "no"}`,
  );
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        store: PG ? "postgres" : "sqlite",
        departments: DEPARTMENTS,
        withFiles: WITH_FILES,
        seconds: SECONDS,
        connections: CONNECTIONS,
        node: process.version,
        figures: rows,
      },
      null,
      2,
    ) + "\n",
  );
  say(`figures written to ${OUT}`);
}

await main();
