/**
 * Every figure agrees with every other statement of it (issue 8): `gongkai build` is run as a user runs it on both
 * examples and on three generated departments (bench/province-generator.ts, fixed seed), and the rendered outputs —
 * the page's HTML, `pdftotext -bbox-layout` of the PDF, the Word document's XML, the workbook's cells and
 * disclosure.json — are read back into statements (figure, year, printed value, where) by test/consistency-harness.ts.
 * No two statements of one figure may differ beyond what their printed roundings allow: not between tables, text,
 * charts and performance tables, not between a total and the sum of its parts stated in one place, and not between
 * formats. Every chart label must name a figure.
 *
 * The PDF needs poppler-utils: without `pdftotext` its statements are left out, with the reason printed, except under
 * CI=true, where that fails.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { budgetYaml, generateDepartment } from "../bench/province-generator.ts";
import { ROOT, tempDir } from "./cli-harness.ts";
import { buildAsync, collect, disagreements, formatDisagreement, HAVE_PDFTOTEXT, type Collected, type Model, type Statement } from "./consistency-harness.ts";

const CI = process.env["CI"] === "true";
if (!HAVE_PDFTOTEXT && !CI) console.log("consistency.test.ts: the PDF is not read — pdftotext (poppler-utils) is not installed; it is mandatory under CI=true");

/** Generated departments: small ones of the bench's province, fixed seed. */
const GENERATED = [2, 3, 7];

interface Case {
  readonly name: string;
  readonly budget: () => string;
}
const CASES: Case[] = [
  {
    name: "changji-xinfang-2024",
    budget: () => join(ROOT, "examples/changji-xinfang-2024/budget.yaml"),
  },
  {
    name: "three-units-2024",
    budget: () => join(ROOT, "examples/three-units-2024/budget.yaml"),
  },
  ...GENERATED.map((i) => ({
    name: `generated department ${i}`,
    budget: () => {
      const path = join(tempDir("gongkai-consistency-gen-"), "budget.yaml");
      writeFileSync(path, budgetYaml(generateDepartment(i)));
      return path;
    },
  })),
];

const results = new Map<
  string,
  {
    status: number | null;
    stderr: string;
    out: string;
    collected?: Collected & { model: Model };
  }
>();

beforeAll(async () => {
  // two builds at a time (the machine has two cores); each builds every format once
  const queue = [...CASES];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const out = tempDir("gongkai-consistency-");
      const r = await buildAsync(c.budget(), out);
      results.set(c.name, r.status === 0 || r.status === 1 ? { ...r, out, collected: await collect(out) } : { ...r, out });
    }
  };
  await Promise.all([worker(), worker()]);
}, 480_000); // five builds of every format; slow when the machine is shared

function collected(name: string): Collected & { model: Model } {
  const r = results.get(name);
  if (!r?.collected) throw new Error(`${name}: build exited ${r?.status}: ${r?.stderr.slice(0, 2000)}`);
  return r.collected;
}

it("the PDF can be read (pdftotext is installed)", () => {
  if (!HAVE_PDFTOTEXT && !CI) return; // reason printed above
  expect(HAVE_PDFTOTEXT, "pdftotext (poppler-utils) is mandatory under CI=true").toBe(true);
});

describe.each(CASES.map((c) => c.name))("%s", (name) => {
  it("every output states figures: tables, narrative and charts in each format", () => {
    const { counts } = collected(name);
    const need = ["json:data", "html:table", "html:narrative", "html:chart", "docx:table", "docx:narrative", "xlsx:table", "xlsx:narrative", "csv:table"];
    if (HAVE_PDFTOTEXT) need.push("pdf:narrative", "pdf:chart", "pdf:table");
    expect(
      need.filter((k) => !(counts[k]! > 0)),
      JSON.stringify(counts),
    ).toEqual([]);
  });

  it("the page, the PDF and Word state the same figures in each section of the narrative", () => {
    const { statements } = collected(name);
    const of = (format: string) =>
      new Set(
        statements
          .filter((s) => s.format === format && s.source === "narrative" && !s.place.endsWith("项之和）"))
          .map((s) => `${s.place} · ${s.name} · ${s.year}`),
      );
    const html = of("html");
    for (const format of HAVE_PDFTOTEXT ? ["docx", "pdf"] : ["docx"]) {
      const other = of(format);
      expect({
        format,
        missing: [...html].filter((x) => !other.has(x)),
        extra: [...other].filter((x) => !html.has(x)),
      }).toEqual({ format, missing: [], extra: [] });
    }
  });

  it("every figure the page binds in its narrative and charts is read there (by its words, or a chart label by its name)", () => {
    const { statements, bound } = collected(name);
    const read = new Set(statements.filter((s) => s.format === "html").map((s) => `${s.place}\u0000${s.key}\u0000${s.year}`));
    expect(bound.filter((b) => !read.has(`${b.place}\u0000${b.key}\u0000${b.year}`)).map((b) => `${b.place}: ${b.ref} (${b.year})`)).toEqual([]);
  });

  it("the page, Word, the workbook and the CSV tables print the same table cells", () => {
    const { statements } = collected(name);
    const of = (format: string) => new Set(statements.filter((s) => s.format === format && s.source === "table").map((s) => s.place));
    const html = of("html");
    for (const format of ["docx", "xlsx", "csv"]) {
      const other = of(format);
      expect({ format, missing: [...html].filter((x) => !other.has(x)), extra: [...other].filter((x) => !html.has(x)) }).toEqual({
        format,
        missing: [],
        extra: [],
      });
    }
  });

  it("no two statements of one figure differ (tables, narrative and its sums, charts, performance tables; across formats)", () => {
    const { statements, model } = collected(name);
    expect(disagreements(model, statements).map(formatDisagreement)).toEqual([]);
  });

  it("every label of every chart names a figure", () => {
    expect(collected(name).unnamed.map((u) => `${u.format} ${u.place}: ${u.label}`)).toEqual([]);
  });

  it("every number a chart draws is one of the values it labels", () => {
    expect(collected(name).stray).toEqual([]);
  });
});

describe("the check itself", () => {
  it("reports a statement that differs from the others of its figure, with both values and both places", () => {
    const { statements, model } = collected("three-units-2024");
    const cell = statements.find((s) => s.format === "html" && s.source === "table" && s.place.startsWith("表5 总计 ×") && s.lo > 0)!;
    expect(cell).toBeDefined();
    const wrong: Statement = {
      ...cell,
      printed: "1.00",
      lo: 995_000,
      hi: 1_005_000,
      place: "planted",
    };
    const found = disagreements(model, [...statements, wrong]).map(formatDisagreement);
    expect(found.some((d) => d.includes("1.00 [html planted]") || (d.includes("1.00") && d.includes("planted")))).toBe(true);
  });

  it("reads a changed word of the page back: a 五（一） change edited in index.html contradicts the PDF, Word and the total", async () => {
    const dir = tempDir("gongkai-consistency-edited-");
    // the output folder is a link to its build (replaced whole): copy what it holds
    cpSync(results.get("three-units-2024")!.out, dir, { recursive: true, dereference: true });
    const page = join(dir, "index.html");
    const html = readFileSync(page, "utf8");
    const edited = html.replace(
      /(<data [^>]*data-ref="change:exp\.gpb\.basic"[^>]*>)([\d.]+)(<\/data>)/,
      (_, a: string, v: string, b: string) => `${a}${(Number(v) + 100).toFixed(2)}${b}`,
    );
    expect(edited).not.toBe(html);
    writeFileSync(page, edited);
    const c = await collect(dir);
    const found = disagreements(c.model, c.statements).map(formatDisagreement);
    expect(found.some((d) => d.includes("html （一）一般公共预算当年拨款规模变化情况") && d.includes("（上年）"))).toBe(true);
  });

  it("a total stated through its parts (prior derived from the stated change) counts as a statement of the total", () => {
    const { statements } = collected("three-units-2024");
    const sums = statements.filter((s) => s.place.endsWith("项之和）") && s.format === "html");
    // 五（一）: 基本支出 + 项目支出 of the general public budget, this year and last
    expect(sums.some((s) => s.place.startsWith("（一）") && s.year === "prior")).toBe(true);
    expect(sums.some((s) => s.place.startsWith("（一）") && s.year === "current")).toBe(true);
  });
});
