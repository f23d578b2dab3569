/**
 * No classified project's name, code, purpose or performance table reaches the public: the three-unit example,
 * given a classified project with every detail a department might enter (its purpose, basis, owner, allocation,
 * schedule and a performance target), is published through the platform, and every public response — each page, its
 * JSON twin, every stored file (the Word and Excel files unzipped, the PDF as text) — is searched for them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZipArchive } from "../../src/adapters/ingest/xlsx-zip.ts";
import * as service from "../../src/app/platform/platform-service.ts";
import { ROUTES } from "../../src/adapters/web/routes.ts";
import { readAssetManifest } from "../../src/adapters/web/build-assets.ts";
import { FILE_PARAM } from "../../src/adapters/web/public-routes.tsx";
import { startPlatform, type Platform } from "./web-harness.ts";

const CI = process.env["CI"] === "true";
const HAVE_PDFTOTEXT = spawnSync("pdftotext", ["-v"]).error === undefined;
if (CI && !HAVE_PDFTOTEXT) throw new Error("CI=true but pdftotext is missing (apt-get install poppler-utils)");

const SECRET = {
  code: "6523117X",
  name: "城区重点部位视频监控防控设施升级",
  purpose: "升级城区九处重点部位的视频监控前端设备",
  basis: "县委政法委内部通知甲字第七号",
  owner: "涉密负责人乙",
  allocation1: "前端摄像机更换密项",
  allocation2: "防控平台扩容密项",
  schedule: "涉密执行期甲至乙",
  goal: "重点部位视频监控覆盖达到机密目标值",
  indicator1: "涉密监控点位升级数量",
  indicator2: "涉密平台响应时长",
} as const;

const SOURCE = readFileSync(new URL("../../examples/three-units-2024/budget.yaml", import.meta.url), "utf8");

/** The example with the classified project's details filled in, its public label without its code. */
function classifiedBudget(): string {
  const block = `  - code: 6523117X
    name: 城区重点部位视频监控防控设施升级
    unit: "102"
    classified: true
    public_label: 特定目标 6523117X
`;
  expect(SOURCE).toContain(block);
  let y = SOURCE.replace(
    block,
    `  - code: ${SECRET.code}
    name: ${SECRET.name}
    unit: "102"
    classified: true
    public_label: 特定目标项目甲
    owner: ${SECRET.owner}
    basis: ${SECRET.basis}
    purpose: ${SECRET.purpose}
    allocation:
      - { item: ${SECRET.allocation1}, amount: 200000 }
      - { item: ${SECRET.allocation2}, amount: 177777 }
    schedule: ${SECRET.schedule}
`,
  );
  const perf = "  projects:\n    - project: P2024001\n";
  expect(y).toContain(perf);
  y = y.replace(
    perf,
    `  projects:
    - project: ${SECRET.code}
      owner: ${SECRET.owner}
      goal: ${SECRET.goal}
      indicators:
        - { level1: 产出指标, level2: 数量指标, name: ${SECRET.indicator1}, comparator: ">=", value: "9", unit: 处, basis: 计划标准, weight: 50, scoring: 按照完成比例赋分, evidence: 验收单 }
        - { level1: 产出指标, level2: 时效指标, name: ${SECRET.indicator2}, comparator: "<=", value: "3", unit: 秒, basis: 计划标准, weight: 50, scoring: 按照完成比例赋分, evidence: 测试报告 }
    - project: P2024001
`,
  );
  return y;
}

describe("no classified detail in any public response (three-unit example)", () => {
  let p: Platform;
  let responses: { url: string; text: string }[] = [];
  const tmp = mkdtempSync(join(tmpdir(), "gongkai-leak-"));

  beforeAll(async () => {
    p = await startPlatform();
    const dept = await p.store.createDepartment({ regionCode: "652300", code: "900101", name: "某县住房和城乡建设局" });
    const admin = await p.user("admin");
    const reviewer = await p.user("reviewer");
    const up = await service.uploadBudget(p.deps, admin, { departmentId: dept.id, year: 2024, fileName: "budget.yaml", bytes: new TextEncoder().encode(classifiedBudget()) });
    if (!up.ok) throw new Error(JSON.stringify(up.error));
    expect(up.value.budget.errorCount, JSON.stringify(up.value.findings.filter((f) => f.severity === "error"))).toBe(0);
    const sub = await service.submitBudget(p.deps, admin, { budgetId: up.value.budget.id, expectedRevision: up.value.budget.revision, acknowledgement: "已阅" });
    if (!sub.ok) throw new Error(JSON.stringify(sub.error));
    const app = await service.approveBudget(p.deps, admin, { budgetId: sub.value.id, expectedRevision: sub.value.revision });
    if (!app.ok) throw new Error(JSON.stringify(app.error));
    const pub = await service.publishBudget(p.deps, reviewer, { budgetId: app.value.id, expectedRevision: app.value.revision });
    if (!pub.ok) throw new Error(JSON.stringify(pub.error));
    // the secrets are in the stored budget (the workspace's), so the search below can find them if they leak
    const stored = (await p.store.getBudget(up.value.budget.id))!.sourceYaml;
    for (const s of Object.values(SECRET)) expect(stored).toContain(s);

    // every public GET route, for this department
    // (the editor's script is public too: it holds no budget, and is searched like the rest)
    const editorScript = readAssetManifest()!["editor.js"]!;
    const params: Record<string, string> = { region: "652300", department: "900101", year: "2024", n: "1", name: editorScript };
    const files = await p.store.listVersionFiles(pub.value.id);
    for (const route of ROUTES.filter((r) => r.access === "public" && r.method === "GET")) {
      const paths = route.path.includes(FILE_PARAM) ? files.map((f) => route.path.replace(FILE_PARAM, f.path)) : [route.path];
      for (const raw of paths) {
        const url = raw.replace(/:([a-z]+)(\{[^}]*\})?/g, (_m, k: string) => params[k]!);
        const res = await p.request(url);
        expect(res.status, url).toBe(200);
        const bytes = new Uint8Array(await res.arrayBuffer());
        responses.push(...texts(url, bytes));
      }
    }
  }, 180_000);
  afterAll(async () => {
    await p?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The text of a response: as is, or each part of an Office file, or the PDF's text. */
  function texts(url: string, bytes: Uint8Array): { url: string; text: string }[] {
    if (/\.(docx|xlsx)$/.test(url)) {
      const z = ZipArchive.open(bytes, { maxEntries: 10_000, maxEntryBytes: 200 * 1024 * 1024, maxTotalBytes: 500 * 1024 * 1024 });
      if (!z.ok) throw new Error(`${url}: ${JSON.stringify(z.problem)}`);
      return z.zip.names().map((n) => ({ url: `${url}!${n}`, text: new TextDecoder().decode(z.zip.read(n)) }));
    }
    if (url.endsWith(".pdf")) {
      if (!HAVE_PDFTOTEXT) return [];
      const f = join(tmp, "d.pdf");
      writeFileSync(f, bytes);
      const r = spawnSync("pdftotext", ["-enc", "UTF-8", f, "-"], { encoding: "utf8" });
      return [{ url, text: r.stdout.replace(/\s+/g, "") }];
    }
    return [{ url, text: new TextDecoder().decode(bytes) }];
  }

  it("searched every page, JSON twin and file (Word and Excel unzipped, the PDF as text)", () => {
    const urls = new Set(responses.map((r) => r.url.split("!")[0]));
    for (const f of ["index.html", "disclosure.json", "disclosure.docx", "disclosure.xlsx", "disclosure.pdf", "datapackage.json", "data/line-items.csv"]) expect([...urls].some((u) => u!.endsWith(`/${f}`)), f).toBe(true);
    expect(responses.some((r) => r.text.includes("特定目标项目甲")), "the public label is published").toBe(true);
    if (HAVE_PDFTOTEXT) expect(responses.some((r) => r.url.endsWith(".pdf") && r.text.includes("某县住房和城乡建设局"))).toBe(true);
  });

  it.each(Object.entries(SECRET))("the classified project's %s appears in no public response", (_k, secret) => {
    const hits = responses.filter((r) => r.text.includes(secret)).map((r) => r.url);
    expect(hits).toEqual([]);
  });
});
