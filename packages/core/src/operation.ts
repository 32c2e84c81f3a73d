/**
 * The spec operation a typed call was made for, so that plugins, events and logs name it
 * without parsing URLs: `POST /customers/{customer_id}` rather than the URL with its ids.
 */
export interface Operation {
  /** Upper case, e.g. "DELETE". */
  readonly method: string;
  /** The path template as written in the spec, e.g. "/customers/{customer_id}". */
  readonly path: string;
  /** The spec's `operationId`, where it has one. */
  readonly operationId?: string;
  /** The spec marks it safe to repeat (`x-idempotent: true`) although its method is not. */
  readonly idempotent?: boolean;
  /**
   * With `x-action`: only these actions of the operation are safe to repeat (SFS's POST
   * `/api/template` lists and reads, but also creates). The client's `actionOf` reads a call's action.
   */
  readonly idempotentActions?: readonly string[];
}

/** What the generator emits per spec: path template -> lower-case method -> the operation's facts. */
export type OperationTable = {
  readonly [path: string]: { readonly [method: string]: Omit<Operation, "method" | "path"> | undefined } | undefined;
};

/**
 * The operations of one HTTP method, resolved and memoized: one frozen object per path template,
 * built on its first call, so a typed call allocates nothing to carry its operation.
 */
export function operationsOf(method: string, table: OperationTable = {}): (path: string) => Operation {
  const resolved = new Map<string, Operation>();
  const key = method.toLowerCase();
  return (path) => {
    let operation = resolved.get(path);
    if (!operation) {
      operation = Object.freeze({ ...table[path]?.[key], method, path });
      resolved.set(path, operation);
    }
    return operation;
  };
}
