/**
 * A number as a published table prints it (issue 14): exact, in the printed unit's smallest printed step. "1,036.75" is
 * 103675 hundredths, "-12.5" is -125 tenths, "0.00" is zero hundredths; a blank is not a number, and a dash ("—", "-")
 * alone is a dash, not zero. Never a float.
 */

export interface PrintedAmount {
  /** the printed digits as an integer: "1,036.75" → 103675n */
  readonly value: bigint;
  /** how many decimals were printed: "1,036.75" → 2, "12" → 0 */
  readonly decimals: number;
}

/** what one printed token is, before its column says more (a bare integer may be a code, a year or an amount) */
export type TokenKind = "amount" | "integer" | "dash" | "text";

const GROUPED = /^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN_DECIMAL = /^[-−]?\d+\.\d+$/;
const PLAIN_INTEGER = /^[-−]?\d+$/;
const DASH = /^[-−–—―－一]{1,3}$/;

/** Normalise the forms a printed number takes in extracted text: full-width digits and signs, spaces inside. */
export function numberForm(text: string): string {
  return text
    .replace(/[０-９]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30),
    )
    .replace(/[，]/g, ",")
    .replace(/[．]/g, ".")
    .replace(/[－]/g, "-")
    .replace(/\s+/g, "");
}

/**
 * The token's kind: an amount has a decimal point or thousands separators in their places; a bare integer is
 * "integer" (an amount only where its column is an amount column); a dash alone is "dash"; anything else is text.
 * "10,36.75" (separators out of place) is text: it is not read as a number.
 */
export function tokenKind(raw: string): TokenKind {
  const t = numberForm(raw);
  if (t === "") return "text";
  if (GROUPED.test(t) || PLAIN_DECIMAL.test(t)) return "amount";
  if (PLAIN_INTEGER.test(t)) return "integer";
  // a dash alone; "一" (the ideograph one) only when it is doubled or more, as a printed dash "——" is often extracted
  if (DASH.test(t) && !/^一$/.test(t)) return "dash";
  return "text";
}

/** The exact amount of a printed number ("1,036.75", "-12.5", "0.00", "12"), or null when it is not one. */
export function parsePrintedAmount(raw: string): PrintedAmount | null {
  const t = numberForm(raw).replace(/^−/, "-");
  if (!(GROUPED.test(t) || PLAIN_DECIMAL.test(t) || PLAIN_INTEGER.test(t)))
    return null;
  const negative = t.startsWith("-");
  const digits = (negative ? t.slice(1) : t).replace(/,/g, "");
  const dot = digits.indexOf(".");
  const decimals = dot < 0 ? 0 : digits.length - dot - 1;
  const whole = dot < 0 ? digits : digits.slice(0, dot) + digits.slice(dot + 1);
  const value = BigInt(whole);
  return { value: negative ? -value : value, decimals };
}

/** The amount as a plain decimal string ("1036.75", "-12.5", "0.00"), for messages and comparisons. */
export function formatPrintedAmount(a: PrintedAmount): string {
  const negative = a.value < 0n;
  const digits = (negative ? -a.value : a.value)
    .toString()
    .padStart(a.decimals + 1, "0");
  const body =
    a.decimals === 0
      ? digits
      : `${digits.slice(0, digits.length - a.decimals)}.${digits.slice(digits.length - a.decimals)}`;
  return negative ? `-${body}` : body;
}

/** The same amount at `decimals` printed decimals (only ever more decimals: exact), for sums over mixed precision. */
export function scaleAmount(a: PrintedAmount, decimals: number): bigint {
  if (decimals < a.decimals)
    throw new Error(
      `scaleAmount: cannot drop decimals (${a.decimals} → ${decimals})`,
    );
  return a.value * 10n ** BigInt(decimals - a.decimals);
}
