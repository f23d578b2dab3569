import { describe, expect, it } from "vitest";
import { codeTokens, indexTokens, MAX_QUERY_TERMS, MAX_TOKEN_CHARS, normaliseSearchText, queryTerms, tokenText } from "./search-terms.ts";

/** whether an entry with these tokens matches the query, as the store matches (every term; prefix or exact) */
function matches(tokens: readonly string[], query: string): boolean {
  const terms = queryTerms(query);
  return terms.length > 0 && terms.every((t) => tokens.some((k) => (t.prefix ? k.startsWith(t.text) : k === t.text)));
}

describe("search terms", () => {
  it("indexes a Han run as its overlapping pairs and its last character", () => {
    expect(indexTokens("昌吉回族自治州信访局")).toEqual(["昌吉", "吉回", "回族", "族自", "自治", "治州", "州信", "信访", "访局", "局"]);
    expect(indexTokens("局")).toEqual(["局"]);
    expect(indexTokens("信访")).toEqual(["信访", "访"]);
  });

  it("keeps ASCII words and digit codes whole, splits at punctuation and spaces, lower-cases", () => {
    expect(indexTokens("特定目标 8910002U")).toEqual(["特定", "定目", "目标", "标", "8910002u"]);
    expect(indexTokens("行政运行（项）")).toEqual(["行政", "政运", "运行", "行", "项"]);
    expect(indexTokens("P2024001·2024年度")).toEqual(["p2024001", "2024", "年度", "度"]);
    expect(indexTokens("  ,.;\"'*()  ")).toEqual([]);
  });

  it("normalises with NFKC: Kangxi radicals, full-width digits and letters, the ideographic space", () => {
    // ⽀ is U+2F40 KANGXI RADICAL BRANCH, 出 is unified already
    expect(normaliseSearchText("\u2F40出")).toBe("支出");
    expect(indexTokens("\u2F40出")).toEqual(indexTokens("支出"));
    expect(indexTokens("２０１０３０１")).toEqual(["2010301"]);
    expect(indexTokens("Ｐ２０２４　信访")).toEqual(["p2024", "信访", "访"]);
    expect(matches(indexTokens("一般公共预算支出"), "\u2F40出")).toBe(true);
  });

  it("does not end a Han run at an invisible format character or a variation selector", () => {
    expect(indexTokens("信\u200B访")).toEqual(["信访", "访"]);
    expect(indexTokens("信\uFE00访")).toEqual(["信访", "访"]);
  });

  it("a query: pairs exact, a one-character run as a prefix, words exact, each once", () => {
    expect(queryTerms("信访")).toEqual([{ text: "信访", prefix: false }]);
    expect(queryTerms("三公")).toEqual([{ text: "三公", prefix: false }]);
    expect(queryTerms("信访局 信访")).toEqual([
      { text: "信访", prefix: false },
      { text: "访局", prefix: false },
    ]);
    expect(queryTerms("局")).toEqual([{ text: "局", prefix: true }]);
    expect(queryTerms("2010301")).toEqual([{ text: "2010301", prefix: false }]);
    expect(queryTerms("30217 公务接待")).toEqual([
      { text: "30217", prefix: false },
      { text: "公务", prefix: false },
      { text: "务接", prefix: false },
      { text: "接待", prefix: false },
    ]);
  });

  it("a query of syntax alone has no term; operators become plain words", () => {
    for (const q of ["", "   ", "*", '"', "'", "()", "<>", "--", ":*", "&|!"]) expect(queryTerms(q), q).toEqual([]);
    expect(queryTerms('" OR 1=1').map((t) => t.text)).toEqual(["or", "1"]);
    expect(queryTerms("NEAR(a b)").map((t) => t.text)).toEqual(["near", "a", "b"]);
    expect(queryTerms('信访" OR "x').map((t) => t.text)).toEqual(["信访", "or", "x"]);
    expect(queryTerms("<script>alert(1)</script>").map((t) => t.text)).toEqual(["script", "alert", "1"]);
    for (const t of queryTerms("'; DROP TABLE gongkai_budget; --")) expect(t.text).toMatch(/^[a-z0-9]+$/);
  });

  it("bounds tokens and terms", () => {
    expect(queryTerms("信".repeat(100))).toEqual([{ text: "信信", prefix: false }]);
    expect(indexTokens("a".repeat(500))).toEqual(["a".repeat(MAX_TOKEN_CHARS)]);
    const many = Array.from({ length: 150 }, (_, i) => `w${i}`).join(" ");
    expect(queryTerms(many)).toHaveLength(MAX_QUERY_TERMS);
  });

  it("finds a text by any two adjacent characters, any one character, and its words", () => {
    const tokens = indexTokens("昌吉回族自治州信访局");
    for (const q of ["信访", "访局", "信访局", "昌吉", "局", "信", "吉", "昌吉 信访"]) expect(matches(tokens, q), q).toBe(true);
    for (const q of ["访信", "信局", "北京", "维稳", "x"]) expect(matches(tokens, q), q).toBe(false);
  });

  it("a function code gives its 类 and 款; an economic code its 类; other codes themselves", () => {
    expect(codeTokens("function", "2010301")).toEqual(["2010301", "201", "20103"]);
    expect(codeTokens("function", "201")).toEqual(["201"]);
    expect(codeTokens("economic", "30217")).toEqual(["30217", "302"]);
    expect(codeTokens("other", "P2024001")).toEqual(["p2024001"]);
    expect(codeTokens("other", "")).toEqual([]);
    expect(matches(codeTokens("function", "2010301"), "20103")).toBe(true);
    expect(matches(codeTokens("function", "2010301"), "2010")).toBe(false);
  });

  it("token text: single spaces, each token once, no empty token", () => {
    expect(tokenText(["信访", "", "访局", "信访"])).toBe("信访 访局");
    expect(tokenText([])).toBe("");
  });
});
