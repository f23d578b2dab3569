/**
 * Helpers of the workbook tests: a filled input workbook made through the CLI, edited with exceljs the way a clerk's
 * spreadsheet program would save it, and raw ZIP archives for hostile containers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { expect } from "vitest";
import { ZipArchive } from "../src/adapters/ingest/xlsx-zip.ts";
import { ROOT, runCli, tempDir, type CliRun } from "./cli-harness.ts";

let base: Buffer | null = null;

/** The reference example as an input workbook, written by `gongkai workbook --from` (made once per test file). */
export function exampleWorkbook(): Buffer {
  if (base) return base;
  const dir = tempDir("gongkai-wb-");
  const file = join(dir, "example.xlsx");
  const r = runCli(["workbook", "--from", join(ROOT, "examples/changji-xinfang-2024"), "--out", file]);
  expect(r.status, r.stderr).toBe(0);
  base = readFileSync(file);
  return base;
}

/** The workbook after `edit`, saved by exceljs (a spreadsheet program other than our writer's own code path). */
export async function editWorkbook(bytes: Buffer, edit: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

export interface Problem {
  code: string;
  severity: string;
  file: string;
  cell?: string;
  field?: string;
  params?: Record<string, string | number>;
  message: string;
}

/** Writes `bytes` as `name` in a fresh folder and runs `import … --json`; the output would be `out.yaml` there. */
export function importBytes(bytes: Uint8Array | string, name = "budget.xlsx", extra: string[] = []): CliRun & { file: string; out: string; dir: string } {
  const dir = tempDir("gongkai-wb-");
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const out = join(dir, "out.yaml");
  const r = runCli(["import", file, "--out", out, "--json", ...extra], { timeoutMs: 60_000 });
  return { ...r, file, out, dir };
}

export function problemsOf(r: CliRun): Problem[] {
  const json = JSON.parse(r.stdout) as { exitCode: number; problems?: Problem[] };
  return json.problems ?? [];
}

// ---------------------------------------------------------------------------------------------------------------
// Raw ZIP

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflate (default) */
  method?: 0 | 8;
  /** the uncompressed size to declare, when it should lie */
  declaredSize?: number;
  /** general purpose flags (bit 0: encrypted) */
  flags?: number;
}

/** A ZIP archive of these entries (no ZIP64), honest unless an entry says otherwise. */
export function makeZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(e.data) : Buffer.from(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data) >>> 0;
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** Every entry of an archive (read with our own bounded reader). */
export function unzip(bytes: Uint8Array): Map<string, Uint8Array> {
  const z = ZipArchive.open(bytes, { maxEntries: 10_000, maxEntryBytes: 1e9, maxTotalBytes: 1e9 });
  if (!z.ok) throw new Error(JSON.stringify(z.problem));
  return new Map(z.zip.names().map((n) => [n, z.zip.read(n)!]));
}

/** The archive with some entries replaced (or added), through `makeZip`. */
export function replaceEntries(bytes: Uint8Array, replace: Record<string, string | Uint8Array>): Buffer {
  const entries = unzip(bytes);
  for (const [name, data] of Object.entries(replace)) entries.set(name, typeof data === "string" ? Buffer.from(data, "utf8") : data);
  return makeZip([...entries].map(([name, data]) => ({ name, data })));
}

/** The part of a sheet, by its name, in a workbook written by our writer or by exceljs. */
export function sheetPart(bytes: Uint8Array, sheetName: string): string {
  const entries = unzip(bytes);
  const wbXml = Buffer.from(entries.get("xl/workbook.xml")!).toString("utf8");
  const rels = Buffer.from(entries.get("xl/_rels/workbook.xml.rels")!).toString("utf8");
  const id = new RegExp(`<sheet [^>]*name="${sheetName}"[^>]*r:id="([^"]+)"`).exec(wbXml)?.[1];
  const target = new RegExp(`<Relationship [^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
  if (!target) throw new Error(`no part for sheet ${sheetName}`);
  return `xl/${target.replace(/^\/?xl\//, "")}`;
}
