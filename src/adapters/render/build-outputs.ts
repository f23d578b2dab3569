/**
 * The files of a build: tables/*.csv (UTF-8 with BOM, the layout of the reference's expected/), findings.json
 * and disclosure.json. Later formats (HTML, PDF, XLSX) join here.
 */
import type { OutputFile } from "../../app/command-registry.ts";
import type { BuildResult } from "../../app/build-disclosure.ts";
import { writeCsv } from "../../domain/csv-format.ts";
import { performanceRows, performanceTexts, tableTexts } from "../../domain/disclosure-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import { disclosureToJson, findingsToJson } from "./disclosure-json.ts";

const BOM = "\uFEFF";

export function csvFile(path: string, rows: readonly (readonly string[])[]): OutputFile {
  return { path, content: BOM + writeCsv(rows) };
}

export function jsonFile(path: string, value: unknown): OutputFile {
  return { path, content: JSON.stringify(value, null, 2) + "\n" };
}

export function renderBuild(result: BuildResult, findings: readonly Finding[]): OutputFile[] {
  const d = result.disclosure;
  const unit = d.template.printUnit;
  const files: OutputFile[] = d.tables.map((t) => csvFile(`tables/${t.id}.csv`, tableTexts(t, unit)));
  for (const pt of result.template.data.performance_tables) {
    files.push(csvFile(`tables/${pt.id}.csv`, performanceTexts(pt.columns, performanceRows(d, pt.source))));
  }
  files.push(jsonFile("findings.json", findingsToJson(findings)));
  files.push(jsonFile("disclosure.json", disclosureToJson(d, findings)));
  return files;
}
