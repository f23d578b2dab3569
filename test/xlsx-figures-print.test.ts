/**
 * disclosure.xlsx, sheet 说明中的数字: every text wraps at the top of its cell and every row is tall enough for its
 * longest wrapped text, so the sheet prints without overlapping text. Checked in the file (row heights against the
 * wrapped lines of each cell, from the column widths) and, where LibreOffice and poppler are present (mandatory in
 * CI), on paper: the workbook converted to PDF, no two words of the sheet's pages overlap.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyExample, runCli, tempDir } from "./cli-harness.ts";
import { child, descendants, kids, needs, parseXml, textOf, unzip, type El } from "./office-output-harness.ts";

const SHEET = "说明中的数字";

/** Display width in Latin character cells: CJK and full-width characters take two. */
const displayWidth = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffef]/.test(ch) ? 2 : 1), 0);

interface Sheet {
  widths: number[];
  rows: { r: number; height: number | null; cells: { col: number; text: string; style: number }[] }[];
  /** per style index: the cell's alignment */
  alignment: Map<number, Record<string, string>>;
}

/** The 0-based column of a cell reference: C7 → 2. */
const colOf = (ref: string) => [...ref.replace(/\d+$/, "")].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/** The words of one page of `pdftotext -bbox` output, with their boxes. */
const words = (p: string) =>
  [...p.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    y1: Number(m[4]),
    text: m[5]!,
  }));

function readSheet(xlsx: Buffer): Sheet {
  const parts = unzip(xlsx);
  const xml = (name: string) => parseXml(parts.get(name)!.toString("utf8"));
  const sheet = descendants(xml("xl/workbook.xml"), "sheet").find((s) => s.attrs["name"] === SHEET);
  if (!sheet) throw new Error(`no sheet ${SHEET}`);
  const rel = descendants(xml("xl/_rels/workbook.xml.rels"), "Relationship").find((r) => r.attrs["Id"] === sheet.attrs["r:id"])!;
  const ws = xml(`xl/${rel.attrs["Target"]}`);
  const shared = descendants(xml("xl/sharedStrings.xml"), "si").map((si) => descendants(si, "t").map((t) => t.children.filter((c) => typeof c === "string").join("")).join(""));
  const widths: number[] = [];
  for (const c of descendants(ws, "col")) for (let k = Number(c.attrs["min"]); k <= Number(c.attrs["max"]); k++) widths[k - 1] = Number(c.attrs["width"]);
  const rows = descendants(ws, "row").map((row) => ({
    r: Number(row.attrs["r"]),
    height: row.attrs["customHeight"] === "1" ? Number(row.attrs["ht"]) : null,
    cells: kids(row, "c").map((c) => {
      const v = child(c, "v");
      const raw = v ? textOf(v) || v.children.join("") : "";
      return { col: colOf(c.attrs["r"]!), text: c.attrs["t"] === "s" ? (shared[Number(raw)] ?? "") : raw, style: Number(c.attrs["s"] ?? 0) };
    }),
  }));
  const xfs = kids(descendants(xml("xl/styles.xml"), "cellXfs")[0]!, "xf");
  const alignment = new Map(xfs.map((xf: El, i) => [i, { ...child(xf, "alignment")?.attrs }]));
  return { widths, rows, alignment };
}

describe.each(["changji-xinfang-2024", "three-units-2024"])("disclosure.xlsx of %s, sheet 说明中的数字", (example) => {
  let file = "";
  let sheet: Sheet;
  beforeAll(() => {
    const dir = copyExample(example);
    const out = join(dir, "..", "out");
    const r = runCli(["build", dir, "--out", out, "--format", "xlsx"], { timeoutMs: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    file = join(out, "disclosure.xlsx");
    sheet = readSheet(readFileSync(file));
  }, 120_000);

  it("wraps every text at the top of its cell, in rows tall enough for it", () => {
    const body = sheet.rows.filter((r) => r.r > 1);
    expect(body.length).toBeGreaterThan(50);
    for (const row of body) {
      expect(row.height, `row ${row.r} has a height of its own`).not.toBeNull();
      for (const c of row.cells) {
        const a = sheet.alignment.get(c.style) ?? {};
        if (c.col === 3) continue; // the number
        expect(a["wrapText"], `row ${row.r} col ${c.col + 1}`).toBe("1");
        expect(a["vertical"], `row ${row.r} col ${c.col + 1}`).toBe("top");
        // lines of 10 pt text (about 12.5 pt each) in a column of `width` character cells, less a cell of padding
        const lines = Math.ceil(displayWidth(c.text) / Math.max(1, sheet.widths[c.col]! - 1));
        expect(row.height!, `row ${row.r} col ${c.col + 1}: ${c.text}`).toBeGreaterThanOrEqual(lines * 12.5);
      }
    }
  });

  it.runIf(needs("soffice") && needs("pdftotext"))(
    "prints without overlapping text (converted to PDF by LibreOffice)",
    () => {
      const out = tempDir();
      const r = spawnSync("soffice", ["--headless", "--norestore", `-env:UserInstallation=file://${out}/profile`, "--convert-to", "pdf", "--outdir", out, file], {
        encoding: "utf8",
        timeout: 240_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const html = spawnSync("pdftotext", ["-bbox", join(out, "disclosure.pdf"), "-"], { encoding: "utf8", maxBuffer: 64 << 20 }).stdout;
      const pages = html.split("<page ").slice(1);
      const figurePages = pages.map(words).filter((w) => w[0]?.text === "部分" && w.some((x) => x.text === "来源"));
      expect(figurePages.length).toBeGreaterThan(0);
      const overlaps: string[] = [];
      for (const ws of figurePages) {
        for (let i = 0; i < ws.length; i++)
          for (let j = i + 1; j < ws.length; j++) {
            const a = ws[i]!;
            const b = ws[j]!;
            // overlapping in both directions by more than the boxes of two wrapped lines of one cell do (their glyph
            // boxes, 8.5 pt high, may share half a point at 8 pt line pitch); text printed over text shares several
            if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 1 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 2) overlaps.push(`${a.text} / ${b.text}`);
          }
      }
      expect(overlaps.slice(0, 10)).toEqual([]);
    },
    300_000,
  );
});
