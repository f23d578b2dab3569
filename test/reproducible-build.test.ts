/**
 * The same input gives the same bytes, in every format: each example is built twice, into two folders, the second
 * build starting more than two seconds after the first (zip entry times have two-second steps) and in another time
 * zone, and every file of the two folders is compared byte by byte — tables/*.csv, index.html, disclosure.pdf,
 * disclosure.docx, disclosure.xlsx, datapackage.json, data/*, disclosure.json, findings.json. The Office files carry
 * the disclosure's own date (department.date) in their document properties and zip entries, never the build time.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { withEntryTimes, dosDateTime } from "../src/adapters/render/zip-entry-times.ts";
import { cliArgs, copyExample, NODE, ROOT } from "./cli-harness.ts";
import { unzip } from "./office-output-harness.ts";

function build(dir: string, out: string, tz: string): void {
  const r = spawnSync(NODE, cliArgs(["build", dir, "--out", out]), {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: "1", TZ: tz },
  });
  expect(r.stderr).toBe("");
  expect(r.status, r.stdout).toBe(0);
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The DOS date of every entry of a zip archive, from its central directory. */
function entryDates(zip: Buffer): number[] {
  let eocd = zip.length - 22;
  while (zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const out: number[] = [];
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    out.push(zip.readUInt16LE(p + 14));
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

describe.each([
  ["changji-xinfang-2024", "2024-02-23"],
  ["three-units-2024", "2024-02-20"],
])("building %s twice", (example, date) => {
  let a = "";
  let b = "";
  beforeAll(async () => {
    const dir = copyExample(example);
    a = join(dir, "..", "out-a");
    b = join(dir, "..", "out-b");
    const started = Date.now();
    build(dir, a, "UTC");
    await sleep(Math.max(0, 2100 - (Date.now() - started)));
    build(dir, b, "Asia/Shanghai");
  }, 240_000);

  it("gives byte-identical files of every format", () => {
    const names = files(a);
    expect(files(b)).toEqual(names);
    for (const want of ["index.html", "disclosure.pdf", "disclosure.docx", "disclosure.xlsx", "datapackage.json", "disclosure.json", "findings.json", "tables/t01.csv", "data/line-items.csv"])
      expect(names).toContain(want);
    const differ = names.filter((n) => !readFileSync(join(a, n)).equals(readFileSync(join(b, n))));
    expect(differ).toEqual([]);
  });

  it("dates the Office files with the disclosure's own date", () => {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const dos = ((y - 1980) << 9) | (m << 5) | d;
    for (const name of ["disclosure.docx", "disclosure.xlsx"]) {
      const zip = readFileSync(join(a, name));
      expect(new Set(entryDates(zip)), name).toEqual(new Set([dos]));
      const core = unzip(zip).get("docProps/core.xml")!.toString("utf8");
      for (const tag of ["dcterms:created", "dcterms:modified"]) expect(core, `${name} ${tag}`).toMatch(new RegExp(`<${tag}[^>]*>${date}T00:00:00Z</${tag}>`));
    }
  });
});

describe("withEntryTimes", () => {
  it("changes only the time fields, so the archive still reads the same", () => {
    const zip = readFileSync(join(ROOT, "test/fixtures/workbook", readdirSync(join(ROOT, "test/fixtures/workbook")).find((f) => f.endsWith(".xlsx"))!));
    const at = new Date(Date.UTC(2024, 1, 23));
    const fixed = Buffer.from(withEntryTimes(zip, at));
    expect(fixed.length).toBe(zip.length);
    expect(new Set(entryDates(fixed))).toEqual(new Set([dosDateTime(at).date]));
    const before = unzip(zip);
    const after = unzip(fixed);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [k, v] of before) expect(after.get(k)!.equals(v), k).toBe(true);
  });

  it("refuses bytes that are not a zip archive", () => {
    expect(() => withEntryTimes(new TextEncoder().encode("not a zip archive, just text of some length"), new Date(0))).toThrow(/not a zip/);
  });
});
