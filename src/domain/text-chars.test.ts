import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closeBidi, refusedTextChar } from "./text-chars.ts";

const LRE = "\u202a", RLE = "\u202b", PDF = "\u202c", RLO = "\u202e", LRI = "\u2066", RLI = "\u2067", FSI = "\u2068", PDI = "\u2069";

describe("closeBidi", () => {
  it("leaves a text without bidi controls, and one whose controls are all closed, as it is", () => {
    expect(closeBidi("昌吉回族自治州信访局")).toBe("昌吉回族自治州信访局");
    expect(closeBidi(`a${RLO}b${PDF}c`)).toBe(`a${RLO}b${PDF}c`);
    expect(closeBidi(`${RLI}ئۇيغۇر${PDI} 信访`)).toBe(`${RLI}ئۇيغۇر${PDI} 信访`);
  });

  it("closes what is left open at the end, innermost first", () => {
    expect(closeBidi(`乙${RLO}`)).toBe(`乙${RLO}${PDF}`);
    expect(closeBidi(`${RLI}x`)).toBe(`${RLI}x${PDI}`);
    expect(closeBidi(`${LRI}a${RLE}b`)).toBe(`${LRI}a${RLE}b${PDF}${PDI}`);
    expect(closeBidi(`${RLE}a${FSI}b${LRE}`)).toBe(`${RLE}a${FSI}b${LRE}${PDF}${PDI}${PDF}`);
  });

  it("pairs as Unicode's bidi algorithm does: a PDI closes the embeddings opened inside its isolate, a PDF never crosses an isolate", () => {
    expect(closeBidi(`${RLI}a${RLO}b${PDI}`)).toBe(`${RLI}a${RLO}b${PDI}`);
    expect(closeBidi(`${RLO}a${RLI}b${PDF}`)).toBe(`${RLO}a${RLI}b${PDF}${PDI}${PDF}`);
    // closers with nothing to close change nothing and are left alone
    expect(closeBidi(`a${PDF}${PDI}b`)).toBe(`a${PDF}${PDI}b`);
  });

  it("gives a text that is closed (closing it again adds nothing), starts with the input and adds no refused character", () => {
    const bidi = fc.constantFrom(LRE, RLE, PDF, "\u202d", RLO, LRI, RLI, FSI, PDI, "a", "信", "\n");
    fc.assert(
      fc.property(fc.array(bidi, { maxLength: 30 }).map((a) => a.join("")), (s) => {
        const closed = closeBidi(s);
        expect(closed.startsWith(s)).toBe(true);
        expect(closeBidi(closed)).toBe(closed);
        expect(refusedTextChar(closed)).toBeNull();
      }),
    );
  });
});
