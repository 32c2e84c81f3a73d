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
import { methods, type Methods } from "./generated/methods.js";
import { operations, servers } from "./generated/spec.js";
import { requireOptions } from "./options.js";
import { pagerOf, type ListItem, type ListPath, type ListQuery } from "./pagination.js";
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
   * Every item of a list operation by its path, page after page (`meta.next_id` -> `from_id`): the same as the list's
   * generated method (`client.transactions.list({ connection_id })`), core's `Paginated`.
   * @example for await (const tx of client.paginate("/transactions", { connection_id })) ...
   */
  paginate<P extends ListPath<paths>>(path: P, query?: ListQuery<paths, P>): Paginated<ListItem<paths, P>>;
}

/**
 * The Salt Edge v6 client: a method per operation of the spec by tag (`client.customers.create({ identifier })`,
 * without Salt Edge's `data` envelope), the path-style calls (`client.POST("/customers", ...)`), `paginate`, and
 * core's helpers.
 */
export type SaltEdgeClient = ProviderClient<paths, SaltEdgeHelpers, Methods>;

const paginateOn = pagerOf(methods);

/**
 * A typed client for the Salt Edge API v6. Every request carries `App-id` and `Secret` and is signed with
 * `privateKey`; customers and connections are named by id.
 *
 * @example
 * const client = createSaltEdgeClient({ appId, secret, privateKey });
 * const customer = await client.customers.create({ identifier });
 * const session = await client.connections.connect({
 *   customer_id: customer.id,
 *   consent: { scopes: ["accounts", "transactions"] },
 * });
 * // send the end user to session.connect_url; the success callback names the connection
 * for await (const tx of client.transactions.list({ connection_id })) console.log(tx.amount);
 */
export function createSaltEdgeClient(options: SaltEdgeClientOptions): SaltEdgeClient {
  requireOptions(options, "appId, secret and privateKey");
  const { appId, secret, privateKey, expiresInSeconds, baseUrl, ...shared } = options;
  requireString(appId, "appId", PROVIDER);
  requireString(secret, "secret", PROVIDER);
  // A PEM spans lines, so it is not a header-safe string: `saltEdgeSigning` checks its type and shape instead.
  checkExpiresInSeconds(expiresInSeconds);
  const signing = saltEdgeSigning({ privateKey, signatureAlgorithm: "sha256", expiresInSeconds });
  return createProviderClient<paths, SaltEdgeHelpers, Methods>({
    ...shared,
    provider: PROVIDER,
    baseUrl: assertSecureUrl(baseUrl ?? servers.production, "baseUrl", PROVIDER).href,
    operations,
    methods,
    auth: saltEdgeAuth({ appId, secret }),
    describeError: describeSaltEdgeError,
    // Salt Edge echoes parts of the request: core scrubs the secret from `{ error }`, `ApiError.body` and messages.
    secrets: [secret],
    // Signing sits inside retry (core runs `plugins` there), so every attempt gets a fresh Expires-at.
    plugins: [...(shared.plugins ?? []), signing],
    // The untyped pager, seen through the helper's typed signature.
    extend: (client) => ({ paginate: paginateOn(client) }) as unknown as SaltEdgeHelpers,
  });
}
