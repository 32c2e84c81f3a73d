import type { Plugin } from "../plugin.js";
import { readBodyBytes, withHeaders, type PipelineRequest } from "../request.js";

/** What a signer sees: the request exactly as it will be sent. */
export interface SigningInput {
  method: string;
  /** Full URL with the query string. */
  url: string;
  /** The body bytes as sent (empty for GET or no body), ready for `crypto.subtle.sign`. */
  body: Uint8Array<ArrayBuffer>;
  request: PipelineRequest;
}

/** Returns the headers to add, e.g. `{ "Expires-at": ..., Signature: ... }`. */
export type RequestSigner = (input: SigningInput) => Promise<Record<string, string>>;

/**
 * Signs every attempt of every request. It sits inside the retry plugin, so a retried
 * request is signed again (a fresh expiry), and it signs the bytes of the very body value that
 * is sent, so signature and body can never disagree.
 */
export function requestSigning(sign: RequestSigner, name = "request-signing"): Plugin {
  return {
    name,
    async middleware(original, next) {
      const { request, bytes } = await readBodyBytes(original);
      const headers = await sign({ method: request.method.toUpperCase(), url: request.url, body: bytes, request });
      return next(withHeaders(request, headers));
    },
  };
}
