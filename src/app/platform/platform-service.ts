/**
 * The platform's use cases: upload a budget, move it through the workflow, publish it (and correct it), read what
 * an actor may read. Pages and the API both call these; each checks the actor's role and scope itself, on the
 * server, before it looks anything up that the actor may not see.
 *
 * (Types first, written as the contract the web adapter codes against; the functions follow below.)
 */
import type { OutputFile } from "../command-registry.ts";
import type { BuildResult, ProjectData } from "../build-disclosure.ts";
import type { Budget } from "../../domain/budget-schema.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import type { InputProblem } from "../../domain/input-problem.ts";
import type { BudgetRow, PlatformStore, UserRow, VersionRow } from "./platform-store.ts";

export interface PlatformDeps {
  readonly store: PlatformStore;
  readonly data: ProjectData;
  /** reads an uploaded budget (YAML or input workbook, recognised by its bytes) with the same readers as the CLI */
  readUpload(fileName: string, bytes: Uint8Array): Promise<UploadRead>;
  /** renders every file of `build` (page, PDF, Word, workbook, CSV, JSON, data package) */
  renderAll(result: BuildResult, findings: readonly Finding[]): Promise<OutputFile[]>;
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
