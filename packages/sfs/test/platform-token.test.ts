import { ApiError, AuthenticationError, ConfigurationError } from "@x/core";
import { afterEach, describe, expect, it } from "vitest";
import { createSfsClient, isSfsError } from "../src/index.js";
import { startEmulator, type StartedEmulator } from "@x/testing";
import { demoClient, listClients, listTemplates } from "./helpers.js";

let emulator: StartedEmulator<"sfs"> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("platform token", () => {
  it("is fetched once and reused by every call of the platform client", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    for (let i = 0; i < 5; i++) {
      const clients = await sfs.unwrap(sfs.POST("/api/client", listClients));
      expect(("clients" in clients ? clients.clients : []).map((c) => c.clientKey)).toContain("sfs-demo-client-1");
    }
    expect(emulator.handle.stats()).toEqual({ requests: 6, tokensIssued: { platform: 1 } });
  });

  it("is refreshed ahead of its expires_in, so no call is sent with a dying token", async () => {
    emulator = await startEmulator("sfs", { platformTokenTtlSeconds: 1 });
    const sfs = demoClient(emulator);
    await sfs.unwrap(sfs.POST("/api/client", listClients));
    await new Promise((resolve) => setTimeout(resolve, 950));
    await sfs.unwrap(sfs.POST("/api/client", listClients));
    // Two tokens, two calls, and no 401-and-retry in between.
    expect(emulator.handle.stats()).toEqual({ requests: 4, tokensIssued: { platform: 2 } });
  });

  it("rejected by the platform before its expiry (401) is replaced and the call sent once more", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    await sfs.unwrap(sfs.POST("/api/client", listClients));
    emulator.handle.control.expireTokens("platform");
    await sfs.unwrap(sfs.POST("/api/client", listClients));
    expect(emulator.handle.stats()).toEqual({ requests: 5, tokensIssued: { platform: 2 } });
  });

  it(
    "revoke() calls the revoke action, " + "the old token is refused at once, and the next call gets a new one",
    async () => {
      emulator = await startEmulator("sfs");
      const sfs = demoClient(emulator);
      const before = await sfs.platformAuth.getToken(sfs.runtime);
      await sfs.revoke();
      const refused = await fetch(`${emulator.url}/api/client`, {
        method: "POST",
        headers: { authorization: `Bearer ${before.accessToken}` },
        body: JSON.stringify({ data: { action: "list" } }),
      });
      expect(refused.status).toBe(401);
      expect(await sfs.runtime.tokenCache.peek(await sfs.platformAuth.cacheKey(sfs.runtime))).toBeUndefined();

      await sfs.unwrap(sfs.POST("/api/client", listClients));
      const after = await sfs.platformAuth.getToken(sfs.runtime);
      expect(after.accessToken).not.toBe(before.accessToken);
      expect(emulator.handle.stats().tokensIssued).toEqual({ platform: 2 });
    },
  );

  it("revoking the platform token leaves the client tokens it issued cached and usable", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    const acme = sfs.forClient("sfs-demo-client-1");
    await acme.unwrap(acme.POST("/api/template", { body: { data: { action: "list" } } }));
    await sfs.revoke();
    await acme.unwrap(acme.POST("/api/template", { body: { data: { action: "list" } } }));
    expect(emulator.handle.stats().tokensIssued).toEqual({ platform: 1, client: 1 });
  });

  it("revoked credentials (a rotated secret) end in an AuthenticationError, not a loop", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    await sfs.unwrap(sfs.POST("/api/client", listClients));
    const control = emulator.handle.control;
    control.rotateSecret("a-new-secret");
    control.expireTokens();
    const error = await sfs.unwrap(sfs.POST("/api/client", listClients)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(403);
    expect((error as AuthenticationError).message).toMatch(/refused the platform token request/);
    // First token, first call, the refused call, one token attempt: nothing more.
    expect(emulator.handle.stats().requests).toBe(4);
  });
});

describe("construction", () => {
  it("refuses missing or empty credentials with a ConfigurationError naming the option", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ secret: "s" }, "apiKey"],
      [{ apiKey: "k", secret: "" }, "secret"],
      [{ apiKey: "k", secret: 42 }, "secret"],
      [{ apiKey: "k", secret: "s", baseUrl: "http://api.sendforsign.com" }, "baseUrl"],
    ];
    for (const [options, option] of cases) {
      const error = (() => {
        try {
          createSfsClient(options as never);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe(option);
    }
  });

  it("refuses an empty clientKey in forClient with a ConfigurationError", () => {
    const sfs = createSfsClient({ apiKey: "k", secret: "s" });
    expect(() => sfs.forClient("")).toThrow(ConfigurationError);
    expect(() => sfs.forClient("  ")).toThrow(/clientKey must not be empty/);
  });

  it("defaults to the production server of the spec", () => {
    expect(createSfsClient({ apiKey: "k", secret: "s" }).baseUrl).toBe("https://api.sendforsign.com");
  });
});

describe("errors", () => {
  it("maps SFS error bodies onto ApiError with a typed code and the provider's message", async () => {
    emulator = await startEmulator("sfs");
    const acme = demoClient(emulator).forClient("sfs-demo-client-1");
    const error = await acme
      .unwrap(acme.POST("/api/template", { body: { data: { action: "read", template: { templateKey: "nope" } } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).code).toBe("NOT_FOUND");
    expect((error as ApiError).message).toContain("unknown templateKey");
  });

  it("a platform token on a client resource is a FORBIDDEN ApiError, not a token refresh", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    const error = await sfs
      // @ts-expect-error a client-level path on the platform client: the types refuse it, and so does SFS
      .unwrap(sfs.POST("/api/template", { body: { data: { action: "list" } } }))
      .catch((e: unknown) => e);
    expect((error as ApiError).code).toBe("FORBIDDEN");
    expect(emulator.handle.stats().tokensIssued).toEqual({ platform: 1 });
  });

  it("isSfsError recognises this package's errors, by code too, and no other provider's", async () => {
    emulator = await startEmulator("sfs");
    const acme = demoClient(emulator).forClient("sfs-demo-client-1");
    const read = { body: { data: { action: "read" as const, template: { templateKey: "nope" } } } };
    const notFound = await acme.unwrap(acme.POST("/api/template", read)).catch((e: unknown) => e);
    expect(isSfsError(notFound)).toBe(true);
    expect(isSfsError(notFound, "NOT_FOUND")).toBe(true);
    expect(isSfsError(notFound, "FORBIDDEN")).toBe(false);
    const ghost = demoClient(emulator).forClient("no-such-client");
    const unknown = await ghost.unwrap(ghost.POST("/api/template", listTemplates)).catch((e: unknown) => e);
    expect(isSfsError(unknown, "UNKNOWN_CLIENT_KEY")).toBe(true);
    expect(isSfsError(new ApiError("x", { provider: "october", status: 404, code: "NOT_FOUND" }))).toBe(false);
    expect(isSfsError(new Error("x"))).toBe(false);
  });
});
