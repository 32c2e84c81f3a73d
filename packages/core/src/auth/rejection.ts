import { answer } from "../bounded-body.js";
import { parseErrorText, readErrorText } from "../body.js";

/**
 * Whether an error answer (not 2xx) says the credential was refused. `body()` reads the body
 * bounded as `readErrorBody` reads (size and time) and parsed when it is JSON; reads through the
 * response itself (`response.json()`) see the same bytes. A 2xx answer is never a rejection and
 * is not given to the check.
 *
 * @example
 * (response, body) =>
 *   response.status === 401 || (response.status === 403 && (await body())?.code === "invalid_token")
 */
export type RejectionCheck = (response: Response, body: () => Promise<unknown>) => boolean | Promise<boolean>;

/** What `rejectionOf` found: the response to hand on, and a reader of its body when it is a rejection. */
export interface Rejection {
  /** The answer as it came, or, when the check read its body, an unread copy of the bytes read. */
  response: Response;
  /** Set when the answer is a rejection. */
  rejected?: () => Promise<unknown>;
}

/**
 * Runs `check` (default: status 401) on an error answer. The body is read at most once, from the
 * answer itself and only if the check asks for it, and the check and the caller get the same
 * bytes: no `clone()`, whose tee left a branch that an abort mid-body rejected with nobody
 * listening (an unhandled rejection that ends a Node process).
 */
export async function rejectionOf(
  response: Response,
  check: RejectionCheck | undefined,
  signal?: AbortSignal,
): Promise<Rejection> {
  let text: Promise<string> | undefined;
  const read = () => (text ??= readErrorText(response, { signal }));
  const body = () => read().then(parseErrorText);
  if (
    response.ok ||
    !(await (check ? check(response.body ? bodyFromRead(response, read) : response, body) : response.status === 401))
  )
    return { response: text ? answer(await text, response) : response };
  return { response, rejected: body };
}

/**
 * `response` as a check sees it: its own status and headers, and a body that is the bounded read, made on first
 * use, so `response.json()` in a check reads what `body()` reads.
 */
function bodyFromRead(response: Response, read: () => Promise<string>): Response {
  let copy: Response | undefined;
  const copied = () =>
    (copy ??= answer(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          controller.enqueue(new TextEncoder().encode(await read()));
          controller.close();
        },
      }),
      response,
    ));
  return new Proxy(response, {
    get(target, member) {
      const source = BODY_MEMBERS.has(member) ? copied() : target;
      const value = Reflect.get(source, member, source);
      return typeof value === "function" ? value.bind(source) : value;
    },
  });
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
