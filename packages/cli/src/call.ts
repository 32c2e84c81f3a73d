import type { SdkEvent } from "@x/core";
import { fillPath, operationById } from "./operations.js";
import { debugOutput, providerEntry } from "./providers.js";
import { UsageError, note, progress } from "./usage.js";

export interface CallOptions {
  provider: string | undefined;
  /** `METHOD path`, or an operationId. */
  target: string[];
  data: string | undefined;
  query: string[];
  /** `name=value` for the `{name}` segments of an operation's path template. */
  param: string[];
  debug: boolean;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

const pairs = (option: string, values: string[]): Record<string, string> =>
  Object.fromEntries(
    values.map((pair) => {
      const at = pair.indexOf("=");
      if (at < 1) throw new UsageError(`${option} takes key=value, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );

/** `METHOD /path?query` as given, or an operationId looked up in the provider's spec (its path is a template). */
function parseTarget(provider: string, target: string[]) {
  const [first = "", path] = target;
  const method = first.toUpperCase() as Method;
  if (!METHODS.includes(method)) {
    if (!first) throw new UsageError("give an operationId or METHOD /path after the provider");
    const operation = operationById(provider, first);
    return { method: operation.method as Method, path: operation.path, query: {} as Record<string, string> };
  }
  if (!path?.startsWith("/")) throw new UsageError(`give the path after ${method}, starting with "/"`);
  const [pathname = "", search = ""] = path.split("?", 2);
  return { method, path: pathname, query: Object.fromEntries(new URLSearchParams(search)) };
}

function parseData(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data);
  } catch {
    throw new UsageError('--data must be JSON, e.g. --data \'{"identifier":"demo"}\'');
  }
}

/** `x call <provider> <operationId | METHOD path>`: one typed call through the SDK pipeline (auth, retry, errors). */
export async function call(options: CallOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const entry = providerEntry(options.provider);
  const { method, path, query } = parseTarget(options.provider as string, options.target);
  Object.assign(query, pairs("--query", options.query));
  const pathParams = fillPath(path, pairs("--param", options.param));
  const body = parseData(options.data);
  let finished: Extract<SdkEvent, { type: "request.finished" }> | undefined;
  const debug = debugOutput(options.debug);
  const client = entry.create(env, {
    ...debug,
    onEvent: (event) => {
      if (event.type === "request.finished") finished = event;
      debug.onEvent?.(event);
    },
  });
  const done = progress(`${method} ${path}`);
  const started = performance.now();
  const result = await client[method](path, {
    params: { query, path: pathParams },
    ...(body === undefined ? {} : { body }),
    parseAs: "text",
  }).finally(done);
  const { response, data, error } = result as { response: Response; data?: string; error?: string };
  const text = data ?? error ?? "";
  const operation = finished?.operationId ? ` (${finished.operationId})` : "";
  note(`${method} ${path} -> ${response.status}${operation} in ${Math.round(performance.now() - started)} ms`);
  let printed = text;
  try {
    printed = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: printed as it came.
  }
  if (printed) console.log(printed);
  return response.ok ? 0 : 1;
}
