import { cursor, paginate, type Paginated } from "@x/core";
import { PROVIDER } from "./provider.js";

/** A list page: the `{ data: [...], meta }` envelope. */
interface ListPage<T = unknown> {
  data: T[];
  meta?: { next_id?: string | null };
}

/** A list operation: a GET whose 200 body is the `{ data: [...], meta }` envelope. */
type ListGet = {
  get: {
    parameters: { query?: unknown };
    responses: { 200: { content: { "application/json": { data: unknown[]; meta: { next_id: string | null } } } } };
  };
};

/** The paths of `Paths` that `paginate` accepts. */
export type ListPath<Paths> = { [P in keyof Paths]: Paths[P] extends ListGet ? P : never }[keyof Paths] & string;

type ListOf<Paths, P extends ListPath<Paths>> = Paths[P] extends ListGet ? Paths[P] : never;
type ListBody<Paths, P extends ListPath<Paths>> = ListOf<
  Paths,
  P
>["get"]["responses"][200]["content"]["application/json"];
/** One item of the list at P. */
export type ListItem<Paths, P extends ListPath<Paths>> = ListBody<Paths, P>["data"][number];
/** The list's query parameters, `from_id` excluded: `paginate` sets it. */
export type ListQuery<Paths, P extends ListPath<Paths>> = Omit<
  NonNullable<ListOf<Paths, P>["get"]["parameters"]["query"]>,
  "from_id"
>;

/** What `paginateList` needs of a client: a GET and core's `unwrap`. */
export interface PageSource {
  GET(
    path: string,
    init: { params: { query: Record<string, unknown> } },
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
}

/**
 * Salt Edge's pagination, a cursor strategy over core's `paginate`: each page is asked for with `from_id` = the
 * previous page's `meta.next_id`, until it is null. A failed page throws the same `ApiError` as a single call, and
 * a `next_id` that comes back ends the iteration with core's `PaginationError` (`PAGINATION_STUCK`). Nothing is
 * fetched until iteration starts, and each page only when needed.
 */
export function paginateList<T>(source: PageSource, path: string, query: Record<string, unknown> = {}): Paginated<T> {
  return paginate({
    fetchPage: (fromId: string | undefined) => {
      const params = { query: fromId === undefined ? { ...query } : { ...query, from_id: fromId } };
      return source.unwrap(source.GET(path, { params })) as Promise<ListPage<T>>;
    },
    items: (page) => page.data,
    next: cursor((page) => page.meta?.next_id),
    provider: PROVIDER,
    what: `GET ${path}`,
  });
}
