/**
 * The printed header grid from print paths, the merged 一级/二级指标 cells of the performance tables, and the page's
 * tables as a narrow screen needs them (sticky key columns; a side's code and name under one label).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildExample, clean, renderPage, type BuiltPage } from "../../../test/page-fixture.ts";
import { keyColumnCount } from "./html-table.ts";
import { mergeDown as mergeSpans } from "../../domain/table-header.ts";
import { headerRows } from "../../domain/table-header.ts";

const cells = (paths: string[][]) => headerRows(paths).map((row) => row.map((h) => `${h.label}:${h.colspan}x${h.rowspan}`));

describe("headerRows", () => {
  it("merges equal adjacent group labels and lets short paths span down", () => {
    expect(cells([["编码", "类"], ["编码", "款"], ["名称"], ["支出", "基本", "人员"], ["支出", "基本", "公用"], ["支出", "项目"]])).toEqual([
      ["编码:2x1", "名称:1x3", "支出:3x1"],
      ["类:1x2", "款:1x2", "基本:2x1", "项目:1x2"],
      ["人员:1x1", "公用:1x1"],
    ]);
  });

  it("does not merge equal labels under different parents, nor a leaf with a group", () => {
    expect(cells([["财政拨款", "合计"], ["非财政拨款", "合计"], ["合计"], ["合计", "x"]])).toEqual([
      ["财政拨款:1x1", "非财政拨款:1x1", "合计:1x2", "合计:1x1"],
      ["合计:1x1", "合计:1x1", "x:1x1"],
    ]);
  });

  it("covers every column exactly once on every header row (property)", () => {
    const label = fc.constantFrom("A", "B", "C");
    fc.assert(
      fc.property(fc.array(fc.array(label, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (paths) => {
        const rows = headerRows(paths);
        const depth = Math.max(...paths.map((p) => p.length));
        expect(rows).toHaveLength(depth);
        const cover = rows.map(() => paths.map(() => 0));
        rows.forEach((row, level) =>
          row.forEach((h) => {
            for (let l = level; l < level + h.rowspan; l++) for (let c = h.col; c < h.col + h.colspan; c++) cover[l]![c]! += 1;
          }),
        );
        expect(cover.flat().every((n) => n === 1)).toBe(true);
        // a column's leaf cell (possibly merged with identical neighbours) carries the last label of its path
        for (let c = 0; c < paths.length; c++) {
          const leaf = rows.flat().find((h) => h.leaf && h.col <= c && c < h.col + h.colspan)!;
          expect(leaf.label).toBe(paths[c]![paths[c]!.length - 1]);
        }
      }),
    );
  });
});

describe("mergeSpans", () => {
  it("merges level 1 down, and level 2 only inside its level-1 group", () => {
    const rows = [
      ["产出", "数量", "a"],
      ["产出", "数量", "b"],
      ["产出", "质量", "c"],
      ["效益", "质量", "d"],
      ["效益", "", "e"],
      ["效益", "", "f"],
    ];
    expect(mergeSpans(rows, [0, 1]).map((r) => r.slice(0, 2))).toEqual([
      [3, 2],
      [0, 0],
      [0, 1],
      [3, 1],
      [0, 1],
      [0, 1],
    ]);
  });
});

describe("the page's tables on a narrow screen", () => {
  let page: BuiltPage;
  beforeAll(async () => {
    page = renderPage(await buildExample("changji-xinfang-2024"));
  });
  const table = (id: string) => page.root.querySelector(`#${id}-table`)!;
  const classes = (id: string, row: string) =>
    table(id)
      .querySelector(row)!
      .querySelectorAll("th, td")
      .map((c) => (c.getAttribute("class") ?? "").split(" ").filter((k) => k === "key" || /^k\d$/.test(k)).join(" "));

  it("marks the code and name columns of a one-sided table as sticky key columns, each with its position", () => {
    expect(keyColumnCount(page.result.disclosure.tables.find((t) => t.id === "t02")!.columns.map((column) => ({ column })))).toBe(4);
    expect(classes("t02", "tbody tr").slice(0, 5)).toEqual(["key k0", "key k1", "key k2", "key k3", ""]);
    expect(classes("t06", "tbody tr").slice(0, 4)).toEqual(["key k0", "key k1", "key k2", ""]);
    expect(classes("t11", "tbody tr").slice(0, 2)).toEqual(["key k0", ""]);
    // header cells over key columns only are sticky too: 功能分类科目编码 over 类 款 项, the name header
    const head = table("t02").querySelectorAll("thead th").filter((th) => (th.getAttribute("class") ?? "").includes("key"));
    expect(head.map((th) => `${clean(th.textContent)} ${th.getAttribute("class")}`)).toEqual(["功能分类科目编码 key k0", "功能分类科目名称 key k3", "类 key k0", "款 key k1", "项 key k2"]);
  });

  it("keeps a two-sided table's columns unstuck, and prints a side's code and name under the code's one label", () => {
    expect(table("t01").querySelectorAll(".key")).toHaveLength(0);
    const spanning = table("t01")
      .querySelectorAll("thead th")
      .map((th) => `${clean(th.textContent)}:${th.getAttribute("colspan") ?? "1"}`);
    expect(spanning).toContain("支出功能分类:2");
    expect(spanning).not.toContain("支出功能分类:1");
  });
});
