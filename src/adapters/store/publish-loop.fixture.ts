/**
 * Test fixture (platform-store.db.test.ts): publishes budgets in a loop, each version with many files, until killed.
 * Prints `published <n>` after each publish, so that the test can SIGKILL it in the middle of the next one.
 * Usage: tsx publish-loop.fixture.ts '<StoreConfig as JSON>' <region code>
 */
import { randomBytes } from "node:crypto";
import { openStore, type StoreConfig } from "./open-store.ts";

const FILES = 24;
const FILE_BYTES = 256 * 1024;

const config = JSON.parse(process.argv[2] ?? "") as StoreConfig;
const regionCode = process.argv[3] ?? "";
const store = await openStore(config);
const audit = (action: string, id: number) => ({ userId: null, action, entity: "budget", entityId: String(id), before: null, after: null });
const fields = { sourceName: "budget.yaml", sourceYaml: "x: 1\n", findingsJson: "[]", errorCount: 0, warningCount: 0 };
const at = "2024-03-01T08:00:00.000Z";
for (let n = 1; ; n++) {
  const d = await store.createDepartment({ regionCode, code: `K${process.pid}-${n}`, name: "kill" });
  const b = await store.createBudget(d.id, 2024, fields, at, audit("budget.create", d.id));
  if (!b.ok) throw new Error(b.reason);
  const a = await store.transition(b.value.id, b.value.revision, ["draft"], "approved", {}, at, audit("budget.approve", b.value.id));
  if (!a.ok) throw new Error(a.reason);
  const files = Array.from({ length: FILES }, (_, i) => ({ path: `f${String(i).padStart(2, "0")}.bin`, mediaType: "application/octet-stream", bytes: randomBytes(FILE_BYTES) }));
  const r = await store.publishVersion(
    { budgetId: b.value.id, expectedRevision: a.value.revision, id: randomBytes(32).toString("hex"), reason: null, changeLogJson: null, files },
    at,
    null,
    audit("budget.publish", b.value.id),
  );
  if (!r.ok) throw new Error(r.reason);
  process.stdout.write(`published ${n}\n`);
}
