// Hostile servers, concern 8: errors that must say what happened. A token endpoint's 429 is a rate limit (retry
// later), not refused credentials.
import { afterEach, describe, expect, it } from "vitest";
import { AuthenticationError, createProviderClient, createTokenCache, oauth2Auth } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function rateLimited(headers: Record<string, string>, body: unknown = { error: "too_many_requests" }) {
  const server = await startTestServer((_req, res) => json(res, 429, body, headers));
  servers.push(server);
  const client = createProviderClient<Paths>({
    provider: "acme",
    baseUrl: server.url,
    retry: false,
    tokenCache: createTokenCache(),
    auth: oauth2Auth({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: "id",
      clientSecret: "client-secret-123",
      grant: { type: "client_credentials" },
    }),
  });
  return (await client.fetch(`${server.url}/x`).catch((e: unknown) => e)) as AuthenticationError;
}

describe("a token endpoint's 429", () => {
  it("says rate limited and when to retry, not 'check the credentials'", async () => {
    const error = await rateLimited({ "retry-after": "7" });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(429);
    expect(error.message).toContain("rate limited");
    expect(error.message).toContain("retry after 7 s");
    expect(error.message).not.toContain("check the credentials");
  });

  it("without Retry-After or a provider code: code RATE_LIMITED", async () => {
    const error = await rateLimited({}, {});
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.message).toContain("rate limited");
  });
});
