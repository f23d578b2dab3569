/**
 * The editor in Chromium, beyond the preparer's walk of platform.e2e: two people in the same draft at once, the grid
 * with the keyboard alone, and axe-core on the editor's page at a phone's and a desktop's width.
 *
 * One server (as `npm start` runs it, seeded with the reference: department 415001's 2024 budget published); the
 * preparer starts a correction, so the budget is a draft again, and the preparer and the administrator (who may edit
 * any department's draft) each open it in a browser context of their own — two people, two sessions.
 *
 * Runs when /usr/bin/chromium exists; mandatory when CI=true.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, browserAvailable, describeViolations, DESKTOP, launchChromium, newPage, PHONE, seriousViolations } from "../browser-harness.ts";
import { startPlatform, type PlatformServer } from "./platform-server.ts";

const available = browserAvailable("editor.e2e");
const LOGINS = { preparer: "demo-preparer-2024", admin: "demo-admin-2024" } as const;
const SAVED = /^已保存（第 \d+ 版）。$/;

const cell = (page: Page, row: number, field: string): Locator => page.locator("#editor-grid .tabulator-row").nth(row).locator(`.tabulator-cell[tabulator-field="${field}"]`);
const shown = async (c: Locator) => (await c.innerText()).split("\n")[0]!.trim();

async function type(page: Page, c: Locator, value: string): Promise<void> {
  await c.dblclick();
  await c.locator("input").fill(value);
  await c.locator("input").press("Enter");
  await page.keyboard.press("Escape");
}

const saved = (page: Page) => expect.poll(() => page.locator("#editor-status").innerText(), { timeout: 20_000 }).toMatch(SAVED);

describe.runIf(available)("the editor in Chromium: two people at once, the keyboard alone, axe", () => {
  let server: PlatformServer;
  let browser: Browser;
  let edit: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function signedIn(user: keyof typeof LOGINS, viewport = DESKTOP, opts: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: "zh-CN", ...opts });
    contexts.push(context);
    const { page, problems: p } = await newPage(context);
    page.on("close", () => problems.push(...p.map((x) => `${user}: ${x}`)));
    await page.goto(`${server.origin}/login`);
    await page.locator("#username").fill(user);
    await page.locator("#password").fill(LOGINS[user]);
    await Promise.all([page.waitForURL(`${server.origin}/workspace`), page.locator("main form").getByRole("button", { name: "登录" }).click()]);
    return page;
  }

  async function openEditor(page: Page): Promise<void> {
    await page.goto(`${server.origin}${edit}`);
    await page.locator("#editor-grid .tabulator-row").first().waitFor();
  }

  /** the draft's lines as the server has them */
  async function serverLines(page: Page): Promise<{ id: string; values: Record<string, string | null> }[]> {
    const id = edit.split("/")[3];
    const r = await page.request.get(`${server.origin}/api/v1/workspace/budgets/${id}/draft`);
    expect(r.status()).toBe(200);
    return ((await r.json()) as { lines: { id: string; values: Record<string, string | null> }[] }).lines;
  }

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongkai-editor-e2e-"));
    server = await startPlatform({ db: join(dir, "editor.sqlite") });
    browser = await launchChromium();
    // the preparer starts a correction of the published 2024 budget: a draft to edit
    const page = await signedIn("preparer");
    const link = page.locator('main a[href^="/workspace/b/"]').first();
    const budget = (await link.getAttribute("href"))!;
    await page.goto(`${server.origin}${budget}`);
    await Promise.all([page.waitForURL(`${server.origin}${budget}?done=correct`), page.getByRole("button", { name: "开始更正", exact: true }).click()]);
    edit = `${budget}/edit`;
    await page.close();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it("two people edit different rows at once: both keep their work, and each sees the other's", async () => {
    const a = await signedIn("preparer");
    const b = await signedIn("admin");
    await openEditor(a);
    await openEditor(b);
    // both pages opened at the same revision; each changes a row of its own
    const before = await serverLines(a);
    await type(a, cell(a, 0, "amount"), "786751.00");
    await saved(a);
    await type(b, cell(b, 1, "note"), "管理员的备注");
    await saved(b);
    const after = await serverLines(a);
    expect(after[0]!.values.amount).toBe("786751.00");
    expect(after[1]!.values.note).toBe("管理员的备注");
    expect(after.slice(2)).toEqual(before.slice(2));
    // the second save brought the first one's change to the second page, in place
    expect(await shown(cell(b, 0, "amount"))).toBe("786,751.00");
    // and the first page sees the second's change when it next saves (or opens the editor again)
    await openEditor(a);
    expect(await shown(cell(a, 1, "note"))).toBe("管理员的备注");
    await a.close();
    await b.close();
  }, 120_000);

  it("two people change the same field: the second is told what changed, keeps their input, and may apply it", async () => {
    const a = await signedIn("preparer");
    const b = await signedIn("admin");
    await openEditor(a);
    await openEditor(b);
    await type(a, cell(a, 2, "amount"), "391201.00");
    await saved(a);
    await type(b, cell(b, 2, "amount"), "391202.00");
    // the save lands with a conflict: the other person's value in the grid, the second person's input in the view
    const conflicts = b.locator("#editor-conflicts");
    await conflicts.waitFor({ state: "visible", timeout: 20_000 });
    expect(await b.locator("#editor-status").innerText()).toBe("已保存，但有 1 处与他人的修改冲突，请在下方处理。");
    const text = await conflicts.locator(".conflict p").innerText();
    expect(text).toBe("第 3 行 · 金额（元）：他人已改为“391201.00”。您的输入：“391202.00”");
    expect(await shown(cell(b, 2, "amount"))).toBe("391,201.00");
    expect((await serverLines(b))[2]!.values.amount).toBe("391201.00");
    // nothing is overwritten silently: the second person chooses, and their input is applied
    await conflicts.getByRole("button", { name: "改用我的输入" }).click();
    await saved(b);
    expect(await conflicts.isHidden()).toBe(true);
    expect((await serverLines(b))[2]!.values.amount).toBe("391202.00");
    expect(await shown(cell(b, 2, "amount"))).toBe("391,202.00");
    await a.close();
    await b.close();
  }, 120_000);

  it("the grid with the keyboard alone: Tab into it, arrows to a cell, Enter, type, Enter; Ctrl+Z undoes it", async () => {
    const page = await signedIn("preparer");
    await openEditor(page);
    const holder = page.locator("#editor-grid .tabulator-tableholder");
    // Tab from the toolbar reaches the grid
    await page.locator("#editor-redo").focus();
    let steps = 0;
    while (!(await holder.evaluate((e) => e.contains(document.activeElement))) && steps++ < 20) await page.keyboard.press("Tab");
    expect(steps, "Tab reaches the grid's rows").toBeLessThan(20);
    // Tab went through the column filters to the first row's first cell; the arrows go to the fourth row's amount,
    // and the focus goes with the selection
    expect(await page.evaluate(() => document.activeElement?.getAttribute("tabulator-field"))).toBe("unit");
    const amountColumn = await page.locator("#editor-grid .tabulator-col[tabulator-field]").evaluateAll((cols) => cols.map((c) => c.getAttribute("tabulator-field")));
    for (let i = 0; i < amountColumn.indexOf("amount") - amountColumn.indexOf("unit"); i++) await page.keyboard.press("ArrowRight");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    const target = cell(page, 3, "amount");
    expect(await target.evaluate((e) => e.classList.contains("tabulator-range-only-cell-selected") || e.classList.contains("tabulator-range-selected"))).toBe(true);
    expect(await target.evaluate((e) => e === document.activeElement)).toBe(true);
    const was = await shown(target);
    await page.keyboard.press("Enter");
    await target.locator("input").waitFor();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("140601");
    await page.keyboard.press("Enter");
    await saved(page);
    expect(await shown(target)).toBe("140,601.00");
    expect((await serverLines(page))[3]!.values.amount).toBe("140601.00");
    // the focus is back on the cell after the edit: Ctrl+Z from there
    expect(await target.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press("Control+z");
    await expect.poll(() => shown(target)).toBe(was);
    await saved(page);
    expect((await serverLines(page))[3]!.values.amount).toBe(was.replace(/,/g, ""));
    // and Tab leaves the rows for the next field of the page (no keyboard trap)
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("#editor-grid") === null)).toBe(true);
    await page.close();
  }, 120_000);

  for (const [width, viewport] of [
    ["390 px", PHONE],
    ["1280 px", DESKTOP],
  ] as const) {
    it(`the editor's pages (明细, 上年数与原因) at ${width}: axe-core finds no serious or critical violation; no page scrolls sideways`, async () => {
      const page = await signedIn("preparer", viewport, { bypassCSP: true });
      const failures: string[] = [];
      for (const [name, path] of [
        ["lines", edit],
        ["reasons", `${edit}/reasons`],
      ] as const) {
        if (name === "lines") await openEditor(page);
        else await page.goto(`${server.origin}${path}`);
        if (process.env["PAGE_SHOTS"]) await page.screenshot({ path: join(process.env["PAGE_SHOTS"], `editor-${name}-${viewport.width}.png`), fullPage: true });
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (sideways > 0) failures.push(`${path}: the page (not a table or grid inside it) is ${sideways} px wider than the viewport`);
        const violations = await axeViolations(page);
        console.log(`editor.e2e axe ${width} ${path}: ${describeViolations(violations)}`);
        failures.push(...seriousViolations(path, violations));
      }
      expect(failures).toEqual([]);
      await page.close();
    }, 120_000);
  }

  it("no page had a script error, a console error or a server error", () => {
    expect(problems).toEqual([]);
  });
});
