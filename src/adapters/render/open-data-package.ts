/**
 * Open data: a Fiscal Data Package (`datapackage.json`, profile `fiscal-data-package`, the `model` form: measures and
 * dimensions) describing `data/line-items.csv` (UTF-8 with BOM, CRLF). Amounts are in 元 exactly (`factor` 1: a value
 * is the amount itself, not thousands or 万元), currency CNY, direction expenditure, phase approved. The functional
 * and economic classifications are declared as classification dimensions (类 → 款 → 项 and 类 → 款, parent codes as
 * attributes). The description, in Chinese and English, carries the constructed-data note when the input is
 * constructed. The tables themselves are open data too: the `csv` format writes them.
 *
 * The JSON Schema this descriptor is validated against in tests is `data/schemas/fiscal-data-package.schema.json`.
 */
import type { OutputFile } from "../../app/command-registry.ts";
import type { BuildResult } from "../../app/build-disclosure.ts";
import { writeCsv } from "../../domain/csv-format.ts";
import { GENERATOR } from "./disclosure-json.ts";
import { LINE_ITEM_FIELDS, lineItemRows } from "./open-data-line-items.ts";

export const LINE_ITEMS_PATH = "data/line-items.csv";
const BOM = "\uFEFF";

/** Package and resource names: lower case letters, digits, `-`, `.`, `_`. */
function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
}

const attr = (source: string, extra: Record<string, string> = {}) => ({ source, resource: "line-items", ...extra });

/** The `model` of the package: one measure, the dimensions over the CSV's columns. */
function model(): Record<string, unknown> {
  return {
    measures: {
      amount: { source: "amount", resource: "line-items", currency: "CNY", factor: 1, direction: "expenditure", phase: "approved" },
    },
    dimensions: {
      "fiscal-year": { dimensionType: "datetime", attributes: { year: attr("year") }, primaryKey: ["year"] },
      administrative: {
        dimensionType: "classification",
        classificationType: "administrative",
        attributes: { code: attr("unit_code"), label: attr("unit_name", { labelfor: "code" }) },
        primaryKey: ["code"],
      },
      functional: {
        dimensionType: "classification",
        classificationType: "functional",
        attributes: {
          class: attr("func_class"),
          class_name: attr("func_class_name", { labelfor: "class" }),
          section: attr("func_section", { parent: "class" }),
          section_name: attr("func_section_name", { labelfor: "section" }),
          item: attr("func_item", { parent: "section" }),
          item_name: attr("func_item_name", { labelfor: "item" }),
        },
        primaryKey: ["item"],
      },
      economic: {
        dimensionType: "classification",
        classificationType: "economic",
        attributes: {
          class: attr("econ_class"),
          class_name: attr("econ_class_name", { labelfor: "class" }),
          section: attr("econ_section", { parent: "class" }),
          section_name: attr("econ_section_name", { labelfor: "section" }),
          basic_category: attr("basic_category"),
        },
        primaryKey: ["class", "section"],
      },
      "fund-source": {
        dimensionType: "other",
        attributes: { code: attr("fund_source"), label: attr("fund_source_name", { labelfor: "code" }), carryover: attr("carryover") },
        primaryKey: ["code"],
      },
      "expenditure-type": { dimensionType: "activity", attributes: { type: attr("expenditure_type") }, primaryKey: ["type"] },
      project: {
        dimensionType: "activity",
        attributes: { code: attr("project_code"), name: attr("project"), carryover_item: attr("carryover_item"), aggregated: attr("aggregated") },
        primaryKey: ["code", "name", "carryover_item"],
      },
    },
  };
}

/** datapackage.json and data/line-items.csv of a build. */
export function fiscalDataPackage(result: BuildResult): OutputFile[] {
  const d = result.disclosure;
  const rows = lineItemRows(result.budget, result.catalog, result.template.data.personnel_econ, d.scope);
  const csv = BOM + writeCsv([LINE_ITEM_FIELDS.map((f) => f.name), ...rows.map((r) => LINE_ITEM_FIELDS.map((f) => r[f.name] ?? ""))]);
  const owner = d.scope.kind === "unit" ? d.scope.name : d.department.name;
  const year = d.department.year;
  const zh = [
    `${owner} ${year} 年部门预算的支出明细（本年预算明细和上年结转结余），按预算单位、支出功能分类（类、款、项）、部门预算支出经济分类（类、款）、资金来源、基本支出/项目支出和项目列示。`,
    "金额单位为元，精确到分（factor 为 1：数值即金额本身，不是千元或万元）；汇总后与公开表格的合计一致，公开表格为这些金额按万元舍入一次的结果。",
    "涉密项目只以公开名称出现，其明细按功能分类“项”×经济分类“类”×资金来源汇总（不含项目编码和经济分类“款”）。文件为 UTF-8（带 BOM）编码的 CSV。",
    ...(d.constructed === null ? [] : [`注意：${d.constructed}`]),
  ].join("");
  const en = [
    `Expenditure line items of the ${year} department budget of ${owner} (current-year lines and last year's carry-over), by budget unit, functional classification (class, section, item), economic classification (class, section), fund source, basic/project expenditure and project.`,
    " Amounts are in yuan (CNY), exact to the fen: factor 1 (a value is the amount itself, not thousands or 10,000s). They sum to the totals of the published tables, whose cells are these amounts rounded once to 0.01 万元.",
    " A classified project appears only under its public label, its lines aggregated to functional item × economic class × fund source (no project code, no economic section). The CSV is UTF-8 with a byte-order mark.",
    ...(d.constructed === null ? [] : [` NOTE: the line items are CONSTRUCTED, not the department's ledger: ${d.constructed}`]),
  ].join("");
  const scopeSlug = d.scope.kind === "unit" ? `-unit-${d.scope.unit}` : "";
  const descriptor = {
    profile: "fiscal-data-package",
    name: slug(`gongkai-${d.department.code}${scopeSlug}-${year}-budget`) || "gongkai-budget",
    title: `${owner} ${year} 年部门预算支出明细 / ${year} budget line items`,
    description: `${zh}\n\n${en}`,
    countryCode: "CN",
    fiscalPeriod: { start: `${year}-01-01`, end: `${year}-12-31` },
    granularity: "aggregated",
    keywords: ["部门预算公开", "department budget", String(year), d.department.region],
    ...(d.department.date === undefined ? {} : { created: d.department.date }),
    generator: GENERATOR,
    constructed: d.constructed,
    resources: [
      {
        name: "line-items",
        title: "预算支出明细 / budget line items",
        path: LINE_ITEMS_PATH,
        profile: "tabular-data-resource",
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        dialect: { delimiter: ",", lineTerminator: "\r\n", quoteChar: '"', doubleQuote: true, header: true },
        schema: {
          fields: LINE_ITEM_FIELDS.map((f) => ({
            name: f.name,
            type: f.type,
            title: f.title,
            description: f.description,
            ...(f.type === "number" ? { decimalChar: ".", bareNumber: true } : {}),
            ...(f.type === "boolean" ? { trueValues: ["true"], falseValues: ["false"] } : {}),
            ...(f.pattern === undefined && f.enum === undefined && f.required === undefined
              ? {}
              : {
                  constraints: {
                    ...(f.required === undefined ? {} : { required: f.required }),
                    ...(f.pattern === undefined ? {} : { pattern: f.pattern }),
                    ...(f.enum === undefined ? {} : { enum: f.enum }),
                    ...(f.type === "number" ? { minimum: 0 } : {}),
                  },
                }),
          })),
          missingValues: [""],
        },
      },
    ],
    model: model(),
  };
  return [
    { path: LINE_ITEMS_PATH, content: csv },
    { path: "datapackage.json", content: JSON.stringify(descriptor, null, 2) + "\n" },
  ];
}
