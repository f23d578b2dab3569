/**
 * `npm start`: the platform. Opens the store (SQLite at ./var/gongkai.db, or PostgreSQL when DATABASE_URL is set),
 * runs the migrations, indexes for the search any version published before it existed, loads the demo data (unless
 * GONGKAI_SEED=0) — the reference department first, then 30 synthetic departments in the background — prints the
 * URL and the demo logins, and serves until SIGINT/SIGTERM, when it stops taking requests, lets the running ones
 * finish and closes the database.
 */
import { serve } from "@hono/node-server";
import pino from "pino";
import { hashPassword } from "../auth/password-hash.ts";
import { createPlatformDeps } from "../platform/platform-deps.ts";
import { openStore, redactUrl, storeConfigFromEnv } from "../store/open-store.ts";
import * as service from "../../app/platform/platform-service.ts";
import { seedDemo } from "../../app/platform/seed-demo.ts";
import { backfillSearchIndex } from "../../app/platform/search-index.ts";
import { createApp } from "./server.ts";
import type { WebDeps } from "./web-context.ts";

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** GONGKAI_SEED: `1` (default) the demo data, `reference` the reference department only, `0` none */
  readonly seed: "all" | "reference" | "none";
  readonly maxUploadBytes: number;
  readonly maxFormBytes: number;
  readonly logLevel: string;
}

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT 必须是 0–65535 的整数（得到 ${env.PORT}） / PORT must be an integer 0–65535`);
  const mb = Number(env.GONGKAI_MAX_UPLOAD_MB ?? 12);
  if (!(mb > 0 && mb <= 200)) throw new Error(`GONGKAI_MAX_UPLOAD_MB 必须在 0–200 之间 / must be within 0–200`);
  return {
    host: env.HOST ?? "127.0.0.1",
    port,
    seed: env.GONGKAI_SEED === "0" ? "none" : env.GONGKAI_SEED === "reference" ? "reference" : "all",
    maxUploadBytes: Math.round(mb * 1024 * 1024),
    maxFormBytes: 64 * 1024,
    logLevel: env.LOG_LEVEL ?? "info",
  };
}

async function main(): Promise<void> {
  let config: ServerConfig;
  let storeConfig: ReturnType<typeof storeConfigFromEnv>;
  try {
    config = serverConfigFromEnv();
    storeConfig = storeConfigFromEnv();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const log = pino({ level: config.logLevel, base: { app: "gongkai" } });
  const where = storeConfig.kind === "sqlite" ? storeConfig.file : storeConfig.kind === "postgres" ? redactUrl(storeConfig.url) : "pglite";
  let store;
  try {
    store = await openStore(storeConfig);
    const ran = await store.migrate();
    log.info({ store: storeConfig.kind, where, migrations: ran }, "database ready");
    // versions published before the search existed become searchable (once; recorded in meta)
    await backfillSearchIndex(store, (m) => log.info(m));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const platform = createPlatformDeps(store);
  const deps: WebDeps = { ...platform, maxUploadBytes: config.maxUploadBytes, maxFormBytes: config.maxFormBytes };
  let rest: Promise<void> = Promise.resolve();
  let logins: { username: string; password: string; role: string }[] = [];
  if (config.seed !== "none") {
    const seeded = await seedDemo(platform, { service, hashPassword }, { log: (m) => log.info(m), ...(config.seed === "reference" ? { synthetic: 0 } : {}) });
    logins = seeded.logins;
    rest = seeded.rest.catch((e: unknown) => log.error({ err: e }, "demo data: stopped"));
  }
  const app = createApp(deps, log);
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${info.port}/`;
    const lines = [`公开平台已启动 / Gongkai is serving: ${url}`, `数据库 / database: ${storeConfig.kind} ${where}`];
    if (logins.length > 0) {
      lines.push("演示账号 / demo logins:");
      for (const l of logins) lines.push(`  ${l.username.padEnd(10)} ${l.password.padEnd(22)} ${l.role}`);
    }
    console.log(lines.join("\n"));
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void store.close().then(() => process.exit(0));
    });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  await rest;
}

await main();
