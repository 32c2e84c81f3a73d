import type { IncomingMessage, ServerResponse } from "node:http";
import { json, startHttpServer } from "@x/sandbox";

/** What the server saw, captured before the handler runs so tests can assert on it even when the handler throws. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path plus query string, as sent on the request line. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type TestHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** Base URL such as `http://127.0.0.1:54321`, no trailing slash. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on 127.0.0.1 with an OS-assigned port, so tests
 * exercise real sockets (no mocked fetch) and can run in parallel.
 *
 * It runs on the sandbox's `startHttpServer`, so listening and closing (keep-alive sockets included) exist once.
 */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = await startHttpServer((req, body, res) => {
    const url = req.url ?? "/";
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.split("?")[0] ?? "/",
      url,
      headers: req.headers,
      body: body.toString("utf8"),
    };
    requests.push(recorded);
    Promise.resolve()
      .then(() => handler(recorded, res))
      .catch((err: unknown) => {
        // Surface handler bugs as a 500 the test can see instead of a hung request.
        if (!res.headersSent) json(res, 500, { error: "test handler threw", message: String(err) });
        else res.end();
      });
  });
  return { url: server.url, requests, close: server.close };
}
