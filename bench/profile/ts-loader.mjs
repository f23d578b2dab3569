/**
 * A minimal TypeScript loader for profiling only: like tsx, but WITHOUT minifying whitespace, so that a
 * .cpuprofile's positions (function columns and per-line ticks) map back to source lines through the source map.
 * tsx minifies every module onto one line, which leaves `--cpu-prof` output with line 1 everywhere.
 *
 *   node --import ./bench/profile/register.mjs --cpu-prof --cpu-prof-dir=bench/.data/prof bench/run.ts
 *
 * Uses the esbuild that tsx depends on; `transformTs` is shared with cpuprofile-top.ts, which re-runs the same
 * (deterministic) transform to map positions.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

export function transformTs(path, source = readFileSync(path, "utf8")) {
  return transformSync(source, {
    loader: "ts",
    format: "esm",
    target: `node${process.versions.node}`,
    sourcemap: "external",
    sourcefile: path,
    keepNames: false,
  });
}

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".ts")) {
    const path = fileURLToPath(url);
    const { code, map } = transformTs(path);
    const inline = Buffer.from(map).toString("base64");
    return { format: "module", source: `${code}\n//# sourceMappingURL=data:application/json;base64,${inline}\n`, shortCircuit: true };
  }
  return nextLoad(url, context);
}
