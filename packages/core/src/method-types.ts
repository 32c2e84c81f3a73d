import type {
  IsOperationRequestBodyOptional,
  OperationRequestBodyContent,
  RequiredKeysOf,
  ResponseObjectMap,
  SuccessResponse,
} from "openapi-typescript-helpers";
import type { CallOptions } from "./call-options.js";
import type { Paginated } from "./pagination.js";

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
      : B extends { [K in Trait<T, "envelope">]: infer Inner }
        ? Inner
        : B
    : never;

/** The data of the operation's success answer, without the envelope; `undefined` for an answer without a body. */
export type MethodData<Op, T extends MethodTraits = {}> =
  Success<Op> extends infer D
    ? [D] extends [never]
      ? undefined
      : [Trait<T, "envelope">] extends [never]
        ? D
        : D extends { [K in Trait<T, "envelope">]: infer Inner }
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
export type OperationMethod<Op, T extends MethodTraits = {}> = (
  ...args: MethodArgs<Op, T>
) => [Trait<T, "items">] extends [never] ? MethodPromise<MethodData<Op, T>> : Paginated<PageItem<Op, T>>;
