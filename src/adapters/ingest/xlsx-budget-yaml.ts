/**
 * The YAML budget (`gongkai/budget@1`) of a budget read from a workbook, as `gongkai import` writes it: laid out like
 * the examples (a comment per section, line items one per line in flow style), amounts unquoted in 元 and written
 * from the exact 分 (`786750`, `1036750.10`), never through a float; codes quoted so that 001 stays 001.
 *
 * Every string goes through `yamlString`, which writes it plain only when a YAML 1.2 reader (ours, or the core
 * schema of any other) reads it back as that same string, and double-quoted with escapes otherwise. Only the fields
 * that differ from the schema's defaults are written, so the file reads back to the same budget.
 */
import type { Budget, Indicator } from "../../domain/budget-schema.ts";
import { BUDGET_FORMAT } from "../../domain/budget-schema.ts";
import { formatYuan, type Fen } from "../../domain/money.ts";

/** 分 → 元 as written: whole yuan without decimals, else two decimals. */
export function yamlAmount(fen: Fen): string {
  return fen % 100n === 0n ? String(fen / 100n) : formatYuan(fen);
}

const CORE_NON_STRING = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:true|True|TRUE|false|False|FALSE)$/,
  /^[-+]?[0-9]+$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
];
/** YAML 1.1 words other tools read as booleans or null: quoted too, for their sake. */
const YAML11_WORDS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff"\\]/;

/** A string as a YAML scalar: plain when that reads back as the same string, else double-quoted. */
export function yamlString(s: string, inFlow = false): string {
  const plain =
    s !== "" &&
    s.trim() === s &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) &&
    !/^[0-9+.]/.test(s) &&
    !s.includes(": ") &&
    !s.includes(" #") &&
    !s.endsWith(":") &&
    !(inFlow && /[,[\]{}]/.test(s)) &&
    !NEEDS_ESCAPE.test(s) &&
    !/[\t\n\r]/.test(s) &&
    !CORE_NON_STRING.some((re) => re.test(s)) &&
    !YAML11_WORDS.test(s);
  return plain ? s : quote(s);
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd"; // a lone surrogate is not text
    else out += ch;
  }
  return `${out}"`;
}

/** A code or id: always quoted, so that no reader turns it into a number. */
const code = (s: string): string => quote(s);

type Entry = [key: string, value: string];

/** `{ a: 1, b: x }` from the entries whose value is present. */
function flow(entries: readonly (Entry | null)[]): string {
  return `{ ${entries
    .filter((e): e is Entry => e !== null)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ")} }`;
}

const opt = (key: string, v: string | undefined, inFlow = true): Entry | null => (v === undefined || v === "" ? null : [key, yamlString(v, inFlow)]);

export interface YamlOptions {
  /** the workbook it was read from, named in the header comment */
  readonly source: string;
}

/** The budget as YAML text (LF line ends, a final newline). */
export function budgetToYaml(b: Budget, o: YamlOptions): string {
  const out: string[] = [];
  const w = (line: string) => out.push(line);
  w(`# ${b.department.name} ${b.department.year} 年部门预算 —— 由 gongkai import 从工作簿 ${o.source} 导入`);
  w(`# Imported by gongkai import from the workbook ${o.source}. Amounts in yuan (元).`);
  w("");
  w(`format: ${BUDGET_FORMAT}`);
  if (b.constructed !== undefined && b.constructed !== "") w(`constructed: ${yamlString(b.constructed)}`);
  w("");
  w("department:");
  w(`  name: ${yamlString(b.department.name)}`);
  w(`  code: ${code(b.department.code)}`);
  w(`  region: ${yamlString(b.department.region)}`);
  w(`  year: ${b.department.year}`);
  w(`  template: ${yamlString(b.department.template)}`);
  if (b.department.date !== undefined && b.department.date !== "") w(`  date: ${quote(b.department.date)}`);
  w("");
  w("# 预算单位（工作表“单位”）。Units.");
  w("units:");
  for (const u of b.units) {
    w(`  - code: ${code(u.code)}`);
    w(`    name: ${yamlString(u.name)}`);
    w(`    type: ${yamlString(u.type)}`);
  }

  const p = b.profile;
  if (p.functions.length > 0 || p.organisation !== undefined || p.staffing !== undefined) {
    w("");
    w("profile:");
    if (p.functions.length > 0) {
      w("  functions:");
      for (const f of p.functions) w(`    - ${yamlString(f)}`);
    }
    if (p.organisation !== undefined && p.organisation !== "") w(`  organisation: ${yamlString(p.organisation)}`);
    const st = p.staffing;
    if (st) {
      w("  staffing:");
      w(`    authorised: ${st.authorised}`);
      w(`    actual: ${st.actual}`);
      for (const who of ["serving", "retired", "honourably_retired"] as const) {
        const h = st[who];
        w(`    ${who}: ${flow([["count", String(h.count)], h.prior === undefined ? null : ["prior", String(h.prior)]])}`);
      }
    }
  }

  if (b.projects.length > 0) {
    w("");
    w("# 项目（工作表“项目”“资金分配”）。Projects.");
    w("projects:");
    for (const x of b.projects) {
      w(`  - code: ${code(x.code)}`);
      w(`    name: ${yamlString(x.name)}`);
      w(`    unit: ${code(x.unit)}`);
      if (x.classified) w("    classified: true");
      for (const k of ["public_label", "owner", "basis", "purpose"] as const) {
        const v = x[k];
        if (v !== undefined && v !== "") w(`    ${k}: ${yamlString(v)}`);
      }
      if (x.allocation.length > 0) {
        w("    allocation:");
        for (const a of x.allocation) w(`      - ${flow([["item", yamlString(a.item, true)], ["amount", yamlAmount(a.amount)]])}`);
      }
      if (x.schedule !== undefined && x.schedule !== "") w(`    schedule: ${yamlString(x.schedule)}`);
    }
  }

  w("");
  w("# 本年预算明细（工作表“明细”，元），每行一笔。Current-year line items (yuan), one per row of the sheet.");
  if (b.lines.length === 0) w("lines: []");
  else {
    w("lines:");
    for (const l of b.lines) {
      w(
        `  - ${flow([
          ["unit", code(l.unit)],
          ["func", code(l.func)],
          ["econ", code(l.econ)],
          ["fund", l.fund],
          ["kind", l.kind],
          l.project === undefined ? null : ["project", code(l.project)],
          ["amount", yamlAmount(l.amount)],
          opt("note", l.note),
        ])}`,
      );
    }
  }

  if (b.carryover.length > 0) {
    w("");
    w("# 上年结转结余（工作表“结转”，元）。Carry-over (yuan).");
    w("carryover:");
    for (const c of b.carryover) {
      w(`  - unit: ${code(c.unit)}`);
      w(`    name: ${yamlString(c.name)}`);
      w(`    func: ${code(c.func)}`);
      w(`    econ: ${code(c.econ)}`);
      w(`    fund: ${c.fund}`);
      w(`    kind: ${c.kind}`);
      w(`    amount: ${yamlAmount(c.amount)}`);
      if (c.purpose !== undefined && c.purpose !== "") w(`    purpose: ${yamlString(c.purpose)}`);
    }
  }

  const prior = Object.entries(b.prior_year);
  if (prior.length > 0) {
    w("");
    w("# 上年预算数（工作表“上年数与原因”，元）。Prior-year figures (yuan).");
    w("prior_year:");
    for (const [id, fen] of prior) w(`  ${yamlString(id)}: ${yamlAmount(fen)}`);
  }
  const reasons = Object.entries(b.reasons);
  if (reasons.length > 0) {
    w("");
    w("# 增减变化原因。Reasons for the changes.");
    w("reasons:");
    for (const [id, why] of reasons) w(`  ${yamlString(id)}: ${yamlString(why)}`);
  }

  const descriptions = Object.entries(b.descriptions);
  if (descriptions.length > 0) {
    w("");
    w("# 主要用途说明。What the money is for.");
    w("descriptions:");
    for (const [id, what] of descriptions) w(`  ${yamlString(id)}: ${yamlString(what)}`);
  }

  const named = (["func", "econ"] as const).filter((k) => Object.keys(b.names[k]).length > 0);
  if (named.length > 0) {
    w("");
    w("# 目录中没有的科目的名称（工作表“科目名称”）。Names of codes missing from the catalog.");
    w("names:");
    for (const k of named) {
      w(`  ${k}:`);
      for (const [code, name] of Object.entries(b.names[k])) w(`    ${yamlString(code)}: ${yamlString(name)}`);
    }
  }

  if (b.procurement) {
    const pr = b.procurement;
    w("");
    w("# 政府采购（工作表“采购”，元）。Procurement (yuan).");
    w("procurement:");
    for (const k of ["goods", "works", "services", "sme_reserved", "small_micro_reserved"] as const) w(`  ${k}: ${yamlAmount(pr[k])}`);
  }

  if (b.assets) {
    const a = b.assets;
    w("");
    w("# 国有资产占用（工作表“资产”“车辆”）。State assets held.");
    w("assets:");
    if (a.as_of !== undefined && a.as_of !== "") w(`  as_of: ${quote(a.as_of)}`);
    w(`  buildings: ${flow([["area_m2", quote(a.buildings.area_m2)], ["value", yamlAmount(a.buildings.value)]])}`);
    if (a.vehicles.length === 0) w("  vehicles: []");
    else {
      w("  vehicles:");
      for (const v of a.vehicles) w(`    - ${flow([["kind", v.kind], ["count", String(v.count)], ["value", yamlAmount(v.value)]])}`);
    }
    w(`  furniture: ${yamlAmount(a.furniture)}`);
    w(`  other: ${yamlAmount(a.other)}`);
    w(`  large_equipment: ${flow([["over_500k", String(a.large_equipment.over_500k)], ["over_1m", String(a.large_equipment.over_1m)]])}`);
    w("  planned:");
    if (a.planned.vehicles.length === 0) w("    vehicles: []");
    else {
      w("    vehicles:");
      for (const v of a.planned.vehicles) w(`      - ${flow([["kind", v.kind], ["count", String(v.count)], ["amount", yamlAmount(v.amount)]])}`);
    }
    w(`    large_equipment_over_500k: ${a.planned.large_equipment_over_500k}`);
    w(`    large_equipment_over_1m: ${a.planned.large_equipment_over_1m}`);
  }

  const perf = b.performance;
  if (perf.contact !== undefined || perf.department !== undefined || perf.projects.length > 0) {
    w("");
    w("# 绩效目标（工作表“绩效目标”“绩效指标”）。Performance targets.");
    w("performance:");
    if (perf.contact) w(`  contact: ${flow([["name", yamlString(perf.contact.name, true)], ["phone", quote(perf.contact.phone)]])}`);
    if (perf.department) {
      w("  department:");
      w(`    goal: ${yamlString(perf.department.goal)}`);
      indicators(w, "    ", perf.department.indicators);
    }
    if (perf.projects.length > 0) {
      w("  projects:");
      for (const x of perf.projects) {
        w(`    - project: ${code(x.project)}`);
        if (x.owner !== undefined && x.owner !== "") w(`      owner: ${yamlString(x.owner)}`);
        w(`      goal: ${yamlString(x.goal)}`);
        indicators(w, "      ", x.indicators);
      }
    }
  }
  return out.join("\n") + "\n";
}

function indicators(w: (line: string) => void, indent: string, list: readonly Indicator[]): void {
  if (list.length === 0) {
    w(`${indent}indicators: []`);
    return;
  }
  w(`${indent}indicators:`);
  for (const i of list) {
    w(
      `${indent}  - ${flow([
        ["level1", yamlString(i.level1, true)],
        ["level2", yamlString(i.level2, true)],
        ["name", yamlString(i.name, true)],
        ["comparator", quote(i.comparator)],
        ["value", quote(i.value)],
        opt("unit", i.unit),
        opt("basis", i.basis),
        ["weight", String(i.weight)],
        opt("scoring", i.scoring),
        opt("evidence", i.evidence),
        i.last_year === undefined ? null : ["last_year", quote(i.last_year)],
      ])}`,
    );
  }
}
