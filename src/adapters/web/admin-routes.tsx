/**
 * Administration: users (create, disable), API tokens (issue — shown once —, revoke), and the audit log that
 * finance reviewers and administrators read. Every change here is audited in the same transaction.
 */
import { z } from "zod";
import type { AuditEntry, Role, UserRow } from "../../app/platform/platform-store.ts";
import { ROLES } from "../../app/platform/platform-store.ts";
import { hashPassword, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, newToken, tokenHash, USERNAME_RE } from "../auth/password-hash.ts";
import { beijingTime, CsrfField, href, pageResponse, roleName, t, type JSX } from "./page-layout.tsx";
import type { RouteDef, WebContext, WebDeps } from "./web-context.ts";
import { ERRORS, errorResponse } from "./web-respond.tsx";

const ID_RE = /^[1-9]\d{0,9}$/;
const csrf = z.string().max(200).optional();

const newUserBody = z
  .object({
    _csrf: csrf,
    username: z.string().regex(USERNAME_RE),
    displayName: z.string().trim().min(1).max(60),
    role: z.enum(ROLES as [Role, ...Role[]]),
    departmentId: z.union([z.string().regex(/^\d{1,10}$/), z.literal("")]).optional(),
    regionCode: z.union([z.string().regex(/^\d{6}$/), z.literal("")]).optional(),
    password: z.string().min(MIN_PASSWORD_CHARS).max(MAX_PASSWORD_CHARS),
  })
  .strict();
const disableBody = z.object({ _csrf: csrf, disabled: z.enum(["0", "1"]) }).strict();
const tokenBody = z.object({ _csrf: csrf, name: z.string().trim().min(1).max(60), userId: z.string().regex(/^\d{1,10}$/) }).strict();
const emptyBody = z.object({ _csrf: csrf }).strict();

function actorUser(c: WebContext): UserRow {
  const a = c.get("actor");
  if (!a) throw new Error("admin route without an actor");
  return a.user;
}

const audit = (c: WebContext, action: string, entity: string, entityId: string, before: unknown, after: unknown): AuditEntry => ({
  userId: actorUser(c).id,
  action,
  entity,
  entityId,
  before: before === null ? null : JSON.stringify(before),
  after: after === null ? null : JSON.stringify(after),
});

async function adminPage(c: WebContext, deps: WebDeps, p: { status?: number; message?: JSX } = {}): Promise<Response> {
  const users = await deps.store.listUsers();
  const tokens = await deps.store.listApiTokens();
  const names = new Map(users.map((u) => [u.id, u.username]));
  return pageResponse(c, {
    title: t(c, "管理", "Administration"),
    ...(p.status === undefined ? {} : { status: p.status }),
    body: (
      <>
        <h1>{t(c, "管理", "Administration")}</h1>
        {p.message ?? null}
        <p>
          <a href={href(c, "/audit")}>{t(c, "审计日志", "Audit log")}</a>
        </p>
        <h2>{t(c, "用户", "Users")}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(c, "用户名", "User name")}</th>
                <th scope="col">{t(c, "姓名", "Name")}</th>
                <th scope="col">{t(c, "角色", "Role")}</th>
                <th scope="col">{t(c, "范围", "Scope")}</th>
                <th scope="col">{t(c, "状态", "Status")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr>
                  <td>{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>{roleName(c, u.role)}</td>
                  <td>{u.departmentId !== null ? t(c, `部门 #${u.departmentId}`, `department #${u.departmentId}`) : (u.regionCode ?? "—")}</td>
                  <td>
                    <form method="post" action={href(c, `/admin/users/${u.id}/disable`)}>
                      <CsrfField c={c} />
                      <input type="hidden" name="disabled" value={u.disabled ? "0" : "1"} />
                      {u.disabled ? t(c, "已停用 ", "Disabled ") : t(c, "正常 ", "Active ")}
                      <button type="submit" class="secondary">
                        {u.disabled ? t(c, "启用", "Enable") : t(c, "停用", "Disable")}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action={href(c, "/admin/users")} class="card">
          <h3 style="margin-top:0">{t(c, "新建用户", "New user")}</h3>
          <CsrfField c={c} />
          <label for="username">{t(c, "用户名（3–32 位小写字母、数字、._-）", "User name (3–32 of a-z 0-9 . _ -)")}</label>
          <input type="text" id="username" name="username" required pattern="[a-z0-9_.\-]{3,32}" />
          <label for="displayName">{t(c, "姓名", "Name")}</label>
          <input type="text" id="displayName" name="displayName" required maxlength={60} />
          <label for="role">{t(c, "角色", "Role")}</label>
          <select id="role" name="role">
            {ROLES.map((r) => (
              <option value={r}>{roleName(c, r)}</option>
            ))}
          </select>
          <label for="departmentId">{t(c, "部门编号（编制人、部门审核人）", "Department id (preparer, department approver)")}</label>
          <input type="text" id="departmentId" name="departmentId" inputmode="numeric" />
          <label for="regionCode">{t(c, "财政区划编码（财政审核人）", "Region code (finance reviewer)")}</label>
          <input type="text" id="regionCode" name="regionCode" inputmode="numeric" />
          <label for="password">{t(c, `初始密码（至少 ${MIN_PASSWORD_CHARS} 位）`, `Initial password (at least ${MIN_PASSWORD_CHARS} characters)`)}</label>
          <input type="password" id="password" name="password" required minlength={MIN_PASSWORD_CHARS} autocomplete="new-password" />
          <div>
            <button type="submit" class="primary">
              {t(c, "创建", "Create")}
            </button>
          </div>
        </form>
        <h2>{t(c, "API 令牌", "API tokens")}</h2>
        <ul class="plain">
          {tokens.map((tk) => (
            <li>
              {tk.name} · {names.get(tk.userId) ?? tk.userId} · {tk.createdAt}{" "}
              {tk.revokedAt ? (
                <span class="muted">{t(c, `已吊销 ${tk.revokedAt}`, `revoked ${tk.revokedAt}`)}</span>
              ) : (
                <form method="post" action={href(c, `/admin/tokens/${tk.id}/revoke`)} style="display:inline">
                  <CsrfField c={c} />
                  <button type="submit" class="secondary">
                    {t(c, "吊销", "Revoke")}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
        <form method="post" action={href(c, "/admin/tokens")} class="card">
          <h3 style="margin-top:0">{t(c, "签发令牌", "Issue a token")}</h3>
          <CsrfField c={c} />
          <label for="tname">{t(c, "用途", "Name")}</label>
          <input type="text" id="tname" name="name" required maxlength={60} />
          <label for="tuser">{t(c, "代表的用户", "On behalf of")}</label>
          <select id="tuser" name="userId">
            {users
              .filter((u) => !u.disabled)
              .map((u) => (
                <option value={String(u.id)}>
                  {u.username}（{roleName(c, u.role)}）
                </option>
              ))}
          </select>
          <div>
            <button type="submit" class="primary">
              {t(c, "签发", "Issue")}
            </button>
          </div>
        </form>
      </>
    ),
  });
}

const problem = (c: WebContext, zh: string, en: string, status = 422) => ({ status, message: <div class="error" role="alert">{t(c, zh, en)}</div> });

export const ADMIN_ROUTES: readonly RouteDef[] = [
  { method: "GET", path: "/admin", access: ["admin"], kind: "page", summary: { zh: "管理：用户与令牌", en: "Administration: users and tokens" }, handler: (c, deps) => adminPage(c, deps) },
  {
    method: "POST",
    path: "/admin/users",
    access: ["admin"],
    kind: "page",
    summary: { zh: "新建用户", en: "Create a user" },
    body: newUserBody,
    handler: async (c, deps) => {
      const b = c.get("body") as z.infer<typeof newUserBody>;
      const scoped = b.role === "preparer" || b.role === "dept_approver";
      const departmentId = scoped && b.departmentId ? Number(b.departmentId) : null;
      const regionCode = b.role === "finance_reviewer" && b.regionCode ? b.regionCode : null;
      if (scoped && (departmentId === null || !(await deps.store.getDepartment(departmentId)))) return adminPage(c, deps, problem(c, "编制人和部门审核人须指定存在的部门编号。", "A preparer or department approver needs an existing department id."));
      if (b.role === "finance_reviewer" && (regionCode === null || !(await deps.store.getRegion(regionCode)))) return adminPage(c, deps, problem(c, "财政审核人须指定存在的财政区划编码。", "A finance reviewer needs an existing region code."));
      const r = await deps.store.createUser(
        { username: b.username, displayName: b.displayName, role: b.role, departmentId, regionCode, passwordHash: await hashPassword(b.password) },
        audit(c, "user.create", "user", b.username, null, { username: b.username, role: b.role, departmentId, regionCode }),
      );
      if (!r.ok) return adminPage(c, deps, problem(c, `用户名 ${b.username} 已存在。`, `The user name ${b.username} is taken.`, 409));
      return adminPage(c, deps, { message: <div class="ok" role="status">{t(c, `已创建用户 ${b.username}。`, `User ${b.username} created.`)}</div> });
    },
  },
  {
    method: "POST",
    path: "/admin/users/:id/disable",
    access: ["admin"],
    kind: "page",
    summary: { zh: "停用或启用用户", en: "Disable or enable a user" },
    body: disableBody,
    handler: async (c, deps) => {
      const id = c.req.param("id") ?? "";
      const u = ID_RE.test(id) ? await deps.store.getUser(Number(id)) : null;
      if (!u) return errorResponse(c, ERRORS.notFound);
      const disabled = (c.get("body") as z.infer<typeof disableBody>).disabled === "1";
      if (u.id === actorUser(c).id && disabled) return adminPage(c, deps, problem(c, "不能停用自己。", "You cannot disable yourself.", 409));
      await deps.store.setUserDisabled(u.id, disabled, audit(c, disabled ? "user.disable" : "user.enable", "user", u.username, { disabled: u.disabled }, { disabled }));
      if (disabled) await deps.store.deleteSessionsOfUser(u.id);
      return c.redirect(href(c, "/admin"), 303);
    },
  },
  {
    method: "POST",
    path: "/admin/tokens",
    access: ["admin"],
    kind: "page",
    summary: { zh: "签发 API 令牌", en: "Issue an API token" },
    body: tokenBody,
    handler: async (c, deps) => {
      const b = c.get("body") as z.infer<typeof tokenBody>;
      const u = await deps.store.getUser(Number(b.userId));
      if (!u || u.disabled) return errorResponse(c, ERRORS.notFound);
      const token = newToken();
      const row = await deps.store.createApiToken(
        { name: b.name, userId: u.id, tokenHash: tokenHash(token), createdAt: deps.now().toISOString(), createdBy: actorUser(c).id },
        audit(c, "token.create", "token", b.name, null, { name: b.name, user: u.username }),
      );
      return adminPage(c, deps, {
        message: (
          <div class="ok" role="status">
            <p>{t(c, `已签发令牌“${row.name}”。它只显示这一次，请立即保存：`, `Token “${row.name}” issued. It is shown only this once; keep it now:`)}</p>
            <p>
              <code>{token}</code>
            </p>
            <p class="muted">{t(c, "用法：Authorization: Bearer <令牌>", "Use: Authorization: Bearer <token>")}</p>
          </div>
        ),
      });
    },
  },
  {
    method: "POST",
    path: "/admin/tokens/:id/revoke",
    access: ["admin"],
    kind: "page",
    summary: { zh: "吊销 API 令牌", en: "Revoke an API token" },
    body: emptyBody,
    handler: async (c, deps) => {
      const id = c.req.param("id") ?? "";
      if (!ID_RE.test(id)) return errorResponse(c, ERRORS.notFound);
      const ok = await deps.store.revokeApiToken(Number(id), deps.now().toISOString(), audit(c, "token.revoke", "token", id, { revoked: false }, { revoked: true }));
      return ok ? c.redirect(href(c, "/admin"), 303) : errorResponse(c, ERRORS.notFound);
    },
  },
  {
    method: "GET",
    path: "/audit",
    access: ["finance_reviewer", "admin"],
    kind: "page",
    summary: { zh: "审计日志", en: "Audit log" },
    handler: async (c, deps) => {
      const rows = await deps.store.listAudit({ limit: 200 });
      const users = new Map((await deps.store.listUsers()).map((u) => [u.id, u.username]));
      return pageResponse(c, {
        title: t(c, "审计日志", "Audit log"),
        body: (
          <>
            <h1>{t(c, "审计日志（最近 200 条）", "Audit log (latest 200)")}</h1>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t(c, "时间（北京时间）", "Time (Beijing)")}</th>
                    <th scope="col">{t(c, "用户", "User")}</th>
                    <th scope="col">{t(c, "操作", "Action")}</th>
                    <th scope="col">{t(c, "对象", "Entity")}</th>
                    <th scope="col">{t(c, "变更前", "Before")}</th>
                    <th scope="col">{t(c, "变更后", "After")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr>
                      <td class="nowrap">{beijingTime(r.at)}</td>
                      <td>{r.userId === null ? "—" : (users.get(r.userId) ?? r.userId)}</td>
                      <td>{r.action}</td>
                      <td>
                        {r.entity} {r.entityId}
                      </td>
                      <td>
                        <code>{r.before ?? ""}</code>
                      </td>
                      <td>
                        <code>{r.after ?? ""}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ),
      });
    },
  },
  {
    method: "GET",
    path: "/api/v1/audit",
    access: ["finance_reviewer", "admin"],
    kind: "api",
    summary: { zh: "审计日志", en: "Audit log" },
    query: z.object({ entity: z.string().max(20).optional(), entityId: z.string().max(100).optional(), limit: z.string().regex(/^\d{1,4}$/).optional() }).strict(),
    handler: async (c, deps) => {
      const q = c.req.query();
      const rows = await deps.store.listAudit({ ...(q.entity ? { entity: q.entity } : {}), ...(q.entityId ? { entityId: q.entityId } : {}), limit: Math.min(1000, Number(q.limit ?? 100)) });
      return c.json({ entries: rows });
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/users",
    access: ["admin"],
    kind: "api",
    summary: { zh: "用户列表", en: "Users" },
    handler: async (c, deps) => c.json({ users: (await deps.store.listUsers()).map(({ passwordHash: _h, ...u }) => u) }),
  },
];
