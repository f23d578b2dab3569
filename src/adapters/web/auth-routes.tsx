/**
 * Signing in and out: a form and its JSON twin. Passwords are checked against their argon2id hash (a missing user
 * costs the same time); five failures in 15 minutes, per user name or per address, answer 429. A session is a
 * random token in an HttpOnly, SameSite=Lax cookie, stored as its sha-256 with its CSRF token.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { dummyHash, newToken, tokenHash, verifyPassword } from "../auth/password-hash.ts";
import { href, pageResponse, t } from "./page-layout.tsx";
import type { RouteDef, WebContext, WebDeps } from "./web-context.ts";
import { ERRORS, errorResponse } from "./web-respond.tsx";

export const SESSION_COOKIE = "gk_session";
export const SESSION_HOURS = 12;
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_LOGIN_FAILURES = 5;

const loginBody = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
    next: z.string().max(300).optional(),
    _csrf: z.string().max(200).optional(),
  })
  .strict();

/** Where to go after signing in: a path of this site only. */
function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?![/\\])[A-Za-z0-9/_.?=&%-]*$/.test(next) ? next : "/workspace";
}

function address(c: WebContext): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

function loginForm(c: WebContext, p: { status?: number; error?: string; username?: string; next?: string }): Response {
  return pageResponse(c, {
    title: t(c, "登录", "Sign in"),
    ...(p.status === undefined ? {} : { status: p.status }),
    body: (
      <>
        <h1>{t(c, "登录", "Sign in")}</h1>
        {p.error ? (
          <div class="error" role="alert">
            {p.error}
          </div>
        ) : null}
        <form method="post" action={href(c, "/login")} class="card">
          <label for="username">{t(c, "用户名", "User name")}</label>
          <input type="text" id="username" name="username" autocomplete="username" required maxlength={64} value={p.username ?? ""} />
          <label for="password">{t(c, "密码", "Password")}</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required maxlength={256} />
          <input type="hidden" name="next" value={safeNext(p.next)} />
          <button type="submit" class="primary">
            {t(c, "登录", "Sign in")}
          </button>
        </form>
      </>
    ),
  });
}

type LoginOutcome = { ok: true; token: string; csrfToken: string } | { ok: false; status: 401 | 429 };

async function login(c: WebContext, deps: WebDeps, username: string, password: string): Promise<LoginOutcome> {
  const now = deps.now();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000).toISOString();
  const keys = [`user:${username.toLowerCase()}`, `addr:${address(c)}`];
  for (const k of keys) if ((await deps.store.countLoginFailures(k, since)) >= MAX_LOGIN_FAILURES) return { ok: false, status: 429 };
  const user = await deps.store.findUser(username);
  const good = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  if (!user || !good || user.disabled) {
    for (const k of keys) await deps.store.recordLoginFailure(k, now.toISOString());
    return { ok: false, status: 401 };
  }
  await deps.store.clearLoginFailures(keys[0]!);
  const token = newToken();
  const csrfToken = newToken();
  await deps.store.createSession({ tokenHash: tokenHash(token), userId: user.id, csrfToken, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString() });
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", path: "/", secure: new URL(c.req.url).protocol === "https:", maxAge: SESSION_HOURS * 3600 });
  return { ok: true, token, csrfToken };
}

async function logout(c: WebContext, deps: WebDeps, everywhere: boolean): Promise<void> {
  const actor = c.get("actor");
  const cookie = getCookie(c, SESSION_COOKIE);
  if (everywhere && actor) await deps.store.deleteSessionsOfUser(actor.user.id);
  else if (cookie !== undefined) await deps.store.deleteSession(tokenHash(cookie));
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

const FAILED = { zh: "用户名或密码不正确。", en: "Wrong user name or password." };

export const AUTH_ROUTES: readonly RouteDef[] = [
  {
    method: "GET",
    path: "/login",
    access: "public",
    kind: "page",
    summary: { zh: "登录页", en: "Sign-in page" },
    query: z.object({ next: z.string().max(300).optional(), lang: z.enum(["zh", "en"]).optional() }),
    handler: (c) => loginForm(c, { next: c.req.query("next") ?? href(c, "/workspace") }),
  },
  {
    method: "POST",
    path: "/login",
    access: "public",
    kind: "page",
    summary: { zh: "登录", en: "Sign in" },
    body: loginBody,
    handler: async (c, deps) => {
      const b = c.get("body") as z.infer<typeof loginBody>;
      const r = await login(c, deps, b.username, b.password);
      if (!r.ok) return loginForm(c, { status: r.status, error: r.status === 429 ? t(c, ERRORS.tooMany.message.zh, ERRORS.tooMany.message.en) : t(c, FAILED.zh, FAILED.en), username: b.username, ...(b.next === undefined ? {} : { next: b.next }) });
      return c.redirect(safeNext(b.next), 303);
    },
  },
  {
    method: "POST",
    path: "/logout",
    access: "signed_in",
    kind: "page",
    summary: { zh: "退出登录", en: "Sign out" },
    body: z.object({ _csrf: z.string().max(200).optional() }).strict(),
    handler: async (c, deps) => {
      await logout(c, deps, false);
      return c.redirect(href(c, "/"), 303);
    },
  },
  {
    method: "POST",
    path: "/logout/all",
    access: "signed_in",
    kind: "page",
    summary: { zh: "在所有设备上退出", en: "Sign out everywhere" },
    body: z.object({ _csrf: z.string().max(200).optional() }).strict(),
    handler: async (c, deps) => {
      await logout(c, deps, true);
      return c.redirect(href(c, "/"), 303);
    },
  },
  {
    method: "POST",
    path: "/api/v1/session",
    access: "public",
    kind: "api",
    summary: { zh: "登录（返回会话 Cookie 与 CSRF 令牌）", en: "Sign in (sets the session cookie, returns the CSRF token)" },
    body: loginBody,
    handler: async (c, deps) => {
      const b = c.get("body") as z.infer<typeof loginBody>;
      const r = await login(c, deps, b.username, b.password);
      if (!r.ok) return errorResponse(c, r.status === 429 ? ERRORS.tooMany : { status: 401, code: "bad_credentials", message: FAILED });
      return c.json({ csrfToken: r.csrfToken });
    },
  },
];
