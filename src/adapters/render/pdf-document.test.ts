import { describe, expect, it } from "vitest";
import { projectData } from "../ingest/project-data.ts";
import { readBudgetFile } from "../ingest/yaml-budget-reader.ts";
import { buildDisclosure } from "../../app/build-disclosure.ts";
import { renderDisclosurePdf } from "./pdf-document.ts";
import { fontParseCount } from "./pdf-fonts.ts";

describe("disclosure.pdf rendering", async () => {
  const r = await readBudgetFile("examples/changji-xinfang-2024/budget.yaml");
  if (!r.ok) throw new Error("example unreadable");
  const b = buildDisclosure(projectData, r.budget);
  if (!b.ok) throw new Error("example refused");
  const input = { result: b.result, findings: b.result.findings };

  it("parses each font weight once per process, and gives the same bytes for the same disclosure", async () => {
    const first = await renderDisclosurePdf(input);
    expect(fontParseCount()).toBe(2);
    const second = await renderDisclosurePdf(input);
    expect(fontParseCount()).toBe(2);
    expect(Buffer.from(first.subarray(0, 8)).toString("latin1")).toMatch(/^%PDF-1\.7/);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it("keeps its subsets to the glyphs used (a few hundred kilobytes, not the 10 MB fonts)", async () => {
    const pdf = await renderDisclosurePdf(input);
    expect(pdf.byteLength).toBeLessThan(1_000_000);
  });
});
