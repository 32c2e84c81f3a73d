import { startSandbox, type Sandbox } from "@x/sandbox";
import { createSfsClient, type SfsClientOptions } from "../src/index.js";

/** Small retry delays so fault-injection tests stay fast. */
export const fastRetry = { retries: 2, minDelayMs: 1, maxDelayMs: 5 };

export async function sfsSandbox(options: { platformTokenTtlSeconds?: number; clientTokenTtlSeconds?: number } = {}): Promise<Sandbox> {
  return startSandbox({ providers: ["sfs"], options: { sfs: options } });
}

/** A platform client on the sandbox with the demo credentials. */
export function demoClient(sandbox: Sandbox, overrides: Partial<SfsClientOptions> = {}) {
  const { apiKey, secret } = sandbox.provider("sfs").demoCredentials as { apiKey: string; secret: string };
  return createSfsClient({ apiKey, secret, baseUrl: sandbox.urls.sfs, retry: fastRetry, ...overrides });
}

export const listTemplates = { body: { data: { action: "list" as const } } };
export const listClients = { body: { data: { action: "list" as const } } };
