// Hostile servers, concern 1: redirects. `fetch` follows them by default and resends custom headers, so a 307 to
// another origin (or to plain http on a host refused as baseUrl) would receive the call's credentials.
import { afterEach, describe, expect, it } from "vitest";
import {
  RedirectError,
  bearerTokenAuth,
  createProviderClient,
  createTokenCache,
  isXError,
  staticHeadersAuth,
} from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = {
  "/things/{id}": {
    get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": unknown } } } };
  };
};
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const SECRET = "app-secret-0123456789";

/** `elsewhere` is another origin (another port); `api` redirects every call there with `status`. */
async function redirecting(status: number, target: (elsewhere: string) => string) {
  const elsewhere = await startTestServer((_req, res) => json(res, 200, { stolen: true }));
  const api = await startTestServer((req, res) => {
    res.writeHead(status, { location: target(elsewhere.url) + req.url });
    res.end();
  });
  servers.push(elsewhere, api);
  const client = createProviderClient<Paths>({
    provider: "acme",
    baseUrl: api.url,
    retry: false,
    auth: staticHeadersAuth({ headers: { "App-secret": SECRET } }),
  });
  return { elsewhere, api, client };
}

describe("redirects are never followed", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} to another origin is a RedirectError naming the target; the target gets nothing`, async () => {
      const { elsewhere, client } = await redirecting(status, (url) => url);
      const error = await client.GET("/things/{id}", { params: { path: { id: "1" } } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RedirectError);
      expect(isXError(error, { provider: "acme", code: "REDIRECTED" })).toBe(true);
      expect((error as RedirectError).status).toBe(status);
      expect((error as RedirectError).message).toContain(elsewhere.url);
      expect((error as RedirectError).location).toBe(`${elsewhere.url}/things/1`);
      expect(elsewhere.requests).toHaveLength(0);
      expect(JSON.stringify(error)).not.toContain(SECRET);
    });
  }

  it("a redirect to hosts refused as baseUrl (0.0.0.0, ::ffff:127.0.0.1) is not followed either", async () => {
    for (const host of ["0.0.0.0", "[::ffff:127.0.0.1]"]) {
      const { elsewhere, client } = await redirecting(307, (url) => url.replace("127.0.0.1", host));
      await expect(client.fetch(`${client.baseUrl}/things/1`)).rejects.toBeInstanceOf(RedirectError);
      expect(elsewhere.requests).toHaveLength(0);
    }
  });

  it("the redirect target's query string (a token) is not shown", async () => {
    const { client } = await redirecting(302, (url) => `${url}/login?token=leaked-token-value&x=`);
    const error = (await client.fetch(`${client.baseUrl}/a`).catch((e: unknown) => e)) as RedirectError;
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.message).not.toContain("leaked-token-value");
    expect(error.location).not.toContain("leaked-token-value");
  });

  it("a token endpoint that redirects gets no credentials sent on (plainFetch)", async () => {
    const elsewhere = await startTestServer((_req, res) => json(res, 200, { access_token: "t", expires_in: 60 }));
    const api = await startTestServer((req, res) => {
      if (req.path !== "/token") return void json(res, 200, {});
      res.writeHead(307, { location: `${elsewhere.url}/token` });
      res.end();
    });
    servers.push(elsewhere, api);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: api.url,
      retry: false,
      tokenCache: createTokenCache(),
      auth: bearerTokenAuth({
        kind: "client_token",
        identity: ["x"],
        async fetchToken(runtime) {
          const response = await runtime.plainFetch(`${api.url}/token`, {
            method: "POST",
            headers: { authorization: `Basic ${btoa(`id:${SECRET}`)}` },
          });
          return (await response.json()) as never;
        },
      }),
    });
    await expect(client.fetch(`${api.url}/x`)).rejects.toBeInstanceOf(RedirectError);
    expect(elsewhere.requests).toHaveLength(0);
  });
});
