import { ConfigurationError, type MethodTable, type Paginated } from "@x/core";
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

type PagedMethod = (query?: Record<string, unknown>) => Paginated<unknown>;

/**
 * `client.paginate(path, query)` by path, for code written before the generated methods: it calls the generated
 * paged method of that path (`GET /transactions` -> `client.transactions.list`), so the cursor logic (`from_id` =
 * `meta.next_id`, a repeated cursor ending in core's `PaginationError`) lives in one place, core's method runtime.
 */
export function pagerOf(table: MethodTable) {
  const lists = new Map<string, readonly [tag: string, name: string]>();
  for (const [tag, methods] of Object.entries(table))
    for (const [name, [method, path, spec]] of Object.entries(methods))
      if (method === "GET" && spec?.paging) lists.set(path, [tag, name]);

  return (client: object) =>
    (path: string, query?: Record<string, unknown>): Paginated<unknown> => {
      const list = lists.get(path);
      if (!list) {
        throw new ConfigurationError(
          `${PROVIDER} paginate: ${JSON.stringify(path)} is not a list; pass one of ${[...lists.keys()].join(", ")}.`,
          { option: "path", provider: PROVIDER },
        );
      }
      const [tag, name] = list;
      return ((client as Record<string, Record<string, PagedMethod>>)[tag]![name] as PagedMethod)(query);
    };
}
