import { describe, expect, it } from "vitest";
import {
  formatPrintedAmount,
  parsePrintedAmount,
  scaleAmount,
  tokenKind,
} from "./printed-amount.ts";

describe("printed amounts", () => {
  it("are exact in the printed unit's smallest step, with the decimals printed", () => {
    expect(parsePrintedAmount("1,036.75")).toEqual({
      value: 103675n,
      decimals: 2,
    });
    expect(parsePrintedAmount("-12.5")).toEqual({ value: -125n, decimals: 1 });
    expect(parsePrintedAmount("0.00")).toEqual({ value: 0n, decimals: 2 });
    expect(parsePrintedAmount("371,514,655.00")).toEqual({
      value: 37151465500n,
      decimals: 2,
    });
    expect(parsePrintedAmount("189,767,551")).toEqual({
      value: 189767551n,
      decimals: 0,
    });
    expect(parsePrintedAmount("１，２３４.５０")).toEqual({
      value: 123450n,
      decimals: 2,
    });
    // beyond float64: still exact
    expect(parsePrintedAmount("98,765,432,109,876,543.21")).toEqual({
      value: 9876543210987654321n,
      decimals: 2,
    });
  });
  it("refuse what is not a number: a blank, separators out of place, a percentage, a dash", () => {
    for (const t of [
      "",
      "10,36.75",
      "1,0000.00",
      "12.5%",
      "—",
      "-",
      "abc",
      "1.2.3",
    ])
      expect(parsePrintedAmount(t), t).toBeNull();
  });
  it("tell amounts, bare integers (a code, a year or an amount by column), dashes and text apart", () => {
    expect(tokenKind("1,036.75")).toBe("amount");
    expect(tokenKind("0.00")).toBe("amount");
    expect(tokenKind("2010301")).toBe("integer");
    expect(tokenKind("2025")).toBe("integer");
    expect(tokenKind("—")).toBe("dash");
    expect(tokenKind("--")).toBe("dash");
    expect(tokenKind("一")).toBe("text");
    expect(tokenKind("10,36.75")).toBe("text");
    expect(tokenKind("行政运行")).toBe("text");
  });
  it("format and scale exactly", () => {
    expect(formatPrintedAmount({ value: 103675n, decimals: 2 })).toBe(
      "1036.75",
    );
    expect(formatPrintedAmount({ value: -5n, decimals: 2 })).toBe("-0.05");
    expect(formatPrintedAmount({ value: 15n, decimals: 0 })).toBe("15");
    expect(scaleAmount({ value: 15n, decimals: 0 }, 2)).toBe(1500n);
    expect(() => scaleAmount({ value: 1n, decimals: 2 }, 0)).toThrow();
  });
});
