import { ConfigurationError } from "./errors.js";
import { parseUrl } from "./redact.js";

/** 127.0.0.0/8, ::1 and localhost: the only hosts where plain http is allowed (sandbox, tests). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    typeof hostname === "string" &&
    /^(localhost|.+\.localhost|\[::1\]|::1|127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})$/.test(hostname)
  );
}

/** A `ConfigurationError` about `option`; the message starts with the option's name, so it says what to fix. */
export function optionError(option: string, problem: string, provider?: string): ConfigurationError {
  return new ConfigurationError(`${option} ${problem}`, { option, provider });
}

/**
 * Refuses any URL that is not https, except http on a loopback host.
 * `option` names the option the URL came from, so the message says what to fix.
 */
export function assertSecureUrl(value: unknown, option: string, provider?: string): URL {
  if (typeof value !== "string" || value.trim() === "") throw optionError(option, "must be a non-empty URL.", provider);
  const url = parseUrl(value);
  if (!url) throw optionError(option, "is not a valid absolute URL, e.g. https://api.example.com.", provider);
  // `https://user:pw@host` would send the pair as Basic credentials to every request and show it in `baseUrl`.
  if (url.username || url.password)
    throw optionError(option, "must not contain a user name or password; pass credentials as options.", provider);
  if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))) return url;
  throw optionError(option, `must be https (http only on loopback); got ${url.protocol}//${url.host}.`, provider);
}

/**
 * Validates a required credential or identifier. The message names the option and never
 * echoes the value, because the value may be a secret.
 */
export function requireString(value: unknown, option: string, provider?: string): string {
  if (value === undefined || value === null) throw optionError(option, "is required.", provider);
  if (typeof value !== "string") throw optionError(option, `must be a string, got ${typeof value}.`, provider);
  if (value.trim() === "") throw optionError(option, "must not be empty.", provider);
  // It ends up in a header or a form field, where a line break could inject another one.
  if (hasControlBreak(value)) throw optionError(option, "must not contain line breaks or NUL characters.", provider);
  return value;
}

/** Validates a positive finite number option, e.g. a timeout. */
export function requirePositiveNumber(value: unknown, option: string, provider?: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw optionError(
      option,
      `must be a positive number, got ${typeof value === "number" ? value : typeof value}.`,
      provider,
    );
  return value;
}

/** What each kind of argument `requireKind` checks must be. */
const KINDS = {
  object: (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value),
  function: (value: unknown) => typeof value === "function",
  "fetch Response": (value: unknown) => value instanceof Response,
  "array of strings": (value: unknown) => Array.isArray(value) && value.every((part) => typeof part === "string"),
};

/**
 * Validates an argument of a kind (an options object, a callback, a Response, an identity), so that a JavaScript
 * caller who passed nothing, `null` or a string gets a ConfigurationError naming the argument instead of a TypeError
 * such as "Cannot destructure ...". One check for every kind keeps the bundle small.
 */
export function requireKind<T>(value: T, kind: keyof typeof KINDS, option: string, provider?: string): NonNullable<T> {
  if (!KINDS[kind](value))
    throw optionError(
      option,
      `must be ${kind === "object" || kind[0] === "a" ? "an" : "a"} ${kind}, got ${
        value === null ? "null" : Array.isArray(value) ? "an array" : typeof value
      }.`,
      provider,
    );
  return value as NonNullable<T>;
}

/** CR, LF or NUL: refused in every header value, and never part of a credential or an identifier. */
export function hasControlBreak(value: string): boolean {
  return /[\r\n\0]/.test(value);
}
