/** Options of `readErrorBody`. */
export interface ReadErrorBodyOptions {
  /** Bytes read at most; the rest is cancelled, not downloaded. Default 65 536 (64 KiB). */
  maxBytes?: number;
  /** Stop reading after this long: a server that sends headers and then stalls must not hang the caller. Default 10 000. */
  timeoutMs?: number;
  /** Stops reading when it fires (the call's signal): what was read so far is used. */
  signal?: AbortSignal | undefined;
}

/**
 * Reads a response body that is only needed to explain a failure, bounded in size
 * (`maxBytes`) and time (`timeoutMs`, `signal`), and never throws. Returns the body parsed
 * as JSON when it is JSON, else its text (cut at `maxBytes`), or `undefined` when it is empty
 * or unreadable. The connection is freed in every case.
 *
 * @example
 * if (!response.ok) throw apiErrorFor(provider, response, await readErrorBody(response, { signal }), describeError, secrets);
 */
export async function readErrorBody(response: Response, options: ReadErrorBodyOptions = {}): Promise<unknown> {
  const { maxBytes = 65_536, timeoutMs = 10_000, signal } = options;
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
  } catch {
    // A reset connection: keep what was read.
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
    stop(); // frees the connection of a body cut at maxBytes
  }
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Frees the connection of a response whose body will not be read. */
export function discardBody(response: Response | undefined): Promise<void> | undefined {
  return response?.body?.cancel().catch(() => {});
}
