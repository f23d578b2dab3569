/**
 * What the editor page hands its grid (the JSON block `#editor-data`) and what a save answers: one set of types for
 * the server (editor-routes.tsx) and the browser (src/adapters/browser/editor.ts).
 */
import type { DraftConflict, DraftLine, LineField } from "../../domain/draft-patch.ts";

export interface EditorColumn {
  readonly key: LineField;
  /** the input workbook's header of the column (明细), and its English name */
  readonly header: string;
  readonly headerEn: string;
  readonly help: { readonly zh: string; readonly en: string };
}

export interface EditorChoice {
  readonly id: string;
  readonly label: string;
  readonly aliases: readonly string[];
}

export interface EditorCode {
  readonly code: string;
  readonly name: string;
}

/** A finding as the editor shows it: at its line and field when it has one. */
export interface EditorFinding {
  readonly code: string;
  readonly severity: "error" | "warning" | "note";
  readonly message: { readonly zh: string; readonly en: string };
  readonly line: string | null;
  readonly field: LineField | null;
  /** where else it points (a figure, a project, a table cell) */
  readonly place: string | null;
}

export interface EditorData {
  readonly budgetId: number;
  readonly revision: number;
  readonly csrf: string;
  readonly lang: "zh" | "en";
  /** a submitted (or approved, published) draft is locked */
  readonly editable: boolean;
  readonly saveUrl: string;
  readonly lines: readonly DraftLine[];
  readonly columns: readonly EditorColumn[];
  readonly options: {
    readonly units: readonly EditorCode[];
    readonly projects: readonly EditorCode[];
    readonly func: readonly EditorCode[];
    readonly econ: readonly EditorCode[];
    readonly funds: readonly EditorChoice[];
    readonly kinds: readonly EditorChoice[];
  };
  readonly findings: readonly EditorFinding[];
}

/** A change that was not applied (draft-patch.ts), with the row (1-based) its line is at in the draft as it now is. */
export type EditorConflict = DraftConflict & { readonly row: number | null };

export interface EditorSaveReply {
  readonly revision: number;
  /** every line of the draft after the save */
  readonly lines: readonly DraftLine[];
  readonly findings: readonly EditorFinding[];
  readonly conflicts: readonly EditorConflict[];
  readonly applied: number;
}
