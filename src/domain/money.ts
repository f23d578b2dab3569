/**
 * Money is exact: `bigint` 分 (0.01 元). Amounts enter as decimal text and leave as decimal text;
 * nothing here ever goes through a float.
 */

export type Fen = bigint;

/** Why a decimal text is not an amount. */
export type AmountProblem = "empty" | "not-a-number" | "negative" | "too-many-decimals" | "too-large";

export type AmountParse = { ok: true; fen: Fen } | { ok: false; problem: AmountProblem };

const FULL_WIDTH_DIGITS = /[０-９．，－]/g;
const PLAIN = /^(\d+)(?:\.(\d*))?$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$/;
/** 10^15 元 — far beyond any budget, and keeps every sum far from overflow concerns in JSON consumers. */
const MAX_FEN = 10n ** 17n;

/** Full-width digits, point, comma and minus (as typed with a Chinese IME) to ASCII. */
export function normaliseDigits(text: string): string {
  return text.replace(FULL_WIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Parses an amount in 元 from its decimal text: `1036750`, `1036750.1`, `1,036,750.10`, `１０３６７５０`.
 * At most two decimals; negative amounts, exponents, spaces inside and anything else are refused.
 */
export function parseYuan(raw: string): AmountParse {
  const text = normaliseDigits(raw.trim());
  if (text === "") return { ok: false, problem: "empty" };
  if (text.startsWith("-")) {
    return PLAIN.test(text.slice(1)) || GROUPED.test(text.slice(1))
      ? { ok: false, problem: "negative" }
      : { ok: false, problem: "not-a-number" };
  }
  const m = PLAIN.exec(text) ?? GROUPED.exec(text);
  if (!m) return { ok: false, problem: "not-a-number" };
  const whole = (m[1] ?? "").replaceAll(",", "");
  const frac = m[2] ?? "";
  if (frac.length > 2) {
    // 12.300 is still exact to the 分; only non-zero digits past the second decimal are refused.
    if (/[1-9]/.test(frac.slice(2))) return { ok: false, problem: "too-many-decimals" };
  }
  const fen = BigInt(whole) * 100n + BigInt((frac + "00").slice(0, 2));
  if (fen > MAX_FEN) return { ok: false, problem: "too-large" };
  return { ok: true, fen };
}

/** `123456` 分 → `"1234.56"` (元, two decimals). */
export function formatYuan(fen: Fen): string {
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
  return neg ? `-${s}` : s;
}

/** Integer division rounding half away from zero. */
export function divRoundHalfAway(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new Error("divRoundHalfAway: divisor must be positive");
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (a * 2n + d) / (2n * d);
  return neg ? -q : q;
}

/**
 * A printed unit: how many 分 one step of the last printed digit is worth, and how many decimals print.
 * 0.01 万元 = 100 元 = 10 000 分.
 */
export interface PrintUnit {
  /** 分 per printed step (e.g. 10 000 for 0.01 万元). */
  readonly step: bigint;
  /** decimals printed */
  readonly decimals: number;
}

export const WAN_YUAN_2DP: PrintUnit = { step: 10_000n, decimals: 2 };

/** Exact amount → printed steps (rounded once, half away from zero). */
export function toSteps(fen: Fen, unit: PrintUnit): bigint {
  return divRoundHalfAway(fen, unit.step);
}

/**
 * `toSteps` for an exact integer amount held in a float64 (|fen| ≤ Number.MAX_SAFE_INTEGER): integer division with
 * a correction step, so the float quotient's rounding can never move the result.
 */
export function stepsOfSafeInteger(fen: number, step: number): number {
  const a = Math.abs(fen);
  let q = Math.floor(a / step);
  let r = a - q * step;
  if (r < 0) {
    q -= 1;
    r += step;
  } else if (r >= step) {
    q += 1;
    r -= step;
  }
  if (2 * r >= step) q += 1;
  return fen < 0 ? -q : q;
}

/** Printed steps → printed text, e.g. 37202n → "372.02". */
export function formatSteps(steps: bigint, decimals: number): string {
  const neg = steps < 0n;
  const abs = neg ? -steps : steps;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const frac = decimals > 0 ? "." + (abs % scale).toString().padStart(decimals, "0") : "";
  return `${neg ? "-" : ""}${whole}${frac}`;
}

/**
 * A published cell per CONVENTIONS.md: exactly zero prints blank; anything else prints its rounded value,
 * so a non-zero total that rounds to nothing prints `0.00`.
 */
export function formatCell(fen: Fen, unit: PrintUnit): string {
  if (fen === 0n) return "";
  return formatSteps(toSteps(fen, unit), unit.decimals);
}

/** Parses printed text (e.g. from a CSV or PDF) back to printed steps; blank → null. */
export function parseSteps(text: string, decimals: number): bigint | null {
  const t = normaliseDigits(text.trim()).replaceAll(",", "");
  if (t === "") return null;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return null;
  const frac = (m[3] ?? "").padEnd(decimals, "0");
  if (frac.length > decimals) return null;
  const v = BigInt((m[2] ?? "0") + frac);
  return m[1] === "-" ? -v : v;
}
