/**
 * The auditor against what people found by reading each sample document (test/audit/<document>.yaml: every error and
 * warning it really has, each with why — found by reading, never by running the auditor).
 *
 * - What the auditor recognises (department, year, 预算/决算, 部门/单位, template) equals what the reader wrote down.
 * - Nothing more: every error or warning finding of the auditor is one of the listed findings (same code and page or
 *   line, and the quotes agree). A finding the list does not have fails the test, whatever its code.
 * - Nothing missing, for the codes the auditor covers so far (COVERED; COVERED_PDF for a PDF): every listed finding of
 *   such a code is found.
 *   Issue 14 asks for all codes; the listed findings of the other codes are printed as not yet found, and the issue
 *   stays open until COVERED is every code.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { auditDocument } from "../../src/app/audit/audit-document.ts";
import type { AuditCode, AuditFinding, AuditReport } from "../../src/domain/audit/audit-report.ts";
import { readDocument, unreadableMessage } from "../../src/adapters/audit/read-document.ts";
import { auditData } from "../../src/adapters/audit/audit-data.ts";
import { ROOT } from "../cli-harness.ts";

const COVERED: readonly AuditCode[] = ["AUD-SUM", "AUD-MISSING-TABLE", "AUD-ARITH", "AUD-DIRECTION", "AUD-PLACEHOLDER", "AUD-YEAR", "AUD-TEXT"];
// not yet: AUD-TWICE and AUD-NARRATIVE of a plain-text source (its tables are only partly read: most of the seed's
// narrative figures find no column they can be told to speak of, and are listed as not checked)
/** covered so far for a PDF only: the tables of a plain-text source are not read yet */
const COVERED_PDF: readonly AuditCode[] = [...COVERED, "AUD-TWICE", "AUD-NARRATIVE"];

interface Expected {
  readonly code: AuditCode;
  readonly severity: string;
  readonly page: number | null;
  readonly line?: number;
  readonly quote: string;
}
interface ExpectationFile {
  readonly document: string;
  readonly recognised: { department: string; year: number; kind: string; level: string; template: string };
  readonly findings: readonly Expected[] | null;
}

const HERE = join(ROOT, "test/audit");
const FILES = readdirSync(HERE)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

const squash = (s: string) => s.replace(/\s+/gu, "").normalize("NFKC");
/** the same place: code, page (or line of a text source, within a few lines), and one quote inside the other */
function same(f: AuditFinding, e: Expected): boolean {
  if (f.code !== e.code) return false;
  if (e.page !== null ? f.page !== e.page : f.line === null || e.line === undefined || Math.abs(f.line - e.line) > 3) return false;
  const a = squash(f.quote);
  const b = squash(e.quote);
  return a.includes(b) || b.includes(a) || [f, ...f.related].some((p) => squash(p.quote).includes(b));
}

const reports = new Map<string, AuditReport>();
beforeAll(async () => {
  const ports = { readDocument, unreadableMessage, data: auditData };
  for (const file of FILES) {
    const spec = parseYaml(readFileSync(join(HERE, file), "utf8")) as ExpectationFile;
    reports.set(file, await auditDocument([join(ROOT, spec.document)], {}, ports));
  }
}, 120_000);

describe.each(FILES)("%s", (file) => {
  const spec = parseYaml(readFileSync(join(HERE, file), "utf8")) as ExpectationFile;
  const expected = (spec.findings ?? []).filter((f) => f.severity === "error" || f.severity === "warning");

  it("is recognised as the reader recognised it", () => {
    const r = reports.get(file)!.recognised;
    const want = spec.recognised;
    expect({ department: r.department, year: r.year, kind: r.kind, level: r.level }).toEqual({ department: want.department, year: want.year, kind: want.kind, level: want.level });
    // the seed text's tables are not read yet, so its template is not recognised yet (issue 14 stays open for it)
    if (r.template !== null || r.tables.length > 0) expect(r.template).toBe(want.template);
  });

  it("finds nothing the reader did not find", () => {
    const found = reports.get(file)!.findings.filter((f) => f.severity !== "note");
    const extra = found.filter((f) => !expected.some((e) => same(f, e)));
    expect(extra.map((f) => `${f.code} p${f.page ?? "-"} l${f.line ?? "-"} ${f.quote} | ${f.reason.zh}`)).toEqual([]);
  });

  const covered = spec.document.endsWith(".pdf") ? COVERED_PDF : COVERED;
  it(`finds every listed finding of the codes covered so far (${covered.join(", ")})`, () => {
    const found = reports.get(file)!.findings;
    const missing = expected.filter((e) => !found.some((f) => same(f, e)));
    const notYet = missing.filter((e) => !covered.includes(e.code));
    if (notYet.length) console.log(`${file}: ${notYet.length} of ${expected.length} listed findings are of codes not covered yet: ${[...new Set(notYet.map((e) => e.code))].join(", ")}`);
    expect(missing.filter((e) => covered.includes(e.code)).map((e) => `${e.code} p${e.page ?? "-"} ${e.quote}`)).toEqual([]);
  });
});
