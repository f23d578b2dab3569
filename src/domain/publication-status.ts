/**
 * The publication status of a department's budget for a year, against the 20-day rule (publication-clock.ts): published
 * on time or late (by how many days), not yet due (not published, the deadline not passed — or no 批复日期 yet), or
 * overdue (not published, past the deadline, by how many days); and, beside on time / late, corrected (a published
 * budget with later versions, with their dates). All dates are Asia/Shanghai calendar dates. Pure: `now` is given.
 */
import { clockStatus, shanghaiDate } from "./publication-clock.ts";

export type PublicationState = "overdue" | "not_yet_due" | "late" | "on_time";
/** the states in display order: what needs attention first */
export const PUBLICATION_STATES: readonly PublicationState[] = ["overdue", "not_yet_due", "late", "on_time"];

/** what a status list can be filtered by: a state, or corrected (a subset of on time and late) */
export type StatusFilter = PublicationState | "corrected";
export const STATUS_FILTERS: readonly [StatusFilter, ...StatusFilter[]] = ["overdue", "not_yet_due", "late", "on_time", "corrected"];

/** a published version of the budget: its number (1, 2, …) and the instant it was published */
export interface PublishedVersion {
  readonly number: number;
  readonly publishedAt: Date;
}

export interface Correction {
  readonly number: number;
  readonly publishedAt: Date;
  /** the Asia/Shanghai date of `publishedAt` */
  readonly date: string;
}

export interface PublicationStatus {
  readonly state: PublicationState;
  /**
   * late: days after the deadline of the first publication; overdue: days past the deadline today; not_yet_due: days
   * left including today (0: the deadline is today), null when there is no 批复日期 yet; on_time: 0
   */
  readonly days: number | null;
  /** the last day to publish (批复日期 + 20 days); null without a 批复日期 */
  readonly deadline: string | null;
  /** version 1's instant and its Asia/Shanghai date; null when never published */
  readonly firstPublishedAt: Date | null;
  readonly firstPublishedDate: string | null;
  /** the versions after the first, in order; empty when never corrected */
  readonly corrections: readonly Correction[];
}

/**
 * The status of one budget from the region-year's 批复日期, its published versions (any order; none when it was never
 * published or there is no budget) and the current instant. A budget published while there is no 批复日期 cannot have
 * been late: it is on time, with no deadline.
 */
export function publicationStatus(approvalDate: string | null, versions: readonly PublishedVersion[], now: Date): PublicationStatus {
  const sorted = [...versions].sort((a, b) => a.number - b.number);
  const first = sorted[0] ?? null;
  const corrections = sorted.slice(1).map((v) => ({ number: v.number, publishedAt: v.publishedAt, date: shanghaiDate(v.publishedAt) }));
  const published = { firstPublishedAt: first?.publishedAt ?? null, firstPublishedDate: first ? shanghaiDate(first.publishedAt) : null, corrections };
  const clock = clockStatus(approvalDate, first?.publishedAt ?? null, now);
  switch (clock.state) {
    case "no_approval_date":
      return first ? { state: "on_time", days: 0, deadline: null, ...published } : { state: "not_yet_due", days: null, deadline: null, ...published };
    case "open":
      return { state: "not_yet_due", days: clock.days, deadline: clock.deadline, ...published };
    case "overdue":
      return { state: "overdue", days: clock.days, deadline: clock.deadline, ...published };
    case "on_time":
      return { state: "on_time", days: 0, deadline: clock.deadline, ...published };
    case "late":
      return { state: "late", days: clock.days, deadline: clock.deadline, ...published };
  }
}

export function isCorrected(s: PublicationStatus): boolean {
  return s.corrections.length > 0;
}

export function matchesFilter(s: PublicationStatus, filter: StatusFilter | null): boolean {
  return filter === null || (filter === "corrected" ? isCorrected(s) : s.state === filter);
}

export type StatusCounts = Readonly<Record<StatusFilter, number>> & { readonly total: number };

/** How many of each state (they partition `all`: their sum is `total`), and how many corrected. */
export function statusCounts(all: readonly PublicationStatus[]): StatusCounts {
  const counts = { overdue: 0, not_yet_due: 0, late: 0, on_time: 0, corrected: 0, total: all.length };
  for (const s of all) {
    counts[s.state]++;
    if (isCorrected(s)) counts.corrected++;
  }
  return counts;
}

/**
 * The order of a status list: overdue first (most days first), then not yet due (nearest deadline first, no
 * 批复日期 last), then late (most days first), then on time. 0 for the same place (the caller orders those, e.g. by code).
 */
export function compareStatus(a: PublicationStatus, b: PublicationStatus): number {
  const rank = PUBLICATION_STATES.indexOf(a.state) - PUBLICATION_STATES.indexOf(b.state);
  if (rank !== 0) return rank;
  const da = a.days ?? Number.POSITIVE_INFINITY;
  const db = b.days ?? Number.POSITIVE_INFINITY;
  if (da === db) return 0;
  return a.state === "not_yet_due" ? (da < db ? -1 : 1) : da > db ? -1 : 1;
}
