/**
 * Writes files so that an interrupted run never leaves a half file: each file goes to a temporary name in its
 * final folder, then is renamed over the target (rename is atomic within a file system).
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { OutputFile } from "../../app/command-registry.ts";

export async function writeFilesAtomic(dir: string, files: readonly OutputFile[]): Promise<void> {
  const root = resolve(dir);
  for (const f of files) {
    const target = resolve(join(root, f.path));
    if (!target.startsWith(root + sep)) throw new Error(`refusing to write outside ${root}: ${f.path}`);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(tmp, f.content);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }
}
