import { startSandbox } from "@x/sandbox";
import type { Emulator, ProviderHandle, ProviderName, Sandbox, SandboxOptions, emulators } from "@x/sandbox";

type Registry = typeof emulators;

/**
 * The options of one provider's emulator (token lifetimes, page sizes, ...), as its file in @x/sandbox declares
 * them.
 */
export type EmulatorOptions<N extends ProviderName> =
  Registry[N] extends Emulator<infer O, infer _C, infer _K> ? O : never;
/** The emulator's `control` (expire tokens, fail uploads, ...). */
export type EmulatorControl<N extends ProviderName> =
  Registry[N] extends Emulator<infer _O, infer C, infer _K> ? C : never;
/** The credentials the emulator accepts out of the box, typed per provider (no `as string` needed). */
export type EmulatorCredentials<N extends ProviderName> = Registry[N]["demoCredentials"];

export interface StartedEmulator<N extends ProviderName> {
  /** The sandbox running only this emulator, for helpers that take a `Sandbox`. */
  sandbox: Sandbox;
  /** `sandbox.provider(name)`: `control`, `stats()`, `setFaults()`, `reset()`. */
  handle: ProviderHandle<EmulatorControl<N>>;
  /** The emulator's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  credentials: EmulatorCredentials<N>;
  /** Stops the emulator's server (open keep-alive connections included). */
  close(): Promise<void>;
}

/**
 * Starts one provider's emulator on a free loopback port, for one test file or one test.
 *
 * @example
 * let october: StartedEmulator<"october">;
 * beforeAll(async () => (october = await startEmulator("october", { reportDelayMs: 40 })));
 * afterAll(() => october.close());
 * const client = createOctoberClient({ ...october.credentials, baseUrl: october.url, retry: FAST_RETRY });
 */
export async function startEmulator<N extends ProviderName>(
  name: N,
  options?: EmulatorOptions<N>,
): Promise<StartedEmulator<N>> {
  const sandbox = await startSandbox({ providers: [name], options: { [name]: options } as SandboxOptions["options"] });
  const handle = sandbox.provider(name) as ProviderHandle<EmulatorControl<N>>;
  return {
    sandbox,
    handle,
    url: handle.url,
    credentials: handle.demoCredentials as EmulatorCredentials<N>,
    close: () => sandbox.close(),
  };
}
