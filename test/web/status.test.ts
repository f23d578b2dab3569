/**
 * The publication status of a region-year with fixed dates (status-fixture.ts): on time, late, not yet due, overdue
 * and corrected each classified right — on both sides of the deadline's Beijing midnight (a UTC date alone gets
 * each of them wrong) — and the page, its JSON twin and the CSV download say the same; the counts equal the rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/domain/csv-format.ts";
import { APPROVAL_DATE, DEADLINE, REGION, startStatusPlatform, T, type StatusFixture } from "./status-fixture.ts";

interface StatusJson {
  region: { code: string; name: string };
  year: number;
  approvalDate: string | null;
  deadline: string | null;
  asOf: string;
  asOfDate: string;
  filter: string | null;
  counts: Record<"overdue" | "not_yet_due" | "late" | "on_time" | "corrected" | "total", number>;
  csv: string;
  departments: {
    code: string;
    name: string;
    state: string;
    days: number | null;
    firstPublishedAt: string | null;
    firstPublishedDate: string | null;
    corrected: boolean;
    corrections: { version: number; publishedAt: string; date: string }[];
    workflow: { state: string; correcting: boolean };
    url: string | null;
  }[];
}

const STATES = ["overdue", "not_yet_due", "late", "on_time"] as const;
const FILTERS = [...STATES, "corrected"] as const;

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

/** the rows of the status table: code, state and each cell's text */
function pageRows(html: string): { code: string; state: string; cells: string[] }[] {
  return [...html.matchAll(/<tr data-code="([^"]+)" data-state="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ code: m[1]!, state: m[2]!, cells: [...m[3]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!)) }));
}

function pageCounts(html: string): Record<string, number> {
  return Object.fromEntries([...html.matchAll(/<strong data-count="([a-z_]+)">(\d+)<\/strong>/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe("publication status of a region's year", () => {
  let f: StatusFixture;
  const early = new Map<string, StatusJson>();
  const json = async (path: string) => {
    const res = await f.p.request(`/api/v1${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as StatusJson;
  };

  beforeAll(async () => {
    f = await startStatusPlatform(async (at, fx) => {
      f = fx;
      early.set(at, await json(`/r/${REGION}/2024/status/`));
    });
  }, 240_000);
  afterAll(() => f?.p.close());

  const byCode = (j: StatusJson) => new Map(j.departments.map((d) => [d.code, d]));

  it("on the deadline's last Beijing second: published is on time, the others are due today", () => {
    const j = early.get("deadline_day")!;
    expect(j.asOf).toBe(T.seed);
    expect(j.asOfDate).toBe(DEADLINE);
    const d = byCode(j);
    expect(d.get(f.reference.code)).toMatchObject({ state: "on_time", days: 0, firstPublishedAt: T.seed, firstPublishedDate: DEADLINE, corrected: false, workflow: { state: "published", correcting: false } });
    for (const x of [f.late, f.draft, f.none]) expect(d.get(x.code), x.code).toMatchObject({ state: "not_yet_due", days: 0, firstPublishedAt: null });
    expect(d.get(f.none.code)!.workflow).toEqual({ state: "none", correcting: false });
    expect(j.counts).toEqual({ overdue: 0, not_yet_due: 3, late: 0, on_time: 1, corrected: 0, total: 4 });
  });

  it("one second later (Beijing midnight, still the 8th in UTC): the unpublished are overdue by 1 day", () => {
    const j = early.get("after_midnight")!;
    expect(j.asOf).toBe(T.lateA);
    expect(j.asOfDate).toBe("2024-02-09");
    const d = byCode(j);
    for (const x of [f.late, f.draft, f.none]) expect(d.get(x.code), x.code).toMatchObject({ state: "overdue", days: 1 });
    expect(d.get(f.reference.code)!.state).toBe("on_time");
    expect(j.counts).toEqual({ overdue: 3, not_yet_due: 0, late: 0, on_time: 1, corrected: 0, total: 4 });
  });

  it("at the end: overdue by the Beijing days, late by 1 day, on time and corrected with the correction's Beijing date", async () => {
    const j = await json(`/r/${REGION}/2024/status/`);
    expect(j).toMatchObject({ region: { code: REGION, name: "昌吉回族自治州" }, year: 2024, approvalDate: APPROVAL_DATE, deadline: DEADLINE, asOf: T.final, asOfDate: "2024-03-11", filter: null });
    // overdue first, most days first (a tie: by code), then late, then on time
    expect(j.departments.map((d) => [d.code, d.state, d.days])).toEqual([
      [f.none.code, "overdue", 32],
      [f.draft.code, "overdue", 32],
      [f.late.code, "late", 1],
      [f.reference.code, "on_time", 0],
    ]);
    const d = byCode(j);
    expect(d.get(f.none.code)).toMatchObject({ name: "测试部门乙", workflow: { state: "none" }, url: null, corrected: false });
    expect(d.get(f.draft.code)).toMatchObject({ name: f.draft.name, workflow: { state: "draft", correcting: false }, firstPublishedAt: null, url: null });
    expect(d.get(f.late.code)).toMatchObject({ firstPublishedAt: T.lateA, firstPublishedDate: "2024-02-09", corrected: false, corrections: [], workflow: { state: "published" }, url: `/r/${REGION}/d/${f.late.code}/2024/` });
    expect(d.get(f.reference.code)).toMatchObject({
      firstPublishedAt: T.seed,
      firstPublishedDate: DEADLINE,
      corrected: true,
      corrections: [{ version: 2, publishedAt: T.correction, date: "2024-03-05" }],
      workflow: { state: "published", correcting: false },
    });
    expect(j.counts).toEqual({ overdue: 2, not_yet_due: 0, late: 1, on_time: 1, corrected: 1, total: 4 });
  });

  it("the counts equal the rows, and each filter keeps exactly the rows its count says", async () => {
    const all = await json(`/r/${REGION}/2024/status/`);
    expect(all.counts.total).toBe(all.departments.length);
    for (const s of STATES) expect(all.counts[s], s).toBe(all.departments.filter((d) => d.state === s).length);
    expect(all.counts.corrected).toBe(all.departments.filter((d) => d.corrected).length);
    for (const s of FILTERS) {
      const j = await json(`/r/${REGION}/2024/status/?state=${s}`);
      expect(j.filter).toBe(s);
      expect(j.counts).toEqual(all.counts);
      expect(j.departments.length, s).toBe(all.counts[s]);
      expect(j.departments.every((d) => (s === "corrected" ? d.corrected : d.state === s))).toBe(true);
    }
  });

  it("the page, the JSON and the CSV agree, row for row, unfiltered and filtered", async () => {
    for (const q of ["", "?state=overdue", "?state=corrected"]) {
      const j = await json(`/r/${REGION}/2024/status/${q}`);
      const page = await f.p.request(`/r/${REGION}/2024/status/${q}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(pageCounts(html)).toEqual(j.counts);
      const rows = pageRows(html);
      expect(rows.map((r) => [r.code, r.state])).toEqual(j.departments.map((d) => [d.code, d.state]));

      const csvRes = await f.p.request(j.csv);
      expect(csvRes.status).toBe(200);
      expect(csvRes.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csvRes.headers.get("content-disposition")).toMatch(/^attachment; filename="status-652300-2024(-[a-z_]+)?\.csv"$/);
      const bytes = new Uint8Array(await csvRes.arrayBuffer());
      expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...csv] = parseCsv(new TextDecoder().decode(bytes));
      expect(header).toEqual(["部门编码", "部门名称", "状态代码", "公开状态", "天数", "批复日期", "公开期限", "首次公开时间（UTC）", "首次公开日期（北京时间）", "更正次数", "更正日期（北京时间）", "预算流程状态"]);
      expect(csv.map((r) => [r[0], r[1], r[2], r[4], r[5], r[6], r[7], r[8], r[9], r[10]])).toEqual(
        j.departments.map((d) => [d.code, d.name, d.state, d.days === null ? "" : String(d.days), APPROVAL_DATE, DEADLINE, d.firstPublishedAt ?? "", d.firstPublishedDate ?? "", String(d.corrections.length), d.corrections.map((k) => k.date).join(" ")]),
      );
      // the page's words and the CSV's are the same
      expect(rows.map((r) => r.cells[1])).toEqual(csv.map((r) => r[3]));
      expect(rows.map((r) => r.cells[4])).toEqual(csv.map((r) => r[11]));
    }
  });

  it("the page states the 批复日期, the deadline and each department's status in words", async () => {
    const html = await (await f.p.request(`/r/${REGION}/2024/status/`)).text();
    expect(decode(html)).toContain(`批复日期 ${APPROVAL_DATE}，应于批复后 20 日内、即 ${DEADLINE} 前（含当日）公开。`);
    const rows = new Map(pageRows(html).map((r) => [r.code, r.cells]));
    expect(rows.get(f.reference.code)).toEqual([`${f.reference.name} ${f.reference.code}`, "按时公开", "2024-02-08 23:59", "第 2 版 2024-03-05", "已公开"]);
    expect(rows.get(f.late.code)).toEqual([`${f.late.name} ${f.late.code}`, "逾期 1 天公开", "2024-02-09 00:00", "—", "已公开"]);
    expect(rows.get(f.draft.code)).toEqual([`${f.draft.name} ${f.draft.code}`, "逾期未公开（已超期 32 天）", "—", "—", "草稿"]);
    expect(rows.get(f.none.code)).toEqual([`测试部门乙 ${f.none.code}`, "逾期未公开（已超期 32 天）", "—", "—", "未上传预算"]);
    // the published ones link to their disclosure; the corrected one to its change log
    expect(html).toContain(`href="/r/${REGION}/d/${f.late.code}/2024/"`);
    expect(html).toContain(`href="/r/${REGION}/d/${f.reference.code}/2024/changes/"`);
    // the region page links here
    expect(await (await f.p.request(`/r/${REGION}/`)).text()).toContain(`href="/r/${REGION}/2024/status/"`);
  });

  it("in English: the same rows in English words", async () => {
    const html = await (await f.p.request(`/r/${REGION}/2024/status/?lang=en`)).text();
    const rows = new Map(pageRows(html).map((r) => [r.code, r.cells]));
    expect(rows.get(f.reference.code)!.slice(1)).toEqual(["Published on time", "2024-02-08 23:59", "version 2 2024-03-05", "Published"]);
    expect(rows.get(f.late.code)![1]).toBe("Published 1 day late");
    expect(rows.get(f.none.code)!.slice(1)).toEqual(["Overdue: not published, 32 days past the deadline", "—", "—", "No budget uploaded"]);
    const csv = parseCsv(await (await f.p.request(`/r/${REGION}/2024/status.csv?lang=en`)).text());
    expect(csv[0]![0]).toBe("Department code");
    expect(csv.slice(1).map((r) => r[3])).toEqual(pageRows(html).map((r) => r.cells[1]));
  });

  it("a year without a 批复日期: every department not yet due, no deadline", async () => {
    const j = await json(`/r/${REGION}/2025/status/`);
    expect(j.approvalDate).toBeNull();
    expect(j.deadline).toBeNull();
    expect(j.departments.map((d) => [d.state, d.days])).toEqual(Array.from({ length: 4 }, () => ["not_yet_due", null]));
    expect(j.counts).toMatchObject({ not_yet_due: 4, total: 4 });
    const html = await (await f.p.request(`/r/${REGION}/2025/status/`)).text();
    expect(decode(html)).toContain("尚未录入批复日期");
    expect(pageRows(html).every((r) => r.cells[1] === "未到期（尚无批复日期）")).toBe(true);
  });

  it("refuses what is not a region's year or a state", async () => {
    expect((await f.p.request(`/r/${REGION}/2019/status/`)).status).toBe(404);
    expect((await f.p.request(`/api/v1/r/999999/2024/status/`)).status).toBe(404);
    expect((await f.p.request(`/r/${REGION}/24/status.csv`)).status).toBe(404);
    const bad = await f.p.request(`/api/v1/r/${REGION}/2024/status/?state=<script>`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain("<script>");
  });
});
