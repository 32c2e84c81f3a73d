import {
  HttpError,
  json,
  toEmulatorRequest,
  type Emulator,
  type EmulatorInstance,
  type Faults,
  type ProviderStats,
} from "./emulator.js";
import type { ServerResponse } from "node:http";
import { startDashboard } from "./dashboard.js";
import { emulators } from "./emulators/index.js";
import { credentialOf, isRevocation, issuedTokenOf, reasonOf } from "./inspect.js";
import { createJournal, type Journal, type RequestRecord, type TokenRecord } from "./journal.js";
import { startHttpServer, type RunningHttpServer } from "./server.js";

type Registry = typeof emulators;
export type ProviderName = keyof Registry;
type OptionsOf<E> = E extends Emulator<infer O, infer _C> ? O : never;
type ControlOf<E> = E extends Emulator<infer _O, infer C> ? C : never;
/** The demo credentials an emulator declares, key by key (e.g. saltedge's `privateKey`). */
export type DemoCredentialsOf<N extends ProviderName> =
  Registry[N] extends Emulator<infer _O, infer _C, infer K> ? K : never;

export interface SandboxOptions<P extends ProviderName = ProviderName> {
  /** Which emulators to start; all registered ones by default. */
  providers?: readonly P[];
  /** 0 (default) lets the OS pick a free port per emulator; N gives the i-th started emulator port N + i. */
  port?: number;
  /** A fixed port per provider (wins over `port`), so an app's `.env` stays valid between runs. */
  ports?: { [N in P]?: number };
  /** Interface to listen on; loopback by default so nothing is exposed beyond this machine. */
  host?: string;
  /** Per-provider emulator options, e.g. `{ echo: { tokenTtlSeconds: 1 } }`. */
  options?: { [N in P]?: OptionsOf<Registry[N]> };
  /**
   * Serve the live dashboard page (requests, refusal reasons, tokens, faults, callbacks) on its own port, always
   * on 127.0.0.1. `true` picks a free port. Off by default: tests rarely need it, `x-sandbox` turns it on.
   */
  dashboard?: boolean | { port?: number };
}

export type SandboxStats = Record<string, ProviderStats>;

export interface ProviderHandle<
  Control = unknown,
  Credentials extends Record<string, string> = Record<string, string>,
> {
  name: string;
  url: string;
  demoCredentials: Credentials;
  /** Emulator-specific controls (see the emulator's file). */
  control: Control;
  stats(): ProviderStats;
  /** The faults in force (a copy). */
  faults(): Faults;
  /** Replaces the current faults; `{}` clears them. Also reachable as `POST /__sandbox/faults`. */
  setFaults(faults: Faults): void;
  /** Clears counters, faults and emulator state (issued tokens). */
  reset(): void;
}

/**
 * Per started provider: every key of `P` when the providers were named (`startSandbox({ providers: ["finapi"] })`),
 * optional keys in the wide `Sandbox` type, so a `Sandbox<"finapi">` can be stored in a `let sandbox: Sandbox`.
 */
type PerProvider<P extends ProviderName, T extends { [N in ProviderName]: unknown }> = ProviderName extends P
  ? { [N in ProviderName]?: T[N] }
  : { [N in P]: T[N] };

export interface Sandbox<P extends ProviderName = ProviderName> {
  /** Base URL per started provider, e.g. `{ echo: "http://127.0.0.1:41234" }`. */
  urls: PerProvider<P, Record<ProviderName, string>>;
  /** Demo credentials per started provider, typed per provider (saltedge's `privateKey` is a PEM string). */
  demoCredentials: PerProvider<P, { [N in ProviderName]: DemoCredentialsOf<N> }>;
  /** The dashboard page's URL, when started with `dashboard`. */
  dashboardUrl?: string;
  stats(): SandboxStats;
  /** The last requests served, oldest first, with status, latency, credential id and refusal reason. */
  requests(): RequestRecord[];
  /** Tokens issued, refreshed, revoked and expired, oldest first (fingerprints, never values). */
  tokens(): TokenRecord[];
  provider<N extends P>(name: N): ProviderHandle<ControlOf<Registry[N]>, DemoCredentialsOf<N>>;
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Up to 64 KiB of a reply's body, kept as it is written: enough to read an error's reason or a token's expiry. */
function captureBody(res: ServerResponse): () => Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown) => {
    if (size > 65_536 || chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buffer = Buffer.from(chunk as string | Uint8Array);
    chunks.push(buffer);
    size += buffer.length;
  };
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
  }) as typeof res.end;
  return () => Buffer.concat(chunks);
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return body.toString("utf8").slice(0, 300);
  }
}

/** One HTTP server for one emulator; faults and control endpoints are handled here so emulators stay about auth. */
async function serveEmulator(
  emulator: Emulator<unknown, unknown>,
  instance: EmulatorInstance<unknown>,
  journal: Journal,
  host: string,
  port: number,
): Promise<{ server: RunningHttpServer; handle: ProviderHandle }> {
  let faults: Faults = {};
  let baseUrl = "";
  const provider = emulator.name;

  // A copy: the journal and callers must not see later decrements, nor change the faults in force.
  const faultsView = (): Faults => JSON.parse(JSON.stringify(faults)) as Faults;
  const setFaults = (next: Faults) => {
    // Copied so later decrements never mutate the caller's object.
    faults = { ...next, ...(next.failNext ? { failNext: { ...next.failNext } } : {}) };
    journal.record({ type: "faults", provider, faults: faultsView() });
  };
  const reset = () => {
    instance.stats.reset();
    instance.reset?.();
    faults = {};
    journal.record({ type: "reset", provider });
    journal.record({ type: "faults", provider, faults: {} });
  };

  const server = await startHttpServer(
    (req, body, res) => {
      const request = toEmulatorRequest(req.method ?? "GET", req.url ?? "/", req.headers, body);
      const started = performance.now();
      const received = new Date().toISOString();
      let reason: string | undefined;
      let fault: RequestRecord["fault"];
      const record = (status: number, replyBody: unknown) => {
        const credential = credentialOf(request);
        const entry: RequestRecord = {
          id: 0,
          at: received,
          provider,
          method: request.method,
          path: request.path,
          ...(request.route ? { route: request.route } : {}),
          status,
          latencyMs: Math.round(performance.now() - started),
          ...(credential ? { credential } : {}),
          ...(status >= 400 || status === 0 ? { reason: reason ?? reasonOf(replyBody) ?? `HTTP ${status}` } : {}),
          ...(fault ? { fault } : {}),
        };
        journal.record({ type: "request", request: entry });
        if (status < 200 || status >= 300) return;
        const issued = issuedTokenOf(request, replyBody);
        const at = new Date().toISOString();
        if (issued)
          journal.record({ type: "token", token: { at, provider, ...issued, ...(credential ? { credential } : {}) } });
        else if (isRevocation(request)) {
          journal.record({
            type: "token",
            token: { at, provider, event: "revoked", token: credential ?? "(unknown)" },
          });
        }
      };

      const serve = async () => {
        if (request.path.startsWith("/__sandbox/")) {
          if (request.method === "GET" && request.path === "/__sandbox/stats") {
            return json(res, 200, instance.stats.snapshot());
          }
          if (request.method === "POST" && request.path === "/__sandbox/faults") {
            setFaults(request.json<Faults>());
            return json(res, 200, faults);
          }
          if (request.method === "POST" && request.path === "/__sandbox/reset") {
            reset();
            return json(res, 200, { reset: true });
          }
          const message = `${request.path} is not a sandbox control endpoint`;
          throw new HttpError(404, { error: "not_found", message });
        }
        const reply = captureBody(res);
        res.once("finish", () => record(res.statusCode, parseBody(reply())));
        instance.stats.countRequest();
        if (faults.latencyMs) await sleep(faults.latencyMs);
        if (faults.dropNext) {
          faults.dropNext--;
          journal.record({ type: "faults", provider, faults: faultsView() });
          fault = "drop";
          reason = "connection dropped by an injected fault (dropNext)";
          req.socket.destroy();
          record(0, undefined);
          return;
        }
        if (faults.failNext && faults.failNext.count > 0) {
          const { status, retryAfter } = faults.failNext;
          faults.failNext.count--;
          journal.record({ type: "faults", provider, faults: faultsView() });
          fault = "fail";
          const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
          const retry = retryAfter === undefined ? "" : `, Retry-After ${retryAfter}`;
          reason = `injected ${status} by the sandbox (failNext${retry})`;
          return json(res, status, { error: "sandbox_fault", message: `injected ${status} by the sandbox` }, headers);
        }
        await instance.handle(request, res, { baseUrl });
      };
      serve().catch((err: unknown) => {
        if (res.headersSent) return res.end();
        if (err instanceof HttpError) {
          reason = err.reason;
          return json(res, err.status, err.body, err.headers);
        }
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
      name: provider,
      url: baseUrl,
      demoCredentials: emulator.demoCredentials,
      control: instance.control,
      stats: () => instance.stats.snapshot(),
      faults: faultsView,
      setFaults,
      reset,
    },
  };
}

function dashboardPort(option: SandboxOptions["dashboard"]): number | undefined {
  if (!option) return undefined;
  return option === true ? 0 : (option.port ?? 0);
}

/** Starts one real HTTP server per emulator (all registered by default) on 127.0.0.1. */
export async function startSandbox<P extends ProviderName = ProviderName>(
  options: SandboxOptions<P> = {},
): Promise<Sandbox<P>> {
  const registry = emulators as Record<string, Emulator<unknown, unknown>>;
  const names: string[] = options.providers ? [...options.providers] : Object.keys(registry);
  const unknown = names.filter((n) => !(n in registry));
  if (unknown.length) {
    const available = Object.keys(registry).join(", ");
    throw new Error(`@x/sandbox: unknown provider(s) ${unknown.join(", ")}; available: ${available}`);
  }
  const host = options.host ?? "127.0.0.1";
  const basePort = options.port ?? 0;
  const fixedPorts = (options.ports ?? {}) as Record<string, number | undefined>;
  const perProvider = (options.options ?? {}) as Record<string, unknown>;
  const journal = createJournal();

  const started: Array<{ server: RunningHttpServer; handle: ProviderHandle }> = [];
  let dashboard: RunningHttpServer | undefined;
  const closeAll = () =>
    Promise.all([...started.map(({ server }) => server.close()), dashboard?.close()]).then(() => undefined);
  try {
    for (const [i, name] of names.entries()) {
      const emulator = registry[name] as Emulator<unknown, unknown>;
      const port = fixedPorts[name] ?? (basePort ? basePort + i : 0);
      started.push(await serveEmulator(emulator, emulator.create(perProvider[name]), journal, host, port));
    }
    const port = dashboardPort(options.dashboard);
    if (port !== undefined) dashboard = await startDashboard({ handles: started.map((s) => s.handle), journal, port });
  } catch (err) {
    await closeAll();
    throw err;
  }

  const handles = new Map(started.map(({ handle }) => [handle.name, handle]));
  const byName = <T>(pick: (handle: ProviderHandle) => T) =>
    Object.fromEntries(started.map(({ handle }) => [handle.name, pick(handle)]));
  return {
    urls: byName((h) => h.url) as Sandbox<P>["urls"],
    demoCredentials: byName((h) => h.demoCredentials) as Sandbox<P>["demoCredentials"],
    ...(dashboard ? { dashboardUrl: `${dashboard.url}/` } : {}),
    stats: () => byName((h) => h.stats()),
    requests: () => journal.requests(),
    tokens: () => journal.tokens(),
    provider<N extends P>(name: N) {
      const handle = handles.get(name);
      if (!handle) {
        throw new Error(`@x/sandbox: provider ${name} was not started; started: ${[...handles.keys()].join(", ")}`);
      }
      return handle as ProviderHandle<ControlOf<Registry[N]>, DemoCredentialsOf<N>>;
    },
    reset: () => started.forEach(({ handle }) => handle.reset()),
    close: closeAll,
  };
}
