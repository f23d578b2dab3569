/**
 * The platform's store port: what the use cases (src/app/platform/) need of a database. Implemented once with Kysely
 * in src/adapters/store/ over SQLite (embedded default), PostgreSQL (DATABASE_URL) and PGlite (tests); the same
 * contract suite runs on all three. Every write that must be atomic is one method here (one transaction inside), so
 * that a process killed at any point leaves either the old or the new state.
 *
 * Times are ISO 8601 UTC strings (`2024-03-01T08:00:00.000Z`); dates of the region's calendar (批复日期) are
 * `YYYY-MM-DD` in Asia/Shanghai. Budgets are stored as their canonical YAML text and published versions as their
 * files; the only amounts here are the search entries', bigint 分 (a 64-bit integer column).
 */

export type Role = "preparer" | "dept_approver" | "finance_reviewer" | "admin";
export const ROLES: readonly Role[] = ["preparer", "dept_approver", "finance_reviewer", "admin"];

/** draft → submitted → approved → published; a correction is a draft (or later state) of a budget with published versions. */
export type BudgetState = "draft" | "submitted" | "approved" | "published";

export interface RegionRow {
  /** 财政区划编码, e.g. `652300` */
  readonly code: string;
  readonly parentCode: string | null;
  readonly name: string;
}

export interface RegionYearRow {
  readonly regionCode: string;
  readonly year: number;
  readonly templateId: string;
  /** the folder name under data/catalogs/ or an official catalog loaded for the year */
  readonly catalogOfficial: boolean;
  /** 批复日期, YYYY-MM-DD (Asia/Shanghai); null until the budget is approved */
  readonly approvalDate: string | null;
}

export interface DepartmentRow {
  readonly id: number;
  readonly regionCode: string;
  /** the department's code (its budget's `department.code`), unique within its region; used in URLs */
  readonly code: string;
  readonly name: string;
}

export interface UnitRow {
  readonly departmentId: number;
  readonly code: string;
  readonly name: string;
  readonly type: string;
}

export interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** preparer and dept_approver: their department */
  readonly departmentId: number | null;
  /** finance_reviewer: their region (and every region under it) */
  readonly regionCode: string | null;
  readonly passwordHash: string;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly departmentId: number | null;
  readonly regionCode: string | null;
  readonly passwordHash: string;
}

export interface SessionRow {
  /** sha-256 hex of the cookie's token: the token itself is never stored */
  readonly tokenHash: string;
  readonly userId: number;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ApiTokenRow {
  readonly id: number;
  readonly name: string;
  /** the user whose rights the token carries */
  readonly userId: number;
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly createdBy: number;
  readonly revokedAt: string | null;
}

export interface BudgetRow {
  readonly id: number;
  readonly departmentId: number;
  readonly year: number;
  readonly state: BudgetState;
  /** bumped by every change; a form or request carries the revision it was made from (optimistic concurrency) */
  readonly revision: number;
  /** the uploaded file's name, for messages (`budget.yaml`, `填报.xlsx`) */
  readonly sourceName: string;
  /** the budget as canonical YAML (an uploaded workbook is stored as the YAML `gongkai import` writes) */
  readonly sourceYaml: string;
  /** the findings of the last check of the draft, as findings.json */
  readonly findingsJson: string;
  readonly errorCount: number;
  readonly warningCount: number;
  /** the preparer's written acknowledgement of the warnings, given on submit */
  readonly acknowledgement: string | null;
  /** why it was sent back to draft, the last time it was */
  readonly returnReason: string | null;
  /** number of published versions (0 before the first publish) */
  readonly publishedCount: number;
  readonly updatedAt: string;
  readonly updatedBy: number | null;
}

/** A budget as a listing shows it: all but its YAML and its findings, which are tens of kilobytes each. */
export type BudgetSummary = Omit<BudgetRow, "sourceYaml" | "findingsJson">;

export interface VersionRow {
  /** sha-256 hex of the version's canonical disclosure.json */
  readonly id: string;
  readonly budgetId: number;
  /** 1, 2, … */
  readonly number: number;
  readonly publishedAt: string;
  readonly publishedBy: number | null;
  /** the reviewer's reason for a correction (null for version 1) */
  readonly reason: string | null;
  /** whether the version has a stored change log (`readChangeLog`); a listing carries no more, since it is large */
  readonly hasChangeLog: boolean;
}

/** A budget's workflow state with the dates of its published versions: what a publication status list needs. */
export interface PublicationDateRow {
  readonly departmentId: number;
  readonly budgetId: number;
  readonly state: BudgetState;
  readonly publishedCount: number;
  /** the published versions' numbers and instants, by number; empty when never published */
  readonly versions: readonly { readonly number: number; readonly publishedAt: string }[];
}

export interface StoredFile {
  readonly path: string;
  readonly mediaType: string;
  readonly sha256: string;
  readonly size: number;
}

export interface FileToStore {
  readonly path: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

export interface AuditEntry {
  readonly userId: number | null;
  /** e.g. `budget.upload`, `budget.submit`, `budget.publish`, `user.create`, `token.revoke` */
  readonly action: string;
  /** e.g. `budget`, `user`, `region`, `token` */
  readonly entity: string;
  readonly entityId: string;
  /** JSON of the changed fields before and after (null when created or deleted) */
  readonly before: string | null;
  readonly after: string | null;
}

export interface AuditRow extends AuditEntry {
  readonly id: number;
  readonly at: string;
}

/** The result of a write that checks the revision it was made from. */
export type Guarded<T> = { ok: true; value: T } | { ok: false; reason: "conflict" | "not_found" | "duplicate" };

/** What the public search finds, in the order its groups are shown. */
export type SearchKind = "department" | "unit" | "project" | "function" | "economic";
export const SEARCH_KINDS: readonly SearchKind[] = ["department", "unit", "project", "function", "economic"];

/** One searchable thing of a published version (computed from its disclosure.json: public names only). */
export interface SearchEntry {
  readonly kind: SearchKind;
  /** the department's, unit's, project's (empty for a classified project) or function / economic code */
  readonly code: string;
  readonly name: string;
  /** the figure id the amount is of (`func.2010301`, `econ_operating.30217`, `exp.all.total`), null for a unit or project */
  readonly figure: string | null;
  /** 分; null where the disclosure gives none (a unit) */
  readonly amountFen: bigint | null;
  /** the entry's tokens, joined by single spaces (src/domain/search-terms.ts) */
  readonly tokens: string;
}

/** One term of a search (see src/domain/search-terms.ts): a token, or a token's beginning when `prefix`. */
export interface SearchTermInput {
  readonly text: string;
  readonly prefix: boolean;
}

export interface SearchFilter {
  /** only the departments of this region and of every region under it */
  readonly regionCode?: string;
  readonly year?: number;
}

export interface SearchHit {
  readonly kind: SearchKind;
  readonly code: string;
  readonly name: string;
  readonly figure: string | null;
  readonly amountFen: bigint | null;
  readonly regionCode: string;
  readonly regionName: string;
  readonly departmentCode: string;
  readonly departmentName: string;
  readonly year: number;
  readonly versionId: string;
  readonly versionNumber: number;
}

/** The hits of one kind: how many match in all, and the first `limit` of them (newest year first, then by region, department and the disclosure's order). */
export interface SearchGroup {
  readonly kind: SearchKind;
  readonly total: number;
  readonly hits: readonly SearchHit[];
}

export interface BudgetDraftFields {
  readonly sourceName: string;
  readonly sourceYaml: string;
  readonly findingsJson: string;
  readonly errorCount: number;
  readonly warningCount: number;
}

export interface PlatformStore {
  /** `sqlite`, `postgres` or `pglite` */
  readonly kind: "sqlite" | "postgres" | "pglite";
  /** runs the migrations not yet applied (recorded in the database); returns their names */
  migrate(): Promise<string[]>;
  close(): Promise<void>;

  // regions -------------------------------------------------------------------------------------------------------
  putRegion(region: RegionRow): Promise<void>;
  getRegion(code: string): Promise<RegionRow | null>;
  /** the regions directly under `parentCode` (the top level when null), by code */
  listRegions(parentCode: string | null): Promise<RegionRow[]>;
  /** the region and every region above it, nearest first */
  regionAncestors(code: string): Promise<RegionRow[]>;
  putRegionYear(row: RegionYearRow): Promise<void>;
  getRegionYear(regionCode: string, year: number): Promise<RegionYearRow | null>;
  /** the region's fiscal years, newest first */
  listRegionYears(regionCode: string): Promise<RegionYearRow[]>;

  // departments ---------------------------------------------------------------------------------------------------
  createDepartment(d: Omit<DepartmentRow, "id">): Promise<DepartmentRow>;
  getDepartment(id: number): Promise<DepartmentRow | null>;
  findDepartment(regionCode: string, code: string): Promise<DepartmentRow | null>;
  listDepartments(regionCode: string): Promise<DepartmentRow[]>;
  /** replaces the department's units (from its latest uploaded budget) */
  setUnits(departmentId: number, units: readonly Omit<UnitRow, "departmentId">[]): Promise<void>;
  listUnits(departmentId: number): Promise<UnitRow[]>;

  // people --------------------------------------------------------------------------------------------------------
  createUser(user: NewUser, audit: AuditEntry): Promise<Guarded<UserRow>>;
  getUser(id: number): Promise<UserRow | null>;
  findUser(username: string): Promise<UserRow | null>;
  listUsers(): Promise<UserRow[]>;
  setUserDisabled(id: number, disabled: boolean, audit: AuditEntry): Promise<void>;
  setPasswordHash(id: number, passwordHash: string, audit: AuditEntry): Promise<void>;

  createSession(s: SessionRow): Promise<void>;
  /** the session and its user, when not expired (at `now`) and the user is not disabled */
  getSession(tokenHash: string, now: string): Promise<{ session: SessionRow; user: UserRow } | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** sign-out everywhere */
  deleteSessionsOfUser(userId: number): Promise<number>;

  /** login rate limit: failures recorded per key (username, address) */
  recordLoginFailure(key: string, at: string): Promise<void>;
  countLoginFailures(key: string, since: string): Promise<number>;
  clearLoginFailures(key: string): Promise<void>;

  createApiToken(t: Omit<ApiTokenRow, "id" | "revokedAt">, audit: AuditEntry): Promise<ApiTokenRow>;
  /** a token not revoked, with its user (not disabled) */
  findApiToken(tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | null>;
  listApiTokens(): Promise<ApiTokenRow[]>;
  revokeApiToken(id: number, at: string, audit: AuditEntry): Promise<boolean>;

  // budgets -------------------------------------------------------------------------------------------------------
  getBudget(id: number): Promise<BudgetRow | null>;
  findBudget(departmentId: number, year: number): Promise<BudgetRow | null>;
  /** the budgets, without their YAML and findings (getBudget reads those) */
  listBudgets(filter: { departmentId?: number; regionCode?: string; year?: number; state?: BudgetState }): Promise<BudgetSummary[]>;
  /** every budget of the region's departments (not those below it) for the year, with its versions' dates, in one query */
  listPublicationDates(regionCode: string, year: number): Promise<PublicationDateRow[]>;
  /** a new draft (unique per department and year: `duplicate` when one exists) */
  createBudget(departmentId: number, year: number, fields: BudgetDraftFields, at: string, audit: AuditEntry): Promise<Guarded<BudgetRow>>;
  /** replaces the draft's content when it is at `expectedRevision` and in state draft */
  updateDraft(id: number, expectedRevision: number, fields: BudgetDraftFields, at: string, audit: AuditEntry): Promise<Guarded<BudgetRow>>;
  /**
   * moves the budget from one of `from` to `to` when it is at `expectedRevision` (not to `published`: see
   * publishVersion); `set` fields are written with it (acknowledgement, returnReason)
   */
  transition(
    id: number,
    expectedRevision: number,
    from: readonly BudgetState[],
    to: Exclude<BudgetState, "published">,
    set: { acknowledgement?: string | null; returnReason?: string | null },
    at: string,
    audit: AuditEntry,
  ): Promise<Guarded<BudgetRow>>;

  // versions ------------------------------------------------------------------------------------------------------
  /**
   * Publishes in one transaction: the files (each stored once, keyed by its sha-256), the version row (number =
   * publishedCount + 1) and its file list, the budget moved from `approved` to `published` at `expectedRevision`, and
   * the audit entry. `duplicate` when a version with this id exists already.
   */
  publishVersion(
    p: {
      budgetId: number;
      expectedRevision: number;
      id: string;
      reason: string | null;
      changeLogJson: string | null;
      files: readonly FileToStore[];
      /** the version's search entries: they replace the budget's (a correction's replace those of the version it corrects); none when omitted */
      searchEntries?: readonly SearchEntry[];
    },
    at: string,
    publishedBy: number | null,
    audit: AuditEntry,
  ): Promise<Guarded<VersionRow>>;
  listVersions(budgetId: number): Promise<VersionRow[]>;
  /**
   * a public page's lookup, in one query: the region, the department (by its code) and the published versions of
   * its budget of the year, by number; null when there is none
   */
  findPublishedVersions(regionCode: string, departmentCode: string, year: number): Promise<{ region: RegionRow; department: DepartmentRow; versions: VersionRow[] } | null>;
  /**
   * the version's stored change log (JSON, see StoredChangeLog in platform-service.ts: what readers saw of it — a
   * snapshot of hundreds of kilobytes — and its changes against the version before); null when it has none
   */
  readChangeLog(versionId: string): Promise<string | null>;
  getVersion(budgetId: number, number: number): Promise<VersionRow | null>;
  /** the latest published version of a department's budget of that year */
  currentVersion(departmentId: number, year: number): Promise<VersionRow | null>;
  /** the current (latest) published version of the year's budget of every department of the region (not those below it) that has one, by department code, in one query */
  listCurrentVersions(regionCode: string, year: number): Promise<{ department: DepartmentRow; version: VersionRow }[]>;
  listVersionFiles(versionId: string): Promise<StoredFile[]>;
  /** a stored file's bytes, by the version and its path */
  readVersionFile(versionId: string, path: string): Promise<{ file: StoredFile; bytes: Uint8Array } | null>;

  // search --------------------------------------------------------------------------------------------------------
  /**
   * The entries of the current versions matching every term, grouped by kind (every kind, in SEARCH_KINDS order,
   * with its total), at most `limitPerKind` hits each. No term: no hit. The terms are bound as quoted tokens, never
   * as SQL or as FTS5 / tsquery syntax.
   */
  search(terms: readonly SearchTermInput[], filter: SearchFilter, limitPerKind: number): Promise<SearchGroup[]>;
  /** current versions without search entries (made before search existed), by id after `afterId`, at most `limit` */
  listUnindexedVersions(afterId: string | null, limit: number): Promise<VersionRow[]>;
  /**
   * Replaces the budget's search entries by the version's, in one transaction, when the version is still its budget's
   * current one (false otherwise: a newer version has its own entries).
   */
  indexVersion(versionId: string, entries: readonly SearchEntry[]): Promise<boolean>;

  // audit log and settings ----------------------------------------------------------------------------------------
  listAudit(filter: { entity?: string; entityId?: string; userId?: number; limit?: number }): Promise<AuditRow[]>;
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
}
