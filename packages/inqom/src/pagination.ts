import { paginate, type CallOptions, type MethodParams, type Paginated, type ProviderClient } from "@x/core";
import { PROVIDER } from "./errors.js";
import { listEntryLineChanges, listEntryLines, searchAccountingFolders } from "./generated/accounting/operations.js";
import type { operations, paths } from "./generated/accounting/schema.js";
import type { AccountingFolderSummary, EntryLine, EntryLineChangePage } from "./generated/accounting/types.js";

/** Inqom's guides: entry lines come 100 a page, their changes 1000, a dossier search 10 unless `size` says. */
const LINES_PER_PAGE = 100;
const CHANGES_PER_PAGE = 1000;
const DOSSIERS_PER_PAGE = 10;

/** The parameters of `entries.listLines`: those of `GET /v1/dossiers/{dossierId}/entry-lines`, without the page. */
export type EntryLinesParams = Omit<MethodParams<operations["listEntryLines"]>, "pageNumber">;
/** The parameters of `entries.listLineChanges`: those of `GET .../entry-lines/changes`, without the page. */
export type EntryLineChangesParams = Omit<MethodParams<operations["listEntryLineChanges"]>, "pageNumber">;
/** The parameters of `dossiers.search`: those of `GET .../accounting-folders/search`, without the page. */
export type DossierSearchParams = Omit<MethodParams<operations["searchAccountingFolders"]>, "page">;
/** An entry line added, changed or deleted, with `TypeOfChange`. */
export type EntryLineChange = EntryLineChangePage["EntryLines"][number];
/** The filters of `entryLines(client, dossierId, query)`. */
export type EntryLineQuery = Omit<EntryLinesParams, "dossierId">;

/**
 * Pages 1, 2, ... while a page is full. Inqom's pages carry no page count (`CurrentPage` at most; the count is a
 * separate call), which core's `x-pagination` styles need, so the rule is written here: a short page ends the list,
 * and a list of exactly n full pages costs one empty page.
 */
function whileFull<Page, Item>(
  fetchPage: (pageNumber: number) => Promise<Page>,
  items: (page: Page) => readonly Item[],
  perPage: number,
  what: string,
): Paginated<Item> {
  const next = (page: Page, current = 1) => (items(page).length >= perPage ? current + 1 : undefined);
  return paginate({
    fetchPage: (pageNumber: number | undefined) => fetchPage(pageNumber ?? 1),
    items,
    next: Object.assign(next, { first: 1 }),
    provider: PROVIDER,
    what: `GET ${what}`,
  });
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

/** The paged search of the `dossiers` tag, joined with its generated methods. */
export interface DossierPagers {
  /** Every dossier of a firm matching `search`, `size` a page (default 10). One page: `searchPage`. */
  search(params: DossierSearchParams, options?: CallOptions): Paginated<AccountingFolderSummary>;
}

/** What an accounting client adds to its generated methods: the paged lists, under their tags. */
export interface AccountingPagers {
  entries: EntryPagers;
  dossiers: DossierPagers;
}

/** The pagers as a client's members, under their tags (`entries.listLines`, ...), over its single-page operations. */
export function accountingPagers(client: ProviderClient<paths>): AccountingPagers {
  return {
    entries: {
      listLines: (params, options) => listAllEntryLines(client, params, options),
      listLineChanges: (params, options) => listAllEntryLineChanges(client, params, options),
    },
    dossiers: { search: (params, options) => searchAllAccountingFolders(client, params, options) },
  };
}

/**
 * `accounting.entries.listLines` as a function of any accounting client, mini included: every entry line, 100 a
 * page (`listEntryLines` fetches one page).
 */
export function listAllEntryLines(
  client: ProviderClient<paths>,
  params: EntryLinesParams,
  options?: CallOptions,
): Paginated<EntryLine> {
  return whileFull(
    (pageNumber) => listEntryLines(client, { ...params, pageNumber }, options),
    (page) => page.EntryLines,
    LINES_PER_PAGE,
    "/v1/dossiers/{dossierId}/entry-lines",
  );
}

/**
 * `accounting.entries.listLineChanges` as a function of any accounting client: every line added, changed or deleted,
 * 1000 a page (`listEntryLineChanges` fetches one page).
 */
export function listAllEntryLineChanges(
  client: ProviderClient<paths>,
  params: EntryLineChangesParams,
  options?: CallOptions,
): Paginated<EntryLineChange> {
  return whileFull(
    (pageNumber) => listEntryLineChanges(client, { ...params, pageNumber }, options),
    (page) => page.EntryLines,
    CHANGES_PER_PAGE,
    "/v1/dossiers/{dossierId}/entry-lines/changes",
  );
}

/**
 * `accounting.dossiers.search` as a function of any accounting client: every matching dossier, `size` a page
 * (`searchAccountingFolders` fetches one page).
 */
export function searchAllAccountingFolders(
  client: ProviderClient<paths>,
  params: DossierSearchParams,
  options?: CallOptions,
): Paginated<AccountingFolderSummary> {
  return whileFull(
    (page) => searchAccountingFolders(client, { ...params, page }, options),
    (page) => page,
    params.size ?? DOSSIERS_PER_PAGE,
    "/provisioning/companies/{companyId}/accounting-folders/search",
  );
}

/**
 * Every entry line of a dossier in a period: the same list as `accounting.entries.listLines({ dossierId, ...query })`,
 * kept for code written before the methods. Any accounting client will do, mini included.
 *
 * @example
 * for await (const line of entryLines(accounting, 1001, { startDate: "2025-01-01", endDate: "2025-12-31" })) ...
 */
export function entryLines(
  client: ProviderClient<paths>,
  dossierId: number,
  query: EntryLineQuery,
): Paginated<EntryLine> {
  return listAllEntryLines(client, { ...query, dossierId });
}
