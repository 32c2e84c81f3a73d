import {
  HttpError,
  json,
  toEmulatorRequest,
  type Emulator,
  type EmulatorInstance,
  type Faults,
  type ProviderStats,
} from "./emulator.js";
import { emulators } from "./emulators/index.js";
import { startHttpServer, type RunningHttpServer } from "./server.js";

type Registry = typeof emulators;
export type ProviderName = keyof Registry;
type OptionsOf<E> = E extends Emulator<infer O, infer _C> ? O : never;
type ControlOf<E> = E extends Emulator<infer _O, infer C> ? C : never;

export interface SandboxOptions {
  /** Which emulators to start; all registered ones by default. */
  providers?: ProviderName[];
  /** 0 (default) lets the OS pick a free port per emulator; N gives the i-th started emulator port N + i. */
  port?: number;
  /** Interface to listen on; loopback by default so nothing is exposed beyond this machine. */
  host?: string;
  /** Per-provider emulator options, e.g. `{ echo: { tokenTtlSeconds: 1 } }`. */
  options?: { [N in ProviderName]?: OptionsOf<Registry[N]> };
}

export type SandboxStats = Record<string, ProviderStats>;

export interface ProviderHandle<Control = unknown> {
  name: string;
  url: string;
  demoCredentials: Record<string, string>;
  /** Emulator-specific controls (see the emulator's file). */
  control: Control;
  stats(): ProviderStats;
  /** Replaces the current faults; `{}` clears them. Also reachable as `POST /__sandbox/faults`. */
  setFaults(faults: Faults): void;
  /** Clears counters, faults and emulator state (issued tokens). */
  reset(): void;
}

export interface Sandbox {
  /** Base URL per started provider, e.g. `{ echo: "http://127.0.0.1:41234" }`. */
  urls: Record<string, string>;
  stats(): SandboxStats;
  provider<N extends ProviderName>(name: N): ProviderHandle<ControlOf<Registry[N]>>;
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One HTTP server for one emulator; faults and control endpoints are handled here so emulators stay about auth. */
async function serveEmulator(
  emulator: Emulator<unknown, unknown>,
  instance: EmulatorInstance<unknown>,
  host: string,
  port: number,
): Promise<{ server: RunningHttpServer; handle: ProviderHandle }> {
  let faults: Faults = {};
  let baseUrl = "";

  const reset = () => {
    instance.stats.reset();
    instance.reset?.();
    faults = {};
  };

  const server = await startHttpServer(
    (req, body, res) => {
      const request = toEmulatorRequest(req.method ?? "GET", req.url ?? "/", req.headers, body);
      const serve = async () => {
        if (request.path.startsWith("/__sandbox/")) {
          if (request.method === "GET" && request.path === "/__sandbox/stats") {
            return json(res, 200, instance.stats.snapshot());
          }
          if (request.method === "POST" && request.path === "/__sandbox/faults") {
            faults = request.json<Faults>();
            return json(res, 200, faults);
          }
          if (request.method === "POST" && request.path === "/__sandbox/reset") {
            reset();
            return json(res, 200, { reset: true });
          }
          const message = `${request.path} is not a sandbox control endpoint`;
          throw new HttpError(404, { error: "not_found", message });
        }
        instance.stats.countRequest();
        if (faults.latencyMs) await sleep(faults.latencyMs);
        if (faults.dropNext) {
          faults.dropNext--;
          req.socket.destroy();
          return;
        }
        if (faults.failNext && faults.failNext.count > 0) {
          const { status, retryAfter } = faults.failNext;
          faults.failNext.count--;
          const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
          return json(res, status, { error: "sandbox_fault", message: `injected ${status} by the sandbox` }, headers);
        }
        await instance.handle(request, res, { baseUrl });
      };
      serve().catch((err: unknown) => {
        if (res.headersSent) return res.end();
        if (err instanceof HttpError) return json(res, err.status, err.body, err.headers);
        // A bug in an emulator: answer 500 with the reason so the failing test shows it.
        json(res, 500, { error: "emulator_error", message: err instanceof Error ? err.message : String(err) });
      });
    },
    { host, port },
  );
  baseUrl = server.url;

  return {
    server,
    handle: {
      name: emulator.name,
      url: baseUrl,
      demoCredentials: emulator.demoCredentials,
      control: instance.control,
      stats: () => instance.stats.snapshot(),
      setFaults: (next) => {
        // Copied so later decrements never mutate the caller's object.
        faults = { ...next, ...(next.failNext ? { failNext: { ...next.failNext } } : {}) };
      },
      reset,
    },
  };
}

/** Starts one real HTTP server per emulator (all registered by default) on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const registry = emulators as Record<string, Emulator<unknown, unknown>>;
  const names: string[] = options.providers ?? Object.keys(registry);
  const unknown = names.filter((n) => !(n in registry));
  if (unknown.length) {
    const available = Object.keys(registry).join(", ");
    throw new Error(`@x/sandbox: unknown provider(s) ${unknown.join(", ")}; available: ${available}`);
  }
  const host = options.host ?? "127.0.0.1";
  const basePort = options.port ?? 0;
  const perProvider = (options.options ?? {}) as Record<string, unknown>;

  const started: Array<{ server: RunningHttpServer; handle: ProviderHandle }> = [];
  try {
    for (const [i, name] of names.entries()) {
      const emulator = registry[name] as Emulator<unknown, unknown>;
      const port = basePort ? basePort + i : 0;
      started.push(await serveEmulator(emulator, emulator.create(perProvider[name]), host, port));
    }
  } catch (err) {
    await Promise.all(started.map(({ server }) => server.close()));
    throw err;
  }

  const handles = new Map(started.map(({ handle }) => [handle.name, handle]));
  return {
    urls: Object.fromEntries(started.map(({ handle }) => [handle.name, handle.url])),
    stats: () => Object.fromEntries(started.map(({ handle }) => [handle.name, handle.stats()])),
    provider<N extends ProviderName>(name: N) {
      const handle = handles.get(name);
      if (!handle) {
        throw new Error(`@x/sandbox: provider ${name} was not started; started: ${[...handles.keys()].join(", ")}`);
      }
      return handle as ProviderHandle<ControlOf<Registry[N]>>;
    },
    reset: () => started.forEach(({ handle }) => handle.reset()),
    close: () => Promise.all(started.map(({ server }) => server.close())).then(() => undefined),
  };
}
