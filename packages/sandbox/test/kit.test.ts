import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import {
  HttpError,
  failWith,
  oauthFail,
  routeTable,
  sameSecret,
  startHttpServer,
  type EmulatorRequest,
  type RouteTable,
} from "../src/index.js";

const request = (method: string, path: string): EmulatorRequest =>
  ({ method, path, url: new URL(path, "http://127.0.0.1"), headers: {}, params: {} }) as unknown as EmulatorRequest;

/** A response that only remembers what `json()` and `end()` wrote. */
function response() {
  const sent: { status?: number; body?: string } = {};
  const res = {
    writeHead(status: number) {
      sent.status = status;
      return res;
    },
    end(body?: string) {
      sent.body = body;
    },
  };
  return { res: res as unknown as ServerResponse, sent };
}

describe("sameSecret", () => {
  it("accepts only the exact secret, whatever the lengths of the guess", () => {
    expect(sameSecret("s3cret", "s3cret")).toBe(true);
    expect(sameSecret("s3creT", "s3cret")).toBe(false);
    expect(sameSecret("s3cret-and-more", "s3cret")).toBe(false);
    expect(sameSecret("", "s3cret")).toBe(false);
  });

  it("refuses what is not a string (a missing header, a number in JSON, a repeated form field's null)", () => {
    for (const given of [undefined, null, 42, ["s3cret"], { s: "s3cret" }])
      expect(sameSecret(given, "s3cret")).toBe(false);
    expect(sameSecret(undefined, "")).toBe(false);
  });
});

describe("failWith", () => {
  it("makes an HttpError whose body is the provider's shape, the status passed to the body too", () => {
    const fail = failWith((status, name: string, message: string) => ({ name, message, code: status }));
    const error = fail(404, "NotFound", "No request with id 1.");
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(404);
    expect(error.body).toEqual({ name: "NotFound", message: "No request with id 1.", code: 404 });
    expect(error.headers).toEqual({});
  });

  it("adds headers without changing the error it came from", () => {
    const error = oauthFail(401, "invalid_token");
    const withHeader = error.withHeaders({ "www-authenticate": 'Bearer error="invalid_token"' });
    expect(withHeader.headers).toEqual({ "www-authenticate": 'Bearer error="invalid_token"' });
    expect(withHeader.body).toBe(error.body);
    expect(error.headers).toEqual({});
  });

  it("writes OAuth errors as RFC 6749 does, error_description only when given", () => {
    expect(oauthFail(400, "unsupported_grant_type").body).toEqual({ error: "unsupported_grant_type" });
    expect(oauthFail(401, "invalid_client", "wrong secret").body).toEqual({
      error: "invalid_client",
      error_description: "wrong secret",
    });
  });
});

describe("routeTable", () => {
  const routes: RouteTable<{ hits: string[] }> = {
    "GET /items/:id": (state, req, res) => {
      state.hits.push(`get ${req.params.id}`);
      res.end("item");
    },
    "POST /items": (state, _req, res) => {
      state.hits.push("post");
      res.end("created");
    },
  };

  it("calls each route's handler with the one state object and the path parameters", async () => {
    const state = { hits: [] as string[] };
    const handle = routeTable(routes, state);
    await handle(request("GET", "/items/42"), response().res, { baseUrl: "" });
    await handle(request("POST", "/items"), response().res, { baseUrl: "" });
    expect(state.hits).toEqual(["get 42", "post"]);
  });

  it("answers an unknown path with 404 and a known path with another method with 405", async () => {
    const handle = routeTable(routes, { hits: [] });
    await expect(handle(request("GET", "/nope"), response().res, { baseUrl: "" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(handle(request("DELETE", "/items"), response().res, { baseUrl: "" })).rejects.toMatchObject({
      status: 405,
    });
  });
});

describe("startHttpServer", () => {
  it("hands over the whole body, and closes with keep-alive connections open", async () => {
    const server = await startHttpServer((req, body, res) => res.end(`${req.method} ${body.length}`));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await fetch(server.url, { method: "POST", body: "x".repeat(100_000) });
    expect(await answer.text()).toBe("POST 100000");
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it("puts an IPv6 host in brackets", async () => {
    const server = await startHttpServer((_req, _body, res) => res.end("v6"), { host: "::1" }).catch(() => undefined);
    if (!server) return; // no IPv6 loopback on this machine
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    await server.close();
  });
});
