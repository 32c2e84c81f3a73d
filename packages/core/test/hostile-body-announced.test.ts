// Hostile servers, the body again, for 2xx answers that announce their length: those keep their own body (the fast
// path: the call's signal cuts it, Content-Length bounds it), so this checks that path keeps the contract of the
// counting stream: a slow body times out, a dropped connection is a NetworkError, the caller's abort an AbortError,
// and the answer read is the answer sent, `url` included. A compressed body is always counted (its decoded size is
// not announced).
import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, NetworkError, ResponseTooLargeError, TimeoutError } from "../src/index.js";
import { clientOfServer, type TestServer } from "./helpers.js";

type Paths = { "/things": { get: { responses: { 200: { content: { "application/json": unknown } } } } } };
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const client = (handler: (res: ServerResponse) => void, options: { maxResponseBytes?: number } = {}) =>
  clientOfServer<Paths>(servers, handler, options);

/** Announces `length` bytes, sends the first one, then `then(res)`. */
const announce = (length: number, then: (res: ServerResponse) => void) => (res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": String(length) });
  res.write("[");
  then(res);
};

describe("an answer of announced length", () => {
  it("is read whole and handed on with its status, headers and url", async () => {
    const body = JSON.stringify({ items: ["a".repeat(100_000)] });
    const api = await client((res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    const response = await api.fetch(`${api.baseUrl}/things`);
    expect(response.url).toBe(`${api.baseUrl}/things`);
    expect(response.headers.get("content-length")).toBe(String(body.length));
    expect(await response.text()).toBe(body);
    expect((await api.GET("/things")).data).toEqual(JSON.parse(body));
  });

  it("that trickles ends in TimeoutError at the deadline", async () => {
    const api = await client(announce(1000, () => {}));
    const started = Date.now();
    await expect(api.GET("/things")).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("cut short by the server is a NetworkError", async () => {
    const api = await client(announce(1000, (res) => setTimeout(() => res.destroy(), 20)));
    await expect(api.GET("/things")).rejects.toBeInstanceOf(NetworkError);
  });

  it("aborted by the caller while it is read is an AbortError", async () => {
    const api = await client(announce(1000, () => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(api.GET("/things", { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it("compressed, is counted decoded: a small gzip of a large body is ResponseTooLargeError", async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    const api = await client(
      (res) => {
        res.writeHead(200, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": bomb.length,
        });
        res.end(bomb);
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(api.GET("/things")).rejects.toBeInstanceOf(ResponseTooLargeError);
  });
});
