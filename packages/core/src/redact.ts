const INVALID_URL = "<invalid URL>";

/**
 * What may be shown of a URL in errors, logs and events: origin and path, never the query
 * string, which is where some providers put tokens (finAPI's revoke takes `?token=`).
 */
export function describeUrl(url: string | URL): string {
  const parsed = parseUrl(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : INVALID_URL;
}

/** Path without the query string, for messages such as "GET /users timed out". */
export function describePath(url: string | URL): string {
  return parseUrl(url)?.pathname ?? INVALID_URL;
}

/** The URL, or `undefined` if it is not a valid absolute URL. */
export function parseUrl(url: string | URL): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * A field or header name whose value is a credential: redacted in error bodies, and a request header's value so
 * named is scrubbed from the error answer that echoes it.
 */
export const SECRET_NAME = /pass|secret|token|key|auth|signature|credential|session|cookie/i;

/** Shorter secrets are scrubbed as whole words only: a secret "s" must not turn "refused" into "refu[redacted]ed". */
const MIN_EMBEDDED_SECRET = 8;

/**
 * `text` with every occurrence of each secret replaced by "[redacted]", in whatever encoding a
 * provider echoed it: as is, or with any characters JSON-escaped (`\/`, `\u0041`) or
 * percent-encoded, as in raw JSON or a query string that a parser did not decode.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  if (typeof text !== "string" || !Array.isArray(secrets)) return text;
  return secrets.reduce(
    (scrubbed, secret) =>
      secret && typeof secret === "string" ? scrubbed.replace(secretPattern(secret), "[redacted]") : scrubbed,
    text,
  );
}

function secretPattern(secret: string): RegExp {
  const chars = Array.from(secret, encodings).join("");
  return new RegExp(secret.length < MIN_EMBEDDED_SECRET ? `(?<![\\w%])${chars}(?!\\w)` : chars, "g");
}

/** A character as itself or as any escape of it that JSON or a URL allows. */
function encodings(char: string): string {
  const code = char.codePointAt(0)!;
  const forms = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")];
  if (code <= 0xffff) forms.push(`\\\\u${anyCase(code.toString(16).padStart(4, "0"))}`);
  if (code < 0x80) forms.push(`%${anyCase(code.toString(16).padStart(2, "0"))}`);
  if (char === "/" || char === '"' || char === "\\") forms.push(`\\\\\\${char}`);
  return forms.length === 1 ? forms[0]! : `(?:${forms.join("|")})`;
}

const anyCase = (hex: string) => hex.replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);

/**
 * A copy of a provider's error body with every field whose name looks secret replaced by
 * "[redacted]", and every known secret scrubbed from the other strings, so that a
 * credential the provider echoes cannot leak through `error.body`.
 */
export function redactBody(body: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (!Array.isArray(secrets)) return redactBody(body, [], depth);
  if (typeof body === "string") return scrubSecrets(body, secrets);
  if (depth > 8 || body === null || typeof body !== "object") return body;
  if (Array.isArray(body)) return body.map((item) => redactBody(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    copy[field] =
      SECRET_NAME.test(field) && typeof value === "string" ? "[redacted]" : redactBody(value, secrets, depth + 1);
  }
  return copy;
}

/**
 * The route of a call for messages, logs and events: the spec's path template when the call is
 * a typed one (no ids), else the path of its URL without the query string.
 */
export function describeRoute(url: string, operation: { readonly path: string } | undefined): string {
  return operation ? operation.path : describePath(url);
}
