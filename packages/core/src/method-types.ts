import type {
  IsOperationRequestBodyOptional,
  OperationRequestBodyContent,
  RequiredKeysOf,
  ResponseObjectMap,
  SuccessResponse,
} from "openapi-typescript-helpers";
import type { CallOptions } from "./call-options.js";
import type { Paginated } from "./pagination.js";
import type { ClientRuntime } from "./plugin.js";

/**
 * What the generator knows of an operation besides its types: the provider's envelope (`data`) that a method
 * removes, and for a paged list the key of its items and the query parameter the next page is asked with.
 */
export interface MethodTraits {
  envelope?: string;
  items?: string;
  pageParam?: string;
}

/** A trait's value; `never` where the method does not have it (an indexed access would give `unknown`). */
type Trait<T, K extends keyof MethodTraits> = T extends { [P in K]: infer V extends string } ? V : never;

/** The operation's success data (2xx), as openapi-fetch types it. */
type Success<Op> =
  ResponseObjectMap<Op> extends infer R extends Record<string | number, any>
    ? SuccessResponse<R, `${string}/${string}`>
    : never;

/** The type itself, or `{}` where openapi-typescript wrote `never` or `undefined` (no such parameters). */
type Known<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;
/** An object type shown flat in editors, instead of as an intersection. */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** An operation's path and query parameters in one object, the page parameter of a paged list left out. */
export type MethodParams<Op, T extends MethodTraits = {}> = Op extends { parameters: infer P }
  ? Flat<
      Omit<
        Known<P extends { path?: infer Path } ? Path : never> & Known<P extends { query?: infer Q } ? Q : never>,
        Trait<T, "pageParam">
      >
    >
  : {};

/** The request body a method takes: the provider's envelope (`{ data: ... }`) removed where it always wraps. */
export type MethodBody<Op, T extends MethodTraits = {}> =
  NonNullable<OperationRequestBodyContent<Op>> extends infer B
    ? [Trait<T, "envelope">] extends [never]
      ? B
      : B extends { [K in Trait<T, "envelope">]?: infer Inner }
        ? NonNullable<Inner>
        : B
    : never;

/** The data of the operation's success answer, without the envelope; `undefined` for an answer without a body. */
export type MethodData<Op, T extends MethodTraits = {}> =
  Success<Op> extends infer D
    ? [D] extends [never]
      ? undefined
      : [Trait<T, "envelope">] extends [never]
        ? D
        : D extends { [K in Trait<T, "envelope">]?: infer Inner }
          ? Inner
          : D
    : never;

type HasBody<Op> = [OperationRequestBodyContent<Op>] extends [never]
  ? false
  : [NonNullable<OperationRequestBodyContent<Op>>] extends [never]
    ? false
    : true;

/** `[params]` when a parameter is required, `[params?]` when none is, `[]` when the operation has none. */
type ParamsArg<P> = [keyof P] extends [never] ? [] : [RequiredKeysOf<P>] extends [never] ? [params?: P] : [params: P];

/**
 * The arguments of a method: its parameters (path and query, by name), then its body, then the call's options.
 * An operation with a body and no parameters takes the body first: `customers.create({ identifier })`.
 */
export type MethodArgs<Op, T extends MethodTraits = {}> =
  HasBody<Op> extends true
    ? [keyof MethodParams<Op, T>] extends [never]
      ? IsOperationRequestBodyOptional<Op> extends true
        ? [body?: MethodBody<Op, T>, options?: CallOptions]
        : [body: MethodBody<Op, T>, options?: CallOptions]
      : [params: MethodParams<Op, T>, body: MethodBody<Op, T>, options?: CallOptions]
    : [...ParamsArg<MethodParams<Op, T>>, options?: CallOptions];

/** The promise of a method's data, with the raw answer on request. */
export interface MethodPromise<Data> extends Promise<Data> {
  /** The same call's data and its `Response`, for its headers (rate limits, request id). */
  withResponse(): Promise<{ data: Data; response: Response }>;
}

/** The item of a paged list: an element of the array under `items` in each page. */
type PageItem<Op, T extends MethodTraits> =
  Success<Op> extends infer Page
    ? Page extends { [K in Trait<T, "items">]?: infer Items }
      ? NonNullable<Items> extends readonly (infer Item)[]
        ? Item
        : never
      : never
    : never;

/**
 * A generated operation method: takes the operation's parameters and body by name, returns its data (or, for a paged
 * list, every item as core's `Paginated`), and throws a typed error for an HTTP error answer.
 */
export type OperationMethod<Op, T extends MethodTraits = {}> = (...args: MethodArgs<Op, T>) => MethodResult<Op, T>;

/** What a method gives back: its data's promise, or for a paged list every item. */
export type MethodResult<Op, T extends MethodTraits = {}> = [Trait<T, "items">] extends [never]
  ? MethodPromise<MethodData<Op, T>>
  : Paginated<PageItem<Op, T>>;

/** Any client of an @x provider, as an operation function takes it. */
export interface OperationClient {
  readonly provider: string;
  readonly runtime: ClientRuntime;
}

/**
 * A generated operation as a function of a client, with the arguments and result of its method:
 * `getAccount(finapi, { id })` is `finapi.accounts.get({ id })`. Exported one by one from a provider's `mini` entry,
 * so that an app's bundle keeps only the operations it imports.
 */
export type OperationFunction<Op, T extends MethodTraits = {}> = (
  client: OperationClient,
  ...args: MethodArgs<Op, T>
) => MethodResult<Op, T>;

/** The names of a tag's methods a client of level L may call: those of level L, and those without a level. */
type NamesAt<TagMethods, TagLevels, L extends string> = {
  [N in keyof TagMethods]: N extends keyof TagLevels ? (TagLevels[N] extends L ? N : never) : N;
}[keyof TagMethods];

/**
 * A provider's generated `Methods` as seen from a client of level L (the spec's `x-level`, emitted as
 * `MethodLevels`): a method of another level is not there, so calling it is a compile error naming the method, and a
 * tag left without methods is not there either.
 *
 * @example type UserMethods = MethodsAt<Methods, MethodLevels, "user">;
 */
export type MethodsAt<M, Levels, L extends string> = {
  [T in keyof M as [NamesAt<M[T], T extends keyof Levels ? Levels[T] : {}, L>] extends [never] ? never : T]: Pick<
    M[T],
    NamesAt<M[T], T extends keyof Levels ? Levels[T] : {}, L>
  >;
};

/** The methods of a path item that a client of level L may not call. */
type DeniedAt<Item, ItemLevels, L extends string> = {
  [M in keyof ItemLevels]: ItemLevels[M] extends L ? never : M;
}[keyof ItemLevels] &
  keyof Item;

/**
 * The generated `paths` as seen from a client of level L (the spec's `x-level`, emitted as `PathLevels`): an operation
 * of another level becomes `?: never`, so a path-style call to it does not compile.
 *
 * @example createProviderClient<PathsAt<paths, PathLevels, "user">, ...>(...)
 */
export type PathsAt<Paths, Levels, L extends string> = {
  [P in keyof Paths]: P extends keyof Levels
    ? Omit<Paths[P], DeniedAt<Paths[P], Levels[P], L>> & { [M in DeniedAt<Paths[P], Levels[P], L>]?: never }
    : Paths[P];
};
