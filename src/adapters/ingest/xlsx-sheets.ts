/**
 * The cells of an .xlsx workbook, read without trusting it: the ZIP container through `xlsx-zip.ts` (bounded),
 * the XML parts through `xlsx-xml.ts` (no DTD, no recursion), and only what a budget needs — sheet names and
 * visibility, shared strings, which number formats are dates, and per sheet its rows (with `hidden`), its cells
 * (value, formula, cached result) and its merged ranges. Data validations, conditional formats, drawings and the
 * rest are never parsed, so a workbook cannot make this reader expand a range cell by cell.
 *
 * Why not exceljs for reading (it writes our workbook): its reader expands every merged range and every data
 * validation range into one object per cell (a one-kilobyte file with `A1:XFD1048576` hangs it), holds the whole
 * model in memory and exposes no limits; a hostile-input reader needs all three bounded.
 *
 * A number cell keeps the text Excel wrote in `<v>`; the budget reader turns it into an amount through its shortest
 * decimal string, never through arithmetic.
 */
import { ZipArchive, ZipRefused, type ZipLimits, type ZipProblem } from "./xlsx-zip.ts";
import { decodeOoxmlEscapes, scanXml, XmlError } from "./xlsx-xml.ts";

export const XLSX_ZIP_LIMITS: ZipLimits = { maxEntries: 1000, maxEntryBytes: 100 * 1024 * 1024, maxTotalBytes: 200 * 1024 * 1024 };
/** Rows holding a value, per sheet (the last such row number, header included, is at most this + 1). */
export const MAX_SHEET_ROWS = 200_000;
/** Cells holding a value, in the whole workbook. */
export const MAX_WORKBOOK_CELLS = 2_000_000;
/** Merged ranges per sheet. */
export const MAX_SHEET_MERGES = 10_000;
/** Sheets in a workbook. */
export const MAX_SHEETS = 255;
/** Cells right of this column are not read (a budget sheet uses about a dozen). */
export const MAX_READ_COLUMN = 256;
const EXCEL_MAX_ROW = 1_048_576;
const EXCEL_MAX_COLUMN = 16_384;

export interface Cell {
  /** `none`: a formula without a cached result */
  readonly type: "number" | "text" | "bool" | "error" | "none";
  /** number: the text written in `<v>`; text: the string; bool: TRUE/FALSE; error: e.g. `#DIV/0!`; none: "" */
  readonly text: string;
  /** the formula (without `=`) when the cell holds one; its value above is the cached result */
  readonly formula?: string;
  /** a number shown as a date by its format */
  readonly date?: boolean;
}

export interface SheetRow {
  readonly row: number;
  readonly hidden: boolean;
  /** by 1-based column; sparse */
  readonly cells: Map<number, Cell>;
}

export interface CellRange {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
  /** as written, e.g. `B5:C6` */
  readonly ref: string;
}

export interface Sheet {
  readonly name: string;
  /** rows that hold at least one cell, in row order */
  readonly rows: readonly SheetRow[];
  readonly merges: readonly CellRange[];
}

export interface SheetInfo {
  readonly name: string;
  readonly hidden: boolean;
}

/** Why a workbook cannot be read: a message code of the input catalog and its params. */
export interface WorkbookProblem {
  readonly code: string;
  readonly params: Record<string, string | number>;
}

export class WorkbookRefused extends Error {
  constructor(readonly problem: WorkbookProblem) {
    super(`workbook refused: ${problem.code}`);
  }
}

function refuse(code: string, params: Record<string, string | number> = {}): never {
  throw new WorkbookRefused({ code, params });
}

export function zipProblem(p: ZipProblem): WorkbookProblem {
  switch (p.kind) {
    case "not_zip":
      return { code: "xlsx.not_a_workbook", params: { reason: p.detail } };
    case "encrypted":
      return { code: "xlsx.encrypted", params: {} };
    case "too_many_entries":
      return { code: "xlsx.too_many_parts", params: { count: p.size ?? 0, limit: XLSX_ZIP_LIMITS.maxEntries } };
    case "entry_too_large":
    case "total_too_large":
      return { code: "xlsx.unzipped_too_large", params: { size: p.size ?? 0, limit: `${XLSX_ZIP_LIMITS.maxTotalBytes / 1024 / 1024} MB` } };
    default:
      return { code: "xlsx.corrupt", params: { reason: p.entry !== undefined ? `${p.entry}: ${p.detail}` : p.detail } };
  }
}

/** The workbook's parts, read on demand. */
export class XlsxWorkbook {
  readonly sheets: readonly SheetInfo[];
  readonly date1904: boolean;
  private readonly targets: ReadonlyMap<string, string>;
  private strings: string[] | null = null;
  private dateStyles: boolean[] | null = null;
  private cellCount = 0;

  private constructor(
    private readonly zip: ZipArchive,
    private readonly parts: { workbook: string; sharedStrings: string | null; styles: string | null },
    sheets: { name: string; hidden: boolean; target: string }[],
    date1904: boolean,
  ) {
    this.sheets = sheets.map(({ name, hidden }) => ({ name, hidden }));
    this.targets = new Map(sheets.map((s) => [s.name, s.target]));
    this.date1904 = date1904;
  }

  /** Opens the container and reads the workbook part; `WorkbookRefused` for anything unusable. */
  static open(bytes: Uint8Array): XlsxWorkbook {
    const opened = ZipArchive.open(bytes, XLSX_ZIP_LIMITS);
    if (!opened.ok) throw new WorkbookRefused(zipProblem(opened.problem));
    const zip = opened.zip;
    const mimetype = zip.has("mimetype") ? new TextDecoder().decode(readEntry(zip, "mimetype")) : "";
    if (mimetype.startsWith("application/vnd.oasis.opendocument")) refuse("xlsx.ods");
    const rootRels = relationships(zip, "_rels/.rels", "");
    const workbook = rootRels.find((r) => r.type.endsWith("/officeDocument"))?.target ?? "xl/workbook.xml";
    if (!zip.has(workbook)) refuse("xlsx.not_a_workbook", { reason: `no ${workbook}` });
    const dir = workbook.slice(0, workbook.lastIndexOf("/") + 1);
    const relsPath = `${dir}_rels/${workbook.slice(dir.length)}.rels`;
    const rels = relationships(zip, relsPath, dir);
    const byId = new Map(rels.map((r) => [r.id, r]));
    const sheets: { name: string; hidden: boolean; target: string }[] = [];
    let date1904 = false;
    parse(zip, workbook, {
      open(name, a) {
        if (name === "workbookPr") date1904 = a["date1904"] === "1" || a["date1904"] === "true";
        if (name !== "sheet") return;
        if (sheets.length >= MAX_SHEETS) refuse("xlsx.corrupt", { reason: `more than ${MAX_SHEETS} sheets` });
        const rel = byId.get(a["id"] ?? "");
        sheets.push({
          name: a["name"] ?? "",
          hidden: a["state"] === "hidden" || a["state"] === "veryHidden",
          target: rel?.type.endsWith("/worksheet") ? rel.target : "",
        });
      },
      close() {},
      text() {},
    });
    const part = (suffix: string) => rels.find((r) => r.type.endsWith(suffix))?.target ?? null;
    return new XlsxWorkbook(zip, { workbook, sharedStrings: part("/sharedStrings"), styles: part("/styles") }, sheets, date1904);
  }

  /** The application that saved the file, from docProps/app.xml (e.g. "LibreOffice/7.4…"), or "". */
  application(): string {
    if (!this.zip.has("docProps/app.xml")) return "";
    let inApp = false;
    let out = "";
    parse(this.zip, "docProps/app.xml", {
      open(name) {
        inApp = name === "Application";
      },
      close() {
        inApp = false;
      },
      text(t) {
        if (inApp) out += t;
      },
    });
    return out;
  }

  /** The cells of a sheet (undefined when there is no such sheet, or it is a chart sheet). */
  sheet(name: string): Sheet | undefined {
    const target = this.targets.get(name);
    if (target === undefined || target === "" || !this.zip.has(target)) return undefined;
    return this.readSheet(name, target);
  }

  private sharedStrings(): string[] {
    if (this.strings) return this.strings;
    const out: string[] = [];
    const path = this.parts.sharedStrings;
    if (path !== null && this.zip.has(path)) {
      let inSi = false;
      let phonetic = 0;
      let inT = false;
      let buf = "";
      parse(this.zip, path, {
        open(name) {
          if (name === "si") {
            inSi = true;
            buf = "";
          } else if (name === "rPh") phonetic++;
          else if (name === "t") inT = true;
        },
        close(name) {
          if (name === "si") {
            inSi = false;
            if (out.length >= MAX_WORKBOOK_CELLS) refuse("xlsx.too_many_cells", { limit: MAX_WORKBOOK_CELLS });
            out.push(decodeOoxmlEscapes(buf));
          } else if (name === "rPh") phonetic--;
          else if (name === "t") inT = false;
        },
        text(t) {
          if (inSi && inT && phonetic === 0) buf += t;
        },
      });
    }
    this.strings = out;
    return out;
  }

  private dates(): boolean[] {
    if (this.dateStyles) return this.dateStyles;
    const formats = new Map<number, string>();
    const xfs: boolean[] = [];
    const path = this.parts.styles;
    if (path !== null && this.zip.has(path)) {
      const pending: number[] = [];
      let inCellXfs = false;
      parse(this.zip, path, {
        open(name, a) {
          if (name === "numFmt") formats.set(Number(a["numFmtId"]), a["formatCode"] ?? "");
          else if (name === "cellXfs") inCellXfs = true;
          else if (name === "xf" && inCellXfs) pending.push(Number(a["numFmtId"] ?? 0));
        },
        close(name) {
          if (name === "cellXfs") inCellXfs = false;
        },
        text() {},
      });
      for (const id of pending) xfs.push(isDateFormat(id, formats.get(id)));
    }
    this.dateStyles = xfs;
    return xfs;
  }

  private readSheet(name: string, target: string): Sheet {
    const strings = this.sharedStrings();
    const dateStyles = this.dates();
    const rows: SheetRow[] = [];
    const merges: CellRange[] = [];
    const shared = new Map<string, string>();
    let row: SheetRow | null = null;
    let rowNumber = 0;
    let col = 0;
    // the cell being read
    let cRef = "";
    let cType = "";
    let cStyle = 0;
    let cValue: string | null = null;
    let cFormula: string | null = null;
    let cInline = "";
    let inV = false;
    let inF = false;
    let inIs = false;
    let inT = false;
    let phonetic = 0;
    let sharedSi: string | null = null;
    let sharedMaster = false;
    let lastDataRow = 0;
    const countCell = (): void => {
      if (++this.cellCount > MAX_WORKBOOK_CELLS) refuse("xlsx.too_many_cells", { limit: MAX_WORKBOOK_CELLS });
    };

    parse(this.zip, target, {
      open(tag, a, selfClosing) {
        switch (tag) {
          case "row": {
            const r = a["r"] !== undefined ? Number(a["r"]) : rowNumber + 1;
            if (!Number.isInteger(r) || r < 1 || r > EXCEL_MAX_ROW || r <= rowNumber) refuse("xlsx.corrupt", { reason: `${name}: bad row number ${a["r"] ?? ""}` });
            rowNumber = r;
            col = 0;
            row = { row: r, hidden: a["hidden"] === "1" || a["hidden"] === "true", cells: new Map() };
            return;
          }
          case "c": {
            cRef = a["r"] ?? "";
            cType = a["t"] ?? "n";
            cStyle = Number(a["s"] ?? 0);
            cValue = null;
            cFormula = null;
            cInline = "";
            if (cRef !== "") {
              const at = parseCellRef(cRef);
              if (at === null || at.row !== rowNumber || at.col <= col) refuse("xlsx.corrupt", { reason: `${name}: bad cell reference ${cRef} in row ${rowNumber}` });
              col = at.col;
            } else col++;
            if (col > EXCEL_MAX_COLUMN) refuse("xlsx.corrupt", { reason: `${name}: column past XFD` });
            return;
          }
          case "v":
            inV = !selfClosing;
            if (!selfClosing) cValue = "";
            return;
          case "f":
            inF = !selfClosing;
            cFormula = "";
            sharedSi = a["t"] === "shared" ? (a["si"] ?? null) : null;
            sharedMaster = sharedSi !== null && a["ref"] !== undefined;
            return;
          case "is":
            inIs = true;
            return;
          case "rPh":
            phonetic++;
            return;
          case "t":
            inT = true;
            return;
          case "mergeCell": {
            const range = parseRange(a["ref"] ?? "");
            if (range === null) refuse("xlsx.corrupt", { reason: `${name}: bad merged range ${a["ref"] ?? ""}` });
            else {
              if (merges.length >= MAX_SHEET_MERGES) refuse("xlsx.too_many_merges", { sheet: name, limit: MAX_SHEET_MERGES });
              merges.push(range);
            }
            return;
          }
          default:
        }
      },
      close(tag) {
        switch (tag) {
          case "v":
            inV = false;
            return;
          case "f":
            inF = false;
            if (sharedSi !== null) {
              if (sharedMaster) shared.set(sharedSi, cFormula ?? "");
              else if (cFormula === "") cFormula = shared.get(sharedSi) ?? "";
            }
            return;
          case "is":
            inIs = false;
            return;
          case "rPh":
            phonetic--;
            return;
          case "t":
            inT = false;
            return;
          case "c": {
            const cell = makeCell(cType, cValue, cFormula, cInline, cStyle);
            if (cell !== null && row !== null && col <= MAX_READ_COLUMN) {
              row.cells.set(col, cell);
              countCell();
            }
            return;
          }
          case "row":
            if (row !== null && row.cells.size > 0) {
              if (rows.length >= MAX_SHEET_ROWS + 1) refuse("xlsx.too_many_rows", { sheet: name, row: row.row, limit: MAX_SHEET_ROWS });
              rows.push(row);
              lastDataRow = row.row;
              if (lastDataRow > MAX_SHEET_ROWS + 1) refuse("xlsx.too_many_rows", { sheet: name, row: lastDataRow, limit: MAX_SHEET_ROWS });
            }
            row = null;
            return;
          default:
        }
      },
      text(t) {
        if (inV) cValue += t;
        else if (inF) cFormula += t;
        else if (inIs && inT && phonetic === 0) cInline += t;
      },
    });
    return { name, rows, merges };

    function makeCell(type: string, v: string | null, f: string | null, inline: string, style: number): Cell | null {
      const withFormula = (c: { type: Cell["type"]; text: string; date?: boolean }): Cell => (f !== null ? { ...c, formula: f } : c);
      switch (type) {
        case "s": {
          if (v === null) return f !== null ? withFormula({ type: "none", text: "" }) : null;
          const idx = Number(v);
          const s = strings[idx];
          if (!Number.isInteger(idx) || s === undefined) refuse("xlsx.corrupt", { reason: `${name}!${cRef}: no shared string ${v}` });
          return s === "" && f === null ? null : withFormula({ type: "text", text: s ?? "" });
        }
        case "inlineStr": {
          const s = decodeOoxmlEscapes(inline);
          return s === "" && f === null ? null : withFormula({ type: "text", text: s });
        }
        case "str":
        case "d":
          if (v === null) return f !== null ? withFormula({ type: "none", text: "" }) : null;
          return v === "" && f === null ? null : withFormula({ type: "text", text: decodeOoxmlEscapes(v) });
        case "b":
          if (v === null) return f !== null ? withFormula({ type: "none", text: "" }) : null;
          return withFormula({ type: "bool", text: v === "1" || v === "true" ? "TRUE" : "FALSE" });
        case "e":
          return withFormula({ type: "error", text: v ?? "#VALUE!" });
        default: {
          if (v === null || v.trim() === "") return f !== null ? withFormula({ type: "none", text: "" }) : null;
          return withFormula(dateStyles[style] === true ? { type: "number", text: v.trim(), date: true } : { type: "number", text: v.trim() });
        }
      }
    }
  }
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(zip: ZipArchive, path: string, baseDir: string): Relationship[] {
  if (!zip.has(path)) return [];
  const out: Relationship[] = [];
  parse(zip, path, {
    open(name, a) {
      if (name !== "Relationship" || a["TargetMode"] === "External") return;
      out.push({ id: a["Id"] ?? "", type: a["Type"] ?? "", target: resolvePart(baseDir, a["Target"] ?? "") });
    },
    close() {},
    text() {},
  });
  return out;
}

/** `worksheets/sheet1.xml` relative to `xl/` → `xl/worksheets/sheet1.xml`; `/xl/…` is from the root. */
export function resolvePart(baseDir: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : baseDir + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

/** Reads an entry, turning a refusal of the container (a lie, a bomb, a bad CRC) into a workbook problem. */
function readEntry(zip: ZipArchive, path: string): Uint8Array | undefined {
  try {
    return zip.read(path);
  } catch (e) {
    if (e instanceof ZipRefused) throw new WorkbookRefused(zipProblem(e.problem));
    throw e;
  }
}

function parse(zip: ZipArchive, path: string, h: Parameters<typeof scanXml>[1]): void {
  const bytes = readEntry(zip, path);
  if (bytes === undefined) return;
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse("xlsx.corrupt", { reason: `${path}: not UTF-8` });
  }
  try {
    scanXml(xml, h);
  } catch (e) {
    if (e instanceof XmlError) refuse("xlsx.corrupt", { reason: `${path}: ${e.message}` });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cell references

/** `F27` → column 6, row 27 (absolute `$F$27` accepted); null if it is not a cell reference. */
export function parseCellRef(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})$/.exec(ref);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]);
  if (col > EXCEL_MAX_COLUMN || row > EXCEL_MAX_ROW) return null;
  return { col, row };
}

export function parseRange(ref: string): CellRange | null {
  const [a, b] = ref.split(":");
  const p = a === undefined ? null : parseCellRef(a);
  const q = b === undefined ? p : parseCellRef(b);
  if (p === null || q === null) return null;
  return { top: Math.min(p.row, q.row), left: Math.min(p.col, q.col), bottom: Math.max(p.row, q.row), right: Math.max(p.col, q.col), ref };
}

export function columnLetters(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `明细`, 6, 27 → `明细!F27`; a sheet name that is not one plain word is quoted as Excel does: `'my sheet'!F27`. */
export function cellAddress(sheet: string, col: number, row: number): string {
  let prefix = SHEET_PREFIX.get(sheet);
  if (prefix === undefined) {
    const plain = /^[\p{L}\p{N}_]+$/u.test(sheet) && !/^\d/.test(sheet);
    prefix = `${plain ? sheet : `'${sheet.replaceAll("'", "''")}'`}!`;
    if (SHEET_PREFIX.size < 1000) SHEET_PREFIX.set(sheet, prefix);
  }
  return `${prefix}${columnLetters(col)}${row}`;
}
const SHEET_PREFIX = new Map<string, string>();

// ---------------------------------------------------------------------------------------------------------------
// Dates

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date or time (built-in ids, or a format code with y/m/d/h/s outside quotes). */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return BUILTIN_DATE_FORMATS.has(id);
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[(?!h\]|m\]|s\])[^\]]*\]/gi, "");
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** An Excel date serial → `YYYY-MM-DD` (1900 system with its phantom 29 February 1900, or 1904). */
export function serialToIsoDate(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return null;
  const days = Math.floor(serial);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}
