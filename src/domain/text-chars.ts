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

function isRefused(cp: number): boolean {
  if (cp < 0x20) return cp !== 0x09 && cp !== 0x0a;
  if (cp >= 0x7f && cp <= 0x9f) return true;
  if (cp >= 0xfdd0 && cp <= 0xfdef) return true;
  return (cp & 0xfffe) === 0xfffe;
}

const at = (cp: number, index: number) => ({ char: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`, index });
