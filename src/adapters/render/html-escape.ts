/**
 * Escaping for the HTML renderers: every text that reaches a page (names, reasons, sentences) is data from a budget
 * or a template and is escaped here, once, as it is written.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for element content or a double-quoted attribute value. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A string literal for CSS `content:` (quotes, backslashes and line breaks escaped; `<` kept out of a style element). */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r]/g, " ").replace(/</g, "\\3c ")}"`;
}
