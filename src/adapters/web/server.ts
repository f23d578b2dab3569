/**
 * The web application: one Hono app over the route list (routes.ts). Every request gets an id, a language and its
 * actor (the session cookie or an API token); every route's access is checked before its handler looks anything
 * up; every POST carries the session's CSRF token (forms: `_csrf`; scripts: `x-csrf-token`) unless it is made with
 * an API token; bodies have a size limit and a zod schema. Errors never show a stack trace.
 */
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ZodType } from "zod";
import { sameToken, tokenHash } from "../auth/password-hash.ts";
import { href } from "./page-layout.tsx";
import { ROUTES } from "./routes.ts";
import type { RequestActor, RouteDef, WebContext, WebDeps, WebEnv } from "./web-context.ts";
import { ERRORS, errorResponse, type WebError } from "./web-respond.tsx";

import { SESSION_COOKIE } from "./auth-routes.tsx";

const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  // the stored disclosure pages carry their own inline styles and SVG charts; no page runs a script
  "content-security-policy": "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

async function actorOf(c: WebContext, deps: WebDeps): Promise<RequestActor | null> {
  const auth = c.req.header("authorization");
  if (auth !== undefined) {
    const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(auth.trim());
    if (!m) return null;
    const found = await deps.store.findApiToken(tokenHash(m[1]!));
    return found ? { user: found.user, via: "token", csrfToken: null } : null;
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie === undefined || !/^[A-Za-z0-9_-]{20,200}$/.test(cookie)) return null;
  const found = await deps.store.getSession(tokenHash(cookie), deps.now().toISOString());
  return found ? { user: found.user, via: "session", csrfToken: found.session.csrfToken } : null;
}

/** 401 for anonymous, 403 for a role the route does not admit; null when the actor may call the route. */
export function accessError(route: Pick<RouteDef, "access">, actor: RequestActor | null): WebError | null {
  if (route.access === "public") return null;
  if (actor === null) return ERRORS.unauthenticated;
  if (route.access === "signed_in") return null;
  return route.access.includes(actor.user.role) ? null : ERRORS.forbidden;
}

function zodProblems(schema: ZodType, value: unknown): WebError | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  return {
    status: 400,
    code: "invalid_request",
    message: { zh: "请求内容不符合要求。", en: "The request is not valid." },
    problems: r.error.issues.slice(0, 20).map((i) => {
      // a schema may give its own message in both languages: a custom check with params { zh, en }
      const own = i.code === "custom" && typeof i.params?.["zh"] === "string" && typeof i.params["en"] === "string" ? (i.params as { zh: string; en: string }) : null;
      return {
        code: i.code,
        message: own
          ? { zh: `${i.path.join(".") || "（请求）"}：${own.zh}`, en: `${i.path.join(".") || "(request)"}: ${own.en}` }
          : { zh: `${i.path.join(".") || "（请求）"}：${i.message}`, en: `${i.path.join(".") || "(request)"}: ${i.message}` },
        place: i.path.join(".") || null,
      };
    }),
  };
}

/** The body's bytes, reading no more than `limit` (a body without a length, or lying about it, is cut off there). */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | "too_large" | null> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return "too_large";
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}

/** The refusal of an upload over its limit, naming the limit (in MB of 1,024 × 1,024 bytes, as GONGKAI_MAX_UPLOAD_MB). */
function uploadTooLarge(limit: number): WebError {
  const mb = Math.round((limit / (1024 * 1024)) * 10) / 10;
  return { ...ERRORS.tooLarge, message: { zh: `上传的文件太大：上限为 ${mb} MB。`, en: `The upload is too large: the limit is ${mb} MB.` } };
}

/** Reads and validates a POST body; the parsed value, or the error to answer. */
async function readBody(c: WebContext, route: RouteDef, deps: WebDeps): Promise<{ ok: true; value: unknown } | { ok: false; error: WebError }> {
  const limit = route.maxBytes ?? (route.upload ? deps.maxUploadBytes : deps.maxFormBytes);
  const tooLarge = route.upload ? uploadTooLarge(limit) : ERRORS.tooLarge;
  const length = c.req.header("content-length");
  if (length !== undefined && (!/^\d+$/.test(length) || Number(length) > limit)) return { ok: false, error: tooLarge };
  // the multipart boundary is case-sensitive: only the media type is compared in lower case
  const header = c.req.header("content-type") ?? "";
  const type = header.toLowerCase();
  const read = await readLimited(c.req.raw.body, limit);
  if (read === "too_large") return { ok: false, error: tooLarge };
  if (read === null) return { ok: false, error: ERRORS.badForm };
  const raw = read;
  let value: unknown;
  if (type.startsWith("application/json")) {
    try {
      value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    } catch {
      return { ok: false, error: ERRORS.badJson };
    }
  } else if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
    try {
      const form = await new Request("http://local/", { method: "POST", headers: { "content-type": header }, body: raw }).formData();
      const fields: Record<string, unknown> = {};
      for (const [k, v] of form.entries()) {
        if (k in fields) return { ok: false, error: ERRORS.badForm };
        fields[k] = v;
      }
      value = fields;
    } catch {
      return { ok: false, error: ERRORS.badForm };
    }
  } else if (raw.byteLength === 0 && !route.body) value = {};
  else return { ok: false, error: ERRORS.badMediaType };
  if (route.body) {
    const bad = zodProblems(route.body, value);
    if (bad) return { ok: false, error: bad };
    value = route.body.parse(value);
  }
  return { ok: true, value };
}

function csrfOk(c: WebContext, actor: RequestActor, body: unknown): boolean {
  if (actor.via === "token") return true;
  const sent = c.req.header("x-csrf-token") ?? (body && typeof body === "object" && "_csrf" in body ? (body as { _csrf: unknown })._csrf : undefined);
  return typeof sent === "string" && actor.csrfToken !== null && sameToken(sent, actor.csrfToken);
}

export function createApp(deps: WebDeps, log: Logger, routes: readonly RouteDef[] = ROUTES): Hono<WebEnv> {
  const app = new Hono<WebEnv>({ strict: true });
  app.use("*", async (c, next) => {
    const started = Date.now();
    c.set("requestId", randomUUID());
    c.set("lang", c.req.query("lang") === "en" ? "en" : "zh");
    c.set("actor", null);
    c.set("body", undefined);
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
    c.res.headers.set("x-request-id", c.get("requestId"));
    log.info({ req: { id: c.get("requestId"), method: c.req.method, path: c.req.path }, status: c.res.status, ms: Date.now() - started, user: c.get("actor")?.user.username ?? null }, "request");
  });
  for (const route of routes) {
    app.on(route.method, route.path, async (c) => {
      const actor = await actorOf(c, deps);
      c.set("actor", actor);
      const denied = accessError(route, actor);
      if (denied) {
        if (denied.status === 401 && route.kind === "page" && route.method === "GET") return c.redirect(href(c, `/login?next=${encodeURIComponent(href(c, c.req.path))}`), 303);
        return errorResponse(c, denied);
      }
      if (route.query) {
        const bad = zodProblems(route.query, c.req.query());
        if (bad) return errorResponse(c, bad);
      }
      if (route.method === "POST") {
        const body = await readBody(c, route, deps);
        if (!body.ok) return errorResponse(c, body.error);
        if (actor && !csrfOk(c, actor, body.value)) return errorResponse(c, ERRORS.csrf);
        c.set("body", body.value);
      }
      return route.handler(c, deps);
    });
  }
  app.notFound((c) => errorResponse(c, ERRORS.notFound));
  app.onError((err, c) => {
    log.error({ err, req: { id: c.get("requestId"), path: c.req.path } }, "unhandled error");
    return errorResponse(c, ERRORS.internal);
  });
  return app;
}

