/**
 * Spaces between a Chinese character and a digit or Latin letter (2024 年度, 下设 4 个处室): what text extraction from
 * a PDF leaves in words copied out of a published document. The disclosure quotes a department's words exactly, so
 * such a space would print; the input rule `text_spacing` points at each text that has one (a note, never a change).
 * Names and public labels are not looked at: they print as the budget approval writes them (特定目标 8910002U).
 */
import type { Budget } from "./budget-schema.ts";

/** Han characters, CJK symbols and punctuation (、。「」【】), full-width punctuation (，：；（）％). */
const CJK = "\\p{Script=Han}\\u3001-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65";
const SPACED = new RegExp(`(?<=[${CJK}])[ \\u00a0]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \\u00a0]+(?=[${CJK}])`, "gu");

export interface SpacedText {
  /** how many such spaces the text has */
  readonly count: number;
  /** the text around the first one, e.g. "…三定方案及 2024 年度工…" */
  readonly excerpt: string;
}

/** The spaces of a text that sit between a CJK character and a digit or Latin letter; null when it has none. */
export function spacedText(text: string): SpacedText | null {
  const hits = [...text.matchAll(SPACED)];
  const first = hits[0];
  if (!first) return null;
  const chars = [...text];
  // the excerpt counts code points, so that a character outside the BMP is never cut in two
  const at = Array.from(text.slice(0, first.index)).length;
  const from = Math.max(0, at - 6);
  const to = Math.min(chars.length, at + first[0].length + 6);
  const excerpt = `${from > 0 ? "…" : ""}${chars.slice(from, to).join("")}${to < chars.length ? "…" : ""}`;
  return { count: hits.length, excerpt };
}

/** A text of the department's own words, with its field path and what it is. */
export interface QuotedText {
  readonly path: readonly (string | number)[];
  readonly text: string;
  readonly what: { readonly zh: string; readonly en: string };
}

const W = {
  function: { zh: "主要职能", en: "a function" },
  organisation: { zh: "机构设置", en: "the organisation" },
  reason: { zh: "增减变化原因", en: "a reason" },
  description: { zh: "用途说明", en: "a description" },
  basis: { zh: "设立的政策依据", en: "a policy basis" },
  purpose: { zh: "项目用途", en: "a project purpose" },
  allocation: { zh: "资金分配事项", en: "an allocation item" },
  schedule: { zh: "资金执行时间", en: "a schedule" },
  carryover: { zh: "结转结余用途", en: "a carry-over purpose" },
  goal: { zh: "年度绩效目标", en: "a performance goal" },
  projectGoal: { zh: "项目总体目标", en: "a project goal" },
  indicator: { zh: "三级指标", en: "an indicator" },
  indicatorBasis: { zh: "指标设定依据", en: "an indicator basis" },
  scoring: { zh: "指标赋分规则", en: "a scoring rule" },
  evidence: { zh: "佐证资料", en: "an evidence note" },
} as const;

/**
 * Every text of the department's own words that the disclosure quotes, within a scope: department-wide texts
 * (profile, reasons, descriptions, the department's goal) only for the department; a unit's projects, carry-over
 * and project targets when `inScope` holds for the unit. A classified project's texts are never printed: left out.
 */
export function quotedTexts(budget: Budget, department: boolean, inScope: (unit: string) => boolean): QuotedText[] {
  const out: QuotedText[] = [];
  const add = (path: (string | number)[], text: string | undefined, what: QuotedText["what"]) => {
    if (text !== undefined && text !== "") out.push({ path, text, what });
  };
  if (department) {
    budget.profile.functions.forEach((f, i) => add(["profile", "functions", i], f, W.function));
    add(["profile", "organisation"], budget.profile.organisation, W.organisation);
    for (const [id, r] of Object.entries(budget.reasons)) add(["reasons", id], r, W.reason);
    for (const [id, d] of Object.entries(budget.descriptions)) add(["descriptions", id], d, W.description);
  }
  budget.projects.forEach((p, i) => {
    if (p.classified || !inScope(p.unit)) return;
    add(["projects", i, "basis"], p.basis, W.basis);
    add(["projects", i, "purpose"], p.purpose, W.purpose);
    p.allocation.forEach((a, k) => add(["projects", i, "allocation", k, "item"], a.item, W.allocation));
    add(["projects", i, "schedule"], p.schedule, W.schedule);
  });
  budget.carryover.forEach((c, i) => {
    if (inScope(c.unit)) add(["carryover", i, "purpose"], c.purpose, W.carryover);
  });
  const indicators = (base: (string | number)[], list: Budget["performance"]["projects"][number]["indicators"]) =>
    list.forEach((x, k) => {
      add([...base, "indicators", k, "name"], x.name, W.indicator);
      add([...base, "indicators", k, "basis"], x.basis, W.indicatorBasis);
      add([...base, "indicators", k, "scoring"], x.scoring, W.scoring);
      add([...base, "indicators", k, "evidence"], x.evidence, W.evidence);
    });
  const dept = budget.performance.department;
  if (department && dept) {
    add(["performance", "department", "goal"], dept.goal, W.goal);
    indicators(["performance", "department"], dept.indicators);
  }
  budget.performance.projects.forEach((pp, i) => {
    const p = budget.projects.find((x) => x.code === pp.project);
    if (!p || p.classified || !inScope(p.unit)) return;
    add(["performance", "projects", i, "goal"], pp.goal, W.projectGoal);
    indicators(["performance", "projects", i], pp.indicators);
  });
  return out;
}
