/**
 * Output paths are checked before any work (issue 10, point 3): an --out that cannot be written is exit 2 with a
 * message naming the option and the path, no stack trace, and nothing written — for build and for the commands that
 * write one file (workbook, import, schema, new).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../cli-harness.ts";

const EXAMPLE = join(ROOT, "examples/changji-xinfang-2024");

interface Case {
  readonly name: string;
  /** makes the situation in a fresh folder; returns the arguments (run in that folder) */
  readonly setup: (dir: string) => string[];
  readonly code: string;
  /** what must still be there, unchanged, afterwards (relative to the folder) */
  readonly keep?: readonly string[];
}

const build = (out: string, input = EXAMPLE) => ["build", input, "--out", out, "--format", "csv,json", "--json"];

const CASES: readonly Case[] = [
  { name: "build --out that is a file", setup: (d) => (writeFileSync(join(d, "f"), "mine"), build(join(d, "f"))), code: "out.not_a_folder", keep: ["f"] },
  { name: "build --out under a file", setup: (d) => (writeFileSync(join(d, "f"), "mine"), build(join(d, "f/out"))), code: "out.under_a_file", keep: ["f"] },
  { name: "build --out /dev/null", setup: () => build("/dev/null"), code: "out.not_a_folder" },
  { name: 'build --out ""', setup: () => build(""), code: "out.empty" },
  {
    name: "build --out the input's own folder",
    setup: (d) => (cpSync(EXAMPLE, join(d, "ex"), { recursive: true }), build(join(d, "ex"), join(d, "ex"))),
    code: "out.is_input",
    keep: ["ex/budget.yaml"],
  },
  {
    name: "build --out a folder of the user's own",
    setup: (d) => (mkdirSync(join(d, "home")), writeFileSync(join(d, "home/notes.txt"), "mine"), build(join(d, "home"))),
    code: "out.foreign_folder",
    keep: ["home/notes.txt"],
  },
  {
    name: "build --out in a read-only folder",
    setup: (d) => (mkdirSync(join(d, "ro")), chmodSync(join(d, "ro"), 0o555), build(join(d, "ro/out"))),
    code: "out.not_writable",
  },
  {
    name: "workbook --out a folder, even with --force",
    setup: (d) => (mkdirSync(join(d, "wb")), ["workbook", "--out", join(d, "wb"), "--force", "--json"]),
    code: "out.is_a_folder",
  },
  { name: "workbook --out under a file", setup: (d) => (writeFileSync(join(d, "f"), "mine"), ["workbook", "--out", join(d, "f/x.xlsx"), "--json"]), code: "out.under_a_file", keep: ["f"] },
  { name: "workbook --out /dev/null --force", setup: () => ["workbook", "--out", "/dev/null", "--force", "--json"], code: "out.not_a_file" },
  { name: 'workbook --out ""', setup: () => ["workbook", "--out", "", "--json"], code: "out.empty" },
  {
    name: "import --out the workbook it reads",
    setup: (d) => {
      const wb = join(d, "in.xlsx");
      expect(runCli(["workbook", "--from", EXAMPLE, "--out", wb]).status).toBe(0);
      return ["import", wb, "--out", wb, "--force", "--json"];
    },
    code: "out.is_input",
    keep: ["in.xlsx"],
  },
  { name: "schema --out a folder", setup: (d) => (mkdirSync(join(d, "s")), ["schema", "--out", join(d, "s"), "--json"]), code: "out.is_a_folder" },
  { name: "schema --out in a read-only folder", setup: (d) => (mkdirSync(join(d, "ro")), chmodSync(join(d, "ro"), 0o555), ["schema", "--out", join(d, "ro/s.json"), "--json"]), code: "out.not_writable" },
];

/** Whether this process can be refused a write by permissions (root is not, unless the file system is read-only). */
const permissionsBind = (() => {
  const d = tempDir();
  mkdirSync(join(d, "ro"));
  chmodSync(join(d, "ro"), 0o555);
  try {
    writeFileSync(join(d, "ro/x"), "");
    return false;
  } catch {
    return true;
  }
})();

describe("output paths are checked before any work", () => {
  for (const c of CASES) {
    const skip = c.code === "out.not_writable" && !permissionsBind;
    it.skipIf(skip)(`${c.name}${skip ? " (skipped: running as root, a read-only folder is writable; the read-only file system case below covers EROFS)" : ""}`, () => {
      const dir = tempDir();
      const args = c.setup(dir);
      const before = new Map((c.keep ?? []).map((k) => [k, readFileSync(join(dir, k))]));
      const entries = readdirSync(dir).sort();
      const r = runCli(args, { cwd: dir });
      expect(r.status, r.stdout + r.stderr).toBe(2);
      const res = JSON.parse(r.stdout) as { problems: { code: string; field: string; message: string }[] };
      expect(res.problems.map((p) => p.code)).toEqual([c.code]);
      expect(res.problems[0]!.field).toMatch(/--out|gongkai new/);
      expect(res.problems[0]!.message).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // nothing written: the folder holds what it held, and kept files are unchanged
      expect(readdirSync(dir).sort()).toEqual(entries);
      for (const [k, bytes] of before) expect(readFileSync(join(dir, k)).equals(bytes), k).toBe(true);
    });
  }

  it("the messages are Chinese by default and English with --lang en, and name the option and the path", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "f"), "mine");
    const zh = runCli(["build", EXAMPLE, "--out", join(dir, "f")]);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toContain(`--out ${join(dir, "f")} 已存在且不是文件夹`);
    const en = runCli(["build", EXAMPLE, "--out", join(dir, "f"), "--lang", "en"]);
    expect(en.stderr).toContain(`--out ${join(dir, "f")} exists and is not a folder`);
  });

  it("a read-only file system (EROFS) is refused, where this process may mount one (root)", () => {
    const dir = tempDir();
    const ro = join(dir, "ro");
    mkdirSync(ro);
    const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro], { encoding: "utf8" });
    if (mount.status !== 0) {
      console.log(`skipped: cannot mount a read-only tmpfs here (${(mount.stderr || mount.error?.message || "").trim()})`);
      return;
    }
    try {
      const r = runCli(["build", EXAMPLE, "--out", join(ro, "out"), "--json"]);
      expect(r.status).toBe(2);
      const p = (JSON.parse(r.stdout) as { problems: { code: string; message: string }[] }).problems[0]!;
      expect(p.code).toBe("out.not_writable");
      expect(p.message).toContain("EROFS");
    } finally {
      spawnSync("umount", [ro]);
    }
  });

  it("an immutable folder (chattr +i) is refused, where the file system supports the attribute", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "imm"));
    const chattr = spawnSync("chattr", ["+i", join(dir, "imm")], { encoding: "utf8" });
    if (chattr.status !== 0) {
      console.log(`skipped: chattr +i is not available here (${(chattr.stderr || chattr.error?.message || "").trim()})`);
      return;
    }
    try {
      const r = runCli(["build", EXAMPLE, "--out", join(dir, "imm/out"), "--json"]);
      expect(r.status).toBe(2);
      expect((JSON.parse(r.stdout) as { problems: { code: string }[] }).problems[0]!.code).toBe("out.not_writable");
    } finally {
      spawnSync("chattr", ["-i", join(dir, "imm")]);
    }
  });
});
