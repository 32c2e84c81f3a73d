import {
  assertSecureUrl,
  createProviderClient,
  requireString,
  type ExtendableClientOptions,
  type Paginated,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { saltEdgeAuth } from "./auth.js";
import { describeSaltEdgeError, PROVIDER } from "./errors.js";
import type { paths } from "./generated/schema.js";
import { methods, type Methods } from "./generated/methods.js";
import {
  listAccounts,
  listConnections,
  listConsents,
  listCustomers,
  listProviders,
  listTransactions,
} from "./generated/operations.js";
import { operations, servers } from "./generated/spec.js";
import { requireOptions } from "./options.js";
import { pagerOf, type ListItem, type ListOperations, type ListPath, type ListQuery } from "./pagination.js";
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

/**
 * The client of `@x/saltedge/mini`: the path-style calls and core's helpers, without the generated methods and
 * `paginate`. Call the operations as the functions that entry exports (`listTransactions(client, { connection_id })`
 * pages by itself), so a bundler keeps only those an app imports.
 */
export type SaltEdgeMiniClient = ProviderClient<paths>;

// Pure: an app of `@x/saltedge/mini` never calls `paginate`, so its bundler drops this table and its six lists.
const paginateOn = /* @__PURE__ */ pagerOf({
  "/providers": listProviders,
  "/customers": listCustomers,
  "/connections": listConnections,
  "/consents": listConsents,
  "/accounts": listAccounts,
  "/transactions": listTransactions,
} satisfies ListOperations<paths>);

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
  return saltEdgeClient<SaltEdgeHelpers, Methods>(options, {
    operations,
    methods,
    // The untyped pager, seen through the helper's typed signature.
    extend: (client) => ({ paginate: paginateOn(client) }) as unknown as SaltEdgeHelpers,
  });
}

/**
 * `createSaltEdgeClient` without the generated methods, the spec's operations table and `paginate`: what
 * `@x/saltedge/mini` exports under that name.
 *
 * @example
 * import { createSaltEdgeClient, createCustomer, listTransactions } from "@x/saltedge/mini";
 * const client = createSaltEdgeClient({ appId, secret, privateKey });
 * const customer = await createCustomer(client, { identifier });
 * for await (const tx of listTransactions(client, { connection_id })) console.log(tx.amount);
 */
export function createSaltEdgeMiniClient(options: SaltEdgeClientOptions): SaltEdgeMiniClient {
  return saltEdgeClient(options, {});
}

/** A Salt Edge v6 client over `spec`: the spec's tables and `paginate`, or none of them for `mini`. */
function saltEdgeClient<Extras extends object = {}, M extends object = {}>(
  options: SaltEdgeClientOptions,
  spec: Pick<ExtendableClientOptions<paths, Extras, M>, "operations" | "methods" | "extend">,
): ProviderClient<paths, Extras, M> {
  requireOptions(options, "appId, secret and privateKey");
  const { appId, secret, privateKey, expiresInSeconds, baseUrl, ...shared } = options;
  requireString(appId, "appId", PROVIDER);
  requireString(secret, "secret", PROVIDER);
  // A PEM spans lines, so it is not a header-safe string: `saltEdgeSigning` checks its type and shape instead.
  checkExpiresInSeconds(expiresInSeconds);
  const signing = saltEdgeSigning({ privateKey, signatureAlgorithm: "sha256", expiresInSeconds });
  return createProviderClient<paths, Extras, M>({
    ...shared,
    provider: PROVIDER,
    baseUrl: assertSecureUrl(baseUrl ?? servers.production, "baseUrl", PROVIDER).href,
    auth: saltEdgeAuth({ appId, secret }),
    describeError: describeSaltEdgeError,
    // Salt Edge echoes parts of the request: core scrubs the secret from `{ error }`, `ApiError.body` and messages.
    secrets: [secret],
    // Signing sits inside retry (core runs `plugins` there), so every attempt gets a fresh Expires-at.
    plugins: [...(shared.plugins ?? []), signing],
    ...spec,
  });
}
