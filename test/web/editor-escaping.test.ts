/**
 * What a preparer types reaches no page unescaped, no other department, and not the public before publication
 * (issue 13). Hostile text — markup (`<script>`, `</script><!--<script>` for the editor's JSON block, an attribute
 * breakout `"><img src=x onerror=…>`), spreadsheet formulas (`=HYPERLINK(…)`, and cells led by `+`, `-`, `@`), the
 * bidi override U+202E and the isolates U+2066–U+2069, U+2028/U+2029 — goes into every free-text field of a budget:
 * through a YAML upload into the department's name, units, projects (and a classified project's public label),
 * functions, organisation, carry-over, reasons, descriptions, performance targets and indicators; through the
 * editor's draft API into every field of a line (the note and, as text where a code belongs, every code, the fund,
 * the kind and the amount).
 *
 * Then, signed in: the editor page (its no-JS table, its findings, its JSON bootstrap), the budget page, the preview,
 * the audit log, the draft's YAML (YAML-safe, round-trips) and workbook (every such cell a string, never a formula:
 * read from the sheet XML) — each page parsed by a strict HTML5 parser, which must find no element, attribute or
 * script the text did not come with. Another department's preparer gets 404 for all of it; the public routes (every
 * public GET route of the platform, search included) show none of it until the reviewer publishes; after that the
 * public pages show it escaped, the JSON exactly as typed, every CSV cell a spreadsheet would run as a formula
 * defused with a leading `'` (csv-format.ts), the published workbook no formula.
 *
 * Bidi controls: the input keeps them (docs/input-format.md refuses only controls, noncharacters and lone surrogates
 * — `text.refused_char`; test/hostile/input-hard-characters.test.ts counts U+202E among the allowed characters), so
 * the editor's API must keep them too and refuse what the file path refuses: one rule for both.
 *
 * One platform for the file (test/web/web-harness.ts, no port).
 */
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { parse as parseHtml5 } from "parse5";
import { parse as parseYaml, parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAssetManifest } from "../../src/adapters/web/build-assets.ts";
import { FILE_PARAM } from "../../src/adapters/web/public-routes.tsx";
import { ROUTES } from "../../src/adapters/web/routes.ts";
import { parseCsv } from "../../src/domain/csv-format.ts";
import { LINE_FIELDS } from "../../src/domain/draft-patch.ts";
import { closeBidi } from "../../src/domain/text-chars.ts";
import { unzip } from "../workbook-harness.ts";
import { get, json, startPlatform, upload, type Platform, type Session } from "./web-harness.ts";

// ---------------------------------------------------------------------------------------------------------------
// The hostile texts

/** the leading characters a spreadsheet reads as a formula (CSV injection), one per text in turn */
const LEADS = ['=HYPERLINK("http://evil.example","点我")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"] as const;
const SCRIPT = "<script>alert(1)</script>";
const ATTR = '"><img src=x onerror=alert(1)>';
const CLOSE = "</script><!--<script>alert(2)</script>";
const RLO = "\u202e";

/** Every hostile piece at once, led by a formula; `tag` (a word of its own, for search) names the field. ≤ 200 characters. */
function hostile(tag: string, i: number): string {
  const s = `${LEADS[i % LEADS.length]} ${tag} ${SCRIPT}${ATTR}${CLOSE} ${RLO}${tag}txt.exe \u2066甲\u2069 a\u2028b\u2029c 乙`;
  if (s.length > 200) throw new Error(`${tag}: ${s.length} characters`);
  return s;
}
/** For fields of at most 50–100 characters. */
const shortHostile = (tag: string) => `@${tag}txt<script>x</script>"><zq-x>${RLO}`;
/** What marks a hostile text wherever it went (not the bare tag: a search page repeats the word searched for). */
const mark = (tag: string) => `${tag}txt`;

const REFERENCE = new URL("../../examples/changji-xinfang-2024/budget.yaml", import.meta.url);
const YEAR = 2023;

/** field of the YAML → its tag; the text is `hostile(tag)` (or `shortHostile`) */
const YAML_FIELDS: readonly { path: (string | number)[]; tag: string; short?: true }[] = [
  { path: ["department", "name"], tag: "zqdeptname" },
  { path: ["constructed"], tag: "zqconstructed" },
  { path: ["units", 0, "name"], tag: "zqunitname" },
  { path: ["projects", 0, "name"], tag: "zqprojname" },
  { path: ["projects", 0, "owner"], tag: "zqprojowner", short: true },
  { path: ["projects", 0, "basis"], tag: "zqprojbasis" },
  { path: ["projects", 0, "purpose"], tag: "zqprojpurpose" },
  { path: ["projects", 0, "allocation", 0, "item"], tag: "zqallocitem" },
  { path: ["projects", 0, "schedule"], tag: "zqschedule" },
  { path: ["projects", 1, "public_label"], tag: "zqpublabel" },
  { path: ["profile", "functions", 0], tag: "zqfunction" },
  { path: ["profile", "organisation"], tag: "zqorganisation" },
  { path: ["carryover", 0, "name"], tag: "zqcarryname" },
  { path: ["carryover", 0, "purpose"], tag: "zqcarrypurpose" },
  { path: ["reasons", "income.gpb_own"], tag: "zqreasonincome" },
  { path: ["reasons", "func.2010350"], tag: "zqreasonfunc" },
  { path: ["descriptions", "class_appropriated.201"], tag: "zqdescription" },
  { path: ["performance", "contact", "name"], tag: "zqcontact", short: true },
  { path: ["performance", "department", "goal"], tag: "zqdeptgoal" },
  { path: ["performance", "department", "indicators", 0, "name"], tag: "zqdeptindic" },
  { path: ["performance", "department", "indicators", 0, "basis"], tag: "zqdindbasis" },
  { path: ["performance", "projects", 0, "goal"], tag: "zqprojgoal" },
  { path: ["performance", "projects", 0, "indicators", 0, "name"], tag: "zqprojindic" },
  { path: ["performance", "projects", 0, "indicators", 0, "level2"], tag: "zqlevel", short: true },
  { path: ["performance", "projects", 0, "indicators", 0, "scoring"], tag: "zqscoring" },
  { path: ["performance", "projects", 0, "indicators", 0, "evidence"], tag: "zqevidence" },
  { path: ["performance", "projects", 0, "indicators", 9, "value"], tag: "zqqualvalue" },
];
/** the texts of the fields the public pages must print (so that the public checks below are not vacuous) */
const MUST_PUBLISH = ["zqdeptname", "zqunitname", "zqprojname", "zqpublabel", "zqfunction", "zqreasonincome", "zqdeptgoal", "zqprojgoal", "zqdeptindic", "zqprojindic"];
const NOTE_TAGS = ["zqnotea", "zqnoteb", "zqnotec", "zqnoted"];
/** a text per field of a line, for the inserted line and the code fields given text */
const LINE_TAG = (f: string) => `zqline${f}`;

const TEXT: Record<string, string> = {};
YAML_FIELDS.forEach((f, i) => (TEXT[f.tag] = f.short ? shortHostile(f.tag) : hostile(f.tag, i)));
NOTE_TAGS.forEach((t, i) => (TEXT[t] = hostile(t, i)));
LINE_FIELDS.forEach((f, i) => (TEXT[LINE_TAG(f)] = hostile(LINE_TAG(f), i)));
/**
 * What a reader of the budget gets of a text: as typed, with the bidi controls it leaves open closed at its end
 * (the schema's closeBidi, so that an override does not reverse the sentence it is put into). The draft itself
 * (its YAML, the editor's lines) keeps the text exactly as typed.
 */
const SHOWN = (tag: string) => closeBidi(TEXT[tag]!);
/** the elements a text of the budget is printed in as a paragraph of its own (the bidi algorithm's unit) */
const BIDI_BLOCKS = new Set(["title", "h1", "h2", "h3", "h4", "p", "li", "td", "th", "caption", "figcaption", "dt", "dd"]);
const TAGS = Object.keys(TEXT);

/** The reference budget moved to YEAR, every field of YAML_FIELDS its hostile text (or the text `replace` gives it). */
function hostileYaml(replace: Record<string, string> = {}): string {
  const doc = parseDocument(readFileSync(REFERENCE, "utf8"));
  doc.setIn(["department", "year"], YEAR);
  doc.setIn(["department", "date"], `${YEAR}-02-23`);
  for (const f of YAML_FIELDS) {
    if (!doc.hasIn(f.path)) throw new Error(`the reference budget has no ${f.path.join(".")}`);
    doc.setIn(f.path, replace[f.tag] ?? TEXT[f.tag]);
  }
  return doc.toString();
}

// ---------------------------------------------------------------------------------------------------------------
// Inspecting responses

/** HTML escaping as both renderers do it (hono/jsx and src/adapters/render/html-escape.ts). */
const escHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface Dom {
  /** every element, in document order */
  elements: { name: string; attrs: { name: string; value: string }[]; text: string }[];
  /** every text node and attribute value, joined */
  text: string;
  errors: string[];
}

interface P5Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: P5Node[];
  content?: P5Node;
}

/** The page as a strict HTML5 parser (parse5, the WHATWG algorithm) builds it. */
function dom(html: string): Dom {
  const errors: string[] = [];
  const doc = parseHtml5(html, { onParseError: (e) => void errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) }) as unknown as P5Node;
  const elements: Dom["elements"] = [];
  const texts: string[] = [];
  const textOf = (n: P5Node): string => (n.nodeName === "#text" ? (n.value ?? "") : (n.childNodes ?? []).map(textOf).join(""));
  const walk = (n: P5Node) => {
    if (n.nodeName === "#text") texts.push(n.value ?? "");
    if (n.tagName) {
      elements.push({ name: n.tagName, attrs: n.attrs ?? [], text: textOf(n) });
      for (const a of n.attrs ?? []) texts.push(a.value);
    }
    for (const c of n.childNodes ?? []) walk(c);
    if (n.content) walk(n.content);
  };
  walk(doc);
  return { elements, text: texts.join("\n"), errors };
}

/**
 * What hostile text could have made of a page: a script other than `allowedScripts` (by src, or the editor's JSON
 * block), an event handler attribute, an element the text brought (`img`, `iframe`, `object`, `zq-x` of shortHostile),
 * a `javascript:` link, a parse error. Also: the raw markup is absent, and every hostile text whose tag is on the page
 * is there intact as text (bidi controls included) and, in the bytes, in its escaped form.
 */
function pageProblems(url: string, html: string, opts: { scripts?: readonly string[]; intact?: boolean } = {}): string[] {
  const allowedScripts = opts.scripts ?? [];
  const bad: string[] = [];
  const d = dom(html);
  for (const e of d.errors) bad.push(`${url}: HTML parse error ${e}`);
  for (const el of d.elements) {
    for (const a of el.attrs) {
      if (/^on/i.test(a.name)) bad.push(`${url}: <${el.name} ${a.name}>`);
      if (/^\s*javascript:/i.test(a.value)) bad.push(`${url}: <${el.name} ${a.name}="${a.value.slice(0, 40)}">`);
    }
    if (["img", "iframe", "object", "embed", "zq-x"].includes(el.name)) bad.push(`${url}: an element <${el.name}> the text brought`);
    if (el.name === "script") {
      const src = el.attrs.find((a) => a.name === "src")?.value;
      const type = el.attrs.find((a) => a.name === "type")?.value;
      const id = src ?? (type === "application/json" ? `json#${el.attrs.find((a) => a.name === "id")?.value ?? ""}` : "inline");
      if (!allowedScripts.includes(id)) bad.push(`${url}: a script ${id}: ${el.text.slice(0, 60)}`);
    }
  }
  for (const raw of [SCRIPT, "<img src=x", "<script>alert(2)", "<script>x</script>", "<zq-x>"]) if (html.includes(raw)) bad.push(`${url}: the raw ${raw}`);
  // (a finding quotes at most 100 characters of a value: there the text is cut, `intact: false`)
  for (const tag of opts.intact === false ? [] : TAGS) {
    if (!html.includes(mark(tag))) continue;
    const text = TEXT[tag]!;
    // the renderers may put a text in several places; each of its pieces is somewhere on the page as text
    for (const piece of pieces(text)) if (!d.text.includes(piece)) bad.push(`${url}: ${tag}'s ${JSON.stringify(piece)} is not in the page's text`);
  }
  return bad;
}

/** The parts of a hostile text that must survive as text (the formula lead, the markup, the override and its tail). */
function pieces(text: string): string[] {
  return text.split(/ (?=[<"]|\u202e|\u2066)/).filter((p) => p.length > 2);
}

/** Every string in a JSON value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
  return out;
}

/** A cell a spreadsheet would run as a formula (csv-format.ts: = + - @, tab, CR; numbers and bare comparators are inert). */
const FORMULA_CELL = (c: string) => /^[=+\-@\t\r]/.test(c) && !/^(?:[+-]?\d+(?:\.\d+)?|[=<>]{1,2})$/.test(c);

interface XlsxCell {
  sheet: string;
  ref: string;
  type: string | null;
  formula: boolean;
  text: string;
}

const unxml = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_m, e: string) =>
    e === "lt" ? "<" : e === "gt" ? ">" : e === "amp" ? "&" : e === "quot" ? '"' : e === "apos" ? "'" : String.fromCodePoint(e.startsWith("#x") ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );
const runsText = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unxml(m[1]!)).join("");

/** Every cell of every sheet of a workbook, read from its XML: its type, whether it holds a formula, its text. */
function xlsxCells(bytes: Uint8Array): XlsxCell[] {
  const parts = unzip(bytes);
  const part = (name: string) => new TextDecoder().decode(parts.get(name) ?? new Uint8Array());
  const shared = [...part("xl/sharedStrings.xml").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runsText(m[1]!));
  const targets = new Map([...part("xl/_rels/workbook.xml.rels").matchAll(/<Relationship\b[^>]*>/g)].map((m) => [/Id="([^"]+)"/.exec(m[0])![1]!, /Target="([^"]+)"/.exec(m[0])![1]!]));
  const cells: XlsxCell[] = [];
  for (const s of part("xl/workbook.xml").matchAll(/<sheet\b[^>]*>/g)) {
    const name = unxml(/name="([^"]*)"/.exec(s[0])![1]!);
    const target = targets.get(/r:id="([^"]+)"/.exec(s[0])![1]!)!.replace(/^\/?(xl\/)?/, "xl/");
    for (const c of part(target).matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1]!;
      const inner = c[2] ?? "";
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1] ?? null;
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      const text = type === "s" ? (shared[Number(v)] ?? "") : type === "inlineStr" ? runsText(inner) : unxml(v ?? "");
      cells.push({ sheet: name, ref: /\br="([^"]+)"/.exec(attrs)?.[1] ?? "?", type, formula: /<f[\s>/]/.test(inner), text });
    }
  }
  return cells;
}

/** Cells holding a hostile text: each must be a string cell (shared or inline), with no formula. */
function xlsxProblems(name: string, bytes: Uint8Array): { bad: string[]; tags: Set<string> } {
  const bad: string[] = [];
  const tags = new Set<string>();
  for (const c of xlsxCells(bytes)) {
    if (c.formula && /HYPERLINK|evil\.example|cmd\|/i.test(c.text)) bad.push(`${name} ${c.sheet}!${c.ref}: a formula ${c.text.slice(0, 60)}`);
    for (const tag of TAGS) {
      if (!c.text.includes(mark(tag))) continue;
      tags.add(tag);
      if (c.formula) bad.push(`${name} ${c.sheet}!${c.ref} (${tag}): holds a formula`);
      if (c.type !== "s" && c.type !== "inlineStr") bad.push(`${name} ${c.sheet}!${c.ref} (${tag}): cell type ${c.type}, not a string`);
    }
  }
  return { bad, tags };
}

/** A response's text: as is, or every part of an Office file. */
function decoded(r: { url: string; bytes: Uint8Array }): string {
  if (/\.(xlsx|docx)$/.test(r.url)) return [...unzip(r.bytes).values()].map((b) => new TextDecoder().decode(b)).join("\n");
  return new TextDecoder().decode(r.bytes);
}

const tagsIn = (text: string) => TAGS.filter((t) => text.includes(mark(t)));

// ---------------------------------------------------------------------------------------------------------------

interface Line {
  id: string;
  values: Record<string, string | null>;
}
interface Finding {
  code: string;
  severity: string;
  message: { zh: string; en: string };
  line: string | null;
  field: string | null;
}
interface Draft {
  revision: number;
  editable: boolean;
  lines: Line[];
  findings: Finding[];
}

const html = (body: string) => `<!doctype html><html lang="zh"><head><title>x</title></head><body>${body}</body></html>`;

describe("the checks of this file catch what they look for", () => {
  const t = TEXT["zqprojname"]!;

  it("a page: the raw markup, an attribute breakout, a closed-early script, a lost override", () => {
    expect(pageProblems("escaped", html(`<p title="${escHtml(t)}">${escHtml(t)}</p>`))).toEqual([]);
    expect(pageProblems("raw", html(`<p>${t}</p>`)).join("\n")).toMatch(/<img onerror>|a script inline|the raw <script>/);
    // quotes left as they are in an attribute: the text gets out of it and brings an attribute of its own
    expect(pageProblems("attribute", html(`<p title="${t.replace(/</g, "&lt;").replace(/>/g, "&gt;")}">x</p>`)).join("\n")).toMatch(/<p onerror>/);
    expect(pageProblems("json", html(`<script type="application/json" id="editor-data">${JSON.stringify(t)}</script>`), { scripts: ["json#editor-data"] }).join("\n")).toMatch(/<img onerror>/);
    expect(pageProblems("stripped", html(`<p>${escHtml(t.replace(RLO, ""))}</p>`)).join("\n")).toMatch(/is not in the page's text/);
  });

  it("a workbook: a formula cell, and a text that is not a string cell", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("明细");
    ws.getCell("A1").value = { formula: 'HYPERLINK("http://evil.example","点我")', result: t };
    ws.getCell("B1").value = t;
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const cells = xlsxCells(bytes);
    expect(cells.find((c) => c.ref === "B1")).toMatchObject({ sheet: "明细", formula: false, text: t });
    expect(cells.find((c) => c.ref === "A1")).toMatchObject({ formula: true });
    const { bad } = xlsxProblems("x.xlsx", bytes);
    expect(bad.some((b) => b.includes("A1") && b.includes("holds a formula"))).toBe(true);
    expect(bad.some((b) => b.includes("B1"))).toBe(false);
  });

  it("a CSV cell: = + - @ lead a formula, a number or a bare comparator does not, nor a cell led by '", () => {
    for (const c of LEADS) expect(FORMULA_CELL(c), c).toBe(true);
    for (const c of LEADS) expect(FORMULA_CELL(`'${c}`), c).toBe(false);
    for (const c of ["-12.50", "+3", ">=", "=", "甲"]) expect(FORMULA_CELL(c), c).toBe(false);
  });
});

describe("what a preparer types: escaped on every page, in no other department, not public before publication", () => {
  let p: Platform;
  let prep: Session;
  let other: Session;
  let approver: Session;
  let reviewer: Session;
  let id: number;
  /** the lines whose note holds NOTE_TAGS[i] */
  let noted: string[];
  const editorScripts: string[] = [];
  const INSERTED = "Lhostile01";
  const FILE_NAME = `${ATTR}${RLO}预算.yaml`;

  const draft = async (s: Session = prep) => (await (await p.request(`/api/v1/workspace/budgets/${id}/draft`, get(s))).json()) as Draft;
  const save = async (revision: number, ops: unknown[], s: Session = prep) => {
    const res = await p.request(`/api/v1/workspace/budgets/${id}/draft`, json(s, { revision, ops }));
    return { status: res.status, body: (await res.json()) as Draft & { conflicts: unknown[]; error?: { code: string } } };
  };
  const page = async (path: string, s: Session | null = prep) => {
    const res = await p.request(path, get(s));
    return { status: res.status, text: await res.text(), type: res.headers.get("content-type") ?? "", csp: res.headers.get("content-security-policy") ?? "" };
  };
  const revision = async () => (await p.store.getBudget(id))!.revision;

  beforeAll(async () => {
    expect(new Set(TAGS).size).toBe(TAGS.length);
    for (const a of TAGS) for (const b of TAGS) if (a !== b) expect(b.includes(a), `${a} is part of ${b}`).toBe(false);
    p = await startPlatform();
    [prep, other, approver, reviewer] = await Promise.all([p.login("preparer"), p.login("preparer_b"), p.login("approver"), p.login("reviewer")]);
    const manifest = readAssetManifest();
    if (!manifest) throw new Error("the editor's assets are not built (npx tsx src/adapters/web/build-assets.ts)");
    editorScripts.push(`/assets/${manifest["editor.js"]}`, "json#editor-data");
    const res = await p.request("/api/v1/workspace/budgets", upload(prep, { departmentId: String(p.a.id), year: String(YEAR) }, { name: FILE_NAME, bytes: hostileYaml() }));
    const body = await res.clone().text();
    expect(res.status, body.slice(0, 2000)).toBe(201);
    const up = JSON.parse(body) as { budget: { id: number; errors: number } };
    expect(up.budget.errors, body.slice(0, 2000)).toBe(0);
    id = up.budget.id;
    // the editor: a hostile note on four lines, each led by another formula character
    const d = await draft();
    noted = [d.lines[0]!.id, d.lines[1]!.id, d.lines[31]!.id, d.lines[34]!.id];
    const r = await save(
      d.revision,
      noted.map((line, i) => ({ op: "set", line, field: "note", from: d.lines.find((l) => l.id === line)!.values.note, to: TEXT[NOTE_TAGS[i]!] })),
    );
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
    expect(r.body.conflicts).toEqual([]);
  }, 120_000);
  afterAll(() => p?.close());

  it("keeps every text as typed, bidi controls included, on the file path and the editor's path alike", async () => {
    const d = await draft();
    for (const [i, line] of noted.entries()) expect(d.lines.find((l) => l.id === line)!.values.note).toBe(TEXT[NOTE_TAGS[i]!]);
    const stored = parseYaml((await p.store.getBudget(id))!.sourceYaml) as Record<string, unknown>;
    for (const f of YAML_FIELDS) {
      let v: unknown = stored;
      for (const k of f.path) v = (v as Record<string | number, unknown>)[k];
      expect(String(v), f.tag).toBe(TEXT[f.tag]);
    }
    const notes = (stored["lines"] as { note?: string }[]).map((l) => l.note);
    for (const t of NOTE_TAGS) expect(notes).toContain(TEXT[t]);
    // what the file path refuses, the editor refuses (text.refused_char): a C0 control, a C1 control, a noncharacter
    for (const bad of ["a\u0001b", "a\u0085b", "a\ufffeb"]) {
      const l = d.lines[2]!;
      const r = await save(d.revision, [{ op: "set", line: l.id, field: "note", from: l.values.note, to: bad }]);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      const y = hostileYaml({ zqunitname: bad });
      const up = await p.request("/api/v1/workspace/budgets", upload(prep, { departmentId: String(p.a.id), year: String(YEAR), revision: String(d.revision) }, { name: "budget.yaml", bytes: y }));
      expect(up.status, JSON.stringify(bad)).toBe(422);
      expect(JSON.stringify(await up.json())).toContain("text.refused_char");
    }
    expect(await revision()).toBe(d.revision);
  });

  it("the editor page: the table, the findings and the JSON bootstrap carry the texts escaped", async () => {
    const d = await draft();
    const pg = await page(`/workspace/b/${id}/edit`);
    expect(pg.status).toBe(200);
    // (its policy runs only the editor's own script, from this origin)
    expect(pg.csp).toMatch(/script-src 'self'(;|$)/);
    expect(pageProblems("edit", pg.text, { scripts: editorScripts })).toEqual([]);
    // the no-JS table: each note in its own cell, as typed
    const cells = dom(pg.text).elements.filter((e) => e.name === "td").map((e) => e.text);
    for (const t of NOTE_TAGS) expect(cells).toContain(TEXT[t]);
    for (const t of NOTE_TAGS) expect(pg.text).toContain(escHtml(TEXT[t]!));
    // the JSON bootstrap: one block, nothing in it closes it or opens a comment, U+2028/2029 escaped
    const blocks = dom(pg.text).elements.filter((e) => e.name === "script");
    expect(blocks.map((b) => b.attrs.find((a) => a.name === "type")?.value ?? "src")).toEqual(["application/json", "src"]);
    const raw = /<script type="application\/json" id="editor-data">([\s\S]*?)<\/script>/.exec(pg.text)![1]!;
    expect(raw).toBe(blocks[0]!.text);
    expect(raw).not.toMatch(/[<>\u2028\u2029]/);
    expect(raw).toContain("\\u003c/script\\u003e");
    expect(raw).toContain("\\u2028");
    const data = JSON.parse(raw) as { lines: Line[]; options: { units: { name: string }[]; projects: { name: string }[] }; findings: unknown[] };
    expect(data.lines).toEqual(d.lines);
    expect(data.options.units.map((u) => u.name)).toContain(SHOWN("zqunitname"));
    expect(data.options.projects.map((q) => q.name)).toEqual(expect.arrayContaining([SHOWN("zqprojname"), SHOWN("zqpublabel")]));
  });

  it("the budget page and the preview show the texts escaped", async () => {
    const b = await page(`/workspace/b/${id}`);
    expect(b.status).toBe(200);
    expect(pageProblems("budget", b.text)).toEqual([]);
    // the file's name as the upload kept it (markup and quotes taken out, the override left as text)
    expect(b.text).toContain(escHtml(FILE_NAME.replace(/[<>"'`]/g, "")));
    const pv = await page(`/workspace/b/${id}/preview`);
    expect(pv.status).toBe(200);
    expect(pv.csp).toContain("script-src 'none'");
    expect(pageProblems("preview", pv.text)).toEqual([]);
    for (const t of MUST_PUBLISH) expect(pv.text, t).toContain(escHtml(TEXT[t]!));
  });

  it("the draft's YAML download is YAML-safe and round-trips", async () => {
    const res = await p.request(`/workspace/b/${id}/draft.yaml`, get(prep));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    const text = await res.text();
    const y = parseYaml(text) as { lines: { id: string; note?: string }[]; units: { name: string }[]; projects: { name: string }[] };
    for (const [i, line] of noted.entries()) expect(y.lines.find((l) => l.id === line)!.note).toBe(TEXT[NOTE_TAGS[i]!]);
    expect(y.units[0]!.name).toBe(TEXT["zqunitname"]);
    expect(y.projects[0]!.name).toBe(TEXT["zqprojname"]);
    // uploaded again, it is the same draft: the same lines, ids and texts
    const before = await draft();
    const up = await p.request("/api/v1/workspace/budgets", upload(prep, { departmentId: String(p.a.id), year: String(YEAR), revision: String(before.revision) }, { name: "draft.yaml", bytes: text }));
    expect(up.status, (await up.clone().text()).slice(0, 500)).toBe(201);
    const after = await draft();
    expect(after.lines).toEqual(before.lines);
  });

  it("the draft's workbook holds every text as a string cell, never a formula, and reads back the same", async () => {
    const res = await p.request(`/workspace/b/${id}/draft.xlsx`, get(prep));
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { bad, tags } = xlsxProblems("draft.xlsx", bytes);
    expect(bad).toEqual([]);
    // the note column of 明细 and the texts of the other sheets are there
    for (const t of [...NOTE_TAGS, "zqunitname", "zqprojname", "zqpublabel", "zqfunction", "zqreasonincome", "zqdeptgoal", "zqprojindic"]) expect(tags, t).toContain(t);
    const noteCell = xlsxCells(bytes).find((c) => c.text === SHOWN("zqnotea"));
    expect(noteCell, "the note as a cell of its own").toBeDefined();
    expect(noteCell!.sheet).toBe("明细");
    // the workbook uploaded again: the texts come back as the workbook holds them (a formula-led text stays text; an
    // override typed open comes back closed)
    const before = await draft();
    const up = await p.request("/api/v1/workspace/budgets", upload(prep, { departmentId: String(p.a.id), year: String(YEAR), revision: String(before.revision) }, { name: "draft.xlsx", bytes }));
    expect(up.status, (await up.clone().text()).slice(0, 500)).toBe(201);
    const after = await draft();
    expect(after.lines.map((l) => l.values)).toEqual(before.lines.map((l) => ({ ...l.values, note: typeof l.values.note === "string" ? closeBidi(l.values.note) : l.values.note })));
    const stored = parseYaml((await p.store.getBudget(id))!.sourceYaml) as { units: { name: string }[]; projects: { name: string; public_label?: string }[] };
    expect(stored.units[0]!.name).toBe(SHOWN("zqunitname"));
    expect(stored.projects[1]!.public_label).toBe(SHOWN("zqpublabel"));
    // (the workbook carries no line ids: the lines have new ones; the notes follow their lines)
    noted = NOTE_TAGS.map((t) => after.lines.find((l) => l.values.note === SHOWN(t))!.id);
  });

  it("hostile text in every field of a line (codes, fund, kind, amount included): findings and pages stay escaped", async () => {
    const d = await draft();
    const l = d.lines[3]!;
    const values = Object.fromEntries(LINE_FIELDS.map((f) => [f, TEXT[LINE_TAG(f)]]));
    const sets = LINE_FIELDS.filter((f) => f !== "note").map((f, i) => {
      const line = d.lines[5 + i]!;
      return { op: "set", line: line.id, field: f, from: line.values[f], to: TEXT[LINE_TAG(f)] };
    });
    const r = await save(d.revision, [{ op: "insert", line: INSERTED, after: l.id, values }, ...sets]);
    expect(r.status).toBe(200);
    expect(r.body.conflicts).toEqual([]);
    const ins = r.body.lines.find((l2) => l2.id === INSERTED)!;
    for (const f of LINE_FIELDS) expect(ins.values[f], f).toBe(TEXT[LINE_TAG(f)]);
    // the check names the bad values at their lines (its messages quote them)
    const at = r.body.findings.filter((f) => f.line === INSERTED || sets.some((s) => s.line === f.line));
    expect(at.length).toBeGreaterThanOrEqual(LINE_FIELDS.length - 1);
    expect(at.some((f) => f.message.zh.includes("<script>") || f.message.zh.includes('"><img'))).toBe(true);
    const edit = await page(`/workspace/b/${id}/edit`);
    expect(pageProblems("edit", edit.text, { scripts: editorScripts, intact: false })).toEqual([]);
    const cells = dom(edit.text).elements.filter((e) => e.name === "td").map((e) => e.text);
    for (const f of LINE_FIELDS) expect(cells, f).toContain(TEXT[LINE_TAG(f)]);
    const findings = dom(edit.text).elements.find((e) => e.attrs.some((a) => a.name === "id" && a.value === "editor-findings"))!;
    expect(findings.text).toContain("<script>");
    const data = JSON.parse(/<script type="application\/json" id="editor-data">([\s\S]*?)<\/script>/.exec(edit.text)![1]!) as { lines: Line[] };
    expect(data.lines.find((l2) => l2.id === INSERTED)!.values).toEqual(ins.values);
    const budget = await page(`/workspace/b/${id}`);
    expect(pageProblems("budget", budget.text, { intact: false })).toEqual([]);
    expect(budget.text).toContain("&lt;script&gt;");
    const api = await page(`/api/v1/workspace/budgets/${id}`);
    expect(api.type).toMatch(/^application\/json/);
    // the draft cannot fill a workbook now (its amount is text): a clear refusal, not a broken file
    const xlsx = await p.request(`/workspace/b/${id}/draft.xlsx`, get(prep));
    expect(xlsx.status).toBe(422);
    const yaml = await page(`/workspace/b/${id}/draft.yaml`);
    const y = parseYaml(yaml.text) as { lines: Record<string, unknown>[] };
    expect(y.lines.find((l2) => l2["id"] === INSERTED)).toEqual({ id: INSERTED, ...values });
    // the audit log, as the finance reviewer reads it, quotes the changes escaped
    const audit = await page("/audit", reviewer);
    expect(audit.status).toBe(200);
    expect(pageProblems("audit", audit.text, { intact: false })).toEqual([]);
    expect(audit.text).toContain(escHtml(JSON.stringify(TEXT[LINE_TAG("unit")])).slice(0, 60));
    // back to valid codes, keeping the notes
    const now = r.body;
    const back = await save(now.revision, [
      { op: "delete", line: INSERTED, from: ins.values },
      ...sets.map((s) => ({ ...s, from: s.to, to: s.from })),
    ]);
    expect(back.body.conflicts).toEqual([]);
    expect(back.body.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(back.body.lines.map((l2) => l2.values)).toEqual(d.lines.map((l2) => l2.values));
  });

  it("another department's preparer reaches none of it (404), and their pages show none of it", async () => {
    for (const path of [`/workspace/b/${id}`, `/workspace/b/${id}/edit`, `/workspace/b/${id}/draft.yaml`, `/workspace/b/${id}/draft.xlsx`, `/workspace/b/${id}/preview`, `/api/v1/workspace/budgets/${id}`, `/api/v1/workspace/budgets/${id}/draft`]) {
      const r = await page(path, other);
      expect(r.status, path).toBe(404);
      expect(tagsIn(r.text), path).toEqual([]);
    }
    expect((await save(await revision(), [], other)).status).toBe(404);
    const d = await draft();
    const l = d.lines[0]!;
    expect((await save(d.revision, [{ op: "set", line: l.id, field: "note", from: l.values.note, to: "乙部门改的" }], other)).status).toBe(404);
    expect((await draft()).lines[0]!.values.note).toBe(l.values.note);
    for (const path of ["/workspace", "/api/v1/workspace/budgets", "/audit", `/api/v1/audit?entity=budget&entityId=${id}`]) {
      const r = await page(path, other);
      expect(tagsIn(r.text), path).toEqual([]);
    }
    // signed out: the sign-in, not the draft
    for (const path of [`/workspace/b/${id}/edit`, `/workspace/b/${id}/draft.yaml`, `/api/v1/workspace/budgets/${id}/draft`]) {
      const r = await page(path, null);
      expect([302, 303, 401], path).toContain(r.status);
      expect(tagsIn(r.text), path).toEqual([]);
    }
  });

  /** Every public GET route for department A's year: status, body. */
  async function publicResponses(): Promise<{ url: string; status: number; type: string; csp: string; bytes: Uint8Array }[]> {
    const current = (await p.store.listVersions(id)).at(-1);
    const files = current ? await p.store.listVersionFiles(current.id) : [];
    const params: Record<string, string> = { region: "652300", department: "415001", year: String(YEAR), n: "1", name: editorScripts[0]!.slice("/assets/".length) };
    const out: { url: string; status: number; type: string; csp: string; bytes: Uint8Array }[] = [];
    const urls = new Set<string>();
    for (const route of ROUTES.filter((r) => r.access === "public" && r.method === "GET")) {
      const paths = route.path.includes(FILE_PARAM) ? (files.length > 0 ? files.map((f) => route.path.replace(FILE_PARAM, f.path)) : [route.path.replace(FILE_PARAM, "disclosure.json"), route.path.replace(FILE_PARAM, "index.html")]) : [route.path];
      for (const raw of paths) urls.add(raw.replace(/:([a-z]+)(\{[^}]*\})?/g, (_m, k: string) => params[k]!));
    }
    for (const tag of ["zqprojname", "zqunitname", "zqdeptname", "zqpublabel"]) for (const s of ["/search", "/api/v1/search"]) urls.add(`${s}?q=${tag}`);
    urls.add(`/search?q=${encodeURIComponent("<script>")}`);
    for (const url of urls) {
      const res = await p.request(url);
      out.push({ url, status: res.status, type: res.headers.get("content-type") ?? "", csp: res.headers.get("content-security-policy") ?? "", bytes: new Uint8Array(await res.arrayBuffer()) });
    }
    return out;
  }

  /** No response of publicResponses() holds any hostile text; search finds nothing; the year's page is not there. */
  const nothingPublic = async (when: string) => {
    const all = await publicResponses();
    expect(all.length).toBeGreaterThan(20);
    const leaks = all.flatMap((r) => tagsIn(decoded(r)).map((t) => `${when} ${r.url}: ${t}`));
    expect(leaks).toEqual([]);
    const search = all.find((r) => r.url === "/api/v1/search?q=zqprojname")!;
    expect(JSON.parse(decoded(search))).toMatchObject({ total: 0 });
    expect(all.find((r) => r.url === `/r/652300/d/415001/${YEAR}/`)!.status).toBe(404);
  };

  it("the public sees none of it before publication: not submitted, submitted, approved", async () => {
    await nothingPublic("draft");
    const ack = `${TEXT["zqnotea"]}（已核对警告）`;
    // what a file refuses, the acknowledgement refuses too (422, in both languages, naming the character)
    for (const bad of ["已核对\u0001", "已核对\ufffe"]) {
      const refused = await p.request(`/api/v1/workspace/budgets/${id}/submit`, json(prep, { revision: await revision(), acknowledgement: bad }));
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { error: { message: { zh: string; en: string } } };
      expect(body.error.message.zh).toMatch(/^对警告的说明中第 4 个字符 U\+(0001|FFFE) 不能使用/);
      expect(body.error.message.en).toMatch(/^Character 4 of the acknowledgement, U\+(0001|FFFE), cannot be used/);
    }
    expect((await p.store.getBudget(id))!.state).toBe("draft");
    const sub = await p.request(`/api/v1/workspace/budgets/${id}/submit`, json(prep, { revision: await revision(), acknowledgement: ack }));
    expect(sub.status, await sub.clone().text()).toBe(200);
    // the acknowledgement, typed by the preparer, is shown to the approver escaped
    const b = await page(`/workspace/b/${id}`, approver);
    expect(pageProblems("budget (approver)", b.text)).toEqual([]);
    expect(b.text).toContain(escHtml(ack));
    await nothingPublic("submitted");
    const app = await p.request(`/api/v1/workspace/budgets/${id}/approve`, json(approver, { revision: await revision() }));
    expect(app.status, await app.clone().text()).toBe(200);
    await nothingPublic("approved");
  });

  it("after publication: pages escaped, JSON as typed, CSV cells defused, the workbook without formulas", async () => {
    const pub = await p.request(`/api/v1/workspace/budgets/${id}/publish`, json(reviewer, { revision: await revision() }));
    expect(pub.status, await pub.clone().text()).toBe(200);
    const all = await publicResponses();
    const bad: string[] = [];
    const seen = new Set<string>();
    const xlsxTags = new Set<string>();
    let csvDefused = 0;
    let csvFiles = 0;
    for (const r of all) {
      const text = decoded(r);
      for (const t of tagsIn(text)) seen.add(t);
      if (r.status !== 200) continue;
      if (r.type.startsWith("text/html") || r.url.endsWith(".html")) {
        bad.push(...pageProblems(r.url, text));
        if (!r.csp.includes("script-src 'none'")) bad.push(`${r.url}: content-security-policy ${r.csp}`);
        // no paragraph, heading or cell leaves a bidi control open: the override typed into a name ends with the name
        // and does not reverse the figures printed after it
        for (const e of dom(text).elements) if (BIDI_BLOCKS.has(e.name) && closeBidi(e.text) !== e.text) bad.push(`${r.url}: <${e.name}> leaves a bidi control open: ${e.text.slice(0, 80)}`);
      }
      else if (r.type.startsWith("application/json") || r.url.endsWith(".json")) {
        const found = strings(JSON.parse(text));
        for (const t of tagsIn(text)) if (!found.some((s) => s.includes(TEXT[t]!))) bad.push(`${r.url}: ${t} not as typed`);
      } else if (r.url.endsWith(".csv") || r.type.startsWith("text/csv")) {
        csvFiles++;
        for (const row of parseCsv(text))
          for (const cell of row) {
            if (FORMULA_CELL(cell)) bad.push(`${r.url}: a formula cell ${cell.slice(0, 60)}`);
            if (TAGS.some((t) => cell === `'${SHOWN(t)}`)) csvDefused++;
          }
      } else if (r.url.endsWith(".xlsx")) {
        const x = xlsxProblems(r.url, r.bytes);
        bad.push(...x.bad);
        for (const t of x.tags) xlsxTags.add(t);
      }
    }
    expect(bad).toEqual([]);
    for (const t of MUST_PUBLISH) expect(seen, t).toContain(t);
    expect(csvFiles).toBeGreaterThan(5);
    expect([...xlsxTags]).toEqual(expect.arrayContaining(["zqunitname", "zqprojname", "zqpublabel"]));
    expect(csvDefused, "a hostile text as a whole CSV cell, with its leading '").toBeGreaterThan(0);
    // the line notes and the acknowledgement are the department's own: never published
    for (const t of NOTE_TAGS) expect(seen, t).not.toContain(t);
    // search finds the project by the word typed into its name, and shows the name escaped
    const api = JSON.parse(decoded(all.find((r) => r.url === "/api/v1/search?q=zqprojname")!)) as { total: number; groups: unknown[] };
    expect(api.total).toBeGreaterThan(0);
    expect(strings(api.groups)).toContain(SHOWN("zqprojname"));
    const results = decoded(all.find((r) => r.url === "/search?q=zqprojname")!);
    expect(results).toContain(escHtml(TEXT["zqprojname"]!));
    const home = decoded(all.find((r) => r.url === `/r/652300/d/415001/${YEAR}/`)!);
    expect(home).toContain(escHtml(TEXT["zqdeptname"]!));
  });
});
