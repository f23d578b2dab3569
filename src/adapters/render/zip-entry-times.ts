/**
 * Zip entry times of the Office files (disclosure.docx, disclosure.xlsx): `docx` and `exceljs` zip their parts with
 * JSZip, which stamps every entry with the time of the build. This sets every entry's DOS date and time, in the
 * local file headers and the central directory, to one given date, so that the same disclosure gives the same bytes.
 * Only the time fields change: names, sizes, CRCs and offsets stay as they are.
 */

/** DOS time and date fields (MS-DOS format: 2-second steps, years from 1980) of a date's UTC components. */
export function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, at.getUTCFullYear()));
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1);
  const date = ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  return { time, date };
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** A copy of the zip archive `zip` with every entry dated `at`. Throws on bytes that are not a zip archive. */
export function withEntryTimes(zip: Uint8Array, at: Date): Uint8Array {
  const buf = Buffer.from(zip);
  let eocd = buf.length - 22;
  // the end record is followed by a comment of at most 65535 bytes
  while (eocd >= 0 && eocd >= buf.length - 22 - 0xffff && buf.readUInt32LE(eocd) !== EOCD) eocd--;
  if (eocd < 0 || buf.readUInt32LE(eocd) !== EOCD) throw new Error("withEntryTimes: not a zip archive (no end of central directory)");
  const { time, date } = dosDateTime(at);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== CENTRAL) throw new Error(`withEntryTimes: bad central directory entry ${i}`);
    buf.writeUInt16LE(time, p + 12);
    buf.writeUInt16LE(date, p + 14);
    const local = buf.readUInt32LE(p + 42);
    if (buf.readUInt32LE(local) !== LOCAL) throw new Error(`withEntryTimes: bad local header of entry ${i}`);
    buf.writeUInt16LE(time, local + 10);
    buf.writeUInt16LE(date, local + 12);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
