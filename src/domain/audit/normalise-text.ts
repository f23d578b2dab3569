/**
 * Normalisation of every word a reader produces (issue 14: "Normalise Kangxi and CJK-radical code points (⽀→支) and
 * full-width forms before matching any name"). Published PDFs are often made by office software whose fonts map some
 * glyphs to the Kangxi radicals block instead of the unified ideograph that looks the same: `pdftotext` of the
 * published 部门预算 gives `⽀出` for 支出, `⼀般` for 一般. Nothing downstream should have to know.
 *
 * What `normaliseText` changes, and why not `String.prototype.normalize("NFKC")` on everything:
 *
 * - Kangxi radicals U+2F00–U+2FD5 → the unified ideograph (`KANGXI_RADICALS`, complete: the 214 compatibility
 *   decompositions of UnicodeData.txt, which NFKC applies; a test checks the table against NFKC).
 * - CJK radicals supplement U+2E80–U+2EF3 → the equivalent unified ideograph where Unicode's
 *   EquivalentUnifiedIdeograph.txt gives one (`CJK_RADICALS_SUPPLEMENT`; NFKC maps only ⺟ and ⻳ of this block). A
 *   radical with no unified equivalent (⺌, ⺗ as a component…) is left as it is.
 * - CJK compatibility ideographs U+F900–U+FAD9 → their canonical equivalent (NFC does this; the twelve unified
 *   ideographs of the block such as 﨑 have no decomposition and stay).
 * - Full-width digits and Latin letters ０-９ Ａ-Ｚ ａ-ｚ → ASCII; the signs that belong to numbers: ．→ . , －/−/﹣ → -,
 *   ＋ → +, ％ → % ; a full-width comma between digits that separates a group of exactly three digits
 *   (`1，234.00`) → `,` (a thousands separator stays one); any other ，stays: it is the Chinese comma of a sentence
 *   (`增加5.00万元，主要原因是`), and `3，5` is a list.
 * - The other full-width punctuation stays as printed (（ ） ： ； 、 。 ，): NFKC would turn `（一）` into `(一)` and
 *   `：` into `:`, so that quotes no longer read as printed and a Chinese comma would look like a thousands
 *   separator. Matching a name where one document prints `（一）` and another `(一)` uses `nameKey`, which folds them.
 * - Ideographic space U+3000, no-break spaces U+00A0 / U+202F, the spaces U+2000–U+200A and U+205F → " ".
 * - Zero-width characters U+200B–U+200D, U+2060, U+FEFF (a BOM inside text) and the soft hyphen U+00AD → removed.
 */

/** Kangxi radicals U+2F00–U+2FD5 in order: the unified ideograph of U+2F00 + i is the i-th character. */
export const KANGXI_RADICALS =
  "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";

/** CJK radicals supplement → equivalent unified ideograph (EquivalentUnifiedIdeograph.txt), as code points. */
export const CJK_RADICALS_SUPPLEMENT: ReadonlyMap<number, number> = new Map([
  [0x2e80, 0x51ab],
  [0x2e81, 0x5382],
  [0x2e82, 0x4e5b],
  [0x2e83, 0x4e5a],
  [0x2e84, 0x4e59],
  [0x2e85, 0x4ebb],
  [0x2e86, 0x5182],
  [0x2e89, 0x5202],
  [0x2e8a, 0x535c],
  [0x2e8b, 0x353e],
  [0x2e8e, 0x5140],
  [0x2e8f, 0x5c23],
  [0x2e90, 0x5c22],
  [0x2e92, 0x5df3],
  [0x2e93, 0x5e7a],
  [0x2e94, 0x5f51],
  [0x2e95, 0x5f50],
  [0x2e96, 0x5fc4],
  [0x2e97, 0x38fa],
  [0x2e98, 0x624c],
  [0x2e99, 0x6535],
  [0x2e9b, 0x65e1],
  [0x2e9d, 0x6708],
  [0x2e9e, 0x6b7a],
  [0x2e9f, 0x6bcd],
  [0x2ea0, 0x6c11],
  [0x2ea1, 0x6c35],
  [0x2ea2, 0x6c3a],
  [0x2ea3, 0x706c],
  [0x2ea5, 0x722b],
  [0x2ea6, 0x4e2c],
  [0x2ea8, 0x72ad],
  [0x2eab, 0x7f52],
  [0x2eac, 0x793a],
  [0x2ead, 0x793b],
  [0x2eaf, 0x7cf9],
  [0x2eb0, 0x7e9f],
  [0x2eb1, 0x7f53],
  [0x2eb3, 0x34c1],
  [0x2eb4, 0x34c1],
  [0x2eb9, 0x8002],
  [0x2eba, 0x8080],
  [0x2ebc, 0x6708],
  [0x2ebd, 0x81fc],
  [0x2ebe, 0x8279],
  [0x2ebf, 0x8279],
  [0x2ec0, 0x8279],
  [0x2ec1, 0x864e],
  [0x2ec2, 0x8864],
  [0x2ec3, 0x8980],
  [0x2ec4, 0x897f],
  [0x2ec5, 0x89c1],
  [0x2ec8, 0x8ba0],
  [0x2ec9, 0x8d1d],
  [0x2ecb, 0x8f66],
  [0x2ecd, 0x8fb6],
  [0x2ecf, 0x961d],
  [0x2ed0, 0x9485],
  [0x2ed1, 0x9577],
  [0x2ed2, 0x9578],
  [0x2ed3, 0x957f],
  [0x2ed4, 0x95e8],
  [0x2ed6, 0x961d],
  [0x2ed8, 0x9752],
  [0x2ed9, 0x97e6],
  [0x2eda, 0x9875],
  [0x2edb, 0x98ce],
  [0x2edc, 0x98de],
  [0x2edd, 0x98df],
  [0x2edf, 0x98e0],
  [0x2ee0, 0x9963],
  [0x2ee2, 0x9a6c],
  [0x2ee3, 0x9aa8],
  [0x2ee4, 0x9b3c],
  [0x2ee5, 0x9c7c],
  [0x2ee6, 0x9e1f],
  [0x2ee7, 0x5364],
  [0x2ee8, 0x9ea6],
  [0x2ee9, 0x9ec4],
  [0x2eea, 0x9efe],
  [0x2eeb, 0x6589],
  [0x2eec, 0x9f50],
  [0x2eed, 0x6b6f],
  [0x2eee, 0x9f7f],
  [0x2eef, 0x7adc],
  [0x2ef0, 0x9f99],
  [0x2ef1, 0x9f9c],
  [0x2ef2, 0x4e80],
  [0x2ef3, 0x9f9f],
]);

/** Single characters replaced one for one (besides the blocks above and the full-width ranges). */
const SIGNS: Readonly<Record<string, string>> = {
  "．": ".",
  "－": "-",
  "−": "-", // U+2212 MINUS SIGN
  "﹣": "-", // U+FE63 SMALL HYPHEN-MINUS
  "＋": "+",
  "％": "%",
};

const SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
const ZERO_WIDTH = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** code points that may change: the fast path returns a string with none of these untouched */
const MAY_CHANGE =
  /[\u00a0\u00ad\u2000-\u200d\u202f\u205f\u2060\u2212\u2e80-\u2ef3\u2f00-\u2fd5\u3000\uf900-\ufad9\ufe63\ufeff\uff0b\uff0c\uff05\uff0d\uff0e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/;
const ONE_CHAR = /[\u2e80-\u2ef3\u2f00-\u2fd5\uf900-\ufad9\uff05\uff0b\uff0d\uff0e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2212\ufe63]/g;
/** a full-width comma between a digit and a group of exactly three digits (after digits have become ASCII) */
const THOUSANDS_COMMA = /(?<=\d)，(?=\d{3}(?!\d))/g;

function oneChar(c: string): string {
  const cp = c.codePointAt(0)!;
  if (cp >= 0x2f00 && cp <= 0x2fd5) return KANGXI_RADICALS[cp - 0x2f00]!;
  if (cp >= 0x2e80 && cp <= 0x2ef3) {
    const to = CJK_RADICALS_SUPPLEMENT.get(cp);
    return to === undefined ? c : String.fromCodePoint(to);
  }
  if (cp >= 0xf900 && cp <= 0xfad9) return c.normalize("NFC");
  if ((cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a)) return String.fromCharCode(cp - 0xfee0);
  return SIGNS[c] ?? c;
}

/** The text of a word as the auditor reads it (see the module comment for exactly what changes). */
export function normaliseText(s: string): string {
  if (!MAY_CHANGE.test(s)) return s;
  return s.replace(ZERO_WIDTH, "").replace(SPACES, " ").replace(ONE_CHAR, oneChar).replace(THOUSANDS_COMMA, ",");
}

/**
 * A key for comparing names (a table title, a row label, a function name) across documents that print the same name
 * with different punctuation widths or spacing: `normaliseText`, then NFKC (（一）→(一), ：→:), then no white space.
 * For matching only — never shown or quoted.
 */
export function nameKey(s: string): string {
  return normaliseText(s).normalize("NFKC").replace(/\s+/g, "");
}

/** Whether `s` contains a Kangxi radical or a CJK radicals-supplement code point (for counting them in a note). */
export function hasRadicalCodePoints(s: string): boolean {
  return /[\u2e80-\u2ef3\u2f00-\u2fd5]/.test(s);
}

/**
 * Columns a character takes in a plain-text extraction: 2 for East Asian wide and full-width characters (CJK
 * ideographs, radicals, kana, Hangul, full-width forms, ideographic space), 0 for zero-width ones, else 1.
 */
export function displayWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp === 0x00ad || (cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || cp === 0xfeff || (cp >= 0x0300 && cp <= 0x036f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}
