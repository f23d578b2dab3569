/**
 * The `gongkai` command line. Parses arguments per the command registry, wires the adapters into the app's
 * ports, prints in Chinese (or English with --lang en), or JSON with --json. Never shows a stack trace: an
 * unexpected failure prints one line and exits 70.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { COMMANDS, COMMON_OPTIONS, runBuild, runImport, runWorkbook, type AppPorts, type CommandOption, type CommandSpec, type Lang, type Locator } from "../../app/command-registry.ts";
import { budgetJsonSchema } from "../../domain/budget-schema.ts";
import { formatInputProblem } from "../../domain/input-messages.ts";
import type { InputProblem } from "../../domain/input-problem.ts";
import type { Finding } from "../../domain/rule-engine.ts";
import { projectData, DATA_DIR } from "../ingest/project-data.ts";
import { readBudgetInput } from "../ingest/budget-input.ts";
import { readCrosswalkFile, readLastYearInput } from "../ingest/last-year-reader.ts";
import { importWorkbook } from "../ingest/xlsx-import.ts";
import { OUTPUT_FORMATS, renderBuild } from "../render/build-outputs.ts";
import { writeFilesAtomic } from "./atomic-write.ts";
import { checkOutputFile, checkOutputFolder, formatOutputProblem, OutputLockedError, replaceFolder, type OutputProblem } from "./output-folder.ts";
import { createProgress } from "./progress-bar.ts";
import { CLI_TEXT, FORMAT_TEXT, t } from "./cli-messages.ts";
import { helpColumns, helpWidth, wrapDisplay } from "./help-columns.ts";

const ports: AppPorts = {
  data: projectData,
  readBudget: readBudgetInput,
  writeFiles: writeFilesAtomic,
  replaceFolder,
  renderBuild,
  formats: [...OUTPUT_FORMATS.keys()],
  progress: createProgress,
  // exceljs loads only for `gongkai workbook` (a quarter of a second of every other command's start-up)
  renderWorkbook: async (content) => (await import("../render/input-workbook-writer.ts")).renderInputWorkbook(content),
  importWorkbook,
  readLastYear: readLastYearInput,
  readCrosswalk: readCrosswalkFile,
};

/** Texts of the workbook commands (`workbook`, `import`). */
const WORKBOOK_TEXT = {
  out_required: { zh: "请用 --out 指定要写出的文件", en: "name the file to write with --out" },
  workbook_written: {
    zh: "已生成填报工作簿 {file}\n填好后运行：gongkai check {file}",
    en: "wrote the input workbook {file}\nonce filled in, run: gongkai check {file}",
  },
  imported: { zh: "已导入 {file}，写出 {out}", en: "imported {file} into {out}" },
} as const satisfies Record<string, Record<Lang, string>>;

/** `--help`: columns aligned by display width (a Chinese character takes two terminal columns), text wrapped to the terminal. */
function usage(lang: Lang, spec?: CommandSpec): string {
  const width = helpWidth();
  const optionRow = (o: CommandOption): [string, string] => [`--${o.name}${o.value ? ` ${o.value}` : ""}`, o.help[lang]];
  const paragraph = (text: string) => wrapDisplay(text, width).join("\n");
  if (!spec) {
    return [
      t("usage_title", lang),
      "",
      `${t("usage", lang)}: gongkai <${t("command", lang)}> [${t("options", lang)}]`,
      "",
      `${t("commands", lang)}:`,
      ...helpColumns(
        COMMANDS.map((c) => [`${c.name} ${c.args.join(" ")}`.trimEnd(), c.summary[lang]]),
        { width },
      ),
      "",
      `${t("common_options", lang)}:`,
      ...helpColumns(COMMON_OPTIONS.map(optionRow), { width }),
      "",
      t("usage_more", lang),
    ].join("\n");
  }
  // build lists what --format takes, each format with what it writes
  const formats =
    spec.options.some((o) => o.name === "format")
      ? ["", `${t("output_formats", lang)}:`, ...helpColumns(ports.formats.map((f) => [f, FORMAT_TEXT[f]?.[lang] ?? f]), { width })]
      : [];
  return [
    `gongkai ${spec.name} ${spec.args.join(" ")}`.trimEnd(),
    "",
    paragraph(spec.summary[lang]),
    ...(spec.notes ?? []).flatMap((n) => ["", paragraph(n[lang])]),
    "",
    `${t("options", lang)}:`,
    ...helpColumns([...spec.options, ...COMMON_OPTIONS].map(optionRow), { width }),
    ...formats,
    ...(spec.name === "build" || spec.name === "check" ? ["", paragraph(t("exit_codes", lang))] : []),
  ].join("\n");
}

function placeOf(field: string, file: string, locate: Locator): string {
  const at = locate(field);
  if (!at) return `${file} ${field}`;
  return "cell" in at ? `${file}:${at.cell} ${field}` : `${file}:${at.line}:${at.column} ${field}`;
}

function locationOf(f: Finding, file: string, locate: Locator): string {
  if (f.field) return placeOf(f.field, file, locate);
  return f.cells
    .slice(0, 3)
    .map((c) => `${c.table}[${c.row}].${c.column}`)
    .join(" ")
    .concat(f.cells.length > 3 ? " …" : "");
}

function printFindings(findings: readonly Finding[], file: string, locate: Locator, lang: Lang): string[] {
  const lines: string[] = [];
  for (const sev of ["error", "warning", "note"] as const) {
    const list = findings.filter((f) => f.severity === sev);
    lines.push(lang === "zh" ? `${t(`severity_${sev}`, lang)}（${list.length}）` : `${t(`severity_${sev}`, lang)} (${list.length})`);
    for (const f of list) {
      lines.push(`  ${f.code}  ${locationOf(f, file, locate)}`);
      lines.push(`    ${f.message[lang]}`);
      // the other side of a contradiction: each place it rests on
      for (const r of f.related ?? []) lines.push(`    ${t("see_also", lang)}${placeOf(r, file, locate)}`);
    }
  }
  return lines;
}

/** An output path that cannot be used: exit 2, nothing written. */
function outputRefused(p: OutputProblem, lang: Lang, json: boolean): number {
  const message = formatOutputProblem(p, lang);
  if (json) console.log(JSON.stringify({ ok: false, exitCode: 2, problems: [{ code: p.code, severity: "error", file: p.path, field: p.option, message }] }, null, 2));
  else console.error(`${t("input_unusable", lang)}\n  ${message}`);
  return 2;
}

function printProblems(problems: readonly InputProblem[], lang: Lang): string {
  return [t("input_unusable", lang), ...problems.map((p) => `  ${formatInputProblem(p, lang)}`)].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const langArg = argv.includes("--lang") ? argv[argv.indexOf("--lang") + 1] : undefined;
  const lang: Lang = langArg === "en" ? "en" : "zh";
  const spec = COMMANDS.find((c) => c.name === name);
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage(lang));
    return 0;
  }
  if (!spec) {
    console.error(`${t("unknown_command", lang)}: ${name}\n\n${usage(lang)}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries([...spec.options, ...COMMON_OPTIONS].map((o) => [o.name, { type: o.type }])),
    });
  } catch (e) {
    console.error(`${t("bad_arguments", lang)}: ${(e as Error).message}\n\n${usage(lang, spec)}`);
    return 2;
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v["help"]) {
    console.log(usage(lang, spec));
    return 0;
  }
  if (v["lang"] !== undefined && v["lang"] !== "zh" && v["lang"] !== "en") {
    console.error(`${t("bad_arguments", lang)}: --lang zh|en`);
    return 2;
  }
  const json = v["json"] === true;
  const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined);
  const positionals = parsed.positionals;
  // an argument written `<…|…>` ending in `…>` takes one or more values (audit's files)
  const variadic = spec.args.at(-1)?.endsWith("…>") === true;
  if (variadic ? positionals.length < spec.args.length : positionals.length !== spec.args.length) {
    console.error(`${t("bad_arguments", lang)}\n\n${usage(lang, spec)}`);
    return 2;
  }

  switch (spec.name) {
    case "build":
    case "check": {
      const write = spec.name === "build";
      const outArg = str("out") ?? "out";
      if (write) {
        const bad = await checkOutputFolder(outArg, "--out", [positionals[0]!, ...[str("template"), str("prior"), str("crosswalk")].filter((x) => x !== undefined)]);
        if (bad) return outputRefused(bad, lang, json);
      }
      const out = resolve(outArg);
      const formats = str("format")
        ?.split(",")
        .map((f) => f.trim())
        .filter((f) => f);
      const unknown = formats?.filter((f) => !ports.formats.includes(f)) ?? [];
      if (unknown.length) {
        console.error(`${t("bad_arguments", lang)}: --format ${unknown.join(",")}（${ports.formats.join(", ")}）`);
        return 2;
      }
      let r: Awaited<ReturnType<typeof runBuild>>;
      try {
        r = await runBuild(ports, positionals[0]!, { unit: str("unit"), templateFile: str("template"), catalogDir: str("catalog"), prior: str("prior"), crosswalk: str("crosswalk"), out, write, formats });
      } catch (e) {
        if (e instanceof OutputLockedError) return outputRefused(e.problem, lang, json);
        throw e;
      }
      if (r.kind === "input") {
        if (json) console.log(JSON.stringify({ ok: false, exitCode: 2, problems: r.problems.map((p) => ({ ...p, message: formatInputProblem(p, lang) })) }, null, 2));
        else console.error(printProblems(r.problems, lang));
        return 2;
      }
      const counts = { error: 0, warning: 0, note: 0 };
      for (const f of r.findings) counts[f.severity]++;
      if (json) {
        console.log(
          JSON.stringify(
            {
              ok: r.exitCode === 0,
              exitCode: r.exitCode,
              file: r.file,
              scope: r.result.disclosure.scope,
              summary: counts,
              findings: r.findings.map((f) => ({ ...f, location: f.field ? r.locate(f.field) : null, related: (f.related ?? []).map((field) => ({ field, location: r.locate(field) })) })),
              notes: r.notes.map((p) => ({ ...p, message: formatInputProblem(p, lang) })),
              ...(write ? { out, files: r.written } : {}),
            },
            null,
            2,
          ),
        );
        return r.exitCode;
      }
      for (const n of r.notes) console.log(formatInputProblem(n, lang));
      const lines = printFindings(r.findings, r.file, r.locate, lang);
      if (write) {
        console.log(t("built", lang).replace("{out}", out).replace("{n}", String(r.written.length)));
        const entries = [...new Set(r.written.map((f) => (f.includes("/") ? `${f.slice(0, f.indexOf("/"))}/` : f)))];
        console.log(`  ${entries.join("  ")}`);
        if (r.written.includes("index.html")) console.log(`  ${t("open_page", lang)}${join(out, "index.html")}`);
        if (r.result.disclosure.constructed) console.log(`  ${t("constructed", lang)}${r.result.disclosure.constructed}`);
        console.log(t("findings_summary", lang).replace("{e}", String(counts.error)).replace("{w}", String(counts.warning)).replace("{n}", String(counts.note)));
        if (r.findings.length) console.log(t("see_check", lang));
      } else console.log(lines.join("\n"));
      return r.exitCode;
    }
    case "new": {
      const dir = resolve(positionals[0]!);
      const file = join(dir, "budget.yaml");
      if (existsSync(file) && v["force"] !== true) {
        console.error(t("exists", lang).replace("{file}", file));
        return 2;
      }
      if (existsSync(dir) && !statSync(dir).isDirectory()) {
        console.error(t("not_a_dir", lang).replace("{dir}", dir));
        return 2;
      }
      const bad = await checkOutputFile(file, "gongkai new", []);
      if (bad) return outputRefused(bad, lang, json);
      const { readFileSync } = await import("node:fs");
      await writeFilesAtomic(dir, [{ path: "budget.yaml", content: readFileSync(join(DATA_DIR, "scaffold", "budget.yaml"), "utf8") }]);
      if (json) console.log(JSON.stringify({ ok: true, file }, null, 2));
      else console.log(t("scaffolded", lang).replaceAll("{file}", file));
      return 0;
    }
    case "workbook":
    case "import": {
      const outArg = str("out");
      if (outArg === undefined) {
        console.error(`${t("bad_arguments", lang)}: ${WORKBOOK_TEXT.out_required[lang]}\n\n${usage(lang, spec)}`);
        return 2;
      }
      let out = resolve(outArg);
      if (outArg !== "" && spec.name === "import" && existsSync(out) && statSync(out).isDirectory()) out = join(out, "budget.yaml");
      const bad = await checkOutputFile(outArg === "" ? "" : out, "--out", [...positionals, ...[str("from"), str("prior"), str("crosswalk")].filter((x) => x !== undefined)]);
      if (bad) return outputRefused(bad, lang, json);
      if (existsSync(out) && v["force"] !== true) {
        console.error(t("exists", lang).replace("{file}", out));
        return 2;
      }
      const problemsJson = (problems: readonly InputProblem[]) => JSON.stringify({ ok: false, exitCode: 2, problems: problems.map((p) => ({ ...p, message: formatInputProblem(p, lang) })) }, null, 2);
      if (spec.name === "workbook") {
        const r = await runWorkbook(ports, { out, from: str("from"), prior: str("prior"), crosswalk: str("crosswalk") });
        if (r.kind === "input") {
          if (json) console.log(problemsJson(r.problems));
          else console.error(printProblems(r.problems, lang));
          return 2;
        }
        if (json) console.log(JSON.stringify({ ok: true, exitCode: 0, file: r.file }, null, 2));
        else console.log(WORKBOOK_TEXT.workbook_written[lang].replaceAll("{file}", r.file));
        return 0;
      }
      const r = await runImport(ports, positionals[0]!, { out, catalogDir: str("catalog") });
      if (r.kind === "input") {
        if (json) console.log(problemsJson(r.problems));
        else console.error(printProblems(r.problems, lang));
        return 2;
      }
      const counts = { error: 0, warning: 0, note: 0 };
      for (const f of r.findings) counts[f.severity]++;
      if (json) {
        console.log(
          JSON.stringify(
            {
              ok: r.exitCode === 0,
              exitCode: r.exitCode,
              file: r.file,
              out: r.out,
              summary: counts,
              findings: r.findings.map((f) => ({ ...f, location: f.field ? r.locate(f.field) : null, related: (f.related ?? []).map((field) => ({ field, location: r.locate(field) })) })),
              notes: r.notes.map((p) => ({ ...p, message: formatInputProblem(p, lang) })),
            },
            null,
            2,
          ),
        );
        return r.exitCode;
      }
      for (const n of r.notes) console.log(formatInputProblem(n, lang));
      console.log(printFindings(r.findings, r.file, r.locate, lang).join("\n"));
      console.log(WORKBOOK_TEXT.imported[lang].replace("{file}", r.file).replace("{out}", r.out));
      return r.exitCode;
    }
    case "user":
    case "backup":
    case "restore": {
      // the store's drivers (SQLite, PostgreSQL, argon2) load only for these commands
      const { runBackup, runRestore, runUserAdd } = await import("./platform-commands.ts");
      const io = { lang, json, env: process.env };
      if (spec.name === "user") return runUserAdd(io, positionals[0]!, positionals[1]!, { role: str("role"), name: str("name"), region: str("region"), department: str("department") });
      return (spec.name === "backup" ? runBackup : runRestore)(io, positionals[0]!, v["force"] === true);
    }
    case "audit": {
      // the readers (pdf.js, poppler) load only for this command
      const { runAuditCommand } = await import("./audit-command.ts");
      return runAuditCommand({ lang, json }, positionals, { html: str("html"), reader: str("reader") });
    }
    case "schema": {
      const text = JSON.stringify(budgetJsonSchema(), null, 2) + "\n";
      const outFile = str("out");
      if (outFile !== undefined) {
        const bad = await checkOutputFile(outFile, "--out", []);
        if (bad) return outputRefused(bad, lang, json);
        await writeFilesAtomic(dirname(resolve(outFile)), [{ path: basename(resolve(outFile)), content: text }]);
        if (!json) console.error(t("schema_written", lang).replace("{file}", resolve(outFile)));
      } else process.stdout.write(text);
      return 0;
    }
  }
  return 2;
}

export { CLI_TEXT };

// A reader that stops early (`gongkai … | head`) closes the pipe: that ends the output, it is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // A bug, not bad input: one line for the user, the detail only when asked for.
    console.error(`gongkai: 内部错误 / internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env["GONGKAI_DEBUG"]) console.error(e);
    process.exitCode = 70;
  },
);
