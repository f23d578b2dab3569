/**
 * The consistency check over rendered outputs (issue 8): read what `gongkai build` wrote — the page's HTML, the PDF
 * through `pdftotext -bbox-layout`, the Word document's XML, the workbook's cells and disclosure.json — collect every
 * stated figure as a statement (figure, year, printed value, where), and find two statements of one figure that
 * cannot both be true.
 *
 * What a figure is. Every statement is keyed by the money it speaks of: the template's filter (fund sources, kind,
 * economic and functional codes, unit types) of the table ∧ row ∧ column of a cell, or of a figure of the template's
 * `figures:` / `figure_families:` (the ids disclosure.json lists with their names). Two statements with the same
 * filter speak of the same money, whatever they call it: 表1's 一般公共预算拨款 row, 表4's 一般公共预算 row, 表5's 总计 and
 * the narrative's 一般公共预算拨款合计 are one figure. A project or a carry-over item is its filter plus its name.
 *
 * Where names come in. The narrative is read with its own grammar: each sentence pattern of
 * data/narratives/<template>.yaml, with the figure's name (the template's name, or the block's `names`) and the
 * department and year filled in, becomes a regular expression whose amount and change words are read back, so a
 * sentence states the figure it names. A chart's labels are resolved by name only — the template's figure names
 * (disclosure.json), then the row labels of the chart's table — never through the template's chart definition, since
 * whether a chart says what the text says is what is checked: a label that names no figure is reported.
 *
 * Sums. In one place (a section of the narrative in one format, a chart in one format), statements whose filters
 * partition another figure's filter state that figure too: 二's 一般公共预算 + 上级一般公共预算安排的转移支付资金 is a
 * statement of the 一般公共预算 total, 五（一）'s 基本支出 + 项目支出 another, 图3's bars a third (current and prior
 * alike; a prior only when every part states one). A partition is over one dimension: fund sources, kinds, unit types
 * or economic codes (exact sets), or functional codes / members (all stated parts of the place: a place lists all).
 *
 * Rounding. A printed value v stands for [v − 0.005, v + 0.005] 万元; a prior derived from a printed current and a
 * printed change carries both roundings; a sum of n printed parts carries n; disclosure.json is exact. Two
 * statements disagree when their intervals do not meet.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { parse as parseHtml, type HTMLElement } from "node-html-parser";
import { parse as parseYaml } from "yaml";
import { DATA_DIR, readTemplateFile } from "../src/adapters/ingest/project-data.ts";
import { andFilter, compileWhere, MATCH_ALL, type Filter, type TemplateData, type Where } from "../src/domain/template-model.ts";
import { parseCsv } from "../src/domain/csv-format.ts";
import { cliArgs, NODE, ROOT } from "./cli-harness.ts";
import { unzip, wordBody } from "./office-output-harness.ts";

// ---------------------------------------------------------------------------------------------------------------
// Statements

export type Year = "current" | "prior";
export type Format = "html" | "pdf" | "docx" | "xlsx" | "csv" | "json";
export type Source = "table" | "narrative" | "chart" | "performance" | "data";

export interface Statement {
  /** the money it speaks of (filter key, plus a member's name for projects and carry-over items) */
  readonly key: string;
  /** the figure's name, for reports */
  readonly name: string;
  readonly year: Year;
  /** as printed, or how it was derived ("1146.68 − 29.09", "905.00 + 165.00") */
  readonly printed: string;
  /** the exact amounts it allows, in 分 */
  readonly lo: number;
  readonly hi: number;
  readonly format: Format;
  readonly source: Source;
  /** where: "表1 1、一般公共预算拨款 × 预算数", "二、关于…说明", "图3" */
  readonly place: string;
}

/** 万元 printed with two decimals → 分 (1 万元 = 1,000,000 分); null when the text is not an amount. */
export function printedFen(text: string): number | null {
  const t = text.replace(/[,\s]/g, "");
  if (t === "") return 0;
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(t);
  if (!m) return null;
  const v = (Number(m[2]) * 100 + Number(m[3])) * 10_000;
  return m[1] ? -v : v;
}
const HALF = 5_000; // 0.005 万元 in 分
const AMOUNT_WORD = /^-?\d[\d,]*\.\d{2}$/;
const yuanFen = (s: string) => {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a yuan amount: ${s}`);
  const v = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -v : v;
};
const wan = (fen: number) => (fen / 1_000_000).toFixed(2);

// ---------------------------------------------------------------------------------------------------------------
// Figures: what the template says each id, row and column is

export interface FigureInfo {
  readonly id: string;
  readonly name: string;
  readonly key: string;
  readonly filter: Filter;
  readonly cellTable: string | null;
}

const codeList = (l: readonly string[] | null) => (l === null ? "*" : [...new Set(l)].sort().join(","));

export function filterKey(f: Filter, member?: string): string {
  return `s${f.sources}|k${f.kinds}|e${codeList(f.econ)}|f${codeList(f.func)}|u${f.unitTypes}${member === undefined ? "" : `|m:${member}`}`;
}

export interface Model {
  readonly template: TemplateData;
  readonly narrative: NarrativeFile;
  readonly figures: ReadonlyMap<string, FigureInfo>;
  readonly json: DisclosureJson;
  readonly department: string;
  readonly year: number;
}

interface DisclosureJson {
  department: { name: string; year: number; template: string };
  scope: { kind: string; name?: string };
  figures: Record<string, { name: string; current: string; prior: string | null }>;
  projects: { name: string; amount: string; general_public_budget: string }[];
  carryover: { name: string; amount: string }[];
}

function familyOf(
  t: TemplateData,
  id: string,
): {
  where: Where;
  cell: { table: string } | undefined;
  filter: (f: Filter) => Filter;
} | null {
  const def = t.figures[id];
  if (def) return { where: def.where, cell: def.cell, filter: (f) => f };
  const dot = id.lastIndexOf(".");
  const fam = t.figure_families[id.slice(0, dot)];
  if (!fam) return null;
  const code = id.slice(dot + 1);
  const by = fam.by === "economic_section" ? { econ: [code] } : { func: [code] };
  return {
    where: fam.where,
    cell: fam.cell,
    filter: (f) => andFilter(f, compileWhere(by, t.source_groups)),
  };
}

export function readModel(outDir: string): Model {
  const json = JSON.parse(readFileSync(join(outDir, "disclosure.json"), "utf8")) as DisclosureJson;
  const template = readTemplateFile(join(DATA_DIR, "templates", `${json.department.template}.yaml`));
  const narrative = parseYaml(readFileSync(join(DATA_DIR, "narratives", `${json.department.template}.yaml`), "utf8")) as NarrativeFile;
  const figures = new Map<string, FigureInfo>();
  for (const [id, f] of Object.entries(json.figures)) {
    const fam = familyOf(template, id);
    if (!fam) continue;
    const filter = fam.filter(compileWhere(fam.where, template.source_groups));
    figures.set(id, {
      id,
      name: f.name,
      key: filterKey(filter),
      filter,
      cellTable: fam.cell?.table ?? null,
    });
  }
  const department = json.scope.kind === "unit" && json.scope.name ? json.scope.name : json.department.name;
  return {
    template,
    narrative,
    figures,
    json,
    department,
    year: json.department.year,
  };
}

const squash = (s: string) => s.replace(/\s+/g, "");
const normLabel = (s: string) => squash(s).replace(/\(/g, "（").replace(/\)/g, "）");

// ---------------------------------------------------------------------------------------------------------------
// Tables: a printed grid row → statements, by the template's rows and columns

type Grid = readonly (readonly string[])[];

interface PrintedSide {
  readonly name: string | null;
  readonly filter: Filter;
  /** printed columns of the side, in order */
  readonly columns: readonly {
    id: string;
    role: string;
    csv: string;
    header: string;
    filter: Filter;
  }[];
  /** fixed rows by printed label */
  readonly fixed: ReadonlyMap<string, { id: string; label: string; filter: Filter }>;
  /** whether tree / class rows (found by their codes) print here: "function" | "economic" | null */
  readonly tree: "function" | "economic" | null;
}

/** Which rows found by their codes print in a table or side: "function" | "economic" | null. */
function treeOf(rows: readonly Record<string, unknown>[]): PrintedSide["tree"] {
  if (rows.some((r) => "units" in r)) return null; // unit blocks: only the fixed rows are the department's
  for (const r of rows) {
    if (r["tree"] === "economic") return "economic";
    if (r["tree"] === "function" || r["class_list"] === "function") return "function";
  }
  return null;
}
const asRows = (x: unknown) => x as readonly Record<string, unknown>[];

function printedSides(t: TemplateData, table: TemplateData["tables"][number]): PrintedSide[] {
  const tf = compileWhere(table.where, t.source_groups);
  const columns = table.columns.filter((c) => c.role !== "side");
  const colOf = (c: (typeof columns)[number]) => ({
    id: c.id,
    role: c.role,
    csv: c.csv,
    header: (c.print ?? [c.csv]).join("/"),
    filter: c.role === "amount" ? compileWhere(c.where, t.source_groups) : MATCH_ALL,
  });
  const fixedOf = (rows: readonly Record<string, unknown>[], filter: Filter) => {
    const m = new Map<string, { id: string; label: string; filter: Filter }>();
    for (const r of rows)
      if (typeof r["fixed"] === "string" && typeof r["id"] === "string")
        m.set(normLabel(r["fixed"]), {
          id: r["id"],
          label: r["fixed"],
          filter: andFilter(filter, compileWhere(r["where"] as Where | undefined, t.source_groups)),
        });
    return m;
  };
  if (!table.sides)
    return [
      {
        name: null,
        filter: tf,
        columns: columns.map(colOf),
        fixed: fixedOf(asRows(table.rows), tf),
        tree: treeOf(asRows(table.rows)),
      },
    ];
  return table.sides.map((s) => {
    const tree = treeOf(asRows(s.rows));
    const amounts = columns.filter((c) => c.role === "amount" && (!s.columns || s.columns.includes(c.id)));
    const labels = columns.filter((c) => c.role === "name" || (tree !== null && c.role === "code1"));
    return {
      name: s.name,
      filter: tf,
      columns: [...labels, ...amounts].map(colOf),
      fixed: fixedOf(asRows(s.rows), tf),
      tree,
    };
  });
}

/** Statements of one printed table (grid rows as printed, sides side by side). */
function tableStatements(m: Model, tableId: string, grid: Grid, format: Format, out: Statement[]): number {
  const t = m.template;
  const table = t.tables.find((x) => x.id === tableId);
  if (!table) throw new Error(`no table ${tableId}`);
  const sides = printedSides(t, table);
  let found = 0;
  for (const raw of grid) {
    const row = raw;
    let at = 0;
    for (const side of sides) {
      const cells = side.columns.map((c, i) => ({
        col: c,
        text: (row[at + i] ?? "").trim(),
      }));
      at += side.columns.length;
      const name = cells.find((c) => c.col.role === "name")?.text ?? "";
      let rowFilter: Filter | null = null;
      let label = "";
      // a fixed row's label may span the code columns (printed in the first of them)
      const fixed = [name, ...cells.filter((c) => c.col.role !== "amount").map((c) => c.text)]
        .map((x) => side.fixed.get(normLabel(x)))
        .find((x) => x !== undefined);
      if (fixed) {
        rowFilter = fixed.filter;
        label = fixed.label;
      } else if (side.tree) {
        const code = cells
          .filter((c) => c.col.role.startsWith("code"))
          .map((c) => c.text)
          .join("");
        if (/^\d{3,7}$/.test(code)) {
          rowFilter = andFilter(side.filter, compileWhere(side.tree === "economic" ? { econ: [code] } : { func: [code] }, t.source_groups));
          label = `${code} ${name}`;
        }
      }
      if (!rowFilter) continue;
      for (const c of cells) {
        if (c.col.role !== "amount") continue;
        const fen = printedFen(c.text);
        if (fen === null) continue;
        const filter = andFilter(rowFilter, c.col.filter);
        const lo = c.text === "" ? 0 : fen - HALF;
        const hi = c.text === "" ? 0 : fen + HALF;
        out.push({
          key: filterKey(filter),
          name: label,
          year: "current",
          printed: c.text || "（空）",
          lo,
          hi,
          format,
          source: "table",
          place: `${table.number} ${label} × ${c.col.header}`,
        });
        found++;
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// The narrative, read with its own grammar

interface NarrativeFile {
  words: { change: Record<"up" | "down" | "flat" | "new" | "none", string> };
  parts: { id: string; title: string; sections: NarrativeSection[] }[];
}
interface NarrativeSection {
  id: string;
  title: string;
  blocks?: Record<string, unknown>[];
  subsections?: NarrativeSection[];
}

interface Binding {
  readonly group: string;
  readonly id: string;
  readonly member?: string;
  readonly role: "amount" | "change";
}
interface Probe {
  readonly re: RegExp;
  readonly bindings: readonly Binding[];
}
interface ReadSection {
  readonly id: string;
  readonly title: string;
  readonly probes: readonly Probe[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const AMOUNT = String.raw`-?\d[\d,]*\.\d{2}`;
const NUMBER = String.raw`-?\d[\d,]*(?:\.\d+)?`;
const DIRECTIONS = ["up", "down", "flat", "new", "none"] as const;

/** A sentence pattern as a regular expression: literal text (whitespace dropped), bound amounts and change words as groups. */
function compilePattern(m: Model, pattern: string, item: { id: string; name: string; member?: string } | null, counter: { n: number }): Probe | null {
  const bindings: Binding[] = [];
  let src = "";
  const parts = pattern.split(/(\{[a-z_]+(?::[^}]+)?\})/);
  for (const part of parts) {
    const tok = /^\{([a-z_]+)(?::([^}]+))?\}$/.exec(part);
    if (!tok) {
      src += esc(squash(part));
      continue;
    }
    const [, kind, arg] = tok as unknown as [string, string, string | undefined];
    const id = arg ?? item?.id;
    if (kind === "reason" || kind === "desc" || kind === "purpose") break; // the department's words: read up to them
    if (kind === "department") src += esc(squash(m.department));
    else if (kind === "year") src += String(m.year);
    else if (kind === "name") src += esc(squash(item?.name ?? ""));
    else if (kind === "path") src += `[^：。；，]*?${esc(squash(item?.name ?? ""))}`;
    else if (kind === "amount" && id !== undefined) {
      const g = `a${counter.n++}`;
      src += `(?<${g}>${AMOUNT})`;
      bindings.push({
        group: g,
        id,
        role: "amount",
        ...(item?.member !== undefined && arg === undefined ? { member: item.member } : {}),
      });
    } else if (kind === "change" && id !== undefined) {
      const alts = DIRECTIONS.map((d) => {
        const g = `c${counter.n++}`;
        const w = m.narrative.words.change[d]
          .split(/(\{change\}|\{percent\})/)
          .map((x) => (x === "{change}" ? `(?<${g}v>${AMOUNT})` : x === "{percent}" ? NUMBER : esc(squash(x))))
          .join("");
        bindings.push({ group: `${g}:${d}`, id, role: "change" });
        return `(?<${g}>${w})`;
      });
      src += `(?:${alts.join("|")})`;
    } else if (kind === "share" || kind === "percent") src += NUMBER;
    else if (kind === "n") src += String.raw`\d+`;
    else if (kind === "cn") src += "[一二三四五六七八九十百]+";
    else if (kind === "names") src += "[^。]*?";
    else if (kind === "value") src += "[^，。；：、]*?";
    else if (kind === "staff") src += "[^；。]*?";
    else src += "[^。]*?";
  }
  if (!bindings.length) return null;
  return { re: new RegExp(src, "u"), bindings };
}

function patternsOf(p: unknown): string[] {
  if (typeof p === "string") return [p];
  if (p && typeof p === "object") return Object.values(p as Record<string, string>).filter((x) => typeof x === "string");
  return [];
}

function fill(pattern: string, m: Model): string {
  return pattern.replace(/\{department\}/g, m.department).replace(/\{year\}/g, String(m.year));
}

function readSections(m: Model): ReadSection[] {
  const out: ReadSection[] = [];
  const counter = { n: 0 };
  const members = (family: string) =>
    [...m.figures.keys()]
      .filter((id) => id.startsWith(`${family}.`) && !id.slice(family.length + 1).includes("."))
      .sort((a, b) => (a.split(".").pop()! < b.split(".").pop()! ? -1 : 1));
  const visit = (s: NarrativeSection) => {
    const probes: Probe[] = [];
    for (const b of s.blocks ?? []) {
      if (typeof b["p"] === "string") {
        const probe = compilePattern(m, b["p"], null, counter);
        if (probe) probes.push(probe);
      }
      const items = b["items"] as Record<string, unknown> | undefined;
      if (items) {
        const ids = Array.isArray(items["figures"]) ? (items["figures"] as string[]) : typeof items["family"] === "string" ? members(items["family"]) : [];
        const names = (items["names"] ?? {}) as Record<string, string>;
        for (const id of ids) {
          const f = m.figures.get(id);
          if (!f) continue;
          for (const pat of patternsOf(items["pattern"])) {
            const probe = compilePattern(m, pat, { id, name: names[id] ?? f.name }, counter);
            if (probe) probes.push(probe);
          }
        }
      }
      const projects = b["projects"] as Record<string, unknown> | undefined;
      if (projects && typeof projects["title"] === "string" && typeof projects["figure"] === "string")
        for (const p of m.json.projects) {
          const probe = compilePattern(
            m,
            projects["title"],
            {
              id: projects["figure"],
              name: p.name,
              member: `project:${p.name}`,
            },
            counter,
          );
          if (probe) probes.push(probe);
        }
      const carry = b["carryover"] as Record<string, unknown> | undefined;
      if (carry && typeof carry["pattern"] === "string")
        for (const c of memberNames(m.json.carryover.map((x) => x.name))) {
          const probe = compilePattern(
            m,
            carry["pattern"],
            {
              id: "carryover.total",
              name: c.name,
              member: `carryover:${c.member}`,
            },
            counter,
          );
          if (probe) probes.push(probe);
        }
    }
    out.push({ id: s.id, title: squash(fill(s.title, m)), probes });
    for (const sub of s.subsections ?? []) visit(sub);
  };
  for (const part of m.narrative.parts) for (const s of part.sections) if (s.title) visit(s);
  return out;
}

/** Names of members in order, the n-th repeat of a name told apart (#2, #3). */
function memberNames(names: readonly string[]): { name: string; member: string }[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return { name, member: n === 1 ? name : `${name}#${n}` };
  });
}

/** Cuts a document's text (whitespace dropped) into the narrative's sections, by their titles, in order. */
function sectionTexts(sections: readonly ReadSection[], text: string): Map<string, string> {
  const out = new Map<string, string>();
  // the body starts after the table of contents: the last place where the first section title is not followed by a page number
  let from = -1;
  const first = sections.find((s) => s.probes.length)?.title ?? "";
  for (let i = text.indexOf(first); i >= 0; i = text.indexOf(first, i + 1)) if (!/^\d/.test(text.slice(i + first.length))) from = i;
  if (from < 0) return out;
  const starts: { id: string; at: number; len: number }[] = [];
  let pos = from;
  for (const s of sections) {
    if (!s.title) continue;
    const at = text.indexOf(s.title, pos);
    if (at < 0) continue;
    starts.push({ id: s.id, at, len: s.title.length });
    pos = at + s.title.length;
  }
  starts.forEach((s, i) => out.set(s.id, text.slice(s.at + s.len, starts[i + 1]?.at ?? text.length)));
  return out;
}

function narrativeStatements(m: Model, text: string, format: Format, out: Statement[]): number {
  const sections = readSections(m);
  const texts = sectionTexts(sections, squash(text));
  let found = 0;
  for (const s of sections) {
    const body = texts.get(s.id);
    if (body === undefined) continue;
    const place = `${s.title}`;
    for (const probe of s.probes) {
      const hit = probe.re.exec(body);
      if (!hit?.groups) continue;
      const g = hit.groups;
      const current = new Map<string, { fen: number; printed: string }>();
      for (const b of probe.bindings) {
        if (b.role !== "amount") continue;
        const printed = g[b.group];
        if (printed === undefined) continue;
        const f = m.figures.get(b.id);
        const fen = printedFen(printed)!;
        const key = f ? (b.member === undefined ? f.key : filterKey(f.filter, b.member)) : null;
        if (!key) continue;
        current.set(b.id + (b.member ?? ""), { fen, printed });
        out.push({
          key,
          name: memberLabel(f!.name, b.member),
          year: "current",
          printed,
          lo: fen - HALF,
          hi: fen + HALF,
          format,
          source: "narrative",
          place,
        });
        found++;
      }
      for (const b of probe.bindings) {
        if (b.role !== "change") continue;
        const [group, dir] = b.group.split(":") as [string, (typeof DIRECTIONS)[number]];
        if (g[group] === undefined) continue;
        const f = m.figures.get(b.id);
        const cur = current.get(b.id);
        if (!f || !cur) continue;
        const chText = g[`${group}v`];
        const ch = chText === undefined ? 0 : printedFen(chText)!;
        let lo: number, hi: number, printed: string;
        if (dir === "up" || dir === "down") {
          const p = dir === "up" ? cur.fen - ch : cur.fen + ch;
          [lo, hi, printed] = [p - 2 * HALF, p + 2 * HALF, `${cur.printed} ${dir === "up" ? "−" : "+"} ${chText}`];
        } else if (dir === "flat") [lo, hi, printed] = [cur.fen - 2 * HALF, cur.fen + 2 * HALF, `${cur.printed}（持平）`];
        else [lo, hi, printed] = [-HALF, HALF, dir === "new" ? "0.00（新增）" : "0.00（未安排）"];
        out.push({
          key: f.key,
          name: f.name,
          year: "prior",
          printed,
          lo,
          hi,
          format,
          source: "narrative",
          place,
        });
        found++;
      }
    }
  }
  return found;
}

const memberLabel = (name: string, member: string | undefined) => (member === undefined ? name : `${member.replace(/^[a-z]+:/, "")}（${name}）`);

// ---------------------------------------------------------------------------------------------------------------
// Charts: labels resolved by name

interface ChartMark {
  readonly label: string;
  readonly series: string; // "" or "2024年" / "2023年"
  readonly value: string;
}

export interface Unnamed {
  readonly format: Format;
  readonly place: string;
  readonly label: string;
}

function chartOf(m: Model, caption: string): TemplateData["charts"][number] | undefined {
  const c = squash(caption);
  return m.template.charts.find((ch) => [ch.title, ch.title_with_prior].some((t) => t !== undefined && c.includes(squash(fill(t, m)))));
}

function resolveLabel(m: Model, chart: TemplateData["charts"][number] | undefined, label: string): FigureInfo | null {
  const l = normLabel(label);
  const bare = (n: string) => normLabel(n).replace(/（[类款项]）$/, "");
  const byName = [...m.figures.values()].filter((f) => normLabel(f.name) === l || bare(f.name) === l);
  const inTable = byName.filter((f) => chart && f.cellTable === chart.table);
  if (inTable.length === 1) return inTable[0]!;
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) return null;
  // the chart table's row labels ("其中：" and numbering dropped)
  const table = chart && m.template.tables.find((t) => t.id === chart.table);
  if (!table) return null;
  for (const side of printedSides(m.template, table))
    for (const r of side.fixed.values()) {
      const rl = normLabel(r.label).replace(/^(其中：|[一二三四五六七八九十]+、|\d+、)/, "");
      if (rl === l)
        return {
          id: r.id,
          name: r.label,
          key: filterKey(r.filter),
          filter: r.filter,
          cellTable: table.id,
        };
    }
  return null;
}

function chartStatements(m: Model, number: string, caption: string, marks: readonly ChartMark[], format: Format, out: Statement[], unnamed: Unnamed[]): number {
  const chart = chartOf(m, caption);
  const place = squash(number);
  let found = 0;
  for (const mk of marks) {
    const f = resolveLabel(m, chart, mk.label);
    if (!f) {
      if (!unnamed.some((u) => u.format === format && u.place === place && u.label === mk.label)) unnamed.push({ format, place, label: mk.label });
      continue;
    }
    const year: Year = mk.series === "" || mk.series === `${m.year}年` ? "current" : mk.series === `${m.year - 1}年` ? "prior" : "current";
    const fen = printedFen(mk.value);
    if (fen === null) continue;
    out.push({
      key: f.key,
      name: f.name,
      year,
      printed: mk.value,
      lo: fen - HALF,
      hi: fen + HALF,
      format,
      source: "chart",
      place,
    });
    found++;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Sums stated in one place

function derivedSums(m: Model, stmts: readonly Statement[]): Statement[] {
  const keys = new Map<string, { filter: Filter; name: string }>();
  for (const f of m.figures.values()) keys.set(f.key, { filter: f.filter, name: f.name });
  const out: Statement[] = [];
  const byPlace = new Map<string, Statement[]>();
  for (const s of stmts) {
    if (s.source !== "narrative" && s.source !== "chart") continue;
    const k = `${s.format}\u0000${s.place}`;
    const l = byPlace.get(k) ?? [];
    l.push(s);
    byPlace.set(k, l);
  }
  const parsed = new Map<string, { filter: string[]; member: string | null }>();
  const parse = (key: string) => {
    let p = parsed.get(key);
    if (!p) {
      const [base, member] = key.split("|m:");
      p = { filter: base!.split("|"), member: member ?? null };
      parsed.set(key, p);
    }
    return p;
  };
  for (const list of byPlace.values()) {
    // first statement of each (key, year) in the place
    const firstOf = new Map<string, Statement>();
    for (const s of list) if (!firstOf.has(`${s.key}\u0000${s.year}`)) firstOf.set(`${s.key}\u0000${s.year}`, s);
    const currents = [...firstOf.values()].filter((s) => s.year === "current");
    for (const [key, info] of keys) {
      for (const parts of partitions(
        key,
        currents.map((s) => s.key),
        parse,
      ))
        for (const year of ["current", "prior"] as const) {
          const ps = parts.map((k) => firstOf.get(`${k}\u0000${year}`));
          if (ps.some((p) => p === undefined)) continue;
          const got = ps as Statement[];
          out.push({
            key,
            name: info.name,
            year,
            printed: `${got.map((p) => (/ [−+] /.test(p.printed) ? `(${p.printed})` : p.printed)).join(" + ")} = ${wan(got.reduce((n, p) => n + (p.lo + p.hi) / 2, 0))}`,
            lo: got.reduce((n, p) => n + p.lo, 0),
            hi: got.reduce((n, p) => n + p.hi, 0),
            format: got[0]!.format,
            source: got[0]!.source,
            place: `${got[0]!.place}（${parts.length} 项之和）`,
          });
        }
    }
  }
  return out;
}

const bitsOf = (dim: string) => Number(dim.slice(1));
const listOf = (dim: string) => (dim.slice(1) === "*" ? null : dim.slice(1).split(","));

/**
 * The sets of statements of a place that partition `key`'s filter over one dimension: fund sources, kinds and unit
 * types as bit sets; economic codes as exact sets; functional codes (and members) as every stated code under it.
 */
function partitions(key: string, candidates: readonly string[], parse: (k: string) => { filter: string[]; member: string | null }): string[][] {
  const k = parse(key);
  const found: string[][] = [];
  if (k.member !== null) return found;
  const under: { key: string; dim: number }[] = [];
  for (const c of new Set(candidates)) {
    const p = parse(c);
    const diff = k.filter.map((d, i) => (d === p.filter[i] ? -1 : i)).filter((i) => i >= 0);
    if (p.member !== null) {
      if (diff.length === 0) under.push({ key: c, dim: 5 });
      continue;
    }
    if (diff.length !== 1) continue;
    const i = diff[0]!;
    const a = k.filter[i]!;
    const b = p.filter[i]!;
    const inside =
      i === 0 || i === 1 || i === 4
        ? (bitsOf(b) & ~bitsOf(a)) === 0
        : (() => {
            const kl = listOf(a);
            const pl = listOf(b);
            if (pl === null) return false;
            return pl.every((x) => kl === null || kl.some((y) => x.startsWith(y)));
          })();
    if (inside) under.push({ key: c, dim: i });
  }
  for (const dim of [0, 1, 2, 3, 4, 5]) {
    let parts = under.filter((u) => u.dim === dim).map((u) => u.key);
    if (dim === 5) {
      if (parts.length >= 2) found.push(parts);
      continue;
    }
    const val = (c: string) => parse(c).filter[dim]!;
    // keep the largest parts (a part inside another stated part is that part's, not this figure's)
    parts = parts.filter((p) => !parts.some((q) => q !== p && covers(dim, val(q), val(p))));
    if (parts.length < 2) continue;
    if (dim === 0 || dim === 1 || dim === 4) {
      let union = 0;
      let overlap = false;
      for (const p of parts) {
        const b = bitsOf(val(p));
        if (union & b) overlap = true;
        union |= b;
      }
      if (!overlap && union === bitsOf(k.filter[dim]!)) found.push(parts);
    } else if (dim === 2) {
      const want = listOf(k.filter[dim]!);
      const got = parts.flatMap((p) => listOf(val(p)) ?? []);
      if (want && new Set(got).size === got.length && got.length === want.length && want.every((w) => got.includes(w))) found.push(parts);
    } else {
      // functional codes: every stated code under the figure (a section lists all of them)
      const codes = parts.map((p) => listOf(val(p)) ?? []);
      if (codes.every((c) => c.length === 1)) found.push(parts);
    }
  }
  return found;
}

function covers(dim: number, outer: string, inner: string): boolean {
  if (outer === inner) return false;
  if (dim === 0 || dim === 1 || dim === 4) return (bitsOf(inner) & ~bitsOf(outer)) === 0;
  const o = listOf(outer);
  const i = listOf(inner);
  if (o === null) return i !== null;
  if (i === null) return false;
  return i.every((x) => o.some((y) => x.startsWith(y)));
}

// ---------------------------------------------------------------------------------------------------------------
// Format readers

/** Rows of an HTML table's body, colspans and rowspans filled (a spanned cell repeats blank to its right, its text below). */
function htmlGrid(table: HTMLElement): string[][] {
  const grid: string[][] = [];
  const pending = new Map<string, string>(); // "row,col" → text carried down by a rowspan
  table.querySelectorAll("tbody tr").forEach((tr, r) => {
    const row: string[] = [];
    let col = 0;
    const fillPending = () => {
      while (pending.has(`${r},${col}`)) {
        row.push(pending.get(`${r},${col}`)!);
        pending.delete(`${r},${col}`);
        col++;
      }
    };
    for (const cell of tr.querySelectorAll("th, td")) {
      fillPending();
      const text = cell.textContent.replace(/\s+/g, " ").trim();
      const cs = Number(cell.getAttribute("colspan") ?? "1");
      const rs = Number(cell.getAttribute("rowspan") ?? "1");
      for (let k = 0; k < cs; k++) {
        row.push(k === 0 ? text : "");
        for (let d = 1; d < rs; d++) pending.set(`${r + d},${col}`, k === 0 ? text : "");
        col++;
      }
    }
    fillPending();
    grid.push(row);
  });
  return grid;
}

/** A figure the page marks up as bound (`data-ref="figure:…"`, `change:…`, `prior:…`): the reading must have found it there. */
export interface Bound {
  readonly ref: string;
  readonly key: string;
  readonly year: Year;
  readonly place: string;
}

export interface Collected {
  readonly statements: Statement[];
  readonly unnamed: Unnamed[];
  readonly bound: Bound[];
  /** numbers a chart draws that none of its labelled values is */
  readonly stray: string[];
  /** how many statements each format and source gave */
  readonly counts: Record<string, number>;
}

function count(c: Record<string, number>, format: Format, source: Source, n: number) {
  c[`${format}:${source}`] = (c[`${format}:${source}`] ?? 0) + n;
}

/** The page's own bindings of narrative and chart figures, with the place the reading gives them. */
function htmlBindings(m: Model, root: HTMLElement): Bound[] {
  const titles = new Map(readSections(m).map((s) => [s.id, s.title]));
  const out: Bound[] = [];
  for (const el of root.querySelectorAll("data[data-ref]")) {
    const ref = el.getAttribute("data-ref") ?? "";
    const r = /^(figure|change|prior):([^/\s]+)$/.exec(ref);
    const f = r && m.figures.get(r[2]!);
    if (!r || !f) continue;
    const year: Year = r[1] === "figure" ? "current" : "prior";
    const fig = el.closest("figure");
    if (fig) {
      const place = squash(fig.querySelector(".f-no")?.textContent ?? "");
      if (place) out.push({ ref, key: f.key, year, place });
      continue;
    }
    if (el.closest("table")) continue;
    const sec = el.closest("section")?.getAttribute("id")?.replace(/^sec-/, "");
    const place = sec === undefined ? undefined : titles.get(sec);
    if (place) out.push({ ref, key: f.key, year, place });
  }
  return out;
}

/** tables/<id>.csv (open data): one row per table row, a two-sided table's sides one after the other (`side` says which). */
function readCsvTables(m: Model, outDir: string, out: Statement[], counts: Record<string, number>) {
  for (const t of m.template.tables) {
    const path = join(outDir, "tables", `${t.id}.csv`);
    if (!existsSync(path)) continue;
    const [header, ...rows] = parseCsv(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
    if (!header) continue;
    const sides = printedSides(m.template, t);
    const sideCol = header.indexOf(t.columns.find((c) => c.role === "side")?.csv ?? "\u0000");
    const grid = rows.map((r) =>
      sides.flatMap((side) => side.columns.map((c) => (side.name === null || r[sideCol] === side.name ? (r[header.indexOf(c.csv)] ?? "") : ""))),
    );
    count(counts, "csv", "table", tableStatements(m, t.id, grid, "csv", out));
  }
}

function readHtml(m: Model, html: string, out: Statement[], unnamed: Unnamed[], bound: Bound[], stray: string[], counts: Record<string, number>) {
  const root = parseHtml(html);
  bound.push(...htmlBindings(m, root));
  for (const t of m.template.tables) {
    const el = root.querySelector(`#${t.id}-table`);
    if (el) count(counts, "html", "table", tableStatements(m, t.id, htmlGrid(el), "html", out));
  }
  for (const fig of root.querySelectorAll("figure.chart")) {
    const caption = fig.querySelector("figcaption")?.textContent ?? "";
    const number = fig.querySelector(".f-no")?.textContent ?? "";
    const marks: ChartMark[] = [];
    for (const title of fig.querySelectorAll("svg path > title")) {
      const mt = /^(.*?)(?:（(\d{4}年)）)?：(-?\d[\d,]*\.\d{2}) ?万元$/.exec(squash(title.textContent));
      if (mt) marks.push({ label: mt[1]!, series: mt[2] ?? "", value: mt[3]! });
    }
    // the SVG's description, read out to those who cannot see it: "label 1.00万元；…" or "label：2024年1.00万元，2023年无；…"
    const desc = squash(fig.querySelector("svg desc")?.textContent ?? "");
    for (const item of desc
      .slice(desc.indexOf("。") + 1)
      .replace(/。$/, "")
      .split("；")) {
      const two = /^(.+?)：(\d{4}年.+)$/.exec(item);
      const one = two ? null : /^(.+?)(-?\d[\d,]*\.\d{2})万元$/.exec(item);
      if (two)
        for (const part of two[2]!.split("，")) {
          const v = /^(\d{4}年)(-?\d[\d,]*\.\d{2})万元$/.exec(part);
          if (v) marks.push({ label: two[1]!, series: v[1]!, value: v[2]! });
        }
      else if (one) marks.push({ label: one[1]!, series: "", value: one[2]! });
    }
    // every number drawn in the SVG is one of the values the chart labels
    const values = new Set(marks.map((mk) => mk.value));
    for (const t of fig.querySelectorAll("svg text")) {
      const v = squash(t.textContent);
      if (AMOUNT_WORD.test(v) && !values.has(v)) stray.push(`html ${squash(number)}: ${v}`);
    }
    const data = fig.querySelector("table");
    if (data) {
      const series = data
        .querySelectorAll("thead th")
        .slice(1)
        .map((th) => squash(th.textContent));
      for (const tr of data.querySelectorAll("tbody tr")) {
        const label = squash(tr.querySelector("th")?.textContent ?? "");
        tr.querySelectorAll("td").forEach((td, i) => {
          const v = squash(td.textContent);
          const s = series.length > 1 ? (series[i] ?? "") : "";
          // a blank prior is no statement; a blank current states no money
          if (v === "" && s !== "" && s !== `${m.year}年`) return;
          if (printedFen(v) !== null) marks.push({ label, series: s, value: v === "" ? "0.00" : v });
        });
      }
    }
    count(counts, "html", "chart", chartStatements(m, number, caption, marks, "html", out, unnamed));
  }
  for (const perf of root.querySelectorAll(".perf-project")) {
    // the header's value cells name what they show (data-field: project, amount, …)
    const field = (name: string) => squash(perf.querySelector(`table.perf-facts td[data-field="${name}"]`)?.textContent ?? "");
    count(counts, "html", "performance", perfStatement(field("project"), field("amount"), "html", out));
  }
  const body = parseHtml(html);
  for (const x of body.querySelectorAll("figure, table, .sheet, nav, style, script")) x.remove();
  count(
    counts,
    "html",
    "narrative",
    narrativeStatements(
      m,
      body
        .querySelectorAll("h2, h3, h4, h5, p, li")
        .map((e) => e.textContent)
        .join("\n"),
      "html",
      out,
    ),
  );
}

/**
 * The printed labels of a project's performance header (the template's `performance_tables` header): of its name, of
 * its 年度预算总额, and of the fields printed beside others.
 */
function perfLabels(m: Model): { project: string; amount: string; beside: string[] } {
  const header = m.template.performance_tables.find((p) => p.source === "projects")?.header ?? [];
  const leaf = (value: string) => squash(header.find((f) => f.value === value)?.label.at(-1) ?? "");
  return { project: leaf("project"), amount: leaf("amount"), beside: header.filter((f) => f.beside).map((f) => squash(f.label.at(-1) ?? "")) };
}

function perfStatement(name: string | undefined, amount: string | undefined, format: Format, out: Statement[]): number {
  if (!name || amount === undefined) return 0;
  const fen = printedFen(amount);
  if (fen === null) return 0;
  out.push({
    key: filterKey(MATCH_ALL, `project:${name}`),
    name: `${name}（项目）`,
    year: "current",
    printed: amount,
    lo: fen - HALF,
    hi: fen + HALF,
    format,
    source: "performance",
    place: `项目支出绩效目标表 ${name} × 年度预算总额`,
  });
  return 1;
}

function readDocx(m: Model, buf: Buffer, out: Statement[], counts: Record<string, number>) {
  const doc = unzip(buf).get("word/document.xml");
  if (!doc) throw new Error("disclosure.docx has no word/document.xml");
  const blocks = wordBody(doc.toString("utf8"), "Figure");
  const paragraphs: string[] = [];
  let lastNumber = "";
  for (const b of blocks) {
    if (b.kind === "p") {
      paragraphs.push(b.text);
      if (/^表\d+$/.test(squash(b.text))) lastNumber = squash(b.text);
      continue;
    }
    const labels = perfLabels(m);
    if (lastNumber === "" && b.grid.some((r) => r.some((x) => squash(x) === labels.project))) {
      // a project's header grid: a value is the first text after its label on the label's row
      const field = (name: string) => {
        const row = b.grid.find((r) => r.some((x) => squash(x) === name));
        return row?.slice(row.findIndex((x) => squash(x) === name) + 1).find((x) => x.trim() !== "");
      };
      count(counts, "docx", "performance", perfStatement(field(labels.project)?.trim(), field(labels.amount)?.trim(), "docx", out));
      continue;
    }
    const t = m.template.tables.find((x) => x.number === lastNumber);
    if (!t) continue;
    lastNumber = "";
    count(
      counts,
      "docx",
      "table",
      tableStatements(
        m,
        t.id,
        b.grid.filter((_, i) => !b.headerRows[i]),
        "docx",
        out,
      ),
    );
  }
  count(counts, "docx", "narrative", narrativeStatements(m, paragraphs.join("\n"), "docx", out));
}

async function readXlsx(m: Model, path: string, out: Statement[], counts: Record<string, number>) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const text = (v: ExcelJS.CellValue): string => {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return v.toFixed(2);
    if (typeof v === "object" && "result" in v) return text(v.result as ExcelJS.CellValue);
    if (typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
    return String(v);
  };
  for (const ws of wb.worksheets) {
    const t = m.template.tables.find((x) => ws.name === `${x.number} ${x.title}`);
    if (!t) continue;
    const grid: string[][] = [];
    ws.eachRow((row) => {
      const vals = row.values as ExcelJS.CellValue[];
      grid.push(vals.slice(1).map(text));
    });
    const width = printedSides(m.template, t).reduce((n, s) => n + s.columns.length, 0);
    count(
      counts,
      "xlsx",
      "table",
      tableStatements(
        m,
        t.id,
        grid.map((r) => [...r, ...Array<string>(Math.max(0, width - r.length)).fill("")].slice(0, width)),
        "xlsx",
        out,
      ),
    );
  }
  // 说明中的数字: each number of the narrative with its words around it and its source
  const ws = wb.worksheets.find((w) => w.name === "说明中的数字");
  if (!ws) return;
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).map((v) => text(v));
  const col = (name: string) => header.indexOf(name);
  const [cSection, cBefore, cValue, cAfter, cSource] = ["章节", "前文", "数值", "后文", "来源"].map(col) as [number, number, number, number, number];
  const bySection = new Map<string, { id: string; fen: number; printed: string; after: string }>();
  let n = 0;
  ws.eachRow((row, r) => {
    if (r === 1) return;
    const v = row.values as ExcelJS.CellValue[];
    const source = text(v[cSource] ?? null);
    const section = squash(text(v[cSection] ?? null))
      .split("/")
      .pop()!;
    const value = text(v[cValue] ?? null);
    const before = squash(text(v[cBefore] ?? null));
    const after = squash(text(v[cAfter] ?? null));
    const fig = /^figure:(.+)$/.exec(source);
    if (fig) {
      const f = m.figures.get(fig[1]!);
      const fen = printedFen(value);
      if (!f || fen === null) return;
      out.push({
        key: f.key,
        name: f.name,
        year: "current",
        printed: value,
        lo: fen - HALF,
        hi: fen + HALF,
        format: "xlsx",
        source: "narrative",
        place: section,
      });
      n++;
      bySection.set(`${section}\u0000${fig[1]}`, {
        id: fig[1]!,
        fen,
        printed: value,
        after,
      });
      const words = m.narrative.words.change;
      if (after.replace(/^万元，(占[\d.]+%，)?/, "").startsWith(squash(words.flat))) {
        out.push({
          key: f.key,
          name: f.name,
          year: "prior",
          printed: `${value}（持平）`,
          lo: fen - 2 * HALF,
          hi: fen + 2 * HALF,
          format: "xlsx",
          source: "narrative",
          place: section,
        });
        n++;
      }
      return;
    }
    const ch = /^change:(.+)$/.exec(source);
    if (ch) {
      const cur = bySection.get(`${section}\u0000${ch[1]}`);
      const f = m.figures.get(ch[1]!);
      const x = printedFen(value);
      if (!cur || !f || x === null) return;
      const dir = before.endsWith("增加") ? 1 : before.endsWith("减少") ? -1 : before.endsWith("新增") ? 0 : null;
      if (dir === null) return;
      const p = dir === 0 ? 0 : cur.fen - dir * x;
      const tol = dir === 0 ? HALF : 2 * HALF;
      out.push({
        key: f.key,
        name: f.name,
        year: "prior",
        printed: dir === 0 ? "0.00（新增）" : `${cur.printed} ${dir > 0 ? "−" : "+"} ${value}`,
        lo: p - tol,
        hi: p + tol,
        format: "xlsx",
        source: "narrative",
        place: section,
      });
      n++;
    }
  });
  count(counts, "xlsx", "narrative", n);
}

interface PdfWord {
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
  readonly page: number;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** Lines of words (same baseline) per page, top to bottom. */
function pdfLines(xhtml: string): PdfWord[][] {
  const lines: PdfWord[][] = [];
  let page = 0;
  for (const pm of xhtml.matchAll(/<page [^>]*>([\s\S]*?)<\/page>/g)) {
    page++;
    const words = [...pm[1]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: unescapeXml(w[5]!),
      page,
    }));
    words.sort((a, b) => a.yMax - b.yMax || a.xMin - b.xMin);
    const pageLines: PdfWord[][] = [];
    for (const w of words) {
      const last = pageLines[pageLines.length - 1];
      if (last && Math.abs(last[0]!.yMax - w.yMax) < 1.5) last.push(w);
      else pageLines.push([w]);
    }
    for (const l of pageLines) l.sort((a, b) => a.xMin - b.xMin);
    lines.push(...pageLines);
  }
  return lines;
}

const lineText = (l: readonly PdfWord[]) => l.map((w) => w.text).join("");
const isRunning = (s: string) => /^第\d+页共\d+页$/.test(s) || s.startsWith("编制部门：");

/**
 * The tables of the PDF: from a table's title line (表N and its title, no page number after it) to the next title,
 * page by page. On a page, the amounts are right-aligned in their columns, so their right edges cluster into the
 * printed amount columns; a page is read only when there are as many clusters as the table prints amount columns
 * (else a column is empty on it, and which is which cannot be told). A row is a line with an amount: its codes and
 * name left of the amounts (per side for 表1 and 表4), an amount column without a number on it blank.
 */
function pdfTables(m: Model, lines: readonly PdfWord[][], texts: readonly string[], out: Statement[]): number {
  const titles = new Map(m.template.tables.map((t) => [squash(`${t.number}${t.title}`), t]));
  const stops = new Set(m.template.performance_tables.map((p) => squash(p.title)));
  let found = 0;
  let table: TemplateData["tables"][number] | null = null;
  const pages = new Map<number, PdfWord[][]>();
  const flush = () => {
    if (table) for (const page of pages.values()) found += pdfTablePage(m, table, page, out);
    pages.clear();
  };
  lines.forEach((line, i) => {
    const t = texts[i]!;
    const title = /^表\d+$/.test(line[0]!.text) && line.length === 2 ? titles.get(t) : undefined;
    if (title || stops.has(t) || /^第[一二三四五六七八九十]+部分/.test(t)) {
      flush();
      table = title ?? null;
      return;
    }
    if (!table || isRunning(t)) return;
    const l = pages.get(line[0]!.page) ?? [];
    l.push(line);
    pages.set(line[0]!.page, l);
  });
  flush();
  return found;
}

function pdfTablePage(m: Model, table: TemplateData["tables"][number], lines: readonly PdfWord[][], out: Statement[]): number {
  const sides = printedSides(m.template, table);
  const amountCols = sides.map((s) => s.columns.filter((c) => c.role === "amount").length);
  const numbers = lines.flat().filter((w) => AMOUNT_WORD.test(w.text));
  const edges: number[] = [];
  for (const x of numbers.map((w) => w.xMax).sort((a, b) => a - b)) if (!edges.length || x - edges[edges.length - 1]! > 3) edges.push(x);
  if (edges.length !== amountCols.reduce((a, b) => a + b, 0)) return 0;
  const column = (w: PdfWord) => edges.findIndex((e) => Math.abs(e - w.xMax) <= 3);
  // where each side's words begin: after the previous side's last amount column
  const sideStart = sides.map((_, k) => (k === 0 ? -Infinity : edges[amountCols.slice(0, k).reduce((a, b) => a + b, 0) - 1]!));
  const grid: string[][] = [];
  for (const line of lines) {
    const amounts = line.filter((w) => AMOUNT_WORD.test(w.text));
    if (!amounts.length) continue;
    const row: string[] = [];
    let firstCol = 0;
    sides.forEach((side, k) => {
      const end = k + 1 < sides.length ? sideStart[k + 1]! : Infinity;
      const words = line.filter((w) => w.xMin > sideStart[k]! && w.xMin < end);
      const labels = words.filter((w) => !AMOUNT_WORD.test(w.text));
      const codes: string[] = [];
      while (labels.length && /^\d{2,3}$/.test(labels[0]!.text) && codes.length < 3) codes.push(labels.shift()!.text);
      const cells = side.columns.map((c) => (c.role === "name" ? labels.map((w) => w.text).join("") : c.role.startsWith("code") ? (codes.shift() ?? "") : ""));
      const amountIdx = side.columns.map((c, i) => (c.role === "amount" ? i : -1)).filter((i) => i >= 0);
      for (const w of words.filter((x) => AMOUNT_WORD.test(x.text))) {
        const col = column(w) - firstCol;
        if (col >= 0 && col < amountIdx.length) cells[amountIdx[col]!] = w.text;
      }
      firstCol += amountIdx.length;
      row.push(...cells);
    });
    grid.push(row);
  }
  return tableStatements(m, table.id, grid, "pdf", out);
}

function readPdf(m: Model, xhtml: string, out: Statement[], unnamed: Unnamed[], counts: Record<string, number>) {
  const lines = pdfLines(xhtml);
  const texts = lines.map(lineText);
  count(counts, "pdf", "narrative", narrativeStatements(m, texts.filter((t) => !isRunning(t)).join("\n"), "pdf", out));
  count(counts, "pdf", "table", pdfTables(m, lines, texts, out));
  // charts: the words between a chart's caption and the next line of prose
  for (let i = 0; i < lines.length; i++) {
    const t = texts[i]!;
    const first = lines[i]![0]!;
    if (!/^图\d+$/.test(first.text) || lines[i]!.length < 2) continue;
    const chart = chartOf(m, t);
    const region: PdfWord[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const s = texts[j]!;
      const prose = /[。，；：]/.test(s) || /^图\d+/.test(s) || s.length > 40 || /^[一二三四五六七八九十]+、/.test(s) || /^（[一二三四五六七八九十]+）/.test(s);
      if (lines[j]![0]!.page !== lines[i]![0]!.page || prose) break;
      if (!isRunning(s)) region.push(...lines[j]!); // the page's footer is no label
    }
    count(counts, "pdf", "chart", chartStatements(m, lines[i]![0]!.text, t, pdfChartMarks(chart?.kind ?? "pie", region, m.year), "pdf", out, unnamed));
    i = j - 1;
  }
  // performance tables: the lines of a project's name (up to the field beside it) and of its 年度预算总额
  const labels = perfLabels(m);
  let project: string | undefined;
  for (const t of texts) {
    if (t.startsWith(labels.project) && !t.includes("一级指标")) {
      const rest = t.slice(labels.project.length);
      const beside = labels.beside.map((l) => rest.indexOf(l)).filter((k) => k >= 0);
      project = beside.length ? rest.slice(0, Math.min(...beside)) : rest;
    }
    const a = new RegExp(`${labels.amount}(\\d[\\d,]*\\.\\d+)`).exec(t);
    if (a && project) {
      count(counts, "pdf", "performance", perfStatement(project, a[1], "pdf", out));
      project = undefined;
    }
  }
}

/** A chart's marks from positioned words: each number belongs to the nearest category label (by y for horizontal bars, by x for columns, by distance for a pie); two numbers of one category are the legend's series in order. */
function pdfChartMarks(kind: string, words: readonly PdfWord[], year: number): ChartMark[] {
  const legend = words.filter((w) => /^\d{4}年$/.test(w.text)).sort((a, b) => a.xMin - b.xMin);
  const numbers = words.filter((w) => /^-?\d[\d,]*\.\d{2}$/.test(w.text));
  // a label wrapped over lines: words under one another (their x ranges overlap), a line apart, joined
  const labels: PdfWord[] = [];
  for (const w of words.filter((x) => !legend.includes(x) && !numbers.includes(x) && !x.text.startsWith("注")).sort((a, b) => a.yMin - b.yMin)) {
    const h = w.yMax - w.yMin;
    const k = labels.findIndex((l) => {
      const dy = w.yMin - (l.yMax - h); // from the top of the label's last line
      return dy > 0.3 * h && dy < 1.2 * h && w.xMin < l.xMax && l.xMin < w.xMax;
    });
    if (k < 0) labels.push(w);
    else {
      const l = labels[k]!;
      labels[k] = {
        text: l.text + w.text,
        xMin: Math.min(l.xMin, w.xMin),
        xMax: Math.max(l.xMax, w.xMax),
        yMin: l.yMin,
        yMax: w.yMax,
        page: l.page,
      };
    }
  }
  const cx = (w: PdfWord) => (w.xMin + w.xMax) / 2;
  const cy = (w: PdfWord) => (w.yMin + w.yMax) / 2;
  const dist = (a: PdfWord, b: PdfWord) =>
    kind === "hbar" ? Math.abs(cy(a) - cy(b)) : kind === "bar" ? Math.abs(cx(a) - cx(b)) : Math.hypot(cx(a) - cx(b), cy(a) - cy(b));
  const byLabel = new Map<PdfWord, PdfWord[]>();
  for (const n of numbers) {
    const best = labels.reduce<PdfWord | null>((b, l) => (b === null || dist(n, l) < dist(n, b) ? l : b), null);
    if (!best) continue;
    const l = byLabel.get(best) ?? [];
    l.push(n);
    byLabel.set(best, l);
  }
  const out: ChartMark[] = [];
  for (const [label, ns] of byLabel) {
    // with two series, a number's side of its label says which: above / left is the first, below / right the second
    // (a category may show one bar only)
    const second = (n: PdfWord) => (kind === "hbar" ? cy(n) > cy(label) : cx(n) > cx(label));
    const series = legend.length > 1 ? legend.map((l) => l.text) : [`${year}年`, `${year - 1}年`];
    for (const n of ns)
      out.push({
        label: label.text,
        series: legend.length > 1 || ns.length > 1 ? series[second(n) ? 1 : 0]! : "",
        value: n.text,
      });
  }
  return out;
}

function readJson(m: Model, out: Statement[], counts: Record<string, number>) {
  let n = 0;
  for (const [id, f] of Object.entries(m.json.figures)) {
    const info = m.figures.get(id);
    if (!info) continue;
    for (const [year, v] of [
      ["current", f.current],
      ["prior", f.prior],
    ] as const) {
      if (v === null) continue;
      const fen = yuanFen(v);
      out.push({
        key: info.key,
        name: info.name,
        year,
        printed: `${v} 元`,
        lo: fen,
        hi: fen,
        format: "json",
        source: "data",
        place: `figures["${id}"].${year}`,
      });
      n++;
    }
  }
  const gpbProject = m.figures.get("exp.gpb.project");
  for (const p of m.json.projects) {
    const fen = yuanFen(p.amount);
    out.push({
      key: filterKey(MATCH_ALL, `project:${p.name}`),
      name: `${p.name}（项目）`,
      year: "current",
      printed: `${p.amount} 元`,
      lo: fen,
      hi: fen,
      format: "json",
      source: "data",
      place: `projects[${p.name}].amount`,
    });
    if (gpbProject) {
      const g = yuanFen(p.general_public_budget);
      out.push({
        key: filterKey(gpbProject.filter, `project:${p.name}`),
        name: `${p.name}（一般公共预算项目支出）`,
        year: "current",
        printed: `${p.general_public_budget} 元`,
        lo: g,
        hi: g,
        format: "json",
        source: "data",
        place: `projects[${p.name}].general_public_budget`,
      });
    }
    n += 2;
  }
  const co = m.figures.get("carryover.total");
  if (co)
    memberNames(m.json.carryover.map((c) => c.name)).forEach((c, i) => {
      const fen = yuanFen(m.json.carryover[i]!.amount);
      out.push({
        key: filterKey(co.filter, `carryover:${c.member}`),
        name: `${c.member}（上年结转结余）`,
        year: "current",
        printed: `${m.json.carryover[i]!.amount} 元`,
        lo: fen,
        hi: fen,
        format: "json",
        source: "data",
        place: `carryover[${i}]`,
      });
      n++;
    });
  count(counts, "json", "data", n);
}

// ---------------------------------------------------------------------------------------------------------------
// Building and collecting


/** `gongkai build <budget> --out <dir>` as a subprocess (asynchronous, so that builds can run side by side). */
export function buildAsync(budget: string, out: string, timeoutMs = 120_000): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, cliArgs(["build", budget, "--out", out]), {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

export const HAVE_PDFTOTEXT = spawnSync("pdftotext", ["-v"]).error === undefined;

/** Every statement of every output in `outDir` (the PDF only when pdftotext is there). */
export async function collect(outDir: string): Promise<Collected & { model: Model }> {
  const m = readModel(outDir);
  const statements: Statement[] = [];
  const unnamed: Unnamed[] = [];
  const bound: Bound[] = [];
  const stray: string[] = [];
  const counts: Record<string, number> = {};
  readJson(m, statements, counts);
  readHtml(m, readFileSync(join(outDir, "index.html"), "utf8"), statements, unnamed, bound, stray, counts);
  readDocx(m, readFileSync(join(outDir, "disclosure.docx")), statements, counts);
  readCsvTables(m, outDir, statements, counts);
  await readXlsx(m, join(outDir, "disclosure.xlsx"), statements, counts);
  const pdf = join(outDir, "disclosure.pdf");
  if (HAVE_PDFTOTEXT && existsSync(pdf)) {
    const r = spawnSync("pdftotext", ["-bbox-layout", pdf, "-"], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
    readPdf(m, r.stdout, statements, unnamed, counts);
  }
  statements.push(...derivedSums(m, statements));
  return { statements, unnamed, bound, stray, counts, model: m };
}

// ---------------------------------------------------------------------------------------------------------------
// Disagreements

export interface Disagreement {
  readonly figure: string;
  readonly year: Year;
  readonly a: { printed: string; places: string[] };
  readonly b: { printed: string; places: string[] };
}

const where = (s: Statement) => `${s.format} ${s.place}`;

/** Pairs of statements of one figure and year whose intervals do not meet, statements of equal value grouped. */
export function disagreements(m: Model, statements: readonly Statement[]): Disagreement[] {
  const names = new Map<string, string>();
  for (const f of m.figures.values()) if (!names.has(f.key)) names.set(f.key, f.name);
  const groups = new Map<string, Statement[]>();
  for (const s of statements) {
    const k = `${s.key}\u0000${s.year}`;
    const l = groups.get(k) ?? [];
    l.push(s);
    groups.set(k, l);
  }
  const out: Disagreement[] = [];
  const meet = (a: Statement, b: Statement) => a.lo <= b.hi && b.lo <= a.hi;
  for (const list of groups.values()) {
    // statements of one printed value (to the 0.01 万元) together; two groups disagree when no two of their statements meet
    const clusters = new Map<number, Statement[]>();
    for (const s of list) {
      const k = Math.round((s.lo + s.hi) / 2 / 10_000);
      const c = clusters.get(k) ?? [];
      c.push(s);
      clusters.set(k, c);
    }
    const cs = [...clusters.values()];
    const show = (c: Statement[]) => {
      const ps = [...new Set(c.map(where))];
      return ps.length > 6 ? [...ps.slice(0, 6), `… ${ps.length - 6} more`] : ps;
    };
    for (let i = 0; i < cs.length; i++)
      for (let j = i + 1; j < cs.length; j++) {
        if (cs[i]!.some((a) => cs[j]!.some((b) => meet(a, b)))) continue;
        // shown by a printed statement where there is one (disclosure.json's exact amounts are less readable)
        const a = cs[i]!.find((x) => x.format !== "json") ?? cs[i]![0]!;
        const b = cs[j]!.find((x) => x.format !== "json") ?? cs[j]![0]!;
        out.push({
          figure: names.get(a.key) ?? a.name,
          year: a.year,
          a: { printed: a.printed, places: show(cs[i]!) },
          b: { printed: b.printed, places: show(cs[j]!) },
        });
      }
  }
  return out;
}

export function formatDisagreement(d: Disagreement): string {
  return `${d.figure}（${d.year === "current" ? "本年" : "上年"}）: ${d.a.printed} [${d.a.places.join("; ")}] ≠ ${d.b.printed} [${d.b.places.join("; ")}]`;
}
