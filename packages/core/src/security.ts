import { ConfigurationError } from "./errors.js";

/** 127.0.0.0/8, ::1 and localhost: the only hosts where plain http is allowed (sandbox, tests). */
export function isLoopbackHost(hostname: string): boolean {
  return /^(localhost|.+\.localhost|\[::1\]|::1|127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})$/.test(hostname);
}

/**
 * Refuses any URL that is not https, except http on a loopback host.
 * `option` names the option the URL came from, so the message says what to fix.
 */
export function assertSecureUrl(value: unknown, option: string, provider?: string): URL {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigurationError(`${option} must be a non-empty URL string.`, { option, provider });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${option} is not a valid absolute URL: expected something like "https://api.example.com".`, { option, provider });
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new ConfigurationError(
    `${option} must use https:// (plain http:// is only accepted for loopback hosts such as 127.0.0.1 or localhost); got ${url.protocol}//${url.host}.`,
    { option, provider },
  );
}

/**
 * Validates a required credential or identifier. The message names the option and never
 * echoes the value, because the value may be a secret.
 */
export function requireString(value: unknown, option: string, provider?: string): string {
  if (value === undefined || value === null) {
    throw new ConfigurationError(`${option} is required${provider ? ` to use ${provider}` : ""}: pass it in the client options.`, { option, provider });
  }
  if (typeof value !== "string") {
    throw new ConfigurationError(`${option} must be a string, got ${typeof value}.`, { option, provider });
  }
  if (value.trim() === "") {
    throw new ConfigurationError(`${option} must not be empty.`, { option, provider });
  }
  return value;
}

/** Validates a positive finite number option, e.g. a timeout. */
export function requirePositiveNumber(value: unknown, option: string, provider?: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`${option} must be a positive number, got ${String(value)}.`, { option, provider });
  }
  return value;
}
