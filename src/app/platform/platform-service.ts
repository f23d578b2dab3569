/**
 * The platform's use cases: upload a budget, move it through the workflow, publish it (and correct it), read what
 * an actor may read. Pages and the API both call these; each checks the actor's role and scope itself, on the
 * server, before it looks anything up that the actor may not see.
 *
 */
import { workbookContentOf, type OutputFile, type WorkbookContent } from "../command-registry.ts";
import type { BuildResult, ProjectData } from "../build-disclosure.ts";
import type { Budget } from "../../domain/budget-schema.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import { formatFieldPath, type InputProblem } from "../../domain/input-problem.ts";
import { isComparedFigure } from "../../domain/table-engine.ts";
import type { BudgetRow, BudgetSummary, PlatformStore, UserRow, VersionRow } from "./platform-store.ts";
import { createHash } from "node:crypto";
import { buildDisclosure, figureNamer, type BuildRefusal } from "../build-disclosure.ts";
import type { LastYearSource } from "../last-year.ts";
import { inputMessage } from "../../domain/input-messages.ts";
import { changeLog, changeSnapshot, type ChangeLog, type ChangeSnapshot } from "../../domain/change-log.ts";
import { clockStatus, type ClockStatus } from "../../domain/publication-clock.ts";
import type { AuditEntry, BudgetDraftFields, DepartmentRow, Guarded, StoredFile } from "./platform-store.ts";
import type { Catalog } from "../../domain/catalog-model.ts";
import { applyDraftOps, findingLine, MAX_DRAFT_OPS, type DraftConflict, type DraftLine, type DraftOp, type LineField } from "../../domain/draft-patch.ts";
import { closeBidi, refusedTextChar } from "../../domain/text-chars.ts";
import { availableActions, reaches, roleMay, ruleFor, type WorkflowAction } from "./workflow-rules.ts";
import { searchEntriesOf } from "./search-index.ts";

export interface PlatformDeps {
  readonly store: PlatformStore;
  readonly data: ProjectData;
  /** reads an uploaded budget (YAML or input workbook, recognised by its bytes) with the same readers as the CLI */
  readUpload(fileName: string, bytes: Uint8Array): Promise<UploadRead>;
  /** renders every file of `build` (page, PDF, Word, workbook, CSV, JSON, data package) */
  renderAll(result: BuildResult, findings: readonly Finding[], formats?: readonly string[]): Promise<OutputFile[]>;
  /** the figures of a disclosure.json Gongkai wrote (last year's published version) */
  readDisclosureFigures(bytes: Uint8Array, file: string): { ok: true; value: { figures: Map<string, bigint>; year: number; template: string } } | { ok: false; problems: InputProblem[] };
  /** the input workbook filled from a budget (as `gongkai workbook --from` writes it) */
  renderWorkbook(content: WorkbookContent): Promise<Uint8Array>;
  /** the draft's line items with their stable ids, read from and written into its YAML (comments kept) */
  readonly draftLines: {
    read(yaml: string): { ok: true; lines: DraftLine[] } | { ok: false; problem: { zh: string; en: string } };
    write(yaml: string, lines: readonly DraftLine[]): string;
  };
  /** the draft's reasons (why a figure changed) set (text) or taken out (null), in its YAML */
  writeReasons(yaml: string, reasons: Readonly<Record<string, string | null>>): string;
  /** the next year's draft started from a budget's YAML (its one-year parts taken out: yaml-next-year.ts) */
  nextYearYaml(yaml: string, fromYear: number): { ok: true; yaml: string } | { ok: false; zh: string; en: string };
  /** the current time (tests fix it) */
  now(): Date;
}

/** An uploaded file read: the budget and its canonical YAML, with a locator of places in the uploaded file. */
export type UploadRead =
  | { ok: true; budget: Budget; yaml: string; notes: InputProblem[]; place: (field: string) => string | null }
  | { ok: false; problems: InputProblem[] };

/** A finding as the workspace shows it: its message in both languages and its place in the uploaded file. */
export interface FindingView {
  readonly code: string;
  readonly severity: "error" | "warning" | "note";
  readonly message: { readonly zh: string; readonly en: string };
  readonly field: string | null;
  /** `line 12` / `明细!C28`, in the file as uploaded */
  readonly place: string | null;
}

/** Why a use case refused: a code, a message in both languages, and for bad input the problems. */
export interface ServiceError {
  readonly code: "forbidden" | "not_found" | "conflict" | "invalid_input" | "has_errors" | "needs_acknowledgement" | "needs_reason" | "unchanged" | "wrong_state";
  readonly message: { readonly zh: string; readonly en: string };
  readonly problems?: readonly { readonly code: string; readonly message: { readonly zh: string; readonly en: string }; readonly place: string | null }[];
}

export type ServiceResult<T> = { ok: true; value: T } | { ok: false; error: ServiceError };

export type { BudgetRow, UserRow, VersionRow };

// ---------------------------------------------------------------------------------------------------------------
// The use cases


/** What a version's stored change log holds (store.readChangeLog): what a reader saw of it, and (from version 2) its changes against the one before. */
export interface StoredChangeLog {
  readonly snapshot: ChangeSnapshot;
  readonly log: ChangeLog | null;
}

export const MAX_REASON_CHARS = 2000;

function fail<T>(code: ServiceError["code"], zh: string, en: string, problems?: ServiceError["problems"]): ServiceResult<T> {
  return { ok: false, error: problems ? { code, message: { zh, en }, problems } : { code, message: { zh, en } } };
}

const NOT_FOUND = <T>(): ServiceResult<T> => fail("not_found", "没有找到，或您无权查看。", "Not found, or not yours to see.");
const FORBIDDEN = <T>(): ServiceResult<T> => fail("forbidden", "您的角色不能进行此操作。", "Your role may not do this.");
const CONFLICT = <T>(): ServiceResult<T> =>
  fail("conflict", "这份预算已被他人更改（您看到的是旧版本），请刷新后重试。", "Someone else changed this budget since you loaded it (your form is of an old revision); reload and try again.");

function guarded<T>(r: Guarded<T>): ServiceResult<T> {
  if (r.ok) return r;
  if (r.reason === "not_found") return NOT_FOUND();
  if (r.reason === "duplicate") return fail("conflict", "已经存在，请刷新后重试。", "It exists already; reload and try again.");
  return CONFLICT();
}

/** The department's region and every region above it. */
async function regionCodes(deps: PlatformDeps, department: DepartmentRow): Promise<string[]> {
  return (await deps.store.regionAncestors(department.regionCode)).map((r) => r.code);
}

/** Whether the user may read the department's workspace (its budgets in every state). */
export async function canReadDepartment(deps: PlatformDeps, user: UserRow, department: DepartmentRow): Promise<boolean> {
  return reaches(user, department, await regionCodes(deps, department));
}

async function departmentInScope(deps: PlatformDeps, user: UserRow, departmentId: number): Promise<DepartmentRow | null> {
  const d = await deps.store.getDepartment(departmentId);
  return d && (await canReadDepartment(deps, user, d)) ? d : null;
}

async function budgetInScope(deps: PlatformDeps, user: UserRow, budgetId: number): Promise<{ budget: BudgetRow; department: DepartmentRow } | null> {
  const budget = await deps.store.getBudget(budgetId);
  if (!budget) return null;
  const department = await departmentInScope(deps, user, budget.departmentId);
  return department ? { budget, department } : null;
}

/** A file name as the user gave it, made safe to show and store: its last path part, printable, at most 120 characters. */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f<>"'`]/g, "").trim().slice(0, 120);
  return clean === "" || clean === "." || clean === ".." ? "budget" : clean;
}

/**
 * A text written in the workflow (the acknowledgement of warnings, a reason that is shown to the department or
 * published): line breaks as \n, trimmed, at most MAX_REASON_CHARS characters (cut between characters, never inside
 * one), the bidi controls it leaves open closed; a character no output can carry is refused, as in a budget file.
 */
function workflowText(s: string | undefined, what: { zh: string; en: string }): { ok: true; text: string } | { ok: false; error: ServiceResult<never> } {
  const t = [...(s ?? "").replace(/\r\n?/g, "\n").trim()].slice(0, MAX_REASON_CHARS).join("");
  const bad = refusedTextChar(t);
  if (bad) return { ok: false, error: refusedChar(bad, what) };
  return { ok: true, text: closeBidi(t) };
}

/** A text the user wrote holds a character a file may not (refusedTextChar): refused, naming the text and where. */
function refusedChar(bad: { char: string; index: number }, what: { zh: string; en: string }): ServiceResult<never> {
  return fail("invalid_input", `${what.zh}中第 ${bad.index} 个字符 ${bad.char} 不能使用（控制字符或非字符无法写入任何输出格式）。`, `Character ${bad.index} of the ${what.en}, ${bad.char}, cannot be used (a control character or noncharacter fits no output format).`);
}

/** What a draft stores of a checked YAML: the text, its findings and their counts. */
function draftFields(sourceName: string, sourceYaml: string, findings: readonly FindingView[]): BudgetDraftFields {
  return {
    sourceName,
    sourceYaml,
    findingsJson: JSON.stringify(findings),
    errorCount: findings.filter((f) => f.severity === "error").length,
    warningCount: findings.filter((f) => f.severity === "warning").length,
  };
}
const ACK_TEXT = { zh: "对警告的说明", en: "acknowledgement" };
const REASON_TEXT = { zh: "理由", en: "reason" };

/** Last year's figures for a department's budget: its previous year's current published version, when there is one. */
async function priorSource(deps: PlatformDeps, department: DepartmentRow, year: number): Promise<{ source: LastYearSource } | undefined> {
  const v = await deps.store.currentVersion(department.id, year - 1);
  if (!v) return undefined;
  const f = await deps.store.readVersionFile(v.id, "disclosure.json");
  if (!f) return undefined;
  const file = `${year - 1} 年第 ${v.number} 版 disclosure.json`;
  const r = deps.readDisclosureFigures(f.bytes, file);
  if (!r.ok) return undefined;
  return { source: { kind: "disclosure", file, figures: r.value.figures, year: r.value.year, template: r.value.template } };
}

function refusalView(r: BuildRefusal, place: (field: string) => string | null): NonNullable<ServiceError["problems"]>[number] {
  const p = { code: r.code, params: r.params };
  return { code: r.code, message: { zh: inputMessage(p, "zh"), en: inputMessage(p, "en") }, place: r.file ?? place(r.field) };
}

function findingView(f: Finding, place: (field: string) => string | null): FindingView {
  const cell = f.cells[0];
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    field: f.field,
    place: f.field !== null ? place(f.field) : cell ? `${cell.table} ${cell.row} ${cell.column}` : null,
  };
}

function problemsOf(problems: readonly InputProblem[]): NonNullable<ServiceError["problems"]>[number][] {
  return problems.slice(0, 200).map((p) => ({
    code: p.code,
    message: { zh: inputMessage(p, "zh"), en: inputMessage(p, "en") },
    place: p.cell !== undefined ? `${p.file}:${p.cell}` : p.line !== undefined ? `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ""}` : p.field !== undefined ? `${p.file} ${p.field}` : p.file,
  }));
}

const audit = (user: UserRow, action: string, budgetId: number | string, before: unknown, after: unknown): AuditEntry => ({
  userId: user.id,
  action,
  entity: "budget",
  entityId: String(budgetId),
  before: before === null ? null : JSON.stringify(before),
  after: after === null ? null : JSON.stringify(after),
});

const summary = (b: BudgetRow) => ({ state: b.state, revision: b.revision, source: b.sourceName, errors: b.errorCount, warnings: b.warningCount });

/** Refuses an action the role may never do (forbidden) or may not do in this state (wrong_state). */
function refuseAction<T>(action: WorkflowAction, user: UserRow, budget: BudgetRow): ServiceResult<T> | null {
  if (ruleFor(action, user.role, budget.state)) return null;
  if (!roleMay(action, user.role)) return FORBIDDEN();
  return fail("wrong_state", "这份预算当前的状态不允许此操作。", "The budget's state does not allow this.");
}

export interface UploadOutcome {
  readonly budget: BudgetRow;
  readonly findings: FindingView[];
}

/**
 * Upload a budget file or input workbook for a department and year: read it with the CLI's readers, check it as
 * `gongkai check` does (with last year's published figures), and store it as the draft (a new one, or replacing the
 * draft at `expectedRevision`). Input problems refuse it and store nothing.
 */
export async function uploadBudget(
  deps: PlatformDeps,
  user: UserRow,
  p: { departmentId: number; year: number; fileName: string; bytes: Uint8Array; expectedRevision?: number },
): Promise<ServiceResult<UploadOutcome>> {
  if (!roleMay("upload", user.role)) return FORBIDDEN();
  const department = await departmentInScope(deps, user, p.departmentId);
  if (!department) return NOT_FOUND();
  const regionYear = await deps.store.getRegionYear(department.regionCode, p.year);
  if (!regionYear) return fail("invalid_input", `本地区没有 ${p.year} 年度的预算公开安排。`, `The region has no ${p.year} budget year set up.`);
  const existing = await deps.store.findBudget(department.id, p.year);
  if (existing) {
    const refused = refuseAction<UploadOutcome>("upload", user, existing);
    if (refused) return existing.state === "published" ? fail("wrong_state", "这份预算已公开；要更正，请先开始更正。", "This budget is published; start a correction first.") : refused;
    if (p.expectedRevision !== undefined && p.expectedRevision !== existing.revision) return CONFLICT();
  }
  const fileName = safeFileName(p.fileName);
  const read = await deps.readUpload(fileName, p.bytes);
  if (!read.ok) return fail("invalid_input", `${fileName} 不能读取，请按下列问题修改后重新上传。`, `${fileName} cannot be read; fix the problems below and upload it again.`, problemsOf(read.problems));
  const mismatch: NonNullable<ServiceError["problems"]>[number][] = [];
  if (read.budget.department.code !== department.code)
    mismatch.push({
      code: "platform.other_department",
      message: { zh: `文件的部门编码是 ${read.budget.department.code}，不是本部门的 ${department.code}`, en: `the file's department code is ${read.budget.department.code}, not this department's ${department.code}` },
      place: read.place("department.code"),
    });
  if (read.budget.department.year !== p.year)
    mismatch.push({
      code: "platform.other_year",
      message: { zh: `文件的预算年度是 ${read.budget.department.year}，不是 ${p.year}`, en: `the file's budget year is ${read.budget.department.year}, not ${p.year}` },
      place: read.place("department.year"),
    });
  if (read.budget.department.template !== regionYear.templateId)
    mismatch.push({
      code: "platform.other_template",
      message: {
        zh: `文件使用公开模板 ${read.budget.department.template}，而本地区 ${p.year} 年度使用 ${regionYear.templateId}`,
        en: `the file uses the template ${read.budget.department.template}; the region's ${p.year} template is ${regionYear.templateId}`,
      },
      place: read.place("department.template"),
    });
  if (mismatch.length > 0) return fail("invalid_input", `${fileName} 不是本部门这一年度的预算。`, `${fileName} is not this department's budget of this year.`, mismatch);
  const lastYear = await priorSource(deps, department, p.year);
  const built = buildDisclosure(deps.data, read.budget, lastYear ? { lastYear } : {});
  if (!built.ok) return fail("invalid_input", `${fileName} 不能生成公开文件。`, `${fileName} cannot be built.`, [refusalView(built.refusal, read.place)]);
  const findings = [
    ...built.result.findings.map((f) => findingView(f, read.place)),
    ...read.notes.map((n): FindingView => ({ code: n.code, severity: "note", message: { zh: inputMessage(n, "zh"), en: inputMessage(n, "en") }, field: n.field ?? null, place: problemsOf([n])[0]!.place })),
  ];
  const fields = draftFields(fileName, read.yaml, findings);
  const at = deps.now().toISOString();
  const after = { source: fileName, errors: fields.errorCount, warnings: fields.warningCount };
  const stored = existing
    ? await deps.store.updateDraft(existing.id, p.expectedRevision ?? existing.revision, fields, at, audit(user, "budget.upload", existing.id, summary(existing), after))
    : await deps.store.createBudget(department.id, p.year, fields, at, audit(user, "budget.create", `${department.code}/${p.year}`, null, after));
  if (!stored.ok) return guarded(stored);
  await deps.store.setUnits(
    department.id,
    read.budget.units.map((u) => ({ code: u.code, name: u.name, type: u.type })),
  );
  return { ok: true, value: { budget: stored.value, findings } };
}

async function move(
  deps: PlatformDeps,
  user: UserRow,
  action: WorkflowAction,
  p: { budgetId: number; expectedRevision: number },
  check: (b: BudgetRow) => ServiceResult<never> | null,
  set: { acknowledgement?: string | null; returnReason?: string | null },
): Promise<ServiceResult<BudgetRow>> {
  if (!roleMay(action, user.role)) return FORBIDDEN();
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget } = found;
  if (budget.revision !== p.expectedRevision) return CONFLICT();
  const refused = refuseAction<BudgetRow>(action, user, budget);
  if (refused) return refused;
  const bad = check(budget);
  if (bad) return bad;
  const rule = ruleFor(action, user.role, budget.state)!;
  const to = rule.to;
  if (to === "published") throw new Error("publish goes through publishBudget");
  const r = await deps.store.transition(budget.id, p.expectedRevision, rule.from, to, set, deps.now().toISOString(), audit(user, `budget.${action}`, budget.id, summary(budget), { state: to, ...set }));
  return guarded(r);
}

/**
 * The next year's draft, started from this budget: its units, projects, line items and targets as they are, its
 * one-year parts (the date, prior-year figures, reasons, carry-over) taken out; checked and stored as an upload is,
 * so its prior-year figures come from this year's published disclosure. Refused when the next year has a budget.
 */
export async function startNextYear(deps: PlatformDeps, user: UserRow, p: { budgetId: number }): Promise<ServiceResult<UploadOutcome>> {
  if (!roleMay("upload", user.role)) return FORBIDDEN();
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget, department } = found;
  const year = budget.year + 1;
  if (await deps.store.findBudget(department.id, year)) return fail("wrong_state", `${department.name}已有 ${year} 年的预算。`, `${department.name} already has a ${year} budget.`);
  const next = deps.nextYearYaml(budget.sourceYaml, budget.year);
  if (!next.ok) return fail("invalid_input", next.zh, next.en);
  return uploadBudget(deps, user, { departmentId: department.id, year, fileName: `${department.code}-${year}-from-${budget.year}.yaml`, bytes: new TextEncoder().encode(next.yaml) });
}

/** Submit a draft for the department's approval: no error finding, and the warnings acknowledged in writing. */
export function submitBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number; acknowledgement?: string }): Promise<ServiceResult<BudgetRow>> {
  const written = workflowText(p.acknowledgement, ACK_TEXT);
  if (!written.ok) return Promise.resolve(written.error);
  const ack = written.text;
  return move(
    deps,
    user,
    "submit",
    p,
    (b) => {
      if (b.errorCount > 0) return fail("has_errors", `检查发现 ${b.errorCount} 个错误，改正后才能提交。`, `The check found ${b.errorCount} error(s); fix them before submitting.`);
      if (b.warningCount > 0 && ack === "") return fail("needs_acknowledgement", `检查有 ${b.warningCount} 个警告：提交前请写明已阅及理由。`, `The check has ${b.warningCount} warning(s): acknowledge them in writing to submit.`);
      return null;
    },
    { acknowledgement: ack === "" ? null : ack, returnReason: null },
  );
}

export function approveBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number }): Promise<ServiceResult<BudgetRow>> {
  return move(deps, user, "approve", p, () => null, {});
}

/** Send back to draft, with the reason (the department approver from submitted, the finance reviewer from approved). */
export function returnBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number; reason: string }): Promise<ServiceResult<BudgetRow>> {
  const written = workflowText(p.reason, REASON_TEXT);
  if (!written.ok) return Promise.resolve(written.error);
  const reason = written.text;
  return move(deps, user, "return", p, () => (reason === "" ? fail("needs_reason", "退回时请写明理由。", "Say why it is sent back.") : null), { returnReason: reason });
}

/** Start a correction of a published budget: it becomes a draft again; its published versions stay as they are. */
export function startCorrection(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number }): Promise<ServiceResult<BudgetRow>> {
  return move(deps, user, "correct", p, () => null, { acknowledgement: null, returnReason: null });
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/** Rebuilds the stored draft as it would publish (with last year's published figures). */
async function rebuild(deps: PlatformDeps, budget: BudgetRow, department: DepartmentRow) {
  const read = await deps.readUpload("budget.yaml", new TextEncoder().encode(budget.sourceYaml));
  if (!read.ok) return fail<never>("invalid_input", "存储的预算不能读取。", "The stored budget cannot be read.", problemsOf(read.problems));
  const lastYear = await priorSource(deps, department, budget.year);
  const built = buildDisclosure(deps.data, read.budget, lastYear ? { lastYear } : {});
  if (!built.ok) return fail<never>("invalid_input", "不能生成公开文件。", "The disclosure cannot be built.", [refusalView(built.refusal, read.place)]);
  return { ok: true as const, value: built.result };
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

export function mediaTypeOf(path: string): string {
  return MEDIA_TYPES[path.slice(path.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream";
}

/**
 * Publish an approved budget: rebuild it, render every file of `build` once, and store them with the version in
 * one transaction. A correction (version 2 on) needs the reviewer's reason and must change something; its change
 * log is the difference of what readers see in the two versions.
 */
export async function publishBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number; reason?: string }): Promise<ServiceResult<VersionRow>> {
  if (!roleMay("publish", user.role)) return FORBIDDEN();
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget, department } = found;
  if (budget.revision !== p.expectedRevision) return CONFLICT();
  const refused = refuseAction<VersionRow>("publish", user, budget);
  if (refused) return refused;
  const written = workflowText(p.reason, REASON_TEXT);
  if (!written.ok) return written.error;
  const reason = written.text;
  if (budget.publishedCount > 0 && reason === "") return fail("needs_reason", "更正发布时请写明更正理由（将随更正说明公开）。", "A correction needs its reason (published with the change log).");
  const built = await rebuild(deps, budget, department);
  if (!built.ok) return built;
  const result = built.value;
  if (result.findings.some((f) => f.severity === "error")) return fail("has_errors", "检查发现错误，不能公开。", "The check finds errors; it cannot be published.");
  const files = await deps.renderAll(result, result.findings);
  const json = files.find((f) => f.path === "disclosure.json");
  if (!json) throw new Error("renderAll wrote no disclosure.json");
  // what the public search finds of this version, from the very file it publishes (public names only)
  const search = searchEntriesOf(json.content);
  if (!search.ok) throw new Error(`the disclosure.json just rendered cannot be indexed: ${search.reason}`);
  const id = sha256(json.content);
  const snapshot = changeSnapshot(result.disclosure, result.narrative, result.template.data.performance_tables);
  let log: ChangeLog | null = null;
  if (budget.publishedCount > 0) {
    const prev = await deps.store.getVersion(budget.id, budget.publishedCount);
    if (!prev) throw new Error(`budget ${budget.id}: version ${budget.publishedCount} missing`);
    if (prev.id === id) return fail("unchanged", "与已公开的版本完全相同，无需更正。", "Identical to the published version: nothing to correct.");
    const previous = await deps.store.readChangeLog(prev.id);
    const before = previous === null ? null : (JSON.parse(previous) as StoredChangeLog).snapshot;
    if (before) log = changeLog(before, snapshot, { from: prev.number, to: prev.number + 1, reason });
  }
  const stored: StoredChangeLog = { snapshot, log };
  const at = deps.now().toISOString();
  const r = await deps.store.publishVersion(
    {
      budgetId: budget.id,
      expectedRevision: p.expectedRevision,
      id,
      reason: budget.publishedCount > 0 ? reason : null,
      changeLogJson: JSON.stringify(stored),
      files: files.map((f) => ({ path: f.path, mediaType: mediaTypeOf(f.path), bytes: typeof f.content === "string" ? new TextEncoder().encode(f.content) : f.content })),
      searchEntries: search.entries,
    },
    at,
    user.id,
    audit(user, "budget.publish", budget.id, summary(budget), { state: "published", version: budget.publishedCount + 1, id, reason: reason || null }),
  );
  // a concurrent publish of the same content stored this very version: the other reviewer won
  if (!r.ok && r.reason === "duplicate") return CONFLICT();
  return guarded(r);
}

/** The page exactly as it would publish, from the stored draft (rendered, not stored). */
export async function previewBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number }): Promise<ServiceResult<{ html: string }>> {
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const built = await rebuild(deps, found.budget, found.department);
  if (!built.ok) return built;
  const files = await deps.renderAll(built.value, built.value.findings, ["html"]);
  const page = files.find((f) => f.path === "index.html");
  if (!page) throw new Error("renderAll wrote no index.html");
  return { ok: true, value: { html: typeof page.content === "string" ? page.content : new TextDecoder().decode(page.content) } };
}

/** The departments whose workspace the user reaches. */
export async function listWorkspaceDepartments(deps: PlatformDeps, user: UserRow): Promise<DepartmentRow[]> {
  if (user.role === "preparer" || user.role === "dept_approver") {
    const d = user.departmentId === null ? null : await deps.store.getDepartment(user.departmentId);
    return d ? [d] : [];
  }
  const top = user.role === "admin" ? await deps.store.listRegions(null) : user.regionCode === null ? [] : [await deps.store.getRegion(user.regionCode)];
  const out: DepartmentRow[] = [];
  const walk = async (code: string) => {
    out.push(...(await deps.store.listDepartments(code)));
    for (const r of await deps.store.listRegions(code)) await walk(r.code);
  };
  for (const r of top) if (r) await walk(r.code);
  return out;
}

export interface WorkspaceBudget {
  readonly budget: BudgetRow;
  readonly department: DepartmentRow;
  readonly findings: FindingView[];
  readonly versions: { readonly version: VersionRow; readonly files: StoredFile[] }[];
  readonly actions: WorkflowAction[];
  readonly clock: ClockStatus;
  /** the next year, when the user may start its draft from this budget (the region has the year; no budget yet) */
  readonly nextYear: number | null;
}

export async function listWorkspaceBudgets(deps: PlatformDeps, user: UserRow, p: { year?: number } = {}): Promise<{ department: DepartmentRow; budgets: BudgetSummary[] }[]> {
  const out: { department: DepartmentRow; budgets: BudgetSummary[] }[] = [];
  for (const department of await listWorkspaceDepartments(deps, user))
    out.push({ department, budgets: await deps.store.listBudgets(p.year === undefined ? { departmentId: department.id } : { departmentId: department.id, year: p.year }) });
  return out;
}

export async function getWorkspaceBudget(deps: PlatformDeps, user: UserRow, p: { budgetId: number }): Promise<ServiceResult<WorkspaceBudget>> {
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget, department } = found;
  const versions = await deps.store.listVersions(budget.id);
  const withFiles = await Promise.all(versions.map(async (version) => ({ version, files: await deps.store.listVersionFiles(version.id) })));
  const regionYear = await deps.store.getRegionYear(department.regionCode, budget.year);
  const first = versions.find((v) => v.number === 1);
  const next = budget.year + 1;
  const mayStartNext = roleMay("upload", user.role) && (await deps.store.getRegionYear(department.regionCode, next)) !== null && (await deps.store.findBudget(department.id, next)) === null;
  return {
    ok: true,
    value: {
      budget,
      department,
      findings: JSON.parse(budget.findingsJson) as FindingView[],
      versions: withFiles,
      actions: availableActions(user, budget.state),
      nextYear: mayStartNext ? next : null,
      clock: clockStatus(regionYear?.approvalDate ?? null, first ? new Date(first.publishedAt) : null, deps.now()),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The editor: the draft's line items, saved as patches on stable line ids, checked after every save

/** A finding as the editor shows it: the workspace's view, and the line (by its stable id) and field it is at. */
export interface EditorFindingView extends FindingView {
  readonly line: string | null;
  readonly lineField: LineField | null;
}

export interface DraftForEditor {
  readonly budget: BudgetRow;
  readonly department: DepartmentRow;
  readonly lines: DraftLine[];
  readonly findings: EditorFindingView[];
  /** the draft as the schema reads it (null while it has input problems): its units and projects for the lists */
  readonly parsed: Budget | null;
  readonly catalog: Catalog | null;
  /** the user may edit it now (a preparer or admin, and the budget a draft) */
  readonly editable: boolean;
  /** the user may submit it (the draft's workflow action for their role): the editor offers it, the server decides */
  readonly maySubmit: boolean;
}

export interface DraftSaved extends DraftForEditor {
  readonly conflicts: DraftConflict[];
  readonly applied: number;
}

/** the draft's lines with the stable ids the editor needs (lines without one get one, written back on the next save) */
function draftLinesOf(deps: PlatformDeps, budget: BudgetRow): ServiceResult<DraftLine[]> {
  const r = deps.draftLines.read(budget.sourceYaml);
  return r.ok ? { ok: true, value: r.lines } : fail("invalid_input", `存储的预算不能读取：${r.problem.zh}`, `The stored budget cannot be read: ${r.problem.en}`);
}

/** findings at their line: `lines[12].amount` is the line with the 13th line's id */
function atLines(findings: readonly FindingView[], lines: readonly DraftLine[]): EditorFindingView[] {
  return findings.map((f) => {
    const at = f.field === null ? null : findingLine(f.field, lines);
    return { ...f, line: at?.line ?? null, lineField: at?.field ?? null };
  });
}

/**
 * Checks a draft's YAML as an upload is checked (the same readers, rules and last year), but keeps what cannot be
 * read: an editor's draft may be half-typed, and its input problems are then its error findings.
 */
async function checkDraftYaml(deps: PlatformDeps, department: DepartmentRow, year: number, yaml: string): Promise<{ findings: FindingView[]; parsed: Budget | null }> {
  const read = await deps.readUpload("budget.yaml", new TextEncoder().encode(yaml));
  if (!read.ok)
    return {
      parsed: null,
      findings: read.problems.slice(0, 500).map((p): FindingView => ({ code: p.code, severity: "error", message: { zh: inputMessage(p, "zh"), en: inputMessage(p, "en") }, field: p.field ?? null, place: problemsOf([p])[0]!.place })),
    };
  const lastYear = await priorSource(deps, department, year);
  const built = buildDisclosure(deps.data, read.budget, lastYear ? { lastYear } : {});
  if (!built.ok) {
    const v = refusalView(built.refusal, read.place);
    return { parsed: read.budget, findings: [{ code: v.code, severity: "error", message: v.message, field: built.refusal.field, place: v.place }] };
  }
  return {
    parsed: read.budget,
    findings: [
      ...built.result.findings.map((f) => findingView(f, read.place)),
      ...read.notes.map((n): FindingView => ({ code: n.code, severity: "note", message: { zh: inputMessage(n, "zh"), en: inputMessage(n, "en") }, field: n.field ?? null, place: problemsOf([n])[0]!.place })),
    ],
  };
}

/** A figure compared with last year, its reason beside it (the editor's 上年数与原因). */
export interface ReasonRow {
  readonly id: string;
  /** the figure's name in the narrative, with its code when it is a class or item (2101101 行政单位医疗（项）) */
  readonly name: string;
  readonly current: bigint;
  readonly prior: bigint | null;
  readonly reason: string | null;
  /** the findings about its reason (missing, or naming the wrong direction) */
  readonly findings: FindingView[];
}

export interface ReasonsForEditor {
  readonly budget: BudgetRow;
  readonly department: DepartmentRow;
  readonly rows: ReasonRow[];
  /** how the tables print amounts (万元, two decimals) */
  readonly unit: BuildResult["disclosure"]["template"]["printUnit"];
  readonly editable: boolean;
}

/** at most this many characters in a reason (the budget's schema) */
export const MAX_FIGURE_REASON_CHARS = 4000;
const FIGURE_ID = /^[a-z_]+(\.[a-z0-9_]+)*$/;

/**
 * Every figure the disclosure compares with last year (and any with a reason already), with this year's and last
 * year's amounts and its reason: the rows of the editor's 上年数与原因 tab. The draft must build (its line items
 * readable); last year's figures are its published disclosure's, as everywhere.
 */
export async function readReasons(deps: PlatformDeps, user: UserRow, p: { budgetId: number }): Promise<ServiceResult<ReasonsForEditor>> {
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget, department } = found;
  const built = await rebuild(deps, budget, department);
  if (!built.ok) return built;
  const r = built.value;
  const name = figureNamer(r.template, r.catalog);
  const findings = JSON.parse(budget.findingsJson) as FindingView[];
  const rows = [...r.disclosure.figures]
    .filter(([id, f]) => isComparedFigure(r.template.data, id) && (f.prior !== null || r.budget.reasons[id] !== undefined))
    .map(([id, f]): ReasonRow => {
      const field = formatFieldPath(["reasons", id]);
      return { id, name: name(id), current: f.current, prior: f.prior, reason: r.budget.reasons[id] ?? null, findings: findings.filter((x) => x.field === field) };
    });
  return { ok: true, value: { budget, department, rows, unit: r.disclosure.template.printUnit, editable: refuseAction("upload", user, budget) === null && budget.state === "draft" } };
}

/**
 * Saves the reasons typed in the editor (an empty one is taken out) at the revision the form was made from; the
 * draft is then checked and stored as any save is, the audit log naming the figures whose reason changed.
 */
export async function saveReasons(deps: PlatformDeps, user: UserRow, p: { budgetId: number; expectedRevision: number; reasons: Readonly<Record<string, string>> }): Promise<ServiceResult<BudgetRow>> {
  if (!roleMay("upload", user.role)) return FORBIDDEN();
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget, department } = found;
  const refused = refuseAction<BudgetRow>("upload", user, budget);
  if (refused) return refused;
  if (budget.state !== "draft") return fail("wrong_state", "这份预算已提交，不能修改。", "This budget is submitted; it cannot be edited.");
  if (budget.revision !== p.expectedRevision) return CONFLICT();
  const now = await readReasons(deps, user, { budgetId: budget.id });
  if (!now.ok) return now;
  const known = new Map(now.value.rows.map((r) => [r.id, r]));
  const changes: Record<string, string | null> = {};
  for (const [id, typed] of Object.entries(p.reasons)) {
    const row = known.get(id);
    if (!FIGURE_ID.test(id) || !row) return fail("invalid_input", `没有需要说明原因的数字 ${id.slice(0, 60)}。`, `No figure ${id.slice(0, 60)} takes a reason.`);
    const text = [...typed.replace(/\r\n?/g, "\n").trim()];
    if (text.length > MAX_FIGURE_REASON_CHARS) return fail("invalid_input", `“${row.name}”的原因超过 ${MAX_FIGURE_REASON_CHARS} 个字。`, `The reason for ${row.name} is longer than ${MAX_FIGURE_REASON_CHARS} characters.`);
    const bad = refusedTextChar(text.join(""));
    if (bad) return refusedChar(bad, { zh: `“${row.name}”的原因`, en: `reason for ${row.name}` });
    const value = text.length === 0 ? null : text.join("");
    if (value !== row.reason) changes[id] = value;
  }
  if (Object.keys(changes).length === 0) return { ok: true, value: budget };
  const yaml = deps.writeReasons(budget.sourceYaml, changes);
  const checked = await checkDraftYaml(deps, department, budget.year, yaml);
  const fields = draftFields(budget.sourceName, yaml, checked.findings);
  const after = { source: "editor.reasons", reasons: Object.keys(changes), errors: fields.errorCount, warnings: fields.warningCount };
  return guarded(await deps.store.updateDraft(budget.id, budget.revision, fields, deps.now().toISOString(), audit(user, "budget.edit", budget.id, summary(budget), after)));
}

/** The draft as the editor opens it: its lines with ids, its findings at their lines, and whether it may be edited. */
export async function readDraftForEditor(deps: PlatformDeps, user: UserRow, p: { budgetId: number }): Promise<ServiceResult<DraftForEditor>> {
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget, department } = found;
  const lines = draftLinesOf(deps, budget);
  if (!lines.ok) return lines;
  const read = await deps.readUpload("budget.yaml", new TextEncoder().encode(budget.sourceYaml));
  const parsed = read.ok ? read.budget : null;
  return {
    ok: true,
    value: {
      budget,
      department,
      lines: lines.value,
      findings: atLines(JSON.parse(budget.findingsJson) as FindingView[], lines.value),
      parsed,
      catalog: deps.data.catalog(budget.year),
      editable: refuseAction("upload", user, budget) === null && budget.state === "draft",
      maySubmit: availableActions(user, budget.state).includes("submit"),
    },
  };
}

/**
 * Saves the editor's changes to the draft: the operations apply field by field to the draft as it is now (not as
 * the editor last saw it), so two people editing different rows both keep their work; an operation on a field
 * someone else changed since (or on a line they deleted) is not applied and comes back as a conflict, with the
 * other person's value. The draft is then checked as an upload is, and stored with its findings; the audit log
 * records the operations. `expectedRevision` is the revision the editor last saw: it names what "since" means in
 * the audit entry; the store write itself is guarded by the revision read here (a concurrent save is retried).
 */
export async function saveDraftLines(
  deps: PlatformDeps,
  user: UserRow,
  p: { budgetId: number; expectedRevision: number; ops: readonly DraftOp[] },
): Promise<ServiceResult<DraftSaved>> {
  if (!roleMay("upload", user.role)) return FORBIDDEN();
  if (p.ops.length > MAX_DRAFT_OPS) return fail("invalid_input", `一次保存最多 ${MAX_DRAFT_OPS} 项修改。`, `At most ${MAX_DRAFT_OPS} changes in one save.`);
  for (let attempt = 0; ; attempt++) {
    const found = await budgetInScope(deps, user, p.budgetId);
    if (!found) return NOT_FOUND();
    const { budget, department } = found;
    const refused = refuseAction<DraftSaved>("upload", user, budget);
    if (refused) return refused;
    if (budget.state !== "draft") return fail("wrong_state", "这份预算已提交，不能修改。", "This budget is submitted; it cannot be edited.");
    const before = draftLinesOf(deps, budget);
    if (!before.ok) return before;
    const applied = applyDraftOps(before.value, p.ops);
    const yaml = deps.draftLines.write(budget.sourceYaml, applied.lines);
    const checked = await checkDraftYaml(deps, department, budget.year, yaml);
    const fields = draftFields(budget.sourceName, yaml, checked.findings);
    const changes = p.ops.slice(0, 200).map((o) => (o.op === "set" ? { op: o.op, line: o.line, field: o.field, from: o.from, to: o.to } : { op: o.op, line: o.line }));
    const after = { source: "editor", fromRevision: p.expectedRevision, ops: p.ops.length, applied: applied.applied, conflicts: applied.conflicts.length, errors: fields.errorCount, warnings: fields.warningCount, changes };
    const stored = await deps.store.updateDraft(budget.id, budget.revision, fields, deps.now().toISOString(), audit(user, "budget.edit", budget.id, summary(budget), after));
    if (!stored.ok && stored.reason === "conflict" && attempt < 4) continue;
    if (!stored.ok) return guarded(stored);
    return {
      ok: true,
      value: {
        budget: stored.value,
        department,
        lines: applied.lines,
        findings: atLines(checked.findings, applied.lines),
        parsed: checked.parsed,
        catalog: deps.data.catalog(budget.year),
        editable: true,
        maySubmit: availableActions(user, stored.value.state).includes("submit"),
        conflicts: applied.conflicts,
        applied: applied.applied,
      },
    };
  }
}

/**
 * The draft as the input workbook (`gongkai workbook --from` of it), to edit in Excel or WPS and upload again; a
 * draft with input problems cannot fill one (its YAML is then the download).
 */
export async function draftWorkbook(deps: PlatformDeps, user: UserRow, p: { budgetId: number }): Promise<ServiceResult<{ bytes: Uint8Array; fileName: string }>> {
  const found = await budgetInScope(deps, user, p.budgetId);
  if (!found) return NOT_FOUND();
  const { budget, department } = found;
  const read = await deps.readUpload("budget.yaml", new TextEncoder().encode(budget.sourceYaml));
  if (!read.ok)
    return fail("invalid_input", "草稿有输入问题，不能填入工作簿；请先在编辑器中改正，或下载 YAML。", "The draft has input problems and cannot fill a workbook: fix them in the editor first, or download the YAML.", problemsOf(read.problems));
  const bytes = await deps.renderWorkbook(workbookContentOf(deps.data, read.budget, budget.sourceName));
  return { ok: true, value: { bytes, fileName: `${department.code}-${budget.year}-r${budget.revision}-填报.xlsx` } };
}
