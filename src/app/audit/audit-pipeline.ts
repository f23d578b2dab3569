/**
 * From the words of a published disclosure to its audit report (issue 14): tables, their relations, what the document
 * is, and what could not be read. Pure: the files are read by the caller (audit-document.ts), the data (titles,
 * templates) is passed in.
 */
import type { AuditCounts, AuditFinding, AuditReport, NotChecked } from "../../domain/audit/audit-report.ts";
import { exitCodeOf } from "../../domain/audit/audit-report.ts";
import type { DocumentText, TextPage } from "../../domain/audit/document-text.ts";
import { recognise, type AuditTemplates, type PlainLine } from "../../domain/audit/recognise.ts";
import { extractTables } from "../../domain/audit/table-extract.ts";
import type { TableTitleCatalog } from "../../domain/audit/table-kinds.ts";
import type { NotRead } from "../../domain/audit/table-model.ts";
import { checkRepeatedFigures } from "../../domain/audit/repeated-figures.ts";
import { checkTableRelations } from "../../domain/audit/table-relations.ts";
import { pageLines } from "../../domain/audit/text-lines.ts";
import { narrativeClaims } from "../../domain/audit/narrative-claims.ts";
import { narrativeSentences, type NarrativeLayout } from "../../domain/audit/narrative-sentences.ts";
import { narrativeAgainstTables } from "../../domain/audit/narrative-tables.ts";
import type { NarrativeVocabulary } from "../../domain/audit/narrative-vocabulary.ts";
import { textFaults, type TextFaultPatterns, type YearCandidate } from "../../domain/audit/text-faults.ts";

export interface AuditData {
  readonly titles: TableTitleCatalog;
  readonly templates: AuditTemplates;
  readonly narrative: {
    readonly layout: NarrativeLayout;
    readonly vocabulary: NarrativeVocabulary;
    readonly patterns: TextFaultPatterns;
  };
}

/**
 * Several files of one disclosure (the narrative and the tables published apart) read as one document: their pages in
 * the order given, numbered on (the second file's first page follows the first file's last). A text file among PDFs
 * keeps its own geometry only when all are text.
 */
export function joinDocuments(docs: readonly DocumentText[]): DocumentText {
  if (docs.length === 1) return docs[0]!;
  const pages: TextPage[] = [];
  for (const d of docs) for (const p of d.pages) pages.push({ ...p, number: pages.length + 1 });
  return {
    source: docs.map((d) => d.source).join(" + "),
    reader: docs[0]!.reader,
    geometry: docs.every((d) => d.geometry === "text") ? "text" : "pdf",
    pages,
  };
}

function notReadToNotChecked(n: NotRead, geometry: "pdf" | "text"): NotChecked {
  return {
    what: n.scope,
    page: geometry === "pdf" ? n.page : null,
    line: null,
    quote: n.table ?? "",
    reason: n.detail,
  };
}

const YEAR_RULE: Record<YearCandidate["rule"], { zh: string; en: string }> = {
  "outside-period": { zh: "预算、决算说明中的年度只能是本年度或上年度", en: "a budget's or final accounts' statement speaks only of its own year or the year before" },
  comparison: { zh: "与之相比的应是上年度", en: "the year it is compared with is the year before" },
  title: { zh: "标题中的年度应是本文件的年度", en: "a heading names the document's own year" },
  "as-of": { zh: "截止日期应在本文件的年度之内", en: "an as-of date lies in the document's own period" },
};

function yearFinding(y: YearCandidate, year: number): AuditFinding {
  const rule = YEAR_RULE[y.rule];
  const expected = y.expected.map((e) => `${e}年`).join("或");
  return {
    code: "AUD-YEAR",
    severity: "error",
    page: y.page,
    line: y.line,
    quote: y.quote,
    expected,
    found: `${y.year}年`,
    reason: {
      zh: `本文件是 ${year} 年度的；${rule.zh}，应为${expected}，文中为 ${y.year} 年。`,
      en: `the document is of ${year}; ${rule.en}: ${y.expected.join(" or ")} is expected, the text says ${y.year}.`,
    },
    related: [],
  };
}

export function auditText(files: readonly string[], doc: DocumentText, data: AuditData): AuditReport {
  const extraction = extractTables(doc, data.titles);
  const tables = extraction.tables;
  const relations = checkTableRelations(tables);
  const repeated = checkRepeatedFigures(tables, data.templates.classTotals);
  const lines: PlainLine[] = doc.pages.flatMap((p) => pageLines(p, doc.geometry).map((l) => ({ page: p.number, text: l.text })));
  const recognition = recognise(lines, tables, data.titles, data.templates);

  // the narrative: its sentences and claims, the faults of its text and its own arithmetic (a blank page is one of them)
  const narrative = narrativeSentences(doc, data.narrative.layout);
  const reading = narrativeClaims(narrative, data.narrative.vocabulary);
  const faults = textFaults(doc, narrative, reading, data.narrative.patterns, { year: recognition.recognised.year, kind: recognition.recognised.kind });
  // every figure of the narrative against the table cell it speaks of
  const againstTables = narrativeAgainstTables({
    doc,
    narrative,
    reading,
    tables,
    tableProblems: extraction.notChecked,
    kind: recognition.recognised.kind,
    year: recognition.recognised.year,
    vocabulary: data.narrative.vocabulary,
    kindNames: new Map(data.titles.kinds.map((k) => [k.id, { zh: k.zh, en: k.en }])),
  });

  const notChecked: NotChecked[] = [...extraction.notChecked.map((n) => notReadToNotChecked(n, doc.geometry)), ...faults.notChecked, ...againstTables.notChecked];
  const findings: AuditFinding[] = [
    ...recognition.findings,
    ...relations.findings,
    ...repeated.findings,
    ...faults.findings.map((f) => f.finding),
    ...againstTables.findings,
    ...faults.yearCandidates.map((y) => yearFinding(y, recognition.recognised.year!)),
  ];
  const checkedCells = new Set([...relations.cells, ...repeated.cells, ...againstTables.cells]);
  let cellsRead = 0;
  const tablesChecked = new Set<number>();
  for (const key of checkedCells) tablesChecked.add(Number(key.split("/")[0]));
  // a cell read: an amount or a blank (no money) in an amount column of a readable row — what the relations can use
  for (const t of tables) {
    const amountColumns = t.columns.flatMap((c, i) => (c.kind === "amount" ? [i] : []));
    for (const r of t.rows) if (r.readable) cellsRead += amountColumns.filter((i) => r.cells[i]?.kind === "amount" || r.cells[i]?.kind === "blank").length;
  }
  const counts: AuditCounts = {
    pages: doc.pages.length,
    tables: { found: tables.length, read: tables.filter((t) => t.rows.some((r) => r.readable)).length, checked: tablesChecked.size },
    cells: { read: cellsRead, checked: checkedCells.size },
    sentences: faults.counts.sentences,
    // checked by the narrative's own arithmetic and direction rules, or against the tables: text-faults checks only
    // claims with a change, a share or a final account's execution, so those without checked against a table add to
    // its count (a claim with a share that text-faults could not check is not counted: a count never exceeds `read`)
    claims: {
      read: faults.counts.claims.read,
      checked: faults.counts.claims.checked + [...againstTables.checkedClaims].filter((i) => !reading.claims[i]!.change && !reading.claims[i]!.share && !reading.claims[i]!.execution).length,
    },
    relations: { checked: relations.checked + repeated.checked, failed: relations.failed + repeated.findings.length },
  };
  const ordered = [...findings].sort((a, b) => (a.page ?? 0) - (b.page ?? 0) || (a.line ?? 0) - (b.line ?? 0));
  return {
    files,
    reader: doc.reader,
    recognised: recognition.recognised,
    counts,
    findings: ordered,
    notChecked,
    exitCode: exitCodeOf(ordered),
    unreadable: null,
  };
}
