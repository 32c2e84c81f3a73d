import { startSandbox, type Sandbox, type SandboxOptions } from "@x/sandbox";
import type { SdkEvent } from "@x/core";
import { createFinapiClient, type FinapiClientOptions } from "../src/index.js";

/** The finAPI emulator's options (token lifetimes, data size), as `startSandbox` takes them. */
type FinapiOptions = NonNullable<NonNullable<SandboxOptions["options"]>["finapi"]>;

export interface FinapiSandbox {
  sandbox: Sandbox;
  url: string;
  credentials: { clientId: string; clientSecret: string; userId: string; userPassword: string };
  /** A client on the emulator with the demo credentials; `overrides` win. */
  client(overrides?: Partial<FinapiClientOptions>): ReturnType<typeof createFinapiClient>;
  handle(): ReturnType<Sandbox["provider"]>;
}

export async function startFinapi(options: FinapiOptions = {}): Promise<FinapiSandbox> {
  const sandbox = await startSandbox({ providers: ["finapi"], options: { finapi: options } });
  const handle = () => sandbox.provider("finapi");
  const url = handle().url;
  const credentials = handle().demoCredentials as FinapiSandbox["credentials"];
  return {
    sandbox,
    url,
    credentials,
    handle,
    client: (overrides = {}) =>
      createFinapiClient({
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        accessUrl: url,
        processControllerUrl: url,
        retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
        ...overrides,
      }),
  };
}

/** Collects everything a client reports (events and log lines) as text, to search for secrets. */
export function recorder() {
  const lines: string[] = [];
  const events: SdkEvent[] = [];
  const log = (level: string) => (message: string, data?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
  return {
    lines,
    events,
    options: {
      logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
      onEvent: (event: SdkEvent) => {
        events.push(event);
        lines.push(JSON.stringify(event));
      },
    },
  };
}
