/**
 * 在线审核 (issue 14, point 8): anyone uploads a disclosure a department has already published — a PDF, or a `.txt`
 * extracted from one — and gets the report of `gongkai audit` on it: `GET /audit-pdf` is the form (no login, no
 * JavaScript), `POST /audit-pdf` the report page in the site's layout (the same report model and the same parts of
 * the HTML renderer as `gongkai audit --html`: src/adapters/render/audit-report-html.ts), and `POST /api/v1/audit-pdf`
 * its JSON twin, the AuditReport exactly as `gongkai audit --json` prints it (docs/audit-report.md).
 *
 * (`/audit` and `/api/v1/audit` are the platform's audit log, 审计日志, for reviewers: hence `/audit-pdf`.)
 *
 * Nothing is stored: the upload is written to a file of its own in a new temporary folder, read and audited in a
 * worker thread (audit-runner.ts: the site keeps answering meanwhile), and the folder removed when the request ends,
 * whatever happens; nothing reaches the database. Limits, each refused with its message in Chinese and English and
 * its status, never a stack trace: the body (`maxBytes`, 20 MB: 413, by the server's body limit), the pages (300:
 * 413, passed to the reader), the time of the read and the checks together (30 s: 422; the reader stops itself, the
 * worker is ended if the checks run over); at most `maxConcurrent` audits at once in this process (2), the others told
 * to come back (503 with Retry-After — one bound for the whole process rather than one per client address, which
 * behind a reverse proxy would be one for everybody); an empty upload (400); a file that is neither a PDF nor text, an
 * encrypted, damaged or image-only PDF (422). CSRF as
 * on every form and API route of the site (server.ts): a signed-in user's form carries `_csrf`, a script with the
 * session cookie sends `x-csrf-token`; anonymous uploads have no session to forge.
 *
 * The upload's name is shown as its file name (its last path segment, without control or bidi characters, at most
 * 100 characters). Every text of the report page is escaped by the renderer; in addition, bidi and other control
 * characters of the document's text are shown as `⟨U+202E⟩`, so that an override in a hostile PDF reads as what it
 * is and turns no text around. The page shows, beside the findings, the text read from their page (no page images:
 * they would have to be stored or inlined).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { raw } from "hono/html";
import { z } from "zod";
import type { AuditFinding, AuditReport } from "../../domain/audit/audit-report.ts";
import type { DocumentText, UnreadableReason } from "../../domain/audit/document-text.ts";
import { lineTextFigure, pageTextFigure, squeeze, textLines } from "../render/audit-page-text.ts";
import { AUDIT_EMBED_CSS, placeKey, renderAuditReportBody, type PlaceFigure } from "../render/audit-report-html.ts";
import { CsrfField, href, langOf, pageResponse, t, type JSX } from "./page-layout.tsx";
import { createAuditPool, mapStrings, type AuditJob, type AuditJobResult, type AuditPool } from "./audit-runner.ts";
import type { RouteDef, WebContext } from "./web-context.ts";
import type { WebError } from "./web-respond.tsx";

export const AUDIT_PAGE_PATH = "/audit-pdf";
export const AUDIT_API_PATH = "/api/v1/audit-pdf";

export interface AuditUploadConfig {
  /** bytes of the uploaded file (20 MB) */
  readonly maxBytes: number;
  /** pages of the document (300) */
  readonly maxPages: number;
  /** wall-clock time of the read and the checks (30 s) */
  readonly timeoutMs: number;
  /** audits at once in this process (2); beyond, 503 */
  readonly maxConcurrent: number;
  /** seconds a refused client is told to wait (Retry-After) */
  readonly retryAfterSeconds: number;
  /** where each upload gets its temporary folder (the system's temporary folder) */
  readonly tempDir: () => string;
  /** runs one audit (default: in a worker thread of a pool of `maxConcurrent`, audit-runner.ts) */
  readonly run?: (job: AuditJob) => Promise<AuditJobResult>;
}

const MB = 1024 * 1024;

export const DEFAULT_AUDIT_UPLOAD: AuditUploadConfig = {
  maxBytes: 20 * MB,
  maxPages: 300,
  timeoutMs: 30_000,
  maxConcurrent: 2,
  retryAfterSeconds: 10,
  tempDir: tmpdir,
};

/** room in the body for the multipart framing and the form's other fields, beyond the file */
const FORM_OVERHEAD = 16 * 1024;

/** the form's fields; a missing or empty file is the handler's own refusal (400, with its message), not the schema's */
const body = z.object({
  _csrf: z.string().optional(),
  file: z.unknown().optional().meta({ type: "string", format: "binary", description: "the disclosure: a PDF, or a .txt extracted from one / 公开文件：PDF 或由其提取的 .txt" }),
});

const mbText = (bytes: number) => String(Math.round((bytes / MB) * 10) / 10);

// ---------------------------------------------------------------------------------------------------------------------
// Names and texts shown

/** Control and format characters (bidi overrides and isolates, zero-width marks…), which a file name may not keep. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** The name the report gives the upload: its last path segment, without control characters, at most 100 characters. */
export function uploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = [...base.replace(INVISIBLE, "").trim()].slice(0, 100).join("");
  return clean === "" ? "upload" : clean;
}

/** Bidi controls and the other control characters of a text (tab and line feed kept), written as `⟨U+202E⟩`. */
const SHOWN = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const showControls = (s: string) => s.replace(SHOWN, (ch) => (ch === "\t" || ch === "\n" ? ch : `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}⟩`));

// ---------------------------------------------------------------------------------------------------------------------
// The figures beside the findings: the text read from their page (a PDF), the lines around their line (a text file)

function figuresOf(report: AuditReport, doc: DocumentText | null): Map<string, PlaceFigure> {
  const figures = new Map<string, PlaceFigure>();
  if (doc === null) return figures;
  const groups = new Map<string, AuditFinding[]>();
  for (const f of report.findings) groups.set(placeKey(f), [...(groups.get(placeKey(f)) ?? []), f]);
  for (const [key, list] of groups) {
    const first = list[0]!;
    const quotes = list.map((f) => squeeze(f.quote));
    if (doc.geometry === "pdf" && first.page !== null) {
      const page = doc.pages.find((p) => p.number === first.page);
      if (page) figures.set(key, pageTextFigure(page, quotes));
    } else if (doc.geometry === "text" && first.line !== null) {
      const page = doc.pages.find((p) => p.number === (first.page ?? 1)) ?? doc.pages[0];
      if (!page) continue;
      figures.set(key, lineTextFigure(textLines([page]), first.line));
    }
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------------------------------
// One upload, audited

interface Refusal extends WebError {
  /** the reader's own words (English), shown under the message */
  readonly detail?: string;
  /** the AuditReport of a file that could not be read (exit code 2), as `gongkai audit --json` prints it */
  readonly report?: AuditReport;
  readonly retryAfter?: number;
}

type Outcome = { readonly ok: true; readonly report: AuditReport; readonly text: DocumentText | null } | { readonly ok: false; readonly error: Refusal };

function refusals(cfg: AuditUploadConfig) {
  const limits = { zh: `（上限：${mbText(cfg.maxBytes)} MB、${cfg.maxPages} 页）`, en: ` (the limits: ${mbText(cfg.maxBytes)} MB, ${cfg.maxPages} pages)` };
  const UNREADABLE: Readonly<Record<UnreadableReason | "internal-error", { status: number; code: string; zh: string; en: string }>> = {
    "not-pdf": {
      status: 422,
      code: "not_pdf",
      zh: "这个文件既不是 PDF，也不是文本文件。请上传部门公开的 PDF 原件，或由它提取的 .txt 文本。",
      en: "The file is neither a PDF nor a text file. Upload the PDF as the department published it, or a .txt extracted from it.",
    },
    encrypted: { status: 422, code: "encrypted", zh: "PDF 已加密，需要密码才能打开，无法审核。请上传未加密的文件。", en: "The PDF is encrypted: it needs a password to open and cannot be audited. Upload a file without a password." },
    truncated: { status: 422, code: "truncated", zh: "PDF 文件不完整或已损坏，无法读取。请重新下载原件后再上传。", en: "The PDF is truncated or damaged and cannot be read. Download the original again and upload it." },
    "no-text": {
      status: 422,
      code: "no_text",
      zh: "文件中没有可读的文字（可能是扫描件，只有图片），无法审核。",
      en: "The file has no text to read (a scan: images only), so it cannot be audited.",
    },
    "too-large": { status: 413, code: "too_large", zh: `文件超出限制${limits.zh}。`, en: `The file is over the limits${limits.en}.` },
    timeout: {
      status: 422,
      code: "timeout",
      zh: `读取和审核超过 ${cfg.timeoutMs / 1000} 秒，已停止。文件可能过大或过于复杂。`,
      en: `Reading and auditing the file took more than ${cfg.timeoutMs / 1000} s and was stopped: it may be too large or too complex.`,
    },
    "not-found": { status: 500, code: "unreadable", zh: "服务器无法读取上传的文件，请重试。", en: "The server could not read the upload; try again." },
    "internal-error": { status: 500, code: "unreadable", zh: "服务器无法读取上传的文件，请重试。", en: "The server could not read the upload; try again." },
  };
  return {
    empty: { status: 400, code: "empty_upload", message: { zh: "没有收到文件，或文件是空的。请选择一个 PDF 或 .txt 文件再提交。", en: "No file arrived, or the file is empty. Choose a PDF or .txt file and submit again." } },
    tooLarge: { status: 413, code: "too_large", message: { zh: `上传的文件太大：上限为 ${mbText(cfg.maxBytes)} MB。`, en: `The upload is too large: the limit is ${mbText(cfg.maxBytes)} MB.` } },
    timeout: { status: 422, code: "timeout", message: { zh: UNREADABLE.timeout.zh, en: UNREADABLE.timeout.en } },
    memory: {
      status: 413,
      code: "too_large",
      message: { zh: "审核这个文件需要的内存超出限制，已停止。", en: "Auditing the file needed more memory than the limit; it was stopped." },
    },
    busy: {
      status: 503,
      code: "busy",
      message: { zh: `正在审核的文件较多，请 ${cfg.retryAfterSeconds} 秒后重试。`, en: `Too many files are being audited right now; try again in ${cfg.retryAfterSeconds} s.` },
      retryAfter: cfg.retryAfterSeconds,
    },
    unreadable(report: AuditReport): Refusal {
      const u = report.unreadable!;
      const m = UNREADABLE[u.reason];
      return { status: m.status, code: m.code, message: { zh: m.zh, en: m.en }, detail: u.detail, report };
    },
  } satisfies Record<string, Refusal | ((r: AuditReport) => Refusal)>;
}

export function auditRoutes(overrides: Partial<AuditUploadConfig> = {}): readonly RouteDef[] {
  const cfg: AuditUploadConfig = { ...DEFAULT_AUDIT_UPLOAD, ...overrides };
  const refuse = refusals(cfg);
  let running = 0;

  let pool: AuditPool | null = null;
  const run = cfg.run ?? ((job: AuditJob) => (pool ??= createAuditPool(cfg.maxConcurrent)).run(job));

  async function audit(c: WebContext): Promise<Outcome> {
    const file = (c.get("body") as z.infer<typeof body>).file;
    if (!(file instanceof File) || file.size === 0) return { ok: false, error: refuse.empty };
    if (file.size > cfg.maxBytes) return { ok: false, error: refuse.tooLarge };
    if (running >= cfg.maxConcurrent) return { ok: false, error: refuse.busy };
    running++;
    const started = Date.now();
    let dir: string | null = null;
    try {
      dir = await mkdtemp(join(cfg.tempDir(), "gongkai-audit-"));
      const path = join(dir, "upload");
      await writeFile(path, new Uint8Array(await file.arrayBuffer()), { mode: 0o600, flag: "wx" });
      const r = await run({ path, dir, name: uploadName(file.name), lang: langOf(c), maxBytes: cfg.maxBytes, maxPages: cfg.maxPages, deadline: started + cfg.timeoutMs });
      if (!r.ok) return { ok: false, error: r.reason === "timeout" ? refuse.timeout : refuse.memory };
      if (r.report.exitCode === 2) return { ok: false, error: refuse.unreadable(r.report) };
      return { ok: true, report: r.report, text: r.text };
    } finally {
      running--;
      if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  return [
    {
      method: "GET",
      path: AUDIT_PAGE_PATH,
      access: "public",
      kind: "page",
      summary: { zh: "在线审核：上传已公开的预算或决算 PDF", en: "Audit a published disclosure: upload its PDF" },
      query: z.object({ lang: z.enum(["zh", "en"]).optional() }),
      handler: (c) => formPage(c, cfg, null),
    },
    {
      method: "POST",
      path: AUDIT_PAGE_PATH,
      access: "public",
      kind: "page",
      upload: true,
      maxBytes: cfg.maxBytes + FORM_OVERHEAD,
      summary: { zh: "在线审核：审核报告", en: "Audit a published disclosure: the report" },
      body,
      handler: async (c) => {
        const r = await audit(c);
        if (!r.ok) return withRetryAfter(formPage(c, cfg, r.error), r.error);
        return reportPage(c, r.report, r.text);
      },
    },
    {
      method: "POST",
      path: AUDIT_API_PATH,
      access: "public",
      kind: "api",
      upload: true,
      maxBytes: cfg.maxBytes + FORM_OVERHEAD,
      summary: {
        zh: "在线审核（multipart：file，PDF 或 .txt）：返回与 gongkai audit --json 相同的审核报告；不保存文件",
        en: "Audit a published disclosure (multipart: file, a PDF or .txt): the report as gongkai audit --json prints it; nothing is stored",
      },
      body,
      handler: async (c) => {
        const r = await audit(c);
        if (r.ok) return c.body(JSON.stringify(r.report, null, 2) + "\n", 200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
        const e = r.error;
        const res = c.json(
          { error: { code: e.code, message: e.message, ...(e.detail === undefined ? {} : { detail: e.detail }), requestId: c.get("requestId") }, ...(e.report ? { report: e.report } : {}) },
          e.status as 400,
        );
        return withRetryAfter(res, e);
      },
    },
  ];
}

function withRetryAfter(res: Response, e: Refusal): Response {
  if (e.retryAfter !== undefined) res.headers.set("retry-after", String(e.retryAfter));
  return res;
}

// ---------------------------------------------------------------------------------------------------------------------
// Pages

function NotStored(props: { c: WebContext }): JSX {
  const { c } = props;
  return (
    <p class="banner">
      <strong>{t(c, "文件不会保存。", "The file is not kept.")}</strong>
      {t(c, "上传的文件只用于这一次审核：审核结束即删除，不写入数据库，报告也不保存。", " The upload serves this one audit only: it is deleted when the audit ends, nothing is written to the database, and the report is not kept either.")}
    </p>
  );
}

function formPage(c: WebContext, cfg: AuditUploadConfig, error: Refusal | null): Response {
  const en = langOf(c) === "en";
  return pageResponse(c, {
    title: t(c, "在线审核", "Audit a disclosure"),
    ...(error ? { status: error.status } : {}),
    body: (
      <>
        <h1>{t(c, "在线审核已公开的预算、决算", "Audit a published budget or final accounts")}</h1>
        {error ? (
          <div class="error" role="alert">
            <p>{t(c, error.message.zh, error.message.en)}</p>
            {error.detail ? (
              <p class="muted">
                {t(c, "读取程序的说明：", "What the reader says: ")}
                <span lang="en">{showControls(error.detail)}</span>
              </p>
            ) : null}
          </div>
        ) : null}
        <p>
          {t(
            c,
            "上传部门已经公开的部门预算或决算 PDF（或由 PDF 提取的 .txt 文本），得到与命令 gongkai audit 相同的审核报告：合计与分项、同一个数印在两处、说明中的百分比和增减方向、年度、占位符和文字错误等能证明的问题，每条都有页码和原文；读不准的表格和句子列为“未检查”，不做猜测。",
            "Upload a department budget or final accounts as the department published it — its PDF, or a .txt extracted from it — and get the report of the command gongkai audit: every inconsistency it can prove (a total against its parts, a figure printed twice, the narrative's percentages and direction words, years, placeholders, faults of the text), each with its page and quote; what could not be read with confidence is listed as not checked, never guessed.",
          )}
        </p>
        <NotStored c={c} />
        <form class="card" method="post" action={href(c, AUDIT_PAGE_PATH)} enctype="multipart/form-data">
          <CsrfField c={c} />
          <label for="audit-file">{t(c, "文件（PDF 或 .txt）", "File (PDF or .txt)")}</label>
          <input type="file" id="audit-file" name="file" accept=".pdf,.txt,application/pdf,text/plain" required aria-describedby="audit-limits" />
          <p id="audit-limits" class="muted">
            {t(
              c,
              `一次一个文件，不超过 ${mbText(cfg.maxBytes)} MB、${cfg.maxPages} 页，读取和审核不超过 ${cfg.timeoutMs / 1000} 秒。加密的 PDF 和只有图片的扫描件无法审核。说明和表格分成两个文件公开的，请用命令行 gongkai audit 一起审核。`,
              `One file, at most ${mbText(cfg.maxBytes)} MB and ${cfg.maxPages} pages, read and audited within ${cfg.timeoutMs / 1000} s. An encrypted PDF or an image-only scan cannot be audited. A disclosure published as two files (narrative and tables) is audited as one with the command gongkai audit.`,
            )}
          </p>
          <button type="submit" class="primary">
            {t(c, "开始审核", "Audit")}
          </button>
        </form>
        <p class="muted">
          {en ? "For scripts: " : "程序调用："}
          <code>POST {AUDIT_API_PATH}</code>
          {t(c, "（multipart，字段 file），返回与 gongkai audit --json 相同的 JSON（docs/audit-report.md）。", " (multipart, field file) answers the JSON of gongkai audit --json (docs/audit-report.md).")}
        </p>
      </>
    ),
  });
}

/**
 * The report's rules, then this page's own: a long title wraps; a page's text is shown whole, not in a box of its own
 * height that scrolls (a scrolling box that cannot take the keyboard's focus is out of reach without a mouse: axe's
 * scrollable-region-focusable), so the page scrolls as one.
 */
const PAGE_CSS_OWN = `${AUDIT_EMBED_CSS}h1.audit-title{overflow-wrap:anywhere}
.audit-report pre.page-text{max-height:none;overflow-y:visible}
`;

function reportPage(c: WebContext, report: AuditReport, text: DocumentText | null): Response {
  const lang = langOf(c);
  const shown = mapStrings(report, showControls);
  const name = shown.files.join(" + ");
  const figures = figuresOf(shown, text === null ? null : mapStrings(text, showControls));
  const html = renderAuditReportBody({ report: shown, lang, figures });
  return pageResponse(c, {
    title: t(c, `审核报告：${name}`, `Audit report: ${name}`),
    css: PAGE_CSS_OWN,
    body: (
      <>
        <h1 class="audit-title">{t(c, `审核报告：${name}`, `Audit report: ${name}`)}</h1>
        <NotStored c={c} />
        {[...figures.values()].some((f) => f.kind === "page-text") ? (
          // (of a text file's lines the report itself says so)
          <p class="muted">
            {t(c, "问题旁为从该页读出的文字（网页版不生成页面图像；命令行 gongkai audit --html 可生成）。", "Beside the findings: the text read from their page (the web page makes no page images; gongkai audit --html does).")}
          </p>
        ) : null}
        <div class="audit-report">{raw(html)}</div>
        <p>
          <a href={href(c, AUDIT_PAGE_PATH)}>{t(c, "审核另一个文件", "Audit another file")}</a>
        </p>
      </>
    ),
  });
}

/** The routes of the web application (routes.ts), with the default limits. */
export const AUDIT_UPLOAD_ROUTES: readonly RouteDef[] = auditRoutes();
