/**
 * A year-on-year change and the words for it, per CONVENTIONS.md: change = exact current − exact prior, rounded
 * once; percentage = exact change ÷ exact prior, rounded once to 0.01 %; the words follow the PRINTED numbers.
 */
import { divRoundHalfAway, toSteps, type PrintUnit } from "./money.ts";

/**
 * - `up` / `down`: 增加 … 增长 / 减少 … 下降, with a percentage
 * - `flat`: the change prints 0.00 → 持平, no percentage
 * - `new`: the prior prints 0.00 and the current does not → 新增 with the amount, no percentage
 * - `none`: both print 0.00 → 未安排, no figures
 * - a current that prints 0.00 after a non-zero prior is `down` (减少 …，下降 100.00 %)
 */
export type Direction = "up" | "down" | "flat" | "new" | "none";

export interface Change {
  readonly direction: Direction;
  /** exact change in 分 (current − prior) */
  readonly change: bigint;
  /** printed steps of |change| */
  readonly changeSteps: bigint;
  /** |change| ÷ prior in hundredths of a percent (e.g. 16164n = 161.64 %), or null where no percentage is stated */
  readonly percentHundredths: bigint | null;
}

export function describeChange(current: bigint, prior: bigint, unit: PrintUnit): Change {
  const curSteps = toSteps(current, unit);
  const priorSteps = toSteps(prior, unit);
  const change = current - prior;
  const changeSteps = toSteps(change < 0n ? -change : change, unit);
  const pct = prior === 0n ? null : divRoundHalfAway((change < 0n ? -change : change) * 10_000n, prior < 0n ? -prior : prior);
  let direction: Direction;
  if (curSteps === 0n && priorSteps === 0n) direction = "none";
  else if (priorSteps === 0n) direction = "new";
  else if (changeSteps === 0n) direction = "flat";
  else direction = change > 0n ? "up" : "down";
  const withPct = direction === "up" || direction === "down";
  return { direction, change, changeSteps, percentHundredths: withPct ? pct : null };
}

export const DIRECTION_ZH: Record<Direction, string> = {
  up: "增加",
  down: "减少",
  flat: "持平",
  new: "新增",
  none: "未安排",
};

export const DIRECTION_EN: Record<Direction, string> = {
  up: "an increase",
  down: "a decrease",
  flat: "no change",
  new: "new money",
  none: "nothing budgeted",
};

/** 16164n → "161.64" */
export function formatPercent(hundredths: bigint): string {
  const neg = hundredths < 0n;
  const a = neg ? -hundredths : hundredths;
  return `${neg ? "-" : ""}${a / 100n}.${(a % 100n).toString().padStart(2, "0")}`;
}
