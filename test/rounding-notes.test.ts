/**
 * Rounding notes in the rendered outputs (issue 8, point 3). A printed parent can differ from the sum of its printed
 * children (表2 住房保障 127.38 vs 63.15 + 64.24 in the three-unit example; 表6 301 372.02 vs 372.03 in the reference):
 * correct, and the template's note says so directly under each table where it happens — in the page, the PDF, the Word
 * document and the workbook — and under no other table; never in tables/*.csv, and nowhere for a template without
 * the sentence.
 *
 * Which tables have a difference is written here by hand, from the printed tables (the reference's expected/ and the
 * three-unit example's independently computed expected/), not taken from the code under test.
 */
import ExcelJS from "exceljs";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "node-html-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { FIGURE_STYLE } from "../src/adapters/render/docx-disclosure.ts";
import { tableLayout } from "../src/adapters/render/xlsx-disclosure-layout.ts";
import { copyExample, ROOT, runCli } from "./cli-harness.ts";
import { needs, unzip, wordBody } from "./office-output-harness.ts";
import { buildExample } from "./page-fixture.ts";

const NOTE = projectData.template("xinjiang-2024")!.data.sentences["rounding_note"]!;
const squash = (s: string) => s.replace(/\s+/g, "");

/**
 * The tables whose printed sums do not all add up, read off the printed tables:
 * - reference: 表6 301 工资福利支出 372.02 vs its 款 372.03 — the only one;
 * - three units: 表1 收入总计 1537.45 vs 一、+ 二、 1537.46; 表2 221 住房保障 127.38 vs 127.39 and 21201 615.36 vs
 *   615.35; 表3 221 and 212 城管执法 (21201 项目支出 133.92 vs 133.93, 基本支出 总计 908.03 vs 908.04); 表5 212 / 21201;
 *   表6 302 51.21 vs 51.22; 表7 21201 and the 住建局 unit (资本性支出 49.88 vs 49.89); 表11 the 住建局 unit 40.58 vs 40.59.
 *   表4 and 表8–表10 add up exactly.
 */
const EXAMPLES: readonly { example: string; withNote: readonly string[] }[] = [
  { example: "changji-xinfang-2024", withNote: ["t06"] },
  { example: "three-units-2024", withNote: ["t01", "t02", "t03", "t05", "t06", "t07", "t11"] },
];

interface JsonTable {
  id: string;
  number: string;
  title: string;
  rounding_note: string | null;
  rows: { texts: string[] }[];
}

describe.each(EXAMPLES)("rounding notes of $example", ({ example, withNote }) => {
  let out = "";
  let tables: JsonTable[] = [];
  beforeAll(() => {
    const dir = copyExample(example);
    out = join(dir, "..", "out");
    const r = runCli(["build", dir, "--out", out, "--format", "csv,json,html,pdf,docx,xlsx"], { timeoutMs: 170_000 });
    expect(r.stderr).toBe("");
    expect(r.status, r.stdout).toBe(0);
    tables = (JSON.parse(readFileSync(join(out, "disclosure.json"), "utf8")) as { tables: JsonTable[] }).tables;
  }, 180_000);

  const expectedFor = (id: string) => withNote.includes(id);

  it("disclosure.json: each table's rounding_note is the template's sentence exactly where it has a difference", () => {
    expect(NOTE).toMatch(/四舍五入/);
    expect(tables.length).toBe(11);
    for (const t of tables) expect(t.rounding_note, t.number).toBe(expectedFor(t.id) ? NOTE : null);
  });

  it("tables/*.csv: never the note (the CSV contract holds data rows only)", () => {
    for (const f of readdirSync(join(out, "tables"))) expect(readFileSync(join(out, "tables", f), "utf8"), f).not.toContain("尾差");
  });

  it("index.html: the note directly under exactly those tables, named as the table's description", () => {
    const root = parse(readFileSync(join(out, "index.html"), "utf8"));
    expect(root.querySelectorAll("p.table-note").length).toBe(withNote.length);
    for (const t of tables) {
      const sheet = root.querySelector(`#${t.id}`);
      expect(sheet, t.id).not.toBeNull();
      const notes = sheet!.querySelectorAll("p.table-note");
      if (!expectedFor(t.id)) {
        expect(notes, `${t.number} has no rounding difference`).toHaveLength(0);
        expect(sheet!.querySelector("table")!.getAttribute("aria-describedby")).toBeUndefined();
        continue;
      }
      expect(notes, t.number).toHaveLength(1);
      expect(notes[0]!.textContent).toBe(NOTE);
      // directly after the table's scrolling region, and the table names it
      expect(notes[0]!.previousElementSibling?.classList.contains("table-wrap"), t.number).toBe(true);
      expect(sheet!.querySelector("table")!.getAttribute("aria-describedby")).toBe(notes[0]!.id);
    }
  });

  it.runIf(needs("pdftotext"))("disclosure.pdf: the note on the last page of exactly those tables, right after its last row", () => {
    const pages = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", join(out, "disclosure.pdf"), "-"], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\f");
    const titles = new Map(tables.map((t) => [squash(`${t.number}${t.title}`), t]));
    const found: string[] = [];
    let current: JsonTable | null = null;
    for (const page of pages) {
      const lines = page.split("\n").filter((l) => l.trim() !== "");
      lines.forEach((line, i) => {
        const title = titles.get(squash(line));
        if (title) current = title; // a table's title line starts its sheet (the contents list ends titles with a page number)
        if (squash(line) !== squash(NOTE)) return;
        expect(current, "a rounding note before any table").not.toBeNull();
        const t = current!;
        found.push(t.id);
        // the line above the note is the table's last printed row: it ends with the last row's last printed amount
        const last = t.rows[t.rows.length - 1]!.texts.filter((x) => /^\d[\d.,]*$/.test(x));
        expect(squash(lines[i - 1] ?? ""), `${t.number}: the note follows its last row`).toContain(last[last.length - 1] ?? "");
      });
    }
    expect(found).toEqual(withNote);
  });

  it("disclosure.docx: the paragraph right after exactly those Word tables", () => {
    const body = wordBody(unzip(readFileSync(join(out, "disclosure.docx"))).get("word/document.xml")!.toString("utf8"), FIGURE_STYLE);
    expect(body.filter((b) => b.kind === "p" && b.text === NOTE)).toHaveLength(withNote.length);
    for (const t of tables) {
      const at = body.findIndex((b, i) => b.kind === "p" && b.text === t.number && body[i + 1]?.kind === "p" && (body[i + 1] as { text: string }).text === t.title);
      expect(at, `${t.number} caption`).toBeGreaterThanOrEqual(0);
      const tbl = body.findIndex((b, i) => i > at && b.kind === "tbl");
      const next = body[tbl + 1];
      expect(next?.kind === "p" && next.text === NOTE, `${t.number}: note after the table`).toBe(expectedFor(t.id));
    }
  });

  it("disclosure.xlsx: the row right under the last row of exactly those table sheets", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(out, "disclosure.xlsx")) as unknown as ArrayBuffer);
    const result = await buildExample(example);
    const unit = result.disclosure.template.printUnit;
    let count = 0;
    // a merged range's cells all answer its value: count each range once, at its top-left cell
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => void (c.value === NOTE && c.master.address === c.address && count++))));
    expect(count).toBe(withNote.length);
    for (const t of result.disclosure.tables) {
      const ws = wb.worksheets.find((w) => w.name.startsWith(`${t.number} `))!;
      const v = ws.views[0];
      const frozen = v && v.state === "frozen" ? (v.ySplit ?? 0) : 0;
      const below = frozen + tableLayout(t, unit).body.length + 1;
      const cell = ws.getCell(below, 1);
      expect(cell.value === NOTE, `${ws.name} row ${below}`).toBe(expectedFor(t.id));
      if (expectedFor(t.id)) expect(cell.isMerged, `${ws.name}: the note spans the table`).toBe(true);
    }
  });
});

describe("a template without the sentence (and without rules)", () => {
  it("prints no rounding note in any output", () => {
    const dir = copyExample("changji-xinfang-2024");
    const out = join(dir, "..", "out-other");
    const r = runCli(["build", dir, "--template", join(ROOT, "test/fixtures/other-region-2024/template.yaml"), "--out", out, "--format", "json,html,docx,xlsx"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const json = JSON.parse(readFileSync(join(out, "disclosure.json"), "utf8")) as { tables: JsonTable[] };
    for (const t of json.tables) expect(t.rounding_note).toBeNull();
    expect(readFileSync(join(out, "index.html"), "utf8")).not.toContain(`class="table-note"`);
    expect(readFileSync(join(out, "index.html"), "utf8")).not.toContain("尾差");
  });
});
