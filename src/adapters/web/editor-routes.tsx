/**
 * The budget editor in the department's workspace: the draft's line items in a grid (the page's one island of
 * JavaScript, src/adapters/browser/editor.ts), saved as patches on stable line ids after every change and checked
 * with the rules of `gongkai check`, the findings beside the grid linking to their cells.
 *
 * Without JavaScript the page is the lines as a table (each finding links to its row), the draft's YAML to
 * download, and the upload form; with it, the table becomes the grid.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { raw } from "hono/html";
import { z } from "zod";
import * as service from "../../app/platform/platform-service.ts";
import type { DraftForEditor, EditorFindingView } from "../../app/platform/platform-service.ts";
import { CURRENT_FUNDS, EXPENDITURE_KINDS } from "../../domain/budget-schema.ts";
import { formatCell, formatSteps, toSteps } from "../../domain/money.ts";
import { draftOpsSchema, LINE_FIELDS, type DraftLine, type LineField } from "../../domain/draft-patch.ts";
import { FUND_CHOICES, KIND_CHOICES, LAYOUT, SHEET, type TableSheetSpec } from "../ingest/xlsx-input-layout.ts";
import { ASSETS_DIR, readAssetManifest } from "./build-assets.ts";
import type { EditorChoice, EditorColumn, EditorData, EditorFinding, EditorSaveReply } from "./editor-protocol.ts";
import { CsrfField, href, pageResponse, t, type JSX } from "./page-layout.tsx";
import type { RouteDef, WebContext } from "./web-context.ts";
import { ERRORS, ErrorBox, errorResponse, serviceError, type WebError } from "./web-respond.tsx";
import { AcknowledgementField, budgetId, ReplaceDraftForm } from "./workspace-routes.tsx";

const saveBody = z.object({ revision: z.number().int().min(0), ops: draftOpsSchema }).strict();

/** the editor's own policy: its script from this origin (the site's other pages run none) */
const EDITOR_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const HEADERS_EN: Readonly<Record<LineField, string>> = {
  unit: "Unit code",
  kind: "Kind",
  func: "Function code",
  econ: "Economic code",
  fund: "Fund source",
  amount: "Amount (yuan)",
  project: "Project code",
  note: "Note",
};

/** the columns of 明细 as the input workbook has them: one definition for the workbook and the editor */
const LINE_SHEET = LAYOUT.find((s): s is TableSheetSpec => s.kind === "table" && s.name === SHEET.lines)!;
// in the workbook's order, so that a block copied from its sheet 明细 pastes straight into the grid
const COLUMNS: readonly EditorColumn[] = LINE_SHEET.columns.map((spec) => {
  const key = LINE_FIELDS.find((f) => f === spec.key);
  if (!key) throw new Error(`the workbook's sheet ${SHEET.lines} has a column ${spec.key} the editor does not know`);
  return { key, header: spec.header, headerEn: HEADERS_EN[key], help: spec.help };
});
if (COLUMNS.length !== LINE_FIELDS.length) throw new Error(`the workbook's sheet ${SHEET.lines} lacks a column of a line`);

const choices = (list: readonly { id: string | boolean; label: string; aliases?: readonly string[] }[], ids: readonly string[]): EditorChoice[] =>
  list.filter((c) => ids.includes(String(c.id))).map((c) => ({ id: String(c.id), label: c.label, aliases: c.aliases ?? [] }));

function findingJson(f: EditorFindingView): EditorFinding {
  return { code: f.code, severity: f.severity, message: f.message, line: f.line, field: f.lineField, place: f.place };
}

function editorData(c: WebContext, d: DraftForEditor): EditorData {
  const catalog = d.catalog;
  const codes = (kind: "func" | "econ") => (catalog ? [...catalog[kind].values()].filter((e) => e.level === (kind === "func" ? 3 : 2)).map((e) => ({ code: e.code, name: e.name })) : []);
  return {
    budgetId: d.budget.id,
    revision: d.budget.revision,
    csrf: c.get("actor")?.csrfToken ?? "",
    lang: c.get("lang"),
    editable: d.editable,
    saveUrl: `/api/v1/workspace/budgets/${d.budget.id}/draft`,
    lines: d.lines,
    columns: COLUMNS,
    options: {
      units: (d.parsed?.units ?? []).map((u) => ({ code: u.code, name: u.name })),
      projects: (d.parsed?.projects ?? []).map((p) => ({ code: p.code, name: p.classified && p.public_label ? p.public_label : p.name })),
      func: codes("func"),
      econ: codes("econ"),
      funds: choices(FUND_CHOICES, CURRENT_FUNDS),
      kinds: choices(KIND_CHOICES, EXPENDITURE_KINDS),
    },
    findings: d.findings.map(findingJson),
  };
}

/** JSON inside a <script> block: nothing in it can close the block or open a comment */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

function LinesTable(props: { c: WebContext; lines: readonly DraftLine[] }): JSX {
  const { c, lines } = props;
  return (
    <table class="data editor-lines">
      <caption>{t(c, `预算明细（${lines.length} 行）`, `Line items (${lines.length} rows)`)}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          {COLUMNS.map((col) => (
            <th scope="col">{t(c, col.header, col.headerEn)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {lines.map((l, i) => (
          <tr id={`line-${l.id}`}>
            <th scope="row">{i + 1}</th>
            {COLUMNS.map(({ key }) => (
              <td class={key === "amount" ? "num" : undefined}>{l.values[key] ?? ""}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FindingsList(props: { c: WebContext; findings: readonly EditorFindingView[]; lines: readonly DraftLine[] }): JSX {
  const { c, findings, lines } = props;
  const rowOf = new Map(lines.map((l, i) => [l.id, i + 1]));
  const at = (f: EditorFindingView) => {
    const col = COLUMNS.find((x) => x.key === f.lineField);
    const n = f.line === null ? undefined : rowOf.get(f.line);
    return n === undefined ? "" : t(c, `第 ${n} 行${col ? ` · ${col.header}` : ""}：`, `row ${n}${col ? ` · ${col.headerEn}` : ""}: `);
  };
  const sev = (s: string) => (s === "error" ? t(c, "错误", "Error") : s === "warning" ? t(c, "警告", "Warning") : t(c, "提示", "Note"));
  return (
    <ol id="editor-findings" class="editor-findings">
      {findings.map((f) => (
        <li class={`finding finding-${f.severity}`}>
          <span class="sev">{sev(f.severity)}</span> {f.line !== null ? <a href={`#line-${f.line}`}>{at(f) + t(c, f.message.zh, f.message.en)}</a> : t(c, f.message.zh, f.message.en)}
          {f.place && f.line === null ? <small> {f.place}</small> : null} <code>{f.code}</code>
        </li>
      ))}
    </ol>
  );
}

/** The editor's parts, one page each (links: they work without JavaScript). */
function EditorTabs(props: { c: WebContext; budgetId: number; current: "lines" | "reasons" }): JSX {
  const { c, budgetId: id, current } = props;
  const tab = (key: "lines" | "reasons", path: string, zh: string, en: string) => (
    <li>
      <a href={href(c, `/workspace/b/${id}/edit${path}`)} aria-current={current === key ? "page" : undefined}>
        {t(c, zh, en)}
      </a>
    </li>
  );
  return (
    <nav aria-label={t(c, "预算的各部分", "Parts of the budget")}>
      <ul class="editor-tabs">
        {tab("lines", "", "明细", "Line items")}
        {tab("reasons", "/reasons", "上年数与原因", "Last year and reasons")}
        <li class="muted">{t(c, "其他部分（概况、单位、项目、结转、采购、资产、绩效目标）暂请用填报工作簿编辑后上传", "Other parts (profile, units, projects, carry-over, procurement, assets, performance): edit them in the workbook and upload it for now")}</li>
      </ul>
    </nav>
  );
}

/**
 * Submit from the editor, as from the budget page (the same action, the same rules on the server): refused while an
 * error stands, the warnings acknowledged in writing. The grid's script keeps its revision, its error note and the
 * acknowledgement's warning count up to date after each save, and saves what is pending before the form goes.
 */
function SubmitForm(props: { c: WebContext; budget: { id: number; revision: number }; errors: number; warnings: number }): JSX {
  const { c, budget: b, errors, warnings } = props;
  return (
    <form method="post" action={href(c, `/workspace/b/${b.id}/submit`)} id="editor-submit" class="card" aria-labelledby="submit-h">
      <h2 id="submit-h">{t(c, "提交审核", "Submit")}</h2>
      <CsrfField c={c} />
      <input type="hidden" name="revision" value={String(b.revision)} />
      <p id="editor-submit-blocked" class="notice" hidden={errors === 0}>
        {t(c, `还有 ${errors} 个错误，改正后才能提交。`, `${errors} error(s) remain; fix them to submit.`)}
      </p>
      <AcknowledgementField c={c} warnings={warnings} hidden={warnings === 0} />
      <button type="submit" class="primary" disabled={errors > 0}>
        {t(c, "提交审核", "Submit")}
      </button>
    </form>
  );
}

const EDITOR_CSS = `
main{max-width:96rem}
.editor-layout{display:grid;grid-template-columns:minmax(0,1fr) 18rem;gap:1rem;align-items:start}
@media (max-width:1100px){.editor-layout{grid-template-columns:minmax(0,1fr)}}
.editor-toolbar{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}
.editor-toolbar button{min-height:2.4rem}
.editor-tabs{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;padding:0;margin:.5rem 0;border-bottom:1px solid #c3cad2}
.editor-tabs li{padding:.35rem .8rem}
.editor-tabs li:has(a[aria-current]){border:1px solid #c3cad2;border-bottom-color:#fff;margin-bottom:-1px;background:#fff;font-weight:600}
.editor-tabs a[aria-current]{color:inherit;text-decoration:none}
.reasons td.num,.reasons th.num{text-align:right;white-space:nowrap}
.reasons textarea{width:100%;min-height:3.2rem}
.reasons .finding{margin:.2rem 0 0;padding:0;list-style:none}
.editor-findings{padding-left:1.2rem;max-height:70vh;overflow:auto}
.editor-findings .sev{font-weight:600}
.finding-error .sev{color:#b3261e}.finding-warning .sev{color:#b45309}
#editor-grid{overflow-x:auto}
`;

async function editorPage(c: WebContext, d: DraftForEditor): Promise<Response> {
  const b = d.budget;
  const assets = readAssetManifest();
  const errors = d.findings.filter((f) => f.severity === "error").length;
  const warnings = d.findings.filter((f) => f.severity === "warning").length;
  const body = (
    <>
      <p>
        <a href={href(c, `/workspace/b/${b.id}`)}>{t(c, "← 返回这份预算", "← Back to the budget")}</a>
      </p>
      <h1>{t(c, `编辑预算：${d.department.name} ${b.year} 年度`, `Edit the budget: ${d.department.name}, ${b.year}`)}</h1>
      {d.editable ? null : <p class="notice">{t(c, "这份预算已提交或已公开，已锁定；只能查看。", "This budget is submitted or published: it is locked and can only be read.")}</p>}
      <EditorTabs c={c} budgetId={b.id} current="lines" />
      <div class="editor-layout">
        <section aria-labelledby="lines-h">
          <h2 id="lines-h">
            {t(c, "预算明细", "Line items")} (<span id="editor-count">{d.lines.length}</span>)
          </h2>
          <div class="editor-toolbar" role="toolbar" aria-label={t(c, "明细操作", "Line item actions")}>
            <button type="button" id="editor-add" hidden>
              {t(c, "添加行", "Add row")}
            </button>
            <button type="button" id="editor-duplicate" hidden>
              {t(c, "复制所选行", "Duplicate row")}
            </button>
            <button type="button" id="editor-delete" hidden>
              {t(c, "删除所选行", "Delete rows")}
            </button>
            <button type="button" id="editor-undo" hidden>
              {t(c, "撤销", "Undo")}
            </button>
            <button type="button" id="editor-redo" hidden>
              {t(c, "重做", "Redo")}
            </button>
          </div>
          <p id="editor-status" class="editor-status" role="status" aria-live="polite">
            {assets ? "" : t(c, "编辑器脚本尚未生成（npm run build）；可下载后用工作簿或 YAML 编辑并上传。", "The editor's script is not built (npm run build); download, edit and upload instead.")}
          </p>
          <div id="editor-conflicts" class="editor-conflicts" role="alert" hidden></div>
          <div id="editor-grid">
            <LinesTable c={c} lines={d.lines} />
          </div>
          <p>
            {t(c, "下载草稿：", "Download the draft: ")}
            <a href={href(c, `/workspace/b/${b.id}/draft.xlsx`)} download>
              {t(c, "填报工作簿（Excel / WPS）", "input workbook (Excel / WPS)")}
            </a>
            {" · "}
            <a href={href(c, `/workspace/b/${b.id}/draft.yaml`)} download>
              {t(c, "YAML（含行标识）", "YAML (with line ids)")}
            </a>
          </p>
          {d.editable ? <ReplaceDraftForm c={c} budget={b} /> : null}
        </section>
        <aside aria-labelledby="findings-h">
          <h2 id="findings-h">{t(c, "检查结果", "Findings")}</h2>
          <p id="editor-finding-count">{t(c, `错误 ${errors} 个，警告 ${warnings} 个`, `${errors} errors, ${warnings} warnings`)}</p>
          <FindingsList c={c} findings={d.findings} lines={d.lines} />
          {d.maySubmit ? <SubmitForm c={c} budget={b} errors={errors} warnings={warnings} /> : null}
        </aside>
      </div>
      {assets ? (
        <>
          <script type="application/json" id="editor-data">
            {raw(scriptJson(editorData(c, d)))}
          </script>
          <link rel="stylesheet" href={`/assets/${assets["editor.css"]}`} />
          <script src={`/assets/${assets["editor.js"]}`} defer></script>
        </>
      ) : null}
    </>
  );
  const res = pageResponse(c, { title: t(c, "编辑预算", "Edit the budget"), body, css: EDITOR_CSS });
  res.headers.set("content-security-policy", EDITOR_CSP);
  return res;
}

/**
 * 上年数与原因: every figure the disclosure compares with last year — last year's amount (from its published
 * disclosure), this year's, the change — with the department's reason beside it and the findings about that reason
 * (none given for a change; a reason that names the wrong direction). A plain form: no script needed.
 */
function reasonsPage(c: WebContext, r: service.ReasonsForEditor, p: { status?: number; error?: WebError; done?: boolean; typed?: Readonly<Record<string, string>> } = {}): Response {
  const b = r.budget;
  const u = r.unit;
  const cell = (fen: bigint | null) => (fen === null ? "—" : formatCell(fen, u));
  const change = (row: service.ReasonRow) => {
    if (row.prior === null) return t(c, "新增", "new");
    const d = toSteps(row.current, u) - toSteps(row.prior, u);
    return d === 0n ? t(c, "持平", "flat") : `${d > 0n ? "+" : "−"}${formatSteps(d < 0n ? -d : d, u.decimals)}`;
  };
  const sev = (s: string) => (s === "error" ? t(c, "错误", "Error") : s === "warning" ? t(c, "警告", "Warning") : t(c, "提示", "Note"));
  const missing = r.rows.filter((x) => x.findings.length > 0).length;
  const body = (
    <>
      <p>
        <a href={href(c, `/workspace/b/${b.id}`)}>{t(c, "← 返回这份预算", "← Back to the budget")}</a>
      </p>
      <h1>{t(c, `编辑预算：${r.department.name} ${b.year} 年度`, `Edit the budget: ${r.department.name}, ${b.year}`)}</h1>
      {r.editable ? null : <p class="notice">{t(c, "这份预算已提交或已公开，已锁定；只能查看。", "This budget is submitted or published: it is locked and can only be read.")}</p>}
      <EditorTabs c={c} budgetId={b.id} current="reasons" />
      {p.error ? <ErrorBox c={c} error={p.error} /> : null}
      {p.done ? (
        <p class="ok" role="status">
          {t(c, "已保存并检查。", "Saved and checked.")}
        </p>
      ) : null}
      <p>
        {t(
          c,
          `上年数取自已公开的 ${b.year - 1} 年预算。数字有增减的，请在其旁写明原因（公开文件中“主要原因是”之后的文字）；${missing > 0 ? `现有 ${missing} 处检查结果。` : "检查未发现原因方面的问题。"}`,
          `Last year's figures are those of the published ${b.year - 1} disclosure. Where a figure changed, write the reason beside it (the words after “主要原因是” in the disclosure); ${missing > 0 ? `${missing} have findings.` : "no finding about reasons."}`,
        )}
      </p>
      <form method="post" action={href(c, `/workspace/b/${b.id}/edit/reasons`)}>
        <CsrfField c={c} />
        <input type="hidden" name="revision" value={String(b.revision)} />
        <div class="table-wrap">
          <table class="data reasons">
            <caption>{t(c, `上年数与原因（${u.label}）`, `Last year and reasons (${u.label})`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t(c, "项目", "Figure")}</th>
                <th scope="col" class="num">{t(c, "上年", "Last year")}</th>
                <th scope="col" class="num">{t(c, "本年", "This year")}</th>
                <th scope="col" class="num">{t(c, "增减", "Change")}</th>
                <th scope="col">{t(c, "增减变化原因", "Reason for the change")}</th>
              </tr>
            </thead>
            <tbody>
              {r.rows.map((row) => (
                <tr id={`reason-${row.id}`}>
                  <th scope="row">{row.name}</th>
                  <td class="num">{cell(row.prior)}</td>
                  <td class="num">{cell(row.current)}</td>
                  <td class="num">{change(row)}</td>
                  <td>
                    <textarea name={`r.${row.id}`} aria-label={t(c, `“${row.name}”增减变化的原因`, `Why ${row.name} changed`)} maxlength={service.MAX_FIGURE_REASON_CHARS} readonly={!r.editable}>
                      {p.typed?.[row.id] ?? row.reason ?? ""}
                    </textarea>
                    {row.findings.map((f) => (
                      <p class={`finding finding-${f.severity}`}>
                        <span class="sev">{sev(f.severity)}</span> {t(c, f.message.zh, f.message.en)} <code>{f.code}</code>
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {r.editable ? (
          <button type="submit" class="primary">
            {t(c, "保存原因并检查", "Save the reasons and check")}
          </button>
        ) : null}
      </form>
    </>
  );
  return pageResponse(c, { title: t(c, "上年数与原因", "Last year and reasons"), body, css: EDITOR_CSS, ...(p.status === undefined ? {} : { status: p.status }) });
}

const reasonsBody = z
  .object({ _csrf: z.string().max(200).optional(), revision: z.string().regex(/^\d{1,10}$/) })
  .catchall(z.string().max(service.MAX_FIGURE_REASON_CHARS * 2))
  .refine((o) => Object.keys(o).every((k) => k === "_csrf" || k === "revision" || /^r\.[a-z_]+(\.[a-z0-9_]+)*$/.test(k)), "unknown field");

function saveReply(d: service.DraftSaved): EditorSaveReply {
  const rowOf = new Map(d.lines.map((l, i) => [l.id, i + 1]));
  return {
    revision: d.budget.revision,
    lines: d.lines,
    findings: d.findings.map(findingJson),
    conflicts: d.conflicts.map((k) => ({ ...k, row: rowOf.get(k.op.line) ?? null })),
    applied: d.applied,
  };
}

const ASSET_RE = /^[a-z]+-[0-9a-f]{16}\.(js|css)$/;

export const EDITOR_ROUTES: readonly RouteDef[] = [
  {
    method: "GET",
    path: "/workspace/b/:id/edit",
    access: "signed_in",
    kind: "page",
    summary: { zh: "在线编辑预算明细", en: "Edit the budget's line items" },
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.readDraftForEditor(deps, c.get("actor")!.user, { budgetId: id });
      return r.ok ? editorPage(c, r.value) : errorResponse(c, serviceError(r.error));
    },
  },
  {
    method: "GET",
    path: "/workspace/b/:id/draft.yaml",
    access: "signed_in",
    kind: "page",
    summary: { zh: "下载草稿（YAML）", en: "Download the draft (YAML)" },
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.readDraftForEditor(deps, c.get("actor")!.user, { budgetId: id });
      if (!r.ok) return errorResponse(c, serviceError(r.error));
      const yaml = deps.draftLines.write(r.value.budget.sourceYaml, r.value.lines);
      const name = `${r.value.department.code}-${r.value.budget.year}-r${r.value.budget.revision}.yaml`;
      return new Response(yaml, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" } });
    },
  },
  {
    method: "GET",
    path: "/workspace/b/:id/draft.xlsx",
    access: "signed_in",
    kind: "page",
    summary: { zh: "下载草稿（填报工作簿）", en: "Download the draft (input workbook)" },
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.draftWorkbook(deps, c.get("actor")!.user, { budgetId: id });
      if (!r.ok) return errorResponse(c, serviceError(r.error));
      return new Response(new Uint8Array(r.value.bytes), {
        headers: {
          "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "content-disposition": `attachment; filename="draft.xlsx"; filename*=UTF-8''${encodeURIComponent(r.value.fileName)}`,
          "cache-control": "no-store",
        },
      });
    },
  },
  {
    method: "GET",
    path: "/api/v1/workspace/budgets/:id/draft",
    access: "signed_in",
    kind: "api",
    summary: { zh: "草稿的明细行（含稳定的行标识）与检查结果", en: "The draft's line items (with stable ids) and findings" },
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.readDraftForEditor(deps, c.get("actor")!.user, { budgetId: id });
      if (!r.ok) return errorResponse(c, serviceError(r.error));
      return c.json({ revision: r.value.budget.revision, editable: r.value.editable, lines: r.value.lines, findings: r.value.findings.map(findingJson) });
    },
  },
  {
    method: "POST",
    path: "/api/v1/workspace/budgets/:id/draft",
    access: "signed_in",
    kind: "api",
    maxBytes: 8 * 1024 * 1024,
    summary: { zh: "保存对明细的修改（按行标识的补丁；冲突逐项返回）", en: "Save changes to the line items (a patch on line ids; conflicts returned one by one)" },
    body: saveBody,
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const b = c.get("body") as z.infer<typeof saveBody>;
      const r = await service.saveDraftLines(deps, c.get("actor")!.user, { budgetId: id, expectedRevision: b.revision, ops: b.ops });
      return r.ok ? c.json(saveReply(r.value)) : errorResponse(c, serviceError(r.error));
    },
  },
  {
    method: "GET",
    path: "/workspace/b/:id/edit/reasons",
    access: "signed_in",
    kind: "page",
    summary: { zh: "编辑上年数与增减变化原因", en: "Last year's figures and the reasons for the changes" },
    query: z.object({ done: z.literal("saved").optional(), lang: z.enum(["zh", "en"]).optional() }),
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const r = await service.readReasons(deps, c.get("actor")!.user, { budgetId: id });
      return r.ok ? reasonsPage(c, r.value, { done: c.req.query("done") === "saved" }) : errorResponse(c, serviceError(r.error));
    },
  },
  {
    method: "POST",
    path: "/workspace/b/:id/edit/reasons",
    access: "signed_in",
    kind: "page",
    summary: { zh: "保存增减变化原因", en: "Save the reasons for the changes" },
    body: reasonsBody,
    handler: async (c, deps) => {
      const id = budgetId(c);
      if (id === null) return errorResponse(c, ERRORS.notFound);
      const b = c.get("body") as Record<string, string>;
      const reasons = Object.fromEntries(Object.entries(b).flatMap(([k, v]) => (k.startsWith("r.") ? [[k.slice(2), v]] : [])));
      const user = c.get("actor")!.user;
      const r = await service.saveReasons(deps, user, { budgetId: id, expectedRevision: Number(b["revision"]), reasons });
      if (r.ok) return c.redirect(href(c, `/workspace/b/${id}/edit/reasons?done=saved`), 303);
      const e = serviceError(r.error);
      const again = await service.readReasons(deps, user, { budgetId: id });
      // (what was typed is shown again, not lost: a stale form is told so and keeps its text)
      return again.ok && e.status !== 404 ? reasonsPage(c, again.value, { status: e.status, error: e, typed: reasons }) : errorResponse(c, e);
    },
  },
  {
    method: "GET",
    path: "/assets/:name",
    access: "public",
    kind: "file",
    summary: { zh: "编辑器的脚本与样式（构建时生成，文件名带内容哈希）", en: "The editor's script and stylesheet (built, content-hashed names)" },
    handler: (c) => {
      const name = c.req.param("name") ?? "";
      const m = readAssetManifest();
      if (!ASSET_RE.test(name) || !m || !Object.values(m).includes(name)) return errorResponse(c, ERRORS.notFound);
      const bytes = readFileSync(join(ASSETS_DIR, name));
      return new Response(bytes, {
        headers: { "content-type": name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" },
      });
    },
  },
];
