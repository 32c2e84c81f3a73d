import type { MethodParams, Paginated } from "@x/core";
import type { Methods } from "./generated/methods.js";
import type { operations } from "./generated/schema.js";
import type { Account, Transaction } from "./generated/types.js";

type ListTransactions = Methods["transactions"]["list"];
type TransactionParams = MethodParams<operations["getAndSearchAllTransactions"], { pageParam: "page" }>;
/** finAPI's filters of `GET /api/v2/transactions`; `view` is optional here (default `"bankView"`). */
export type TransactionQuery = Omit<TransactionParams, "view"> & {
  /**
   * finAPI requires it. `"bankView"` (the default): transactions as the bank delivered them, a split one counted once;
   * `"userView"`: a split transaction as its sub-transactions.
   */
  view?: TransactionParams["view"];
};
export type AccountQuery = NonNullable<Parameters<Methods["accounts"]["list"]>[0]>;

/** finAPI's largest page: fewer round trips for the same items. */
const MAX_PER_PAGE = 500;

/**
 * Every transaction matching `query`, across pages, as `client.transactions.list` gives them, with finAPI's largest
 * page (`perPage` 500) and `view: "bankView"` as defaults. Any user client (or a process's client) will do.
 */
export function iterateTransactions(
  client: { transactions: { list: ListTransactions } },
  query: TransactionQuery = {},
): Paginated<Transaction> {
  return client.transactions.list({ perPage: MAX_PER_PAGE, ...query, view: query.view ?? "bankView" });
}

/** The user's accounts matching `query`: finAPI answers them all at once (`GET /api/v2/accounts` has no paging). */
export async function listAccounts(
  client: { accounts: { list: Methods["accounts"]["list"] } },
  query: AccountQuery = {},
): Promise<Account[]> {
  const { accounts } = await client.accounts.list(query);
  return accounts;
}
