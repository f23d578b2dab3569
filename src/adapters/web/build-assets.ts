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

/** bundles every entry, minified, and writes the hashed files and manifest.json (atomically: a temporary folder renamed) */
export async function buildAssets(outDir = ASSETS_DIR): Promise<AssetManifest> {
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
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
      outfile: join(tmp, name),
      logLevel: "silent",
    });
    for (const file of r.outputFiles) {
      const hash = createHash("sha256").update(file.contents).digest("hex").slice(0, 16);
      const dot = name.lastIndexOf(".");
      const hashed = `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
      writeFileSync(join(tmp, hashed), file.contents);
      manifest[name] = hashed;
    }
  }
  writeFileSync(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(tmp, outDir);
  return manifest;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const manifest = await buildAssets();
  const files = readdirSync(ASSETS_DIR).length;
  console.log(`前端资源已生成 / assets built: ${Object.values(manifest).join(", ")} (${files} files in dist/assets, ${(performance.now() - started).toFixed(0)} ms)`);
}
