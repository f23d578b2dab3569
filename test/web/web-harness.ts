/**
 * The platform in a test: a fresh SQLite store in a temporary folder, migrated, seeded with the demo region, users
 * and the reference department (published, through the real workflow), a second department (415002) with its own
 * preparer, and the web application answering `app.request` — no port, the whole middleware chain.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Hono } from "hono";
import { hashPassword } from "../../src/adapters/auth/password-hash.ts";
import { createPlatformDeps } from "../../src/adapters/platform/platform-deps.ts";
import { openStore } from "../../src/adapters/store/open-store.ts";
import { createApp } from "../../src/adapters/web/server.ts";
import type { WebDeps, WebEnv } from "../../src/adapters/web/web-context.ts";
import * as service from "../../src/app/platform/platform-service.ts";
import type { DepartmentRow, PlatformStore, UserRow } from "../../src/app/platform/platform-store.ts";
import { DEMO_REGION, seedDemo } from "../../src/app/platform/seed-demo.ts";

export const PASSWORDS = {
  admin: "demo-admin-2024",
  preparer: "demo-preparer-2024",
  approver: "demo-approver-2024",
  reviewer: "demo-reviewer-2024",
  preparer_b: "test-preparer-b-2024",
  reviewer2: "test-reviewer-2-2024",
} as const;
export type Login = keyof typeof PASSWORDS;

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

export interface Platform {
  readonly store: PlatformStore;
  readonly deps: WebDeps;
  readonly app: Hono<WebEnv>;
  /** the reference department (A) and the second department (B) */
  readonly a: DepartmentRow;
  readonly b: DepartmentRow;
  user(name: Login): Promise<UserRow>;
  /** a request through the app, from an address of its own (the login rate limit counts per address) */
  request(path: string, init?: RequestInit & { address?: string }): Promise<Response>;
  /** signs in through the JSON login; a new session each time */
  login(name: Login, address?: string): Promise<Session>;
  close(): Promise<void>;
}

export const MAX_UPLOAD_BYTES = 12 * 1024 * 1024;
export const MAX_FORM_BYTES = 64 * 1024;

/** `now`: the platform's clock (seeding then publishes at its time, not at the demo's dates); the real time by default */
export async function startPlatform(opts: { now?: () => Date } = {}): Promise<Platform> {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-web-"));
  const store = await openStore({ kind: "sqlite", file: join(dir, "gongkai.db") });
  await store.migrate();
  const platform = createPlatformDeps(store, opts);
  const deps: WebDeps = { ...platform, maxUploadBytes: MAX_UPLOAD_BYTES, maxFormBytes: MAX_FORM_BYTES };
  await seedDemo(platform, { service, hashPassword }, { log: () => {}, synthetic: 0, demoDates: opts.now === undefined });
  const a = (await store.findDepartment(DEMO_REGION.code, "415001"))!;
  const b = await store.createDepartment({ regionCode: DEMO_REGION.code, code: "415002", name: "测试部门乙" });
  const audit = { userId: null, action: "user.create", entity: "user", entityId: "test", before: null, after: null };
  await store.createUser({ username: "preparer_b", displayName: "乙部门编制人", role: "preparer", departmentId: b.id, regionCode: null, passwordHash: await hashPassword(PASSWORDS.preparer_b) }, audit);
  await store.createUser({ username: "reviewer2", displayName: "第二财政审核人", role: "finance_reviewer", departmentId: null, regionCode: DEMO_REGION.code, passwordHash: await hashPassword(PASSWORDS.reviewer2) }, audit);
  const app = createApp(deps, pino({ level: "silent" }));
  let n = 0;
  const request = (path: string, init: RequestInit & { address?: string } = {}) => {
    const { address, ...rest } = init;
    const env = { incoming: { socket: { remoteAddress: address ?? `10.0.${Math.floor(n / 250) % 250}.${(n++ % 250) + 1}`, remotePort: 40000, remoteFamily: "IPv4" } } };
    return Promise.resolve(app.request(path, rest, env));
  };
  return {
    store,
    deps,
    app,
    a,
    b,
    user: async (name) => (await store.findUser(name))!,
    request,
    login: async (name, address) => {
      const res = await request("/api/v1/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: name, password: PASSWORDS[name] }), ...(address ? { address } : {}) });
      if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${await res.text()}`);
      const cookie = /gk_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
      if (!cookie) throw new Error(`login ${name}: no cookie`);
      return { cookie: `gk_session=${cookie}`, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A form body (urlencoded) with the session's CSRF token. */
export function form(s: Session | null, fields: Record<string, string>): RequestInit {
  const body = new URLSearchParams({ ...(s ? { _csrf: s.csrf } : {}), ...fields });
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(s ? { cookie: s.cookie } : {}) }, body: body.toString() };
}

/** A multipart upload with the session's CSRF token. */
export function upload(s: Session | null, fields: Record<string, string>, file: { name: string; bytes: Uint8Array | string }): RequestInit {
  const fd = new FormData();
  if (s) fd.set("_csrf", s.csrf);
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  fd.set("file", new File([typeof file.bytes === "string" ? file.bytes : new Uint8Array(file.bytes)], file.name));
  return { method: "POST", body: fd, ...(s ? { headers: { cookie: s.cookie } } : {}) };
}

/** A JSON POST with the session cookie and the x-csrf-token header. */
export function json(s: Session | null, value: unknown): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...(s ? { cookie: s.cookie, "x-csrf-token": s.csrf } : {}) }, body: JSON.stringify(value) };
}

export const get = (s: Session | null): RequestInit => (s ? { headers: { cookie: s.cookie } } : {});
