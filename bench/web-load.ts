/**
 * The web benchmark's data: the demo region with the reference department (published with all its files, as
 * `npm start` seeds it), then a synthetic province — `departments` departments of src/app/synthetic-budget.ts in
 * regions of 100 under 990000 — published through the platform's own use cases (upload → submit → approve →
 * publish), so that every store row, search entry and file is what the workflow writes. To make 10,000 departments
 * loadable in minutes, two shortcuts, both outside what is measured: an upload is handed the generated budget instead
 * of parsing its YAML again, and only the first `withFiles` departments get every file (page, PDF, Word, workbook,
 * CSV); the others get their disclosure.json and findings.json, which is all search, comparisons and status read.
 * The first `withFiles` departments also publish a 2023 version, so that they have a trend across years. The
 * generator gives some departments an error on purpose: those stay drafts, as in a real region.
 *
 * A loaded store is recorded (meta key `bench-web`) and reused by the next run while the spec is the same.
 */
import type { Budget } from "../src/domain/budget-schema.ts";
import * as service from "../src/app/platform/platform-service.ts";
import type {
  PlatformDeps,
  ServiceResult,
  UserRow,
} from "../src/app/platform/platform-service.ts";
import { seedDemo } from "../src/app/platform/seed-demo.ts";
import { hashPassword } from "../src/adapters/auth/password-hash.ts";
import {
  budgetYaml,
  departmentCode,
  generateDepartment,
} from "../src/app/synthetic-budget.ts";

export const BENCH_PROVINCE = {
  code: "990000",
  name: "合成省（基准测试）",
} as const;
const PER_REGION = 100;
export const benchRegionCode = (r: number) => String(990100 + r * 100);
const YEARS = [
  { year: 2023, approvalDate: "2023-01-18" },
  { year: 2024, approvalDate: "2024-01-19" },
] as const;

export interface WebLoadSpec {
  readonly departments: number;
  readonly withFiles: number;
  /** departments in flight at once (default 1) */
  readonly concurrency?: number;
}

export interface WebLoadResult {
  readonly loaded: boolean;
  readonly seconds: number;
  /** the regions of the synthetic province and one department of the first (with files, two years) */
  readonly regions: number;
  readonly sampleDepartment: { region: string; code: string } | null;
}

const must = <T>(r: ServiceResult<T>, what: string): T => {
  if (!r.ok)
    throw new Error(
      `bench data: ${what}: ${r.error.code} ${r.error.message.en}`,
    );
  return r.value;
};

export async function loadWebData(
  deps: PlatformDeps,
  spec: WebLoadSpec,
  progress: (msg: string) => void,
): Promise<WebLoadResult> {
  const { store } = deps;
  const key = JSON.stringify({
    departments: spec.departments,
    withFiles: spec.withFiles,
  });
  const regions = Math.ceil(spec.departments / PER_REGION);
  if ((await store.getMeta("bench-web")) === key)
    return {
      loaded: false,
      seconds: 0,
      regions,
      sampleDepartment: await sample(deps, spec),
    };
  const t0 = Date.now();
  await (
    await seedDemo(
      deps,
      { service, hashPassword },
      { log: progress, synthetic: 0 },
    )
  ).rest;
  const admin = await store.findUser("admin");
  if (!admin) throw new Error("bench data: the demo admin is missing");
  await store.putRegion({
    code: BENCH_PROVINCE.code,
    parentCode: null,
    name: BENCH_PROVINCE.name,
  });
  for (let r = 0; r < regions; r++) {
    await store.putRegion({
      code: benchRegionCode(r),
      parentCode: BENCH_PROVINCE.code,
      name: `合成地区${r + 1}`,
    });
    for (const y of YEARS)
      await store.putRegionYear({
        regionCode: benchRegionCode(r),
        year: y.year,
        templateId: "xinjiang-2024",
        catalogOfficial: false,
        approvalDate: y.approvalDate,
      });
  }
  // the generated budget of an upload, by its YAML text (the upload and the publish's rebuild both read it)
  const pending = new Map<string, Budget>();
  const fast: PlatformDeps = {
    ...deps,
    readUpload: async (fileName, bytes) => {
      const yaml = new TextDecoder().decode(bytes);
      const budget = pending.get(yaml);
      return budget
        ? { ok: true, budget, yaml, notes: [], place: () => null }
        : deps.readUpload(fileName, bytes);
    },
  };
  const jsonOnly: PlatformDeps = {
    ...fast,
    renderAll: (result, findings) => deps.renderAll(result, findings, ["json"]),
  };
  // department i in region ⌊i / 100⌋; several in flight at once (on PostgreSQL their waits overlap; SQLite is synchronous)
  let next = 0;
  let done = 0;
  let drafts = 0;
  const one = async (i: number) => {
    const generated = generateDepartment(i);
    const region = benchRegionCode(Math.floor(i / PER_REGION));
    const code = departmentCode(i);
    const dept =
      (await store.findDepartment(region, code)) ??
      (await store.createDepartment({
        regionCode: region,
        code,
        name: generated.department.name,
      }));
    const full = i < spec.withFiles;
    for (const y of full ? YEARS : YEARS.slice(1)) {
      if (await store.currentVersion(dept.id, y.year)) continue;
      const b: Budget = {
        ...generated,
        department: {
          ...generated.department,
          year: y.year,
          date: `${y.year}-02-01`,
        },
        ...(full && y.year === 2024 ? { prior_year: {} } : {}),
      };
      const yaml = budgetYaml(b);
      pending.set(yaml, b);
      // the generator makes some departments with an error on purpose: they stay drafts, as a real region's would
      if (
        !(await publish(
          full ? fast : jsonOnly,
          admin,
          dept.id,
          y.year,
          `${code}-${y.year}.yaml`,
          yaml,
        ))
      )
        drafts++;
      pending.delete(yaml);
    }
    done++;
    if (done % 250 === 0 || done === spec.departments)
      progress(
        `bench data: ${done}/${spec.departments} departments, ${drafts} left as drafts with errors (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      );
  };
  const lane = async () => {
    while (next < spec.departments) await one(next++);
  };
  await Promise.all(
    Array.from({ length: Math.max(1, spec.concurrency ?? 1) }, lane),
  );
  await store.setMeta("bench-web", key);
  return {
    loaded: true,
    seconds: (Date.now() - t0) / 1000,
    regions,
    sampleDepartment: await sample(deps, spec),
  };
}

/** The first department with every file that published both years (the generator's errors leave some unpublished). */
async function sample(
  deps: PlatformDeps,
  spec: WebLoadSpec,
): Promise<{ region: string; code: string } | null> {
  for (let i = 0; i < spec.withFiles; i++) {
    const region = benchRegionCode(Math.floor(i / PER_REGION));
    const dept = await deps.store.findDepartment(region, departmentCode(i));
    if (
      dept &&
      (await deps.store.currentVersion(dept.id, 2023)) &&
      (await deps.store.currentVersion(dept.id, 2024))
    )
      return { region, code: dept.code };
  }
  return null;
}

/** upload → submit → approve → publish; false when the upload's check finds an error (the budget stays a draft). */
async function publish(
  deps: PlatformDeps,
  admin: UserRow,
  departmentId: number,
  year: number,
  fileName: string,
  yaml: string,
): Promise<boolean> {
  const what = `${fileName}`;
  const existing = await deps.store.findBudget(departmentId, year);
  const up = must(
    await service.uploadBudget(deps, admin, {
      departmentId,
      year,
      fileName,
      bytes: new TextEncoder().encode(yaml),
      ...(existing ? { expectedRevision: existing.revision } : {}),
    }),
    `upload ${what}`,
  );
  if (up.budget.errorCount > 0) return false;
  const sub = must(
    await service.submitBudget(deps, admin, {
      budgetId: up.budget.id,
      expectedRevision: up.budget.revision,
      acknowledgement: "基准测试数据：提示已阅。",
    }),
    `submit ${what}`,
  );
  const app = must(
    await service.approveBudget(deps, admin, {
      budgetId: sub.id,
      expectedRevision: sub.revision,
    }),
    `approve ${what}`,
  );
  must(
    await service.publishBudget(deps, admin, {
      budgetId: app.id,
      expectedRevision: app.revision,
    }),
    `publish ${what}`,
  );
  return true;
}
