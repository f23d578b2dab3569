/**
 * The project's own data files: templates (data/templates/<id>.yaml) and catalogs (data/catalogs/<year>/),
 * and a user's official catalog that replaces ours. Loaded once per process and cached.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { catalogFromRows, type Catalog, type CatalogRow } from "../../domain/catalog-model.ts";
import { parseCsvRecords } from "../../domain/csv-format.ts";
import { compileTemplate, type CompiledTemplate } from "../../domain/table-engine.ts";
import { parseTemplate, type TemplateData } from "../../domain/template-model.ts";
import { ruleSetSchema, type RuleSet } from "../../domain/rule-engine.ts";
import { narrativeSpecSchema, type NarrativeSpec } from "../../domain/narrative-engine.ts";
import type { OptionFileRefusal, ProjectData } from "../../app/build-disclosure.ts";
import { isInputMessageCode } from "../../domain/input-messages.ts";
import { inputError, type InputProblem } from "../../domain/input-problem.ts";
import { ioReason, readBoundedFileSync } from "./bounded-file.ts";
import { checkYamlBytes } from "./yaml-budget-reader.ts";
import { EMPTY_CROSSWALK, type Crosswalk } from "../../domain/last-year.ts";
import { parseCrosswalk } from "./last-year-reader.ts";

export const DATA_DIR = fileURLToPath(new URL("../../../data/", import.meta.url));

const templates = new Map<string, CompiledTemplate>();

export function templateIds(): string[] {
  return readdirSync(join(DATA_DIR, "templates"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Reads and validates a template file; a broken template is our bug, so it throws. */
export function readTemplateFile(path: string): TemplateData {
  const r = parseTemplate(parseYaml(readFileSync(path, "utf8"), { maxAliasCount: 1000 }));
  if (!r.ok) throw new Error(`template ${path} is invalid:\n${r.problems.join("\n")}`);
  return r.template;
}

/** The compiled template with this id, or null when there is none. */
export function loadTemplate(id: string): CompiledTemplate | null {
  if (!/^[a-z0-9-]+$/.test(id)) return null;
  let ct = templates.get(id);
  if (ct) return ct;
  const path = join(DATA_DIR, "templates", `${id}.yaml`);
  if (!existsSync(path)) return null;
  ct = compileTemplate(readTemplateFile(path));
  templates.set(id, ct);
  return ct;
}

/** A template file named by `--template` is refused over this size before it is read (ours is about 32 KB). */
export const MAX_TEMPLATE_FILE_BYTES = 1024 * 1024;
const MAX_TEMPLATE_FILE_LABEL = "1 MB";
/** Each CSV file of a catalog named by `--catalog` (an official catalog's func.csv is a few hundred KB). */
export const MAX_CATALOG_FILE_BYTES = 4 * 1024 * 1024;
const MAX_CATALOG_FILE_LABEL = "4 MB";

/** An input problem of a file named by an option, as a refusal at that option (file: the path). */
function optionRefusal(option: string, p: InputProblem): OptionFileRefusal {
  const params: Record<string, string> = { option };
  for (const [k, v] of Object.entries(p.params ?? {})) params[k] = String(v);
  if (p.line !== undefined) params["line"] = String(p.line);
  if (p.column !== undefined) params["column"] = String(p.column);
  return { code: isInputMessageCode(p.code) ? p.code : "input.unreadable", file: p.file, field: option, params };
}

/**
 * A user's template file (`--template`): compiled, or why it cannot be used. It is input like a budget: a regular file,
 * at most 1 MB, with a budget's YAML limits (nesting, aliases, tags), before any YAML reader builds it.
 */
export function loadTemplateFile(path: string): { ok: true; template: CompiledTemplate } | { ok: false; problems: string[]; refusal?: OptionFileRefusal } {
  const refused = (p: InputProblem) => ({ ok: false as const, problems: [`${path}: ${p.code}`], refusal: optionRefusal("--template", p) });
  const read = readBoundedFileSync(path, MAX_TEMPLATE_FILE_BYTES, MAX_TEMPLATE_FILE_LABEL);
  if (!read.ok) return refused(read.problems[0]!);
  const checked = checkYamlBytes(read.bytes, path);
  if (!checked.ok) return refused(checked.problems[0]!);
  let raw: unknown;
  try {
    raw = parseYaml(checked.text, { maxAliasCount: 1000 });
  } catch (e) {
    return { ok: false, problems: [`${path}: ${(e as Error).message.split("\n")[0]}`] };
  }
  const r = parseTemplate(raw);
  if (!r.ok) return { ok: false, problems: r.problems.map((p) => `${path}: ${p}`) };
  try {
    return { ok: true, template: compileTemplate(r.template) };
  } catch (e) {
    return { ok: false, problems: [`${path}: ${(e as Error).message}`] };
  }
}

const catalogs = new Map<string, Catalog>();

function rowsOf(path: string): CatalogRow[] {
  const read = readBoundedFileSync(path, MAX_CATALOG_FILE_BYTES, MAX_CATALOG_FILE_LABEL);
  // officialCatalogProblem checked the file just before: failing now is a race or our bug
  if (!read.ok) throw new Error(`catalog file ${path}: ${read.problems[0]?.code ?? "unreadable"}`);
  const text = new TextDecoder("utf-8").decode(read.bytes);
  return parseCsvRecords(text).map((r) => ({
    code: (r["code"] ?? "").trim(),
    name: (r["name"] ?? "").trim(),
    level: (r["level"] ?? "").trim(),
    parent: (r["parent"] ?? "").trim(),
    confidence: (r["confidence"] ?? "").trim(),
  }));
}

/**
 * Why the folder named by `--catalog` cannot be read, or null: it must be a folder, and the func and econ files in it
 * regular files of at most 4 MB each (a FIFO would hang the read, a huge file exhaust memory).
 */
export function officialCatalogProblem(dir: string): OptionFileRefusal | null {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) return optionRefusal("--catalog", inputError("input.not_a_folder", dir));
    files = readdirSync(dir);
  } catch (e) {
    return optionRefusal("--catalog", inputError("input.unreadable", dir, {}, { reason: ioReason(e) }));
  }
  for (const patterns of [FUNC_FILE, ECON_FILE]) {
    const name = patterns.map((p) => files.find((x) => p.test(x))).find((f) => f !== undefined);
    if (name === undefined) continue; // no such file: the catalog is missing, said by build.no_catalog
    const path = join(dir, name);
    const read = readBoundedFileSync(path, 0, MAX_CATALOG_FILE_LABEL);
    // limit 0 reads nothing: the checks (regular file, size) are what is wanted here
    if (!read.ok && read.problems[0]?.code !== "input.too_large") return optionRefusal("--catalog", read.problems[0]!);
    try {
      if (statSync(path).size > MAX_CATALOG_FILE_BYTES) return optionRefusal("--catalog", inputError("input.too_large", path, {}, { size: statSync(path).size, limit: MAX_CATALOG_FILE_LABEL }));
    } catch (e) {
      return optionRefusal("--catalog", inputError("input.unreadable", path, {}, { reason: ioReason(e) }));
    }
  }
  return null;
}

function findFile(dir: string, patterns: RegExp[]): string | null {
  const files = readdirSync(dir);
  for (const p of patterns) {
    const f = files.find((x) => p.test(x));
    if (f) return join(dir, f);
  }
  return null;
}

const FUNC_FILE = [/^func\.csv$/, /^exp_func_.*\.csv$/];
const ECON_FILE = [/^econ\.csv$/, /^exp_econ_department_.*\.csv$/];

/**
 * The catalog for a budget year: ours (partial), or, with `officialDir`, the user's official one, which replaces
 * ours entirely. Returns null when no catalog exists for the year.
 */
export function loadCatalog(year: number, officialDir?: string): Catalog | null {
  const key = `${year}|${officialDir ?? ""}`;
  const cached = catalogs.get(key);
  if (cached) return cached;
  const dir = officialDir ?? join(DATA_DIR, "catalogs", String(year));
  if (!existsSync(dir)) return null;
  const func = findFile(dir, FUNC_FILE);
  const econ = findFile(dir, ECON_FILE);
  if (!func || !econ) return null;
  const cat = catalogFromRows(year, officialDir ? dir : `gongkai data/catalogs/${year}`, officialDir !== undefined, rowsOf(func), rowsOf(econ));
  catalogs.set(key, cat);
  return cat;
}

const ruleSets = new Map<string, RuleSet | null>();

/** The rules of a template (data/rules/<template>.yaml), or null when it has none. */
export function loadRules(templateId: string): RuleSet | null {
  if (ruleSets.has(templateId)) return ruleSets.get(templateId) ?? null;
  const path = join(DATA_DIR, "rules", `${templateId}.yaml`);
  let rules: RuleSet | null = null;
  if (/^[a-z0-9-]+$/.test(templateId) && existsSync(path)) {
    const r = ruleSetSchema.safeParse(parseYaml(readFileSync(path, "utf8")));
    if (!r.success) throw new Error(`rules ${path} are invalid: ${r.error.message}`);
    rules = r.data;
  }
  ruleSets.set(templateId, rules);
  return rules;
}

const narratives = new Map<string, NarrativeSpec | null>();

/** The narrative of a template (data/narratives/<template>.yaml), or null when it has none. */
export function loadNarrative(templateId: string): NarrativeSpec | null {
  if (narratives.has(templateId)) return narratives.get(templateId) ?? null;
  const path = join(DATA_DIR, "narratives", `${templateId}.yaml`);
  let spec: NarrativeSpec | null = null;
  if (/^[a-z0-9-]+$/.test(templateId) && existsSync(path)) {
    const r = narrativeSpecSchema.safeParse(parseYaml(readFileSync(path, "utf8")));
    if (!r.success) throw new Error(`narrative ${path} is invalid: ${r.error.message}`);
    spec = r.data;
  }
  narratives.set(templateId, spec);
  return spec;
}

const crosswalks = new Map<string, Crosswalk>();

/** Codes renamed between two years (data/crosswalks/<from>-<to>.csv); empty when the project has none. A broken file is our bug. */
export function loadCrosswalk(fromYear: number, toYear: number): Crosswalk {
  const key = `${fromYear}-${toYear}`;
  let cw = crosswalks.get(key);
  if (cw) return cw;
  const path = join(DATA_DIR, "crosswalks", `${key}.csv`);
  cw = EMPTY_CROSSWALK;
  if (Number.isInteger(fromYear) && Number.isInteger(toYear) && existsSync(path)) {
    const r = parseCrosswalk(readFileSync(path, "utf8"), path);
    if (!r.ok) throw new Error(`crosswalk ${path} is invalid: ${JSON.stringify(r.problems)}`);
    cw = r.crosswalk;
  }
  crosswalks.set(key, cw);
  return cw;
}

/** The project's data directory as the app layer's port. */
export const projectData: ProjectData = {
  template: loadTemplate,
  templateFile: loadTemplateFile,
  templateIds,
  catalog: loadCatalog,
  officialCatalogProblem,
  rules: loadRules,
  narrative: loadNarrative,
  crosswalk: loadCrosswalk,
};
