/**
 * disclosure.docx read back from word/document.xml: every table is a real Word table whose data rows equal the
 * reference's expected CSV cell by cell and whose header merges as the reference prints it, repeated on every page;
 * wide tables sit in landscape sections; every narrative paragraph and every bound figure is there, in order, the
 * figures in the character style 公开数字; parts and sections are Heading 1/2/3; the constructed-data note is on the
 * cover and in the document properties. LibreOffice opens it (mandatory in CI).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { FIGURE_STYLE } from "../src/adapters/render/docx-disclosure.ts";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import { blockText, type Narrative, type NarrativeSection, type Run } from "../src/domain/narrative-model.ts";
import { copyExample, readCsvFile, REFERENCE_EXPECTED, ROOT, runCli, tempDir } from "./cli-harness.ts";
import {
  gridDiff,
  headerDepth,
  needs,
  printedRows,
  REFERENCE_HEADERS,
  sameLabel,
  tableNumber,
  unzip,
  wordBody,
  type WordBlock,
  type WordParagraph,
  type WordTable,
} from "./office-output-harness.ts";

const TABLES = readdirSync(REFERENCE_EXPECTED)
  .filter((f) => /^t\d\d\.csv$/.test(f))
  .map((f) => f.slice(0, 3))
  .sort();

interface Built {
  file: string;
  parts: Map<string, Buffer>;
  body: WordBlock[];
}

function buildDocx(example: string): Built {
  const dir = copyExample(example);
  const out = join(dir, "..", "out");
  const r = runCli(["build", dir, "--out", out, "--format", "docx"]);
  expect(r.stderr).toBe("");
  expect(r.status, r.stdout).toBe(0);
  const file = join(out, "disclosure.docx");
  const parts = unzip(readFileSync(file));
  return { file, parts, body: wordBody(parts.get("word/document.xml")!.toString("utf8"), FIGURE_STYLE) };
}

const paragraphs = (body: WordBlock[]) => body.filter((b): b is WordParagraph => b.kind === "p");

/** The Word table printed under a caption: the first table after the paragraph `表N` followed by the title. */
function tableAfter(body: WordBlock[], number: string, title: string): { table: WordTable; index: number } {
  for (let i = 0; i + 1 < body.length; i++) {
    const a = body[i]!;
    const b = body[i + 1]!;
    if (a.kind === "p" && a.text === number && b.kind === "p" && b.text === title) {
      const k = body.findIndex((x, j) => j > i && x.kind === "tbl");
      return { table: body[k] as WordTable, index: k };
    }
  }
  throw new Error(`no table captioned ${number} ${title}`);
}

/** The data rows of a disclosure table: the rows after its repeated header rows. */
const dataRowsOf = (t: WordTable) => t.grid.filter((_, r) => !t.headerRows[r]);

/** The orientation of the section a block is in: the first section end at or after it. */
function orientationAt(body: WordBlock[], index: number): string | null {
  for (let i = index; i < body.length; i++) {
    const b = body[i]!;
    if (b.kind === "p" && b.sectionEnd !== null) return b.sectionEnd;
  }
  return null;
}

async function narrativeOf(example: string): Promise<Narrative> {
  const r = await readBudgetFile(join(ROOT, "examples", example, "budget.yaml"));
  if (!r.ok) throw new Error("example does not read");
  const b = buildDisclosure(projectData, r.budget);
  if (!b.ok || !b.result.narrative) throw new Error("no narrative");
  return b.result.narrative;
}

/** Each text block of the narrative as the document must print it (one paragraph per list item and field). */
function narrativeParagraphs(n: Narrative): { texts: string[]; values: Run[] } {
  const texts: string[] = [];
  const values: Run[] = [];
  const walk = (s: NarrativeSection) => {
    if (s.title !== "") texts.push(s.title);
    for (const b of s.blocks) {
      const runs: Run[] = [];
      if (b.kind === "paragraph") {
        texts.push(blockText(b));
        runs.push(...b.runs);
      } else if (b.kind === "list") {
        for (const item of b.items) texts.push(item.map((r) => r.text).join(""));
        b.items.forEach((i) => runs.push(...i));
      } else if (b.kind === "fields") {
        texts.push(b.title.map((r) => r.text).join(""));
        for (const f of b.fields) texts.push(`${f.label}：${f.value.map((r) => r.text).join("")}`);
        runs.push(...b.title, ...b.fields.flatMap((f) => f.value));
      }
      values.push(...runs.filter((r) => r.kind === "value"));
    }
    s.subsections.forEach(walk);
  };
  for (const p of n.parts) {
    texts.push(p.title);
    p.sections.forEach(walk);
  }
  return { texts, values };
}

describe("disclosure.docx of the reference example", () => {
  let built: Built;
  let disclosure: { tables: { id: string; number: string; title: string; orientation: string }[] };
  beforeAll(() => {
    built = buildDocx("changji-xinfang-2024");
    const dir = copyExample("changji-xinfang-2024");
    const out = join(dir, "..", "out");
    expect(runCli(["build", dir, "--out", out, "--format", "json"]).status).toBe(0);
    disclosure = JSON.parse(readFileSync(join(out, "disclosure.json"), "utf8")) as typeof disclosure;
  }, 120_000);

  const meta = (id: string) => disclosure.tables.find((t) => t.id === id)!;

  it.each(TABLES)("%s is a Word table whose data rows equal the reference cell by cell", (id) => {
    const { table } = tableAfter(built.body, tableNumber(id), meta(id).title);
    const want = printedRows(id, readCsvFile(join(REFERENCE_EXPECTED, `${id}.csv`)));
    expect(gridDiff(dataRowsOf(table), want)).toEqual([]);
    expect(dataRowsOf(table)).toHaveLength(want.length);
  });

  it.each(TABLES)("%s has the reference's printed header, merged as printed and repeated on every page", (id) => {
    const { table } = tableAfter(built.body, tableNumber(id), meta(id).title);
    const spec = REFERENCE_HEADERS[id]!;
    const depth = headerDepth(spec);
    expect(table.headerRows.slice(0, depth)).toEqual(Array<boolean>(depth).fill(true));
    expect(table.headerRows.slice(depth).some((x) => x)).toBe(false);
    for (const [label, row, col] of spec) expect(sameLabel(table.grid[row]![col]!, label), `${id} (${row},${col}) ${table.grid[row]![col]} ≠ ${label}`).toBe(true);
    const want = spec.filter((c) => c[3] > 1 || c[4] > 1).map((c) => [c[1], c[2], c[3], c[4]].join(","));
    const got = table.merges.filter((m) => m[0] < depth).map((m) => m.join(","));
    expect(got.sort()).toEqual(want.sort());
  });

  it("prints wide tables in landscape sections and the rest in portrait", () => {
    for (const id of TABLES) {
      const { index } = tableAfter(built.body, tableNumber(id), meta(id).title);
      expect(orientationAt(built.body, index), id).toBe(meta(id).orientation);
    }
    const xml = built.parts.get("word/document.xml")!.toString("utf8");
    // a landscape page is wider than high
    for (const m of xml.matchAll(/<w:pgSz ([^>]*)\/>/g)) {
      const w = Number(/w:w="(\d+)"/.exec(m[1]!)![1]);
      const h = Number(/w:h="(\d+)"/.exec(m[1]!)![1]);
      expect(m[1]!.includes('w:orient="landscape"')).toBe(w > h);
    }
  });

  it.each([
    ["perf-department", "部门整体绩效目标表"],
    ["perf-project", "项目支出绩效目标表"],
  ])("%s: its indicator rows are in the document's tables", (file, title) => {
    const expected = readCsvFile(join(REFERENCE_EXPECTED, `${file}.csv`));
    const head = expected[0]!;
    const projectCol = head.indexOf("项目名称");
    const columns = head.filter((_, k) => k !== projectCol);
    // the tables under the title: each has a header row equal to the columns; the project's name is in the header
    // fields' table above it (the row of 项目名称)
    const start = paragraphs(built.body).findIndex((p) => p.text === title);
    expect(start).toBeGreaterThanOrEqual(0);
    const rows: string[][] = [];
    let project = "";
    for (const t of built.body) {
      if (t.kind !== "tbl") continue;
      const named = t.grid.find((r) => r[0] === "项目名称");
      if (named) project = named.find((c, k) => k > 0 && c !== "") ?? "";
      const h = t.grid.findIndex((r) => gridDiff([r], [columns]).length === 0);
      if (h < 0) continue;
      for (const r of t.grid.slice(h + 1)) rows.push(projectCol < 0 ? [...r] : [project, ...r]);
    }
    expect(gridDiff(rows, expected.slice(1))).toEqual([]);
    expect(rows).toHaveLength(expected.length - 1);
  });

  it("prints every paragraph of the narrative, in order, and every bound figure as a 公开数字 run", async () => {
    const n = await narrativeOf("changji-xinfang-2024");
    const { texts, values } = narrativeParagraphs(n);
    const doc = paragraphs(built.body).map((p) => p.text);
    let at = 0;
    for (const t of texts) {
      const k = doc.indexOf(t, at);
      expect(k, `not found in order: ${t.slice(0, 60)}`).toBeGreaterThanOrEqual(0);
      at = k + 1;
    }
    const figures = paragraphs(built.body).flatMap((p) => p.figures);
    expect(values.length).toBeGreaterThan(50);
    expect(figures).toEqual(values.map((v) => v.text));
  });

  it("titles parts, sections and subsections with Word's heading styles, and every table with a heading", async () => {
    const n = await narrativeOf("changji-xinfang-2024");
    // the heading itself, not its entry in the 目录 (styles TOC1–3)
    const styled = (text: string) => paragraphs(built.body).find((p) => p.text === text && !p.style.startsWith("TOC"))?.style;
    for (const p of n.parts) {
      expect(styled(p.title), p.title).toBe("Heading1");
      for (const s of p.sections) {
        if (s.title !== "") expect(styled(s.title), s.title).toBe("Heading2");
        for (const sub of s.subsections) expect(styled(sub.title), sub.title).toBe("Heading3");
      }
    }
    for (const id of TABLES) expect(styled(meta(id).title), id).toMatch(/^Heading[2-4]$/);
    const styles = built.parts.get("word/styles.xml")!.toString("utf8");
    expect(styles).toContain('w:eastAsia="宋体"');
    expect(styles).toContain(`w:styleId="${FIGURE_STYLE}"`);
  });

  it("prints each table once; a later mention refers back to it", () => {
    const captions = paragraphs(built.body).filter((p) => /^表\d+$/.test(p.text));
    expect(captions.map((p) => p.text)).toEqual(TABLES.map(tableNumber));
    expect(paragraphs(built.body).filter((p) => p.text === "项目支出绩效目标表" && p.style !== "").length).toBe(1);
  });

  it("carries the constructed-data note on its cover and in its properties", () => {
    const budget = readFileSync(join(ROOT, "examples/changji-xinfang-2024/budget.yaml"), "utf8");
    const note = /^constructed: (.+)$/m.exec(budget)![1]!.trim();
    const cover = paragraphs(built.body).slice(0, 12).map((p) => p.text);
    expect(cover.some((t) => t.includes(note))).toBe(true);
    expect(built.parts.get("docProps/core.xml")!.toString("utf8")).toContain(note);
    // and never the classified project's name
    const all = [...built.parts.values()].map((b) => b.toString("utf8")).join("\n");
    expect(all).toContain("特定目标 8910002U");
    expect(all).not.toContain("信访维稳专项经费");
  });

  it.runIf(needs("soffice"))(
    "opens in LibreOffice without error (converted to PDF)",
    () => {
      const out = tempDir("gongkai-docx-");
      // a profile of its own, so that a LibreOffice already running elsewhere does not take the job
      const r = spawnSync(
        "soffice",
        [`-env:UserInstallation=file://${join(out, "profile")}`, "--headless", "--convert-to", "pdf", "--outdir", out, built.file],
        { encoding: "utf8", timeout: 170_000 },
      );
      expect(r.error, "soffice could not run (apt-get install libreoffice-writer-nogui)").toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/Error/);
      const pdf = join(out, "disclosure.pdf");
      expect(existsSync(pdf), `${r.stdout}\n${r.stderr}`).toBe(true);
      const bytes = readFileSync(pdf);
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const pages = (bytes.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThan(15);
    },
    180_000,
  );
});

describe("disclosure.docx of the three-unit example", () => {
  const EXPECTED = join(ROOT, "examples/three-units-2024/expected/department");
  let built: Built;
  beforeAll(() => {
    built = buildDocx("three-units-2024");
  }, 120_000);
  it.each(TABLES)("%s: its data rows equal the independent computation", (id) => {
    const expected = readCsvFile(join(EXPECTED, `${id}.csv`));
    const captions = paragraphs(built.body);
    const k = captions.findIndex((p) => p.text === tableNumber(id));
    expect(k).toBeGreaterThanOrEqual(0);
    const { table } = tableAfter(built.body, tableNumber(id), captions[k + 1]!.text);
    expect(gridDiff(dataRowsOf(table), printedRows(id, expected))).toEqual([]);
  });
});
