/**
 * What `--prior` and `--crosswalk` name, read as hostile input: last year's disclosure.json (its figures), and a
 * crosswalk of codes renamed between two years (CSV: kind,from,to[,note]). Last year's budget file itself is read
 * by the budget readers, like this year's.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { extname } from "node:path";
import { z } from "zod";
import type { LastYearSource } from "../../app/last-year.ts";
import { parseCsv } from "../../domain/csv-format.ts";
import { inputError, type InputProblem } from "../../domain/input-problem.ts";
import type { Crosswalk } from "../../domain/last-year.ts";
import { parseYuan } from "../../domain/money.ts";
import { readBoundedFile } from "./bounded-file.ts";
import { readBudgetInput } from "./budget-input.ts";

export const MAX_DISCLOSURE_JSON_BYTES = 50 * 1024 * 1024;
export const MAX_CROSSWALK_BYTES = 1024 * 1024;

/** Whether a file's first bytes are those of a JSON object (after a BOM and white space). */
export function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b;
}

const yuanString = z.string().regex(/^\d{1,16}\.\d{2}$/);
const disclosureFigures = z.object({
  format: z.literal("gongkai/disclosure@1"),
  department: z.object({ code: z.string(), name: z.string(), year: z.number().int(), template: z.string() }).passthrough(),
  scope: z.object({ kind: z.literal("department") }).passthrough(),
  figures: z.record(z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/), z.object({ current: yuanString }).passthrough()),
});

export interface DisclosureFigures {
  readonly figures: Map<string, bigint>;
  readonly year: number;
  readonly department: { readonly code: string; readonly name: string };
  readonly template: string;
}

/** The figures of a disclosure.json that Gongkai wrote for a whole department. */
export function parseDisclosureFigures(bytes: Uint8Array, file: string): { ok: true; value: DisclosureFigures } | { ok: false; problems: InputProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    return { ok: false, problems: [inputError("prior.bad_disclosure", file, {}, { reason: e instanceof Error ? e.message : String(e) })] };
  }
  const r = disclosureFigures.safeParse(raw);
  if (!r.success)
    return {
      ok: false,
      problems: r.error.issues.slice(0, 20).map((i) => inputError("prior.bad_disclosure", file, { field: i.path.join(".") }, { reason: i.message })),
    };
  const figures = new Map<string, bigint>();
  for (const [id, f] of Object.entries(r.data.figures)) {
    const v = parseYuan(f.current);
    if (!v.ok) return { ok: false, problems: [inputError("prior.bad_disclosure", file, { field: `figures.${id}.current` }, { reason: f.current })] };
    figures.set(id, v.fen);
  }
  const d = r.data.department;
  return { ok: true, value: { figures, year: d.year, department: { code: d.code, name: d.name }, template: d.template } };
}

export async function readDisclosureFigures(path: string): Promise<{ ok: true; value: DisclosureFigures } | { ok: false; problems: InputProblem[] }> {
  const read = await readBoundedFile(path, MAX_DISCLOSURE_JSON_BYTES, "50 MB");
  return read.ok ? parseDisclosureFigures(read.bytes, path) : read;
}

const CODE = { func: /^\d{3}(\d{2}){0,2}$/, econ: /^\d{3}(\d{2})?$/ } as const;

/**
 * A crosswalk: one row per code (or 类 / 款 prefix) renamed, `kind` func or econ, `from` last year's code, `to` this
 * year's, of the same length. A code may be renamed once; problems name the line.
 */
export function parseCrosswalk(text: string, file: string): { ok: true; crosswalk: Crosswalk } | { ok: false; problems: InputProblem[] } {
  const rows = parseCsv(text.replace(/^\uFEFF/, ""));
  const header = (rows[0] ?? []).map((h) => h.trim());
  const col = (name: string) => header.indexOf(name);
  const problems: InputProblem[] = [];
  if (col("kind") < 0 || col("from") < 0 || col("to") < 0)
    return { ok: false, problems: [inputError("crosswalk.bad_header", file, { line: 1 }, { header: header.join(",") })] };
  const maps = { func: new Map<string, string>(), econ: new Map<string, string>() };
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((c) => c.trim() === "")) return;
    const kind = (row[col("kind")] ?? "").trim();
    const from = (row[col("from")] ?? "").trim();
    const to = (row[col("to")] ?? "").trim();
    if (kind !== "func" && kind !== "econ") return void problems.push(inputError("crosswalk.bad_kind", file, { line, field: "kind" }, { value: kind }));
    if (!CODE[kind].test(from) || !CODE[kind].test(to) || from.length !== to.length)
      return void problems.push(inputError("crosswalk.bad_code", file, { line, field: "from/to" }, { from, to }));
    if (maps[kind].has(from)) return void problems.push(inputError("crosswalk.duplicate", file, { line, field: "from" }, { from }));
    maps[kind].set(from, to);
  });
  return problems.length ? { ok: false, problems } : { ok: true, crosswalk: maps };
}

export async function readCrosswalkFile(path: string): Promise<{ ok: true; crosswalk: Crosswalk } | { ok: false; problems: InputProblem[] }> {
  const read = await readBoundedFile(path, MAX_CROSSWALK_BYTES, "1 MB");
  if (!read.ok) return read;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return { ok: false, problems: [inputError("input.bad_utf8", path)] };
  }
  return parseCrosswalk(text, path);
}

/**
 * What `--prior` names: last year's disclosure.json (by its extension, or a file that starts as a JSON object), or
 * last year's budget in any form `build` reads (YAML, a folder holding budget.yaml, an input workbook).
 */
export async function readLastYearInput(path: string): Promise<{ ok: true; source: LastYearSource } | { ok: false; problems: InputProblem[] }> {
  let json = extname(path).toLowerCase() === ".json";
  if (!json) {
    try {
      if (statSync(path).isFile()) {
        const fd = openSync(path, "r");
        try {
          const head = new Uint8Array(16);
          json = looksLikeJson(head.subarray(0, readSync(fd, head, 0, 16, 0)));
        } finally {
          closeSync(fd);
        }
      }
    } catch {
      // not there or not readable: the budget reader reports it, with the file name
    }
  }
  if (json) {
    const r = await readDisclosureFigures(path);
    if (!r.ok) return r;
    return { ok: true, source: { kind: "disclosure", file: path, figures: r.value.figures, year: r.value.year, template: r.value.template } };
  }
  const r = await readBudgetInput(path);
  if (!r.ok) return r;
  return { ok: true, source: { kind: "budget", file: r.file, budget: r.budget } };
}
