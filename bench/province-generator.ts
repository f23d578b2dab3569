/**
 * The bench's synthetic province: the generator itself lives in src/app/synthetic-budget.ts (the platform's demo
 * data uses it too); this file re-exports it and keeps the bench's cache of generated YAML files on disk.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { budgetYaml, DEFAULT_SEED, departmentCode, GENERATOR_VERSION, province, type ProvinceSpec } from "../src/app/synthetic-budget.ts";

export * from "../src/app/synthetic-budget.ts";

// ---------------------------------------------------------------------------------------------------------------
// YAML files on disk: generated once, reused while the generator version, seed and count match.

export const PROVINCE_DIR = fileURLToPath(new URL("./.data/province/", import.meta.url));
const MANIFEST = "manifest.json";

interface Manifest {
  generatorVersion: number;
  seed: number;
  departments: number;
  lines: number;
  bytes: number;
}

export const provinceFile = (i: number) => join(PROVINCE_DIR, `${departmentCode(i)}.yaml`);

/**
 * Makes sure bench/.data/province holds the YAML files of departments 0..n-1 of this generator version and seed;
 * returns whether they were (re)written, and how long writing took.
 */
export function ensureProvinceFiles(spec: ProvinceSpec, onProgress?: (done: number) => void): { generated: boolean; seconds: number; bytes: number } {
  const seed = spec.seed ?? DEFAULT_SEED;
  const mpath = join(PROVINCE_DIR, MANIFEST);
  if (existsSync(mpath)) {
    try {
      const m = JSON.parse(readFileSync(mpath, "utf8")) as Manifest;
      if (m.generatorVersion === GENERATOR_VERSION && m.seed === seed && m.departments >= spec.departments && existsSync(provinceFile(spec.departments - 1)))
        return { generated: false, seconds: 0, bytes: m.bytes };
    } catch {
      // unreadable manifest: regenerate
    }
  }
  mkdirSync(PROVINCE_DIR, { recursive: true });
  const t0 = performance.now();
  let lines = 0;
  let bytes = 0;
  let i = 0;
  for (const b of province({ departments: spec.departments, seed })) {
    const text = budgetYaml(b);
    const path = provinceFile(i);
    writeFileSync(path + ".tmp", text);
    renameSync(path + ".tmp", path);
    lines += b.lines.length;
    bytes += Buffer.byteLength(text);
    i++;
    if (onProgress && i % 500 === 0) onProgress(i);
  }
  const m: Manifest = { generatorVersion: GENERATOR_VERSION, seed, departments: spec.departments, lines, bytes };
  writeFileSync(mpath, JSON.stringify(m, null, 2) + "\n");
  return { generated: true, seconds: (performance.now() - t0) / 1000, bytes };
}
