/** Everything the auditor recognises, read from data/ once per process (src/app/audit/audit-pipeline.ts's AuditData). */
import type { AuditData } from "../../app/audit/audit-pipeline.ts";
import { auditTemplates } from "./audit-templates.ts";
import { narrativeLayout, narrativeVocabulary, textFaultPatterns } from "./narrative-data.ts";
import { tableTitles } from "./table-titles.ts";

export function auditData(): AuditData {
  return {
    titles: tableTitles(),
    templates: auditTemplates(),
    narrative: { layout: narrativeLayout(), vocabulary: narrativeVocabulary(), patterns: textFaultPatterns() },
  };
}
