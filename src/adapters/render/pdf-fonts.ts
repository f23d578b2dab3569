/**
 * The PDF engine of the process: pdfmake with the Noto Sans SC TTF files of `@expo-google-fonts/noto-sans-sc` (OFL),
 * loaded from node_modules at run time. Only two weights are used (Regular 400, Bold 700); pdfkit embeds each as a
 * CID font subset to the glyphs a document uses, with a ToUnicode map, so the text stays extractable.
 *
 * Fonts are read and parsed once per process, not per document: the first document reads the TTF bytes and fontkit
 * parses them; later documents register those bytes with their pdfkit document (no file read) and share the parsed
 * fontkit font (its cmap, glyph metrics and layout tables), keeping only their own subset. pdfkit has no public way
 * to hand it a parsed font, so `shareParsedFonts` patches pdfmake's font provider in one place; the PDF test and the
 * benchmark show the effect (a second document does not parse again).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

type Pdfmake = typeof import("pdfmake");

const require = createRequire(import.meta.url);

/** The font family name documents use, and the one chart SVGs fall back to. */
export const PDF_FONT = "NotoSansSC";

const FONT_PACKAGE = "@expo-google-fonts/noto-sans-sc";
const WEIGHTS = { normal: "400Regular/NotoSansSC_400Regular.ttf", bold: "700Bold/NotoSansSC_700Bold.ttf" } as const;

/** Absolute paths of the two TTF files used. */
export function fontFiles(): { normal: string; bold: string } {
  return { normal: require.resolve(`${FONT_PACKAGE}/${WEIGHTS.normal}`), bold: require.resolve(`${FONT_PACKAGE}/${WEIGHTS.bold}`) };
}

/** The slice of pdfkit's embedded font that sharing touches. */
interface EmbeddedFontLike {
  font: { createSubset(): unknown };
  subset: unknown;
}

interface PdfKitDocLike {
  registerFont(name: string, src: Uint8Array): unknown;
}

/** Documents that have the TTF bytes registered under each file name. */
const registered = new WeakMap<object, Set<string>>();

/** Process-wide: the bytes of each TTF (read once) and the fontkit font parsed from them (first document). */
const bytes = new Map<string, Buffer>();
const parsed = new Map<string, EmbeddedFontLike["font"]>();
let parses = 0;

/** How many times a TTF was parsed in this process (the test checks it stays at one per weight). */
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
    const shared = parsed.get(file);
    if (shared === undefined) {
      parsed.set(file, embedded.font);
      parses++;
    } else if (embedded.font !== shared) {
      embedded.font = shared;
      embedded.subset = shared.createSubset();
    }
    return embedded;
  };
}

let engine: Pdfmake | null = null;

/** The pdfmake instance of the process, its fonts set and read once; no file or URL access beyond the fonts. */
export function pdfEngine(): Pdfmake {
  if (engine) return engine;
  const files = fontFiles();
  for (const f of [files.normal, files.bold]) bytes.set(f, readFileSync(f));
  const pdfmake = require("pdfmake") as Pdfmake;
  pdfmake.setFonts({ [PDF_FONT]: { normal: files.normal, bold: files.bold, italics: files.normal, bolditalics: files.bold } });
  const allowed = new Set([files.normal, files.bold]);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
  pdfmake.setUrlAccessPolicy(() => false);
  shareParsedFonts();
  engine = pdfmake;
  return pdfmake;
}
