import { describe, expect, it } from "vitest";
import { describeChange, formatPercent } from "./change-wording.ts";
import { WAN_YUAN_2DP } from "./money.ts";

const yuan = (y: number) => BigInt(Math.round(y * 100));
const change = (current: number, prior: number) => describeChange(yuan(current), yuan(prior), WAN_YUAN_2DP);

describe("words follow the printed numbers (CONVENTIONS.md)", () => {
  it("an increase and a decrease carry a percentage rounded once from exact amounts", () => {
    const c = change(28_500, 10_893); // 财政拨款结转 2.85 vs 1.0893 万元
    expect(c.direction).toBe("up");
    expect(c.changeSteps).toBe(176n);
    expect(formatPercent(c.percentHundredths!)).toBe("161.64");
    const d = change(151_700, 161_100); // 行政单位医疗 15.17 vs 16.11
    expect(d.direction).toBe("down");
    expect(formatPercent(d.percentHundredths!)).toBe("5.83");
  });

  it("a change that prints 0.00 is 持平, without percentage", () => {
    const c = change(6_000, 6_000);
    expect(c.direction).toBe("flat");
    expect(c.percentHundredths).toBeNull();
    expect(change(6_000, 5_990).direction).toBe("flat"); // 0.001 万元 prints 0.00
  });

  it("growth from a prior that prints 0.00 is 新增, not 100 %", () => {
    const c = change(550_000, 0);
    expect(c.direction).toBe("new");
    expect(c.percentHundredths).toBeNull();
  });

  it("both 0.00 is 未安排; a current 0.00 after a non-zero prior is a 100 % decrease", () => {
    expect(change(0, 0).direction).toBe("none");
    const c = change(0, 900_000);
    expect(c.direction).toBe("down");
    expect(formatPercent(c.percentHundredths!)).toBe("100.00");
  });
});
