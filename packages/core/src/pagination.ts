import { requireKind } from "./security.js";
import { PaginationError } from "./errors.js";

/**
 * Every item of a list, fetched one page at a time as it is consumed: nothing is requested
 * before iteration starts, and leaving the loop early stops the requests.
 *
 * @example
 * for await (const transaction of transactions) ...
 * for await (const page of transactions.pages()) await db.insertMany(page);
 * const first100 = await transactions.collect(100);
 */
export interface Paginated<T> extends AsyncIterable<T> {
  /** The items page by page, for callers that process a page at a time. Treat each array as read-only. */
  pages(): AsyncIterable<T[]>;
  /** The items in one array: all of them, or the first `maxItems` (then no further page is fetched). */
  collect(maxItems?: number): Promise<T[]>;
}

/**
 * The rule for the next page: reads the cursor of the page after `page` (a page number, an
 * id, a URL) from it, or returns `undefined` / `null` when `page` was the last. `cursor` is
 * the one `page` was fetched with (`undefined` for a first page fetched without one). A rule
 * may carry the cursor of the first page as `first` (page 1, for page numbers).
 */
export interface NextPage<Page, Cursor> {
  (page: Page, cursor: Cursor | undefined): Cursor | null | undefined;
  readonly first?: Cursor;
}

/**
 * What `paginate` needs. TypeScript infers the page type from `fetchPage`: give its parameter a
 * type (`(page?: number) => ...`) or pass a named function, and the strategy's callback is typed.
 */
export interface PaginateOptions<Page, T, Cursor> {
  /** Fetches one page: the strategy's `first` (or `undefined`) for the first, then each cursor `next` returned. */
  fetchPage(cursor: Cursor | undefined): Promise<Page>;
  /** The items of a page. */
  items(page: Page): readonly T[];
  /** `pageNumber(...)`, `cursor(...)`, or any `NextPage` function. */
  next: NextPage<Page, Cursor>;
  /** For the error when the list does not advance, e.g. "saltedge". */
  provider?: string;
  /** For the same error: the list, e.g. "GET /transactions". */
  what?: string;
}

/**
 * One pagination for every list: `fetchPage` gets a page, `next` says where the following one
 * is. A cursor that comes back a second time would fetch the same pages for ever, so it ends
 * the iteration with a `PaginationError` (code `PAGINATION_STUCK`) instead.
 *
 * @example
 * const accounts = paginate({
 *   fetchPage: (page) => client.unwrap(client.GET("/accounts", { params: { query: { page, perPage: 500 } } })),
 *   items: (page) => page.accounts,
 *   next: pageNumber((page) => page.paging.pageCount),
 * });
 */
export function paginate<Page, T, Cursor = unknown>(options: PaginateOptions<Page, T, Cursor>): Paginated<T> {
  const { next } = requireKind(options, "object", "paginate options");
  requireKind(next, "function", "next");
  requireKind(options.fetchPage, "function", "fetchPage");
  requireKind(options.items, "function", "items");
  async function* pages(): AsyncGenerator<T[], void, undefined> {
    // Keys of every cursor used: a cycle (A, B, A) is caught as surely as a repeat (A, A).
    const seen = new Set<string>();
    for (let cursor = next.first, count = 1; ; count++) {
      if (cursor !== undefined) seen.add(JSON.stringify(cursor));
      const page = await options.fetchPage(cursor);
      yield options.items(page) as T[];
      const following = next(page, cursor);
      if (following === undefined || following === null) return;
      if (seen.has(JSON.stringify(following))) {
        const list = `${options.provider ?? "the provider"}${options.what ? ` ${options.what}` : ""}`;
        throw new PaginationError(
          `${list} repeated a next-page cursor after page ${count}; ` +
            `stopped instead of looping, report it to the provider.`,
          { provider: options.provider, code: "PAGINATION_STUCK" },
        );
      }
      cursor = following;
    }
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page;
    },
    async collect(maxItems = Infinity) {
      const items: T[] = [];
      if (items.length >= maxItems) return items;
      for await (const page of pages()) {
        for (const item of page) if (items.push(item) >= maxItems) return items;
      }
      return items;
    },
  };
}

/**
 * Page numbers, 1, 2, ... until the page count the provider reports (finAPI's
 * `paging.pageCount`). `fetchPage` gets the page number to ask for.
 *
 * @example next: pageNumber((page) => page.paging.pageCount)
 */
export function pageNumber<Page>(
  pageCount: (page: Page) => number | null | undefined,
  first = 1,
): NextPage<Page, number> {
  const next = (page: Page, current = first) => {
    const count = pageCount(page);
    return typeof count === "number" && current < count ? current + 1 : undefined;
  };
  return Object.assign(next, { first });
}

/**
 * A cursor read from each page (Salt Edge's `meta.next_id`), `null` or `undefined` on the last.
 * `fetchPage` gets `undefined` first, then each cursor, and sends it as the API wants it (Salt
 * Edge: `from_id`).
 *
 * @example next: cursor((page) => page.meta.next_id)
 */
export function cursor<Page, Cursor = string>(
  nextCursor: (page: Page) => Cursor | null | undefined,
): NextPage<Page, Cursor> {
  return (page) => nextCursor(page);
}
