/**
 * The findings of the prior year (input rules of data/rules/<template>.yaml): identities that hand-entered prior
 * figures break (I-PRIOR-CONTRADICTION), entered figures that differ from those derived from last year's line items
 * (I-PRIOR-MISMATCH), and where last year's template or catalog was not at hand (I-PRIOR-FALLBACK). The message
 * parameters are filled here; the words are the rule's.
 */
import type { Disclosure } from "./disclosure-model.ts";
import { formatFieldPath } from "./input-problem.ts";
import { formatYuan } from "./money.ts";

/** `529389300n` 分 → `5,293,893.00` (元, thousands separated). */
export function yuanText(fen: bigint): string {
  const [int, dec] = formatYuan(fen).split(".") as [string, string];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${dec}`;
}

const place = (id: string): string => formatFieldPath(["prior_year", id]);

export interface PriorFindingDraft {
  readonly params: Record<string, string>;
  /** the entered figure the finding sits on, and the other places it names */
  readonly field: string | null;
  readonly related: readonly string[];
}

/**
 * One draft per identity the entered priors break (a break restated through another family is reported once):
 * `presumed` false — outright contradictions; true — those that rest on parts not entered, presumed nil.
 */
export function priorContradictions(d: Disclosure, name: (id: string) => string, presumed: boolean): PriorFindingDraft[] {
  const seen = new Set<string>();
  const out: PriorFindingDraft[] = [];
  for (const c of d.priorYear.contradictions) {
    if ((c.presumed.length > 0) !== presumed) continue;
    const key = `${c.total.id}|${c.totalEntered.join(",")}|${c.partsEntered.join(",")}|${c.partsSum}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const places = [...c.totalEntered, ...c.partsEntered.filter((id) => !c.totalEntered.includes(id))].map(place);
    const names = (ids: readonly string[]) => ids.map(name).join("、");
    out.push({
      params: {
        total: name(c.total.id),
        total_value: yuanText(c.total.value),
        total_from: c.totalEntered.length === 1 && c.totalEntered[0] === c.total.id ? "所填" : `由${names(c.totalEntered) || "本年数"}推得`,
        total_from_en: c.totalEntered.length === 1 && c.totalEntered[0] === c.total.id ? "as entered" : `from ${names(c.totalEntered) || "this year's figures"}`,
        parts: names(c.parts.map((p) => p.id)),
        parts_value: yuanText(c.partsSum),
        diff: yuanText(c.total.value > c.partsSum ? c.total.value - c.partsSum : c.partsSum - c.total.value),
        presumed: names(c.presumed),
      },
      field: places[0] ?? null,
      related: places.slice(1),
    });
  }
  return out;
}

/** One draft per entered prior that differs from the one derived from last year's line items. */
export function priorMismatches(d: Disclosure, name: (id: string) => string, lastYearFile: string): PriorFindingDraft[] {
  return d.priorYear.mismatches.map((m) => ({
    params: { figure: name(m.id), entered: yuanText(m.entered), derived: yuanText(m.derived), file: lastYearFile },
    field: place(m.id),
    related: [],
  }));
}
