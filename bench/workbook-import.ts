/**
 * Benchmark phase `xlsx`: importing an input workbook with a 20,000-row line-items sheet.
 *
 * A synthetic department of the province generator gets ROWS line items (lines of the next departments, moved onto
 * its units and projects, each amount made distinct), is written once as a workbook by our writer and once as YAML
 * (the generator's own `budgetYaml`), and both files must read to the same budget. Then, after a warm-up, each is
 * read RUNS times and the median is reported:
 *
 * - `readWorkbookFile`: bytes → zip → XML → cells → the plain object → schema → integrity (what build/check do);
 * - `importWorkbook`: the same, plus the YAML text and its read-back check (what `gongkai import` does);
 * - baseline, in the same run: `readBudgetFile` of the same budget as YAML (size, UTF-8, YAML, schema, integrity).
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readWorkbookFile } from "../src/adapters/ingest/xlsx-budget-reader.ts";
import { canonical, importWorkbook } from "../src/adapters/ingest/xlsx-import.ts";
import { projectData } from "../src/adapters/ingest/project-data.ts";
import { readBudgetFile } from "../src/adapters/ingest/yaml-budget-reader.ts";
import { renderInputWorkbook } from "../src/adapters/render/input-workbook-writer.ts";
import type { Budget, BudgetLine } from "../src/domain/budget-schema.ts";
import { budgetYaml, generateDepartment } from "./province-generator.ts";

export interface WorkbookBenchResult {
  rows: number;
  runs: number;
  workbookKiB: number;
  yamlKiB: number;
  writeSeconds: number;
  read: { medianSeconds: number; rowsPerSecond: number };
  import: { medianSeconds: number; rowsPerSecond: number };
  yamlBaseline: { medianSeconds: number; rowsPerSecond: number };
  ratioReadVsYaml: number;
  ratioImportVsYaml: number;
}

/** One department of the province with `rows` line items. */
export function syntheticBudget(rows: number, seed: number): Budget {
  const b = generateDepartment(0, { seed });
  const lines: BudgetLine[] = [];
  for (let i = 1; lines.length < rows; i++) {
    for (const l of generateDepartment(i, { seed }).lines) {
      if (lines.length >= rows) break;
      const k = lines.length;
      const project = l.kind === "project" ? b.projects[k % Math.max(1, b.projects.length)]?.code : undefined;
      if (l.kind === "project" && project === undefined) continue;
      const line: BudgetLine = { unit: b.units[k % b.units.length]!.code, func: l.func, econ: l.econ, fund: l.fund, kind: l.kind, amount: l.amount + BigInt(k) };
      if (project !== undefined) line.project = project;
      lines.push(line);
    }
  }
  return { ...b, lines };
}

const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function benchWorkbookImport(opts: { rows: number; seed: number; dir: string; runs?: number; note: (s: string) => void }): Promise<WorkbookBenchResult> {
  const runs = opts.runs ?? 5;
  mkdirSync(opts.dir, { recursive: true });
  const budget = syntheticBudget(opts.rows, opts.seed);
  const xlsx = join(opts.dir, `budget-${opts.rows}.xlsx`);
  const yaml = join(opts.dir, `budget-${opts.rows}.yaml`);
  const ct = projectData.template(budget.department.template);
  const catalog = ct ? projectData.catalog(ct.data.catalog_year) : null;
  if (!ct || !catalog) throw new Error(`no template or catalog for ${budget.department.template}`);
  let t = performance.now();
  const bytes = await renderInputWorkbook({ budget, catalog, figures: [], templateIds: projectData.templateIds(), defaultTemplate: ct.data.id });
  const writeSeconds = (performance.now() - t) / 1000;
  writeFileSync(xlsx, bytes);
  writeFileSync(yaml, budgetYaml(budget));
  opts.note(`xlsx: ${opts.rows} rows — workbook ${(bytes.length / 1024).toFixed(0)} KiB written in ${writeSeconds.toFixed(2)} s; YAML ${(statSync(yaml).size / 1024).toFixed(0)} KiB`);

  // the same budget, both ways
  const w = await readWorkbookFile(xlsx);
  const y = await readBudgetFile(yaml);
  if (!w.ok) throw new Error(`the workbook does not read: ${JSON.stringify(w.problems.slice(0, 3))}`);
  if (!y.ok) throw new Error(`the YAML does not read: ${JSON.stringify(y.problems.slice(0, 3))}`);
  if (canonical(w.budget) !== canonical(y.budget)) throw new Error("the workbook and the YAML read to different budgets");
  if (w.budget.lines.length !== opts.rows) throw new Error(`expected ${opts.rows} lines, read ${w.budget.lines.length}`);

  const time = async (f: () => Promise<unknown>): Promise<number[]> => {
    await f(); // warm-up
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      await f();
      out.push((performance.now() - t) / 1000);
    }
    return out;
  };
  const read = median(await time(() => readWorkbookFile(xlsx)));
  const imp = median(await time(() => importWorkbook(xlsx)));
  const base = median(await time(() => readBudgetFile(yaml)));
  return {
    rows: opts.rows,
    runs,
    workbookKiB: bytes.length / 1024,
    yamlKiB: statSync(yaml).size / 1024,
    writeSeconds,
    read: { medianSeconds: read, rowsPerSecond: opts.rows / read },
    import: { medianSeconds: imp, rowsPerSecond: opts.rows / imp },
    yamlBaseline: { medianSeconds: base, rowsPerSecond: opts.rows / base },
    ratioReadVsYaml: read / base,
    ratioImportVsYaml: imp / base,
  };
}
