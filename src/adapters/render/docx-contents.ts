/**
 * The 目录 of the Word document, written already filled: Word, WPS and LibreOffice do not all update fields when a
 * file opens, so an empty TOC field shows nothing to most readers. The contents are a real TOC field
 * (`TOC \o "1-3" \h \z \u`: headings 1–3, as hyperlinks) whose result we write ourselves — one paragraph per heading
 * of levels 1–3 (parts, sections, tables), in document order, styled 目录 1/2/3 (TOC1–3), each a hyperlink to a
 * bookmark on its heading — so 更新目录 (Word, WPS) or 更新索引 (LibreOffice) rebuilds the same list.
 *
 * No page numbers are written. The Word file is the editable copy: where its pages break depends on the fonts of
 * the reader's machine (宋体 and 黑体, or their substitutes) and on every later edit, so no page number can be known
 * when the file is written, and a wrong one is an error in a published document. The entries link to their
 * headings; updating the field adds Word's own page numbers; the print copy with exact page numbers is the PDF.
 */
import { AlignmentType, BookmarkEnd, BookmarkStart, InternalHyperlink, Paragraph, TextRun, XmlComponent, type ParagraphChild } from "docx";

/** A heading of the document, as the TOC field lists it. */
export interface ContentsEntry {
  readonly title: string;
  /** heading level, 1 = a part */
  readonly level: number;
  /** the bookmark on the heading */
  readonly anchor: string;
}

/** The heading levels the field lists (its `\o` switch). */
export const CONTENTS_LEVELS = 3;
export const CONTENTS_INSTRUCTION = ` TOC \\o "1-${CONTENTS_LEVELS}" \\h \\z \\u `;

/** `w:fldChar`: a complex field's begin, separate or end mark. */
class FieldChar extends XmlComponent {
  constructor(type: "begin" | "separate" | "end") {
    super("w:fldChar");
    this.root.push({ _attr: { "w:fldCharType": type } });
  }
}

/** `w:instrText`: a field's instruction. */
class InstrText extends XmlComponent {
  constructor(text: string) {
    super("w:instrText");
    this.root.push({ _attr: { "xml:space": "preserve" } });
    this.root.push(text);
  }
}

const fieldRun = (...children: XmlComponent[]) => new TextRun({ children });

/** Collects the headings as they are written; each heading's text run is wrapped in its bookmark. */
export class Contents {
  readonly entries: ContentsEntry[] = [];

  /**
   * The runs of a heading `title` of `level`: `run` (the title), inside a bookmark when the TOC lists it. Bookmarks
   * are numbered here: docx's own Bookmark gives every bookmark the id 1.
   */
  heading(title: string, level: number, run: TextRun = new TextRun(title)): ParagraphChild[] {
    if (level > CONTENTS_LEVELS || title.trim() === "") return [run];
    const n = this.entries.length + 1;
    // Word's own names for TOC targets: _Toc + digits (hidden bookmarks, not listed in the bookmark dialog)
    const anchor = `_Toc${String(n).padStart(6, "0")}`;
    this.entries.push({ title, level, anchor });
    return [new BookmarkStart(anchor, n) as unknown as ParagraphChild, run, new BookmarkEnd(n) as unknown as ParagraphChild];
  }

  /** The 目录 page: its title (not a heading: the contents do not list themselves) and the filled TOC field. */
  paragraphs(titleRun: TextRun): Paragraph[] {
    const title = new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 360 }, children: [titleRun] });
    if (this.entries.length === 0) return [title];
    const last = this.entries.length - 1;
    const entries = this.entries.map(
      (e, i) =>
        new Paragraph({
          style: `TOC${e.level}`,
          children: [
            ...(i === 0 ? [fieldRun(new FieldChar("begin")), fieldRun(new InstrText(CONTENTS_INSTRUCTION)), fieldRun(new FieldChar("separate"))] : []),
            new InternalHyperlink({ anchor: e.anchor, children: [new TextRun(e.title)] }),
            ...(i === last ? [fieldRun(new FieldChar("end"))] : []),
          ],
        }),
    );
    return [title, ...entries];
  }
}
