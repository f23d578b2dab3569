/**
 * The page's downloads block, near the top: a link to every other file of the same build — the PDF, the Word file,
 * the workbook, each table's CSV, the open data (datapackage.json and data/), disclosure.json and findings.json — by
 * relative path, so the links work from the output folder as it is, on a disk or behind any web server. Each link
 * names the format in Chinese (the page's language) and shows the file's name. Plain links: nothing needs
 * JavaScript. The block is for the screen; the print leaves it out.
 */
import { esc } from "./html-escape.ts";

/** One file of a build: the format that writes it, its path in the output folder, and the table it holds (CSV). */
export interface BuildFile {
  readonly format: string;
  readonly path: string;
  readonly table?: string;
}

interface Kind {
  readonly label: string;
  readonly type: string;
}

/** What each file is, by path, in the order the block lists them; a table's CSV is named by its table. */
const KINDS: ReadonlyMap<string, Kind> = new Map([
  ["disclosure.pdf", { label: "PDF 印刷版", type: "application/pdf" }],
  ["disclosure.docx", { label: "Word 文档", type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }],
  ["disclosure.xlsx", { label: "Excel 工作簿", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }],
  ["datapackage.json", { label: "开放数据包描述（Fiscal Data Package）", type: "application/json" }],
  ["data/line-items.csv", { label: "支出明细（开放数据，元）", type: "text/csv" }],
  ["disclosure.json", { label: "完整计算结果（JSON）", type: "application/json" }],
  ["findings.json", { label: "检查结果（JSON）", type: "application/json" }],
]);

const GROUPS: readonly { readonly title: string; readonly formats: readonly string[] }[] = [
  { title: "文档", formats: ["pdf", "docx", "xlsx"] },
  { title: "表格（CSV）", formats: ["csv"] },
  { title: "开放数据", formats: ["datapackage", "json"] },
];

/** A table's name for its CSV link: 表N and title, or a performance table's title. */
export type TableName = (id: string) => string | undefined;

function link(f: BuildFile, tableName: TableName): string {
  const kind = KINDS.get(f.path);
  const label = f.table !== undefined ? (tableName(f.table) ?? f.path) : (kind?.label ?? f.path);
  const type = kind?.type ?? (f.path.endsWith(".csv") ? "text/csv" : f.path.endsWith(".json") ? "application/json" : null);
  return `<li><a href="${esc(encodeURI(f.path))}"${type === null ? "" : ` type="${esc(type)}"`}>${esc(label)}</a> <span class="dl-file">${esc(f.path)}</span></li>`;
}

/** The block, or "" when the build writes no other file. */
export function renderDownloads(files: readonly BuildFile[], tableName: TableName): string {
  if (files.length === 0) return "";
  const order = [...KINDS.keys()];
  const rank = (f: BuildFile) => (order.includes(f.path) ? order.indexOf(f.path) : order.length);
  const grouped = GROUPS.map((g) => ({ title: g.title, files: files.filter((f) => g.formats.includes(f.format)).sort((a, b) => rank(a) - rank(b)) }));
  const rest = files.filter((f) => !GROUPS.some((g) => g.formats.includes(f.format)));
  if (rest.length) grouped.push({ title: "其他文件", files: rest });
  const body = grouped
    .filter((g) => g.files.length > 0)
    .map((g) => `<div class="dl-group"><h3>${esc(g.title)}</h3><ul>${g.files.map((f) => link(f, tableName)).join("")}</ul></div>`)
    .join("");
  return `<nav class="downloads" id="downloads" aria-labelledby="downloads-h"><h2 id="downloads-h">下载</h2>${body}</nav>`;
}
