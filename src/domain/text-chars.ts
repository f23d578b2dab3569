/**
 * Characters no output format can carry, refused in every text of a budget (YAML or workbook): C0 controls other than
 * tab and line feed, DEL, C1 controls, noncharacters (U+FDD0–U+FDEF and the last two code points of every plane,
 * U+FFFE, U+FFFF, …) and lone surrogates. XML 1.0 (Word, the workbook) refuses most of them outright; the page and
 * the PDF would print them as garbage or not at all.
 */

/** The first refused character of `s` (as U+XXXX) and its 1-based position in characters, or null. */
export function refusedTextChar(s: string): { char: string; index: number } | null {
  let index = 0;
  for (let i = 0; i < s.length; i++) {
    index++;
    const c = s.charCodeAt(i);
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return at(c, index);
      cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return at(c, index);
    if (isRefused(cp)) return at(cp, index);
  }
  return null;
}

/** Whether a code point is one `refusedTextChar` refuses (tab and line feed are not). */
export function isRefused(cp: number): boolean {
  if (cp < 0x20) return cp !== 0x09 && cp !== 0x0a;
  if (cp >= 0x7f && cp <= 0x9f) return true;
  if (cp >= 0xfdd0 && cp <= 0xfdef) return true;
  return (cp & 0xfffe) === 0xfffe;
}

const at = (cp: number, index: number) => ({ char: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`, index });

const EMBEDDINGS = new Set([0x202a, 0x202b, 0x202d, 0x202e]); // LRE RLE LRO RLO, closed by PDF U+202C
const ISOLATES = new Set([0x2066, 0x2067, 0x2068]); // LRI RLI FSI, closed by PDI U+2069

/**
 * The text with every bidi embedding, override and isolate it opens (U+202A/B/D/E, U+2066–U+2068) closed at its end
 * (U+202C, U+2069), innermost first, as Unicode's bidi algorithm pairs them: a PDI closes the isolate it matches and
 * whatever was opened after it, a PDF only an embedding opened inside the current isolate. Such characters are kept
 * (Uyghur and mixed text uses them), but one left open in a name would reverse the rest of every sentence and table
 * row it is put into — the figures after it included; closed, its effect ends with the text.
 */
export function closeBidi(s: string): string {
  if (!/[\u202a-\u202e\u2066-\u2069]/.test(s)) return s;
  const open: ("e" | "i")[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (EMBEDDINGS.has(c)) open.push("e");
    else if (ISOLATES.has(c)) open.push("i");
    else if (c === 0x202c) {
      if (open.at(-1) === "e") open.pop();
    } else if (c === 0x2069 && open.includes("i")) {
      while (open.pop() !== "i");
    }
  }
  let closers = "";
  while (open.length > 0) closers += open.pop() === "e" ? "\u202c" : "\u2069";
  return s + closers;
}
