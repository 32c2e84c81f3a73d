import { XError } from "@x/core";

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
/** One item of the list at P. */
export type ListItem<Paths, P extends ListPath<Paths>> = ListOf<Paths, P>["get"]["responses"][200]["content"]["application/json"]["data"][number];
/** The list's query parameters, `from_id` excluded: `paginate` sets it. */
export type ListQuery<Paths, P extends ListPath<Paths>> = Omit<NonNullable<ListOf<Paths, P>["get"]["parameters"]["query"]>, "from_id">;

/** Every item of a list, fetched one page at a time as it is consumed. */
export interface Paginated<T> extends AsyncIterable<T> {
  /** The pages themselves, for callers that process a page at a time. */
  pages(): AsyncIterable<T[]>;
  /** Every item in one array; for lists known to be small. */
  collect(): Promise<T[]>;
}

/** What `paginate` needs of a client: a GET and core's `unwrap`. */
export interface PageSource {
  GET(path: string, init: { params: { query: Record<string, unknown> } }): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
}

/**
 * Follows Salt Edge's `meta.next_id`: each page is asked for with `from_id` = the previous
 * page's `next_id`, until it is null. A failed page throws the same `ApiError` as a single
 * call. Nothing is fetched until iteration starts, and each page only when needed.
 */
export function paginate<T>(source: PageSource, path: string, query: Record<string, unknown> = {}): Paginated<T> {
  async function* pages(): AsyncGenerator<T[]> {
    let fromId: string | undefined;
    for (;;) {
      const page = (await source.unwrap(
        source.GET(path, { params: { query: fromId === undefined ? { ...query } : { ...query, from_id: fromId } } }),
      )) as { data: T[]; meta?: { next_id?: string | null } };
      yield page.data;
      const nextId = page.meta?.next_id ?? null;
      if (nextId === null) return;
      // A provider bug that repeats a cursor would otherwise loop for ever.
      if (nextId === fromId) {
        throw new XError(`saltedge GET ${path} returned the same meta.next_id twice (${nextId}); stopping instead of looping.`, { provider: "saltedge", code: "PAGINATION_STUCK" });
      }
      fromId = nextId;
    }
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page;
    },
    async collect() {
      const items: T[] = [];
      for await (const page of pages()) items.push(...page);
      return items;
    },
  };
}
