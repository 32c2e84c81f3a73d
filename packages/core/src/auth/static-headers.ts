import { discardBody } from "../body.js";
import { AuthenticationError, responseErrorOptions } from "../errors.js";
import type { AuthPlugin } from "../plugin.js";
import { withHeaders } from "../request.js";

export interface StaticHeadersAuthOptions {
  /** Credential headers sent on every request, e.g. `{ userId, sessionToken }`. */
  headers: Record<string, string>;
  /** Credential kind for events and errors. Default "headers". */
  kind?: string;
  /**
   * What a 401 means for these credentials, said to the user. Default: the provider refused
   * the credentials sent in the named headers. Never include the header values.
   */
  rejectedMessage?: string;
}

/**
 * Fixed credential headers (API keys). There is no token to renew, so a 401 is final: it
 * becomes an `AuthenticationError` at once instead of a retry that would fail the same way.
 */
export function staticHeadersAuth(options: StaticHeadersAuthOptions): AuthPlugin {
  const headers = { ...options.headers };
  return {
    name: "static-headers-auth",
    kind: options.kind ?? "headers",
    async authorize() {
      return { ...headers };
    },
    async middleware(request, next, ctx) {
      const response = await next(withHeaders(request, headers));
      if (response.status === 401) {
        await discardBody(response);
        throw new AuthenticationError(
          options.rejectedMessage ?? `${ctx.provider} refused ${Object.keys(headers).join(", ")} (401); check the credentials.`,
          responseErrorOptions(ctx.provider, response, "CREDENTIALS_REJECTED"),
        );
      }
      return response;
    },
  };
}
