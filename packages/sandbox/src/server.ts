import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Called once a request's body has been read in full (signatures need the exact bytes, recorders the text). */
export type BufferedRequestListener = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

export interface HttpServerOptions {
  /** Interface to listen on; loopback by default so nothing is exposed beyond this machine. */
  host?: string;
  /** 0 (default) lets the OS pick a free port, so servers started in parallel never collide. */
  port?: number;
}

export interface RunningHttpServer {
  /** Base URL such as `http://127.0.0.1:54321` (an IPv6 host in brackets), no trailing slash. */
  url: string;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on a loopback port: the one every emulator runs on, and the one `@x/testing` records requests
 * with. It lives here because `@x/sandbox` is published and depends on nothing private; `@x/testing` imports it.
 */
export async function startHttpServer(
  onRequest: BufferedRequestListener,
  options: HttpServerOptions = {},
): Promise<RunningHttpServer> {
  const { host = "127.0.0.1", port = 0 } = options;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => onRequest(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets (fetch keeps them) would otherwise hold close() open until they time out.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
