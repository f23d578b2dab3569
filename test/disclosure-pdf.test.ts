/**
 * disclosure.pdf of the reference example, read back the way an auditor reads a published PDF: with poppler.
 *
 * - `pdffonts`: every font is embedded (and subset, with a ToUnicode map);
 * - `pdftotext -bbox-layout`: on each table's pages, the data rows (the repeated header left out; 表1 and 表4 split
 *   into their sides by x position) equal the reference's expected/t*.csv in order, cell by cell, with print labels,
 *   whitespace and line wrapping ignored;
 * - `pdftotext`: the constructed-data note is on the cover; every paragraph of the narrative reads in order; the
 *   classified project's real name is nowhere; `pdfinfo`: title, author, subject and keywords.
 *
 * A large synthetic department (600 line items, 54 projects, one classified) reads without a content-stream error on
 * any of its pages, with its classified project's real name nowhere.
 *
 * These tests need poppler-utils. They are skipped, with the reason printed, when `pdftotext` is missing, except under
 * CI=true, where they fail.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { PAGE_MARGINS } from "../src/adapters/render/pdf-style.ts";
import { generateDepartment } from "../bench/province-generator.ts";
import { renderDisclosurePdf } from "../src/adapters/render/pdf-document.ts";
import { pdfMeasure } from "../src/adapters/render/pdf-fonts.ts";
import { tableLayout } from "../src/adapters/render/pdf-table.ts";
import { buildDisclosure, type BuildResult } from "../src/app/build-disclosure.ts";
import { blockText } from "../src/domain/narrative-model.ts";
import type { NarrativeSection } from "../src/domain/narrative-model.ts";
import type { ComputedTable } from "../src/domain/table-engine.ts";
import { copyExample, csvDiff, readCsvFile, REFERENCE_EXPECTED, ROOT, runCli } from "./cli-harness.ts";

const HAVE_POPPLER = spawnSync("pdftotext", ["-v"]).error === undefined;
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI) console.warn("disclosure-pdf.test.ts: skipped — pdftotext (poppler-utils) is not installed; it is mandatory under CI=true");

interface Word {
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}
interface Page {
  readonly width: number;
  readonly height: number;
  readonly words: Word[];
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** Pages and words of `pdftotext -bbox-layout`. */
function readBboxLayout(xhtml: string): Page[] {
  const pages: Page[] = [];
  for (const m of xhtml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words = [...m[3]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: unescapeXml(w[5]!),
    }));
    pages.push({ width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

/** Words grouped into visual lines (same baseline), top to bottom, each line left to right. */
function visualLines(words: readonly Word[]): Word[][] {
  const sorted = [...words].sort((a, b) => a.yMax - b.yMax || a.xMin - b.xMin);
  const lines: Word[][] = [];
  for (const w of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last[0]!.yMax - w.yMax) < 1.5) last.push(w);
    else lines.push([w]);
  }
  for (const l of lines) l.sort((a, b) => a.xMin - b.xMin);
  return lines;
}

const squash = (s: string) => s.replace(/\s+/g, "");

/**
 * The data rows of one table page, per side: the running header and footer (outside the page margins) and the title
 * dropped, then the header lines (every word a piece of a printed header label), then lines grouped into rows —
 * a cell's wrapped lines abut, while rows are apart by the cell paddings and rule — and words put into the printed
 * column whose x range holds their start.
 */
function pageRows(page: Page, t: ComputedTable, layout: ReturnType<typeof tableLayout>, csvWidth: number): { side: string | null; rows: string[][] }[] {
  const inBody = page.words.filter((w) => w.yMin > PAGE_MARGINS[1] - 4 && w.yMax < page.height - PAGE_MARGINS[3] + 4);
  const labels = [...new Set(layout.columns.flatMap((c) => c.path))].map(squash);
  const isLabelPiece = (w: Word) => labels.some((l) => l.includes(squash(w.text)));
  const title = squash(`${t.number}${t.title}`);
  // the rounding note under a table is not one of its rows (test/rounding-notes.test.ts checks where it prints)
  const note = squash(projectData.template("xinjiang-2024")!.data.sentences["rounding_note"] ?? "");
  let lines = visualLines(inBody).filter((l) => squash(l.map((w) => w.text).join("")) !== note);
  // on the title page, what precedes the title (a part heading) and the title itself
  const at = lines.findIndex((l) => squash(l.map((w) => w.text).join("")) === title);
  if (at >= 0) lines = lines.slice(at + 1);
  let first = 0;
  while (first < lines.length && lines[first]!.every(isLabelPiece)) first++;
  expect(first, `${t.number}: no header found on a page`).toBeGreaterThan(0);
  const data = lines.slice(first).flat();
  const sides = layout.sides.length ? layout.sides : [{ name: null, from: 0, to: layout.columns.length }];
  return sides.map((side) => {
    const left = layout.x[side.from]![0];
    const right = layout.x[side.to - 1]![1];
    const words = data.filter((w) => w.xMin >= left && w.xMin < right);
    const rows: string[][] = [];
    let bottom = -Infinity;
    for (const line of visualLines(words)) {
      const top = Math.min(...line.map((w) => w.yMin));
      if (top - bottom > 2 || rows.length === 0) {
        const row = Array<string>(csvWidth).fill("");
        const sideCol = t.columns.findIndex((c) => c.role === "side");
        if (side.name !== null && sideCol >= 0) row[sideCol] = side.name;
        rows.push(row);
      }
      const row = rows[rows.length - 1]!;
      for (const w of line) {
        const k = layout.x.findIndex(([x0, x1], i) => i >= side.from && i < side.to && w.xMin >= x0 && w.xMin < x1);
        expect(k, `${t.number}: word ${w.text} at x=${w.xMin} outside every column`).toBeGreaterThanOrEqual(0);
        const col = layout.columns[k]!.csvIndex;
        row[col] += w.text;
      }
      bottom = Math.max(...line.map((w) => w.yMax));
    }
    return { side: side.name, rows };
  });
}

function walk(sections: readonly NarrativeSection[], visit: (s: NarrativeSection) => void): void {
  for (const s of sections) {
    visit(s);
    walk(s.subsections, visit);
  }
}

describe.skipIf(!HAVE_POPPLER && !CI)("disclosure.pdf of the reference example, read with poppler", () => {
  let pdf = "";
  let pages: Page[] = [];
  let text = "";
  let result: BuildResult;
  let budgetText = "";

  beforeAll(async () => {
    if (!HAVE_POPPLER) throw new Error("CI=true but pdftotext (poppler-utils) is not installed: the PDF tests are mandatory in CI");
    const dir = copyExample("changji-xinfang-2024");
    const out = join(dir, "..", "out");
    const r = runCli(["build", join(dir, "budget.yaml"), "--out", out, "--format", "pdf"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    pdf = join(out, "disclosure.pdf");
    pages = readBboxLayout(execFileSync("pdftotext", ["-bbox-layout", pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 }));
    text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
    budgetText = readFileSync(join(dir, "budget.yaml"), "utf8");
    const budget = await readBudgetFile(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"));
    if (!budget.ok) throw new Error("example budget unreadable");
    const b = buildDisclosure(projectData, budget.budget);
    if (!b.ok) throw new Error("example budget refused");
    result = b.result;
  });

  it("embeds every font, as a subset with a ToUnicode map", () => {
    const lines = execFileSync("pdffonts", [pdf], { encoding: "utf8" }).trim().split("\n").slice(2);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const l of lines) {
      // name type encoding emb sub uni object ID: the three flags come before the object number
      const flags = /\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      expect(flags, l).not.toBeNull();
      expect(flags!.slice(1, 4), l).toEqual(["yes", "yes", "yes"]);
      expect(l).toMatch(/NotoSansSC/);
    }
  });

  it("is A4 and carries its metadata", () => {
    const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
    const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, "m").exec(info)?.[1]?.trim() ?? "";
    expect(field("Title")).toBe("昌吉回族自治州信访局2024年部门预算公开");
    expect(field("Author")).toBe("昌吉回族自治州信访局");
    expect(field("Subject")).toContain("2024年");
    expect(field("Keywords")).toContain("部门预算公开");
    expect(field("Page size")).toMatch(/^595\.28 x 841\.89 pts \(A4\)/);
  });

  it("puts the constructed-data note on the cover", () => {
    const cover = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-enc", "UTF-8", pdf, "-"], { encoding: "utf8" });
    expect(result.disclosure.constructed).toBeTruthy();
    expect(squash(cover)).toContain(squash(result.disclosure.constructed!));
    expect(squash(cover)).toContain("昌吉回族自治州信访局2024年部门预算公开");
  });

  it("has a running header and a page footer on every page", () => {
    pages.forEach((p, i) => {
      const lines = visualLines(p.words).map((l) => squash(l.map((w) => w.text).join("")));
      expect(lines[0], `page ${i + 1}`).toBe("编制部门：昌吉回族自治州信访局单位：万元");
      expect(lines[lines.length - 1], `page ${i + 1}`).toBe(`第${i + 1}页共${pages.length}页`);
    });
  });

  it("has a table of contents with the page of every table", () => {
    const toc = squash(execFileSync("pdftotext", ["-f", "2", "-l", "3", "-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }));
    expect(toc).toContain("目录");
    for (const t of result.disclosure.tables) {
      const start = pages.findIndex((p) => visualLines(p.words).some((l) => squash(l.map((w) => w.text).join("")) === squash(`${t.number}${t.title}`)));
      expect(start, t.number).toBeGreaterThan(0);
      expect(toc).toContain(`${squash(`${t.number}${t.title}`)}${start + 1}`);
    }
  });

  const TABLES = readdirSync(REFERENCE_EXPECTED)
    .filter((f) => /^t\d\d\.csv$/.test(f))
    .sort();

  it("covers every expected table", () => {
    expect(TABLES).toHaveLength(11);
  });

  it.each(TABLES)("%s: the data rows of its pages equal the reference cell by cell", (file) => {
    const id = file.replace(/\.csv$/, "");
    const t = result.disclosure.tables.find((x) => x.id === id);
    expect(t, id).toBeDefined();
    const layout = tableLayout(t!, result.disclosure.template.printUnit, pdfMeasure());
    const titleOf = (p: Page) => visualLines(p.words).some((l) => squash(l.map((w) => w.text).join("")) === squash(`${t!.number}${t!.title}`));
    const start = pages.findIndex(titleOf);
    expect(start, `${t!.number} title not found`).toBeGreaterThan(0);
    // the table's pages: its title page and the pages after it that open with its header
    const labels = [...new Set(layout.columns.flatMap((c) => c.path))].map(squash);
    const tablePages: Page[] = [pages[start]!];
    for (let i = start + 1; i < pages.length; i++) {
      const lines = visualLines(pages[i]!.words.filter((w) => w.yMin > PAGE_MARGINS[1] - 4));
      if (!lines[0] || !lines[0].every((w) => labels.some((l) => l.includes(squash(w.text))))) break;
      tablePages.push(pages[i]!);
    }
    const landscape = t!.orientation === "landscape";
    for (const p of tablePages) {
      expect(p.width > p.height, `${t!.number} orientation`).toBe(landscape);
      for (const w of p.words) expect(w.xMax, `${t!.number}: ${w.text} beyond the right margin`).toBeLessThanOrEqual(p.width - PAGE_MARGINS[2] + 1);
    }
    const want = readCsvFile(join(REFERENCE_EXPECTED, file));
    const width = want[0]!.length;
    expect(width).toBe(t!.columns.length);
    const bySide = new Map<string | null, string[][]>();
    for (const p of tablePages) for (const s of pageRows(p, t!, layout, width)) bySide.set(s.side, [...(bySide.get(s.side) ?? []), ...s.rows]);
    const got = [want[0]!, ...[...bySide.values()].flat()];
    expect(csvDiff(got, want)).toEqual([]);
    expect(got.length).toBe(want.length);
  });

  it("reads every paragraph of the narrative in order", () => {
    const body = squash(text.replace(/编制部门：\S+\s*单位：万元/g, "").replace(/第\s*\d+\s*页\s*共\s*\d+\s*页/g, ""));
    let checked = 0;
    for (const part of result.narrative!.parts)
      walk(part.sections, (s) => {
        for (const b of s.blocks) {
          const words = squash(blockText(b));
          if (words === "") continue;
          for (const line of blockText(b).split("\n")) {
            expect(body, line).toContain(squash(line));
            checked++;
          }
        }
      });
    expect(checked).toBeGreaterThan(50);
  });

  it("never prints the classified project's real name", () => {
    const secretName = /code: "?8910002U"?\s*\n\s*name: (.+)/.exec(budgetText)?.[1]?.trim();
    expect(secretName).toBeTruthy();
    expect(squash(text)).toContain("特定目标8910002U");
    expect(squash(text)).not.toContain(squash(secretName!));
  });
});

describe.skipIf(!HAVE_POPPLER && !CI)("disclosure.pdf of a large synthetic department, read with poppler", () => {
  const budget = generateDepartment(4);
  let pdf = "";
  beforeAll(async () => {
    if (!HAVE_POPPLER) throw new Error("CI=true but pdftotext (poppler-utils) is not installed: the PDF tests are mandatory in CI");
    const b = buildDisclosure(projectData, budget);
    if (!b.ok) throw new Error("synthetic department refused");
    pdf = join(mkdtempSync(join(tmpdir(), "gongkai-pdf-")), "disclosure.pdf");
    writeFileSync(pdf, await renderDisclosurePdf({ result: b.result, findings: b.result.findings }));
  });

  it("has many pages, some landscape, and no content-stream error on any", () => {
    const r = spawnSync("pdftotext", ["-bbox-layout", pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const pages = readBboxLayout(r.stdout);
    expect(budget.projects.length).toBeGreaterThan(50);
    expect(pages.length).toBeGreaterThan(40);
    expect(pages.some((p) => p.width > p.height)).toBe(true);
    expect(pages.every((p) => p.words.every((w) => w.xMax <= p.width - PAGE_MARGINS[2] + 1))).toBe(true);
  });

  it("never prints a classified project's real name", () => {
    const text = squash(execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 }));
    const classified = budget.projects.filter((p) => p.classified);
    expect(classified.length).toBeGreaterThan(0);
    for (const p of classified) {
      expect(text).not.toContain(squash(p.name));
      expect(text).toContain(squash(p.public_label ?? ""));
    }
  });
});
