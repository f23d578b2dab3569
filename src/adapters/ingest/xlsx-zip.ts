/**
 * A bounded reader of the ZIP container of an .xlsx file. The file is hostile: a few kilobytes of deflate can claim
 * or produce gigabytes (a "zip bomb"), sizes in the headers can lie, two entries can share a name. So:
 *
 * - the central directory is read first, and the archive is refused when it holds too many entries, or when the
 *   uncompressed sizes it declares exceed the limits (one entry, or all together);
 * - an entry is inflated only when asked for, with `maxOutputLength` set to its declared size: inflating can never
 *   produce more than was declared, and an entry that inflates to a different size or CRC is refused;
 * - the bytes actually inflated are counted against the total limit as well;
 * - encrypted entries, ZIP64, methods other than stored and deflate, and duplicate names are refused.
 *
 * Problems are values (`ZipProblem`); a bug throws.
 */
import { crc32, inflateRawSync } from "node:zlib";

export interface ZipLimits {
  /** entries in the central directory */
  readonly maxEntries: number;
  /** uncompressed bytes of one entry */
  readonly maxEntryBytes: number;
  /** uncompressed bytes of all entries together */
  readonly maxTotalBytes: number;
}

export type ZipProblemKind =
  | "not_zip"
  | "corrupt"
  | "encrypted"
  | "unsupported"
  | "too_many_entries"
  | "entry_too_large"
  | "total_too_large";

export interface ZipProblem {
  readonly kind: ZipProblemKind;
  /** what went wrong, in plain English, for the message's {reason} */
  readonly detail: string;
  /** the entry concerned, if any */
  readonly entry?: string;
  /** the size concerned (declared or found), if any */
  readonly size?: number;
}

export class ZipRefused extends Error {
  constructor(readonly problem: ZipProblem) {
    super(`zip refused: ${problem.kind} ${problem.detail}`);
  }
}

interface Entry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

export class ZipArchive {
  private inflatedTotal = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly limits: ZipLimits,
  ) {}

  /** Reads the central directory; refuses the archive before anything is inflated if it breaks a limit. */
  static open(bytes: Uint8Array, limits: ZipLimits): { ok: true; zip: ZipArchive } | { ok: false; problem: ZipProblem } {
    try {
      return { ok: true, zip: new ZipArchive(bytes, readCentralDirectory(bytes, limits), limits) };
    } catch (e) {
      if (e instanceof ZipRefused) return { ok: false, problem: e.problem };
      throw e;
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Declared uncompressed size of an entry, or undefined when there is no such entry. */
  sizeOf(name: string): number | undefined {
    return this.entries.get(name)?.size;
  }

  /** The uncompressed bytes of an entry (undefined when absent). Throws `ZipRefused` for a corrupt or lying entry. */
  read(name: string): Uint8Array | undefined {
    const e = this.entries.get(name);
    if (e === undefined) return undefined;
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const lo = e.localOffset;
    if (lo + 30 > this.bytes.length || view.getUint32(lo, true) !== SIG_LOCAL) refuse("corrupt", "bad local header", e.name);
    const start = lo + 30 + view.getUint16(lo + 26, true) + view.getUint16(lo + 28, true);
    const end = start + e.compressedSize;
    if (end > this.bytes.length) refuse("corrupt", "entry data runs past the end of the file", e.name);
    const raw = this.bytes.subarray(start, end);
    if (this.inflatedTotal + e.size > this.limits.maxTotalBytes) refuse("total_too_large", "uncompressed data over the limit", e.name, this.inflatedTotal + e.size);
    let out: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) refuse("corrupt", "stored entry with two sizes", e.name);
      out = raw;
    } else {
      try {
        // Never more than declared (+1 byte, to see a lie): a bomb stops here, whatever its headers say.
        out = inflateRawSync(raw, { maxOutputLength: e.size + 1 });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) refuse("corrupt", "entry inflates to more than its declared size", e.name, e.size);
        refuse("corrupt", `inflate failed (${code ?? (err as Error).message})`, e.name);
      }
      if (out.length !== e.size) refuse("corrupt", `entry inflates to ${out.length} bytes, not the declared ${e.size}`, e.name);
    }
    if (crc32(out) >>> 0 !== e.crc) refuse("corrupt", "CRC mismatch", e.name);
    this.inflatedTotal += out.length;
    return out;
  }
}

function refuse(kind: ZipProblemKind, detail: string, entry?: string, size?: number): never {
  throw new ZipRefused({ kind, detail, ...(entry !== undefined ? { entry } : {}), ...(size !== undefined ? { size } : {}) });
}

function readCentralDirectory(bytes: Uint8Array, limits: ZipLimits): Map<string, Entry> {
  if (bytes.length < EOCD_MIN) refuse("not_zip", "too short to be a zip file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 22 + 65535 bytes (it may be followed by a comment).
  let eocd = -1;
  const stop = Math.max(0, bytes.length - EOCD_MIN - MAX_COMMENT);
  for (let i = bytes.length - EOCD_MIN; i >= stop; i--) {
    if (view.getUint32(i, true) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) refuse("not_zip", "no end of central directory record");
  const diskEntries = view.getUint16(eocd + 8, true);
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) refuse("unsupported", "ZIP64 archives are not supported");
  if (view.getUint16(eocd + 4, true) !== 0 || diskEntries !== count) refuse("unsupported", "multi-disk archives are not supported");
  if (count > limits.maxEntries) refuse("too_many_entries", `${count} entries`, undefined, count);
  if (cdOffset + cdSize > eocd) refuse("corrupt", "central directory outside the file");

  const entries = new Map<string, Entry>();
  let total = 0;
  let p = cdOffset;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== SIG_CENTRAL) refuse("corrupt", "bad central directory entry");
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const compressedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLen > eocd) refuse("corrupt", "entry name outside the central directory");
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) refuse("unsupported", "ZIP64 entries are not supported", name);
    if ((flags & 0x1) !== 0 || (flags & 0x40) !== 0) refuse("encrypted", "encrypted entry", name);
    if (method !== 0 && method !== 8) refuse("unsupported", `compression method ${method}`, name);
    if (size > limits.maxEntryBytes) refuse("entry_too_large", `entry declares ${size} bytes`, name, size);
    total += size;
    if (total > limits.maxTotalBytes) refuse("total_too_large", `entries declare ${total} bytes in all`, name, total);
    if (localOffset >= cdOffset) refuse("corrupt", "entry data after the central directory", name);
    if (entries.has(name)) refuse("corrupt", "two entries with the same name", name);
    entries.set(name, { name, method, flags, crc, compressedSize, size, localOffset });
  }
  return entries;
}
