/**
 * The engine: interprets a template's tables over a department's facts. No table has code of its own.
 *
 * Design (aimed at the province benchmark): a fact's filter signature (source, kind, economic code, function code
 * if the template filters on it, unit type) is interned process-wide, and each table classifies a signature once:
 * which amount columns it feeds in each section, which fixed rows. Per fact and table the work is then an array
 * lookup and one `bigint` add per matching column into a leaf accumulator keyed by interned ids; parents (款, 类,
 * unit rows) are summed from their children afterwards on exact amounts.
 */
import type { Budget } from "./budget-schema.ts";
import { nameOf, type Catalog } from "./catalog-model.ts";
import { CodeTable, type FactContext, type FactSet } from "./fact-set.ts";
import {
  andFilter,
  compileWhere,
  matches,
  MATCH_ALL,
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

export interface ComputedRow {
  /** Stable address within the table: `total`, `income.gpb`, `f:2010301`, `u:001/f:2010399/p:3`, `e:30101`, `u:001/co:2`. */
  readonly key: string;
  readonly side: string | null;
  readonly type: RowType;
  /** function or economic code of a tree or class row */
  readonly code: string | null;
  readonly name: string;
  /** the project's public name on a project-split 项 row */
  readonly project: string | null;
  /** exact amounts (分) per amount column; null where the row has no such cell (a side without that column) */
  readonly cells: (bigint | null)[];
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

/** What one signature contributes to in one table: per section, the amount columns, and per fixed row, its columns. */
interface SigClass {
  readonly sectionCols: readonly (readonly number[])[];
  readonly fixedCols: readonly (readonly (readonly number[])[])[];
  readonly any: boolean;
}

interface CompiledTable {
  readonly data: TableData;
  readonly where: Filter;
  readonly amountColumns: readonly number[];
  readonly colFilters: readonly Filter[];
  readonly sections: readonly SectionSpec[];
  readonly sigClass: (SigClass | undefined)[];
}

export interface CompiledTemplate extends FactContext {
  readonly data: TemplateData;
  readonly tables: readonly CompiledTable[];
  readonly usesFuncFilter: boolean;
  /** interned signatures, shared by every table */
  readonly signatures: FactSignature[];
  readonly sigIds: Map<number, number>;
}

export function compileTemplate(t: TemplateData): CompiledTemplate {
  const groups = t.source_groups;
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
          } else if ("class_list" in r) dynamic.push({ kind: "class_list", levels: 1, byUnit, splitProject: false, order });
          else if ("tree" in r)
            dynamic.push({
              kind: r.tree === "function" ? "func_tree" : "econ_tree",
              levels: r.levels,
              byUnit,
              splitProject: r.split_leaf_by === "project",
              order,
            });
          else if ("carryover_items" in r) dynamic.push({ kind: "carryover", levels: 1, byUnit, splitProject: false, order });
          else {
            if (byUnit) throw new TemplateError(`${tb.id}: nested unit blocks`);
            walk(r.units, true);
          }
        }
      };
      walk(s.rows, false);
      return { side: s.name, printHeader: s.print_header ?? [], allowed, fixed, dynamic };
    });
    return { data: tb, where, amountColumns, colFilters, sections, sigClass: [] };
  });
  return {
    data: t,
    tables,
    usesFuncFilter,
    funcCodes: new CodeTable(),
    econCodes: new CodeTable(),
    personnelEcon: t.personnel_econ,
    signatures: [],
    sigIds: new Map(),
  };
}

/** Interns each fact's signature; returns the signature id per fact. */
function signaturesOf(ct: CompiledTemplate, facts: FactSet): Int32Array {
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

function classify(table: CompiledTable, sig: FactSignature): SigClass {
  if (!matches(table.where, sig)) return { sectionCols: [], fixedCols: [], any: false };
  const colOk = table.colFilters.map((f) => matches(f, sig));
  let any = false;
  const sectionCols = table.sections.map((s) => {
    const cols = s.allowed.filter((c) => colOk[c]);
    if (cols.length && s.dynamic.length) any = true;
    return cols;
  });
  const fixedCols = table.sections.map((s, si) =>
    s.fixed.map((fr) => {
      if (!matches(fr.filter, sig)) return [];
      const cols = sectionCols[si]!;
      if (cols.length) any = true;
      return cols;
    }),
  );
  return { sectionCols, fixedCols, any };
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

export function computeTables(ct: CompiledTemplate, facts: FactSet, ctx: TableContext): ComputedTable[] {
  const sigs = signaturesOf(ct, facts);
  return ct.tables.map((t) => computeTable(ct, t, facts, sigs, ctx));
}

/** A row of zero amounts. (`new Array(n).fill` is the fastest way to make one; this is the engine's hot path.) */
// oxlint-disable-next-line unicorn/no-new-array
const zeroCells = (n: number): bigint[] => new Array<bigint>(n).fill(0n);

const addInto = (acc: bigint[], cols: readonly number[], amt: bigint): void => {
  for (let c = 0; c < cols.length; c++) acc[cols[c]!]! += amt;
};

function computeTable(ct: CompiledTemplate, t: CompiledTable, facts: FactSet, sigs: Int32Array, ctx: TableContext): ComputedTable {
  const ncols = t.amountColumns.length;
  const zeros = (): bigint[] => zeroCells(ncols);
  // Accumulators: fixed rows per section, and one leaf map per dynamic source.
  const fixedAcc = t.sections.map((s) => s.fixed.map(zeros));
  const dynAcc = t.sections.map((s) => s.dynamic.map(() => new Map<number, bigint[]>()));
  const nProj = ctx.budget.projects.length + 1;
  const nUnits = ctx.budget.units.length + 1;
  let hasMoney = false;

  for (let i = 0; i < facts.n; i++) {
    const sid = sigs[i]!;
    let sc = t.sigClass[sid];
    if (sc === undefined) {
      sc = classify(t, ct.signatures[sid]!);
      t.sigClass[sid] = sc;
    }
    if (!sc.any) continue;
    const amt = facts.amount[i]!;
    if (amt !== 0n) hasMoney = true;
    for (let s = 0; s < t.sections.length; s++) {
      const sec = t.sections[s]!;
      const frs = sc.fixedCols[s]!;
      const fa = fixedAcc[s]!;
      for (let r = 0; r < frs.length; r++) {
        const cols = frs[r]!;
        if (cols.length) addInto(fa[r]!, cols, amt);
      }
      const cols = sc.sectionCols[s]!;
      if (!cols.length) continue;
      for (let d = 0; d < sec.dynamic.length; d++) {
        const dyn = sec.dynamic[d]!;
        let leaf: number;
        switch (dyn.kind) {
          case "class_list":
          case "func_tree":
            leaf = facts.func[i]!;
            break;
          case "econ_tree":
            leaf = facts.econ[i]!;
            break;
          case "carryover":
            leaf = facts.item[i]!;
            if (leaf < 0) continue;
            break;
        }
        const u = dyn.byUnit ? facts.unit[i]! + 1 : 0;
        const p = dyn.splitProject ? facts.project[i]! + 1 : 0;
        const key = (leaf * nUnits + u) * nProj + p;
        const m = dynAcc[s]![d]!;
        let acc = m.get(key);
        if (acc === undefined) {
          acc = zeros();
          m.set(key, acc);
        }
        addInto(acc, cols, amt);
      }
    }
  }

  const rows: ComputedRow[] = [];
  t.sections.forEach((sec, si) => {
    const allowedSet = new Set(sec.allowed);
    const mask = (cells: bigint[]): (bigint | null)[] => cells.map((v, c) => (allowedSet.has(c) ? v : null));
    const items: { order: number; rows: ComputedRow[] }[] = [];
    sec.fixed.forEach((fr, r) =>
      items.push({
        order: fr.order,
        rows: [{ key: fr.id, side: sec.side, type: "fixed", code: null, name: fr.label, project: null, cells: mask(fixedAcc[si]![r]!) }],
      }),
    );
    sec.dynamic.forEach((dyn, d) => {
      const leaves = [...dynAcc[si]![d]!.entries()].map(([key, cells]) => {
        const p = (key % nProj) - 1;
        const rest = Math.floor(key / nProj);
        const u = (rest % nUnits) - 1;
        const leaf = Math.floor(rest / nUnits);
        return { leaf, u, p, cells };
      });
      const out: ComputedRow[] = [];
      const build = (ls: typeof leaves, prefix: string) => expandLeaves(ct, dyn, ls, prefix, sec.side, ctx, ncols, mask);
      if (dyn.byUnit) {
        ctx.budget.units.forEach((unit, ui) => {
          const mine = leaves.filter((l) => l.u === ui);
          if (!mine.length) return;
          const sum = zeros();
          for (const l of mine) for (let c = 0; c < ncols; c++) sum[c]! += l.cells[c]!;
          if (sum.every((v) => v === 0n)) return;
          out.push({ key: `u:${unit.code}`, side: sec.side, type: "unit", code: null, name: unit.name, project: null, cells: mask(sum) });
          out.push(...build(mine, `u:${unit.code}/`));
        });
      } else out.push(...build(leaves, ""));
      items.push({ order: dyn.order, rows: out });
    });
    items.sort((a, b) => a.order - b.order);
    for (const it of items) rows.push(...it.rows);
  });

  const emptySentence =
    t.data.empty && !hasMoney
      ? fill(ct.data.sentences["empty_table"] ?? "", { department: ctx.department, year: String(ctx.year), fund: t.data.empty.fund, table: t.data.title })
      : null;
  return {
    id: t.data.id,
    number: t.data.number,
    title: t.data.title,
    orientation: t.data.orientation,
    columns: t.data.columns,
    amountColumns: t.amountColumns,
    sides: t.data.sides ? t.sections.map((s) => ({ name: s.side ?? "", printHeader: s.printHeader })) : null,
    rows: emptySentence === null ? rows : [],
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
  cells: bigint[];
}

function expandLeaves(
  ct: CompiledTemplate,
  dyn: DynamicSpec,
  leaves: readonly Leaf[],
  prefix: string,
  side: string | null,
  ctx: TableContext,
  ncols: number,
  mask: (cells: bigint[]) => (bigint | null)[],
): ComputedRow[] {
  const nonZero = (cells: bigint[]) => cells.some((v) => v !== 0n);
  switch (dyn.kind) {
    case "carryover": {
      return leaves
        .filter((l) => nonZero(l.cells))
        .sort((a, b) => a.leaf - b.leaf)
        .map((l) => ({
          key: `${prefix}co:${l.leaf}`,
          side,
          type: "carryover" as const,
          code: null,
          name: ctx.budget.carryover[l.leaf]?.name ?? "",
          project: null,
          cells: mask(l.cells),
        }));
    }
    case "class_list": {
      const byClass = new Map<string, bigint[]>();
      for (const l of leaves) {
        const cls = ct.funcCodes.codes[l.leaf]!.slice(0, 3);
        let acc = byClass.get(cls);
        if (!acc) byClass.set(cls, (acc = zeroCells(ncols)));
        for (let c = 0; c < ncols; c++) acc[c]! += l.cells[c]!;
      }
      // Every class of the template prints; a class outside the list that has money prints too, never lost.
      const classes = [...ct.data.function_classes];
      for (const c of [...byClass.keys()].sort()) if (!classes.includes(c) && nonZero(byClass.get(c)!)) classes.push(c);
      return classes.map((cls) => ({
        key: `${prefix}f:${cls}`,
        side,
        type: "class" as const,
        code: cls,
        name: nameOf(ctx.catalog, "func", cls),
        project: null,
        cells: mask(byClass.get(cls) ?? zeroCells(ncols)),
      }));
    }
    case "func_tree":
    case "econ_tree": {
      const isFunc = dyn.kind === "func_tree";
      const codes = isFunc ? ct.funcCodes.codes : ct.econCodes.codes;
      const catalogKind = isFunc ? "func" : "econ";
      // code lengths per level: function 3/5/7, economic 3/5
      const lens = isFunc ? [3, 5, 7] : [3, 5];
      const levels = Math.min(dyn.levels, lens.length);
      const typeOf = (level: number): RowType => (isFunc ? (["class", "section", "item"] as const)[level]! : (["econ-class", "econ-section"] as const)[level]!);
      type Node = { code: string; cells: bigint[]; children: Map<string, Node>; leaves: Leaf[] };
      const root: Node = { code: "", cells: zeroCells(ncols), children: new Map(), leaves: [] };
      for (const l of leaves) {
        if (!nonZero(l.cells)) continue;
        const code = codes[l.leaf]!;
        let node = root;
        for (let lv = 0; lv < levels; lv++) {
          const part = code.slice(0, lens[lv]!);
          let child = node.children.get(part);
          if (!child) node.children.set(part, (child = { code: part, cells: zeroCells(ncols), children: new Map(), leaves: [] }));
          for (let c = 0; c < ncols; c++) child.cells[c]! += l.cells[c]!;
          node = child;
        }
        node.leaves.push(l);
      }
      const out: ComputedRow[] = [];
      const emit = (node: Node, level: number) => {
        for (const code of [...node.children.keys()].sort()) {
          const child = node.children.get(code)!;
          const isLeafLevel = level === levels - 1;
          if (isLeafLevel && dyn.splitProject) {
            // One row per (项, project), projects in input order; the project's public name on the row.
            const byProject = new Map<number, bigint[]>();
            for (const l of child.leaves) {
              let acc = byProject.get(l.p);
              if (!acc) byProject.set(l.p, (acc = zeroCells(ncols)));
              for (let c = 0; c < ncols; c++) acc[c]! += l.cells[c]!;
            }
            for (const p of [...byProject.keys()].sort((a, b) => a - b)) {
              const proj = p >= 0 ? ctx.budget.projects[p] : undefined;
              out.push({
                key: `${prefix}f:${code}/p:${p}`,
                side,
                type: typeOf(level),
                code,
                name: nameOf(ctx.catalog, catalogKind, code),
                project: proj ? projectPublicName(proj) : null,
                cells: mask(byProject.get(p)!),
              });
            }
          } else {
            out.push({
              key: `${prefix}${isFunc ? "f" : "e"}:${code}`,
              side,
              type: typeOf(level),
              code,
              name: nameOf(ctx.catalog, catalogKind, code),
              project: null,
              cells: mask(child.cells),
            });
          }
          if (!isLeafLevel) emit(child, level + 1);
        }
      };
      emit(root, 0);
      return out;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

export interface FigureValue {
  readonly id: string;
  readonly current: bigint;
}

/** Whether fact i matches a filter: the signature for source/kind/econ/unit type, the fact itself for func. */
function factMatches(ct: CompiledTemplate, facts: FactSet, sigs: Int32Array, i: number, f: Filter): boolean {
  const sig = ct.signatures[sigs[i]!]!;
  if (f.func === null || ct.usesFuncFilter) return matches(f, sig);
  return matches({ ...f, func: null }, sig) && prefixMatch(ct.funcCodes.codes[facts.func[i]!]!, f.func);
}

/** Every figure the template names, and the families (func.<项>, class.<类>) over the codes present. */
export function computeFigures(ct: CompiledTemplate, facts: FactSet, priorIds: Iterable<string>): Map<string, bigint> {
  const groups = ct.data.source_groups;
  const sigs = signaturesOf(ct, facts);
  const out = new Map<string, bigint>();
  const sumFilter = (f: Filter): bigint => {
    let sum = 0n;
    for (let i = 0; i < facts.n; i++) if (factMatches(ct, facts, sigs, i, f)) sum += facts.amount[i]!;
    return sum;
  };
  for (const [id, fig] of Object.entries(ct.data.figures)) out.set(id, sumFilter(compileWhere(fig.where, groups)));
  for (const [family, spec] of Object.entries(ct.data.figure_families)) {
    const base = compileWhere(spec.where, groups);
    const len = spec.by === "function_item" ? 7 : 3;
    const codes = new Set<string>();
    for (let i = 0; i < facts.n; i++) if (factMatches(ct, facts, sigs, i, base)) codes.add(ct.funcCodes.codes[facts.func[i]!]!.slice(0, len));
    for (const id of priorIds) if (id.startsWith(`${family}.`)) codes.add(id.slice(family.length + 1));
    for (const code of codes) out.set(`${family}.${code}`, sumFilter(andFilter(base, { ...MATCH_ALL, func: [code] })));
  }
  return out;
}

/** Whether the template defines a figure id (directly or through a family). */
export function isFigureId(t: TemplateData, id: string): boolean {
  if (id in t.figures) return true;
  const dot = id.indexOf(".");
  const fam = t.figure_families[id.slice(0, dot)];
  if (!fam || dot < 0) return false;
  return new RegExp(fam.by === "function_item" ? "^\\d{7}$" : "^\\d{3}$").test(id.slice(dot + 1));
}

/** Whether the narrative compares a figure with the prior year. */
export function isComparedFigure(t: TemplateData, id: string): boolean {
  const f = t.figures[id];
  if (f) return f.compare;
  const fam = t.figure_families[id.slice(0, id.indexOf("."))];
  return fam?.compare ?? false;
}
