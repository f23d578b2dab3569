import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseYuan } from "../../domain/money.ts";
import { amountCell } from "../render/input-workbook-writer.ts";
import { plainDecimal } from "./xlsx-budget-reader.ts";
import { yamlAmount, yamlString } from "./xlsx-budget-yaml.ts";

const core = (text: string): unknown => parse(text, { version: "1.2", schema: "core" });

describe("YAML of an imported budget", () => {
  it("writes any string so that it reads back as that same string, in block and in flow context", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const clean = s.replace(/[\ud800-\udfff]/g, "\ufffd");
        expect(core(`k: ${yamlString(clean)}\n`)).toEqual({ k: clean });
        expect(core(`k: { a: ${yamlString(clean, true)}, b: 1 }\n`)).toEqual({ k: { a: clean, b: 1 } });
      }),
      { numRuns: 2000 },
    );
    for (const s of ["001", "2010301", "true", "null", "1e5", ".nan", "yes", "a: b", "a #b", "- x", "2024-02-23", "x,y", " padded ", "多行\n文本"]) {
      expect(core(`k: ${yamlString(s)}\n`)).toEqual({ k: s });
    }
    expect(yamlString("昌吉回族自治州信访局")).toBe("昌吉回族自治州信访局");
  });

  it("writes amounts unquoted from the exact 分", () => {
    expect(yamlAmount(78675000n)).toBe("786750");
    expect(yamlAmount(103675010n)).toBe("1036750.10");
    expect(yamlAmount(5n)).toBe("0.05");
  });
});

describe("amounts through a spreadsheet number", () => {
  it("the writer's number reads back as exactly the same 分 (or it writes text)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), (fen) => {
        const cell = amountCell(fen);
        const text = typeof cell === "number" ? plainDecimal(cell) : cell;
        const back = parseYuan(text);
        expect(back.ok && back.fen).toBe(fen);
      }),
      { numRuns: 5000 },
    );
  });

  it("a number's shortest decimal, without exponent, shows its real decimals", () => {
    expect(plainDecimal(1036750.1)).toBe("1036750.1");
    expect(plainDecimal(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(plainDecimal(1e-7)).toBe("0.0000001");
    expect(plainDecimal(1.5e21)).toBe("1500000000000000000000");
    expect(parseYuan(plainDecimal(0.1 + 0.2))).toEqual({ ok: false, problem: "too-many-decimals" });
  });
});
