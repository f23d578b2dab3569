import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // set-up hooks build several disclosures (every format) while another file runs beside them
    hookTimeout: 180_000,
    pool: "forks",
    // one test file per core. Vitest's default leaves a core to its own process (one worker on a 2-core machine),
    // but most of the long files here wait on the processes they start (builds, servers, Chromium, LibreOffice)
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
