/**
 * Open data: datapackage.json is a valid Fiscal Data Package (Ajv against the repository's copy of the schema, plus
 * the cross-references a JSON Schema cannot check); summing data/line-items.csv reproduces 表3 exactly (total, basic,
 * project, and every 项); the classified project appears only aggregated under its public label; and no file of a
 * full build — CSV, JSON, the workbook, the Word document, the page, the PDF — holds its real name or its code
 * outside the public label.
 */
import { Ajv } from "ajv";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsvRecords } from "../src/domain/csv-format.ts";
import { parseYuan } from "../src/domain/money.ts";
import { copyExample, readCsvFile, REFERENCE_EXPECTED, ROOT, runCli } from "./cli-harness.ts";
import { hasProgram, needs, unzip } from "./office-output-harness.ts";

const SCHEMA = JSON.parse(readFileSync(join(ROOT, "data/schemas/fiscal-data-package.schema.json"), "utf8")) as object;

interface Descriptor {
  profile: string;
  description: string;
  resources: { name: string; path: string; schema: { fields: { name: string; type: string; constraints?: { pattern?: string; enum?: string[] } }[] } }[];
  model: {
    measures: Record<string, { source: string; currency: string; factor: number; direction: string; phase: string }>;
    dimensions: Record<string, { dimensionType: string; classificationType?: string; primaryKey: string[]; attributes: Record<string, { source: string; parent?: string; labelfor?: string }> }>;
  };
}

interface Row3 {
  key: string;
  code: string | null;
  amounts: Record<string, string>;
  printed: Record<string, string>;
}

function build(example: string, formats?: string): { out: string; budget: string } {
  const dir = copyExample(example);
  const out = join(dir, "..", "out");
  const r = runCli(["build", dir, "--out", out, ...(formats === undefined ? [] : ["--format", formats])]);
  expect(r.stderr).toBe("");
  expect(r.status, r.stdout).toBe(0);
  return { out, budget: readFileSync(join(dir, "budget.yaml"), "utf8") };
}

const fen = (s: string): bigint => {
  const p = parseYuan(s);
  if (!p.ok) throw new Error(`not an amount: ${s}`);
  return p.fen;
};

function lineItems(out: string): Record<string, string>[] {
  const bytes = readFileSync(join(out, "data/line-items.csv"));
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsvRecords(bytes.toString("utf8"));
}

function table3(out: string): Row3[] {
  const d = JSON.parse(readFileSync(join(out, "disclosure.json"), "utf8")) as { tables: { id: string; rows: Row3[] }[] };
  return d.tables.find((t) => t.id === "t03")!.rows;
}

/** Sums of the line items: all, basic, project, and per function 项. */
function sums(rows: Record<string, string>[]) {
  const s = { total: 0n, basic: 0n, project: 0n, byItem: new Map<string, bigint>() };
  for (const r of rows) {
    const a = fen(r["amount"]!);
    s.total += a;
    if (r["expenditure_type"] === "basic") s.basic += a;
    else s.project += a;
    s.byItem.set(r["func_item"]!, (s.byItem.get(r["func_item"]!) ?? 0n) + a);
  }
  return s;
}

/** 分 → 万元 with two decimals, half up (amounts are not negative). */
function wan(f: bigint): string {
  const steps = (f * 2n + 10000n) / 20000n;
  return `${steps / 100n}.${(steps % 100n).toString().padStart(2, "0")}`;
}

const squash = (s: string) => s.replace(/\s+/g, "");

describe.each(["changji-xinfang-2024", "three-units-2024"])("open data of %s", (example) => {
  let out = "";
  let d: Descriptor;
  let rows: Record<string, string>[];
  beforeAll(() => {
    ({ out } = build(example, "datapackage,json"));
    d = JSON.parse(readFileSync(join(out, "datapackage.json"), "utf8")) as Descriptor;
    rows = lineItems(out);
  }, 120_000);

  it("datapackage.json validates against the repository's Fiscal Data Package schema", () => {
    const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
    expect(validate(d), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(d.profile).toBe("fiscal-data-package");
  });

  it("states its measure: yuan (factor 1), CNY, approved expenditure", () => {
    expect(Object.values(d.model.measures)).toEqual([{ source: "amount", resource: "line-items", currency: "CNY", factor: 1, direction: "expenditure", phase: "approved" }]);
    expect(d.description).toContain("factor 为 1");
    expect(d.description).toContain("factor 1");
  });

  it("declares the functional and economic classifications, with their levels as parents", () => {
    const dims = Object.values(d.model.dimensions);
    const functional = dims.find((x) => x.classificationType === "functional")!;
    const economic = dims.find((x) => x.classificationType === "economic")!;
    expect(functional.dimensionType).toBe("classification");
    expect(economic.dimensionType).toBe("classification");
    expect(Object.values(functional.attributes).map((a) => a.source)).toEqual(expect.arrayContaining(["func_class", "func_section", "func_item"]));
    expect(Object.values(economic.attributes).map((a) => a.source)).toEqual(expect.arrayContaining(["econ_class", "econ_section"]));
    expect(functional.attributes[functional.primaryKey[0]!]!.source).toBe("func_item");
  });

  it("refers only to columns that exist and to attributes of the same dimension (what the schema cannot check)", () => {
    const fields = d.resources[0]!.schema.fields.map((f) => f.name);
    for (const m of Object.values(d.model.measures)) expect(fields).toContain(m.source);
    for (const [name, dim] of Object.entries(d.model.dimensions)) {
      const attrs = Object.keys(dim.attributes);
      for (const k of dim.primaryKey) expect(attrs, name).toContain(k);
      for (const a of Object.values(dim.attributes)) {
        expect(fields, name).toContain(a.source);
        if (a.parent !== undefined) expect(attrs, name).toContain(a.parent);
        if (a.labelfor !== undefined) expect(attrs, name).toContain(a.labelfor);
      }
    }
    // the CSV's header is the schema's fields, and its cells keep the schema's constraints
    const header = readFileSync(join(out, d.resources[0]!.path), "utf8").replace(/^\uFEFF/, "").split("\r\n")[0]!.split(",");
    expect(header).toEqual(fields);
    for (const f of d.resources[0]!.schema.fields) {
      const pattern = f.constraints?.pattern === undefined ? null : new RegExp(f.constraints.pattern);
      for (const r of rows) {
        const v = r[f.name]!;
        if (v === "") continue;
        if (pattern) expect(v, f.name).toMatch(pattern);
        if (f.constraints?.enum) expect(f.constraints.enum, f.name).toContain(v);
        if (f.type === "number") expect(v).toMatch(/^\d+\.\d\d$/);
      }
    }
  });

  it("sums to 表3 exactly: total, basic, project and every 项", () => {
    const t3 = table3(out);
    const s = sums(rows);
    const total = t3.find((r) => r.key === "total")!;
    expect(s.total).toBe(fen(total.amounts["total"]!));
    expect(s.basic).toBe(fen(total.amounts["basic"]!));
    expect(s.project).toBe(fen(total.amounts["project"]!));
    const items = t3.filter((r) => r.code !== null && r.code.length === 7);
    expect(items.length).toBeGreaterThan(5);
    for (const r of items) expect(s.byItem.get(r.code!), r.code!).toBe(fen(r.amounts["total"]!));
    expect([...s.byItem.keys()].sort()).toEqual(items.map((r) => r.code!).sort());
  });

  it("shows the classified project only under its public label, aggregated to 项 × economic 类", () => {
    const classified = rows.filter((r) => r["aggregated"] === "true");
    expect(classified.length).toBeGreaterThan(0);
    for (const r of classified) {
      expect(r["project"]).toMatch(/^特定目标 /);
      expect(r["project_code"]).toBe("");
      expect(r["econ_section"]).toBe("");
      expect(r["econ_section_name"]).toBe("");
      expect(r["econ_class"]).toMatch(/^\d{3}$/);
    }
    // one row per 项 × 类 × fund source
    const keys = classified.map((r) => [r["unit_code"], r["func_item"], r["econ_class"], r["fund_source"], r["project"]].join("|"));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("every file of a full build of the reference example", () => {
  let out = "";
  let budget = "";
  beforeAll(() => {
    ({ out, budget } = build("changji-xinfang-2024"));
  }, 300_000);

  it("sums the line items to the printed 表3 totals (551.44, 415.59, 135.85)", () => {
    const printed = readCsvFile(join(REFERENCE_EXPECTED, "t03.csv")).find((r) => r[3] === "总计")!;
    const s = sums(lineItems(out));
    expect([wan(s.total), wan(s.basic), wan(s.project)]).toEqual(printed.slice(4, 7));
  });

  it("carries the constructed-data note in datapackage.json's description, in Chinese and English", () => {
    const note = /^constructed: (.+)$/m.exec(budget)![1]!.trim();
    const d = JSON.parse(readFileSync(join(out, "datapackage.json"), "utf8")) as Descriptor;
    expect(d.description).toContain(note);
    expect(d.description).toContain("CONSTRUCTED");
  });

  it("never holds the classified project's name or code except inside its public label", () => {
    const code = /- code: "?(\w+)"?\s*\n\s*name: (.+)\n(?:.*\n){0,2}\s*classified: true/.exec(budget);
    expect(code, "the example has a classified project").not.toBeNull();
    const [, secretCode, secretName] = code!;
    const label = /public_label: (.+)/.exec(budget)![1]!.trim();
    expect(label).toBe("特定目标 8910002U");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(out);
    expect(files.map((f) => relative(out, f))).toEqual(expect.arrayContaining(["datapackage.json", "data/line-items.csv", "disclosure.xlsx", "disclosure.docx", "disclosure.json"]));
    let read = 0;
    for (const f of files) {
      const bytes = readFileSync(f);
      let texts: string[];
      if (f.endsWith(".pdf")) {
        if (!hasProgram("pdftotext")) {
          expect(needs("pdftotext"), "pdftotext is needed in CI to read the PDF").toBe(false);
          continue;
        }
        texts = [spawnSync("pdftotext", ["-enc", "UTF-8", f, "-"], { encoding: "utf8" }).stdout];
      } else if (bytes.subarray(0, 2).toString("latin1") === "PK") texts = [...unzip(bytes).values()].map((b) => b.toString("utf8"));
      else texts = [bytes.toString("utf8")];
      for (const t of texts) {
        const rest = squash(t).replaceAll(squash(label), "");
        expect(rest.includes(squash(secretName!.trim())), `${relative(out, f)} names the classified project`).toBe(false);
        expect(rest.includes(secretCode!), `${relative(out, f)} holds the classified project's code outside its label`).toBe(false);
      }
      read++;
    }
    expect(read).toBeGreaterThanOrEqual(5);
  });
});
