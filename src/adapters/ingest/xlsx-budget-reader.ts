/**
 * Reads a budget from the input workbook (.xlsx) that `gongkai workbook` writes and a clerk fills in Excel, WPS or
 * LibreOffice. Like the YAML reader, the answer is a validated `Budget` or the complete list of problems; here each
 * problem names its cell (`明细!F27`) instead of line and column.
 *
 * Reading and validating stay apart: the workbook becomes the same plain object the YAML reader gives the schema
 * (amounts as decimal text, codes as text), then `budgetSchema` and `checkBudgetIntegrity` run on it, so every rule
 * and message of the YAML input applies unchanged. What only a workbook can get wrong is found while reading:
 *
 * - the file: an Excel 97 `.xls` (OLE2 magic D0 CF 11 E0, whatever the extension), an `.ods`, not a zip, over the
 *   size limit, a zip bomb (see `xlsx-zip.ts`, `xlsx-sheets.ts` for the limits);
 * - the layout: a missing sheet or column, a merged block inside the data, a hidden row (or sheet) holding data;
 * - a cell: a formula whose result is not a plain amount, or has no result, an error value, a choice not in its list.
 *
 * Money never goes through arithmetic: a number cell's value is written as its shortest decimal string (`String(v)`,
 * the exponent expanded) and parsed by the schema like any amount, so 1036750.1 is 103675010 分 and 100.005 is
 * refused as three decimals; text goes the same way (thousands separators, full-width digits, spaces around).
 * Codes are text: a code typed as a number (2010301) is its digits; a list entry `2010301 行政运行` is its code.
 */
import type { z } from "zod";
import { checkBudgetIntegrity, checkReferences, referenceView } from "../../domain/budget-integrity.ts";
import { BUDGET_FORMAT, budgetSchema, type Budget } from "../../domain/budget-schema.ts";
import { isInputMessageCode } from "../../domain/input-messages.ts";
import { formatFieldPath, hasInputErrors, inputError, inputNote, parseFieldPath, type InputProblem } from "../../domain/input-problem.ts";
import { normaliseDigits, parseYuan } from "../../domain/money.ts";
import { refusedTextChar } from "../../domain/text-chars.ts";
import { readBoundedFile } from "./bounded-file.ts";
import {
  DEPARTMENT_OBJECT,
  findChoice,
  FORM_HEADERS,
  formSpec,
  headerMatches,
  LAYOUT,
  normaliseLabel,
  SHEET,
  tableSpec,
  type FieldSpec,
  type FormSheetSpec,
  type TableSheetSpec,
} from "./xlsx-input-layout.ts";
import { cellAddress, parseCellRef, serialToIsoDate, WorkbookRefused, XlsxWorkbook, type Cell, type Sheet } from "./xlsx-sheets.ts";
import { MAX_BUDGET_FILE_BYTES, MAX_REPORTED_PROBLEMS } from "./yaml-budget-reader.ts";

/** Workbooks share the YAML file limit (CONVENTIONS.md: 10 MB): it holds a 200,000-row sheet with room to spare. */
export const MAX_WORKBOOK_FILE_BYTES = MAX_BUDGET_FILE_BYTES;
const MAX_WORKBOOK_FILE_LABEL = "10 MB";

/** Where a field of the returned budget is in the workbook: `lines[3].amount` → `明细!F5`. */
export type CellLocator = (field: string) => { cell: string } | null;

export type WorkbookReadResult =
  | {
      ok: true;
      /** validated, identical lines summed (what a build uses) */
      budget: Budget;
      /** validated, as entered: one line per row (what `import` writes) */
      entered: Budget;
      notes: InputProblem[];
      locate: CellLocator;
      /** the application that saved the workbook (docProps/app.xml), e.g. "LibreOffice/7.4.7.2$Linux_X86_64" */
      application: string;
    }
  | { ok: false; problems: InputProblem[] };

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** What the first bytes of a file say it is. */
export function sniffWorkbook(head: Uint8Array): "zip" | "ole2" | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return "zip";
  if (head.length >= 8 && OLE2_MAGIC.every((b, i) => head[i] === b)) return "ole2";
  return null;
}

/** Reads a workbook file: `stat` first, at most the size limit, then `readWorkbookBytes`. */
export async function readWorkbookFile(path: string): Promise<WorkbookReadResult> {
  const read = await readBoundedFile(path, MAX_WORKBOOK_FILE_BYTES, MAX_WORKBOOK_FILE_LABEL);
  if (!read.ok) return { ok: false, problems: read.problems };
  return readWorkbookBytes(read.bytes, path);
}

/** Reads and validates a budget from the bytes of a workbook named `file` (the name is only used in problems). */
export function readWorkbookBytes(bytes: Uint8Array, file: string): WorkbookReadResult {
  if (bytes.length > MAX_WORKBOOK_FILE_BYTES) return fail([inputError("input.too_large", file, {}, { size: bytes.length, limit: MAX_WORKBOOK_FILE_LABEL })]);
  const kind = sniffWorkbook(bytes.subarray(0, 8));
  if (kind === "ole2") return fail([inputError("xlsx.legacy_xls", file)]);
  if (kind === null) return fail([inputError("xlsx.not_a_workbook", file, {}, { reason: bytes.length === 0 ? "empty file" : "not a zip file" })]);
  try {
    const wb = XlsxWorkbook.open(bytes);
    return new WorkbookReading(wb, file).run();
  } catch (e) {
    if (e instanceof WorkbookRefused) return fail([inputError(e.problem.code, file, {}, e.problem.params)]);
    throw new Error(`readWorkbookBytes: unexpected failure reading ${file}`, { cause: e });
  }
}

const fail = (problems: InputProblem[]): WorkbookReadResult => ({ ok: false, problems: finish(problems) });

/** Sorted by sheet (in layout order), row and column; file-level problems first; capped like the YAML reader. */
function finish(problems: InputProblem[]): InputProblem[] {
  const sorted = problems.toSorted(compareByCell);
  if (sorted.length <= MAX_REPORTED_PROBLEMS) return sorted;
  const rest = sorted.length - MAX_REPORTED_PROBLEMS;
  return [...sorted.slice(0, MAX_REPORTED_PROBLEMS), inputError("input.more_problems", sorted[0]?.file ?? "", {}, { count: rest })];
}

const SHEET_ORDER = new Map<string, number>(LAYOUT.map((s, i) => [s.name, i]));

function cellSortKey(cell: string | undefined): [number, number, number] {
  if (cell === undefined) return [-1, 0, 0];
  const bang = cell.lastIndexOf("!");
  let sheet = cell.slice(0, bang);
  if (sheet.startsWith("'")) sheet = sheet.slice(1, -1).replaceAll("''", "'");
  const at = parseCellRef(cell.slice(bang + 1));
  return [SHEET_ORDER.get(sheet) ?? 999, at?.row ?? 0, at?.col ?? 0];
}

function compareByCell(a: InputProblem, b: InputProblem): number {
  const ka = cellSortKey(a.cell);
  const kb = cellSortKey(b.cell);
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return (ka[i] ?? 0) - (kb[i] ?? 0);
  const fa = a.field ?? "";
  const fb = b.field ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Cells → values

type Path = (string | number)[];
/** A path where "*" stands for any index. */
type Pattern = readonly (string | number)[];
type Obj = Record<string, unknown>;

/** A number's shortest decimal string, without an exponent: 1e-7 → "0.0000001", 1.5e21 → "1500000000000000000000". */
export function plainDecimal(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1] ?? "";
  const int = m[2] ?? "";
  const digits = int + (m[3] ?? "");
  const point = int.length + Number(m[4]);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** What a number cell's `<v>` may hold (the XML Schema's xsd:double lexical form, less INF and NaN). */
const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const isBlank = (c: Cell | undefined): boolean => c === undefined || (c.type === "text" && c.text.trim() === "" && c.formula === undefined);

interface TableRow {
  readonly row: number;
  /** cell address of a column of this row (its expected place even when the cell is empty) */
  at(key: string): string;
  /** whether the column's cell holds something */
  has(key: string): boolean;
  /**
   * The column's value for the budget at `path` (undefined when blank or refused; a refusal is reported there).
   * The cell is registered as the place of `path`, unless `register` is false (rows indexed by `objects`).
   */
  get(key: string, path: Path | null, register?: boolean): unknown;
}

class WorkbookReading {
  private readonly problems: InputProblem[] = [];
  /** field path → cell address */
  private readonly cells = new Map<string, string>();
  /** the rows of each top-level list read by `objects`, for their cells */
  private readonly indexed = new Map<string, { rows: readonly TableRow[]; keys: ReadonlySet<string>; first: string }>();
  /** field path of a record key → the cell of the key (figure ids) */
  private readonly keyCells = new Map<string, string>();
  /** schema issues under these paths are not reported: reading already did, or the sheet/column is missing */
  private readonly suppressed: Pattern[] = [];

  constructor(
    private readonly wb: XlsxWorkbook,
    private readonly file: string,
  ) {}

  run(): WorkbookReadResult {
    const present = LAYOUT.filter((s) => this.wb.sheets.some((x) => x.name === s.name));
    if (present.length === 0) return fail([inputError("xlsx.not_input_workbook", this.file)]);
    const data = this.assemble();
    const result = budgetSchema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) this.schemaProblem(issue, data);
      // and the reference problems of the rows that could be read, so that one run lists every problem
      for (const p of checkReferences(referenceView(data), this.file)) this.problems.push(this.place(p));
      return fail(this.problems.length > 0 ? this.problems : [inputError("field.invalid", this.file, {}, { reason: "schema" })]);
    }
    const integrity = checkBudgetIntegrity(result.data, this.file);
    const all = [...this.problems, ...integrity.problems.map((p) => (p.field !== undefined && p.cell === undefined ? this.place(p) : p))];
    if (hasInputErrors(all)) return fail(all);
    const { lineOrigin } = integrity;
    const locate: CellLocator = (field) => {
      const path = parseFieldPath(field);
      if (path === undefined) return null;
      if (path[0] === "lines" && typeof path[1] === "number") path[1] = lineOrigin[path[1]] ?? path[1];
      const cell = this.cellFor(path);
      return cell === undefined ? null : { cell };
    };
    return { ok: true, budget: integrity.budget, entered: result.data, notes: finish(all), locate, application: this.wb.application() };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Problems and places

  private error(code: string, cell: string | undefined, path: Path | null, params?: Record<string, string | number>): void {
    this.problems.push(inputError(code, this.file, { cell, field: path ? formatFieldPath(path) : undefined }, params));
    if (path) this.suppress(path);
  }

  private note(code: string, cell: string, params?: Record<string, string | number>): void {
    this.problems.push(inputNote(code, this.file, { cell }, params));
  }

  private suppress(pattern: Pattern): void {
    this.suppressed.push(pattern);
  }

  private isSuppressed(path: readonly PropertyKey[]): boolean {
    return this.suppressed.some((p) => p.length <= path.length && p.every((seg, i) => seg === "*" || seg === path[i]));
  }

  private setCell(path: Path, cell: string): void {
    const key = formatFieldPath(path);
    if (!this.cells.has(key)) this.cells.set(key, cell);
  }

  /** The cell of a field, or of its nearest enclosing field that has one. */
  private cellFor(path: readonly PropertyKey[]): string | undefined {
    const p = path.filter((s): s is string | number => typeof s !== "symbol");
    for (let n = p.length; n > 0; n--) {
      const cell = this.cells.get(formatFieldPath(p.slice(0, n))) ?? this.indexedCell(p, n);
      if (cell !== undefined) return cell;
    }
    return undefined;
  }

  /** `lines[i]` and `lines[i].amount` (the first `n` segments of `p`) through the rows of an indexed list. */
  private indexedCell(p: readonly (string | number)[], n: number): string | undefined {
    const ix = n >= 2 ? this.indexed.get(String(p[0])) : undefined;
    const i = p[1];
    const row = ix && typeof i === "number" ? ix.rows[i] : undefined;
    if (!ix || !row) return undefined;
    if (n === 2) return row.at(ix.first);
    const key = p[2];
    return n === 3 && typeof key === "string" && ix.keys.has(key) ? row.at(key) : undefined;
  }

  private place(p: InputProblem): InputProblem {
    const path = p.field === undefined ? undefined : parseFieldPath(p.field);
    const cell = path === undefined ? undefined : this.cellFor(path);
    return cell === undefined ? p : { ...p, cell };
  }

  // -------------------------------------------------------------------------------------------------------------
  // One cell

  private value(spec: FieldSpec, cell: Cell | undefined, at: string, path: Path | null): unknown {
    if (cell === undefined || isBlank(cell)) return undefined;
    const f = cell.formula;
    if (cell.type === "error") {
      this.error(f !== undefined ? "xlsx.formula_error" : "xlsx.cell_error", at, path, { value: cell.text, formula: f ?? "" });
      return undefined;
    }
    if (cell.type === "none") {
      this.error("xlsx.formula_no_value", at, path, { formula: f ?? "" });
      return undefined;
    }
    if (cell.type === "number" && !DECIMAL_NUMBER.test(cell.text)) {
      // `<v>0x10</v>`, `<v>Infinity</v>`: Number() would read them, but a number cell holds a decimal number
      this.error("xlsx.bad_number", at, path, { value: cell.text });
      return undefined;
    }
    if (cell.type === "text") {
      const bad = refusedTextChar(cell.text);
      if (bad !== null) {
        this.error("text.refused_char", at, path, bad);
        return undefined;
      }
    }
    const num = cell.type === "number" ? Number(cell.text) : Number.NaN;
    const decimal = cell.type === "number" ? (Number.isFinite(num) ? plainDecimal(num) : cell.text) : cell.text;
    switch (spec.kind) {
      case "amount": {
        if (f !== undefined) {
          const ok = cell.type === "number" && parseYuan(decimal).ok;
          if (!ok) {
            this.error("xlsx.formula_not_amount", at, path, { formula: f, value: decimal });
            return undefined;
          }
        }
        return cell.type === "text" ? cell.text : decimal;
      }
      case "int":
      case "number": {
        if (cell.type === "number") return Number.isFinite(num) ? num : cell.text;
        const t = normaliseDigits(cell.text.trim()).replace(/,/g, "");
        return /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : cell.text.trim();
      }
      case "choice": {
        const text = decimal.trim();
        const choice = findChoice(spec.choices ?? [], text);
        if (choice === undefined) {
          this.error("xlsx.bad_choice", at, path, { got: text, allowed: (spec.choices ?? []).map((c) => c.label).join(" / ") });
          return undefined;
        }
        return choice.id;
      }
      case "date":
        if (cell.type === "number" && cell.date === true) return serialToIsoDate(num, this.wb.date1904) ?? decimal;
        return decimal.trim() || undefined;
      case "code": {
        const t = decimal.trim();
        const m = /^(\d+)(?:\s*[^\d\s].*)?$/su.exec(normaliseDigits(t));
        return m?.[1] ?? t;
      }
      default: {
        const t = decimal.trim();
        return t === "" ? undefined : t;
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Sheets

  private sheet(name: string, roots: readonly Pattern[]): Sheet | undefined {
    const s = this.wb.sheet(name);
    if (s === undefined) {
      this.error("xlsx.missing_sheet", undefined, null, { sheet: name });
      for (const r of roots) this.suppress(r);
      return undefined;
    }
    if (this.wb.sheets.find((x) => x.name === name)?.hidden === true && s.rows.some((r) => r.row > 1)) {
      this.error("xlsx.hidden_sheet", cellAddress(name, 1, 1), null, { sheet: name });
    }
    return s;
  }

  /**
   * Finds the columns by their headers in row 1; reports missing and repeated ones, notes columns of the clerk's own
   * that hold data, and refuses merged cells touching the columns that are read (header row included).
   */
  private columns(s: Sheet, specs: readonly { key: string; header: string }[], onMissing: (key: string) => readonly Pattern[], notRead: readonly string[] = []): Map<string, number> {
    const header = s.rows[0]?.row === 1 ? s.rows[0] : undefined;
    const colOf = new Map<string, number>();
    const unknown: { col: number; text: string }[] = [];
    for (const [col, cell] of header?.cells ?? []) {
      const text = cell.type === "text" || cell.type === "number" ? cell.text : "";
      const spec = specs.find((c) => headerMatches(text, c.header));
      if (spec === undefined) {
        if (text.trim() !== "" && !notRead.some((h) => headerMatches(text, h))) unknown.push({ col, text: text.trim() });
        continue;
      }
      const first = colOf.get(spec.key);
      if (first !== undefined) this.error("xlsx.duplicate_column", cellAddress(s.name, col, 1), null, { column: spec.header, first: cellAddress(s.name, first, 1) });
      else colOf.set(spec.key, col);
    }
    specs.forEach((c, i) => {
      if (colOf.has(c.key)) return;
      this.error("xlsx.missing_column", cellAddress(s.name, i + 1, 1), null, { column: c.header });
      for (const p of onMissing(c.key)) this.suppress(p);
    });
    for (const u of unknown) {
      if (s.rows.some((r) => r.row > 1 && !isBlank(r.cells.get(u.col)))) this.note("xlsx.extra_column", cellAddress(s.name, u.col, 1), { column: u.text });
    }
    const cols = [...colOf.values()];
    for (const m of s.merges) {
      if (cols.some((c) => c >= m.left && c <= m.right)) this.error("xlsx.merged_cells", cellAddress(s.name, m.left, m.top), null, { range: m.ref });
    }
    return colOf;
  }

  /**
   * The data rows of a table sheet (blank rows skipped). `roots` are the budget paths the sheet fills: a missing
   * sheet silences the schema there; a missing column silences `onMissing(key)` (by default that field in every row).
   */
  private table(spec: TableSheetSpec, roots: readonly Pattern[], onMissing?: (key: string) => readonly Pattern[]): TableRow[] | null {
    const s = this.sheet(spec.name, roots);
    if (s === undefined) return null;
    const read = spec.columns.filter((c) => !(spec.name === SHEET.prior && c.key === "name"));
    const notRead = spec.columns.filter((c) => !read.includes(c)).map((c) => c.header);
    const specOf = new Map(read.map((c) => [c.key, c]));
    const colOf = this.columns(s, read, onMissing ?? ((key) => roots.map((r) => [...r, "*", key])), notRead);
    for (const root of roots) if (!root.includes("*")) this.setCell([...root], cellAddress(s.name, 1, 1));
    const out: TableRow[] = [];
    for (const r of s.rows) {
      if (r.row === 1) continue;
      const cellOf = (key: string) => {
        const col = colOf.get(key);
        return col === undefined ? undefined : r.cells.get(col);
      };
      if (read.every((c) => isBlank(cellOf(c.key)))) continue;
      const at = (key: string) => cellAddress(s.name, colOf.get(key) ?? read.findIndex((c) => c.key === key) + 1, r.row);
      if (r.hidden) {
        const first = read.find((c) => !isBlank(cellOf(c.key)));
        this.error("xlsx.hidden_row", at(first?.key ?? ""), null, { row: r.row });
      }
      out.push({
        row: r.row,
        at,
        has: (key) => !isBlank(cellOf(key)),
        get: (key, path, register = true) => {
          const col = specOf.get(key);
          if (col === undefined) throw new Error(`no column ${key} in ${s.name}`);
          if (path && register) this.setCell(path, at(key));
          const cell = cellOf(key);
          return cell === undefined ? undefined : this.value(col, cell, at(key), path);
        },
      });
    }
    return out;
  }

  /** The values of a form sheet by row key (a dotted path); every row's cell is registered for its path. */
  private form(spec: FormSheetSpec): Map<string, unknown> | null {
    const roots = [...new Set(spec.rows.map((r) => r.path[0] ?? ""))].map((r) => [r]);
    const s = this.sheet(spec.name, roots);
    if (s === undefined) return null;
    const heads = [
      { key: "label", header: FORM_HEADERS.label },
      { key: "value", header: FORM_HEADERS.value },
    ];
    const colOf = this.columns(s, heads, () => roots, [FORM_HEADERS.help]);
    const labelCol = colOf.get("label");
    const valueCol = colOf.get("value");
    const out = new Map<string, unknown>();
    if (labelCol === undefined || valueCol === undefined) return out;
    const seen = new Map<string, number>();
    for (const r of s.rows) {
      if (r.row === 1) continue;
      const labelCell = r.cells.get(labelCol);
      const valueCell = r.cells.get(valueCol);
      const label = labelCell && !isBlank(labelCell) ? labelCell.text.trim() : "";
      const rowSpec = spec.rows.find((x) => headerMatches(label, x.header));
      const at = cellAddress(s.name, valueCol, r.row);
      if (rowSpec === undefined) {
        if (!isBlank(valueCell)) this.note("xlsx.extra_row", cellAddress(s.name, labelCol, r.row), { label: label || "-" });
        continue;
      }
      const first = seen.get(rowSpec.key);
      if (first !== undefined) {
        this.error("xlsx.duplicate_row", cellAddress(s.name, labelCol, r.row), null, { label: rowSpec.header, first: cellAddress(s.name, labelCol, first) });
        continue;
      }
      seen.set(rowSpec.key, r.row);
      if (r.hidden && !isBlank(valueCell)) this.error("xlsx.hidden_row", at, null, { row: r.row });
      const path: Path = [...rowSpec.path];
      for (let n = 1; n <= path.length; n++) this.setCell(path.slice(0, n), at);
      const v = this.value(rowSpec, valueCell, at, path);
      if (v !== undefined) out.set(rowSpec.key, v);
    }
    spec.rows.forEach((x, i) => {
      if (seen.has(x.key)) return;
      this.error("xlsx.missing_row", cellAddress(s.name, labelCol, i + 2), [...x.path], { label: x.header });
    });
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------
  // The budget object

  private assemble(): Obj {
    const data: Obj = { format: BUDGET_FORMAT };

    // 部门: department, constructed, profile (organisation, staffing), the performance contact
    const dept = this.form(formSpec(SHEET.department));
    const department: Obj = {};
    const profile: Obj = {};
    const contact: Obj = {};
    for (const [key, value] of dept ?? []) {
      const path = key.split(".");
      if (path[0] === "department") setPath(department, path.slice(1), value);
      else if (path[0] === "profile") setPath(profile, path.slice(1), value);
      else if (path[0] === "performance") setPath(contact, path.slice(2), value);
      else setPath(data, path, value);
    }
    if (dept !== null) data["department"] = department;

    const functions = this.table(tableSpec(SHEET.functions), [["profile", "functions"]], () => [["profile", "functions"]]);
    if (functions) {
      this.setCell(["profile", "functions"], cellAddress(SHEET.functions, 1, 1));
      profile["functions"] = functions.map((r, i) => r.get("text", ["profile", "functions", i]));
    }
    data["profile"] = profile;

    const units = this.table(tableSpec(SHEET.units), [["units"]]);
    if (units) data["units"] = this.objects(units, tableSpec(SHEET.units), "units");

    const projects = this.table(tableSpec(SHEET.projects), [["projects"]]);
    const projectObjs = projects ? this.objects(projects, tableSpec(SHEET.projects), "projects") : [];
    const allocation = this.table(tableSpec(SHEET.allocation), [["projects", "*", "allocation"]]);
    if (projects) {
      projectObjs.forEach((_, i) => this.setCell(["projects", i, "allocation"], projects[i]?.at("code") ?? ""));
      const firstAllocation = new Set<number>();
      for (const r of allocation ?? []) {
        const code = r.get("project", null);
        const i = code === undefined ? -1 : projectObjs.findIndex((p) => p["code"] === code);
        const p = projectObjs[i];
        if (p === undefined) {
          if (code !== undefined) this.error("xlsx.unknown_project", r.at("project"), null, { project: String(code) });
          else if (r.has("item") || r.has("amount")) this.error("field.missing", r.at("project"), null);
          continue;
        }
        if (!firstAllocation.has(i)) {
          // the allocation of a project is where its first item is
          this.cells.set(formatFieldPath(["projects", i, "allocation"]), r.at("project"));
          firstAllocation.add(i);
        }
        const list = (p["allocation"] ??= []) as Obj[];
        const base: Path = ["projects", i, "allocation", list.length];
        this.setCell(base, r.at("project"));
        const item: Obj = {};
        for (const key of ["item", "amount"]) {
          const v = r.get(key, [...base, key]);
          if (v !== undefined) item[key] = v;
        }
        list.push(item);
      }
      data["projects"] = projectObjs;
    }

    const lines = this.table(tableSpec(SHEET.lines), [["lines"]]);
    if (lines) data["lines"] = this.objects(lines, tableSpec(SHEET.lines), "lines");
    const carryover = this.table(tableSpec(SHEET.carryover), [["carryover"]]);
    if (carryover) data["carryover"] = this.objects(carryover, tableSpec(SHEET.carryover), "carryover");

    this.names(data);
    this.priorAndReasons(data);

    const procurement = this.form(formSpec(SHEET.procurement));
    if (procurement && procurement.size > 0) {
      const obj: Obj = {};
      for (const [key, value] of procurement) setPath(obj, key.split(".").slice(1), value);
      data["procurement"] = obj;
    }

    this.assets(data);
    this.performance(data, contact);
    return data;
  }

  /**
   * Rows → objects of a top-level list (`lines[i]`, `units[i]`, …). Their fields' cells (empty ones too: a missing
   * field is placed there) are found on demand through the rows, not stored one by one: 20,000 lines have 160,000.
   */
  private objects(rows: readonly TableRow[], spec: TableSheetSpec, root: string): Obj[] {
    this.indexed.set(root, { rows, keys: new Set(spec.columns.map((c) => c.key)), first: spec.columns[0]?.key ?? "" });
    return rows.map((r, i) => {
      const o: Obj = {};
      for (const c of spec.columns) {
        const v = r.get(c.key, [root, i, c.key], false);
        if (v !== undefined) o[c.key] = v;
      }
      return o;
    });
  }

  /**
   * 科目名称 → `names.func` / `names.econ`, keyed by code. The sheet is optional (a workbook written before it existed
   * reads as naming nothing); a row without its kind or code, or one repeating a code, is refused at its cell.
   */
  private names(data: Obj): void {
    if (this.wb.sheet(SHEET.names) === undefined) return;
    const rows = this.table(tableSpec(SHEET.names), [["names"]], () => [["names"]]);
    if (rows === null) return;
    const names: Record<string, Obj> = { func: {}, econ: {} };
    const seen = new Map<string, string>();
    for (const root of ["func", "econ"]) this.setCell(["names", root], cellAddress(SHEET.names, 1, 1));
    for (const r of rows) {
      const kind = r.get("kind", null);
      const raw = r.get("code", null);
      if (kind === undefined || raw === undefined) {
        if (!r.has("kind")) this.error("field.missing", r.at("kind"), null);
        if (!r.has("code")) this.error("field.missing", r.at("code"), null);
        continue;
      }
      const code = String(raw);
      const key = `${String(kind)}:${code}`;
      const first = seen.get(key);
      if (first !== undefined) {
        this.error("xlsx.duplicate_code_name", r.at("code"), null, { code, first });
        continue;
      }
      seen.set(key, r.at("code"));
      const path: Path = ["names", String(kind), code];
      this.keyCells.set(formatFieldPath(path), r.at("code"));
      const v = r.get("name", path);
      const into = names[String(kind)];
      if (into !== undefined) Object.defineProperty(into, code, { value: v, enumerable: true, writable: true, configurable: true });
    }
    data["names"] = names;
  }

  private priorAndReasons(data: Obj): void {
    const roots: Record<string, string> = { prior: "prior_year", reason: "reasons", description: "descriptions" };
    const all = Object.values(roots).map((r) => [r]);
    const rows = this.table(tableSpec(SHEET.prior), all, (key) => (roots[key] !== undefined ? [[roots[key]]] : all));
    if (rows === null) return;
    const records: Record<string, Obj> = { prior_year: {}, reasons: {}, descriptions: {} };
    const seen = new Map<string, string>();
    for (const root of Object.values(roots)) this.setCell([root], cellAddress(SHEET.prior, 1, 1));
    for (const r of rows) {
      const raw = r.get("id", null);
      const id = typeof raw === "string" ? raw.normalize("NFKC").replace(/\s+/g, "") : undefined;
      if (id === undefined) {
        if (Object.keys(roots).some((k) => r.has(k))) this.error("xlsx.missing_figure_id", r.at("id"), null);
        continue;
      }
      const first = seen.get(id);
      if (first !== undefined) {
        this.error("xlsx.duplicate_figure_id", r.at("id"), null, { key: id, first });
        continue;
      }
      seen.set(id, r.at("id"));
      for (const [key, root] of Object.entries(roots)) {
        this.keyCells.set(formatFieldPath([root, id]), r.at("id"));
        const v = r.get(key, [root, id]);
        if (v !== undefined) (records[root] ??= {})[id] = v;
      }
    }
    Object.assign(data, records);
  }

  private assets(data: Obj): void {
    const form = this.form(formSpec(SHEET.assets));
    const vehicleRoots: Pattern[] = [
      ["assets", "vehicles"],
      ["assets", "planned", "vehicles"],
    ];
    const vehicles = this.table(tableSpec(SHEET.vehicles), vehicleRoots, () => vehicleRoots);
    const assets: Obj = {};
    for (const [key, value] of form ?? []) setPath(assets, key.split(".").slice(1), value);
    const held: Obj[] = [];
    const planned: Obj[] = [];
    for (const r of vehicles ?? []) {
      const group = r.get("group", null);
      if (group === undefined) {
        if (!r.has("group")) this.error("field.missing", r.at("group"), null);
        continue;
      }
      const list = group === "planned" ? planned : held;
      const base: Path = group === "planned" ? ["assets", "planned", "vehicles", list.length] : ["assets", "vehicles", list.length];
      this.setCell(base, r.at("group"));
      const v: Obj = {};
      for (const [key, to] of [
        ["kind", "kind"],
        ["count", "count"],
        ["value", group === "planned" ? "amount" : "value"],
      ] as const) {
        const x = r.get(key, [...base, to]);
        if (x !== undefined) v[to] = x;
      }
      list.push(v);
    }
    if (planned.length > 0) ((assets["planned"] ??= {}) as Obj)["vehicles"] = planned;
    if (held.length > 0 || Object.keys(assets).length > 0) {
      assets["vehicles"] = held;
      this.setCell(["assets", "vehicles"], cellAddress(SHEET.vehicles, 1, 1));
      this.setCell(["assets", "planned"], cellAddress(SHEET.vehicles, 1, 1));
      data["assets"] = assets;
    }
  }

  private performance(data: Obj, contact: Obj): void {
    const perf: Obj = {};
    if (Object.keys(contact).length > 0) perf["contact"] = contact;
    const goalRoots: Pattern[] = [
      ["performance", "department"],
      ["performance", "projects"],
    ];
    const goals = this.table(tableSpec(SHEET.goals), goalRoots, (key) => (key === "goal" ? goalRoots.map((r) => [...r, ...(r.length === 3 ? [] : ["*"]), "goal"]) : goalRoots));
    const indicators = this.table(tableSpec(SHEET.indicators), [
      ["performance", "department", "indicators"],
      ["performance", "projects", "*", "indicators"],
    ]);
    const targets = new Map<string, { obj: Obj; path: Path; at: string }>();
    const projects: Obj[] = [];
    const objectOf = (r: TableRow): string | undefined => {
      const raw = r.get("object", null);
      if (raw === undefined) {
        if (!r.has("object")) this.error("field.missing", r.at("object"), null);
        return undefined;
      }
      const object = String(raw);
      return normaliseLabel(object) === normaliseLabel(DEPARTMENT_OBJECT) ? DEPARTMENT_OBJECT : object;
    };
    for (const r of goals ?? []) {
      const object = objectOf(r);
      if (object === undefined) continue;
      const first = targets.get(object);
      if (first !== undefined) {
        this.error("xlsx.duplicate_goal", r.at("object"), null, { object, first: first.at });
        continue;
      }
      const obj: Obj = {};
      let path: Path;
      if (object === DEPARTMENT_OBJECT) {
        path = ["performance", "department"];
        perf["department"] = obj;
        if (r.has("owner")) this.error("xlsx.department_owner", r.at("owner"), null);
      } else {
        path = ["performance", "projects", projects.length];
        obj["project"] = object;
        this.setCell([...path, "project"], r.at("object"));
        const owner = r.get("owner", [...path, "owner"]);
        if (owner !== undefined) obj["owner"] = owner;
        projects.push(obj);
      }
      this.setCell(path, r.at("object"));
      this.setCell([...path, "indicators"], r.at("object"));
      const goal = r.get("goal", [...path, "goal"]);
      if (goal !== undefined) obj["goal"] = goal;
      obj["indicators"] = [];
      targets.set(object, { obj, path, at: r.at("object") });
    }
    const keys = tableSpec(SHEET.indicators)
      .columns.map((c) => c.key)
      .filter((k) => k !== "object");
    const firstIndicator = new Set<string>();
    for (const r of indicators ?? []) {
      const object = objectOf(r);
      if (object === undefined) continue;
      const target = targets.get(object);
      if (target === undefined) {
        this.error("xlsx.goal_missing", r.at("object"), null, { object });
        continue;
      }
      const list = target.obj["indicators"] as Obj[];
      if (!firstIndicator.has(object)) {
        // a target's indicators are where the first of them is
        this.cells.set(formatFieldPath([...target.path, "indicators"]), r.at("object"));
        firstIndicator.add(object);
      }
      const path: Path = [...target.path, "indicators", list.length];
      this.setCell(path, r.at("object"));
      const ind: Obj = {};
      for (const k of keys) {
        const v = r.get(k, [...path, k]);
        if (v !== undefined) ind[k] = v;
      }
      list.push(ind);
    }
    perf["projects"] = projects;
    this.setCell(["performance"], cellAddress(SHEET.goals, 1, 1));
    this.setCell(["performance", "projects"], cellAddress(SHEET.goals, 1, 1));
    data["performance"] = perf;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Schema issues → problems at cells

  private schemaProblem(issue: z.core.$ZodIssue, data: unknown): void {
    const path = issue.path;
    if (this.isSuppressed(path)) return;
    const clean = path.filter((s): s is string | number => typeof s !== "symbol");
    const field = formatFieldPath(clean);
    const value = valueAt(data, clean);
    const missing = value === undefined;
    const cell = issue.code === "invalid_key" ? (this.keyCells.get(field) ?? this.cellFor(clean)) : this.cellFor(clean);
    const push = (code: string, params?: Record<string, string | number>): void => {
      this.problems.push(inputError(code, this.file, { cell, field }, params));
    };
    switch (issue.code) {
      case "custom": {
        const params = (issue.params ?? {}) as Record<string, unknown>;
        const gk = typeof params["gk"] === "string" ? params["gk"] : issue.message;
        if (!isInputMessageCode(gk)) return push("field.invalid", { reason: issue.message });
        const out: Record<string, string | number> = {};
        for (const [k, v] of Object.entries(params)) if (k !== "gk" && (typeof v === "string" || typeof v === "number")) out[k] = v;
        return push(gk, out);
      }
      case "invalid_type":
      case "invalid_union":
        if (missing) return push("field.missing");
        return push("field.wrong_type", { expected: expectedName(issue), got: typeName(value) });
      case "invalid_value":
        if (missing) return push("field.missing");
        return push("field.bad_value", { got: String(value), allowed: issue.values.map((v) => String(v)).join(" / ") });
      case "invalid_key": {
        const code = issue.issues.map((i) => i.message).find(isInputMessageCode) ?? "field.invalid";
        return push(code, code === "field.invalid" ? { reason: issue.message } : { key: String(clean[clean.length - 1] ?? "") });
      }
      case "too_small": {
        const min = Number(issue.minimum);
        if (issue.origin === "string") return push(min <= 1 ? "field.empty" : "field.too_short", min <= 1 ? {} : { minimum: min });
        if (issue.origin === "array" || issue.origin === "set") return push("field.too_few", { minimum: min });
        return push("field.too_small", { minimum: min });
      }
      case "too_big": {
        const max = Number(issue.maximum);
        if (issue.origin === "string") return push("field.too_long", { maximum: max });
        if (issue.origin === "array" || issue.origin === "set") return push("field.too_many", { maximum: max });
        return push("field.too_big", { maximum: max });
      }
      case "invalid_format":
        return isInputMessageCode(issue.message) ? push(issue.message, { value: String(value) }) : push("field.invalid", { reason: issue.message });
      default:
        return push("field.invalid", { reason: issue.message });
    }
  }
}

function setPath(obj: Obj, path: readonly string[], value: unknown): void {
  let cur = obj;
  path.forEach((seg, i) => {
    if (i === path.length - 1) cur[seg] = value;
    else cur = (cur[seg] ??= {}) as Obj;
  });
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = Object.hasOwn(cur, seg) ? (cur as Record<string | number, unknown>)[seg] : undefined;
  }
  return cur;
}

function typeName(v: unknown): string {
  if (typeof v === "string") return "text";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "list";
  return v === null ? "null" : "mapping";
}

function expectedName(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return issue.expected === "int" ? "integer" : issue.expected === "string" ? "text" : issue.expected;
  if (issue.code === "invalid_union") {
    const names = new Set<string>();
    for (const branch of issue.errors) for (const i of branch) if (i.code === "invalid_type" && i.path.length === 0) names.add(i.expected === "string" ? "text" : i.expected === "int" ? "integer" : i.expected);
    return [...names].join("|") || "value";
  }
  return "value";
}
