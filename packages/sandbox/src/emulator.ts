import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";

/** Counters every emulator keeps, so tests and benchmarks can assert on what was served and issued. */
export interface ProviderStats {
  /** Requests received (faulted ones included), control endpoints under `/__sandbox/` excluded. */
  requests: number;
  /** Tokens issued, by kind (e.g. `access`, `refresh`, `user`). */
  tokensIssued: Record<string, number>;
}

export interface Counters {
  readonly requests: number;
  countRequest(): void;
  tokenIssued(kind?: string): void;
  snapshot(): ProviderStats;
  reset(): void;
}

export function createCounters(): Counters {
  let requests = 0;
  let tokensIssued: Record<string, number> = {};
  return {
    get requests() {
      return requests;
    },
    countRequest() {
      requests++;
    },
    tokenIssued(kind = "access") {
      tokensIssued[kind] = (tokensIssued[kind] ?? 0) + 1;
    },
    // A copy, so callers can diff two snapshots.
    snapshot: () => ({ requests, tokensIssued: { ...tokensIssued } }),
    reset() {
      requests = 0;
      tokensIssued = {};
    },
  };
}

/** A request with its body already buffered: signatures need the exact bytes, handlers want JSON or form. */
export interface EmulatorRequest {
  method: string;
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** Path parameters filled in by the router (`/accounts/:id` -> `{ id }`). */
  params: Record<string, string>;
  /** The route's template (`/accounts/:id`), set by the router once matched; the dashboard groups requests by it. */
  route?: string;
  body: Buffer;
  text(): string;
  /** Parsed JSON body; throws `HttpError(400)` on malformed JSON, which the runner turns into a 400 reply. */
  json<T = unknown>(): T;
  /** Parsed `application/x-www-form-urlencoded` body. */
  form(): URLSearchParams;
}

export interface EmulatorContext {
  /** This emulator's base URL, for links and redirect URLs it hands out. */
  baseUrl: string;
}

export interface EmulatorInstance<Control = undefined> {
  handle(req: EmulatorRequest, res: ServerResponse, ctx: EmulatorContext): void | Promise<void>;
  stats: Counters;
  /** Emulator-specific controls for tests (expire tokens, change rules), as `sandbox.provider(name).control`. */
  control: Control;
  /** Forget issued tokens and other state; counters and faults are reset by the runner. */
  reset?(): void;
}

/** One provider's emulator; each lives in `src/emulators/<name>.ts` and is registered in `src/emulators/index.ts`. */
export interface Emulator<
  Options = undefined,
  Control = undefined,
  Credentials extends Record<string, string> = Record<string, string>,
> {
  name: string;
  /** Credentials the emulator accepts out of the box; printed by the CLI, used by the demo. */
  demoCredentials: Credentials;
  create(options?: Options): EmulatorInstance<Control>;
}

/** Thrown from a handler to answer with a status and a JSON body without writing the response by hand. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
    /**
     * Why the request was refused, in words for the sandbox dashboard (never sent to the client), e.g. the string
     * that was expected to be signed. Without it the dashboard shows the message of the error body.
     */
    readonly reason?: string,
  ) {
    super(`HTTP ${status}`);
  }

  /** The same error with these headers added (e.g. `www-authenticate`, `retry-after`). */
  withHeaders(headers: Record<string, string>): HttpError {
    return new HttpError(this.status, this.body, { ...this.headers, ...headers }, this.reason);
  }

  /** The same error with the reason the dashboard shows (e.g. `throw fail(401, ...).withReason("expected ...")`). */
  withReason(reason: string): HttpError {
    return new HttpError(this.status, this.body, this.headers, reason);
  }
}

/** A provider's `fail`: the error to throw for `status`, its body in that provider's error shape. */
export type Fail<Details extends unknown[]> = (status: number, ...details: Details) => HttpError;

/**
 * Builds a provider's `fail` from the one thing that differs between providers, the error body. Every emulator
 * answers errors the same way, `throw fail(status, ...details)`, and the runner writes the reply; the body function
 * gets the status too, for providers that repeat it in the body.
 *
 * @example
 * const fail = failWith((status, name: string, message: string) => ({ name, message, code: status }));
 * throw fail(404, "NotFound", `No request with id ${id}.`);
 */
export function failWith<Details extends unknown[]>(
  body: (status: number, ...details: Details) => unknown,
): Fail<Details> {
  return (status, ...details) => new HttpError(status, body(status, ...details));
}

/** The OAuth 2.0 error shape (RFC 6749 §5.2) of token endpoints: `{ error, error_description? }`. */
export const oauthFail: Fail<[error: string, description?: string]> = failWith((_status, error, description) => ({
  error,
  ...(description === undefined ? {} : { error_description: description }),
}));

/**
 * Whether a presented secret (a string header, form or JSON value) equals the expected one, in constant time.
 * Both sides are hashed first, so neither the comparison time nor an early length check tells a caller how much of
 * a guess was right or how long the secret is: an emulator should not teach timing attacks by example.
 */
export function sameSecret(given: unknown, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  const equal = timingSafeEqual(digest(typeof given === "string" ? given : ""), digest(expected));
  return equal && typeof given === "string";
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload).toString(),
    ...headers,
  });
  res.end(payload);
}

export function toEmulatorRequest(
  method: string,
  rawUrl: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): EmulatorRequest {
  const url = new URL(rawUrl, "http://127.0.0.1");
  return {
    method,
    path: url.pathname,
    url,
    headers,
    params: {},
    body,
    text: () => body.toString("utf8"),
    json<T>() {
      try {
        return JSON.parse(body.toString("utf8")) as T;
      } catch {
        throw new HttpError(400, { error: "invalid_json", message: "request body is not valid JSON" });
      }
    },
    form: () => new URLSearchParams(body.toString("utf8")),
  };
}

export type RouteHandler = (req: EmulatorRequest, res: ServerResponse, ctx: EmulatorContext) => void | Promise<void>;

interface RegisteredRoute {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/**
 * A tiny method + path router: `:name` segments become `req.params.name`. Unknown paths get 404 and known
 * paths with the wrong method 405, so a client hitting an unimplemented endpoint finds out immediately.
 */
export function createRouter(): {
  on(method: string, pattern: string, handler: RouteHandler): void;
  handle: RouteHandler;
} {
  const routes: RegisteredRoute[] = [];
  const split = (p: string) => p.split("/").filter(Boolean);
  const match = (route: RegisteredRoute, parts: string[]): Record<string, string> | undefined => {
    if (route.segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (const [i, seg] of route.segments.entries()) {
      const part = parts[i] as string;
      if (seg.startsWith(":")) params[seg.slice(1)] = decodeURIComponent(part);
      else if (seg !== part) return undefined;
    }
    return params;
  };
  return {
    on(method, pattern, handler) {
      routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    },
    async handle(req, res, ctx) {
      const parts = split(req.path);
      let pathMatched = false;
      for (const route of routes) {
        const params = match(route, parts);
        if (!params) continue;
        pathMatched = true;
        if (route.method !== req.method) continue;
        req.params = params;
        req.route = `/${route.segments.join("/")}`;
        await route.handler(req, res, ctx);
        return;
      }
      throw pathMatched
        ? new HttpError(405, { error: "method_not_allowed", message: `${req.method} ${req.path} is not supported` })
        : new HttpError(404, { error: "not_found", message: `${req.path} is not emulated` });
    },
  };
}

/** An HTTP method and a path pattern, as in `"POST /oauth/token"` or `"GET /accounts/:id"`. */
export type RouteKey = `${"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} /${string}`;

/** One route's handler: the emulator's shared state, the request, the response; errors are thrown as `fail(...)`. */
export type Route<State> = (
  state: State,
  req: EmulatorRequest,
  res: ServerResponse,
  ctx: EmulatorContext,
) => void | Promise<void>;

/** An emulator's routes: one small handler per method and path, all sharing one state object. */
export type RouteTable<State> = { readonly [key: RouteKey]: Route<State> };

/**
 * The handler for a route table over one state object (an emulator instance's), routed by `createRouter`: unknown
 * paths answer 404, known paths with another method 405.
 *
 * @example
 * const routes: RouteTable<State> = {
 *   "POST /oauth/token": (state, req, res) => json(res, 200, issue(state)),
 *   "GET /accounts/:id": (state, req, res) => json(res, 200, account(state, req.params.id)),
 * };
 * create: () => ({ handle: routeTable(routes, newState()), ... })
 */
export function routeTable<State>(routes: RouteTable<State>, state: State): RouteHandler {
  const router = createRouter();
  for (const [key, route] of Object.entries(routes)) {
    const space = key.indexOf(" ");
    router.on(key.slice(0, space), key.slice(space + 1), (req, res, ctx) => route(state, req, res, ctx));
  }
  return router.handle;
}

/** Faults applied before the emulator sees a request; set at runtime through `sandbox.provider(name).faults`. */
export interface Faults {
  /** Delay every request by this many milliseconds. */
  latencyMs?: number;
  /** Answer the next `count` requests with `status` (and `Retry-After` when given) instead of the emulator. */
  failNext?: { status: number; count: number; retryAfter?: number };
  /** Destroy the socket of the next N requests without answering (a network error for the client). */
  dropNext?: number;
}
