/**
 * The narrative engine: writes the disclosure's text (部门概况, 情况说明, 名词解释) from the computed disclosure and
 * the department's own words, by interpreting a narrative file (data/narratives/<template>.yaml, format in
 * docs/narrative-format.md). Every figure it writes is a run bound to its source; numbers are computed from exact
 * amounts and rounded once; the words follow the printed numbers (CONVENTIONS.md).
 */
import { z } from "zod";
import { nameOf, type Catalog } from "./catalog-model.ts";
import { describeChange, formatPercent, type Change } from "./change-wording.ts";
import type { Disclosure, FigureEntry } from "./disclosure-model.ts";
import { divRoundHalfAway, formatSteps, toSteps, type PrintUnit } from "./money.ts";
import type { Block, Narrative, NarrativePart, NarrativeSection, Run, ValueRole } from "./narrative-model.ts";
import type { TemplateData } from "./template-model.ts";

// ---------------------------------------------------------------------------------------------------------------
// The narrative file

const patterns = z
  .object({ default: z.string(), none: z.string().optional(), no_prior: z.string().optional() })
  .strict();

/** One figure id or input value key, or several. */
const oneOrMore = z.union([z.string(), z.array(z.string()).min(1)]).optional();
/**
 * Conditions of a block, all of which must hold. With several ids, `when_zero` holds when every figure prints 0.00
 * and `when_nonzero` when any does not (its exact complement); likewise `when_no_value` when no value is given (or
 * it prints as zero) and `when_value` when any is.
 */
const condition = {
  when_zero: oneOrMore,
  when_nonzero: oneOrMore,
  when_input: z.enum(["procurement", "assets"]).optional(),
  when_value: oneOrMore,
  when_no_value: oneOrMore,
};
type Conditions = { [K in keyof typeof condition]?: z.infer<(typeof condition)[K]> };

const itemsSchema = z
  .object({
    figures: z.array(z.string()).optional(),
    family: z.string().optional(),
    /** family members with a prior-year figure print even without money this year */
    with_prior: z.boolean().default(false),
    share_of: z.string().optional(),
    /** figures that print even when they have no money in either year */
    always: z.array(z.string()).default([]),
    names: z.record(z.string(), z.string()).default({}),
    numbered: z.string().optional(),
    /** all items in one paragraph: this text first, items separated by `separator`, then `end` */
    joined: z.string().optional(),
    separator: z.string().default(""),
    end: z.string().default(""),
    pattern: patterns,
    /** a figure's own patterns, in place of `pattern`'s (e.g. a `none` that drops the amount) */
    patterns_of: z.record(z.string(), patterns.partial()).default({}),
  })
  .strict()
  .refine((x) => (x.figures === undefined) !== (x.family === undefined), { message: "items take figures or a family" });

const blockSchema = z.union([
  z.object({ p: z.string(), ...condition }).strict(),
  z.object({ items: itemsSchema, ...condition }).strict(),
  z.object({ functions: z.literal(true) }).strict(),
  z.object({ staffing: z.string() }).strict(),
  z.object({ tables: z.literal("all") }).strict(),
  z.object({ performance: z.string() }).strict(),
  z
    .object({
      projects: z
        .object({
          figure: z.string(),
          title: z.string(),
          fields: z.array(z.object({ label: z.string(), value: z.enum(["basis", "unit", "allocation", "schedule", "amount", "purpose"]) }).strict()),
          classified_fields: z.array(z.string()),
          none: z.string(),
        })
        .strict(),
    })
    .strict(),
  z.object({ carryover: z.object({ numbered: z.string(), pattern: z.string(), purpose: z.string() }).strict() }).strict(),
  z.object({ list: z.object({ items: z.array(z.string()), ...condition }).strict() }).strict(),
  z.object({ glossary: z.array(z.object({ term: z.string(), text: z.string() }).strict()) }).strict(),
]);
type BlockSpec = z.infer<typeof blockSchema>;

type SectionSpec = { id: string; title: string; blocks?: BlockSpec[] | undefined; subsections?: SectionSpec[] | undefined };
const sectionSchema: z.ZodType<SectionSpec> = z.lazy(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      blocks: z.array(blockSchema).optional(),
      subsections: z.array(sectionSchema).optional(),
    })
    .strict(),
);

export const narrativeSpecSchema = z
  .object({
    template: z.string(),
    words: z
      .object({
        change: z.object({ up: z.string(), down: z.string(), flat: z.string(), new: z.string(), none: z.string() }).strict(),
        reason: z.string(),
        desc: z.string(),
        staffing: z.object({ up: z.string(), down: z.string(), flat: z.string() }).strict(),
        withheld: z.string(),
        list_separator: z.string(),
      })
      .strict(),
    parts: z.array(z.object({ id: z.string(), title: z.string(), sections: z.array(sectionSchema) }).strict()),
    groups: z.record(z.string(), z.array(z.string())).default({}),
  })
  .strict();
export type NarrativeSpec = z.infer<typeof narrativeSpecSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Engine

export interface NarrativeInput {
  readonly disclosure: Disclosure;
  readonly template: TemplateData;
  readonly catalog: Catalog;
}

/** A bug in a narrative file (an unknown placeholder or figure): ours to fix, so it throws. */
export class NarrativeError extends Error {}

const CN_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
/** 1 → 一, 12 → 十二, 21 → 二十一 */
export function chineseNumeral(n: number): string {
  if (n <= 10) return CN_NUMERALS[n - 1] ?? String(n);
  if (n < 20) return `十${CN_NUMERALS[n - 11] ?? ""}`;
  if (n < 100) return `${CN_NUMERALS[Math.floor(n / 10) - 1]}十${n % 10 ? CN_NUMERALS[(n % 10) - 1] : ""}`;
  return String(n);
}

/** 2023-12-31 → 2023年12月31日; other text as written. */
function chineseDate(text: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : text;
}

/** The implied figure of an item pattern. */
interface Item {
  readonly id: string;
  readonly figure: FigureEntry;
  readonly n: number;
  readonly name: string;
  readonly path?: string;
  readonly shareOf?: string | undefined;
  /** the source a bound amount names (default `figure:<id>`) */
  readonly ref?: string;
}

class Writer {
  private readonly unit: PrintUnit;
  private readonly d: Disclosure;
  private readonly owner: string;
  private readonly values: Map<string, { text: string; role: ValueRole }>;
  /** the performance tables a `performance` block of the narrative places */
  private readonly placed: Set<string>;

  constructor(
    private readonly spec: NarrativeSpec,
    private readonly input: NarrativeInput,
  ) {
    this.d = input.disclosure;
    this.unit = input.disclosure.template.printUnit;
    this.owner = this.d.scope.kind === "unit" ? this.d.scope.name : this.d.department.name;
    this.values = this.inputValues();
    this.placed = new Set<string>();
    const visit = (sections: readonly SectionSpec[]): void => {
      for (const sec of sections) {
        for (const b of sec.blocks ?? []) if ("performance" in b) this.placed.add(b.performance);
        visit(sec.subsections ?? []);
      }
    };
    for (const p of spec.parts) visit(p.sections);
  }

  // ---- values

  private money(fen: bigint): string {
    return formatSteps(toSteps(fen, this.unit), this.unit.decimals);
  }

  figure(id: string): FigureEntry {
    const f = this.d.figures.get(id);
    if (!f) throw new NarrativeError(`narrative names an unknown figure: ${id}`);
    return f;
  }

  private change(f: FigureEntry): Change | null {
    return f.prior === null ? null : describeChange(f.current, f.prior, this.unit);
  }

  private shareText(f: FigureEntry, of: string): string {
    const den = this.figure(of).current;
    if (den === 0n) return "0.00";
    return formatPercent(divRoundHalfAway(f.current * 10_000n, den));
  }

  /** Values from the input that are not figures (procurement, assets, staffing, project counts). */
  private inputValues(): Map<string, { text: string; role: ValueRole }> {
    const v = new Map<string, { text: string; role: ValueRole }>();
    const amount = (k: string, fen: bigint) => v.set(k, { text: this.money(fen), role: "amount" });
    const count = (k: string, n: number | bigint) => v.set(k, { text: String(n), role: "count" });
    const p = this.d.procurement;
    if (p) {
      amount("procurement.total", p.goods + p.works + p.services);
      for (const k of ["goods", "works", "services", "sme_reserved", "small_micro_reserved"] as const) amount(`procurement.${k}`, p[k]);
    }
    const a = this.d.assets;
    if (a) {
      v.set("assets.as_of", { text: chineseDate(a.as_of ?? ""), role: "count" });
      v.set("assets.buildings.area", { text: a.buildings.area_m2, role: "area" });
      amount("assets.buildings.value", a.buildings.value);
      count("assets.vehicles.count", a.vehicles.reduce((s, x) => s + x.count, 0));
      amount("assets.vehicles.value", a.vehicles.reduce((s, x) => s + x.value, 0n));
      for (const kind of ["general", "law_enforcement", "other"] as const) {
        const list = a.vehicles.filter((x) => x.kind === kind);
        count(`assets.vehicles.${kind}.count`, list.reduce((s, x) => s + x.count, 0));
        amount(`assets.vehicles.${kind}.value`, list.reduce((s, x) => s + x.value, 0n));
      }
      amount("assets.furniture", a.furniture);
      amount("assets.other", a.other);
      count("assets.large_equipment.over_500k", a.large_equipment.over_500k);
      count("assets.large_equipment.over_1m", a.large_equipment.over_1m);
      count("assets.planned.vehicles.count", a.planned.vehicles.reduce((s, x) => s + x.count, 0));
      amount("assets.planned.vehicles.amount", a.planned.vehicles.reduce((s, x) => s + x.amount, 0n));
      count("assets.planned.large_equipment_over_500k", a.planned.large_equipment_over_500k);
      count("assets.planned.large_equipment_over_1m", a.planned.large_equipment_over_1m);
    }
    const st = this.d.profile.staffing;
    if (st) {
      count("staff.authorised", st.authorised);
      count("staff.actual", st.actual);
      for (const k of ["serving", "retired", "honourably_retired"] as const) count(`staff.${k}`, st[k].count);
    }
    const projects = this.d.projects;
    const appr = projects.filter((x) => x.appropriated > 0n);
    const nonAppr = projects.filter((x) => x.nonAppropriated > 0n);
    count("projects.appropriated.count", appr.length);
    amount("projects.appropriated.amount", appr.reduce((s, x) => s + x.appropriated, 0n));
    count("projects.non_appropriated.count", nonAppr.length);
    amount("projects.non_appropriated.amount", nonAppr.reduce((s, x) => s + x.nonAppropriated, 0n));
    count("projects.classified.count", this.d.performance.withheld.count);
    amount("projects.classified.amount", this.d.performance.withheld.amount);
    count("performance.department_targets", this.d.performance.department.length > 0 ? 1 : 0);
    return v;
  }

  // ---- patterns

  /** Renders a pattern; `item` supplies the implied figure of an item pattern. */
  render(pattern: string, item?: Item): Run[] {
    const runs: Run[] = [];
    const re = /\{([a-z_]+)(?::([^}]+))?\}/g;
    let last = 0;
    for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
      if (m.index > last) runs.push({ kind: "text", text: pattern.slice(last, m.index) });
      runs.push(...this.placeholder(m[1]!, m[2], item));
      last = m.index + m[0].length;
    }
    if (last < pattern.length) runs.push({ kind: "text", text: pattern.slice(last) });
    return mergeText(runs);
  }

  private placeholder(name: string, arg: string | undefined, item?: Item): Run[] {
    const text = (t: string): Run[] => (t ? [{ kind: "text", text: t }] : []);
    const figureId = arg ?? item?.id;
    switch (name) {
      case "department":
        return text(this.owner);
      case "year":
        return text(String(this.d.department.year));
      case "organisation":
        return this.d.profile.organisation ? [{ kind: "quote", text: this.d.profile.organisation, ref: "profile.organisation" }] : [];
      case "n":
        return text(String(item?.n ?? ""));
      case "cn":
        return text(chineseNumeral(item?.n ?? 0));
      case "name":
        return text(item?.name ?? "");
      case "path":
        return text(item?.path ?? "");
      case "amount": {
        if (!figureId) throw new NarrativeError("{amount} outside an item needs a figure");
        const f = arg ? this.figure(arg) : item!.figure;
        return [{ kind: "value", text: this.money(f.current), role: "amount", ref: (arg ? undefined : item?.ref) ?? `figure:${figureId}` }];
      }
      case "share": {
        const of = item?.shareOf;
        if (!figureId || !of) throw new NarrativeError("{share} needs an item with share_of");
        const f = arg ? this.figure(arg) : item!.figure;
        return [{ kind: "value", text: this.shareText(f, of), role: "share", ref: `share:${figureId}/${of}` }];
      }
      case "change": {
        if (!figureId) throw new NarrativeError("{change} needs a figure");
        return this.changeRuns(figureId, arg ? this.figure(arg) : item!.figure);
      }
      case "reason": {
        const id = figureId;
        const reason = id ? this.d.reasons[id] : undefined;
        if (!reason) return [];
        return this.words(this.spec.words.reason, "reason", { kind: "quote", text: reason, ref: `reason:${id}` });
      }
      case "desc": {
        const id = figureId;
        const desc = id ? this.d.descriptions[id] : undefined;
        if (!desc) return [];
        return this.words(this.spec.words.desc, "desc", { kind: "quote", text: desc, ref: `description:${id}` });
      }
      case "names": {
        if (!arg) throw new NarrativeError("{names:…} needs a group or family");
        const ids = this.spec.groups[arg] ?? this.familyIds(arg, false);
        const names = ids.filter((id) => toSteps(this.figure(id).current, this.unit) !== 0n).map((id) => this.figure(id).name);
        return text(names.join(this.spec.words.list_separator) || "无");
      }
      case "value": {
        const v = arg ? this.values.get(arg) : undefined;
        if (!v) throw new NarrativeError(`unknown value ${arg}`);
        return [{ kind: "value", text: v.text, role: v.role, ref: `input:${arg}` }];
      }
      case "staff": {
        const st = this.d.profile.staffing;
        if (!st || !arg) return [];
        const h = st[arg as "serving" | "retired" | "honourably_retired"];
        if (!h) throw new NarrativeError(`unknown staffing ${arg}`);
        if (h.prior === undefined) return [];
        const diff = h.count - h.prior;
        const w = this.spec.words.staffing;
        const pattern = diff > 0 ? w.up : diff < 0 ? w.down : w.flat;
        return this.words(pattern, "n", { kind: "value", text: String(Math.abs(diff)), role: "count", ref: `input:staff.${arg}.change` });
      }
      default:
        throw new NarrativeError(`unknown placeholder {${name}}`);
    }
  }

  /** A words pattern with one slot ({slot}) filled by a run. */
  private words(pattern: string, slot: string, run: Run): Run[] {
    if (!pattern.includes(`{${slot}}`)) return [{ kind: "text", text: pattern }];
    const [before, after] = pattern.split(`{${slot}}`);
    return mergeText([
      ...(before ? [{ kind: "text" as const, text: before }] : []),
      run,
      ...(after ? [{ kind: "text" as const, text: after }] : []),
    ]);
  }

  /** The change words of a figure, with the change amount and percentage as bound values. */
  changeRuns(id: string, f: FigureEntry): Run[] {
    const c = this.change(f);
    if (!c) return [];
    const pattern = this.spec.words.change[c.direction];
    const runs: Run[] = [];
    const re = /\{(change|percent)\}/g;
    let last = 0;
    for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
      if (m.index > last) runs.push({ kind: "text", text: pattern.slice(last, m.index) });
      if (m[1] === "change") runs.push({ kind: "value", text: formatSteps(c.changeSteps, this.unit.decimals), role: "change", ref: `change:${id}` });
      else runs.push({ kind: "value", text: c.percentHundredths === null ? "" : formatPercent(c.percentHundredths), role: "percent", ref: `percent:${id}` });
      last = m.index + m[0].length;
    }
    if (last < pattern.length) runs.push({ kind: "text", text: pattern.slice(last) });
    return runs;
  }

  /** Members of a figure family, in code order: with money this year, or (with_prior) with a prior-year figure. */
  familyIds(family: string, withPrior: boolean): string[] {
    const prefix = `${family}.`;
    return [...this.d.figures]
      .filter(([id, f]) => id.startsWith(prefix) && (toSteps(f.current, this.unit) !== 0n || (withPrior && f.prior !== null)))
      .map(([id]) => id)
      .sort();
  }

  /** 一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项） */
  private functionPath(code: string): string {
    const c = this.input.catalog;
    return `${nameOf(c, "func", code.slice(0, 3))}（类）${nameOf(c, "func", code.slice(0, 5))}（款）${nameOf(c, "func", code)}（项）`;
  }

  // ---- blocks

  private holds(b: Conditions): boolean {
    const zero = (id: string) => toSteps(this.figure(id).current, this.unit) === 0n;
    if (b.when_zero !== undefined && !list(b.when_zero).every(zero)) return false;
    if (b.when_nonzero !== undefined && list(b.when_nonzero).every(zero)) return false;
    if (b.when_input === "procurement" && !this.d.procurement) return false;
    if (b.when_input === "assets" && !this.d.assets) return false;
    // a value is absent when not given, or when it prints as zero (0, 0.00)
    const none = (k: string) => /^0(\.0+)?$/.test(this.values.get(k)?.text ?? "0");
    if (b.when_value !== undefined && list(b.when_value).every(none)) return false;
    if (b.when_no_value !== undefined && !list(b.when_no_value).every(none)) return false;
    return true;
  }

  blocks(specs: readonly BlockSpec[]): Block[] {
    const out: Block[] = [];
    for (const b of specs) {
      if ("p" in b) {
        if (this.holds(b)) out.push({ kind: "paragraph", runs: this.render(b.p) });
      } else if ("items" in b) {
        if (this.holds(b)) out.push(...this.items(b.items));
      } else if ("functions" in b) {
        const fs = this.d.profile.functions;
        if (fs.length) out.push({ kind: "list", items: fs.map((f, i) => [{ kind: "text", text: `${i + 1}．` }, { kind: "quote", text: f, ref: `profile.functions[${i}]` }]) });
      } else if ("staffing" in b) {
        if (this.d.profile.staffing) out.push({ kind: "paragraph", runs: this.render(b.staffing) });
      } else if ("tables" in b) {
        // the public tables, and the performance tables the narrative places nowhere else (a `performance` block)
        for (const t of this.d.tables) out.push({ kind: "table", table: t.id });
        for (const pt of this.input.template.performance_tables) if (!this.placed.has(pt.id)) out.push({ kind: "performance", table: pt.id });
      } else if ("performance" in b) {
        out.push({ kind: "performance", table: b.performance });
      } else if ("projects" in b) {
        out.push(...this.projects(b.projects));
      } else if ("carryover" in b) {
        b.carryover satisfies { numbered: string; pattern: string; purpose: string };
        const items = this.d.carryover.map((c, i): Run[] => [
          { kind: "text", text: b.carryover.numbered.replace("{n}", String(i + 1)) },
          { kind: "text", text: c.name },
          { kind: "value", text: this.money(c.amount), role: "amount", ref: `carryover[${i}]` },
          { kind: "text", text: "万元" },
          ...(c.purpose ? this.words(b.carryover.purpose, "purpose", { kind: "quote", text: c.purpose, ref: `carryover[${i}].purpose` }) : []),
          { kind: "text", text: "。" },
        ]);
        if (items.length) out.push({ kind: "list", items: items.map(mergeText) });
      } else if ("list" in b) {
        if (this.holds(b.list)) out.push({ kind: "list", items: b.list.items.map((p) => this.render(p)) });
      } else {
        out.push({ kind: "list", items: b.glossary.map((g, i): Run[] => [{ kind: "text", text: `${chineseNumeral(i + 1)}、${g.term}：${g.text}` }]) });
      }
    }
    return out;
  }

  private items(spec: z.infer<typeof itemsSchema>): Block[] {
    const ids = spec.figures ?? this.familyIds(spec.family!, spec.with_prior);
    const chosen = ids.filter((id) => {
      const f = this.figure(id);
      return spec.always.includes(id) || toSteps(f.current, this.unit) !== 0n || (f.prior !== null && toSteps(f.prior, this.unit) !== 0n);
    });
    const rendered = chosen.map((id, i): Run[] => {
      const f = this.figure(id);
      const c = this.change(f);
      const noneNow = toSteps(f.current, this.unit) === 0n && (f.prior === null || toSteps(f.prior, this.unit) === 0n);
      const own = spec.patterns_of[id] ?? {};
      const pick = (k: "none" | "no_prior") => own[k] ?? spec.pattern[k] ?? own.default ?? spec.pattern.default;
      const pattern = noneNow ? pick("none") : c === null ? pick("no_prior") : (own.default ?? spec.pattern.default);
      const code = id.slice(id.indexOf(".") + 1);
      const item = {
        id,
        figure: f,
        n: i + 1,
        shareOf: spec.share_of,
        name: spec.names[id] ?? f.name,
        path: /^\d{7}$/.test(code) ? this.functionPath(code) : f.name,
      };
      const body = this.render(pattern, item);
      return spec.numbered ? mergeText([{ kind: "text", text: spec.numbered.replace("{n}", String(i + 1)) }, ...body]) : body;
    });
    if (!rendered.length) return [];
    if (spec.joined !== undefined || spec.separator || spec.end) {
      const runs: Run[] = [];
      if (spec.joined) runs.push({ kind: "text", text: spec.joined });
      rendered.forEach((r, i) => {
        if (i > 0 && spec.separator) runs.push({ kind: "text", text: spec.separator });
        runs.push(...r);
      });
      if (spec.end) runs.push({ kind: "text", text: spec.end });
      return [{ kind: "paragraph", runs: mergeText(runs) }];
    }
    return spec.numbered ? [{ kind: "list", items: rendered }] : rendered.map((runs) => ({ kind: "paragraph", runs }));
  }

  private projects(spec: Extract<BlockSpec, { projects: unknown }>["projects"]): Block[] {
    const list = this.d.projects.filter((p) => p.gpb > 0n);
    if (!list.length) return [{ kind: "paragraph", runs: this.render(spec.none) }];
    return list.map((p, i): Block => {
      const unitName = this.d.units.find((u) => u.code === p.unit)?.name ?? p.unit;
      const ref = `project:${p.code || p.name}`;
      const amountRun: Run = { kind: "value", text: this.money(p.gpb), role: "amount", ref };
      const title = this.render(spec.title, { id: ref, figure: { name: p.name, current: p.gpb, prior: null }, n: i + 1, name: p.name, ref });
      const withheld: Run[] = [{ kind: "text", text: this.spec.words.withheld }];
      const field = (value: string): Run[] => {
        const det = p.details;
        if (!det) return value === "unit" ? [{ kind: "text", text: unitName }] : value === "amount" ? [amountRun, { kind: "text", text: "万元" }] : withheld;
        switch (value) {
          case "basis":
            return det.basis ? [{ kind: "quote", text: det.basis, ref: `project:${p.code}.basis` }] : [];
          case "unit":
            return [{ kind: "text", text: unitName }];
          case "amount":
            return [amountRun, { kind: "text", text: "万元" }];
          case "purpose":
            return det.purpose ? [{ kind: "quote", text: det.purpose, ref: `project:${p.code}.purpose` }] : [];
          case "schedule":
            return det.schedule ? [{ kind: "quote", text: det.schedule, ref: `project:${p.code}.schedule` }] : [];
          case "allocation":
            return mergeText(
              det.allocation.flatMap((a, k): Run[] => [
                ...(k > 0 ? [{ kind: "text" as const, text: "；" }] : []),
                { kind: "quote", text: a.item, ref: `project:${p.code}.allocation[${k}]` },
                { kind: "value", text: this.money(a.amount), role: "amount", ref: `project:${p.code}.allocation[${k}].amount` },
                { kind: "text", text: "万元" },
              ]).concat(det.allocation.length ? [{ kind: "text", text: "。" }] : []),
            );
          default:
            return [];
        }
      };
      // a classified project: each of `classified_fields` in its order, withheld unless it is the unit or the amount
      const shown = (label: string) => spec.fields.find((f) => f.label === label && (f.value === "unit" || f.value === "amount"));
      const fields = p.details
        ? spec.fields.map((f) => ({ label: f.label, value: field(f.value) })).filter((f) => f.value.length > 0)
        : spec.classified_fields.map((label) => {
            const f = shown(label);
            return { label, value: f ? field(f.value) : withheld };
          });
      return { kind: "fields", title: mergeText(title), fields };
    });
  }

  section(spec: SectionSpec): NarrativeSection {
    return {
      id: spec.id,
      title: spec.title ? this.plain(spec.title) : "",
      blocks: this.blocks(spec.blocks ?? []),
      subsections: (spec.subsections ?? []).map((s) => this.section(s)),
    };
  }

  plain(pattern: string): string {
    return this.render(pattern)
      .map((r) => r.text)
      .join("");
  }

  get ownerName(): string {
    return this.owner;
  }
}

/** A condition's ids: one or several. */
const list = (x: string | string[]): string[] => (typeof x === "string" ? [x] : x);

/** Joins adjacent text runs. */
function mergeText(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (r.kind === "text" && last?.kind === "text") out[out.length - 1] = { kind: "text", text: last.text + r.text };
    else if (r.kind !== "text" || r.text) out.push(r);
  }
  return out;
}

export function buildNarrative(spec: NarrativeSpec, input: NarrativeInput): Narrative {
  const w = new Writer(spec, input);
  const parts: NarrativePart[] = spec.parts.map((p) => ({ id: p.id, title: w.plain(p.title), sections: p.sections.map((s) => w.section(s)) }));
  const d = input.disclosure;
  return {
    title: `${w.ownerName}${d.department.year}年${d.scope.kind === "unit" ? "单位" : "部门"}预算公开`,
    parts,
    signature: [w.ownerName, d.department.date ? chineseDate(d.department.date) : ""].filter((x) => x),
  };
}
