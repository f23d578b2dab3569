/**
 * `gongkai audit` as a user runs it (the CLI as a subprocess): exit codes 0 / 1 / 2, `--json` that parses and
 * validates against docs/audit-report.schema.json, `--lang en`, several files as one disclosure, folders (a good PDF,
 * text files, a zip renamed .pdf, an empty file, a symbolic link, a file named with `<script>`): the run finishes with
 * every row, the bad ones with their reasons, and exits 2 only when nothing could be read; `--html` writes the folder
 * whole (summary, CSV, report pages), everything escaped, or nothing at all; bad arguments and outputs refused; no
 * stack trace in any output. Then the report page's figures, in process: the image of a page with findings when
 * pdftoppm is present (skipped with a printed reason when it is not, except under CI=true), the text otherwise.
 *
 * What the tests know of the documents was read off them by a person: 11-putuo… has 24 pages (pdfinfo), its page 7 is
 * titled 2025年部门预算编制说明 and is printed landscape; the seed text has no page break.
 */
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/adapters/audit/read-document.ts";
import { reportPage } from "../../src/adapters/cli/audit-command.ts";
import { pageLines } from "../../src/adapters/render/audit-page-text.ts";
import type { AuditReport } from "../../src/domain/audit/audit-report.ts";
import { parseCsv } from "../../src/domain/csv-format.ts";
import { cliArgs, NODE, REFERENCE, REFERENCE_SEED, ROOT, runCli, tempDir, type CliRun } from "../cli-harness.ts";

const HAVE_POPPLER = spawnSync("pdftoppm", ["-v"]).error === undefined;
const CI = process.env["CI"] === "true";
if (!HAVE_POPPLER && !CI) console.warn("audit-cli.test.ts: the page-image test is skipped — pdftoppm (poppler-utils) is not installed; it is mandatory under CI=true");

const PDF = join(REFERENCE, "published/11-putuo-caizhengju-2025-bumen-yusuan.pdf");
const PDF_PAGES = 24;
const HOSTILE_NAME = "x<script>alert(1).txt";

const tmp = tempDir("gongkai-audit-cli-");
const at = (...p: string[]) => join(tmp, ...p);
const schema = JSON.parse(readFileSync(join(ROOT, "docs/audit-report.schema.json"), "utf8")) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true }).compile(schema);

function expectValid(report: unknown): asserts report is AuditReport {
  const ok = validate(report);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

/** a zip archive's first bytes, as a spreadsheet or a .docx begins */
const ZIP = Buffer.concat([Buffer.from("PK\u0003\u0004", "latin1"), Buffer.alloc(100)]);

function makeFixtures(): void {
  copyFileSync(PDF, at("good.pdf"));
  copyFileSync(REFERENCE_SEED, at("seed.txt"));
  writeFileSync(at("tables.pdf"), ZIP);
  writeFileSync(at("empty.pdf"), "");
  mkdirSync(at("all", "sub"), { recursive: true });
  copyFileSync(PDF, at("all", "good.pdf"));
  copyFileSync(REFERENCE_SEED, at("all", "sub", "seed.TXT"));
  writeFileSync(at("all", "tables.pdf"), ZIP);
  writeFileSync(at("all", "empty.pdf"), "");
  writeFileSync(at("all", HOSTILE_NAME), "<script>alert(2)</script> 部门预算 2024\n");
  writeFileSync(at("all", "notes.md"), "# not audited\n");
  symlinkSync(at("good.pdf"), at("all", "link.pdf"));
  mkdirSync(at("bad"));
  writeFileSync(at("bad", "tables.pdf"), ZIP);
  writeFileSync(at("bad", "empty.pdf"), "");
  mkdirSync(at("none"));
  writeFileSync(at("none", "readme.md"), "nothing to audit\n");
}

const RUNS = {
  json: ["audit", at("good.pdf"), "--json"],
  zh: ["audit", at("good.pdf")],
  en: ["audit", at("good.pdf"), "--lang", "en"],
  two: ["audit", at("good.pdf"), at("seed.txt"), "--json"],
  oneBad: ["audit", at("good.pdf"), at("tables.pdf"), "--json"],
  zip: ["audit", at("tables.pdf"), "--json"],
  empty: ["audit", at("empty.pdf")],
  missing: ["audit", at("missing.pdf"), "--lang", "en"],
  folderJson: ["audit", at("all"), "--json", "--html", at("out-all")],
  folderText: ["audit", at("all")],
  folderEn: ["audit", at("all"), "--lang", "en", "--html", at("out-en")],
  badFolder: ["audit", at("bad"), "--html", at("out-bad")],
  noneFolder: ["audit", at("none")],
  mixed: ["audit", at("all"), at("good.pdf")],
  badReader: ["audit", at("good.pdf"), "--reader", "nope"],
  noArgs: ["audit"],
  outIsInput: ["audit", at("good.pdf"), "--html", tmp],
  html: ["audit", at("good.pdf"), "--html", at("out-one")],
  // a second run into the same folder replaces the first run's output (the two may run at once: one waits for the other)
  htmlAgain: ["audit", at("good.pdf"), "--html", at("out-one")],
} as const satisfies Record<string, readonly string[]>;
type RunName = keyof typeof RUNS;
const runs = new Map<RunName, CliRun>();
const run = (name: RunName): CliRun => {
  const r = runs.get(name);
  if (!r) throw new Error(`no run ${name}`);
  return r;
};
const json = <T = AuditReport>(name: RunName): T => JSON.parse(run(name).stdout) as T;

beforeAll(async () => {
  makeFixtures();
  // every run, two subprocesses at a time (runCli, one at a time, for the one that reads standard input below)
  const exec = promisify(execFile);
  const queue = Object.keys(RUNS) as RunName[];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      try {
        const r = await exec(NODE, cliArgs(RUNS[name]), { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
        runs.set(name, { status: 0, stdout: r.stdout, stderr: r.stderr });
      } catch (e) {
        const x = e as { code?: number; stdout?: string; stderr?: string };
        runs.set(name, { status: typeof x.code === "number" ? x.code : null, stdout: x.stdout ?? "", stderr: x.stderr ?? "" });
      }
    }
  };
  await Promise.all([worker(), worker()]);
}, 120_000);

describe("gongkai audit <file>", () => {
  it("--json prints the report, valid against docs/audit-report.schema.json, its exit code the process's", () => {
    const r = json("json");
    expectValid(r);
    expect(r.files).toEqual([at("good.pdf")]);
    expect(r.counts.pages).toBe(PDF_PAGES);
    expect(r.unreadable).toBeNull();
    expect(r.exitCode).toBe(r.findings.some((f) => f.severity === "error") ? 1 : 0);
    expect(run("json").status).toBe(r.exitCode);
    expect(run("json").stderr).toBe("");
  });

  it("prints the report in Chinese by default, in English with --lang en", () => {
    const zh = run("zh");
    expect(zh.status).toBe(json("json").exitCode);
    expect(zh.stdout.split("\n")[0]).toBe(`审核报告：${at("good.pdf")}`);
    expect(zh.stdout).toMatch(/读取与检查\n {2}页数 +24\n/);
    expect(zh.stdout).toMatch(/^错误（\d+）$/m);
    expect(zh.stdout).toMatch(/^未检查（\d+）$/m);
    const en = run("en");
    expect(en.status).toBe(zh.status);
    expect(en.stdout.split("\n")[0]).toBe(`Audit report: ${at("good.pdf")}`);
    expect(en.stdout).toMatch(/Read and checked\n {2}pages +24\n/);
    expect(en.stdout).toMatch(/^Errors \(\d+\)$/m);
    expect(en.stdout).not.toMatch(/读取与检查|未检查|审核报告/);
  });

  it("audits several files as one disclosure: one report, each place naming its file", () => {
    const r = json("two");
    expectValid(r);
    expect(r.files).toEqual([at("good.pdf"), at("seed.txt")]);
    expect(r.counts.pages).toBe(PDF_PAGES + 1);
    for (const p of [...r.findings, ...r.notChecked]) expect(r.files).toContain(p.file);
    expect(run("two").status).toBe(r.exitCode);
    expect(r.exitCode).not.toBe(2);
  });

  it("reads the others when one file of several cannot be read, and lists that one as not checked", () => {
    const r = json("oneBad");
    expectValid(r);
    expect(r.exitCode).not.toBe(2);
    expect(r.counts.pages).toBe(PDF_PAGES);
    const file = r.notChecked.find((n) => n.what === "file");
    expect(file?.file).toBe(at("tables.pdf"));
    expect(file?.reason.zh).toContain("既不是 PDF 也不是文本文件");
  });

  it("exits 2 with the reason when the file cannot be read", () => {
    const zip = json("zip");
    expectValid(zip);
    expect(run("zip").status).toBe(2);
    expect(zip.exitCode).toBe(2);
    expect(zip.unreadable).toMatchObject({ file: at("tables.pdf"), reason: "not-pdf" });
    expect(run("empty").status).toBe(2);
    expect(run("empty").stderr).toContain(`${at("empty.pdf")}：文件中没有可读的文字`);
    expect(run("missing").status).toBe(2);
    expect(run("missing").stderr).toContain(`could not be read; not audited: ${at("missing.pdf")}: the file does not exist`);
  });

  it("--html writes index.html, the report", () => {
    expect(run("html").status, run("html").stderr).toBe(json("json").exitCode);
    const page = readFileSync(at("out-one", "index.html"), "utf8");
    expect(page).toContain(`<h1>审核报告：${at("good.pdf")}</h1>`);
    expect(page).not.toMatch(/<script/i);
    expect(run("html").stdout).toContain(`已写出审核报告：${at("out-one")}`);
    expect(run("htmlAgain").status, run("htmlAgain").stderr).toBe(run("html").status);
  });
});

describe("gongkai audit <folder>", () => {
  /** the files of `all/` audited, in path order: the symbolic link is not followed, notes.md is not audited */
  const AUDITED = ["empty.pdf", "good.pdf", "sub/seed.TXT", "tables.pdf", HOSTILE_NAME].map((f) => at("all", f));

  it("audits every .pdf and .txt, sorted, each its own disclosure; bad files are rows with their reasons", () => {
    const reports = json<AuditReport[]>("folderJson");
    expect(reports.map((r) => r.files)).toEqual(AUDITED.map((f) => [f]));
    for (const r of reports) expectValid(r);
    const by = new Map(reports.map((r) => [r.files[0]!, r]));
    expect(by.get(at("all", "tables.pdf"))?.unreadable?.reason).toBe("not-pdf");
    expect(by.get(at("all", "empty.pdf"))?.unreadable?.reason).toBe("no-text");
    expect(by.get(at("all", "good.pdf"))?.counts.pages).toBe(PDF_PAGES);
    expect(by.get(at("all", "sub/seed.TXT"))?.counts.pages).toBe(1);
    const worst = reports.some((r) => r.exitCode === 1) ? 1 : 0;
    expect(run("folderJson").status).toBe(worst);
  });

  it("prints the summary: every row, the reasons of the bad ones, the totals, the link not followed", () => {
    const r = run("folderText");
    expect(r.status).toBe(run("folderJson").status);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("审核汇总");
    const row = (file: string) => lines.find((l) => l.includes(file.slice(-30)));
    for (const f of AUDITED) expect(row(f), f).toBeDefined();
    expect(row(at("all", "tables.pdf"))).toMatch(/无法读取 .*既不是 PDF 也不是文本文件/);
    expect(row(at("all", "empty.pdf"))).toMatch(/无法读取 .*文件中没有可读的文字/);
    expect(r.stdout).toMatch(/^合计 5 份文件：3 份已读取，2 份无法读取，/m);
    expect(r.stdout).toContain("（未跟随 1 个符号链接）");
  });

  it("--html writes the summary, summary.csv and a page per readable document, everything escaped", () => {
    const out = at("out-all");
    const index = readFileSync(join(out, "index.html"), "utf8");
    expect(index).not.toMatch(/<script/i);
    expect(index).toContain("x&lt;script&gt;alert(1).txt");
    const reports = readdirSync(join(out, "reports")).sort();
    expect(reports).toHaveLength(3);
    const hostile = reports.find((d) => d.includes("script"));
    expect(hostile, reports.join(" ")).toBeDefined();
    expect(readFileSync(join(out, "reports", hostile!, "index.html"), "utf8")).toContain(`<h1>审核报告：${at("all", "x&lt;script&gt;alert(1).txt")}</h1>`);
    for (const d of reports) {
      const page = readFileSync(join(out, "reports", d, "index.html"), "utf8");
      expect(page).not.toMatch(/<script/i);
      expect(page).toContain('href="../../index.html"');
      expect(index).toContain(`href="reports/${d}/index.html"`);
    }
    const csvText = readFileSync(join(out, "summary.csv"), "utf8");
    expect(csvText.startsWith("\uFEFF文件,状态,页数")).toBe(true);
    expect(csvText).toContain("\r\n");
    const csv = parseCsv(csvText);
    expect(csv.slice(1).map((r) => r[0])).toEqual(AUDITED);
    expect(csv.find((r) => r[0] === at("all", "tables.pdf"))?.[14]).toBe("not-pdf");
    // with --json the message goes to standard error, standard output stays JSON
    expect(run("folderJson").stderr).toContain(`已写出审核报告：${out}`);
  });

  it("--lang en: the summary and its CSV in English", () => {
    const r = run("folderEn");
    expect(r.stdout.split("\n")[0]).toBe("Audit summary");
    expect(r.stdout).toMatch(/^5 documents: 3 read, 2 unreadable, /m);
    const csv = parseCsv(readFileSync(at("out-en", "summary.csv"), "utf8"));
    expect(csv[0]!.slice(0, 3)).toEqual(["file", "status", "pages"]);
    expect(readFileSync(at("out-en", "index.html"), "utf8")).toContain('<html lang="en">');
  });

  it("exits 2 and writes nothing when no file at all could be read", () => {
    const r = run("badFolder");
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^合计 2 份文件：0 份已读取，2 份无法读取，/m);
    expect(r.stderr).toContain("没有任何文件可以读取，未输出任何文件");
    expect(existsSync(at("out-bad"))).toBe(false);
    expect(run("noneFolder").status).toBe(2);
    expect(run("noneFolder").stderr).toContain(`没有可审核的文件：${at("none")} 中没有 .pdf 或 .txt 文件`);
  });
});

describe("arguments and outputs refused", () => {
  it("refuses files and folders together, an unknown reader, no file, an output holding the input", () => {
    expect(run("mixed").status).toBe(2);
    expect(run("mixed").stderr).toContain("不能同时给出文件和文件夹");
    expect(run("badReader").status).toBe(2);
    expect(run("badReader").stderr).toContain("--reader 只能是 auto、pdfjs 或 pdftotext");
    expect(run("noArgs").status).toBe(2);
    expect(run("noArgs").stderr).toContain("gongkai audit <文件.pdf|文件.txt|文件夹…>");
    expect(run("outIsInput").status).toBe(2);
    expect(run("outIsInput").stderr).toContain("写出会覆盖输入");
  });

  it("shows no stack trace in any output", () => {
    expect(runs.size).toBe(Object.keys(RUNS).length);
    for (const [name, r] of runs) {
      expect(r.status, `${name}: ${r.stderr}`).not.toBeNull();
      expect([0, 1, 2], name).toContain(r.status);
      expect(`${r.stdout}\n${r.stderr}`, name).not.toMatch(/\n\s+at /);
      expect(r.stderr, name).not.toContain("内部错误");
    }
  });

  it("audit --help says what the command does", () => {
    const r = runCli(["audit", "--help", "--lang", "en"]);
    expect(r.status).toBe(0);
    const text = r.stdout.replace(/\s+/g, " ");
    expect(text).toContain("gongkai audit <文件.pdf|文件.txt|文件夹…>");
    expect(text).toContain("--reader auto|pdfjs|pdftotext");
    expect(text).toContain("--html <文件夹>");
    expect(text).toContain("exit codes: 0 no error finding; 1 error findings; 2 unreadable");
  });
});

const finding = (page: number, quote: string) => ({
  code: "AUD-NARRATIVE" as const,
  severity: "error" as const,
  page,
  line: null,
  quote,
  expected: "1",
  found: "2",
  reason: { zh: "原因", en: "reason" },
  related: [],
});
const report = (files: string[], findings: AuditReport["findings"]): AuditReport => ({
  files,
  reader: "pdftotext",
  recognised: { department: null, year: null, kind: null, level: null, template: null, tables: [] },
  counts: { pages: PDF_PAGES, tables: { found: 0, read: 0, checked: 0 }, cells: { read: 0, checked: 0 }, sentences: { read: 0, checked: 0 }, claims: { read: 0, checked: 0 }, relations: { checked: 0, failed: 0 } },
  findings,
  notChecked: [],
  exitCode: 1,
  unreadable: null,
});

describe("the figures beside the findings of a report page", () => {
  it("finds the words of a page in its lines", async () => {
    const read = await readDocument(PDF);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const lines = pageLines(read.text.pages[6]!).map((l) => l.replace(/\s+/g, ""));
    expect(lines[0]).toBe("2025年部门预算编制说明");
  });

  it.skipIf(!HAVE_POPPLER && !CI)("shows a PDF page with findings as its image, next to the page", async () => {
    if (!HAVE_POPPLER) throw new Error("CI=true but pdftoppm (poppler-utils) is not installed: the page-image test is mandatory in CI");
    const read = await readDocument(PDF);
    if (!read.ok) throw new Error(read.detail);
    const r = report([PDF], [finding(7, "2025年部门预算编制说明")]);
    const { files } = await reportPage(r, new Map([[PDF, read.text]]), "zh", "reports/0001-x/", { left: 10 }, "../../index.html");
    expect(files.map((f) => f.path)).toEqual(["reports/0001-x/page-007.png", "reports/0001-x/index.html"]);
    const png = Buffer.from(files[0]!.content as Uint8Array);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // page 7 is landscape: 1000 pixels wide, less high
    expect(png.readUInt32BE(16)).toBe(1000);
    expect(png.readUInt32BE(20)).toBeLessThan(1000);
    const html = String(files[1]!.content);
    expect(html).toContain('<img src="page-007.png" alt="第 7 页图像"');
    expect(html).toContain("由 pdftoppm 生成");
  });

  it("shows the page's text past the cap on images, and says so", async () => {
    const read = await readDocument(PDF);
    if (!read.ok) throw new Error(read.detail);
    const r = report([PDF], [finding(7, "2025年部门预算编制说明")]);
    const { files } = await reportPage(r, new Map([[PDF, read.text]]), "zh", "", { left: 0 }, undefined);
    expect(files.map((f) => f.path)).toEqual(["index.html"]);
    const html = String(files[0]!.content);
    expect(html).toContain("第 7 页文字");
    expect(html).toMatch(/<mark>2025年部门预算编制说明<\/mark>/);
    expect(html).toContain(HAVE_POPPLER ? "页面图像已达上限（1000 张）" : "本机未安装 pdftoppm");
  });

  it("shows the lines around a finding's line in a text source", async () => {
    const file = at("lines.txt");
    writeFileSync(file, ["第一行", "第二行", "第三行 合计 100.00", "第四行", "第五行"].join("\n") + "\n");
    const read = await readDocument(file);
    if (!read.ok) throw new Error(read.detail);
    const r = report([file], [{ ...finding(1, "合计100.00"), page: null, line: 3 }]);
    const { files } = await reportPage(r, new Map([[file, read.text]]), "en", "", { left: 10 }, undefined);
    const html = String(files.at(-1)!.content);
    expect(html).toContain("the text around line 3");
    expect(html).toContain("<mark>3  第三行 合计 100.00</mark>");
    expect(html).toContain("1  第一行");
    expect(html).not.toContain("<img");
  });
});

describe("the JSON Schema", () => {
  it("accepts a report with findings, related places and files, and refuses what the model does not have", () => {
    const good = {
      files: ["a.pdf", "b.pdf"],
      reader: "pdfjs",
      recognised: { department: "某局", year: 2024, kind: "final_accounts", level: "department", template: "shanghai-district-final-9", tables: [{ title: "收入支出决算总表", page: 5, unit: "万元", kind: "t01" }] },
      counts: { pages: 30, tables: { found: 9, read: 9, checked: 9 }, cells: { read: 10, checked: 9 }, sentences: { read: 3, checked: 2 }, claims: { read: 1, checked: 1 }, relations: { checked: 4, failed: 1 } },
      findings: [
        { code: "AUD-SUM", severity: "error", page: 5, line: null, quote: "合计10.00", file: "b.pdf", expected: "9.99", found: "10.00", reason: { zh: "z", en: "e" }, related: [{ page: 5, line: null, quote: "9.99", file: "b.pdf" }] },
      ],
      notChecked: [{ what: "file", page: null, line: null, quote: "", file: "a.pdf", reason: { zh: "z", en: "e" } }],
      exitCode: 1,
      unreadable: null,
      notes: [{ file: "a.pdf", text: "n" }],
    };
    expectValid(good);
    expect(validate({ ...good, extra: 1 })).toBe(false);
    expect(validate({ ...good, exitCode: 3 })).toBe(false);
    expect(validate({ ...good, findings: [{ ...good.findings[0], code: "AUD-NOPE" }] })).toBe(false);
    expect(validate({ ...good, findings: [{ ...good.findings[0], page: 0 }] })).toBe(false);
    expect(validate({ ...good, unreadable: { file: "a.pdf", reason: "lost", detail: "" } })).toBe(false);
  });
});
