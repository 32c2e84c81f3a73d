import { assertSecureUrl, createProviderClient, requireString, type SharedClientOptions } from "@x/core";
import { ledgerlyAuth } from "./auth.js";
import { describeLedgerlyError } from "./errors.js";
import { operations } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";

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

/** The client `createProviderClient` builds over Ledgerly's generated paths. */
export type LedgerlyClient = ReturnType<typeof createProviderClient<paths>>;
export type NewEntry = components["schemas"]["NewEntry"];
export type Entry = components["schemas"]["Entry"];

/**
 * A typed Ledgerly client: `client.GET("/accounts")` returns `{ data, error, response }`, and
 * `client.unwrap(...)` turns an error answer into an `ApiError` with Ledgerly's code.
 */
export function createLedgerlyClient(options: LedgerlyClientOptions): LedgerlyClient {
  const { clientId, clientSecret, tokenUrl, scope, baseUrl, ...shared } = options;
  // Checked here so a missing credential fails at construction, naming the option, not later as a 401.
  requireString(clientId, "clientId", "ledgerly");
  requireString(clientSecret, "clientSecret", "ledgerly");
  const resolvedTokenUrl = assertSecureUrl(tokenUrl ?? LEDGERLY_TOKEN_URL, "tokenUrl", "ledgerly").href;
  return createProviderClient<paths>({
    ...shared,
    provider: "ledgerly",
    baseUrl: baseUrl ?? LEDGERLY_API_URL,
    auth: ledgerlyAuth({ clientId, clientSecret, tokenUrl: resolvedTokenUrl, scope: scope ?? "ledger.read ledger.write" }),
    describeError: describeLedgerlyError,
    // The spec's operations: every typed call carries its operationId to plugins (`ctx.operation`) and events.
    operations,
  });
}

/**
 * Posts a journal entry exactly once, even across retries: one `Idempotency-Key` for every attempt lets Ledgerly
 * deduplicate, which is what makes it safe to retry this POST (a plain POST is never retried by @x/core).
 */
export function postEntry(client: LedgerlyClient, entry: NewEntry, idempotencyKey: string = crypto.randomUUID()): Promise<Entry> {
  const retryable = client.withOptions({ idempotent: true });
  return retryable.unwrap(retryable.POST("/entries", { body: entry, params: { header: { "Idempotency-Key": idempotencyKey } } }));
}
