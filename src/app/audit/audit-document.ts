/**
 * `gongkai audit` of one disclosure (issue 14): the files of one disclosure (a narrative PDF and a tables PDF count as
 * one) → an `AuditReport`. Every file is read through the reader port; the pages of all that could be read are audited
 * as one document (audit-pipeline.ts), and each place of the report names its file and its page as that file counts
 * them. A file that cannot be read is exit 2 with its reason when it is the only file, or when every file of the
 * disclosure is unreadable; one unreadable file of several is listed as not checked (what "file") and the others are
 * audited.
 *
 * app/ may not import adapters/: the reader and the data come in as ports (`readDocument` of
 * src/adapters/audit/read-document.ts, its `unreadableMessage`, the loaders of src/adapters/audit/).
 */
import type { AuditPlace, AuditReport, Bilingual, NotChecked } from "../../domain/audit/audit-report.ts";
import type { DocumentText, ReadResult, UnreadableReason } from "../../domain/audit/document-text.ts";
import { auditText, joinDocuments, type AuditData } from "./audit-pipeline.ts";

export interface AuditDocumentOptions {
  readonly lang?: "zh" | "en";
  /** which PDF reader: pdftotext when it is on PATH (auto, the default), pdf.js, or pdftotext */
  readonly reader?: "auto" | "pdfjs" | "pdftotext";
}

export interface AuditPorts {
  /** reads one file named by the user, never throwing (src/adapters/audit/read-document.ts) */
  readDocument(path: string, opts: { readonly reader?: "auto" | "pdfjs" | "pdftotext" }): Promise<ReadResult>;
  /** the user's message for a file that could not be read, in Chinese and English */
  unreadableMessage(file: string, r: { readonly reason: UnreadableReason; readonly detail: string }): Bilingual;
  /** the table titles and templates the auditor recognises (data/audit/, data/templates/) */
  data(): AuditData;
}

export async function auditDocument(files: readonly string[], opts: AuditDocumentOptions, ports: AuditPorts): Promise<AuditReport> {
  const reads = await Promise.all(files.map(async (file) => ({ file, result: await ports.readDocument(file, opts.reader === undefined ? {} : { reader: opts.reader }) })));
  const several = files.length > 1;
  const texts: { file: string; text: DocumentText }[] = [];
  const unreadableFiles: NotChecked[] = [];
  const notes: { file: string; text: string }[] = [];
  let firstUnreadable: AuditReport["unreadable"] = null;
  for (const { file, result } of reads) {
    if (!result.ok) {
      firstUnreadable ??= { file, reason: result.reason, detail: result.detail };
      unreadableFiles.push({ what: "file", page: null, line: null, quote: "", file, reason: ports.unreadableMessage(file, result) });
      continue;
    }
    texts.push({ file, text: result.text });
    for (const text of result.notes) notes.push({ file, text });
  }
  if (texts.length === 0)
    return {
      files: [...files],
      reader: null,
      recognised: { department: null, year: null, kind: null, level: null, template: null, tables: [] },
      counts: { pages: 0, tables: { found: 0, read: 0, checked: 0 }, cells: { read: 0, checked: 0 }, sentences: { read: 0, checked: 0 }, claims: { read: 0, checked: 0 }, relations: { checked: 0, failed: 0 } },
      findings: [],
      // nothing read: the reason is `unreadable`; a file of several that could not be read is listed as not checked
      notChecked: several ? unreadableFiles : [],
      exitCode: 2,
      unreadable: firstUnreadable,
      notes,
    };
  const report = auditText(files, joinDocuments(texts.map((t) => t.text)), ports.data());
  // several files: each place names its file, and its page as that file counts them
  const starts = texts.map((t, i) => ({ file: t.file, first: texts.slice(0, i).reduce((n, x) => n + x.text.pages.length, 0) }));
  const inFile = <P extends AuditPlace>(p: P): P => {
    if (!several || p.page === null) return p;
    const s = [...starts].reverse().find((x) => p.page! > x.first)!;
    return { ...p, file: s.file, page: p.page - s.first };
  };
  return {
    ...report,
    recognised: { ...report.recognised, tables: report.recognised.tables.map((t) => (several && t.page !== null ? { ...t, page: inFile({ page: t.page, line: null, quote: "" }).page } : t)) },
    findings: report.findings.map((f) => ({ ...inFile(f), related: f.related.map(inFile) })),
    notChecked: [...unreadableFiles, ...report.notChecked.map(inFile)],
    notes,
  };
}
