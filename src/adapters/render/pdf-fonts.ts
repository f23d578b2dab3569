/**
 * The PDF engine of the process: pdfmake with two TTF files (OFL), loaded from node_modules at run time, as Chinese
 * official documents are set — text in a Song-style serif (宋体: Noto Serif SC Regular 400, from
 * `@expo-google-fonts/noto-serif-sc`), and whatever is bold in 黑体 (Noto Sans SC Bold 700, from
 * `@expo-google-fonts/noto-sans-sc`): part and section headings, table titles and headers, total rows, field labels.
 * They are one font family, PDF_FONT, whose bold face is the 黑体: `bold: true` anywhere means 黑体. No other weight
 * of either package is read. pdfkit embeds each as a CID font subset to the glyphs a document uses, with a ToUnicode
 * map, so the text stays extractable.
 *
 * Fonts are read and parsed once per process, not per document: the TTF bytes are read once and fontkit parses them
 * once; every document registers those bytes with its pdfkit document (no file read) and shares the parsed fontkit
 * font (its cmap, glyph metrics and layout tables) and the cache of laid-out strings, keeping only its own subset.
 * pdfkit has no public way to hand it a parsed font, so `shareParsedFonts` patches pdfmake's font provider in one
 * place; a test checks that two documents parse each font once. The same parsed fonts measure text for the line
 * breaking of pdf-lines.ts, so its widths are pdfkit's.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { TextMeasure } from "./pdf-lines.ts";

type Pdfmake = typeof import("pdfmake");

const require = createRequire(import.meta.url);

/** The font family name documents use, and the one chart SVGs fall back to: 宋体 text, 黑体 bold. */
export const PDF_FONT = "SongHei";

/** The two faces, each a file of its package: the family's normal face (宋体) and its bold face (黑体). */
const FACES = {
  normal: "@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf",
} as const;

/** Absolute paths of the two TTF files used. */
export function fontFiles(): { normal: string; bold: string } {
  return { normal: require.resolve(FACES.normal), bold: require.resolve(FACES.bold) };
}

/** The slice of a fontkit font used here. */
interface FontkitFont {
  readonly unitsPerEm: number;
  layout(text: string): { advanceWidth: number };
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
  createSubset(): unknown;
}

/** The slice of pdfkit's embedded font that sharing touches. */
interface EmbeddedFontLike {
  font: FontkitFont;
  subset: unknown;
  layoutCache?: Record<string, unknown>;
}

interface PdfKitDocLike {
  registerFont(name: string, src: Uint8Array): unknown;
}

/** Documents that have the TTF bytes registered under each file name. */
const registered = new WeakMap<object, Set<string>>();

/** Process-wide: the bytes of each TTF (read once) and the fontkit font parsed from them (once). */
const bytes = new Map<string, Buffer>();
const parsed = new Map<string, FontkitFont>();
let parses = 0;

/**
 * pdfkit's cache of laid-out strings, shared by documents: runs are read-only once laid out. Renewed every
 * LAYOUT_CACHE_DOCUMENTS documents, so that a province of documents does not grow it without bound.
 */
const LAYOUT_CACHE_DOCUMENTS = 50;
const layoutCaches = new Map<string, Record<string, unknown>>();
let documents = 0;

/** How many times a TTF was parsed in this process (the test checks it stays at one per face). */
export function fontParseCount(): number {
  return parses;
}

function shareParsedFonts(): void {
  const proto = (require("pdfmake/js/PDFDocument.js") as { default: { prototype: Record<string, unknown> } }).default.prototype;
  const original = proto["provideFont"] as (this: PdfKitDocLike & { fonts: Record<string, Record<string, unknown>> }, family: string, bold: boolean, italics: boolean) => EmbeddedFontLike;
  proto["provideFont"] = function provideFont(this: PdfKitDocLike & { fonts: Record<string, Record<string, unknown>>; getFontFile(f: string, b: boolean, i: boolean): unknown }, family: string, bold: boolean, italics: boolean) {
    const file = this.getFontFile(family, bold, italics);
    if (typeof file !== "string" || !bytes.has(file)) return original.call(this, family, bold, italics);
    // the document opens the font from the registered bytes (no file read); SVG text asks for the same name
    const names = registered.get(this) ?? new Set<string>();
    if (!names.has(file)) {
      this.registerFont(file, bytes.get(file)!);
      names.add(file);
      registered.set(this, names);
    }
    const embedded = original.call(this, family, bold, italics);
    const shared = parsed.get(file)!;
    if (embedded.font !== shared) {
      // a new embedded font of this document: the shared parse, its own subset, the shared layout cache
      embedded.font = shared;
      embedded.subset = shared.createSubset();
      if (embedded.layoutCache !== undefined) {
        let cache = layoutCaches.get(file);
        if (cache === undefined) layoutCaches.set(file, (cache = Object.create(null) as Record<string, unknown>));
        embedded.layoutCache = cache;
      }
    }
    return embedded;
  };
}

function loadFonts(): { normal: string; bold: string } {
  const files = fontFiles();
  if (parsed.size === 0) {
    const fontkit = require("fontkit") as { create(data: Uint8Array): FontkitFont };
    for (const f of [files.normal, files.bold]) {
      const data = readFileSync(f);
      bytes.set(f, data);
      parsed.set(f, fontkit.create(data));
      parses++;
    }
  }
  return files;
}

/** Called once per document: renews the shared layout caches now and then. */
export function startDocument(): void {
  if (++documents % LAYOUT_CACHE_DOCUMENTS === 0) layoutCaches.clear();
}

let measure: TextMeasure | null = null;

/**
 * Advance widths from the embedded fonts themselves: an ideograph (or any character above U+2000) by its advance,
 * cached per code point — these fonts do not kern them; a run of Latin letters, digits and punctuation laid out
 * whole, as pdfkit lays it out (it kerns, sometimes wider), cached per run.
 */
export function pdfMeasure(): TextMeasure {
  if (measure) return measure;
  const files = loadFonts();
  const fonts = [parsed.get(files.normal)!, parsed.get(files.bold)!];
  const chars = [new Map<number, number>(), new Map<number, number>()];
  const runs = [new Map<string, number>(), new Map<string, number>()];
  const runWidth = (k: number, run: string): number => {
    const cache = runs[k]!;
    let w = cache.get(run);
    if (w === undefined) {
      const font = fonts[k]!;
      w = font.layout(run).advanceWidth / font.unitsPerEm;
      if (cache.size > 50_000) cache.clear();
      cache.set(run, w);
    }
    return w;
  };
  measure = {
    width(text, size, bold) {
      const k = bold ? 1 : 0;
      const cache = chars[k]!;
      const font = fonts[k]!;
      let em = 0;
      let runStart = -1;
      for (let i = 0; i <= text.length; i++) {
        const cp = i < text.length ? text.codePointAt(i)! : -1;
        if (cp >= 0 && cp < 0x2000) {
          if (runStart < 0) runStart = i;
          continue;
        }
        if (runStart >= 0) {
          em += runWidth(k, text.slice(runStart, i));
          runStart = -1;
        }
        if (cp < 0) break;
        if (cp > 0xffff) i++;
        let w = cache.get(cp);
        if (w === undefined) {
          w = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
          cache.set(cp, w);
        }
        em += w;
      }
      return em * size;
    },
  };
  return measure;
}

let engine: Pdfmake | null = null;

/** The pdfmake instance of the process, its fonts set and read once; no file or URL access beyond the fonts. */
export function pdfEngine(): Pdfmake {
  if (engine) return engine;
  const files = loadFonts();
  const pdfmake = require("pdfmake") as Pdfmake;
  pdfmake.setFonts({ [PDF_FONT]: { normal: files.normal, bold: files.bold, italics: files.normal, bolditalics: files.bold } });
  const allowed = new Set([files.normal, files.bold]);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
  pdfmake.setUrlAccessPolicy(() => false);
  shareParsedFonts();
  engine = pdfmake;
  return pdfmake;
}
