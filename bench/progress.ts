const started = performance.now();

/** Seconds since the bench started. */
export function benchSeconds(): number {
  return (performance.now() - started) / 1000;
}

/** A progress line on stderr, stamped with the seconds since the bench started (stdout holds the tables). */
export function progress(message: string): void {
  process.stderr.write(`[bench ${benchSeconds().toFixed(1).padStart(6)}s] ${message}\n`);
}
