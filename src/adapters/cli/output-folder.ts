/**
 * Where a command writes, checked before any work, and a build's output folder replaced whole or not at all.
 *
 * A build's `--out` is a folder Gongkai owns: it is a symbolic link to the build it holds, kept in a hidden sibling
 * folder (`.<name>.builds/<id>/`). A new build is written into a fresh folder there, then one rename replaces the link,
 * so that at any instant `--out` is entirely the previous build or entirely the new one — a crash (even kill -9) at any
 * moment leaves one or the other, and the leftovers of a crashed run live only in the hidden sibling, which the next
 * build clears. A lock file beside the target (`.<name>.lock`, linked into place whole, holding the pid and its start time) makes a second
 * build into the same folder wait for the first, for a bounded time, then refuse; a lock whose process is gone is stale
 * and taken over. An `--out` that is a plain folder is accepted when it is empty or holds a previous build of Gongkai
 * (its disclosure.json): it is moved into the sibling once, then replaced by the link. Any other folder is refused, so
 * that a user's own folder is never swapped away.
 *
 * Single-file outputs (workbook, import, schema, new) are checked here too; atomic-write.ts writes them.
 */
import { constants, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { access, chmod, link, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { OutputFile } from "../../app/command-registry.ts";

/** Why an output path cannot be used (exit 2), as a code of OUTPUT_MESSAGES with its parameters. */
export interface OutputProblem {
  readonly code: keyof typeof OUTPUT_MESSAGES;
  readonly path: string;
  readonly option: string;
  readonly detail?: string;
}

export const OUTPUT_MESSAGES = {
  "out.empty": { zh: "{option} 不能为空", en: "{option} must not be empty" },
  "out.not_a_folder": { zh: "{option} {path} 已存在且不是文件夹", en: "{option} {path} exists and is not a folder" },
  "out.is_a_folder": { zh: "{option} {path} 是文件夹，应为文件", en: "{option} {path} is a folder; name a file" },
  "out.not_a_file": { zh: "{option} {path} 不是普通文件（{detail}）", en: "{option} {path} is not a regular file ({detail})" },
  "out.under_a_file": { zh: "{option} {path} 的上级 {detail} 是文件，不是文件夹", en: "{option} {path}: {detail} above it is a file, not a folder" },
  "out.not_writable": { zh: "{option} {path} 无法写入（{detail}）", en: "{option} {path} cannot be written ({detail})" },
  "out.is_input": { zh: "{option} {path} 包含或就是输入文件 {detail}，写出会覆盖输入", en: "{option} {path} is or holds the input {detail}; writing would destroy it" },
  "out.foreign_folder": {
    zh: "{option} {path} 是已有内容的文件夹，但不是 Gongkai 的输出（其中没有 disclosure.json）；为免覆盖，请指定新的或空的文件夹",
    en: "{option} {path} is a folder with other contents, not a Gongkai output (no disclosure.json in it); name a new or empty folder",
  },
  "out.locked": {
    zh: "另一个生成（进程 {detail}）正在写入 {path}；请等它结束后再试",
    en: "another build (process {detail}) is writing into {path}; try again when it has finished",
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export function formatOutputProblem(p: OutputProblem, lang: "zh" | "en"): string {
  return OUTPUT_MESSAGES[p.code][lang].replaceAll("{option}", p.option).replaceAll("{path}", p.path).replaceAll("{detail}", p.detail ?? "");
}

const code = (e: unknown): string => (e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : e instanceof Error ? e.message : String(e));

const lstatOrNull = (p: string) => {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
};

/** The first ancestor of `path` that exists and is not a folder, or null. */
function fileAbove(path: string): string | null {
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    const st = lstatOrNull(p);
    if (st && !st.isDirectory() && !(st.isSymbolicLink() && statIsDir(p))) return p;
    if (st) return null;
  }
  return null;
}

function statIsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The nearest existing ancestor folder, which must be writable: access(2) says so for permissions, a read-only file
 * system (EROFS) and an immutable folder (EPERM) alike, and leaves nothing behind if the process is killed.
 */
async function writableAncestor(path: string): Promise<string | null> {
  let p = dirname(path);
  while (!lstatOrNull(p) && p !== dirname(p)) p = dirname(p);
  try {
    await access(p, constants.W_OK);
    return null;
  } catch (e) {
    return code(e);
  }
}

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

const buildsDir = (target: string) => join(dirname(target), `.${basename(target)}.builds`);

/** Whether `target` is a link into its builds folder (a folder this module made). */
function isOurLink(target: string): boolean {
  const st = lstatOrNull(target);
  if (!st?.isSymbolicLink()) return false;
  const to = resolve(dirname(target), readlinkSync(target));
  return within(to, buildsDir(target)) && to !== buildsDir(target);
}

/** What every output path must be: not empty, not (or, for a folder, not holding) an input, not under a file, writable. */
async function checkOutputPath(
  out: string,
  option: string,
  inputs: readonly string[],
  isInput: (input: string, target: string) => boolean,
  existing: (target: string, st: NonNullable<ReturnType<typeof lstatOrNull>>) => OutputProblem | null,
): Promise<OutputProblem | null> {
  if (out.trim() === "") return { code: "out.empty", path: out, option };
  const target = resolve(out);
  for (const input of inputs) if (isInput(resolve(input), target)) return { code: "out.is_input", path: target, option, detail: resolve(input) };
  const st = lstatOrNull(target);
  if (st) {
    const bad = existing(target, st);
    if (bad) return bad;
  } else {
    const above = fileAbove(target);
    if (above) return { code: "out.under_a_file", path: target, option, detail: above };
  }
  const denied = await writableAncestor(target);
  if (denied) return { code: "out.not_writable", path: target, option, detail: denied };
  return null;
}

/** Checks a build's output folder before any work: null when it can be written. `inputs`: the files the build reads. */
export function checkOutputFolder(out: string, option: string, inputs: readonly string[]): Promise<OutputProblem | null> {
  return checkOutputPath(out, option, inputs, within, (target, st) => {
    if (isOurLink(target)) return null;
    if (!st.isDirectory()) return { code: "out.not_a_folder", path: target, option };
    const entries = readdirSync(target);
    return entries.length > 0 && !entries.includes("disclosure.json") ? { code: "out.foreign_folder", path: target, option } : null;
  });
}

/** Checks a single output file before any work: null when it can be written (an existing file may be replaced). */
export function checkOutputFile(out: string, option: string, inputs: readonly string[]): Promise<OutputProblem | null> {
  return checkOutputPath(out, option, inputs, (input, target) => input === target, (target, st) => {
    if (st.isDirectory()) return { code: "out.is_a_folder", path: target, option };
    if (st.isFile()) return null;
    return { code: "out.not_a_file", path: target, option, detail: st.isSymbolicLink() ? "symlink" : st.isCharacterDevice() ? "device" : st.isFIFO() ? "FIFO" : "special" };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The lock

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === "EPERM";
  }
}

/**
 * When a process started (Linux: field 22 of /proc/<pid>/stat, in clock ticks since boot), or null where that is not
 * known. Process ids are reused — within seconds on a busy machine whose pid_max is 32768 — so a lock names its
 * holder by pid and start time: a live process with the holder's pid but another start time is not the holder.
 */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the lock's holder (`<pid> <start time>`) still runs. */
function holderAlive(lockText: string): boolean {
  const [pid, started] = lockText.trim().split(" ");
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0 || !alive(n)) return false;
  const now = started === undefined || started === "" ? null : startTime(n);
  return now === null || now === started;
}

/**
 * Takes the lock of a target (waiting up to `waitMs` for another build); returns its release, or the pid holding it.
 * The lock appears whole or not at all: its text is written to a file of this process in the builds folder, then
 * hard-linked to the lock's name (which fails when the lock exists). Created empty and then written, a lock killed
 * between the two steps would name nobody and block every later build.
 */
async function lock(target: string, builds: string, waitMs: number): Promise<{ release: () => Promise<void> } | { heldBy: number }> {
  const path = join(dirname(target), `.${basename(target)}.lock`);
  const mine = `${process.pid} ${startTime(process.pid) ?? ""}`.trim();
  const deadline = Date.now() + waitMs;
  for (;;) {
    // the next holder clears the builds folder, this file included, so it is written again on each try
    const draft = join(builds, `lock-${process.pid}`);
    await writeFile(draft, mine);
    try {
      await link(draft, path);
      return { release: () => rm(path, { force: true }) };
    } catch (e) {
      if (code(e) !== "EEXIST" && code(e) !== "ENOENT") throw e;
    } finally {
      await rm(draft, { force: true });
    }
    let text = "";
    try {
      text = readFileSync(path, "utf8").trim();
    } catch {
      continue; // released meanwhile: try again
    }
    const holder = Number(text.split(" ")[0]);
    if (!holderAlive(text)) {
      // a build that was killed: its lock is stale (remove it only if it still names that process)
      try {
        if (readFileSync(path, "utf8").trim() === text) await rm(path, { force: true });
      } catch {
        // gone already
      }
      continue;
    }
    if (Date.now() >= deadline) return { heldBy: holder };
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Replacing a build's folder

const slowRename = async (): Promise<void> => {
  // tests only: widens the moments around the swap, so that a kill can land inside them
  const ms = Number(process.env["GONGKAI_TEST_SLOW_RENAME_MS"] ?? 0);
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
};

export class OutputLockedError extends Error {
  constructor(readonly problem: OutputProblem) {
    super(problem.code);
  }
}

/**
 * Writes `files` as the whole new content of the folder `out` (see the file comment). Waits up to `waitMs` for another
 * build into the same folder; throws OutputLockedError past it.
 */
export async function replaceFolder(out: string, files: readonly OutputFile[], waitMs = 60_000): Promise<void> {
  const target = resolve(out);
  const builds = buildsDir(target);
  await mkdir(builds, { recursive: true });
  const held = await lock(target, builds, waitMs);
  if ("heldBy" in held) throw new OutputLockedError({ code: "out.locked", path: target, option: "--out", detail: String(held.heldBy) });
  try {
    const current = isOurLink(target) ? resolve(dirname(target), readlinkSync(target)) : null;
    // leftovers of crashed builds: every build folder but the current one, and stray links
    for (const e of await readdir(builds)) if (join(builds, e) !== current) await rm(join(builds, e), { recursive: true, force: true });
    const fresh = await mkdtemp(join(builds, `${Date.now().toString(36)}-`));
    await chmod(fresh, 0o755); // mkdtemp makes it private; a published folder is readable like any other
    for (const f of files) {
      const file = resolve(fresh, f.path);
      if (!within(file, fresh) || file === fresh) throw new Error(`refusing to write outside the output folder: ${f.path}`);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, f.content);
    }
    const st = lstatOrNull(target);
    if (st && !st.isSymbolicLink()) {
      // a plain folder of an earlier build (checked before any work): moved aside once, into the builds folder
      await rename(target, join(builds, `${basename(fresh)}.previous`));
    }
    const link = join(builds, `${basename(fresh)}.link`);
    await symlink(relative(dirname(target), fresh), link);
    await slowRename();
    await rename(link, target); // the one atomic step: the target is now the new build
    await slowRename();
    if (current) await rm(current, { recursive: true, force: true });
    await rm(join(builds, `${basename(fresh)}.previous`), { recursive: true, force: true });
  } finally {
    await held.release();
  }
}
