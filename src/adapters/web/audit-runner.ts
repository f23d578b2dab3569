/**
 * The audit of one upload (src/adapters/web/audit-routes.tsx), run in a worker thread so that the web application
 * keeps answering while a document is read and checked, and so that a time limit holds for the whole of it: the
 * reader stops itself at the limit (pdftotext killed, the pdf.js worker ended), and the checks that follow — plain
 * computation, up to seconds for a long text — end with the worker, which is terminated at the limit and replaced.
 *
 * `createAuditPool(n)`: n workers at most, each started on first use (the project runs TypeScript through tsx: the
 * worker is a few lines of JavaScript that load this module with tsx's `tsImport`, whatever loader the parent runs
 * under — tsx for `npm start`, vite for the tests), each taking one job at a time and kept for the next; an idle worker
 * does not keep the process alive. A worker that runs out of its heap is "too large"; one that fails otherwise is the
 * job's error (a 500 of the route, never a stack trace).
 *
 * `auditUpload`, the job itself: the file read with the upload's limits and by its deadline (a text file's pages — its
 * form feeds — count against the same page limit), audited as `gongkai audit` audits one file, named by the upload's name, and wherever
 * a reader's message names the temporary file, the upload's name instead.
 */
import { Worker, type MessagePort } from "node:worker_threads";
import { auditDocument, type AuditPorts } from "../../app/audit/audit-document.ts";
import type { AuditReport } from "../../domain/audit/audit-report.ts";
import type { DocumentText } from "../../domain/audit/document-text.ts";
import { auditData } from "../audit/audit-data.ts";
import { readDocument, unreadableMessage } from "../audit/read-document.ts";

export interface AuditJob {
  /** the uploaded bytes, in a temporary file of their own */
  readonly path: string;
  /** the temporary folder holding it */
  readonly dir: string;
  /** what the report calls the file */
  readonly name: string;
  readonly lang: "zh" | "en";
  readonly maxBytes: number;
  readonly maxPages: number;
  /** when the audit must be done (ms since the epoch): the reader stops itself then; the checks end with the worker */
  readonly deadline: number;
}

export type AuditJobResult =
  | { readonly ok: true; readonly report: AuditReport; readonly text: DocumentText | null }
  /** `timeout`: the job outran its time and was stopped; `memory`: it outgrew the worker's heap */
  | { readonly ok: false; readonly reason: "timeout" | "memory" };

/** Every string of a JSON-like value through `f`. */
export function mapStrings<T>(v: T, f: (s: string) => string): T {
  if (typeof v === "string") return f(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => mapStrings(x, f)) as T;
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)])) as T;
  return v;
}

export async function auditUpload(job: AuditJob): Promise<{ report: AuditReport; text: DocumentText | null }> {
  let text: DocumentText | null = null;
  const ports: AuditPorts = {
    async readDocument(_file, o) {
      const timeoutMs = Math.max(1, job.deadline - Date.now());
      const r = await readDocument(job.path, { ...o, limits: { maxBytes: job.maxBytes, maxPages: job.maxPages, timeoutMs }, maxTextBytes: job.maxBytes });
      if (r.ok && r.text.pages.length > job.maxPages) return { ok: false, reason: "too-large", detail: `${r.text.pages.length} pages, more than the limit of ${job.maxPages}` };
      if (r.ok) text = r.text;
      return r;
    },
    unreadableMessage,
    data: auditData,
  };
  const read = await auditDocument([job.name], { lang: job.lang, reader: "auto" }, ports);
  return { report: mapStrings(read, (s) => s.replaceAll(job.path, job.name).replaceAll(job.dir, ".")), text };
}

// ---------------------------------------------------------------------------------------------------------------------
// The worker's side

type Reply = { readonly ok: true; readonly report: AuditReport; readonly text: DocumentText | null } | { readonly ok: false; readonly message: string };

/** Called in the worker thread: answers each job posted to `port`. */
export function serve(port: MessagePort): void {
  port.on("message", (job: AuditJob) => {
    auditUpload(job).then(
      (r) => port.postMessage({ ok: true, ...r } satisfies Reply),
      (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) } satisfies Reply),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The parent's side

const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import("node:worker_threads");
  const { tsImport } = await import(workerData.tsx);
  const runner = await tsImport(workerData.module, workerData.module);
  runner.serve(parentPort);
  parentPort.postMessage({ ready: true });
})().catch((e) => { throw e; });
`;

/** heap of an audit worker in MiB (the pdf.js reader runs in a worker of its own, with its own limit) */
const WORKER_HEAP_MB = 1024;
/**
 * How long after the deadline a worker is ended: the reader, which stops itself at the deadline, kills pdftotext
 * first (ending the worker would leave pdftotext running); ending the worker is for the checks that follow the read.
 */
const KILL_GRACE_MS = 1000;

export interface AuditPool {
  /** runs the job on an idle worker (the caller keeps to the pool's size); rejects when the audit itself fails */
  run(job: AuditJob): Promise<AuditJobResult>;
  /** ends the workers */
  close(): Promise<void>;
}

export function createAuditPool(size: number): AuditPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();

  function start(): Promise<Worker> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { tsx: import.meta.resolve("tsx/esm/api"), module: import.meta.url },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 64 },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    all.add(worker);
    // an error of an idle worker (it then exits, and leaves the pool) must not be an unhandled 'error' event here
    worker.on("error", () => undefined);
    worker.on("exit", () => {
      all.delete(worker);
      const i = idle.indexOf(worker);
      if (i >= 0) idle.splice(i, 1);
    });
    return new Promise((ready, failed) => {
      const onError = (e: Error) => failed(e);
      worker.once("error", onError);
      worker.once("message", () => {
        worker.off("error", onError);
        ready(worker);
      });
    });
  }

  return {
    async run(job) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((done) => (timer = setTimeout(() => done("timeout"), Math.max(1, job.deadline + KILL_GRACE_MS - Date.now())).unref()));
      try {
        return await runOn(job, timedOut);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.all([...all].map((w) => w.terminate()));
    },
  };

  async function runOn(job: AuditJob, timedOut: Promise<"timeout">): Promise<AuditJobResult> {
    const starting = idle.pop() ?? start();
    const worker = await Promise.race([Promise.resolve(starting), timedOut]);
    if (worker === "timeout") {
      void Promise.resolve(starting).then((w) => w.terminate(), () => undefined);
      return { ok: false, reason: "timeout" };
    }
    worker.ref();
    const answer = new Promise<Reply | { ok: false; fault: "memory" | Error }>((done) => {
      const onMessage = (m: Reply) => finish(m);
      const onError = (e: Error & { code?: string }) => finish({ ok: false, fault: e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : e });
      const onExit = () => finish({ ok: false, fault: new Error("the audit worker stopped") });
      const finish = (r: Reply | { ok: false; fault: "memory" | Error }) => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        done(r);
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(job);
    });
    const r = await Promise.race([answer, timedOut]);
    if (r === "timeout") {
      await worker.terminate();
      return { ok: false, reason: "timeout" };
    }
    if (r.ok) {
      worker.unref();
      if (all.has(worker) && idle.length < size) idle.push(worker);
      else await worker.terminate();
      return r;
    }
    if ("fault" in r) {
      await worker.terminate();
      if (r.fault === "memory") return { ok: false, reason: "memory" };
      throw r.fault;
    }
    // the audit threw: the worker is sound and takes the next job; the route answers 500
    worker.unref();
    if (idle.length < size) idle.push(worker);
    throw new Error(`the audit failed: ${r.message}`);
  }
}
