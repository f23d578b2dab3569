/**
 * The reasons of a draft (`reasons`: why each figure changed against last year, in the department's words) written
 * into its YAML for the editor's 上年数与原因 tab: a reason set, changed or (empty) taken out, through the yaml
 * package's document model, so comments, key order and the rest of the file stay.
 */
import { isMap, parseDocument } from "yaml";

export function writeReasons(yamlText: string, reasons: Readonly<Record<string, string | null>>): string {
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new Error("writeReasons: the draft's YAML does not parse (it was read before)");
  for (const [id, text] of Object.entries(reasons)) {
    if (text === null || text === "") doc.deleteIn(["reasons", id]);
    else doc.setIn(["reasons", id], text);
  }
  const left = doc.get("reasons");
  if (isMap(left) && left.items.length === 0) doc.delete("reasons");
  return doc.toString({ lineWidth: 0 });
}
