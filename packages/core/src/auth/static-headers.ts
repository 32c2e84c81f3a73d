import { discardBody, redactErrorResponse } from "../body.js";
import { AuthenticationError, responseErrorOptions } from "../errors.js";
import type { AuthPlugin, ClientRuntime } from "../plugin.js";
import { redactBody, scrubSecrets } from "../redact.js";
import { withHeaders } from "../request.js";
import { hasControlBreak, optionError, requireKind } from "../security.js";
import { rejectionOf, type RejectionCheck } from "./rejection.js";

export interface StaticHeadersAuthOptions {
  /** Credential headers sent on every request, e.g. `{ userId, sessionToken }`. */
  headers: Record<string, string>;
  /** Credential kind for events and errors. Default "headers". */
  kind?: string;
  /** The plugin's name, unique within a client. Default "static-headers-auth". */
  name?: string;
  /**
   * Whether a response says these credentials were refused. Default: status 401. May read the
   * body through `body()` (bounded, parsed when JSON); the response passes on unread when it
   * is not a rejection. E.g. Salt Edge refuses with 401 and 403.
   */
  isRejected?: RejectionCheck;
  /**
   * Reads the provider's explanation of a rejection from its body (parsed when JSON): `code`
   * becomes the error's code (default "CREDENTIALS_REJECTED"), `message` the end of its
   * message. The header values are scrubbed from both the message and `error.body`.
   */
  describeRejection?(body: unknown, response: Response): { code?: string; message?: string } | undefined;
  /**
   * The whole message of a rejection the describer gave no message for. Default: the provider
   * refused the credentials sent in the named headers. Never include the header values.
   */
  rejectedMessage?: string;
  /** Revokes the credentials at the provider, for `client.revoke()` (e.g. ending a session). */
  revoke?(runtime: ClientRuntime): Promise<void>;
}

/**
 * Fixed credential headers (API keys). There is no token to renew, so a rejection is final: it
 * becomes an `AuthenticationError` at once instead of a retry that would fail the same way.
 *
 * @example
 * staticHeadersAuth({
 *   headers: { "Client-id": clientId, "App-secret": appSecret },
 *   isRejected: (response) => response.status === 401 || response.status === 403,
 *   describeRejection: (body) => ({ code: body?.error_class, message: advice(body?.error_class) }),
 * });
 */
export function staticHeadersAuth(options: StaticHeadersAuthOptions): AuthPlugin {
  const headers = {
    ...requireKind(requireKind(options, "object", "staticHeadersAuth options").headers, "object", "headers"),
  };
  // Checked now, not at the first send, and without quoting the value, which is the credential.
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") throw optionError(`headers.${name}`, `must be a string, got ${typeof value}.`);
    if (hasControlBreak(value)) throw optionError(`headers.${name}`, "must not contain line breaks or NUL characters.");
  }
  const names = Object.keys(headers).join(", ");
  const values = Object.values(headers);
  return {
    name: options.name ?? "static-headers-auth",
    kind: options.kind ?? "headers",
    async authorize() {
      return { ...headers };
    },
    async middleware(request, next, ctx) {
      const { response, rejected } = await rejectionOf(
        await next(withHeaders(request, headers)),
        options.isRejected,
        ctx.signal,
      );
      // An error answer that echoes the credential headers is redacted before anyone reads it.
      if (!rejected) return redactErrorResponse(response, values, ctx.signal);
      const body = options.describeRejection && redactBody(await rejected(), values);
      const details = options.describeRejection?.(body, response);
      discardBody(response);
      const head = `${ctx.provider} refused ${names} (${response.status}${details?.code ? ` ${details.code}` : ""})`;
      throw new AuthenticationError(
        details?.message
          ? `${head}: ${scrubSecrets(details.message, values)}`
          : (options.rejectedMessage ?? `${head}; check the credentials.`),
        {
          ...responseErrorOptions(ctx.provider, response, details?.code ?? "CREDENTIALS_REJECTED"),
          body,
        },
      );
    },
    ...(options.revoke && { revoke: options.revoke }),
  };
}
