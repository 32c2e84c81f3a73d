import type { CallOptions } from "./call-options.js";
import type { MethodPromise } from "./method-types.js";
import { cursor, pageNumber, paginate, type NextPage, type Paginated } from "./pagination.js";
import type { Operation } from "./operation.js";
import { optionError } from "./security.js";

/**
 * How a generated list is paged (the spec's `x-pagination`): `items` is the key of the page's items, `param` the
 * query parameter the next page is asked with, `next` the dotted path of what says where it is: the page count
 * (`page`), the next cursor (`cursor`), or the total (`offset`, whose `param` is the number of items to skip).
 */
export interface PagingSpec {
  readonly style: "page" | "cursor" | "offset";
  readonly items: string;
  readonly param: string;
  readonly next: string;
}

/** The generator's facts of one operation: what the pipeline knows of it (`Operation`), and how its method calls it. */
export interface MethodSpec extends Omit<Operation, "method" | "path"> {
  /** `params` (default), `body` (the body first: no parameters), `params+body`, `none` (only the call's options). */
  readonly args?: "body" | "params+body" | "none";
  /** The body's media type where it is not JSON (form fields, multipart). */
  readonly contentType?: string;
  /** The key of the provider's envelope, removed from the data and added around the body. */
  readonly envelope?: string;
  readonly paging?: PagingSpec;
  /** How a success answer that is not JSON is read: a file as a `Blob`, text/* as a string. */
  readonly parseAs?: "blob" | "text";
}

/** An operation's function as the runtime sees it; `OperationFunction` (method-types.ts) is its type for users. */
type AnyOperation = (client: never, ...args: never[]) => unknown;

/** What the generator emits per spec: tag -> method name -> the operation's function, which the method calls. */
export type MethodTable = {
  readonly [tag: string]: { readonly [name: string]: AnyOperation };
};

/**
 * A path-style call of the client (`client.GET`), as the methods use it; `operation` stands in for the client's own
 * operations table, which a client may not have (the `mini` entries leave the spec's table out).
 */
type PathCall = (
  path: string,
  init: Record<string, unknown>,
  options: CallOptions | undefined,
  operation: Operation,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** What a method needs of its client: the path-style calls, and the client's error for an error answer. */
export interface MethodHost {
  readonly provider: string;
  call(method: string): PathCall;
  /** Throws the client's typed error (an `ApiError`, scrubbed) for an error answer. */
  fail(response: Response, error: unknown): never;
}

/** The value at a dotted path (`meta.next_id`) of a page. */
function at(value: unknown, path: string): unknown {
  for (const key of path.split(".")) value = (value as Record<string, unknown> | null | undefined)?.[key];
  return value;
}

const arrayAt = (page: unknown, path: string) => {
  const items = at(page, path);
  return Array.isArray(items) ? items : [];
};

function nextPage(paging: PagingSpec): NextPage<unknown, unknown> {
  if (paging.style === "page") {
    // An empty page ends the list too, whatever page count it claims.
    const byCount = pageNumber((page) => at(page, paging.next) as number | undefined) as NextPage<unknown, unknown>;
    return Object.assign(
      (page: unknown, current: unknown) => (arrayAt(page, paging.items).length ? byCount(page, current) : undefined),
      { first: byCount.first },
    );
  }
  if (paging.style === "cursor") return cursor((page) => at(page, paging.next));
  // offset: the items skipped so far, until the total (or an empty page, where the answer has no total)
  return (page, skipped = 0) => {
    const count = arrayAt(page, paging.items).length;
    const total = at(page, paging.next);
    const following = (skipped as number) + count;
    return count > 0 && (typeof total !== "number" || following < total) ? following : undefined;
  };
}

/** The object under `key` of a form or multipart body, as the fields `fetch` sends. */
function toFormBody(body: unknown, contentType: string): unknown {
  if (body instanceof FormData || body instanceof URLSearchParams || typeof body !== "object" || body === null)
    return body;
  const entries = Object.entries(body).filter(([, value]) => value !== undefined);
  if (contentType !== "multipart/form-data")
    return new URLSearchParams(entries.map(([name, value]) => [name, String(value)]));
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value instanceof Blob ? value : String(value));
  return form;
}

/**
 * One generated method: splits its arguments into the path-style call's path and query parameters and body, calls it
 * with the call's options, and returns the data (or throws the client's typed error).
 */
function operationMethod(host: MethodHost, operation: Operation, spec: MethodSpec) {
  const { method, path } = operation;
  const pathNames = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!));
  const send = host.call(method);
  const where = `${host.provider} ${method} ${path}`;

  const request = (params: Record<string, unknown> | undefined, body: unknown, options: CallOptions | undefined) => {
    if (params !== undefined && (typeof params !== "object" || params === null))
      return Promise.reject(optionError("params", `of ${where} must be an object of its parameters.`, host.provider));
    const pathParams: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    for (const name in params) (pathNames.has(name) ? pathParams : query)[name] = params[name];
    const init: Record<string, unknown> = { params: { path: pathParams, query }, parseAs: spec.parseAs };
    if (body !== undefined) {
      init.body = spec.envelope ? { [spec.envelope]: body } : body;
      if (spec.contentType) {
        init.body = toFormBody(init.body, spec.contentType);
        // multipart's boundary is set by fetch from the FormData; a form body needs its type named.
        if (spec.contentType !== "multipart/form-data") init.headers = { "content-type": spec.contentType };
        init.bodySerializer = (value: unknown) => value;
      }
    }
    return send(path, init, options, operation).then(({ data, error, response }) => {
      if (!response.ok) host.fail(response, error);
      const unwrapped =
        spec.envelope && !spec.paging ? (data as Record<string, unknown> | undefined)?.[spec.envelope] : data;
      return { data: unwrapped, response };
    });
  };

  // Where each argument is, by the operation's shape: [params, body, options].
  const positions = { body: [-1, 0, 1], "params+body": [0, 1, 2], none: [-1, -1, 0] }[spec.args!] ?? [0, -1, 1];
  const split = (args: unknown[]) =>
    positions.map((position) => args[position]) as [
      Record<string, unknown> | undefined,
      unknown,
      CallOptions | undefined,
    ];

  const paging = spec.paging;
  if (paging) {
    const next = nextPage(paging);
    return (...args: unknown[]): Paginated<unknown> => {
      const [params, body, options] = split(args);
      return paginate({
        fetchPage: (position) =>
          request(position === undefined ? params : { ...params, [paging.param]: position }, body, options).then(
            (page) => page.data,
          ),
        items: (page) => arrayAt(page, paging.items),
        next,
        provider: host.provider,
        what: `${method} ${path}`,
      });
    };
  }
  return (...args: unknown[]): MethodPromise<unknown> => methodPromise(request(...split(args)));
}

/**
 * A method's promise of its data, from the call's `{ data, response }`; `withResponse()` gives that call's both. For
 * a provider's own methods too (SFS's actions), so each answers as a generated method does.
 */
export function methodPromise<Data>(raw: Promise<{ data: Data; response: Response }>): MethodPromise<Data> {
  if (!(raw instanceof Promise)) throw optionError("raw", "must be the promise of a call's { data, response }.");
  const data = raw.then((result) => result.data) as MethodPromise<Data>;
  // A caller who takes only `withResponse()` leaves `data` unawaited: its rejection is theirs through `raw`.
  data.catch(() => {});
  data.withResponse = () => raw;
  return data;
}

/** Where a client keeps what its operations need; `Symbol.for`, so an ESM and a CommonJS copy of core agree. */
const HOST = Symbol.for("@x/core.methodHost");

/**
 * One operation of a spec as a function of a client (`getAccount(client, params, options)`): what the generator emits
 * for every operation, and what the client's method (`client.accounts.get(params, options)`) calls. Pure, so a bundler
 * drops the operations an app never imports.
 */
export function defineOperation<Fn extends AnyOperation>(method: string, path: string, spec: MethodSpec = {}): Fn {
  // The facts every call of it carries to the pipeline: one frozen object, whichever client calls.
  const { operationId, idempotent, idempotentActions } = spec;
  const facts: Operation = Object.freeze({ method, path, operationId, idempotent, idempotentActions });
  // Built once per client (and per `withOptions` copy), on its first call of this operation.
  const built = new WeakMap<MethodHost, (...args: unknown[]) => unknown>();
  const operation = (client: object, ...args: unknown[]) => {
    const host = (client as { [HOST]?: MethodHost } | null | undefined)?.[HOST];
    if (!host)
      throw optionError(
        "client",
        `of ${method} ${path} must be a client of its provider (createFinapiClient, createSaltEdgeClient, ...).`,
      );
    let call = built.get(host);
    if (!call) built.set(host, (call = operationMethod(host, facts, spec)));
    return call(...args);
  };
  return operation as unknown as Fn;
}

/**
 * The generated methods of a client, grouped by tag: `client.transactions.list(...)`, each calling its operation's
 * function with the client. Each tag's methods are built on first use, so a client (and each `withOptions` copy) costs
 * nothing for the tags it never calls. A client without a table still serves the spec's operation functions.
 */
export function defineMethods(target: object, table: MethodTable, host: MethodHost): void {
  Object.defineProperty(target, HOST, { value: host });
  for (const tag of Object.keys(table)) {
    if (tag in target)
      throw optionError(
        "methods",
        `tag "${tag}" collides with a member of the client; give the tag an x-name in the spec.`,
      );
    Object.defineProperty(target, tag, {
      configurable: true,
      enumerable: false,
      get() {
        const methods: Record<string, unknown> = {};
        for (const [name, operation] of Object.entries(table[tag]!))
          methods[name] = (...args: never[]) => operation(target as never, ...args);
        Object.defineProperty(target, tag, { value: Object.freeze(methods), enumerable: false });
        return methods;
      },
    });
  }
}
