/**
 * The auditor's readers (issue 14, point 3's first step): every published PDF in test/reference/published/ read with
 * pdf.js and with `pdftotext -bbox-layout`, and the seed text.
 *
 * - page counts as `pdfinfo` prints them, written down here;
 * - words read by a person on the rendered pages (a title on page 1, a table title and its figures) found on the page
 *   at the place where they are printed, with both readers, and the two readers' boxes for them alike (left and right
 *   within 1 pt, vertical centres within half the word's height: heights differ with the font metrics each reader
 *   trusts);
 * - the two readers agree: the same pages, and on every page the same multiset of non-blank characters;
 * - Kangxi radicals: a PDF whose text is written with Kangxi and CJK-supplement radicals (as office software embeds
 *   them, mapping 支's glyph to ⽀ U+2F40) is read as the unified ideographs, by both readers; the published samples
 *   contain none (checked: neither reader finds one and no ToUnicode map of theirs maps to one);
 * - a non-embedded standard Chinese font (STSong-Light, UniGB-UCS2-H): pdf.js decodes it with the CMaps it ships;
 *   poppler only with poppler-data — without, pdftotext says so and `auto` reads the file with pdf.js (the one place
 *   found where the two readers differ); a page with /Rotate 90: its displayed size and positions, by both readers;
 * - the seed text and small texts: pages, columns, line numbers, encodings;
 * - choosing the reader by content, not by name.
 *
 * The hostile inputs (truncated, encrypted, 1,000 pages, a scan, a zip renamed .pdf…) are in readers-hostile.test.ts.
 * The poppler half is skipped, with the reason printed, when `pdftotext` is missing, except under CI=true, where it
 * fails.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PDFDocument from "pdfkit";
import { beforeAll, describe, expect, it } from "vitest";
import { havePdftotext, parseBboxLayout, readPdfText } from "../../src/adapters/audit/pdf-text.ts";
import { readDocument, unreadableMessage } from "../../src/adapters/audit/read-document.ts";
import { readTextFile, textToDocument } from "../../src/adapters/audit/text-file.ts";
import type { DocumentText, ReadResult, TextPage, Word } from "../../src/domain/audit/document-text.ts";
import { nameKey } from "../../src/domain/audit/normalise-text.ts";
import { execFileSync } from "node:child_process";

const HAVE_POPPLER = havePdftotext();
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI)
  console.warn("readers.test.ts: the pdftotext half is skipped — pdftotext (poppler-utils) is not installed; it is mandatory under CI=true");
const requirePoppler = () => {
  if (!HAVE_POPPLER) throw new Error("CI=true but pdftotext (poppler-utils) is not installed: the poppler reader tests are mandatory in CI");
};

const PUBLISHED = join(import.meta.dirname, "../reference/published");
const SEED = join(import.meta.dirname, "../reference/seed/changji-xinfang-2024-budget.txt");

/** pages as `pdfinfo` prints them */
const PAGES: Record<string, number> = {
  "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf": 26,
  "08-putuo-shangwuwei-2025-bumen-yusuan.pdf": 26,
  "11-putuo-caizhengju-2025-bumen-yusuan.pdf": 24,
  "14-putuo-wanlijiedao-2025-bumen-yusuan.pdf": 31,
  "18-putuo-caizhengju-2024-bumen-juesuan.pdf": 25,
  "X1-putuo-caizhengju-2024-bumen-juesuan-planted-errors.pdf": 26,
};

/**
 * Read off the rendered pages by a person: a phrase printed on one line of page `page`, and where its line stands as
 * fractions of the page's width and height (the centre of the line's box lies inside [x0, x1] × [y0, y1]);
 * `count`: how many times the phrase is printed on that page.
 */
interface Seen {
  readonly file: string;
  readonly page: number;
  readonly phrase: string;
  readonly at?: readonly [x0: number, y0: number, x1: number, y1: number];
  readonly count?: number;
}
const SEEN: readonly Seen[] = [
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    page: 1,
    phrase: "江苏省高级人民法院",
    at: [0.35, 0.3, 0.65, 0.45],
  },
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    page: 1,
    phrase: "2019年度部门预算公开",
    at: [0.35, 0.35, 0.65, 0.5],
  },
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    page: 10,
    phrase: "公开04表",
    at: [0, 0.05, 0.3, 0.15],
  },
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    page: 10,
    phrase: "财政拨款收支预算总表",
    at: [0.3, 0.08, 0.7, 0.2],
  },
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    page: 10,
    phrase: "三、单位预留机动经费",
    at: [0.5, 0.25, 0.75, 0.35],
  },
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    page: 10,
    phrase: "37,188.34",
    count: 4,
  },
  {
    file: "02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf",
    page: 10,
    phrase: "5,011.40",
    at: [0.75, 0.25, 1, 0.35],
    count: 1,
  },
  {
    file: "08-putuo-shangwuwei-2025-bumen-yusuan.pdf",
    page: 1,
    phrase: "上海市普陀区2025年区级部门预算",
    at: [0.3, 0.2, 0.7, 0.4],
  },
  {
    file: "08-putuo-shangwuwei-2025-bumen-yusuan.pdf",
    page: 1,
    phrase: "预算主管部门：上海市普陀区商务委员会",
    at: [0.3, 0.4, 0.7, 0.6],
  },
  {
    file: "11-putuo-caizhengju-2025-bumen-yusuan.pdf",
    page: 9,
    phrase: "2025年部门财务收支预算总表",
    at: [0.3, 0.05, 0.7, 0.2],
  },
  {
    file: "11-putuo-caizhengju-2025-bumen-yusuan.pdf",
    page: 9,
    phrase: "31,214,205.80",
    count: 4,
  },
  {
    file: "11-putuo-caizhengju-2025-bumen-yusuan.pdf",
    page: 9,
    phrase: "22,186,440.80",
    at: [0.75, 0.2, 1, 0.35],
    count: 1,
  },
  {
    file: "14-putuo-wanlijiedao-2025-bumen-yusuan.pdf",
    page: 1,
    phrase: "预算主管部门：上海市普陀区人民政府万里街道办事处",
    at: [0.25, 0.4, 0.75, 0.6],
  },
  {
    file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf",
    page: 1,
    phrase: "上海市普陀区财政局",
    at: [0.3, 0.35, 0.7, 0.48],
  },
  {
    file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf",
    page: 1,
    phrase: "2024年度部门决算",
    at: [0.3, 0.43, 0.7, 0.55],
  },
  {
    file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf",
    page: 12,
    phrase: "财政拨款收入支出决算总表",
    at: [0.3, 0.1, 0.7, 0.25],
  },
  {
    file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf",
    page: 12,
    phrase: "2,940.05",
    at: [0.2, 0.35, 0.35, 0.5],
    count: 1,
  },
  {
    file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf",
    page: 12,
    phrase: "2,106.66",
    count: 2,
  },
  {
    file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf",
    page: 12,
    phrase: "326.71",
    count: 2,
  },
  {
    file: "X1-putuo-caizhengju-2024-bumen-juesuan-planted-errors.pdf",
    page: 1,
    phrase: "2024年度部门决算",
    at: [0.3, 0.43, 0.7, 0.6],
  },
];
/** pages on which nothing is printed but ruling (seen on the rendered page) */
const BLANK: readonly { file: string; page: number }[] = [{ file: "18-putuo-caizhengju-2024-bumen-juesuan.pdf", page: 14 }];

interface Line {
  readonly text: string;
  readonly words: readonly Word[];
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** The words of a page grouped into lines (vertical centres within half a word's height), each left to right. */
function lines(page: TextPage): Line[] {
  const sorted = [...page.words].sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2 || a.x0 - b.x0);
  const groups: Word[][] = [];
  for (const w of sorted) {
    const last = groups[groups.length - 1];
    const mid = (w.y0 + w.y1) / 2;
    if (last && Math.abs(mid - (last[0]!.y0 + last[0]!.y1) / 2) < (w.y1 - w.y0) / 2) last.push(w);
    else groups.push([w]);
  }
  return groups.map((g) => {
    g.sort((a, b) => a.x0 - b.x0);
    return {
      text: g.map((w) => w.text).join(""),
      words: g,
      x0: Math.min(...g.map((w) => w.x0)),
      y0: Math.min(...g.map((w) => w.y0)),
      x1: Math.max(...g.map((w) => w.x1)),
      y1: Math.max(...g.map((w) => w.y1)),
    };
  });
}

/** The words of the page that spell `phrase` together (consecutive words of one line), with their joint box. */
function findPhrase(page: TextPage, phrase: string): { x0: number; y0: number; x1: number; y1: number }[] {
  const key = nameKey(phrase);
  const found: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (const l of lines(page)) {
    for (let i = 0; i < l.words.length; i++) {
      let s = "";
      for (let j = i; j < l.words.length && s.length < key.length; j++) {
        s += nameKey(l.words[j]!.text);
        if (s === key) {
          const ws = l.words.slice(i, j + 1);
          found.push({
            x0: Math.min(...ws.map((w) => w.x0)),
            y0: Math.min(...ws.map((w) => w.y0)),
            x1: Math.max(...ws.map((w) => w.x1)),
            y1: Math.max(...ws.map((w) => w.y1)),
          });
        }
      }
    }
  }
  return found;
}

function charCounts(page: TextPage | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of page?.words ?? []) for (const c of w.text) if (!/\s/.test(c)) m.set(c, (m.get(c) ?? 0) + 1);
  return m;
}

const ok = (r: ReadResult): DocumentText => {
  if (!r.ok) throw new Error(`not read: ${r.reason}: ${r.detail}`);
  return r.text;
};

/** At most `n` at a time. */
async function mapLimit<T, R>(xs: readonly T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < xs.length) {
        const i = next++;
        out[i] = await f(xs[i]!);
      }
    }),
  );
  return out;
}

const FILES = Object.keys(PAGES);
const byReader: Record<"pdfjs" | "pdftotext", Map<string, ReadResult>> = {
  pdfjs: new Map(),
  pdftotext: new Map(),
};
const seconds: Record<"pdfjs" | "pdftotext", number> = {
  pdfjs: 0,
  pdftotext: 0,
};

beforeAll(async () => {
  const readers = HAVE_POPPLER ? (["pdftotext", "pdfjs"] as const) : (["pdfjs"] as const);
  for (const reader of readers) {
    const t = performance.now();
    const results = await mapLimit(FILES, 2, (f) => readPdfText(join(PUBLISHED, f), { reader }));
    seconds[reader] = (performance.now() - t) / 1000;
    FILES.forEach((f, i) => byReader[reader].set(f, results[i]!));
  }
  const pages = FILES.reduce((s, f) => s + PAGES[f]!, 0);
  console.info(
    `readers.test.ts: ${pages} pages — pdf.js ${(pages / seconds.pdfjs).toFixed(0)} pages/s` +
      (HAVE_POPPLER ? `, pdftotext ${(pages / seconds.pdftotext).toFixed(0)} pages/s` : ""),
  );
});

describe.each(["pdfjs", "pdftotext"] as const)("the published PDFs read with %s", (reader) => {
  const skip = reader === "pdftotext" && !HAVE_POPPLER && !CI;
  it.skipIf(skip)("every page, as pdfinfo counts them", () => {
    if (reader === "pdftotext") requirePoppler();
    for (const f of FILES) {
      const doc = ok(byReader[reader].get(f)!);
      expect(doc.reader, f).toBe(reader);
      expect(doc.geometry).toBe("pdf");
      expect(
        doc.pages.map((p) => p.number),
        f,
      ).toEqual(Array.from({ length: PAGES[f]! }, (_, i) => i + 1));
      for (const p of doc.pages) {
        expect(p.width, f).toBeGreaterThan(500);
        for (const w of p.words) {
          expect(w.x0 <= w.x1 && w.y0 <= w.y1, `${f} p${p.number} ${w.text}`).toBe(true);
          expect(w.text.trim()).toBe(w.text);
          expect(w.text).not.toBe("");
        }
      }
    }
  });

  it.skipIf(skip)("the words a person read on the pages, where they are printed", () => {
    if (reader === "pdftotext") requirePoppler();
    for (const s of SEEN) {
      const page = ok(byReader[reader].get(s.file)!).pages[s.page - 1]!;
      const found = findPhrase(page, s.phrase);
      const where = `${s.file} p${s.page} ${s.phrase}`;
      if (s.count !== undefined) expect(found.length, where).toBe(s.count);
      else expect(found.length, where).toBeGreaterThan(0);
      if (s.at) {
        const [fx0, fy0, fx1, fy1] = s.at;
        const box = found[0]!;
        const cx = (box.x0 + box.x1) / 2 / page.width;
        const cy = (box.y0 + box.y1) / 2 / page.height;
        expect(cx >= fx0 && cx <= fx1 && cy >= fy0 && cy <= fy1, `${where} at ${cx.toFixed(2)}, ${cy.toFixed(2)}`).toBe(true);
      }
    }
    // 5,011.40 stands to the right of its label, on the same line; 2,940.05 left of the first 支出 row's label
    const p10 = ok(byReader[reader].get("02-jiangsu-gaoyuan-2019-bumen-yusuan.pdf")!).pages[9]!;
    const [label] = findPhrase(p10, "三、单位预留机动经费");
    const [amount] = findPhrase(p10, "5,011.40");
    expect(Math.abs(label!.y1 - amount!.y1)).toBeLessThan(2);
    expect(amount!.x0).toBeGreaterThan(label!.x1);
    const p12 = ok(byReader[reader].get("18-putuo-caizhengju-2024-bumen-juesuan.pdf")!).pages[11]!;
    const [income] = findPhrase(p12, "2,940.05");
    const [row] = findPhrase(p12, "一、一般公共服务支出");
    expect(income!.x1).toBeLessThan(row!.x0);
    expect(Math.abs((income!.y0 + income!.y1) / 2 - (row!.y0 + row!.y1) / 2)).toBeLessThan(12);
    // the two 2,106.66 of that row stand on one line
    const twice = findPhrase(p12, "2,106.66");
    expect(Math.abs(twice[0]!.y1 - twice[1]!.y1)).toBeLessThan(2);
  });

  it.skipIf(skip)("a page with only ruling is read as a page without words, and said so", () => {
    if (reader === "pdftotext") requirePoppler();
    for (const b of BLANK) {
      const r = byReader[reader].get(b.file)!;
      expect(ok(r).pages[b.page - 1]!.words).toEqual([]);
      expect(r.ok && r.notes.some((n) => n.includes(`pages without text: ${b.page}`))).toBe(true);
    }
  });
});

describe.skipIf(!HAVE_POPPLER && !CI)("pdf.js and pdftotext agree", () => {
  it("on every page of every published PDF: the same multiset of non-blank characters", () => {
    requirePoppler();
    for (const f of FILES) {
      const a = ok(byReader.pdftotext.get(f)!);
      const b = ok(byReader.pdfjs.get(f)!);
      expect(b.pages.length, f).toBe(a.pages.length);
      for (let i = 0; i < a.pages.length; i++)
        expect(Object.fromEntries(charCounts(b.pages[i])), `${f} page ${i + 1}`).toEqual(Object.fromEntries(charCounts(a.pages[i])));
    }
  });

  // Heights differ: poppler takes a word's height from the font descriptor's ascent and descent, which some producers
  // write wrongly (on 18's page 1 the 27-pt title is 7 pt tall; on its page 12 a row's label is 3 pt tall, its amount
  // 22 pt), pdf.js from the embedded font's own metrics.
  it("on the boxes of the words read by a person: left and right within 1 pt, vertical centres within half a height", () => {
    requirePoppler();
    for (const s of SEEN) {
      const a = findPhrase(ok(byReader.pdftotext.get(s.file)!).pages[s.page - 1]!, s.phrase);
      const b = findPhrase(ok(byReader.pdfjs.get(s.file)!).pages[s.page - 1]!, s.phrase);
      expect(b.length).toBe(a.length);
      a.forEach((box, i) => {
        const where = `${s.file} p${s.page} ${s.phrase}`;
        expect(Math.abs(box.x0 - b[i]!.x0), where).toBeLessThan(1);
        expect(Math.abs(box.x1 - b[i]!.x1), where).toBeLessThan(1);
        expect(Math.abs((box.y0 + box.y1) / 2 - (b[i]!.y0 + b[i]!.y1) / 2), where).toBeLessThan((b[i]!.y1 - b[i]!.y0) / 2);
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------

const require = createRequire(import.meta.url);
const SERIF = require.resolve("@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf");
const tmp = mkdtempSync(join(tmpdir(), "gongkai-readers-"));

function writePdf(path: string, draw: (d: PDFKit.PDFDocument) => void): Promise<void> {
  return new Promise((done, failed) => {
    const d = new PDFDocument({ size: "A4" });
    const chunks: Buffer[] = [];
    d.on("data", (c: Buffer) => chunks.push(c));
    d.on("end", () => {
      writeFileSync(path, Buffer.concat(chunks));
      done();
    });
    d.on("error", failed);
    draw(d);
    d.end();
  });
}

describe("Kangxi and CJK-supplement radicals in a PDF's text", () => {
  // The text is written with the radicals (U+2F00 ⼀, U+2F40 ⽀, U+2ED3 ⻓, U+2ED4 ⻔): Noto draws each with the glyph
  // of the unified ideograph, and pdfkit's ToUnicode maps that glyph to the radical, as office software often does.
  const RADICAL_TEXT = "\u2f00般公共预算\u2f40出 12,345.00 \u2ed3期 部\u2ed4";
  const pdf = join(tmp, "kangxi.pdf");
  beforeAll(() => writePdf(pdf, (d) => d.font(SERIF).fontSize(14).text(RADICAL_TEXT, 72, 100)));

  it.skipIf(!HAVE_POPPLER && !CI)("are what poppler extracts as printed", () => {
    requirePoppler();
    const raw = parseBboxLayout(
      execFileSync("pdftotext", ["-bbox-layout", pdf, "-"], {
        encoding: "utf8",
      }),
    );
    expect(raw[0]!.words.map((w) => w.text).join(" ")).toBe(RADICAL_TEXT);
  });

  it.each(HAVE_POPPLER || CI ? (["pdfjs", "pdftotext"] as const) : (["pdfjs"] as const))("are read as the unified ideographs by %s", async (reader) => {
    if (reader === "pdftotext") requirePoppler();
    const r = await readPdfText(pdf, { reader });
    expect(ok(r).pages[0]!.words.map((w) => w.text)).toEqual(["一般公共预算支出", "12,345.00", "长期", "部门"]);
    expect(r.ok && r.notes.some((n) => n.includes("3 words had Kangxi or CJK radical code points"))).toBe(true);
  });
});

/** A PDF written by hand: `objects` numbered from 1 (1 the catalog), with a correct xref. */
function handmadePdf(objects: readonly string[]): Buffer {
  let out = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const ucs2 = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, "0")).join("");
const firstPageWords = (d: DocumentText) => d.pages[0]!.words.map((w) => [w.text, Math.round(w.x0), Math.round(w.x1)]);

describe("a PDF in a standard Chinese font that is not embedded (STSong-Light, the UniGB-UCS2-H CMap)", () => {
  // Each character is its UCS-2 code in the string: decoding it needs Adobe's CMaps, which pdf.js ships (and is pointed
  // at on disk) and poppler only has with poppler-data. The second line is printed in full-width digits.
  const content = `BT /F1 16 Tf 72 700 Td <${ucs2("一般公共预算支出")}> Tj 0 -30 Td <${ucs2("２０２４年")}> Tj ET`;
  const pdf = join(tmp, "stsong.pdf");
  beforeAll(() =>
    writeFileSync(
      pdf,
      handmadePdf([
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
      ]),
    ),
  );
  const WORDS = [
    ["一般公共预算支出", 72, 200],
    ["2024年", 72, 152],
  ];

  it("is read by pdf.js with the CMaps of the package, and by auto whatever poppler has", async () => {
    expect(firstPageWords(ok(await readPdfText(pdf, { reader: "pdfjs" })))).toEqual(WORDS);
    expect(firstPageWords(ok(await readPdfText(pdf)))).toEqual(WORDS);
  });

  it.skipIf(!HAVE_POPPLER && !CI)("by pdftotext only with poppler-data; without, it says so instead of calling it a scan", async () => {
    requirePoppler();
    const r = await readPdfText(pdf, { reader: "pdftotext" });
    if (r.ok) expect(firstPageWords(r.text)).toEqual(WORDS);
    else {
      expect(r.reason).toBe("no-text");
      expect(r.detail).toContain("poppler lacks the language pack for Adobe-GB1 (poppler-data)");
    }
  });
});

describe("a page turned a quarter (/Rotate 90) in a standard font (Helvetica, not embedded)", () => {
  // landscape MediaBox 842 × 595, displayed turned: 595 wide, 842 tall; the horizontal line of text reads downwards
  const content = "BT /F1 12 Tf 100 500 Td (Budget 2024: 1,234.00) Tj ET";
  const pdf = join(tmp, "rotated.pdf");
  beforeAll(() =>
    writeFileSync(
      pdf,
      handmadePdf([
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Rotate 90 /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      ]),
    ),
  );

  it.each(HAVE_POPPLER || CI ? (["pdfjs", "pdftotext"] as const) : (["pdfjs"] as const))(
    "%s: the page as displayed, the words running down it",
    async (reader) => {
      if (reader === "pdftotext") requirePoppler();
      const page = ok(await readPdfText(pdf, { reader })).pages[0]!;
      expect([page.width, page.height]).toEqual([595, 842]);
      expect(page.words.map((w) => w.text)).toEqual(["Budget", "2024:", "1,234.00"]);
      for (const w of page.words) {
        expect(w.y1 - w.y0).toBeGreaterThan(w.x1 - w.x0); // a run that reads downwards
        expect(w.x0 >= 0 && w.x1 <= 595 && w.y0 >= 0 && w.y1 <= 842).toBe(true);
      }
      // turned clockwise: displayed x = user y (the baseline at 500, the glyphs' tops to its right), displayed y = user x
      const first = page.words[0]!;
      expect(first.x0 < 500 && first.x1 > 500 && first.x1 < 515, `${first.x0}–${first.x1}`).toBe(true);
      expect(first.y0).toBeCloseTo(100, 0);
    },
  );
});

describe("a plain-text extraction", () => {
  it("the seed: one page (it has no form feed), words at their display columns, y the line number", async () => {
    const r = await readTextFile(SEED);
    const doc = ok(r);
    expect(doc.reader).toBe("text");
    expect(doc.geometry).toBe("text");
    expect(doc.pages).toHaveLength(1);
    expect(r.ok && r.notes.some((n) => n.includes("no form feeds"))).toBe(true);
    const at = (line: number) => doc.pages[0]!.words.filter((w) => w.y0 === line).map((w) => [w.text, w.x0, w.x1]);
    // line 1: " 第一部分 2024 年昌吉回族自治州信访局部门概况" (a leading space)
    expect(at(1)).toEqual([
      ["第一部分", 1, 9],
      ["2024", 10, 14],
      ["年昌吉回族自治州信访局部门概况", 15, 45],
    ]);
    // line 429, 表4's first row: "一、财政拨款（补助） 537.45 201 一般公共服务支出 423.59 423.59"
    expect(at(429)).toEqual([
      ["一、财政拨款（补助）", 0, 20],
      ["537.45", 21, 27],
      ["201", 28, 31],
      ["一般公共服务支出", 32, 48],
      ["423.59", 49, 55],
      ["423.59", 56, 62],
    ]);
    expect(at(740)).toEqual([
      ["表", 1, 3],
      ["10", 4, 6],
    ]);
    expect(doc.pages[0]!.words.every((w) => w.y1 === w.y0 + 1)).toBe(true);
  });

  it("form feeds split pages; a last form feed makes no empty page; CRLF, tabs, BOM, ideographic space, full-width digits", async () => {
    const p = join(tmp, "pages.txt");
    writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("第一页\r\n合计\t１２３．４５\f第二页\u3000支出\r\n\u2f00般\f", "utf8")]));
    const doc = ok(await readTextFile(p));
    expect(doc.pages.map((pg) => pg.words.map((w) => [w.text, w.x0, w.y0]))).toEqual([
      [
        ["第一页", 0, 1],
        ["合计", 0, 2],
        ["123.45", 8, 2],
      ],
      [
        ["第二页", 0, 1],
        ["支出", 8, 1],
        ["一般", 0, 2],
      ],
    ]);
  });

  it("GB18030 when the bytes are not UTF-8", async () => {
    const p = join(tmp, "gbk.txt");
    // 部门预算 1.00 in GBK, byte by byte: 部 B2BF 门 C3C5 预 D4A4 算 CBE3
    writeFileSync(p, Buffer.from([0xb2, 0xbf, 0xc3, 0xc5, 0xd4, 0xa4, 0xcb, 0xe3, 0x20, 0x31, 0x2e, 0x30, 0x30, 0x0a]));
    const r = await readTextFile(p);
    expect(ok(r).pages[0]!.words.map((w) => w.text)).toEqual(["部门预算", "1.00"]);
    expect(r.ok && r.notes.some((n) => n.includes("GB18030"))).toBe(true);
  });

  it("refuses what is not text, and a text of blanks", async () => {
    const bin = join(tmp, "bin.txt");
    writeFileSync(bin, Buffer.from([0x41, 0x00, 0x42, 0x0a]));
    expect(await readTextFile(bin)).toMatchObject({
      ok: false,
      reason: "not-pdf",
    });
    expect(textToDocument("blank.txt", " \n\u3000\n\f\n")).toMatchObject({
      ok: false,
      reason: "no-text",
    });
    expect(await readTextFile(join(tmp, "missing.txt"))).toMatchObject({
      ok: false,
      reason: "not-found",
    });
  });
});

describe("readDocument chooses the reader by content, not by name", () => {
  it("a PDF named .txt is read as a PDF, a text named .pdf as text, a zip named .pdf is refused", async () => {
    const pdfAsTxt = join(tmp, "disclosure.txt");
    await writePdf(pdfAsTxt, (d) => d.font(SERIF).fontSize(12).text("部门预算", 72, 72));
    const a = await readDocument(pdfAsTxt, { reader: "pdfjs" });
    expect(ok(a).geometry).toBe("pdf");
    expect(ok(a).pages[0]!.words.map((w) => w.text)).toEqual(["部门预算"]);

    const txtAsPdf = join(tmp, "extracted.pdf");
    writeFileSync(txtAsPdf, "部门预算 2024\n");
    expect(ok(await readDocument(txtAsPdf)).reader).toBe("text");

    const zip = join(tmp, "tables.pdf");
    writeFileSync(zip, Buffer.concat([Buffer.from("PK\u0003\u0004", "latin1"), Buffer.alloc(100)]));
    const z = await readDocument(zip);
    expect(z).toMatchObject({ ok: false, reason: "not-pdf" });
    expect(!z.ok && z.detail).toContain("zip");
    const html = join(tmp, "page.pdf");
    writeFileSync(html, "<!DOCTYPE html><html><body>部门预算</body></html>");
    expect(await readDocument(html)).toMatchObject({
      ok: false,
      reason: "not-pdf",
    });
  });

  it("gives the user a message in Chinese and English naming the file", () => {
    const m = unreadableMessage("a.pdf", {
      reason: "encrypted",
      detail: "No password given",
    });
    expect(m.zh).toBe("a.pdf：PDF 已加密，需要密码才能打开（No password given）");
    expect(m.en).toBe("a.pdf: the PDF is encrypted: it needs a password to open (No password given)");
  });
});
