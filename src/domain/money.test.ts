import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divRoundHalfAway, formatCell, formatSteps, formatYuan, parseSteps, parseYuan, stepsOfSafeInteger, toSteps, WAN_YUAN_2DP } from "./money.ts";

describe("amounts from text", () => {
  it.each([
    ["1036750", 103675000n],
    ["1036750.1", 103675010n],
    ["1,036,750.10", 103675010n],
    ["１０３６７５０．１０", 103675010n],
    ["  12.30 ", 1230n],
    ["12.300", 1230n],
    ["0", 0n],
  ])("%s → %s 分", (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, fen });
  });

  it.each([
    ["1.005", "too-many-decimals"],
    ["-1", "negative"],
    ["1e5", "not-a-number"],
    ["NaN", "not-a-number"],
    [".nan", "not-a-number"],
    ["1,03,6750", "not-a-number"],
    ["12 345", "not-a-number"],
    ["", "empty"],
    ["1" + "0".repeat(20), "too-large"],
  ])("%s is refused (%s)", (text, problem) => {
    expect(parseYuan(text)).toEqual({ ok: false, problem });
  });

  it("round-trips every amount exactly", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (fen) => parseYuan(formatYuan(fen)).ok && (parseYuan(formatYuan(fen)) as { fen: bigint }).fen === fen));
  });
});

describe("printed cells", () => {
  it("round half away from zero, once", () => {
    expect(divRoundHalfAway(5n, 10n)).toBe(1n);
    expect(divRoundHalfAway(-5n, 10n)).toBe(-1n);
    expect(divRoundHalfAway(4n, 10n)).toBe(0n);
    expect(toSteps(103_675_000n, WAN_YUAN_2DP)).toBe(10368n); // 1,036,750 元 → 103.68 万元
    expect(toSteps(372_020_000n, WAN_YUAN_2DP)).toBe(37202n);
  });

  it("blank is exactly zero; a non-zero total that rounds to nothing prints 0.00", () => {
    expect(formatCell(0n, WAN_YUAN_2DP)).toBe("");
    expect(formatCell(3600n, WAN_YUAN_2DP)).toBe("0.00"); // 36 元
    expect(formatCell(5000n, WAN_YUAN_2DP)).toBe("0.01"); // 50 元 rounds up
    expect(formatSteps(-1234n, 2)).toBe("-12.34");
  });

  it("rounds exact float64 integers exactly as bigint rounding does, up to 2^53", () => {
    const safe = fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -1e7, max: 1e7 }), fc.constantFrom(5000, 15000, -5000, Number.MAX_SAFE_INTEGER, 9_007_199_254_735_000));
    fc.assert(
      fc.property(safe, fc.constantFrom(1, 100, 10_000, 1_000_000), (v, step) => stepsOfSafeInteger(v, step) === Number(divRoundHalfAway(BigInt(v), BigInt(step)))),
      { numRuns: 5000 },
    );
  });

  it("parses printed text back", () => {
    expect(parseSteps("372.02", 2)).toBe(37202n);
    expect(parseSteps("1,234.5", 2)).toBe(123450n);
    expect(parseSteps("", 2)).toBeNull();
    expect(parseSteps("abc", 2)).toBeNull();
  });
});
