import { describe, expect, it } from "vitest";
import { CJK_RADICALS_SUPPLEMENT, displayWidth, KANGXI_RADICALS, nameKey, normaliseText } from "./normalise-text.ts";

describe("normaliseText", () => {
  it("maps every Kangxi radical U+2F00–U+2FD5 to the ideograph of its Unicode compatibility decomposition", () => {
    expect([...KANGXI_RADICALS]).toHaveLength(0x2fd5 - 0x2f00 + 1);
    for (let cp = 0x2f00; cp <= 0x2fd5; cp++) {
      const radical = String.fromCodePoint(cp);
      expect(normaliseText(radical), `U+${cp.toString(16)}`).toBe(radical.normalize("NFKC"));
    }
  });

  it("reads the radicals office software prints for common words", () => {
    // written by hand: ⽀ U+2F40, ⼀ U+2F00, ⽤ U+2F64, ⾏ U+2F8F, ⻓ U+2ED3, ⻔ U+2ED4, ⻅ U+2EC5
    expect(normaliseText("\u2f00般公共预算\u2f40出")).toBe("一般公共预算支出");
    expect(normaliseText("机关运\u2f8f经费")).toBe("机关运行经费");
    expect(normaliseText("\u2f64于")).toBe("用于");
    expect(normaliseText("\u2ed3期")).toBe("长期");
    expect(normaliseText("部\u2ed4")).toBe("部门");
    expect(normaliseText("意\u2ec5")).toBe("意见");
  });

  it("maps the CJK radicals supplement only to an equivalent ideograph, and agrees with NFKC where NFKC maps one", () => {
    for (const [from, to] of CJK_RADICALS_SUPPLEMENT) {
      expect(from >= 0x2e80 && from <= 0x2ef3).toBe(true);
      expect((to >= 0x4e00 && to <= 0x9fff) || (to >= 0x3400 && to <= 0x4dbf)).toBe(true);
      const nfkc = String.fromCodePoint(from).normalize("NFKC");
      if (nfkc !== String.fromCodePoint(from)) expect(String.fromCodePoint(to)).toBe(nfkc);
    }
    // a radical with no unified equivalent stays: ⺌ U+2E8C
    expect(normaliseText("\u2e8c")).toBe("\u2e8c");
  });

  it("maps CJK compatibility ideographs to their canonical ideograph, not the twelve unified ones of the block", () => {
    expect(normaliseText("\uf900")).toBe("\u8c48");
    expect(normaliseText("\ufa11")).toBe("\ufa11");
  });

  it("turns full-width digits, letters and the signs of numbers half-width", () => {
    expect(normaliseText("１２３．４５")).toBe("123.45");
    expect(normaliseText("－５．００")).toBe("-5.00");
    expect(normaliseText("−1.5")).toBe("-1.5");
    expect(normaliseText("１２．５％")).toBe("12.5%");
    expect(normaliseText("ＸＸ部门")).toBe("XX部门");
    expect(normaliseText("２０２４年")).toBe("2024年");
  });

  it("keeps a full-width comma as a thousands separator inside a number, and as the Chinese comma elsewhere", () => {
    expect(normaliseText("１，２３４，５６７．８９")).toBe("1,234,567.89");
    expect(normaliseText("1，234.00")).toBe("1,234.00");
    expect(normaliseText("增加5.00万元，主要原因是")).toBe("增加5.00万元，主要原因是");
    expect(normaliseText("分别为3，5")).toBe("分别为3，5");
    expect(normaliseText("12，3456")).toBe("12，3456");
  });

  it("keeps the other full-width punctuation as printed (NFKC would not)", () => {
    for (const s of ["（一）", "单位：万元", "三公；", "收入、支出。", "“三公”经费", "＜", "＞"]) expect(normaliseText(s)).toBe(s);
    expect("（一）".normalize("NFKC")).toBe("(一)"); // why not NFKC for everything
  });

  it("makes ideographic and no-break spaces plain spaces and removes zero-width characters", () => {
    expect(normaliseText("单位\u3000万元")).toBe("单位 万元");
    expect(normaliseText("1\u00a0000")).toBe("1 000");
    expect(normaliseText("支\u200b出\ufeff\u200d")).toBe("支出");
    expect(normaliseText("预\u00ad算")).toBe("预算");
  });

  it("leaves ordinary text untouched", () => {
    const s = "一般公共预算财政拨款收入 1,036,750.10 元（含上年结转）";
    expect(normaliseText(s)).toBe(s);
  });
});

describe("nameKey", () => {
  it("folds punctuation widths and spaces for matching names", () => {
    expect(nameKey("（一） 一般公共服务支出")).toBe(nameKey("(一)一般公共服务支出"));
    expect(nameKey("⼀般公共服务⽀出")).toBe(nameKey("一般公共服务支出"));
    expect(nameKey("单位：万元")).toBe("单位:万元");
  });
});

describe("displayWidth", () => {
  it("counts CJK and full-width characters 2, zero-width 0, others 1", () => {
    expect(displayWidth("支")).toBe(2);
    expect(displayWidth("（")).toBe(2);
    expect(displayWidth("\u3000")).toBe(2);
    expect(displayWidth("\u2f40")).toBe(2);
    expect(displayWidth("1")).toBe(1);
    expect(displayWidth(".")).toBe(1);
    expect(displayWidth("\u200b")).toBe(0);
  });
});
