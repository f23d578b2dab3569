/**
 * The classified-project sentence is stated once: the narrative says it in 十二（五）, so the project performance tables,
 * which the narrative prints in 十二（四）, do not say it again — in the page, the PDF and Word (issue 9, point 2).
 * The workbook's performance sheet stands alone, so it keeps its own.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyExample, runCli } from "./cli-harness.ts";
import { needs, parseXml, textOf, unzip } from "./office-output-harness.ts";

const SENTENCE = "部门有1个涉密项目，涉及预算资金55.00万元，项目绩效目标表完全不予公开。";
const count = (text: string) => text.replace(/\s+/g, "").split(SENTENCE).length - 1;

describe("the withheld classified project is stated once", () => {
  let out = "";
  beforeAll(() => {
    out = join(copyExample("changji-xinfang-2024"), "..", "out");
    const r = runCli(["build", join(out, "..", "changji-xinfang-2024"), "--out", out], { timeoutMs: 180_000 });
    expect(r.status, r.stderr).toBe(0);
  }, 200_000);

  it("in the page", () => {
    expect(count(readFileSync(join(out, "index.html"), "utf8").replace(/<[^>]+>/g, ""))).toBe(1);
  });

  it("in Word", () => {
    const xml = unzip(readFileSync(join(out, "disclosure.docx"))).get("word/document.xml")!.toString("utf8");
    expect(count(textOf(parseXml(xml)))).toBe(1);
  });

  it("in the PDF", () => {
    if (!needs("pdftotext")) return;
    const text = spawnSync("pdftotext", ["-layout", join(out, "disclosure.pdf"), "-"], { encoding: "utf8" }).stdout;
    expect(count(text)).toBe(1);
  });

  it("in the workbook's performance sheet, which stands alone", () => {
    const sheets = [...unzip(readFileSync(join(out, "disclosure.xlsx")))].filter(([k]) => k === "xl/sharedStrings.xml").map(([, v]) => v.toString("utf8"));
    expect(sheets.join("").replace(/<[^>]+>/g, "").replace(/\s+/g, "")).toContain(SENTENCE);
  });
});
