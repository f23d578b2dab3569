import { describe, expect, it } from "vitest";
import { compareStatus, matchesFilter, publicationStatus, statusCounts, type PublicationStatus } from "./publication-status.ts";

// 批复日期 2024-01-19: the deadline is 2024-02-08 (Asia/Shanghai); its last second is 2024-02-08T15:59:59Z
const APPROVED = "2024-01-19";
const at = (iso: string) => new Date(iso);
const v = (number: number, iso: string) => ({ number, publishedAt: at(iso) });
const LATER = at("2024-06-01T00:00:00Z");

const st = (state: PublicationStatus["state"], days: number | null): PublicationStatus => ({ state, days, deadline: null, firstPublishedAt: null, firstPublishedDate: null, corrections: [] });

describe("publication status against the 20-day rule", () => {
  it("published on the 20th day (Beijing) is on time, on the 21st late — whatever the UTC date says", () => {
    const onTime = publicationStatus(APPROVED, [v(1, "2024-02-08T15:59:59Z")], LATER);
    expect(onTime).toMatchObject({ state: "on_time", days: 0, deadline: "2024-02-08", firstPublishedDate: "2024-02-08", corrections: [] });
    // 16:00 UTC on the 8th is midnight of the 9th in Beijing
    const late = publicationStatus(APPROVED, [v(1, "2024-02-08T16:00:00Z")], LATER);
    expect(late).toMatchObject({ state: "late", days: 1, deadline: "2024-02-08", firstPublishedDate: "2024-02-09" });
    expect(publicationStatus(APPROVED, [v(1, "2024-02-12T02:00:00Z")], LATER)).toMatchObject({ state: "late", days: 4 });
    // published before the approval date was even entered: on time
    expect(publicationStatus(APPROVED, [v(1, "2024-01-10T00:00:00Z")], LATER).state).toBe("on_time");
  });

  it("not published: not yet due until the deadline's Beijing midnight, then overdue by the days past", () => {
    expect(publicationStatus(APPROVED, [], at("2024-02-01T00:00:00Z"))).toMatchObject({ state: "not_yet_due", days: 7, deadline: "2024-02-08", firstPublishedAt: null, firstPublishedDate: null });
    expect(publicationStatus(APPROVED, [], at("2024-02-08T15:59:59Z"))).toMatchObject({ state: "not_yet_due", days: 0 });
    expect(publicationStatus(APPROVED, [], at("2024-02-08T16:00:00Z"))).toMatchObject({ state: "overdue", days: 1 });
    expect(publicationStatus(APPROVED, [], at("2024-03-01T04:00:00Z"))).toMatchObject({ state: "overdue", days: 22 });
  });

  it("without a 批复日期: not yet due with no deadline; a budget published then cannot be late", () => {
    expect(publicationStatus(null, [], LATER)).toEqual({ state: "not_yet_due", days: null, deadline: null, firstPublishedAt: null, firstPublishedDate: null, corrections: [] });
    expect(publicationStatus(null, [v(1, "2024-02-20T00:00:00Z")], LATER)).toMatchObject({ state: "on_time", days: 0, deadline: null, firstPublishedDate: "2024-02-20" });
  });

  it("corrected: the first publication decides on time or late; the later versions are its corrections, by their Beijing dates", () => {
    const s = publicationStatus(APPROVED, [v(3, "2024-04-30T17:00:00Z"), v(1, "2024-02-09T01:00:00Z"), v(2, "2024-03-05T02:00:00Z")], LATER);
    expect(s.state).toBe("late");
    expect(s.days).toBe(1);
    expect(s.firstPublishedAt).toEqual(at("2024-02-09T01:00:00Z"));
    expect(s.corrections).toEqual([
      { number: 2, publishedAt: at("2024-03-05T02:00:00Z"), date: "2024-03-05" },
      { number: 3, publishedAt: at("2024-04-30T17:00:00Z"), date: "2024-05-01" },
    ]);
    expect(matchesFilter(s, "corrected")).toBe(true);
    expect(matchesFilter(s, "late")).toBe(true);
    expect(matchesFilter(s, "on_time")).toBe(false);
    expect(matchesFilter(s, null)).toBe(true);
    expect(matchesFilter(publicationStatus(APPROVED, [v(1, "2024-02-01T00:00:00Z")], LATER), "corrected")).toBe(false);
  });

  it("counts: the four states partition the list, corrected counted beside them", () => {
    const list = [
      publicationStatus(APPROVED, [], LATER),
      publicationStatus(APPROVED, [], LATER),
      publicationStatus(APPROVED, [v(1, "2024-02-01T00:00:00Z"), v(2, "2024-03-01T00:00:00Z")], LATER),
      publicationStatus(APPROVED, [v(1, "2024-02-10T00:00:00Z")], LATER),
      publicationStatus(null, [], LATER),
    ];
    const counts = statusCounts(list);
    expect(counts).toEqual({ overdue: 2, not_yet_due: 1, late: 1, on_time: 1, corrected: 1, total: 5 });
    expect(counts.overdue + counts.not_yet_due + counts.late + counts.on_time).toBe(counts.total);
  });

  it("orders overdue first (most days first), then not yet due (nearest deadline first), late (most days first), on time", () => {
    const list = [st("on_time", 0), st("late", 1), st("not_yet_due", null), st("overdue", 3), st("not_yet_due", 5), st("late", 9), st("overdue", 30), st("not_yet_due", 0)];
    expect([...list].sort(compareStatus).map((x) => `${x.state}:${x.days}`)).toEqual(["overdue:30", "overdue:3", "not_yet_due:0", "not_yet_due:5", "not_yet_due:null", "late:9", "late:1", "on_time:0"]);
    expect(compareStatus(st("late", 2), st("late", 2))).toBe(0);
  });
});
