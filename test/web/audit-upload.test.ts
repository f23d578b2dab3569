/**
 * 在线审核 (issue 14, point 8), in process as the other web tests: upload a published PDF to `/audit-pdf` → the
 * report page in the site's layout with the department and the findings a person wrote down by reading it
 * (test/audit/X1-….yaml); `/api/v1/audit-pdf` → the AuditReport exactly as `gongkai audit --json` prints it, valid
 * against docs/audit-report.schema.json. Every limit and hostile upload — empty, too large, too many pages, too slow,
 * too many at once, a zip renamed .pdf, an encrypted PDF, a reader that fails — gives its status and its message in
 * Chinese and English, never a stack trace; a signed-in user's form needs its CSRF token; `<script>` and a bidi override
 * in the document's text or the file's name are shown as text; and the temporary folder of the uploads is empty after
 * every request.
 *
 * The PDFs are read with poppler when it is installed, else with pdf.js: the test runs either way.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Hono } from "hono";
import { pdfBytes } from "../audit/pdf-fixture.ts";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { auditRoutes, AUDIT_API_PATH, AUDIT_PAGE_PATH, uploadName, type AuditUploadConfig } from "../../src/adapters/web/audit-routes.tsx";
import { auditUpload } from "../../src/adapters/web/audit-runner.ts";
import { ROUTES } from "../../src/adapters/web/routes.ts";
import { createApp } from "../../src/adapters/web/server.ts";
import type { WebEnv } from "../../src/adapters/web/web-context.ts";
import { ROOT, runCli } from "../cli-harness.ts";
import { startPlatform, type Platform, type Session } from "./web-harness.ts";

const require = createRequire(import.meta.url);
const SERIF = require.resolve("@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf");
const PUBLISHED = join(ROOT, "test/reference/published");
const X1 = "X1-putuo-caizhengju-2024-bumen-juesuan-planted-errors";
const X1_PDF = readFileSync(join(PUBLISHED, `${X1}.pdf`));
const SMALL_PDF = readFileSync(join(PUBLISHED, "11-putuo-caizhengju-2025-bumen-yusuan.pdf"));
const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, "docs/audit-report.schema.json"), "utf8")) as Record<string, unknown>);
/** a line of a JavaScript stack trace */
const STACK = /\n\s+at [^\n]+:\d+:\d+/;
const MB = 1024 * 1024;

/** What a person wrote down by reading X1 (not the auditor's output). */
interface Expected {
  recognised: { department: string };
  findings: { code: string; severity: string; page: number; expected?: string; found?: string }[];
}
const X1_EXPECTED = parse(readFileSync(join(ROOT, `test/audit/${X1}.yaml`), "utf8")) as Expected;


/** A zip archive (an .xlsx's first bytes are enough: the reader goes by content, never by the name). */
const ZIP = Buffer.concat([Buffer.from("PK\u0003\u0004", "latin1"), Buffer.alloc(2000, 7)]);

let p: Platform;
/** the folder every upload of these apps gets its temporary folder in */
let TMP: string;
let app: Hono<WebEnv>;
let encrypted: Buffer;
let manyPages: Buffer;
let hostilePdf: Buffer;

function appWith(cfg: Partial<AuditUploadConfig>): Hono<WebEnv> {
  const others = ROUTES.filter((r) => r.path !== AUDIT_PAGE_PATH && r.path !== AUDIT_API_PATH);
  return createApp(p.deps, pino({ level: "silent" }), [...others, ...auditRoutes({ tempDir: () => TMP, ...cfg })]);
}

function send(a: Hono<WebEnv>, path: string, file: { name: string; bytes: Uint8Array | string } | null, s: Session | null = null, extra: { csrf?: string | null; header?: boolean } = {}): Promise<Response> {
  const fd = new FormData();
  const csrf = extra.csrf === undefined ? s?.csrf : extra.csrf;
  if (csrf && !extra.header) fd.set("_csrf", csrf);
  if (file) fd.set("file", new File([typeof file.bytes === "string" ? file.bytes : new Uint8Array(file.bytes)], file.name));
  const headers: Record<string, string> = {};
  if (s) headers["cookie"] = s.cookie;
  if (csrf && extra.header) headers["x-csrf-token"] = csrf;
  return Promise.resolve(a.request(path, { method: "POST", body: fd, headers }));
}

/** The answer's text, with no stack trace, and (a page) no live script of the document in it. */
async function text(res: Response): Promise<string> {
  const body = await res.text();
  expect(body).not.toMatch(STACK);
  if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) expect(body).not.toMatch(/<script|<img/i);
  return body;
}

/** The findings of a report page: per place heading (第 N 页), the codes listed under it. */
function placesOf(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(/<section class="place"[^>]*><h3[^>]*>([^<]*)<\/h3>([\s\S]*?)<\/section>/g)) out.set(m[1]!, [...m[2]!.matchAll(/<code>(AUD-[A-Z-]+)<\/code>/g)].map((c) => c[1]!));
  return out;
}

/** `again`: the page is the form again, with the message (not when the server's body limit refused the request) */
async function refused(a: Hono<WebEnv>, file: { name: string; bytes: Uint8Array | string } | null, status: number, code: string, zh: string, en: string, again = true) {
  const res = await send(a, AUDIT_PAGE_PATH, file);
  expect(res.status).toBe(status);
  const html = await text(res);
  expect(html).toContain(zh);
  if (again) expect(html).toContain('<form class="card" method="post"'); // the form again, to try another file
  const resEn = await send(a, `${AUDIT_PAGE_PATH}?lang=en`, file);
  expect(resEn.status).toBe(status);
  expect(await text(resEn)).toContain(en);
  const api = await send(a, AUDIT_API_PATH, file);
  expect(api.status).toBe(status);
  const body = JSON.parse(await text(api)) as { error: { code: string; message: { zh: string; en: string } }; report?: { unreadable: { reason: string } | null } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.zh).toContain(zh);
  expect(body.error.message.en).toContain(en);
  // a file that was read but not readable: the report too, as `gongkai audit --json` prints it (exit code 2)
  if (body.report !== undefined) {
    expect(validate(body.report), JSON.stringify(validate.errors)).toBe(true);
    expect(body.report).toMatchObject({ exitCode: 2, files: [uploadName(file?.name ?? "")] });
  }
  return { headers: api.headers, report: body.report };
}

beforeAll(async () => {
  p = await startPlatform();
  TMP = mkdtempSync(join(tmpdir(), "gongkai-audit-upload-test-"));
  app = appWith({});
  encrypted = await pdfBytes((d) => d.font(SERIF).fontSize(14).text("2025年部门预算 一般公共预算支出 1,234.56", 72, 100), { userPassword: "secret", ownerPassword: "owner", pdfVersion: "1.7" });
  manyPages = await pdfBytes((d) => {
    d.font(SERIF).fontSize(12);
    for (let i = 1; i <= 301; i++) {
      if (i > 1) d.addPage();
      d.text(`第 ${i} 页`, 72, 72);
    }
  });
  hostilePdf = await pdfBytes((d) => {
    d.font(SERIF).fontSize(14);
    d.text("上海市普陀区测试局2024年部门预算", 72, 80);
    d.text("2024年一般公共预算支出XX万元，主要用于<script>alert(1)</script>。", 72, 140);
  });
}, 120_000);

afterAll(async () => {
  await p?.close();
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

afterEach(() => {
  // nothing stored: every upload's temporary folder is gone when its request has ended
  expect(readdirSync(TMP)).toEqual([]);
});

describe("the form", () => {
  it("is public, in Chinese by default and in English by ?lang=en, a multipart form that says nothing is kept", async () => {
    const res = await app.request(AUDIT_PAGE_PATH);
    expect(res.status).toBe(200);
    const html = await text(res);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<input type="file" id="audit-file" name="file"[^>]*required/);
    expect(html).toContain("文件不会保存");
    expect(html).toContain("20 MB、300 页");
    const en = await text(await app.request(`${AUDIT_PAGE_PATH}?lang=en`));
    expect(en).toContain("The file is not kept.");
    expect(en).toContain(`action="${AUDIT_PAGE_PATH}?lang=en"`);
    // the site's header links to it
    expect(await text(await app.request("/"))).toContain(`href="${AUDIT_PAGE_PATH}"`);
  });

  it("carries the CSRF token of a signed-in user; without it the upload is refused, with it audited", async () => {
    const s = await p.login("preparer");
    const form = await text(await app.request(AUDIT_PAGE_PATH, { headers: { cookie: s.cookie } }));
    expect(form).toContain(`name="_csrf" value="${s.csrf}"`);
    const file = { name: "11.pdf", bytes: SMALL_PDF };
    let res = await send(app, AUDIT_PAGE_PATH, file, s, { csrf: null });
    expect(res.status).toBe(403);
    expect(await text(res)).toContain("表单已过期或来源不明");
    res = await send(app, AUDIT_API_PATH, file, s, { csrf: null });
    expect(res.status).toBe(403);
    expect((JSON.parse(await text(res)) as { error: { code: string } }).error.code).toBe("csrf");
    expect((await send(app, AUDIT_PAGE_PATH, file, s)).status).toBe(200);
    expect((await send(app, AUDIT_API_PATH, file, s, { header: true })).status).toBe(200);
  });
});

describe("a published PDF", () => {
  let page: string;
  let json: string;

  beforeAll(async () => {
    const [a, b] = await Promise.all([send(app, AUDIT_PAGE_PATH, { name: `${X1}.pdf`, bytes: X1_PDF }), send(app, AUDIT_API_PATH, { name: `${X1}.pdf`, bytes: X1_PDF })]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers.get("content-type")).toMatch(/^application\/json/);
    page = await text(a);
    json = await text(b);
  }, 60_000);

  it("gives the report page: the department, and the findings written down by reading the document, at their pages", () => {
    expect(page).toContain(`<title>审核报告：${X1}.pdf`);
    expect(page).toContain(X1_EXPECTED.recognised.department);
    const places = placesOf(page);
    // three of the hand-written findings, each under its page
    for (const want of [
      { code: "AUD-MISSING-TABLE", page: 2 },
      { code: "AUD-PLACEHOLDER", page: 7 },
      { code: "AUD-TWICE", page: 12 },
    ]) {
      const f = X1_EXPECTED.findings.find((x) => x.code === want.code && x.page === want.page);
      expect(f, `${want.code} on page ${want.page} is in the YAML`).toBeDefined();
      expect(places.get(`第 ${want.page} 页`) ?? [], `${want.code} on page ${want.page}`).toContain(want.code);
    }
    const twice = X1_EXPECTED.findings.find((x) => x.code === "AUD-TWICE" && x.page === 12)!;
    expect(page).toContain(`<strong>${twice.expected}万元</strong> → 实为：<strong>${twice.found}万元</strong>`);
    expect(page).toContain("文件不会保存");
    // the report's parts as the renderer draws them, in the site's layout (its header, its one style sheet)
    expect(page).toContain('<section class="card" aria-labelledby="rec-h">');
    expect(page).toContain('<section aria-labelledby="nc-h">');
    expect(page).toContain('class="site-header"');
    expect(page.match(/<style>/g)).toHaveLength(1);
    expect(page).toContain("dl.facts{");
  });

  it("lists on the page exactly the findings of its JSON twin", () => {
    const report = JSON.parse(json) as { findings: { code: string; page: number | null }[] };
    const onPage = [...placesOf(page).values()].flat().sort();
    expect(onPage).toEqual(report.findings.map((f) => f.code).sort());
    expect(onPage.length).toBeGreaterThan(0);
  });

  it("answers the JSON twin exactly as `gongkai audit --json` prints it, valid against the schema", () => {
    const report = JSON.parse(json) as { files: string[]; exitCode: number };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.files).toEqual([`${X1}.pdf`]);
    expect(report.exitCode).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), "gongkai-audit-upload-cli-"));
    try {
      copyFileSync(join(PUBLISHED, `${X1}.pdf`), join(dir, `${X1}.pdf`));
      const cli = runCli(["audit", "--json", `${X1}.pdf`], { cwd: dir });
      expect(cli.status).toBe(1);
      expect(json).toBe(cli.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("in English with ?lang=en", async () => {
    const res = await send(app, `${AUDIT_PAGE_PATH}?lang=en`, { name: "11.pdf", bytes: SMALL_PDF });
    expect(res.status).toBe(200);
    const html = await text(res);
    expect(html).toContain("<title>Audit report: 11.pdf");
    expect(html).toContain("The file is not kept.");
    expect(html).toContain("上海市普陀区财政局");
  });
});

describe("limits and hostile uploads: their status and message, never a stack trace", () => {
  it("an empty upload, and a form without a file: 400", async () => {
    await refused(app, { name: "empty.pdf", bytes: "" }, 400, "empty_upload", "没有收到文件，或文件是空的", "No file arrived, or the file is empty");
    await refused(app, null, 400, "empty_upload", "没有收到文件", "No file arrived");
  });

  it("a zip renamed .pdf: 422, neither a PDF nor text", async () => {
    const r = await refused(app, { name: "tables.pdf", bytes: ZIP }, 422, "not_pdf", "既不是 PDF，也不是文本文件", "neither a PDF nor a text file");
    expect(r.report?.unreadable).toMatchObject({ reason: "not-pdf" });
  });

  it("an encrypted PDF: 422, it needs a password", async () => {
    const r = await refused(app, { name: "secret.pdf", bytes: encrypted }, 422, "encrypted", "PDF 已加密", "The PDF is encrypted");
    expect(r.report?.unreadable).toMatchObject({ reason: "encrypted" });
  });

  it("a PDF of 301 pages: 413, over the 300-page limit", async () => {
    const r = await refused(app, { name: "big.pdf", bytes: manyPages }, 413, "too_large", "文件超出限制（上限：20 MB、300 页）", "over the limits (the limits: 20 MB, 300 pages)");
    expect(r.report?.unreadable).toMatchObject({ reason: "too-large" });
    expect(r.headers.get("retry-after")).toBeNull();
  });

  it("more bytes than the limit: 413 from the body limit, and 413 for a file just over it", async () => {
    const small = appWith({ maxBytes: 1 * MB });
    await refused(small, { name: "big.pdf", bytes: new Uint8Array(2 * MB) }, 413, "too_large", "上传的文件太大：上限为 1 MB", "The upload is too large: the limit is 1 MB", false);
    await refused(small, { name: "big.pdf", bytes: new Uint8Array(MB + 1) }, 413, "too_large", "上传的文件太大：上限为 1 MB", "the limit is 1 MB");
    // the default limit, 20 MB, said on the form
    await refused(app, { name: "big.pdf", bytes: new Uint8Array(21 * MB) }, 413, "too_large", "上限为 20 MB", "the limit is 20 MB", false);
  });

  it("an audit over the time limit: 422, stopped — also when the reading is done and the checks take the time", async () => {
    await refused(appWith({ timeoutMs: 1 }), { name: "slow.pdf", bytes: SMALL_PDF }, 422, "timeout", "读取和审核超过 0.001 秒，已停止", "took more than 0.001 s");
    // forty copies of the seed text (1.4 MB): read in a fraction of a second, checked in some ten seconds; the worker is
    // ended at 1.5 s (+ 1 s), so the answer comes long before the checks could have finished, even on a loaded machine
    const long = readFileSync(join(ROOT, "test/reference/seed/changji-xinfang-2024-budget.txt"), "utf8").repeat(40);
    const started = Date.now();
    const res = await send(appWith({ timeoutMs: 1500 }), AUDIT_API_PATH, { name: "long.txt", bytes: long });
    expect(res.status).toBe(422);
    expect((JSON.parse(await text(res)) as { error: { code: string } }).error.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(8000);
    // meanwhile the application answers: the checks ran in a worker thread
    expect((await app.request(AUDIT_PAGE_PATH)).status).toBe(200);
  }, 20_000);

  it("more audits at once than the bound: 503 with Retry-After, and the running one finishes", async () => {
    let started!: () => void;
    let release!: () => void;
    const reading = new Promise<void>((r) => (started = r));
    const gate = new Promise<void>((r) => (release = r));
    const held = appWith({
      maxConcurrent: 1,
      run: async (job) => {
        started();
        await gate;
        return { ok: true, ...(await auditUpload(job)) };
      },
    });
    const first = send(held, AUDIT_PAGE_PATH, { name: "11.pdf", bytes: SMALL_PDF });
    await reading;
    expect(readdirSync(TMP)).toHaveLength(1); // the first upload's temporary folder, while it is read
    const res = await send(held, AUDIT_PAGE_PATH, { name: "11.pdf", bytes: SMALL_PDF });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("10");
    expect(await text(res)).toContain("正在审核的文件较多，请 10 秒后重试");
    const api = await send(held, AUDIT_API_PATH, { name: "11.pdf", bytes: SMALL_PDF });
    expect(api.status).toBe(503);
    expect(api.headers.get("retry-after")).toBe("10");
    expect((JSON.parse(await text(api)) as { error: { code: string } }).error.code).toBe("busy");
    release();
    expect((await first).status).toBe(200);
  });

  it("an audit that fails: 500 with the site's message, and the temporary folder still removed", async () => {
    const broken = appWith({ run: () => Promise.reject(new Error("boom at /secret/path")) });
    const res = await send(broken, AUDIT_PAGE_PATH, { name: "11.pdf", bytes: SMALL_PDF });
    expect(res.status).toBe(500);
    const html = await text(res);
    expect(html).toContain("服务器内部错误");
    expect(html).not.toContain("boom");
  });
});

describe("hostile text is shown as text", () => {
  it("`<script>` in a PDF's text and markup in the file's name are escaped", async () => {
    const name = '<img src=x onerror="alert(2)">.pdf';
    const res = await send(app, AUDIT_PAGE_PATH, { name, bytes: hostilePdf });
    expect(res.status).toBe(200);
    const html = await text(res);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("审核报告：&lt;img src=x onerror=&quot;alert(2)&quot;&gt;.pdf");
    const api = JSON.parse(await text(await send(app, AUDIT_API_PATH, { name, bytes: hostilePdf }))) as { files: string[]; findings: { quote: string }[] };
    expect(api.files).toEqual([name]);
    expect(api.findings.some((f) => f.quote.includes("<script>alert(1)</script>"))).toBe(true);
  });

  it("a bidi override in the text is shown as its code point, and dropped from the file's name", async () => {
    const txt = "上海市普陀区测试局2024年部门预算\n2024年一般公共预算支出XX万元，\u202e主要用于<b>办公</b>。\n";
    const res = await send(app, AUDIT_PAGE_PATH, { name: "evil\u202etxt.pdf", bytes: txt });
    expect(res.status).toBe(200);
    const html = await text(res);
    expect(html).not.toContain("\u202e");
    expect(html).toContain("⟨U+202E⟩主要用于&lt;b&gt;办公&lt;/b&gt;");
    expect(html).toContain("审核报告：eviltxt.pdf");
    // the JSON keeps the text as read
    const api = JSON.parse(await text(await send(app, AUDIT_API_PATH, { name: "evil\u202etxt.pdf", bytes: txt }))) as { files: string[]; findings: { quote: string }[] };
    expect(api.files).toEqual(["eviltxt.pdf"]);
    expect(api.findings.some((f) => f.quote.includes("\u202e主要用于"))).toBe(true);
  });

  it("a name is its last path segment, without control characters, at most 100 characters", () => {
    expect(uploadName("C:\\Users\\me\\预算.pdf")).toBe("预算.pdf");
    expect(uploadName("../../etc/passwd")).toBe("passwd");
    expect(uploadName("a\u0000b\u200fc.pdf")).toBe("abc.pdf");
    expect(uploadName("   ")).toBe("upload");
    expect([...uploadName("长".repeat(300))]).toHaveLength(100);
  });
});
