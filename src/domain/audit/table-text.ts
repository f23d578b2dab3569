/**
 * Tables from a plain-text source (`geometry: "text"`, issue 14 point 3): the words of a line keep their order but
 * not their columns, so a row is a code, a name and a list of numbers, and blank cells leave no trace.
 *
 * - Rows: a line that starts with a code, a total, or a name after a completed row starts a row; a line of text
 *   under a row that has no numbers yet continues its name; a line of numbers completes it.
 * - Columns: the code columns of the header (类 款 项), one name column, and the amount columns counted by the row of
 *   column numbers (※ ※ 1 2 3 …, 栏次) when the table prints one, else by the longest row. A table of two sides (收入
 *   | 支出, each line printing an item of each side) has a name and its amounts for each side.
 * - Placement: a row that prints as many numbers as there are columns fills them in order; one that prints fewer is
 *   placed by the table's own sums — a parent code equals the sum of its children, the total row the sum of the
 *   classes — where exactly one order-preserving placement of every row satisfies them within the rounding envelope
 *   of the printed precision. The relations used are listed in the table's `placedBy` (the checker must not count
 *   them as checked); rows that stay ambiguous are not read and are listed.
 */
import {
  formatPrintedAmount,
  type PrintedAmount,
  parsePrintedAmount,
} from "./printed-amount.ts";
import {
  findUnit,
  type RegionPage,
  REASON_EN,
  REASON_ZH,
  type TableRead,
  tableNotRead,
  type TitleAt,
} from "./table-extract.ts";
import { joinWords, type Line, type PlacedWord } from "./table-geometry.ts";
import { normaliseTitle, type TableTitleCatalog } from "./table-kinds.ts";
import type {
  ExtractedCell,
  ExtractedColumn,
  ExtractedRow,
  ExtractedTable,
  NotRead,
  Placement,
} from "./table-model.ts";

const CODE_LEVEL = /^(类|款|项)$/u;
const TOTAL = /^(总计|合计|收入总计|支出总计|本年收入合计|本年支出合计)$/u;
const NOTE = /^(注|说明|备注)\s*[:：\d.、]/u;
const SENTENCE = /[。；，]/u;
/** the heading of a part of the narrative (第三部分 …): never a row */
export const PART_HEADING = /^第[一二三四五六七八九十]{1,3}部分/u;
const MARK = /^[※*＊]$/u;

interface TextRow {
  page: number;
  y: number;
  codes: string[];
  words: PlacedWord[];
  numbers: PrintedAmount[];
  texts: string[];
  /** two-sided tables: the right side's part */
  right?: { codes: string[]; texts: string[]; numbers: PrintedAmount[] };
}

const isCodeToken = (t: string) => /^\d{2,9}$/u.test(t);

/** a row of column numbers: ※ marks and 1 2 3 … in order (栏次) */
function columnNumbers(line: Line): number | null {
  const ints = line.words.filter(
    (w) => !MARK.test(w.text) && !/^栏次$/u.test(w.text),
  );
  if (ints.length === 0 || !ints.every((w, i) => w.text === String(i + 1)))
    return null;
  return ints.length;
}

/** characters spaced out one by one (收 入 总 计) as one word; 类 款 项 stay the labels of three columns */
function joinSpaced(words: readonly PlacedWord[]): PlacedWord[] {
  const out: PlacedWord[] = [];
  let runOfSingles = false;
  for (const w of words) {
    const single =
      [...w.text].length === 1 &&
      /[\u3400-\u9fff]/u.test(w.text) &&
      !CODE_LEVEL.test(w.text);
    const prev = out[out.length - 1];
    if (prev && single && runOfSingles && w.x0 - prev.x1 <= 1.5) {
      out[out.length - 1] = {
        ...prev,
        text: prev.text + w.text,
        x1: w.x1,
        cx: (prev.x0 + w.x1) / 2,
      };
      continue;
    }
    out.push(w);
    runOfSingles = single;
  }
  return out;
}

export function readTextTable(
  region: readonly RegionPage[],
  t: TitleAt,
  catalog: TableTitleCatalog,
): TableRead {
  const first = region[0]!;
  const title = t.match.title;
  const unit = findUnit(first.lines, catalog);
  // a table of a text source never runs past its page (the source has page breaks, or none at all)
  const lines = first.lines
    .slice(unit.through + 1)
    .map((l) => ({ ...l, words: joinSpaced(l.words) }));
  // header: up to the row of column numbers, or to the first row
  let n: number | null = null;
  let bodyStart = lines.findIndex((l) => startsRow(l));
  const numbersRow = lines
    .slice(0, 40)
    .findIndex((l) => columnNumbers(l) !== null);
  if (numbersRow >= 0) {
    n = columnNumbers(lines[numbersRow]!);
    bodyStart = numbersRow + 1;
  }
  if (bodyStart < 0) bodyStart = lines.length;
  const header = lines.slice(0, bodyStart);
  const codeLevels = Math.max(
    0,
    ...header.map((l) => l.words.filter((w) => CODE_LEVEL.test(w.text)).length),
  );
  // the body ends at a note, a sentence, or the heading of the narrative's next part
  let rest = lines.slice(bodyStart);
  const heading = rest.findIndex((l) =>
    PART_HEADING.test(normaliseTitle(l.text)),
  );
  if (heading >= 0) rest = rest.slice(0, heading);
  const noteAt = rest.findIndex(
    (l) => NOTE.test(normaliseTitle(l.text)) || SENTENCE.test(l.text),
  );
  const body = noteAt < 0 ? rest : rest.slice(0, noteAt);
  const notes: string[] = [];
  if (noteAt >= 0)
    for (let i = noteAt; i < rest.length; i++) {
      const l = rest[i]!;
      const prev = notes[notes.length - 1];
      // a note runs on while its sentence is unfinished
      if (
        prev !== undefined &&
        /[。]$/u.test(prev) &&
        !NOTE.test(normaliseTitle(l.text))
      )
        break;
      notes.push(l.text);
    }
  const rows = assembleRows(body, codeLevels);
  const twoSided = n === null && rows.some((r) => r.right !== undefined);
  const notChecked: NotRead[] = [];
  const tableBase = {
    kind: t.match.kind?.id ?? null,
    title,
    number: t.number,
    qualifier: t.match.qualifier,
    page: first.page.number,
    pages: [first.page.number],
    unit: unit.unit,
    unitText: unit.text,
    notes: notes.length ? [notes.join("")] : [],
    geometry: "text" as const,
  };
  if (twoSided) return twoSidedTable(rows, tableBase, notChecked);
  const codeCols =
    codeLevels > 0 ? codeLevels : rows.some((r) => r.codes.length > 0) ? 1 : 0;
  const amountCols = n ?? Math.max(0, ...rows.map((r) => r.numbers.length));
  const columns: ExtractedColumn[] = [
    ...Array.from({ length: codeCols }, (_, i) => {
      const label =
        codeLevels > 0 ? (["类", "款", "项"][i] ?? `编码${i + 1}`) : "科目编码";
      return { header: [label], label, kind: "code" as const };
    }),
    { header: ["名称"], label: "名称", kind: "name" as const },
    ...Array.from({ length: amountCols }, (_, i) => ({
      header: ["栏次", String(i + 1)],
      label: `栏次/${i + 1}`,
      kind: "amount" as const,
    })),
  ];
  const placement = placeRows(rows, amountCols, codeCols);
  const extracted: ExtractedRow[] = rows.map((r, i) => {
    const codeCells: ExtractedCell[] = Array.from(
      { length: codeCols },
      (_, c) => {
        const code = codeCols === 1 ? r.codes.join("") : r.codes[c];
        return code
          ? { text: code, kind: "code" }
          : { text: "", kind: "blank" };
      },
    );
    const name = r.texts.join("");
    const nameCell: ExtractedCell = name
      ? { text: name, kind: "text" }
      : { text: "", kind: "blank" };
    const options = placement.options[i]!;
    const base = { page: r.page, y: r.y, numbers: r.numbers };
    if (r.numbers.length > amountCols) {
      return {
        ...base,
        cells: [...codeCells, nameCell, ...blanks(amountCols)],
        readable: false,
        problem: "more-numbers-than-columns" as const,
      };
    }
    if (options.length !== 1) {
      const problem =
        r.numbers.length === 0
          ? undefined
          : options.length === 0
            ? ("placement-unknown" as const)
            : ("placement-ambiguous" as const);
      if (problem)
        return {
          ...base,
          cells: [...codeCells, nameCell, ...blanks(amountCols)],
          readable: false,
          problem,
        };
    }
    const cols = options[0] ?? [];
    const amounts: ExtractedCell[] = blanks(amountCols);
    cols.forEach((c, k) => {
      const a = r.numbers[k]!;
      amounts[c] = { text: formatPrinted(a), kind: "amount", amount: a };
    });
    return {
      ...base,
      cells: [...codeCells, nameCell, ...amounts],
      readable: true,
    };
  });
  for (const r of extracted)
    if (!r.readable)
      notChecked.push({
        table: title,
        page: r.page,
        scope: "row",
        reason: r.problem ?? "placement-ambiguous",
        detail: {
          zh: `${title}第 ${r.y} 行（${r.cells
            .map((c) => c.text)
            .filter((x) => x)
            .join(
              " ",
            )} ${r.numbers?.map(formatPrintedAmount).join(" ") ?? ""}）未能可靠读取：${REASON_ZH[r.problem ?? "placement-ambiguous"]}`,
          en: `${title}, line ${r.y}: a row could not be read with confidence: ${REASON_EN[r.problem ?? "placement-ambiguous"]}`,
        },
      });
  const table: ExtractedTable = {
    ...tableBase,
    columns,
    rows: extracted,
    placedBy: placement.placedBy,
  };
  const withNumbers = extracted.filter((r) => (r.numbers?.length ?? 0) > 0);
  if (withNumbers.length > 0 && withNumbers.every((r) => !r.readable)) {
    return {
      table: null,
      notChecked: [
        tableNotRead(
          title,
          first.page.number,
          withNumbers[0]?.problem ?? "placement-ambiguous",
          withNumbers.length,
        ),
      ],
    };
  }
  return { table, notChecked };
}

const blanks = (n: number): ExtractedCell[] =>
  Array.from({ length: n }, () => ({ text: "", kind: "blank" }));
const formatPrinted = (a: PrintedAmount) => formatPrintedAmount(a);

function startsRow(l: Line): boolean {
  const ws = l.words;
  if (ws.length === 0) return false;
  if (columnNumbers(l) !== null) return false;
  if (ws.some((w) => w.kind === "amount")) return true;
  const first = ws[0]!;
  if (
    isCodeToken(first.text) &&
    ws.length > 1 &&
    ws.some((w) => w.kind === "text")
  )
    return true;
  return TOTAL.test(normaliseTitle(first.text));
}

/** the parts of a line: codes at its start, its text, its numbers; a second item after the numbers is the right side */
function splitLine(
  words: readonly PlacedWord[],
  codeLevels: number,
): {
  codes: string[];
  texts: string[];
  numbers: PrintedAmount[];
  rest: PlacedWord[];
} {
  const codes: string[] = [];
  const texts: string[] = [];
  const numbers: PrintedAmount[] = [];
  let i = 0;
  const maxCodes = codeLevels > 0 ? codeLevels : 1;
  while (
    i < words.length &&
    codes.length < maxCodes &&
    isCodeToken(words[i]!.text) &&
    !yearLike(words, i)
  )
    codes.push(words[i++]!.text);
  let seenNumber = false;
  for (; i < words.length; i++) {
    const w = words[i]!;
    // a code followed by a name starts the other side's item, even after numbers
    if (
      texts.length > 0 &&
      w.kind === "integer" &&
      /^\d{3}$/u.test(w.text) &&
      words[i + 1]?.kind === "text"
    )
      return { codes, texts, numbers, rest: words.slice(i) };
    if (w.kind === "amount" || (w.kind === "integer" && seenNumber)) {
      const a = parsePrintedAmount(w.text);
      if (a) {
        numbers.push(a);
        seenNumber = true;
        continue;
      }
    }
    if (seenNumber) return { codes, texts, numbers, rest: words.slice(i) };
    texts.push(w.text);
  }
  return { codes, texts, numbers, rest: [] };
}

/** "2023 年…": a year, not a code */
const yearLike = (words: readonly PlacedWord[], i: number) =>
  /^(19|20)\d{2}$/u.test(words[i]!.text) &&
  /^[年度]/u.test(words[i + 1]?.text ?? "");

function assembleRows(body: readonly Line[], codeLevels: number): TextRow[] {
  const rows: TextRow[] = [];
  let cur: TextRow | null = null;
  for (const l of body) {
    if (l.words.length === 0) continue;
    const parts = splitLine(l.words, codeLevels);
    const rightParts = parts.rest.length
      ? splitLine(parts.rest, codeLevels)
      : null;
    const startsWithCode = parts.codes.length > 0;
    const textOnly = parts.numbers.length === 0 && parts.codes.length === 0;
    const total = TOTAL.test(normaliseTitle(parts.texts[0] ?? ""));
    // a name wraps only when it is long (a short line of text alone is a row of its own)
    const wrapped = cur !== null && [...cur.texts.join("")].length >= 10;
    if (
      cur &&
      cur.numbers.length === 0 &&
      !cur.right &&
      !startsWithCode &&
      !total &&
      ((textOnly && (wrapped || cur.codes.length > 0)) ||
        parts.texts.length === 0 ||
        cur.codes.length > 0)
    ) {
      // the row so far has no numbers: this line continues its name, or completes it with its numbers
      cur.texts.push(...parts.texts);
      cur.numbers.push(...parts.numbers);
      cur.words.push(...l.words);
      if (rightParts)
        cur.right = {
          codes: rightParts.codes,
          texts: rightParts.texts,
          numbers: rightParts.numbers,
        };
      continue;
    }
    cur = {
      page: l.page,
      y: Math.round(l.words[0]!.y0),
      codes: parts.codes,
      texts: [...parts.texts],
      numbers: [...parts.numbers],
      words: [...l.words],
    };
    if (rightParts)
      cur.right = {
        codes: rightParts.codes,
        texts: rightParts.texts,
        numbers: rightParts.numbers,
      };
    rows.push(cur);
  }
  return rows;
}

interface Placed {
  /** per row, the placements still possible: each the amount columns of its numbers, in order */
  readonly options: number[][][];
  readonly placedBy: Placement[];
}

function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]) => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i <= n - (k - acc.length); i++) {
      acc.push(i);
      rec(i + 1, acc);
      acc.pop();
    }
  };
  rec(0, []);
  return out;
}

interface Relation {
  readonly kind: "parent-children" | "total-classes";
  readonly parent: number;
  readonly children: readonly number[];
}

/** The relations of a table's rows: each parent code over its children, the total row over the classes. */
function relations(rows: readonly TextRow[], codeCols: number): Relation[] {
  const key = (r: TextRow) =>
    codeCols === 1 ? codeLevelsOf(r.codes.join("")) : r.codes;
  const out: Relation[] = [];
  rows.forEach((r, i) => {
    const k = key(r);
    if (k.length === 0) return;
    const children: number[] = [];
    for (let j = i + 1; j < rows.length; j++) {
      const kj = key(rows[j]!);
      if (kj.length === 0) continue;
      if (kj.length <= k.length || !k.every((c, x) => kj[x] === c)) {
        if (kj.length <= k.length) break;
        continue;
      }
      if (kj.length === k.length + 1) children.push(j);
    }
    if (children.length > 0)
      out.push({ kind: "parent-children", parent: i, children });
  });
  const total = rows.findIndex(
    (r) => r.codes.length === 0 && TOTAL.test(normaliseTitle(r.texts.join(""))),
  );
  const classes = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => key(r).length === 1)
    .map(({ i }) => i);
  if (total >= 0 && classes.length > 0)
    out.push({ kind: "total-classes", parent: total, children: classes });
  return out;
}

/** a one-column code (2010301) as its levels: 201 / 03 / 01; an economic code 30101 as 301 / 01 */
function codeLevelsOf(code: string): string[] {
  if (!/^\d+$/u.test(code)) return [];
  const out = [code.slice(0, 3)];
  for (let i = 3; i < code.length; i += 2) out.push(code.slice(i, i + 2));
  return out;
}

/** placements tried, per relation and per table: beyond, the relation places nothing (its rows stay ambiguous) */
const RELATION_BUDGET = 20_000;
const DFS_BUDGET = 200_000;

function placeRows(
  rows: readonly TextRow[],
  n: number,
  codeCols: number,
): Placed {
  const options: number[][][] = rows.map((r) =>
    r.numbers.length > n ? [] : combinations(n, r.numbers.length),
  );
  const placedBy: Placement[] = [];
  const rels = relations(rows, codeCols);
  const decimals = Math.max(
    0,
    ...rows.flatMap((r) => r.numbers.map((a) => a.decimals)),
  );
  // sums in float64 integers (exact below 2^53 steps; beyond, nothing is placed)
  const big = rows.map((r) =>
    r.numbers.map((a) => a.value * 10n ** BigInt(decimals - a.decimals)),
  );
  if (
    big.some((xs) =>
      xs.some(
        (x) =>
          x > BigInt(Number.MAX_SAFE_INTEGER) / 1024n ||
          -x > BigInt(Number.MAX_SAFE_INTEGER) / 1024n,
      ),
    )
  )
    return { options, placedBy };
  const scaled = big.map((xs) => xs.map((x) => Number(x)));
  const errs = rows.map((r) =>
    r.numbers.map((a) => 10 ** (decimals - a.decimals)),
  );
  const nonNegative = scaled.every((xs) => xs.every((x) => x >= 0));
  // each option as a dense row of values and rounding steps per column
  const dense = options.map((opts, row) =>
    opts.map((opt) => {
      const v = Array.from({ length: n }, () => 0);
      const e = Array.from({ length: n }, () => 0);
      opt.forEach((c, k) => {
        v[c] = scaled[row]![k]!;
        e[c] = errs[row]![k]!;
      });
      return { v, e };
    }),
  );
  let changed = true;
  let spent = 0;
  const usedBy = new Map<Relation, Set<number>>();
  while (changed) {
    changed = false;
    for (const rel of rels) {
      const members = [rel.parent, ...rel.children];
      if (members.some((m) => options[m]!.length === 0)) continue;
      if (members.every((m) => options[m]!.length === 1)) continue;
      const supported = members.map(() => new Set<number>());
      let nodes = 0;
      let exhausted = false;
      const choice: number[] = [];
      const sums = Array.from({ length: n }, () => 0);
      const tol = Array.from({ length: n }, () => 0);
      // the rounding the members after each depth may still add, per column
      const remaining: number[][] = members.map(() =>
        Array.from({ length: n }, () => 0),
      );
      for (let d = members.length - 2; d >= 0; d--)
        for (let c = 0; c < n; c++) {
          let best = 0;
          for (const o of dense[members[d + 1]!]!)
            best = Math.max(best, o.e[c]!);
          remaining[d]![c] = remaining[d + 1]![c]! + best;
        }
      const rec = (depth: number) => {
        if (depth === members.length) {
          // parent = sum of children, within the rounding of every printed figure (2 × |diff| ≤ Σ steps)
          for (let c = 0; c < n; c++)
            if (2 * Math.abs(sums[c]!) > tol[c]!) return;
          choice.forEach((o, d) => supported[d]!.add(o));
          return;
        }
        const m = members[depth]!;
        const sign = depth === 0 ? 1 : -1;
        const opts = dense[m]!;
        for (let o = 0; o < opts.length; o++) {
          if (++nodes > RELATION_BUDGET || spent + nodes > DFS_BUDGET) {
            exhausted = true;
            return;
          }
          const { v, e } = opts[o]!;
          let dead = false;
          for (let c = 0; c < n; c++) {
            sums[c]! += sign * v[c]!;
            tol[c]! += e[c]!;
            // children only take away: once below minus every rounding still possible, nothing repairs it
            if (
              nonNegative &&
              depth > 0 &&
              2 * sums[c]! < -(tol[c]! + remaining[depth]![c]!)
            )
              dead = true;
          }
          if (!dead) {
            choice.push(o);
            rec(depth + 1);
            choice.pop();
          }
          for (let c = 0; c < n; c++) {
            sums[c]! -= sign * v[c]!;
            tol[c]! -= e[c]!;
          }
          if (exhausted) return;
        }
      };
      rec(0);
      spent += nodes;
      if (exhausted) continue;
      // a relation no placement satisfies says the table itself does not add up: it places nothing
      if (supported.some((s) => s.size === 0)) continue;
      members.forEach((m, d) => {
        const keep = options[m]!.filter((_, o) => supported[d]!.has(o));
        if (keep.length < options[m]!.length) {
          options[m] = keep;
          dense[m] = dense[m]!.filter((_, o) => supported[d]!.has(o));
          changed = true;
          if (!usedBy.has(rel)) usedBy.set(rel, new Set());
          usedBy.get(rel)!.add(m);
        }
      });
    }
  }
  for (const [rel, placed] of usedBy) {
    const p = rows[rel.parent]!;
    const name = p.codes.join(" ") || p.texts.join("");
    placedBy.push({
      relation: rel.kind,
      detail:
        rel.kind === "parent-children"
          ? `${name} = 其下级科目之和（${rel.children.map((c) => rows[c]!.codes.join(" ")).join(" + ")}）`
          : `${name} = 各类之和（${rel.children.map((c) => rows[c]!.codes.join(" ")).join(" + ")}）`,
      rows: [...placed].sort((a, b) => a - b),
    });
  }
  return { options, placedBy };
}

const amountCell = (xs: readonly PrintedAmount[] | undefined): ExtractedCell =>
  xs && xs.length === 1
    ? { text: formatPrintedAmount(xs[0]!), kind: "amount", amount: xs[0]! }
    : { text: "", kind: "blank" };
const textCell = (s: string): ExtractedCell =>
  s ? { text: s, kind: "text" } : { text: "", kind: "blank" };

function twoSidedTable(
  rows: readonly TextRow[],
  base: Omit<ExtractedTable, "columns" | "rows" | "placedBy">,
  notChecked: NotRead[],
): TableRead {
  const leftMax = Math.max(
    0,
    ...rows.map((r) =>
      r.right || r.codes.length === 0 ? r.numbers.length : 0,
    ),
  );
  const rightOf = (r: TextRow) =>
    r.right ??
    (r.codes.length > 0
      ? { codes: r.codes, texts: r.texts, numbers: r.numbers }
      : null);
  const leftOf = (r: TextRow) =>
    r.right || r.codes.length === 0
      ? { texts: r.texts, numbers: r.numbers }
      : null;
  const rightMax = Math.max(
    0,
    ...rows.map((r) => rightOf(r)?.numbers.length ?? 0),
  );
  const rightCodes = rows.some((r) => (rightOf(r)?.codes.length ?? 0) > 0);
  const columns: ExtractedColumn[] = [
    { header: ["收入", "项目"], label: "收入/项目", kind: "name" },
    { header: ["收入", "金额"], label: "收入/金额", kind: "amount" },
    ...(rightCodes
      ? [
          {
            header: ["支出", "科目编码"],
            label: "支出/科目编码",
            kind: "code" as const,
          },
        ]
      : []),
    { header: ["支出", "项目"], label: "支出/项目", kind: "name" },
    { header: ["支出", "金额"], label: "支出/金额", kind: "amount" },
  ];
  const out: ExtractedRow[] = rows.map((r) => {
    const left = leftOf(r);
    const right = rightOf(r);
    const cells: ExtractedCell[] = [
      textCell(left?.texts.join("") ?? ""),
      amountCell(left?.numbers),
      ...(rightCodes
        ? [
            right?.codes.length
              ? ({ text: right.codes.join(""), kind: "code" } as ExtractedCell)
              : ({ text: "", kind: "blank" } as ExtractedCell),
          ]
        : []),
      textCell(right?.texts.join("") ?? ""),
      amountCell(right?.numbers),
    ];
    // a side with more than one number per row has more amount columns than plain text can tell apart
    const ambiguous =
      (left?.numbers.length ?? 0) > 1 || (right?.numbers.length ?? 0) > 1;
    const numbers = [...(left?.numbers ?? []), ...(right?.numbers ?? [])];
    return ambiguous
      ? {
          page: r.page,
          y: r.y,
          cells,
          numbers,
          readable: false,
          problem: "placement-ambiguous" as const,
        }
      : { page: r.page, y: r.y, cells, numbers, readable: true };
  });
  if (leftMax > 1 || rightMax > 1)
    for (const r of out.filter((x) => !x.readable))
      notChecked.push({
        table: base.title,
        page: r.page,
        scope: "row",
        reason: "placement-ambiguous",
        detail: {
          zh: `${base.title}第 ${r.y} 行（${joinWords(r.cells.filter((c) => c.text).map((c) => ({ text: c.text })))}）未能可靠读取：纯文本中列已丢失，一侧有多个数字，无法确定所属列`,
          en: `${base.title}, line ${r.y}: plain text has lost the columns and one side of the row prints several numbers: not read`,
        },
      });
  return { table: { ...base, columns, rows: out, placedBy: [] }, notChecked };
}
