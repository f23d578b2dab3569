/**
 * One typed command registry: the CLI (and later the HTTP API) call these. A command reads its input through
 * ports, returns a result value with an exit code, and leaves printing to the adapter.
 * Exit codes (CONVENTIONS.md): 0 no error; 1 findings of severity error (outputs still written, marked failing);
 * 2 unusable input (nothing written).
 */
import { basename, dirname } from "node:path";
import type { Budget } from "../domain/budget-schema.ts";
import { catalogFromRows, withInputNames, type Catalog } from "../domain/catalog-model.ts";
import type { InputProblem } from "../domain/input-problem.ts";
import type { Finding } from "../domain/rule-engine.ts";
import type { Crosswalk } from "../domain/last-year.ts";
import { buildDisclosure, figureNamer, type BuildOptions, type BuildRefusal, type BuildResult, type ProjectData } from "./build-disclosure.ts";
import { lastYearFigures, type LastYearSource } from "./last-year.ts";
import { isComparedFigure, isFigureId } from "../domain/table-engine.ts";

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
  /** replaces a build's output folder with these files, whole or not at all */
  replaceFolder(dir: string, files: readonly OutputFile[]): Promise<void>;
  /**
   * renders the outputs of a build, in the given formats (all when none are given); `buildFormats`: every format of
   * the build when it renders them one at a time (the page links the files of each)
   */
  renderBuild(result: BuildResult, findings: readonly Finding[], formats?: readonly string[], buildFormats?: readonly string[]): Promise<OutputFile[]>;
  /** the output formats renderBuild knows */
  readonly formats: readonly string[];
  /** shows progress for work that may take over a second */
  progress(label: string): { tick(done: number, total: number): void; done(): void };
  /** renders the input workbook (.xlsx bytes) */
  renderWorkbook(content: WorkbookContent): Promise<Uint8Array>;
  /** reads what `--prior` names: last year's budget (any form readBudget takes) or its disclosure.json */
  readLastYear(path: string): Promise<{ ok: true; source: LastYearSource } | { ok: false; problems: InputProblem[] }>;
  /** reads a crosswalk of renamed codes (`--crosswalk`) */
  readCrosswalk(path: string): Promise<{ ok: true; crosswalk: Crosswalk } | { ok: false; problems: InputProblem[] }>;
  /** reads a filled workbook and gives the YAML budget text, checked to read back as the same budget */
  importWorkbook(path: string): Promise<{ ok: true; yaml: string; budget: Budget; notes: InputProblem[]; file: string; locate: Locator } | { ok: false; problems: InputProblem[] }>;
}

/** Where a field is in the input: line and column of a YAML file, or the cell of a workbook (`明细!C28`). */
export type SourcePlace = { line: number; column: number } | { cell: string };

/** Maps an input field path (e.g. `reasons.func.2101101`) to its place in the file. */
export type Locator = (field: string) => SourcePlace | null;

/** What the input workbook is made of: the budget to fill it with (or none), and the lists and names it offers. */
export interface WorkbookContent {
  readonly budget: Budget | null;
  readonly catalog: Catalog;
  /** the rows of the prior-year sheet: figure ids with their names (and, with `--prior`, last year's figure) */
  readonly figures: readonly { readonly id: string; readonly name: string; readonly prior?: bigint }[];
  readonly templateIds: readonly string[];
  readonly defaultTemplate: string;
  readonly source?: string;
}

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
  /** paragraphs of `--help` after the summary */
  readonly notes?: readonly { readonly zh: string; readonly en: string }[];
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

const PRIOR_OPTION: CommandOption = {
  name: "prior",
  type: "string",
  value: "<上年预算文件|disclosure.json>",
  help: {
    zh: "由上年的预算文件（或上年的 disclosure.json）推导全部上年数，使其与本年数口径一致、互相吻合；同时填写的 prior_year 须与之相等",
    en: "derive every prior-year figure from last year's budget file (or its disclosure.json), so they agree by construction; any prior_year given must equal them",
  },
};
const CROSSWALK_OPTION: CommandOption = {
  name: "crosswalk",
  type: "string",
  value: "<对照表.csv>",
  help: {
    zh: "上年与本年科目编码的对照表（kind,from,to），代替本系统 data/crosswalks/ 中的对照表",
    en: "a crosswalk of codes renamed since last year (kind,from,to), instead of the one in data/crosswalks/",
  },
};

const FORCE_OPTION: CommandOption = { name: "force", type: "boolean", help: { zh: "覆盖已有文件", en: "overwrite an existing file" } };

/** The platform's database, as `user`, `backup` and `restore` find it (storeConfigFromEnv in src/adapters/store/open-store.ts). */
const DATABASE_NOTE = {
  zh: "数据库：设置了 DATABASE_URL（postgres://…）时为 PostgreSQL，否则为 GONGKAI_DB 指定的 SQLite 文件（默认 ./var/gongkai.db）。",
  en: "The database: PostgreSQL when DATABASE_URL (postgres://…) is set, otherwise the SQLite file GONGKAI_DB names (./var/gongkai.db by default).",
} as const;
const PLATFORM_EXIT_CODES = {
  zh: "退出码：0 完成；2 输入无法使用或操作被拒绝（数据库和文件保持不变）",
  en: "exit codes: 0 done; 2 unusable input or the operation refused (the database and files are left as they were)",
} as const;

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
      PRIOR_OPTION,
      CROSSWALK_OPTION,
    ],
  },
  {
    name: "check",
    args: ["<预算文件>"],
    summary: { zh: "检查预算，按严重程度列出问题", en: "check a budget and list the findings by severity" },
    options: [UNIT_OPTION, TEMPLATE_OPTION, CATALOG_OPTION, PRIOR_OPTION, CROSSWALK_OPTION],
  },
  {
    name: "audit",
    args: ["<文件.pdf|文件.txt|文件夹…>"],
    summary: {
      zh: "审核已发布的预算或决算公开（PDF，或由 PDF 提取的文本）：列出能证明的每一处不一致，注明页码和原文",
      en: "audit a published budget or final-accounts disclosure (a PDF, or text extracted from one): every inconsistency it can prove, with page and quote",
    },
    notes: [
      {
        zh: "给出多个文件（如说明和表格分为两个 PDF）时，作为一份公开一起审核，得到一份报告。给出文件夹时，审核其中（含子文件夹，不跟随符号链接）每个 .pdf 和 .txt 文件，各为一份公开，并列出汇总表；无法读取的文件列出原因，不中断审核。不能同时给出文件和文件夹。",
        en: "Several files (say the narrative and the tables as two PDFs) are audited as one disclosure: one report. A folder: every .pdf and .txt file in it (sub-folders included, symbolic links not followed) is audited as a disclosure of its own, and a summary table is printed; a file that cannot be read is listed with its reason and the run goes on. Files and folders cannot be given together.",
      },
      {
        zh: "只报告能由可靠读取的内容证明的问题；不能可靠读取的表格、句子和页面计数并列为“未检查”，不作推测。",
        en: "Only what can be proved from what was read with confidence is reported; a table, sentence or page that could not be read with confidence is counted and listed as not checked, never guessed.",
      },
      {
        zh: "--json 输出报告（文件夹时为报告数组），字段见 docs/audit-report.md。--html 写出一个文件夹：index.html 为报告（文件夹时为汇总页，另有 summary.csv 和 reports/ 下每份文件的报告页），有问题的页旁附该页图像（需安装 pdftoppm，否则附该页文字）。",
        en: "--json prints the report (an array of reports for folders), its fields in docs/audit-report.md. --html writes a folder: index.html is the report (for folders the summary, with summary.csv and a report page per document under reports/), each page with findings shown beside them as an image (with pdftoppm installed; otherwise its text).",
      },
      {
        zh: "退出码：0 无错误级问题；1 有错误级问题；2 无法读取（文件夹：没有任何文件可以读取）或参数有误，不输出任何文件",
        en: "exit codes: 0 no error finding; 1 error findings; 2 unreadable (for folders: no file at all could be read) or bad arguments, nothing written",
      },
    ],
    options: [
      { name: "html", type: "string", value: "<文件夹>", help: { zh: "把报告写成网页，放入该文件夹", en: "write the report as web pages into this folder" } },
      {
        name: "reader",
        type: "string",
        value: "auto|pdfjs|pdftotext",
        help: {
          zh: "PDF 读取方式：auto（默认，已安装 pdftotext 时用它，否则用 pdf.js）、pdfjs 或 pdftotext",
          en: "how PDFs are read: auto (the default: pdftotext when installed, else pdf.js), pdfjs or pdftotext",
        },
      },
    ],
  },
  {
    name: "new",
    args: ["<文件夹>"],
    summary: { zh: "生成一份带注释、可通过检查的预算文件模板", en: "scaffold a commented budget that passes check" },
    notes: [
      {
        zh: "不用 YAML 的，财务人员也可以改填 Excel 填报工作簿：gongkai workbook --out <工作簿.xlsx>；填好的工作簿可直接用于 check、build，或用 gongkai import 转成 YAML。",
        en: "Rather than YAML, a finance clerk may fill the Excel input workbook: gongkai workbook --out <workbook.xlsx>; check and build read the filled workbook as it is, and gongkai import turns it into YAML.",
      },
    ],
    options: [FORCE_OPTION],
  },
  {
    name: "workbook",
    args: [],
    summary: { zh: "生成财务人员填写的 Excel 填报工作簿（可用已有预算填好）", en: "write the Excel input workbook a finance clerk fills (optionally filled from a budget)" },
    options: [
      { name: "out", type: "string", value: "<工作簿.xlsx>", help: { zh: "要写出的工作簿（必填）", en: "the workbook to write (required)" } },
      { name: "from", type: "string", value: "<预算文件>", help: { zh: "用该预算（YAML 文件、含 budget.yaml 的文件夹或工作簿）填好工作簿", en: "fill it from this budget (YAML file, folder or workbook)" } },
      PRIOR_OPTION,
      CROSSWALK_OPTION,
      FORCE_OPTION,
    ],
  },
  {
    name: "import",
    args: ["<工作簿.xlsx>"],
    summary: { zh: "读取填好的工作簿，检查后写成 YAML 预算文件", en: "read a filled workbook, check it, and write it as a YAML budget" },
    options: [
      { name: "out", type: "string", value: "<budget.yaml>", help: { zh: "要写出的 YAML 文件或文件夹（必填）", en: "the YAML file (or folder) to write (required)" } },
      CATALOG_OPTION,
      FORCE_OPTION,
    ],
  },
  {
    name: "schema",
    args: [],
    summary: { zh: "输出预算输入格式的 JSON Schema", en: "print the JSON Schema of the budget input format" },
    options: [{ name: "out", type: "string", value: "<文件>", help: { zh: "写入文件而不是标准输出", en: "write to a file instead of standard output" } }],
  },
  {
    name: "user",
    args: ["add", "<用户名>"],
    summary: {
      zh: "新建公开平台的用户：用它创建第一个管理员，其余用户由管理员在管理页面创建",
      en: "create a user of the platform: the first administrator is made this way, the administration pages make the rest",
    },
    notes: [
      {
        zh: "密码从标准输入读取（第一行），至少 10 个字符，例如：printf '%s\\n' \"$PASSWORD\" | gongkai user add admin --role admin。在终端中运行时提示输入密码，不回显。",
        en: "The password is read from standard input (its first line), at least 10 characters, e.g. printf '%s\\n' \"$PASSWORD\" | gongkai user add admin --role admin. Run in a terminal, it prompts for the password without echo.",
      },
      {
        zh: "用户名为 3–32 个小写字母、数字或 _ . -。角色：preparer 编制人、dept_approver 部门审核人（二者须用 --region 和 --department 指定部门）、finance_reviewer 财政审核人（须用 --region 指定区划）、admin 管理员。",
        en: "A user name is 3 to 32 lowercase letters, digits or _ . -. Roles: preparer and dept_approver (both need their department: --region and --department), finance_reviewer (needs --region), admin.",
      },
      { zh: DATABASE_NOTE.zh + "尚未建表的新数据库先自动迁移。", en: `${DATABASE_NOTE.en} A new database is migrated first.` },
      { zh: PLATFORM_EXIT_CODES.zh, en: PLATFORM_EXIT_CODES.en },
    ],
    options: [
      {
        name: "role",
        type: "string",
        value: "<角色>",
        help: { zh: "preparer、dept_approver、finance_reviewer 或 admin（必填）", en: "preparer, dept_approver, finance_reviewer or admin (required)" },
      },
      { name: "name", type: "string", value: "<显示名>", help: { zh: "页面上显示的姓名（默认为用户名）", en: "the name the pages show (the user name by default)" } },
      { name: "region", type: "string", value: "<区划编码>", help: { zh: "6 位财政区划编码，如 652300", en: "the 6-digit region code (财政区划编码), e.g. 652300" } },
      { name: "department", type: "string", value: "<部门编码>", help: { zh: "该区划中的部门编码", en: "the department's code within the region" } },
    ],
  },
  {
    name: "backup",
    args: ["<备份文件>"],
    summary: {
      zh: "备份 SQLite 数据库：服务器运行时也可进行，得到一致的副本",
      en: "back up the SQLite database: a consistent copy, even while the server runs",
    },
    notes: [
      {
        zh: "备份的是 GONGKAI_DB 指定的 SQLite 文件（默认 ./var/gongkai.db）。使用 PostgreSQL（设置了 DATABASE_URL）时请改用 pg_dump：pg_dump \"$DATABASE_URL\" > <备份文件>。",
        en: "It backs up the SQLite file GONGKAI_DB names (./var/gongkai.db by default). On PostgreSQL (DATABASE_URL set) use pg_dump instead: pg_dump \"$DATABASE_URL\" > <file>.",
      },
      { zh: PLATFORM_EXIT_CODES.zh, en: PLATFORM_EXIT_CODES.en },
    ],
    options: [FORCE_OPTION],
  },
  {
    name: "restore",
    args: ["<备份文件>"],
    summary: { zh: "用 gongkai backup 写出的备份替换 SQLite 数据库", en: "replace the SQLite database with a backup gongkai backup wrote" },
    notes: [
      {
        zh: "恢复前须先停止服务器。已有数据库时须加 --force，它将被备份替换。不是公开平台数据库的文件会被拒绝，数据库保持不变。服务器下次启动时自动迁移较旧的备份。",
        en: "Stop the server first. When the database exists, add --force: the backup replaces it. A file that is not a Gongkai platform database is refused and the database left as it was. The server migrates an older backup when it next starts.",
      },
      {
        zh: "恢复的是 GONGKAI_DB 指定的 SQLite 文件（默认 ./var/gongkai.db）。PostgreSQL 请用 psql 把 pg_dump 的备份恢复到空数据库：psql \"$DATABASE_URL\" < <备份文件>。",
        en: "It restores the SQLite file GONGKAI_DB names (./var/gongkai.db by default). On PostgreSQL, restore a pg_dump backup into an empty database with psql: psql \"$DATABASE_URL\" < <file>.",
      },
      { zh: PLATFORM_EXIT_CODES.zh, en: PLATFORM_EXIT_CODES.en },
    ],
    options: [{ name: "force", type: "boolean", help: { zh: "替换已有的数据库", en: "replace an existing database" } }],
  },
];

export type BuildCommandResult =
  | { exitCode: 2; kind: "input"; problems: InputProblem[] }
  | { exitCode: 0 | 1; kind: "built"; file: string; notes: InputProblem[]; result: BuildResult; findings: readonly Finding[]; written: string[]; locate: Locator };

/** `build` and `check`: read, build, check; `build` also writes the outputs. */
/** What `--prior` and `--crosswalk` name, read; nothing when `--prior` is not given. */
async function readLastYearOptions(ports: AppPorts, opts: PriorOptions): Promise<{ ok: true; lastYear: BuildOptions["lastYear"] } | { ok: false; problems: InputProblem[] }> {
  if (opts.prior === undefined) return { ok: true, lastYear: undefined };
  const [source, crosswalk] = await Promise.all([ports.readLastYear(opts.prior), opts.crosswalk === undefined ? null : ports.readCrosswalk(opts.crosswalk)]);
  const problems = [...(source.ok ? [] : source.problems), ...(crosswalk && !crosswalk.ok ? crosswalk.problems : [])];
  if (!source.ok || (crosswalk && !crosswalk.ok)) return { ok: false, problems };
  return { ok: true, lastYear: { source: source.source, crosswalk: crosswalk?.crosswalk } };
}

export interface PriorOptions {
  /** last year's budget file or disclosure.json */
  readonly prior?: string | undefined;
  /** a crosswalk file instead of the project's */
  readonly crosswalk?: string | undefined;
}

export async function runBuild(
  ports: AppPorts,
  input: string,
  opts: Omit<BuildOptions, "lastYear"> & PriorOptions & { out?: string | undefined; write: boolean; formats?: readonly string[] | undefined },
): Promise<BuildCommandResult> {
  const progress = ports.progress(opts.write ? "生成 build" : "检查 check");
  const formats = opts.formats ?? ports.formats;
  // reading, building, then one step per output format
  const steps = 2 + (opts.write ? formats.length : 0);
  const [read, last] = await Promise.all([ports.readBudget(input), readLastYearOptions(ports, opts)]);
  progress.tick(1, steps);
  if (!read.ok || !last.ok) {
    progress.done();
    return { exitCode: 2, kind: "input", problems: [...(read.ok ? [] : read.problems), ...(last.ok ? [] : last.problems)] };
  }
  const built = buildDisclosure(ports.data, read.budget, { ...opts, lastYear: last.lastYear });
  progress.tick(2, steps);
  if (!built.ok) {
    progress.done();
    return { exitCode: 2, kind: "input", problems: [refusalProblem(built.refusal, read)] };
  }
  const findings = built.result.findings;
  const written: string[] = [];
  if (opts.write) {
    const files: OutputFile[] = [];
    for (const [i, format] of formats.entries()) {
      files.push(...(await ports.renderBuild(built.result, findings, [format], formats)));
      progress.tick(3 + i, steps);
    }
    await ports.replaceFolder(opts.out ?? "out", files);
    written.push(...files.map((f) => f.path));
  }
  progress.done();
  const errors = findings.some((f) => f.severity === "error");
  return { exitCode: errors ? 1 : 0, kind: "built", file: read.file, notes: read.notes, result: built.result, findings, written, locate: read.locate };
}

/** A build refused: the problem, at its place in the budget (or in last year's file, which is not located). */
function refusalProblem(refusal: BuildRefusal, read: { file: string; locate: Locator }): InputProblem {
  const problem: InputProblem = { code: refusal.code, severity: "error", file: refusal.file ?? read.file, field: refusal.field, params: refusal.params };
  const loc = refusal.file === undefined ? read.locate(refusal.field) : null;
  if (loc) Object.assign(problem, loc);
  return problem;
}

/** The template of an empty workbook: the first one we ship, Xinjiang 2024 today. */
function defaultTemplate(data: ProjectData): string {
  const ids = data.templateIds();
  return ids.includes("xinjiang-2024") ? "xinjiang-2024" : (ids[0] ?? "");
}

/**
 * The prior-year rows a workbook offers: the figures the narrative compares with last year (in the template's
 * order), then one per 项 of the budget's lines for each compared family by function item (`func.<项>`), named.
 */
/** The catalog a workbook's lists and names come from: the template's catalog year, with the budget's own names of codes it lacks (D2). */
function workbookCatalog(data: ProjectData, budget: Budget | null, templateId: string): Catalog {
  const year = data.template(templateId)?.data.catalog_year ?? budget?.department.year ?? 0;
  const loaded = data.catalog(year) ?? catalogFromRows(year, "", false, [], []);
  return budget ? withInputNames(loaded, budget.names) : loaded;
}

/** What `gongkai workbook --from` fills the workbook with (without `--prior`), for a budget already read: the platform's download of a draft. */
export function workbookContentOf(data: ProjectData, budget: Budget, source?: string): WorkbookContent {
  const templateId = budget.department.template;
  const catalog = workbookCatalog(data, budget, templateId);
  return { budget, catalog, figures: workbookFigures(data, budget, templateId, catalog), templateIds: data.templateIds(), defaultTemplate: defaultTemplate(data), ...(source !== undefined ? { source } : {}) };
}

function workbookFigures(data: ProjectData, budget: Budget | null, templateId: string, catalog: Catalog): { id: string; name: string }[] {
  const ct = data.template(templateId);
  if (!ct) return [];
  const name = figureNamer(ct, catalog);
  const ids = Object.entries(ct.data.figures)
    .filter(([, f]) => f.compare)
    .map(([id]) => id);
  if (budget) {
    // one row per 项 of the lines for each family the narrative compares by function item (func.<项> in Xinjiang)
    const items = [...new Set(budget.lines.map((l) => l.func))].sort();
    for (const [family, f] of Object.entries(ct.data.figure_families)) {
      if (f.compare && f.by === "function_item") ids.push(...items.map((code) => `${family}.${code}`));
    }
  }
  // and the budget's own ids (a 项 given a prior but no money this year), so that each row of the sheet has its name
  if (budget) ids.push(...Object.keys(budget.prior_year), ...Object.keys(budget.reasons), ...Object.keys(budget.descriptions));
  const rows = [...new Set(ids)].map((id) => ({ id, name: name(id) }));
  // an empty workbook has no 项 yet: one row per compared family says how its ids are made, with an example
  if (!budget) rows.push(...Object.entries(ct.data.figure_families).flatMap(([family, f]) => (f.compare ? [familyPatternRow(family, f.by, catalog, name)] : [])));
  return rows;
}

/** How the members of a family are keyed: by which code, of how many digits. */
const FAMILY_KEYS = {
  function_item: { kind: "func", digits: 7, code: "项编码", each: "功能分类项" },
  function_class: { kind: "func", digits: 3, code: "类编码", each: "功能分类类" },
  economic_section: { kind: "econ", digits: 5, code: "款编码", each: "经济分类款" },
} as const;

/**
 * The row of an empty workbook's prior sheet for a compared family: its id a pattern (`func.<项编码>`), its name how the
 * rows are made (`每个功能分类项一行，如 func.2010301：2010301 行政运行（项）`). Left as it is, the row is not read; an
 * amount written in it is refused naming the cell, since the pattern is not an id.
 */
function familyPatternRow(family: string, by: keyof typeof FAMILY_KEYS, catalog: Catalog, name: (id: string) => string): { id: string; name: string } {
  const key = FAMILY_KEYS[by];
  const example = [...catalog[key.kind].keys()].filter((c) => c.length === key.digits && /^\d+$/.test(c)).sort()[0];
  const how = `每个${key.each}一行，编号为 ${family}. 加 ${key.digits} 位${key.code}`;
  return { id: `${family}.<${key.code}>`, name: example === undefined ? how : `${how}，如 ${family}.${example}：${name(`${family}.${example}`)}` };
}

export type WorkbookCommandResult = { exitCode: 2; kind: "input"; problems: InputProblem[] } | { exitCode: 0; kind: "written"; file: string; notes: InputProblem[] };

/** `workbook`: the input workbook, empty or filled from a budget (and with `--prior`, last year's figures), written atomically to `out`. */
export async function runWorkbook(ports: AppPorts, opts: { out: string; from?: string | undefined } & PriorOptions): Promise<WorkbookCommandResult> {
  const progress = ports.progress("工作簿 workbook");
  let budget: Budget | null = null;
  let notes: InputProblem[] = [];
  let source: string | undefined;
  const [read, last] = await Promise.all([opts.from === undefined ? null : ports.readBudget(opts.from), readLastYearOptions(ports, opts)]);
  if ((read && !read.ok) || !last.ok) {
    progress.done();
    return { exitCode: 2, kind: "input", problems: [...(read && !read.ok ? read.problems : []), ...(last.ok ? [] : last.problems)] };
  }
  if (read) {
    ({ budget, notes } = read);
    source = read.file;
  }
  progress.tick(1, 3);
  const templateId = budget?.department.template ?? defaultTemplate(ports.data);
  const ct = ports.data.template(templateId);
  const catalog = workbookCatalog(ports.data, budget, templateId);
  let figures: WorkbookContent["figures"] = workbookFigures(ports.data, budget, templateId, catalog);
  if (last.lastYear && ct) {
    // every prior of the sheet from last year's line items; last year's 项 of the compared families get rows too
    const thisYear = budget?.department.year ?? ct.data.year;
    const r = lastYearFigures(ports.data, ct, thisYear, last.lastYear.source, last.lastYear.crosswalk ?? ports.data.crosswalk(thisYear - 1, thisYear));
    if (!r.ok) {
      progress.done();
      return { exitCode: 2, kind: "input", problems: [{ code: r.refusal.code, severity: "error", file: r.refusal.file, field: r.refusal.field, params: r.refusal.params }] };
    }
    const name = figureNamer(ct, catalog);
    const compared = (id: string) => isComparedFigure(ct.data, id) && !(id in ct.data.figures);
    // (the rows of an empty workbook that say how a family's ids are made give way to last year's own ids)
    const ids = [...new Set([...figures.map((f) => f.id).filter((id) => isFigureId(ct.data, id)), ...[...r.lastYear.figures.keys()].filter(compared).sort()])];
    figures = ids.map((id) => ({ id, name: name(id), prior: r.lastYear.figures.get(id) ?? 0n }));
    if (budget) budget = { ...budget, prior_year: Object.fromEntries(figures.map((f) => [f.id, f.prior ?? 0n])) };
  }
  const bytes = await ports.renderWorkbook({
    budget,
    catalog,
    figures,
    templateIds: ports.data.templateIds(),
    defaultTemplate: defaultTemplate(ports.data),
    ...(source !== undefined ? { source } : {}),
  });
  progress.tick(2, 3);
  await ports.writeFiles(dirname(opts.out), [{ path: basename(opts.out), content: bytes }]);
  progress.done();
  return { exitCode: 0, kind: "written", file: opts.out, notes };
}

export type ImportCommandResult =
  | { exitCode: 2; kind: "input"; problems: InputProblem[] }
  | { exitCode: 0 | 1; kind: "imported"; file: string; out: string; notes: InputProblem[]; findings: readonly Finding[]; locate: Locator };

/**
 * `import`: a filled workbook → a YAML budget at `out`. Any input problem: exit 2, nothing written. Otherwise the
 * budget is checked as `check` would (unknown codes are warnings against our catalog, errors against an official
 * one), the findings located by cell, and the YAML written; exit 1 when a finding is an error, as `build` does.
 */
export async function runImport(ports: AppPorts, input: string, opts: { out: string; catalogDir?: string | undefined }): Promise<ImportCommandResult> {
  const progress = ports.progress("导入 import");
  const read = await ports.importWorkbook(input);
  progress.tick(1, 3);
  if (!read.ok) {
    progress.done();
    return { exitCode: 2, kind: "input", problems: read.problems };
  }
  const built = buildDisclosure(ports.data, read.budget, { catalogDir: opts.catalogDir });
  progress.tick(2, 3);
  if (!built.ok) {
    progress.done();
    return { exitCode: 2, kind: "input", problems: [refusalProblem(built.refusal, read)] };
  }
  await ports.writeFiles(dirname(opts.out), [{ path: basename(opts.out), content: read.yaml }]);
  progress.done();
  const findings = built.result.findings;
  const errors = findings.some((f) => f.severity === "error");
  return { exitCode: errors ? 1 : 0, kind: "imported", file: read.file, out: opts.out, notes: read.notes, findings, locate: read.locate };
}
