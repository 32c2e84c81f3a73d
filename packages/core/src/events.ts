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

/** Wraps a user handler so that a throwing handler can never break a request. */
export function safeEmitter(handler: EventHandler | undefined, logger: Logger): EventHandler {
  if (!handler) return ignoreEvents;
  return (event) => {
    try {
      handler(event);
    } catch (error) {
      logger.warn("onEvent handler threw", { type: event.type, error: String(error) });
    }
  };
}
