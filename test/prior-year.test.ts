/**
 * The prior year, as a user meets it on the command line: hand-entered priors that contradict each other are errors
 * naming both places; `--prior` derives every prior from last year's line items (or its disclosure.json), through a
 * crosswalk of renamed codes, so that they agree by construction; entered and derived priors must be equal.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyExample, ROOT, runCli, tempDir } from "./cli-harness.ts";

const LAST_YEAR = join(ROOT, "test/fixtures/prior/three-units-2023");
const CROSSWALK = join(ROOT, "test/fixtures/prior/crosswalk-2023-2024.csv");

interface FigureJson {
  name: string;
  current: string;
  prior: string | null;
}
const figuresOf = (out: string): Record<string, FigureJson> =>
  (JSON.parse(readFileSync(join(out, "disclosure.json"), "utf8")) as { figures: Record<string, FigureJson> }).figures;
const fen = (yuan: string | null | undefined): bigint => (yuan ? BigInt(yuan.replace(".", "")) : 0n);

/** The three-unit example with its prior_year section replaced. */
function threeUnitsWithPriors(priorYaml: string): string {
  const dir = copyExample("three-units-2024");
  const file = join(dir, "budget.yaml");
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("\nprior_year:");
  const end = text.indexOf("\n# 增减变化原因");
  writeFileSync(file, text.slice(0, start) + "\n" + priorYaml + text.slice(end));
  return dir;
}

interface CheckJson {
  exitCode: number;
  findings: { code: string; severity: string; field: string | null; location: { line: number } | null; related: { field: string; location: { line: number } | null }[]; message: { zh: string } }[];
}
const check = (args: string[]): CheckJson => JSON.parse(runCli(["check", ...args, "--json"]).stdout) as CheckJson;

describe("hand-entered prior figures", () => {
  it("that contradict each other are errors naming the figures on both sides, each at its line", () => {
    // the three-unit example as it was: three prior-year 一般公共预算 totals, and a 三公 of 52.00 whose parts add to 38.80
    const dir = threeUnitsWithPriors(`prior_year:
  income.gpb_own: 9050000
  income.gpb_transfer: 1650000
  exp.gpb.basic: 8180000
  exp.gpb.project: 2400000
  func.2080501: 36000
  func.2080502: 48000
  func.2080505: 860000
  func.2080506: 430000
  func.2101101: 275000
  func.2101102: 70000
  func.2101103: 23000
  func.2120101: 2980000
  func.2120102: 420000
  func.2120104: 2380000
  func.2120501: 1960000
  func.2120601: 80000
  func.2210201: 610000
  func.2210399: 0
  sangong.total: 520000
  sangong.overseas: 0
  sangong.vehicle_purchase: 260000
  sangong.vehicle_running: 110000
  sangong.reception: 18000
`);
    const r = check([dir]);
    expect(r.exitCode).toBe(1);
    const errors = r.findings.filter((f) => f.code === "I-PRIOR-CONTRADICTION");
    expect(errors.map((f) => f.severity)).toEqual(["error", "error", "error"]);
    const sides = (f: (typeof errors)[number]) => [f.field, ...f.related.map((x) => x.field)].join(" ");
    const basicProject = errors.find((f) => f.message.zh.includes("10,580,000.00 元"))!;
    expect(sides(basicProject)).toBe('prior_year["income.gpb_own"] prior_year["income.gpb_transfer"] prior_year["exp.gpb.basic"] prior_year["exp.gpb.project"]');
    expect(basicProject.message.zh).toContain("10,700,000.00 元");
    const items = errors.find((f) => f.message.zh.includes("10,172,000.00 元"))!;
    expect(sides(items)).toMatch(/^prior_year\["income.gpb_own"\] prior_year\["income.gpb_transfer"\] prior_year\["func.2080501"\]/);
    const sangong = errors.find((f) => f.message.zh.includes("388,000.00 元"))!;
    expect(sides(sangong)).toBe('prior_year["sangong.total"] prior_year["sangong.overseas"] prior_year["sangong.reception"] prior_year["sangong.vehicle_purchase"] prior_year["sangong.vehicle_running"]');
    expect(sangong.message.zh).toContain("520,000.00 元");
    // every place is located in the file
    for (const f of errors) for (const x of [f.location, ...f.related.map((y) => y.location)]) expect(x?.line).toBeGreaterThan(300);
    // the text output names the other places too
    const text = runCli(["check", dir]).stdout;
    expect(text).toMatch(/另见 .*budget\.yaml:\d+:\d+ prior_year\["exp\.gpb\.basic"\]/);
  });

  it("a prior not entered that follows from the others is derived and published; the examples' priors agree", () => {
    const out = join(tempDir(), "out");
    const r = runCli(["build", join(ROOT, "examples/three-units-2024"), "--out", out, "--format", "json"]);
    expect(r.status, r.stderr).toBe(0);
    const f = figuresOf(out);
    // 三公 is not entered: it is the sum of its parts
    expect(f["sangong.total"]!.prior).toBe("388000.00");
    // one prior-year 一般公共预算, wherever it is added up
    const gpb = fen(f["income.gpb_own"]!.prior) + fen(f["income.gpb_transfer"]!.prior);
    expect(fen(f["exp.gpb.basic"]!.prior) + fen(f["exp.gpb.project"]!.prior)).toBe(gpb);
    expect(fen(f["exp.gpb.total"]!.prior)).toBe(gpb);
    const sumOf = (prefix: string) => Object.entries(f).filter(([id]) => id.startsWith(prefix)).reduce((s, [, x]) => s + fen(x.prior), 0n);
    expect(sumOf("func.")).toBe(gpb);
    expect(sumOf("class.")).toBe(gpb);
    for (const ex of ["changji-xinfang-2024", "three-units-2024"]) {
      const c = check([join(ROOT, "examples", ex)]);
      expect(c.findings.filter((x) => x.code.startsWith("I-PRIOR-") && x.code !== "I-PRIOR-MISSING"), ex).toEqual([]);
    }
  });

  it("the reference's constructed priors balance: income and carry-over = expenditure, to the yuan", () => {
    const out = join(tempDir(), "out");
    expect(runCli(["build", join(ROOT, "examples/changji-xinfang-2024"), "--out", out, "--format", "json"]).status).toBe(0);
    const f = figuresOf(out);
    const income = ["income.gpb_own", "income.gpb_transfer", "income.gf_own", "income.sc_own", "income.unit", "carryover.appropriated", "carryover.non_appropriated"];
    expect(income.reduce((s, id) => s + fen(f[id]!.prior), 0n)).toBe(fen(f["exp.all.basic"]!.prior) + fen(f["exp.all.project"]!.prior));
    expect(f["carryover.appropriated"]!.prior).toBe("10893.00");
  });

  it("income 7 yuan short of expenditure, with sources not entered, is a warning that says which were taken as 0", () => {
    const dir = copyExample("changji-xinfang-2024");
    const file = join(dir, "budget.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("exp.all.project: 1250893", "exp.all.project: 1250900"));
    const w = check([dir]).findings.filter((f) => f.code === "I-PRIOR-INCOMPLETE");
    expect(w.map((f) => f.severity)).toEqual(["warning"]);
    expect(w[0]!.message.zh).toContain("相差 7.00 元");
    expect(w[0]!.message.zh).toContain("财政专户管理资金");
  });
});

/** the three-unit example with no entered priors */
const bare = () => threeUnitsWithPriors("prior_year: {}\n");

/** the figures of the three-unit example built with --prior (last year's line items, through the crosswalk) */
function figuresOfBuilt(dir: string): Record<string, FigureJson> {
  const out = join(tempDir(), "out");
  expect(runCli(["build", dir, "--prior", LAST_YEAR, "--crosswalk", CROSSWALK, "--out", out, "--format", "json"]).status).toBe(0);
  return figuresOf(out);
}

describe("--prior: every prior derived from last year's line items", () => {
  it("agrees by construction, renamed codes go through the crosswalk, and the fallbacks are noted", () => {
    const out = join(tempDir(), "out");
    const r = runCli(["build", bare(), "--prior", LAST_YEAR, "--crosswalk", CROSSWALK, "--out", out, "--format", "json", "--json"]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as CheckJson;
    expect(res.findings.filter((f) => f.code.startsWith("I-PRIOR-")).map((f) => f.code).sort()).toEqual(["I-PRIOR-FALLBACK", "I-PRIOR-FALLBACK"]);
    const f = figuresOf(out);
    // last year's 2120110 is this year's 2120104: compared with it, not listed as a 项 of last year only
    expect(f["func.2120110"]).toBeUndefined();
    expect(fen(f["func.2120104"]!.prior)).toBeGreaterThan(0n);
    const gpb = fen(f["income.gpb_own"]!.prior) + fen(f["income.gpb_transfer"]!.prior);
    expect(fen(f["exp.gpb.basic"]!.prior) + fen(f["exp.gpb.project"]!.prior)).toBe(gpb);
    expect(Object.entries(f).filter(([id]) => id.startsWith("func.")).reduce((s, [, x]) => s + fen(x.prior), 0n)).toBe(gpb);
    const sangong = ["sangong.overseas", "sangong.reception", "sangong.vehicle_purchase", "sangong.vehicle_running"].reduce((s, id) => s + fen(f[id]!.prior), 0n);
    expect(fen(f["sangong.total"]!.prior)).toBe(sangong);
    const income = Object.keys(f).filter((id) => /^income\.(gpb|gf|sc)_|^income\.(special_account|unit)$|^carryover\.(appropriated|non_appropriated)$/.test(id));
    expect(income.reduce((s, id) => s + fen(f[id]!.prior), 0n)).toBe(fen(f["exp.all.basic"]!.prior) + fen(f["exp.all.project"]!.prior));

    // without the crosswalk, the old code is a 项 of last year only, and 2120104 is new this year
    const out2 = join(tempDir(), "out");
    expect(runCli(["build", bare(), "--prior", LAST_YEAR, "--out", out2, "--format", "json"]).status).toBe(0);
    const g = figuresOf(out2);
    expect(g["func.2120104"]!.prior).toBe("0.00");
    expect(g["func.2120110"]!.prior).toBe(f["func.2120104"]!.prior);
    expect(g["func.2120110"]!.current).toBe("0.00");
  });

  it("from last year's disclosure.json gives the same priors as from its budget file", () => {
    const last = join(tempDir(), "last");
    // last year's template is not in the project: its disclosure was built with this year's, as --prior does
    expect(runCli(["build", LAST_YEAR, "--template", join(ROOT, "data/templates/xinjiang-2024.yaml"), "--out", last, "--format", "json"]).status).toBeLessThan(2);
    const a = join(tempDir(), "a");
    const b = join(tempDir(), "b");
    expect(runCli(["build", bare(), "--prior", LAST_YEAR, "--crosswalk", CROSSWALK, "--out", a, "--format", "json"]).status).toBe(0);
    expect(runCli(["build", bare(), "--prior", join(last, "disclosure.json"), "--crosswalk", CROSSWALK, "--out", b, "--format", "json"]).status).toBe(0);
    const pa = Object.fromEntries(Object.entries(figuresOf(a)).map(([id, x]) => [id, x.prior]));
    const pb = Object.fromEntries(Object.entries(figuresOf(b)).map(([id, x]) => [id, x.prior]));
    expect(pb).toEqual(pa);
  });

  it("an entered prior must equal the derived one (I-PRIOR-MISMATCH at its line); equal ones pass", () => {
    const r = check([join(ROOT, "examples/three-units-2024"), "--prior", LAST_YEAR, "--crosswalk", CROSSWALK]);
    expect(r.exitCode).toBe(1);
    const m = r.findings.filter((f) => f.code === "I-PRIOR-MISMATCH");
    expect(m.length).toBeGreaterThan(10);
    expect(m.every((f) => f.severity === "error" && f.location !== null && f.field!.startsWith("prior_year"))).toBe(true);
    // entering exactly what last year's line items give is no finding
    const derived = figuresOfBuilt(bare());
    const dir = threeUnitsWithPriors(`prior_year:\n  income.gpb_own: ${derived["income.gpb_own"]!.prior}\n  sangong.total: ${derived["sangong.total"]!.prior}\n`);
    const ok = check([dir, "--prior", LAST_YEAR, "--crosswalk", CROSSWALK]);
    expect(ok.findings.filter((f) => f.code === "I-PRIOR-MISMATCH")).toEqual([]);
  });

  it("refuses, with exit 2 and nothing written, a last year of the wrong year, a broken crosswalk, a file that is no disclosure", () => {
    const out = join(tempDir(), "out");
    const wrongYear = runCli(["build", bare(), "--prior", join(ROOT, "examples/three-units-2024"), "--out", out]);
    expect(wrongYear.status).toBe(2);
    expect(wrongYear.stderr).toContain("上年预算的年度为 2024，应为 2023");
    expect(wrongYear.stderr).toContain("three-units-2024/budget.yaml");
    const cw = join(tempDir(), "cw.csv");
    writeFileSync(cw, "kind,from,to\nfunc,2120110,21201\nfoo,1,2\n");
    const badCw = runCli(["check", bare(), "--prior", LAST_YEAR, "--crosswalk", cw]);
    expect(badCw.status).toBe(2);
    expect(badCw.stderr).toMatch(/cw\.csv:2.*2120110 → 21201/);
    expect(badCw.stderr).toMatch(/cw\.csv:3/);
    const json = join(tempDir(), "x.json");
    writeFileSync(json, JSON.stringify({ format: "gongkai/disclosure@1", scope: { kind: "unit" } }));
    const badJson = runCli(["build", bare(), "--prior", json, "--out", out, "--lang", "en"]);
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toContain("not a disclosure.json that Gongkai wrote for a whole department");
    for (const r of [wrongYear, badCw, badJson]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(join(out, "disclosure.json"))).toThrow();
  });

  it("workbook --prior fills the prior-year sheet from last year's line items, and the imported budget agrees with itself", () => {
    const dir = tempDir();
    const wb = join(dir, "in.xlsx");
    const w = runCli(["workbook", "--from", bare(), "--prior", LAST_YEAR, "--crosswalk", CROSSWALK, "--out", wb]);
    expect(w.status, w.stderr).toBe(0);
    const yaml = join(dir, "budget.yaml");
    const i = runCli(["import", wb, "--out", yaml]);
    expect(i.status, i.stdout + i.stderr).toBe(0);
    const imported = check([yaml]);
    expect(imported.findings.filter((f) => /^I-PRIOR-(CONTRADICTION|INCOMPLETE|MISSING)$/.test(f.code))).toEqual([]);
    // the same priors as a build with --prior
    const derived = figuresOfBuilt(bare());
    const out = join(tempDir(), "out");
    expect(runCli(["build", yaml, "--out", out, "--format", "json"]).status).toBe(0);
    const got = figuresOf(out);
    for (const id of ["income.gpb_own", "exp.gpb.basic", "sangong.total", "func.2120104", "exp.all.project"]) expect(got[id]!.prior, id).toBe(derived[id]!.prior);
    // an empty workbook with --prior has last year's figures too
    const empty = join(dir, "empty.xlsx");
    expect(runCli(["workbook", "--prior", LAST_YEAR, "--out", empty]).status).toBe(0);
  });
});
