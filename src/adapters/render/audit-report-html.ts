/**
 * An audit report as one self-contained web page (`gongkai audit … --html <out>`): in the platform's style (the
 * colours, type and boxes of src/adapters/web/page-layout.tsx), no JavaScript (a Content-Security-Policy forbids any),
 * no external request, readable on a phone (the page image stacks under its findings below 48rem) and printable.
 *
 * Order: the status, what was recognised, how much was read and checked, the findings grouped by their page (or, in a
 * text source, their line) in document order — each group with its page beside it: the page's image when pdftoppm made
 * one, else the text read from the page (the page says which) —, everything not checked (all of it), the readers'
 * notes. Every text is escaped: a quote from a hostile PDF may hold `<script>`.
 *
 * Pure: the caller gives the figures (image file names, or lines of text) keyed by `placeKey`. The web application's
 * report page (src/adapters/web/audit-routes.tsx) shows the same report in the site's layout: `renderAuditReportBody`
 * with `AUDIT_EMBED_CSS`.
 */
import type { AuditFinding, AuditPlace, AuditReport, NotChecked } from "../../domain/audit/audit-report.ts";
import { esc } from "./html-escape.ts";
import { inDocumentOrder, KIND_TEXT, nothingChecked, LEVEL_TEXT, SEVERITIES, SEVERITY_ONE, SEVERITY_TEXT, WHAT_TEXT, placeText, severityCounts, statusText, tr, unreadableText, type Lang } from "./audit-report-labels.ts";

/** What stands beside the findings of one place. */
export type PlaceFigure =
  /** the page's image, a file next to the report page */
  | { readonly kind: "image"; readonly src: string; readonly page: number; readonly width: number | null; readonly height: number | null }
  /** the text read from the page (no image: pdftoppm is missing, or the images' cap was reached) */
  | { readonly kind: "page-text"; readonly page: number; readonly lines: readonly FigureLine[] }
  /** the lines of a plain-text source around the finding's line */
  | { readonly kind: "line-text"; readonly line: number; readonly lines: readonly FigureLine[] };

export interface FigureLine {
  /** the line number of a text source, or null on a PDF page */
  readonly n: number | null;
  readonly text: string;
  /** the line holds (part of) a finding's quote */
  readonly mark: boolean;
}

export interface AuditHtmlInput {
  readonly report: AuditReport;
  readonly lang: Lang;
  /** the figure of each place (`placeKey`) that has findings; a place without one shows its findings alone */
  readonly figures?: ReadonlyMap<string, PlaceFigure>;
  /** whether pdftoppm was there to make page images (what the page says of its figures) */
  readonly pageImages?: "pdftoppm" | "absent";
  /** the most page images a report holds; set when that cap left pages as text */
  readonly imagesCapped?: number | null;
  /** a link back to the folder's summary page */
  readonly summaryHref?: string;
}

/** The place a finding is grouped by: its file and page, or, in a text source, its line. */
export function placeKey(p: Pick<AuditPlace, "file" | "page" | "line">): string {
  const file = p.file ?? "";
  if (p.page !== null) return `${file}\u0000p${p.page}`;
  if (p.line !== null) return `${file}\u0000l${p.line}`;
  return `${file}\u0000-`;
}

/** The rules of the report's own parts (facts, findings, quotes, page figures), shared by the page and by the web
 * application's report page, which embeds the report in the site's layout (AUDIT_EMBED_CSS). */
const REPORT_CORE_CSS = `dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.sev{display:inline-block;padding:0 .5rem;border-radius:3px;font-size:.88rem;white-space:nowrap;font-weight:600}
.sev-error{background:#fdecec;color:#8b1a1a}
.sev-warning{background:#fff3e0;color:#8a4b00}
.sev-note{background:#e3f2fd;color:#0d47a1}
code{font-family:ui-monospace,"Cascadia Mono",Menlo,monospace;font-size:.92em}
.place{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.2rem 1rem 1rem;margin:0 0 1rem}
.place-row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1rem;align-items:start}
.place-row.alone{grid-template-columns:minmax(0,1fr)}
ol.findings{list-style:none;margin:0;padding:0}
ol.findings>li{border-left:4px solid #ccc;padding:.2rem 0 .4rem .8rem;margin:0 0 .9rem}
ol.findings>li.f-error{border-left-color:#c62828}
ol.findings>li.f-warning{border-left-color:#d9a400}
ol.findings>li.f-note{border-left-color:#0b4f9c}
.card>h2:first-child{margin-top:0}
ol.findings p{margin:.2rem 0;overflow-wrap:anywhere}
blockquote{margin:.3rem 0;padding:.3rem .6rem;background:#f7f7f5;border-left:3px solid #bbb;overflow-wrap:anywhere}
figure.page{margin:0}
figure.page img{display:block;max-width:100%;height:auto;border:1px solid #ccc;background:#fff}
figure.page figcaption{font-size:.88rem;color:#555;margin-bottom:.3rem}
pre.page-text{margin:0;padding:.5rem;background:#fafaf8;border:1px solid #ddd;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;line-height:1.5;max-height:40rem;overflow-y:auto}
pre.page-text mark{background:#ffe08a}
`;

/** Of the narrow-screen and print rules, those of the report's own parts. */
const REPORT_NARROW_CSS = `  .place-row{grid-template-columns:minmax(0,1fr)}
`;
const REPORT_PRINT_CSS = `  .place{break-inside:avoid}
  pre.page-text{max-height:none}
`;

export const AUDIT_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;line-height:1.6;color:#1b1b1b;background:#f6f6f4}
a{color:#0b4f9c}
a:focus-visible{outline:3px solid #d97706;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
.site-header{background:#8b1a1a;color:#fff}
.site-header a{color:#fff}
.bar{max-width:80rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
.site-name{font-weight:700;font-size:1.15rem;margin-right:auto}
main{max-width:80rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.3;margin:.4rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem}
h3{font-size:1.05rem;margin:1.2rem 0 .5rem;overflow-wrap:anywhere}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #ddd;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e5e5e5;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0efeb;font-weight:600}
thead th{overflow-wrap:normal;word-break:keep-all}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.card{background:#fff;border:1px solid #ddd;border-radius:4px;padding:1rem;margin:0 0 1rem}
.muted{color:#555}
.nowrap{white-space:nowrap}
.error{background:#fdecec;border:1px solid #c62828;border-left:6px solid #c62828;padding:.8rem 1rem;margin:0 0 1rem;border-radius:4px}
.ok{background:#e8f5e9;border:1px solid #2e7d32;border-left:6px solid #2e7d32;padding:.8rem 1rem;margin:0 0 1rem;border-radius:4px}
.banner{background:#fff7e0;border:1px solid #d9a400;border-left:6px solid #d9a400;padding:.8rem 1rem;margin:0 0 1rem;border-radius:4px}
${REPORT_CORE_CSS}.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.site-footer{max-width:80rem;margin:2rem auto 0;padding:1rem;color:#555;font-size:.85rem;border-top:1px solid #ddd}
@media (max-width:48rem){
${REPORT_NARROW_CSS}  main{padding:.75rem}
  h1{font-size:1.3rem}
  th,td{padding:.4rem .45rem}
}
@media print{
  body{background:#fff}
  .site-header,.skip{display:none}
${REPORT_PRINT_CSS}}
`;

/**
 * The report's rules for a page of the web application (src/adapters/web/audit-routes.tsx), whose own layout and
 * style sheet (page-layout.tsx) give the rest; where the site styles the same elements otherwise, scoped to the
 * `.audit-report` element that holds `renderAuditReportBody`.
 */
export const AUDIT_EMBED_CSS = `${REPORT_CORE_CSS}.audit-report h3{font-size:1.05rem;margin:1.2rem 0 .5rem;overflow-wrap:anywhere}
.audit-report th,.audit-report td{overflow-wrap:anywhere}
.audit-report thead th{overflow-wrap:normal;word-break:keep-all}
.audit-report th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
@media (max-width:48rem){
${REPORT_NARROW_CSS}}
@media print{
${REPORT_PRINT_CSS}}
`;

/** The head and frame of every audit page (a report, or a folder's summary). */
export function auditPage(p: { lang: Lang; title: string; body: string; back?: { href: string; text: string } | undefined; footer: string }): string {
  return (
    `<!doctype html>\n<html lang="${p.lang === "en" ? "en" : "zh-CN"}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'">` +
    `<meta name="generator" content="gongkai audit">` +
    `<title>${esc(p.title)}</title><style>${AUDIT_CSS}</style></head>` +
    `<body><a class="skip" href="#main">${p.lang === "zh" ? "跳到正文" : "Skip to content"}</a>` +
    `<header class="site-header"><div class="bar"><span class="site-name">${p.lang === "zh" ? "公开 · 预算公开审核" : "Gongkai · disclosure audit"}</span>` +
    (p.back ? `<a href="${esc(p.back.href)}">${esc(p.back.text)}</a>` : "") +
    `</div></header><main id="main">${p.body}</main><footer class="site-footer">${p.footer}</footer></body></html>\n`
  );
}

const quoted = (text: string, _lang: Lang) => `“${esc(text)}”`;
const colon = (lang: Lang) => (lang === "zh" ? "：" : ": ");

function statusBlock(report: AuditReport, lang: Lang): string {
  if (report.unreadable !== null) {
    const others = report.notChecked.filter((n) => n.what === "file" && n.file !== report.unreadable?.file);
    return (
      `<div class="error" role="note"><p><strong>${esc(tr("unreadable", lang))}</strong></p><p>${esc(unreadableText(report.unreadable, lang))}</p>` +
      others.map((n) => `<p>${esc(n.reason[lang])}</p>`).join("") +
      `</div>`
    );
  }
  const n = severityCounts(report);
  const counts = SEVERITIES.map((s) => (lang === "zh" ? `${SEVERITY_TEXT[s].zh} ${n[s]}` : `${n[s]} ${SEVERITY_TEXT[s].en.toLowerCase()}`)).join(lang === "zh" ? "，" : ", ");
  return `<div class="${n.error > 0 ? "error" : nothingChecked(report) ? "banner" : "ok"}" role="note"><p><strong>${esc(statusText(report, lang))}</strong>${colon(lang)}${counts}</p></div>`;
}

function recognisedBlock(report: AuditReport, lang: Lang): string {
  const r = report.recognised;
  const unknown = `<span class="muted">${esc(tr("unknown", lang))}</span>`;
  const fact = (label: string, value: string | null) => `<dt>${esc(label)}</dt><dd>${value === null ? unknown : esc(value)}</dd>`;
  const facts =
    `<dl class="facts">` +
    fact(tr("department", lang), r.department) +
    fact(tr("year", lang), r.year === null ? null : String(r.year)) +
    fact(tr("kind", lang), r.kind === null ? null : KIND_TEXT[r.kind][lang]) +
    fact(tr("level", lang), r.level === null ? null : LEVEL_TEXT[r.level][lang]) +
    fact(tr("template", lang), r.template) +
    fact(tr("reader", lang), report.reader) +
    `</dl>`;
  const tables =
    r.tables.length === 0
      ? `<p class="muted">${esc(tr("tables", lang))}${colon(lang)}${esc(tr("none", lang))}</p>`
      : `<div class="table-wrap"><table><caption class="sr-only">${esc(tr("tables", lang))}</caption><thead><tr><th scope="col">${esc(tr("tables", lang))}</th><th scope="col">${lang === "zh" ? "页" : "page"}</th><th scope="col">${lang === "zh" ? "单位" : "unit"}</th><th scope="col">${lang === "zh" ? "表种" : "kind"}</th></tr></thead><tbody>` +
        r.tables
          .map((t) => `<tr><td>${esc(t.title)}</td><td class="num">${t.page ?? ""}</td><td>${t.unit === null ? `<span class="muted">${esc(tr("no_unit", lang))}</span>` : esc(t.unit)}</td><td>${esc(t.kind ?? "")}</td></tr>`)
          .join("") +
        `</tbody></table></div>`;
  return `<section class="card" aria-labelledby="rec-h"><h2 id="rec-h">${esc(tr("recognised", lang))}</h2>${facts}${tables}</section>`;
}

const numHead = (s: string) => `<th scope="col" class="num">${esc(s)}</th>`;
const countRow = (label: string, found: number | null, read: number | null, checked: number | null) =>
  `<tr><th scope="row">${esc(label)}</th><td class="num">${found ?? ""}</td><td class="num">${read ?? ""}</td><td class="num">${checked ?? ""}</td></tr>`;
const severityRank = (s: AuditFinding["severity"]) => SEVERITIES.indexOf(s);

function countsBlock(report: AuditReport, lang: Lang): string {
  const c = report.counts;
  const th = numHead;
  const row = countRow;
  return (
    `<section class="card" aria-labelledby="counts-h"><h2 id="counts-h">${esc(tr("counts", lang))}</h2>` +
    `<div class="table-wrap"><table><thead><tr><th scope="col"></th>${th(tr("found", lang))}${th(tr("read", lang))}${th(tr("checked", lang))}</tr></thead><tbody>` +
    row(tr("pages", lang), null, c.pages, null) +
    row(tr("tables", lang), c.tables.found, c.tables.read, c.tables.checked) +
    row(tr("cells", lang), null, c.cells.read, c.cells.checked) +
    row(tr("sentences", lang), null, c.sentences.read, c.sentences.checked) +
    row(tr("claims", lang), null, c.claims.read, c.claims.checked) +
    `</tbody></table></div>` +
    `<p>${esc(tr("relations", lang))}${colon(lang)}${esc(tr("checked", lang))} ${c.relations.checked}${lang === "zh" ? "，" : ", "}${esc(tr("failed", lang))} ${c.relations.failed}</p>` +
    `</section>`
  );
}

function findingItem(f: AuditFinding, id: string, lang: Lang): string {
  const parts = [
    `<p><span class="sev sev-${f.severity}">${esc(SEVERITY_ONE[f.severity][lang])}</span> <code>${esc(f.code)}</code> ${esc(placeText(f, lang))}</p>`,
    `<blockquote>${quoted(f.quote, lang)}</blockquote>`,
  ];
  if (f.expected !== null || f.found !== null)
    parts.push(
      `<p>${esc(tr("expected", lang))}${colon(lang)}<strong>${esc(f.expected ?? "—")}</strong> → ${esc(tr("found_value", lang))}${colon(lang)}<strong>${esc(f.found ?? "—")}</strong></p>`,
    );
  parts.push(`<p>${esc(tr("reason", lang))}${colon(lang)}${esc(f.reason[lang])}</p>`);
  for (const r of f.related) parts.push(`<p class="muted">${esc(tr("see_also", lang))}${colon(lang)}${esc(placeText(r, lang))} ${quoted(r.quote, lang)}</p>`);
  return `<li class="f-${f.severity}" id="${esc(id)}">${parts.join("")}</li>`;
}

function figureHtml(fig: PlaceFigure, lang: Lang): string {
  if (fig.kind === "image") {
    const caption = tr("page_image", lang, { n: fig.page });
    const size = fig.width !== null && fig.height !== null ? ` width="${fig.width}" height="${fig.height}"` : "";
    return `<figure class="page"><figcaption>${esc(caption)}</figcaption><a href="${esc(fig.src)}"><img src="${esc(fig.src)}" alt="${esc(caption)}"${size} loading="lazy"></a></figure>`;
  }
  const caption = fig.kind === "page-text" ? tr("page_text", lang, { n: fig.page }) : tr("line_text", lang, { n: fig.line });
  const width = Math.max(1, ...fig.lines.map((l) => (l.n === null ? 0 : String(l.n).length)));
  const lines = fig.lines.map((l) => {
    const text = (l.n === null ? "" : `${String(l.n).padStart(width)}  `) + esc(l.text);
    return l.mark ? `<mark>${text}</mark>` : text;
  });
  return `<figure class="page"><figcaption>${esc(caption)}</figcaption><pre class="page-text" tabindex="0">${lines.join("\n")}</pre></figure>`;
}

function findingsBlock(report: AuditReport, lang: Lang, figures: ReadonlyMap<string, PlaceFigure>): string {
  const head = `<h2 id="findings-h">${esc(tr("findings", lang))}</h2>`;
  if (report.findings.length === 0) return `<section aria-labelledby="findings-h">${head}<p>${esc(tr("no_findings", lang))}</p></section>`;
  const groups = new Map<string, AuditFinding[]>();
  for (const f of inDocumentOrder(report.findings, report.files)) {
    const key = placeKey(f);
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  let n = 0;
  const sections = [...groups].map(([key, list], gi) => {
    const first = list[0]!;
    const fig = figures.get(key);
    const items = [...list].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map((f) => findingItem(f, `f${++n}`, lang));
    return (
      `<section class="place" aria-labelledby="place-${gi}"><h3 id="place-${gi}">${esc(placeText({ page: first.page, line: first.line, ...(first.file === undefined ? {} : { file: first.file }) }, lang))}</h3>` +
      `<div class="place-row${fig ? "" : " alone"}"><ol class="findings">${items.join("")}</ol>${fig ? figureHtml(fig, lang) : ""}</div></section>`
    );
  });
  return `<section aria-labelledby="findings-h">${head}${sections.join("")}</section>`;
}

function notCheckedBlock(list: readonly NotChecked[], lang: Lang): string {
  const head = `<h2 id="nc-h">${esc(tr("not_checked", lang))}${lang === "zh" ? `（${list.length}）` : ` (${list.length})`}</h2>`;
  if (list.length === 0) return `<section aria-labelledby="nc-h">${head}<p>${esc(tr("not_checked_none", lang))}</p></section>`;
  const rows = list
    .map((n) => `<tr><td>${esc(WHAT_TEXT[n.what][lang])}</td><td>${esc(placeText(n, lang))}</td><td>${n.quote === "" ? "" : quoted(n.quote, lang)}</td><td>${esc(n.reason[lang])}</td></tr>`)
    .join("");
  return (
    `<section aria-labelledby="nc-h">${head}<p class="muted">${esc(tr("fail_closed", lang))}</p>` +
    `<div class="table-wrap"><table><thead><tr><th scope="col">${lang === "zh" ? "对象" : "what"}</th><th scope="col">${lang === "zh" ? "位置" : "place"}</th><th scope="col">${esc(tr("quote", lang))}</th><th scope="col">${esc(tr("reason", lang))}</th></tr></thead><tbody>${rows}</tbody></table></div></section>`
  );
}

function notesBlock(report: AuditReport, lang: Lang): string {
  const notes = report.notes ?? [];
  if (notes.length === 0) return "";
  const several = report.files.length > 1;
  return `<section aria-labelledby="notes-h"><h2 id="notes-h">${esc(tr("notes", lang))}</h2><ul>${notes.map((n) => `<li>${several ? `${esc(n.file)}${colon(lang)}` : ""}${esc(n.text)}</li>`).join("")}</ul></section>`;
}

/** What the page says of the figures beside its findings. */
function figureNotes(input: AuditHtmlInput): string[] {
  const figs = [...(input.figures ?? new Map<string, PlaceFigure>()).values()];
  const notes: string[] = [];
  if (figs.some((f) => f.kind === "image")) notes.push(tr("images_note", input.lang));
  if (figs.some((f) => f.kind === "page-text")) {
    if (input.pageImages === "absent") notes.push(tr("text_note", input.lang));
    else if (input.imagesCapped !== undefined && input.imagesCapped !== null) notes.push(tr("images_capped", input.lang, { n: input.imagesCapped }));
  }
  if (figs.some((f) => f.kind === "line-text")) notes.push(tr("text_source_note", input.lang));
  return notes;
}

/**
 * The report below its title — the status, what the figures are, what was recognised, the counts, the findings with
 * their figures, everything not checked, the readers' notes — as one HTML fragment (every text escaped), for the page
 * of `renderAuditReportHtml` and for the web application's report page, which gives its own title and layout.
 */
export function renderAuditReportBody(input: AuditHtmlInput): string {
  const { report, lang } = input;
  const notes = figureNotes(input);
  return (
    statusBlock(report, lang) +
    (notes.length ? `<p class="banner">${notes.map(esc).join(" ")}</p>` : "") +
    (report.unreadable !== null
      ? notesBlock(report, lang)
      : recognisedBlock(report, lang) + countsBlock(report, lang) + findingsBlock(report, lang, input.figures ?? new Map()) + notCheckedBlock(report.notChecked, lang) + notesBlock(report, lang))
  );
}

export function renderAuditReportHtml(input: AuditHtmlInput): string {
  const { report, lang } = input;
  const names = report.files.join(" + ");
  const title = `${tr("title", lang)}${colon(lang)}${names}`;
  const body = `<h1>${esc(title)}</h1>${renderAuditReportBody(input)}`;
  const footer = `<p>${esc(tr("generated_by", lang))}${lang === "zh" ? "。" : ". "}${esc(tr("fail_closed", lang))}</p>`;
  return auditPage({ lang, title, body, back: input.summaryHref === undefined ? undefined : { href: input.summaryHref, text: tr("back_to_summary", lang) }, footer });
}
