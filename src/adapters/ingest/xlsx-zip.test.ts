import { describe, expect, it } from "vitest";
import { makeZip } from "../../../test/workbook-harness.ts";
import { ZipArchive, ZipRefused } from "./xlsx-zip.ts";

const LIMITS = { maxEntries: 10, maxEntryBytes: 1000, maxTotalBytes: 1500 };
const open = (bytes: Uint8Array) => ZipArchive.open(bytes, LIMITS);

describe("the bounded zip reader", () => {
  it("reads stored and deflated entries, checking size and CRC", () => {
    const z = open(makeZip([{ name: "a.xml", data: Buffer.from("<a/>"), method: 0 }, { name: "b.xml", data: Buffer.from("b".repeat(500)) }]));
    expect(z.ok).toBe(true);
    if (!z.ok) return;
    expect(z.zip.names()).toEqual(["a.xml", "b.xml"]);
    expect(Buffer.from(z.zip.read("b.xml")!).toString()).toBe("b".repeat(500));
    expect(z.zip.read("c.xml")).toBeUndefined();
  });

  it("refuses what is not a zip, and archives over the limits before inflating anything", () => {
    expect(open(Buffer.from("not a zip at all, just text"))).toMatchObject({ ok: false, problem: { kind: "not_zip" } });
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `${i}`, data: Buffer.from("x") }));
    expect(open(makeZip(many))).toMatchObject({ ok: false, problem: { kind: "too_many_entries" } });
    expect(open(makeZip([{ name: "big", data: Buffer.alloc(1001) }]))).toMatchObject({ ok: false, problem: { kind: "entry_too_large" } });
    const two = [0, 1].map((i) => ({ name: `${i}`, data: Buffer.alloc(800) }));
    expect(open(makeZip(two))).toMatchObject({ ok: false, problem: { kind: "total_too_large" } });
    expect(open(makeZip([{ name: "e", data: Buffer.from("x"), flags: 1 }]))).toMatchObject({ ok: false, problem: { kind: "encrypted" } });
    expect(open(makeZip([{ name: "d", data: Buffer.from("x") }, { name: "d", data: Buffer.from("y") }]))).toMatchObject({ ok: false, problem: { kind: "corrupt" } });
  });

  it("stops inflating a lying entry at its declared size, and refuses a bad CRC", () => {
    const lying = open(makeZip([{ name: "l", data: Buffer.alloc(100_000), declaredSize: 10 }]));
    expect(lying.ok).toBe(true);
    if (lying.ok) expect(() => lying.zip.read("l")).toThrow(ZipRefused);
    const bytes = makeZip([{ name: "c", data: Buffer.from("hello world"), method: 0 }]);
    const at = bytes.indexOf("hello world");
    bytes[at] = 0x48; // "Hello world": same size, another CRC
    const damaged = open(bytes);
    expect(damaged.ok).toBe(true);
    if (damaged.ok) expect(() => damaged.zip.read("c")).toThrow(/CRC/);
  });
});
