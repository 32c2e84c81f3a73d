import { AuthenticationError } from "@x/core";
import { FAST_RETRY, json, startEmulator, startTestServer, type StartedEmulator, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSfsClient, type components } from "../src/index.js";

type TemplateList = components["schemas"]["TemplateListResponse"];
import { demoClient, listTemplates } from "./helpers.js";

let emulator: StartedEmulator<"sfs"> | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await server?.close();
  emulator = undefined;
  server = undefined;
});

describe("client tokens (forClient)", () => {
  it("200 concurrent calls across 10 client keys on a cold " +
    "cache cause exactly 1 platform token and 10 client tokens", async () => {
    emulator = await startEmulator("sfs");
    const keys = Array.from({ length: 10 }, (_, i) => `client-${i}`);
    keys.forEach((key) => emulator?.handle.control.addClient(key));
    const sfs = demoClient(emulator);
    const handles = keys.map((key) => sfs.forClient(key));

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const handle = handles[i % 10]!;
        return handle.unwrap(handle.POST("/api/template", listTemplates));
      }),
    );

    results.forEach((templates, i) =>
      expect((templates as TemplateList).templates[0]?.templateKey).toBe(`client-${i % 10}-tpl-1`),
    );
    expect(emulator.handle.stats()).toEqual({ requests: 211, tokensIssued: { platform: 1, client: 10 } });
  }, 20_000); // 200 sockets at once take seconds on a loaded CI machine, even without the SDK

  it(
    "a platform token that dies between two client-token " +
      "requests is renewed first, then the client token is issued",
    async () => {
      emulator = await startEmulator("sfs");
      const sfs = demoClient(emulator);
      const first = sfs.forClient("sfs-demo-client-1");
      await first.unwrap(first.POST("/api/template", listTemplates));
      emulator.handle.control.expireTokens("platform");

      const second = sfs.forClient("sfs-demo-client-2");
      const templates = await second.unwrap(second.POST("/api/template", listTemplates));

      expect((templates as TemplateList).templates[0]?.templateKey).toBe("sfs-demo-client-2-tpl-1");
      // token, client token, call; refused client-token request, new token, client token, call.
      expect(emulator.handle.stats()).toEqual({ requests: 7, tokensIssued: { platform: 2, client: 2 } });
    },
  );

  it(
    "a platform token that expires by its lifetime between two " +
      "client-token requests is refreshed ahead, without a 401",
    async () => {
      emulator = await startEmulator("sfs", { platformTokenTtlSeconds: 1 });
      const sfs = demoClient(emulator);
      const first = sfs.forClient("sfs-demo-client-1");
      await first.unwrap(first.POST("/api/template", listTemplates));
      await new Promise((resolve) => setTimeout(resolve, 950));
      const second = sfs.forClient("sfs-demo-client-2");
      await second.unwrap(second.POST("/api/template", listTemplates));
      expect(emulator.handle.stats()).toEqual({ requests: 6, tokensIssued: { platform: 2, client: 2 } });
    },
  );

  it("revoke() on a handle revokes that client token only; its next call transparently gets a new one", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    const [one, two] = [sfs.forClient("sfs-demo-client-1"), sfs.forClient("sfs-demo-client-2")];
    await one.unwrap(one.POST("/api/template", listTemplates));
    await two.unwrap(two.POST("/api/template", listTemplates));
    const oneKey = await one.auth!.authorize(one.runtime);
    const twoKey = await two.auth!.authorize(two.runtime);

    await one.revoke();

    const refused = await fetch(`${emulator.url}/api/template`, {
      method: "POST",
      headers: oneKey,
      body: JSON.stringify(listTemplates.body),
    });
    expect(refused.status).toBe(401);
    await one.unwrap(one.POST("/api/template", listTemplates));
    expect(await one.auth!.authorize(one.runtime)).not.toEqual(oneKey);
    expect(await two.auth!.authorize(two.runtime)).toEqual(twoKey);
    expect(emulator.handle.stats().tokensIssued).toEqual({ platform: 1, client: 3 });
  });

  it("a client token revoked at the provider is replaced on the next call, transparently", async () => {
    emulator = await startEmulator("sfs");
    const acme = demoClient(emulator).forClient("sfs-demo-client-1");
    await acme.unwrap(acme.POST("/api/template", listTemplates));
    emulator.handle.control.expireTokens("client");
    await acme.unwrap(acme.POST("/api/template", listTemplates));
    expect(emulator.handle.stats().tokensIssued).toEqual({ platform: 1, client: 2 });
  });

  it("withOptions keeps every helper (forClient, platformAuth), and its handles share the platform token", async () => {
    emulator = await startEmulator("sfs");
    emulator.handle.control.addClient("client-w");
    const root = demoClient(emulator);
    const sfs = root.withOptions({ timeoutMs: 5_000 }).withOptions({ retry: false });
    expect(Object.keys(root).filter((key) => !(key in sfs))).toEqual([]);
    expect(sfs.platformAuth).toBe(root.platformAuth);
    const handle = sfs.forClient("client-w");
    const templates = await handle.unwrap(handle.POST("/api/template", listTemplates));
    expect((templates as TemplateList).templates[0]?.templateKey).toBe("client-w-tpl-1");
    expect(await sfs.platformAuth.authorize(sfs.runtime)).toEqual(await root.platformAuth.authorize(root.runtime));
    expect(emulator.handle.stats().tokensIssued).toEqual({ platform: 1, client: 1 });
  });

  it("an unknown clientKey is an AuthenticationError naming the key", async () => {
    emulator = await startEmulator("sfs");
    const ghost = demoClient(emulator).forClient("no-such-client");
    const error = await ghost.unwrap(ghost.POST("/api/template", listTemplates)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("UNKNOWN_CLIENT_KEY");
    expect((error as AuthenticationError).message).toContain("no-such-client");
  });

  it(
    "a platform bearer refused twice while getting a client " +
      "token is an AuthenticationError after one renewal, not a loop",
    async () => {
      let platformTokens = 0;
      server = await startTestServer((req, res) => {
        const data = (JSON.parse(req.body) as { data: Record<string, string> }).data;
        if (data.apiKey)
          return json(res, 201, { access_token: `pt-${++platformTokens}`, token_type: "Bearer", expires_in: 1800 });
        json(res, 401, { code: "401", message: "Unauthorized" });
      });
      const sfs = createSfsClient({ apiKey: "k", secret: "s", baseUrl: server.url, retry: FAST_RETRY });
      const acme = sfs.forClient("acme");
      const error = await acme.unwrap(acme.POST("/api/template", listTemplates)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).status).toBe(401);
      expect(server.requests.map((r) => r.headers.authorization ?? "none")).toEqual([
        "none",
        "Bearer pt-1",
        "none",
        "Bearer pt-2",
      ]);
    },
  );

  it("validates client token responses: a 201 without access_token, a non-numeric expires_in", async () => {
    let answer: unknown = {};
    server = await startTestServer((req, res) => {
      const data = (JSON.parse(req.body) as { data: Record<string, string> }).data;
      if (data.apiKey) return json(res, 201, { access_token: "pt", expires_in: 1800 });
      json(res, 201, answer);
    });
    const sfs = createSfsClient({ apiKey: "k", secret: "s", baseUrl: server.url, retry: FAST_RETRY });
    for (answer of [
      { code: "201", message: "Token created" },
      { access_token: "ct", expires_in: "soon" },
    ]) {
      const acme = sfs.forClient(`acme-${server.requests.length}`);
      const error = await acme.unwrap(acme.POST("/api/template", listTemplates)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).code).toBe("INVALID_TOKEN_RESPONSE");
    }
  });
});
