import { oauth2Auth, readErrorBody, type BearerTokenAuth } from "@x/core";

/** The scope Inqom's banking guide gives for the password grant, "tel quel": the default. */
export const INQOM_SCOPE = "openid apidata";

export interface InqomAuthOptions {
  /** Full URL of the identity server's token endpoint, e.g. `https://auth.inqom.com/identity/connect/token`. */
  tokenUrl: string;
  /** E-mail address of the access account. */
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
  /**
   * Space-separated scopes. Default `INQOM_SCOPE` ("openid apidata", the banking guide's). Inqom's help centre also
   * documents `email`, `offline_access` and `accountingdocumentsapi`.
   */
  scope?: string;
}

/**
 * Inqom's credential: the OAuth2 password grant at the identity server (form-encoded, client
 * id and secret in the body, scope "openid apidata" unless told otherwise), on core's shared token cache. The
 * lifetime comes from `expires_in`, or else from the JWT's `exp`.
 *
 * The banking API answers 403 both for an invalid or expired token and for missing rights on
 * a dossier; only the first is worth a new token, so a 403 counts as a rejected token only
 * when its body says so. A bare 401 always does.
 */
export function inqomAuth(options: InqomAuthOptions): BearerTokenAuth {
  const scope = options.scope ?? INQOM_SCOPE;
  return oauth2Auth({
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    grant: { type: "password", username: options.username, password: options.password },
    scope,
    // Tokens of other scopes are other credentials: they must not share a cache entry.
    identity: [scope],
    kind: "access_token",
    isTokenRejected,
    rejectedMessage:
      "inqom refused a freshly issued access token; the user may lack rights on this dossier, " +
      "or the client may not be allowed to call this API.",
  });
}

/**
 * Whether a banking API response says the bearer itself was refused (see `inqomAuth`). A core `RejectionCheck`:
 * `body()` reads the body bounded in size and time (core passes its reader of a copy of the response); called with
 * the response alone, it reads that response's body the same way.
 */
export async function isTokenRejected(
  response: Response,
  body: () => Promise<unknown> = () => readErrorBody(response),
): Promise<boolean> {
  if (response.status === 401) return true;
  if (response.status !== 403) return false;
  if (/invalid_token/i.test(response.headers.get("www-authenticate") ?? "")) return true;
  const read = (await body()) as Record<string, unknown> | null | undefined; // or text: no field then
  const code = read?.Code ?? read?.code ?? read?.error;
  return typeof code === "string" && /^invalid_?token$/i.test(code);
}
