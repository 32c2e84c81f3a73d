import { startSandbox, type Sandbox } from "@x/sandbox";
import { createOctoberClient, type OctoberClientOptions } from "../src/index.js";

/** One October emulator per test file, with reports fast enough for tests. */
export async function startOctober(reportDelayMs = 40): Promise<Sandbox> {
  return startSandbox({ providers: ["october"], options: { october: { reportDelayMs } } });
}

/** A client on the emulator with its demo credentials and millisecond retries. */
export function sandboxClient(sandbox: Sandbox, options: Partial<OctoberClientOptions> = {}) {
  const handle = sandbox.provider("october");
  return createOctoberClient({
    userId: handle.demoCredentials.userId as string,
    sessionToken: handle.demoCredentials.sessionToken as string,
    baseUrl: handle.url,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

/** Collects everything an SDK reports, to search it for secrets. */
export function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (message: string, data?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
  return { lines, logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") } };
}
