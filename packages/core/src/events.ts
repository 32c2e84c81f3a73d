/**
 * Typed events that a client reports through `onEvent`. Payloads carry names, counts, statuses
 * and durations, never a credential or token: they are safe to ship to any metrics backend.
 */
export type SdkEvent =
  | { type: "token.fetched"; provider: string; kind: string; durationMs: number; expiresInMs: number }
  | { type: "token.refreshed"; provider: string; kind: string; durationMs: number; expiresInMs: number }
  | { type: "token.cache_hit"; provider: string; kind: string }
  | { type: "token.invalidated"; provider: string; kind: string; reason: "rejected" | "manual" | "revoked" }
  | { type: "token.revoked"; provider: string; kind: string }
  | {
      type: "request.retry";
      provider: string;
      method: string;
      path: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | {
      type: "request.finished";
      provider: string;
      method: string;
      /** The spec's path template for a typed call (never the ids in its URL); the URL's path for `client.fetch`. */
      path: string;
      /** The spec's operationId of a typed call, where it has one. */
      operationId: string | undefined;
      status: number | undefined;
      durationMs: number;
      attempts: number;
      /** The provider's request id (`x-request-id` or `request-id` answer header), to quote to its support. */
      requestId: string | undefined;
    };

export type SdkEventType = SdkEvent["type"];
export type EventHandler = (event: SdkEvent) => void;

/** Any object with these four methods, e.g. `console` or a pino logger. */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

const noop = () => {};
/** The default: SDKs stay silent unless the application asks for logs. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * The emitter of a client nobody listens to. Hot paths compare against it to skip building an
 * event object that would be dropped.
 */
export const ignoreEvents: EventHandler = noop;

/**
 * One debug line per event, its fields as `name=value`: `acme request.finished method=GET path=/items/{id} status=200
 * durationMs=12 attempts=1 requestId=r-1`. Greppable, and one rule for every event, present and future.
 */
export function describeEvent({ provider, type, ...fields }: SdkEvent): string {
  let line = `${provider} ${type}`;
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) line += ` ${name}=${value}`;
  return line;
}

/**
 * The client's event emitter: the user's handler, wrapped so that a throwing handler can never break a request, and
 * every event as a `debug` line of the client's logger (events never carry a secret, so neither do the lines).
 * Without either, `ignoreEvents`, which hot paths compare against to build no event at all.
 */
export function safeEmitter(handler: EventHandler | undefined, logger: Logger): EventHandler {
  const logs = logger !== silentLogger;
  if (!handler && !logs) return ignoreEvents;
  return (event) => {
    if (logs) logger.debug(describeEvent(event), event);
    try {
      handler?.(event);
    } catch (error) {
      logger.warn("onEvent handler threw", { type: event.type, error: String(error) });
    }
  };
}

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** The environment variable that turns logging on without code: `X_LOG=debug` (or info, warn, error). */
export const LOG_ENV = "X_LOG";

/**
 * The logger `X_LOG` asks for, read once when a client is created: `console` from that level up, or `undefined`
 * where the variable is unset, unknown, or the runtime has no environment (browsers, workers; Deno without
 * `--allow-env`).
 */
export function environmentLogger(): Logger | undefined {
  let level: string | undefined;
  try {
    level = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[LOG_ENV];
  } catch {
    return undefined;
  }
  const from = LOG_LEVELS.indexOf(level?.toLowerCase() as (typeof LOG_LEVELS)[number]);
  if (from < 0) return undefined;
  const log = (at: number) => (at >= from ? (console[LOG_LEVELS[at]!] as Logger["debug"]) : noop);
  return { debug: log(0), info: log(1), warn: log(2), error: log(3) };
}
