/**
 * The table sets the auditor recognises (`data/templates/audit/table-sets.yaml`), validated once per process. A broken
 * file is our bug, so it throws; a table kind it names must be one of data/audit/table-titles.yaml.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { AuditTemplates } from "../../domain/audit/recognise.ts";
import { tableTitles } from "./table-titles.ts";

export const AUDIT_TEMPLATES_FILE = fileURLToPath(new URL("../../../data/templates/audit/table-sets.yaml", import.meta.url));

const fileSchema = z.strictObject({
  min_match: z.number().gt(0).max(1),
  templates: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9-]*$/),
        name: z.string().min(1),
        kind: z.enum(["budget", "final_accounts"]),
        build_template: z.string().min(1).optional(),
        cues: z.array(z.string().min(1)),
        tables: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
  class_totals: z.array(
    z.strictObject({ kind: z.string().min(1), side: z.string().min(1).optional(), column: z.string().min(1), scope: z.string().min(1) }),
  ),
});

let cached: AuditTemplates | null = null;

export function auditTemplates(): AuditTemplates {
  if (cached) return cached;
  const r = fileSchema.safeParse(parseYaml(readFileSync(AUDIT_TEMPLATES_FILE, "utf8")));
  if (!r.success) throw new Error(`${AUDIT_TEMPLATES_FILE} is invalid:\n${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")}`);
  const kinds = new Set(tableTitles().kinds.map((k) => k.id));
  for (const t of [...r.data.templates.flatMap((x) => x.tables.map((k) => ({ id: x.id, k }))), ...r.data.class_totals.map((c) => ({ id: "class_totals", k: c.kind }))])
    for (const k of [t.k]) if (!kinds.has(k)) throw new Error(`${AUDIT_TEMPLATES_FILE}: ${t.id} names the table kind ${k}, which data/audit/table-titles.yaml does not have`);
  cached = {
    minMatch: r.data.min_match,
    templates: r.data.templates.map((t) => ({ id: t.id, name: t.name, kind: t.kind, buildTemplate: t.build_template ?? null, cues: t.cues, tables: t.tables })),
    classTotals: r.data.class_totals.map((c) => ({ kind: c.kind, side: c.side ?? null, column: new RegExp(c.column, "u"), scope: c.scope })),
  };
  return cached;
}
