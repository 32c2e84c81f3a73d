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
  /**
   * The answer's headers, names lower-cased, `set-cookie` left out: `Retry-After` and rate-limit headers stay
   * readable after the retries ran out.
   */
  headers?: Record<string, string>;
}

/**
 * Marks every `XError`, through its prototype. `Symbol.for` gives the same symbol to every copy
 * of @x/core in a process, so the guards still work when an app loads both the ESM and the
 * CommonJS build (where `instanceof` against the other copy's class is false).
 */
const BRAND = Symbol.for("x.error");

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

// On the prototype, not the instance: `toJSON`'s spread and `util.inspect` never show it.
Object.defineProperty(XError.prototype, BRAND, { value: true });

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
  declare readonly headers: Record<string, string> | undefined;

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
  declare readonly headers: Record<string, string>;

  constructor(message: string, options: HttpErrorOptions & { status: number }) {
    super(message, options);
  }
}

/**
 * The server answered with a redirect. The SDK never follows one: a redirect would carry the
 * call's credentials to wherever the server points, another origin or plain http included.
 * `location` is the target's origin and path (no query string, which may hold tokens).
 */
export class RedirectError extends ApiError {
  override name = "RedirectError";
  declare readonly location: string;

  constructor(message: string, options: HttpErrorOptions & { status: number; location: string }) {
    super(message, options);
  }
}

/** A response body was larger than `maxResponseBytes`; the rest was not downloaded. */
export class ResponseTooLargeError extends XError {
  override name = "ResponseTooLargeError";
  declare readonly maxResponseBytes: number;

  constructor(message: string, options: XErrorOptions & { maxResponseBytes: number }) {
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

/** A provider's list kept returning a next-page cursor it had given already: stopped instead of looping. */
export class PaginationError extends XError {
  override name = "PaginationError";
}

/** The codes @x/core itself puts on errors; a provider's own codes come from its error bodies. */
export type CoreErrorCode =
  | "TIMEOUT"
  | "ABORTED"
  | "NETWORK_ERROR"
  | "TOKEN_REJECTED"
  | "CREDENTIALS_REJECTED"
  | "INVALID_TOKEN_RESPONSE"
  | "TOKEN_ENDPOINT_ERROR"
  | "PAGINATION_STUCK"
  | "REDIRECTED"
  | "RESPONSE_TOO_LARGE"
  | "DOT_SEGMENT"
  | "INVALID_CREDENTIAL"
  | "RATE_LIMITED";

/** What `isXError` may also require of the error. */
export interface XErrorMatch {
  provider?: string;
  code?: string;
}

/**
 * Whether `error` is an error of @x (any subclass, from any provider), optionally from one
 * provider and with one code. A brand check, not `instanceof`: it holds across an ESM and a
 * CommonJS copy of @x/core in one app.
 *
 * @example
 * if (isXError(e, { provider: "sfs", code: "NOT_FOUND" })) return undefined;
 */
export function isXError<const M extends XErrorMatch = {}>(error: unknown, match?: M): error is XError & Readonly<M> {
  const e = error as (XError & { [BRAND]?: unknown }) | null | undefined;
  return (
    e?.[BRAND] === true &&
    (match?.provider === undefined || e.provider === match.provider) &&
    (match?.code === undefined || e.code === match.code)
  );
}

/**
 * A provider's error guard (`isSfsError(e)`, `isSfsError(e, "NOT_FOUND")`): every provider's
 * has the same shape and generics, from `providerErrorGuard<Code>(provider)`.
 */
export interface ProviderErrorGuard<Provider extends string, Code extends string> {
  /** An error from this provider with this code. */
  <C extends Code | CoreErrorCode>(
    error: unknown,
    code: C,
  ): error is XError & { readonly provider: Provider; readonly code: C };
  /** Any error from this provider: its code is one of the provider's, one of core's, or none. */
  (error: unknown): error is XError & { readonly provider: Provider; readonly code: Code | CoreErrorCode | undefined };
}

/**
 * Builds a provider's error guard. `Provider` is the provider's name constant, so the guard
 * narrows `error.provider` to it.
 *
 * @example
 * export const PROVIDER = "sfs";
 * export const isSfsError = providerErrorGuard<SfsErrorCode, typeof PROVIDER>(PROVIDER);
 * if (isSfsError(e, "NOT_FOUND")) ...
 */
export function providerErrorGuard<Code extends string, Provider extends string = string>(
  provider: Provider,
): ProviderErrorGuard<Provider, Code> {
  return ((error: unknown, code?: string) => isXError(error, { provider, code })) as ProviderErrorGuard<Provider, Code>;
}

/** The provider's request id of an answer: `x-request-id`, or `request-id` (as Salt Edge and others send it). */
export const requestIdOf = (response: Response) =>
  response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined;

/** The options of an error about `response`: its status, headers and the provider's request id. */
export function responseErrorOptions(
  provider: string,
  response: Response,
  code?: string,
): HttpErrorOptions & { status: number; headers: Record<string, string> } {
  if (!(response instanceof Response))
    throw new ConfigurationError("response must be a fetch Response.", { provider, option: "response" });
  const headers: Record<string, string> = {};
  // A cookie is a credential the SDK never uses; it has no place in an error that may be logged.
  response.headers.forEach((value, name) => name !== "set-cookie" && (headers[name] = value));
  return { provider, status: response.status, code, requestId: requestIdOf(response), headers };
}
