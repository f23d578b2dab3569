/**
 * The platform end to end in a real browser (Debian's Chromium, headless, driven by playwright-core): the server as
 * `npm start` runs it (GONGKAI_SEED=reference: region 652300, the demo users, department 415001 with its 2024 budget
 * published), then, through the pages only —
 *
 *   preparer signs in → uploads the input workbook (`gongkai workbook` of the reference budget, moved to 2023) →
 *   sees the findings → writes the acknowledgement of the warnings → 提交审核 → signs out; approver → 审核通过;
 *   reviewer → 发布公开; anyone → the region lists the department with 2023 → the disclosure page names the
 *   department and 2023 → its PDF downloads (200, application/pdf, %PDF-).
 *
 * The whole flow runs twice, each on a server and database of its own: with JavaScript and with JavaScript disabled
 * (the platform needs none). A full-page screenshot of each step goes to PAGE_SHOTS (or a temporary folder, printed),
 * also the public pages at 390 px. axe-core finds no serious or critical violation on the public pages and the sign-in
 * page (lesser ones are printed).
 *
 * Runs when /usr/bin/chromium exists; mandatory when CI=true (fails rather than skips).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, browserAvailable, describeViolations, DESKTOP, launchChromium, newPage, PHONE, seriousViolations } from "../browser-harness.ts";
import { ROOT, runCli } from "../cli-harness.ts";
import { startPlatform, type PlatformServer } from "./platform-server.ts";

const available = browserAvailable("platform.e2e");

const REGION = "652300";
const DEPARTMENT = { code: "415001", name: "昌吉回族自治州信访局" };
const YEAR = 2023;
const LOGINS = {
  preparer: { password: "demo-preparer-2024", role: "编制人" },
  approver: { password: "demo-approver-2024", role: "部门审核人" },
  reviewer: { password: "demo-reviewer-2024", role: "财政审核人" },
} as const;
/**
 * The public pages (the seeded 2024 disclosure as well as the 2023 one the flow publishes, so the department's trend
 * has two years), the portal's search, comparisons and status, and the sign-in page, in Chinese and one in English.
 */
const PUBLIC_PAGES = [
  "/",
  `/r/${REGION}/`,
  `/r/${REGION}/d/${DEPARTMENT.code}/`,
  `/r/${REGION}/d/${DEPARTMENT.code}/${YEAR}/`,
  `/r/${REGION}/d/${DEPARTMENT.code}/2024/`,
  `/search?q=${encodeURIComponent("信访")}`,
  "/search?q=2010301",
  `/r/${REGION}/d/${DEPARTMENT.code}/trend/`,
  `/r/${REGION}/2024/compare/`,
  `/r/${REGION}/2024/status/`,
  `/r/${REGION}/2024/compare/?lang=en`,
  "/login",
  "/audit-pdf",
];

/**
 * Presses a form's button and follows the answer (a 303 to `to`); when the server answers otherwise, fails with the
 * status, the page reached and what its main text says, rather than a navigation timeout.
 */
async function press(page: Page, button: Locator, to: string | RegExp, what: string): Promise<void> {
  const posted = page.waitForResponse((r) => r.request().method() === "POST" && r.request().isNavigationRequest(), { timeout: 30_000 });
  await button.click();
  const res = await posted;
  await page.waitForURL(to, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForLoadState("load");
  const landed = page.url();
  if (typeof to === "string" ? landed !== to : !to.test(landed)) {
    const text = await page
      .locator("main")
      .innerText()
      .catch(() => "");
    throw new Error(
      `${what}: POST ${new URL(res.url()).pathname} answered ${res.status()} (expected 303 to ${String(to)}), the browser is on ${landed}: “${text.replace(/\s+/g, " ").trim().slice(0, 400)}”`,
    );
  }
}

async function signOut(page: Page, origin: string): Promise<void> {
  await press(page, page.locator(".site-header").getByRole("button", { name: "退出" }), `${origin}/`, "退出 (signing out)");
  expect(await page.locator(".who").innerText()).toContain("登录");
}

/** Presses an action button on the budget's page; lands on the page again with its done message. */
async function act(page: Page, origin: string, budget: string, button: string, action: string, done: string): Promise<void> {
  await press(page, page.getByRole("button", { name: button, exact: true }), `${origin}${budget}?done=${action}`, button);
  expect(await page.locator("main [role=status]").innerText()).toBe(done);
}

/** 收入总计 of the disclosure's first table (收支总表), in 万元 */
async function receiptsTotal(page: Page): Promise<number> {
  const row = page.locator("main table").first().locator("tr", { hasText: "收入总计" }).first();
  const cells = await row.locator("td, th").allInnerTexts();
  const i = cells.findIndex((c) => c.includes("收入总计"));
  const v = Number((cells[i + 1] ?? "").replace(/,/g, ""));
  expect(Number.isFinite(v) && v > 0, `收入总计 in ${JSON.stringify(cells)}`).toBe(true);
  return v;
}

const PASTED_ECON = ["30101", "30102", "30103", "30107", "30112", "30199", "30201", "30202", "30207", "30211", "30217", "30228", "30229", "30231", "30239", "30299", "30201", "30202", "30207", "30211"];

/**
 * The editor, as a preparer uses it: a block of 20 line items pasted from a spreadsheet (tab-separated, in the
 * workbook's column order, amounts with thousands separators, codes with their leading zeros); an amount mistyped
 * so that a finding appears; its link jumps to the cell; the fix makes it go.
 */
async function editLines(page: Page, origin: string, budget: string, snap: (name: string) => Promise<void>): Promise<void> {
  await page.goto(`${origin}${budget}/edit`);
  await page.locator("#editor-grid .tabulator-row").first().waitFor();
  const before = Number(await page.locator("#editor-count").innerText());
  expect(await page.locator("#editor-grid").getAttribute("aria-rowcount")).toBe(String(before + 1));
  await snap("03a-editor");
  const tsv = PASTED_ECON.map((econ, i) => ["001", "基本支出", "2010301", econ, "一般公共预算（本级一般财力）", "1,000.00", "", `粘贴第 ${i + 1} 行`].join("\t")).join("\r\n") + "\r\n";
  // a new row at the end, selected at its first cell, and the block pasted there
  await page.getByRole("button", { name: "添加行" }).click();
  await expect.poll(() => page.locator("#editor-count").innerText()).toBe(String(before + 1));
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    document.getElementById("editor-grid")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, tsv);
  await expect.poll(() => page.locator("#editor-count").innerText()).toBe(String(before + 20));
  expect(await page.locator("#editor-status").innerText()).toMatch(/^(已粘贴 20 行（新增 19 行）。|正在保存…|有未保存的修改…|已保存（第 \d+ 版）。)$/);
  await expect.poll(() => page.locator("#editor-status").innerText(), { timeout: 20_000 }).toMatch(/^已保存（第 \d+ 版）。$/);
  await snap("03b-pasted");
  // the first line's amount mistyped with three decimals: an error at that cell
  const amount = page.locator("#editor-grid .tabulator-row").first().locator('.tabulator-cell[tabulator-field="amount"]');
  const original = (await amount.innerText()).split("\n")[0]!.replace(/,/g, "").trim();
  await amount.dblclick();
  await amount.locator("input").fill("786750.005");
  await amount.locator("input").press("Enter");
  const finding = page.locator("#editor-findings li.finding-error a").first();
  await finding.waitFor({ timeout: 20_000 });
  // while an error stands the editor's submit is refused (the server refuses it too: budget-workflow tests)
  expect(await page.locator("#editor-submit button[type=submit]").isDisabled()).toBe(true);
  expect(await page.locator("#editor-submit-blocked").innerText()).toMatch(/^还有 [1-9]\d* 个错误，改正后才能提交。$/);
  await snap("03c-finding");
  await page.locator("#editor-grid .tabulator-tableholder").evaluate((e) => e.scrollTo({ top: e.scrollHeight }));
  await finding.click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("tabulator-field") ?? null)).toBe("amount");
  expect(await page.evaluate(() => document.activeElement?.classList.contains("cell-error") ?? false)).toBe(true);
  await snap("03d-jumped");
  await amount.dblclick();
  await amount.locator("input").fill(original);
  await amount.locator("input").press("Enter");
  await expect.poll(() => page.locator("#editor-findings li.finding-error").count(), { timeout: 20_000 }).toBe(0);
  await expect.poll(() => page.locator("#editor-status").innerText(), { timeout: 20_000 }).toMatch(/^已保存（第 \d+ 版）。$/);
  expect(await page.locator("#editor-submit button[type=submit]").isDisabled()).toBe(false);
  expect(await page.locator("#editor-submit-blocked").isVisible()).toBe(false);
  await snap("03e-fixed");
}

/**
 * Submits from the editor, the warnings acknowledged in writing — right after typing a note, before it is saved: the
 * editor saves it first, and the submitted draft has it.
 */
async function submitFromEditor(page: Page, origin: string, budget: string, snap: (name: string) => Promise<void>): Promise<void> {
  const note = page.locator("#editor-grid .tabulator-row").first().locator('.tabulator-cell[tabulator-field="note"]');
  await note.dblclick();
  await note.locator("input").fill("提交前最后一次修改");
  await note.locator("input").press("Enter");
  // typed, not filled: a click from a cell's editor to the acknowledgement must give it the keyboard
  const warnings = Number(/警告 (\d+) 个/.exec(await page.locator("#editor-finding-count").innerText())![1]);
  const ack = page.locator("#ack-submit");
  expect(await ack.isVisible()).toBe(warnings > 0);
  if (warnings > 0) {
    expect(await page.locator("#ack-label").innerText()).toBe(`对 ${warnings} 个警告的书面说明（必填）`);
    await ack.click();
    await page.keyboard.type(ACKNOWLEDGEMENT);
    expect(await ack.inputValue()).toBe(ACKNOWLEDGEMENT);
  }
  await snap("03f-submit");
  await press(page, page.locator("#editor-submit").getByRole("button", { name: "提交审核" }), `${origin}${budget}?done=submit`, "提交审核 (from the editor)");
  expect(await page.locator("main [role=status]").innerText()).toBe("已提交部门审核。");
  const draft = (await (await page.request.get(`${origin}/api/v1/workspace/budgets/${budget.split("/").pop()}/draft`)).json()) as { lines: { values: { note: string | null } }[] };
  expect(draft.lines[0]?.values.note).toBe("提交前最后一次修改");
}

const ACKNOWLEDGEMENT = "所列警告为部门原文的原因说明与数字方向不一致，已核对，按原文公开。";

describe.runIf(available)("the platform in Chromium: upload → submit → approve → publish → the public pages", () => {
  let browser: Browser;
  let dir: string;
  let shots: string;
  let workbook: string;
  const servers: Partial<Record<"js" | "nojs", PlatformServer>> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gongkai-platform-e2e-"));
    shots = process.env["PAGE_SHOTS"] ?? join(dir, "shots");
    mkdirSync(shots, { recursive: true });
    // the reference budget moved to 2023: the seed publishes its 2024, so 2023 is a new draft of department 415001
    const yaml = readFileSync(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"), "utf8");
    const moved = yaml.replace(/^ {2}year: 2024$/m, `  year: ${YEAR}`).replace(/^ {2}date: "2024-02-23"$/m, `  date: "${YEAR}-02-23"`);
    expect(moved.match(/^ {2}(year|date): .*$/gm)).toEqual([`  year: ${YEAR}`, `  date: "${YEAR}-02-23"`]);
    writeFileSync(join(dir, "budget.yaml"), moved);
    workbook = join(dir, "填报.xlsx");
    const made = runCli(["workbook", "--from", join(dir, "budget.yaml"), "--out", workbook]);
    expect(made.status, made.stderr).toBe(0);
    // the workbook checks clean of errors (its warnings are the reference's: reasons that contradict the numbers)
    const checked = runCli(["check", workbook]);
    expect(checked.status, `${checked.stdout}\n${checked.stderr}`).toBe(0);
    expect(checked.stdout).toMatch(/错误（0）/);
    const [js, nojs] = await Promise.all([startPlatform({ db: join(dir, "js.sqlite") }), startPlatform({ db: join(dir, "nojs.sqlite") })]);
    servers.js = js;
    servers.nojs = nojs;
    browser = await launchChromium();
    console.log(`platform.e2e: screenshots in ${shots} (servers ${js.origin}, ${nojs.origin})`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }, 30_000);

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({
      path: join(shots, `${name}.png`),
      fullPage: true,
    });
  }

  async function signIn(page: Page, origin: string, username: keyof typeof LOGINS, shotName?: string): Promise<void> {
    await page.goto(`${origin}/login`);
    await expect.poll(() => page.locator("h1").innerText()).toBe("登录");
    await page.locator("#username").fill(username);
    await page.locator("#password").fill(LOGINS[username].password);
    if (shotName) await shot(page, shotName);
    await press(page, page.locator("main form").getByRole("button", { name: "登录" }), `${origin}/workspace`, `signing in as ${username}`);
    expect(await page.locator(".who").innerText()).toContain(`（${LOGINS[username].role}）`);
  }

  async function flow(mode: "js" | "nojs"): Promise<void> {
    const server = servers[mode]!;
    const origin = server.origin;
    const context = await browser.newContext({
      viewport: DESKTOP,
      javaScriptEnabled: mode === "js",
      acceptDownloads: true,
      locale: "zh-CN",
    });
    const { page, problems } = await newPage(context);
    const s = (n: string) => `${mode}-${n}`;
    try {
      // the preparer uploads the workbook
      await signIn(page, origin, "preparer", s("01-login"));
      expect(await page.locator("h1").innerText()).toBe("工作台");
      const option = page.locator("#departmentId option", {
        hasText: DEPARTMENT.code,
      });
      await page.locator("#departmentId").selectOption(await option.getAttribute("value"));
      await page.locator("#year").selectOption(String(YEAR));
      await page.locator("#file").setInputFiles(workbook);
      await shot(page, s("02-workspace"));
      await press(page, page.getByRole("button", { name: "上传并检查" }), new RegExp(`^${origin}/workspace/b/\\d+\\?done=upload$`), "上传并检查 (the upload of 填报.xlsx)");
      const budget = new URL(page.url()).pathname;
      expect(await page.locator("main [role=status]").innerText()).toBe("已上传并检查。");
      const h1 = await page.locator("h1").innerText();
      expect(h1).toContain(DEPARTMENT.name);
      expect(h1).toContain(`${YEAR} 年部门预算`);
      expect(h1).toContain("草稿");
      expect(await page.locator("main").innerText()).toContain("文件：填报.xlsx");
      // the findings: no error, the reference's warnings listed with their places
      const findings = await page.getByRole("heading", { name: /^检查结果/ }).innerText();
      const m = /^检查结果（错误 (\d+)，警告 (\d+)）$/.exec(findings);
      expect(m, findings).not.toBeNull();
      expect(Number(m![1])).toBe(0);
      const uploadedWarnings = Number(m![2]);
      const rows = page.locator("main table tbody tr");
      expect(await rows.count()).toBeGreaterThanOrEqual(uploadedWarnings);
      if (uploadedWarnings > 0) expect(await rows.filter({ hasText: "警告" }).count()).toBe(uploadedWarnings);
      await shot(page, s("03-uploaded"));
      // submits, acknowledging the warnings in writing: with JavaScript from the editor after editing the lines,
      // without it from the budget's page
      let warnings = uploadedWarnings;
      if (mode === "js") {
        await editLines(page, origin, budget, (n) => shot(page, s(n)));
        await submitFromEditor(page, origin, budget, (n) => shot(page, s(n)));
      } else {
        const ack = page.locator("textarea[name=acknowledgement]");
        expect(await ack.count()).toBe(warnings > 0 ? 1 : 0);
        if (warnings > 0) await ack.fill(ACKNOWLEDGEMENT);
        await act(page, origin, budget, "提交审核", "submit", "已提交部门审核。");
      }
      const after = /^检查结果（错误 (\d+)，警告 (\d+)）$/.exec(await page.getByRole("heading", { name: /^检查结果/ }).innerText());
      expect(after && Number(after[1]), "no error left after the edits").toBe(0);
      warnings = Number(after![2]);
      expect(await page.locator("h1 .state").innerText()).toBe("已提交");
      if (warnings > 0) expect(await page.locator("main").innerText()).toContain("编制人对警告的说明：所列警告");
      await shot(page, s("04-submitted"));
      await signOut(page, origin);

      // the department's approver approves
      await signIn(page, origin, "approver");
      await page.locator(`main a[href="${budget}"]`).click();
      await page.waitForURL(`${origin}${budget}`);
      await act(page, origin, budget, "审核通过", "approve", "已审核通过，等待财政审核发布。");
      expect(await page.locator("h1 .state").innerText()).toBe("部门已审核");
      await shot(page, s("05-approved"));
      await signOut(page, origin);

      // the region's finance reviewer publishes
      await signIn(page, origin, "reviewer");
      await page.goto(`${origin}${budget}`);
      await act(page, origin, budget, "发布公开", "publish", "已发布公开。");
      expect(await page.locator("h1 .state").innerText()).toBe("已公开");
      expect(await page.locator(`main a[href="/r/${REGION}/d/${DEPARTMENT.code}/${YEAR}/v/1/"]`).innerText()).toBe("第 1 版");
      await shot(page, s("06-published"));
      await signOut(page, origin);

      // anyone: the region lists the department with 2023, the disclosure page, its PDF
      await page.goto(`${origin}/r/${REGION}/`);
      const row = page.locator("main table tbody tr", {
        hasText: DEPARTMENT.name,
      });
      expect(await row.count()).toBe(1);
      expect(await row.locator("td").nth(1).innerText()).toBe(DEPARTMENT.code);
      expect(await row.locator("td").nth(2).innerText()).toMatch(new RegExp(`\\b${YEAR}\\b.*\\b2024\\b`));
      await shot(page, s("07-region"));
      await row.getByRole("link", { name: String(YEAR), exact: true }).click();
      const disclosure = `${origin}/r/${REGION}/d/${DEPARTMENT.code}/${YEAR}/`;
      await page.waitForURL(disclosure);
      const title = await page.title();
      expect(title).toContain(DEPARTMENT.name);
      expect(title).toContain(String(YEAR));
      const heading = await page.locator("h1").first().innerText();
      expect(heading).toContain(DEPARTMENT.name);
      expect(heading).toContain(`${YEAR}年`);
      await shot(page, s("08-disclosure"));
      // the figures the editor changed: 20 pasted lines of 1,000.00 元 each put 2.00 万元 on the total of 2024's
      const total2023 = await receiptsTotal(page);
      await page.goto(`${origin}/r/${REGION}/d/${DEPARTMENT.code}/2024/`);
      const total2024 = await receiptsTotal(page);
      await page.goto(disclosure);
      expect(Math.round((total2023 - total2024) * 100)).toBe(mode === "js" ? 200 : 0);
      const pdfLink = page.locator('a[href="disclosure.pdf"]').first();
      expect(await pdfLink.innerText()).toMatch(/PDF/);
      const pdfUrl = new URL((await pdfLink.getAttribute("href"))!, disclosure).href;
      expect(pdfUrl).toBe(`${disclosure}disclosure.pdf`);
      const res = await context.request.get(pdfUrl);
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toBe("application/pdf");
      const pdf = await res.body();
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(pdf.length).toBeGreaterThan(10_000);
      // and a click on the link downloads it under a name that says whose, which year and which version
      const [download] = await Promise.all([page.waitForEvent("download"), pdfLink.click()]);
      expect(download.suggestedFilename()).toBe(`${DEPARTMENT.code}-${YEAR}-v1-disclosure.pdf`);
      const saved = join(dir, `${mode}-download.pdf`);
      await download.saveAs(saved);
      expect(readFileSync(saved).equals(pdf)).toBe(true);
      if (mode === "js") await correct(page, origin, budget, disclosure, total2023, s);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }

  /**
   * A correction made in the editor: the preparer starts it, raises the first line by 10,000.00 元 and submits; the
   * approver approves; the reviewer publishes version 2 with the reason; the public page is version 2 with 1.00 万元
   * more, says so, and its change log names the reason and the changed cell; version 1 stays as it was.
   */
  async function correct(page: Page, origin: string, budget: string, disclosure: string, total1: number, s: (n: string) => string): Promise<void> {
    await signIn(page, origin, "preparer");
    await page.goto(`${origin}${budget}`);
    await act(page, origin, budget, "开始更正", "correct", "已开始更正：请在线编辑或上传更正后的文件。");
    expect(await page.locator("h1 .state").innerText()).toBe("更正中");
    await page.goto(`${origin}${budget}/edit`);
    const amount = page.locator("#editor-grid .tabulator-row").first().locator('.tabulator-cell[tabulator-field="amount"]');
    await amount.waitFor();
    const was = Number((await amount.innerText()).split("\n")[0]!.replace(/,/g, "").trim());
    await amount.dblclick();
    await amount.locator("input").fill(String(was + 10_000));
    await amount.locator("input").press("Enter");
    await expect.poll(() => page.locator("#editor-status").innerText(), { timeout: 20_000 }).toMatch(/^已保存（第 \d+ 版）。$/);
    await shot(page, s("10-correction-edited"));
    await submitFromEditor(page, origin, budget, (n) => shot(page, s(`10-correction-${n}`)));
    await signOut(page, origin);
    await signIn(page, origin, "approver");
    await page.goto(`${origin}${budget}`);
    await act(page, origin, budget, "审核通过", "approve", "已审核通过，等待财政审核发布。");
    await signOut(page, origin);
    await signIn(page, origin, "reviewer");
    await page.goto(`${origin}${budget}`);
    const reason = "更正：第一行工资福利支出少列 1 万元。";
    await page.locator("#reason-publish").fill(reason);
    await act(page, origin, budget, "发布公开", "publish", "已发布公开。");
    expect(await page.locator(`main a[href="/r/${REGION}/d/${DEPARTMENT.code}/${YEAR}/v/2/"]`).innerText()).toBe("第 2 版");
    await signOut(page, origin);
    await page.goto(disclosure);
    expect(await page.locator("aside[role=note]").innerText()).toContain(`本页为第 2 版`);
    expect(await page.locator("aside[role=note]").innerText()).toContain(`更正理由：${reason}`);
    expect(Math.round((await receiptsTotal(page)) * 100) - Math.round(total1 * 100)).toBe(100);
    await shot(page, s("11-corrected"));
    await page.locator("aside[role=note] a", { hasText: "查看更正说明" }).click();
    await page.waitForURL(`${disclosure}changes/`);
    const log = await page.locator("main").innerText();
    expect(log).toContain("第 2 版（更正第 1 版）");
    expect(log).toContain(reason);
    // the changed cell, before and after, in 万元 as the tables print it
    expect(log).toContain(total1.toFixed(2));
    expect(log).toContain((total1 + 1).toFixed(2));
    await shot(page, s("12-change-log"));
    await page.goto(`${disclosure}v/1/`);
    expect(Math.round((await receiptsTotal(page)) * 100)).toBe(Math.round(total1 * 100));
  }

  it("with JavaScript: the preparer uploads the workbook, edits and submits it in the editor; the approver approves; the reviewer publishes; the public pages and the PDF; a correction made in the editor publishes version 2 with its change log", async () => {
    await flow("js");
  }, 240_000);

  it("with JavaScript disabled: the same flow works (every action is a link or a form)", async () => {
    await flow("nojs");
  }, 180_000);

  // the public pages at a phone's and a desktop's width: a screenshot of each (viewed by whoever changes a page), the
  // page itself never scrolls sideways, and axe-core finds no serious or critical violation (lesser ones printed)
  for (const [width, viewport] of [
    ["390 px", PHONE],
    ["1280 px", DESKTOP],
  ] as const) {
    it(`the public pages at ${width}: screenshots, no sideways scrolling, axe-core clean`, async () => {
      const origin = servers.js!.origin;
      // the platform's pages forbid scripts (CSP script-src 'none'): axe is injected past the policy
      const context = await browser.newContext({ viewport, locale: "zh-CN", bypassCSP: true });
      const failures: string[] = [];
      const prefix = viewport === PHONE ? "phone" : "desktop";
      try {
        for (const [i, path] of PUBLIC_PAGES.entries()) {
          const { page, problems } = await newPage(context);
          const res = await page.goto(`${origin}${path}`);
          if (res?.status() !== 200) {
            failures.push(`${path}: ${res?.status()}${path.includes(`/${YEAR}/`) ? " (published by the flow test above)" : ""}`);
            await page.close();
            continue;
          }
          await shot(page, `${prefix}-${String(i + 1).padStart(2, "0")}-${path.replace(/[/?=&%]+/g, "_").replace(/^_|_$/g, "") || "home"}`);
          const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (sideways > 0) failures.push(`${path}: the page is ${sideways} px wider than the ${width} viewport`);
          failures.push(...problems.map((p) => `${path}: ${p}`));
          const violations = await axeViolations(page);
          console.log(`platform.e2e axe ${width} ${path}: ${describeViolations(violations)}`);
          failures.push(...seriousViolations(path, violations));
          await page.close();
        }
      } finally {
        await context.close();
      }
      expect(failures).toEqual([]);
    }, 180_000);
  }
});
