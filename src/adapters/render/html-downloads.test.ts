/**
 * The page's downloads block links exactly the other files of its own build: the files each format says it writes
 * (FORMAT_FILES) are the files it renders, and a build in some formats links those formats' files only, by relative
 * paths, each named in Chinese.
 */
import { parse } from "node-html-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { BuildResult } from "../../app/build-disclosure.ts";
import { buildExample } from "../../../test/page-fixture.ts";
import { buildFiles, FORMAT_FILES, OUTPUT_FORMATS, renderBuild } from "./build-outputs.ts";
import { renderDownloads } from "./html-downloads.ts";

let result: BuildResult;
beforeAll(async () => {
  result = await buildExample("three-units-2024");
});

const pageLinks = (html: string) =>
  parse(html)
    .querySelectorAll("nav.downloads a")
    .map((a) => ({ href: a.getAttribute("href") ?? "", text: a.textContent }));

describe("the files of a build", () => {
  it("each format lists the files it renders, in the order it renders them", async () => {
    expect([...FORMAT_FILES.keys()]).toEqual([...OUTPUT_FORMATS.keys()]);
    for (const format of OUTPUT_FORMATS.keys()) {
      const rendered = await renderBuild(result, result.findings, [format]);
      expect(
        FORMAT_FILES.get(format)!(result).map((f) => f.path),
        format,
      ).toEqual(rendered.map((f) => f.path));
    }
  });

  it("a full build's page links every other file it writes, each once, by a relative path", async () => {
    const files = await renderBuild(result, result.findings);
    const page = files.find((f) => f.path === "index.html")!;
    const links = pageLinks(String(page.content));
    expect(links.map((l) => l.href).sort()).toEqual(
      files
        .map((f) => f.path)
        .filter((p) => p !== "index.html")
        .sort(),
    );
    for (const l of links) expect(l.href).not.toMatch(/^(\/|[a-z]+:)/i);
  });

  it("a build in some formats links only what it writes (html + csv: the tables' CSVs)", async () => {
    const files = await renderBuild(result, result.findings, ["html"], ["html", "csv"]);
    const links = pageLinks(String(files[0]!.content));
    const csv = buildFiles(result, ["csv"]).map((f) => f.path);
    expect(links.map((l) => l.href)).toEqual(csv);
    expect(links[0]!.text).toBe("表1 部门收支总体情况表");
    expect(links.at(-1)!.text).toBe("项目支出绩效目标表");
    const alone = await renderBuild(result, result.findings, ["html"]);
    expect(String(alone[0]!.content)).not.toContain(`class="downloads"`);
  });

  it("names each format in Chinese, documents first, and escapes paths", () => {
    const html = renderDownloads(
      [
        { format: "json", path: "findings.json" },
        { format: "pdf", path: "disclosure.pdf" },
        { format: "datapackage", path: "datapackage.json" },
        { format: "docx", path: "disclosure.docx" },
        { format: "x", path: "a b&c.txt" },
      ],
      () => undefined,
    );
    const links = pageLinks(html);
    expect(links.map((l) => l.text)).toEqual(["PDF 印刷版", "Word 文档", "开放数据包描述（Fiscal Data Package）", "检查结果（JSON）", "a b&c.txt"]);
    expect(links.at(-1)!.href).toBe("a%20b&c.txt");
    expect(renderDownloads([], () => undefined)).toBe("");
  });
});
