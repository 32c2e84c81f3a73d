import { afterEach, describe, expect, it } from "vitest";
import { json, startTestServer, type TestServer } from "../src/index.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("startTestServer", () => {
  it("records method, path, query, headers and body of each request", async () => {
    server = await startTestServer((_req, res) => json(res, 201, { ok: true }, { "x-request-id": "r1" }));
    const response = await fetch(`${server.url}/items?page=2`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k" },
      body: JSON.stringify({ a: 1 }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("r1");
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req).toMatchObject({ method: "POST", path: "/items", url: "/items?page=2", body: '{"a":1}' });
    expect(req?.headers["x-api-key"]).toBe("k");
  });

  it("listens on 127.0.0.1 with an OS-assigned port", async () => {
    server = await startTestServer((_req, res) => json(res, 200, {}));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers 500 when the handler throws, so the test fails loudly instead of hanging", async () => {
    server = await startTestServer(async () => {
      throw new Error("boom");
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ message: "Error: boom" });
  });

  it("closes even with keep-alive connections open", async () => {
    server = await startTestServer((_req, res) => json(res, 200, {}));
    await fetch(server.url);
    await server.close();
    server = undefined;
  });
});
