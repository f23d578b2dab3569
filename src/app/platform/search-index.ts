/**
 * The public search's use cases: what of a published version is searchable (computed from the disclosure.json it
 * publishes — public names only: a classified project there is its public label, and the budget's YAML is never
 * read), the one-time indexing of versions published before search existed, and a search.
 *
 * Searchable, per version: the department (amount: 支出总计 `exp.all.total`), its units (no amount of their own in the
 * disclosure), its projects (their amount; a classified project by its public label, without its code), the function
 * codes of the general public budget (`func.<项>` and `class.<类>`, 表5; a 类 with no general public budget by its
 * `class_all.<类>`, 表3) and the economic codes of its basic expenditure (`econ_personnel.<款>`, `econ_operating.<款>`,
 * 表6). A code line whose current amount is zero is left out, as the tables leave it out.
 */
import { z } from "zod";
import { parseYuan, type Fen } from "../../domain/money.ts";
import { codeTokens, indexTokens, queryTerms, tokenText, type SearchTerm } from "../../domain/search-terms.ts";
import type { PlatformStore, SearchEntry, SearchGroup, SearchKind } from "./platform-store.ts";

/** The longest query, in characters. */
export const MAX_QUERY_CHARS = 100;
/** Hits shown per kind (the total is counted in full). */
export const SEARCH_LIMIT_PER_KIND = 50;
/** The meta key recording that the versions published before search existed were indexed. */
export const SEARCH_BACKFILL_META_KEY = "search.backfill";

const yuan = z.string().max(40);
const disclosureSchema = z.object({
  department: z.object({ name: z.string(), code: z.string(), year: z.number().int() }),
  units: z.array(z.object({ code: z.string(), name: z.string() })),
  projects: z.array(z.object({ code: z.string(), name: z.string(), classified: z.boolean(), amount: yuan })),
  figures: z.record(z.string(), z.object({ name: z.string(), current: yuan.nullable() })),
});

const FAMILIES: Readonly<Record<string, "function" | "economic">> = {
  func: "function",
  class: "function",
  class_all: "function",
  econ_personnel: "economic",
  econ_operating: "economic",
};

export type EntriesResult = { ok: true; entries: SearchEntry[] } | { ok: false; reason: string };

function fen(text: string, what: string): Fen {
  const r = parseYuan(text);
  if (!r.ok) throw new Error(`${what}: ${r.problem} (${text})`);
  return r.fen;
}

function entry(kind: SearchKind, code: string, name: string, figure: string | null, amountFen: Fen | null, codeKind: "function" | "economic" | "other" | null): SearchEntry {
  return { kind, code, name, figure, amountFen, tokens: tokenText([...indexTokens(name), ...(codeKind === null ? [] : codeTokens(codeKind, code))]) };
}

/** The search entries of a published version, from its disclosure.json (the bytes as stored). */
export function searchEntriesOf(disclosureJson: Uint8Array | string): EntriesResult {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof disclosureJson === "string" ? disclosureJson : new TextDecoder("utf-8", { fatal: true }).decode(disclosureJson));
  } catch (e) {
    return { ok: false, reason: `disclosure.json is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = disclosureSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `disclosure.json: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
  const d = parsed.data;
  try {
    const total = d.figures["exp.all.total"]?.current;
    const out: SearchEntry[] = [entry("department", d.department.code, d.department.name, total == null ? null : "exp.all.total", total == null ? null : fen(total, "exp.all.total"), "other")];
    for (const u of d.units) out.push(entry("unit", u.code, u.name, null, null, "other"));
    // a classified project is its public label alone: its code is never indexed (nor, in disclosure.json, its name)
    for (const p of d.projects) out.push(p.classified ? entry("project", "", p.name, null, fen(p.amount, "project"), null) : entry("project", p.code, p.name, null, fen(p.amount, `project ${p.code}`), "other"));
    const lines: { kind: "function" | "economic"; code: string; e: SearchEntry }[] = [];
    for (const [id, f] of Object.entries(d.figures)) {
      const dot = id.indexOf(".");
      const family = id.slice(0, dot);
      const code = id.slice(dot + 1);
      const kind = FAMILIES[family];
      if (dot < 0 || !kind || !/^\d{3,7}$/.test(code) || f.current === null) continue;
      if (family === "class_all" && d.figures[`class.${code}`] !== undefined) continue;
      const amount = fen(f.current, id);
      if (amount === 0n) continue;
      lines.push({ kind, code, e: entry(kind, code, f.name, id, amount, kind) });
    }
    lines.sort((a, b) => (a.kind === b.kind ? (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) : a.kind === "function" ? -1 : 1));
    out.push(...lines.map((l) => l.e));
    return { ok: true, entries: out };
  } catch (e) {
    return { ok: false, reason: `disclosure.json: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Indexes, once, every current version without search entries (published before search existed), from its stored
 * disclosure.json; records it under SEARCH_BACKFILL_META_KEY. A version whose file cannot be read is reported and
 * left (the others are indexed); a start after an interrupted run continues where it stopped.
 */
export async function backfillSearchIndex(store: PlatformStore, log: (msg: string) => void = () => {}): Promise<{ indexed: number; failed: number; skipped: boolean }> {
  if ((await store.getMeta(SEARCH_BACKFILL_META_KEY)) !== null) return { indexed: 0, failed: 0, skipped: true };
  let indexed = 0;
  let failed = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await store.listUnindexedVersions(after, 100);
    if (batch.length === 0) break;
    for (const v of batch) {
      after = v.id;
      const file = await store.readVersionFile(v.id, "disclosure.json");
      const r = file ? searchEntriesOf(file.bytes) : ({ ok: false, reason: "no disclosure.json" } as const);
      if (!r.ok) {
        failed++;
        log(`search index: version ${v.id} (budget ${v.budgetId}, v${v.number}) not indexed: ${r.reason}`);
        continue;
      }
      if (await store.indexVersion(v.id, r.entries)) indexed++;
    }
  }
  await store.setMeta(SEARCH_BACKFILL_META_KEY, JSON.stringify({ indexed, failed }));
  if (indexed > 0 || failed > 0) log(`search index: ${indexed} published version(s) indexed${failed > 0 ? `, ${failed} failed` : ""}`);
  return { indexed, failed, skipped: false };
}

export interface SearchRequest {
  readonly q: string;
  /** 6 digits: the region and every region under it */
  readonly regionCode?: string;
  readonly year?: number;
  readonly limitPerKind?: number;
}

export interface SearchOutcome {
  /** the query as searched (trimmed) */
  readonly q: string;
  readonly terms: readonly SearchTerm[];
  readonly groups: readonly SearchGroup[];
  /** the number of hits of every kind */
  readonly total: number;
}

/** Searches the current published versions; a query without a searchable character finds nothing. */
export async function searchPublished(store: PlatformStore, p: SearchRequest): Promise<SearchOutcome> {
  const q = p.q.trim();
  if ([...q].length > MAX_QUERY_CHARS) throw new Error(`searchPublished: the query is over ${MAX_QUERY_CHARS} characters (the route refuses it)`);
  const terms = queryTerms(q);
  const filter = { ...(p.regionCode !== undefined ? { regionCode: p.regionCode } : {}), ...(p.year !== undefined ? { year: p.year } : {}) };
  const groups = await store.search(terms, filter, p.limitPerKind ?? SEARCH_LIMIT_PER_KIND);
  return { q, terms, groups, total: groups.reduce((n, g) => n + g.total, 0) };
}
