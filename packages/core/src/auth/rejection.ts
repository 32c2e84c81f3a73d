import { discardBody, readErrorBody } from "../body.js";

/**
 * Whether a response says the credential was refused. `body()` reads the body of a copy of the
 * response, bounded as `readErrorBody` reads (size and time) and parsed when it is JSON, so the
 * check may look at it and the response is still unread when it passes through.
 *
 * @example
 * (response, body) =>
 *   response.status === 401 || (response.status === 403 && (await body())?.code === "invalid_token")
 */
export type RejectionCheck = (response: Response, body: () => Promise<unknown>) => boolean | Promise<boolean>;

/**
 * Runs `check` (default: status 401) on a response. Returns `undefined` when the response is
 * not a rejection, else a reader of its body (the copy's body when the check read it).
 */
export async function rejectionOf(
  response: Response,
  check: RejectionCheck | undefined,
  signal?: AbortSignal,
): Promise<(() => Promise<unknown>) | undefined> {
  let read: Promise<unknown> | undefined;
  if (check) {
    // The copy is made only if the check reads a body: one that looks at the status and headers
    // (most do) costs no clone, which tees the body stream of every answer.
    let copy: Response | undefined;
    const copied = () => (copy ??= response.clone());
    try {
      if (!(await check(bodyOnCopy(response, copied), () => (read ??= readErrorBody(copied(), { signal })))))
        return undefined;
    } finally {
      discardBody(copy);
    }
  } else if (response.status !== 401) return undefined;
  return () => read ?? readErrorBody(response, { signal });
}

const BODY_MEMBERS = new Set<PropertyKey>([
  "body",
  "bodyUsed",
  "text",
  "json",
  "arrayBuffer",
  "blob",
  "bytes",
  "formData",
  "clone",
]);

/** `response` as a check sees it: status and headers its own, any read of the body made on the copy. */
function bodyOnCopy(response: Response, copied: () => Response): Response {
  return new Proxy(response, {
    get(target, member) {
      const source = BODY_MEMBERS.has(member) ? copied() : target;
      const value = Reflect.get(source, member, source);
      return typeof value === "function" ? value.bind(source) : value;
    },
  });
}
