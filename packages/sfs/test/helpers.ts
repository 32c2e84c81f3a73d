import { FAST_RETRY, type StartedEmulator } from "@x/testing";
import { createSfsClient, type SfsClientOptions } from "../src/index.js";

/** A platform client on the emulator with the demo credentials and millisecond retries. */
export function demoClient(emulator: StartedEmulator<"sfs">, overrides: Partial<SfsClientOptions> = {}) {
  const { apiKey, secret } = emulator.credentials;
  return createSfsClient({ apiKey, secret, baseUrl: emulator.url, retry: FAST_RETRY, ...overrides });
}

export const listTemplates = { body: { data: { action: "list" as const } } };
export const listClients = { body: { data: { action: "list" as const } } };
