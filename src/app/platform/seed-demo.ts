/**
 * Demo data for a fresh platform: the region 652300 昌吉回族自治州 (under 650000 新疆维吾尔自治区), its years 2023 and
 * 2024, demo users, the reference department (examples/changji-xinfang-2024) published through the real workflow,
 * and 30 synthetic departments (src/app/synthetic-budget.ts) with a 2023 and a 2024 version each — the 2024 prior
 * figures then come from the 2023 published version, as for any department.
 *
 * Idempotent: the meta key `seed` records how far seeding got (`reference`, then `done`); a second start skips
 * what is done and never re-seeds what users may have changed since.
 *
 * Everything goes through the use cases (upload → submit → approve → publish as the demo users), so demo data is
 * what the workflow would produce, audit entries included. The use cases and the password hasher are passed in
 * (`SeedPorts`): app/ may not import adapters/ (the hasher), and the web start-up wires both.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildDisclosure } from "../build-disclosure.ts";
import { budgetYaml, departmentCode, generateDepartment } from "../synthetic-budget.ts";
import type { BudgetRow, PlatformDeps, ServiceResult, UserRow, VersionRow } from "./platform-service.ts";
import type { Role } from "./platform-store.ts";

export const SEED_META_KEY = "seed";
export const DEMO_REGION = { code: "652300", name: "昌吉回族自治州", parent: { code: "650000", name: "新疆维吾尔自治区" } } as const;
export const DEMO_YEARS = [
  { year: 2023, approvalDate: "2023-01-18" },
  { year: 2024, approvalDate: "2024-01-19" },
] as const;
export const SYNTHETIC_DEPARTMENTS = 30;

const REFERENCE_YAML = fileURLToPath(new URL("../../../examples/changji-xinfang-2024/budget.yaml", import.meta.url));

/** The use cases seeding calls (B's functions in platform-service.ts have exactly these signatures). */
export interface SeedService {
  uploadBudget(deps: PlatformDeps, user: UserRow, p: { departmentId: number; year: number; fileName: string; bytes: Uint8Array; expectedRevision?: number }): Promise<ServiceResult<{ budget: BudgetRow }>>;
  submitBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number; acknowledgement?: string }): Promise<ServiceResult<BudgetRow>>;
  approveBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number }): Promise<ServiceResult<BudgetRow>>;
  publishBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number; reason?: string }): Promise<ServiceResult<VersionRow>>;
}

export interface SeedPorts {
  readonly service: SeedService;
  hashPassword(password: string): Promise<string>;
}

export interface DemoLogin {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
}

export interface SeedOptions {
  log(msg: string): void;
  /** the demo users' passwords (main prints them); by default fixed demo passwords */
  readonly passwords?: Partial<Record<"admin" | "preparer" | "approver" | "reviewer", string>>;
  /** how many synthetic departments (default 30; 0: the reference department only) */
  readonly synthetic?: number;
  /** publish at the demo's dates in each year (default), or at `deps.now()` (a test that sets the clock) */
  readonly demoDates?: boolean;
}

/** Seeds the reference department (awaited), then returns a promise of the synthetic departments (run after). */
export async function seedDemo(deps: PlatformDeps, ports: SeedPorts, opts: SeedOptions): Promise<{ logins: DemoLogin[]; rest: Promise<void> }> {
  const { store } = deps;
  const state = await store.getMeta(SEED_META_KEY);
  const logins = demoLogins(opts);
  if (state === "done") {
    opts.log("demo data: already seeded, kept as it is");
    return { logins, rest: Promise.resolve() };
  }
  const t0 = Date.now();
  if (state === null) {
    await store.putRegion({ code: DEMO_REGION.parent.code, parentCode: null, name: DEMO_REGION.parent.name });
    await store.putRegion({ code: DEMO_REGION.code, parentCode: DEMO_REGION.parent.code, name: DEMO_REGION.name });
    for (const y of DEMO_YEARS)
      await store.putRegionYear({ regionCode: DEMO_REGION.code, year: y.year, templateId: "xinjiang-2024", catalogOfficial: false, approvalDate: y.approvalDate });
  }
  const reference = await ensureDepartment(deps, "415001", "昌吉回族自治州信访局");
  const users = await ensureUsers(deps, ports, logins, reference.id);
  if (state === null) {
    const bytes = await readFile(REFERENCE_YAML);
    await publishThrough(demoClock(deps, opts, 2024, 12), ports, users, reference.id, 2024, "budget.yaml", bytes);
    await store.setMeta(SEED_META_KEY, "reference");
    opts.log(`demo data: reference department published in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const rest = (async () => {
    const t1 = Date.now();
    const wanted = opts.synthetic ?? SYNTHETIC_DEPARTMENTS;
    if (wanted === 0) return;
    let seeded = 0;
    for (let i = 0; seeded < wanted && i < wanted * 3 + 10; i++) {
      const b2024 = generateDepartment(i);
      // the generator makes some departments with an error on purpose (the benchmarks check them): the demo's are clean
      const check = buildDisclosure(deps.data, b2024);
      if (!check.ok || check.result.findings.some((f) => f.severity === "error")) continue;
      seeded++;
      const dept = await ensureDepartment(deps, departmentCode(i), b2024.department.name);
      for (const y of DEMO_YEARS) {
        if (await store.currentVersion(dept.id, y.year)) continue;
        // the generator spreads departments over the whole province; the demo files them all under 昌吉
        // 2023 is generated with its own prior-year figures; 2024 takes its priors from the published 2023 version
        const b = {
          ...b2024,
          department: { ...b2024.department, year: y.year, date: `${y.approvalDate.slice(0, 4)}-02-01`, region: `${DEMO_REGION.parent.name}${DEMO_REGION.name}` },
          ...(y.year === DEMO_YEARS[0].year ? {} : { prior_year: {} }),
        };
        await publishThrough(demoClock(deps, opts, y.year, 3 + ((seeded * 7 + y.year) % 24)), ports, users, dept.id, y.year, `${departmentCode(i)}-${y.year}.yaml`, new TextEncoder().encode(budgetYaml(b)));
      }
      opts.log(`demo data: synthetic department ${seeded}/${wanted} (${((Date.now() - t1) / 1000).toFixed(0)} s)`);
    }
    await store.setMeta(SEED_META_KEY, "done");
    opts.log(`demo data: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  })();
  return { logins, rest };
}

/**
 * The demo's workflow runs at a time of the year it publishes: `days` after the region's 批复日期, 10:00 Beijing
 * time, so that the status page shows departments on time and late (a day 21 or later) as a real year would, rather
 * than every one a thousand days late. Its audit entries carry that time too.
 */
function demoClock(deps: PlatformDeps, opts: SeedOptions, year: number, days: number): PlatformDeps {
  const approval = DEMO_YEARS.find((y) => y.year === year)?.approvalDate;
  if (!approval || opts.demoDates === false) return deps;
  const at = new Date(Date.parse(`${approval}T02:00:00Z`) + days * 86_400_000);
  return { ...deps, now: () => at };
}

const DEMO_NAMES: Record<Role, string> = { admin: "演示管理员", preparer: "演示编制人", dept_approver: "演示部门审核人", finance_reviewer: "演示财政审核人" };

function demoLogins(opts: SeedOptions): DemoLogin[] {
  const pw = opts.passwords ?? {};
  return [
    { username: "admin", password: pw.admin ?? "demo-admin-2024", role: "admin" },
    { username: "preparer", password: pw.preparer ?? "demo-preparer-2024", role: "preparer" },
    { username: "approver", password: pw.approver ?? "demo-approver-2024", role: "dept_approver" },
    { username: "reviewer", password: pw.reviewer ?? "demo-reviewer-2024", role: "finance_reviewer" },
  ];
}

interface DemoUsers {
  readonly preparer: UserRow;
  readonly approver: UserRow;
  readonly reviewer: UserRow;
}

async function ensureDepartment(deps: PlatformDeps, code: string, name: string) {
  return (await deps.store.findDepartment(DEMO_REGION.code, code)) ?? (await deps.store.createDepartment({ regionCode: DEMO_REGION.code, code, name }));
}

async function ensureUsers(deps: PlatformDeps, ports: SeedPorts, logins: readonly DemoLogin[], referenceId: number): Promise<DemoUsers> {
  const byName = new Map<string, UserRow>();
  for (const l of logins) {
    const found = await deps.store.findUser(l.username);
    if (found) {
      byName.set(l.username, found);
      continue;
    }
    const scoped = l.role === "preparer" || l.role === "dept_approver";
    const created = await deps.store.createUser(
      { username: l.username, displayName: DEMO_NAMES[l.role], role: l.role, departmentId: scoped ? referenceId : null, regionCode: l.role === "finance_reviewer" ? DEMO_REGION.code : null, passwordHash: await ports.hashPassword(l.password) },
      { userId: null, action: "user.create", entity: "user", entityId: l.username, before: null, after: JSON.stringify({ username: l.username, role: l.role, seed: true }) },
    );
    if (!created.ok) throw new Error(`demo user ${l.username}: ${created.reason}`);
    byName.set(l.username, created.value);
  }
  const get = (n: string) => {
    const u = byName.get(n);
    if (!u) throw new Error(`demo user ${n} missing`);
    return u;
  };
  return { preparer: get("preparer"), approver: get("approver"), reviewer: get("reviewer") };
}

/** upload → submit → approve → publish. The demo preparer and approver belong to the reference department, so the
 * synthetic departments are uploaded, submitted and approved by the admin; the region's reviewer publishes all. */
async function publishThrough(deps: PlatformDeps, ports: SeedPorts, users: DemoUsers, departmentId: number, year: number, fileName: string, bytes: Uint8Array): Promise<void> {
  const admin = await deps.store.findUser("admin");
  const own = users.preparer.departmentId === departmentId;
  const prep = own ? users.preparer : admin;
  const appr = own ? users.approver : admin;
  if (!prep || !appr) throw new Error("demo admin missing");
  const s = ports.service;
  const what = `${fileName} (${year})`;
  const up = must(await s.uploadBudget(deps, prep, { departmentId, year, fileName, bytes }), `upload ${what}`);
  const sub = must(await s.submitBudget(deps, prep, { budgetId: up.budget.id, expectedRevision: up.budget.revision, acknowledgement: "演示数据：提示已阅。" }), `submit ${what}`);
  const app = must(await s.approveBudget(deps, appr, { budgetId: sub.id, expectedRevision: sub.revision }), `approve ${what}`);
  must(await s.publishBudget(deps, users.reviewer, { budgetId: app.id, expectedRevision: app.revision }), `publish ${what}`);
}

function must<T>(r: ServiceResult<T>, what: string): T {
  if (!r.ok) throw new Error(`demo data: ${what} refused: ${r.error.code} ${r.error.message.en}`);
  return r.value;
}
