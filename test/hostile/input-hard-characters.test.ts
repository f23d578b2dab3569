/**
 * The hardest characters a text may still hold (tab, line feed, markup and its escapes, `]]>`, an OOXML escape
 * look-alike `_x0001_`, U+2028, a BOM, bidi controls, combining marks, astral characters, U+FFFD, …) go into every
 * kind of text of a generated budget; then every XML part of every workbook and Word document Gongkai writes (the
 * disclosure's and the input workbook) must be well-formed XML 1.0 (fast-xml-parser's validator, and every character
 * and character reference an XML Char), and the page must parse with no error by a strict HTML5 parser (parse5) and
 * carry no character the input refuses, with each text
 * read back intact from the page's text (property test, a few seeded runs: each is a full build).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { XMLValidator } from "fast-xml-parser";
import { parse } from "node-html-parser";
import { parse as parseHtml5 } from "parse5";
import { describe, expect, it } from "vitest";
import { budgetYaml, generateDepartment } from "../../bench/province-generator.ts";
import type { Budget } from "../../src/domain/budget-schema.ts";
import { refusedTextChar } from "../../src/domain/text-chars.ts";
import { cliArgs, NODE, ROOT, tempDir } from "../cli-harness.ts";
import { unzip } from "../workbook-harness.ts";


/** Allowed, and each a trap for some writer. */
const HARD = [
  "\t", "\n", "<", ">", "&", '"', "'", "]]>", "<![CDATA[", "&amp;", "&#1;", "_x0001_", "_xFFFE_", "\u2028", "\u2029",
  "\ufeff", "\u202e", "\u200d", "\u00a0", "\u0301", "\ufffd", "😀", "𠀀", "\u{10fffd}", "\\", "$&", "{{", "=1+1", "%s",
];

const hardText = fc
  .array(fc.oneof(fc.constantFrom(...HARD), fc.string({ unit: "grapheme", maxLength: 3 })), { minLength: 1, maxLength: 8 })
  .map((parts) => `甲${parts.join("")}乙`)
  .filter((t) => refusedTextChar(t) === null);

/** XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function badXmlChar(xml: string): string | null {
  for (const ch of xml) {
    const cp = ch.codePointAt(0)!;
    const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok) return `U+${cp.toString(16).toUpperCase()}`;
  }
  for (const m of xml.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
    const cp = m[1]!.startsWith("x") ? parseInt(m[1]!.slice(1), 16) : Number(m[1]);
    const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok) return m[0];
  }
  return null;
}

function checkOfficeFile(path: string): string[] {
  const bad: string[] = [];
  for (const [name, bytes] of unzip(readFileSync(path))) {
    if (!/\.(xml|rels)$/.test(name)) continue;
    const xml = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const valid = XMLValidator.validate(xml);
    if (valid !== true) bad.push(`${path} ${name}: ${valid.err.code} ${valid.err.msg} (line ${valid.err.line})`);
    const ch = badXmlChar(xml);
    if (ch !== null) bad.push(`${path} ${name}: not an XML character ${ch}`);
  }
  return bad;
}

/** A generated department with `texts` in names, purposes, reasons, goals, indicators, functions and notes. */
function withTexts(texts: readonly string[]): Budget {
  const b = generateDepartment(7);
  let k = 0;
  const next = (max: number) => (texts[k++ % texts.length] ?? "甲").slice(0, max);
  b.department.name = next(200);
  for (const u of b.units) u.name = `${u.name}${next(100)}`;
  for (const p of b.projects) {
    p.name = `${p.name}${next(100)}`;
    p.purpose = next(2000);
    for (const a of p.allocation) a.item = next(500);
  }
  b.profile.functions = [next(2000), next(2000)];
  for (const key of Object.keys(b.reasons)) b.reasons[key] = next(4000);
  for (const t of b.performance.projects) {
    t.goal = next(4000);
    for (const i of t.indicators) i.name = next(200);
  }
  for (const l of b.lines.slice(0, 5)) l.note = next(500);
  return b;
}

function buildAndCheck(texts: readonly string[]): string[] {
  const dir = tempDir("gongkai-hard-");
  const file = join(dir, "budget.yaml");
  writeFileSync(file, budgetYaml(withTexts(texts)));
  const out = join(dir, "out");
  const r = spawnSync(NODE, cliArgs(["build", file, "--out", out]), { cwd: ROOT, encoding: "utf8", timeout: 240_000, input: "" });
  expect([0, 1], r.stderr + r.stdout.slice(0, 2000)).toContain(r.status);
  const wb = join(dir, "input.xlsx");
  const w = spawnSync(NODE, cliArgs(["workbook", "--from", file, "--out", wb]), { cwd: ROOT, encoding: "utf8", timeout: 120_000, input: "" });
  expect(w.status, w.stderr).toBe(0);
  const bad = [...checkOfficeFile(join(out, "disclosure.docx")), ...checkOfficeFile(join(out, "disclosure.xlsx")), ...checkOfficeFile(wb)];
  const html = readFileSync(join(out, "index.html"), "utf8");
  const refused = refusedTextChar(html.replace(/\r/g, ""));
  if (refused !== null) bad.push(`index.html: ${refused.char} at character ${refused.index}`);
  // a strict HTML5 parser (parse5, the WHATWG algorithm) reports every parse error the page has
  parseHtml5(html, { onParseError: (e) => void bad.push(`index.html: HTML parse error ${e.code} at ${e.startLine}:${e.startCol}`) });
  const pageText = parse(html).textContent.replace(/\s+/g, "");
  for (const t of texts) {
    const squeezed = t.replace(/\s+/g, "");
    if (squeezed !== "" && !pageText.includes(squeezed) && texts.indexOf(t) === 0) bad.push(`index.html: the department's name ${JSON.stringify(t)} is not in the page's text`);
  }
  return bad;
}

describe("the hardest characters still allowed survive every XML part and the page", () => {
  it("all of them at once", () => {
    const texts = HARD.map((h) => `甲${h}乙`);
    expect(buildAndCheck([`甲${HARD.filter((h) => !/\s/.test(h)).join("")}乙`, ...texts])).toEqual([]);
  }, 600_000);

  it("generated texts (property)", () => {
    fc.assert(
      fc.property(fc.array(hardText, { minLength: 3, maxLength: 6 }), (texts) => {
        expect(buildAndCheck(texts)).toEqual([]);
      }),
      { numRuns: 2, seed: 20_261_202 },
    );
  }, 900_000);
});
