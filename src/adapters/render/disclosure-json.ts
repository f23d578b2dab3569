/**
 * disclosure.json — the whole computed disclosure in a documented, versioned schema (docs/disclosure-json.md):
 * what the renderers and the API read. Amounts are decimal strings of 元 (exact); each table cell also carries
 * its printed text.
 */
import { describeChange, formatPercent } from "../../domain/change-wording.ts";
import { rowTexts, tableTexts, type Disclosure } from "../../domain/disclosure-model.ts";
import { formatCell, formatYuan } from "../../domain/money.ts";
import type { Finding } from "../../domain/rule-engine.ts";

export const GENERATOR = "gongkai 0.1.0";

const yuan = (v: bigint | null | undefined) => (v === null || v === undefined ? null : formatYuan(v));

/** Replaces bigints (amounts in 分) with 元 strings, recursively, for plain input records. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return formatYuan(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export function disclosureToJson(d: Disclosure, findings: readonly Finding[]): Record<string, unknown> {
  const unit = d.template.printUnit;
  const errors = findings.filter((f) => f.severity === "error").length;
  return {
    format: d.format,
    generator: GENERATOR,
    status: errors ? "failing" : "ok",
    constructed: d.constructed,
    department: d.department,
    scope: d.scope,
    template: { id: d.template.id, name: d.template.name, print_unit: { label: unit.label, step_fen: Number(unit.step), decimals: unit.decimals } },
    catalog: d.catalog,
    units: d.units,
    profile: d.profile,
    tables: d.tables.map((t) => ({
      id: t.id,
      number: t.number,
      title: t.title,
      orientation: t.orientation,
      columns: t.columns.map((c) => ({ id: c.id, role: c.role, csv: c.csv, print: c.print ?? [c.csv] })),
      sides: t.sides?.map((s) => ({ name: s.name, print_header: s.printHeader })) ?? null,
      empty_sentence: t.emptySentence,
      rounding_note: d.roundingNotes.get(t.id) ?? null,
      rows: t.rows.map((r) => ({
        key: r.key,
        side: r.side,
        type: r.type,
        code: r.code,
        name: r.name,
        project: r.project,
        amounts: Object.fromEntries(t.amountColumns.map((ci, k) => [t.columns[ci]!.id, yuan(r.cells[k])])),
        printed: Object.fromEntries(t.amountColumns.map((ci, k) => [t.columns[ci]!.id, r.cells[k] === null ? null : formatCell(r.cells[k]!, unit)])),
        texts: rowTexts(t, r, unit),
      })),
      csv: tableTexts(t, unit),
    })),
    figures: Object.fromEntries(
      [...d.figures].map(([id, f]) => {
        const c = f.prior === null ? null : describeChange(f.current, f.prior, unit);
        return [
          id,
          {
            name: f.name,
            current: formatYuan(f.current),
            prior: yuan(f.prior),
            change: c ? formatYuan(c.change) : null,
            direction: c?.direction ?? null,
            percent: c?.percentHundredths === null || c === null ? null : formatPercent(c.percentHundredths),
            reason: d.reasons[id] ?? null,
          },
        ];
      }),
    ),
    prior_year: {
      source: d.priorYear.source,
      last_year: d.priorYear.lastYear && {
        file: d.priorYear.lastYear.file,
        year: d.priorYear.lastYear.year,
        template: d.priorYear.lastYear.template,
        catalog_year: d.priorYear.lastYear.catalogYear,
        fallback: d.priorYear.lastYear.fallback,
        renamed_codes: d.priorYear.lastYear.renamed,
      },
    },
    projects: d.projects.map((p) => ({
      code: p.code,
      name: p.name,
      classified: p.classified,
      unit: p.unit,
      amount: formatYuan(p.amount),
      appropriated: formatYuan(p.appropriated),
      non_appropriated: formatYuan(p.nonAppropriated),
      general_public_budget: formatYuan(p.gpb),
      details: plain(p.details),
    })),
    carryover: plain(d.carryover),
    procurement: plain(d.procurement),
    assets: plain(d.assets),
    performance: {
      contact: d.performance.contact,
      department_goal: d.performance.departmentGoal,
      department: d.performance.department,
      projects: d.performance.projects.map((p) => ({
        project: p.project,
        unit: p.unit,
        owner: p.owner,
        goal: p.goal,
        amount: formatYuan(p.amount),
        appropriated: formatYuan(p.appropriated),
        non_appropriated: formatYuan(p.nonAppropriated),
        rows: p.rows,
      })),
      withheld: plain(d.performance.withheld),
    },
    findings: { error: errors, warning: findings.filter((f) => f.severity === "warning").length, note: findings.filter((f) => f.severity === "note").length },
  };
}

export function findingsToJson(findings: readonly Finding[]): Record<string, unknown> {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return {
    format: "gongkai/findings@1",
    generator: GENERATOR,
    status: count("error") ? "failing" : "ok",
    summary: { error: count("error"), warning: count("warning"), note: count("note") },
    findings,
  };
}
