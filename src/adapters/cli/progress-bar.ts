/**
 * A progress bar on standard error for work that takes over a second: silent for the first second (so quick
 * commands stay quiet), drawn only on a terminal, and never mixed into --json output on standard output.
 */
const DELAY_MS = 1000;

export function createProgress(label: string): { tick(done: number, total: number): void; done(): void } {
  const start = Date.now();
  const tty = process.stderr.isTTY === true;
  let drawn = false;
  let last = 0;
  return {
    tick(done, total) {
      const now = Date.now();
      if (!tty || now - start < DELAY_MS || now - last < 100) return;
      last = now;
      const width = 30;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
      process.stderr.write(`\r${label} ${bar} ${done}/${total}`);
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write("\n");
    },
  };
}
