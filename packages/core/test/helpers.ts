import { json, startTestServer, type RecordedRequest, type TestServer } from "@x/testing";
import type { ServerResponse } from "node:http";
import { createProviderClient, type ProviderClientOptions } from "../src/index.js";

export { json, startTestServer };
export type { RecordedRequest, TestServer };

/** A token endpoint plus one API route, counting what it issued; tokens are "tok-<n>". */
export async function startOAuthServer(
  options: {
    expiresIn?: number;
    tokenDelayMs?: number;
    api?: (req: RecordedRequest, res: ServerResponse, state: { issued: number }) => void | Promise<void>;
  } = {},
) {
  const state = { issued: 0 };
  const server = await startTestServer(async (req, res) => {
    if (req.path === "/oauth/token") {
      state.issued += 1;
      const token = `tok-${state.issued}`;
      if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
      return json(res, 200, { access_token: token, token_type: "bearer", expires_in: options.expiresIn ?? 3600 });
    }
    if (options.api) return options.api(req, res, state);
    if (req.headers.authorization === `Bearer tok-${state.issued}`) return json(res, 200, { ok: true, path: req.path });
    return json(res, 401, { error: "invalid_token" });
  });
  return { server, state, tokenUrl: `${server.url}/oauth/token` };
}

/** Collects everything an SDK reports, to search it for secrets. */
export function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (message: string, data?: Record<string, unknown>) =>
    lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
  return { lines, logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") } };
}

/**
 * A client of a loopback server whose every answer `handler` writes, for the hostile-server tests: no retries and a
 * 300 ms deadline unless `options` say otherwise. The server joins `servers`, which the test file closes after each
 * test.
 */
export async function clientOfServer<Paths extends {}>(
  servers: TestServer[],
  handler: (res: ServerResponse) => void,
  options: Partial<ProviderClientOptions> = {},
) {
  const server = await startTestServer((_req, res) => handler(res));
  servers.push(server);
  return createProviderClient<Paths>({
    provider: "acme",
    baseUrl: server.url,
    retry: false,
    timeoutMs: 300,
    ...options,
  });
}
