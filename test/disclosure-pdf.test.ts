/**
 * disclosure.pdf of the reference example, read back the way an auditor reads a published PDF: with poppler.
 *
 * - `pdffonts`: the two faces, 宋体 Noto Serif SC Regular and 黑体 Noto Sans SC Bold, each embedded as a subset with a
 *   ToUnicode map, and no other font;
 * - `pdftotext -bbox-layout`: on each table's pages, the data rows (the unit line and the repeated header left out;
 *   表1 and 表4 split into their sides by x position) equal the reference's expected/t*.csv in order, cell by cell,
 *   with print labels, whitespace and line wrapping ignored; the line 编制部门：… 单位：万元 directly above the header
 *   of every table page and on no other page; 表1's and 表4's header rows as the seed prints them (支出功能分类 one
 *   label over code and name, not one ideograph a line); a page number on every page but the cover; no paragraph of
 *   the narrative split with a single line on either side of a page break;
 * - `pdftotext`: the constructed-data note is on the cover; every paragraph of the narrative reads in order; the
 *   classified project's real name is nowhere; `pdfinfo`: title, author, subject and keywords.
 *
 * A large synthetic department (600 line items, 54 projects, one classified) reads without a content-stream error on
 * any of its pages, with its classified project's real name nowhere. A narrative of paragraphs one to nine lines long
 * puts page breaks at every position in a paragraph: none leaves a widow or an orphan line.
 *
 * These tests need poppler-utils. They are skipped, with the reason printed, when `pdftotext` is missing, except under
 * CI=true, where they fail.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseBboxLayout, type BboxPage, type BboxWord } from "../src/adapters/audit/pdf-text.ts";
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

type Word = BboxWord;
type Page = BboxPage;

/** Pages and words of `pdftotext -bbox-layout` (the parser lives with the auditor's PDF reader). */
const readBboxLayout = parseBboxLayout;

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
const lineOf = (l: readonly Word[]) => squash(l.map((w) => w.text).join(""));
const isPageNumber = (s: string) => /^第\d+页共\d+页$/.test(s);

/** The texts the PDF sets as paragraphs (pdfParagraph): each paragraph, each list item, a fields block's title and each field. */
function paragraphTexts(narrative: { parts: readonly { sections: readonly NarrativeSection[] }[] }): string[] {
  const out: string[] = [];
  for (const part of narrative.parts)
    walk(part.sections, (s) => {
      for (const b of s.blocks) {
        if (b.kind === "paragraph") out.push(blockText(b));
        else if (b.kind === "list") out.push(...b.items.map((item) => item.map((r) => r.text).join("")));
        else if (b.kind === "fields") {
          const title = b.title.map((r) => r.text).join("");
          if (title !== "") out.push(title);
          out.push(...b.fields.map((f) => `${f.label}：${f.value.map((r) => r.text).join("")}`));
        }
      }
    });
  return out.map(squash).filter((t) => t !== "");
}

/**
 * Where each paragraph's lines are: the body lines of all pages (what is outside the page margins left out: the page
 * number, and the running header the PDF once had) in reading order, matched in order
 * against the paragraphs' texts — a paragraph's lines are consecutive lines whose texts make up exactly its text.
 * Returns, per paragraph found, the page of each of its lines.
 */
function paragraphPages(pages: readonly Page[], paragraphs: readonly string[]): number[][] {
  const lines: { page: number; text: string }[] = [];
  pages.forEach((p, i) => {
    for (const l of visualLines(p.words.filter((w) => w.yMin > PAGE_MARGINS[1] - 4 && w.yMax < p.height - PAGE_MARGINS[3] + 4))) lines.push({ page: i, text: lineOf(l) });
  });
  const found: number[][] = [];
  let cursor = 0;
  for (const text of paragraphs) {
    for (let i = cursor; i < lines.length; i++) {
      if (lines[i]!.text === "" || !text.startsWith(lines[i]!.text)) continue;
      let j = i;
      let got = lines[i]!.text;
      while (got.length < text.length && j + 1 < lines.length && text.startsWith(got + lines[j + 1]!.text)) got += lines[++j]!.text;
      if (got !== text) continue;
      found.push(lines.slice(i, j + 1).map((l) => l.page));
      cursor = j + 1;
      break;
    }
  }
  return found;
}

/** Paragraphs split across pages with fewer than two of their lines on one of those pages (a widow or an orphan). */
function widowsAndOrphans(placed: readonly number[][]): string[] {
  const bad: string[] = [];
  for (const pagesOfLines of placed) {
    const counts = new Map<number, number>();
    for (const p of pagesOfLines) counts.set(p, (counts.get(p) ?? 0) + 1);
    if (counts.size > 1 && [...counts.values()].some((n) => n < 2))
      bad.push(`${pagesOfLines.length} lines on pages ${[...counts].map(([p, n]) => `${p + 1} (${n})`).join(", ")}`);
  }
  return bad;
}

/**
 * The data rows of one table page, per side: the running header and footer (outside the page margins) and the title
 * dropped, then the header lines (every word a piece of a printed header label), then lines grouped into rows —
 * a cell's wrapped lines abut, while rows are apart by the cell paddings and rule — and words put into the printed
 * column whose x range holds their start.
 */
/** The reference example's department, as its unit line names it. */
const projectDepartment = "昌吉回族自治州信访局";

function pageRows(page: Page, t: ComputedTable, layout: ReturnType<typeof tableLayout>, csvWidth: number): { side: string | null; rows: string[][] }[] {
  const inBody = page.words.filter((w) => w.yMin > PAGE_MARGINS[1] - 4 && w.yMax < page.height - PAGE_MARGINS[3] + 4);
  const labels = [...new Set(layout.columns.flatMap((c) => c.path))].map(squash);
  const isLabelPiece = (w: Word) => labels.some((l) => l.includes(squash(w.text)));
  const title = squash(`${t.number}${t.title}`);
  // the rounding note under a table is not one of its rows (test/rounding-notes.test.ts checks where it prints)
  const note = squash(projectData.template("xinjiang-2024")!.data.sentences["rounding_note"] ?? "");
  // the unit line above the header (checked on its own below) is not a header line or a row either
  const unitLine = squash(`编制部门：${projectDepartment}单位：万元`);
  let lines = visualLines(inBody).filter((l) => squash(l.map((w) => w.text).join("")) !== note && lineOf(l) !== unitLine);
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

/** The PostScript names of the fonts `pdffonts` lists (of the pages `args` name), each asserted embedded, subset and with a ToUnicode map. */
function pdfFontNames(pdf: string, args: readonly string[] = []): string[] {
  return execFileSync("pdffonts", [...args, pdf], { encoding: "utf8" })
    .trim()
    .split("\n")
    .slice(2)
    .map((l) => {
      // name type encoding emb sub uni object ID: the three flags come before the object number
      const flags = /\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      expect(flags, l).not.toBeNull();
      expect(flags!.slice(1, 4), l).toEqual(["yes", "yes", "yes"]);
      // a subset's name is its tag, +, the font's PostScript name
      return /^[A-Z]{6}\+(\S+)/.exec(l)?.[1] ?? l;
    })
    .sort();
}

/** Runs of plain text. */
const runsOf = (t: string) => [{ kind: "text" as const, text: t }];

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

  it("sets text in 宋体 and headings in 黑体: Noto Serif SC Regular and Noto Sans SC Bold, each embedded as a subset with a ToUnicode map", () => {
    expect(pdfFontNames(pdf)).toEqual(["NotoSansSC-Bold", "NotoSerifSC-Regular"]);
    // the glossary's page: its heading in 黑体, its text in 宋体
    const glossary = pages.findIndex((p) => visualLines(p.words).some((l) => lineOf(l) === "第四部分名词解释"));
    expect(glossary).toBeGreaterThan(0);
    expect(pdfFontNames(pdf, ["-f", String(glossary + 1), "-l", String(glossary + 1)])).toEqual(["NotoSansSC-Bold", "NotoSerifSC-Regular"]);
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

  it("numbers every page but the cover", () => {
    pages.forEach((p, i) => {
      const lines = visualLines(p.words).map(lineOf);
      if (i === 0) expect(lines.filter(isPageNumber), "the cover").toEqual([]);
      else expect(lines[lines.length - 1], `page ${i + 1}`).toBe(`第${i + 1}页共${pages.length}页`);
    });
  });

  /** The pages of a table: its title page and the pages after it that open with its unit line and header. */
  const tablePagesOf = (t: ComputedTable): number[] => {
    const layout = tableLayout(t, result.disclosure.template.printUnit, pdfMeasure());
    const labels = [...new Set(layout.columns.flatMap((c) => c.path))].map(squash);
    const start = pages.findIndex((p) => visualLines(p.words).some((l) => lineOf(l) === squash(`${t.number}${t.title}`)));
    expect(start, `${t.number} title not found`).toBeGreaterThan(0);
    const out = [start];
    for (let i = start + 1; i < pages.length; i++) {
      const lines = visualLines(pages[i]!.words.filter((w) => w.yMin > PAGE_MARGINS[1] - 4)).filter((l) => lineOf(l) !== UNIT_LINE);
      if (!lines[0] || !lines[0].every((w) => labels.some((l) => l.includes(squash(w.text))))) break;
      out.push(i);
    }
    return out;
  };
  const UNIT_LINE = "编制部门：昌吉回族自治州信访局单位：万元";

  it("prints 编制部门：… 单位：万元 directly above the header of every table page, across the table, and on no other page", () => {
    const expected = new Map<number, ComputedTable>();
    for (const t of result.disclosure.tables) for (const i of tablePagesOf(t)) expected.set(i, t);
    expect(expected.size).toBeGreaterThan(result.disclosure.tables.length); // 表2 runs onto a second page
    pages.forEach((p, i) => {
      const lines = visualLines(p.words);
      const at = lines.map((l, k) => (lineOf(l) === UNIT_LINE ? k : -1)).filter((k) => k >= 0);
      const t = expected.get(i);
      if (t === undefined) {
        // the cover names the department on its own line, without a unit; the narrative never prints the unit line
        expect(at, `page ${i + 1}`).toEqual([]);
        expect(lines.some((l) => lineOf(l).startsWith("编制部门：") && lineOf(l).includes("单位：")), `page ${i + 1}`).toBe(false);
        return;
      }
      expect(at, `${t.number}, page ${i + 1}`).toHaveLength(1);
      const k = at[0]!;
      // what is above it: the table's title on its first page, nothing on the pages it runs onto
      const above = lines.slice(0, k).map(lineOf);
      expect(above, `${t.number}, page ${i + 1}`).toEqual(i === tablePagesOf(t)[0] ? [...(k > 1 ? [above[0]!] : []), squash(`${t.number}${t.title}`)] : []);
      // what is below it: the first line of the header
      const layout = tableLayout(t, result.disclosure.template.printUnit, pdfMeasure());
      const labels = [...new Set(layout.columns.flatMap((c) => c.path))].map(squash);
      expect(lines[k + 1]!.every((w) => labels.some((l) => l.includes(squash(w.text)))), `${t.number}, page ${i + 1}: ${lineOf(lines[k + 1]!)}`).toBe(true);
      // the department at the table's left edge, the unit at its right edge
      const line = lines[k]!;
      expect(Math.abs(line[0]!.xMin - layout.x[0]![0]), `${t.number}, page ${i + 1}`).toBeLessThan(1.5);
      expect(Math.abs(line[line.length - 1]!.xMax - layout.x[layout.x.length - 1]![1]), `${t.number}, page ${i + 1}`).toBeLessThan(1.5);
    });
  });

  it.each(["t01", "t04"])("%s: prints its header rows as the seed does, 支出功能分类 one label over the code and the name", (id) => {
    const t = result.disclosure.tables.find((x) => x.id === id)!;
    const page = pages[tablePagesOf(t)[0]!]!;
    const lines = visualLines(page.words);
    const k = lines.findIndex((l) => lineOf(l) === UNIT_LINE);
    // the seed: 收入 支出 / 项目 预算数 支出功能分类 预算数 (表4: 财政拨款收入 财政拨款支出 / 项目 合计 支出功能分类 合计 …)
    const header = lines.slice(k + 1, k + 5).map((l) => l.map((w) => w.text));
    const sides = id === "t01" ? ["收入", "支出"] : ["财政拨款收入", "财政拨款支出"];
    expect(header[0]).toEqual(sides);
    const second = header.slice(1).find((l) => l.includes("支出功能分类"));
    expect(second, JSON.stringify(header)).toBeDefined();
    expect(second!.slice(0, 4)).toEqual(id === "t01" ? ["项目", "预算数", "支出功能分类", "预算数"] : ["项目", "合计", "支出功能分类", "合计"]);
    // centred over the code and name columns of the 支出 side together
    const layout = tableLayout(t, result.disclosure.template.printUnit, pdfMeasure());
    const word = lines.flat().find((w) => w.text === "支出功能分类")!;
    const code = layout.columns.findIndex((c) => c.side === "支出" && c.column.role === "code1");
    const name = layout.columns.findIndex((c) => c.side === "支出" && c.column.role === "name");
    expect(name).toBe(code + 1);
    expect((word.xMin + word.xMax) / 2).toBeCloseTo((layout.x[code]![0] + layout.x[name]![1]) / 2, -1);
    expect(word.xMin).toBeGreaterThan(layout.x[code]![0]);
    expect(word.xMax).toBeLessThan(layout.x[name]![1]);
  });

  it("never leaves a single line of a paragraph alone at the foot or the head of a page", () => {
    const paragraphs = paragraphTexts(result.narrative!);
    const placed = paragraphPages(pages, paragraphs);
    // every paragraph found, so none escapes the check
    expect(placed.length).toBe(paragraphs.length);
    expect(widowsAndOrphans(placed)).toEqual([]);
  });

  it("never leaves a single line of a paragraph alone at a page break, for paragraphs of one to nine lines at every offset", async () => {
    // sections of paragraphs one to nine lines long (a line holds about 46 ideographs), so that page breaks fall
    // at every position in a paragraph
    const sentence = "本部门按照预算管理要求统筹安排资金，保障机构正常运转和各项业务工作顺利开展，";
    const paragraph = (lines: number) => sentence.repeat(lines * 2).slice(0, lines * 46 - 8) + "。";
    const lengths = Array.from({ length: 56 }, (_, n) => ((n * 5) % 9) + 1);
    const sections: NarrativeSection[] = Array.from({ length: 7 }, (_, k) => ({
      id: `s${k + 1}`,
      title: `${"一二三四五六七"[k]}、第${k + 1}节`,
      blocks: Array.from({ length: 8 }, (_j, j) => ({ kind: "paragraph" as const, runs: runsOf(paragraph(lengths[k * 8 + j]!)) })),
      subsections: [],
    }));
    const narrative = { title: result.narrative!.title, parts: [{ id: "explanation", title: "第三部分 情况说明", sections }], signature: [] };
    const file = join(mkdtempSync(join(tmpdir(), "gongkai-pdf-")), "paragraphs.pdf");
    // the narrative alone: no tables
    const disclosure = { ...result.disclosure, tables: [] };
    writeFileSync(file, await renderDisclosurePdf({ result: { ...result, disclosure, narrative }, findings: [] }));
    const placed = paragraphPages(readBboxLayout(execFileSync("pdftotext", ["-bbox-layout", file, "-"], { encoding: "utf8", maxBuffer: 64 << 20 })), paragraphTexts(narrative));
    expect(placed.length).toBe(56);
    expect(placed.map((p) => p.length)).toEqual(lengths);
    expect(placed.filter((p) => new Set(p).size > 1).length).toBeGreaterThanOrEqual(4);
    expect(widowsAndOrphans(placed)).toEqual([]);
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
    const tablePages: Page[] = tablePagesOf(t!).map((i) => pages[i]!);
    expect(tablePages[0]).toBe(pages[start]);
    expect(labels.length).toBeGreaterThan(0);
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
