/**
 * The files of a build, by output format: each format is a renderer from the build result to files. `gongkai
 * build --format csv,json,…` picks some; by default every format is written. Each format also says which files it
 * writes without writing them (FORMAT_FILES), so that the page links exactly the files of its own build.
 */
import type { OutputFile } from "../../app/command-registry.ts";
import type { BuildResult } from "../../app/build-disclosure.ts";
import { writeCsv } from "../../domain/csv-format.ts";
import { performanceRows, performanceTexts, tableTexts } from "../../domain/disclosure-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import { disclosureToJson, findingsToJson } from "./disclosure-json.ts";
import type { BuildFile } from "./html-downloads.ts";

const BOM = "\uFEFF";
const NO_NARRATIVE = { title: "", parts: [], signature: [] };

export function csvFile(path: string, rows: readonly (readonly string[])[]): OutputFile {
  return { path, content: BOM + writeCsv(rows) };
}

export function jsonFile(path: string, value: unknown): OutputFile {
  return { path, content: JSON.stringify(value, null, 2) + "\n" };
}

/** `formats`: every format of this build (the page links their files). */
type Renderer = (result: BuildResult, findings: readonly Finding[], formats: readonly string[]) => OutputFile[] | Promise<OutputFile[]>;

const tablePath = (id: string) => `tables/${id}.csv`;

/** tables/*.csv: UTF-8 with BOM, in the layout of the reference's expected/ tables. */
const csvTables: Renderer = (result) => {
  const d = result.disclosure;
  const unit = d.template.printUnit;
  const files = d.tables.map((t) => csvFile(tablePath(t.id), tableTexts(t, unit)));
  for (const pt of result.template.data.performance_tables) files.push(csvFile(tablePath(pt.id), performanceTexts(pt.columns, performanceRows(d, pt.source))));
  return files;
};

/** The files each format writes, in the order it writes them (build-outputs.test.ts renders every format to check). */
export const FORMAT_FILES: ReadonlyMap<string, (result: BuildResult) => BuildFile[]> = new Map<string, (result: BuildResult) => BuildFile[]>([
  [
    "csv",
    (result) => [
      ...result.disclosure.tables.map((t) => ({ format: "csv", path: tablePath(t.id), table: t.id })),
      ...result.template.data.performance_tables.map((p) => ({ format: "csv", path: tablePath(p.id), table: p.id })),
    ],
  ],
  [
    "json",
    () => [
      { format: "json", path: "findings.json" },
      { format: "json", path: "disclosure.json" },
    ],
  ],
  ["html", () => [{ format: "html", path: "index.html" }]],
  ["xlsx", () => [{ format: "xlsx", path: "disclosure.xlsx" }]],
  ["docx", () => [{ format: "docx", path: "disclosure.docx" }]],
  [
    "datapackage",
    () => [
      { format: "datapackage", path: "data/line-items.csv" },
      { format: "datapackage", path: "datapackage.json" },
    ],
  ],
  ["pdf", () => [{ format: "pdf", path: "disclosure.pdf" }]],
]);

/** The files a build in these formats writes, in format order. */
export function buildFiles(result: BuildResult, formats: readonly string[]): BuildFile[] {
  return [...FORMAT_FILES].filter(([name]) => formats.includes(name)).flatMap(([, files]) => files(result));
}

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
    async (result, findings, formats) => {
      const { renderDisclosurePage } = await import("./html-page.ts");
      // the page links every other file of its build
      const files = buildFiles(result, formats).filter((f) => f.format !== "html");
      return [{ path: "index.html", content: renderDisclosurePage({ ...result, narrative: result.narrative ?? NO_NARRATIVE, findings, files }) }];
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

/**
 * Renders the build's files in `formats` (all when none are given). `buildFormats` are all the formats of the build
 * when it renders them a few at a time (the page links the files of every one); by default, `formats`.
 */
export async function renderBuild(result: BuildResult, findings: readonly Finding[], formats?: readonly string[], buildFormats?: readonly string[]): Promise<OutputFile[]> {
  const all = buildFormats ?? formats ?? [...OUTPUT_FORMATS.keys()];
  const files: OutputFile[] = [];
  for (const [name, render] of OUTPUT_FORMATS) if (!formats || formats.includes(name)) files.push(...(await render(result, findings, all)));
  return files;
}
