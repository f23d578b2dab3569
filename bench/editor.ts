/**
 * `npm run bench:editor`: the budget editor (issue 13) in headless Chromium against the platform, as a preparer uses
 * it. See bench/README.md ("Editor").
 *
 * 1. Paste: a block of N tab-separated rows (the workbook's 明细 column order, amounts with thousands separators) is
 *    dispatched to the grid as a ClipboardEvent, as the platform e2e does; timed from the event to the rows in the
 *    grid (#editor-count, then the next frame), and to saved and validated (status 已保存（第 n 版）。 with the findings
 *    list drawn), broken down into the browser's phases (Resource Timing of the save) and the server's own time (its
 *    request log). Sizes: 20 rows (the baseline), the largest paste the line limit lets the checks run on (MAX_LINES
 *    less the draft's lines), and 5,000. The same operations POSTed directly (no browser) give the server alone; the
 *    server's phases are timed again in this process with the same functions. A fresh draft for every run (the
 *    reference budget uploaded again), one warm-up run per size, then the median of BENCH_EDITOR_RUNS.
 * 2. Grid: frame times (requestAnimationFrame deltas; long animation frames from PerformanceObserver) while idle,
 *    while scrolling (mouse wheel; scrollTop +200 px a frame; jumps as when dragging the scroll bar) and while typing
 *    into amount cells, with 20,000 line items in the draft and with the grid empty (typing: one row).
 *
 * Env: BENCH_EDITOR_RUNS (timed paste runs per size, default 3), BENCH_EDITOR_PASTE (rows, default 5000),
 * BENCH_EDITOR_GRID (lines of the grid bench, default 20000), BENCH_EDITOR_SECONDS (seconds per scroll measurement,
 * default 4), BENCH_EDITOR_EDITS (cells typed into, default 8), BENCH_EDITOR_PHASES (paste,grid), BENCH_EDITOR_PROFILE=1
 * (also a CPU profile of one 5,000-row paste and of the typing at 20,000 rows, top functions printed; profiles in
 * bench/.data/), BENCH_OUT (results file; default bench/results/editor.json).
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import {
  chromium,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from "playwright-core";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import {
  FUND_CHOICES,
  KIND_CHOICES,
  LAYOUT,
  SHEET,
  type TableSheetSpec,
} from "../src/adapters/ingest/xlsx-input-layout.ts";
import {
  readDraftLines,
  writeDraftLines,
} from "../src/adapters/ingest/yaml-draft.ts";
import { readUpload } from "../src/adapters/platform/platform-deps.ts";
import { buildAssets } from "../src/adapters/web/build-assets.ts";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import { MAX_LINES } from "../src/domain/budget-schema.ts";
import {
  applyDraftOps,
  MAX_DRAFT_OPS,
  type DraftLine,
  type DraftOp,
  type LineField,
  type LineValues,
} from "../src/domain/draft-patch.ts";
import {
  startPlatform,
  type PlatformServer,
} from "../test/web/platform-server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
/** the platform e2e's flags; nothing that changes frame timing (Chromium's headless mode draws at 60 Hz; checked below) */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const VIEWPORT = { width: 1280, height: 900 };
const YEAR = 2023;
const DEPARTMENT = "415001";

const whole = (name: string, fallback: number, min = 0): number => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < min)
    throw new Error(
      `${name} must be a whole number ≥ ${min}, got ${process.env[name]}`,
    );
  return v;
};
const RUNS = whole("BENCH_EDITOR_RUNS", 3, 1);
const PASTE_ROWS = whole("BENCH_EDITOR_PASTE", 5000, 1);
const GRID_LINES = whole("BENCH_EDITOR_GRID", 20_000, 1);
const SCROLL_SECONDS = whole("BENCH_EDITOR_SECONDS", 4, 1);
const EDITS = whole("BENCH_EDITOR_EDITS", 8, 1);
const PHASES = new Set(
  (process.env["BENCH_EDITOR_PHASES"] ?? "paste,grid")
    .split(",")
    .map((s) => s.trim()),
);
const PROFILE = process.env["BENCH_EDITOR_PROFILE"] === "1";
const TRACE = process.env["BENCH_EDITOR_TRACE"] === "1";
/** to try a change before making it: a variant of editor.ts served in place of the built script, and CSS added to the editor's */
const VARIANT_SCRIPT = process.env["BENCH_EDITOR_SCRIPT"] ?? null;
const EXTRA_CSS = process.env["BENCH_EDITOR_CSS"] ?? null;
const OUT = process.env["BENCH_OUT"] ?? join(ROOT, "bench/results/editor.json");
const DATA = join(ROOT, "bench/.data");
/** the whole bench stops (and cleans up) after this, whatever it is doing */
const DEADLINE_MS = 12 * 60_000;

const say = (m: string) => process.stderr.write(`${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0
    ? NaN
    : n % 2
      ? s[(n - 1) / 2]!
      : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
/** nearest-rank percentile */
const pct = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? NaN
    : sorted[
        Math.min(
          sorted.length - 1,
          Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
        )
      ]!;
const r1 = (x: number) => Math.round(x * 10) / 10;

// ---------------------------------------------------------------------------------------------------------------
// The draft: the reference budget moved to 2023 (the seed publishes its 2024), and the rows a preparer pastes

const REFERENCE_YAML = readFileSync(
  join(ROOT, "examples/changji-xinfang-2024/budget.yaml"),
  "utf8",
)
  .replace(/^ {2}year: 2024$/m, `  year: ${YEAR}`)
  .replace(/^ {2}date: "2024-02-23"$/m, `  date: "${YEAR}-02-23"`);
const REFERENCE = (() => {
  const r = readDraftLines(REFERENCE_YAML);
  if (!r.ok) throw new Error(`the reference budget's lines: ${r.problem.en}`);
  return r.lines;
})();
/** the largest paste the schema still checks in full: the draft then has exactly MAX_LINES lines */
const AT_LIMIT = MAX_LINES - REFERENCE.length;

/** the columns of 明细 in the workbook's order: what a block copied from it holds, and what the grid shows */
const COLUMN_KEYS: readonly LineField[] = LAYOUT.find(
  (s): s is TableSheetSpec => s.kind === "table" && s.name === SHEET.lines,
)!.columns.map((c) => c.key as LineField);
const label = (
  choices: readonly { id: string | boolean; label: string }[],
  id: string,
) => choices.find((c) => String(c.id) === id)?.label ?? id;

/** 12345678 分 → "123,456.78" */
const yuanText = (fen: number) =>
  `${Math.floor(fen / 100).toLocaleString("en-US")}.${String(fen % 100).padStart(2, "0")}`;

/**
 * Row i of a paste: a basic-expenditure line of the reference's own (function, economic) pairs, its fund as the
 * workbook's label, an amount with thousands separators (from 100.00 to about 900,000 元, with 分), a note naming it.
 */
function pasteRow(i: number): Record<LineField, string> {
  const basic = REFERENCE.filter((l) => l.values.kind === "basic");
  const l = basic[i % basic.length]!.values;
  const fen = 10_000 + ((i * 7_919_113) % 90_000_000) + ((i * 37) % 100);
  return {
    unit: l.unit ?? "001",
    kind: label(KIND_CHOICES, "basic"),
    func: l.func ?? "",
    econ: l.econ ?? "",
    fund: label(FUND_CHOICES, l.fund ?? "gpb.own"),
    amount: yuanText(fen),
    project: "",
    note: `粘贴第 ${i + 1} 行`,
  };
}
const pasteTsv = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    COLUMN_KEYS.map((k) => pasteRow(i)[k]).join("\t"),
  ).join("\r\n") + "\r\n";

/** the same line as the draft keeps it (ids and values as the grid sends them), for drafts written through the API */
function draftValues(i: number): LineValues {
  const basic = REFERENCE.filter((l) => l.values.kind === "basic");
  const l = basic[i % basic.length]!.values;
  const fen = 10_000 + ((i * 7_919_113) % 90_000_000) + ((i * 37) % 100);
  return {
    ...l,
    project: null,
    amount: `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`,
    note: `第 ${i + 1} 行`,
  };
}
const benchId = (i: number) => `Lbench${i.toString(36)}`;

// ---------------------------------------------------------------------------------------------------------------
// The platform and the browser

export interface Session {
  readonly origin: string;
  readonly context: BrowserContext;
  readonly request: APIRequestContext;
  readonly page: Page;
  readonly csrf: string;
  readonly departmentId: number;
  budgetId: number;
}

/** the server's own time for a request (its request log at `info`: `ms` from the first middleware to the response) */
async function serverMs(
  server: PlatformServer,
  requestId: string | undefined,
): Promise<number> {
  if (!requestId) return NaN;
  for (let i = 0; i < 100; i++) {
    const at = server.output().indexOf(`"id":"${requestId}"`);
    if (at >= 0) {
      const line = server
        .output()
        .slice(
          server.output().lastIndexOf("\n", at) + 1,
          server.output().indexOf("\n", at),
        );
      return (JSON.parse(line) as { ms: number }).ms;
    }
    await sleep(20);
  }
  return NaN;
}

/** the 2023 draft as the reference budget: created on the first call, replaced (a fresh draft, 35 lines) after */
export async function resetDraft(s: Session): Promise<void> {
  const res = await s.request.post(`${s.origin}/api/v1/workspace/budgets`, {
    multipart: {
      _csrf: s.csrf,
      departmentId: String(s.departmentId),
      year: String(YEAR),
      file: {
        name: "budget.yaml",
        mimeType: "application/yaml",
        buffer: Buffer.from(REFERENCE_YAML),
      },
    },
  });
  if (res.status() !== 201)
    throw new Error(`upload: ${res.status()} ${await res.text()}`);
  s.budgetId = ((await res.json()) as { budget: { id: number } }).budget.id;
}

interface DraftReply {
  revision: number;
  lines: DraftLine[];
  findings: {
    code: string;
    severity: string;
    line: string | null;
    message: { zh: string; en: string };
  }[];
  conflicts: unknown[];
}

export async function getDraft(s: Session): Promise<DraftReply> {
  const res = await s.request.get(
    `${s.origin}/api/v1/workspace/budgets/${s.budgetId}/draft`,
  );
  if (res.status() !== 200)
    throw new Error(`draft: ${res.status()} ${await res.text()}`);
  return (await res.json()) as DraftReply;
}

/** one save as the grid makes it, from this process: round trip and the server's time */
export async function postOps(
  server: PlatformServer,
  s: Session,
  revision: number,
  ops: readonly DraftOp[],
): Promise<{
  wallMs: number;
  serverMs: number;
  reply: DraftReply;
  bytes: number;
}> {
  const body = JSON.stringify({ revision, ops });
  const t0 = performance.now();
  const res = await s.request.post(
    `${s.origin}/api/v1/workspace/budgets/${s.budgetId}/draft`,
    {
      headers: {
        "content-type": "application/json",
        "x-csrf-token": s.csrf,
        accept: "application/json",
      },
      data: body,
    },
  );
  const text = await res.text();
  const wallMs = performance.now() - t0;
  if (res.status() !== 200)
    throw new Error(`save: ${res.status()} ${text.slice(0, 500)}`);
  return {
    wallMs,
    serverMs: await serverMs(server, res.headers()["x-request-id"]),
    reply: JSON.parse(text) as DraftReply,
    bytes: body.length,
  };
}

/** the draft made to have `n` lines: the reference's first lines, or all of them and generated ones after */
export async function draftWithLines(
  server: PlatformServer,
  s: Session,
  n: number,
): Promise<void> {
  await resetDraft(s);
  const d = await getDraft(s);
  const ops: DraftOp[] = [];
  for (const l of d.lines.slice(n))
    ops.push({ op: "delete", line: l.id, from: l.values });
  let after = d.lines.at(-1)?.id ?? null;
  for (let i = 0; i < n - d.lines.length; i++) {
    ops.push({ op: "insert", line: benchId(i), after, values: draftValues(i) });
    after = benchId(i);
  }
  for (
    let at = 0, revision = d.revision;
    at < ops.length;
    at += MAX_DRAFT_OPS
  ) {
    const r = await postOps(
      server,
      s,
      revision,
      ops.slice(at, at + MAX_DRAFT_OPS),
    );
    revision = r.reply.revision;
  }
  const now = await getDraft(s);
  if (now.lines.length !== n)
    throw new Error(`the draft has ${now.lines.length} lines, not ${n}`);
}

/**
 * A variant of the editor's script (a copy of src/adapters/browser/editor.ts with a change to try), bundled as
 * build-assets.ts bundles the real one, its imports resolved from src/adapters/browser/.
 */
async function bundleVariant(file: string): Promise<string> {
  const r = await build({
    stdin: {
      contents: readFileSync(file, "utf8"),
      resolveDir: join(ROOT, "src/adapters/browser"),
      sourcefile: "editor.ts",
      loader: "ts",
    },
    bundle: true,
    minify: true,
    write: false,
    format: "iife",
    target: ["chrome110", "firefox110", "safari16"],
    logLevel: "silent",
  });
  return r.outputFiles[0]!.text;
}

export async function openSession(
  browser: Browser,
  server: PlatformServer,
  variant: { script?: string | null; css?: string | null } = {
    script: VARIANT_SCRIPT,
    css: EXTRA_CSS,
  },
): Promise<Session> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: "zh-CN",
  });
  // tsx compiles this file with esbuild's keepNames, which wraps the functions handed to page.evaluate in __name()
  await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
  if (variant.script) {
    const js = await bundleVariant(variant.script);
    await context.route(/\/assets\/editor-[0-9a-f]+\.js$/, (route) =>
      route.fulfill({
        body: js,
        contentType: "text/javascript; charset=utf-8",
      }),
    );
  }
  if (variant.css) {
    const css = variant.css;
    await context.route(/\/assets\/editor-[0-9a-f]+\.css$/, async (route) => {
      const res = await route.fetch();
      await route.fulfill({
        response: res,
        body: `${await res.text()}\n${css}\n`,
      });
    });
  }
  const page = await context.newPage();
  page.on("pageerror", (e) => say(`  page error: ${e.message}`));
  const origin = server.origin;
  await page.goto(`${origin}/login`);
  await page.locator("#username").fill("preparer");
  await page.locator("#password").fill("demo-preparer-2024");
  await Promise.all([
    page.waitForURL(`${origin}/workspace`),
    page.locator("main form").getByRole("button", { name: "登录" }).click(),
  ]);
  const csrf = await page
    .locator('input[name="_csrf"]')
    .first()
    .getAttribute("value");
  if (!csrf) throw new Error("no CSRF token on the workspace page");
  const list = (await (
    await context.request.get(`${origin}/api/v1/workspace/budgets`)
  ).json()) as { departments: { id: number; code: string }[] };
  const dept = list.departments.find((d) => d.code === DEPARTMENT);
  if (!dept)
    throw new Error(
      `department ${DEPARTMENT} is not in the preparer's workspace`,
    );
  return {
    origin,
    context,
    request: context.request,
    page,
    csrf,
    departmentId: dept.id,
    budgetId: 0,
  };
}

/** the editor opened on the draft; resolves when the grid has drawn (its first row, or its placeholder) */
export async function openEditor(
  s: Session,
): Promise<{ loadMs: number; htmlKiB: number }> {
  const t0 = performance.now();
  const res = await s.page.goto(`${s.origin}/workspace/b/${s.budgetId}/edit`);
  const htmlKiB = ((await res?.body())?.length ?? 0) / 1024;
  await s.page
    .locator("#editor-grid .tabulator-row, #editor-grid .tabulator-placeholder")
    .first()
    .waitFor({ timeout: 120_000 });
  return { loadMs: performance.now() - t0, htmlKiB };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Paste

interface PasteMarks {
  /** the paste handler's synchronous work (parsing and adding the rows), ms after the event */
  handler: number;
  /** #editor-count shows the new count, and the frame after it */
  count: number;
  countFrame: number;
  /** the save starts (status 正在保存…) */
  saving: number;
  /** the save's fetch: start, first byte, end (Resource Timing, relative to the event) */
  fetchStart: number;
  responseStart: number;
  responseEnd: number;
  /** status 已保存（第 n 版）。 (the findings list is drawn before it), and the frame after */
  saved: number;
  savedFrame: number;
  findingsShown: number;
  longFrames: {
    start: number;
    duration: number;
    blocking: number;
    scripts: string[];
  }[];
}

interface PasteRun {
  rows: number;
  marks: PasteMarks;
  serverMs: number;
  requestKiB: number;
  replyKiB: number;
  lines: number;
  findings: number;
  errors: number;
  firstFindings: string[];
  ops: DraftOp[];
}

async function pasteOnce(
  server: PlatformServer,
  s: Session,
  rows: number,
  profileTo?: string,
): Promise<PasteRun> {
  await resetDraft(s);
  await openEditor(s);
  const before = Number(await s.page.locator("#editor-count").innerText());
  // as in the platform e2e: a new row at the end (its first cell selected and focused), and the block pasted there
  await s.page.getByRole("button", { name: "添加行" }).click();
  // …and saved (the grid saves the empty row 400 ms later): the paste's save is then the paste alone, as when a
  // preparer adds the row and pastes a moment later
  await s.page.waitForFunction(
    (n) =>
      document.getElementById("editor-count")?.textContent === String(n) &&
      document.activeElement?.classList.contains("tabulator-cell") === true &&
      /^已保存（第 \d+ 版）。$/.test(
        document.getElementById("editor-status")?.textContent ?? "",
      ),
    before + 1,
    { polling: 10, timeout: 30_000 },
  );
  const tsv = pasteTsv(rows);
  const saved = s.page.waitForResponse(
    (r) =>
      r.request().method() === "POST" &&
      r.url().endsWith(`/budgets/${s.budgetId}/draft`),
    { timeout: 120_000 },
  );
  const marks = await profiled(s, profileTo, () =>
    s.page.evaluate(
      ({ text, expected }) =>
        new Promise<PasteMarks>((resolve, reject) => {
          const grid = document.getElementById("editor-grid")!;
          const countEl = document.getElementById("editor-count")!;
          const statusEl = document.getElementById("editor-status")!;
          const findingsEl = document.getElementById("editor-findings")!;
          const m: Partial<PasteMarks> = { longFrames: [] };
          let t0 = 0;
          const after = (f: (t: number) => void) =>
            requestAnimationFrame(() =>
              setTimeout(() => f(performance.now() - t0), 0),
            );
          const loaf = new PerformanceObserver((list) => {
            for (const e of list.getEntries() as (PerformanceEntry & {
              blockingDuration: number;
              scripts: {
                invoker: string;
                sourceFunctionName: string;
                duration: number;
              }[];
            })[])
              m.longFrames!.push({
                start: e.startTime - t0,
                duration: e.duration,
                blocking: e.blockingDuration,
                scripts: e.scripts.map(
                  (x) =>
                    `${x.invoker} ${x.sourceFunctionName} ${Math.round(x.duration)}ms`,
                ),
              });
          });
          loaf.observe({ type: "long-animation-frame" });
          const done = () => {
            if (m.savedFrame === undefined) return;
            mo.disconnect();
            setTimeout(() => {
              loaf.disconnect();
              const e = performance
                .getEntriesByType("resource")
                .filter((x) => x.name.endsWith("/draft"))
                .at(-1) as PerformanceResourceTiming | undefined;
              if (e)
                Object.assign(m, {
                  fetchStart: e.startTime - t0,
                  responseStart: e.responseStart - t0,
                  responseEnd: e.responseEnd - t0,
                });
              resolve(m as PasteMarks);
            }, 100);
          };
          const mo = new MutationObserver(() => {
            const now = performance.now() - t0;
            if (
              m.count === undefined &&
              countEl.textContent === String(expected)
            ) {
              m.count = now;
              after((t) => (m.countFrame = t));
            }
            const status = statusEl.textContent ?? "";
            if (m.saving === undefined && status === "正在保存…")
              m.saving = now;
            if (
              m.saved === undefined &&
              /^已保存（第 \d+ 版）。$/.test(status)
            ) {
              m.saved = now;
              m.findingsShown = findingsEl.children.length;
              after((t) => {
                m.savedFrame = t;
                done();
              });
            } else if (/失败|冲突/.test(status))
              reject(new Error(`the save failed: ${status}`));
          });
          mo.observe(countEl, {
            childList: true,
            characterData: true,
            subtree: true,
          });
          mo.observe(statusEl, {
            childList: true,
            characterData: true,
            subtree: true,
          });
          performance.clearResourceTimings();
          const dt = new DataTransfer();
          dt.setData("text/plain", text);
          t0 = performance.now();
          grid.dispatchEvent(
            new ClipboardEvent("paste", {
              clipboardData: dt,
              bubbles: true,
              cancelable: true,
            }),
          );
          m.handler = performance.now() - t0;
          setTimeout(
            () =>
              reject(
                new Error(`not saved within 100 s: ${statusEl.textContent}`),
              ),
            100_000,
          );
        }),
      { text: tsv, expected: before + rows },
    ),
  );
  const res = await saved;
  const replyText = await res.text();
  const reply = JSON.parse(replyText) as DraftReply;
  const ops = (res.request().postDataJSON() as { ops: DraftOp[] }).ops;
  // the paste in one save: the first row into the empty row (its fields set), the others inserted
  if (ops.filter((o) => o.op === "insert").length !== rows - 1)
    throw new Error(
      `the save timed holds ${ops.length} operations, not the paste of ${rows} rows`,
    );
  return {
    rows,
    marks,
    serverMs: await serverMs(server, res.headers()["x-request-id"]),
    requestKiB: (res.request().postData()?.length ?? 0) / 1024,
    replyKiB: replyText.length / 1024,
    lines: reply.lines.length,
    findings: reply.findings.length,
    errors: reply.findings.filter((f) => f.severity === "error").length,
    firstFindings: reply.findings
      .slice(0, 3)
      .map((f) => `${f.severity} ${f.code}: ${f.message.zh}`),
    ops,
  };
}

/** the server's phases for the same save, in this process, with the functions the service runs (store write left out) */
async function serverPhases(
  ops: readonly DraftOp[],
): Promise<Record<string, number>> {
  const t: Record<string, number> = {};
  let a = performance.now();
  const lap = (name: string) => {
    const b = performance.now();
    t[name] = b - a;
    a = b;
  };
  const before = readDraftLines(REFERENCE_YAML);
  lap("read draft lines");
  if (!before.ok) throw new Error("the reference budget's lines");
  const applied = applyDraftOps(before.lines, ops);
  lap("apply ops");
  const yaml = writeDraftLines(REFERENCE_YAML, applied.lines);
  lap("write YAML");
  const read = await readUpload("budget.yaml", new TextEncoder().encode(yaml));
  lap("read + validate");
  if (read.ok) {
    const built = buildDisclosure(projectData, read.budget, {});
    lap("build + rules");
    if (built.ok) JSON.stringify(built.result.findings);
    lap("findings JSON");
  }
  return t;
}

interface PasteSummary {
  rows: number;
  linesAfter: number;
  runs: number;
  /** medians, ms after the paste event */
  handlerMs: number;
  rowsInGridMs: number;
  savingStartsMs: number;
  fetchMs: number;
  serverMs: number;
  replyHandlingMs: number;
  savedAndValidatedMs: number;
  savedMinusDebounceMs: number;
  /** the same ops POSTed from Node: round trip, and the server's time */
  directWallMs: number;
  directServerMs: number;
  serverPhasesMs: Record<string, number>;
  requestKiB: number;
  replyKiB: number;
  findings: number;
  errors: number;
  findingsShown: number;
  firstFindings: string[];
  longestFrameMs: number;
  longFrameScripts: string[];
  all: {
    rowsInGridMs: number[];
    savedAndValidatedMs: number[];
    serverMs: number[];
  };
}

const DEBOUNCE_MS = 400;

async function benchPaste(
  server: PlatformServer,
  s: Session,
): Promise<PasteSummary[]> {
  const out: PasteSummary[] = [];
  for (const rows of [20, AT_LIMIT, PASTE_ROWS]) {
    say(
      `paste: ${rows} rows (${REFERENCE.length + rows} lines after) — 1 warm-up + ${RUNS} runs …`,
    );
    await pasteOnce(server, s, rows);
    const runs: PasteRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await pasteOnce(server, s, rows);
      say(
        `  run ${i + 1}: rows in grid ${r1(r.marks.countFrame)} ms, saved ${r1(r.marks.savedFrame)} ms (server ${r.serverMs} ms), ${r.lines} lines, ${r.findings} findings`,
      );
      runs.push(r);
    }
    // the server alone: the same operations on a fresh draft, from this process
    const direct: { wallMs: number; serverMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      await resetDraft(s);
      const d = await getDraft(s);
      direct.push(await postOps(server, s, d.revision, runs[0]!.ops));
    }
    await serverPhases(runs[0]!.ops); // warm-up
    const phases: Record<string, number>[] = [];
    for (let i = 0; i < 3; i++) phases.push(await serverPhases(runs[0]!.ops));
    const phaseMed = Object.fromEntries(
      Object.keys(phases[0]!).map((k) => [
        k,
        r1(median(phases.map((p) => p[k] ?? 0))),
      ]),
    );
    const mk = (f: (m: PasteMarks) => number) =>
      r1(median(runs.map((r) => f(r.marks))));
    const longest = runs
      .flatMap((r) => r.marks.longFrames)
      .sort((a, b) => b.duration - a.duration)[0];
    const last = runs.at(-1)!;
    out.push({
      rows,
      linesAfter: last.lines,
      runs: RUNS,
      handlerMs: mk((m) => m.handler),
      rowsInGridMs: mk((m) => m.countFrame),
      savingStartsMs: mk((m) => m.saving),
      fetchMs: mk((m) => m.responseEnd - m.fetchStart),
      serverMs: r1(median(runs.map((r) => r.serverMs))),
      replyHandlingMs: mk((m) => m.saved - m.responseEnd),
      savedAndValidatedMs: mk((m) => m.savedFrame),
      savedMinusDebounceMs: mk((m) => m.savedFrame - DEBOUNCE_MS),
      directWallMs: r1(median(direct.map((d) => d.wallMs))),
      directServerMs: r1(median(direct.map((d) => d.serverMs))),
      serverPhasesMs: phaseMed,
      requestKiB: r1(last.requestKiB),
      replyKiB: r1(last.replyKiB),
      findings: last.findings,
      errors: last.errors,
      findingsShown: last.marks.findingsShown,
      firstFindings: last.firstFindings,
      longestFrameMs: r1(longest?.duration ?? 0),
      longFrameScripts: longest?.scripts.slice(0, 4) ?? [],
      all: {
        rowsInGridMs: runs.map((r) => r1(r.marks.countFrame)),
        savedAndValidatedMs: runs.map((r) => r1(r.marks.savedFrame)),
        serverMs: runs.map((r) => r.serverMs),
      },
    });
  }
  if (PROFILE) {
    mkdirSync(DATA, { recursive: true });
    const file = join(DATA, `editor-paste-${PASTE_ROWS}.cpuprofile`);
    say(`paste: a CPU profile of one ${PASTE_ROWS}-row paste → ${file}`);
    await pasteOnce(server, s, PASTE_ROWS, file);
    printProfileTop(file);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Grid: frame times

interface FrameStats {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  over33: number;
  /**
   * input events slower than 16 ms from the input to the next frame (Event Timing): how many, their percentiles,
   * and the slowest of each type
   */
  inputEvents: {
    count: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
    slowestByType: Record<string, number>;
  };
  longFrames: number;
  /**
   * the long animation frames (> 50 ms) added up: their time, of which scripts, of which layout and style forced by
   * scripts (reading a size after changing the DOM), and the frames' rendering (rAF callbacks, style, layout, paint)
   * and style + layout alone
   */
  longFrameSums: {
    totalMs: number;
    scriptMs: number;
    forcedLayoutMs: number;
    renderMs: number;
    styleLayoutMs: number;
  };
  longFrameTop: string[];
  /** rows the virtual DOM holds (at the end) */
  domRows: number;
}

interface LoafRecord {
  duration: number;
  scriptMs: number;
  forcedLayoutMs: number;
  renderMs: number;
  styleLayoutMs: number;
  scripts: string[];
}
interface FrameRecord {
  stamps: number[];
  loaf: LoafRecord[];
  events: { name: string; duration: number }[];
  domRows: number;
}

/** starts recording rAF timestamps and long animation frames in the page (window.gongkaiBenchFrames) */
export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const rec = {
      on: true,
      stamps: [] as number[],
      loaf: [] as LoafRecord[],
    };
    type Loaf = PerformanceEntry & {
      renderStart: number;
      styleAndLayoutStart: number;
      scripts: {
        invoker: string;
        sourceFunctionName: string;
        duration: number;
        forcedStyleAndLayoutDuration: number;
      }[];
    };
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Loaf[]) {
        const end = e.startTime + e.duration;
        rec.loaf.push({
          duration: e.duration,
          scriptMs: e.scripts.reduce((n, x) => n + x.duration, 0),
          forcedLayoutMs: e.scripts.reduce(
            (n, x) => n + x.forcedStyleAndLayoutDuration,
            0,
          ),
          renderMs: e.renderStart > 0 ? end - e.renderStart : 0,
          styleLayoutMs:
            e.styleAndLayoutStart > 0 ? end - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map(
            (x) =>
              `${x.invoker} ${x.sourceFunctionName} ${Math.round(x.duration)}ms (forced layout ${Math.round(x.forcedStyleAndLayoutDuration)}ms)`,
          ),
        });
      }
    });
    obs.observe({ type: "long-animation-frame" });
    // Event Timing: each input event's time from the input to the next frame drawn after its handlers (≥ 16 ms)
    const events: { name: string; duration: number }[] = [];
    const evObs = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        events.push({ name: e.name, duration: e.duration });
    });
    evObs.observe({
      type: "event",
      durationThreshold: 16,
    } as PerformanceObserverInit);
    const tick = (t: number) => {
      if (!rec.on) return;
      rec.stamps.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    (window as unknown as { gongkaiBenchFrames: unknown }).gongkaiBenchFrames =
      {
        stop: () => {
          rec.on = false;
          obs.disconnect();
          for (const e of evObs.takeRecords())
            events.push({ name: e.name, duration: e.duration });
          evObs.disconnect();
          return {
            stamps: rec.stamps,
            loaf: rec.loaf,
            events,
            domRows: document.querySelectorAll("#editor-grid .tabulator-row")
              .length,
          };
        },
      };
  });
}

export async function stopFrames(page: Page): Promise<FrameStats> {
  const r = await page.evaluate(() =>
    (
      window as unknown as { gongkaiBenchFrames: { stop(): FrameRecord } }
    ).gongkaiBenchFrames.stop(),
  );
  const deltas = r.stamps.slice(1).map((t, i) => t - r.stamps[i]!);
  const sorted = [...deltas].sort((a, b) => a - b);
  const top = [...r.loaf].sort((a, b) => b.duration - a.duration).slice(0, 3);
  return {
    frames: deltas.length,
    p50Ms: r1(pct(sorted, 50)),
    p95Ms: r1(pct(sorted, 95)),
    maxMs: r1(sorted.at(-1) ?? NaN),
    over33: deltas.filter((d) => d > 33.4).length,
    inputEvents: (() => {
      const d = r.events.map((e) => e.duration).sort((a, b) => a - b);
      const byName = new Map<string, number>();
      for (const e of r.events)
        byName.set(e.name, Math.max(byName.get(e.name) ?? 0, e.duration));
      return {
        count: d.length,
        // none slower than 16 ms: 0
        p50Ms: d.length === 0 ? 0 : r1(pct(d, 50)),
        p95Ms: d.length === 0 ? 0 : r1(pct(d, 95)),
        maxMs: r1(d.at(-1) ?? 0),
        slowestByType: Object.fromEntries(
          [...byName].sort((a, b) => b[1] - a[1]).slice(0, 5),
        ),
      };
    })(),
    longFrames: r.loaf.length,
    longFrameSums: {
      totalMs: r1(r.loaf.reduce((n, l) => n + l.duration, 0)),
      scriptMs: r1(r.loaf.reduce((n, l) => n + l.scriptMs, 0)),
      forcedLayoutMs: r1(r.loaf.reduce((n, l) => n + l.forcedLayoutMs, 0)),
      renderMs: r1(r.loaf.reduce((n, l) => n + l.renderMs, 0)),
      styleLayoutMs: r1(r.loaf.reduce((n, l) => n + l.styleLayoutMs, 0)),
    },
    longFrameTop: top.map(
      (l) => `${Math.round(l.duration)}ms: ${l.scripts.slice(0, 2).join("; ")}`,
    ),
    domRows: r.domRows,
  };
}

const HOLDER = "#editor-grid .tabulator-tableholder";

/** scrolling from inside the page, once a frame: +200 px (reversing at the ends), or jumps anywhere (the scroll bar dragged) */
export async function scrollInPage(
  page: Page,
  mode: "step" | "jump",
  seconds: number,
): Promise<void> {
  await page.evaluate(
    ({ how, secs, holder }) =>
      new Promise<void>((resolve) => {
        const h = document.querySelector(holder) as HTMLElement;
        const end = performance.now() + secs * 1000;
        let dir = 1;
        let seed = 12345;
        const step = () => {
          const max = h.scrollHeight - h.clientHeight;
          if (how === "step") {
            if (h.scrollTop + 200 * dir > max || h.scrollTop + 200 * dir < 0)
              dir = -dir;
            h.scrollTop += 200 * dir;
          } else {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            h.scrollTop = (seed / 2147483648) * max;
          }
          if (performance.now() < end) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      }),
    { how: mode, secs: seconds, holder: HOLDER },
  );
}

/** the mouse wheel over the grid, as fast as the driver sends it (each wheel 240 px), reversing at the ends */
export async function scrollWheel(
  page: Page,
  seconds: number,
): Promise<number> {
  const box = await page.locator(HOLDER).boundingBox();
  if (!box) throw new Error("no grid to scroll");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  let dir = 1;
  while (performance.now() < end) {
    await page.mouse.wheel(0, 240 * dir);
    n++;
    if (n % 20 === 0) {
      const [top, max] = await page
        .locator(HOLDER)
        .evaluate((h) => [h.scrollTop, h.scrollHeight - h.clientHeight]);
      if ((dir > 0 && top >= max - 1) || (dir < 0 && top <= 0)) dir = -dir;
    }
  }
  return n;
}

/**
 * Typing as a preparer does: a row's amount cell clicked, Enter (the editor opens), Ctrl+A, digits typed one key
 * at a time, Enter (committed; the save follows 400 ms later). `rows` visible rows in turn; then the frames go on
 * being recorded until the last save has come back (its handling is part of typing).
 */
export async function typeAmounts(
  page: Page,
  edits: number,
  /** added to the amounts typed: each run types values the cells do not hold yet */
  salt = Date.now() % 1000,
): Promise<{ savedMs: number; keys: number }> {
  const rows = page.locator(`${HOLDER} .tabulator-row`);
  const visible = await page.locator(HOLDER).evaluate((h) => {
    const box = h.getBoundingClientRect();
    return Array.from(h.querySelectorAll(".tabulator-row"))
      .map((r, i) => ({ i, r: r.getBoundingClientRect() }))
      .filter(({ r }) => r.top >= box.top && r.bottom <= box.bottom - 20)
      .map(({ i }) => i);
  });
  if (visible.length === 0) throw new Error("no visible row to type into");
  let keys = 0;
  for (let k = 0; k < edits; k++) {
    const cell = rows
      .nth(visible[k % visible.length]!)
      .locator('.tabulator-cell[tabulator-field="amount"]');
    await cell.click();
    await page.keyboard.press("Enter");
    await cell.locator("input").waitFor({ timeout: 10_000 });
    await page.keyboard.press("ControlOrMeta+A");
    const digits = `${1000 + salt + k * 137}.${String(10 + k).slice(-2)}`;
    await page.keyboard.type(digits, { delay: 60 });
    await page.keyboard.press("Enter");
    keys += digits.length + 3;
    await sleep(150);
  }
  const t0 = performance.now();
  // 已保存。 is what a save with nothing left to send says (after a reply that updated rows)
  await page
    .waitForFunction(
      () =>
        /^已保存(（第 \d+ 版）)?。$/.test(
          document.getElementById("editor-status")?.textContent ?? "",
        ),
      null,
      { timeout: 120_000, polling: 50 },
    )
    .catch(async (e: unknown) => {
      if (process.env["BENCH_EDITOR_SHOT"])
        await page.screenshot({ path: process.env["BENCH_EDITOR_SHOT"] });
      throw new Error(
        `typing: not saved (status “${await page.locator("#editor-status").innerText()}”): ${String(e)}`,
      );
    });
  await sleep(300);
  return { savedMs: performance.now() - t0, keys };
}

interface GridCase {
  lines: number;
  editorLoadMs: number;
  editorHtmlKiB: number;
  idle: FrameStats;
  wheel: FrameStats & { wheels: number };
  step: FrameStats;
  jump: FrameStats;
  typing:
    | (FrameStats & {
        lines: number;
        edits: number;
        keys: number;
        lastSaveAfterTypingMs: number;
      })
    | null;
  /** one field saved on this draft from this process (what every keystroke's save costs the server), and the editor page's GET */
  oneFieldSave: { serverMs: number; wallMs: number; replyKiB: number } | null;
  editorGetServerMs: number;
}

async function measureGrid(
  server: PlatformServer,
  s: Session,
  lines: number,
  typingLines: number,
  profileTo?: string,
): Promise<GridCase> {
  say(`grid: ${lines} lines …`);
  await draftWithLines(server, s, lines);
  const load = await openEditor(s);
  const count = Number(await s.page.locator("#editor-count").innerText());
  if (count !== lines)
    throw new Error(`the editor shows ${count} lines, not ${lines}`);
  await sleep(1000);
  await startFrames(s.page);
  await sleep(2000);
  const idle = await stopFrames(s.page);
  await startFrames(s.page);
  const wheels = await scrollWheel(s.page, SCROLL_SECONDS);
  const wheel = { ...(await stopFrames(s.page)), wheels };
  const step = await profiled(
    s,
    profileTo?.replace(".cpuprofile", "-scroll.cpuprofile"),
    () =>
      traced(
        s,
        TRACE && lines > 0
          ? join(DATA, `editor-grid-${lines}-scroll.trace.json`)
          : undefined,
        async () => {
          await startFrames(s.page);
          await scrollInPage(s.page, "step", SCROLL_SECONDS);
          return stopFrames(s.page);
        },
      ),
  );
  await startFrames(s.page);
  await scrollInPage(s.page, "jump", SCROLL_SECONDS);
  const jump = await stopFrames(s.page);
  say(
    `  idle p50 ${idle.p50Ms} ms; scrolling p95: wheel ${wheel.p95Ms}, step ${step.p95Ms}, jump ${jump.p95Ms} ms`,
  );
  let typing: GridCase["typing"] = null;
  if (typingLines > 0) {
    if (typingLines !== lines) {
      await draftWithLines(server, s, typingLines);
      await openEditor(s);
    }
    await s.page
      .locator(HOLDER)
      .evaluate((h) => (h.scrollTop = (h.scrollHeight - h.clientHeight) / 2));
    await sleep(500);
    typing = await profiled(
      s,
      profileTo?.replace(".cpuprofile", "-typing.cpuprofile"),
      async () => {
        await startFrames(s.page);
        const t = await typeAmounts(s.page, EDITS);
        return {
          ...(await stopFrames(s.page)),
          lines: typingLines,
          edits: EDITS,
          keys: t.keys,
          lastSaveAfterTypingMs: r1(t.savedMs),
        };
      },
    );
    say(
      `  typing (${typingLines} lines) p50 ${typing.p50Ms}, p95 ${typing.p95Ms}, max ${typing.maxMs} ms; input events p95 ${typing.inputEvents.p95Ms}, max ${typing.inputEvents.maxMs} ms`,
    );
  }
  let oneFieldSave: GridCase["oneFieldSave"] = null;
  let editorGetServerMs = NaN;
  if (lines > 0) {
    const res = await s.request.get(
      `${s.origin}/workspace/b/${s.budgetId}/edit`,
    );
    await res.body();
    editorGetServerMs = await serverMs(server, res.headers()["x-request-id"]);
    const d = await getDraft(s);
    const l = d.lines[0]!;
    const r = await postOps(server, s, d.revision, [
      {
        op: "set",
        line: l.id,
        field: "note",
        from: l.values.note,
        to: `${l.values.note ?? ""}。`,
      },
    ]);
    oneFieldSave = {
      serverMs: r.serverMs,
      wallMs: r1(r.wallMs),
      replyKiB: r1(JSON.stringify(r.reply).length / 1024),
    };
    say(
      `  one field saved at ${lines} lines: server ${r.serverMs} ms; the editor page's GET: server ${editorGetServerMs} ms`,
    );
  }
  return {
    oneFieldSave,
    editorGetServerMs,
    lines,
    editorLoadMs: r1(load.loadMs),
    editorHtmlKiB: r1(load.htmlKiB),
    idle,
    wheel,
    step,
    jump,
    typing,
  };
}

/** `f` run under Chromium's CPU profiler (sampling every 200 µs) when `file` is given; the top functions printed */
export async function profiled<T>(
  s: Session,
  file: string | undefined,
  f: () => Promise<T>,
): Promise<T> {
  if (!file) return f();
  const cdp = await s.context.newCDPSession(s.page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  try {
    return await f();
  } finally {
    const { profile } = await cdp.send("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    await cdp.detach();
    printProfileTop(file);
  }
}

/**
 * `f` run under a Chromium performance trace (devtools.timeline) when `file` is given; then the renderer's main-thread
 * time by event (script, style, layout, paint, …) and the raster threads' time are printed.
 */
export async function traced<T>(
  s: Session,
  file: string | undefined,
  f: () => Promise<T>,
): Promise<T> {
  const browser = s.context.browser();
  if (!file || !browser) return f();
  await browser.startTracing(s.page, {
    path: file,
    categories: [
      "devtools.timeline",
      "disabled-by-default-devtools.timeline",
      "blink",
      "cc",
      "gpu",
    ],
  });
  try {
    return await f();
  } finally {
    await browser.stopTracing();
    printTraceSummary(file);
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

function printTraceSummary(file: string): void {
  const events = (
    JSON.parse(readFileSync(file, "utf8")) as { traceEvents: TraceEvent[] }
  ).traceEvents;
  const threads = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name" && e.args?.name)
      threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const mainThreads = [...threads]
    .filter(([, n]) => n === "CrRendererMain")
    .map(([k]) => k);
  // the page's renderer: the main thread with the most work
  const work = new Map<string, number>();
  for (const e of events)
    if (
      e.ph === "X" &&
      e.name === "RunTask" &&
      mainThreads.includes(`${e.pid}:${e.tid}`)
    )
      work.set(
        `${e.pid}:${e.tid}`,
        (work.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0),
      );
  const page = [...work].sort((a, b) => b[1] - a[1])[0]?.[0];
  const wanted = [
    "RunTask",
    "FunctionCall",
    "TimerFire",
    "FireAnimationFrame",
    "EventDispatch",
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "Layerize",
    "UpdateLayer",
    "HitTest",
    "ScrollLayer",
    "Commit",
    "MajorGC",
    "MinorGC",
    "V8.GC_SCAVENGER",
    "ProxyMain::BeginMainFrame::commit",
  ];
  const byName = new Map<string, { ms: number; n: number }>();
  const raster = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== "X") continue;
    const key = `${e.pid}:${e.tid}`;
    if (key === page && wanted.includes(e.name)) {
      const v = byName.get(e.name) ?? { ms: 0, n: 0 };
      v.ms += (e.dur ?? 0) / 1000;
      v.n++;
      byName.set(e.name, v);
    } else if (
      /Raster|Compositor|VizCompositor/.test(threads.get(key) ?? "") &&
      /RasterTask|TileManager|DrawFrame|Display|BeginFrame/.test(e.name)
    )
      raster.set(
        `${threads.get(key)} ${e.name}`,
        (raster.get(`${threads.get(key)} ${e.name}`) ?? 0) +
          (e.dur ?? 0) / 1000,
      );
  }
  say(`  trace ${file}: the page's main thread (inclusive times):`);
  for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms))
    say(
      `    ${v.ms.toFixed(0).padStart(6)} ms  ×${String(v.n).padStart(5)}  ${k}`,
    );
  for (const [k, ms] of [...raster].sort((a, b) => b[1] - a[1]).slice(0, 6))
    say(`    ${ms.toFixed(0).padStart(6)} ms  ${k}`);
}

// ---------------------------------------------------------------------------------------------------------------
// A CPU profile's top functions by self time (Chrome's format: nodes with hitCount, samples with timeDeltas)

export function printProfileTop(file: string, n = 15): void {
  const p = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: {
      id: number;
      callFrame: {
        functionName: string;
        url: string;
        lineNumber: number;
        columnNumber: number;
      };
      children?: number[];
    }[];
    samples: number[];
    timeDeltas: number[];
  };
  const nodes = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of p.nodes)
    for (const c of x.children ?? []) parent.set(c, x.id);
  const key = (id: number) => {
    const f = nodes.get(id)!.callFrame;
    return `${f.functionName || "(anonymous)"} ${f.url.split("/").at(-1) ?? ""}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    self.set(key(id), (self.get(key(id)) ?? 0) + ms);
    // each function once per sample, however often it recurs on the stack
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      seen.add(key(at));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
  });
  const show = (title: string, m: Map<string, number>) => {
    say(`  ${title}:`);
    for (const [k, ms] of [...m]
      .filter(([name]) => !/^\((root|program|idle)\)/.test(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n))
      say(
        `    ${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${k}`,
      );
  };
  say(
    `  profile ${file}: ${Math.round(total)} ms sampled (idle ${Math.round(self.get("(idle) :0:0") ?? 0)} ms, program ${Math.round(self.get("(program) :0:0") ?? 0)} ms, GC ${Math.round(self.get("(garbage collector) :0:0") ?? 0)} ms)`,
  );
  show("top self time", self);
  show("top inclusive time", inclusive);
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const load0 = loadavg();
  say(`building the browser assets …`);
  await buildAssets();
  const dir = mkdtempSync(join(tmpdir(), "gongkai-bench-editor-"));
  let server: PlatformServer | null = null;
  let browser: Browser | null = null;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping the browser and the server …`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const deadline = setTimeout(() => {
    say(`the bench ran past ${DEADLINE_MS / 60_000} minutes: stopping`);
    void cleanup().finally(() => process.exit(1));
  }, DEADLINE_MS);
  deadline.unref();
  try {
    say(`starting the platform (SQLite in ${dir}) and Chromium …`);
    server = await startPlatform({
      db: join(dir, "platform.sqlite"),
      env: { LOG_LEVEL: "info" },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const s = await openSession(browser, server);
    await resetDraft(s);

    const paste = PHASES.has("paste") ? await benchPaste(server, s) : [];
    const load1 = loadavg();
    let grid: GridCase[] = [];
    if (PHASES.has("grid")) {
      mkdirSync(DATA, { recursive: true });
      grid = [
        await measureGrid(server, s, 0, 1),
        await measureGrid(
          server,
          s,
          GRID_LINES,
          GRID_LINES,
          PROFILE
            ? join(DATA, `editor-grid-${GRID_LINES}.cpuprofile`)
            : undefined,
        ),
      ];
    }
    const load2 = loadavg();

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      chromium: browser.version(),
      cpus: (await import("node:os")).cpus().length,
      loadAverage: {
        start: load0.map(r1),
        afterPaste: load1.map(r1),
        end: load2.map(r1),
      },
      seconds: Math.round((Date.now() - started) / 1000),
      referenceLines: REFERENCE.length,
      maxLines: MAX_LINES,
      paste,
      grid,
      goals: {
        paste5000Under2s: paste.find((p) => p.rows === 5000)
          ?.savedAndValidatedMs,
        p95ScrollAndTypingAt20000: grid.find((g) => g.lines === 20_000) && {
          wheel: grid.find((g) => g.lines === 20_000)!.wheel.p95Ms,
          step: grid.find((g) => g.lines === 20_000)!.step.p95Ms,
          jump: grid.find((g) => g.lines === 20_000)!.jump.p95Ms,
          typing: grid.find((g) => g.lines === 20_000)!.typing?.p95Ms,
        },
      },
    };
    printTables(result.paste, result.grid);
    say(
      `load average (1, 5, 15 min): start ${result.loadAverage.start.join(", ")}; end ${result.loadAverage.end.join(", ")}; ${result.seconds} s`,
    );
    writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
    say(`results: ${OUT}`);
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

function printTables(
  paste: readonly PasteSummary[],
  grid: readonly GridCase[],
): void {
  const rows: string[][] = [];
  if (paste.length > 0) {
    rows.push([
      "paste rows",
      "lines after",
      "in grid ms",
      "save starts ms",
      "fetch ms",
      "server ms",
      "reply ms",
      "saved+validated ms",
      "less debounce",
      "server alone ms",
      "findings (errors)",
    ]);
    for (const p of paste)
      rows.push([
        String(p.rows),
        String(p.linesAfter),
        String(p.rowsInGridMs),
        String(p.savingStartsMs),
        String(p.fetchMs),
        String(p.serverMs),
        String(p.replyHandlingMs),
        String(p.savedAndValidatedMs),
        String(p.savedMinusDebounceMs),
        `${p.directServerMs} (${p.directWallMs} wall)`,
        `${p.findings} (${p.errors})`,
      ]);
    console.log(table(rows));
    for (const p of paste)
      console.log(
        `  ${p.rows} rows: first findings: ${p.firstFindings.join(" | ")}; server phases (in process): ${Object.entries(
          p.serverPhasesMs,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`,
      );
    console.log("");
  }
  if (grid.length > 0) {
    const g: string[][] = [
      [
        "grid lines",
        "what",
        "frames",
        "p50 ms",
        "p95 ms",
        "max ms",
        "> 33 ms",
        "long frames",
        "their ms",
        "script",
        "forced layout",
        "render",
        "input p95",
        "input max",
        "DOM rows",
      ],
    ];
    for (const c of grid)
      for (const [what, f] of [
        ["idle", c.idle],
        ["scroll: wheel", c.wheel],
        ["scroll: +200 px/frame", c.step],
        ["scroll: jumps", c.jump],
        ...(c.typing
          ? [[`typing (${c.typing.lines} lines)`, c.typing] as const]
          : []),
      ] as const)
        g.push([
          String(c.lines),
          what,
          String(f.frames),
          String(f.p50Ms),
          String(f.p95Ms),
          String(f.maxMs),
          String(f.over33),
          String(f.longFrames),
          String(f.longFrameSums.totalMs),
          String(f.longFrameSums.scriptMs),
          String(f.longFrameSums.forcedLayoutMs),
          String(f.longFrameSums.renderMs),
          String(f.inputEvents.p95Ms),
          String(f.inputEvents.maxMs),
          String(f.domRows),
        ]);
    console.log(table(g));
    const big = grid.find((c) => c.lines > 0);
    const empty = grid.find((c) => c.lines === 0);
    if (big && empty)
      console.log(
        `  p95 ratio ${big.lines} lines ÷ empty: wheel ${r1(big.wheel.p95Ms / empty.wheel.p95Ms)}×, +200 px ${r1(big.step.p95Ms / empty.step.p95Ms)}×, jumps ${r1(big.jump.p95Ms / empty.jump.p95Ms)}×, typing ${big.typing && empty.typing ? r1(big.typing.p95Ms / empty.typing.p95Ms) : "–"}×; editor load ${big.editorLoadMs} ms (${big.editorHtmlKiB} KiB HTML) vs ${empty.editorLoadMs} ms; wheel ${r1((big.wheel.wheels * 240) / SCROLL_SECONDS)} px/s; one field saved at ${big.lines} lines: server ${big.oneFieldSave?.serverMs} ms (${big.oneFieldSave?.replyKiB} KiB reply); the editor page's GET: server ${big.editorGetServerMs} ms`,
      );
  }
}

function table(rows: readonly string[][]): string {
  const w = rows[0]!.map((_, i) =>
    Math.max(...rows.map((r) => (r[i] ?? "").length)),
  );
  return rows
    .map((r, j) =>
      r
        .map((c, i) =>
          i === 0 || j === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!),
        )
        .join("  "),
    )
    .join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
