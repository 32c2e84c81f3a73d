/** A mistake in the command line or the environment: one line on stderr and exit code 2, as CLI conventions have it. */
export class UsageError extends Error {}

/** The value of an environment variable the command needs, or a `UsageError` naming it. */
export function requireEnv(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name];
  if (value === undefined || value === "") throw new UsageError(`${name} is not set; ${hint}`);
  return value;
}

/** Writes one line to stderr, prefixed like every message of the command. */
export const note = (message: string): void => void process.stderr.write(`x: ${message}\n`);

/**
 * For operations that may take long: on a terminal, says every few seconds that it is still going (`detail` tells
 * how far, when known); silent when stderr is a file or a pipe, so scripts read clean output. Returns the stopper.
 */
export function progress(label: string, detail: () => string = () => ""): () => void {
  if (!process.stderr.isTTY) return () => {};
  const started = Date.now();
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`\rx: ${label}… ${detail() || `${seconds} s`}   `);
  }, 1000);
  return () => {
    clearInterval(timer);
    if (Date.now() - started >= 1000) process.stderr.write("\r\x1b[K");
  };
}
