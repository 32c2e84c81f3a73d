import type { SdkEvent } from "@x/core";
import { debugOutput, providerEntry } from "./providers.js";
import { UsageError, note, progress } from "./usage.js";

export interface CallOptions {
  provider: string | undefined;
  /** `METHOD path`, or an operationId. */
  target: string[];
  data: string | undefined;
  query: string[];
  debug: boolean;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

function parseTarget(target: string[]): { method: Method; path: string; query: Record<string, string> } {
  const [first = "", path] = target;
  const method = first.toUpperCase() as Method;
  if (!METHODS.includes(method)) {
    throw new UsageError(
      `"${first}" is not an HTTP method: give METHOD path (e.g. GET /api/v2/accounts); calling by operationId ` +
        "needs the provider package to export its operations table, which it does not yet",
    );
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

/** `x call <provider> METHOD path`: one typed call through the SDK's pipeline (auth, retry, errors, events). */
export async function call(options: CallOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const entry = providerEntry(options.provider);
  const { method, path, query } = parseTarget(options.target);
  for (const pair of options.query) {
    const [key = "", value = ""] = pair.split("=", 2);
    if (!key) throw new UsageError(`--query takes key=value, got "${pair}"`);
    query[key] = value;
  }
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
    params: { query },
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
  if (!response.ok) process.exitCode = 1;
}
