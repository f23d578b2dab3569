/**
 * The page's one stylesheet, inlined: a restrained government document on screen and on A4 paper. Fonts are local
 * CJK fonts only (nothing is fetched); wide tables print on landscape pages; table headers repeat on every page.
 *
 * On screen, from a 390 px phone to a desktop: a table wider than the page scrolls inside its own box
 * (`.table-wrap`, a size container), while its caption's lines (表N, the title, 编制部门 and 单位) are sized to the box
 * and sticky, so they stay in view; the key columns html-table.ts marks (类 款 项 科目名称, each `--cw` wide but the
 * name) are sticky too. On a desktop, landscape tables take the paper's side margins so that they fit without
 * scrolling. Performance tables keep short terms (headers, 一级/二级指标, comparator, value, unit, weight) on one line
 * and give their texts a reading width, so nothing breaks one character per line; on a phone they scroll with the
 * 三级指标 column in view.
 */

export const FONT_SANS = `"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif`;
export const FONT_SERIF = `"Noto Serif CJK SC","Source Han Serif SC","Songti SC","SimSun",serif`;

/** The stylesheet; `footer` is a CSS string literal printed at the foot of every page (or null). */
export function pageCss(footer: string | null): string {
  return `
:root{color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
html{background:#eceae6}
body{margin:0;font-family:${FONT_SANS};font-size:15px;line-height:1.8;color:#1b1b1b;-webkit-text-size-adjust:100%}
.paper{max-width:1120px;margin:24px auto;background:#fff;padding:48px 56px 40px;box-shadow:0 1px 3px rgba(0,0,0,.18)}
a{color:#1f3f66}
a:focus-visible,.table-wrap:focus-visible{outline:2px solid #1f3f66;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:4px 8px}
.skip:focus{left:8px}
h1,h2{font-family:${FONT_SERIF};font-weight:700;color:#111;letter-spacing:.04em}
h2{font-size:23px;text-align:center;margin:56px 0 24px}
h3{font-size:17px;margin:28px 0 8px}
h4{font-size:16px;margin:20px 0 6px}
h5,h6{font-size:15px;margin:16px 0 4px}
p{margin:6px 0;text-indent:2em;text-align:justify}
data.v{font-variant-numeric:tabular-nums}
.cover{text-align:center;padding:56px 0 40px;border-bottom:1px solid #444}
.cover h1{font-size:34px;line-height:1.5;margin:24px 0 28px}
.cover h1 span{display:block}
.cover p{text-indent:0;text-align:center;margin:4px 0;font-size:16px}
.cover .region{color:#444;letter-spacing:.1em}
.constructed{margin:28px auto 0;max-width:46em;border:2px solid #8b1a1a;color:#6e1010;background:#fcf4f3;padding:10px 16px;text-align:left!important;font-size:15px!important}
.constructed strong{margin-right:.5em}
.status-error{margin:12px auto 0;max-width:46em;border:1px solid #8b1a1a;color:#6e1010;padding:6px 16px;text-align:left!important}
nav.downloads{margin:28px 0 8px;padding:12px 16px 10px;border:1px solid #c9c6bf;background:#f7f6f3}
nav.downloads h2{margin:0 0 4px;font-size:19px;text-align:left}
nav.downloads h3{margin:8px 0 2px;font-size:15px}
nav.downloads ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px 20px}
nav.downloads li{line-height:1.6}
nav.downloads .dl-file{font-size:12.5px;color:#555;font-family:ui-monospace,"DejaVu Sans Mono",monospace;white-space:nowrap}
nav.toc{margin:32px 0 8px}
nav.toc h2{margin-top:8px}
nav.toc ol{list-style:none;margin:0;padding:0}
nav.toc>ol>li{margin:8px 0;font-weight:700}
nav.toc ol ol{padding-left:2em;font-weight:400;columns:2;column-gap:2em}
nav.toc ol ol li{break-inside:avoid;line-height:1.7}
nav.toc a{text-decoration:none;color:#1b1b1b}
nav.toc a:hover{text-decoration:underline}
ol.marked{list-style:none;padding:0;margin:6px 0}
ol.marked li{text-indent:2em;text-align:justify}
.fields{margin:10px 0}
.fields-title{font-weight:700;text-indent:0}
.fields dl,.perf-meta{display:grid;grid-template-columns:minmax(8em,max-content) 1fr;margin:6px 0;border-top:1px solid #444;border-left:1px solid #444}
.fields dl div,.perf-meta div{display:contents}
.fields dt,.fields dd,.perf-meta dt,.perf-meta dd{margin:0;padding:3px 8px;border-right:1px solid #444;border-bottom:1px solid #444}
.fields dt,.perf-meta dt{background:#f4f4f2;font-weight:700}
.sheet{margin:40px 0}
.table-wrap{overflow-x:auto;max-width:100%;container-type:inline-size}
/* Chromium's caption is text-align:-webkit-center, which would centre the boxes themselves inside a wide caption */
.table-wrap caption{text-align:left}
.table-wrap caption>span{position:sticky;left:0;width:100cqi}
/* separate borders, each cell drawing its right and bottom edge and the table its top and left: a sticky cell then
   keeps its own borders (collapsed borders stay behind when a sticky cell moves) */
table{border-collapse:separate;border-spacing:0;border-top:1px solid #3a3a3a;border-left:1px solid #3a3a3a;font-size:13px;line-height:1.45;margin:0 auto}
table.disclosure{width:100%}
caption{padding-bottom:6px}
caption .t-no{display:block;text-align:left;font-size:13px}
caption .t-title{display:block;text-align:center;font-family:${FONT_SERIF};font-size:19px;font-weight:700;letter-spacing:.05em;margin:2px 0 6px}
caption .t-meta{display:flex;justify-content:space-between;font-size:13px;font-weight:400}
th,td{border:0 solid #3a3a3a;border-width:0 1px 1px 0;padding:3px 6px;vertical-align:middle;background:#fff}
thead th{background:#f4f4f2;font-weight:700;text-align:center;font-size:12.5px;text-wrap-style:balance}
tbody th{text-wrap-style:pretty}
tbody th{font-weight:400;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;min-width:5.2em}
td.code{text-align:center;font-variant-numeric:tabular-nums;white-space:nowrap;width:var(--cw);min-width:var(--cw);max-width:var(--cw)}
table.disclosure{--cw:36px}
/* a stuck key cell sits 1 px in from the box's edge, where its left neighbour's border (or the table's) was: the
   shadow draws that border again */
.key{position:sticky;left:1px;z-index:1;box-shadow:-1px 0 0 #3a3a3a}
thead .key{z-index:2}
.k1{left:calc(1px + var(--cw))}
.k2{left:calc(1px + 2*var(--cw))}
.k3{left:calc(1px + 3*var(--cw))}
tbody th.name{min-width:11em}
th.lv1{padding-left:1.6em}
th.lv2{padding-left:2.8em}
tr.r-total th,tr.r-total td,tr.r-unit th,tr.r-unit td{font-weight:700}
.side-start{border-left:1px solid #3a3a3a}
td.empty{text-align:center;padding:14px 12px;text-indent:0}
td.pad{background:#fff}
p.table-note{font-size:12.5px;line-height:1.5;text-indent:0;text-align:left;color:#333;margin:4px 0 0}
table.perf td,table.perf th{font-size:12.5px;text-wrap-style:pretty}
table.perf thead th,table.perf .pf-level1,table.perf .pf-level2,.pf-comparator,.pf-value,.pf-unit,.pf-weight,.pf-last_year{white-space:nowrap}
table.perf .pf-name{min-width:11em;position:sticky;left:1px;z-index:1;box-shadow:-1px 0 0 #3a3a3a}
table.perf thead .pf-name{z-index:2}
table.perf .pf-basis{min-width:12em}
table.perf .pf-scoring,table.perf .pf-evidence{min-width:8em}
/* the labels of a performance table's header block break only where a term ends (年度预算 | （万元）) */
table.perf-facts th{word-break:keep-all}
table.perf-facts th,table.perf-facts td{text-wrap-style:pretty}
.perf-meta dd{text-wrap-style:pretty}
table.perf tbody th[scope=rowgroup]{text-align:center}
.pf-weight,.pf-comparator,.pf-value,.pf-unit,.pf-last_year{text-align:center}
.perf-project{margin:26px 0}
.perf-head .t-title{display:block;text-align:center;font-family:${FONT_SERIF};font-size:19px;font-weight:700;letter-spacing:.05em;margin:2px 0 6px;text-indent:0}
.perf-head .t-meta{display:flex;justify-content:space-between;font-size:13px;text-indent:0}
.perf-head .t-sub{text-align:center;text-indent:0;margin:0 0 8px}
table.perf-facts td.amount{white-space:nowrap}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.withheld,.empty-note{text-indent:2em}
figure.chart{margin:22px 0;padding:12px 0;border-top:1px solid #bbb;border-bottom:1px solid #bbb}
figure.chart figcaption{font-weight:700;text-align:center;margin-bottom:6px;text-wrap-style:balance}
figure.chart .f-unit{font-weight:400;font-size:13px}
.chart-row{display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:12px 28px}
.chart-svg svg{display:block;max-width:100%;height:auto}
table.chart-data{font-size:13px;margin:0}
table.chart-data caption{font-size:12.5px;color:#333;padding-bottom:2px}
table.chart-data tbody th{white-space:nowrap}
.chart-note{font-size:13px;text-indent:0;color:#333;text-align:center}
abbr{text-decoration:none}
.signature{margin-top:36px;text-align:right}
.signature p{text-align:right;text-indent:0;margin:2px 0}
footer.colophon{margin-top:40px;border-top:1px solid #ccc;padding-top:8px;font-size:12.5px;color:#444}
footer.colophon p{text-indent:0}
@media screen and (min-width:1180px){.sheet.landscape,.perf-sheet{margin-left:-40px;margin-right:-40px}}
@media (max-width:720px){
.paper{padding:20px 14px;margin:0}
.cover h1{font-size:26px}
nav.toc ol ol{columns:1}
table{font-size:12px}
thead th,table.perf td,table.perf th{font-size:11.5px}
th,td{padding:3px 4px}
table.disclosure{--cw:30px}
tbody th.name{min-width:8.5em}
table.perf-facts td{min-width:5em}
th.lv1{padding-left:1em}
th.lv2{padding-left:1.8em}
td.num{min-width:4.4em}
caption .t-title{font-size:17px}
caption .t-meta{flex-wrap:wrap;gap:0 1em}
table.perf .pf-name{min-width:9em}
}
@page{size:A4;margin:18mm 16mm 20mm${footer === null ? "" : `;@bottom-left{content:${footer};font-size:8pt;color:#6e1010}`};@bottom-right{content:"第 " counter(page) " 页";font-size:8pt;color:#333}}
@page landscape{size:A4 landscape;margin:14mm 14mm 16mm}
@media print{
html{background:#fff}
body{font-size:10.5pt;line-height:1.7}
.paper{max-width:none;margin:0;padding:0;box-shadow:none}
.skip,nav.downloads{display:none}
a{color:inherit;text-decoration:none}
.cover{border-bottom:none;padding-top:60mm;min-height:240mm}
.cover h1{font-size:26pt}
nav.toc{break-before:page;break-after:page}
nav.toc ol ol{columns:1}
.part{break-before:page}
h2{margin-top:0}
h2,h3,h4,h5,caption,figcaption{break-after:avoid}
.sheet{margin:0 0 8mm}
.sheet~.sheet{break-before:page}
.sheet.landscape{page:landscape}
.table-wrap{overflow:visible}
table{font-size:9pt}
thead th{font-size:8.5pt}
.landscape table{font-size:8.5pt}
.landscape thead th{font-size:8pt}
caption .t-title,.perf-head .t-title{font-size:14pt}
caption .t-no,caption .t-meta{font-size:9pt}
p.table-note{font-size:8.5pt;margin-top:1.5mm;break-before:avoid}
thead{display:table-header-group}
tr,figure,.fields,.perf-meta{break-inside:avoid}
table{border-top-width:.6pt;border-left-width:.6pt}
th,td{border-width:0 .6pt .6pt 0;padding:1.5pt 4pt}
.side-start{border-left-width:.8pt}
td.num{min-width:0}
tbody th.name{min-width:10em}
.key,table.perf .pf-name{position:static;box-shadow:none}
.perf-sheet table.perf th,.perf-sheet table.perf td{white-space:normal;min-width:0}
.chart-row{flex-wrap:nowrap;gap:6mm}
.chart-svg{flex:1 1 0;min-width:0}
.chart-svg svg{width:100%;max-width:125mm;margin:0 auto}
table.chart-data{flex:none}
figure.chart{break-inside:avoid}
}
`.trim();
}
