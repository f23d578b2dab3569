/**
 * docProps/core.xml of disclosure.docx, written by us instead of by `docx`, which stamps dcterms:created and
 * dcterms:modified with the clock: here both are the disclosure's own date (disclosure-date.ts), so the same input
 * gives the same bytes. The other properties are the ones the document is given.
 */
import { esc } from "./html-escape.ts";

export interface CoreProperties {
  readonly title: string;
  readonly subject: string;
  readonly creator: string;
  readonly keywords: string;
  readonly description: string;
  readonly lastModifiedBy: string;
}

/** W3CDTF of a date, to the second: 2024-02-23T00:00:00Z. */
const w3cdtf = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, "Z");

const el = (name: string, text: string) => (text === "" ? "" : `<${name}>${esc(text)}</${name}>`);

/** The core properties part (OPC), dated `at`; empty properties are left out, as `docx` does. */
export function corePropertiesXml(p: CoreProperties, at: Date): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
    `xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    el("dc:title", p.title) +
    el("dc:subject", p.subject) +
    el("dc:creator", p.creator) +
    el("cp:keywords", p.keywords) +
    el("dc:description", p.description) +
    el("cp:lastModifiedBy", p.lastModifiedBy) +
    `<cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${w3cdtf(at)}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${w3cdtf(at)}</dcterms:modified>` +
    `</cp:coreProperties>`
  );
}
