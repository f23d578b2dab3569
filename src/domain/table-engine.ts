/**
 * The engine: interprets a template's tables over a department's facts. No table has code of its own.
 *
 * Design (aimed at the province benchmark): a fact's filter signature (source, kind, economic code, function code
 * if the template filters on it, unit type) is interned process-wide, and each table classifies a signature once:
 * which fixed-row cells and which dynamic-row columns it feeds. Facts are given a leaf slot once per leaf keying
 * (function code; function code × unit × project; economic code; carry-over item × unit), shared by every table. A
 * carry-over item is the entries of one unit under one name (carryover-items.ts): one row however many codes it spans.
 * Per fact and table the work is then array lookups and one add per matching cell; parents (款, 类, unit rows) are
 * summed from their children afterwards. Sums are exact integers of 分 in float64: budget-integrity refuses a
 * budget whose total exceeds Number.MAX_SAFE_INTEGER 分, so no sum can lose a 分 (docs/decisions.md, D1).
 */
import type { Budget } from "./budget-schema.ts";
import { nameOf, type Catalog } from "./catalog-model.ts";
import { CodeTable, type FactContext, type FactSet } from "./fact-set.ts";
import {
  compileWhere,
  matches,
  prefixMatch,
  TemplateError,
  type ColumnData,
  type FactSignature,
  type Filter,
  type RowSourceData,
  type TableData,
  type TemplateData,
} from "./template-model.ts";

// ---------------------------------------------------------------------------------------------------------------
// Output

export type RowType = "fixed" | "class" | "section" | "item" | "unit" | "econ-class" | "econ-section" | "carryover";

/**
 * A computed row. `raw` holds the exact amounts in 分 as integers in float64 (NaN where the row has no such cell);
 * this is exact because a budget's total is refused above Number.MAX_SAFE_INTEGER 分 (budget-integrity), so every
 * sum the engine forms is an integer below 2^53. `cells` gives the same amounts as `bigint`, made on first use.
 */
export class ComputedRow {
  private exact: (bigint | null)[] | undefined;
  constructor(
    /** Stable address within the table: `total`, `income.gpb`, `f:2010301`, `u:001/f:2010399/p:3`, `e:30101`, `u:001/co:2`. */
    readonly key: string,
    readonly side: string | null,
    readonly type: RowType,
    /** function or economic code of a tree or class row */
    readonly code: string | null,
    readonly name: string,
    /** the project's public name on a project-split 项 row */
    readonly project: string | null,
    /** index of the parent row in the table (款 of a 项, 类 of a 款, unit row of a unit's top rows), or -1 */
    readonly parent: number,
    readonly raw: readonly number[],
  ) {}
  /** exact amounts (分) per amount column; null where the row has no such cell (a side without that column) */
  get cells(): readonly (bigint | null)[] {
    if (this.exact === undefined) this.exact = Array.from(this.raw, (v) => (Number.isNaN(v) ? null : BigInt(v)));
    return this.exact;
  }
}

export interface ComputedTable {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly orientation: "portrait" | "landscape";
  readonly columns: readonly ColumnData[];
  /** indexes into columns of the amount columns, in order; `cells` follow this order */
  readonly amountColumns: readonly number[];
  readonly sides: readonly { name: string; printHeader: readonly string[] }[] | null;
  readonly rows: readonly ComputedRow[];
  /** the empty-table sentence when the table has no money and the template gives one */
  readonly emptySentence: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled template

interface FixedRowSpec {
  readonly id: string;
  readonly label: string;
  readonly filter: Filter;
}

type DynamicKind = "class_list" | "func_tree" | "econ_tree" | "carryover";

interface DynamicSpec {
  readonly kind: DynamicKind;
  readonly levels: number;
  readonly byUnit: boolean;
  readonly splitProject: boolean;
  /** which leaf keying this source shares with others (see LeafConfig): facts are slotted once per keying */
  readonly config: number;
  /** position among the section's row sources (fixed rows are positions too) */
  readonly order: number;
}

interface SectionSpec {
  readonly side: string | null;
  readonly printHeader: readonly string[];
  /** allowed amount-column positions (indexes into amountColumns) */
  readonly allowed: readonly number[];
  readonly fixed: readonly (FixedRowSpec & { readonly order: number })[];
  readonly dynamic: readonly DynamicSpec[];
}

/**
 * What one signature contributes to in one table: the slots of the fixed-row accumulator it adds to (row × column,
 * flattened), and per section the amount columns its dynamic rows get.
 */
interface SigClass {
  readonly fixedSlots: Int32Array;
  readonly sectionCols: readonly Int32Array[];
  readonly dynamic: boolean;
  readonly any: boolean;
}

interface CompiledTable {
  readonly data: TableData;
  readonly where: Filter;
  readonly amountColumns: readonly number[];
  readonly colFilters: readonly Filter[];
  readonly sections: readonly SectionSpec[];
  /** first fixed-row index of each section in the table's fixed-row accumulator */
  readonly fixedBase: readonly number[];
  readonly fixedCount: number;
  readonly sigClass: (SigClass | undefined)[];
}

/** How a dynamic row source keys its leaves: by function code, economic code or carry-over item, and maybe unit and project. */
interface LeafConfig {
  readonly by: "func" | "econ" | "item";
  readonly byUnit: boolean;
  readonly splitProject: boolean;
}

export interface CompiledTemplate extends FactContext {
  readonly data: TemplateData;
  readonly tables: readonly CompiledTable[];
  readonly leafConfigs: readonly LeafConfig[];
  readonly usesFuncFilter: boolean;
  /** interned signatures, shared by every table */
  readonly signatures: FactSignature[];
  readonly sigIds: Map<number, number>;
}

export function compileTemplate(t: TemplateData): CompiledTemplate {
  const groups = t.source_groups;
  const leafConfigs: LeafConfig[] = [];
  const configOf = (kind: DynamicKind, byUnit: boolean, splitProject: boolean): number => {
    const by = kind === "econ_tree" ? "econ" : kind === "carryover" ? "item" : "func";
    let i = leafConfigs.findIndex((c) => c.by === by && c.byUnit === byUnit && c.splitProject === splitProject);
    if (i < 0) i = leafConfigs.push({ by, byUnit, splitProject }) - 1;
    return i;
  };
  let usesFuncFilter = false;
  const noteFunc = (f: Filter): Filter => {
    if (f.func !== null) usesFuncFilter = true;
    return f;
  };
  const tables = t.tables.map((tb): CompiledTable => {
    const where = noteFunc(compileWhere(tb.where, groups));
    const amountColumns: number[] = [];
    const colFilters: Filter[] = [];
    tb.columns.forEach((c, i) => {
      if (c.role !== "amount") return;
      amountColumns.push(i);
      colFilters.push(noteFunc(compileWhere(c.where, groups)));
    });
    const sideSpecs = tb.sides ?? [{ name: null, print_header: [] as string[], columns: undefined, rows: tb.rows ?? [] }];
    const sections = sideSpecs.map((s): SectionSpec => {
      const allowed = s.columns
        ? s.columns.map((id) => {
            const pos = amountColumns.findIndex((ci) => tb.columns[ci]?.id === id);
            if (pos < 0) throw new TemplateError(`${tb.id}: side ${s.name} names unknown amount column ${id}`);
            return pos;
          })
        : amountColumns.map((_, i) => i);
      const fixed: (FixedRowSpec & { order: number })[] = [];
      const dynamic: DynamicSpec[] = [];
      const walk = (rs: readonly RowSourceData[], byUnit: boolean) => {
        for (const r of rs) {
          const order = fixed.length + dynamic.length;
          if ("fixed" in r) {
            if (byUnit) throw new TemplateError(`${tb.id}: fixed rows inside unit blocks are not supported`);
            fixed.push({ id: r.id, label: r.fixed, filter: noteFunc(compileWhere(r.where, groups)), order });
          } else if ("class_list" in r)
            dynamic.push({ kind: "class_list", levels: 1, byUnit, splitProject: false, config: configOf("class_list", byUnit, false), order });
          else if ("tree" in r)
            dynamic.push({
              kind: r.tree === "function" ? "func_tree" : "econ_tree",
              levels: r.levels,
              byUnit,
              splitProject: r.split_leaf_by === "project",
              config: configOf(r.tree === "function" ? "func_tree" : "econ_tree", byUnit, r.split_leaf_by === "project"),
              order,
            });
          else if ("carryover_items" in r)
            dynamic.push({ kind: "carryover", levels: 1, byUnit, splitProject: false, config: configOf("carryover", byUnit, false), order });
          else {
            if (byUnit) throw new TemplateError(`${tb.id}: nested unit blocks`);
            walk(r.units, true);
          }
        }
      };
      walk(s.rows, false);
      return { side: s.name, printHeader: s.print_header ?? [], allowed, fixed, dynamic };
    });
    const fixedBase: number[] = [];
    let fixedCount = 0;
    for (const sec of sections) {
      fixedBase.push(fixedCount);
      fixedCount += sec.fixed.length;
    }
    return { data: tb, where, amountColumns, colFilters, sections, fixedBase, fixedCount, sigClass: [] };
  });
  return {
    data: t,
    tables,
    leafConfigs,
    usesFuncFilter,
    funcCodes: new CodeTable(),
    econCodes: new CodeTable(),
    personnelEcon: t.personnel_econ,
    signatures: [],
    sigIds: new Map(),
  };
}

/** Interns each fact's signature; returns the signature id per fact. */
export function factSignatures(ct: CompiledTemplate, facts: FactSet): Int32Array {
  const out = new Int32Array(facts.n);
  const econN = 1 << 16;
  for (let i = 0; i < facts.n; i++) {
    const funcPart = ct.usesFuncFilter ? facts.func[i]! + 1 : 0;
    const key = ((funcPart * econN + facts.econ[i]!) * 32 + facts.source[i]!) * 64 + facts.kind[i]! * 8 + facts.unitType[i]!;
    let id = ct.sigIds.get(key);
    if (id === undefined) {
      id = ct.signatures.length;
      ct.signatures.push({
        source: facts.source[i]!,
        kind: facts.kind[i]!,
        econ: ct.econCodes.codes[facts.econ[i]!]!,
        // without func filters the signature does not carry the function code (it is shared across codes)
        func: ct.usesFuncFilter ? ct.funcCodes.codes[facts.func[i]!]! : "",
        unitType: facts.unitType[i]!,
      });
      ct.sigIds.set(key, id);
    }
    out[i] = id;
  }
  return out;
}

const NO_SLOTS = new Int32Array(0);

function classify(table: CompiledTable, sig: FactSignature): SigClass {
  if (!matches(table.where, sig)) return { fixedSlots: NO_SLOTS, sectionCols: [], dynamic: false, any: false };
  const ncols = table.amountColumns.length;
  const colOk = table.colFilters.map((f) => matches(f, sig));
  const slots: number[] = [];
  let dynamic = false;
  const sectionCols = table.sections.map((s, si) => {
    const cols = s.allowed.filter((c) => colOk[c]);
    if (cols.length && s.dynamic.length) dynamic = true;
    s.fixed.forEach((fr, r) => {
      if (matches(fr.filter, sig)) for (const c of cols) slots.push((table.fixedBase[si]! + r) * ncols + c);
    });
    return Int32Array.from(cols);
  });
  return { fixedSlots: Int32Array.from(slots), sectionCols, dynamic, any: dynamic || slots.length > 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export interface TableContext {
  readonly budget: Budget;
  readonly catalog: Catalog;
  /** department name used in sentences */
  readonly department: string;
  readonly year: number;
}

/** Public name of a project: a classified project only ever shows its public label. */
export function projectPublicName(p: Budget["projects"][number]): string {
  return p.classified ? (p.public_label ?? "涉密项目") : p.name;
}

/**
 * Leaf slots of one department, per leaf keying: for each fact its slot (-1 when it has no such leaf, e.g. a
 * current-year line for the carry-over items), and for each slot its leaf code id, unit and project.
 */
interface LeafSlots {
  readonly slotOf: Int32Array;
  readonly leaf: number[];
  readonly unit: number[];
  readonly project: number[];
}

function leafSlots(ct: CompiledTemplate, facts: FactSet, ctx: TableContext): LeafSlots[] {
  const nProj = ctx.budget.projects.length + 1;
  const nUnits = ctx.budget.units.length + 1;
  return ct.leafConfigs.map((cfg) => {
    const slotOf = new Int32Array(facts.n);
    const ids = new Map<number, number>();
    const out: LeafSlots = { slotOf, leaf: [], unit: [], project: [] };
    const codes = cfg.by === "func" ? facts.func : cfg.by === "econ" ? facts.econ : facts.item;
    for (let i = 0; i < facts.n; i++) {
      const leaf = codes[i]!;
      if (leaf < 0) {
        slotOf[i] = -1;
        continue;
      }
      const u = cfg.byUnit ? facts.unit[i]! : -1;
      const p = cfg.splitProject ? facts.project[i]! : -1;
      const key = (leaf * nUnits + u + 1) * nProj + p + 1;
      let slot = ids.get(key);
      if (slot === undefined) {
        slot = out.leaf.length;
        ids.set(key, slot);
        out.leaf.push(leaf);
        out.unit.push(u);
        out.project.push(p);
      }
      slotOf[i] = slot;
    }
    return out;
  });
}

export function computeTables(ct: CompiledTemplate, facts: FactSet, ctx: TableContext, sigs = factSignatures(ct, facts)): ComputedTable[] {
  const slots = leafSlots(ct, facts, ctx);
  return ct.tables.map((t) => computeTable(ct, t, facts, sigs, slots, ctx));
}

function computeTable(ct: CompiledTemplate, t: CompiledTable, facts: FactSet, sigs: Int32Array, slots: readonly LeafSlots[], ctx: TableContext): ComputedTable {
  const ncols = t.amountColumns.length;
  // Fixed rows of every section in one flat accumulator; per dynamic source, one row of cells per leaf slot.
  const fixedAcc = zeros(t.fixedCount * ncols);
  const dynAcc = t.sections.map((s) => s.dynamic.map((d) => zeros(slots[d.config]!.leaf.length * ncols)));
  const amounts = facts.amountN;
  let hasMoney = false;

  for (let i = 0; i < facts.n; i++) {
    const sid = sigs[i]!;
    let sc = t.sigClass[sid];
    if (sc === undefined) {
      sc = classify(t, ct.signatures[sid]!);
      t.sigClass[sid] = sc;
    }
    if (!sc.any) continue;
    const amt = amounts[i]!;
    if (amt !== 0) hasMoney = true;
    const fixed = sc.fixedSlots;
    for (let k = 0; k < fixed.length; k++) fixedAcc[fixed[k]!]! += amt;
    if (!sc.dynamic) continue;
    for (let s = 0; s < t.sections.length; s++) {
      const cols = sc.sectionCols[s]!;
      if (cols.length === 0) continue;
      const dynamic = t.sections[s]!.dynamic;
      for (let d = 0; d < dynamic.length; d++) {
        const slot = slots[dynamic[d]!.config]!.slotOf[i]!;
        if (slot < 0) continue;
        const acc = dynAcc[s]![d]!;
        const base = slot * ncols;
        for (let c = 0; c < cols.length; c++) acc[base + cols[c]!]! += amt;
      }
    }
  }

  const emptySentence =
    t.data.empty && !hasMoney
      ? fill(ct.data.sentences["empty_table"] ?? "", { department: ctx.department, year: String(ctx.year), fund: t.data.empty.fund, table: t.data.title })
      : null;
  const rows: ComputedRow[] = [];
  if (emptySentence === null)
    t.sections.forEach((sec, si) => {
      // cells a side does not have are NaN (no cell)
      const masked = (cells: number[]): number[] => {
        if (sec.allowed.length === ncols) return cells;
        const out = zeros(ncols).fill(Number.NaN);
        for (const c of sec.allowed) out[c] = cells[c]!;
        return out;
      };
      const emitters: { order: number; emit: () => void }[] = [];
      sec.fixed.forEach((fr, r) => {
        const base = (t.fixedBase[si]! + r) * ncols;
        emitters.push({
          order: fr.order,
          emit: () => rows.push(new ComputedRow(fr.id, sec.side, "fixed", null, fr.label, null, -1, masked(fixedAcc.slice(base, base + ncols)))),
        });
      });
      sec.dynamic.forEach((dyn, d) => {
        emitters.push({
          order: dyn.order,
          emit: () => {
            const ls = slots[dyn.config]!;
            const acc = dynAcc[si]![d]!;
            const leaves: Leaf[] = [];
            for (let k = 0; k < ls.leaf.length; k++)
              leaves.push({ leaf: ls.leaf[k]!, u: ls.unit[k]!, p: ls.project[k]!, cells: acc.slice(k * ncols, (k + 1) * ncols) });
            const out: RowOut = { rows, side: sec.side, ncols, masked, items: facts.carryoverItems };
            if (!dyn.byUnit) return expandLeaves(ct, dyn, leaves, "", -1, ctx, out);
            ctx.budget.units.forEach((unit, ui) => {
              const mine = leaves.filter((l) => l.u === ui);
              const sum = zeros(ncols);
              for (const l of mine) for (let c = 0; c < ncols; c++) sum[c]! += l.cells[c]!;
              if (!sum.some((v) => v !== 0)) return;
              const unitRow = rows.length;
              rows.push(new ComputedRow(`u:${unit.code}`, sec.side, "unit", null, unit.name, null, -1, masked(sum)));
              expandLeaves(ct, dyn, mine, `u:${unit.code}/`, unitRow, ctx, out);
            });
          },
        });
      });
      emitters.sort((a, b) => a.order - b.order);
      for (const e of emitters) e.emit();
    });

  return {
    id: t.data.id,
    number: t.data.number,
    title: t.data.title,
    orientation: t.data.orientation,
    columns: t.data.columns,
    amountColumns: t.amountColumns,
    sides: t.data.sides ? t.sections.map((s) => ({ name: s.side ?? "", printHeader: s.printHeader })) : null,
    rows,
    emptySentence,
  };
}

export function fill(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);
}

interface Leaf {
  leaf: number;
  u: number;
  p: number;
  cells: number[];
}

interface RowOut {
  readonly rows: ComputedRow[];
  readonly side: string | null;
  readonly ncols: number;
  readonly masked: (cells: number[]) => number[];
  /** the carry-over items the `carryover` leaves index */
  readonly items: FactSet["carryoverItems"];
}

const nonZero = (cells: readonly number[]) => cells.some((v) => v !== 0);

/** A row of zero amounts. (`new Array(n).fill` is the fastest way to make one: the engine's hot path.) */
// oxlint-disable-next-line unicorn/no-new-array
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function addCells(into: number[], from: number[]): void {
  for (let c = 0; c < into.length; c++) into[c]! += from[c]!;
}

/** Rows of one dynamic source from its leaves, appended to `out.rows`; top rows get `parent` as their parent. */
function expandLeaves(ct: CompiledTemplate, dyn: DynamicSpec, leaves: readonly Leaf[], prefix: string, parent: number, ctx: TableContext, out: RowOut): void {
  const { rows, side, ncols, masked } = out;
  switch (dyn.kind) {
    case "carryover": {
      // one row per item, in the input order of its first entry
      for (const l of leaves.filter((x) => nonZero(x.cells)).sort((a, b) => a.leaf - b.leaf))
        rows.push(new ComputedRow(`${prefix}co:${l.leaf}`, side, "carryover", null, out.items[l.leaf]?.name ?? "", null, parent, masked(l.cells)));
      return;
    }
    case "class_list": {
      const byClass = new Map<string, number[]>();
      for (const l of leaves) {
        const cls = ct.funcCodes.codes[l.leaf]!.slice(0, 3);
        let acc = byClass.get(cls);
        if (!acc) byClass.set(cls, (acc = zeros(ncols)));
        addCells(acc, l.cells);
      }
      // Every class of the template prints; a class outside the list that has money prints too, never lost.
      const classes = [...ct.data.function_classes];
      for (const c of [...byClass.keys()].sort()) if (!classes.includes(c) && nonZero(byClass.get(c)!)) classes.push(c);
      for (const cls of classes)
        rows.push(new ComputedRow(`${prefix}f:${cls}`, side, "class", cls, nameOf(ctx.catalog, "func", cls), null, parent, masked(byClass.get(cls) ?? zeros(ncols))));
      return;
    }
    case "func_tree":
    case "econ_tree": {
      const isFunc = dyn.kind === "func_tree";
      const codes = isFunc ? ct.funcCodes.codes : ct.econCodes.codes;
      const catalogKind = isFunc ? "func" : "econ";
      const letter = isFunc ? "f" : "e";
      // code lengths per level: function 3/5/7, economic 3/5
      const lens = isFunc ? [3, 5, 7] : [3, 5];
      const types: readonly RowType[] = isFunc ? ["class", "section", "item"] : ["econ-class", "econ-section"];
      const levels = Math.min(dyn.levels, lens.length);
      type Node = { cells: number[]; children: Map<string, Node>; leaves: Leaf[] };
      const root: Node = { cells: zeros(ncols), children: new Map(), leaves: [] };
      for (const l of leaves) {
        if (!nonZero(l.cells)) continue;
        const code = codes[l.leaf]!;
        let node = root;
        for (let lv = 0; lv < levels; lv++) {
          const part = code.slice(0, lens[lv]!);
          let child = node.children.get(part);
          if (!child) node.children.set(part, (child = { cells: zeros(ncols), children: new Map(), leaves: [] }));
          addCells(child.cells, l.cells);
          node = child;
        }
        node.leaves.push(l);
      }
      const emit = (node: Node, level: number, parentRow: number) => {
        for (const code of [...node.children.keys()].sort()) {
          const child = node.children.get(code)!;
          const name = nameOf(ctx.catalog, catalogKind, code);
          if (level === levels - 1 && dyn.splitProject) {
            // One row per (项, project), projects in input order; the project's public name on the row.
            const byProject = new Map<number, number[]>();
            for (const l of child.leaves) {
              let acc = byProject.get(l.p);
              if (!acc) byProject.set(l.p, (acc = zeros(ncols)));
              addCells(acc, l.cells);
            }
            for (const p of [...byProject.keys()].sort((a, b) => a - b)) {
              const proj = p >= 0 ? ctx.budget.projects[p] : undefined;
              rows.push(new ComputedRow(`${prefix}${letter}:${code}/p:${p}`, side, types[level]!, code, name, proj ? projectPublicName(proj) : null, parentRow, masked(byProject.get(p)!)));
            }
            continue;
          }
          const me = rows.length;
          rows.push(new ComputedRow(`${prefix}${letter}:${code}`, side, types[level]!, code, name, null, parentRow, masked(child.cells)));
          if (level < levels - 1) emit(child, level + 1, me);
        }
      };
      emit(root, 0, parent);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

interface CompiledFigure {
  readonly id: string;
  /** the filter without its function prefixes, which are checked per fact */
  readonly filter: Filter;
  readonly func: readonly string[] | null;
}

interface CompiledFamily {
  readonly family: string;
  readonly filter: Filter;
  /** which code keys the family, and how many of its digits */
  readonly by: "func" | "econ";
  readonly len: number;
}

interface CompiledFigures {
  readonly figures: readonly CompiledFigure[];
  readonly families: readonly CompiledFamily[];
  /** per signature: the figures and families it may feed (function prefixes aside) */
  readonly bySig: ({ figures: Int32Array; families: Int32Array } | undefined)[];
}

const compiledFigures = new WeakMap<CompiledTemplate, CompiledFigures>();

function figuresOf(ct: CompiledTemplate): CompiledFigures {
  let cf = compiledFigures.get(ct);
  if (!cf) {
    const groups = ct.data.source_groups;
    const figures = Object.entries(ct.data.figures).map(([id, fig]) => {
      const f = compileWhere(fig.where, groups);
      return { id, filter: { ...f, func: null }, func: f.func };
    });
    const families = Object.entries(ct.data.figure_families).map(([family, spec]) => ({
      family,
      filter: { ...compileWhere(spec.where, groups), func: null },
      by: spec.by === "economic_section" ? ("econ" as const) : ("func" as const),
      len: spec.by === "function_item" ? 7 : spec.by === "economic_section" ? 5 : 3,
    }));
    cf = { figures, families, bySig: [] };
    compiledFigures.set(ct, cf);
  }
  return cf;
}

/**
 * Every figure the template names, and the families (func.<项>, class.<类>) over the codes present or given a
 * prior: one pass over the facts, each signature classified once.
 */
export function computeFigures(ct: CompiledTemplate, facts: FactSet, priorIds: Iterable<string>, sigs = factSignatures(ct, facts)): Map<string, bigint> {
  const cf = figuresOf(ct);
  const sums = zeros(cf.figures.length);
  // family sums keyed by the interned code id (no string work per fact); grouped by the family's code prefix at the end
  const familySums = cf.families.map(() => new Map<number, number>());
  for (let i = 0; i < facts.n; i++) {
    const sid = sigs[i]!;
    let m = cf.bySig[sid];
    if (!m) {
      const sig = ct.signatures[sid]!;
      m = {
        figures: Int32Array.from(cf.figures.flatMap((f, k) => (matches(f.filter, sig) ? [k] : []))),
        families: Int32Array.from(cf.families.flatMap((f, k) => (matches(f.filter, sig) ? [k] : []))),
      };
      cf.bySig[sid] = m;
    }
    if (m.figures.length === 0 && m.families.length === 0) continue;
    const amt = facts.amountN[i]!;
    for (let k = 0; k < m.figures.length; k++) {
      const f = m.figures[k]!;
      const func = cf.figures[f]!.func;
      if (func === null || prefixMatch(ct.funcCodes.codes[facts.func[i]!]!, func)) sums[f]! += amt;
    }
    for (let k = 0; k < m.families.length; k++) {
      const f = m.families[k]!;
      const id = cf.families[f]!.by === "econ" ? facts.econ[i]! : facts.func[i]!;
      const acc = familySums[f]!;
      acc.set(id, (acc.get(id) ?? 0) + amt);
    }
  }
  const out = new Map<string, bigint>();
  cf.figures.forEach((f, k) => out.set(f.id, BigInt(sums[k]!)));
  cf.families.forEach((f, k) => {
    const codes = f.by === "econ" ? ct.econCodes.codes : ct.funcCodes.codes;
    const byCode = new Map<string, number>();
    for (const [id, v] of familySums[k]!) {
      const code = codes[id]!.slice(0, f.len);
      byCode.set(code, (byCode.get(code) ?? 0) + v);
    }
    for (const [code, v] of byCode) out.set(`${f.family}.${code}`, BigInt(v));
  });
  for (const id of priorIds) if (!out.has(id) && isFigureId(ct.data, id)) out.set(id, 0n);
  return out;
}

/** A figure's name: the template's name, or its family's pattern filled with the code and the catalog's name. */
export function figureName(t: TemplateData, catalog: Catalog, id: string): string {
  const f = t.figures[id];
  if (f) return f.name;
  const dot = id.indexOf(".");
  const fam = t.figure_families[id.slice(0, dot)];
  if (!fam) return id;
  const code = id.slice(dot + 1);
  const name = nameOf(catalog, fam.by === "economic_section" ? "econ" : "func", code);
  // the narrative's name of a family member is the catalog's name; messages add the code
  return fill(fam.name, { name, code });
}

/** Whether the template defines a figure id (directly or through a family). */
export function isFigureId(t: TemplateData, id: string): boolean {
  if (id in t.figures) return true;
  const dot = id.indexOf(".");
  const fam = t.figure_families[id.slice(0, dot)];
  if (!fam || dot < 0) return false;
  const digits = fam.by === "function_item" ? 7 : fam.by === "economic_section" ? 5 : 3;
  return new RegExp(`^\\d{${digits}}$`).test(id.slice(dot + 1));
}

/** Whether the narrative compares a figure with the prior year. */
export function isComparedFigure(t: TemplateData, id: string): boolean {
  const f = t.figures[id];
  if (f) return f.compare;
  const fam = t.figure_families[id.slice(0, id.indexOf("."))];
  return fam?.compare ?? false;
}
