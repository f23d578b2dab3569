import { describe, expect, it } from "vitest";
import { cellAddress, isDateFormat, parseRange, resolvePart, serialToIsoDate } from "./xlsx-sheets.ts";

describe("workbook cells", () => {
  it("names cells as Excel does, quoting sheet names that need it", () => {
    expect(cellAddress("明细", 6, 27)).toBe("明细!F27");
    expect(cellAddress("上年数与原因", 28, 1)).toBe("上年数与原因!AB1");
    expect(cellAddress("my sheet", 1, 1)).toBe("'my sheet'!A1");
    expect(cellAddress("it's", 1, 1)).toBe("'it''s'!A1");
    expect(parseRange("XFD1048576:A1")).toMatchObject({ top: 1, left: 1, bottom: 1048576, right: 16384 });
    expect(parseRange("A0")).toBeNull();
  });

  it("tells date formats and turns serials into ISO dates (1900 and 1904 systems)", () => {
    expect(isDateFormat(14, undefined)).toBe(true);
    expect(isDateFormat(165, "yyyy\\-mm\\-dd")).toBe(true);
    expect(isDateFormat(164, "#,##0.00")).toBe(false);
    expect(isDateFormat(164, '0.00"日"')).toBe(false);
    expect(isDateFormat(164, "[Red]0.00")).toBe(false);
    expect(serialToIsoDate(45345, false)).toBe("2024-02-23");
    expect(serialToIsoDate(45291, false)).toBe("2023-12-31");
    expect(serialToIsoDate(59, false)).toBe("1900-02-28");
    expect(serialToIsoDate(43883, true)).toBe("2024-02-23");
  });

  it("resolves relationship targets", () => {
    expect(resolvePart("xl/", "worksheets/sheet1.xml")).toBe("xl/worksheets/sheet1.xml");
    expect(resolvePart("xl/", "/xl/worksheets/sheet1.xml")).toBe("xl/worksheets/sheet1.xml");
    expect(resolvePart("xl/", "../docProps/app.xml")).toBe("docProps/app.xml");
  });
});
