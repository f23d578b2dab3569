/**
 * The disclosure page in a real browser: Debian's Chromium, headless, driven by playwright-core. The page loads from
 * a file with no other request and no console error; axe-core finds no serious or critical violation; Chinese text
 * renders with a real CJK font; tables fit their printed pages (landscape tables on landscape pages); screenshots
 * (screen and print) and a PDF are written to a temporary folder for people to look at.
 *
 * Runs when /usr/bin/chromium exists; mandatory when CI=true (fails rather than skips). Set PAGE_SHOTS=<dir> to keep
 * the screenshots in a folder of your choice.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examplePage } from "./page-fixture.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const CI = process.env["CI"] === "true";
const available = existsSync(CHROMIUM);
if (!available) {
  if (CI) throw new Error(`CI=true but ${CHROMIUM} is missing: the browser tests are mandatory in CI (apt-get install chromium fonts-noto-cjk)`);
  console.log(`page.e2e: skipped — ${CHROMIUM} not found (apt-get install chromium fonts-noto-cjk to run the browser tests)`);
}

const MM = 96 / 25.4;
/** A4 content widths at the page margins of html-style.ts (16 mm and 14 mm each side). */
const PORTRAIT_CONTENT_PX = Math.floor((210 - 32) * MM);
const LANDSCAPE_CONTENT_PX = Math.floor((297 - 28) * MM);

interface Loaded {
  readonly page: Page;
  readonly requests: string[];
  readonly failed: string[];
  readonly consoleErrors: string[];
}

describe.runIf(available)("the disclosure page in Chromium", () => {
  let browser: Browser;
  let dir: string;
  let shots: string;
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gongkai-page-"));
    shots = process.env["PAGE_SHOTS"] ?? join(dir, "shots");
    mkdirSync(shots, { recursive: true });
    for (const [name, example, unit] of [
      ["reference", "changji-xinfang-2024", undefined],
      ["three-units", "three-units-2024", undefined],
      ["unit-103", "three-units-2024", "103"],
    ] as const) {
      const folder = join(dir, name);
      mkdirSync(folder);
      writeFileSync(join(folder, "index.html"), (await examplePage(example, unit)).html);
      pages[name] = pathToFileURL(join(folder, "index.html")).href;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    console.log(`page.e2e: screenshots and PDFs in ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(name: string, viewport = { width: 1280, height: 900 }): Promise<Loaded> {
    const page = await browser.newPage({ viewport });
    const requests: string[] = [];
    const failed: string[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("requestfailed", (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ""}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.goto(pages[name]!, { waitUntil: "load" });
    return { page, requests, failed, consoleErrors };
  }

  it.each(["reference", "three-units", "unit-103"])("%s: loads with no other request, no failed request and no console error", async (name) => {
    const { page, requests, failed, consoleErrors } = await open(name);
    expect(requests).toEqual([pages[name]]);
    expect(failed).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await page.locator("h1").innerText()).toMatch(/2024年(部门|单位)预算公开$/);
    await page.close();
  });

  it.each(["reference", "three-units"])("%s: axe-core finds no serious or critical violation", async (name) => {
    const { page } = await open(name);
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
    const result = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: JSON.stringify(v.nodes[0]?.target) }));
    });
    if (result.length) console.log(`page.e2e ${name}: axe violations (all impacts): ${JSON.stringify(result)}`);
    expect(result.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.close();
  });

  it("renders Chinese with a real CJK font (the glyphs come from Noto CJK, not a fallback box)", async () => {
    const { page } = await open("reference");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
    for (const selector of ["h1 span", "#t05-table tbody th", "#chart-income figcaption"]) {
      const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
      expect(nodeId, selector).toBeGreaterThan(0);
      const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
      const cjk = fonts.filter((f) => /Noto (Sans|Serif) CJK/.test(f.familyName));
      expect(cjk.reduce((n, f) => n + f.glyphCount, 0), `${selector}: ${JSON.stringify(fonts)}`).toBeGreaterThan(0);
    }
    await page.close();
  });

  it("fits a phone screen: wide tables scroll inside their own region, not the page", async () => {
    const { page } = await open("reference", { width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, "reference-phone.png"), fullPage: false });
    await page.close();
  });

  it("prints every table within its page width: portrait tables on A4 portrait, 表2/表7/表11 on A4 landscape", async () => {
    for (const [width, landscape] of [
      [PORTRAIT_CONTENT_PX, false],
      [LANDSCAPE_CONTENT_PX, true],
    ] as const) {
      const { page } = await open("reference", { width, height: 1000 });
      await page.emulateMedia({ media: "print" });
      const over = await page.evaluate((land) => {
        const out: string[] = [];
        for (const sheet of document.querySelectorAll<HTMLElement>(".sheet")) {
          if (sheet.classList.contains("landscape") !== land) continue;
          for (const t of sheet.querySelectorAll<HTMLElement>("table")) if (t.scrollWidth > sheet.clientWidth + 1) out.push(`${sheet.id}: ${t.scrollWidth} > ${sheet.clientWidth}`);
        }
        return out;
      }, landscape);
      expect(over, landscape ? "landscape" : "portrait").toEqual([]);
      await page.close();
    }
  });

  it("takes screenshots (screen and print) and prints a PDF with landscape pages for the wide tables", async () => {
    for (const name of ["reference", "three-units"]) {
      const { page } = await open(name);
      await page.screenshot({ path: join(shots, `${name}-screen.png`), fullPage: true });
      await page.emulateMedia({ media: "print" });
      await page.screenshot({ path: join(shots, `${name}-print.png`), fullPage: true });
      const pdfPath = join(shots, `${name}.pdf`);
      await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
      const pdf = readFileSync(pdfPath).toString("latin1");
      const boxes = [...pdf.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
      const portrait = boxes.filter(([w, h]) => Math.abs(w - 595) < 2 && Math.abs(h - 842) < 2).length;
      const landscape = boxes.filter(([w, h]) => Math.abs(w - 842) < 2 && Math.abs(h - 595) < 2).length;
      expect(portrait + landscape, name).toBe(boxes.length);
      expect(portrait, name).toBeGreaterThan(10);
      // 表2, 表7 and 表11 each start a landscape page
      expect(landscape, name).toBeGreaterThanOrEqual(3);
      for (const f of [`${name}-screen.png`, `${name}-print.png`]) expect(readFileSync(join(shots, f)).subarray(1, 4).toString()).toBe("PNG");
      await page.close();
    }
  });
});
