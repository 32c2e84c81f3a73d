// src/pagination.ts of a provider package: each list's next-page rule, a strategy over core's `paginate`.
import { cursor, pageNumber, paginate, PaginationError, type Paginated, type ProviderClient } from "@x/core";
import { PROVIDER } from "./error-guard.js";
import type { components, paths } from "./generated/schema.js";
import { createAcmeClient } from "./static-headers.js";

type Account = components["schemas"]["Account"];
type Entry = components["schemas"]["Entry"];

/** Accounts come in numbered pages, and each page says how many there are (`paging.pageCount`, as finAPI's). */
export function listAccounts(client: ProviderClient<paths>, perPage = 100): Paginated<Account> {
  return paginate({
    // Typing the cursor (`page?: number`) is what lets TypeScript infer the page and item types.
    fetchPage: (page?: number) => client.unwrap(client.GET("/accounts", { params: { query: { page, perPage } } })),
    items: (page) => page.accounts,
    next: pageNumber((page) => page.paging.pageCount),
    provider: PROVIDER,
    what: "GET /accounts",
  });
}

/** Entries come after a cursor each page hands back, `nextCursor`, sent back as `after` (Salt Edge: `next_id`). */
export function listEntries(client: ProviderClient<paths>, limit = 50): Paginated<Entry> {
  return paginate({
    fetchPage: (after?: string) => client.unwrap(client.GET("/entries", { params: { query: { after, limit } } })),
    items: (page) => page.entries,
    next: cursor((page) => page.nextCursor),
    provider: PROVIDER,
    what: "GET /entries",
  });
}

export async function example(baseUrl: string) {
  const acme = createAcmeClient({ apiKey: "demo-key", baseUrl });
  // Pages are fetched as the loop reads them; leaving the loop early stops the requests.
  const codes: string[] = [];
  for await (const account of listAccounts(acme, 2)) codes.push(account.code);
  // A page at a time, e.g. to store each page in one transaction.
  const pages: string[][] = [];
  for await (const page of listEntries(acme, 2).pages()) pages.push(page.map((entry) => entry.label));
  // The first three entries: the third page is never fetched.
  const firstThree = (await listEntries(acme, 2).collect(3)).map((entry) => entry.label);

  // A list whose cursor comes back (here: always "c1") would fetch the same pages for ever; paginate stops it.
  const broken = paginate({
    fetchPage: async (after?: string) => ({ entries: [after ?? "first"], nextCursor: "c1" }),
    items: (page) => page.entries,
    next: cursor((page) => page.nextCursor),
    provider: PROVIDER,
    what: "GET /entries",
  });
  const stuck = await broken.collect().then(
    () => "no error",
    (error: unknown) => (error instanceof PaginationError ? `${error.code}: ${error.message}` : String(error)),
  );
  return { codes, pages, firstThree, stuck };
}
