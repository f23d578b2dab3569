/**
 * Test helpers for the office and open-data outputs: a small zip reader (node:zlib), a small XML tree parser, a
 * reader of a Word document's body (paragraphs, tables as grids with merged cells filled, section orientations),
 * the reference's printed headers (written by hand from test/reference/seed/changji-xinfang-2024-budget.txt) and the
 * comparison of a printed table's data rows with an expected CSV, including two-sided tables.
 */
import { spawnSync } from "node:child_process";
import { inflateRawSync } from "node:zlib";

// ---------------------------------------------------------------------------------------------------------------
// zip

/** The entries of a zip archive (stored or deflated), by name. Sizes come from the central directory. */
export function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip archive");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error("bad central directory");
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// XML

export interface El {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: (El | string)[];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e.startsWith("#x") || e.startsWith("#X") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );

/** A minimal XML parser: elements, attributes and text (no DTD, CDATA or namespaces resolution). */
export function parseXml(xml: string): El {
  const root: El = { name: "#root", attrs: {}, children: [] };
  const stack: El[] = [root];
  const re = /<\?[^>]*\?>|<!--[\s\S]*?-->|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (const m of xml.matchAll(re)) {
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.children.push(decode(m[5]));
      continue;
    }
    if (m[2] === undefined) continue;
    if (m[1] === "/") {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? "").matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? "");
    const el: El = { name: m[2], attrs, children: [] };
    top.children.push(el);
    if (m[4] !== "/") stack.push(el);
  }
  return root;
}

export const kids = (e: El, name?: string): El[] => e.children.filter((c): c is El => typeof c !== "string" && (name === undefined || c.name === name));
export const child = (e: El, name: string): El | undefined => kids(e, name)[0];
export function descendants(e: El, name: string): El[] {
  const out: El[] = [];
  const walk = (x: El) => {
    for (const c of kids(x)) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(e);
  return out;
}
export function textOf(e: El): string {
  return e.children.map((c) => (typeof c === "string" ? "" : c.name === "w:t" ? c.children.filter((x) => typeof x === "string").join("") : c.name === "w:tab" ? "\t" : textOf(c))).join("");
}

// ---------------------------------------------------------------------------------------------------------------
// Word

export interface WordParagraph {
  readonly kind: "p";
  readonly text: string;
  /** paragraph style id (Heading1 …) or "" */
  readonly style: string;
  /** texts of the runs in the character style `figureStyle` */
  readonly figures: readonly string[];
  /** the orientation of the section this paragraph closes, when it carries one */
  readonly sectionEnd: "portrait" | "landscape" | null;
}

export interface WordTable {
  readonly kind: "tbl";
  /** rows of cell texts, one entry per grid column; a merged cell's text in its first column, blank in the others
   * it spans; a cell continued from above (vertical merge) carries the text of the cell it continues */
  readonly grid: readonly (readonly string[])[];
  /** per row: whether it is a header row repeated on every page */
  readonly headerRows: readonly boolean[];
  /** merged cells: [row, col, rowspan, colspan] with spans over 1 */
  readonly merges: readonly (readonly [number, number, number, number])[];
}

export type WordBlock = WordParagraph | WordTable;

const orientationOf = (sect: El | undefined): "portrait" | "landscape" | null => {
  if (!sect) return null;
  const pg = child(sect, "w:pgSz");
  return pg?.attrs["w:orient"] === "landscape" ? "landscape" : "portrait";
};

function wordTable(tbl: El): WordTable {
  const grid: string[][] = [];
  const headerRows: boolean[] = [];
  const merges: [number, number, number, number][] = [];
  const starts = new Map<number, [number, number]>(); // column → [row, index in merges] of an open vertical merge
  kids(tbl, "w:tr").forEach((tr, r) => {
    const row: string[] = [];
    headerRows.push(child(child(tr, "w:trPr") ?? { name: "", attrs: {}, children: [] }, "w:tblHeader") !== undefined);
    for (const tc of kids(tr, "w:tc")) {
      const pr = child(tc, "w:tcPr");
      const span = Number(child(pr ?? { name: "", attrs: {}, children: [] }, "w:gridSpan")?.attrs["w:val"] ?? "1");
      const vm = pr ? child(pr, "w:vMerge") : undefined;
      const col = row.length;
      const text = kids(tc, "w:p").map(textOf).join("\n");
      if (vm && vm.attrs["w:val"] !== "restart") {
        const above = grid[r - 1]?.[col] ?? "";
        row.push(above, ...Array<string>(span - 1).fill(""));
        const open = starts.get(col);
        if (open) merges[open[1]]![2]! += 1;
        continue;
      }
      row.push(text, ...Array<string>(span - 1).fill(""));
      if (vm) {
        starts.set(col, [r, merges.length]);
        merges.push([r, col, 1, span]);
      } else {
        starts.delete(col);
        if (span > 1) merges.push([r, col, 1, span]);
      }
    }
    grid.push(row);
  });
  return { kind: "tbl", grid, headerRows, merges: merges.filter((m) => m[2] > 1 || m[3] > 1) };
}

/** The body of a Word document (word/document.xml), top-level paragraphs and tables in order. */
export function wordBody(documentXml: string, figureStyle: string): WordBlock[] {
  const doc = parseXml(documentXml);
  const body = descendants(doc, "w:body")[0];
  if (!body) throw new Error("no w:body");
  const out: WordBlock[] = [];
  for (const c of kids(body)) {
    if (c.name === "w:tbl") out.push(wordTable(c));
    else if (c.name === "w:p") {
      const pPr = child(c, "w:pPr");
      const style = (pPr && child(pPr, "w:pStyle")?.attrs["w:val"]) ?? "";
      const figures = kids(c, "w:r")
        .filter((r) => {
          const rPr = child(r, "w:rPr");
          return rPr !== undefined && child(rPr, "w:rStyle")?.attrs["w:val"] === figureStyle;
        })
        .map(textOf);
      out.push({ kind: "p", text: textOf(c), style, figures, sectionEnd: orientationOf(pPr && child(pPr, "w:sectPr")) });
    } else if (c.name === "w:sectPr") out.push({ kind: "p", text: "", style: "", figures: [], sectionEnd: orientationOf(c) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing printed tables with the expected CSVs

const norm = (s: string | undefined) => (s ?? "").replace(/\s+/g, "").replace(/\(/g, "（").replace(/\)/g, "）");

/**
 * How the reference prints its two-sided tables: for each side, in printed order, the CSV columns it shows
 * (`side` is the CSV's first column). Written from the reference's 表1 and 表4.
 */
export const TWO_SIDED: Readonly<Record<string, readonly { side: string; columns: readonly string[] }[]>> = {
  t01: [
    { side: "收入", columns: ["科目或项目", "预算数"] },
    { side: "支出", columns: ["类", "科目或项目", "预算数"] },
  ],
  t04: [
    { side: "收入", columns: ["科目或项目", "合计"] },
    { side: "支出", columns: ["类", "科目或项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"] },
  ],
};

/**
 * The expected data rows of a table in printed layout: a one-sided table's rows as they are; a two-sided table's
 * sides next to each other, each side's total on the last line (padding blank), as the print does.
 */
export function printedRows(id: string, expected: readonly (readonly string[])[]): string[][] {
  const [head, ...rows] = expected;
  const sides = TWO_SIDED[id];
  if (!sides || !head) return rows.map((r) => [...r]);
  const perSide = sides.map((s) => {
    const idx = s.columns.map((c) => head.indexOf(c));
    if (idx.some((i) => i < 0)) throw new Error(`${id}: unknown column in ${s.columns.join(",")}`);
    return rows.filter((r) => r[0] === s.side).map((r) => idx.map((i) => r[i] ?? ""));
  });
  const height = Math.max(...perSide.map((s) => s.length));
  const padded = perSide.map((s, k) => {
    const blank = sides[k]!.columns.map(() => "");
    const out = [...s.slice(0, -1), ...Array.from({ length: height - s.length }, () => blank), ...s.slice(-1)];
    return out;
  });
  return Array.from({ length: height }, (_, i) => padded.flatMap((s) => s[i] ?? []));
}

/** Cell-by-cell differences (empty when equal): spaces ignored, brackets normalised, a missing cell blank. */
export function gridDiff(got: readonly (readonly string[])[], want: readonly (readonly string[])[], limit = 20): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const g = got[i] ?? [];
    const w = want[i] ?? [];
    for (let j = 0; j < Math.max(g.length, w.length); j++)
      if (norm(g[j]) !== norm(w[j])) out.push(`row ${i + 1} col ${j + 1}: got ${JSON.stringify(g[j] ?? "")} want ${JSON.stringify(w[j] ?? "")}`);
    if (out.length >= limit) break;
  }
  return out;
}

/** 表N of a reference CSV name: t01 → 表1. */
export const tableNumber = (id: string) => `表${Number(id.slice(1))}`;

/**
 * The reference's printed headers, cell by cell: [label, row, column, rowspan, colspan] within the header (0-based),
 * written by hand from the headers of test/reference/seed/changji-xinfang-2024-budget.txt (not from the template). Two-sided
 * tables print 收入 | 支出 side by side; a side's classification (code and name) is one label over two columns.
 */
export type HeaderCellSpec = readonly [label: string, row: number, col: number, rowspan: number, colspan: number];
const fundHeader = (title: string): HeaderCellSpec[] => [
  ["科目", 0, 0, 1, 4],
  [title, 0, 4, 1, 4],
  ["功能分类科目编码", 1, 0, 1, 3],
  ["功能分类科目名称", 1, 3, 2, 1],
  ["合计", 1, 4, 2, 1],
  ["基本支出", 1, 5, 1, 2],
  ["项目支出", 1, 7, 2, 1],
  ["类", 2, 0, 1, 1],
  ["款", 2, 1, 1, 1],
  ["项", 2, 2, 1, 1],
  ["人员经费", 2, 5, 1, 1],
  ["公用经费", 2, 6, 1, 1],
];
const expenditureHeader = (title: string): HeaderCellSpec[] => [
  ["科目", 0, 0, 1, 4],
  [title, 0, 4, 1, 3],
  ["功能分类科目编码", 1, 0, 1, 3],
  ["功能分类科目名称", 1, 3, 2, 1],
  ["合计", 1, 4, 2, 1],
  ["基本支出", 1, 5, 2, 1],
  ["项目支出", 1, 6, 2, 1],
  ["类", 2, 0, 1, 1],
  ["款", 2, 1, 1, 1],
  ["项", 2, 2, 1, 1],
];
export const REFERENCE_HEADERS: Readonly<Record<string, readonly HeaderCellSpec[]>> = {
  t01: [
    ["收入", 0, 0, 1, 2],
    ["支出", 0, 2, 1, 3],
    ["项目", 1, 0, 1, 1],
    ["预算数", 1, 1, 1, 1],
    ["支出功能分类", 1, 2, 1, 2],
    ["预算数", 1, 4, 1, 1],
  ],
  t02: [
    ["功能分类科目编码", 0, 0, 1, 3],
    ["功能分类科目名称", 0, 3, 2, 1],
    ["总计", 0, 4, 2, 1],
    ["财政拨款（补助）", 0, 5, 1, 7],
    ["财政专户（教育收费）", 0, 12, 2, 1],
    ["单位资金", 0, 13, 2, 1],
    ["财政拨款结转", 0, 14, 2, 1],
    ["非财政拨款结转结余", 0, 15, 2, 1],
    ["类", 1, 0, 1, 1],
    ["款", 1, 1, 1, 1],
    ["项", 1, 2, 1, 1],
    ["财政拨款(补助)小计", 1, 5, 1, 1],
    ["一般公共预算", 1, 6, 1, 1],
    ["上级一般公共预算安排的转移支付", 1, 7, 1, 1],
    ["政府性基金预算", 1, 8, 1, 1],
    ["上级政府性基金安排的转移支付", 1, 9, 1, 1],
    ["国有资本经营预算", 1, 10, 1, 1],
    ["上级国有资本经营预算安排的转移支付", 1, 11, 1, 1],
  ],
  t03: expenditureHeader("支出预算"),
  t04: [
    ["财政拨款收入", 0, 0, 1, 2],
    ["财政拨款支出", 0, 2, 1, 6],
    ["项目", 1, 0, 1, 1],
    ["合计", 1, 1, 1, 1],
    ["支出功能分类", 1, 2, 1, 2],
    ["合计", 1, 4, 1, 1],
    ["一般公共预算", 1, 5, 1, 1],
    ["政府性基金预算", 1, 6, 1, 1],
    ["国有资本经营预算", 1, 7, 1, 1],
  ],
  t05: expenditureHeader("一般公共预算支出"),
  t06: [
    ["科目", 0, 0, 1, 3],
    ["一般公共预算基本支出", 0, 3, 1, 3],
    ["经济分类科目编码", 1, 0, 1, 2],
    ["经济分类科目名称", 1, 2, 2, 1],
    ["合计", 1, 3, 2, 1],
    ["人员经费", 1, 4, 2, 1],
    ["公用经费", 1, 5, 2, 1],
    ["类", 2, 0, 1, 1],
    ["款", 2, 1, 1, 1],
  ],
  t07: [
    ["科目编码", 0, 0, 1, 3],
    ["功能分类科目名称", 0, 3, 2, 1],
    ["项目名称", 0, 4, 2, 1],
    ["项目支出合计", 0, 5, 2, 1],
    ["工资福利支出", 0, 6, 2, 1],
    ["商品服务支出", 0, 7, 2, 1],
    ["对个人和家庭的补助", 0, 8, 2, 1],
    ["债务利息及费用支出", 0, 9, 2, 1],
    ["资本性支出（基本建设）", 0, 10, 2, 1],
    ["资本性支出", 0, 11, 2, 1],
    ["对企业补助（基本建设）", 0, 12, 2, 1],
    ["对企业补助", 0, 13, 2, 1],
    ["对社会保障基金补助", 0, 14, 2, 1],
    ["其他支出", 0, 15, 2, 1],
    ["类", 1, 0, 1, 1],
    ["款", 1, 1, 1, 1],
    ["项", 1, 2, 1, 1],
  ],
  t08: fundHeader("政府性基金预算支出"),
  t09: fundHeader("国有资本经营预算支出"),
  t10: [
    ["“三公”经费支出内容", 0, 0, 2, 1],
    ["合计", 0, 1, 2, 1],
    ["资金来源", 0, 2, 1, 3],
    ["一般公共预算", 1, 2, 1, 1],
    ["政府性基金", 1, 3, 1, 1],
    ["国有资本经营预算", 1, 4, 1, 1],
  ],
  t11: [
    ["项目名称", 0, 0, 3, 1],
    ["总计", 0, 1, 3, 1],
    ["财政拨款", 0, 2, 1, 4],
    ["非财政拨款", 0, 6, 1, 4],
    ["合计", 1, 2, 2, 1],
    ["基本支出", 1, 3, 1, 2],
    ["项目支出", 1, 5, 2, 1],
    ["合计", 1, 6, 2, 1],
    ["基本支出", 1, 7, 1, 2],
    ["项目支出", 1, 9, 2, 1],
    ["人员经费", 2, 3, 1, 1],
    ["公用经费", 2, 4, 1, 1],
    ["人员经费", 2, 7, 1, 1],
    ["公用经费", 2, 8, 1, 1],
  ],
};

export const headerDepth = (cells: readonly HeaderCellSpec[]) => Math.max(...cells.map((c) => c[1] + c[3]));
export const sameLabel = (a: string, b: string) => norm(a) === norm(b);

// ---------------------------------------------------------------------------------------------------------------
// External programs

export function hasProgram(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

/** Whether a test that needs `program` runs: always in CI (then a missing program fails it), else when present. */
export function needs(program: string): boolean {
  if (process.env["CI"] === "true") return true;
  if (hasProgram(program)) return true;
  console.log(`skipped: ${program} is not installed (apt-get install ${program === "soffice" ? "libreoffice-writer-nogui libreoffice-calc-nogui" : "poppler-utils"}); CI runs it`);
  return false;
}
