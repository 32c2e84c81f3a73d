// Hostile servers, concern 4: a token endpoint that takes its time. The caller's abort and the call's deadline must
// end the call while a token is fetched, and a single-flight fetch shared by several calls must survive one of them
// leaving.
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, TimeoutError, bearerTokenAuth, createProviderClient, createTokenCache } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

/** A token endpoint answering after `delayMs`, an API that wants its token, and counters of both. */
async function slowTokens(delayMs: number, steps = 1) {
  const state = { tokenRequests: 0, tokenAnswers: 0, tokenClosed: 0 };
  const server = await startTestServer(async (req, res) => {
    if (req.path === "/token") {
      state.tokenRequests++;
      res.on("close", () => !res.writableEnded && state.tokenClosed++);
      await new Promise((r) => setTimeout(r, delayMs));
      if (res.destroyed) return;
      state.tokenAnswers++;
      return json(res, 200, { access_token: "tok", expires_in: 3600 });
    }
    json(res, req.headers.authorization === "Bearer tok" ? 200 : 401, {});
  });
  servers.push(server);
  const client = createProviderClient<Paths>({
    provider: "acme",
    baseUrl: server.url,
    retry: false,
    tokenCache: createTokenCache(),
    auth: bearerTokenAuth({
      kind: "client_token",
      identity: ["c"],
      async fetchToken(runtime) {
        for (let step = 0; step < steps; step++) {
          const response = await runtime.plainFetch(`${server.url}/token`, { method: "POST" });
          await response.json();
        }
        return { accessToken: "tok", expiresInMs: 3_600_000 };
      },
    }),
  });
  return { client, state, url: `${server.url}/things` };
}

const timed = async (call: Promise<unknown>) => {
  const started = Date.now();
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
};

describe("token fetches follow the call's signal and deadline", () => {
  it("the caller's abort at 100 ms ends a call waiting for a 3 s token", async () => {
    const { client, url } = await slowTokens(3_000);
    const { error, ms } = await timed(client.fetch(url, { signal: AbortSignal.timeout(100) }));
    expect(error).toBeInstanceOf(AbortError);
    expect(ms).toBeLessThan(1_000);
  });

  it("timeoutMs bounds the token fetch: 300 ms, not the token endpoint's 3 s", async () => {
    const { client, url } = await slowTokens(3_000);
    const { error, ms } = await timed(client.withOptions({ timeoutMs: 300 }).fetch(url));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(1_000);
  });

  it("a chain of token requests (platform token, client token, ...) stays within one call's timeoutMs", async () => {
    // Each step fits in timeoutMs on its own; the chain of three does not, and the call's deadline counts it all.
    const { client, url } = await slowTokens(250, 3);
    const { error, ms } = await timed(client.withOptions({ timeoutMs: 300 }).fetch(url));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(600);
  });

  it("one caller's abort leaves the shared fetch running for the others: one token request, they get it", async () => {
    const { client, state, url } = await slowTokens(400);
    const quitter = timed(client.fetch(url, { signal: AbortSignal.timeout(50) }));
    const stayers = [client.fetch(url), client.fetch(url, { signal: new AbortController().signal })];
    expect((await quitter).error).toBeInstanceOf(AbortError);
    const answers = await Promise.all(stayers);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(state.tokenRequests).toBe(1);
    expect(state.tokenAnswers).toBe(1);
  });

  it("when every waiting caller has left, the token request itself is aborted", async () => {
    const { client, state, url } = await slowTokens(1_000);
    const calls = [1, 2].map(() => timed(client.fetch(url, { signal: AbortSignal.timeout(100) })));
    for (const { error } of await Promise.all(calls)) expect(error).toBeInstanceOf(AbortError);
    await new Promise((r) => setTimeout(r, 200));
    expect(state.tokenRequests).toBe(1);
    expect(state.tokenClosed).toBe(1);
    // A later call starts a fresh fetch instead of joining the abandoned one.
    expect((await client.fetch(url)).status).toBe(200);
  });
});
