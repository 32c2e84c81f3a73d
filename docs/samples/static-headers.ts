import {
  createProviderClient,
  requireString,
  staticHeadersAuth,
  type AuthPlugin,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { describeAcmeError, isAcmeError, PROVIDER } from "./error-guard.js";
import type { components, paths } from "./generated/schema.js";
import { operations } from "./generated/spec.js";

// src/auth.ts: the credential plugin.
/** Acme's API key in `X-Api-Key`. A key has no token to renew: a refusal is final, never retried. */
export function acmeAuth(apiKey: string): AuthPlugin {
  return staticHeadersAuth({
    name: `${PROVIDER}-auth`,
    kind: "api_key",
    headers: { "X-Api-Key": apiKey },
    // Acme refuses an unknown key with 401, and a revoked one with 403 and the code `key_revoked`; any other 403 is
    // about rights, not the key. `body()` reads the body (bounded, parsed); a response that is not a refusal passes on
    // unread.
    isRejected: async (response, body) =>
      response.status === 401 || (response.status === 403 && describeAcmeError(await body())?.code === "key_revoked"),
    // Acme's code and message for the AuthenticationError; the key is scrubbed from both.
    describeRejection: (body) => describeAcmeError(body),
  });
}

// src/client.ts: the factory and the helpers.
export interface AcmeClientOptions extends SharedClientOptions {
  /** The API key from the Acme dashboard, sent as `X-Api-Key`. */
  apiKey: string;
}

/** Acme's own methods next to the typed calls; added through `extend`, so `withOptions` keeps them. */
export interface AcmeHelpers {
  /** The entry, or `undefined` when Acme has none with that id. */
  findEntry(entryId: string): Promise<components["schemas"]["Entry"] | undefined>;
}

export type AcmeClient = ProviderClient<paths, AcmeHelpers>;

export function createAcmeClient(options: AcmeClientOptions): AcmeClient {
  const { apiKey, baseUrl, ...shared } = options;
  // Fails at construction with a ConfigurationError naming `apiKey`, never echoing its value.
  requireString(apiKey, "apiKey", PROVIDER);
  return createProviderClient<paths, AcmeHelpers>({
    ...shared,
    provider: PROVIDER,
    baseUrl: baseUrl ?? "https://api.acme.example/v1",
    auth: acmeAuth(apiKey),
    // Every credential the client sends: scrubbed from `{ error }`, `ApiError.body` and every message, even when
    // Acme quotes a request back in an error.
    secrets: [apiKey],
    // Acme's error body onto ApiError's code and message.
    describeError: describeAcmeError,
    // The generated operations: each typed call carries its operationId to plugins (`ctx.operation`) and events.
    operations,
    // Called for every client built, `withOptions` included: each helper uses the `client` it is given.
    extend: (client) => ({
      async findEntry(entryId) {
        try {
          return await client.unwrap(client.GET("/entries/{entryId}", { params: { path: { entryId } } }));
        } catch (error) {
          if (isAcmeError(error, "not_found")) return undefined;
          throw error;
        }
      },
    }),
  });
}

export async function example(baseUrl: string): Promise<{ codes: string[]; missing: unknown }> {
  const acme = createAcmeClient({ apiKey: "demo-key", baseUrl });
  const { accounts } = await acme.unwrap(acme.GET("/accounts"));
  // A derived client (here a shorter timeout) keeps the helpers.
  const missing = await acme.withOptions({ timeoutMs: 5_000 }).findEntry("missing");
  return { codes: accounts.map((account) => account.code), missing };
}
