/**
 * The department's workspace (server-rendered, works without JavaScript) and its JSON API: budgets by department,
 * year and state; upload a budget file or the input workbook and see the findings of `gongkai check` with their
 * places; preview the disclosure exactly as it would publish; submit, approve, send back, publish and correct by
 * role. Every form carries the budget's revision: a form of an old revision is refused (409), nothing is lost.
 */
import { z } from "zod";
import * as service from "../../app/platform/platform-service.ts";
import type { FindingView, ServiceResult, WorkspaceBudget } from "../../app/platform/platform-service.ts";
import type { BudgetSummary, DepartmentRow, UserRow } from "../../app/platform/platform-store.ts";
import { STATE_NAMES, WORKFLOW, type WorkflowAction } from "../../app/platform/workflow-rules.ts";
import { beijingTime, CsrfField, href, pageResponse, t, type JSX } from "./page-layout.tsx";
import type { RouteDef, WebContext, WebDeps } from "./web-context.ts";
import { ERRORS, ErrorBox, errorResponse, serviceError, type WebError } from "./web-respond.tsx";

const ID_RE = /^[1-9]\d{0,9}$/;
const digits = z.string().regex(/^\d{1,10}$/);
const csrf = z.string().max(200).optional();
const text = z.string().max(service.MAX_REASON_CHARS * 2).optional();

const uploadBody = z
  .object({ _csrf: csrf, departmentId: digits, year: z.string().regex(/^\d{4}$/), revision: z.union([digits, z.literal("")]).optional(), file: z.instanceof(File) })
  .strict();
const actionForm = z.object({ _csrf: csrf, revision: digits, acknowledgement: text, reason: text }).strict();
const actionJson = z.object({ revision: z.number().int().min(0), acknowledgement: z.string().max(service.MAX_REASON_CHARS).optional(), reason: z.string().max(service.MAX_REASON_CHARS).optional() }).strict();

const ACTION_NAMES: Record<WorkflowAction, { zh: string; en: string }> = {
  upload: { zh: "上传", en: "Upload" },
  submit: { zh: "提交审核", en: "Submit" },
  approve: { zh: "审核通过", en: "Approve" },
  return: { zh: "退回修改", en: "Send back" },
  publish: { zh: "发布公开", en: "Publish" },
  correct: { zh: "开始更正", en: "Start a correction" },
};

const rolesOf = (a: WorkflowAction) => [...new Set(WORKFLOW[a].flatMap((r) => r.roles))];

function user(c: WebContext): UserRow {
  const a = c.get("actor");
  if (!a) throw new Error("workspace route without an actor");
  return a.user;
}

export function budgetId(c: WebContext): number | null {
  const id = c.req.param("id") ?? "";
  return ID_RE.test(id) ? Number(id) : null;
}

const stateBadge = (c: WebContext, b: BudgetSummary) => {
  const correcting = b.state === "draft" && b.publishedCount > 0;
  const n = STATE_NAMES[b.state];
  return <span class={`state state-${correcting ? "correcting" : b.state}`}>{correcting ? t(c, "更正中", "Correcting") : t(c, n.zh, n.en)}</span>;
};

function budgetJson(b: BudgetSummary) {
  return {
    id: b.id,
    departmentId: b.departmentId,
    year: b.year,
    state: b.state,
    revision: b.revision,
    sourceName: b.sourceName,
    errors: b.errorCount,
    warnings: b.warningCount,
    acknowledgement: b.acknowledgement,
    returnReason: b.returnReason,
    publishedVersions: b.publishedCount,
    updatedAt: b.updatedAt,
  };
}

function workspaceJson(w: WorkspaceBudget) {
  return {
    budget: budgetJson(w.budget),
    department: { id: w.department.id, code: w.department.code, name: w.department.name, region: w.department.regionCode },
    findings: w.findings,
    actions: w.actions,
    clock: w.clock,
    versions: w.versions.map((v) => ({ number: v.version.number, id: v.version.id, publishedAt: v.version.publishedAt, reason: v.version.reason, files: v.files })),
  };
}

async function listPage(c: WebContext, deps: WebDeps, p: { status?: number; error?: JSX } = {}): Promise<Response> {
  const u = user(c);
  const groups = await service.listWorkspaceBudgets(deps, u);
  const years = new Set<number>();
  for (const code of new Set(groups.map((g) => g.department.regionCode))) for (const y of await deps.store.listRegionYears(code)) years.add(y.year);
  const canUpload = rolesOf("upload").includes(u.role);
  return pageResponse(c, {
    title: t(c, "工作台", "Workspace"),
    ...(p.status === undefined ? {} : { status: p.status }),
    body: (
      <>
        <h1>{t(c, "工作台", "Workspace")}</h1>
        {p.error ?? null}
        {canUpload && groups.length > 0 ? (
          <form method="post" action={href(c, "/workspace/upload")} enctype="multipart/form-data" class="card">
            <h2 style="margin-top:0">{t(c, "上传预算", "Upload a budget")}</h2>
            <p class="muted">{t(c, "预算文件（budget.yaml）或填报工作簿（.xlsx）。上传后立即检查，结果列在预算页。", "A budget file (budget.yaml) or the input workbook (.xlsx), checked at once; the findings are on the budget's page.")}</p>
            <CsrfField c={c} />
            <label for="departmentId">{t(c, "部门", "Department")}</label>
            <select id="departmentId" name="departmentId" required>
              {groups.map((g) => (
                <option value={String(g.department.id)}>
                  {g.department.code} {g.department.name}
                </option>
              ))}
            </select>
            <label for="year">{t(c, "预算年度", "Budget year")}</label>
            <select id="year" name="year" required>
              {[...years].sort((a, b) => b - a).map((y) => (
                <option value={String(y)}>{y}</option>
              ))}
            </select>
            <FileField c={c} />
          </form>
        ) : null}
        <h2>{t(c, "预算", "Budgets")}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(c, "部门", "Department")}</th>
                <th scope="col">{t(c, "年度", "Year")}</th>
                <th scope="col">{t(c, "状态", "State")}</th>
                <th scope="col" class="hide-narrow">
                  {t(c, "检查", "Check")}
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.flatMap((g) =>
                g.budgets.length === 0
                  ? [
                      <tr>
                        <td>{g.department.name}</td>
                        <td colspan={3} class="muted">
                          {t(c, "尚未上传", "Nothing uploaded yet")}
                        </td>
                      </tr>,
                    ]
                  : g.budgets.map((b) => (
                      <tr>
                        <td>{g.department.name}</td>
                        <td>
                          <a href={href(c, `/workspace/b/${b.id}`)}>{b.year}</a>
                        </td>
                        <td>{stateBadge(c, b)}</td>
                        <td class="hide-narrow">{t(c, `错误 ${b.errorCount}，警告 ${b.warningCount}`, `${b.errorCount} errors, ${b.warningCount} warnings`)}</td>
                      </tr>
                    )),
              )}
            </tbody>
          </table>
        </div>
        <form method="post" action={href(c, "/logout/all")} class="action">
          <CsrfField c={c} />
          <p class="muted">{t(c, "怀疑账号被他人使用？可以让所有设备上的登录同时失效。", "Think someone else is signed in as you? End every session of your account.")}</p>
          <button type="submit" class="secondary">
            {t(c, "在所有设备上退出", "Sign out everywhere")}
          </button>
        </form>
      </>
    ),
  });
}

/** The form that replaces a draft with an uploaded file, at the draft's revision (the budget page and the editor). */
export function ReplaceDraftForm(props: { c: WebContext; budget: BudgetSummary }): JSX {
  const { c, budget: b } = props;
  return (
    <form method="post" action={href(c, "/workspace/upload")} enctype="multipart/form-data" class="card">
      <h2 style="margin-top:0">{t(c, "上传新的文件替换草稿", "Replace the draft with a new file")}</h2>
      <CsrfField c={c} />
      <input type="hidden" name="departmentId" value={String(b.departmentId)} />
      <input type="hidden" name="year" value={String(b.year)} />
      <input type="hidden" name="revision" value={String(b.revision)} />
      <FileField c={c} />
    </form>
  );
}

/** The file of an upload form and its button: a budget file or the input workbook. */
function FileField(props: { c: WebContext }): JSX {
  const { c } = props;
  return (
    <>
      <label for="file">{t(c, "文件", "File")}</label>
      <input type="file" id="file" name="file" required accept=".yaml,.yml,.xlsx" />
      <div>
        <button type="submit" class="primary">
          {t(c, "上传并检查", "Upload and check")}
        </button>
      </div>
    </>
  );
}

function findingsTable(c: WebContext, findings: readonly FindingView[]): JSX {
  if (findings.length === 0) return <p class="ok">{t(c, "检查未发现问题。", "The check found nothing.")}</p>;
  const sev = { error: t(c, "错误", "Error"), warning: t(c, "警告", "Warning"), note: t(c, "提示", "Note") };
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col" class="nowrap">
              {t(c, "级别", "Severity")}
            </th>
            <th scope="col">{t(c, "位置", "Place")}</th>
            <th scope="col">{t(c, "问题", "Finding")}</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr>
              <td class="nowrap">{sev[f.severity]}</td>
              <td>{f.place ? <code>{f.place}</code> : "—"}</td>
              <td>
                {t(c, f.message.zh, f.message.en)} <span class="muted">{f.code}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A submit's written acknowledgement of the warnings: required while there are any (the budget page and the editor). */
export function AcknowledgementField(props: { c: WebContext; warnings: number; hidden?: boolean }): JSX {
  const { c, warnings } = props;
  return (
    <div id="ack-field" hidden={props.hidden}>
      <label for="ack-submit" id="ack-label">
        {t(c, `对 ${warnings} 个警告的书面说明（必填）`, `Your written acknowledgement of the ${warnings} warning(s) (required)`)}
      </label>
      <textarea id="ack-submit" name="acknowledgement" required={!props.hidden} maxlength={service.MAX_REASON_CHARS}></textarea>
    </div>
  );
}

function actionForms(c: WebContext, w: WorkspaceBudget): JSX {
  const b = w.budget;
  return (
    <>
      {w.actions
        .filter((a) => a !== "upload")
        .map((a) => (
          <form method="post" action={href(c, `/workspace/b/${b.id}/${a}`)} class="action card">
            <CsrfField c={c} />
            <input type="hidden" name="revision" value={String(b.revision)} />
            {a === "submit" && b.warningCount > 0 ? <AcknowledgementField c={c} warnings={b.warningCount} /> : null}
            {a === "return" || (a === "publish" && b.publishedCount > 0) ? (
              <>
                <label for={`reason-${a}`}>{a === "return" ? t(c, "退回理由（必填）", "Why it is sent back (required)") : t(c, "更正理由（必填，将公开）", "Reason for the correction (required, published)")}</label>
                <textarea id={`reason-${a}`} name="reason" required maxlength={service.MAX_REASON_CHARS}></textarea>
              </>
            ) : null}
            <button type="submit" class={a === "return" ? "secondary" : "primary"}>
              {t(c, ACTION_NAMES[a].zh, ACTION_NAMES[a].en)}
            </button>
          </form>
        ))}
    </>
  );
}

async function budgetPage(c: WebContext, deps: WebDeps, id: number | null, p: { status?: number; error?: WebError; done?: string } = {}): Promise<Response> {
  if (id === null) return errorResponse(c, ERRORS.notFound);
  const r = await service.getWorkspaceBudget(deps, user(c), { budgetId: id });
  if (!r.ok) return errorResponse(c, serviceError(r.error));
  const w = r.value;
  const b = w.budget;
  const region = w.department.regionCode;
  const clock = w.clock;
  const clockText =
    clock.state === "no_approval_date"
      ? t(c, "尚无批复日期", "No approval date yet")
      : clock.state === "open"
        ? t(c, `须于 ${clock.deadline} 前公开（还剩 ${clock.days} 天）`, `Due by ${clock.deadline} (${clock.days} days left)`)
        : clock.state === "overdue"
          ? t(c, `已超过公开期限 ${clock.deadline}（${clock.days} 天）`, `Overdue since ${clock.deadline} (${clock.days} days)`)
          : clock.state === "on_time"
            ? t(c, `已按期公开（期限 ${clock.deadline}）`, `Published on time (due ${clock.deadline})`)
            : t(c, `逾期 ${clock.days} 天公开（期限 ${clock.deadline}）`, `Published ${clock.days} days late (due ${clock.deadline})`);
  return pageResponse(c, {
    title: `${w.department.name} ${b.year}`,
    ...(p.status === undefined ? {} : { status: p.status }),
    body: (
      <>
        <p>
          <a href={href(c, "/workspace")}>{t(c, "工作台", "Workspace")}</a> › {w.department.name}
        </p>
        <h1>
          {w.department.name} {t(c, `${b.year} 年部门预算`, `${b.year} budget`)} {stateBadge(c, b)}
        </h1>
        {p.done ? (
          <div class="ok" role="status">
            {p.done}
          </div>
        ) : null}
        {p.error ? <ErrorBox c={c} error={p.error} /> : null}
        <div class="card">
          <p>
            {t(c, "文件", "File")}：{b.sourceName} · {t(c, "修订号", "Revision")} {b.revision} · {t(c, "公开期限", "Deadline")}：{clockText}
          </p>
          {b.returnReason ? (
            <p>
              {t(c, "退回理由", "Sent back because")}：{b.returnReason}
            </p>
          ) : null}
          {b.acknowledgement ? (
            <p>
              {t(c, "编制人对警告的说明", "The preparer's acknowledgement")}：{b.acknowledgement}
            </p>
          ) : null}
          <p>
            <a href={href(c, `/workspace/b/${b.id}/edit`)}>{w.actions.includes("upload") ? t(c, "在线编辑明细（粘贴自 Excel，自动保存并检查）", "Edit the line items online (paste from Excel; saved and checked as you type)") : t(c, "查看明细", "View the line items")}</a>
          </p>
          <p>
            <a href={href(c, `/workspace/b/${b.id}/preview`)}>{t(c, "预览公开页面（与发布后完全一致）", "Preview the disclosure exactly as it would publish")}</a>
          </p>
        </div>
        {actionForms(c, w)}
        {w.actions.includes("upload") ? (
          <ReplaceDraftForm c={c} budget={b} />
        ) : null}
        {w.nextYear !== null ? (
          <form method="post" action={href(c, `/workspace/b/${b.id}/next-year`)} class="action card">
            <CsrfField c={c} />
            <p style="margin-top:0">
              {t(
                c,
                `以本预算为基础新建 ${w.nextYear} 年草稿：单位、项目、明细与绩效目标沿用，上年数取自已公开的 ${b.year} 年预算，增减原因与上年结转留待填写。`,
                `Start the ${w.nextYear} draft from this budget: units, projects, lines and targets carried over; last year's figures from the published ${b.year} disclosure; reasons and carry-over left to fill in.`,
              )}
            </p>
            <button type="submit" class="secondary">
              {t(c, `新建 ${w.nextYear} 年草稿`, `Start the ${w.nextYear} draft`)}
            </button>
          </form>
        ) : null}
        <h2>{t(c, `检查结果（错误 ${b.errorCount}，警告 ${b.warningCount}）`, `Findings (${b.errorCount} errors, ${b.warningCount} warnings)`)}</h2>
        {findingsTable(c, w.findings)}
        <h2>{t(c, "已公开的版本", "Published versions")}</h2>
        {w.versions.length === 0 ? (
          <p class="muted">{t(c, "尚未公开。", "Not published yet.")}</p>
        ) : (
          <ul class="plain">
            {w.versions.map((v) => {
              const at = `/r/${region}/d/${w.department.code}/${b.year}/v/${v.version.number}/`;
              return (
                <li>
                  <a href={at}>{t(c, `第 ${v.version.number} 版`, `Version ${v.version.number}`)}</a> <span class="muted">{beijingTime(v.version.publishedAt)}（{t(c, "北京时间", "Beijing time")}）</span>
                  {v.version.reason ? (
                    <>
                      {" "}
                      · {t(c, "更正理由", "Reason")}：{v.version.reason}
                    </>
                  ) : null}
                  <br />
                  {v.files
                    .filter((f) => !f.path.startsWith("tables/"))
                    .map((f, i) => (
                      <>
                        {i > 0 ? " · " : ""}
                        <a href={`${at}${f.path}`}>{f.path}</a>
                      </>
                    ))}
                </li>
              );
            })}
          </ul>
        )}
      </>
    ),
  });
}

type Done = WorkflowAction | "next-year";
const DONE: Record<Done, { zh: string; en: string }> = {
  upload: { zh: "已上传并检查。", en: "Uploaded and checked." },
  "next-year": { zh: "已以上年预算为基础新建草稿，并已检查。", en: "The draft was started from last year's budget and checked." },
  submit: { zh: "已提交部门审核。", en: "Submitted for the department's approval." },
  approve: { zh: "已审核通过，等待财政审核发布。", en: "Approved; awaiting the finance reviewer." },
  return: { zh: "已退回修改。", en: "Sent back." },
  publish: { zh: "已发布公开。", en: "Published." },
  correct: { zh: "已开始更正：请在线编辑或上传更正后的文件。", en: "Correction started: edit the budget here or upload the corrected file." },
};

function runAction(a: WorkflowAction, deps: WebDeps, u: UserRow, id: number, b: { revision: number; acknowledgement?: string | undefined; reason?: string | undefined }): Promise<ServiceResult<unknown>> {
  const p = { budgetId: id, expectedRevision: b.revision };
  switch (a) {
    case "submit":
      return service.submitBudget(deps, u, { ...p, ...(b.acknowledgement === undefined ? {} : { acknowledgement: b.acknowledgement }) });
    case "approve":
      return service.approveBudget(deps, u, p);
    case "return":
      return service.returnBudget(deps, u, { ...p, reason: b.reason ?? "" });
    case "publish":
      return service.publishBudget(deps, u, { ...p, ...(b.reason === undefined ? {} : { reason: b.reason }) });
    case "correct":
      return service.startCorrection(deps, u, p);
    case "upload":
      throw new Error("upload has its own route");
  }
}

async function uploadFrom(deps: WebDeps, u: UserRow, b: { departmentId: string; year: string; revision?: string | undefined; file: File }) {
  return service.uploadBudget(deps, u, {
    departmentId: Number(b.departmentId),
    year: Number(b.year),
    fileName: b.file.name,
    bytes: new Uint8Array(await b.file.arrayBuffer()),
    ...(b.revision === undefined || b.revision === "" ? {} : { expectedRevision: Number(b.revision) }),
  });
}

const MOVES: readonly WorkflowAction[] = ["submit", "approve", "return", "publish", "correct"];

export const WORKSPACE_ROUTES: readonly RouteDef[] = [
  { method: "GET", path: "/workspace", access: "signed_in", kind: "page", summary: { zh: "工作台：预算列表与上传", en: "Workspace: budgets and upload" }, handler: (c, deps) => listPage(c, deps) },
  {
    method: "POST",
    path: "/workspace/upload",
    access: rolesOf("upload"),
    kind: "page",
    upload: true,
    summary: { zh: "上传预算文件或填报工作簿", en: "Upload a budget file or workbook" },
    body: uploadBody,
    handler: async (c, deps) => {
      const r = await uploadFrom(deps, user(c), c.get("body") as z.infer<typeof uploadBody>);
      if (!r.ok) {
        const e = serviceError(r.error);
        return listPage(c, deps, {
          status: e.status,
          error: <ErrorBox c={c} error={e} />,
        });
      }
      return c.redirect(href(c, `/workspace/b/${r.value.budget.id}?done=upload`), 303);
    },
  },
  {
    method: "GET",
    path: "/workspace/b/:id",
    access: "signed_in",
    kind: "page",
    summary: { zh: "预算：检查结果、操作与版本", en: "A budget: findings, actions, versions" },
    query: z.object({ done: z.enum(["upload", "next-year", "submit", "approve", "return", "publish", "correct"]).optional(), lang: z.enum(["zh", "en"]).optional() }),
    handler: (c, deps) => {
      const done = c.req.query("done") as Done | undefined;
      return budgetPage(c, deps, budgetId(c), done ? { done: t(c, DONE[done].zh, DONE[done].en) } : {});
    },
  },
  {
    method: "GET",
    path: "/workspace/b/:id/preview",
    access: "signed_in",
    kind: "page",
    summary: { zh: "预览公开页面", en: "Preview the disclosure" },
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.previewBudget(deps, user(c), { budgetId: id });
      if (!r.ok) return errorResponse(c, serviceError(r.error));
      const banner = `<aside role="note" style="background:#fdecec;border:1px solid #c62828;padding:.6rem 1rem;margin:.5rem;font:16px/1.6 sans-serif">预览：尚未公开 · Preview: not published · <a href="/workspace/b/${id}">返回 / back</a></aside>`;
      return c.html(r.value.html.replace(/<body[^>]*>/i, (m) => m + banner));
    },
  },
  {
    method: "POST",
    path: "/workspace/b/:id/next-year",
    access: rolesOf("upload"),
    kind: "page",
    summary: { zh: "以本预算为基础新建下一年草稿", en: "Start next year's draft from this budget" },
    body: z.object({ _csrf: csrf }).strict(),
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.startNextYear(deps, user(c), { budgetId: id });
      if (!r.ok) {
        const e = serviceError(r.error);
        return e.status === 404 ? errorResponse(c, e) : budgetPage(c, deps, id, { status: e.status, error: e });
      }
      return c.redirect(href(c, `/workspace/b/${r.value.budget.id}?done=next-year`), 303);
    },
  },
  ...MOVES.map(
    (a): RouteDef => ({
      method: "POST",
      path: `/workspace/b/:id/${a}`,
      access: rolesOf(a),
      kind: "page",
      summary: { zh: ACTION_NAMES[a].zh, en: ACTION_NAMES[a].en },
      body: actionForm,
      handler: async (c, deps) => {
        const id = budgetId(c);
        if (id === null) return errorResponse(c, ERRORS.notFound);
        const b = c.get("body") as z.infer<typeof actionForm>;
        const r = await runAction(a, deps, user(c), id, { revision: Number(b.revision), acknowledgement: b.acknowledgement, reason: b.reason });
        if (!r.ok) {
          const e = serviceError(r.error);
          if (e.status === 404) return errorResponse(c, e);
          return budgetPage(c, deps, id, { status: e.status, error: e });
        }
        return c.redirect(href(c, `/workspace/b/${id}?done=${a}`), 303);
      },
    }),
  ),
  {
    method: "GET",
    path: "/api/v1/workspace/budgets",
    access: "signed_in",
    kind: "api",
    summary: { zh: "工作台：可见的部门与预算", en: "Workspace: the departments and budgets in reach" },
    handler: async (c, deps) => {
      const groups = await service.listWorkspaceBudgets(deps, user(c));
      return c.json({ departments: groups.map((g: { department: DepartmentRow; budgets: BudgetSummary[] }) => ({ id: g.department.id, code: g.department.code, name: g.department.name, region: g.department.regionCode, budgets: g.budgets.map(budgetJson) })) });
    },
  },
  {
    method: "GET",
    path: "/api/v1/workspace/budgets/:id",
    access: "signed_in",
    kind: "api",
    summary: { zh: "一份预算：检查结果、可做的操作与版本", en: "A budget: findings, actions, versions" },
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.getWorkspaceBudget(deps, user(c), { budgetId: id });
      return r.ok ? c.json(workspaceJson(r.value)) : errorResponse(c, serviceError(r.error));
    },
  },
  {
    method: "POST",
    path: "/api/v1/workspace/budgets",
    access: rolesOf("upload"),
    kind: "api",
    upload: true,
    summary: { zh: "上传预算（multipart：departmentId、year、file，可选 revision）", en: "Upload a budget (multipart: departmentId, year, file, optional revision)" },
    body: uploadBody,
    handler: async (c, deps) => {
      const r = await uploadFrom(deps, user(c), c.get("body") as z.infer<typeof uploadBody>);
      return r.ok ? c.json({ budget: budgetJson(r.value.budget), findings: r.value.findings }, 201) : errorResponse(c, serviceError(r.error));
    },
  },
  {
    method: "POST",
    path: "/api/v1/workspace/budgets/:id/next-year",
    access: rolesOf("upload"),
    kind: "api",
    summary: { zh: "以本预算为基础新建下一年草稿（沿用单位、项目、明细与绩效目标）", en: "Start next year's draft from this budget (units, projects, lines and targets carried over)" },
    body: z.object({}).strict(),
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.startNextYear(deps, user(c), { budgetId: id });
      return r.ok ? c.json({ budget: budgetJson(r.value.budget), findings: r.value.findings }, 201) : errorResponse(c, serviceError(r.error));
    },
  },
  ...MOVES.map(
    (a): RouteDef => ({
      method: "POST",
      path: `/api/v1/workspace/budgets/:id/${a}`,
      access: rolesOf(a),
      kind: "api",
      summary: { zh: ACTION_NAMES[a].zh, en: ACTION_NAMES[a].en },
      body: actionJson,
      handler: async (c, deps) => {
        const id = budgetId(c);
        if (id === null) return errorResponse(c, ERRORS.notFound);
        const r = await runAction(a, deps, user(c), id, c.get("body") as z.infer<typeof actionJson>);
        if (!r.ok) return errorResponse(c, serviceError(r.error));
        const again = await service.getWorkspaceBudget(deps, user(c), { budgetId: id });
        return again.ok ? c.json(workspaceJson(again.value)) : errorResponse(c, serviceError(again.error));
      },
    }),
  ),
];
