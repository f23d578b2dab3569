/**
 * The budget editor's line-item grid: the one island of JavaScript on the server-rendered editor page
 * (src/adapters/web/editor-routes.tsx), bundled with esbuild at build time (src/adapters/web/build-assets.ts).
 *
 * The grid is Tabulator's (virtualised rows, sorting, header filters, range selection with the keyboard, copy,
 * undo/redo); what is Gongkai's own is exactness and saving:
 * - a paste reads the HTML clipboard's cell values (Excel's `x:num`) before its plain text, so a cell shown
 *   `#,##0` keeps its 分, and codes keep their leading zeros (src/domain/clipboard-paste.ts, the same code the tests
 *   run);
 * - every change is saved, a moment after the last keystroke, as patch operations on stable line ids against the
 *   draft's revision (src/domain/draft-diff.ts); the server applies them field by field, so two people editing
 *   different rows both keep their work, and a field someone else changed comes back as a conflict with the input
 *   still here to re-apply;
 * - the server checks the draft after every save with the rules of `gongkai check` and answers with the findings,
 *   which are listed beside the grid and link to their cell.
 *
 * Without JavaScript the page shows the lines as a table, with the workbook download and upload.
 */
import { TabulatorFull as Tabulator, type CellComponent, type ColumnDefinition, type RowComponent } from "tabulator-tables";
import { checkPasteLimits, pasteAmount, pasteCode, pasteText, parseTsv, type ClipboardCell } from "../../domain/clipboard-paste.ts";
import { diffDraftLines } from "../../domain/draft-diff.ts";
import { clientLineId, LINE_FIELDS, type DraftLine, type DraftOp, type LineField, type LineValues } from "../../domain/draft-patch.ts";
import type { EditorData, EditorFinding, EditorSaveReply } from "../web/editor-protocol.ts";

type Row = { id: string } & Record<LineField, string>;

const data = JSON.parse(document.getElementById("editor-data")!.textContent!) as EditorData;
/** the grid's columns, in the input workbook's order (a block copied from its sheet 明细 pastes straight in) */
const FIELDS: readonly LineField[] = data.columns.map((c) => c.key);
const zh = data.lang === "zh";
const tr = (z: string, e: string) => (zh ? z : e);

const statusEl = document.getElementById("editor-status")!;
const findingsEl = document.getElementById("editor-findings")!;
const conflictsEl = document.getElementById("editor-conflicts")!;
const gridEl = document.getElementById("editor-grid")!;

// ---------------------------------------------------------------------------------------------------------------
// values

const toRow = (l: DraftLine): Row => {
  const r = { id: l.id } as Row;
  for (const f of LINE_FIELDS) r[f] = l.values[f] ?? "";
  return r;
};
const valuesOf = (r: Row): LineValues => {
  const v = {} as Record<LineField, string | null>;
  for (const f of LINE_FIELDS) {
    const s = (r[f] ?? "").trim();
    v[f] = s === "" ? null : s;
  }
  return v;
};
const linesOfTable = (): DraftLine[] => (table.getData() as Row[]).map((r) => ({ id: r.id, values: valuesOf(r) }));

/** what a typed or pasted cell becomes: codes keep their zeros, amounts their 分; an unreadable amount stays as typed (the check names it) */
function cellValue(field: LineField, cell: ClipboardCell | string): string {
  if (field === "amount") {
    const a = pasteAmount(cell);
    return a.ok ? a.yuan : typeof cell === "string" ? cell.trim() : cell.text.trim();
  }
  if (field === "unit" || field === "func" || field === "econ" || field === "project") return pasteCode(cell);
  if (field === "fund") return choiceId(data.options.funds, pasteText(cell));
  if (field === "kind") return choiceId(data.options.kinds, pasteText(cell));
  return pasteText(cell);
}

/** a choice by its id, its label or an alias (as the workbook reader accepts them) */
function choiceId(choices: EditorData["options"]["funds"], text: string): string {
  const t = text.replace(/\s+/g, "");
  for (const c of choices) if (c.id === t || c.label.replace(/\s+/g, "") === t || c.aliases.includes(t)) return c.id;
  return text;
}

const WAN = 1_000_000n; // 分 in 1 万元

/** 元 with thousands separators; what cannot be read, marked as such */
function amountHtml(yuan: string): string {
  const a = pasteAmount(yuan);
  if (!a.ok) return `<span class="bad">${escapeHtml(yuan)}</span>`;
  const [i, d] = a.yuan.split(".") as [string, string];
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${d}`;
}

/** the same amount in 万元, rounded half away from zero to two decimals as the tables print it */
function wanText(yuan: string): string {
  const a = pasteAmount(yuan);
  if (!a.ok) return "";
  const abs = a.fen < 0n ? -a.fen : a.fen;
  const cents = (abs * 100n + WAN / 2n) / WAN;
  return `${a.fen < 0n ? "-" : ""}${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------------------------------------------
// findings on cells

let findings: readonly EditorFinding[] = data.findings;
let cellFindings = new Map<string, EditorFinding[]>();
function indexFindings(): void {
  cellFindings = new Map();
  for (const f of findings) {
    if (f.line === null) continue;
    const k = `${f.line}:${f.field ?? ""}`;
    cellFindings.set(k, [...(cellFindings.get(k) ?? []), f]);
  }
}
indexFindings();

/**
 * The row's cells coloured by their findings, in place: formatting the row again would recreate its cells and
 * break a cell editor open in it.
 */
function markFindings(row: RowComponent | false | undefined): void {
  if (!row) return;
  const id = (row.getData() as Row).id;
  for (const field of FIELDS) {
    const el = row.getCell(field)?.getElement();
    if (!el) continue;
    const cls = findingClass(id, field);
    el.classList.toggle("cell-error", cls === "cell-error");
    el.classList.toggle("cell-warning", cls === "cell-warning");
  }
}

function findingClass(id: string, field: LineField): string {
  const fs = [...(cellFindings.get(`${id}:${field}`) ?? []), ...(cellFindings.get(`${id}:`) ?? [])];
  if (fs.some((f) => f.severity === "error")) return "cell-error";
  if (fs.some((f) => f.severity === "warning")) return "cell-warning";
  return "";
}

// ---------------------------------------------------------------------------------------------------------------
// the grid

const listValues = (pairs: readonly { code: string; name: string }[]) => Object.fromEntries(pairs.map((p) => [p.code, `${p.code} ${p.name}`]));
const editable = () => data.editable;

function column(field: LineField): ColumnDefinition {
  const spec = data.columns.find((c) => c.key === field)!;
  const base: ColumnDefinition = {
    title: zh ? spec.header : spec.headerEn,
    field,
    headerTooltip: zh ? spec.help.zh : spec.help.en,
    headerFilter: "input",
    // what is typed is kept as the paste keeps it (codes their zeros, amounts their 分) in the same step, so one
    // undo takes back one edit
    mutatorEdit: (value: unknown) => cellValue(field, String(value ?? "")),
    headerFilterParams: { elementAttributes: { "aria-label": tr(`筛选：${spec.header}`, `Filter: ${spec.headerEn}`) } },
    editable,
    formatter: (cell: CellComponent) => {
      const r = cell.getRow().getData() as Row;
      const cls = findingClass(r.id, field);
      cell.getElement().classList.toggle("cell-error", cls === "cell-error");
      cell.getElement().classList.toggle("cell-warning", cls === "cell-warning");
      const v = String(cell.getValue() ?? "");
      if (field === "amount") return v === "" ? "" : amountHtml(v);
      if (field === "func" || field === "econ") {
        const name = (field === "func" ? funcNames : econNames).get(v);
        return name ? `${escapeHtml(v)} <small>${escapeHtml(name)}</small>` : escapeHtml(v);
      }
      if (field === "fund" || field === "kind") {
        const c = (field === "fund" ? data.options.funds : data.options.kinds).find((x) => x.id === v);
        return escapeHtml(c ? c.label : v);
      }
      return escapeHtml(v);
    },
  };
  switch (field) {
    case "amount":
      return { ...base, hozAlign: "right", editor: "input", sorter: (a: string, b: string) => cmpAmount(a, b), minWidth: 150 };
    case "func":
    case "econ":
      return { ...base, minWidth: 130, editor: "list", editorParams: { values: listValues(data.options[field]), autocomplete: true, freetext: true, listOnEmpty: true, allowEmpty: true, filterDelay: 100 } };
    case "unit":
    case "project":
      return { ...base, minWidth: 80, editor: "list", editorParams: { values: listValues(data.options[field === "unit" ? "units" : "projects"]), autocomplete: true, freetext: true, listOnEmpty: true, allowEmpty: true } };
    case "fund":
    case "kind":
      return { ...base, minWidth: field === "fund" ? 150 : 80, editor: "list", editorParams: { values: Object.fromEntries(data.options[field === "fund" ? "funds" : "kinds"].map((c) => [c.id, c.label])) } };
    case "note":
      return { ...base, minWidth: 110, editor: "input" };
  }
}

/** beside the amount, read-only: what the tables will print */
function wanColumn(): ColumnDefinition {
  return {
    title: tr("万元", "10k yuan"),
    // not a field of the line: drawn from the row's amount (the row is drawn again when its amount changes)
    field: "_wan",
    headerTooltip: tr("金额折合万元（四舍五入到两位小数，与公开表格一致）", "The amount in 10,000 yuan, rounded to two decimals as the tables print it"),
    hozAlign: "right",
    headerSort: false,
    minWidth: 90,
    cssClass: "wan",
    formatter: (cell: CellComponent) => escapeHtml(wanText(String((cell.getRow().getData() as Row).amount ?? ""))),
  };
}

/**
 * The row's 万元 cell drawn again after its amount changed. Only that cell: drawing the whole row again would
 * destroy a cell editor open in it (Tabulator then fails on the editor's blur).
 */
function refreshWan(row: RowComponent | false | undefined): void {
  if (!row) return;
  const el = row.getCell("_wan")?.getElement();
  if (el) el.textContent = wanText(String((row.getData() as Row).amount ?? ""));
}

function cmpAmount(a: string, b: string): number {
  const x = pasteAmount(a);
  const y = pasteAmount(b);
  if (!x.ok || !y.ok) return x.ok ? 1 : y.ok ? -1 : a.localeCompare(b);
  return x.fen < y.fen ? -1 : x.fen > y.fen ? 1 : 0;
}

const funcNames = new Map(data.options.func.map((p) => [p.code, p.name]));
const econNames = new Map(data.options.econ.map((p) => [p.code, p.name]));

gridEl.textContent = "";
const table = new Tabulator(gridEl, {
  data: data.lines.map(toRow),
  index: "id",
  height: "min(70vh, 720px)",
  layout: "fitColumns",
  history: true,
  selectableRange: 1,
  selectableRangeColumns: true,
  selectableRangeRows: true,
  selectableRangeClearCells: true,
  editTriggerEvent: "dblclick",
  clipboard: "copy",
  clipboardCopyRowRange: "range",
  clipboardCopyConfig: { columnHeaders: false, columnGroups: false, rowHeaders: false },
  rowHeader: { resizable: false, frozen: true, width: 48, hozAlign: "center", formatter: "rownum", headerSort: false, field: "_n" },
  columnDefaults: { headerSort: true, resizable: true },
  placeholder: tr("没有明细行。点“添加行”，或从 Excel 复制后粘贴。", "No line items. Add a row, or paste from Excel."),
  columns: FIELDS.flatMap((f) => (f === "amount" ? [column(f), wanColumn()] : [column(f)])),
});

table.on("tableBuilt", () => {
  const body = gridEl.querySelector(".tabulator-table");
  gridEl.setAttribute("role", "grid");
  gridEl.setAttribute("aria-label", tr("预算明细", "Line items"));
  body?.setAttribute("role", "rowgroup");
  // The scrolling box between the grid and its rows is Tabulator's focus target; focusable, it is a child a grid may
  // not have (assistive technology would announce an unnamed group). The cells are focusable themselves, and the
  // keyboard follows the selected cell (below), so the box need not be.
  const holder = gridEl.querySelector(".tabulator-tableholder");
  holder?.removeAttribute("tabindex");
  holder?.setAttribute("role", "presentation");
  // the row numbers' column has a header a screen reader can name
  const rowNumbers = gridEl.querySelector('.tabulator-col[tabulator-field="_n"] .tabulator-col-title');
  if (rowNumbers) rowNumbers.textContent = tr("行", "Row");
  updateRowCount();
});

/** the selected cell has the focus: the arrows, Enter and typing go to it, and a screen reader reads it */
function focusActiveCell(): void {
  const cell = activeCell();
  const el = cell?.getElement();
  if (el && document.activeElement !== el && !(document.activeElement instanceof HTMLInputElement && gridEl.contains(document.activeElement))) el.focus({ preventScroll: true });
}
table.on("rangeChanged", () => {
  if (gridEl.contains(document.activeElement)) focusActiveCell();
});
// an edit that ends (Enter, Escape) gives the focus back to its cell, not to the page or the scrolling box (which
// Tabulator focuses, and Chromium lets a scroller have)
// — unless the edit ended because a field outside the grid was clicked: that field gets it
let clickedOutside: HTMLElement | null = null;
document.addEventListener(
  "pointerdown",
  (e) => {
    const target = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>("input, textarea, select, button, a[href]") : null;
    clickedOutside = target && !gridEl.contains(target) ? target : null;
  },
  true,
);
for (const ev of ["cellEdited", "cellEditCancelled"] as const)
  table.on(ev, () =>
    setTimeout(() => {
      const at = document.activeElement;
      const to = clickedOutside;
      clickedOutside = null;
      if (!(at === document.body || at?.classList.contains("tabulator-tableholder"))) return;
      if (to) to.focus();
      else focusActiveCell();
    }, 0),
  );

// Tab leaves the rows (to the next field of the page; Shift+Tab back to the column filters), as the grid pattern of
// ARIA has it, instead of walking the hundreds of focusable cells; in the header it goes from filter to filter. Either
// way Tabulator does not see it (it would hold Tab to move the selection). While a cell is edited, Tab moves on to the
// next cell, as in a spreadsheet.
gridEl.addEventListener(
  "keydown",
  (e) => {
    if (e.key !== "Tab" || e.ctrlKey || e.altKey || e.metaKey) return;
    const holder = gridEl.querySelector(".tabulator-tableholder");
    const at = document.activeElement;
    if (!holder || !at || !holder.contains(at)) {
      e.stopImmediatePropagation();
      return;
    }
    if (at instanceof HTMLInputElement) return;
    const focusable = Array.from(document.querySelectorAll<HTMLElement>("a[href], button, input, select, textarea, [tabindex]")).filter(
      (el) => !holder.contains(el) && el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
    );
    const after = (el: HTMLElement) => (holder.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    const to = e.shiftKey ? focusable.filter((el) => !after(el)).at(-1) : focusable.find(after);
    e.stopImmediatePropagation();
    if (!to) return;
    e.preventDefault();
    to.focus();
  },
  true,
);
table.on("dataChanged", () => {
  updateRowCount();
  scheduleSave();
});
table.on("cellEdited", (cell: CellComponent) => {
  if (cell.getField() === "amount") refreshWan(cell.getRow());
  scheduleSave();
});
table.on("rowAdded", scheduleSave);
table.on("rowDeleted", scheduleSave);
table.on("historyUndo", scheduleSave);
table.on("historyRedo", scheduleSave);

/** assistive technology is told the real number of rows, not the few the virtual DOM holds */
function updateRowCount(): void {
  gridEl.setAttribute("aria-rowcount", String(table.getDataCount() + 1));
  gridEl.setAttribute("aria-colcount", String(FIELDS.length + 1));
  document.getElementById("editor-count")!.textContent = String(table.getDataCount());
}

// typing on a selected cell starts editing it, as in a spreadsheet; Enter and F2 edit without clearing
gridEl.addEventListener("keydown", (e) => {
  if (!data.editable || e.ctrlKey || e.metaKey || e.altKey) return;
  // (a key pressed in a cell's editor or a filter is theirs: the Enter that ends an edit must not start the next)
  if (e.target instanceof HTMLInputElement || document.activeElement instanceof HTMLInputElement) return;
  const cell = activeCell();
  if (!cell) return;
  if (e.key === "Enter" || e.key === "F2") {
    e.preventDefault();
    cell.edit(true);
  }
});

function activeCell(): CellComponent | null {
  const range = table.getRanges()[0];
  const cells = range?.getCells().flat() ?? [];
  return (cells[0] as CellComponent | undefined) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// paste: the HTML clipboard's values first (x:num), then its text

gridEl.addEventListener(
  "paste",
  (e: ClipboardEvent) => {
    if (!data.editable || document.activeElement instanceof HTMLInputElement) return;
    const cd = e.clipboardData;
    if (!cd) return;
    e.preventDefault();
    e.stopPropagation();
    const block = clipboardBlock(cd.getData("text/html"), cd.getData("text/plain"));
    if (!block.ok) {
      say(block.message, "error");
      return;
    }
    pasteBlock(block.rows);
  },
  true,
);

function clipboardBlock(html: string, text: string): { ok: true; rows: ClipboardCell[][] } | { ok: false; message: string } {
  if (html && /<table/i.test(html)) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const rows: ClipboardCell[][] = [];
    for (const tableRow of Array.from(doc.querySelectorAll("table tr"))) {
      const cells: ClipboardCell[] = [];
      for (const td of Array.from(tableRow.querySelectorAll("td,th"))) {
        // Excel and WPS write the stored number as x:num, LibreOffice as sdval
        const num = td.getAttribute("x:num") ?? td.getAttribute("sdval");
        const cell: ClipboardCell = { text: (td.textContent ?? "").replace(/\u00a0/g, " ").trim(), num: num === null ? null : num === "" ? (td.textContent ?? "").trim() : num };
        const span = Math.min(Number(td.getAttribute("colspan") ?? "1") || 1, 50);
        cells.push(cell);
        for (let i = 1; i < span; i++) cells.push({ text: "", num: null });
      }
      rows.push(cells);
    }
    if (rows.length > 0) {
      const checked = checkPasteLimits(rows);
      return checked.ok ? checked : { ok: false, message: zh ? checked.problem.zh : checked.problem.en };
    }
  }
  const parsed = parseTsv(text);
  if (!parsed.ok) return { ok: false, message: zh ? parsed.problem.zh : parsed.problem.en };
  return { ok: true, rows: parsed.rows.map((r) => r.map((t) => ({ text: t, num: null }))) };
}

/** the block lands at the selected cell (or a new row at the end), adding rows as needed */
function pasteBlock(rows: ClipboardCell[][]): void {
  const cell = activeCell();
  const fields = FIELDS;
  const startCol = cell ? Math.max(0, fields.indexOf(cell.getField() as LineField)) : 0;
  const active = table.getRows("active");
  let rowIndex = cell ? active.indexOf(cell.getRow()) : active.length;
  const updates: Row[] = [];
  const additions: Row[] = [];
  for (const cells of rows) {
    if (cells.every((c) => c.text === "" && c.num === null)) continue;
    const existing: RowComponent | undefined = active[rowIndex];
    const target: Row = existing ? { ...(existing.getData() as Row) } : (toRow({ id: clientLineId(Math.random), values: emptyValues() }) as Row);
    cells.forEach((c, i) => {
      const f = fields[startCol + i];
      if (f) target[f] = cellValue(f, c);
    });
    (existing ? updates : additions).push(target);
    rowIndex++;
  }
  if (updates.length > 0) void table.updateData(updates).then(() => updates.forEach((u) => refreshWan(table.getRow(u.id))));
  if (additions.length > 0) void table.addData(additions, false);
  say(tr(`已粘贴 ${updates.length + additions.length} 行（新增 ${additions.length} 行）。`, `Pasted ${updates.length + additions.length} rows (${additions.length} new).`), "ok");
  scheduleSave();
}

function emptyValues(): LineValues {
  const v = {} as Record<LineField, string | null>;
  for (const f of LINE_FIELDS) v[f] = null;
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// toolbar

function on(id: string, f: () => void): void {
  document.getElementById(id)?.addEventListener("click", f);
}
// a new row goes at the end, selected at its first cell: type into it, or paste a block there
on("editor-add", () => {
  void table.addRow(toRow({ id: clientLineId(Math.random), values: emptyValues() }), false).then(async (row: RowComponent) => {
    await table.scrollToRow(row, "bottom", false);
    const cell = row.getCell(FIELDS[0]!);
    table.addRange(cell, cell);
    cell.getElement().focus();
  });
});
on("editor-duplicate", () => {
  const cell = activeCell();
  if (!cell) return say(tr("请先选中要复制的行。", "Select the row to duplicate first."), "error");
  const r = cell.getRow().getData() as Row;
  void table.addRow({ ...r, id: clientLineId(Math.random) }, false, cell.getRow());
});
on("editor-delete", () => {
  const range = table.getRanges()[0];
  const rows = new Set<RowComponent>(range ? range.getRows() : []);
  if (rows.size === 0) return say(tr("请先选中要删除的行。", "Select the rows to delete first."), "error");
  for (const r of rows) r.delete();
});
on("editor-undo", () => table.undo());
on("editor-redo", () => table.redo());
// the buttons work only with the script, and only on a draft that may be edited
for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>(".editor-toolbar button"))) b.hidden = !data.editable;

// ---------------------------------------------------------------------------------------------------------------
// saving

let saved: readonly DraftLine[] = data.lines;
let revision = data.revision;
let timer: ReturnType<typeof setTimeout> | null = null;
let inFlight: Promise<void> | null = null;

function scheduleSave(): void {
  if (!data.editable) return;
  say(tr("有未保存的修改…", "Unsaved changes…"), "pending");
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void save(), 400);
}

async function save(): Promise<void> {
  timer = null;
  if (inFlight) {
    await inFlight;
    return save();
  }
  const current = linesOfTable();
  const ops = diffDraftLines(saved, current);
  if (ops.length === 0) {
    // (a conflict stays said until it is dealt with)
    if (conflictsEl.hidden) say(tr("已保存。", "Saved."), "ok");
    return;
  }
  inFlight = send(ops, current).finally(() => (inFlight = null));
  return inFlight;
}

async function send(ops: DraftOp[], current: DraftLine[], keepalive = false): Promise<void> {
  say(tr("正在保存…", "Saving…"), "pending");
  let res: Response;
  try {
    res = await fetch(data.saveUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": data.csrf, accept: "application/json" },
      body: JSON.stringify({ revision, ops }),
      credentials: "same-origin",
      keepalive,
    });
  } catch {
    say(tr("保存失败：连不上服务器。修改仍在本页，稍后自动重试。", "Not saved: the server cannot be reached. Your changes stay here and are retried."), "error");
    setTimeout(() => void save(), 5000);
    return;
  }
  const reply = (await res.json().catch(() => null)) as (EditorSaveReply & { error?: { message: { zh: string; en: string } } }) | null;
  if (!res.ok || !reply || reply.error) {
    const m = reply?.error?.message;
    say(m ? (zh ? m.zh : m.en) : tr(`保存失败（${res.status}）。`, `Not saved (${res.status}).`), "error");
    return;
  }
  revision = reply.revision;
  showRevision();
  // the server's lines are the truth, except where the user typed while the request was on its way: that typing
  // stays and is saved next. Rows are updated in place, so an open cell editor and the selection survive.
  const sent = new Map(current.map((l) => [l.id, l]));
  const server = reply.lines;
  const serverIds = new Set(server.map((l) => l.id));
  const here = new Map(linesOfTable().map((l) => [l.id, l]));
  const updates: Row[] = [];
  let previous: string | null = null;
  for (const l of server) {
    const mine = here.get(l.id);
    const at = sent.get(l.id);
    if (!mine) {
      // someone else's new row (a row this user deleted since the request stays deleted)
      if (!at) void table.addRow(toRow(l), previous === null, previous ?? undefined);
    } else if (!(at && !sameValues(mine.values, at.values)) && !sameValues(mine.values, l.values)) updates.push(toRow(l));
    previous = l.id;
  }
  for (const id of here.keys()) if (!serverIds.has(id) && sent.has(id)) void table.deleteRow(id);
  if (updates.length > 0) {
    await table.updateData(updates);
    for (const u of updates) refreshWan(table.getRow(u.id));
  }
  saved = server;
  // the cells whose findings came or went are drawn again (their colour), no others
  const touched = new Set([...findings, ...reply.findings].flatMap((f) => (f.line === null ? [] : [f.line])));
  findings = reply.findings;
  indexFindings();
  for (const id of touched) markFindings(table.getRow(id));
  renderFindings();
  renderSubmit();
  renderConflicts(reply.conflicts);
  say(
    reply.conflicts.length > 0
      ? tr(`已保存，但有 ${reply.conflicts.length} 处与他人的修改冲突，请在下方处理。`, `Saved, but ${reply.conflicts.length} change(s) conflict with someone else's; see below.`)
      : tr(`已保存（第 ${revision} 版）。`, `Saved (revision ${revision}).`),
    reply.conflicts.length > 0 ? "error" : "ok",
  );
  if (diffDraftLines(saved, linesOfTable()).length > 0) scheduleSave();
}

const sameValues = (a: LineValues, b: LineValues) => LINE_FIELDS.every((f) => a[f] === b[f]);

/** the page's forms (submit, replace by upload) carry the revision: the one this page last saved */
function showRevision(): void {
  for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('form input[name="revision"]'))) input.value = String(revision);
}

// ---------------------------------------------------------------------------------------------------------------
// submit: refused while an error stands, the warnings acknowledged in writing (the server decides; this shows it)

const submitForm = document.getElementById("editor-submit") as HTMLFormElement | null;

function renderSubmit(): void {
  if (!submitForm) return;
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  const blocked = document.getElementById("editor-submit-blocked");
  if (blocked) {
    blocked.hidden = errors === 0;
    blocked.textContent = tr(`还有 ${errors} 个错误，改正后才能提交。`, `${errors} error(s) remain; fix them to submit.`);
  }
  const ack = document.getElementById("ack-field");
  const text = document.getElementById("ack-submit") as HTMLTextAreaElement | null;
  const label = document.getElementById("ack-label");
  if (ack && text && label) {
    ack.hidden = warnings === 0;
    text.required = warnings > 0;
    label.textContent = tr(`对 ${warnings} 个警告的书面说明（必填）`, `Your written acknowledgement of the ${warnings} warning(s) (required)`);
  }
  const button = submitForm.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) button.disabled = errors > 0;
}

// what is typed goes to the server before the submit does, and the submit waits for the findings it brings
submitForm?.addEventListener("submit", (e) => {
  if (!timer && !inFlight && diffDraftLines(saved, linesOfTable()).length === 0) return;
  e.preventDefault();
  if (timer) clearTimeout(timer);
  void save().then(() => {
    renderSubmit();
    if (findings.some((f) => f.severity === "error")) return say(tr("保存后仍有错误，未提交。", "Errors remain after saving; not submitted."), "error");
    if (diffDraftLines(saved, linesOfTable()).length === 0) submitForm.requestSubmit();
  });
});

window.addEventListener("beforeunload", (e) => {
  if (!data.editable) return;
  const ops = diffDraftLines(saved, linesOfTable());
  if (ops.length === 0) return;
  void send(ops, linesOfTable(), true);
  e.preventDefault();
});

// ---------------------------------------------------------------------------------------------------------------
// findings and conflicts beside the grid

function say(message: string, kind: "ok" | "pending" | "error"): void {
  statusEl.textContent = message;
  statusEl.className = `editor-status status-${kind}`;
}

function renderFindings(): void {
  findingsEl.textContent = "";
  const counts = document.getElementById("editor-finding-count");
  if (counts) counts.textContent = tr(`错误 ${findings.filter((f) => f.severity === "error").length} 个，警告 ${findings.filter((f) => f.severity === "warning").length} 个`, `${findings.filter((f) => f.severity === "error").length} errors, ${findings.filter((f) => f.severity === "warning").length} warnings`);
  for (const f of findings) {
    const li = document.createElement("li");
    li.className = `finding finding-${f.severity}`;
    const badge = document.createElement("span");
    badge.className = "sev";
    badge.textContent = f.severity === "error" ? tr("错误", "Error") : f.severity === "warning" ? tr("警告", "Warning") : tr("提示", "Note");
    li.append(badge, " ");
    const text = zh ? f.message.zh : f.message.en;
    if (f.line !== null) {
      const a = document.createElement("a");
      a.href = `#line-${f.line}`;
      const n = saved.findIndex((l) => l.id === f.line) + 1;
      const col = f.field ? columnTitle(f.field) : null;
      a.textContent = `${n > 0 ? tr(`第 ${n} 行${col ? ` · ${col}` : ""}：`, `row ${n}${col ? ` · ${col}` : ""}: `) : ""}${text}`;
      a.dataset.line = f.line;
      if (f.field) a.dataset.field = f.field;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        jump(f.line!, f.field);
      });
      li.append(a);
    } else li.append(text);
    if (f.place && f.line === null) {
      const p = document.createElement("small");
      p.textContent = ` ${f.place}`;
      li.append(p);
    }
    const code = document.createElement("code");
    code.textContent = f.code;
    li.append(" ", code);
    findingsEl.append(li);
  }
}

/** to the finding's cell: scrolled to, selected and focused, so the keyboard can fix it at once */
function jump(line: string, field: LineField | null): void {
  const row = table.getRow(line);
  if (!row) return;
  void table.scrollToRow(row, "center", false).then(() => {
    const cell = row.getCell(field ?? "amount");
    table.addRange(cell, cell);
    const el = cell.getElement();
    el.classList.add("flash");
    el.focus();
    setTimeout(() => el.classList.remove("flash"), 1500);
  });
}

function renderConflicts(conflicts: EditorSaveReply["conflicts"]): void {
  conflictsEl.textContent = "";
  conflictsEl.hidden = conflicts.length === 0;
  if (conflicts.length === 0) return;
  const h = document.createElement("h3");
  h.textContent = tr("与他人的修改冲突", "Conflicts with someone else's changes");
  conflictsEl.append(h);
  for (const c of conflicts) {
    const div = document.createElement("div");
    div.className = "conflict";
    const label = `${c.row !== null ? tr(`第 ${c.row} 行`, `row ${c.row}`) : c.op.line}${c.op.op === "set" ? ` · ${columnTitle(c.op.field)}` : ""}`;
    const p = document.createElement("p");
    if (c.op.op === "set" && c.reason === "changed") {
      const now = c.current ?? tr("（空）", "(empty)");
      const mine = c.op.to ?? tr("（空）", "(empty)");
      p.textContent = tr(`${label}：他人已改为“${now}”。您的输入：“${mine}”`, `${label}: someone changed it to "${now}". Your input: "${mine}"`);
    } else if (c.reason === "deleted") p.textContent = tr(`${label}：这一行已被他人删除，您的修改未保存。`, `${label}: someone deleted this row; your change was not saved.`);
    else if (c.op.op === "delete") p.textContent = tr(`${label}：这一行已被他人修改，没有删除；请查看后再决定。`, `${label}: someone changed this row, so it was not deleted; look at it and decide again.`);
    else p.textContent = tr(`${label}：行标识与他人的新行相同，未添加；请重新添加。`, `${label}: its id is another new row's; it was not added — add it again.`);
    div.append(p);
    if (c.op.op === "set" && c.reason === "changed") {
      const op = c.op;
      const current = typeof c.current === "string" ? c.current : null;
      const keep = document.createElement("button");
      keep.type = "button";
      keep.textContent = tr("改用我的输入", "Use my input");
      keep.addEventListener("click", () => {
        void send([{ op: "set", line: op.line, field: op.field, from: current, to: op.to }], linesOfTable());
        div.remove();
      });
      const theirs = document.createElement("button");
      theirs.type = "button";
      theirs.textContent = tr("保留他人的修改", "Keep theirs");
      theirs.addEventListener("click", () => div.remove());
      div.append(keep, " ", theirs);
    }
    conflictsEl.append(div);
  }
}

const columnTitle = (field: LineField) => {
  const spec = data.columns.find((c) => c.key === field);
  return spec ? (zh ? spec.header : spec.headerEn) : field;
};

renderFindings();
say(data.editable ? tr("修改会自动保存。", "Changes are saved as you go.") : tr("只读：这份预算已锁定。", "Read only: this budget is locked."), "ok");
