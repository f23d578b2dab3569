import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPasteLimits, PASTE_LIMITS, pasteAmount, pasteCode, pasteText, parseTsv, type ClipboardCell } from "./clipboard-paste.ts";
import { refusedTextChar } from "./text-chars.ts";

const cell = (text: string, num: string | null = null): ClipboardCell => ({ text, num });

function fenOf(c: ClipboardCell | string): bigint {
  const r = pasteAmount(c);
  if (!r.ok) throw new Error(`refused: ${r.problem.code} ${r.problem.en}`);
  return r.fen;
}

/** Cells written the way Excel writes its clipboard: quoted when they hold a quote, tab or line break; CRLF after each row. */
function excel(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/["\t\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join("\t") + "\r\n").join("");
}

/** `1234567` → `1,234,567` with the given separator. */
function group(digits: string, sep: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, sep);
}

/** ASCII digits, point, comma and minus to their full-width forms. */
function fullWidth(s: string): string {
  return s.replace(/[0-9.,-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function codeOf(c: ClipboardCell | string): string {
  const r = pasteAmount(c);
  if (r.ok) throw new Error(`accepted as ${r.yuan}`);
  return r.problem.code;
}

describe("parseTsv", () => {
  it("splits rows on CRLF, LF and CR and cells on tabs; Excel's one trailing line break makes no row", () => {
    expect(parseTsv("001\t2010301\t30101\r\n002\t2010302\t30102\r\n")).toEqual({
      ok: true,
      rows: [
        ["001", "2010301", "30101"],
        ["002", "2010302", "30102"],
      ],
    });
    expect(parseTsv("a\nb\rc\r\nd")).toEqual({ ok: true, rows: [["a"], ["b"], ["c"], ["d"]] });
    expect(parseTsv("a\r\n\r\n")).toEqual({ ok: true, rows: [["a"], [""]] });
    expect(parseTsv("a\n\nb\n")).toEqual({ ok: true, rows: [["a"], [""], ["b"]] });
    expect(parseTsv("\r\n")).toEqual({ ok: true, rows: [[""]] });
    expect(parseTsv("")).toEqual({ ok: true, rows: [] });
  });

  it("keeps empty cells and short rows as they are, and drops a leading BOM", () => {
    expect(parseTsv("\ufeffa\t\tc\t\nx\n")).toEqual({ ok: true, rows: [["a", "", "c", ""], ["x"]] });
    expect(parseTsv("\t")).toEqual({ ok: true, rows: [["", ""]] });
  });

  it("reads quoted cells with tabs, line breaks and doubled quotes", () => {
    const tsv = '001\t"line one\nline two"\t"say ""hi""\tthere"\r\n"a\r\nb"\t""\t"x"\r\n';
    expect(parseTsv(tsv)).toEqual({
      ok: true,
      rows: [
        ["001", "line one\nline two", 'say "hi"\tthere'],
        ["a\r\nb", "", "x"],
      ],
    });
  });

  it("reads a cell literally when its quotes do not make a quoted cell", () => {
    expect(parseTsv('"ab"cd\tx')).toEqual({ ok: true, rows: [['"ab"cd', "x"]] });
    expect(parseTsv('a"b\t"c')).toEqual({ ok: true, rows: [['a"b', '"c']] });
    // an unclosed quote does not swallow the rows after it
    expect(parseTsv('"note\t1\n2\t3\n')).toEqual({ ok: true, rows: [['"note', "1"], ["2", "3"]] });
  });

  it("round-trips any table written the way Excel writes its clipboard", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "1", " ", '"', "\t", "\n", "\r", "元", "𠀀"), maxLength: 8 });
    const table = fc.array(fc.array(text, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, (rows) => {
        expect(parseTsv(excel(rows))).toEqual({ ok: true, rows });
      }),
    );
  });

  it("stops at the limits, naming the row and column", () => {
    const rows = "1\n".repeat(PASTE_LIMITS.maxRows);
    expect(parseTsv(rows)).toMatchObject({ ok: true });
    const over = parseTsv(rows + "1");
    expect(over).toMatchObject({ ok: false, problem: { code: "paste.too_many_rows", params: { limit: 20_000 } } });
    if (!over.ok) expect(over.problem.zh).toBe("粘贴的内容超过 20000 行；请分批粘贴");

    expect(parseTsv("a\n" + "x\t".repeat(49) + "x")).toMatchObject({ ok: true });
    const wide = parseTsv("a\n" + "x\t".repeat(50) + "x");
    expect(wide).toMatchObject({ ok: false, problem: { code: "paste.too_many_columns", params: { row: 2, limit: 50 } } });
    if (!wide.ok) expect(wide.problem.en).toBe("row 2 of the pasted content has more than 50 columns");

    expect(parseTsv("y".repeat(4000))).toMatchObject({ ok: true });
    const long = parseTsv(`a\tb\nc\t"${"y".repeat(4001)}"`);
    expect(long).toMatchObject({ ok: false, problem: { code: "paste.cell_too_long", params: { row: 2, column: 2, limit: 4000 } } });
    if (!long.ok) expect(long.problem.zh).toBe("粘贴内容第 2 行第 2 列的单元格超过 4000 个字符");
  });

  it("applies the same limits to cells read from the HTML clipboard", () => {
    expect(checkPasteLimits([[cell("1")]])).toEqual({ ok: true, rows: [[cell("1")]] });
    const wide = checkPasteLimits([[cell("a")], Array.from({ length: 51 }, () => cell("x"))]);
    expect(wide).toMatchObject({ ok: false, problem: { code: "paste.too_many_columns", params: { row: 2 } } });
    const long = checkPasteLimits([[cell("a"), cell("y".repeat(4001))]]);
    expect(long).toMatchObject({ ok: false, problem: { code: "paste.cell_too_long", params: { row: 1, column: 2 } } });
    const tall = checkPasteLimits(Array.from({ length: 20_001 }, () => [cell("1")]));
    expect(tall).toMatchObject({ ok: false, problem: { code: "paste.too_many_rows" } });
  });
});

describe("pasteAmount from the shown text", () => {
  it.each([
    ["1036750.10", 103675010n, "1036750.10"],
    ["1,036,750.10", 103675010n, "1036750.10"],
    ["１，０３６，７５０．１０", 103675010n, "1036750.10"],
    ["１０３６７５０．１", 103675010n, "1036750.10"],
    ["￥1,234.5元", 123450n, "1234.50"],
    ["¥ 1,234.50 元", 123450n, "1234.50"],
    ["(1,234.00)", -123400n, "-1234.00"],
    ["（１，２３４．００）", -123400n, "-1234.00"],
    ["¥(1,234.00)", -123400n, "-1234.00"],
    ["(¥1,234.00)元", -123400n, "-1234.00"],
    ["-12", -1200n, "-12.00"],
    ["−12", -1200n, "-12.00"],
    ["－１２", -1200n, "-12.00"],
    ["-¥12.3", -1230n, "-12.30"],
    ["¥-12.3", -1230n, "-12.30"],
    ["+5", 500n, "5.00"],
    ["  12.30\u00a0", 1230n, "12.30"],
    ["12.300", 1230n, "12.30"],
    ["1 036 750.10", 103675010n, "1036750.10"],
    ["1\u00a0036\u00a0750", 103675000n, "1036750.00"],
    ["1\u2009036\u2009750", 103675000n, "1036750.00"],
    ["1\u202f036", 103600n, "1036.00"],
    ["1'036'750.10", 103675010n, "1036750.10"],
    ["'1036750.10", 103675010n, "1036750.10"],
    ["007.5", 750n, "7.50"],
    ["0", 0n, "0.00"],
    ["-0", 0n, "0.00"],
    ["1000000000000000", 10n ** 17n, "1000000000000000.00"],
    ["-1,000,000,000,000,000.00", -(10n ** 17n), "-1000000000000000.00"],
  ])("%j → %s 分", (text, fen, yuan) => {
    expect(pasteAmount(text)).toEqual({ ok: true, fen, yuan });
    // the text is read the same whether it comes as a string, a cell without num or a cell with an empty num
    expect(pasteAmount(cell(text, ""))).toEqual({ ok: true, fen, yuan });
  });

  it.each([
    ["", "amount.empty"],
    ["   ", "amount.empty"],
    ["abc", "amount.not_a_number"],
    ["12元5角", "amount.not_a_number"],
    ["100万", "amount.not_a_number"],
    ["12%", "amount.not_a_number"],
    ["1.2.3", "amount.not_a_number"],
    ["1,23,4", "amount.not_a_number"],
    ["1,03,6750", "amount.not_a_number"],
    ["1,5", "amount.not_a_number"],
    ["1.234,56", "amount.not_a_number"],
    ["1,234 567", "amount.not_a_number"],
    ["1,234.567,8", "amount.not_a_number"],
    [".5", "amount.not_a_number"],
    ["-", "amount.not_a_number"],
    ["¥", "amount.not_a_number"],
    ["(1,234.00", "amount.not_a_number"],
    ["1,234.00)", "amount.not_a_number"],
    ["(-12)", "amount.not_a_number"],
    ["--12", "amount.not_a_number"],
    ["12-", "amount.not_a_number"],
    ["12.345", "amount.too_many_decimals"],
    ["0.30000000000000004", "amount.too_many_decimals"],
    ["1000000000000000.01", "amount.too_large"],
    ["9".repeat(5000), "amount.too_large"],
    ["1.2E+07", "paste.amount_exponent"],
    ["1.03675E+06", "paste.amount_exponent"],
  ])("%j is refused (%s)", (text, code) => {
    expect(codeOf(text)).toBe(code);
  });

  it("says what is wrong in Chinese and English, quoting the cell", () => {
    expect(pasteAmount("12.345")).toEqual({
      ok: false,
      problem: {
        code: "amount.too_many_decimals",
        zh: '金额最多两位小数（得到 "12.345"）',
        en: 'an amount has at most two decimals (got "12.345")',
        params: { value: "12.345" },
      },
    });
    const r = pasteAmount("1.2E+07");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.zh).toContain("科学计数法");
      expect(r.problem.en).toContain('"1.2E+07"');
    }
  });
});

describe("pasteAmount from the stored number", () => {
  it("prefers the stored number, which keeps the 分 a #,##0 format hides", () => {
    expect(pasteAmount(cell("1,036,751", "1036750.5"))).toEqual({ ok: true, fen: 103675050n, yuan: "1036750.50" });
    expect(fenOf(cell("1,036,750.10", "1036750.1"))).toBe(103675010n);
    expect(fenOf(cell("(1,234.00)", "-1234"))).toBe(-123400n);
    // a display in 万元 or a zero shown as a dash: the stored value is the amount
    expect(fenOf(cell("103.68", "1036750.1"))).toBe(103675010n);
    expect(fenOf(cell("-", "0"))).toBe(0n);
  });

  it("reads the text when num is empty or not a plain number", () => {
    expect(fenOf(cell("1,036,750.10", ""))).toBe(103675010n);
    expect(fenOf(cell("1,036,750.10", "  "))).toBe(103675010n);
    expect(fenOf(cell("1,036,750.10", "1,036,750.1"))).toBe(103675010n);
    expect(fenOf(cell("12", "NaN"))).toBe(1200n);
    expect(fenOf(cell("12", "."))).toBe(1200n);
  });

  it.each([
    ["0.30000000000000004", 30n],
    ["1036750.1000000001", 103675010n],
    ["12.349999999999999", 1235n],
    ["-12.349999999999999", -1235n],
    ["0.1", 10n],
    ["99.99999999999999", 10000n],
    ["0.009999999", 1n],
    ["0.010001", 1n],
    ["-0.000000001", 0n],
    [".5", 50n],
    ["5.", 500n],
    ["+7", 700n],
  ])("removes binary noise: %s → %s 分", (num, fen) => {
    expect(fenOf(cell("shown", num))).toBe(fen);
  });

  it.each([
    ["12.345", "amount.too_many_decimals"],
    ["12.3450000001", "amount.too_many_decimals"],
    ["0.0100011", "amount.too_many_decimals"],
    ["0.009998", "amount.too_many_decimals"],
    ["1E-3", "amount.too_many_decimals"],
    ["1E+16", "amount.too_large"],
    ["1.00000000000000001E+14", "amount.too_many_decimals"],
    ["1E+9999", "amount.too_large"],
  ])("refuses %s (%s), quoting the stored value", (num, code) => {
    const r = pasteAmount(cell("12.35", num));
    expect(r).toMatchObject({ ok: false, problem: { code, params: { value: num } } });
  });

  it.each([
    ["1.2E+7", 1_200_000_000n],
    ["1.2e7", 1_200_000_000n],
    ["1E+15", 10n ** 17n],
    ["-1E+15", -(10n ** 17n)],
    ["1.23456789012345E+14", 12_345_678_901_234_500n],
    ["1E-2", 1n],
    ["12345E-2", 12345n],
    ["1.5E-1", 15n],
    ["3.0000000000000004E-1", 30n],
    ["1E-9999", 0n],
  ])("reads exponents exactly: %s → %s 分", (num, fen) => {
    expect(fenOf(cell("", num))).toBe(fen);
  });

  it("keeps amounts far beyond a double's 53 bits exact", () => {
    expect(pasteAmount(cell("", "987654321098765.43"))).toEqual({ ok: true, fen: 98765432109876543n, yuan: "987654321098765.43" });
    expect(pasteAmount("987,654,321,098,765.43")).toEqual({ ok: true, fen: 98765432109876543n, yuan: "987654321098765.43" });
  });
});

describe("pasteAmount properties", () => {
  const anyFen = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n });

  it("gives back any amount shown with thousands separators, in ASCII or full width", () => {
    const shown = fc.record({
      fen: anyFen,
      sep: fc.constantFrom(",", "，", " ", "\u00a0", "\u2009", "\u202f", "'", ""),
      full: fc.boolean(),
      style: fc.constantFrom("minus", "bracket", "currency", "yuan"),
    });
    fc.assert(
      fc.property(shown, ({ fen, sep, full, style }) => {
        const abs = fen < 0n ? -fen : fen;
        let body = `${group((abs / 100n).toString(), sep)}.${(abs % 100n).toString().padStart(2, "0")}`;
        if (full) body = fullWidth(body);
        const neg = fen < 0n;
        const text =
          style === "bracket" && neg
            ? `(${body})`
            : style === "currency"
              ? `${neg ? "-" : ""}￥${body}`
              : style === "yuan"
                ? `${neg ? "－" : ""}${body}元`
                : `${neg ? (full ? "－" : "-") : ""}${body}`;
        const r = pasteAmount(text);
        expect(r).toEqual({ ok: true, fen, yuan: `${neg ? "-" : ""}${(abs / 100n).toString()}.${(abs % 100n).toString().padStart(2, "0")}` });
      }),
    );
  });

  it("gives back any amount stored as a number, with an exponent or with binary noise", () => {
    const stored = fc.record({ fen: anyFen, exp: fc.integer({ min: -5, max: 20 }), noise: fc.bigInt({ min: -999_999n, max: 999_999n }) });
    fc.assert(
      fc.property(stored, ({ fen, exp, noise }) => {
        const neg = fen < 0n;
        const abs = neg ? -fen : fen;
        // in units of 1e-12 元: the amount plus noise of less than 1e-6 元 either way
        const scaled = abs * 10n ** 10n + (abs === 0n && noise < 0n ? -noise : noise);
        const digits = scaled.toString();
        // mantissa × 10^exp = scaled × 10^-12
        const at = digits.length - 12 - exp;
        const mantissa =
          at <= 0 ? `0.${"0".repeat(-at)}${digits}` : at >= digits.length ? digits + "0".repeat(at - digits.length) : `${digits.slice(0, at)}.${digits.slice(at)}`;
        const num = `${neg ? "-" : ""}${mantissa}E${exp >= 0 ? "+" : ""}${exp}`;
        expect(fenOf(cell("", num))).toBe(fen);
      }),
    );
  });
});

describe("pasteCode", () => {
  it.each([
    ["001", "001"],
    ["2010301", "2010301"],
    [" 30101 ", "30101"],
    ["'001", "001"],
    [" '001", "001"],
    ["０１２", "012"],
    ["２０１０３０１", "2010301"],
    ["201 03 01", "2010301"],
    ["20103\u00a001", "2010301"],
    ["\u202e2010301\u200b", "2010301"],
    ["ｇｐｂ．ｏｗｎ", "gpb.own"],
    ["8910002U", "8910002U"],
    ["８９１０００２Ｕ", "8910002U"],
    ["一般公共预算 本级一般财力", "一般公共预算本级一般财力"],
    ["basic\t", "basic"],
    ["", ""],
  ])("%j → %j", (text, code) => {
    expect(pasteCode(text)).toBe(code);
  });

  it("takes the shown text, never the stored number", () => {
    expect(pasteCode(cell("001", "1"))).toBe("001");
    expect(pasteCode(cell("2010301", "2010301"))).toBe("2010301");
  });
});

describe("pasteText", () => {
  it("keeps line breaks as \\n, makes tabs spaces and trims", () => {
    expect(pasteText("  第一行\r\n第二行\r第三行\n ")).toBe("第一行\n第二行\n第三行");
    expect(pasteText(cell("a\tb", "1"))).toBe("a b");
  });

  it("removes control and other characters no output can carry, and keeps bidi controls (as a budget file does)", () => {
    expect(pasteText("a\u0000b\u0007c\u001b\u007f\u0085d")).toBe("abcd");
    expect(pasteText("用途\u202e说明\u2066x\u2069\u202a\u202c")).toBe("用途\u202e说明\u2066x\u2069\u202a\u202c");
    expect(pasteText("x\ufffey\ufdd0z\ud83f\udffe")).toBe("xyz");
    expect(pasteText("lone\ud800 and \udc00 surrogates, 𠀀 kept")).toBe("lone and  surrogates, 𠀀 kept");
    expect(pasteText("\u0000 padded \u0000")).toBe("padded");
  });

  it("leaves nothing that the budget's text check refuses", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const t = pasteText(s);
        expect(refusedTextChar(t)).toBeNull();
        expect(t).not.toMatch(/\r/);
      }),
    );
  });
});
