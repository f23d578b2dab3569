/**
 * disclosure.docx: the 目录 is written filled — a real TOC field whose result lists every heading of levels 1–3 in
 * order, each entry a hyperlink to a bookmark on its heading — and the charts are PNG pictures (word/media/) with
 * their captions and their values in words as alternative text. LibreOffice, which does not update fields on open,
 * shows the entries and the pictures when it converts the file to PDF (mandatory in CI).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { chartSpecs, type ChartSpec } from "../src/adapters/render/chart-specs.ts";
import { chartDescription } from "../src/adapters/render/chart-svg.ts";
import { buildDisclosure } from "../src/app/build-disclosure.ts";
import { copyExample, ROOT, runCli, tempDir } from "./cli-harness.ts";
import { child, descendants, kids, needs, parseXml, textOf, unzip, type El } from "./office-output-harness.ts";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Built {
  file: string;
  parts: Map<string, Buffer>;
  paragraphs: El[];
  charts: ChartSpec[];
}

async function build(example: string): Promise<Built> {
  const dir = copyExample(example);
  const out = join(dir, "..", "out");
  const r = runCli(["build", dir, "--out", out, "--format", "docx"], { timeoutMs: 120_000 });
  expect(r.stderr).toBe("");
  expect(r.status, r.stdout).toBe(0);
  const file = join(out, "disclosure.docx");
  const parts = unzip(readFileSync(file));
  const body = descendants(parseXml(parts.get("word/document.xml")!.toString("utf8")), "w:body")[0]!;
  const read = await readBudgetFile(join(ROOT, "examples", example, "budget.yaml"));
  if (!read.ok) throw new Error("example does not read");
  const b = buildDisclosure(projectData, read.budget);
  if (!b.ok) throw new Error("example does not build");
  return { file, parts, paragraphs: kids(body, "w:p"), charts: chartSpecs(b.result.disclosure, b.result.template.data.charts) };
}

const styleOf = (p: El) => child(child(p, "w:pPr") ?? { name: "", attrs: {}, children: [] }, "w:pStyle")?.attrs["w:val"] ?? "";
const fieldChars = (p: El) => descendants(p, "w:fldChar").map((f) => f.attrs["w:fldCharType"]);
const instructions = (p: El) => descendants(p, "w:instrText").map((t) => t.children.join(""));

describe.each(["changji-xinfang-2024", "three-units-2024"])("disclosure.docx of %s", (example) => {
  let built: Built;
  beforeAll(async () => {
    built = await build(example);
  }, 120_000);

  it("has a 目录 written filled: a TOC field whose entries are the headings 1–3, in order, linked to bookmarks on them", () => {
    const ps = built.paragraphs;
    const start = ps.findIndex((p) => instructions(p).some((i) => /^\s*TOC\s+\\o\s+"1-3"\s+\\h/.test(i)));
    expect(start, "a paragraph holding the TOC field's instruction").toBeGreaterThan(0);
    expect(textOf(ps[start - 1]!).replace(/\s/g, "")).toBe("目录");
    expect(fieldChars(ps[start]!).slice(0, 2)).toEqual(["begin", "separate"]);
    const end = ps.findIndex((p, i) => i >= start && fieldChars(p).at(-1) === "end" && instructions(p).every((x) => !/PAGEREF/.test(x)));
    const entries = ps.slice(start, end + 1);
    // every heading of levels 1–3 after the contents, with the bookmark each entry links to
    const headings = ps
      .slice(end + 1)
      .filter((p) => /^Heading[123]$/.test(styleOf(p)))
      .map((p) => ({ text: textOf(p), level: Number(styleOf(p).slice(-1)), bookmark: descendants(p, "w:bookmarkStart")[0]?.attrs["w:name"] }));
    expect(headings.length).toBeGreaterThan(20);
    expect(entries.length).toBe(headings.length);
    entries.forEach((e, i) => {
      const h = headings[i]!;
      const link = descendants(e, "w:hyperlink")[0];
      expect(styleOf(e), h.text).toBe(`TOC${h.level}`);
      expect(link?.attrs["w:anchor"], h.text).toBe(h.bookmark);
      // a table's entry says its number too (表1 部门收支总体情况表), as the PDF's contents do
      expect(textOf(link!).endsWith(h.text), `${textOf(link!)} / ${h.text}`).toBe(true);
    });
    const texts = entries.map((e) => textOf(e));
    expect(texts[0]).toMatch(/^第一部分/);
    expect(texts).toContain("表1 部门收支总体情况表");
    expect(texts.some((t) => t.startsWith("第三部分"))).toBe(true);
    // bookmark ids are distinct (docx's own Bookmark numbers every one 1)
    const ids = descendants(parseXml(built.parts.get("word/document.xml")!.toString("utf8")), "w:bookmarkStart").map((b) => b.attrs["w:id"]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("prints every chart as a PNG picture under its caption, with its values in words as alternative text", () => {
    expect(built.charts.length).toBeGreaterThan(2);
    const rels = built.parts.get("word/_rels/document.xml.rels")!.toString("utf8");
    const media = [...built.parts.keys()].filter((k) => k.startsWith("word/media/") && !k.endsWith("/"));
    expect(media.length).toBe(built.charts.length);
    for (const m of media) {
      expect(m).toMatch(/\.png$/);
      expect(built.parts.get(m)!.subarray(0, 8).equals(PNG), m).toBe(true);
    }
    const pictures = built.paragraphs.flatMap((p, i) => descendants(p, "w:drawing").map((d) => ({ d, i })));
    expect(pictures.length).toBe(built.charts.length);
    const docPrIds = new Set<string>();
    built.charts.forEach((spec, k) => {
      const { d, i } = pictures[k]!;
      const docPr = descendants(d, "wp:docPr")[0]!;
      docPrIds.add(docPr.attrs["id"]!);
      expect(docPr.attrs["descr"]).toBe(chartDescription(spec));
      expect(textOf(built.paragraphs[i - 1]!)).toBe(`${spec.number} ${spec.title}（单位：${spec.unitLabel}）`);
      const embed = descendants(d, "a:blip")[0]!.attrs["r:embed"]!;
      const target = new RegExp(`Id="${embed}"[^>]*Target="(media/[^"]+)"`).exec(rels)?.[1];
      expect(target && media.includes(`word/${target}`), `${spec.id} → ${target}`).toBe(true);
      // twice the SVG's pixels, for print
      const png = built.parts.get(`word/${target}`)!;
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(1000);
    });
    expect(docPrIds.size).toBe(built.charts.length);
  });

  it.runIf(needs("soffice") && needs("pdftotext"))(
    "converted by LibreOffice, shows the 目录's entries and every chart's picture",
    () => {
      const out = tempDir();
      const r = spawnSync("soffice", ["--headless", "--norestore", `-env:UserInstallation=file://${out}/profile`, "--convert-to", "pdf", "--outdir", out, built.file], {
        encoding: "utf8",
        timeout: 240_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const pdf = join(out, "disclosure.pdf");
      const page2 = spawnSync("pdftotext", ["-f", "2", "-l", "2", "-layout", pdf, "-"], { encoding: "utf8" }).stdout;
      expect(page2.replace(/\s/g, "")).toContain("目录");
      expect(page2).toMatch(/第一部分/);
      expect(page2).not.toMatch(/TOC|PAGEREF|HYPERLINK/);
      const images = spawnSync("pdfimages", ["-list", pdf], { encoding: "utf8" }).stdout.split("\n").filter((l) => /^\s*\d+\s+\d+\s+image\b/.test(l));
      expect(images.length).toBe(built.charts.length);
    },
    300_000,
  );
});
