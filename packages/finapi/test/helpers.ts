import { FAST_RETRY, startEmulator, type EmulatorOptions, type StartedEmulator } from "@x/testing";
import { createFinapiClient, type FinapiClient, type FinapiClientOptions } from "../src/index.js";

export interface FinapiSandbox extends StartedEmulator<"finapi"> {
  /** A client on the emulator with the demo credentials and FAST_RETRY; `overrides` win. */
  client(overrides?: Partial<FinapiClientOptions>): FinapiClient;
}

/** The finAPI emulator (Access, Web Form 2.0 and the Process Controller on one server) and a client factory for it. */
export async function startFinapi(options?: EmulatorOptions<"finapi">): Promise<FinapiSandbox> {
  const emulator = await startEmulator("finapi", options);
  const { clientId, clientSecret } = emulator.credentials;
  return {
    ...emulator,
    client: (overrides = {}) =>
      createFinapiClient({
        clientId,
        clientSecret,
        accessUrl: emulator.url,
        processControllerUrl: emulator.url,
        webFormUrl: emulator.url,
        retry: FAST_RETRY,
        ...overrides,
      }),
  };
}
