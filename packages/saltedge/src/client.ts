import {
  assertSecureUrl,
  createProviderClient,
  requireString,
  type Paginated,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { saltEdgeAuth } from "./auth.js";
import { describeSaltEdgeError, PROVIDER } from "./errors.js";
import type { paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";
import { requireOptions } from "./options.js";
import { paginateList, type ListItem, type ListPath, type ListQuery, type PageSource } from "./pagination.js";
import { checkExpiresInSeconds, saltEdgeSigning } from "./signing.js";

export interface SaltEdgeClientOptions extends SharedClientOptions {
  /** Sent as `App-id` on every request (dashboard, API keys). */
  appId: string;
  /** Sent as `Secret` on every request. */
  secret: string;
  /**
   * The app's RSA private key (PEM, PKCS#8 or PKCS#1) whose public half is uploaded in the Salt Edge dashboard.
   * Every request is signed with it (`Expires-at` + `Signature`, RSA-SHA256).
   */
  privateKey: string;
  /** `Expires-at` = now + this many seconds, 1..3600; default 60. */
  expiresInSeconds?: number;
}

/** What the client adds to a typed client; `withOptions` keeps it (core's `extend`). */
export interface SaltEdgeHelpers {
  /**
   * Every item of a list operation, page after page (`meta.next_id` -> `from_id`): core's `Paginated`, with
   * `.pages()` and `.collect(maxItems?)`.
   * @example for await (const tx of client.paginate("/transactions", { connection_id })) ...
   */
  paginate<P extends ListPath<paths>>(path: P, query?: ListQuery<paths, P>): Paginated<ListItem<paths, P>>;
}

/** The Salt Edge v6 client: a typed method per operation of the spec, `paginate`, and core's helpers. */
export type SaltEdgeClient = ProviderClient<paths, SaltEdgeHelpers>;

/**
 * A typed client for the Salt Edge API v6. Every request carries `App-id` and `Secret` and is signed with
 * `privateKey`; customers and connections are named by id.
 *
 * @example
 * const client = createSaltEdgeClient({ appId, secret, privateKey });
 * const { data: customer } = await client.unwrap(client.POST("/customers", { body: { data: { identifier } } }));
 * const { data: session } = await client.unwrap(client.POST("/connections/connect", {
 *   body: { data: { customer_id: customer.id, consent: { scopes: ["accounts", "transactions"] } } },
 * }));
 * // send the end user to session.connect_url; the success callback names the connection
 * for await (const tx of client.paginate("/transactions", { connection_id })) console.log(tx.amount);
 */
export function createSaltEdgeClient(options: SaltEdgeClientOptions): SaltEdgeClient {
  requireOptions(options, "appId, secret and privateKey");
  const { appId, secret, privateKey, expiresInSeconds, baseUrl, ...shared } = options;
  requireString(appId, "appId", PROVIDER);
  requireString(secret, "secret", PROVIDER);
  // A PEM spans lines, so it is not a header-safe string: `saltEdgeSigning` checks its type and shape instead.
  checkExpiresInSeconds(expiresInSeconds);
  const signing = saltEdgeSigning({ privateKey, signatureAlgorithm: "sha256", expiresInSeconds });
  return createProviderClient<paths, SaltEdgeHelpers>({
    ...shared,
    provider: PROVIDER,
    baseUrl: assertSecureUrl(baseUrl ?? servers.production, "baseUrl", PROVIDER).href,
    operations,
    auth: saltEdgeAuth({ appId, secret }),
    describeError: describeSaltEdgeError,
    // Salt Edge echoes parts of the request: core scrubs the secret from `{ error }`, `ApiError.body` and messages.
    secrets: [secret],
    // Signing sits inside retry (core runs `plugins` there), so every attempt gets a fresh Expires-at.
    plugins: [...(shared.plugins ?? []), signing],
    // The typed GET, seen as the untyped one `paginateList` calls: the helper's own signature is the typed one.
    extend: (client) => ({
      paginate: (path: string, query?: Record<string, unknown>) =>
        paginateList(client as unknown as PageSource, path, query),
    }),
  }) as unknown as SaltEdgeClient;
}
