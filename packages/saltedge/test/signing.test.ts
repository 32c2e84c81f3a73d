import { ConfigurationError } from "@x/core";
import { json, type RecordedRequest, startTestServer, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSaltEdgeClient } from "../src/index.js";
import { operations } from "../src/generated/spec.js";
import { rsaKeys, signatureVerifies } from "./helpers.js";

const keys = rsaKeys();
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

/** A value for every path parameter of the spec, with characters that would retarget a call if sent raw. */
const ID = "ab/ c?#ü";

describe("v6 request signing", () => {
  it("signs every operation of the spec, each verifiable by node:crypto with the public key (RSA-SHA256)", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { data: [], meta: { next_id: null } }));
    const client = createSaltEdgeClient({ appId: "app", secret: "sec", privateKey: keys.pkcs8, baseUrl: server.url });
    const before = Math.floor(Date.now() / 1000);
    let sent = 0;
    for (const [template, methods] of Object.entries(operations)) {
      for (const method of Object.keys(methods)) {
        const init = {
          params: {
            path: { customer_id: ID, connection_id: ID, provider_code: ID },
            query: { customer_id: "c 1", connection_id: "c&2", from_id: "x+y" },
          },
          ...(method === "post" && { body: { data: { note: "東京 Café ü", customer_id: "1" } } }),
        };
        await client.request(method as "get", template as never, init as never);
        sent++;
      }
    }
    expect(sent).toBe(16);
    expect(server.requests).toHaveLength(16);
    for (const request of server.requests) {
      expect(request.headers["app-id"]).toBe("app");
      expect(request.headers.secret).toBe("sec");
      const expiresAt = Number(request.headers["expires-at"]);
      expect(expiresAt - before).toBeGreaterThanOrEqual(60);
      expect(expiresAt - before).toBeLessThanOrEqual(62);
      expect(signatureVerifies(request, server.url, keys.publicPem), `${request.method} ${request.url}`).toBe(true);
    }
    // A POST body is signed as the bytes sent, non-ASCII included; a SHA-1 signature would not verify.
    const post = server.requests.find((r) => r.method === "POST") as RecordedRequest;
    expect(post.body).toContain("東京 Café ü");
    // The path ids arrived encoded, so a `/`, `?` or `#` in an id did not retarget the call.
    expect(server.requests.every((r) => !r.url.includes(ID))).toBe(true);
  });

  it("accepts a PKCS#1 key, and re-signs a retried request with a fresh Expires-at", async () => {
    const now = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(now);
    server = await startTestServer((_req, res) => {
      // The first attempt fails, and time moves on before the retry is signed.
      if (server?.requests.length === 1) {
        clock.mockReturnValue(now + 5000);
        return json(res, 503, {});
      }
      json(res, 200, { data: [] });
    });
    const client = createSaltEdgeClient({
      appId: "app",
      secret: "sec",
      privateKey: keys.pkcs1,
      baseUrl: server.url,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    await client.unwrap(client.GET("/countries"));
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(Number(second.headers["expires-at"]) - Number(first.headers["expires-at"])).toBe(5);
    expect(second.headers.signature).not.toBe(first.headers.signature);
    expect(signatureVerifies(first, server.url, keys.publicPem)).toBe(true);
    expect(signatureVerifies(second, server.url, keys.publicPem)).toBe(true);
  });

  it("refuses a missing options object, credentials and a bad key or lifetime, naming the option", () => {
    const cases: Array<[unknown, string]> = [
      [undefined, "options"],
      [null, "options"],
      [{ secret: "s", privateKey: keys.pkcs8 }, "appId"],
      [{ appId: "a", privateKey: keys.pkcs8 }, "secret"],
      [{ appId: "a", secret: "s" }, "privateKey"],
      [{ appId: "a", secret: "s", privateKey: "not a key" }, "privateKey"],
      [{ appId: "a", secret: "s", privateKey: keys.publicPem }, "privateKey"],
      [{ appId: "a", secret: "s", privateKey: keys.pkcs8, expiresInSeconds: 3601 }, "expiresInSeconds"],
      [{ appId: "a", secret: "s", privateKey: keys.pkcs8, baseUrl: "http://example.com" }, "baseUrl"],
    ];
    for (const [options, option] of cases) {
      let caught: unknown;
      try {
        createSaltEdgeClient(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught, option).toBeInstanceOf(ConfigurationError);
      expect(caught).toMatchObject({ option, provider: "saltedge" });
    }
    let missing: unknown;
    try {
      createSaltEdgeClient(undefined as never);
    } catch (error) {
      missing = error;
    }
    expect(String((missing as Error).message)).toContain("appId, secret and privateKey");
  });
});
