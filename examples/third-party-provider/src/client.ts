import {
  assertSecureUrl,
  createProviderClient,
  requireString,
  type Paginated,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { ledgerlyAuth } from "./auth.js";
import { describeLedgerlyError, PROVIDER } from "./errors.js";
import { operations } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";
import { listAccounts, listEntries } from "./pagination.js";
import type { Account, AccountQuery, Entry, EntryQuery } from "./pagination.js";

export const LEDGERLY_API_URL = "https://api.ledgerly.example/v1";
export const LEDGERLY_TOKEN_URL = "https://auth.ledgerly.example/oauth/token";

export interface LedgerlyClientOptions extends SharedClientOptions {
  clientId: string;
  clientSecret: string;
  /** Defaults to Ledgerly's production token endpoint. https only, except loopback. */
  tokenUrl?: string;
  /** Default "ledger.read ledger.write". */
  scope?: string;
}

export type NewEntry = components["schemas"]["NewEntry"];

/** Ledgerly's own methods next to the typed calls. Added through `extend`, so `withOptions` keeps them. */
export interface LedgerlyHelpers {
  /**
   * Posts a journal entry exactly once, even across retries: one `Idempotency-Key` for every attempt lets Ledgerly
   * deduplicate, which is what makes it safe to retry this POST (a plain POST is never retried by @x/core).
   */
  postEntry(entry: NewEntry, idempotencyKey?: string): Promise<Entry>;
  /** Every account (`GET /accounts`, numbered pages): `for await`, `.pages()` or `.collect(max?)`. */
  listAccounts(query?: AccountQuery): Paginated<Account>;
  /** Every entry, oldest first (`GET /entries`, after a cursor): `for await`, `.pages()` or `.collect(max?)`. */
  listEntries(query?: EntryQuery): Paginated<Entry>;
}

/** The client `createLedgerlyClient` builds: the typed calls over Ledgerly's generated paths, and its helpers. */
export type LedgerlyClient = ProviderClient<paths, LedgerlyHelpers>;

/**
 * A typed Ledgerly client: `client.GET("/accounts")` returns `{ data, error, response }`, and
 * `client.unwrap(...)` turns an error answer into an `ApiError` with Ledgerly's code.
 */
export function createLedgerlyClient(options: LedgerlyClientOptions): LedgerlyClient {
  const { clientId, clientSecret, tokenUrl, scope, baseUrl, ...shared } = options;
  // Checked here so a missing credential fails at construction, naming the option, not later as a 401.
  requireString(clientId, "clientId", PROVIDER);
  requireString(clientSecret, "clientSecret", PROVIDER);
  const resolvedTokenUrl = assertSecureUrl(tokenUrl ?? LEDGERLY_TOKEN_URL, "tokenUrl", PROVIDER).href;
  const auth = ledgerlyAuth({
    clientId,
    clientSecret,
    tokenUrl: resolvedTokenUrl,
    scope: scope ?? "ledger.read ledger.write",
  });
  return createProviderClient<paths, LedgerlyHelpers>({
    ...shared,
    provider: PROVIDER,
    baseUrl: baseUrl ?? LEDGERLY_API_URL,
    auth,
    // The credential this client holds: scrubbed from `{ error }`, `ApiError.body` and every message.
    secrets: [clientSecret],
    describeError: describeLedgerlyError,
    // The spec's operations: every typed call carries its operationId to plugins (`ctx.operation`) and events.
    operations,
    // Called for every client built, `withOptions` included: `client` is the one each helper must use.
    extend: (client) => ({
      postEntry(entry, idempotencyKey = crypto.randomUUID()) {
        const retryable = client.withOptions({ idempotent: true });
        const headers = { "Idempotency-Key": idempotencyKey };
        return retryable.unwrap(retryable.POST("/entries", { body: entry, params: { header: headers } }));
      },
      listAccounts: (query) => listAccounts(client, query),
      listEntries: (query) => listEntries(client, query),
    }),
  });
}
