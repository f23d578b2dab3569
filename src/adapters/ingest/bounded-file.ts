/**
 * Reads a file named by the user, as hostile input: regular files only (a FIFO or a device is refused before it is
 * opened, so nothing waits for a writer), refused by size before reading, and never read past its limit + 1 byte even
 * if it grows meanwhile. Problems are values naming the file.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { inputError, type InputProblem } from "../../domain/input-problem.ts";

export type BoundedRead = { ok: true; bytes: Uint8Array } | { ok: false; problems: InputProblem[] };

export function ioReason(e: unknown): string {
  if (e instanceof Error && "code" in e && typeof e.code === "string") return e.code;
  return e instanceof Error ? e.message : String(e);
}

const fail = (p: InputProblem): BoundedRead => ({ ok: false, problems: [p] });

export async function readBoundedFile(path: string, limit: number, limitLabel: string): Promise<BoundedRead> {
  const tooLarge = (size: number) => fail(inputError("input.too_large", path, {}, { size, limit: limitLabel }));
  let fh: FileHandle;
  try {
    // stat the path before opening it: opening a FIFO would wait for a writer.
    const pre = await stat(path);
    if (!pre.isFile()) return fail(inputError("input.not_a_file", path));
    if (pre.size > limit) return tooLarge(pre.size);
    // O_NONBLOCK: should the path become a FIFO after the stat, open returns at once and fstat refuses it.
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail(inputError("input.unreadable", path, {}, { reason: ioReason(e) }));
  }
  try {
    const st = await fh.stat(); // again, on what was opened
    if (!st.isFile()) return fail(inputError("input.not_a_file", path));
    if (st.size > limit) return tooLarge(st.size);
    let buf = new Uint8Array(st.size + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length > limit) return tooLarge(n);
        const bigger = new Uint8Array(Math.min(buf.length * 2, limit + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    return fail(inputError("input.unreadable", path, {}, { reason: ioReason(e) }));
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** `readBoundedFile` for the synchronous loaders (a template or a catalog named by an option): the same checks. */
export function readBoundedFileSync(path: string, limit: number, limitLabel: string): BoundedRead {
  const tooLarge = (size: number) => fail(inputError("input.too_large", path, {}, { size, limit: limitLabel }));
  let fd: number;
  try {
    const pre = statSync(path);
    if (!pre.isFile()) return fail(inputError("input.not_a_file", path));
    if (pre.size > limit) return tooLarge(pre.size);
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail(inputError("input.unreadable", path, {}, { reason: ioReason(e) }));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return fail(inputError("input.not_a_file", path));
    if (st.size > limit) return tooLarge(st.size);
    let buf = new Uint8Array(st.size + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length > limit) return tooLarge(n);
        const bigger = new Uint8Array(Math.min(buf.length * 2, limit + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const bytesRead = readSync(fd, buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    return fail(inputError("input.unreadable", path, {}, { reason: ioReason(e) }));
  } finally {
    try {
      closeSync(fd);
    } catch {
      // closing a file we only read cannot lose data
    }
  }
}
