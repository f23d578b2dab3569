/**
 * A synthetic province for the benchmark and the platform's demo data: 10,000 department budgets, about 2 million
 * line items, generated deterministically (one seeded PRNG per department, so department i is the same whatever else is generated).
 *
 * Realism, within reason: 1–8 units per department (行政 / 参公 / 事业), function codes from the 2024 catalog's 项
 * (level 3) and economic codes from its 款 (level 2), money skewed to 行政运行 / 事业运行, personnel (301) and
 * goods and services (302), social security pairs (2080505 × 30108, 2101101 × 30110, 2210201 × 30113, …);
 * fund sources mostly gpb.own with some gpb.transfer, gf, sc, special_account and unit.*; basic and project lines,
 * projects with codes (a few classified with a public label), allocations, performance targets, a few carry-over
 * items, prior-year figures and reasons (most consistent, some contradicting the numbers, some missing).
 *
 * Budgets come out already validated (the schema's output type: amounts in bigint 分, defaults filled), and
 * `budgetYaml` writes the same budget as an input file; the bench checks a sample round-trips through
 * `readBudgetFile` to a deep-equal budget.
 *
 * Moved here from bench/province-generator.ts (which re-exports it and keeps the bench's file cache) with its output
 * unchanged: the texts it writes still name the bench as their origin, so every generated budget is byte for byte
 * what it was.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUDGET_FORMAT, type Budget, type BudgetLine, type CurrentFund, type CarryoverFund, type Indicator, type Project, type Unit, type UnitType } from "../domain/budget-schema.ts";
import { parseCsvRecords } from "../domain/csv-format.ts";

/** Bump when the output changes: cached YAML files of another version are regenerated. */
export const GENERATOR_VERSION = 3;
export const DEFAULT_SEED = 20240101;

const CATALOG_DIR = fileURLToPath(new URL("../../data/catalogs/2024/", import.meta.url));

// ---------------------------------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32, one stream per department.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number, stream: number) {
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.next() * xs.length)];
    if (x === undefined) throw new Error("pick from an empty list");
    return x;
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** A weighted choice, prepared once. */
class Weighted<T> {
  private readonly cum: number[] = [];
  private readonly items: T[] = [];
  private total = 0;
  constructor(pairs: readonly (readonly [T, number])[]) {
    for (const [item, w] of pairs) {
      if (w <= 0) continue;
      this.total += w;
      this.cum.push(this.total);
      this.items.push(item);
    }
    if (this.items.length === 0) throw new Error("Weighted: no items");
  }
  pick(r: Rng): T {
    const x = r.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog-driven code pools

interface CodeRow {
  code: string;
  name: string;
}

function catalogRows(file: string, level: string): CodeRow[] {
  return parseCsvRecords(readFileSync(join(CATALOG_DIR, file), "utf8"))
    .filter((r) => (r["level"] ?? "").trim() === level)
    .map((r) => ({ code: (r["code"] ?? "").trim(), name: (r["name"] ?? "").trim() }));
}

interface Pools {
  funcItems: CodeRow[];
  econSections: CodeRow[];
  /** 款 that have a 行政运行 (xx01) item: a department's home 款 */
  homeSections: { section: string; admin: string; institution: string | null; projectItems: string[] }[];
  homeWeights: Weighted<number>;
  /** project function items outside the home 款 */
  otherProjectItems: Weighted<string>;
  gfItems: string[];
  scItems: string[];
}

let pools: Pools | null = null;

function loadPools(): Pools {
  if (pools) return pools;
  const funcItems = catalogRows("exp_func_2024_partial.csv", "3");
  const econSections = catalogRows("exp_econ_department_2024.csv", "2");
  const funcSet = new Set(funcItems.map((r) => r.code));
  const econSet = new Set(econSections.map((r) => r.code));
  // every code this generator names must be in the catalog (a missing one would silently become "unknown code")
  for (const c of [...BASIC_ECON_ADMIN.map((x) => x[0]), ...PROJECT_ECON.map((x) => x[0]), ...SOCIAL.map((s) => s.econ), ...CO_ECON])
    if (!econSet.has(c)) throw new Error(`generator: econ ${c} not in catalog`);
  for (const s of SOCIAL) for (const f of [s.admin, s.institution]) if (!funcSet.has(f)) throw new Error(`generator: func ${f} not in catalog`);

  const bySection = new Map<string, CodeRow[]>();
  for (const r of funcItems) {
    const s = r.code.slice(0, 5);
    let l = bySection.get(s);
    if (!l) bySection.set(s, (l = []));
    l.push(r);
  }
  const fallbackInstitution = "2010350";
  const homeSections: Pools["homeSections"] = [];
  const weights: [number, number][] = [];
  for (const [section, rows] of bySection) {
    const admin = rows.find((r) => r.name === "行政运行");
    if (!admin) continue;
    const inst = rows.find((r) => r.name === "事业运行");
    const projectItems = rows.filter((r) => r.name !== "行政运行" && r.name !== "事业运行").map((r) => r.code);
    homeSections.push({ section, admin: admin.code, institution: inst?.code ?? fallbackInstitution, projectItems: projectItems.length ? projectItems : ["2019999"] });
    // 201 一般公共服务 dominates a province's department count; other classes less so
    weights.push([homeSections.length - 1, section.startsWith("201") ? 3 : 2]);
  }
  const skip = new Set(SOCIAL.flatMap((s) => [s.admin, s.institution]));
  const other: [string, number][] = funcItems
    .filter((r) => !skip.has(r.code) && r.name !== "行政运行" && r.name !== "事业运行")
    .map((r) => [r.code, r.code.startsWith("208") || r.code.startsWith("210") || r.code.startsWith("212") || r.code.startsWith("221") ? 3 : 1]);
  pools = {
    funcItems,
    econSections,
    homeSections,
    homeWeights: new Weighted(weights),
    otherProjectItems: new Weighted(other),
    gfItems: funcItems.filter((r) => r.code.startsWith("212") || r.code.startsWith("229")).map((r) => r.code),
    scItems: funcItems.filter((r) => r.code.startsWith("215") || r.code.startsWith("216") || r.code.startsWith("2299")).map((r) => r.code),
  };
  return pools;
}

/** Economic 款 of running (行政运行 / 事业运行) basic lines, with weight and median amount (元). */
const BASIC_ECON_ADMIN: readonly (readonly [string, number, number])[] = [
  ["30101", 10, 420_000],
  ["30102", 9, 380_000],
  ["30103", 7, 200_000],
  ["30106", 1, 30_000],
  ["30107", 4, 260_000],
  ["30112", 3, 9_000],
  ["30199", 4, 45_000],
  ["30201", 5, 40_000],
  ["30202", 2, 8_000],
  ["30205", 2, 6_000],
  ["30206", 2, 15_000],
  ["30207", 3, 12_000],
  ["30208", 2, 30_000],
  ["30209", 2, 25_000],
  ["30211", 4, 30_000],
  ["30212", 1, 20_000],
  ["30213", 2, 20_000],
  ["30215", 1, 8_000],
  ["30216", 2, 10_000],
  ["30217", 2, 4_000],
  ["30228", 3, 25_000],
  ["30229", 3, 20_000],
  ["30231", 3, 30_000],
  ["30239", 3, 50_000],
  ["30299", 4, 40_000],
  ["30305", 1, 10_000],
  ["30309", 1, 6_000],
  ["30399", 1, 8_000],
  ["31002", 1, 15_000],
];

/** Social security and housing pairs of basic lines: function item (行政 / 事业 variant) × economic 款. */
const SOCIAL: readonly { admin: string; institution: string; econ: string; weight: number; median: number }[] = [
  { admin: "2080501", institution: "2080502", econ: "30302", weight: 3, median: 180_000 },
  { admin: "2080505", institution: "2080505", econ: "30108", weight: 5, median: 160_000 },
  { admin: "2080506", institution: "2080506", econ: "30109", weight: 4, median: 80_000 },
  { admin: "2101101", institution: "2101102", econ: "30110", weight: 4, median: 90_000 },
  { admin: "2101103", institution: "2101103", econ: "30111", weight: 2, median: 15_000 },
  { admin: "2101199", institution: "2101199", econ: "30112", weight: 1, median: 3_000 },
  { admin: "2210201", institution: "2210201", econ: "30113", weight: 5, median: 150_000 },
  { admin: "2210202", institution: "2210202", econ: "30102", weight: 1, median: 20_000 },
  { admin: "2210203", institution: "2210203", econ: "30399", weight: 1, median: 30_000 },
];

/** Economic 款 of project lines, with weight and median amount (元). */
const PROJECT_ECON: readonly (readonly [string, number, number])[] = [
  ["30201", 6, 50_000],
  ["30202", 3, 20_000],
  ["30203", 2, 60_000],
  ["30211", 5, 40_000],
  ["30213", 4, 120_000],
  ["30214", 2, 60_000],
  ["30215", 3, 30_000],
  ["30216", 4, 40_000],
  ["30217", 1, 5_000],
  ["30218", 4, 90_000],
  ["30226", 5, 80_000],
  ["30227", 6, 150_000],
  ["30231", 1, 30_000],
  ["30299", 6, 70_000],
  ["30102", 1, 60_000],
  ["30199", 1, 40_000],
  ["30305", 2, 100_000],
  ["30306", 1, 80_000],
  ["30399", 2, 90_000],
  ["30905", 1, 1_500_000],
  ["30906", 1, 600_000],
  ["30913", 1, 250_000],
  ["31002", 3, 60_000],
  ["31003", 2, 300_000],
  ["31005", 1, 900_000],
  ["31006", 1, 400_000],
  ["31007", 2, 200_000],
  ["31013", 1, 250_000],
  ["31204", 1, 300_000],
  ["31299", 1, 200_000],
  ["31302", 1, 200_000],
  ["39908", 1, 50_000],
  ["39999", 1, 60_000],
];
const CO_ECON = ["30299", "30201", "30211", "30227", "31002"];

const basicEconW = new Weighted(BASIC_ECON_ADMIN.map((e) => [e, e[1]] as const));
const socialW = new Weighted(SOCIAL.map((s) => [s, s.weight] as const));
const projectEconW = new Weighted(PROJECT_ECON.map((e) => [e, e[1]] as const));

const BASIC_FUND_ADMIN = new Weighted<CurrentFund>([
  ["gpb.own", 90],
  ["gpb.transfer", 4],
  ["special_account", 1],
  ["unit.other", 4],
  ["gf.own", 0.7],
  ["sc.own", 0.3],
]);
const BASIC_FUND_INST = new Weighted<CurrentFund>([
  ["gpb.own", 70],
  ["gpb.transfer", 4],
  ["special_account", 4],
  ["unit.business", 12],
  ["unit.upper_subsidy", 2],
  ["unit.affiliated", 1],
  ["unit.operating", 2],
  ["unit.other", 4],
  ["gf.own", 0.7],
  ["sc.own", 0.3],
]);
const PROJECT_FUND = new Weighted<CurrentFund>([
  ["gpb.own", 68],
  ["gpb.transfer", 16],
  ["gf.own", 4],
  ["gf.transfer", 2],
  ["sc.own", 0.8],
  ["sc.transfer", 0.2],
  ["special_account", 3],
  ["unit.business", 2],
  ["unit.upper_subsidy", 1],
  ["unit.operating", 1],
  ["unit.other", 2],
]);

// ---------------------------------------------------------------------------------------------------------------
// Names and texts

/** Prefectures and a few of their counties (a department is prefecture-level or county-level). */
const REGIONS: readonly (readonly [string, readonly string[]])[] = [
  ["乌鲁木齐市", ["天山区", "沙依巴克区", "米东区"]],
  ["克拉玛依市", ["独山子区", "白碱滩区"]],
  ["吐鲁番市", ["高昌区", "鄯善县", "托克逊县"]],
  ["哈密市", ["伊州区", "巴里坤哈萨克自治县"]],
  ["昌吉回族自治州", ["昌吉市", "阜康市", "呼图壁县", "玛纳斯县"]],
  ["博尔塔拉蒙古自治州", ["博乐市", "精河县"]],
  ["巴音郭楞蒙古自治州", ["库尔勒市", "轮台县", "焉耆回族自治县"]],
  ["阿克苏地区", ["阿克苏市", "库车市", "温宿县"]],
  ["克孜勒苏柯尔克孜自治州", ["阿图什市", "阿克陶县"]],
  ["喀什地区", ["喀什市", "疏附县", "莎车县"]],
  ["和田地区", ["和田市", "墨玉县", "于田县"]],
  ["伊犁哈萨克自治州", ["伊宁市", "奎屯市", "霍城县"]],
  ["塔城地区", ["塔城市", "乌苏市", "沙湾市"]],
  ["阿勒泰地区", ["阿勒泰市", "布尔津县", "富蕴县"]],
];
const BUREAUS = [
  "信访局", "财政局", "统计局", "发展和改革委员会", "人民政府办公室", "司法局", "公安局", "教育局", "科学技术局",
  "文化体育广播电视和旅游局", "人力资源和社会保障局", "民政局", "退役军人事务局", "卫生健康委员会", "生态环境局",
  "住房和城乡建设局", "城市管理局", "农业农村局", "水利局", "交通运输局", "工业和信息化局", "商务局", "自然资源局", "应急管理局",
];
const SUFFIXES = ["服务中心", "信息中心", "综合执法大队", "事务中心", "监测站", "培训中心", "档案馆", "研究所"];
const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "马", "阿不都", "艾尼", "古丽", "赵", "周"];
const GIVEN = ["新中", "建华", "丽", "海军", "明", "卫东", "玉山", "娜", "志强", "红梅", "江"];
const PROJECT_TOPICS = [
  "业务工作经费", "信息化建设", "专项业务活动经费", "培训经费", "设备购置", "办公用房维修改造", "基层工作经费",
  "宣传工作经费", "监督检查经费", "应急保障经费", "购买服务经费", "民生实事补助", "专项调查经费", "运行维护经费",
];

const person = (r: Rng) => r.pick(SURNAMES) + r.pick(GIVEN);

// ---------------------------------------------------------------------------------------------------------------
// Money

/** A synthetic amount in 分: whole 元 mostly (often round hundreds), some with 分. Never 0. */
function amountFen(r: Rng, medianYuan: number, sigma = 0.8): bigint {
  const yuan = Math.max(1, Math.round(r.lognormal(medianYuan, sigma)));
  const x = r.next();
  if (x < 0.6) return BigInt(Math.max(100, Math.round(yuan / 100) * 100)) * 100n;
  if (x < 0.85) return BigInt(yuan) * 100n;
  return BigInt(yuan) * 100n + BigInt(r.int(1, 99));
}

const roundHundred = (fen: bigint) => ((fen + 500_00n) / 100_00n) * 100_00n;

// ---------------------------------------------------------------------------------------------------------------
// One department

export interface ProvinceOptions {
  readonly seed?: number;
}

const SANGONG = ["30212", "30217", "30231", "31013", "30913"] as const;

export function departmentCode(i: number): string {
  return `6${String(i).padStart(5, "0")}`;
}

/** Department i of the province, already validated (the schema's output). */
export function generateDepartment(i: number, opts: ProvinceOptions = {}): Budget {
  const P = loadPools();
  const r = new Rng(opts.seed ?? DEFAULT_SEED, i);
  const code = departmentCode(i);

  // Size: ~200 lines on average, 50–600.
  const nLines = Math.min(600, Math.max(50, Math.round(r.lognormal(180, 0.5))));
  const nUnits = Math.min(8, Math.max(1, Math.round(1 + (nLines / 600) * 7 * r.next() + r.next() * 1.2)));
  const scale = r.lognormal(1, 0.7); // department money scale

  const [prefecture, counties] = r.pick(REGIONS);
  const county = r.chance(0.3) ? "" : r.pick(counties);
  const deptName = `${county || prefecture}${r.pick(BUREAUS)}`;
  const home = P.homeSections[P.homeWeights.pick(r)]!;

  const units: Unit[] = [];
  for (let u = 0; u < nUnits; u++) {
    const type: UnitType = u === 0 ? (r.chance(0.85) ? "行政" : "参公") : r.chance(0.75) ? "事业" : r.chance(0.5) ? "参公" : "行政";
    units.push({ code: String(u + 1).padStart(3, "0"), name: u === 0 ? `${deptName}${r.chance(0.5) ? "机关" : ""}` : `${deptName}${SUFFIXES[(u - 1) % SUFFIXES.length]}${u > SUFFIXES.length ? u : ""}`, type });
  }
  const unitW = new Weighted(units.map((u, k) => [k, k === 0 ? 3 : 1] as const));

  const lines: BudgetLine[] = [];
  const seen = new Set<string>();
  const addLine = (l: BudgetLine) => {
    // lines identical in every field are summed by the reader; keep them distinct so the round trip is exact
    let key = `${l.unit}|${l.func}|${l.econ}|${l.fund}|${l.kind}|${l.project ?? ""}|${l.amount}|${l.note ?? ""}`;
    while (seen.has(key)) {
      l.amount += 100n;
      key = `${l.unit}|${l.func}|${l.econ}|${l.fund}|${l.kind}|${l.project ?? ""}|${l.amount}|${l.note ?? ""}`;
    }
    seen.add(key);
    lines.push(l);
  };

  // Basic lines: running (行政运行 / 事业运行) and social-security pairs.
  const basicTarget = Math.round(nLines * (0.4 + 0.25 * r.next()));
  for (let k = 0; k < basicTarget; k++) {
    const ui = unitW.pick(r);
    const unit = units[ui]!;
    const inst = unit.type === "事业";
    const fund = (inst ? BASIC_FUND_INST : BASIC_FUND_ADMIN).pick(r);
    if (r.chance(0.75)) {
      const [econ, , median] = basicEconW.pick(r);
      // a few departments book a 事业 unit's running under 行政运行 (I-OFFICE-SCOPE fires)
      const func = inst ? (r.chance(0.01) ? home.admin : home.institution!) : home.admin;
      const line: BudgetLine = { unit: unit.code, func, econ, fund, kind: "basic", amount: amountFen(r, median * scale) };
      if (r.chance(0.05)) line.note = "含调资";
      addLine(line);
    } else {
      const s = socialW.pick(r);
      addLine({ unit: unit.code, func: inst ? s.institution : s.admin, econ: s.econ, fund, kind: "basic", amount: amountFen(r, s.median * scale) });
    }
  }

  // Projects and their lines.
  const projects: Project[] = [];
  const projectLines = nLines - basicTarget;
  let made = 0;
  let seq = 0;
  while (made < projectLines) {
    seq++;
    const ui = unitW.pick(r);
    const unit = units[ui]!;
    const classified = r.chance(0.02);
    const pcode = classified ? `891${String(i % 1000).padStart(3, "0")}${String(seq).padStart(2, "0")}U` : `P2024${code}${unit.code}${String(seq).padStart(3, "0")}`;
    const fund = PROJECT_FUND.pick(r);
    const funcs =
      fund.startsWith("gf")
        ? [r.pick(P.gfItems)]
        : fund.startsWith("sc")
          ? [r.pick(P.scItems)]
          : r.chance(0.7)
            ? [r.pick(home.projectItems)]
            : [P.otherProjectItems.pick(r), ...(r.chance(0.3) ? [r.pick(home.projectItems)] : [])];
    const k = Math.min(projectLines - made, Math.max(1, Math.round(r.lognormal(5, 0.6))));
    const topic = r.pick(PROJECT_TOPICS);
    const name = `${unit.name.replace(deptName, "") || ""}${topic}${seq}`;
    let total = 0n;
    for (let j = 0; j < k; j++) {
      const [econ, , median] = projectEconW.pick(r);
      const amount = amountFen(r, median * scale, 0.9);
      total += amount;
      const line: BudgetLine = { unit: unit.code, func: r.pick(funcs), econ, fund: r.chance(0.85) ? fund : PROJECT_FUND.pick(r), kind: "project", project: pcode, amount };
      if (r.chance(0.15)) line.note = `${topic}（${j + 1}）`;
      const before = lines.length;
      addLine(line);
      total += lines[before]!.amount - amount; // addLine may have nudged the amount
    }
    made += k;
    const p: Project = { code: pcode, name, unit: unit.code, classified, allocation: [] };
    if (classified) p.public_label = `特定目标 ${pcode}`;
    else {
      p.owner = person(r);
      if (r.chance(0.6)) p.basis = `根据${unit.name}三定方案及 2024 年度工作计划`;
      if (r.chance(0.6)) p.purpose = `保障${topic.replace(/经费$/, "")}工作顺利开展，提高履职能力。`;
      if (r.chance(0.5)) p.schedule = "2024 年 1 月 1 日至 2024 年 12 月 31 日";
      if (r.chance(0.5)) {
        // allocation items: usually summing to the project's budget; a few do not (I-ALLOCATION fires)
        const n = r.int(1, 4);
        let rest = r.chance(0.97) ? total : roundHundred((total * 9n) / 10n);
        for (let a = 0; a < n; a++) {
          const amt = a === n - 1 ? rest : (rest * BigInt(r.int(10, 60))) / 100n;
          rest -= amt;
          if (amt > 0n) p.allocation.push({ item: `${topic}分配事项${a + 1}`, amount: amt });
        }
      }
    }
    projects.push(p);
  }

  // Carry-over items (上年结转结余) in about a quarter of departments.
  const carryover: Budget["carryover"] = [];
  if (r.chance(0.25)) {
    const n = r.int(1, 3);
    for (let k = 0; k < n; k++) {
      const fund: CarryoverFund = r.pick(["gpb", "gpb", "gpb", "gf", "unit", "unit", "special_account"] as const);
      const unit = units[unitW.pick(r)]!;
      const item: Budget["carryover"][number] = {
        unit: unit.code,
        name: `2023 年${r.pick(PROJECT_TOPICS)}结转资金`,
        func: r.chance(0.5) ? home.admin : r.pick(home.projectItems),
        econ: r.pick(CO_ECON),
        fund,
        kind: r.chance(0.7) ? "project" : "basic",
        amount: amountFen(r, 30_000 * scale),
      };
      if (r.chance(0.7)) item.purpose = `2024 年度${unit.name}${r.pick(PROJECT_TOPICS)}`;
      carryover.push(item);
    }
  }

  const { prior_year, reasons } = priorAndReasons(r, lines, carryover, units);

  // Performance targets: department and about 40% of the (non-classified) projects.
  const indicators = (n: number, costCapFen: bigint | null): Indicator[] => {
    const out: Indicator[] = [];
    const weights = splitWeight(r, 90, n);
    for (let k = 0; k < n; k++) {
      const cost = costCapFen !== null && k === n - 1;
      const ind: Indicator = cost
        ? { level1: "成本指标", level2: "经济成本指标", name: "项目成本（万元）", comparator: "<=", value: formatWan(costCapFen), unit: "万元", weight: weights[k]! }
        : { level1: r.pick(["产出指标", "效益指标", "满意度指标"]), level2: r.pick(["数量指标", "质量指标", "时效指标", "社会效益指标"]), name: `${r.pick(PROJECT_TOPICS)}完成情况`, comparator: r.pick([">=", "=", "定性"] as const), value: String(r.int(1, 100)), weight: weights[k]! };
      if (r.chance(0.7)) ind.unit = cost ? "万元" : r.pick(["次", "%", "个", "人次"]);
      if (r.chance(0.5)) ind.basis = "计划标准";
      if (r.chance(0.3)) ind.last_year = String(r.int(1, 100));
      out.push(ind);
    }
    return out;
  };
  const perfProjects: Budget["performance"]["projects"] = [];
  for (const p of projects) {
    if (p.classified || !r.chance(0.4)) continue;
    const total = lines.filter((l) => l.project === p.code).reduce((s, l) => s + l.amount, 0n);
    perfProjects.push({ project: p.code, goal: `完成${p.name}年度任务`, indicators: indicators(r.int(3, 8), total) });
  }

  const goods = amountFen(r, 200_000 * scale);
  const services = amountFen(r, 300_000 * scale);
  const sme = ((goods + services) * BigInt(r.int(30, 100))) / 100n;
  const budget: Budget = {
    format: BUDGET_FORMAT,
    constructed: "基准测试用合成数据（bench/province-generator.ts），非真实预算。",
    department: { name: deptName, code, region: `新疆维吾尔自治区${prefecture}${county}`, year: 2024, template: "xinjiang-2024", date: "2024-02-23" },
    units,
    profile: {
      functions: Array.from({ length: r.int(2, 6) }, (_, k) => `负责本行业${r.pick(PROJECT_TOPICS).replace(/经费$/, "")}相关工作（职能 ${k + 1}）。`),
      organisation: `${deptName}下设 ${r.int(3, 12)} 个内设机构，所属预算单位 ${nUnits} 个。`,
      staffing: {
        authorised: r.int(10, 400),
        actual: r.int(10, 400),
        serving: { count: r.int(10, 400), prior: r.int(10, 400) },
        retired: { count: r.int(0, 100), prior: r.int(0, 100) },
        honourably_retired: { count: r.int(0, 2), prior: r.int(0, 2) },
      },
    },
    projects,
    lines,
    carryover,
    prior_year,
    reasons,
    descriptions: {},
    names: { func: {}, econ: {} },
    procurement: { goods, works: r.chance(0.2) ? amountFen(r, 500_000 * scale) : 0n, services, sme_reserved: sme, small_micro_reserved: (sme * BigInt(r.int(50, 100))) / 100n },
    assets: {
      as_of: "2023-12-31",
      buildings: { area_m2: String(r.int(0, 5000)), value: amountFen(r, 2_000_000 * scale) },
      vehicles: [
        { kind: "general", count: r.int(0, 5), value: amountFen(r, 200_000) },
        { kind: "law_enforcement", count: r.int(0, 3), value: amountFen(r, 200_000) },
      ],
      furniture: amountFen(r, 100_000),
      other: amountFen(r, 300_000),
      large_equipment: { over_500k: r.int(0, 2), over_1m: r.int(0, 1) },
      planned: { vehicles: [], large_equipment_over_500k: 0, large_equipment_over_1m: 0 },
    },
    performance: {
      contact: { name: person(r), phone: `0991-${r.int(2000000, 8999999)}` },
      department: { goal: `全面完成${deptName} 2024 年度各项工作任务。`, indicators: indicators(r.int(4, 9), null) },
      projects: perfProjects,
    },
  };
  return budget;
}

function splitWeight(r: Rng, total: number, n: number): number[] {
  const out: number[] = [];
  let rest = total;
  for (let k = 0; k < n - 1; k++) {
    const w = Math.max(1, Math.min(rest - (n - 1 - k), Math.round(total / n + r.int(-3, 3))));
    out.push(w);
    rest -= w;
  }
  out.push(rest);
  return out;
}

/** 分 → 万元 with two decimals, rounded down (a cost cap never exceeds the budget it was taken from). */
const formatWan = (fen: bigint) => {
  const steps = fen / 10_000n; // 0.01 万元 = 100 元 = 10 000 分
  return `${steps / 100n}.${String(steps % 100n).padStart(2, "0")}`;
};

/**
 * Prior-year figures near the current ones (about ±25%, some flat, some missing) and reasons for most changes:
 * a reason names the direction of the change, and a few name the wrong one.
 */
/**
 * Last year's figures of a department, consistent with each other as a real budget's are: last year's amount of each
 * line and carry-over item is this year's scaled (unchanged, nil, or 75–125 %), and every figure is summed from those
 * amounts, so that totals, parts and the two sides agree (the I-PRIOR-CONTRADICTION identities hold). Some figures are
 * left out (a department that did not enter them), and reasons are written for most changes, some contradicting.
 */
function priorAndReasons(r: Rng, lines: readonly BudgetLine[], carryover: Budget["carryover"], units: readonly Unit[]): { prior_year: Record<string, bigint>; reasons: Record<string, string> } {
  const lastYear = (amount: bigint): bigint => {
    const x = r.next();
    if (x < 0.1) return amount;
    if (x < 0.15) return 0n;
    return (amount * BigInt(Math.round(75 + 50 * r.next()))) / 100n;
  };
  const cur = new Map<string, bigint>();
  const prior = new Map<string, bigint>();
  const typeOf = new Map(units.map((u) => [u.code, u.type]));
  const figuresOf = (l: { fund: string; kind: string; func: string; econ: string; unit: string }): string[] => {
    const ids: string[] = [];
    const gpb = l.fund === "gpb.own" || l.fund === "gpb.transfer";
    const approp = gpb || l.fund.startsWith("gf") || l.fund.startsWith("sc");
    if (l.fund === "gpb.own") ids.push("income.gpb_own");
    if (l.fund === "gpb.transfer") ids.push("income.gpb_transfer");
    if (l.fund === "gf.own") ids.push("income.gf_own");
    if (l.fund === "sc.own") ids.push("income.sc_own");
    if (l.fund === "special_account") ids.push("income.special_account");
    if (l.fund.startsWith("unit.")) ids.push("income.unit");
    ids.push(`exp.all.${l.kind}`);
    if (gpb) ids.push(`exp.gpb.${l.kind}`, `func.${l.func}`);
    if (approp) {
      if ((SANGONG as readonly string[]).includes(l.econ)) ids.push("sangong.total");
      if (l.econ === "30212") ids.push("sangong.overseas");
      if (l.econ === "31013" || l.econ === "30913") ids.push("sangong.vehicle_purchase");
      if (l.econ === "30231") ids.push("sangong.vehicle_running");
      if (l.econ === "30217") ids.push("sangong.reception");
      const personnel = l.econ.startsWith("301") || l.econ.startsWith("303");
      if (l.kind === "basic" && !personnel && typeOf.get(l.unit) !== "事业") ids.push("office_running");
    }
    return ids;
  };
  const add = (ids: readonly string[], now: bigint, then: bigint) => {
    for (const id of ids) {
      cur.set(id, (cur.get(id) ?? 0n) + now);
      prior.set(id, (prior.get(id) ?? 0n) + then);
    }
  };
  for (const l of lines) add(figuresOf(l), l.amount, lastYear(l.amount));
  for (const c of carryover)
    add([c.fund === "gpb" || c.fund === "gf" || c.fund === "sc" ? "carryover.appropriated" : "carryover.non_appropriated", `exp.all.${c.kind}`], c.amount, lastYear(c.amount));
  const ids = [
    "income.gpb_own", "income.gpb_transfer", "income.gf_own", "income.sc_own", "income.special_account", "income.unit",
    "carryover.appropriated", "carryover.non_appropriated", "exp.all.basic", "exp.all.project", "exp.gpb.basic",
    "exp.gpb.project", "sangong.total", "sangong.overseas", "sangong.vehicle_purchase", "sangong.vehicle_running",
    "sangong.reception", "office_running",
    ...[...cur.keys()].filter((k) => k.startsWith("func.")).toSorted(),
  ];
  const prior_year: Record<string, bigint> = {};
  const reasons: Record<string, string> = {};
  for (const id of ids) {
    const c = cur.get(id) ?? 0n;
    const p = prior.get(id) ?? 0n;
    if (r.chance(0.08)) continue; // not entered (I-PRIOR-MISSING where the figure is compared and cannot be derived)
    if (c === 0n && p === 0n && r.chance(0.5)) continue;
    prior_year[id] = p;
    if (p === c || !r.chance(0.75)) continue;
    const up = c > p;
    const says = r.chance(0.05) ? !up : up;
    reasons[id] = `主要原因是${r.pick(["人员变动", "工作任务调整", "项目安排变化", "政策性调资", "预算编制口径调整"])}，预算${says ? "增加" : "减少"}。`;
  }
  return { prior_year, reasons };
}

// ---------------------------------------------------------------------------------------------------------------
// The province, lazily

export interface ProvinceSpec {
  readonly departments: number;
  readonly seed?: number;
}

/** Department budgets one by one: never the whole province in memory. */
export function* province(spec: ProvinceSpec, from = 0): Generator<Budget> {
  for (let i = from; i < spec.departments; i++) yield generateDepartment(i, spec.seed === undefined ? {} : { seed: spec.seed });
}

/** Department budgets in chunks of `size` (the bench times the engine per chunk, outside generation). */
export function* provinceChunks(spec: ProvinceSpec, size: number): Generator<Budget[]> {
  let chunk: Budget[] = [];
  for (const b of province(spec)) {
    chunk.push(b);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

// ---------------------------------------------------------------------------------------------------------------
// YAML (plain string building: flow mappings for lines, JSON-quoted text, unquoted amounts)

const q = (s: string) => JSON.stringify(s);

/** 分 → the amount as YAML source text in 元: `786750`, `1036750.10`. */
export function yuanText(fen: bigint): string {
  const y = fen / 100n;
  const f = fen % 100n;
  return f === 0n ? String(y) : `${y}.${String(f).padStart(2, "0")}`;
}

const headcountYaml = (x: { count: number; prior?: number | undefined }) => `{ count: ${x.count}${x.prior === undefined ? "" : `, prior: ${x.prior}`} }`;

function indicatorYaml(ind: Indicator): string {
  const parts = [`level1: ${q(ind.level1)}`, `level2: ${q(ind.level2)}`, `name: ${q(ind.name)}`, `comparator: ${q(ind.comparator)}`, `value: ${q(ind.value)}`];
  if (ind.unit !== undefined) parts.push(`unit: ${q(ind.unit)}`);
  if (ind.basis !== undefined) parts.push(`basis: ${q(ind.basis)}`);
  if (ind.last_year !== undefined) parts.push(`last_year: ${q(ind.last_year)}`);
  parts.push(`weight: ${ind.weight}`);
  return `{ ${parts.join(", ")} }`;
}

/** The budget as an input file (what a department would write). */
export function budgetYaml(b: Budget): string {
  const o: string[] = [];
  o.push(`# Synthetic department budget for the benchmark (bench/province-generator.ts v${GENERATOR_VERSION}).`);
  o.push(`format: ${b.format}`);
  if (b.constructed !== undefined) o.push(`constructed: ${q(b.constructed)}`);
  const d = b.department;
  o.push("department:", `  name: ${q(d.name)}`, `  code: ${q(d.code)}`, `  region: ${q(d.region)}`, `  year: ${d.year}`, `  template: ${d.template}`);
  if (d.date !== undefined) o.push(`  date: ${q(d.date)}`);
  o.push("units:");
  for (const u of b.units) o.push(`  - { code: ${q(u.code)}, name: ${q(u.name)}, type: ${u.type} }`);
  o.push("profile:", "  functions:");
  for (const f of b.profile.functions) o.push(`    - ${q(f)}`);
  if (b.profile.organisation !== undefined) o.push(`  organisation: ${q(b.profile.organisation)}`);
  const s = b.profile.staffing;
  if (s) {
    o.push("  staffing:", `    authorised: ${s.authorised}`, `    actual: ${s.actual}`, `    serving: ${headcountYaml(s.serving)}`, `    retired: ${headcountYaml(s.retired)}`, `    honourably_retired: ${headcountYaml(s.honourably_retired)}`);
  }
  o.push("projects:");
  for (const p of b.projects) {
    o.push(`  - code: ${q(p.code)}`, `    name: ${q(p.name)}`, `    unit: ${q(p.unit)}`);
    if (p.classified) o.push("    classified: true");
    for (const k of ["public_label", "owner", "basis", "purpose", "schedule"] as const) {
      const v = p[k];
      if (v !== undefined) o.push(`    ${k}: ${q(v)}`);
    }
    if (p.allocation.length) {
      o.push("    allocation:");
      for (const a of p.allocation) o.push(`      - { item: ${q(a.item)}, amount: ${yuanText(a.amount)} }`);
    }
  }
  o.push("lines:");
  for (const l of b.lines) {
    const proj = l.project === undefined ? "" : `, project: ${q(l.project)}`;
    const note = l.note === undefined ? "" : `, note: ${q(l.note)}`;
    o.push(`  - { unit: ${q(l.unit)}, func: "${l.func}", econ: "${l.econ}", fund: ${l.fund}, kind: ${l.kind}${proj}, amount: ${yuanText(l.amount)}${note} }`);
  }
  o.push("carryover:");
  for (const c of b.carryover) {
    const purpose = c.purpose === undefined ? "" : `, purpose: ${q(c.purpose)}`;
    o.push(`  - { unit: ${q(c.unit)}, name: ${q(c.name)}, func: "${c.func}", econ: "${c.econ}", fund: ${c.fund}, kind: ${c.kind}, amount: ${yuanText(c.amount)}${purpose} }`);
  }
  o.push("prior_year:");
  for (const [id, v] of Object.entries(b.prior_year)) o.push(`  ${id}: ${yuanText(v)}`);
  o.push("reasons:");
  for (const [id, v] of Object.entries(b.reasons)) o.push(`  ${id}: ${q(v)}`);
  const pr = b.procurement;
  if (pr)
    o.push("procurement:", `  goods: ${yuanText(pr.goods)}`, `  works: ${yuanText(pr.works)}`, `  services: ${yuanText(pr.services)}`, `  sme_reserved: ${yuanText(pr.sme_reserved)}`, `  small_micro_reserved: ${yuanText(pr.small_micro_reserved)}`);
  const a = b.assets;
  if (a) {
    o.push("assets:");
    if (a.as_of !== undefined) o.push(`  as_of: ${q(a.as_of)}`);
    o.push(`  buildings: { area_m2: ${typeof a.buildings.area_m2 === "string" ? q(a.buildings.area_m2) : a.buildings.area_m2}, value: ${yuanText(a.buildings.value)} }`);
    o.push("  vehicles:");
    for (const v of a.vehicles) o.push(`    - { kind: ${v.kind}, count: ${v.count}, value: ${yuanText(v.value)} }`);
    o.push(`  furniture: ${yuanText(a.furniture)}`, `  other: ${yuanText(a.other)}`, `  large_equipment: { over_500k: ${a.large_equipment.over_500k}, over_1m: ${a.large_equipment.over_1m} }`);
    o.push("  planned:", "    vehicles: []", `    large_equipment_over_500k: ${a.planned.large_equipment_over_500k}`, `    large_equipment_over_1m: ${a.planned.large_equipment_over_1m}`);
  }
  const pf = b.performance;
  o.push("performance:");
  if (pf.contact) o.push(`  contact: { name: ${q(pf.contact.name)}, phone: ${q(pf.contact.phone)} }`);
  if (pf.department) {
    o.push("  department:", `    goal: ${q(pf.department.goal)}`, "    indicators:");
    for (const ind of pf.department.indicators) o.push(`      - ${indicatorYaml(ind)}`);
  }
  o.push("  projects:");
  for (const pp of pf.projects) {
    o.push(`    - project: ${q(pp.project)}`);
    if (pp.owner !== undefined) o.push(`      owner: ${q(pp.owner)}`);
    o.push(`      goal: ${q(pp.goal)}`, "      indicators:");
    for (const ind of pp.indicators) o.push(`        - ${indicatorYaml(ind)}`);
  }
  return o.join("\n") + "\n";
}

