/**
 * Every route × every role, anonymous included, in one table generated from the route list: a route without a row
 * here fails the test, and so does a row without a route. The requests are made so that each reaches as far as the
 * role allows without changing anything: writes carry a stale revision (409 once the role and scope are admitted),
 * a wrong password, an empty form. The `preparer_b` column is a preparer of another department: department A's
 * budget is out of its reach (404, the same answer as for a budget that does not exist), through pages and API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAssetManifest } from "../../src/adapters/web/build-assets.ts";
import { ROUTES } from "../../src/adapters/web/routes.ts";
import { form, get, json, startPlatform, upload, type Login, type Platform, type Session } from "./web-harness.ts";

const ROLES = ["anonymous", "preparer", "preparer_b", "approver", "reviewer", "admin"] as const;
type Who = (typeof ROLES)[number];
type Row = readonly [anonymous: number, preparer: number, preparer_b: number, approver: number, reviewer: number, admin: number];

const PUBLIC: Row = [200, 200, 200, 200, 200, 200];
const SIGNED_IN_PAGE: Row = [303, 200, 200, 200, 200, 200];
const SIGNED_IN_API: Row = [401, 200, 200, 200, 200, 200];
const A_BUDGET_PAGE: Row = [303, 200, 404, 200, 200, 200];
const A_BUDGET_API: Row = [401, 200, 404, 200, 200, 200];
const UPLOAD: Row = [401, 409, 404, 403, 403, 409];
const SUBMIT: Row = [401, 409, 404, 403, 403, 409];
const APPROVE: Row = [401, 403, 403, 409, 403, 409];
const RETURN: Row = [401, 403, 403, 409, 409, 409];
const PUBLISH: Row = [401, 403, 403, 403, 409, 409];
const CORRECT: Row = [401, 409, 404, 403, 409, 409];
// department A's budget is published: the editor's save is refused by state (409) for those who may edit, by role for the others
const DRAFT_SAVE: Row = [401, 409, 404, 403, 403, 409];
// department A's 2024 budget is published, and the region has no 2025: starting 2025 from it is refused (422) for
// those who may upload, by role or department for the others
const NEXT_YEAR: Row = [401, 422, 404, 403, 403, 422];
const ADMIN_PAGE: Row = [303, 403, 403, 403, 403, 200];
const ADMIN_API: Row = [401, 403, 403, 403, 403, 200];
const ADMIN_BAD_FORM: Row = [401, 403, 403, 403, 403, 400];
const ADMIN_NO_SUCH: Row = [401, 403, 403, 403, 403, 404];
const AUDIT_PAGE: Row = [303, 403, 403, 403, 200, 200];
const AUDIT_API: Row = [401, 403, 403, 403, 200, 200];
const LOGOUT: Row = [401, 303, 303, 303, 303, 303];
const WRONG_PASSWORD: Row = [401, 401, 401, 401, 401, 401];

const D = "/r/:region/d/:department";
const FILE = ":file{[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\\.(?:html|pdf|docx|xlsx|csv|json)}";
const YEAR_ONLY = ":year{[0-9][0-9][0-9][0-9]}";
const REGION_YEAR = `/r/:region/${YEAR_ONLY}`;

export const EXPECTED: Readonly<Record<string, Row>> = {
  "GET /healthz": PUBLIC,
  "GET /api/v1/openapi.json": PUBLIC,
  "GET /login": PUBLIC,
  "POST /login": WRONG_PASSWORD,
  "POST /logout": LOGOUT,
  "POST /logout/all": LOGOUT,
  "POST /api/v1/session": WRONG_PASSWORD,
  "GET /workspace": SIGNED_IN_PAGE,
  "POST /workspace/upload": UPLOAD,
  "GET /workspace/b/:id": A_BUDGET_PAGE,
  "GET /workspace/b/:id/preview": A_BUDGET_PAGE,
  "POST /workspace/b/:id/submit": SUBMIT,
  "POST /workspace/b/:id/approve": APPROVE,
  "POST /workspace/b/:id/return": RETURN,
  "POST /workspace/b/:id/publish": PUBLISH,
  "POST /workspace/b/:id/correct": CORRECT,
  "GET /api/v1/workspace/budgets": SIGNED_IN_API,
  "GET /api/v1/workspace/budgets/:id": A_BUDGET_API,
  "POST /api/v1/workspace/budgets": UPLOAD,
  "POST /api/v1/workspace/budgets/:id/submit": SUBMIT,
  "POST /api/v1/workspace/budgets/:id/approve": APPROVE,
  "POST /api/v1/workspace/budgets/:id/return": RETURN,
  "POST /api/v1/workspace/budgets/:id/publish": PUBLISH,
  "POST /api/v1/workspace/budgets/:id/correct": CORRECT,
  "GET /workspace/b/:id/edit": A_BUDGET_PAGE,
  "GET /workspace/b/:id/draft.yaml": A_BUDGET_PAGE,
  "GET /workspace/b/:id/draft.xlsx": A_BUDGET_PAGE,
  "GET /api/v1/workspace/budgets/:id/draft": A_BUDGET_API,
  "POST /api/v1/workspace/budgets/:id/draft": DRAFT_SAVE,
  "POST /workspace/b/:id/next-year": NEXT_YEAR,
  "GET /workspace/b/:id/edit/reasons": A_BUDGET_PAGE,
  "POST /workspace/b/:id/edit/reasons": DRAFT_SAVE,
  "POST /api/v1/workspace/budgets/:id/next-year": NEXT_YEAR,
  "GET /assets/:name": PUBLIC,
  "GET /admin": ADMIN_PAGE,
  "POST /admin/users": ADMIN_BAD_FORM,
  "POST /admin/users/:id/disable": ADMIN_NO_SUCH,
  "POST /admin/tokens": ADMIN_BAD_FORM,
  "POST /admin/tokens/:id/revoke": ADMIN_NO_SUCH,
  "GET /audit": AUDIT_PAGE,
  "GET /api/v1/audit": AUDIT_API,
  "GET /api/v1/admin/users": ADMIN_API,
  "GET /": PUBLIC,
  "GET /api/v1/": PUBLIC,
  "GET /r/:region/": PUBLIC,
  "GET /api/v1/r/:region/": PUBLIC,
  [`GET ${D}/`]: PUBLIC,
  [`GET /api/v1${D}/`]: PUBLIC,
  [`GET ${D}/:year/`]: PUBLIC,
  [`GET ${D}/:year/v/:n/`]: PUBLIC,
  [`GET /api/v1${D}/:year/`]: PUBLIC,
  [`GET /api/v1${D}/:year/v/:n/`]: PUBLIC,
  [`GET ${D}/:year/changes/`]: PUBLIC,
  [`GET /api/v1${D}/:year/changes/`]: PUBLIC,
  [`GET ${D}/:year/v/:n/${FILE}`]: PUBLIC,
  [`GET ${D}/:year/${FILE}`]: PUBLIC,
  [`GET ${D}/trend/`]: PUBLIC,
  [`GET /api/v1${D}/trend/`]: PUBLIC,
  [`GET ${D}/trend.csv`]: PUBLIC,
  [`GET ${REGION_YEAR}/compare/`]: PUBLIC,
  [`GET /api/v1${REGION_YEAR}/compare/`]: PUBLIC,
  [`GET ${REGION_YEAR}/compare.csv`]: PUBLIC,
  [`GET ${REGION_YEAR}/status/`]: PUBLIC,
  [`GET /api/v1${REGION_YEAR}/status/`]: PUBLIC,
  [`GET ${REGION_YEAR}/status.csv`]: PUBLIC,
  "GET /search": PUBLIC,
  "GET /api/v1/search": PUBLIC,
  "GET /audit-pdf": PUBLIC,
  "POST /audit-pdf": PUBLIC,
  "POST /api/v1/audit-pdf": PUBLIC,
};

const keyOf = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
/** the editor's script as built for this run (test/global-setup.ts) */
const EDITOR_SCRIPT = readAssetManifest()!["editor.js"]!;

describe("the route × role table", () => {
  it("has exactly one row per route of the application", () => {
    const keys = ROUTES.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => !(k in EXPECTED)), "routes without a row in EXPECTED").toEqual([]);
    expect(Object.keys(EXPECTED).filter((k) => !keys.includes(k)), "rows without a route").toEqual([]);
  });
});

describe("every route answers every role as the table says", () => {
  let p: Platform;
  let budgetId: number;
  const sessions = new Map<Who, Session | null>();
  const LOGIN: Record<Exclude<Who, "anonymous">, Login> = { preparer: "preparer", preparer_b: "preparer_b", approver: "approver", reviewer: "reviewer", admin: "admin" };

  beforeAll(async () => {
    p = await startPlatform();
    budgetId = (await p.store.findBudget(p.a.id, 2024))!.id;
    sessions.set("anonymous", null);
    for (const [who, name] of Object.entries(LOGIN)) sessions.set(who as Who, await p.login(name));
  }, 120_000);
  afterAll(() => p?.close());

  function concrete(path: string): string {
    return path
      .replace(FILE, "disclosure.pdf")
      .replace(YEAR_ONLY, ":year")
      .replace(":region", "652300")
      .replace(":department", "415001")
      .replace(":year", "2024")
      .replace(":name", EDITOR_SCRIPT)
      .replace(":n", "1")
      .replace(":id", path.startsWith("/admin/") ? "999999" : String(budgetId));
  }

  let wrong = 0;
  function init(route: (typeof ROUTES)[number], s: Session | null): RequestInit {
    if (route.method === "GET") return get(s);
    const stale = { revision: "999999", reason: "测试", acknowledgement: "测试" };
    if (route.path === "/login") return form(s, { username: `nobody-${++wrong}`, password: "wrong-password-1" });
    if (route.path === "/api/v1/session") return json(s, { username: `nobody-${++wrong}`, password: "wrong-password-1" });
    if (route.upload) return upload(s, { departmentId: String(p.a.id), year: "2024", revision: "999999" }, { name: "budget.yaml", bytes: "format: gongkai/budget@1\n" });
    if (route.path.startsWith("/admin/users/")) return form(s, { disabled: "0" });
    if (route.path.startsWith("/logout")) return form(s, {});
    if (route.path.startsWith("/admin/")) return form(s, {});
    if (route.path.endsWith("/draft")) return json(s, { revision: 999999, ops: [] });
    if (route.path.endsWith("/next-year")) return route.kind === "api" ? json(s, {}) : form(s, {});
    if (route.path.endsWith("/edit/reasons")) return form(s, { revision: "999999", "r.income.total": "测试" });
    if (route.kind === "api") return json(s, { revision: 999999, reason: "测试", acknowledgement: "测试" });
    return form(s, stale);
  }

  const plain = ROUTES.filter((r) => !r.path.startsWith("/logout"));
  const cases = plain.flatMap((route) => ROLES.map((who, i) => ({ route, who, i })));
  it.each(cases.map((c) => [keyOf(c.route), c.who, c] as const))("%s as %s", async (_k, _w, c) => {
    const expected = EXPECTED[keyOf(c.route)]![c.i];
    const res = await p.request(concrete(c.route.path), init(c.route, sessions.get(c.who) ?? null));
    const body = await res.text();
    expect(res.status, body.slice(0, 300)).toBe(expected);
    expect(body).not.toMatch(/\n\s+at [^\n]+:\d+:\d+/);
  });

  it.each(ROUTES.filter((r) => r.path.startsWith("/logout")).flatMap((route) => ROLES.map((who, i) => [keyOf(route), who, route, i] as const)))("%s as %s (a fresh session)", async (_k, who, route, i) => {
    const s = who === "anonymous" ? null : await p.login(LOGIN[who]);
    const res = await p.request(concrete(route.path), init(route, s));
    expect(res.status).toBe(EXPECTED[keyOf(route)]![i]);
    if (s && res.status === 303) {
      // the session is gone: the workspace asks to sign in again
      const again = await p.request("/workspace", get(s));
      expect(again.status).toBe(303);
      expect(again.headers.get("location")).toMatch(/^\/login/);
    }
  });

  it("the workspace of a preparer lists only their own department, through pages and API", async () => {
    const mine = (await (await p.request("/api/v1/workspace/budgets", get(await p.login("preparer")))).json()) as { departments: { code: string }[] };
    const theirs = (await (await p.request("/api/v1/workspace/budgets", get(await p.login("preparer_b")))).json()) as { departments: { code: string }[] };
    expect(mine.departments.map((d) => d.code)).toEqual(["415001"]);
    expect(theirs.departments.map((d) => d.code)).toEqual(["415002"]);
    const page = await (await p.request("/workspace", get(await p.login("preparer_b")))).text();
    expect(page).not.toContain("昌吉回族自治州信访局");
    expect(page).toContain("测试部门乙");
  });

  it("a preparer of department B cannot upload into department A even with a matching file", async () => {
    const s = await p.login("preparer_b");
    const before = await p.store.listAudit({ limit: 1000 });
    const res = await p.request("/api/v1/workspace/budgets", upload(s, { departmentId: String(p.a.id), year: "2023" }, { name: "budget.yaml", bytes: "format: gongkai/budget@1\n" }));
    expect(res.status).toBe(404);
    expect(await p.store.findBudget(p.a.id, 2023)).toBeNull();
    expect((await p.store.listAudit({ limit: 1000 })).length).toBe(before.length);
  });

  it("a write with the session cookie but without the CSRF token is refused before anything happens", async () => {
    const s = await p.login("reviewer");
    const res = await p.request(`/workspace/b/${budgetId}/correct`, { method: "POST", headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" }, body: "revision=1" });
    expect(res.status).toBe(403);
    expect((await p.store.getBudget(budgetId))!.state).toBe("published");
  });
});
