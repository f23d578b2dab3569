/**
 * A chart of the disclosure as a picture in the Word document: the SVG that `chart-svg.ts` draws (the same picture as
 * the page and the PDF) rasterised to PNG by resvg (`@resvg/resvg-js`), under its numbered caption, with the chart's
 * values in words as the picture's alternative text. Word, WPS and LibreOffice all show a PNG; not all of them show
 * an SVG picture.
 *
 * The text is drawn with Noto Sans SC Regular from `@expo-google-fonts/noto-sans-sc` (the PDF's font), and no
 * system font is loaded, so the picture — and the document's bytes — are the same on every machine. The PNG has
 * twice the pixels of the SVG's size, for print; it is encoded here (RGB on white), so its bytes depend only on the
 * pixels.
 */
import { Resvg } from "@resvg/resvg-js";
import { AlignmentType, ImageRun, LineRuleType, Paragraph, TextRun } from "docx";
import { createRequire } from "node:module";
import { crc32, deflateSync } from "node:zlib";
import type { ChartSpec } from "./chart-specs.ts";
import { CHART_FONT, chartDescription, chartSize, renderChartSvg } from "./chart-svg.ts";

const require = createRequire(import.meta.url);

const FONT_FAMILY = "Noto Sans SC";
const FONT_FILE = "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf";
/** Pixels of the PNG per SVG pixel. */
const ZOOM = 2;

/** A PNG chunk: length, type, data, CRC of type and data. */
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG (8-bit RGB, no interlace) of RGBA pixels `rgba` (`width` × `height`), dropping the alpha channel. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    let o = y * (width * 3 + 1) + 1; // filter byte 0 (none) first
    for (let x = 0, i = y * width * 4; x < width; x++, i += 4) {
      raw[o++] = rgba[i]!;
      raw[o++] = rgba[i + 1]!;
      raw[o++] = rgba[i + 2]!;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(raw)), pngChunk("IEND", Buffer.alloc(0))]);
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

export interface ChartPicture {
  readonly png: Uint8Array;
  /** the SVG's size in pixels */
  readonly width: number;
  readonly height: number;
}

/**
 * The charts as PNG pictures. resvg loads the 10 MB font for each image it draws (about 0.3 s), so the charts are
 * drawn as one image, one above the other, and cut apart.
 */
export function chartPngs(specs: readonly ChartSpec[]): ChartPicture[] {
  if (specs.length === 0) return [];
  const sizes = specs.map((spec) => chartSize(spec));
  const tops = sizes.map((_, i) => sizes.slice(0, i).reduce((a, z) => a + z.height, 0));
  const width = Math.max(...sizes.map((z) => z.width));
  const height = tops[tops.length - 1]! + sizes[sizes.length - 1]!.height;
  const inner = specs.map((spec, i) => renderChartSvg(spec, sizes[i]).replaceAll(CHART_FONT, FONT_FAMILY).replace(/^<svg\b/, `<svg x="0" y="${tops[i]}"`));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${inner.join("")}</svg>`;
  const image = new Resvg(svg, {
    fitTo: { mode: "zoom", value: ZOOM },
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: [require.resolve(FONT_FILE)], defaultFontFamily: FONT_FAMILY },
  }).render();
  const pixels = image.pixels;
  const stride = image.width * 4;
  return specs.map((_, i) => {
    const w = sizes[i]!.width * ZOOM;
    const h = sizes[i]!.height * ZOOM;
    const part = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) {
      const from = (tops[i]! * ZOOM + y) * stride;
      part.set(pixels.subarray(from, from + w * 4), y * w * 4);
    }
    return { png: encodePng(part, w, h), width: sizes[i]!.width, height: sizes[i]!.height };
  });
}

/** Points per SVG pixel in the document: 12 px labels print at 8.4 pt, as in the PDF. */
const SCALE = 0.7;

/**
 * The caption, the picture and the note of a chart, at most `maxWidth` twips wide. `id` numbers the picture in the
 * document (wp:docPr ids must differ).
 */
export function docxChart(spec: ChartSpec, picture: ChartPicture, maxWidth: number, id: number): Paragraph[] {
  const { png, width, height } = picture;
  // ImageRun sizes are pixels at 96 dpi: 1 px = 0.75 pt = 15 twips
  const fit = Math.min(SCALE / 0.75, maxWidth / 15 / width);
  const caption = `${spec.number} ${spec.title}（单位：${spec.unitLabel}）`;
  const out = [
    new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 120, after: 60 }, children: [new TextRun({ text: caption, bold: true, size: 21 })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: spec.note !== null,
      // single line spacing, said explicitly: LibreOffice takes a line height without a rule as exact and clips
      // the picture to it
      spacing: { before: 0, after: 120, line: 240, lineRule: LineRuleType.AUTO },
      children: [
        new ImageRun({
          type: "png",
          data: png,
          transformation: { width: Math.round(width * fit), height: Math.round(height * fit) },
          altText: { id: String(id), name: spec.id, title: caption, description: chartDescription(spec) },
        }),
      ],
    }),
  ];
  if (spec.note !== null) out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: `注：${spec.note}`, size: 18 })] }));
  return out;
}
