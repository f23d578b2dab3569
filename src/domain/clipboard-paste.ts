/**
 * What a spreadsheet clipboard holds (Excel, WPS, LibreOffice), turned into exact cell values for the browser's
 * line-item editor. Pure: no Node and no DOM, so the same code runs in the tests and in the editor's bundle.
 *
 * Two clipboard flavours reach the editor. `text/plain` is tab-separated text of the cells as shown (`parseTsv`).
 * `text/html` is a `<table>` that the browser side reads with DOMParser into `ClipboardCell`s: the shown text and,
 * for a number, the value the workbook stores (Excel's and WPS's `x:num`; LibreOffice writes the same thing as
 * `sdval`). The stored value wins for amounts, because a `#,##0` format shows `1,036,751` for 1036750.50; codes
 * always take the shown text, because a `000` format shows `001` for the number 1.
 *
 * Nothing here judges a budget: a negative amount or an unknown fund name is the editor's finding (CONVENTIONS.md,
 * Input), not a paste problem. Amounts go through `parseYuan` (money.ts) at the end, so the limit (10^15 元) and the
 * at-most-two-decimals rule are the same as for YAML and workbooks.
 */
import { inputMessage, type CatalogText } from "./input-messages.ts";
import { formatYuan, normaliseDigits, parseYuan, type AmountProblem, type Fen } from "./money.ts";
import { isRefused } from "./text-chars.ts";

/** A cell of the HTML clipboard: its shown text, and the stored number when the workbook marks one. */
export interface ClipboardCell {
  /** the cell's text as shown (the `<td>`'s textContent) */
  readonly text: string;
  /**
   * The stored number (`x:num="1036750.1"`), `""` when the attribute is present without a value (the text is the
   * number), `null` when absent.
   */
  readonly num: string | null;
}

/**
 * The most a paste may hold: more than any budget has lines (MAX_LINES is 2,000) and columns, and few enough that the
 * editor stays responsive. A note is at most 500 characters; 4,000 is the longest text the budget accepts anywhere.
 */
export const PASTE_LIMITS = { maxRows: 20_000, maxColumns: 50, maxCellLength: 4_000 } as const;

/** Why a paste (or one pasted cell) cannot be used: a catalog code, both languages, and the params that filled them. */
export interface PasteProblem {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export type PasteTable<T> = { ok: true; rows: T[][] } | { ok: false; problem: PasteProblem };
export type PasteAmount = { ok: true; fen: Fen; yuan: string } | { ok: false; problem: PasteProblem };

/**
 * Messages of the problems only a paste has. Amount problems use the input catalog's `amount.*` codes and texts
 * (input-messages.ts), the same words as for a YAML file. Row and column count from 1 within the pasted block.
 */
export const PASTE_MESSAGES = {
  "paste.too_many_rows": {
    zh: "粘贴的内容超过 {limit} 行；请分批粘贴",
    en: "the pasted content has more than {limit} rows; paste it in parts",
  },
  "paste.too_many_columns": {
    zh: "粘贴内容的第 {row} 行超过 {limit} 列",
    en: "row {row} of the pasted content has more than {limit} columns",
  },
  "paste.cell_too_long": {
    zh: "粘贴内容第 {row} 行第 {column} 列的单元格超过 {limit} 个字符",
    en: "the cell in row {row}, column {column} of the pasted content is longer than {limit} characters",
  },
  "paste.amount_exponent": {
    zh: "金额显示为科学计数法（得到 “{value}”），显示的数已被舍入；请把该列设为数值格式（两位小数）后重新复制",
    en: 'the amount shows in scientific notation (got "{value}"), which is rounded; format the column as a number with two decimals and copy again',
  },
} as const satisfies Record<string, CatalogText>;

type PasteCode = keyof typeof PASTE_MESSAGES;

const MAX_SHOWN = 100;

function pasteProblem(code: PasteCode, params: Record<string, string | number>): PasteProblem {
  const fill = (t: string) =>
    t.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
      const v = params[name];
      if (v === undefined) return whole;
      const s = String(v);
      return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
    });
  const m = PASTE_MESSAGES[code];
  return { code, zh: fill(m.zh), en: fill(m.en), params };
}

const AMOUNT_CODE: Record<AmountProblem, string> = {
  empty: "amount.empty",
  "not-a-number": "amount.not_a_number",
  negative: "amount.negative",
  "too-many-decimals": "amount.too_many_decimals",
  "too-large": "amount.too_large",
};

function amountProblem(problem: AmountProblem, value: string): { ok: false; problem: PasteProblem } {
  const code = AMOUNT_CODE[problem];
  const params = { value };
  return { ok: false, problem: { code, zh: inputMessage({ code, params }, "zh"), en: inputMessage({ code, params }, "en"), params } };
}

// ---------------------------------------------------------------------------------------------------------------------
// text/plain: tab-separated cells

const DELIMITER = /[\t\r\n]/g;

/**
 * Excel's, WPS's and LibreOffice's `text/plain` clipboard: rows end at CRLF, LF or CR, cells at a tab. A cell that
 * starts with `"` and whose closing `"` is followed by a tab, a line break or the end is quoted: it may hold tabs and
 * line breaks (kept as they are), and `""` in it is one `"`. Any other cell is read exactly as written, quotes
 * included (`"ab"cd`, or a lone `"` typed at the start of a cell, which so never swallows the rest of the paste).
 * The one line break Excel puts after the last row makes no empty row; a second one does. Rows are not padded.
 * A leading BOM is dropped. Stops at the first limit exceeded (`PASTE_LIMITS`).
 */
export function parseTsv(text: string): PasteTable<string> {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  const n = s.length;
  if (n === 0) return { ok: true, rows };
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let cell: string;
    let end: number;
    const quoted = s.charCodeAt(i) === 0x22 ? readQuoted(s, i) : null;
    if (quoted) {
      cell = quoted.value;
      end = quoted.end;
    } else {
      DELIMITER.lastIndex = i;
      const m = DELIMITER.exec(s);
      end = m ? m.index : n;
      cell = s.slice(i, end);
    }
    if (row.length === PASTE_LIMITS.maxColumns) {
      return { ok: false, problem: pasteProblem("paste.too_many_columns", { row: rows.length + 1, limit: PASTE_LIMITS.maxColumns }) };
    }
    if (cell.length > PASTE_LIMITS.maxCellLength) {
      return {
        ok: false,
        problem: pasteProblem("paste.cell_too_long", { row: rows.length + 1, column: row.length + 1, limit: PASTE_LIMITS.maxCellLength }),
      };
    }
    row.push(cell);
    if (end >= n) {
      rows.push(row);
      return { ok: true, rows };
    }
    const c = s[end];
    i = end + 1;
    if (c === "\t") continue;
    if (c === "\r" && s[i] === "\n") i++;
    rows.push(row);
    row = [];
    if (i >= n) return { ok: true, rows };
    if (rows.length === PASTE_LIMITS.maxRows) {
      return { ok: false, problem: pasteProblem("paste.too_many_rows", { limit: PASTE_LIMITS.maxRows }) };
    }
  }
}

/**
 * A quoted cell starting at `start` (the opening quote): its value and the index just past the closing quote, or null
 * when the cell is not quoted after all (no closing quote, or text after it). Linear: after a failed scan every later
 * cell that opens with a quote closes within its own run of quotes.
 */
function readQuoted(s: string, start: number): { value: string; end: number } | null {
  let value = "";
  let j = start + 1;
  for (;;) {
    const k = s.indexOf('"', j);
    if (k < 0) return null;
    if (s[k + 1] === '"') {
      value += s.slice(j, k + 1);
      j = k + 2;
      continue;
    }
    const after = s[k + 1];
    if (after !== undefined && after !== "\t" && after !== "\n" && after !== "\r") return null;
    return { value: value + s.slice(j, k), end: k + 1 };
  }
}

/**
 * The limits of `parseTsv` for cells the browser read from the HTML clipboard, so that both flavours refuse the same
 * pastes with the same problems. The cell length is that of the shown text.
 */
export function checkPasteLimits(rows: readonly (readonly ClipboardCell[])[]): PasteTable<ClipboardCell> {
  if (rows.length > PASTE_LIMITS.maxRows) {
    return { ok: false, problem: pasteProblem("paste.too_many_rows", { limit: PASTE_LIMITS.maxRows }) };
  }
  const out: ClipboardCell[][] = [];
  for (const [r, row] of rows.entries()) {
    if (row.length > PASTE_LIMITS.maxColumns) {
      return { ok: false, problem: pasteProblem("paste.too_many_columns", { row: r + 1, limit: PASTE_LIMITS.maxColumns }) };
    }
    const c = row.findIndex((cell) => cell.text.length > PASTE_LIMITS.maxCellLength);
    if (c >= 0) {
      return {
        ok: false,
        problem: pasteProblem("paste.cell_too_long", { row: r + 1, column: c + 1, limit: PASTE_LIMITS.maxCellLength }),
      };
    }
    out.push([...row]);
  }
  return { ok: true, rows: out };
}

// ---------------------------------------------------------------------------------------------------------------------
// Amounts

const cellOf = (cell: ClipboardCell | string): ClipboardCell => (typeof cell === "string" ? { text: cell, num: null } : cell);

/**
 * An amount in 元 from a pasted cell, exactly. The stored number (`num`) is preferred when there is one; a `num` that
 * is not a plain decimal number (optionally with an exponent) is ignored and the text is read.
 *
 * The text may have full-width digits and `．，－＋（）`, thousands separators (one kind per amount, groups of three:
 * `,` `，` `'`, space, no-break, narrow no-break, thin and figure space), surrounding spaces, a leading Excel text
 * apostrophe, `¥`/`￥` before and `元` after the number, a sign (`+`, `-`, `−`, `－`) before or after the currency,
 * or accounting brackets `(1,234.00)` for a negative. At most two decimals (`12.300` is still exact and accepted);
 * several decimal points, irregular groups (`1,23,4`, `1,03,6750`), a decimal comma, letters, `%`, a lone `-` and
 * anything else are refused. An exponent in the text is refused with its own problem: it is a rounded display.
 *
 * The stored number is a double printed in decimal, so it may carry binary noise (`0.30000000000000004`): a value
 * within 1e-6 元 of a whole 分 is that 分; anything further is more than two decimals. All on the decimal string.
 */
export function pasteAmount(cell: ClipboardCell | string): PasteAmount {
  const c = cellOf(cell);
  if (c.num !== null) {
    const num = c.num.trim();
    if (num !== "") {
      const r = amountFromNum(num);
      if (r !== null) return r;
    }
  }
  return amountFromText(c.text);
}

/** 1 分 ÷ NOISE = 1e-6 元: how far a stored double may be from a whole 分 and still be read as it. */
const NOISE = 10_000n;
const NUM = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
/** Longer than any double printed in full (Excel writes at most 17 significant digits). */
const MAX_NUM_CHARS = 64;
/** Whole-元 digits past which an amount is too large without looking further (the limit is 10^15 元, 16 digits). */
const MAX_WHOLE_DIGITS = 20;

/** The stored number, or null when it is not a plain decimal number. */
function amountFromNum(num: string): PasteAmount | null {
  if (num.length > MAX_NUM_CHARS) return null;
  const m = NUM.exec(num);
  if (!m) return null;
  const intDigits = m[2] ?? "";
  const fracDigits = m[3] ?? "";
  if (intDigits === "" && fracDigits === "") return null;
  // the exponent is a small integer (at most 4 digits), not money
  const exp = m[4] === undefined ? 0 : Number.parseInt(m[4], 10);
  const digits = intDigits + fracDigits;
  const point = intDigits.length + exp;
  let whole: string;
  let frac: string;
  if (point <= 0) {
    whole = "0";
    frac = "0".repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + "0".repeat(point - digits.length);
    frac = "";
  } else {
    whole = digits.slice(0, point);
    frac = digits.slice(point);
  }
  whole = whole.replace(/^0+(?=\d)/, "");
  if (whole.length > MAX_WHOLE_DIGITS) return amountProblem("too-large", num);
  const cents = (frac + "00").slice(0, 2);
  const tail = frac.slice(2);
  let up = 0n;
  if (/[1-9]/.test(tail)) {
    const t = BigInt(tail);
    const d = 10n ** BigInt(tail.length);
    if ((d - t) * NOISE <= d) up = 1n;
    else if (t * NOISE > d) return amountProblem("too-many-decimals", num);
  }
  const abs = BigInt(whole) * 100n + BigInt(cents) + up;
  return signed(formatYuan(abs), m[1] === "-", num);
}

/** Plain unsigned `123.45` through money.ts's parser (its limit and decimals rule), then the sign. */
function signed(plain: string, negative: boolean, shown: string): PasteAmount {
  const r = parseYuan(plain);
  if (!r.ok) return amountProblem(r.problem, shown);
  const fen = negative ? -r.fen : r.fen;
  return { ok: true, fen, yuan: formatYuan(fen) };
}

/** Full-width forms money.ts's `normaliseDigits` leaves alone, and the other minus and yen signs. */
const MORE_FORMS: Readonly<Record<string, string>> = {
  "＋": "+",
  "−": "-",
  "（": "(",
  "）": ")",
  "￥": "¥",
  "＇": "'",
};
const MORE_FORMS_RE = /[＋−（）￥＇]/g;
/** Thousands separators; `，` is a `,` by then. */
const SEPARATORS = new Set([",", "'", " ", "\u00a0", "\u202f", "\u2009", "\u2007"]);
const EXPONENT = /^\d+(?:\.\d*)?[eE][+-]?\d+$/;

function amountFromText(text: string): PasteAmount {
  let s = normaliseDigits(text).replace(MORE_FORMS_RE, (c) => MORE_FORMS[c] ?? c).trim();
  if (s === "") return amountProblem("empty", text);
  if (s.startsWith("'")) s = s.slice(1);
  let negative = false;
  let sign = false;
  let bracket = false;
  let currency = false;
  for (;;) {
    s = s.trimStart();
    const c = s[0];
    if (c === "(" && !bracket && !sign) bracket = negative = true;
    else if ((c === "+" || c === "-") && !sign && !bracket) {
      sign = true;
      negative = c === "-";
    } else if (c === "¥" && !currency) currency = true;
    else break;
    s = s.slice(1);
  }
  let yuan = false;
  let closed = false;
  for (;;) {
    s = s.trimEnd();
    const c = s[s.length - 1];
    if (c === "元" && !yuan) yuan = true;
    else if (c === ")" && bracket && !closed) closed = true;
    else break;
    s = s.slice(0, -1);
  }
  if (bracket !== closed) return amountProblem("not-a-number", text);
  if (EXPONENT.test(s)) return { ok: false, problem: pasteProblem("paste.amount_exponent", { value: text.trim() }) };
  const parts = s.split(".");
  if (parts.length > 2) return amountProblem("not-a-number", text);
  const frac = parts[1];
  if (frac !== undefined && !/^\d*$/.test(frac)) return amountProblem("not-a-number", text);
  const whole = wholeDigits(parts[0] ?? "");
  if (whole === null) return amountProblem("not-a-number", text);
  const unpadded = whole.replace(/^0+(?=\d)/, "");
  if (unpadded.length > MAX_WHOLE_DIGITS) return amountProblem("too-large", text);
  return signed(frac === undefined ? unpadded : `${unpadded}.${frac}`, negative, text);
}

/** The digits of a whole part written plainly or grouped by threes with one kind of separator; null otherwise. */
function wholeDigits(s: string): string | null {
  if (/^\d+$/.test(s)) return s;
  const sep = /\D/.exec(s)?.[0];
  if (sep === undefined || !SEPARATORS.has(sep)) return null;
  const groups = s.split(sep);
  const ok = groups.every((g, i) => (i === 0 ? /^\d{1,3}$/ : /^\d{3}$/).test(g));
  return ok ? groups.join("") : null;
}

// ---------------------------------------------------------------------------------------------------------------------
// Codes and text

/** Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space to ASCII. */
function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** Spaces of any kind, controls, format characters (zero-width, bidi, BOM, soft hyphen) and lone surrogates. */
const NOT_IN_A_CODE = /[\s\p{Z}\p{Cc}\p{Cf}\p{Cs}]/gu;

/**
 * A code (unit, func, econ, project) or an enum value (fund, kind) from a pasted cell: always the shown text, never
 * the stored number (a `000` format shows `001` for 1). Full-width digits, letters and punctuation become ASCII; every
 * space, control and invisible format character goes (codes have no spaces: `201 03 01` is `2010301`); an Excel text
 * apostrophe (`'001`) is dropped. Nothing is validated here: the editor checks the code against its field.
 */
export function pasteCode(cell: ClipboardCell | string): string {
  const s = halfWidth(cellOf(cell).text).replace(NOT_IN_A_CODE, "");
  return s.startsWith("'") ? s.slice(1) : s;
}

/**
 * A text (note) from a pasted cell: line breaks (CRLF, CR) become `\n`, a tab becomes a space, and every character no
 * output can carry is removed — C0 controls, DEL, C1 controls, noncharacters and lone surrogates (the characters
 * `refusedTextChar` in text-chars.ts refuses, the rule of a budget file). Bidi controls are kept, as in a file (the
 * budget's schema closes any left open: `closeBidi`). Then trimmed.
 */
export function pasteText(cell: ClipboardCell | string): string {
  const s = cellOf(cell).text.replace(/\r\n?/g, "\n").replaceAll("\t", " ");
  let out = "";
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let width = 1;
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        width = 2;
      } else cp = -1;
    } else if (c >= 0xdc00 && c <= 0xdfff) cp = -1;
    if (cp < 0 || isRefused(cp)) {
      out += s.slice(from, i);
      from = i + width;
    }
    i += width - 1;
  }
  return (out + s.slice(from)).trim();
}

