import { pageNumber, paginate as paginateWith, type Paginated } from "@x/core";
import type { FinapiApiClient } from "./client.js";
import { PROVIDER } from "./errors.js";
import type { components, operations } from "./generated/schema.js";

type Paging = components["schemas"]["Paging"];
export type Transaction = components["schemas"]["Transaction"];
export type Account = components["schemas"]["Account"];
type QueryOf<Operation extends keyof operations> = NonNullable<operations[Operation]["parameters"]["query"]>;
type TransactionView = QueryOf<"getAndSearchAllTransactions">["view"];
/** finAPI's filters of `GET /api/v2/transactions`; `view` is optional here (default `"bankView"`). */
export type TransactionQuery = Omit<QueryOf<"getAndSearchAllTransactions">, "page" | "view"> & {
  /**
   * finAPI requires it. `"bankView"` (the default): transactions as the bank delivered them, a split one counted once;
   * `"userView"`: a split transaction as its sub-transactions.
   */
  view?: TransactionView;
};
export type AccountQuery = QueryOf<"getAndSearchAllAccounts">;

/** finAPI's largest page: fewer round trips for the same items. */
const MAX_PER_PAGE = 500;

/**
 * finAPI's paging over core's `paginate`: page 1, 2, ... until `paging.pageCount` (an empty page ends the list
 * too). Pages are fetched one at a time as they are consumed, so breaking out of the loop stops the requests.
 * Returns core's `Paginated<T>`: `for await` over the items, `.pages()`, `.collect(maxItems?)`.
 *
 * @example
 * const payments = paginate(
 *   (page) => user.unwrap(user.GET("/api/v2/payments", { params: { query: { page, perPage: 500 } } })),
 *   (result) => result.payments,
 * );
 */
export function paginate<P extends { paging: Paging }, T>(
  fetchPage: (page: number) => Promise<P>,
  items: (page: P) => readonly T[],
  what?: string,
): Paginated<T> {
  return paginateWith({
    fetchPage: (page: number | undefined) => fetchPage(page ?? 1),
    items,
    next: pageNumber((page: P) => (items(page).length === 0 ? 0 : page.paging.pageCount)),
    provider: PROVIDER,
    what,
  });
}

/**
 * Every transaction matching `query`, across pages (`perPage` defaults to finAPI's maximum, 500). finAPI requires
 * `view`; it defaults to `"bankView"` here.
 */
export function iterateTransactions(client: FinapiApiClient, query: TransactionQuery = {}): Paginated<Transaction> {
  return paginate(
    (page) => {
      const params = { query: { perPage: MAX_PER_PAGE, ...query, view: query.view ?? "bankView", page } };
      return client.unwrap(client.GET("/api/v2/transactions", { params }));
    },
    (result) => result.transactions,
    "GET /api/v2/transactions",
  );
}

/** The user's accounts matching `query`: finAPI answers them all at once (`GET /api/v2/accounts` has no paging). */
export async function listAccounts(client: FinapiApiClient, query: AccountQuery = {}): Promise<Account[]> {
  const { accounts } = await client.unwrap(client.GET("/api/v2/accounts", { params: { query } }));
  return accounts;
}
