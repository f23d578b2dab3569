/**
 * Builds the browser's one island of JavaScript — the budget editor's grid (src/adapters/browser/editor.ts, with
 * Tabulator and the domain code it shares with the server) — into `dist/assets/`, with esbuild, at build time:
 * `npm start` and `npm test` run it first, and nothing loads from elsewhere at run time. Each file's name carries its
 * content hash, so the server can let browsers keep it for a year; `manifest.json` maps the logical name to it.
 *
 *   tsx src/adapters/web/build-assets.ts      (npm run build)
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
export const ASSETS_DIR = join(ROOT, "dist/assets");

/** logical name → the entry esbuild bundles */
const ENTRIES: Readonly<Record<string, string>> = {
  "editor.js": join(ROOT, "src/adapters/browser/editor.ts"),
  "editor.css": join(ROOT, "src/adapters/browser/editor.css"),
};

export type AssetManifest = Readonly<Record<string, string>>;

/** the built files' names (`editor.js` → `editor-<hash>.js`), or null before the first build */
export function readAssetManifest(dir = ASSETS_DIR): AssetManifest | null {
  try {
    return JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as AssetManifest;
  } catch {
    return null;
  }
}

/**
 * Bundles every entry, minified, and writes the hashed files and then manifest.json (through a temporary file renamed,
 * so a reader sees the old manifest or the new one, never half of one). A file's name is its content's hash, so two
 * builds of the same sources at once (two test runs) write the same files and the same manifest; files the new
 * manifest does not name are removed afterwards.
 */
export async function buildAssets(outDir = ASSETS_DIR): Promise<AssetManifest> {
  mkdirSync(outDir, { recursive: true });
  const manifest: Record<string, string> = {};
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const r = await build({
      entryPoints: [entry],
      bundle: true,
      minify: process.env.GONGKAI_ASSETS_DEBUG !== "1",
      write: false,
      format: "iife",
      target: ["chrome110", "firefox110", "safari16"],
      legalComments: "eof",
      outfile: join(outDir, name),
      logLevel: "silent",
    });
    for (const file of r.outputFiles) {
      const hash = createHash("sha256").update(file.contents).digest("hex").slice(0, 16);
      const dot = name.lastIndexOf(".");
      const hashed = `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
      writeAtomically(join(outDir, hashed), file.contents);
      manifest[name] = hashed;
    }
  }
  writeAtomically(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  const keep = new Set(["manifest.json", ...Object.values(manifest)]);
  for (const f of readdirSync(outDir)) if (!keep.has(f) && !f.includes(".tmp-")) rmSync(join(outDir, f), { force: true, recursive: true });
  return manifest;
}

function writeAtomically(path: string, contents: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const manifest = await buildAssets();
  const files = readdirSync(ASSETS_DIR).length;
  console.log(`前端资源已生成 / assets built: ${Object.values(manifest).join(", ")} (${files} files in dist/assets, ${(performance.now() - started).toFixed(0)} ms)`);
}
