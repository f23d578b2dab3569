/** Test PDFs written on the spot with pdfkit (through pdfmake's dependency), for the auditor's reader and upload tests. */
import PDFDocument from "pdfkit";

export function pdfBytes(draw: (d: PDFKit.PDFDocument) => void, opts: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((done, failed) => {
    const d = new PDFDocument({ size: "A4", ...opts });
    const chunks: Buffer[] = [];
    d.on("data", (c: Buffer) => chunks.push(c));
    d.on("end", () => done(Buffer.concat(chunks)));
    d.on("error", failed);
    draw(d);
    d.end();
  });
}
