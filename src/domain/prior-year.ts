/**
 * The prior year's figures, made to agree with each other. Either they are derived from last year's line items (a
 * budget file or disclosure given with `--prior`), the same way as this year's, so they agree by construction; or they
 * are entered by hand (`prior_year`, many departments have only last year's PDF), and then every identity of the
 * template (`figure_relations`) is checked exactly on them: a figure not entered that follows from the others is
 * derived, one entered that follows from the others is checked, and a contradiction names the figures on both sides.
 *
 * An identity whose total is known but some of whose parts are neither entered nor derivable is still checked when
 * those parts have no money this year: they are presumed nil last year too, for that check alone (never published),
 * and the finding says so — the department may simply have to enter them (I-PRIOR-INCOMPLETE, a warning). A family's
 * members are those of either year (this year's codes and the codes entered), so a 项 that had money last year but
 * has none now must be entered for its 类 to add up.
 */
import { instantiateRelations, type FigureEquation } from "./figure-relations.ts";
import type { TemplateData } from "./template-model.ts";

interface PriorValue {
  readonly value: bigint;
  /** the entered figures it rests on (itself when entered) */
  readonly entered: readonly string[];
}

/** An identity that the prior-year figures break: total ≠ Σ parts. */
export interface PriorContradiction {
  readonly total: { readonly id: string; readonly value: bigint };
  readonly parts: readonly { readonly id: string; readonly value: bigint }[];
  readonly partsSum: bigint;
  /** the entered figures each side rests on */
  readonly totalEntered: readonly string[];
  readonly partsEntered: readonly string[];
  /** parts not entered and nil this year, presumed nil last year for this check: the department may have to enter them */
  readonly presumed: readonly string[];
}

export interface PriorResolution {
  /** every prior known exactly: entered, or derived from the entered ones */
  readonly values: ReadonlyMap<string, bigint>;
  readonly contradictions: readonly PriorContradiction[];
}

const union = (lists: readonly (readonly string[])[]): string[] => [...new Set(lists.flat())].sort();

/**
 * Resolves hand-entered prior-year figures against the template's identities. `current`: this year's figures (ids of
 * the template and family members present); `entered`: the prior figures given, by id.
 */
export function resolveEnteredPriors(t: TemplateData, current: ReadonlyMap<string, bigint>, entered: Readonly<Record<string, bigint>>): PriorResolution {
  const ids = new Set<string>([...current.keys(), ...Object.keys(entered)]);
  // a coarser family's members follow from a finer one's (a 类 from its 项): add the codes the relations reach
  const equations = instantiateRelations(t, ids);
  for (const e of equations) ids.add(e.total);
  const known = new Map<string, PriorValue>();
  for (const [id, value] of Object.entries(entered)) known.set(id, { value, entered: [id] });
  const contradictions: PriorContradiction[] = [];
  const settled = new Set<FigureEquation>();

  const propagate = (): void => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of equations) {
        if (settled.has(e)) continue;
        const all = [e.total, ...e.parts];
        const unknown = all.filter((id) => !known.has(id));
        if (unknown.length > 1) continue;
        settled.add(e);
        const partValues = e.parts.map((id) => known.get(id));
        if (unknown.length === 0) {
          const total = known.get(e.total)!;
          const sum = partValues.reduce((s, p) => s + p!.value, 0n);
          if (sum !== total.value) contradictions.push(contradiction(e, known, sum));
          continue;
        }
        const missing = unknown[0]!;
        const from = all.filter((id) => id !== missing).map((id) => known.get(id)!);
        const others = e.parts.filter((id) => id !== missing).reduce((s, id) => s + known.get(id)!.value, 0n);
        const value = missing === e.total ? others : known.get(e.total)!.value - others;
        if (value < 0n) {
          // the parts already exceed the total: no value of the missing part can mend it
          contradictions.push(contradiction(e, known, others));
          continue;
        }
        known.set(missing, { value, entered: union(from.map((v) => v.entered)) });
        changed = true;
      }
    }
  };
  propagate();
  // An identity still open whose total is known and whose missing parts have no money this year: those parts are
  // presumed nil last year too, for this identity alone (never published, never carried into another), and checked.
  for (const e of equations) {
    if (settled.has(e) || !known.has(e.total)) continue;
    const missing = e.parts.filter((id) => !known.has(id));
    if (missing.some((id) => (current.get(id) ?? 0n) !== 0n)) continue;
    const sum = e.parts.reduce((s, id) => s + (known.get(id)?.value ?? 0n), 0n);
    if (sum !== known.get(e.total)!.value) contradictions.push({ ...contradiction(e, known, sum), presumed: missing });
  }

  const values = new Map<string, bigint>();
  for (const [id, v] of known) values.set(id, v.value);
  return { values, contradictions };
}

function contradiction(e: FigureEquation, known: ReadonlyMap<string, PriorValue>, partsSum: bigint): PriorContradiction {
  const total = known.get(e.total);
  const parts = e.parts.filter((id) => known.has(id)).map((id) => ({ id, value: known.get(id)!.value }));
  const partValues = e.parts.flatMap((id) => (known.has(id) ? [known.get(id)!] : []));
  return {
    total: { id: e.total, value: total?.value ?? 0n },
    parts,
    partsSum,
    totalEntered: total ? [...total.entered] : [],
    partsEntered: union(partValues.map((v) => v.entered)),
    presumed: [],
  };
}

/**
 * Priors derived from last year's figures (computed from its line items, or read from its disclosure): every figure
 * of this year that last year does not have was nil then. `lastYear`: last year's figures by id.
 */
export function priorsFromLastYear(current: ReadonlyMap<string, bigint>, lastYear: ReadonlyMap<string, bigint>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const id of current.keys()) out.set(id, lastYear.get(id) ?? 0n);
  for (const [id, v] of lastYear) out.set(id, v);
  return out;
}

/** An entered prior that differs from the one derived from last year's line items. */
export interface PriorMismatch {
  readonly id: string;
  readonly entered: bigint;
  readonly derived: bigint;
}

export function enteredAgainstDerived(entered: Readonly<Record<string, bigint>>, derived: ReadonlyMap<string, bigint>): PriorMismatch[] {
  return Object.entries(entered).flatMap(([id, v]) => {
    const d = derived.get(id) ?? 0n;
    return d === v ? [] : [{ id, entered: v, derived: d }];
  });
}
