import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  AbortError,
  ApiError,
  AuthenticationError,
  createProviderClient,
  oauth2Auth,
  readErrorBody,
  staticHeadersAuth,
} from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = {
  "/things/{id}": {
    get: {
      parameters: { path: { id: string } };
      responses: {
        200: { content: { "application/json": { id: string } } };
        400: { content: { "application/json": unknown } };
      };
    };
  };
};
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function serve(handler: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

/** Sends headers and the start of a body, then never finishes it. */
const stall = (status: number, start: string) => (_req: unknown, res: import("node:http").ServerResponse) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.write(start);
};

describe("readErrorBody", () => {
  it("parses a JSON body, keeps a text body as text, and reads an empty one as undefined", async () => {
    const server = await serve((req, res) => {
      if (req.path === "/json") return json(res, 422, { code: "BAD", message: "no" });
      if (req.path === "/html")
        return void res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
      res.writeHead(500).end();
    });
    expect(await readErrorBody(await fetch(`${server.url}/json`))).toEqual({ code: "BAD", message: "no" });
    expect(await readErrorBody(await fetch(`${server.url}/html`))).toBe("<h1>Bad gateway</h1>");
    expect(await readErrorBody(await fetch(`${server.url}/empty`))).toBeUndefined();
  });

  it("reads at most maxBytes of a 2 MB body and stops downloading the rest", async () => {
    const big = "x".repeat(2 * 1024 * 1024);
    const server = await serve((_req, res) => void res.writeHead(500, { "content-type": "text/plain" }).end(big));
    const body = await readErrorBody(await fetch(server.url));
    expect(body).toBe("x".repeat(65_536));
    expect(await readErrorBody(await fetch(server.url), { maxBytes: 10 })).toBe("xxxxxxxxxx");
  });

  it("gives up on a body that stalls: after timeoutMs, or when the signal fires, with what was read", async () => {
    const server = await serve(stall(500, '{"partial":'));
    let started = Date.now();
    expect(await readErrorBody(await fetch(server.url), { timeoutMs: 150 })).toBe('{"partial":');
    expect(Date.now() - started).toBeLessThan(2_000);
    started = Date.now();
    expect(await readErrorBody(await fetch(server.url), { signal: AbortSignal.timeout(150) })).toBe('{"partial":');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("never throws: a body already read, a response without body, a reset connection", async () => {
    const server = await serve((req, res) => {
      if (req.path === "/reset") {
        res.writeHead(500, { "content-type": "application/json", "content-length": "100" });
        res.write('{"a":');
        return void setTimeout(() => res.socket?.destroy(), 20);
      }
      json(res, 400, { a: 1 });
    });
    const read = await fetch(server.url);
    await read.text();
    expect(await readErrorBody(read)).toBeUndefined();
    expect(await readErrorBody(new Response(null, { status: 500 }))).toBeUndefined();
    expect(await readErrorBody(await fetch(`${server.url}/reset`))).toBe('{"a":');
  });
});

describe("typed calls read error bodies within bounds, redacted", () => {
  it(
    "the { error } of a call made without unwrap has the " +
      "client's secrets scrubbed and secret-named fields redacted",
    async () => {
      // A provider that echoes the request it refused, credentials included.
      const server = await serve((req, res) =>
        json(res, 400, {
          message: `bad request from ${req.headers["x-session"]}`,
          request: { headers: { authorization: "Bearer echoed-token" } },
        }),
      );
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        auth: staticHeadersAuth({ headers: { "x-session": "session-secret-42" } }),
        secrets: ["session-secret-42"],
      });
      const { error, response } = await client.GET("/things/{id}", { params: { path: { id: "1" } } });
      expect(response.status).toBe(400);
      expect(response.url).toBe(`${server.url}/things/1`);
      expect(error).toEqual({
        message: "bad request from [redacted]",
        request: { headers: { authorization: "[redacted]" } },
      });
      for (const shown of [JSON.stringify(error), inspect(error, { depth: 10 })]) {
        expect(shown).not.toContain("session-secret-42");
        expect(shown).not.toContain("echoed-token");
      }
      const thrown = (await client
        .unwrap(client.GET("/things/{id}", { params: { path: { id: "1" } } }))
        .catch((e: unknown) => e)) as ApiError;
      expect(thrown).toBeInstanceOf(ApiError);
      expect(thrown.message).toContain("/things/1 failed with 400");
      expect(JSON.stringify(thrown)).not.toContain("session-secret-42");
    },
  );

  it(
    "an error body that never ends does not hang the call: " + "the caller's signal ends it with AbortError",
    async () => {
      const server = await serve(stall(503, '{"error":"overloa'));
      const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, retry: false });
      const started = Date.now();
      const call = client.GET("/things/{id}", { params: { path: { id: "1" } }, signal: AbortSignal.timeout(200) });
      // The call is over when its caller aborts, mid-body too: half an error body would hide why it failed.
      await expect(call).rejects.toBeInstanceOf(AbortError);
      expect(Date.now() - started).toBeLessThan(3_000);
    },
  );

  it("a 1 MB error body reaches unwrap's ApiError cut to 64 KiB", async () => {
    const server = await serve(
      (_req, res) => void res.writeHead(500, { "content-type": "text/plain" }).end("e".repeat(1024 * 1024)),
    );
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, retry: false });
    const error = (await client
      .unwrap(client.GET("/things/{id}", { params: { path: { id: "1" } } }))
      .catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(500);
    expect((error.body as string).length).toBe(65_536);
  });

  it("a token endpoint's error page is kept, bounded, in the AuthenticationError's body", async () => {
    const page = `<html>${"p".repeat(200_000)}</html>`;
    const server = await serve((_req, res) => void res.writeHead(503, { "content-type": "text/html" }).end(page));
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: false,
      auth: oauth2Auth({
        tokenUrl: `${server.url}/token`,
        clientId: "c",
        clientSecret: "s",
        grant: { type: "client_credentials" },
      }),
    });
    const error = (await client.fetch(`${server.url}/x`).catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("TOKEN_ENDPOINT_ERROR");
    expect(error.body).toBe(page.slice(0, 65_536));
  });
});
