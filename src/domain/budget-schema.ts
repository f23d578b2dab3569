/**
 * The input format: one department's budget, as a department knows it and nothing derivable.
 * One zod schema gives the TypeScript types, the runtime checks and the published JSON Schema (`gongkai schema`).
 *
 * Amounts are 元 with at most two decimals. The YAML reader hands every scalar to this schema as its source text,
 * so an amount never passes through a float; other tools may send JSON numbers, which are accepted as well.
 */
import { z } from "zod";
import { LINE_ID_PATTERN } from "./draft-patch.ts";
import { parseYuan, type Fen } from "./money.ts";
import { closeBidi } from "./text-chars.ts";

export const BUDGET_SCHEMA_ID = "https://gongkai.example/schema/budget-1.json";
export const BUDGET_FORMAT = "gongkai/budget@1";

const AMOUNT_PROBLEM_TEXT = {
  empty: "amount.empty",
  "not-a-number": "amount.not_a_number",
  negative: "amount.negative",
  "too-many-decimals": "amount.too_many_decimals",
  "too-large": "amount.too_large",
} as const;

/** An amount in 元: number or decimal text, ≥ 0, at most two decimals, thousands separators allowed. */
export const amountSchema = z
  .union([z.number(), z.string()])
  .describe("金额（元），最多两位小数，可用千分位；amount in yuan, at most two decimals")
  .transform((v, ctx): Fen => {
    const text = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "NaN") : v;
    // A JSON number printed by String() may use an exponent (1e21) or show float noise; parseYuan refuses both.
    const r = parseYuan(text);
    if (r.ok) return r.fen;
    ctx.addIssue({ code: "custom", message: AMOUNT_PROBLEM_TEXT[r.problem], params: { gk: AMOUNT_PROBLEM_TEXT[r.problem], value: text } });
    return z.NEVER;
  });

/** A code is text made of digits: `03` stays `03`. Integers are accepted from tools that lose the quotes. */
const digits = (len: number[], what: string) =>
  z
    .union([z.string(), z.number().int()])
    .describe(what)
    .transform((v, ctx) => {
      const s = typeof v === "number" ? String(v) : v.trim();
      if (!/^\d+$/.test(s) || !len.includes(s.length)) {
        ctx.addIssue({ code: "custom", message: "code.bad_shape", params: { gk: "code.bad_shape", value: s, lengths: len.join("/") } });
        return z.NEVER;
      }
      return s;
    });

/** 功能分类科目, 7 digits (项). */
export const funcCodeSchema = digits([7], "支出功能分类科目编码（7 位，到项）；functional classification code to item level");
/** 部门预算支出经济分类科目, 5 digits (款). */
export const econCodeSchema = digits([5], "部门预算支出经济分类科目编码（5 位，到款）；economic classification code to section level");

/**
 * The largest department budget: what every renderer (page, PDF, Word, workbooks, CSV, JSON) builds in under 1.5 GiB and
 * a minute on the project's 2-core machine, with a margin (measured with bench/limit-budget.ts, every format in one
 * build: 200 units, 200 projects each with a performance target, 2,000 lines and 1,500 indicators take 1.13 GB and
 * about 16 s alone; 400 projects with 2,831 indicators took 1.86 GB, 500 / 1,000 / 5,000 1.7 GB). Past them the budget
 * is refused (exit 2, naming the limit): a province is many files, never one. README, Input limits.
 */
export const MAX_UNITS = 200;
export const MAX_PROJECTS = 200;
export const MAX_LINES = 2_000;
export const MAX_CARRYOVER = 400;
/** Indicators of all performance targets together (department and projects), and allocation items of all projects. */
export const MAX_INDICATORS = 1_500;
export const MAX_ALLOCATIONS = 1_000;

// every text is read with the bidi controls it leaves open closed at its end (text-chars.ts closeBidi): a name with
// an unclosed right-to-left override must not reverse the sentences and table rows it is printed in
const text = (what: string, max = 4000) => z.string().trim().min(1).max(max).transform(closeBidi).describe(what);
const optText = (what: string, max = 4000) => z.string().trim().max(max).transform(closeBidi).describe(what).optional();
const idText = (what: string) =>
  z
    .union([z.string(), z.number().int()])
    .describe(what)
    .transform((v) => closeBidi(String(v).trim()))
    .pipe(z.string().min(1).max(64));

export const UNIT_TYPES = ["行政", "参公", "事业"] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** Current-year fund sources (本年收入). */
export const CURRENT_FUNDS = [
  "gpb.own", // 一般公共预算 本级一般财力
  "gpb.transfer", // 上级一般公共预算安排转移支付
  "gf.own", // 政府性基金收入
  "gf.transfer", // 上级政府性基金安排转移支付
  "sc.own", // 国有资本经营收入
  "sc.transfer", // 上级国有资本经营预算安排转移支付
  "special_account", // 财政专户管理资金
  "unit.business", // 事业收入
  "unit.upper_subsidy", // 上级补助收入
  "unit.affiliated", // 附属单位上缴收入
  "unit.operating", // 事业单位经营收入
  "unit.other", // 其他收入
] as const;
export type CurrentFund = (typeof CURRENT_FUNDS)[number];

/** Carry-over fund sources (上年结转结余). */
export const CARRYOVER_FUNDS = [
  "gpb", // 财政拨款结转 — 一般公共预算拨款
  "gf", // 财政拨款结转 — 基金预算拨款
  "sc", // 财政拨款结转 — 国有资本经营预算拨款
  "special_account", // 非财政拨款结转结余 — 财政专户核拨
  "unit", // 非财政拨款结转结余 — 单位资金
] as const;
export type CarryoverFund = (typeof CARRYOVER_FUNDS)[number];

export const EXPENDITURE_KINDS = ["basic", "project"] as const;
export type ExpenditureKind = (typeof EXPENDITURE_KINDS)[number];

const kindSchema = z.enum(EXPENDITURE_KINDS).describe("basic 基本支出 / project 项目支出");

/**
 * A line's `id` (`L1`, `L3f`, `Lk2x9q0d1m4za`, pattern LINE_ID_PATTERN) is stable: the browser editor saves every change
 * against it, so that two people editing different lines both keep their work (src/domain/draft-patch.ts). Optional,
 * and nothing but the editor reads it: a budget builds, checks and renders the same with ids or without, and the
 * workbook has no column for it (ids are not carried through a workbook).
 */
export const lineSchema = z
  .object({
    id: z.string().regex(LINE_ID_PATTERN).optional().describe("明细行标识（编辑器用，稳定不变）；stable line id, kept by the editor"),
    unit: idText("预算单位编码；unit code"),
    func: funcCodeSchema,
    econ: econCodeSchema,
    fund: z.enum(CURRENT_FUNDS).describe("资金来源；fund source"),
    kind: kindSchema,
    project: idText("项目编码（项目支出必填）；project code, for project lines").optional(),
    amount: amountSchema,
    note: optText("备注；note", 500),
  })
  .strict();

export const carryoverSchema = z
  .object({
    unit: idText("预算单位编码；unit code"),
    name: text("结转项目名称；carry-over item name", 200),
    func: funcCodeSchema,
    econ: econCodeSchema,
    fund: z.enum(CARRYOVER_FUNDS).describe("结转资金性质；carry-over fund"),
    kind: kindSchema,
    amount: amountSchema,
    purpose: optText("主要用途；what it will be spent on", 2000),
  })
  .strict();

export const unitSchema = z
  .object({
    code: idText("单位编码；unit code"),
    name: text("单位名称；unit name", 200),
    type: z.enum(UNIT_TYPES).describe("单位性质：行政 / 参公 / 事业"),
  })
  .strict();

const allocationSchema = z.object({ item: text("资金分配事项；allocation item", 500), amount: amountSchema }).strict();

export const projectSchema = z
  .object({
    code: idText("项目编码；project code"),
    name: text("项目名称；project name", 200),
    unit: idText("项目承担单位编码；owning unit code"),
    classified: z.boolean().default(false).describe("涉密项目；classified"),
    public_label: z.string().trim().min(1).max(200).transform(closeBidi).describe("涉密项目公开名称（如 特定目标 8910002U）；public label of a classified project").optional(),
    owner: optText("项目负责人；person in charge", 100),
    basis: optText("设立的政策依据；policy basis"),
    purpose: optText("项目总体目标 / 用途；purpose"),
    allocation: z.array(allocationSchema).max(1000).default([]).describe("资金分配情况；allocation items"),
    schedule: optText("资金执行时间；schedule", 200),
  })
  .strict();

const headcount = z
  .object({
    count: z.number().int().min(0).max(10_000_000),
    prior: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();

export const profileSchema = z
  .object({
    functions: z.array(text("主要职能；a function", 2000)).max(200).default([]),
    organisation: optText("机构设置；organisation", 8000),
    staffing: z
      .object({
        authorised: z.number().int().min(0).max(10_000_000).describe("编制数"),
        actual: z.number().int().min(0).max(10_000_000).describe("实有人数"),
        serving: headcount.describe("在职"),
        retired: headcount.describe("退休"),
        honourably_retired: headcount.describe("离休"),
      })
      .strict()
      .optional(),
  })
  .strict();

export const procurementSchema = z
  .object({
    goods: amountSchema.describe("政府采购货物预算"),
    works: amountSchema.describe("政府采购工程预算"),
    services: amountSchema.describe("政府采购服务预算"),
    sme_reserved: amountSchema.describe("面向中小企业预留"),
    small_micro_reserved: amountSchema.describe("其中小微企业预留"),
  })
  .strict();

const count = z.number().int().min(0).max(1_000_000);
export const VEHICLE_KINDS = ["general", "law_enforcement", "other"] as const;

export const assetsSchema = z
  .object({
    as_of: optText("截至日期；as of (e.g. 2023-12-31)", 20),
    buildings: z
      .object({
        area_m2: z
          .union([z.number(), z.string()])
          .transform((v) => String(v).trim())
          .pipe(z.string().regex(/^\d+(\.\d{1,2})?$/, "面积为非负数，最多两位小数"))
          .describe("房屋面积（平方米）"),
        value: amountSchema,
      })
      .strict(),
    vehicles: z
      .array(z.object({ kind: z.enum(VEHICLE_KINDS).describe("一般公务用车 / 执法执勤用车 / 其他车辆"), count, value: amountSchema }).strict())
      .max(10),
    furniture: amountSchema.describe("办公家具价值"),
    other: amountSchema.describe("其他资产价值"),
    large_equipment: z.object({ over_500k: count, over_1m: count }).strict().describe("单位价值 50 万元 / 100 万元以上大型设备台数"),
    planned: z
      .object({
        vehicles: z.array(z.object({ kind: z.enum(VEHICLE_KINDS), count, amount: amountSchema }).strict()).max(10).default([]),
        large_equipment_over_500k: count.default(0),
        large_equipment_over_1m: count.default(0),
      })
      .strict()
      .default({ vehicles: [], large_equipment_over_500k: 0, large_equipment_over_1m: 0 }),
  })
  .strict();

export const COMPARATORS = [">=", "<=", "=", ">", "<", "定性"] as const;

export const indicatorSchema = z
  .object({
    level1: text("一级指标", 100),
    level2: text("二级指标", 100),
    name: text("三级指标", 500),
    comparator: z.enum(COMPARATORS).describe("比较：>= <= = > < 定性"),
    value: z.union([z.string(), z.number()]).transform((v) => closeBidi(String(v).trim())).describe("指标值"),
    unit: optText("计量单位", 20),
    basis: optText("指标设定依据", 500),
    weight: z.number().min(0).max(100).describe("分值权重"),
    scoring: optText("指标赋分规则", 500),
    evidence: optText("佐证资料", 500),
    last_year: z.union([z.string(), z.number()]).transform((v) => closeBidi(String(v).trim())).optional().describe("上年完成值"),
  })
  .strict();

export const performanceSchema = z
  .object({
    contact: z.object({ name: text("部门联系人", 50), phone: text("联系电话", 50) }).strict().optional(),
    department: z
      .object({ goal: text("年度绩效目标", 4000), indicators: z.array(indicatorSchema).max(500) })
      .strict()
      .optional(),
    projects: z
      .array(
        z
          .object({
            project: idText("项目编码；project code"),
            owner: optText("项目负责人", 100),
            goal: text("项目总体目标", 4000),
            indicators: z.array(indicatorSchema).max(500),
          })
          .strict(),
      )
      .max(MAX_PROJECTS)
      .default([]),
  })
  .strict();

const figureId = z.string().regex(/^[a-z_]+(\.[a-z0-9_]+)*$/, "figure.bad_id");

/**
 * Names the input gives to codes that the year's catalog does not list (`names.func["2230202"]`). Keys are codes as
 * text at any printed level: a function 类/款/项 (3/5/7 digits), an economic 类/款 (3/5 digits). A name is printed
 * wherever the catalog's name would be; a code the catalog lists keeps the catalog's name (docs/decisions.md D2).
 */
const codeName = text("科目名称（按公开文件印出）；the code's name, as it is to be printed", 200);
export const namesSchema = z
  .object({
    func: z
      .record(z.string().regex(/^(\d{3}|\d{5}|\d{7})$/, "names.bad_func_code"), codeName)
      .default({})
      .describe(
        "目录中没有的功能分类科目的名称，按编码（类 3 位、款 5 位、项 7 位，写作文本）；names of functional codes missing from the catalog, by code (3/5/7 digits, as text)",
      ),
    econ: z
      .record(z.string().regex(/^(\d{3}|\d{5})$/, "names.bad_econ_code"), codeName)
      .default({})
      .describe(
        "目录中没有的经济分类科目的名称，按编码（类 3 位、款 5 位，写作文本）；names of economic codes missing from the catalog, by code (3/5 digits, as text)",
      ),
  })
  .strict();

export const budgetSchema = z
  .object({
    format: z.literal(BUDGET_FORMAT).describe("文件格式标识；format id"),
    constructed: z
      .string()
      .trim()
      .max(2000)
      .transform(closeBidi)
      .optional()
      .describe("构造数据说明：明细为构造时必填，每个输出都会标注；constructed-data note"),
    department: z
      .object({
        name: text("部门名称", 200),
        code: idText("部门编码"),
        region: text("地区", 100),
        year: z.number().int().min(2000).max(2100).describe("预算年度"),
        template: text("公开模板编号（如 xinjiang-2024）", 64),
        date: optText("公开日期", 20),
      })
      .strict(),
    units: z.array(unitSchema).min(1).max(MAX_UNITS),
    profile: profileSchema.default({ functions: [] }),
    projects: z.array(projectSchema).max(MAX_PROJECTS).default([]),
    lines: z.array(lineSchema).max(MAX_LINES),
    carryover: z.array(carryoverSchema).max(MAX_CARRYOVER).default([]),
    prior_year: z.record(figureId, amountSchema).default({}).describe("上年预算数，按模板的数字编号；prior-year figures by figure id"),
    reasons: z.record(figureId, text("增减变化原因", 4000)).default({}).describe("增减变化原因，按数字编号；reasons by figure id"),
    descriptions: z
      .record(figureId, text("主要用途", 4000))
      .default({})
      .describe("主要用途说明（如各类支出“主要用于……”），按数字编号；what a figure's money is for, by figure id"),
    names: namesSchema
      .default({ func: {}, econ: {} })
      .describe("目录中没有的科目的名称（功能分类 func、经济分类 econ）；names of codes missing from the catalog"),
    procurement: procurementSchema.optional(),
    assets: assetsSchema.optional(),
    performance: performanceSchema.default({ projects: [] }),
  })
  .strict();

/** The budget after validation: amounts are exact `bigint` 分, codes are digit strings. */
export type Budget = z.output<typeof budgetSchema>;
export type BudgetLine = Budget["lines"][number];
export type CarryoverItem = Budget["carryover"][number];
export type Unit = Budget["units"][number];
export type Project = Budget["projects"][number];
export type Indicator = z.output<typeof indicatorSchema>;

/** The published JSON Schema of the input format (what editors and other tools validate against). */
export function budgetJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(budgetSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { ...schema, $id: BUDGET_SCHEMA_ID, title: "Gongkai 部门预算输入 / department budget input" };
}
