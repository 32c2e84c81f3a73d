import type { FinapiApiClient } from "./client.js";
import type { components, operations } from "./generated/schema.js";

type Paging = components["schemas"]["Paging"];
export type Transaction = components["schemas"]["Transaction"];
export type Account = components["schemas"]["Account"];
export type TransactionQuery = Omit<NonNullable<operations["getAndSearchAllTransactions"]["parameters"]["query"]>, "page">;
export type AccountQuery = Omit<NonNullable<operations["getAndSearchAllAccounts"]["parameters"]["query"]>, "page">;

/** finAPI's largest page: fewer round trips for the same items. */
const MAX_PER_PAGE = 500;

/**
 * Yields the items of every page, asking for page 1, 2, ... until `paging.pageCount` is
 * reached. Pages are fetched one at a time as the caller consumes them, so breaking out of
 * the loop stops the requests.
 */
export async function* paginate<P extends { paging: Paging }, T>(fetchPage: (page: number) => Promise<P>, items: (page: P) => readonly T[]): AsyncGenerator<T, void, undefined> {
  for (let page = 1; ; page++) {
    const result = await fetchPage(page);
    const batch = items(result);
    yield* batch;
    if (batch.length === 0 || page >= result.paging.pageCount) return;
  }
}

/** Every transaction matching `query`, across pages (`perPage` defaults to finAPI's maximum, 500). */
export function iterateTransactions(client: FinapiApiClient, query: TransactionQuery = {}): AsyncGenerator<Transaction, void, undefined> {
  return paginate(
    (page) => client.unwrap(client.GET("/api/v2/transactions", { params: { query: { perPage: MAX_PER_PAGE, ...query, page } } })),
    (result) => result.transactions,
  );
}

/** Every account matching `query`, across pages. */
export function iterateAccounts(client: FinapiApiClient, query: AccountQuery = {}): AsyncGenerator<Account, void, undefined> {
  return paginate(
    (page) => client.unwrap(client.GET("/api/v2/accounts", { params: { query: { perPage: MAX_PER_PAGE, ...query, page } } })),
    (result) => result.accounts,
  );
}
