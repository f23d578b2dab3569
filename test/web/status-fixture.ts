/**
 * A region-year whose departments are in every publication state, at instants chosen around the 2024 deadline of
 * the demo region 652300 (批复日期 2024-01-19, deadline 2024-02-08 in Asia/Shanghai, whose last second is
 * 2024-02-08T15:59:59Z): everything goes through the use cases on a platform whose clock the test sets.
 *
 * - 415001 (the reference department): version 1 at 23:59:59 Beijing on the deadline (on time), corrected as
 *   version 2 at 00:30 Beijing on 2024-03-05 (a UTC date of 2024-03-04);
 * - A (a synthetic department): published at 00:00 Beijing on 2024-02-09, the 21st day (late by 1 day);
 * - B (another): uploaded on 2024-02-20 and left a draft (overdue);
 * - 415002 (the harness's second department): no budget at all (overdue).
 * The year 2025 is set up without a 批复日期 (every department not yet due).
 */
import { readFileSync } from "node:fs";
import { buildDisclosure } from "../../src/app/build-disclosure.ts";
import * as service from "../../src/app/platform/platform-service.ts";
import type { DepartmentRow } from "../../src/app/platform/platform-store.ts";
import { budgetYaml, departmentCode, generateDepartment } from "../../src/app/synthetic-budget.ts";
import { startPlatform, type Platform } from "./web-harness.ts";

export const REGION = "652300";
export const APPROVAL_DATE = "2024-01-19";
export const DEADLINE = "2024-02-08";

export const T = {
  /** 23:59:59 Beijing on the deadline: the demo seeding publishes 415001 version 1 */
  seed: "2024-02-08T15:59:59.000Z",
  /** 00:00 Beijing on 2024-02-09, still the 8th in UTC: A publishes, one day late */
  lateA: "2024-02-08T16:00:00.000Z",
  draftB: "2024-02-20T03:00:00.000Z",
  /** 00:30 Beijing on 2024-03-05 (UTC: the 4th): 415001 version 2 */
  correction: "2024-03-04T16:30:00.000Z",
  /** 01:00 Beijing on 2024-03-11 (UTC: the 10th): 32 days past the deadline (2024 has 29 February) */
  final: "2024-03-10T17:00:00.000Z",
} as const;

const REFERENCE = readFileSync(new URL("../../examples/changji-xinfang-2024/budget.yaml", import.meta.url), "utf8");
/** one line item of 基本支出 up by 10,000.00 元 (as in correction.test.ts) */
const CORRECTED = REFERENCE.replace('econ: "30101", fund: gpb.own, kind: basic, amount: 786750 }', 'econ: "30101", fund: gpb.own, kind: basic, amount: 796750 }');
export const CORRECTION_REASON = "更正：工资福利支出少列 1 万元（测试）。";

export interface StatusFixture {
  readonly p: Platform;
  readonly clock: { set(iso: string): void };
  readonly reference: DepartmentRow;
  readonly late: DepartmentRow;
  readonly draft: DepartmentRow;
  readonly none: DepartmentRow;
}

function must<T>(r: service.ServiceResult<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code} ${r.error.message.en} ${JSON.stringify(r.error.problems ?? [])}`);
  return r.value;
}

/**
 * Starts the platform at `T.seed` and takes it to `T.final`; `checkpoint` runs at `T.seed` (after seeding, before
 * anything else is published) and at `T.lateA` (before A publishes).
 */
export async function startStatusPlatform(checkpoint: (at: "deadline_day" | "after_midnight", f: StatusFixture) => Promise<void> = async () => {}): Promise<StatusFixture> {
  let now = new Date(T.seed);
  const clock = { set: (iso: string) => void (now = new Date(iso)) };
  const p = await startPlatform({ now: () => now });
  if (CORRECTED === REFERENCE) throw new Error("the correction of the reference budget no longer applies");
  const admin = await p.user("admin");
  const reviewer = await p.user("reviewer");

  // two synthetic budgets of 2024 without an error finding (the generator makes some with errors on purpose)
  const clean: { code: string; name: string; yaml: string }[] = [];
  for (let i = 0; clean.length < 2 && i < 40; i++) {
    const b = generateDepartment(i);
    const built = buildDisclosure(p.deps.data, b);
    if (!built.ok || built.result.findings.some((x) => x.severity === "error")) continue;
    clean.push({ code: departmentCode(i), name: b.department.name, yaml: budgetYaml({ ...b, department: { ...b.department, region: "新疆维吾尔自治区昌吉回族自治州" } }) });
  }
  if (clean.length < 2) throw new Error("no two clean synthetic budgets");
  const [a, b] = clean as [(typeof clean)[0], (typeof clean)[0]];
  const late = await p.store.createDepartment({ regionCode: REGION, code: a.code, name: a.name });
  const draft = await p.store.createDepartment({ regionCode: REGION, code: b.code, name: b.name });
  const f: StatusFixture = { p, clock, reference: p.a, late, draft, none: p.b };
  const upload = async (d: DepartmentRow, bytes: string, expectedRevision?: number) =>
    must(await service.uploadBudget(p.deps, admin, { departmentId: d.id, year: 2024, fileName: "budget.yaml", bytes: new TextEncoder().encode(bytes), ...(expectedRevision === undefined ? {} : { expectedRevision }) }), `upload ${d.code}`).budget;
  const throughApproval = async (budgetId: number, revision: number) => {
    const sub = must(await service.submitBudget(p.deps, admin, { budgetId, expectedRevision: revision, acknowledgement: "测试：提示已阅。" }), "submit");
    return must(await service.approveBudget(p.deps, admin, { budgetId, expectedRevision: sub.revision }), "approve");
  };

  await checkpoint("deadline_day", f);

  clock.set(T.lateA);
  await checkpoint("after_midnight", f);
  const up = await upload(late, a.yaml);
  const appr = await throughApproval(up.id, up.revision);
  must(await service.publishBudget(p.deps, reviewer, { budgetId: appr.id, expectedRevision: appr.revision }), "publish A");

  clock.set(T.draftB);
  await upload(draft, b.yaml);

  clock.set(T.correction);
  const ref = (await p.store.findBudget(p.a.id, 2024))!;
  const corr = must(await service.startCorrection(p.deps, reviewer, { budgetId: ref.id, expectedRevision: ref.revision }), "correct 415001");
  const up2 = await upload(p.a, CORRECTED, corr.revision);
  const appr2 = await throughApproval(up2.id, up2.revision);
  must(await service.publishBudget(p.deps, reviewer, { budgetId: appr2.id, expectedRevision: appr2.revision, reason: CORRECTION_REASON }), "publish the correction");

  clock.set(T.final);
  await p.store.putRegionYear({ regionCode: REGION, year: 2025, templateId: "xinjiang-2024", catalogOfficial: false, approvalDate: null });
  return f;
}
