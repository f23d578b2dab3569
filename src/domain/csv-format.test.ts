import { describe, expect, it } from "vitest";
import { parseCsv, writeCsv } from "./csv-format.ts";

describe("writeCsv: no cell a spreadsheet would run as a formula", () => {
  it("prefixes every text that starts with = + - @, a tab or a carriage return", () => {
    for (const cell of ["=2*3", "=1+1", "+1+1", "-1+1", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "\t=1", "\r=1", "-", "+", "@", "=A1", "-2-3"]) {
      const [[got]] = parseCsv(writeCsv([[cell]])) as [[string]];
      expect(got, JSON.stringify(cell)).toBe(`'${cell}`);
    }
  });

  it("leaves numbers (amounts) and the bare comparators of performance targets as they are", () => {
    for (const cell of ["-12.50", "+3", "1036750.00", "0", "=", ">=", "<=", ">", "<", "定性", "2024 年", ""]) {
      const [[got]] = parseCsv(writeCsv([[cell]])) as [[string]];
      expect(got, JSON.stringify(cell)).toBe(cell);
    }
  });
});
