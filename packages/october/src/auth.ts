import { requireString, staticHeadersAuth, type AuthPlugin } from "@x/core";
import { PROVIDER } from "./errors.js";

export interface OctoberCredentials {
  /** The User ID shown next to the API token in October's web app. */
  userId: string;
  /** The API token (profile > API token > New token), sent as the `sessionToken` header. */
  sessionToken: string;
}

/**
 * October's credential: the `userId` + `sessionToken` header pair on every request. There is no token to
 * renew, so a 401 is final and says which pair was refused, without either value. `October-Version` is
 * not part of the credential: it travels as a client header so that a single call can override it.
 */
export function octoberAuth(credentials: OctoberCredentials): AuthPlugin {
  const userId = requireString(credentials.userId, "userId", PROVIDER);
  const sessionToken = requireString(credentials.sessionToken, "sessionToken", PROVIDER);
  return staticHeadersAuth({
    headers: { userId, sessionToken },
    kind: "session_token",
    rejectedMessage:
      "october refused the userId/sessionToken pair (401): check both in October's web app (profile > API token)," +
      " that the token was not deleted, and that they belong to this environment's baseUrl.",
  });
}
