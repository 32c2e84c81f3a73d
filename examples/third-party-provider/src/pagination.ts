import { cursor, pageNumber, paginate, type Paginated, type ProviderClient } from "@x/core";
import { PROVIDER } from "./errors.js";
import type { components, operations, paths } from "./generated/schema.js";

export type Account = components["schemas"]["Account"];
export type Entry = components["schemas"]["Entry"];
/** The filters of `GET /accounts`; the page number is the strategy's. */
export type AccountQuery = Omit<NonNullable<operations["listAccounts"]["parameters"]["query"]>, "page">;
/** The options of `GET /entries`; the cursor is the strategy's. */
export type EntryQuery = Omit<NonNullable<operations["listEntries"]["parameters"]["query"]>, "after">;

/**
 * Every account, a numbered page at a time: pages 1, 2, ... up to the `paging.pageCount` Ledgerly reports
 * (core's `pageNumber` strategy). Nothing is fetched before the iteration starts.
 */
export function listAccounts(client: ProviderClient<paths>, query: AccountQuery = {}): Paginated<Account> {
  return paginate({
    fetchPage: (page?: number) => client.unwrap(client.GET("/accounts", { params: { query: { ...query, page } } })),
    items: (page) => page.accounts,
    next: pageNumber((page) => page.paging.pageCount),
    provider: PROVIDER,
    what: "GET /accounts",
  });
}

/**
 * Every entry, oldest first, a page at a time after the cursor each page hands back (core's `cursor` strategy:
 * `nextCursor` is sent back as `after`). A cursor Ledgerly repeats ends the iteration with a `PaginationError`
 * instead of fetching the same pages for ever.
 */
export function listEntries(client: ProviderClient<paths>, query: EntryQuery = {}): Paginated<Entry> {
  return paginate({
    fetchPage: (after?: string) => client.unwrap(client.GET("/entries", { params: { query: { ...query, after } } })),
    items: (page) => page.entries,
    next: cursor((page) => page.nextCursor),
    provider: PROVIDER,
    what: "GET /entries",
  });
}
