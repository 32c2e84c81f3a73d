import {
  mergeHeaders,
  assertSecureUrl,
  createProviderClient,
  requireString,
  type OperationClient,
  type Paginated,
  type ProviderClient,
  type SharedClientOptions,
  type RequestOverrides,
} from "@x/core";
import { requireOptions } from "../options.js";
import { saltEdgeAuth, secretsOf, type SaltEdgeCredentials } from "./auth.js";
import { describeSaltEdgeError, PROVIDER } from "./errors.js";
import { methods } from "../generated/v3/methods.js";
import {
  listAccounts,
  listCustomers,
  listPendingTransactions,
  listProviders,
  listTransactions,
} from "../generated/v3/operations.js";
import type { paths } from "../generated/v3/schema.js";
import { operations, servers } from "../generated/v3/spec.js";
import { levelGuard, type Level, type MethodsOf, type PathsAt } from "./levels.js";
import { pagerOf, type ListItem, type ListOperations, type ListPath, type ListQuery } from "../pagination.js";
import {
  checkExpiresInSeconds,
  checkSignatureAlgorithm,
  saltEdgeSigning,
  type SignatureAlgorithm,
} from "../signing.js";

export interface SaltEdgeClientOptions extends SharedClientOptions {
  /** Sent as `Client-id` on every request. */
  clientId: string;
  /** Sent as `App-secret` on every request. */
  appSecret: string;
  /**
   * The app's RSA private key (PEM, PKCS#8 or PKCS#1). When given, every request is signed
   * (`Expires-at` + `Signature`); live Salt Edge clients must sign.
   */
  privateKey?: string;
  /**
   * Hash of the request signature. v3 verifies SHA-1 (every example on the v3 branch of Salt Edge's examples signs
   * with SHA1withRSA; the v4 changelog moved requests to SHA-256), so "sha1" is the default; "sha256" for an app
   * whose key Salt Edge verifies the v4 way.
   */
  signatureAlgorithm?: SignatureAlgorithm;
  /** `Expires-at` = now + this many seconds, 1..3600; default 60. */
  expiresInSeconds?: number;
}

/** What every level's client adds to a typed client; `withOptions` keeps it (core's `extend`). */
export interface SaltEdgeLevelHelpers<L extends Level> {
  readonly level: L;
  /**
   * Every item of a list operation by its path, page after page (`meta.next_id` -> `from_id`): the same as the list's
   * generated method (`login.transactions.list({ account_id })`), core's `Paginated`.
   * @example for await (const tx of client.paginate("/transactions", { account_id })) ...
   */
  paginate<P extends ListPath<PathsAt<L>>>(
    path: P,
    query?: ListQuery<PathsAt<L>, P>,
  ): Paginated<ListItem<PathsAt<L>, P>>;
}

/** What the app-level client adds: the step to the customer level. */
export interface SaltEdgeAppHelpers extends SaltEdgeLevelHelpers<"app"> {
  /** A client that also sends `Customer-secret` (from `POST /customers`), with the options of this client's factory. */
  forCustomer(customerSecret: string): SaltEdgeCustomerClient;
}

/** What the customer-level client adds: the step to the login level. */
export interface SaltEdgeCustomerHelpers extends SaltEdgeLevelHelpers<"customer"> {
  /** A client that also sends `Login-secret` (from the login), with the options of this client's factory. */
  forLogin(loginSecret: string): SaltEdgeLoginClient;
}

/**
 * A client of one level: the generated methods of that level's operations by tag (without Salt Edge's `data`
 * envelope), the path-style calls of those operations, `level`, `paginate`, and core's helpers.
 */
export type SaltEdgeLevelClient<L extends Level> = ProviderClient<PathsAt<L>, SaltEdgeLevelHelpers<L>, MethodsOf<L>>;
/** App level: `Client-id` + `App-secret`. */
export type SaltEdgeClient = ProviderClient<PathsAt<"app">, SaltEdgeAppHelpers, MethodsOf<"app">>;
/** Customer level: adds `Customer-secret`. */
export type SaltEdgeCustomerClient = ProviderClient<
  PathsAt<"customer">,
  SaltEdgeCustomerHelpers,
  MethodsOf<"customer">
>;
/** Login level: adds `Login-secret`. */
export type SaltEdgeLoginClient = ProviderClient<PathsAt<"login">, SaltEdgeLevelHelpers<"login">, MethodsOf<"login">>;

// Every list of every level: the level guard refuses one above the client's level, as for any other call.
const paginateOn = pagerOf({
  "/providers": listProviders,
  "/customers": listCustomers,
  "/accounts": listAccounts,
  "/transactions": listTransactions,
  "/transactions/pending": listPendingTransactions,
} satisfies ListOperations<paths>);

interface LevelClients {
  app: SaltEdgeClient;
  customer: SaltEdgeCustomerClient;
  login: SaltEdgeLoginClient;
}

/** What every level of one client shares: its options, base URL and the signing plugin with its imported key. */
interface Root {
  shared: SharedClientOptions;
  baseUrl: string;
  signing: ReturnType<typeof saltEdgeSigning> | undefined;
}

/**
 * A typed client for the Salt Edge v3 apps API at the app level.
 *
 * @example
 * const app = createSaltEdgeClient({ clientId, appSecret, privateKey });
 * const customer = await app.customers.create({ identifier: "user-1" });
 * const login = app.forCustomer(customer.secret).forLogin(loginSecret);
 * for await (const tx of login.transactions.list({ account_id })) console.log(tx.amount);
 */
export function createSaltEdgeClient(options: SaltEdgeClientOptions): SaltEdgeClient {
  requireOptions(options, "clientId and appSecret");
  const { clientId, appSecret, privateKey, signatureAlgorithm, expiresInSeconds, baseUrl, ...shared } = options;
  requireString(clientId, "clientId", PROVIDER);
  requireString(appSecret, "appSecret", PROVIDER);
  // Checked even without a key, so a bad value fails now rather than on the day a key is added.
  const algorithm = checkSignatureAlgorithm(signatureAlgorithm, "sha1");
  checkExpiresInSeconds(expiresInSeconds);
  const root: Root = {
    shared,
    baseUrl: assertSecureUrl(baseUrl ?? servers.production, "baseUrl", PROVIDER).href,
    signing:
      privateKey === undefined
        ? undefined
        : saltEdgeSigning({ privateKey, signatureAlgorithm: algorithm, expiresInSeconds }),
  };
  return levelClient(root, "app", { clientId, appSecret });
}

/**
 * The client of one level. Its helpers come through core's `extend`, so `withOptions` keeps them and the level;
 * `forCustomer` and `forLogin` build the next level from the factory's options.
 */
function levelClient<L extends Level>(root: Root, level: L, credentials: SaltEdgeCredentials): LevelClients[L] {
  const { shared, signing } = root;
  // The next level inherits the overrides this client was derived with: `app.withOptions(o).forCustomer(s)` keeps `o`.
  const next = (overrides: RequestOverrides): Root => ({
    ...root,
    shared: { ...shared, ...overrides, headers: mergeHeaders(shared.headers, overrides.headers, PROVIDER) },
  });
  const helpers = (client: OperationClient, overrides: RequestOverrides) => ({
    level,
    // The untyped pager, seen through the helper's typed signature (`LevelClients[L]`).
    paginate: paginateOn(client),
    ...(level === "app" && {
      forCustomer: (customerSecret: string) =>
        levelClient(next(overrides), "customer", {
          ...credentials,
          customerSecret: requireString(customerSecret, "customerSecret", PROVIDER),
        }),
    }),
    ...(level === "customer" && {
      forLogin: (loginSecret: string) =>
        levelClient(next(overrides), "login", {
          ...credentials,
          loginSecret: requireString(loginSecret, "loginSecret", PROVIDER),
        }),
    }),
  });
  return createProviderClient<PathsAt<L>, object>({
    ...shared,
    provider: PROVIDER,
    baseUrl: root.baseUrl,
    operations,
    // Every method at runtime: the level's type hides the others, and `levelGuard` refuses them from JavaScript.
    methods,
    auth: saltEdgeAuth(credentials, level),
    describeError: describeSaltEdgeError,
    // Salt Edge echoes parts of the request: core scrubs these from `{ error }`, `ApiError.body` and messages.
    secrets: secretsOf(credentials),
    // Signing sits inside retry (core runs `plugins` there), so every attempt gets a fresh Expires-at.
    plugins: [...(shared.plugins ?? []), levelGuard(level), ...(signing ? [signing] : [])],
    extend: helpers,
  }) as unknown as LevelClients[L];
}
