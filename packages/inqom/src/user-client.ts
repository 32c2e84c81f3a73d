import { assertSecureUrl, requireString, type ProviderClient, type SharedClientOptions } from "@x/core";
import { inqomUserAuth, type ExchangeCodeInput } from "./authorization-code.js";
import { bankingClient, withHelpers, type Credential, type InqomHelpers } from "./client.js";
import { PROVIDER } from "./errors.js";
import type { Methods } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";
import { resolveTokenUrl, type InqomIdentityOptions } from "./identity.js";

export interface InqomUserClientOptions extends SharedClientOptions, InqomIdentityOptions {
  /**
   * Your app's stable id for the Inqom user this client acts for (your own user id; not a secret). Their tokens are
   * cached under it: give every client of this user the same `user` and the same `tokenCache`.
   */
  user: string;
  /** The `redirectUri` of `inqomAuthorizeUrl`, sent again with the code. */
  redirectUri: string;
}

/** What a user client adds: the end of the login. */
export interface InqomUserHelpers {
  /**
   * Turns the `code` the user brought back to `redirectUri` into their tokens, after checking `state` against
   * `expectedState`; every later call uses them, renewed with the refresh token.
   */
  exchangeCode(input: ExchangeCodeInput): Promise<void>;
}

/** The banking client of one Inqom user: the same methods and helpers as `InqomClient`, and `exchangeCode`. */
export type InqomUserClient = ProviderClient<paths, InqomHelpers & InqomUserHelpers, Methods>;
/** The user client of `@x/inqom/mini`: the path-style calls and `exchangeCode`; the operations are functions. */
export type InqomUserMiniClient = ProviderClient<paths, InqomUserHelpers>;

/** Validates a user client's own options and builds the user's credential. */
export function userCredential(options: InqomUserClientOptions, factory: string): Credential<InqomUserHelpers> {
  const tokenUrl = resolveTokenUrl(options, factory);
  const { clientId, clientSecret, user, redirectUri } = options;
  requireString(user, "user", PROVIDER);
  assertSecureUrl(redirectUri, "redirectUri", PROVIDER);
  const auth = inqomUserAuth({ tokenUrl, clientId, clientSecret, user, redirectUri });
  return {
    auth,
    // The user's own tokens are scrubbed by the auth plugin, which knows each one it sends.
    secrets: [clientSecret, clientId],
    // Over each client's runtime, so the tokens land in that client's cache.
    helpers: (client) => ({ exchangeCode: (input) => auth.exchangeCode(client.runtime, input) }),
  };
}

/**
 * A typed client for Inqom's banking API acting for one Inqom user, through the OAuth2 authorization-code flow
 * (Inqom's "Se connecter à Inqom"): send the user to `inqomAuthorizeUrl(...)`, give the code they bring back to
 * `exchangeCode`, then call the API; the access token is renewed with the user's refresh token. Use it when your
 * users have their own Inqom accounts; use `createInqomClient` (password grant) for one access account of your own.
 *
 * @example
 * const inqom = createInqomUserClient({ clientId, clientSecret, user: session.userId, redirectUri, tokenCache });
 * await inqom.exchangeCode({ code, state, expectedState: session.inqomState });
 */
export function createInqomUserClient(options: InqomUserClientOptions): InqomUserClient {
  const credential = userCredential(options, "createInqomUserClient");
  return bankingClient(options, credential, withHelpers(credential.helpers));
}

/**
 * `createInqomUserClient` without the generated methods, the spec's operations table and the CFONB helpers (it keeps
 * `exchangeCode`, the end of the login): what `@x/inqom/mini` exports under that name.
 */
export function createInqomUserMiniClient(options: InqomUserClientOptions): InqomUserMiniClient {
  const credential = userCredential(options, "createInqomUserClient");
  return bankingClient(options, credential, { extend: credential.helpers });
}
