/**
 * A small, strict, iterative XML tokenizer for the parts of an .xlsx (SpreadsheetML). Not a general XML parser:
 *
 * - no DTD: a `<!DOCTYPE` is refused, so there are no entity definitions to expand (no XXE, no billion laughs);
 *   only the five predefined entities and numeric character references are decoded;
 * - names are reported without their namespace prefix (`x:c` → `c`), as Excel, LibreOffice and WPS all use the
 *   same local names whatever prefix they choose; attributes likewise (`r:id` → `id`); `xmlns` attributes are dropped;
 * - elements must nest properly, and nesting is limited (`MAX_XML_DEPTH`);
 * - it never recurses, so no input can exhaust the stack.
 *
 * `XmlError` is thrown for malformed input; the caller turns it into a problem naming the part.
 */

export const MAX_XML_DEPTH = 64;

export class XmlError extends Error {}

export interface XmlHandler {
  open(name: string, attrs: Readonly<Record<string, string>>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

const NAME_END = /[\s/>]/g;

/** Calls the handler for every element and text run of `xml`, in document order. */
export function scanXml(xml: string, h: XmlHandler): void {
  const stack: string[] = [];
  let i = 0;
  const n = xml.length;
  if (xml.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const lt = xml.indexOf("<", i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      if (stack.length > 0) h.text(decodeText(xml.slice(i, textEnd)));
      else if (xml.slice(i, textEnd).trim() !== "") throw new XmlError("text outside the root element");
    }
    if (lt < 0) break;
    const c = xml.charCodeAt(lt + 1);
    if (c === 0x3f /* ? */) {
      const end = xml.indexOf("?>", lt + 2);
      if (end < 0) throw new XmlError("unterminated processing instruction");
      i = end + 2;
    } else if (c === 0x21 /* ! */) {
      if (xml.startsWith("<!--", lt)) {
        const end = xml.indexOf("-->", lt + 4);
        if (end < 0) throw new XmlError("unterminated comment");
        i = end + 3;
      } else if (xml.startsWith("<![CDATA[", lt)) {
        const end = xml.indexOf("]]>", lt + 9);
        if (end < 0) throw new XmlError("unterminated CDATA section");
        if (stack.length === 0) throw new XmlError("CDATA outside the root element");
        h.text(xml.slice(lt + 9, end));
        i = end + 3;
      } else throw new XmlError("document type declarations are not accepted");
    } else if (c === 0x2f /* / */) {
      const end = xml.indexOf(">", lt + 2);
      if (end < 0) throw new XmlError("unterminated end tag");
      const name = localName(xml.slice(lt + 2, end).trim());
      const open = stack.pop();
      if (open !== name) throw new XmlError(`end tag </${name}> does not match <${open ?? ""}>`);
      h.close(name);
      i = end + 1;
    } else {
      NAME_END.lastIndex = lt + 1;
      const m = NAME_END.exec(xml);
      if (!m) throw new XmlError("unterminated start tag");
      const rawName = xml.slice(lt + 1, m.index);
      if (rawName === "") throw new XmlError("empty element name");
      const name = localName(rawName);
      const parsed = parseAttributes(xml, m.index);
      i = parsed.end;
      if (parsed.selfClosing) {
        h.open(name, parsed.attrs, true);
        h.close(name);
      } else {
        if (stack.length >= MAX_XML_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_XML_DEPTH}`);
        stack.push(name);
        h.open(name, parsed.attrs, false);
      }
    }
  }
  if (stack.length > 0) throw new XmlError(`unclosed element <${stack[stack.length - 1] ?? ""}>`);
}

function localName(qname: string): string {
  const colon = qname.indexOf(":");
  return colon < 0 ? qname : qname.slice(colon + 1);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function parseAttributes(xml: string, from: number): { attrs: Record<string, string>; selfClosing: boolean; end: number } {
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = from;
  const n = xml.length;
  for (;;) {
    while (i < n && isSpace(xml.charCodeAt(i))) i++;
    if (i >= n) throw new XmlError("unterminated start tag");
    const c = xml.charCodeAt(i);
    if (c === 0x3e /* > */) return { attrs, selfClosing: false, end: i + 1 };
    if (c === 0x2f /* / */) {
      if (xml.charCodeAt(i + 1) !== 0x3e) throw new XmlError("malformed empty-element tag");
      return { attrs, selfClosing: true, end: i + 2 };
    }
    const eq = xml.indexOf("=", i);
    if (eq < 0) throw new XmlError("attribute without a value");
    const qname = xml.slice(i, eq).trim();
    if (qname === "" || /[\s<>"']/.test(qname)) throw new XmlError("malformed attribute name");
    let q = eq + 1;
    while (q < n && isSpace(xml.charCodeAt(q))) q++;
    const quote = xml[q];
    if (quote !== '"' && quote !== "'") throw new XmlError("attribute value without quotes");
    const close = xml.indexOf(quote, q + 1);
    if (close < 0) throw new XmlError("unterminated attribute value");
    const raw = xml.slice(q + 1, close);
    if (raw.includes("<")) throw new XmlError("'<' in an attribute value");
    if (qname !== "xmlns" && !qname.startsWith("xmlns:")) attrs[localName(qname)] = decodeText(raw);
    i = close + 1;
  }
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; any other entity is malformed input. */
export function decodeText(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&([^;&\s]{0,12});?/g, (whole, ref: string) => {
    if (!whole.endsWith(";")) throw new XmlError("'&' that is not an entity reference");
    const named = PREDEFINED[ref];
    if (named !== undefined) return named;
    let cp = Number.NaN;
    if (/^#[0-9]{1,7}$/.test(ref)) cp = Number(ref.slice(1));
    else if (/^#x[0-9a-fA-F]{1,6}$/.test(ref)) cp = Number.parseInt(ref.slice(2), 16);
    else throw new XmlError(`unknown entity &${ref};`);
    const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok) throw new XmlError(`character reference &${ref}; is not an XML character`);
    return String.fromCodePoint(cp);
  });
}

/**
 * OOXML escapes characters that XML cannot carry as `_xHHHH_` (ECMA-376 ST_Xstring), e.g. `_x000D_` for CR;
 * a literal `_x` sequence is itself written `_x005F_x…`.
 */
export function decodeOoxmlEscapes(s: string): string {
  if (!s.includes("_x")) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_w, hex: string) => {
    const unit = Number.parseInt(hex, 16);
    // a lone surrogate is not text: shown as U+FFFD rather than carried into a budget
    return unit >= 0xd800 && unit <= 0xdfff ? "\ufffd" : String.fromCharCode(unit);
  });
}
