/**
 * The one error hierarchy of @x. Every error an SDK call throws is an `XError`, so
 * `catch (e) { if (e instanceof XError) ... }` is enough; the subclass says what kind of
 * failure it was and every message says what to do next.
 *
 * Secrets never reach these objects: callers pass only non-secret facts, and `toJSON`
 * lists the fields that are safe to log.
 */
export interface XErrorOptions {
  /** Provider name, e.g. "finapi". */
  provider?: string;
  /** A machine-readable code: the provider's error code or one of ours. */
  code?: string;
  cause?: unknown;
}

export class XError extends Error {
  override name = "XError";
  readonly provider: string | undefined;
  readonly code: string | undefined;

  constructor(message: string, options: XErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    this.code = options.code;
  }

  /** Every own field (name, code, status, ...) plus the message; `cause` is left out. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), message: this.message };
  }
}

/** Bad options or arguments: `option` names the field to fix. Thrown before any request is sent. */
export class ConfigurationError extends XError {
  override name = "ConfigurationError";
  readonly option: string | undefined;

  constructor(message: string, options: XErrorOptions & { option?: string } = {}) {
    super(message, options);
    this.option = options.option;
  }

}

export interface HttpErrorOptions extends XErrorOptions {
  status?: number;
  /** The provider's request id, from the response headers or body. */
  requestId?: string;
  /** The provider's error body, parsed when it was JSON. */
  body?: unknown;
}

/** Credentials refused, or the token endpoint failed: check the credentials named in the message. */
export class AuthenticationError extends XError {
  override name = "AuthenticationError";
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;

  constructor(message: string, options: HttpErrorOptions = {}) {
    super(message, options);
    this.status = options.status;
    this.requestId = options.requestId;
    this.body = options.body;
  }

}

/** The provider answered with an error status. `body` is its error body, `code` its error code. */
export class ApiError extends XError {
  override name = "ApiError";
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: unknown;

  constructor(message: string, options: HttpErrorOptions & { status: number }) {
    super(message, options);
    this.status = options.status;
    this.requestId = options.requestId;
    this.body = options.body;
  }

}

/** The call took longer than its limit (`timeoutMs`), counting retries. */
export class TimeoutError extends XError {
  override name = "TimeoutError";
  readonly timeoutMs: number | undefined;

  constructor(message: string, options: XErrorOptions & { timeoutMs?: number } = {}) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }

}

/** The request never got an HTTP answer (DNS, refused or dropped connection), after retries. */
export class NetworkError extends XError {
  override name = "NetworkError";
}

/** The caller's own AbortSignal fired. */
export class AbortError extends XError {
  override name = "AbortError";
}
