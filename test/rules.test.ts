/**
 * Rules: every amount cell of t01–t11 takes part in a printed-cell rule, and moving it by more than the
 * tolerance of its relations fires a rule naming its address (property); every rule code has a case that fires it.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDisclosure, type BuildOptions } from "../src/app/build-disclosure.ts";
import { loadCatalog, loadRules, projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import type { Budget } from "../src/domain/budget-schema.ts";
import { catalogFromRows } from "../src/domain/catalog-model.ts";
import { printUnitOf } from "../src/domain/disclosure-model.ts";
import {
  evaluatePrintedRules,
  printedRelations,
  printedTables,
  relationResidual,
  relationSlack,
  type PrintedTable,
  type Relation,
  type RuleSet,
} from "../src/domain/rule-engine.ts";
import { ROOT } from "./cli-harness.ts";

async function loadExample(name: string): Promise<Budget> {
  const r = await readBudgetFile(`${ROOT}/examples/${name}/budget.yaml`);
  if (!r.ok) throw new Error(`example ${name} does not read: ${JSON.stringify(r.problems)}`);
  return r.budget;
}

const rules = loadRules("xinjiang-2024") as RuleSet;
const ct = projectData.template("xinjiang-2024")!;
const unit = printUnitOf(ct);

function printedOf(budget: Budget, opts: { unit?: string } = {}): PrintedTable[] {
  const r = buildDisclosure(projectData, budget, opts);
  if (!r.ok) throw new Error("build refused");
  return printedTables(r.result.disclosure.tables, unit);
}

interface CellRef {
  t: number;
  r: number;
  c: number;
  address: string;
}

function cellsOf(tables: readonly PrintedTable[]): CellRef[] {
  const out: CellRef[] = [];
  tables.forEach((tb, t) =>
    tb.rows.forEach((row, r) =>
      row.values.forEach((v, c) => {
        if (!Number.isNaN(v)) out.push({ t, r, c, address: `${tb.id}|${row.key}|${tb.columns[c]!.id}` });
      }),
    ),
  );
  return out;
}

const addr = (a: { table: string; row: string; column: string }) => `${a.table}|${a.row}|${a.column}`;

function moved(tables: readonly PrintedTable[], cell: CellRef, delta: number): PrintedTable[] {
  return tables.map((tb, t) =>
    t !== cell.t
      ? tb
      : { ...tb, rows: tb.rows.map((row, r) => (r !== cell.r ? row : { ...row, values: row.values.map((v, c) => (c === cell.c ? v + delta : v)) })) },
  );
}

/** The steps by which a cell must move to break every relation it is in: past each relation's slack and residual. */
function breakingMove(relations: readonly Relation[], address: string): number {
  let need = 0;
  for (const r of relations) {
    if (![...r.lhs.cells, ...r.rhs.cells].some((c) => addr(c) === address)) continue;
    const res = relationResidual(r);
    // in half-steps: slack + |residual|, then to whole steps, plus one
    const halfSteps = relationSlack(r) + Math.abs(res);
    const steps = Math.floor(halfSteps / 2) + 1;
    if (steps > need) need = steps;
  }
  return need;
}

describe.each([
  ["changji-xinfang-2024", undefined],
  ["three-units-2024", undefined],
  ["three-units-2024", "101"],
])("printed-cell rules on %s (unit %s)", (example, unitCode) => {
  let tables: PrintedTable[] = [];
  let relations: Relation[] = [];
  beforeAll(async () => {
    tables = printedOf(await loadExample(example), unitCode === undefined ? {} : { unit: unitCode });
    relations = printedRelations(rules, tables, unit);
  });

  it("hold on the built tables", () => {
    expect(evaluatePrintedRules(rules, tables, unit)).toEqual([]);
  });

  it("cover every amount cell of t01–t11", () => {
    const covered = new Set(relations.flatMap((r) => [...r.lhs.cells, ...r.rhs.cells].map(addr)));
    const cells = cellsOf(tables);
    expect(cells.length).toBeGreaterThan(50);
    expect(cells.map((c) => c.address).filter((a) => !covered.has(a))).toEqual([]);
  });

  it("fire, naming the cell, when any cell moves by more than its relations' tolerance", () => {
    const cells = cellsOf(tables);
    fc.assert(
      fc.property(fc.nat({ max: cells.length - 1 }), fc.boolean(), fc.nat({ max: 100_000 }), (i, up, extra) => {
        const cell = cells[i]!;
        const step = breakingMove(relations, cell.address) + extra;
        const findings = evaluatePrintedRules(rules, moved(tables, cell, up ? step : -step), unit);
        return findings.some((f) => f.cells.some((c) => addr(c) === cell.address));
      }),
      { numRuns: 300 },
    );
  });

  it("do not fire when a cell moves within the rounding every relation allows (every cell, both ways)", () => {
    // A move that keeps every relation of the cell within its slack is exactly what rounding can produce.
    for (const cell of cellsOf(tables)) {
      const mine = relations.filter((r) => [...r.lhs.cells, ...r.rhs.cells].some((c) => addr(c) === cell.address));
      const canMove = mine.every((r) => {
        const res = relationResidual(r);
        return Math.abs(res) + 2 <= relationSlack(r);
      });
      if (!canMove) continue;
      const findings = evaluatePrintedRules(rules, moved(tables, cell, 1), unit).concat(evaluatePrintedRules(rules, moved(tables, cell, -1), unit));
      expect(findings.filter((f) => f.cells.some((c) => addr(c) === cell.address))).toEqual([]);
    }
  });
});

describe("every rule code fires on a case made for it", () => {
  let reference: Budget;
  beforeAll(async () => {
    reference = await loadExample("changji-xinfang-2024");
  });
  const codesOf = (budget: Budget, opts: BuildOptions = {}) => {
    const r = buildDisclosure(projectData, budget, opts);
    if (!r.ok) throw new Error("refused");
    return r.result.findings;
  };
  const clone = (b: Budget): Budget => structuredClone(b);

  const printedCase = (code: string) => () => {
    const tables = printedOf(reference);
    const relations = printedRelations(rules, tables, unit).filter((r) => r.rule.code === code);
    expect(relations.length).toBeGreaterThan(0);
    const target = [...relations[0]!.lhs.cells, ...relations[0]!.rhs.cells][0]!;
    const cell = cellsOf(tables).find((c) => c.address === addr(target))!;
    const findings = evaluatePrintedRules(rules, moved(tables, cell, breakingMove(relations, cell.address) + 1), unit);
    expect(findings.map((f) => f.code)).toContain(code);
  };

  /** `--prior` naming a last year whose line items are this year's: the entered priors differ from them */
  const lastYearIs = (b: Budget): BuildOptions => ({
    lastYear: { source: { kind: "budget", file: "last-year.yaml", budget: { ...clone(b), department: { ...b.department, year: b.department.year - 1 }, prior_year: {} } } },
  });
  const inputCases: Record<string, (b: Budget) => BuildOptions | void> = {
    "I-OFFICE-SCOPE": (b) => {
      b.units[0]!.type = "事业";
    },
    "I-PROCUREMENT-RESERVED": (b) => {
      b.procurement!.small_micro_reserved = b.procurement!.sme_reserved + 1n;
    },
    "I-ALLOCATION": (b) => {
      b.projects.find((p) => p.allocation.length)!.allocation[0]!.amount += 100n;
    },
    "I-PERF-WEIGHTS": (b) => {
      b.performance.department!.indicators[0]!.weight += 5;
    },
    "I-PERF-COST": (b) => {
      const ind = b.performance.projects[0]!.indicators.find((i) => i.level2.includes("成本"))!;
      ind.value = "60";
    },
    "I-REASON-MISSING": (b) => {
      delete b.reasons["func.2080505"];
    },
    "I-REASON-DIRECTION": () => {},
    "I-PRIOR-MISSING": (b) => {
      // two 项 of one 款 left out: neither follows from the others any more
      delete b.prior_year["func.2080505"];
      delete b.prior_year["func.2080506"];
    },
    "I-PRIOR-CONTRADICTION": (b) => {
      b.prior_year["sangong.total"]! += 100n;
    },
    "I-PRIOR-INCOMPLETE": (b) => {
      // the reference's constructed priors before they were made to balance: income 7 yuan short of expenditure
      b.prior_year["exp.all.project"]! += 700n;
    },
    "I-PRIOR-MISMATCH": (b) => lastYearIs(b),
    "I-PRIOR-FALLBACK": (b) => lastYearIs(b),
    "I-FIGURE-UNKNOWN": (b) => {
      b.prior_year["no.such_figure"] = 100n;
    },
    "I-CODE-UNKNOWN": (b) => {
      b.lines[0]!.func = "2010398";
      b.names.func["2010398"] = "其他行政运行";
    },
    "I-CODE-UNNAMED": (b) => {
      b.lines[0]!.func = "2010398";
    },
    "I-TEXT-SPACING": (b) => {
      b.reasons["func.2080505"] = "2024 年度在职职工机关事业单位基本养老保险缴费支出增加";
    },
  };

  it("has a case for every rule in the data", () => {
    const printed = rules.rules.filter((r) => r.scope === "printed").map((r) => r.code);
    const input = rules.rules.filter((r) => r.scope === "input").map((r) => r.code);
    expect(printed.length).toBeGreaterThan(5);
    expect(input.filter((c) => !(c in inputCases))).toEqual([]);
  });

  for (const r of loadRules("xinjiang-2024")!.rules) {
    if (r.scope === "printed") it(`${r.code} fires`, printedCase(r.code));
    else
      it(`${r.code} fires`, () => {
        const b = clone(reference);
        const opts = inputCases[r.code]!(b) ?? {};
        const findings = codesOf(b, opts);
        expect(findings.map((f) => f.code)).toContain(r.code);
        // a fallback is about last year's file, which has no place in this year's budget
        if (r.check !== "prior_fallback") expect(findings.find((f) => f.code === r.code)!.field).toBeTruthy();
      });
  }

  it("the reference has exactly the reason warnings its numbers justify, and no error", () => {
    const findings = codesOf(reference);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(findings.map((f) => `${f.code} ${f.field}`).sort()).toEqual([
      'I-REASON-DIRECTION reasons["func.2080501"]', // 持平, reason says 增加
      'I-REASON-DIRECTION reasons["func.2101101"]', // 行政单位医疗 fell 0.94, reason says 增加
      'I-REASON-DIRECTION reasons["func.2101199"]', // 持平, reason says 增加
    ]);
  });

  it("I-TEXT-SPACING notes each quoted text with a space between 汉字 and a digit or letter, naming the field, and nothing else", () => {
    const b = clone(reference);
    b.reasons["func.2080505"] = "2024 年度在职职工基本养老保险缴费支出增加";
    b.projects[0]!.schedule = "2024年1月1日至2024年12月31日";
    b.carryover[0]!.purpose = "用于 ABC 系统维护";
    b.performance.department!.indicators[0]!.basis = "2024年绩效考核工作要点";
    b.profile.organisation = "下设4个处室（含 IT 科）";
    // names and public labels print as the budget approval writes them: not looked at
    b.carryover[1]!.name = "2023 年驻京信访人员工作经费";
    const notes = codesOf(b).filter((f) => f.code === "I-TEXT-SPACING");
    expect(notes.map((f) => f.field).sort()).toEqual(['carryover[0].purpose', 'profile.organisation', 'reasons["func.2080505"]']);
    expect(notes.every((f) => f.severity === "note")).toBe(true);
    const reason = notes.find((f) => f.field === 'reasons["func.2080505"]')!;
    expect(reason.message.zh).toContain("增减变化原因中汉字与数字或字母之间有空格（1 处，如“2024 年度在职职工…”）");
    expect(reason.message.en).toContain("a reason has a space between a Chinese character and a digit or Latin letter (1, e.g. '2024 年度在职职工…')");
    expect(notes.find((f) => f.field === "carryover[0].purpose")!.meta["count"]).toBe("2");
  });

  it("findings about a classified project name it only by its public label", () => {
    const b = clone(reference);
    const secret = b.projects.find((p) => p.classified)!;
    b.performance.projects.push({
      project: secret.code,
      goal: "目标",
      indicators: [{ level1: "成本指标", level2: "经济成本指标", name: "成本", comparator: "<=", value: "999", unit: "万元", weight: 5 }],
    });
    secret.allocation = [{ item: "分配", amount: 1n }];
    const findings = codesOf(b);
    expect(findings.map((f) => f.code)).toEqual(expect.arrayContaining(["I-PERF-WEIGHTS", "I-PERF-COST", "I-ALLOCATION"]));
    expect(JSON.stringify(findings)).not.toContain(secret.name);
    expect(JSON.stringify(findings)).toContain(secret.public_label!);
  });

  it("a named unknown code is a warning against our partial catalog and an error against an official one", () => {
    const b = clone(reference);
    b.lines[0]!.func = "2010398";
    b.names.func["2010398"] = "其他行政运行";
    const ours = codesOf(b).find((f) => f.code === "I-CODE-UNKNOWN")!;
    expect(ours.severity).toBe("warning");
    expect(ours.message.zh).toContain("2010301");
    expect(ours.message.zh).toContain("其他行政运行");
    expect(codesOf(b).map((f) => f.code)).not.toContain("I-CODE-UNNAMED");
    // an "official" catalog: ours, loaded from its folder as if official
    const dir = mkdtempSync(join(tmpdir(), "official-"));
    cpSync(join(ROOT, "data/catalogs/2024"), dir, { recursive: true });
    expect(loadCatalog(2024, dir)?.official).toBe(true);
    const official = codesOf(b, { catalogDir: dir }).find((f) => f.code === "I-CODE-UNKNOWN")!;
    expect(official.severity).toBe("error");
    expect(catalogFromRows(2024, "x", true, [], []).official).toBe(true);
  });

  it("an unnamed unknown code is the error I-CODE-UNNAMED (not also the warning), at the first line using it, with how to name it", () => {
    const b = clone(reference);
    const uses = b.lines.flatMap((l, i) => (l.func === "2010301" ? [i] : []));
    expect(uses.length).toBeGreaterThan(1);
    for (const i of uses) b.lines[i]!.func = "2010398";
    const findings = codesOf(b);
    const unnamed = findings.filter((f) => f.code === "I-CODE-UNNAMED");
    expect(unnamed).toHaveLength(1);
    expect(unnamed[0]).toMatchObject({ severity: "error", field: `lines[${uses[0]}].func` });
    expect(unnamed[0]!.message.zh).toContain("2010398");
    expect(unnamed[0]!.message.zh).toContain(`共 ${uses.length} 处使用`);
    expect(unnamed[0]!.message.zh).toContain("names.func");
    expect(unnamed[0]!.message.en).toContain('names: { func: { "2010398": "name" } }');
    expect(findings.map((f) => f.code)).not.toContain("I-CODE-UNKNOWN");
  });

  it("checks every printed level: an unknown 款 or 类 needs a name too, and a name for it clears the error", () => {
    const b = clone(reference);
    b.lines[0]!.func = "2019801"; // 201 is listed; 20198 and 2019801 are not
    b.lines[0]!.econ = "39801"; // neither 398 nor 39801 is listed
    const unnamed = () => codesOf(b).filter((f) => f.code === "I-CODE-UNNAMED").map((f) => f.meta["code"]).sort();
    expect(unnamed()).toEqual(["20198", "2019801", "398", "39801"]);
    b.names.func["20198"] = "某款";
    b.names.func["2019801"] = "某项";
    b.names.econ["398"] = "某类";
    expect(unnamed()).toEqual(["39801"]);
  });

  it("the name given is the name printed: tables, figures and the narrative carry it, never the placeholder", () => {
    const b = clone(reference);
    const i = b.lines.findIndex((l) => l.func === "2010301");
    b.lines[i]!.func = "2010398";
    b.names.func["2010398"] = "其他行政运行";
    const r = buildDisclosure(projectData, b);
    if (!r.ok) throw new Error("build refused");
    const text = JSON.stringify(r.result.disclosure.tables, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(text).toContain("其他行政运行");
    expect(text).not.toContain("未列入目录");
    expect(r.result.narrative === null ? "" : JSON.stringify(r.result.narrative)).not.toContain("未列入目录");
    expect(r.result.catalog.func.get("2010398")?.name).toBe("其他行政运行");
  });
});
