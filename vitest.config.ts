import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The files that take minutes, longest first. Vitest runs the files it has timed before longest first, but a fresh
 * clone (CI) has no timings and starts the largest files first; these would then start last and run on alone at the
 * end. Started first, they run beside everything else.
 */
const LONG_FIRST = [
  "test/web/publish-sigkill.pg.test.ts",
  "test/web/publish-sigkill.sqlite.test.ts",
  "test/workbook-hostile.test.ts",
  "test/hostile/output-folder.test.ts",
  "test/web/platform.e2e.test.ts",
  "test/cli-platform.test.ts",
  "test/audit/roundtrip.test.ts",
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONG_FIRST.indexOf(relative(f.project.config.root, f.moduleId).split("\\").join("/"));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    // set-up hooks build several disclosures (every format) while another file runs beside them
    hookTimeout: 180_000,
    pool: "forks",
    // the test files share their worker processes (no new process, no second import of the renderers, per file): no
    // test changes the process (env, cwd, module mocks), and what modules keep (caches) is keyed by content
    isolate: false,
    // one test file per core. Vitest's default leaves a core to its own process (one worker on a 2-core machine),
    // but most of the long files here wait on the processes they start (builds, servers, Chromium, LibreOffice)
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongFirstSequencer },
  },
});
