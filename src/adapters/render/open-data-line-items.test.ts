/**
 * The line items published as open data: a classified project's lines are summed per unit × 项 × economic 类 × fund
 * source under its public label, without its code or economic 款; other lines and carry-over items pass through with
 * exact amounts; a unit's build publishes only that unit's money.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectData } from "../ingest/project-data.ts";
import { readBudgetBytes } from "../ingest/yaml-budget-reader.ts";
import type { Budget } from "../../domain/budget-schema.ts";
import { lineItemRows } from "./open-data-line-items.ts";

const FILE = new URL("../../../examples/three-units-2024/budget.yaml", import.meta.url).pathname;
const SECRET = "6523117X";

/** The three-unit example with two more lines of its classified project: one in the same 类 302, one from gpb.own. */
function budget(): Budget {
  const text = readFileSync(FILE, "utf8").replace(
    /(\n\s*- \{ unit: "102", func: "2120104", econ: "31003"[^\n]*\n)/,
    `$1  - { unit: "102", func: "2120104", econ: "30201", fund: gpb.transfer, kind: project, project: ${SECRET}, amount: 1000.5 }\n` +
      `  - { unit: "102", func: "2120104", econ: "30202", fund: gpb.own, kind: project, project: ${SECRET}, amount: 500 }\n`,
  );
  expect(text).toContain("amount: 1000.5");
  const r = readBudgetBytes(new TextEncoder().encode(text), FILE);
  if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
  return r.budget;
}

const fen = (s: string) => BigInt(s.replace(".", ""));

describe("lineItemRows", () => {
  const b = budget();
  const catalog = projectData.catalog(2024)!;
  const rows = lineItemRows(b, catalog, ["301", "303"], { kind: "department" });

  it("aggregates the classified project to 项 × economic 类 × fund source under its public label", () => {
    const secret = rows.filter((r) => r["aggregated"] === "true");
    expect(secret.map((r) => [r["func_item"], r["econ_class"], r["fund_source"], r["amount"]].join(" ")).sort()).toEqual([
      "2120104 302 gpb.own 500.00",
      "2120104 302 gpb.transfer 251000.50",
      "2120104 310 gpb.transfer 127777.00",
    ]);
    for (const r of secret) {
      expect(r["project"]).toBe(`特定目标 ${SECRET}`);
      expect(r["project_code"]).toBe("");
      expect(r["econ_section"]).toBe("");
      expect(r["expenditure_type"]).toBe("project");
    }
    expect(JSON.stringify(rows).replaceAll(`特定目标 ${SECRET}`, "")).not.toContain(SECRET);
    expect(JSON.stringify(rows)).not.toContain("城区重点部位视频监控防控设施升级");
  });

  it("keeps every other line and carry-over item, with the exact total", () => {
    const secretLines = b.lines.filter((l) => l.project === SECRET).length;
    expect(rows).toHaveLength(b.lines.length - secretLines + 3 + b.carryover.length);
    const sum = rows.reduce((s, r) => s + fen(r["amount"]!), 0n);
    expect(sum).toBe([...b.lines, ...b.carryover].reduce((s, l) => s + l.amount, 0n));
    const carry = rows.filter((r) => r["carryover"] === "true");
    expect(carry.map((r) => r["carryover_item"])).toEqual(b.carryover.map((c) => c.name));
    expect(carry.every((r) => r["fund_source"]!.startsWith("co."))).toBe(true);
    const basic = rows.filter((r) => r["expenditure_type"] === "basic");
    expect(basic.every((r) => r["basic_category"] === (/^30[13]/.test(r["econ_class"]!) ? "personnel" : "operating"))).toBe(true);
  });

  it("publishes only a unit's money in that unit's build", () => {
    const unit = lineItemRows(b, catalog, ["301", "303"], { kind: "unit", unit: "101", name: "" });
    expect(unit.length).toBeGreaterThan(0);
    expect(unit.every((r) => r["unit_code"] === "101")).toBe(true);
    expect(unit.length).toBe(rows.filter((r) => r["unit_code"] === "101").length);
  });
});
