import { FAST_RETRY, type StartedEmulator } from "@x/testing";
import { createOctoberClient, type OctoberClientOptions } from "../src/index.js";

/** A client on the emulator with its demo credentials and millisecond retries. */
export function sandboxClient(emulator: StartedEmulator<"october">, options: Partial<OctoberClientOptions> = {}) {
  const { userId, sessionToken } = emulator.credentials;
  return createOctoberClient({ userId, sessionToken, baseUrl: emulator.url, retry: FAST_RETRY, ...options });
}
