import { paginate, type NextPage, type Paginated } from "@x/core";
import type { InqomAccountingClient, EntryLine } from "./accounting-client.js";
import { PROVIDER } from "./errors.js";
import type { operations } from "./generated/accounting/schema.js";

/** Inqom's guide: `GET .../entry-lines` answers 100 lines a page. */
const ENTRY_LINES_PER_PAGE = 100;

/** The filters of `GET /v1/dossiers/{dossierId}/entry-lines`, without the page. */
export type EntryLineQuery = Omit<NonNullable<operations["listEntryLines"]["parameters"]["query"]>, "pageNumber">;

/**
 * Pages 1, 2, ... while a page is full. The answer carries `CurrentPage` but no page count (that is the separate
 * `/entry-lines/count` call), so a short page ends the list; a list of exactly 100 n lines costs one empty page.
 */
const whileFull: NextPage<{ EntryLines: readonly unknown[] }, number> = Object.assign(
  (page: { EntryLines: readonly unknown[] }, current = 1) =>
    page.EntryLines.length >= ENTRY_LINES_PER_PAGE ? current + 1 : undefined,
  { first: 1 },
);

/**
 * Every entry line of a dossier in a period (optionally of one account or journal), fetched a page of 100 at a time
 * as it is consumed: core's `Paginated` (`for await`, `.pages()`, `.collect(max?)`).
 *
 * @example
 * for await (const line of entryLines(accounting, 1001, { startDate: "2025-01-01", endDate: "2025-12-31" })) ...
 */
export function entryLines(
  client: Pick<InqomAccountingClient, "GET" | "unwrap">,
  dossierId: number,
  query: EntryLineQuery,
): Paginated<EntryLine> {
  return paginate({
    fetchPage: (pageNumber: number | undefined) =>
      client.unwrap(
        client.GET("/v1/dossiers/{dossierId}/entry-lines", {
          params: { path: { dossierId }, query: { ...query, pageNumber } },
        }),
      ),
    items: (page) => page.EntryLines,
    next: whileFull,
    provider: PROVIDER,
    what: "GET /v1/dossiers/{dossierId}/entry-lines",
  });
}
