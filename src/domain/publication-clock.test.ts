import { describe, expect, it } from "vitest";
import { clockStatus, isCalendarDate, publicationDeadline, shanghaiDate } from "./publication-clock.ts";

describe("the 20-day publication clock (Asia/Shanghai)", () => {
  it("counts 20 calendar days from the approval date, across months and leap days", () => {
    expect(publicationDeadline("2024-01-19")).toBe("2024-02-08");
    expect(publicationDeadline("2024-02-15")).toBe("2024-03-06"); // 2024 has 29 February
    expect(publicationDeadline("2023-02-15")).toBe("2023-03-07");
    expect(publicationDeadline("2024-12-20")).toBe("2025-01-09");
  });

  it("reads the date in Beijing time: 16:30 UTC is already the next day", () => {
    expect(shanghaiDate(new Date("2024-02-08T15:59:59Z"))).toBe("2024-02-08");
    expect(shanghaiDate(new Date("2024-02-08T16:00:00Z"))).toBe("2024-02-09");
  });

  it("open, due today, overdue; published on time or late by the first publication's Beijing date", () => {
    expect(clockStatus("2024-01-19", null, new Date("2024-02-01T00:00:00Z"))).toEqual({ state: "open", deadline: "2024-02-08", days: 7 });
    expect(clockStatus("2024-01-19", null, new Date("2024-02-08T15:00:00Z"))).toEqual({ state: "open", deadline: "2024-02-08", days: 0 });
    expect(clockStatus("2024-01-19", null, new Date("2024-02-08T16:00:00Z"))).toEqual({ state: "overdue", deadline: "2024-02-08", days: 1 });
    expect(clockStatus("2024-01-19", new Date("2024-02-08T15:59:00Z"), new Date("2025-01-01T00:00:00Z")).state).toBe("on_time");
    expect(clockStatus("2024-01-19", new Date("2024-02-10T02:00:00Z"), new Date("2025-01-01T00:00:00Z"))).toEqual({ state: "late", deadline: "2024-02-08", days: 2 });
    expect(clockStatus(null, null, new Date()).state).toBe("no_approval_date");
  });

  it("refuses dates that are not on the calendar", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2023-02-29")).toBe(false);
    expect(isCalendarDate("2024-13-01")).toBe(false);
    expect(isCalendarDate("2024-1-01")).toBe(false);
    expect(() => publicationDeadline("2024-02-30")).toThrow(RangeError);
  });
});
