/**
 * The budget's line items as open data: one row per current-year line and per carry-over item (the money of every
 * table), amounts in 元 as exact decimal strings, codes as text, names from the year's catalog.
 *
 * A classified project (涉密项目) appears only aggregated (CONVENTIONS.md): its lines are summed per unit × function
 * 项 × economic 类 × fund source, under its public label, with no project code and no economic 款 — the detail the
 * printed tables already show (表2 by 项 and fund source, 表7 by 项 and economic 类). The aggregated row stands where
 * the group's first line stood, and says it is aggregated.
 */
import type { Budget } from "../../domain/budget-schema.ts";
import { nameOf, type Catalog } from "../../domain/catalog-model.ts";
import type { Disclosure } from "../../domain/disclosure-model.ts";
import { formatYuan } from "../../domain/money.ts";
import { projectPublicName } from "../../domain/table-engine.ts";

/** The fund sources (current year, then carry-over) as published, in Chinese and English. */
export const FUND_SOURCE_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  "gpb.own": { zh: "一般公共预算（本级一般财力）", en: "general public budget, own revenue" },
  "gpb.transfer": { zh: "上级一般公共预算安排转移支付", en: "general public budget, upper-level transfer" },
  "gf.own": { zh: "政府性基金预算（政府性基金收入）", en: "government fund budget, own revenue" },
  "gf.transfer": { zh: "上级政府性基金安排转移支付", en: "government fund budget, upper-level transfer" },
  "sc.own": { zh: "国有资本经营预算（国有资本经营收入）", en: "state capital budget, own revenue" },
  "sc.transfer": { zh: "上级国有资本经营预算安排转移支付", en: "state capital budget, upper-level transfer" },
  special_account: { zh: "财政专户管理资金", en: "special fiscal account" },
  "unit.business": { zh: "单位资金—事业收入", en: "unit funds: service revenue" },
  "unit.upper_subsidy": { zh: "单位资金—上级补助收入", en: "unit funds: upper-level subsidy" },
  "unit.affiliated": { zh: "单位资金—附属单位上缴收入", en: "unit funds: from affiliated units" },
  "unit.operating": { zh: "单位资金—事业单位经营收入", en: "unit funds: business operations" },
  "unit.other": { zh: "单位资金—其他收入", en: "unit funds: other" },
  "co.gpb": { zh: "上年结转—一般公共预算拨款", en: "carry-over: general public budget appropriation" },
  "co.gf": { zh: "上年结转—政府性基金预算拨款", en: "carry-over: government fund appropriation" },
  "co.sc": { zh: "上年结转—国有资本经营预算拨款", en: "carry-over: state capital appropriation" },
  "co.special_account": { zh: "上年结转结余—财政专户核拨", en: "carry-over: special fiscal account" },
  "co.unit": { zh: "上年结转结余—单位资金", en: "carry-over: unit funds" },
};

/** A column of the line-items CSV, as its Table Schema field. */
export interface LineItemField {
  readonly name: string;
  readonly type: "string" | "number" | "year" | "boolean";
  readonly title: string;
  readonly description: string;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly required?: boolean;
}

export const LINE_ITEM_FIELDS: readonly LineItemField[] = [
  { name: "year", type: "year", title: "预算年度", description: "Budget year", required: true },
  { name: "unit_code", type: "string", title: "预算单位编码", description: "Budget unit code", required: true },
  { name: "unit_name", type: "string", title: "预算单位名称", description: "Budget unit name", required: true },
  { name: "func_class", type: "string", title: "功能分类科目编码（类）", description: "Functional classification: class (3 digits)", pattern: "^\\d{3}$", required: true },
  { name: "func_class_name", type: "string", title: "功能分类科目名称（类）", description: "Functional class name" },
  { name: "func_section", type: "string", title: "功能分类科目编码（款）", description: "Functional classification: section (5 digits)", pattern: "^\\d{5}$", required: true },
  { name: "func_section_name", type: "string", title: "功能分类科目名称（款）", description: "Functional section name" },
  { name: "func_item", type: "string", title: "功能分类科目编码（项）", description: "Functional classification: item (7 digits)", pattern: "^\\d{7}$", required: true },
  { name: "func_item_name", type: "string", title: "功能分类科目名称（项）", description: "Functional item name" },
  { name: "econ_class", type: "string", title: "经济分类科目编码（类）", description: "Economic classification: class (3 digits)", pattern: "^\\d{3}$", required: true },
  { name: "econ_class_name", type: "string", title: "经济分类科目名称（类）", description: "Economic class name" },
  {
    name: "econ_section",
    type: "string",
    title: "经济分类科目编码（款）",
    description: "Economic classification: section (5 digits); empty on a classified project's aggregated rows",
    pattern: "^\\d{5}$",
  },
  { name: "econ_section_name", type: "string", title: "经济分类科目名称（款）", description: "Economic section name" },
  { name: "fund_source", type: "string", title: "资金来源编码", description: "Fund source code", enum: Object.keys(FUND_SOURCE_NAMES), required: true },
  { name: "fund_source_name", type: "string", title: "资金来源", description: "Fund source" },
  { name: "carryover", type: "boolean", title: "上年结转结余", description: "Whether the money is last year's carry-over (true) or current-year income (false)", required: true },
  { name: "expenditure_type", type: "string", title: "支出类型（basic 基本支出 / project 项目支出）", description: "basic or project expenditure", enum: ["basic", "project"], required: true },
  {
    name: "basic_category",
    type: "string",
    title: "基本支出类别（personnel 人员经费 / operating 公用经费）",
    description: "Of basic expenditure: personnel or operating costs, by economic class as the template says; empty for projects",
    enum: ["personnel", "operating"],
  },
  { name: "project_code", type: "string", title: "项目编码", description: "Project code; empty for basic lines and for a classified project" },
  { name: "project", type: "string", title: "项目名称", description: "Project name (a classified project's public label)" },
  { name: "carryover_item", type: "string", title: "结转项目名称", description: "Carry-over item name (as printed in the carry-over table)" },
  {
    name: "aggregated",
    type: "boolean",
    title: "汇总行",
    description: "true on a classified project's rows: its lines summed to functional item × economic class × fund source",
    required: true,
  },
  { name: "amount", type: "number", title: "金额（元）", description: "Amount in yuan (元), exact to the fen: factor 1", required: true },
];

export type LineItemRow = Readonly<Record<(typeof LINE_ITEM_FIELDS)[number]["name"], string>>;

interface Raw {
  unit: string;
  func: string;
  econ: string;
  fund: string;
  carryover: boolean;
  kind: "basic" | "project";
  projectCode: string;
  project: string;
  item: string;
  aggregated: boolean;
  amount: bigint;
}

/**
 * The line items of a disclosure's scope (the department, or one unit), classified projects aggregated. Rows are
 * records keyed by `LINE_ITEM_FIELDS` names; amounts are 元 strings.
 */
export function lineItemRows(budget: Budget, catalog: Catalog, personnelEcon: readonly string[], scope: Disclosure["scope"]): LineItemRow[] {
  const inScope = (u: string) => scope.kind === "department" || scope.unit === u;
  const projects = new Map(budget.projects.map((p) => [p.code, p]));
  const raws: Raw[] = [];
  const groups = new Map<string, Raw>();
  for (const l of budget.lines) {
    if (!inScope(l.unit)) continue;
    const p = l.project === undefined ? undefined : projects.get(l.project);
    if (p?.classified) {
      const key = [l.unit, l.func, l.econ.slice(0, 3), l.fund, l.kind, p.code].join("|");
      const g = groups.get(key);
      if (g) g.amount += l.amount;
      else {
        const row: Raw = {
          unit: l.unit,
          func: l.func,
          econ: l.econ.slice(0, 3),
          fund: l.fund,
          carryover: false,
          kind: l.kind,
          projectCode: "",
          project: projectPublicName(p),
          item: "",
          aggregated: true,
          amount: l.amount,
        };
        groups.set(key, row);
        raws.push(row);
      }
      continue;
    }
    raws.push({
      unit: l.unit,
      func: l.func,
      econ: l.econ,
      fund: l.fund,
      carryover: false,
      kind: l.kind,
      projectCode: p?.code ?? "",
      project: p?.name ?? "",
      item: "",
      aggregated: false,
      amount: l.amount,
    });
  }
  for (const c of budget.carryover) {
    if (!inScope(c.unit)) continue;
    raws.push({ unit: c.unit, func: c.func, econ: c.econ, fund: `co.${c.fund}`, carryover: true, kind: c.kind, projectCode: "", project: "", item: c.name, aggregated: false, amount: c.amount });
  }
  const units = new Map(budget.units.map((u) => [u.code, u.name]));
  const fname = (code: string) => nameOf(catalog, "func", code);
  const ename = (code: string) => (code === "" ? "" : nameOf(catalog, "econ", code));
  return raws.map((r) => {
    const section = r.econ.length === 5 ? r.econ : "";
    return {
      year: String(budget.department.year),
      unit_code: r.unit,
      unit_name: units.get(r.unit) ?? "",
      func_class: r.func.slice(0, 3),
      func_class_name: fname(r.func.slice(0, 3)),
      func_section: r.func.slice(0, 5),
      func_section_name: fname(r.func.slice(0, 5)),
      func_item: r.func,
      func_item_name: fname(r.func),
      econ_class: r.econ.slice(0, 3),
      econ_class_name: ename(r.econ.slice(0, 3)),
      econ_section: section,
      econ_section_name: ename(section),
      fund_source: r.fund,
      fund_source_name: FUND_SOURCE_NAMES[r.fund]?.zh ?? r.fund,
      carryover: String(r.carryover),
      expenditure_type: r.kind,
      basic_category: r.kind === "project" ? "" : personnelEcon.some((p) => r.econ.startsWith(p)) ? "personnel" : "operating",
      project_code: r.projectCode,
      project: r.project,
      carryover_item: r.item,
      aggregated: String(r.aggregated),
      amount: formatYuan(r.amount),
    };
  });
}
