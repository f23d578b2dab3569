import { describe, expect, it } from "vitest";
import { decodeOoxmlEscapes, MAX_XML_DEPTH, scanXml, XmlError } from "./xlsx-xml.ts";

function events(xml: string): string[] {
  const out: string[] = [];
  scanXml(xml, {
    open: (n, a, self) => out.push(`<${n}${Object.entries(a).map(([k, v]) => ` ${k}=${v}`).join("")}${self ? "/" : ""}>`),
    close: (n) => out.push(`</${n}>`),
    text: (t) => out.push(t),
  });
  return out;
}

describe("the SpreadsheetML tokenizer", () => {
  it("reports local names, drops xmlns, decodes entities and CDATA", () => {
    expect(events('<?xml version="1.0"?><x:c xmlns:x="u" r:id="rId1" s=\'2\'><x:v>1 &lt; 2 &amp; &#x4e2d;&#25991;</x:v><t><![CDATA[<raw>]]></t></x:c>')).toEqual([
      "<c id=rId1 s=2>",
      "<v>",
      "1 < 2 & 中文",
      "</v>",
      "<t>",
      "<raw>",
      "</t>",
      "</c>",
    ]);
  });

  it("refuses a DOCTYPE, unknown entities, bad nesting and excessive depth", () => {
    expect(() => events('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toThrow(XmlError);
    expect(() => events("<a>&x;</a>")).toThrow(XmlError);
    expect(() => events("<a>a & b</a>")).toThrow(XmlError);
    expect(() => events("<a>&#0;</a>")).toThrow(XmlError);
    expect(() => events("<a><b></a></b>")).toThrow(XmlError);
    expect(() => events("<a>")).toThrow(XmlError);
    expect(() => events("<a>".repeat(MAX_XML_DEPTH + 1) + "</a>".repeat(MAX_XML_DEPTH + 1))).toThrow(XmlError);
    expect(() => events("<a>".repeat(MAX_XML_DEPTH) + "</a>".repeat(MAX_XML_DEPTH))).not.toThrow();
  });

  it("decodes OOXML _xHHHH_ escapes, never into a lone surrogate", () => {
    expect(decodeOoxmlEscapes("a_x000D_b_x005F_x")).toBe("a\rb_x");
    expect(decodeOoxmlEscapes("_xD800_")).toBe("\ufffd");
  });
});
