import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
 */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = req.url ?? "/";
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.split("?")[0] ?? "/",
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
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
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Writes a JSON response; extra headers override the defaults. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload).toString(),
    ...headers,
  });
  res.end(payload);
}
