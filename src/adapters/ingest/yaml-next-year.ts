/**
 * A new year's draft started from last year's budget (the editor's "以本年预算为基础编制下一年"): the same department,
 * units, profile, projects, line items, descriptions, procurement, assets and performance targets — the preparer's
 * starting point, to be changed — with what belongs to one year only taken out:
 *
 * - `department.year` is the next year, and `department.date` (the disclosure's date) is left out;
 * - `prior_year` is emptied: the platform takes the new year's prior-year figures from last year's published
 *   disclosure (as for any upload), never from the figures last year compared itself with;
 * - `reasons` (why each figure changed against the year before) and `carryover` (what last year brought forward from
 *   the year before it) are emptied: they are the new year's to write;
 * - `assets.as_of`, when it is the end of the year before last year, moves to the end of last year.
 *
 * The YAML goes through the yaml package's document model: comments and key order stay; a comment at the top says
 * where the draft came from. Line ids stay, so the editor's lines are the same lines.
 */
import { isMap, parseDocument } from "yaml";

export type NextYearResult = { ok: true; yaml: string } | { ok: false; zh: string; en: string };

export function nextYearYaml(sourceYaml: string, fromYear: number): NextYearResult {
  const doc = parseDocument(sourceYaml, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents))
    return { ok: false, zh: `${fromYear} 年的预算文件不能读取，不能以其为基础新建草稿。`, en: `The ${fromYear} budget cannot be read, so no draft can start from it.` };
  if (doc.getIn(["department", "year"]) !== fromYear)
    return { ok: false, zh: `预算文件的年度不是 ${fromYear}。`, en: `The budget file's year is not ${fromYear}.` };
  const year = fromYear + 1;
  doc.setIn(["department", "year"], year);
  doc.deleteIn(["department", "date"]);
  for (const key of ["prior_year", "reasons", "carryover"]) doc.delete(key);
  if (doc.getIn(["assets", "as_of"]) === `${fromYear - 1}-12-31`) doc.setIn(["assets", "as_of"], `${fromYear}-12-31`);
  const note = [
    ` 以 ${fromYear} 年预算为基础新建的 ${year} 年草稿：明细、项目、绩效目标等沿用上年，请按 ${year} 年修改；`,
    ` 上年数取自已公开的 ${fromYear} 年预算；增减变化原因、上年结转已清空，请填写 ${year} 年的。`,
    ` A ${year} draft started from the ${fromYear} budget: lines, projects and targets as last year, to be changed;`,
    ` last year's figures come from the published ${fromYear} disclosure; reasons and carry-over are emptied.`,
  ].join("\n");
  doc.commentBefore = doc.commentBefore ? `${note}\n\n${doc.commentBefore}` : note;
  return { ok: true, yaml: doc.toString({ lineWidth: 0 }) };
}
