import { ConfigurationError, type OperationClient, type Paginated } from "@x/core";
import { PROVIDER } from "./provider.js";

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

/** A list operation's function (`listTransactions`): the client and the list's query in, every item out. */
type ListOperation<Item = unknown, Query = never> = (client: OperationClient, query: Query) => Paginated<Item>;

/**
 * The list operations of a spec by path, for `pagerOf`. Declared `satisfies ListOperations<paths>`, so the compiler
 * refuses a table that misses a list of the spec, names a path that is not one, or maps a path to another list.
 */
export type ListOperations<Paths> = {
  readonly [P in ListPath<Paths>]: ListOperation<ListItem<Paths, P>, ListQuery<Paths, P>>;
};

/**
 * `client.paginate(path, query)` by path, for code written before the generated methods: it calls the list's
 * operation function (`GET /transactions` -> `listTransactions`), so the cursor logic (`from_id` = `meta.next_id`, a
 * repeated cursor ending in core's `PaginationError`) lives in one place, core's method runtime.
 */
export function pagerOf(lists: { readonly [path: string]: ListOperation }) {
  return (client: OperationClient) =>
    (path: string, query?: Record<string, unknown>): Paginated<unknown> => {
      // An own key only: `paginate("constructor")` must not reach Object.prototype.
      const list = Object.hasOwn(lists, path) ? lists[path] : undefined;
      if (!list) {
        throw new ConfigurationError(
          `${PROVIDER} paginate: ${JSON.stringify(path)} is not a list; pass one of ${Object.keys(lists).join(", ")}.`,
          { option: "path", provider: PROVIDER },
        );
      }
      return list(client, query as never);
    };
}
