import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { HttpError, json, toEmulatorRequest, type EmulatorRequest, type Faults } from "./emulator.js";
import type { CallbackRecord, Journal, SandboxEvent } from "./journal.js";
import type { ProviderHandle } from "./sandbox.js";
import { startHttpServer, type RunningHttpServer } from "./server.js";

/**
 * The dashboard: a page (plain HTML, CSS and a script, read from `./dashboard/` next to this module, in src/ as in
 * dist/) and a small JSON API it uses: the state, a server-sent event stream, and the fault and token controls.
 * It listens on 127.0.0.1 only and renders no secret: demo credentials are masked, tokens are fingerprints.
 */

const PAGE = { "/": "index.html", "/dashboard.css": "dashboard.css", "/dashboard.js": "dashboard.js" } as const;
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

/** Token switches an emulator's control may have; the page shows a button for each one it has. */
const TOKEN_ACTIONS = ["expireAllTokens", "expireAccessTokens", "expireTokens", "revokeRefreshTokens"] as const;
type TokenAction = (typeof TOKEN_ACTIONS)[number];

/** A demo credential as the page shows it: its first characters, or the kind of PEM block, never the rest. */
export function maskCredential(value: string): string {
  const pem = /-----BEGIN ([A-Z ]+)-----/.exec(value);
  if (pem) return `PEM ${pem[1]?.toLowerCase()} (${value.length} chars)`;
  const shown = value.length > 8 ? 3 : 1;
  return `${value.slice(0, shown)}${"•".repeat(Math.min(8, value.length - shown))}`;
}

const actionsOf = (control: unknown): TokenAction[] =>
  TOKEN_ACTIONS.filter((name) => typeof (control as Record<string, unknown> | null)?.[name] === "function");

function callbacksOf(handles: ProviderHandle[]): CallbackRecord[] {
  return handles.flatMap((handle) => {
    const list = (handle.control as { callbacks?: unknown } | null)?.callbacks;
    if (typeof list !== "function") return [];
    const sent = (list as () => Array<{ kind?: string; url?: string; status?: number }>).call(handle.control);
    return sent.map((c) => ({
      provider: handle.name,
      kind: String(c.kind),
      url: String(c.url),
      status: c.status ?? 0,
    }));
  });
}

function stateOf(handles: ProviderHandle[], journal: Journal) {
  return {
    providers: handles.map((handle) => ({
      name: handle.name,
      url: handle.url,
      credentials: Object.fromEntries(
        Object.entries(handle.demoCredentials).map(([key, value]) => [key, maskCredential(String(value))]),
      ),
      faults: handle.faults(),
      stats: handle.stats(),
      actions: actionsOf(handle.control),
    })),
    requests: journal.requests(),
    tokens: journal.tokens(),
    callbacks: callbacksOf(handles),
  };
}

/** Refuses what a web page on another origin could send: the page's own calls always carry JSON. */
function assertSameMachine(req: EmulatorRequest): void {
  const host = req.headers.host ?? "";
  if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host)) {
    throw new HttpError(403, { error: "forbidden", message: "the dashboard answers on 127.0.0.1 only" });
  }
  if (req.method === "POST" && !String(req.headers["content-type"]).startsWith("application/json")) {
    throw new HttpError(415, { error: "unsupported_media_type", message: "dashboard controls take application/json" });
  }
}

function parseFaults(value: unknown): Faults {
  const input = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const number = (name: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw new HttpError(400, { error: "invalid_faults", message: `${name} must be an integer in ${min}..${max}` });
    }
    return v;
  };
  const faults: Faults = {};
  if (input.latencyMs !== undefined) faults.latencyMs = number("latencyMs", input.latencyMs, 0, 60_000);
  if (input.dropNext !== undefined) faults.dropNext = number("dropNext", input.dropNext, 0, 1000);
  const fail = input.failNext as Record<string, unknown> | undefined;
  if (fail !== undefined) {
    faults.failNext = {
      status: number("failNext.status", fail.status, 400, 599),
      count: number("failNext.count", fail.count, 0, 1000),
      ...(fail.retryAfter === undefined
        ? {}
        : { retryAfter: number("failNext.retryAfter", fail.retryAfter, 0, 86_400) }),
    };
  }
  return faults;
}

export interface DashboardOptions {
  handles: ProviderHandle[];
  journal: Journal;
  port: number;
}

/** Starts the dashboard on 127.0.0.1 (whatever host the emulators use): it controls them, so it stays local. */
export async function startDashboard({ handles, journal, port }: DashboardOptions): Promise<RunningHttpServer> {
  const folder = new URL("./dashboard/", import.meta.url);
  const files = new Map(
    Object.entries(PAGE).map(([path, file]) => [
      path,
      { body: readFileSync(new URL(file, folder)), type: TYPES[file.split(".").pop() as string] as string },
    ]),
  );
  const streams = new Set<ServerResponse>();
  const send = (res: ServerResponse, event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const broadcast = (event: string, data: unknown) => streams.forEach((res) => send(res, event, data));
  const unsubscribe = journal.subscribe((event: SandboxEvent) => broadcast(event.type, event));

  // Callbacks are posted by the emulators on their own schedule: watched while a page is open.
  let lastCallbacks = "[]";
  const watch = setInterval(() => {
    if (streams.size === 0) return;
    const now = JSON.stringify(callbacksOf(handles));
    if (now !== lastCallbacks) broadcast("callbacks", JSON.parse(now));
    lastCallbacks = now;
  }, 500);
  watch.unref();

  const handleOf = (name: string | undefined) => {
    const handle = handles.find((h) => h.name === name);
    if (!handle) throw new HttpError(404, { error: "not_found", message: `no provider ${name} in this sandbox` });
    return handle;
  };

  const server = await startHttpServer(
    (req, body, res) => {
      const request = toEmulatorRequest(req.method ?? "GET", req.url ?? "/", req.headers, body);
      try {
        assertSameMachine(request);
        const file = request.method === "GET" ? files.get(request.path) : undefined;
        if (file) {
          res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" });
          return res.end(file.body);
        }
        if (request.method === "GET" && request.path === "/api/state") return json(res, 200, stateOf(handles, journal));
        if (request.method === "GET" && request.path === "/api/events") {
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
          streams.add(res);
          res.once("close", () => streams.delete(res));
          lastCallbacks = JSON.stringify(callbacksOf(handles));
          return send(res, "state", stateOf(handles, journal));
        }
        const [, api, providers, name, what, action] = request.path.split("/");
        if (request.method === "POST" && api === "api" && providers === "providers" && what === "faults") {
          const handle = handleOf(name);
          handle.setFaults(parseFaults(request.json()));
          return json(res, 200, handle.faults());
        }
        if (request.method === "POST" && api === "api" && providers === "providers" && what === "actions") {
          const handle = handleOf(name);
          if (action === "reset") {
            handle.reset();
            return json(res, 200, { done: action });
          }
          if (!actionsOf(handle.control).includes(action as TokenAction)) {
            throw new HttpError(404, { error: "not_found", message: `${name} has no control ${action}` });
          }
          (handle.control as Record<TokenAction, () => void>)[action as TokenAction]();
          const token = { at: new Date().toISOString(), provider: handle.name, event: "expired" as const };
          journal.record({ type: "token", token: { ...token, token: `${action} (from the dashboard)` } });
          return json(res, 200, { done: action });
        }
        throw new HttpError(404, { error: "not_found", message: `${request.path} is not a dashboard path` });
      } catch (err) {
        if (err instanceof HttpError) return json(res, err.status, err.body);
        json(res, 500, { error: "dashboard_error", message: err instanceof Error ? err.message : String(err) });
      }
    },
    { host: "127.0.0.1", port },
  );
  return {
    url: server.url,
    close: async () => {
      clearInterval(watch);
      unsubscribe();
      for (const res of streams) res.end();
      await server.close();
    },
  };
}
