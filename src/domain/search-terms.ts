/**
 * The words of the public search, for the index and for a query alike. Chinese has no spaces, so a run of Han
 * characters is indexed as its overlapping two-character pairs (信访局 → 信访 访局), and every other run of letters
 * and digits as one word (ASCII words, codes: `2010301`, `p2024001`).
 *
 * - Text is first normalised with NFKC and lower-cased: Kangxi radicals (⽀ U+2F40) become the unified ideograph
 *   (支), full-width digits and letters become ASCII (２０１０３０１ → 2010301), the ideographic space a space.
 * - Indexed, a Han run also gives its last character alone (信访局 → 信访 访局 局; a one-character run gives just
 *   itself), so that every character of the text begins some token: a one-character query `X` is then the prefix
 *   query `X*`, and finds every text containing X.
 * - A query is split the same way; a Han run of two or more characters gives its pairs (exact tokens), a one-character
 *   run a prefix term, any other word an exact term. Every term must match (AND). A query of three or more Han
 *   characters thus matches texts holding all of its pairs, in any order — the usual price of a pair index.
 * - Codes are exact words; the 类 and 款 above a function 项 (2010301 → 201, 20103) and the 类 above an economic 款
 *   (30217 → 302) are added to an entry's tokens by `codeTokens`, so that `20103` finds every 项 of that 款 and `201`
 *   every line of that 类.
 *
 * Tokens hold only Han characters, letters, digits and marks, never a space, quote or operator: the store quotes them
 * once more anyway, so that no query text ever reaches an FTS5 or tsquery expression unquoted.
 */

/** One term of a query: a token that must be in the entry (`prefix`: a token beginning with `text`). */
export interface SearchTerm {
  readonly text: string;
  readonly prefix: boolean;
}

/** The longest token kept (a longer word is cut): PostgreSQL refuses lexemes over 2 KiB. */
export const MAX_TOKEN_CHARS = 64;
/** At most this many distinct terms are taken from one query (a 100-character query gives at most 99). */
export const MAX_QUERY_TERMS = 100;

const HAN = /^\p{Script=Han}$/u;
const WORD = /^[\p{L}\p{N}]$/u;
const MARK = /^\p{M}$/u;
const FORMAT = /^\p{Cf}$/u;

interface Run {
  readonly han: boolean;
  readonly chars: string[];
}

/** NFKC, then lower case. */
export function normaliseSearchText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/**
 * The runs of a normalised text: Han runs and word runs (letters, digits and their marks). Marks after a Han
 * character and invisible format characters (zero-width space, joiners) are skipped without ending a run; anything
 * else (spaces, punctuation, symbols) ends it.
 */
function runs(text: string): Run[] {
  const out: Run[] = [];
  let cur: Run | null = null;
  for (const ch of normaliseSearchText(text)) {
    if (HAN.test(ch)) {
      if (!cur || !cur.han) out.push((cur = { han: true, chars: [] }));
      cur.chars.push(ch);
    } else if (WORD.test(ch) || (MARK.test(ch) && cur !== null && !cur.han)) {
      if (!cur || cur.han) out.push((cur = { han: false, chars: [] }));
      cur.chars.push(ch);
    } else if ((MARK.test(ch) && cur !== null) || FORMAT.test(ch)) {
      continue;
    } else cur = null;
  }
  return out;
}

const word = (chars: readonly string[]) => chars.slice(0, MAX_TOKEN_CHARS).join("");

/** The tokens a text is indexed under, each once, in the order they first appear. */
export function indexTokens(text: string): string[] {
  const out = new Set<string>();
  for (const r of runs(text)) {
    if (!r.han) {
      out.add(word(r.chars));
      continue;
    }
    for (let i = 0; i + 1 < r.chars.length; i++) out.add(r.chars[i]! + r.chars[i + 1]!);
    out.add(r.chars[r.chars.length - 1]!);
  }
  return [...out];
}

/** The terms of a query, each once (at most MAX_QUERY_TERMS); none for a query without a letter, digit or Han character. */
export function queryTerms(query: string): SearchTerm[] {
  const out = new Map<string, SearchTerm>();
  const add = (t: SearchTerm) => {
    const key = `${t.prefix ? "*" : "="}${t.text}`;
    if (!out.has(key) && out.size < MAX_QUERY_TERMS) out.set(key, t);
  };
  for (const r of runs(query)) {
    if (!r.han) add({ text: word(r.chars), prefix: false });
    else if (r.chars.length === 1) add({ text: r.chars[0]!, prefix: true });
    else for (let i = 0; i + 1 < r.chars.length; i++) add({ text: r.chars[i]! + r.chars[i + 1]!, prefix: false });
  }
  return [...out.values()];
}

/**
 * The tokens of a code: the code itself and, for a function code, its 类 (3 digits) and 款 (5 digits); for an
 * economic code of 5 digits, its 类 (3 digits).
 */
export function codeTokens(kind: "function" | "economic" | "other", code: string): string[] {
  const c = normaliseSearchText(code).trim();
  if (c === "") return [];
  const out = new Set(indexTokens(c));
  if (/^\d+$/.test(c)) {
    if (kind === "function" && c.length > 3) out.add(c.slice(0, 3));
    if (kind === "function" && c.length > 5) out.add(c.slice(0, 5));
    if (kind === "economic" && c.length > 3) out.add(c.slice(0, 3));
  }
  return [...out];
}

/** Tokens as the store keeps them: joined by single spaces (tokens never hold one). */
export function tokenText(tokens: Iterable<string>): string {
  return [...new Set(tokens)].filter((t) => t !== "").join(" ");
}
