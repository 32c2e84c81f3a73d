import { AbortError, TimeoutError } from "./errors.js";
import { requireKind } from "./security.js";
import { redactBody } from "./redact.js";

/** Options of `readErrorBody`. */
export interface ReadErrorBodyOptions {
  /** Bytes read at most; the rest is cancelled, not downloaded. Default 65 536 (64 KiB). */
  maxBytes?: number;
  /**
   * Stop reading after this long: a server that sends headers and then stalls must not hang the caller.
   * Default 10 000.
   */
  timeoutMs?: number;
  /** Stops reading when it fires (the call's signal): what was read so far is used. */
  signal?: AbortSignal | undefined;
}

/**
 * Reads a response body that is only needed to explain a failure, bounded in size
 * (`maxBytes`) and time (`timeoutMs`, `signal`), and never throws. Returns the body parsed
 * as JSON when it is JSON, else its text (cut at `maxBytes`), or `undefined` when it is empty
 * or unreadable. The connection is freed in every case. It throws only the call's own
 * `TimeoutError` or `AbortError`, when the deadline passes or the caller aborts mid-body.
 *
 * @example
 * if (!response.ok)
 *   throw apiErrorFor(provider, response, await readErrorBody(response, { signal }), describeError, secrets);
 */
export async function readErrorBody(response: Response, options: ReadErrorBodyOptions = {}): Promise<unknown> {
  return parseErrorText(await readErrorText(response, options));
}

/** The bounded read of `readErrorBody`, as text: "" when empty or unreadable. */
export async function readErrorText(response: Response, options: ReadErrorBodyOptions = {}): Promise<string> {
  if (!(response instanceof Response)) return ""; // documented never to throw: nothing to read
  const { maxBytes = 65_536, timeoutMs = 10_000, signal } = options ?? {};
  let text = "";
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Cancelling the reader ends a pending read as "done": a stalled body stops at the deadline or the signal.
  const stop = () => void reader?.cancel().catch(() => {});
  const timer = setTimeout(stop, timeoutMs);
  signal?.addEventListener("abort", stop);
  try {
    reader = response.body!.getReader(); // a null or locked body throws here: nothing to read
    if (signal?.aborted) stop();
    const decoder = new TextDecoder();
    for (let left = maxBytes; left > 0; ) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value.subarray(0, left), { stream: true });
      left -= chunk.value.byteLength;
    }
    text += decoder.decode();
  } catch (error) {
    // The call's deadline or the caller's abort cut the body (the timeout plugin's typed errors): the call is
    // over, and an error built from half a body would hide why. A reset connection: keep what was read.
    if (error instanceof TimeoutError || error instanceof AbortError) throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
    stop(); // frees the connection of a body cut at maxBytes
  }
  return text;
}

/** An error body's text parsed when it is JSON, else the text itself; `undefined` when empty. */
export function parseErrorText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * An error response with its body read within bounds (`readErrorBody`) and redacted (`redactBody`:
 * every secret scrubbed, secret-named fields replaced), for callers who read `{ error }` without
 * `unwrap`: an echoed credential never reaches them, and an endless body cannot hang them. The
 * client does it with its `secrets`; an auth plugin with the credential it sent on this very call
 * (a token fetched for it), which no option could have named. A 2xx answer is returned as it came.
 */
export async function redactErrorResponse(
  response: Response,
  secrets: readonly string[] | undefined,
  signal?: AbortSignal,
): Promise<Response> {
  requireKind(response, "fetch Response", "response");
  // No body to read, or openapi-fetch's `error: undefined` case: left as it came.
  if (response.ok || !response.body || response.headers.get("content-length") === "0") return response;
  const body = redactBody(await readErrorBody(response, { signal }), secrets);
  const copy = new Response(
    body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
    response,
  );
  // apiErrorFor names the path from `response.url`; a constructed Response has none.
  return Object.defineProperty(copy, "url", { value: response.url });
}

/** Frees the connection of a response whose body will not be read. */
export function discardBody(response: Response | undefined): Promise<void> | undefined {
  return response instanceof Response ? response.body?.cancel().catch(() => {}) : undefined;
}
