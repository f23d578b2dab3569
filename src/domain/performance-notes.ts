/**
 * The sentences under the project performance tables, from the template's `sentences`: how many classified projects'
 * tables are withheld (`classified_performance`) — unless the narrative, printed with the tables, states it itself,
 * so that a reader meets it once — or that there are no project targets at all (`no_project_targets`).
 */
import type { Disclosure } from "./disclosure-model.ts";
import { formatSteps, toSteps } from "./money.ts";
import { blockRuns, walkSections, type Narrative } from "./narrative-model.ts";
import { fill } from "./table-engine.ts";
import type { TemplateData } from "./template-model.ts";

/** The input value the narrative binds when it states the withheld projects (src/domain/narrative-engine.ts). */
const WITHHELD_COUNT = "input:projects.classified.count";

/** Whether a narrative states the number of classified projects whose target tables are withheld. */
export function narrativeStatesWithheld(narrative: Narrative | null): boolean {
  if (!narrative) return false;
  let found = false;
  for (const part of narrative.parts)
    walkSections(part.sections, (s) => {
      for (const b of s.blocks) if (blockRuns(b).some((r) => r.kind === "value" && r.ref === WITHHELD_COUNT)) found = true;
    });
  return found;
}

/** The sentences under the project performance tables; `narrative`: the one printed with them, or null when none is. */
export function projectTableNotes(d: Disclosure, t: TemplateData, narrative: Narrative | null): string[] {
  const out: string[] = [];
  const w = d.performance.withheld;
  const withheld = t.sentences["classified_performance"];
  if (w.count > 0 && withheld !== undefined && !narrativeStatesWithheld(narrative)) {
    const amount = formatSteps(toSteps(w.amount, d.template.printUnit), d.template.printUnit.decimals);
    out.push(fill(withheld, { count: String(w.count), amount }));
  }
  const none = t.sentences["no_project_targets"];
  if (d.performance.projects.length === 0 && w.count === 0 && none !== undefined) out.push(none);
  return out;
}
