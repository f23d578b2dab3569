/**
 * The files of a build, by output format: each format is a renderer from the build result to files. `gongkai
 * build --format csv,json,…` picks some; by default every format is written.
 */
import type { OutputFile } from "../../app/command-registry.ts";
import type { BuildResult } from "../../app/build-disclosure.ts";
import { writeCsv } from "../../domain/csv-format.ts";
import { performanceRows, performanceTexts, tableTexts } from "../../domain/disclosure-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import { disclosureToJson, findingsToJson } from "./disclosure-json.ts";

const BOM = "\uFEFF";
const NO_NARRATIVE = { title: "", parts: [], signature: [] };

export function csvFile(path: string, rows: readonly (readonly string[])[]): OutputFile {
  return { path, content: BOM + writeCsv(rows) };
}

export function jsonFile(path: string, value: unknown): OutputFile {
  return { path, content: JSON.stringify(value, null, 2) + "\n" };
}

type Renderer = (result: BuildResult, findings: readonly Finding[]) => OutputFile[] | Promise<OutputFile[]>;

/** tables/*.csv: UTF-8 with BOM, in the layout of the reference's expected/ tables. */
const csvTables: Renderer = (result) => {
  const d = result.disclosure;
  const unit = d.template.printUnit;
  const files = d.tables.map((t) => csvFile(`tables/${t.id}.csv`, tableTexts(t, unit)));
  for (const pt of result.template.data.performance_tables) files.push(csvFile(`tables/${pt.id}.csv`, performanceTexts(pt.columns, performanceRows(d, pt.source))));
  return files;
};

/** findings.json and disclosure.json (docs/disclosure-json.md). */
const json: Renderer = (result, findings) => [
  jsonFile("findings.json", findingsToJson(findings)),
  jsonFile("disclosure.json", disclosureToJson(result.disclosure, findings)),
];

/** Output formats, in the order they are written. */
// The page, PDF, workbook, Word and open-data renderers load their libraries (ECharts, pdfmake, exceljs, docx) when
// first used, so that `check` and a CSV-only build start quickly.
export const OUTPUT_FORMATS: ReadonlyMap<string, Renderer> = new Map<string, Renderer>([
  ["csv", csvTables],
  ["json", json],
  [
    "html",
    async (result, findings) => {
      const { renderDisclosurePage } = await import("./html-page.ts");
      return [{ path: "index.html", content: renderDisclosurePage({ ...result, narrative: result.narrative ?? NO_NARRATIVE, findings }) }];
    },
  ],
  [
    "xlsx",
    async (result, findings) => {
      const { disclosureWorkbook } = await import("./xlsx-disclosure.ts");
      return [{ path: "disclosure.xlsx", content: await disclosureWorkbook(result, findings) }];
    },
  ],
  [
    "docx",
    async (result, findings) => {
      const { disclosureDocx } = await import("./docx-disclosure.ts");
      return [{ path: "disclosure.docx", content: await disclosureDocx(result, findings) }];
    },
  ],
  [
    "datapackage",
    async (result) => {
      const { fiscalDataPackage } = await import("./open-data-package.ts");
      return fiscalDataPackage(result);
    },
  ],
  [
    "pdf",
    async (result, findings) => {
      const { renderDisclosurePdf } = await import("./pdf-document.ts");
      return [{ path: "disclosure.pdf", content: await renderDisclosurePdf({ result, findings }) }];
    },
  ],
]);

export async function renderBuild(result: BuildResult, findings: readonly Finding[], formats?: readonly string[]): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const [name, render] of OUTPUT_FORMATS) if (!formats || formats.includes(name)) files.push(...(await render(result, findings)));
  return files;
}
