/**
 * The disclosure page in a real browser: Debian's Chromium, headless, driven by playwright-core. The page loads from
 * a file with no other request and no console error; axe-core finds no violation (of any impact); Chinese text
 * renders with a real CJK font; tables fit their printed pages (landscape tables on landscape pages); screenshots
 * (screen and print) and a PDF are written to a temporary folder for people to look at.
 *
 * On a 390 px phone and a 1280 px desktop (screenshots `<example>-390.png`, `<example>-1280.png`): no table title,
 * 单位 line or cell is outside the viewport or its own scroll box, the caption and the key columns stay in view when
 * a wide table is scrolled, nothing needs scrolling at 1280 px, performance-table cells never hold one character a
 * line, chart labels print at a legible size; and the page built by the CLI links every file of its build.
 *
 * Runs when /usr/bin/chromium exists; mandatory when CI=true (fails rather than skips). Set PAGE_SHOTS=<dir> to keep
 * the screenshots in a folder of your choice.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, browserAvailable, launchChromium } from "./browser-harness.ts";
import { runCli } from "./cli-harness.ts";
import { examplePage } from "./page-fixture.ts";

const available = browserAvailable("page.e2e");

const MM = 96 / 25.4;
/** A4 content widths at the page margins of html-style.ts (16 mm and 14 mm each side). */
const PORTRAIT_CONTENT_PX = Math.floor((210 - 32) * MM);
const LANDSCAPE_CONTENT_PX = Math.floor((297 - 28) * MM);

/** Every file under a folder, by its path relative to it. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix)).flatMap((f) => (statSync(join(dir, prefix, f)).isDirectory() ? filesUnder(dir, `${prefix}${f}/`) : [`${prefix}${f}`]));
}

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
  /** the output folders of full CLI builds */
  const outs: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gongkai-page-"));
    shots = process.env["PAGE_SHOTS"] ?? join(dir, "shots");
    mkdirSync(shots, { recursive: true });
    // the two examples as the CLI builds them, every format, so that the page's links can be followed
    for (const [name, example] of [
      ["reference", "changji-xinfang-2024"],
      ["three-units", "three-units-2024"],
    ] as const) {
      const out = join(dir, name);
      const r = runCli(["build", `examples/${example}`, "--out", out], { timeoutMs: 180_000 });
      if (r.status !== 0 && r.status !== 1) throw new Error(`build ${example}: exit ${r.status}: ${r.stderr}`);
      outs[name] = out;
      pages[name] = pathToFileURL(join(out, "index.html")).href;
    }
    for (const [name, example, unit] of [["unit-103", "three-units-2024", "103"]] as const) {
      const folder = join(dir, name);
      mkdirSync(folder);
      writeFileSync(join(folder, "index.html"), (await examplePage(example, unit)).html);
      pages[name] = pathToFileURL(join(folder, "index.html")).href;
    }
    browser = await launchChromium();
    console.log(`page.e2e: screenshots and PDFs in ${shots}`);
  }, 400_000);

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

  it.each(["reference", "three-units"])("%s: axe-core finds no violation of any impact", async (name) => {
    const { page } = await open(name);
    const result = await axeViolations(page);
    if (result.length) console.log(`page.e2e ${name}: axe violations (all impacts): ${JSON.stringify(result)}`);
    expect(result).toEqual([]);
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

  describe.each(["reference", "three-units"])("%s on a phone and a desktop", (name) => {
    it.each([390, 1280])("at %i px: every table title, 单位 line and cell is inside the viewport or its own scroll box (screenshot)", async (width) => {
      const { page } = await open(name, { width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      const problems = await page.evaluate((desktop) => {
        const out: string[] = [];
        const vw = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > vw) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
        const report = (e: Element, what: string) => out.push(`${e.closest("[id]")?.id ?? "?"} ${e.tagName.toLowerCase()}.${e.className} “${(e.textContent ?? "").trim().slice(0, 16)}”: ${what}`);
        // reports an element not inside a box (visible: the client area within the viewport; scroll: the whole scrollable width)
        const within = (e: Element, box: { left: number; right: number }, what: string) => {
          const r = e.getBoundingClientRect();
          if (r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5)) report(e, what);
        };
        const visible = (wrap: HTMLElement) => {
          // the client area, cut to the viewport
          const r = wrap.getBoundingClientRect();
          return { left: Math.max(0, r.left + wrap.clientLeft), right: Math.min(vw, r.left + wrap.clientLeft + wrap.clientWidth) };
        };
        for (const wrap of document.querySelectorAll<HTMLElement>(".table-wrap")) {
          const table = wrap.querySelector("table");
          if (!table) continue;
          const box = visible(wrap);
          if (box.right - box.left < wrap.clientWidth - 0.5) report(table, "its box is outside the viewport");
          if (desktop && wrap.scrollWidth > wrap.clientWidth + 1) report(table, `clipped at the desktop width (${wrap.scrollWidth} > ${wrap.clientWidth})`);
          // every cell can be reached inside the box: none beyond the box's scroll area
          const scroll = { left: box.left - wrap.scrollLeft, right: box.left - wrap.scrollLeft + wrap.scrollWidth };
          for (const c of table.querySelectorAll("th, td")) within(c, scroll, "outside its scroll box");
          const sheet = wrap.closest(".sheet");
          const heads = [...table.querySelectorAll("caption .t-no, caption .t-title, caption .t-dept, caption .t-unit")];
          if (sheet) for (const h of sheet.querySelectorAll(".perf-head .t-title, .perf-head .t-meta span")) heads.push(h);
          const keys = table.querySelector("tr.r-pair") ? [] : [...table.querySelectorAll("td.code, th.name, .pf-name")];
          // the title, 编制部门 and 单位 lines, and the code and name columns, stay in view with the box scrolled either way
          for (const to of [0, wrap.scrollWidth]) {
            wrap.scrollLeft = to;
            for (const h of heads) within(h, box, `not in view (box scrolled to ${wrap.scrollLeft})`);
            for (const k of keys) within(k, box, `a key column scrolled out of view (box scrolled to ${wrap.scrollLeft})`);
          }
          wrap.scrollLeft = 0;
        }
        return out;
      }, width >= 1280);
      expect(problems.slice(0, 25), `${problems.length} problems`).toEqual([]);
      await page.close();
    });

    it.each([390, 768, 1280])("at %i px: performance-table cells never break one character a line; headers and short terms keep to one line", async (width) => {
      const { page } = await open(name, { width, height: 900 });
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        const cells = [...document.querySelectorAll<HTMLElement>(".perf-sheet th, .perf-sheet td")];
        if (cells.length === 0) out.push("no performance table");
        for (const cell of cells) {
          const text = (cell.textContent ?? "").replace(/\s+/g, "");
          if ([...text].length < 2) continue;
          // the characters of each line box, by each character's position
          const lines = new Map<number, number>();
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const s = n.textContent ?? "";
            for (let i = 0; i < s.length; i++) {
              if (/\s/.test(s[i]!)) continue;
              const range = document.createRange();
              range.setStart(n, i);
              range.setEnd(n, i + 1);
              const r = range.getBoundingClientRect();
              if (r.width === 0) continue;
              const top = Math.round(r.top);
              const key = [...lines.keys()].find((t) => Math.abs(t - top) <= 3) ?? top;
              lines.set(key, (lines.get(key) ?? 0) + 1);
            }
          }
          const counts = [...lines.values()];
          const where = `${cell.closest("[id]")?.id ?? "?"} ${cell.tagName.toLowerCase()}.${cell.className} “${text.slice(0, 16)}”`;
          if (counts.some((c) => c === 1)) out.push(`${where}: a line of one character (${counts.join("/")})`);
          const term = cell.closest("thead") !== null || /\bpf-(level1|level2|comparator|value|unit|weight|last_year)\b/.test(cell.className);
          if (term && counts.length > 1) out.push(`${where}: a term broken over ${counts.length} lines`);
        }
        return out;
      });
      expect(problems.slice(0, 25), `${problems.length} problems`).toEqual([]);
      await page.close();
    });
  });

  it.each(["reference", "three-units"])("%s at 390 px: chart labels print at 11 px or more, inside the picture", async (name) => {
    const { page } = await open(name, { width: 390, height: 844 });
    const labels = await page.evaluate(() =>
      [...document.querySelectorAll<SVGTextElement>("figure.chart svg text")].map((t) => {
        const svg = t.ownerSVGElement!;
        const scale = svg.getScreenCTM()!.a;
        const r = t.getBoundingClientRect();
        const box = svg.getBoundingClientRect();
        return {
          text: t.textContent ?? "",
          px: Math.round(parseFloat(getComputedStyle(t).fontSize) * scale * 10) / 10,
          inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.right <= window.innerWidth,
        };
      }),
    );
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.filter((l) => l.px < 11 || !l.inside)).toEqual([]);
    await page.close();
  });

  it.each(["reference", "three-units"])("%s: the page links every file its build wrote, by relative paths that resolve", async (name) => {
    const out = outs[name]!;
    const written = filesUnder(out).filter((f) => f !== "index.html");
    const { page } = await open(name);
    const links = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLAnchorElement>("a[href]")].filter((a) => !a.getAttribute("href")!.startsWith("#")).map((a) => ({ href: a.getAttribute("href")!, url: a.href, text: a.textContent ?? "" })),
    );
    for (const l of links) {
      expect(l.href, "relative").not.toMatch(/^(\/|[a-z]+:)/i);
      expect(existsSync(fileURLToPath(l.url)), `${l.href} resolves to a written file`).toBe(true);
    }
    const linked = new Set(links.map((l) => fileURLToPath(l.url).slice(out.length + 1)));
    expect([...written].filter((f) => !linked.has(f)), "written files without a link").toEqual([]);
    // near the top: before the table of contents, each format named in Chinese
    const order = await page.evaluate(() => {
      const dl = document.querySelector("nav.downloads");
      const toc = document.querySelector("nav.toc");
      return dl && toc ? dl.compareDocumentPosition(toc) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeGreaterThan(0);
    const named = Object.fromEntries(links.map((l) => [l.href, l.text]));
    expect(named["disclosure.pdf"]).toMatch(/PDF/);
    expect(named["disclosure.docx"]).toMatch(/Word/);
    expect(named["disclosure.xlsx"]).toMatch(/Excel/);
    expect(named["tables/t01.csv"]).toMatch(/^表1 /);
    expect(named["datapackage.json"]).toMatch(/开放数据/);
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
