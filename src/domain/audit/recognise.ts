/**
 * What a published disclosure is (issue 14, point 2): its department, year, kind (预算 / 决算), level (部门 / 单位) and
 * template, read from its own words — the cover, the contents, the table titles — never from the PDF's metadata
 * (a published PDF's Title may be anything). And the tables its template and its own contents (目录) promise that it
 * does not print (AUD-MISSING-TABLE).
 */
import type { AuditFinding, DocumentKind, DocumentLevel, Recognised } from "./audit-report.ts";
import type { ClassTotalPlace } from "./repeated-figures.ts";
import type { ExtractedTable } from "./table-model.ts";
import { matchTitle, type TableTitleCatalog } from "./table-kinds.ts";

export interface AuditTemplate {
  readonly id: string;
  readonly name: string;
  readonly kind: DocumentKind;
  readonly buildTemplate: string | null;
  readonly cues: readonly string[];
  readonly tables: readonly string[];
}

export interface AuditTemplates {
  readonly minMatch: number;
  readonly templates: readonly AuditTemplate[];
  /** where tables print a function class's total, by fund scope (repeated-figures.ts) */
  readonly classTotals: readonly ClassTotalPlace[];
}

/** a line of the document as the recogniser reads it */
export interface PlainLine {
  readonly page: number;
  readonly text: string;
}

const squash = (s: string) => s.replace(/\s+/gu, "");
const COVER_PAGES = 2;
const TITLE = /((?:19|20)\d{2})年度?(?:区级|市级|省级|县级)?(部门|单位)(预算|决算)/u;
const OVERVIEW = /^第一部分(?:(?:19|20)\d{2}年度?)?(.+?)(?:部门|单位)?概况$/u;
const SUPERVISOR = /^(?:预算|决算)?主管部门[:：](.+)$/u;
/** how the name of a government body ends (机关, 事业单位, 街道, 乡镇) */
const BODY_END = /(局|委员会|委|办公室|办事处|法院|检察院|院|厅|部|署|中心|政府|街道|镇|乡|所|站|队|馆|校|学院|学校|医院|协会|联合会|会|社|处|室|团|台|园|馆|宫)$/u;

/** the department named by the document: 预算主管部门：X, or the cover's line before or in front of its title */
function department(lines: readonly PlainLine[]): string | null {
  const cover = lines.filter((l) => l.page <= COVER_PAGES).map((l) => ({ ...l, text: squash(l.text) }));
  for (const l of cover) {
    const m = SUPERVISOR.exec(l.text);
    if (m && BODY_END.test(m[1]!)) return m[1]!;
  }
  for (let i = 0; i < cover.length; i++) {
    const l = cover[i]!;
    const m = TITLE.exec(l.text);
    if (!m) continue;
    const before = l.text.slice(0, m.index);
    if (before && BODY_END.test(before)) return before;
    const prev = cover[i - 1];
    if (prev && prev.page === l.page && !/\d/u.test(prev.text) && BODY_END.test(prev.text)) return prev.text;
  }
  // the first part's heading: 第一部分 2024年昌吉回族自治州信访局部门概况
  for (const l of lines) {
    const m = OVERVIEW.exec(squash(l.text));
    if (m && BODY_END.test(m[1]!)) return m[1]!;
  }
  return null;
}

/** year, kind and level from the cover's title (2024年度部门决算, 2025年区级部门预算) */
function title(lines: readonly PlainLine[]): { year: number | null; kind: DocumentKind | null; level: DocumentLevel | null } {
  for (const l of lines.filter((x) => x.page <= COVER_PAGES)) {
    const m = TITLE.exec(squash(l.text));
    if (m) return { year: Number(m[1]), level: m[2] === "单位" ? "unit" : "department", kind: m[3] === "决算" ? "final_accounts" : "budget" };
  }
  return { year: null, kind: null, level: null };
}

/** the year and kind the table titles agree on, when the cover says nothing */
function fromTables(tables: readonly ExtractedTable[]): { year: number | null; kind: DocumentKind | null } {
  const years = new Map<number, number>();
  let budget = 0;
  let finals = 0;
  for (const t of tables) {
    const y = /((?:19|20)\d{2})年/u.exec(t.title);
    if (y) years.set(Number(y[1]), (years.get(Number(y[1])) ?? 0) + 1);
    if (t.title.includes("决算")) finals++;
    else if (t.title.includes("预算")) budget++;
  }
  const year = [...years].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { year, kind: finals > budget ? "final_accounts" : budget > 0 ? "budget" : null };
}

/** the position a table's own number gives it (表8, 公开08表 → 8), or null */
function numberOf(t: ExtractedTable): number | null {
  const m = /^(?:公开|附表|表)?(\d{1,2})表?$/u.exec(t.number ?? "");
  return m ? Number(m[1]) : null;
}

/**
 * The template whose tables the document prints best, or null. A template fits when the document prints at least
 * `minMatch` of its tables and at least `minMatch` of the document's tables are the template's — or when the tables
 * printed with a number (表8, 公开08表) stand at the template's positions for their kinds, which tells two templates of
 * similar tables apart even when some tables were not read. Among several: the most tables at their positions, the
 * best share, then the one whose cue words appear on the first pages.
 */
export function matchTemplate(kind: DocumentKind | null, tables: readonly ExtractedTable[], firstPages: string, data: AuditTemplates): AuditTemplate | null {
  const found = new Set(tables.flatMap((t) => (t.kind ? [t.kind] : [])));
  if (found.size === 0) return null;
  const numbered = tables.flatMap((t) => {
    const n = numberOf(t);
    return n !== null && t.kind ? [{ n, kind: t.kind }] : [];
  });
  const scored = data.templates
    .filter((t) => kind === null || t.kind === kind)
    .map((t) => {
      const has = t.tables.filter((k) => found.has(k)).length;
      const recall = has / t.tables.length;
      const precision = has / found.size;
      const placed = numbered.filter((x) => t.tables[x.n - 1] === x.kind).length;
      const positional = numbered.length >= 3 ? placed / numbered.length : 0;
      const cue = t.cues.some((c) => firstPages.includes(c)) ? 1 : 0;
      const fits = precision >= data.minMatch && (recall >= data.minMatch || positional >= 0.9);
      return { t, fits, positional, score: Math.min(recall, precision), cue };
    })
    .filter((s) => s.fits)
    .sort((a, b) => b.positional - a.positional || b.score - a.score || b.cue - a.cue);
  return scored[0]?.t ?? null;
}

export interface Recognition {
  readonly recognised: Recognised;
  readonly template: AuditTemplate | null;
  readonly findings: readonly AuditFinding[];
}

export function recognise(lines: readonly PlainLine[], tables: readonly ExtractedTable[], titles: TableTitleCatalog, data: AuditTemplates): Recognition {
  const t = title(lines);
  const f = fromTables(tables);
  const kind = t.kind ?? f.kind;
  const firstPages = lines
    .filter((l) => l.page <= COVER_PAGES)
    .map((l) => squash(l.text))
    .join("\n");
  const template = matchTemplate(kind, tables, firstPages, data);
  const recognised: Recognised = {
    department: department(lines),
    year: t.year ?? f.year,
    kind,
    level: t.level ?? (kind ? "department" : null),
    template: template?.id ?? null,
    tables: tables.map((x) => ({ title: x.title, page: x.page, unit: x.unit, kind: x.kind })),
  };
  return { recognised, template, findings: template ? missingTables(lines, tables, template, titles) : [] };
}

/**
 * A table of the template that is not printed, while the document's own contents (目录) list it: the contents promise
 * it, the template requires it. A table the contents do not list is not reported (the contents may name it otherwise).
 */
function missingTables(lines: readonly PlainLine[], tables: readonly ExtractedTable[], template: AuditTemplate, titles: TableTitleCatalog): AuditFinding[] {
  const printed = new Set(tables.flatMap((t) => (t.kind ? [t.kind] : [])));
  const missing = template.tables.filter((k) => !printed.has(k));
  if (missing.length === 0) return [];
  const contentsPages = new Set(lines.filter((l) => /^目录$/u.test(squash(l.text))).map((l) => l.page));
  const out: AuditFinding[] = [];
  for (const kind of missing) {
    const isKind = (l: PlainLine) => matchTitle(squash(l.text).replace(/[.…·]+\d*$/u, ""), titles)?.kind?.id === kind;
    const entry = lines.find((l) => contentsPages.has(l.page) && isKind(l));
    // a title of that kind printed anywhere else: the table is there, only not read (it is listed as not checked)
    if (!entry || lines.some((l) => !contentsPages.has(l.page) && isKind(l))) continue;
    const quote = squash(entry.text).replace(/[.…·]+\d*$/u, "");
    const name = titles.kinds.find((k) => k.id === kind);
    out.push({
      code: "AUD-MISSING-TABLE",
      severity: "error",
      page: entry.page,
      line: null,
      quote,
      expected: name?.zh ?? kind,
      found: null,
      reason: {
        zh: `目录列出「${quote}」，${template.name}也要求这张表，但全文没有印出这张表。`,
        en: `the contents list "${quote}" and the template (${template.id}) requires it, but the table is printed nowhere in the document.`,
      },
      related: [],
    });
  }
  return out;
}
