/**
 * A problem found in an input file: an expected failure, reported as a value (never thrown).
 * `code` is a key of the message catalog (`input-messages.ts`); `params` fill its `{placeholders}`.
 * Any `error` makes the input unusable (exit 2 per CONVENTIONS.md); a `note` is information.
 */

export type InputSeverity = "error" | "note";

export interface InputProblem {
  code: string;
  severity: InputSeverity;
  /** The file as the user named it. */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based, in characters of the line. */
  column?: number;
  /** Field path as the user reads it: `lines[3].amount`, `prior_year["income.gpb_own"]`. */
  field?: string;
  /** In a workbook: the cell as Excel names it, `明细!F27` (instead of line and column). */
  cell?: string;
  params?: Record<string, string | number>;
}

export type FieldPath = readonly (string | number)[];

export interface ProblemAt {
  line?: number | undefined;
  column?: number | undefined;
  field?: string | undefined;
  cell?: string | undefined;
}

/** Builds a problem, leaving out the location parts that are unknown (exactOptionalPropertyTypes). */
export function inputProblem(
  severity: InputSeverity,
  code: string,
  file: string,
  at: ProblemAt = {},
  params?: Record<string, string | number>,
): InputProblem {
  const p: InputProblem = { code, severity, file };
  if (at.line !== undefined) p.line = at.line;
  if (at.column !== undefined) p.column = at.column;
  if (at.field !== undefined && at.field !== "") p.field = at.field;
  if (at.cell !== undefined && at.cell !== "") p.cell = at.cell;
  if (params !== undefined && Object.keys(params).length > 0) p.params = params;
  return p;
}

export const inputError = (
  code: string,
  file: string,
  at?: ProblemAt,
  params?: Record<string, string | number>,
): InputProblem => inputProblem("error", code, file, at, params);

export const inputNote = (
  code: string,
  file: string,
  at?: ProblemAt,
  params?: Record<string, string | number>,
): InputProblem => inputProblem("note", code, file, at, params);

export function hasInputErrors(problems: readonly InputProblem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** File-level problems (no line) first, then by line, column, field and code: a stable reading order. */
export function compareInputProblems(a: InputProblem, b: InputProblem): number {
  const la = a.line ?? 0;
  const lb = b.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.column ?? 0;
  const cb = b.column ?? 0;
  if (ca !== cb) return ca - cb;
  const fa = a.field ?? "";
  const fb = b.field ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `["lines", 3, "amount"]` → `lines[3].amount`; keys that are not identifiers are quoted: `prior_year["a.b"]`. */
export function formatFieldPath(path: FieldPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The inverse of `formatFieldPath`; `undefined` if the text is not such a path. */
export function parseFieldPath(field: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < field.length) {
    const c = field[i];
    if (c === "[") {
      if (field[i + 1] === '"') {
        // A JSON string: find its closing quote, skipping escapes.
        let j = i + 2;
        while (j < field.length && field[j] !== '"') j += field[j] === "\\" ? 2 : 1;
        if (field[j + 1] !== "]") return undefined;
        try {
          out.push(JSON.parse(field.slice(i + 1, j + 1)) as string);
        } catch {
          return undefined;
        }
        i = j + 2;
      } else {
        const m = /^\[(\d+)\]/.exec(field.slice(i));
        if (!m || m[1] === undefined) return undefined;
        out.push(Number(m[1]));
        i += m[0].length;
      }
    } else {
      if (c === ".") {
        if (out.length === 0) return undefined;
        i += 1;
      } else if (out.length > 0) return undefined;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(field.slice(i));
      if (!m) return undefined;
      out.push(m[0]);
      i += m[0].length;
    }
  }
  return out;
}
