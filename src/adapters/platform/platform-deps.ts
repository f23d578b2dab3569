/**
 * The platform's ports wired to the CLI's own readers and renderers, so that an upload is read and checked exactly
 * as `gongkai check` reads and checks a file, and a published version's files are exactly those of `gongkai build`.
 */
import type { PlatformDeps, UploadRead } from "../../app/platform/platform-service.ts";
import type { PlatformStore } from "../../app/platform/platform-store.ts";
import { parseDisclosureFigures } from "../ingest/last-year-reader.ts";
import { projectData } from "../ingest/project-data.ts";
import { readWorkbookBytes, sniffWorkbook } from "../ingest/xlsx-budget-reader.ts";
import { workbookYaml } from "../ingest/xlsx-import.ts";
import { readBudgetBytes } from "../ingest/yaml-budget-reader.ts";
import { readDraftLines, writeDraftLines } from "../ingest/yaml-draft.ts";
import { nextYearYaml } from "../ingest/yaml-next-year.ts";
import { writeReasons } from "../ingest/yaml-reasons.ts";
import { renderBuild } from "../render/build-outputs.ts";

const WORKBOOK_EXTENSION = /\.(xlsx|xlsm|xltx|xls|et|ods)$/i;

/** `budget.yaml:12:5` or `填报.xlsx:明细!C28`: a place in the uploaded file, as the CLI prints it. */
function placeText(file: string, at: { line: number; column: number } | { cell: string } | null): string | null {
  if (!at) return null;
  return "cell" in at ? `${file}:${at.cell}` : `${file}:${at.line}:${at.column}`;
}

/** Reads an upload: a workbook by its first bytes or its extension (whatever the other says), else YAML. */
export async function readUpload(fileName: string, bytes: Uint8Array): Promise<UploadRead> {
  if (sniffWorkbook(bytes.subarray(0, 8)) !== null || WORKBOOK_EXTENSION.test(fileName)) {
    const w = readWorkbookBytes(bytes, fileName);
    if (!w.ok) return w;
    return { ok: true, budget: w.budget, yaml: workbookYaml(w, fileName), notes: w.notes, place: (f) => placeText(fileName, w.locate(f)) };
  }
  const r = readBudgetBytes(bytes, fileName);
  if (!r.ok) return r;
  return { ok: true, budget: r.budget, yaml: new TextDecoder().decode(bytes), notes: r.notes, place: (f) => placeText(fileName, r.locate(f)) };
}

export function createPlatformDeps(store: PlatformStore, opts: { now?: () => Date } = {}): PlatformDeps {
  return {
    store,
    data: projectData,
    readUpload,
    renderAll: (result, findings, formats) => renderBuild(result, findings, formats),
    readDisclosureFigures: parseDisclosureFigures,
    draftLines: { read: readDraftLines, write: writeDraftLines },
    nextYearYaml,
    writeReasons,
    // ExcelJS loads only when a workbook is asked for (as in the CLI)
    renderWorkbook: async (content) => (await import("../render/input-workbook-writer.ts")).renderInputWorkbook(content),
    now: opts.now ?? (() => new Date()),
  };
}
