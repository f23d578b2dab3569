import { describe, expect, it } from "vitest";
import { spacedText } from "./text-spacing.ts";

describe("spacedText", () => {
  it("finds a space between a Chinese character and a digit or Latin letter, either way round", () => {
    expect(spacedText("根据我单位三定方案及 2024 年度工作计划")).toEqual({ count: 2, excerpt: "…位三定方案及 2024 年…" });
    expect(spacedText("含 IT 科")).toEqual({ count: 2, excerpt: "含 IT 科" });
    expect(spacedText("【2023】26 号")?.count).toBe(1);
    expect(spacedText("本年度安排 2万元")?.count).toBe(1);
    expect(spacedText("办结率\u00a0100%")?.count).toBe(1);
  });

  it("counts full-width punctuation as Chinese, and nothing else", () => {
    expect(spacedText("经费， 2024年")?.count).toBe(1);
    expect(spacedText("2024年度在职职工工资福利费")).toBeNull();
    expect(spacedText("budget execution rate")).toBeNull();
    expect(spacedText("工作经费 （自有资金）")).toBeNull();
    expect(spacedText("100 %")).toBeNull();
    expect(spacedText("")).toBeNull();
  });

  it("cuts its excerpt by characters, never inside one", () => {
    const r = spacedText("𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀 2024年度𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀")!;
    expect(r.excerpt).toBe("…𠀀𠀀𠀀𠀀𠀀𠀀 2024年度…");
  });
});
