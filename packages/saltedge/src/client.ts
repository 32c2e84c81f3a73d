import {
  assertSecureUrl,
  createProviderClient,
  requireString,
  type ProviderClient,
  type RequestOverrides,
  type SharedClientOptions,
} from "@x/core";
import { saltEdgeAuth, type SaltEdgeCredentials } from "./auth.js";
import { describeSaltEdgeError } from "./errors.js";
import { operations, servers } from "./generated/spec.js";
import { levelGuard, type Level, type PathsAt } from "./levels.js";
import { paginate, type ListItem, type ListPath, type ListQuery, type PageSource, type Paginated } from "./pagination.js";
import { checkExpiresInSeconds, checkSignatureAlgorithm, saltEdgeSigning, type SignatureAlgorithm } from "./signing.js";

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
  /** Hash of the signature: "sha256" (default) or "sha1" for clients set up in the v3 era. */
  signatureAlgorithm?: SignatureAlgorithm;
  /** `Expires-at` = now + this many seconds, 1..3600; default 60. */
  expiresInSeconds?: number;
}

/** A client of one level: the typed methods of that level's operations, `paginate`, and core's helpers. */
export type SaltEdgeLevelClient<L extends Level> = Omit<ProviderClient<PathsAt<L>>, "withOptions"> & {
  readonly level: L;
  /**
   * Every item of a list operation, page after page (`meta.next_id` -> `from_id`).
   * @example for await (const tx of client.paginate("/transactions", { account_id })) ...
   */
  paginate<P extends ListPath<PathsAt<L>>>(path: P, query?: ListQuery<PathsAt<L>, P>): Paginated<ListItem<PathsAt<L>, P>>;
  /** The same client with other timeout, retry, headers or idempotency. */
  withOptions(overrides: RequestOverrides): LevelClients[L];
};

/** App level: `Client-id` + `App-secret`. */
export type SaltEdgeClient = SaltEdgeLevelClient<"app"> & {
  /** A client that also sends `Customer-secret` (from `POST /customers`). */
  forCustomer(customerSecret: string): SaltEdgeCustomerClient;
};
/** Customer level: adds `Customer-secret`. */
export type SaltEdgeCustomerClient = SaltEdgeLevelClient<"customer"> & {
  /** A client that also sends `Login-secret` (from the login). */
  forLogin(loginSecret: string): SaltEdgeLoginClient;
};
/** Login level: adds `Login-secret`. */
export type SaltEdgeLoginClient = SaltEdgeLevelClient<"login">;

interface LevelClients {
  app: SaltEdgeClient;
  customer: SaltEdgeCustomerClient;
  login: SaltEdgeLoginClient;
}

/** What every level of one client shares: the base URL and the signing plugin with its imported key. */
interface Root {
  baseUrl: string;
  signing: ReturnType<typeof saltEdgeSigning> | undefined;
}

/**
 * A typed client for the Salt Edge v3 apps API at the app level.
 *
 * @example
 * const app = createSaltEdgeClient({ clientId, appSecret, privateKey });
 * const customer = await app.unwrap(app.POST("/customers", { body: { data: { identifier: "user-1" } } }));
 * const login = app.forCustomer(customer.secret).forLogin(loginSecret);
 * for await (const tx of login.paginate("/transactions", { account_id })) console.log(tx.amount);
 */
export function createSaltEdgeClient(options: SaltEdgeClientOptions): SaltEdgeClient {
  const { clientId, appSecret, privateKey, signatureAlgorithm, expiresInSeconds, baseUrl, ...shared } = options;
  requireString(clientId, "clientId", "saltedge");
  requireString(appSecret, "appSecret", "saltedge");
  // Checked even without a key, so a bad value fails now rather than on the day a key is added.
  checkSignatureAlgorithm(signatureAlgorithm);
  checkExpiresInSeconds(expiresInSeconds);
  const url = assertSecureUrl(baseUrl ?? servers.production, "baseUrl", "saltedge");
  const root: Root = {
    baseUrl: url.href,
    signing: privateKey === undefined ? undefined : saltEdgeSigning({ privateKey, signatureAlgorithm, expiresInSeconds }),
  };
  return levelClient(root, "app", { clientId, appSecret }, shared);
}

function levelClient<L extends Level>(root: Root, level: L, credentials: SaltEdgeCredentials, shared: SharedClientOptions): LevelClients[L] {
  const client = createProviderClient<PathsAt<L>>({
    ...shared,
    provider: "saltedge",
    baseUrl: root.baseUrl,
    operations,
    auth: saltEdgeAuth(credentials, level),
    describeError: describeSaltEdgeError,
    // Signing sits inside retry (core runs `plugins` there), so every attempt gets a fresh Expires-at.
    plugins: [...(shared.plugins ?? []), levelGuard(level), ...(root.signing ? [root.signing] : [])],
  });
  const source = client as unknown as PageSource;
  const extras = {
    level,
    paginate: (path: string, query?: Record<string, unknown>) => paginate(source, path, query),
    withOptions: (overrides: RequestOverrides) =>
      levelClient(root, level, credentials, { ...shared, ...overrides, headers: { ...shared.headers, ...overrides.headers } }),
    ...(level === "app" && {
      forCustomer: (customerSecret: string) =>
        levelClient(root, "customer", { ...credentials, customerSecret: requireString(customerSecret, "customerSecret", "saltedge") }, shared),
    }),
    ...(level === "customer" && {
      forLogin: (loginSecret: string) =>
        levelClient(root, "login", { ...credentials, loginSecret: requireString(loginSecret, "loginSecret", "saltedge") }, shared),
    }),
  };
  return Object.assign(client, extras) as unknown as LevelClients[L];
}
