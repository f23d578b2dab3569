/**
 * One typed command registry: the CLI (and later the HTTP API) call these. A command reads its input through
 * ports, returns a result value with an exit code, and leaves printing to the adapter.
 * Exit codes (CONVENTIONS.md): 0 no error; 1 findings of severity error (outputs still written, marked failing);
 * 2 unusable input (nothing written).
 */
import type { Budget } from "../domain/budget-schema.ts";
import type { InputProblem } from "../domain/input-problem.ts";
import type { Finding } from "../domain/rule-engine.ts";
import { buildDisclosure, type BuildOptions, type BuildResult, type ProjectData } from "./build-disclosure.ts";

export type Lang = "zh" | "en";

export interface OutputFile {
  /** path relative to the output folder */
  readonly path: string;
  readonly content: string | Uint8Array;
}

export interface AppPorts {
  readonly data: ProjectData;
  /** reads and validates a budget (file or folder holding budget.yaml) */
  readBudget(path: string): Promise<{ ok: true; budget: Budget; notes: InputProblem[]; file: string; locate: Locator } | { ok: false; problems: InputProblem[] }>;
  /** writes files into a folder, each atomically (temporary name, then rename) */
  writeFiles(dir: string, files: readonly OutputFile[]): Promise<void>;
  /** renders the outputs of a build, in the given formats (all when none are given) */
  renderBuild(result: BuildResult, findings: readonly Finding[], formats?: readonly string[]): Promise<OutputFile[]>;
  /** the output formats renderBuild knows */
  readonly formats: readonly string[];
  /** shows progress for work that may take over a second */
  progress(label: string): { tick(done: number, total: number): void; done(): void };
}

/** Maps an input field path (e.g. `reasons.func.2101101`) to its place in the file. */
export type Locator = (field: string) => { line: number; column: number } | null;

export interface CommandOption {
  readonly name: string;
  readonly type: "string" | "boolean";
  readonly value?: string;
  readonly help: { readonly zh: string; readonly en: string };
}

export interface CommandSpec {
  readonly name: string;
  readonly args: readonly string[];
  readonly summary: { readonly zh: string; readonly en: string };
  readonly options: readonly CommandOption[];
}

export const COMMON_OPTIONS: readonly CommandOption[] = [
  { name: "json", type: "boolean", help: { zh: "以 JSON 输出结果（供程序使用）", en: "print the result as JSON (for programs)" } },
  { name: "lang", type: "string", value: "zh|en", help: { zh: "消息语言，默认中文", en: "message language, Chinese by default" } },
  { name: "help", type: "boolean", help: { zh: "显示帮助", en: "show help" } },
];

const UNIT_OPTION: CommandOption = {
  name: "unit",
  type: "string",
  value: "<单位编码>",
  help: { zh: "只生成该单位的单位预算", en: "build one unit's budget (单位预算)" },
};
const TEMPLATE_OPTION: CommandOption = {
  name: "template",
  type: "string",
  value: "<模板文件>",
  help: { zh: "使用该模板文件（其他地区的公开模板），代替预算中指定的模板", en: "use this template file (another region's) instead of the one the budget names" },
};
const CATALOG_OPTION: CommandOption = {
  name: "catalog",
  type: "string",
  value: "<目录文件夹>",
  help: {
    zh: "使用正式的分类科目目录（func.csv、econ.csv），代替本系统的部分目录；未知科目即为错误",
    en: "use an official classification catalog (func.csv, econ.csv) instead of ours; unknown codes become errors",
  },
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "build",
    args: ["<预算文件>"],
    summary: { zh: "由预算明细生成全部公开表格、检查结果和 disclosure.json", en: "derive every table, the findings and disclosure.json from a budget" },
    options: [
      { name: "out", type: "string", value: "<文件夹>", help: { zh: "输出文件夹（默认 ./out）", en: "output folder (default ./out)" } },
      {
        name: "format",
        type: "string",
        value: "<格式,…>",
        help: { zh: "只输出这些格式（逗号分隔，默认全部）", en: "write only these formats (comma-separated; all by default)" },
      },
      UNIT_OPTION,
      TEMPLATE_OPTION,
      CATALOG_OPTION,
    ],
  },
  {
    name: "check",
    args: ["<预算文件>"],
    summary: { zh: "检查预算，按严重程度列出问题", en: "check a budget and list the findings by severity" },
    options: [UNIT_OPTION, TEMPLATE_OPTION, CATALOG_OPTION],
  },
  {
    name: "new",
    args: ["<文件夹>"],
    summary: { zh: "生成一份带注释、可通过检查的预算文件模板", en: "scaffold a commented budget that passes check" },
    options: [{ name: "force", type: "boolean", help: { zh: "覆盖已有文件", en: "overwrite an existing file" } }],
  },
  {
    name: "schema",
    args: [],
    summary: { zh: "输出预算输入格式的 JSON Schema", en: "print the JSON Schema of the budget input format" },
    options: [{ name: "out", type: "string", value: "<文件>", help: { zh: "写入文件而不是标准输出", en: "write to a file instead of standard output" } }],
  },
];

export type BuildCommandResult =
  | { exitCode: 2; kind: "input"; problems: InputProblem[] }
  | { exitCode: 0 | 1; kind: "built"; file: string; notes: InputProblem[]; result: BuildResult; findings: readonly Finding[]; written: string[]; locate: Locator };

/** `build` and `check`: read, build, check; `build` also writes the outputs. */
export async function runBuild(
  ports: AppPorts,
  input: string,
  opts: BuildOptions & { out?: string | undefined; write: boolean; formats?: readonly string[] | undefined },
): Promise<BuildCommandResult> {
  const progress = ports.progress(opts.write ? "生成 build" : "检查 check");
  const steps = opts.write ? 3 : 2;
  const read = await ports.readBudget(input);
  progress.tick(1, steps);
  if (!read.ok) {
    progress.done();
    return { exitCode: 2, kind: "input", problems: read.problems };
  }
  const built = buildDisclosure(ports.data, read.budget, opts);
  progress.tick(2, steps);
  if (!built.ok) {
    progress.done();
    const loc = read.locate(built.refusal.field);
    const problem: InputProblem = { code: built.refusal.code, severity: "error", file: read.file, field: built.refusal.field, params: built.refusal.params };
    if (loc) Object.assign(problem, loc);
    return { exitCode: 2, kind: "input", problems: [problem] };
  }
  const findings = built.result.findings;
  const written: string[] = [];
  if (opts.write) {
    const files = await ports.renderBuild(built.result, findings, opts.formats);
    await ports.writeFiles(opts.out ?? "out", files);
    written.push(...files.map((f) => f.path));
    progress.tick(3, steps);
  }
  progress.done();
  const errors = findings.some((f) => f.severity === "error");
  return { exitCode: errors ? 1 : 0, kind: "built", file: read.file, notes: read.notes, result: built.result, findings, written, locate: read.locate };
}
