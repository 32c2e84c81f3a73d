import type { ResolvedCallOptions } from "./call-options.js";
import type { PipelineRequest, RequestBody } from "./request.js";
import { optionError } from "./security.js";

/**
 * The path-style calls (`client.GET("/customers/{id}", init, options)`) as core builds them: the request value from
 * a path template and openapi-fetch's init, and the answer read into `{ data, error, response }`. openapi-fetch's
 * types describe these calls; its runtime is not shipped, since the pipeline already does everything after the request
 * is built. What a call sends and reads is what openapi-fetch 0.17 does for the init fields below.
 */

/** How a success answer is read; `stream` gives `response.body` unread. */
export type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

type HeaderValue = string | number | boolean | readonly (string | number | boolean)[] | null | undefined;
/** A header source: `Headers`, pairs, or an object whose `null` value removes the header set before it. */
export type HeaderSource = Headers | readonly (readonly [string, string])[] | Record<string, HeaderValue>;

/** The init of a path-style call, as the typed calls and the generated methods pass it. */
export interface PathInit {
  params?: {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, HeaderValue>;
  };
  body?: unknown;
  /** Replaces the default serialization (JSON, or form fields under an x-www-form-urlencoded content type). */
  bodySerializer?: (body: unknown, headers: Headers) => unknown;
  querySerializer?: (query: Record<string, unknown>) => string;
  parseAs?: ParseAs;
  headers?: HeaderSource;
  signal?: AbortSignal | null;
}

/** openapi-fetch options core does not run: each names what does the job here instead. */
const UNSUPPORTED = {
  baseUrl: "is the client's: create it with that baseUrl (or call withOptions).",
  fetch: "is the client's fetch option; per call, add a plugin instead.",
  middleware: "is not run: core's plugins are the middleware (the plugins option).",
  pathSerializer: "is not supported: path parameters are encoded as the spec's simple style.",
} as const;

const PARSE_AS = new Set<unknown>(["json", "text", "blob", "arrayBuffer", "stream"]);

/** What every path-style call of a client starts from. */
export interface PathClientDefaults {
  readonly provider: string;
  /** Without its trailing slash. */
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
}

/**
 * The request value of a path-style call. Headers, last one winning: the client's, the init's, the call options',
 * then `params.header`; a `null` value removes what came before (openapi-fetch's order and semantics).
 */
export function buildPathRequest(
  client: PathClientDefaults,
  method: string,
  path: string,
  init: PathInit | undefined,
  call: ResolvedCallOptions | undefined,
): PipelineRequest {
  const { provider } = client;
  if (init) checkInit(init, provider);
  const headers = new Headers(client.headers);
  // Whether a `null` took the content type away: then a JSON body is sent without one, as openapi-fetch does.
  const unsetByInit = merge(headers, init?.headers, provider);
  const unsetByCall = merge(headers, call?.headers, provider);
  const unsetType = merge(headers, init?.params?.header, provider) || unsetByInit || unsetByCall;
  const body = serializeBody(init, headers);
  if (body !== undefined && !sentAsIs(body) && !headers.has("content-type") && !unsetType)
    headers.set("content-type", "application/json");
  const query = init?.params?.query;
  const search = init?.querySerializer
    ? init.querySerializer(query ?? {}).replace(/^\?/, "")
    : queryString(query, provider);
  return {
    method,
    url: `${client.baseUrl}${expandPath(path, init?.params?.path, provider)}${search ? `?${search}` : ""}`,
    headers,
    body: (body ?? null) as RequestBody | null,
    signal: call?.signal ?? init?.signal ?? undefined,
  };
}

function checkInit(init: PathInit, provider: string): void {
  for (const name in UNSUPPORTED)
    if ((init as Record<string, unknown>)[name] !== undefined)
      throw optionError(name, UNSUPPORTED[name as keyof typeof UNSUPPORTED], provider);
  if (init.querySerializer !== undefined && typeof init.querySerializer !== "function")
    throw optionError("querySerializer", "must be a function from the query object to its string.", provider);
  if (init.parseAs !== undefined && !PARSE_AS.has(init.parseAs))
    throw optionError("parseAs", 'must be "json", "text", "blob", "arrayBuffer" or "stream".', provider);
}

/** Sets `source` over `headers`; returns whether it removed the content type. */
function merge(headers: Headers, source: HeaderSource | undefined, provider: string): boolean {
  if (!source || typeof source !== "object") return false;
  let unsetType = false;
  const entries = source instanceof Headers || Array.isArray(source) ? source : Object.entries(source);
  for (const [name, value] of entries as Iterable<[string, HeaderValue]>) {
    try {
      if (value === null) {
        headers.delete(name);
        unsetType ||= name.toLowerCase() === "content-type";
      } else if (Array.isArray(value)) {
        for (const item of value) headers.append(name, String(item));
      } else if (value !== undefined) headers.set(name, String(value));
    } catch {
      // The TypeError of `Headers` quotes the value, which is often a credential.
      throw optionError(`headers.${name}`, "must be a valid header name and value, without line breaks.", provider);
    }
  }
  return unsetType;
}

/** The path with each `{name}` replaced by its encoded value; a missing one is refused, never sent as `{name}`. */
function expandPath(path: string, values: Record<string, unknown> | undefined, provider: string): string {
  return path.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const field = `params.path.${name}`;
    const value = values?.[name];
    if (value === undefined || value === null) throw optionError(field, `is missing: ${path} needs it.`, provider);
    // Simple style: an array's items joined with commas.
    return Array.isArray(value)
      ? value.map((item) => encode(field, item, provider)).join(",")
      : encode(field, value, provider);
  });
}

/** A primitive, percent-encoded; a nested object has no serialization of its own. */
function encode(field: string, value: unknown, provider: string): string {
  if (typeof value === "object")
    throw optionError(field, "must be a string, number or boolean (or an array of them).", provider);
  return encodeURIComponent(value as string | number | boolean);
}

/**
 * openapi-fetch's default query: arrays exploded (`a=1&a=2`), objects as deepObject (`a[b]=c`), `undefined` and
 * `null` left out, values percent-encoded; names as the spec wrote them.
 */
function queryString(query: Record<string, unknown> | undefined, provider: string): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value !== undefined && value !== null) pairs.push(`${name}=${encode(`params.query.${name}`, value, provider)}`);
  };
  for (const name in query) {
    const value = query[name];
    if (Array.isArray(value)) for (const item of value) add(name, item);
    else if (typeof value === "object" && value !== null)
      for (const key in value) add(`${name}[${key}]`, (value as Record<string, unknown>)[key]);
    else add(name, value);
  }
  return pairs.join("&");
}

/** Bodies `fetch` sends as they are, with the content type it derives (multipart boundary, form fields, a file's). */
const sentAsIs = (body: unknown) =>
  body instanceof FormData ||
  body instanceof URLSearchParams ||
  body instanceof Blob ||
  body instanceof ArrayBuffer ||
  ArrayBuffer.isView(body);

function serializeBody(init: PathInit | undefined, headers: Headers): unknown {
  const body = init?.body;
  if (body === undefined) return undefined;
  if (init!.bodySerializer) return init!.bodySerializer(body, headers);
  if (sentAsIs(body)) return body;
  if (headers.get("content-type") === "application/x-www-form-urlencoded")
    return new URLSearchParams(body as Record<string, string>).toString();
  return JSON.stringify(body);
}

/** A path-style call's result: `data` for a success, `error` (the parsed body, else its text) for an error answer. */
export type PathAnswer = { data: unknown; response: Response } | { error: unknown; response: Response };

/**
 * Reads the answer as openapi-fetch does: nothing for 204, HEAD or an empty body; a success by `parseAs` (JSON by
 * default, `undefined` for an empty one); an error body as JSON if it parses, else as text.
 */
export async function readAnswer(response: Response, method: string, parseAs: ParseAs = "json"): Promise<PathAnswer> {
  const length = response.headers.get("content-length");
  if (
    response.status === 204 ||
    method === "HEAD" ||
    (length === "0" && !response.headers.get("transfer-encoding")?.includes("chunked"))
  )
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  if (response.ok) {
    if (parseAs === "stream") return { data: response.body, response };
    if (parseAs !== "json" || length) return { data: await response[parseAs](), response };
    const text = await response.text();
    return { data: text ? JSON.parse(text) : undefined, response };
  }
  const text = await response.text();
  try {
    return { error: JSON.parse(text), response };
  } catch {
    return { error: text, response };
  }
}
