/**
 * The publication clock: a department's budget must be public within 20 calendar days of its budget's approval
 * (批复日期), counted in the region's calendar (Asia/Shanghai, UTC+8 all year: China keeps no daylight saving time).
 * Dates are `YYYY-MM-DD`; instants are `Date`s.
 */

export const PUBLICATION_DAYS = 20;

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date in Asia/Shanghai of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `s` is a real calendar date `YYYY-MM-DD` (not 2024-02-30). */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOfDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The last day a disclosure may be published: the approval date plus 20 calendar days. */
export function publicationDeadline(approvalDate: string): string {
  return dateOfDay(dayNumber(approvalDate) + PUBLICATION_DAYS);
}

export type ClockState = "no_approval_date" | "open" | "overdue" | "on_time" | "late";

export interface ClockStatus {
  readonly state: ClockState;
  readonly deadline: string | null;
  /** open: days left including today (0 = the deadline is today); overdue and late: days past the deadline */
  readonly days: number | null;
}

/**
 * Where a disclosure stands against its deadline: published on time or late (by the Asia/Shanghai date of its first
 * publication), or still open with days left, or overdue.
 */
export function clockStatus(approvalDate: string | null, firstPublishedAt: Date | null, now: Date): ClockStatus {
  if (approvalDate === null) return { state: "no_approval_date", deadline: null, days: null };
  const deadline = publicationDeadline(approvalDate);
  const last = dayNumber(deadline);
  if (firstPublishedAt !== null) {
    const d = dayNumber(shanghaiDate(firstPublishedAt)) - last;
    return d <= 0 ? { state: "on_time", deadline, days: 0 } : { state: "late", deadline, days: d };
  }
  const today = dayNumber(shanghaiDate(now));
  return today <= last ? { state: "open", deadline, days: last - today } : { state: "overdue", deadline, days: today - last };
}
