import type { ExtendableClientOptions } from "./client.js";
import { environmentLogger, silentLogger, type Logger } from "./events.js";
import type { Plugin } from "./plugin.js";
import type { RetryOptions } from "./retry.js";
import { assertSecureUrl, optionError, requireKind, requirePositiveNumber } from "./security.js";

/** `setTimeout` fires at once for any delay past 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Throws the ConfigurationError about `option` unless `ok`. */
function check(ok: unknown, option: string, problem: string, provider: string | undefined): void {
  if (!ok) throw optionError(option, problem, provider);
}

const isMs = (value: unknown) => value === undefined || (Number.isFinite(value) && (value as number) >= 0);

/**
 * Checks a timeout and a body limit, of a client or (with `prefix` "options.") of one call: the timer's own bound
 * applies to both, or a call's `timeoutMs` of a month would fire at once.
 */
export function checkLimits(timeoutMs: unknown, maxResponseBytes: unknown, prefix: string, provider?: string): void {
  if (timeoutMs !== undefined)
    check(
      requirePositiveNumber(timeoutMs, `${prefix}timeoutMs`, provider) <= MAX_TIMER_MS,
      `${prefix}timeoutMs`,
      `must be at most ${MAX_TIMER_MS} (about 24 days).`,
      provider,
    );
  check(
    maxResponseBytes === undefined || (Number.isSafeInteger(maxResponseBytes) && (maxResponseBytes as number) > 0),
    `${prefix}maxResponseBytes`,
    "must be a positive integer number of bytes.",
    provider,
  );
}

/** Retry options with every default filled in, checked. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * Checks retry options and fills in the defaults (2 retries, 250 ms base, 8 s cap; 408, 429,
 * 500, 502, 503, 504). A ConfigurationError names the option and what it must be.
 */
export function resolveRetryOptions(options: RetryOptions = {}, provider?: string): ResolvedRetryOptions {
  check(typeof options === "object" && options, "retry", "must be retry options or false.", provider);
  const { retries = 2, minDelayMs, maxDelayMs = 8_000, statuses = [408, 429, 500, 502, 503, 504] } = options;
  check(Number.isInteger(retries) && retries >= 0, "retry.retries", "must be an integer >= 0.", provider);
  check(isMs(minDelayMs), "retry.minDelayMs", "must be a number of ms >= 0.", provider);
  check(isMs(maxDelayMs), "retry.maxDelayMs", "must be a number of ms >= 0.", provider);
  check(!(maxDelayMs < minDelayMs!), "retry.maxDelayMs", "must be >= retry.minDelayMs.", provider);
  check(
    Array.isArray(statuses) && statuses.every((status) => Number.isInteger(status) && status >= 100 && status < 600),
    "retry.statuses",
    "must list HTTP statuses (integers 100-599).",
    provider,
  );
  // A cap under the default base (`{ maxDelayMs: 5 }`) asks for short waits: the base follows it.
  return { retries, minDelayMs: minDelayMs ?? Math.min(250, maxDelayMs), maxDelayMs, statuses };
}

/**
 * Merges two header records, `overrides` winning, names lower-cased so that `X-Version` and
 * `x-version` are one header. The one merge of a client's default headers and of `withOptions`,
 * so a derived client merges exactly as the client it came from. Names and values are checked
 * as `fetch` will check them; no value is ever echoed in the error.
 */
export function mergeHeaders(
  base: Record<string, string> | undefined,
  overrides: Record<string, string> | undefined,
  provider?: string,
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of [base, overrides]) {
    try {
      new Headers(source).forEach((value, name) => (merged[name] = value));
    } catch {
      throw optionError("headers", "must map valid header names to string values without line breaks.", provider);
    }
  }
  return merged;
}

const LEVELS = ["debug", "info", "warn", "error"] as const;

/**
 * The client's logger; without one, the `console` logger `X_LOG` asks for, else silence. A logger with only
 * some of the four methods (`{ warn, error }`, to drop debug noise) gets no-ops for the others, so a missing
 * method can never fail a request at its first retry; a member that is there but not a function is a mistake,
 * refused.
 */
export function resolveLogger(logger: Logger | undefined, provider?: string): Logger {
  if (!logger) return environmentLogger() ?? silentLogger;
  for (const level of LEVELS)
    check(
      logger[level] === undefined || typeof logger[level] === "function",
      `logger.${level}`,
      "must be a function.",
      provider,
    );
  if (LEVELS.every((level) => logger[level])) return logger;
  // Called as methods, so a logger whose methods use `this` (pino) keeps working.
  return Object.fromEntries(
    LEVELS.map((level) => [level, (message: string, data?: Record<string, unknown>) => logger[level]?.(message, data)]),
  ) as unknown as Logger;
}

/** Options with every default filled in and every value checked: what the client reads. */
export type ResolvedClientOptions<
  Paths extends {},
  Extras extends object,
  Methods extends object = {},
> = ExtendableClientOptions<Paths, Extras, Methods> & {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetryOptions | false;
  readonly headers: Record<string, string>;
  readonly logger: Logger;
  readonly plugins: readonly Plugin[];
};

const FUNCTIONS = ["fetch", "onEvent", "describeError", "extend", "actionOf"] as const;
const isPlugin = (plugin: Plugin | undefined) =>
  typeof plugin?.middleware === "function" && typeof plugin.name === "string";

/**
 * Checks every option of `createProviderClient` and fills in the defaults, in one place: the
 * client and `withOptions` read only what this returns. Each problem is a `ConfigurationError`
 * naming the option, thrown at construction, before any request.
 */
export function resolveClientOptions<Paths extends {}, Extras extends object, Methods extends object = {}>(
  options: ExtendableClientOptions<Paths, Extras, Methods>,
): ResolvedClientOptions<Paths, Extras, Methods> {
  const { provider, timeoutMs = 60_000, retry, plugins = [] } = requireKind(options, "object", "options", undefined);
  check(typeof provider === "string" && provider, "provider", "must be a non-empty string.", undefined);
  const baseUrl = assertSecureUrl(options.baseUrl, "baseUrl", provider).href.replace(/\/$/, "");
  checkLimits(timeoutMs, options.maxResponseBytes, "", provider);
  for (const name of FUNCTIONS)
    check(options[name] === undefined || typeof options[name] === "function", name, "must be a function.", provider);
  check(
    options.auth === undefined || isPlugin(options.auth),
    "auth",
    "must be an auth plugin (defineAuthPlugin).",
    provider,
  );
  check(Array.isArray(plugins), "plugins", "must be an array of plugins.", provider);
  plugins.forEach((plugin, index) =>
    check(isPlugin(plugin), `plugins[${index}]`, "must be a plugin (definePlugin).", provider),
  );
  return {
    ...options,
    baseUrl,
    timeoutMs,
    retry: retry === false ? false : resolveRetryOptions(retry, provider),
    headers: mergeHeaders(undefined, options.headers, provider),
    logger: resolveLogger(options.logger, provider),
    plugins,
  };
}

/**
 * The names of a client's plugins, outermost first. Two with one name are refused, since
 * logs, errors and `client.plugins` tell plugins apart by name.
 */
export function pluginNames(plugins: readonly Plugin[], provider: string): string[] {
  const names = plugins.map((plugin) => plugin.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  check(
    duplicate === undefined,
    "plugins",
    `has two plugins named "${duplicate}"; names must be unique within a client.`,
    provider,
  );
  return names;
}
