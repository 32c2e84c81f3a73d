import {
  paginate,
  type CallOptions,
  type MethodParams,
  type NextPage,
  type Paginated,
  type ProviderClient,
} from "@x/core";
import { PROVIDER } from "./errors.js";
import type { Methods } from "./generated/accounting/methods.js";
import type { operations, paths } from "./generated/accounting/schema.js";
import type { EntryLine, EntryLineChangePage } from "./generated/accounting/types.js";

/** Inqom's guide: `GET .../entry-lines` answers 100 lines a page, `GET .../entry-lines/changes` 1000. */
const LINES_PER_PAGE = 100;
const CHANGES_PER_PAGE = 1000;

/** The parameters of `entries.listLines`: those of `GET /v1/dossiers/{dossierId}/entry-lines`, without the page. */
export type EntryLinesParams = Omit<MethodParams<operations["listEntryLines"]>, "pageNumber">;
/** The parameters of `entries.listLineChanges`: those of `GET .../entry-lines/changes`, without the page. */
export type EntryLineChangesParams = Omit<MethodParams<operations["listEntryLineChanges"]>, "pageNumber">;
/** An entry line added, changed or deleted, with `TypeOfChange`. */
export type EntryLineChange = EntryLineChangePage["EntryLines"][number];
/** The filters of `entryLines(client, dossierId, query)`. */
export type EntryLineQuery = Omit<EntryLinesParams, "dossierId">;

/**
 * Pages 1, 2, ... while a page is full. The answers carry `CurrentPage` but no page count (that is a separate
 * `/count` call), which core's `x-pagination` styles need, so the rule is written here: a short page ends the list,
 * and a list of exactly n full pages costs one empty page.
 */
function whileFull(perPage: number): NextPage<{ EntryLines: readonly unknown[] }, number> {
  const next = (page: { EntryLines: readonly unknown[] }, current = 1) =>
    page.EntryLines.length >= perPage ? current + 1 : undefined;
  return Object.assign(next, { first: 1 });
}

/** The paged lists of the `entries` tag, joined with its generated methods: every line, page after page. */
export interface EntryPagers {
  /**
   * Every entry line of a dossier in a period (optionally of one account or journal), 100 a page fetched as the
   * lines are consumed: core's `Paginated` (`for await`, `.pages()`, `.collect(max?)`). One page: `linesPage`.
   */
  listLines(params: EntryLinesParams, options?: CallOptions): Paginated<EntryLine>;
  /**
   * Every line of a period added, changed or deleted between two instants, 1000 a page. One page: `lineChangesPage`.
   */
  listLineChanges(params: EntryLineChangesParams, options?: CallOptions): Paginated<EntryLineChange>;
}

/** The pagers over a client's generated single-page methods (`entries.linesPage`, `entries.lineChangesPage`). */
export function entryPagers(client: Pick<ProviderClient<paths, {}, Methods>, "entries">): EntryPagers {
  const what = (path: string) => ({ provider: PROVIDER, what: `GET /v1/dossiers/{dossierId}/${path}` });
  return {
    listLines: (params, options) =>
      paginate({
        fetchPage: (pageNumber: number | undefined) => client.entries.linesPage({ ...params, pageNumber }, options),
        items: (page) => page.EntryLines,
        next: whileFull(LINES_PER_PAGE),
        ...what("entry-lines"),
      }),
    listLineChanges: (params, options) =>
      paginate({
        fetchPage: (pageNumber: number | undefined) =>
          client.entries.lineChangesPage({ ...params, pageNumber }, options),
        items: (page) => page.EntryLines,
        next: whileFull(CHANGES_PER_PAGE),
        ...what("entry-lines/changes"),
      }),
  };
}

/**
 * Every entry line of a dossier in a period: the same list as `accounting.entries.listLines({ dossierId, ...query })`,
 * kept for code written before the methods.
 *
 * @example
 * for await (const line of entryLines(accounting, 1001, { startDate: "2025-01-01", endDate: "2025-12-31" })) ...
 */
export function entryLines(
  client: { entries: Pick<EntryPagers, "listLines"> },
  dossierId: number,
  query: EntryLineQuery,
): Paginated<EntryLine> {
  return client.entries.listLines({ ...query, dossierId });
}
