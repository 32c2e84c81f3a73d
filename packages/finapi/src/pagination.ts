import type { MethodParams, Paginated, ProviderClient } from "@x/core";
import type { FinapiUserPaths } from "./client.js";
import { getAndSearchAllAccounts, getAndSearchAllTransactions } from "./generated/operations.js";
import type { operations } from "./generated/schema.js";
import type { Account, Transaction } from "./generated/types.js";

type TransactionParams = MethodParams<operations["getAndSearchAllTransactions"], { pageParam: "page" }>;
/** finAPI's filters of `GET /api/v2/transactions`; `view` is optional here (default `"bankView"`). */
export type TransactionQuery = Omit<TransactionParams, "view"> & {
  /**
   * finAPI requires it. `"bankView"` (the default): transactions as the bank delivered them, a split one counted once;
   * `"userView"`: a split transaction as its sub-transactions.
   */
  view?: TransactionParams["view"];
};
export type AccountQuery = NonNullable<Parameters<typeof getAndSearchAllAccounts>[1]>;

/** finAPI's largest page: fewer round trips for the same items. */
const MAX_PER_PAGE = 500;

/**
 * Every transaction matching `query`, across pages, as `client.transactions.list` gives them, with finAPI's largest
 * page (`perPage` 500) and `view: "bankView"` as defaults. Any user client (or a process's client), mini's included.
 */
export function iterateTransactions(
  client: ProviderClient<FinapiUserPaths>,
  query: TransactionQuery = {},
): Paginated<Transaction> {
  return getAndSearchAllTransactions(client, { perPage: MAX_PER_PAGE, ...query, view: query.view ?? "bankView" });
}

/** The user's accounts matching `query`: finAPI answers them all at once (`GET /api/v2/accounts` has no paging). */
export async function listAccounts(
  client: ProviderClient<FinapiUserPaths>,
  query: AccountQuery = {},
): Promise<Account[]> {
  const { accounts } = await getAndSearchAllAccounts(client, query);
  return accounts;
}
