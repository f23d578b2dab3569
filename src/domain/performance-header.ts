/**
 * The header of a performance target table — the fields above its indicators (部门名称, 联系人, 年度绩效目标, the
 * 年度预算 block; 预算单位, 项目名称, the 项目资金 split) — as the template lists them, with their values, and laid out
 * as one grid that every renderer (page, PDF, Word, workbook) prints cell for cell.
 *
 * A field's label is template data (`performance_tables[].header`); its value is bound to the disclosure: a named
 * value (the department, the contact, a project's unit, owner, budget …) or the exact sum of template figures, kept in
 * 分 and rounded once to the print unit. The grid: one line per field, a field marked `beside` on the line of the one
 * before it; a label path's leading parts group the lines below them (年度预算 over 财政资金 over 上级安排 / 本级安排),
 * merged down like a table's header is merged across (table-header.ts, transposed); the last value of a line spans
 * to the grid's right edge.
 */
import type { Disclosure } from "./disclosure-model.ts";
import { formatSteps, toSteps, type PrintUnit } from "./money.ts";
import { headerCells } from "./table-header.ts";
import type { PerformanceValue, TemplateData } from "./template-model.ts";

export type PerformanceTableSpec = TemplateData["performance_tables"][number];
export type PerformanceProject = Disclosure["performance"]["projects"][number];

export interface PerformanceField {
  /** the printed label, outermost group first, placeholders filled */
  readonly label: readonly string[];
  /** the printed value ("" where the input gives none) */
  readonly text: string;
  /** the exact amount in 分 behind `text`, for an amount */
  readonly amount: bigint | null;
  /** printed on the line of the field before it */
  readonly beside: boolean;
  /** what the value is bound to: a value name, or `figures:<id>+<id>…` */
  readonly ref: string;
}

export interface FieldCell {
  readonly row: number;
  readonly col: number;
  readonly rowSpan: number;
  readonly colSpan: number;
  readonly text: string;
  readonly kind: "label" | "value";
  /** the field a value cell shows */
  readonly field: PerformanceField | null;
}

export interface FieldGrid {
  readonly rows: number;
  readonly columns: number;
  /** every cell, in reading order (by row, then column); each grid position is covered by exactly one */
  readonly cells: readonly FieldCell[];
}

/** Values a department table may show; a project table shows these and the project's own. */
const DEPARTMENT_VALUES: ReadonlySet<PerformanceValue> = new Set(["department", "contact_name", "contact_phone", "goal"]);

/** Problems of the templates' performance headers, as text lines (checked when a template is read). */
export function performanceHeaderProblems(t: TemplateData): string[] {
  const problems: string[] = [];
  t.performance_tables.forEach((spec, i) =>
    spec.header.forEach((f, k) => {
      const at = `performance_tables.${i}.header.${k} (${spec.id})`;
      if (k === 0 && f.beside) problems.push(`${at}: the first field cannot be beside another`);
      if (f.beside && f.label.length > 1) problems.push(`${at}: a field beside another has a one-part label`);
      for (const id of f.figures ?? []) if (!(id in t.figures)) problems.push(`${at}: unknown figure ${id}`);
      if (spec.source === "projects" && f.figures) problems.push(`${at}: a project's table cannot show department figures`);
      if (spec.source === "department" && f.value !== undefined && !DEPARTMENT_VALUES.has(f.value))
        problems.push(`${at}: ${f.value} is a project's value, not the department's`);
    }),
  );
  return problems;
}

function filled(pattern: string, d: Disclosure): string {
  return pattern.replaceAll("{unit}", d.template.printUnit.label).replaceAll("{year}", String(d.department.year));
}

/** The line under the title, e.g. （2024年）, or null. */
export function performanceSubtitle(spec: PerformanceTableSpec, d: Disclosure): string | null {
  return spec.subtitle === undefined ? null : filled(spec.subtitle, d);
}

function ownerName(d: Disclosure): string {
  return d.scope.kind === "unit" ? d.scope.name : d.department.name;
}

/**
 * An amount field prints its exact total rounded once — 0.00 for no money: a form states every amount it asks for
 * (unlike a table cell, where an exact zero is blank).
 */
function printed(fen: bigint, unit: PrintUnit): string {
  return formatSteps(toSteps(fen, unit), unit.decimals);
}

function text(s: string | null | undefined): { text: string; amount: null } {
  return { text: s ?? "", amount: null };
}

function valueOf(v: PerformanceValue, d: Disclosure, p: PerformanceProject | null): { text: string; amount: bigint | null } {
  const unit = d.template.printUnit;
  const amount = (fen: bigint) => ({ text: printed(fen, unit), amount: fen });
  switch (v) {
    case "department":
      return text(ownerName(d));
    case "contact_name":
      return text(d.performance.contact?.name);
    case "contact_phone":
      return text(d.performance.contact?.phone);
    case "goal":
      return text(p ? p.goal : d.performance.departmentGoal);
    case "unit":
      return text(p?.unit);
    case "project":
      return text(p?.project);
    case "owner":
      return text(p?.owner);
    case "amount":
      return p ? amount(p.amount) : text("");
    case "appropriated":
      return p ? amount(p.appropriated) : text("");
    case "non_appropriated":
      return p ? amount(p.nonAppropriated) : text("");
  }
}

/** The header fields of the department's table (`project` null) or of one project's, with their values. */
export function performanceFields(spec: PerformanceTableSpec, d: Disclosure, project: PerformanceProject | null): PerformanceField[] {
  return spec.header.map((f) => {
    const label = f.label.map((l) => filled(l, d));
    if (f.figures) {
      const fen = f.figures.reduce((s, id) => s + (d.figures.get(id)?.current ?? 0n), 0n);
      return { label, text: printed(fen, d.template.printUnit), amount: fen, beside: f.beside, ref: `figures:${f.figures.join("+")}` };
    }
    const v = valueOf(f.value!, d, project);
    return { label, ...v, beside: f.beside, ref: f.value! };
  });
}

/** The fields laid out as one grid (see the file's comment). */
export function fieldGrid(fields: readonly PerformanceField[]): FieldGrid {
  const lines: PerformanceField[][] = [];
  for (const f of fields) {
    const last = lines[lines.length - 1];
    if (f.beside && last) last.push(f);
    else lines.push([f]);
  }
  if (lines.length === 0) return { rows: 0, columns: 0, cells: [] };
  // the first field's label path of each line, merged like a header's column paths (rows and columns swapped)
  const { depth, cells: labelCells } = headerCells(lines.map((l) => l[0]!.label));
  const pairs = Math.max(...lines.map((l) => l.length));
  const columns = depth + 1 + 2 * (pairs - 1);
  const cells: FieldCell[] = labelCells.map((c) => ({ row: c.col, col: c.row, rowSpan: c.colspan, colSpan: c.rowspan, text: c.label, kind: "label", field: null }));
  lines.forEach((line, r) => {
    let col = depth;
    line.forEach((f, k) => {
      if (k > 0) cells.push({ row: r, col: col++, rowSpan: 1, colSpan: 1, text: f.label.join(""), kind: "label", field: null });
      const span = k === line.length - 1 ? columns - col : 1;
      cells.push({ row: r, col, rowSpan: 1, colSpan: span, text: f.text, kind: "value", field: f });
      col += span;
    });
  });
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  return { rows: lines.length, columns, cells };
}
