/**
 * The disclosure as one self-contained web page (index.html): in Chinese, readable without JavaScript (it has none),
 * no external requests (inline CSS, inline SVG charts, local fonts only), printable on A4 with wide tables on
 * landscape pages.
 *
 * Order, as printed: the cover (title, 编制部门, date, the constructed-data note, a status line when checks failed),
 * on screen the downloads block (a link to every other file of the build, html-downloads.ts), the table of contents,
 * then the narrative's parts in order — 第一部分 部门概况, 第二部分 公开表, 第三部分 情况说明,
 * 第四部分 名词解释. A table or performance table prints where the narrative names it; any the narrative does not
 * name print at the end of 第二部分, so every table prints exactly once. Each chart prints in the first section of
 * the narrative that speaks of one of its figures (or, failing that, in a closing 图表 section of 第三部分).
 * Findings are for reviewers and are not printed; only their error count shows in a status line.
 */
import type { Disclosure } from "../../domain/disclosure-model.ts";
import { walkSections, type Narrative, type NarrativePart } from "../../domain/narrative-model.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import type { CompiledTemplate, ComputedTable } from "../../domain/table-engine.ts";
import { chartSpecs, placeCharts } from "./chart-specs.ts";
import { renderChartFigure } from "./html-chart.ts";
import { renderDownloads, type BuildFile } from "./html-downloads.ts";
import { cssString, esc } from "./html-escape.ts";
import { renderSection, sectionAnchor, type EmbedHooks } from "./html-narrative.ts";
import { renderPerformance } from "./html-performance.ts";
import { pageCss } from "./html-style.ts";
import { renderTable, type TableContext } from "./html-table.ts";

export interface DisclosurePageInput {
  readonly disclosure: Disclosure;
  readonly narrative: Narrative;
  readonly findings: readonly Finding[];
  readonly template: CompiledTemplate;
  /** the other files of the same build, linked from the downloads block (none: no block) */
  readonly files?: readonly BuildFile[];
}

const GENERATOR = "gongkai 0.1.0";
const PART_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/** `2024-02-23` → `2024年2月23日`; any other text as given. */
export function formatDate(text: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : text;
}

interface TocEntry {
  readonly id: string;
  readonly text: string;
  readonly children: { id: string; text: string }[];
}

/** Which tables and performance tables the narrative prints itself. */
function namedByNarrative(n: Narrative): { tables: Set<string>; performance: Set<string> } {
  const tables = new Set<string>();
  const performance = new Set<string>();
  for (const p of n.parts)
    walkSections(p.sections, (s) => {
      for (const b of s.blocks) {
        if (b.kind === "table") tables.add(b.table);
        else if (b.kind === "performance") performance.add(b.table);
      }
    });
  return { tables, performance };
}

export function renderDisclosurePage(input: DisclosurePageInput): string {
  const { disclosure: d, narrative, findings, template } = input;
  const owner = d.scope.kind === "unit" ? d.scope.name : d.department.name;
  const year = d.department.year;
  const title = `${owner}${year}年${d.scope.kind === "unit" ? "单位" : "部门"}预算公开`;
  const ctx: TableContext = { department: owner, unit: d.template.printUnit, notes: d.roundingNotes };
  const byId = new Map<string, ComputedTable>(d.tables.map((t) => [t.id, t]));
  const perfSpecs = new Map(template.data.performance_tables.map((p) => [p.id, p]));
  const named = namedByNarrative(narrative);
  const printed = new Set<string>();

  // -- charts
  const specs = chartSpecs(d, template.data.charts);
  const explanation = narrative.parts.find((p) => p.id === "explanation");
  const chartHome = placeCharts(specs, explanation);
  const placedCharts = new Set([...chartHome.values()].flat().map((c) => c.id));
  const unplacedCharts = specs.filter((c) => !placedCharts.has(c.id));

  // -- table of contents, filled while the parts render
  const toc: TocEntry[] = [];
  let currentToc: TocEntry | null = null;
  const tocChild = (id: string, text: string) => currentToc?.children.push({ id, text });

  const sheet = (t: ComputedTable): string => {
    if (printed.has(t.id)) return `<p class="see"><a href="#${esc(t.id)}">见${esc(t.number)} ${esc(t.title)}</a></p>`;
    printed.add(t.id);
    tocChild(t.id, `${t.number} ${t.title}`);
    return `<div class="sheet${t.orientation === "landscape" ? " landscape" : ""}" id="${esc(t.id)}">${renderTable(t, ctx)}</div>`;
  };
  const perfSheet = (id: string): string => {
    const spec = perfSpecs.get(id);
    if (!spec) return "";
    if (printed.has(id)) return `<p class="see"><a href="#${esc(id)}">见${esc(spec.title)}</a></p>`;
    printed.add(id);
    tocChild(id, spec.title);
    return `<div class="sheet perf-sheet" id="${esc(id)}">${renderPerformance(spec, d, template.data, narrative)}</div>`;
  };
  const hooks: EmbedHooks = {
    table: (id) => {
      const t = byId.get(id);
      return t ? sheet(t) : "";
    },
    performance: perfSheet,
    afterBlocks: (s) => (chartHome.get(s.id) ?? []).map(renderChartFigure).join(""),
  };

  // -- parts: the narrative's, with 第二部分 supplied when the narrative has none
  const parts: NarrativePart[] = [...narrative.parts];
  if (!parts.some((p) => p.id === "tables")) {
    const at = parts.findIndex((p) => p.id === "profile");
    parts.splice(at + 1, 0, { id: "tables", title: `${year}年部门预算公开表`, sections: [] });
  }
  const partHtml = parts.map((part, i) => {
    const partId = `part-${part.id}`;
    const numeral = PART_NUMERALS[i] ?? String(i + 1);
    const heading = /^第.+部分/.test(part.title) ? part.title : `第${numeral}部分 ${part.title}`;
    currentToc = { id: partId, text: heading, children: [] };
    toc.push(currentToc);
    const sections = part.sections.map((s) => {
      if (s.title !== "") tocChild(sectionAnchor(s), s.title);
      return renderSection(s, 3, hooks);
    });
    if (part.id === "tables") {
      // every table and performance table the narrative does not print itself, in template order
      for (const t of d.tables) if (!named.tables.has(t.id)) sections.push(sheet(t));
      for (const p of template.data.performance_tables) if (!named.performance.has(p.id)) sections.push(perfSheet(p.id));
    }
    if (part.id === "explanation" && unplacedCharts.length > 0) {
      tocChild("sec-charts", "图表");
      sections.push(`<section class="sec" id="sec-charts"><h3>图表</h3>${unplacedCharts.map(renderChartFigure).join("")}</section>`);
    }
    return `<section class="part" id="${esc(partId)}" aria-labelledby="${esc(partId)}-h"><h2 id="${esc(partId)}-h">${esc(heading)}</h2>${sections.join("")}</section>`;
  });
  // charts with nowhere to go (no explanation part at all) follow the parts
  const orphanCharts = explanation ? "" : unplacedCharts.map(renderChartFigure).join("");

  // -- cover
  const errors = findings.filter((f) => f.severity === "error").length;
  const cover = [
    `<header class="cover" id="cover">`,
    d.department.region ? `<p class="region">${esc(d.department.region)}</p>` : "",
    `<h1><span>${esc(owner)}</span><span>${year}年${d.scope.kind === "unit" ? "单位" : "部门"}预算公开</span></h1>`,
    `<p>编制部门：${esc(owner)}</p>`,
    d.department.date ? `<p>公开日期：${esc(formatDate(d.department.date))}</p>` : "",
    d.constructed !== null ? `<p class="constructed" role="note"><strong>构造数据</strong>${esc(d.constructed)}</p>` : "",
    errors > 0 ? `<p class="status-error" role="note">检查状态：存在 ${errors} 个错误级问题，本公开未通过发布前检查，数字可能有误。</p>` : "",
    `</header>`,
  ].join("");

  const tocHtml =
    `<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">目录</h2><ol>` +
    toc
      .map(
        (e) =>
          `<li><a href="#${esc(e.id)}">${esc(e.text)}</a>` +
          (e.children.length ? `<ol>${e.children.map((c) => `<li><a href="#${esc(c.id)}">${esc(c.text)}</a></li>`).join("")}</ol>` : "") +
          `</li>`,
      )
      .join("") +
    `</ol></nav>`;

  const tableName = (id: string) => {
    const t = byId.get(id);
    return t ? `${t.number} ${t.title}`.trim() : perfSpecs.get(id)?.title;
  };
  const downloads = renderDownloads(input.files ?? [], tableName);

  const signature = narrative.signature.length ? `<div class="signature">${narrative.signature.map((l) => `<p>${esc(l)}</p>`).join("")}</div>` : "";
  const colophon =
    `<footer class="colophon"><p>本页面由预算明细自动生成（${esc(d.template.name)}）；表中金额单位为${esc(d.template.printUnit.label)}，` +
    `每个单元格为精确合计四舍五入至 0.01${esc(d.template.printUnit.label)}，空白表示无此项资金。</p></footer>`;
  const footerNote = d.constructed !== null ? cssString(template.data.sentences["constructed_note"] ?? "构造数据") : null;

  return (
    `<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="generator" content="${GENERATOR}">` +
    `<title>${esc(title)}</title><style>${pageCss(footerNote)}</style></head>` +
    `<body><a class="skip" href="#main">跳到正文</a><div class="paper">${cover}${downloads}${tocHtml}` +
    `<main id="main">${partHtml.join("")}${orphanCharts}${signature}</main>${colophon}</div></body></html>\n`
  );
}
