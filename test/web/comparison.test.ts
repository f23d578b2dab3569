/**
 * The public comparisons against the stored disclosures. The platform gets the reference department's 2023 budget
 * (published through the API, one amount changed so that the years differ) beside its seeded 2024 one, and five
 * synthetic departments for 2024 — one without staffing, one with 实有人数 0 — so that the region has six (an even
 * count: the median is a mean of two). Then, for one department across two years and for the region's departments
 * in one year: every chart's values (read from the rendered SVG's marks) equal its data table, and both equal the
 * figures of the stored disclosure.json of each current version, read back from the store value by value; the
 * median row is the true median; sorting orders the rows; the CSV equals the JSON; a department without staff shows
 * “—”; an unknown region, department or year is a 404; English works.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/domain/csv-format.ts";
import { formatCell, formatYuan, parseYuan, WAN_YUAN_2DP } from "../../src/domain/money.ts";
import { buildDisclosure } from "../../src/app/build-disclosure.ts";
import * as service from "../../src/app/platform/platform-service.ts";
import type { ServiceResult } from "../../src/app/platform/platform-service.ts";
import { budgetYaml, departmentCode, generateDepartment } from "../../src/app/synthetic-budget.ts";
import type { Budget } from "../../src/domain/budget-schema.ts";
import { json, startPlatform, upload, type Platform } from "./web-harness.ts";

const REFERENCE = readFileSync(new URL("../../examples/changji-xinfang-2024/budget.yaml", import.meta.url), "utf8");
/** the reference department's 2023 budget: its 2024 file with the year moved and 30101 of 行政运行 10,000.00 元 lower */
const REFERENCE_2023 = REFERENCE.replace("  year: 2024\n", "  year: 2023\n")
  .replace('  date: "2024-02-23"', '  date: "2023-02-23"')
  .replace('econ: "30101", fund: gpb.own, kind: basic, amount: 786750 }', 'econ: "30101", fund: gpb.own, kind: basic, amount: 776750 }');
const REGION = "652300";
const TREND = `/r/${REGION}/d/415001/trend`;
const COMPARE = `/r/${REGION}/2024/compare`;
const FIXED = ["income.total", "exp.all.total", "exp.all.basic", "exp.all.project", "sangong.total", "sangong.overseas", "sangong.vehicle_purchase", "sangong.vehicle_running", "sangong.reception", "office_running"];

interface StoredFigures {
  readonly figures: Record<string, { name: string; current: string }>;
  readonly staffing: { authorised: number; actual: number } | null;
}

const fen = (yuan: string) => {
  const r = parseYuan(yuan);
  if (!r.ok) throw new Error(`not an amount: ${yuan}`);
  return r.fen;
};
const printed = (yuan: string | null | undefined) => (yuan === null || yuan === undefined ? "—" : formatCell(fen(yuan), WAN_YUAN_2DP));
const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();

/** The true median (written here independently of the code under test): a mean of two rounded half up to the 分 (all amounts ≥ 0). */
function trueMedian(values: bigint[]): bigint | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = s.length;
  if (n % 2 === 1) return s[(n - 1) / 2]!;
  const sum = s[n / 2 - 1]! + s[n / 2]!;
  return sum / 2n + (sum % 2n);
}

interface ChartRead {
  readonly id: string;
  /** series names (the data table's column headers) */
  readonly series: string[];
  /** per row: the category name, and per series the printed value and the figure it is bound to */
  readonly rows: { name: string; cells: { text: string; ref: string | null }[] }[];
  /** the SVG's marks: "category（series）" or "category" → printed value */
  readonly marks: Map<string, string>;
  readonly svg: string;
}

/** Every chart figure of a page: its SVG marks and its data table. */
function readCharts(html: string): ChartRead[] {
  const out: ChartRead[] = [];
  for (const m of html.matchAll(/<figure class="chart" id="([^"]+)"[\s\S]*?<\/figure>/g)) {
    const fig = m[0];
    const svg = /<svg[\s\S]*?<\/svg>/.exec(fig)?.[0] ?? "";
    const table = /<table class="chart-data"[\s\S]*?<\/table>/.exec(fig)?.[0] ?? "";
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? "";
    const series = [...head.matchAll(/<th scope="col">([\s\S]*?)<\/th>/g)].slice(1).map((x) => decode(x[1]!));
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? "";
    const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => ({
      name: decode(/<th scope="row">([\s\S]*?)<\/th>/.exec(r[1]!)?.[1] ?? ""),
      cells: [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => ({ text: decode(c[1]!), ref: /data-ref="([^"]*)"/.exec(c[1]!)?.[1] ?? null })),
    }));
    const marks = new Map<string, string>();
    for (const t of svg.matchAll(/<path[^>]*><title>([^<]*)<\/title><\/path>/g)) {
      const text = decode(t[1]!);
      // "name：value 万元", in English "name: value 10,000 yuan"
      const sep = text.lastIndexOf("：") >= 0 ? "：" : ": ";
      const at = text.lastIndexOf(sep);
      const value = text.slice(at + sep.length).replace(/\s*(万元|10,000 yuan)$/, "");
      expect(marks.has(text.slice(0, at)), `a second mark for ${text}`).toBe(false);
      marks.set(text.slice(0, at), value);
    }
    out.push({ id: m[1]!, series, rows, marks, svg });
  }
  return out;
}

/** A chart's values equal its data table's: the same (category, series) pairs, the same printed numbers. */
function expectChartEqualsTable(ch: ChartRead, lang: "zh" | "en" = "zh"): number {
  expect(ch.svg).toMatch(/^<svg[^>]*role="img"/);
  expect(ch.svg).toMatch(/<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/);
  const fromTable = new Map<string, string>();
  for (const r of ch.rows)
    r.cells.forEach((cell, j) => {
      if (cell.text === "") return;
      fromTable.set(ch.series.length > 1 ? (lang === "en" ? `${r.name} (${ch.series[j]})` : `${r.name}（${ch.series[j]}）`) : r.name, cell.text);
    });
  expect(fromTable.size, `${ch.id}: its table has values`).toBeGreaterThan(0);
  expect(new Map([...ch.marks].sort()), `${ch.id}: the SVG's marks are its data table`).toEqual(new Map([...fromTable].sort()));
  return fromTable.size;
}

/** The stored disclosure.json of the department's current version of the year, read back from the store. */
async function stored(p: Platform, departmentId: number, year: number): Promise<StoredFigures & { versionId: string; number: number }> {
  const v = await p.store.currentVersion(departmentId, year);
  if (!v) throw new Error(`no version ${departmentId}/${year}`);
  const f = await p.store.readVersionFile(v.id, "disclosure.json");
  const d = JSON.parse(new TextDecoder().decode(f!.bytes)) as { figures: StoredFigures["figures"]; profile: { staffing?: { authorised: number; actual: number } } };
  return { figures: d.figures, staffing: d.profile.staffing ?? null, versionId: v.id, number: v.number };
}

const classIds = (s: StoredFigures) => Object.keys(s.figures).filter((id) => /^class_all\.\d{3}$/.test(id) && fen(s.figures[id]!.current) !== 0n);

/** What a comparison column should hold for a department, from its stored figures alone. */
function expected(s: StoredFigures, id: string, basis: "actual" | "authorised"): bigint | null {
  if (id.startsWith("per_staff.")) {
    const n = s.staffing === null ? 0 : s.staffing[basis];
    const v = s.figures[id.slice("per_staff.".length)];
    if (n === 0 || !v) return null;
    const x = fen(v.current) * 2n + BigInt(n);
    return x / (2n * BigInt(n)); // half up = half away from zero for amounts ≥ 0
  }
  const f = s.figures[id];
  return f ? fen(f.current) : id.startsWith("class_all.") ? 0n : null;
}

function must<T>(r: ServiceResult<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code} ${r.error.message.en} ${JSON.stringify(r.error.problems ?? [])}`);
  return r.value;
}

describe("comparisons: each chart with its data table, from the stored disclosures", () => {
  let p: Platform;
  /** department code → its stored 2024 figures */
  const y2024 = new Map<string, StoredFigures & { name: string; versionId: string; number: number }>();
  let noStaff = "";
  let zeroActual = "";

  beforeAll(async () => {
    p = await startPlatform();
    // the reference department's 2023 budget, through the API as its preparer, approver and reviewer
    const [preparer, approver, reviewer] = await Promise.all([p.login("preparer"), p.login("approver"), p.login("reviewer")]);
    let r = await p.request("/api/v1/workspace/budgets", upload(preparer, { departmentId: String(p.a.id), year: "2023" }, { name: "budget.yaml", bytes: REFERENCE_2023 }));
    expect(r.status, await r.clone().text()).toBe(201);
    const id = ((await r.json()) as { budget: { id: number } }).budget.id;
    const revision = async () => (await p.store.getBudget(id))!.revision;
    r = await p.request(`/api/v1/workspace/budgets/${id}/submit`, json(preparer, { revision: await revision(), acknowledgement: "警告已逐条核对。" }));
    expect(r.status, await r.clone().text()).toBe(200);
    r = await p.request(`/api/v1/workspace/budgets/${id}/approve`, json(approver, { revision: await revision() }));
    expect(r.status, await r.clone().text()).toBe(200);
    r = await p.request(`/api/v1/workspace/budgets/${id}/publish`, json(reviewer, { revision: await revision() }));
    expect(r.status, await r.clone().text()).toBe(200);

    // five synthetic departments for 2024 through the use cases (the administrator acts in every role)
    const admin = await p.user("admin");
    let made = 0;
    for (let i = 0; made < 5 && i < 40; i++) {
      let b: Budget = { ...generateDepartment(i), department: { ...generateDepartment(i).department, region: "新疆维吾尔自治区昌吉回族自治州" } };
      const check = buildDisclosure(p.deps.data, b);
      if (!check.ok || check.result.findings.some((f) => f.severity === "error")) continue;
      if (made === 0) {
        const { staffing: _gone, ...profile } = b.profile;
        b = { ...b, profile };
        noStaff = departmentCode(i);
      } else if (made === 1) {
        b = { ...b, profile: { ...b.profile, staffing: { ...b.profile.staffing!, actual: 0 } } };
        zeroActual = departmentCode(i);
      }
      made++;
      const dept = await p.store.createDepartment({ regionCode: REGION, code: departmentCode(i), name: b.department.name });
      const up = must(await service.uploadBudget(p.deps, admin, { departmentId: dept.id, year: 2024, fileName: "budget.yaml", bytes: new TextEncoder().encode(budgetYaml(b)) }), "upload");
      const sub = must(await service.submitBudget(p.deps, admin, { budgetId: up.budget.id, expectedRevision: up.budget.revision, acknowledgement: "测试数据：提示已阅。" }), "submit");
      const app = must(await service.approveBudget(p.deps, admin, { budgetId: sub.id, expectedRevision: sub.revision }), "approve");
      must(await service.publishBudget(p.deps, admin, { budgetId: app.id, expectedRevision: app.revision }), "publish");
    }
    expect(made).toBe(5);
    // the oracle: every department of the region with a current 2024 version, read one by one from the store
    for (const d of await p.store.listDepartments(REGION)) {
      if (!(await p.store.currentVersion(d.id, 2024))) continue;
      y2024.set(d.code, { ...(await stored(p, d.id, 2024)), name: d.name });
    }
    expect(y2024.size).toBe(6);
    expect(y2024.has(p.b.code), "415002 has no published budget").toBe(false);
  }, 240_000);
  afterAll(() => p?.close());

  describe("one department across two years", () => {
    let years: Map<number, StoredFigures>;
    beforeAll(async () => {
      years = new Map([
        [2023, await stored(p, p.a.id, 2023)],
        [2024, await stored(p, p.a.id, 2024)],
      ]);
      // the two years differ (the 2023 file has 10,000.00 元 less basic expenditure)
      expect(fen(years.get(2024)!.figures["exp.all.basic"]!.current) - fen(years.get(2023)!.figures["exp.all.basic"]!.current)).toBe(1_000_000n);
    });

    it("the JSON twin gives every measure of both years exactly as the stored figures", async () => {
      const r = await p.request(`/api/v1${TREND}/`);
      expect(r.status).toBe(200);
      const j = (await r.json()) as { years: { year: number; version: { id: string } }[]; measures: { id: string; values: Record<string, string | null> }[]; crosswalk: { renamed: unknown[] } };
      expect(j.years.map((y) => [y.year, y.version.id])).toEqual([
        [2023, (await p.store.currentVersion(p.a.id, 2023))!.id],
        [2024, (await p.store.currentVersion(p.a.id, 2024))!.id],
      ]);
      // data/crosswalks/2023-2024.csv renames nothing: each 类 is its own code in both years
      expect(j.crosswalk.renamed).toEqual([]);
      const classes = [...new Set([...years.values()].flatMap(classIds))].sort();
      expect(j.measures.map((m) => m.id)).toEqual([...FIXED, ...classes]);
      for (const m of j.measures)
        for (const [year, s] of years) {
          const want = s.figures[m.id]?.current ?? (m.id.startsWith("class_all.") ? "0.00" : null);
          expect(m.values[String(year)], `${m.id} ${year}`).toBe(want);
        }
    });

    it("every chart's marks equal its data table, and both equal the stored figures; the full table too", async () => {
      const html = await (await p.request(`${TREND}/`)).text();
      const charts = readCharts(html);
      expect(charts.map((c) => c.id)).toEqual(["trend-totals", "trend-kinds", "trend-sangong", "trend-classes"]);
      let checked = 0;
      for (const ch of charts) {
        expectChartEqualsTable(ch);
        expect(ch.series).toEqual(["2023年", "2024年"]);
        for (const row of ch.rows)
          row.cells.forEach((cell, j) => {
            const year = 2023 + j;
            // every cell is bound to its figure; a blank cell is a figure that is exactly zero
            const id = (cell.ref ?? /* blank */ "").replace(/^figure:/, "");
            if (cell.text === "") return;
            expect(cell.text, `${ch.id} ${row.name} ${year}`).toBe(printed(years.get(year)!.figures[id]?.current));
            checked++;
          });
      }
      expect(checked).toBeGreaterThan(20);
      // the table of all measures: one row per measure, one column per year
      for (const m of html.matchAll(/<tr data-measure="([^"]+)">([\s\S]*?)<\/tr>/g)) {
        const cells = [...m[2]!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((x) => x[1]);
        expect(cells, m[1]).toEqual([2023, 2024].map((y) => printed(years.get(y)!.figures[m[1]!]?.current ?? (m[1]!.startsWith("class_all.") ? "0.00" : null))));
      }
    });

    it("the CSV equals the JSON", async () => {
      const j = (await (await p.request(`/api/v1${TREND}/`)).json()) as { measures: { id: string; values: Record<string, string | null> }[] };
      const res = await p.request(`${TREND}.csv`);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      const text = await res.text();
      const bytes = new Uint8Array(await (await p.request(`${TREND}.csv`)).arrayBuffer());
      expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
      const [head, ...rows] = parseCsv(text);
      expect(head).toEqual(["指标编码", "指标", "2023年（元）", "2024年（元）"]);
      expect(rows.map((r) => [r[0], r[2] || null, r[3] || null])).toEqual(j.measures.map((m) => [m.id, m.values["2023"], m.values["2024"]]));
    });

    it("is linked from the department's page", async () => {
      const html = await (await p.request(`/r/${REGION}/d/415001/`)).text();
      expect(html).toContain(`href="${TREND}/"`);
    });
  });

  describe("the region's departments in one year", () => {
    type CompareJson = {
      staffBasis: string;
      columns: { id: string; group: string }[];
      departments: { code: string; name: string; staff: number | null; version: { id: string }; values: Record<string, string | null> }[];
      median: { values: Record<string, string | null>; counts: Record<string, number> };
    };
    const getJson = async (q = "") => {
      const r = await p.request(`/api/v1${COMPARE}/${q}`);
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as CompareJson;
    };

    it("lists every department with a published budget, each measure and per-staff value as the stored figures give it", async () => {
      for (const basis of ["actual", "authorised"] as const) {
        const j = await getJson(basis === "authorised" ? "?staff=authorised" : "");
        expect(j.staffBasis).toBe(basis);
        expect(j.departments.map((d) => d.code).sort()).toEqual([...y2024.keys()].sort());
        const classes = [...new Set([...y2024.values()].flatMap(classIds))].sort();
        expect(j.columns.filter((c) => c.group === "class").map((c) => c.id)).toEqual(classes);
        expect(j.columns.filter((c) => c.group === "per_staff").length).toBe(6);
        for (const d of j.departments) {
          const s = y2024.get(d.code)!;
          expect(d.version.id).toBe(s.versionId);
          for (const c of j.columns) {
            const want = expected(s, c.id, basis);
            expect(d.values[c.id], `${d.code} ${c.id} (${basis})`).toBe(want === null ? null : formatYuan(want));
          }
        }
      }
    });

    it("a department without staff (none stated, or 实有人数 0) has “—” per staff member, never a division by zero", async () => {
      const j = await getJson();
      for (const code of [noStaff, zeroActual]) {
        const d = j.departments.find((x) => x.code === code)!;
        expect(d.staff).toBeNull();
        expect(d.values["per_staff.exp.all.total"]).toBeNull();
        expect(d.values["exp.all.total"]).not.toBeNull();
      }
      // by 编制数 the department with 实有人数 0 has staff again
      const a = await getJson("?staff=authorised");
      expect(a.departments.find((x) => x.code === zeroActual)!.staff).toBe(y2024.get(zeroActual)!.staffing!.authorised);
      expect(a.departments.find((x) => x.code === noStaff)!.staff).toBeNull();
      const html = await (await p.request(`${COMPARE}/`)).text();
      const row = new RegExp(`<tr data-department="${noStaff}">([\\s\\S]*?)</tr>`, "g");
      const cells = [...html.matchAll(row)].map((m) => [...m[1]!.matchAll(/data-measure="per_staff\.[^"]+">([^<]*)</g)].map((x) => x[1])).flat();
      expect(cells.length).toBe(6);
      expect(new Set(cells)).toEqual(new Set(["—"]));
    });

    it("the median row is the true median of each column (an even count: the mean of the two middle values, to the 分)", async () => {
      const j = await getJson();
      const html = await (await p.request(`${COMPARE}/`)).text();
      const medianRows = [...html.matchAll(/<tr class="median" data-median="true">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
      expect(medianRows.length).toBe(4);
      const onPage = new Map<string, string>();
      for (const r of medianRows) for (const m of r.matchAll(/data-measure="([^"]+)">([^<]*)</g)) onPage.set(m[1]!, m[2]!);
      let even = 0;
      for (const c of j.columns) {
        const vals = [...y2024.values()].map((s) => expected(s, c.id, "actual")).filter((v): v is bigint => v !== null);
        const m = trueMedian(vals);
        if (vals.length % 2 === 0) even++;
        expect(j.median.counts[c.id], c.id).toBe(vals.length);
        expect(j.median.values[c.id], c.id).toBe(m === null ? null : formatYuan(m));
        expect(onPage.get(c.id), c.id).toBe(m === null ? "—" : formatCell(m, WAN_YUAN_2DP));
      }
      expect(even).toBeGreaterThan(0);
      // per staff member: four departments have staff — an even count as well
      expect(j.median.counts["per_staff.exp.all.total"]).toBe(4);
      expect(html).toContain("中间两个数的平均数");
    });

    it("the chart's marks equal its data table, and both the stored figures, with the median marked", async () => {
      for (const sort of ["exp.all.total", "per_staff.exp.all.total", "sangong.total", "class_all.201"]) {
        const j = await getJson(`?sort=${sort}&order=desc`);
        const html = await (await p.request(`${COMPARE}/?sort=${sort}&order=desc`)).text();
        const [ch, ...more] = readCharts(html);
        expect(more).toEqual([]);
        expectChartEqualsTable(ch!);
        const byName = new Map([...y2024.values()].map((s) => [s.name, s]));
        const rows = ch!.rows;
        const median = rows.filter((r) => r.name === "中位数（全区）");
        expect(median.length, sort).toBe(j.median.values[sort] === null ? 0 : 1);
        expect(median[0]!.cells[0]!.text).toBe(printed(j.median.values[sort]));
        const departments = rows.filter((r) => r.name !== "中位数（全区）");
        // each department that has the value, in the page's order, with its stored figure
        expect(departments.map((r) => r.name)).toEqual(j.departments.filter((d) => d.values[sort] !== null).map((d) => d.name));
        for (const r of departments) {
          const want = expected(byName.get(r.name)!, sort, "actual");
          expect(r.cells[0]!.text, `${sort} ${r.name}`).toBe(want === null ? "—" : formatCell(want, WAN_YUAN_2DP));
        }
        // the median bar is drawn in the highlight colour, at its place in the order
        expect(ch!.svg).toMatch(/fill="#b45309"/);
        const at = rows.findIndex((r) => r.name === "中位数（全区）");
        const m = fen(j.median.values[sort]!);
        const vals = departments.map((r) => expected(byName.get(r.name)!, sort, "actual")!);
        expect(vals.slice(0, at).every((v) => v >= m) && vals.slice(at).every((v) => v <= m), sort).toBe(true);
      }
    });

    it("sorting orders the rows, by links with aria-sort, both ways", async () => {
      for (const [sort, order] of [
        ["exp.all.total", "desc"],
        ["exp.all.total", "asc"],
        ["per_staff.exp.all.total", "asc"],
        ["office_running", "desc"],
        ["staff", "desc"],
        ["name", "asc"],
      ] as const) {
        const j = await getJson(`?sort=${sort}&order=${order}`);
        const key = (d: CompareJson["departments"][number]): bigint | string | null =>
          sort === "name" ? d.name : sort === "staff" ? (d.staff === null ? null : BigInt(d.staff)) : d.values[sort] === null ? null : fen(d.values[sort]!);
        const keys = j.departments.map(key);
        const present = keys.filter((k) => k !== null);
        // the rows without a value come last
        expect(keys.slice(present.length).every((k) => k === null)).toBe(true);
        for (let i = 1; i < present.length; i++) expect(order === "asc" ? present[i - 1]! <= present[i]! : present[i - 1]! >= present[i]!, `${sort} ${order} at ${i}`).toBe(true);
        const html = await (await p.request(`${COMPARE}/?sort=${encodeURIComponent(sort)}&order=${order}`)).text();
        const firstTable = /<table class="compare-table"[\s\S]*?<\/table>/.exec(html)![0];
        expect([...firstTable.matchAll(/<tr data-department="([^"]+)">/g)].map((m) => m[1])).toEqual(j.departments.map((d) => d.code));
        const sorted = [...html.matchAll(/<th scope="col"[^>]*aria-sort="(ascending|descending)"[^>]*><a class="sort" href="([^"]+)"/g)];
        expect(sorted.length).toBeGreaterThan(0);
        for (const s of sorted) {
          expect(s[1]).toBe(order === "asc" ? "ascending" : "descending");
          // the sorted column's link turns the order round
          expect(s[2]!.replace(/&amp;/g, "&")).toContain(`sort=${encodeURIComponent(sort)}&order=${order === "asc" ? "desc" : "asc"}`);
        }
      }
      const bad = await p.request(`${COMPARE}/?sort=no.such_measure`);
      expect(bad.status).toBe(400);
      expect((await p.request(`${COMPARE}/?order=sideways`)).status).toBe(400);
    });

    it("the CSV equals the JSON, in the same order, with the median row", async () => {
      for (const q of ["", "?sort=per_staff.exp.all.total&order=asc&staff=authorised"]) {
        const j = await getJson(q);
        const res = await p.request(`${COMPARE}.csv${q}`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="652300-2024-compare\.csv"/);
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
        const [head, ...rows] = parseCsv(new TextDecoder().decode(bytes));
        expect(head!.length).toBe(4 + j.columns.length);
        expect(head![3]).toBe(q.includes("authorised") ? "编制数" : "实有人数");
        const last = rows.pop()!;
        expect(rows.map((r) => r[0])).toEqual(j.departments.map((d) => d.code));
        rows.forEach((r, i) => {
          const d = j.departments[i]!;
          expect(r[1]).toBe(d.name);
          expect(r[3]).toBe(d.staff === null ? "" : String(d.staff));
          expect(r.slice(4)).toEqual(j.columns.map((c) => d.values[c.id] ?? ""));
        });
        expect(last[1]).toBe("中位数");
        expect(last.slice(4)).toEqual(j.columns.map((c) => j.median.values[c.id] ?? ""));
      }
    });

    it("is linked from the region's page", async () => {
      const html = await (await p.request(`/r/${REGION}/`)).text();
      expect(html).toContain(`href="${COMPARE}/"`);
    });
  });

  it("an unknown region, department or year is a 404, on the pages, the JSON and the CSV", async () => {
    for (const path of [
      "/r/659999/2024/compare/",
      "/r/652300/2019/compare/",
      "/api/v1/r/652300/2019/compare/",
      "/r/652300/2019/compare.csv",
      "/r/659999/d/415001/trend/",
      "/r/652300/d/nosuch/trend/",
      "/api/v1/r/652300/d/nosuch/trend/",
      "/r/652300/d/nosuch/trend.csv",
      // a department without a published budget has no trend
      "/r/652300/d/415002/trend/",
    ]) {
      const r = await p.request(path);
      expect(r.status, path).toBe(404);
      if (path.startsWith("/api/")) expect(((await r.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    // a department's page is never taken for a year's comparison, nor a department's year for its trend
    await p.store.createDepartment({ regionCode: REGION, code: "compare", name: "名为compare的部门" });
    const dept = await p.request("/r/652300/d/compare/");
    expect(dept.status).toBe(200);
    expect(await dept.text()).toContain("名为compare的部门");
    expect((await p.request("/r/652300/d/415001/2024/")).status).toBe(200);
  });

  it("English by ?lang=en: the texts in English, the names in Chinese, links keep the language", async () => {
    const compare = await (await p.request(`${COMPARE}/?lang=en`)).text();
    expect(compare).toMatch(/<html lang="en"/);
    expect(compare).toContain("Total expenditure");
    expect(compare).toContain("Median (region)");
    expect(compare).toContain("昌吉回族自治州信访局");
    expect(compare).toMatch(/href="\/r\/652300\/2024\/compare\/\?sort=[^"]*&amp;lang=en"/);
    expect(compare).not.toContain("中位数（全区）");
    const [ch] = readCharts(compare);
    expectChartEqualsTable(ch!, "en");
    const trend = await (await p.request(`${TREND}/?lang=en`)).text();
    expect(trend).toMatch(/<html lang="en"/);
    expect(trend).toContain("Total income");
    for (const c of readCharts(trend)) expectChartEqualsTable(c, "en");
  });
});
