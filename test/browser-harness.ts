/**
 * Test helpers for the browser tests (Debian's Chromium, headless, driven by playwright-core): where Chromium is and
 * how it starts, whether the tests run (when it exists; mandatory when CI=true: missing, the suite fails rather than
 * skips), a page that records what went wrong on it, and axe-core run on a page.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Whether the browser tests can run here; `what` names the test file in the message printed when they cannot. */
export function browserAvailable(what: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available) {
    if (process.env["CI"] === "true") throw new Error(`CI=true but ${CHROMIUM} is missing: the browser tests are mandatory in CI (apt-get install chromium fonts-noto-cjk)`);
    console.log(`${what}: skipped — ${CHROMIUM} not found (apt-get install chromium fonts-noto-cjk to run the browser tests)`);
  }
  return available;
}

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** A page that records console errors, page errors and server errors (5xx) for the test to assert on. */
export async function newPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    // the platform has no favicon: Chromium's own request for it answers 404 (not the page's doing)
    if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message} ${process.env.GONGKAI_ASSETS_DEBUG === "1" ? e.stack : ""}`));
  page.on("response", (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
  });
  return { page, problems };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
  readonly first: string;
}

/**
 * axe-core's violations on the page as it is now. The platform's pages forbid scripts (CSP script-src 'none', the
 * editor's 'self'): the context must be made with `bypassCSP: true` for axe to be injected.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, first: JSON.stringify(v.nodes[0]?.target) }));
  });
}

/** "serious ×2 …" lines for the violations of serious or critical impact (what the tests refuse) */
export const seriousViolations = (where: string, violations: readonly AxeViolation[]): string[] =>
  violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${where}: ${v.impact} ${v.id} ×${v.nodes} ${v.first} — ${v.help}`);

export const describeViolations = (violations: readonly AxeViolation[]): string =>
  violations.length === 0 ? "no violation" : violations.map((v) => `${v.impact} ${v.id} (${v.nodes} nodes, first ${v.first}): ${v.help}`).join("; ");
