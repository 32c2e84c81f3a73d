import { AuthenticationError, createTokenCache } from "@x/core";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeEach(async () => {
  await env?.close();
  env = await startFinapi({ userTokenTtlSeconds: 60 });
});
afterAll(() => env?.close());

const issued = () => env.handle.stats().tokensIssued;

describe("client token", () => {
  it("50 concurrent client calls on a cold cache cause one client_credentials token request", async () => {
    const client = env.client();
    const users = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.createUser({ id: `u${i}`, password: "secret-pw-1" })),
    );
    expect(users.map((u) => u.id)).toContain("u49");
    expect(issued()).toEqual({ client_token: 1 });
  });

  it("a wrong client secret is an AuthenticationError with finAPI's code and no secret in it", async () => {
    const client = env.client({ clientSecret: "wrong-client-secret-123" });
    const error = await client.createUser({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("invalid_client");
    expect((error as AuthenticationError).status).toBe(401);
    expect(String(error) + JSON.stringify(error)).not.toContain("wrong-client-secret-123");
  });
});

describe("user tokens", () => {
  it("100 concurrent calls for one user on a cold cache cause one password grant", async () => {
    const user = env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    const results = await Promise.all(Array.from({ length: 100 }, () => user.unwrap(user.GET("/api/v2/users"))));
    expect(results.every((u) => u.id === env.credentials.userId && u.password === "XXXXX")).toBe(true);
    expect(issued()).toEqual({ user_token: 1 });
  });

  it("20 users at once share one client token and get one user token each", async () => {
    const client = env.client();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.createUser({ id: `user-${i}`, password: `password-${i}` })),
    );
    const users = created.map((u) => client.forUser({ userId: u.id, password: u.password }));
    const me = await Promise.all(users.flatMap((u) => [u, u].map((c) => c.unwrap(c.GET("/api/v2/users")))));
    expect(new Set(me.map((u) => u.id)).size).toBe(20);
    expect(issued()).toEqual({ client_token: 1, user_token: 20 });
  });

  it("a user token near expiry is renewed with the refresh_token grant, not the password", async () => {
    let skewMs = 0;
    const tokenCache = createTokenCache({ now: () => Date.now() + skewMs });
    const user = env
      .client({ tokenCache })
      .forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    await user.unwrap(user.GET("/api/v2/users"));
    skewMs = 59_000; // past the refresh margin of a 60 s token
    await user.unwrap(user.GET("/api/v2/users"));
    expect(issued()).toEqual({ user_token: 1, user_token_refreshed: 1 });
  });

  it("a refused refresh token falls back to the password grant", async () => {
    let skewMs = 0;
    const tokenCache = createTokenCache({ now: () => Date.now() + skewMs });
    const user = env
      .client({ tokenCache })
      .forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    await user.unwrap(user.GET("/api/v2/users"));
    env.handle.control.revokeRefreshTokens();
    skewMs = 59_000;
    await user.unwrap(user.GET("/api/v2/users"));
    expect(issued()).toEqual({ user_token: 2 });
  });

  it("a token the server expired early is renewed once with its refresh token and the call succeeds", async () => {
    const user = env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    await user.unwrap(user.GET("/api/v2/users"));
    env.handle.control.expireAccessTokens();
    const me = await user.unwrap(user.GET("/api/v2/users"));
    expect(me.id).toBe(env.credentials.userId);
    expect(issued().user_token).toBe(1);
    expect(issued().user_token_refreshed).toBe(1);
  });

  it("wrong user credentials are an AuthenticationError without the password", async () => {
    const user = env.client().forUser({ userId: env.credentials.userId, password: "not-the-password-42" });
    const error = await user.unwrap(user.GET("/api/v2/users")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("BAD_REQUEST");
    expect(String(error) + JSON.stringify(error)).not.toContain("not-the-password-42");
  });

  it("users in one cache are keyed by client and user id, never by password", async () => {
    const tokenCache = createTokenCache();
    const user = env
      .client({ tokenCache })
      .forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    const key = await (user.auth as unknown as { cacheKey(r: unknown): Promise<string> }).cacheKey(user.runtime);
    expect(key).toMatch(/^finapi:user_token:[0-9a-f]{32}$/);
    expect(key).not.toContain(env.credentials.userPassword);
    expect(key).not.toContain(env.credentials.userId);
  });

  it("revoke() revokes the user's access and refresh tokens at finAPI", async () => {
    const tokenCache = createTokenCache();
    const user = env
      .client({ tokenCache })
      .forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    await user.unwrap(user.GET("/api/v2/users"));
    const key = await (user.auth as unknown as { cacheKey(r: unknown): Promise<string> }).cacheKey(user.runtime);
    const token = await tokenCache.peek(key);
    await user.revoke();
    expect(env.handle.control.isTokenValid(token!.accessToken)).toBe(false);
    expect(env.handle.control.isTokenValid(token!.refreshToken!)).toBe(false);
    expect(await tokenCache.peek(key)).toBeUndefined();
  });

  it("deleteUser() deletes the user at finAPI and drops its cached token", async () => {
    const tokenCache = createTokenCache();
    const client = env.client({ tokenCache });
    const created = await client.createUser({ id: "to-delete", password: "password-1" });
    const user = client.forUser({ userId: created.id, password: created.password });
    await user.unwrap(user.GET("/api/v2/users"));
    await user.deleteUser();
    expect(env.handle.control.hasUser("to-delete")).toBe(false);
    const key = await (user.auth as unknown as { cacheKey(r: unknown): Promise<string> }).cacheKey(user.runtime);
    expect(await tokenCache.peek(key)).toBeUndefined();
  });

  it("withOptions keeps every helper: createUser, forUser, startProcess, openProcess, deleteUser", async () => {
    const client = env.client().withOptions({ timeoutMs: 10_000 }).withOptions({ retry: false });
    const created = await client.createUser({ id: "kept-helpers", password: "password-2" });
    const user = client.forUser({ userId: created.id, password: created.password }).withOptions({ retry: false });
    await user.deleteUser();
    expect(env.handle.control.hasUser("kept-helpers")).toBe(false);
    const started = await client.startProcess({ clientReference: "kept-helpers" });
    expect((await started.client.unwrap(started.client.GET("/api/v2/users"))).id).toMatch(/^process-/);
    // openProcess is there too: the token was exchanged by startProcess, so finAPI refuses a second exchange.
    await expect(client.openProcess(started.processToken)).rejects.toMatchObject({ code: "PROCESS_TOKEN_USED" });
  });
});
