/**
 * The table titles the auditor recognises (issue 14): `data/audit/table-titles.yaml`, validated and compiled once per
 * process. A broken file is our bug, so it throws.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  normaliseTitle,
  type TableTitleCatalog,
} from "../../domain/audit/table-kinds.ts";

export const TABLE_TITLES_FILE = fileURLToPath(
  new URL("../../../data/audit/table-titles.yaml", import.meta.url),
);

const fileSchema = z.strictObject({
  prefixes: z.array(z.string().min(1)),
  number_line: z.string().min(1),
  units: z
    .array(
      z.strictObject({
        unit: z.enum(["元", "万元"]),
        pattern: z.string().min(1),
      }),
    )
    .min(1),
  generic: z.strictObject({
    max_length: z.number().int().positive(),
    endings: z.array(z.string().min(1)),
  }),
  kinds: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9-]*$/),
        zh: z.string().min(1),
        en: z.string().min(1),
        read: z.boolean().optional(),
        titles: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
});

/** Compiles the parsed YAML of a title file; throws with every problem when it does not fit. */
export function compileTableTitles(
  data: unknown,
  source = TABLE_TITLES_FILE,
): TableTitleCatalog {
  const r = fileSchema.safeParse(data);
  if (!r.success)
    throw new Error(
      `${source} is invalid:\n${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  const f = r.data;
  const ids = new Set<string>();
  for (const k of f.kinds) {
    if (ids.has(k.id))
      throw new Error(`${source}: kind ${k.id} is listed twice`);
    ids.add(k.id);
  }
  return {
    prefixes: f.prefixes.map((p) => new RegExp(p, "u")),
    numberLine: new RegExp(f.number_line, "u"),
    units: f.units.map((u) => ({
      unit: u.unit,
      pattern: new RegExp(u.pattern, "u"),
    })),
    genericEndings: f.generic.endings.map(normaliseTitle),
    maxTitleLength: f.generic.max_length,
    kinds: f.kinds.map((k) => ({
      id: k.id,
      zh: k.zh,
      en: k.en,
      read: k.read ?? true,
      titles: k.titles.map(normaliseTitle),
    })),
  };
}

let cached: TableTitleCatalog | null = null;

/** The project's table titles, read once. */
export function tableTitles(): TableTitleCatalog {
  cached ??= compileTableTitles(
    parseYaml(readFileSync(TABLE_TITLES_FILE, "utf8")),
  );
  return cached;
}
