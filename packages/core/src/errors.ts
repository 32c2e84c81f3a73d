/**
 * The one error hierarchy of @x. Every error an SDK call throws is an `XError`, so
 * `catch (e) { if (e instanceof XError) ... }` is enough; the subclass says what kind of
 * failure it was and every message says what to do next.
 *
 * Secrets never reach these objects: callers pass only non-secret facts, and `toJSON`
 * gives exactly the fields, which are safe to log.
 */
export interface XErrorOptions {
  /** Provider name, e.g. "finapi". */
  provider?: string;
  /** A machine-readable code: the provider's error code or one of ours. */
  code?: string;
  cause?: unknown;
}

export interface HttpErrorOptions extends XErrorOptions {
  status?: number;
  /** The provider's request id, from the response headers or body. */
  requestId?: string;
  /** The provider's error body, parsed when it was JSON, secrets redacted. */
  body?: unknown;
}

export class XError extends Error {
  // Literal names, not `new.target.name`: minifiers rename classes.
  override name = "XError";
  declare readonly provider: string | undefined;
  declare readonly code: string | undefined;

  /** Copies every option but `cause` onto the error as a field; subclasses only declare their fields' types. */
  constructor(message: string, options: XErrorOptions & object = {}) {
    const { cause, ...fields } = options;
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, { provider: undefined, code: undefined }, fields);
  }

  /** Every field (name, provider, code, status, ...) plus the message; `cause` is left out. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), message: this.message };
  }
}

/** Bad options or arguments: `option` names the field to fix. Thrown before any request is sent. */
export class ConfigurationError extends XError {
  override name = "ConfigurationError";
  declare readonly option: string | undefined;

  constructor(message: string, options: XErrorOptions & { option?: string } = {}) {
    super(message, options);
  }
}

/** Credentials refused, or the token endpoint failed: check the credentials named in the message. */
export class AuthenticationError extends XError {
  override name = "AuthenticationError";
  declare readonly status: number | undefined;
  declare readonly requestId: string | undefined;
  declare readonly body: unknown;

  constructor(message: string, options: HttpErrorOptions = {}) {
    super(message, options);
  }
}

/** The provider answered with an error status. `body` is its error body, `code` its error code. */
export class ApiError extends XError {
  override name = "ApiError";
  declare readonly status: number;
  declare readonly requestId: string | undefined;
  declare readonly body: unknown;

  constructor(message: string, options: HttpErrorOptions & { status: number }) {
    super(message, options);
  }
}

/** The call took longer than its limit (`timeoutMs`), counting retries. */
export class TimeoutError extends XError {
  override name = "TimeoutError";
  declare readonly timeoutMs: number | undefined;

  constructor(message: string, options: XErrorOptions & { timeoutMs?: number } = {}) {
    super(message, options);
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

/** The options of an error about `response`: its status and the provider's request id. */
export function responseErrorOptions(provider: string, response: Response, code?: string): HttpErrorOptions & { status: number } {
  return { provider, status: response.status, code, requestId: response.headers.get("x-request-id") ?? undefined };
}
