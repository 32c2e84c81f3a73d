import { createVerify, generateKeyPairSync } from "node:crypto";
import { inspect } from "node:util";
import { ConfigurationError } from "@x/core";
import { json, type RecordedRequest, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSaltEdgeClient } from "../../src/v3/index.js";
import { loginOnSandbox, rsaKeys, sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

const keys = rsaKeys();

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

let sandbox: SaltEdgeEmulator;
beforeAll(async () => {
  sandbox = await startEmulator("saltedge-v3", { publicKey: keys.publicPem, requireSignature: true });
});
afterAll(() => sandbox.close());

/**
 * Verifies a recorded request with node:crypto and the public key: independent of the SDK's signing code. SHA-1 by
 * default, the v3 digest (every example on the v3 branch of saltedge/saltedge-examples signs with SHA1withRSA).
 */
function verifiedIndependently(request: RecordedRequest, baseUrl: string, algorithm = "RSA-SHA1"): boolean {
  const verifier = createVerify(algorithm);
  verifier.update(
    `${request.headers["expires-at"]}|${request.method}|${baseUrl}${request.url}|${request.body}`,
    "utf8",
  );
  return verifier.verify(keys.publicPem, String(request.headers.signature), "base64");
}

describe("request signing", () => {
  it("signs Expires-at|METHOD|full URL with query|body, verifiable by node:crypto with the public key", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { data: [] }));
    const client = createSaltEdgeClient({ clientId: "c", appSecret: "s", privateKey: keys.pkcs8, baseUrl: server.url });
    const before = Math.floor(Date.now() / 1000);
    await client.GET("/providers", { params: { query: { country_code: "XF", from_id: "a b&c" } } });
    const login = client.forCustomer("cs");
    await login.POST("/login", {
      body: {
        data: {
          country_code: "XF",
          provider_code: "fakebank_simple_xf",
          credentials: { login: "Zoë", password: "naïve—東京 ✓" },
        },
      },
    });

    const [get, post] = server.requests as [RecordedRequest, RecordedRequest];
    expect(get.url).toContain("?country_code=XF&from_id=a%20b%26c");
    expect(verifiedIndependently(get, server.url)).toBe(true);
    expect(post.body).toContain("東京");
    expect(verifiedIndependently(post, server.url)).toBe(true);
    // v3's digest is SHA-1 by default; a SHA-256 signature is what v4 and later verify.
    expect(verifiedIndependently(post, server.url, "RSA-SHA256")).toBe(false);
    // GET signs an empty body field: the signed string ends with "|".
    expect(get.body).toBe("");
    const expiresAt = Number(get.headers["expires-at"]);
    expect(expiresAt - before).toBeGreaterThanOrEqual(60);
    expect(expiresAt - before).toBeLessThanOrEqual(61);
    // Tampering with any field breaks the signature.
    expect(verifiedIndependently({ ...post, body: post.body.replace("Zoë", "Zoe") }, server.url)).toBe(false);
    expect(verifiedIndependently({ ...get, url: get.url.replace("XF", "DE") }, server.url)).toBe(false);
  });

  it("signs a body given as bytes or a Blob (client.fetch) with exactly the bytes sent", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { data: {} }));
    const client = createSaltEdgeClient({ clientId: "c", appSecret: "s", privateKey: keys.pkcs8, baseUrl: server.url });
    const text = JSON.stringify({ data: { identifier: "bytes—東京 ✓" } });
    await client.fetch(`${server.url}/customers`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode(text),
    });
    await client.fetch(`${server.url}/customers`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([text]),
    });
    expect(server.requests.map((r) => r.body)).toEqual([text, text]);
    expect(server.requests.every((r) => verifiedIndependently(r, server!.url))).toBe(true);
  });

  it("accepts a PKCS#1 key and signs with SHA-256 when asked, with the configured lifetime", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { data: [] }));
    const client = createSaltEdgeClient({
      clientId: "c",
      appSecret: "s",
      privateKey: keys.pkcs1,
      signatureAlgorithm: "sha256",
      expiresInSeconds: 3600,
      baseUrl: server.url,
    });
    const before = Math.floor(Date.now() / 1000);
    await client.POST("/customers", { body: { data: { identifier: "ünïcode" } } });
    const request = server.requests[0] as RecordedRequest;
    expect(verifiedIndependently(request, server.url, "RSA-SHA256")).toBe(true);
    expect(verifiedIndependently(request, server.url, "RSA-SHA1")).toBe(false);
    expect(Number(request.headers["expires-at"]) - before).toBeGreaterThanOrEqual(3600);
  });

  it("re-signs a retried request with a fresh Expires-at", async () => {
    let calls = 0;
    server = await startTestServer((_req, res) =>
      ++calls === 1
        ? json(res, 503, { error_class: "InternalServerError", error_message: "busy" }, { "retry-after": "1" })
        : json(res, 200, { data: [] }),
    );
    const client = createSaltEdgeClient({
      clientId: "c",
      appSecret: "s",
      privateKey: keys.pkcs8,
      baseUrl: server.url,
      retry: { retries: 1, maxDelayMs: 1100 },
    });
    const { response } = await client.GET("/countries");
    expect(response.status).toBe(200);
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(Number(second.headers["expires-at"])).toBeGreaterThan(Number(first.headers["expires-at"]));
    expect(second.headers.signature).not.toBe(first.headers.signature);
    expect(verifiedIndependently(second, server.url)).toBe(true);
  });

  it("imports the private key once per client, shared by its levels", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { data: [] }));
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    const client = createSaltEdgeClient({ clientId: "c", appSecret: "s", privateKey: keys.pkcs8, baseUrl: server.url });
    await Promise.all([
      client.GET("/countries"),
      client.GET("/countries"),
      client.forCustomer("x").forLogin("y").GET("/accounts"),
    ]);
    expect(importKey).toHaveBeenCalledTimes(1);
    expect(server.requests.every((r) => typeof r.headers.signature === "string")).toBe(true);
  });

  it("the sandbox accepts signed requests at every level and rejects unsigned, tampered or stale ones", async () => {
    const { loginClient } = await loginOnSandbox(sandbox, { privateKey: keys.pkcs8 });
    const page = await loginClient.unwrap(loginClient.GET("/accounts"));
    expect(page.data.length).toBeGreaterThan(0);

    const unsigned = sandboxClient(sandbox);
    await expect(unsigned.GET("/countries")).rejects.toMatchObject({
      name: "AuthenticationError",
      code: "MissingSignature",
    });

    const otherKey = rsaKeys();
    const wrongKey = sandboxClient(sandbox, { privateKey: otherKey.pkcs8 });
    await expect(wrongKey.GET("/countries")).rejects.toMatchObject({
      code: "SignatureNotMatch",
      message: expect.stringContaining("privateKey"),
    });

    // A signature of another body or URL, replayed by hand, does not verify.
    const url = sandbox.handle.url;
    let captured: RequestInit | undefined;
    const signer = sandboxClient(sandbox, {
      privateKey: keys.pkcs8,
      fetch: async (_url, init) => ((captured = init), new Response("{}")),
    });
    await signer.POST("/customers", { body: { data: { identifier: "original" } } });
    const headers = new Headers(captured?.headers);
    const tamperedBody = await fetch(`${url}/customers`, {
      method: "POST",
      headers,
      body: JSON.stringify({ data: { identifier: "tampered" } }),
    });
    expect(await tamperedBody.json()).toMatchObject({ error_class: "SignatureNotMatch" });
    const tamperedUrl = await fetch(`${url}/customers?x=1`, { method: "POST", headers, body: captured?.body ?? null });
    expect(await tamperedUrl.json()).toMatchObject({ error_class: "SignatureNotMatch" });
    const stale = await fetch(`${url}/countries`, {
      headers: { ...Object.fromEntries(headers), "expires-at": String(Math.floor(Date.now() / 1000) - 5) },
    });
    expect(await stale.json()).toMatchObject({ error_class: "RequestExpired" });
    const tooFar = await fetch(`${url}/countries`, {
      headers: { ...Object.fromEntries(headers), "expires-at": String(Math.floor(Date.now() / 1000) + 7200) },
    });
    expect(tooFar.status).toBe(400);
    expect(await tooFar.json()).toMatchObject({ error_class: "ExpiresAtInvalid" });
  });
});

describe("signing options", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ed = generateKeyPairSync("ed25519");
  const badKeys: Array<[string, string]> = [
    ["not PEM", "definitely not a key"],
    ["an EC key (SEC1)", ec.privateKey.export({ type: "sec1", format: "pem" }).toString()],
    ["an EC key (PKCS#8)", ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString()],
    ["an Ed25519 key", ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString()],
    ["a public key", keys.publicPem],
    [
      "an encrypted key",
      generateKeyPairSync("rsa", {
        modulusLength: 1024,
        privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-128-cbc", passphrase: "pw" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      }).privateKey,
    ],
    ["PEM with broken base64", "-----BEGIN PRIVATE KEY-----\n@@@\n-----END PRIVATE KEY-----"],
  ];

  it.each(badKeys)("refuses %s at construction, naming privateKey without any key material", (_label, privateKey) => {
    let error: unknown;
    try {
      createSaltEdgeClient({ clientId: "c", appSecret: "s", privateKey });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option: "privateKey" });
    const body = privateKey.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    for (const shown of [String(error), JSON.stringify(error), inspect(error), (error as Error).message]) {
      // No 16-character run of the key's base64 appears anywhere.
      for (let i = 0; i + 16 <= body.length; i += 16) expect(shown).not.toContain(body.slice(i, i + 16));
    }
  });

  it(
    "a PEM-shaped RSA key with a corrupt body fails on " + "first use with a ConfigurationError, not key bytes",
    async () => {
      const corrupt = `-----BEGIN RSA PRIVATE KEY-----\n${btoa("\x30\x03\x02\x01\x00")}\n-----END RSA PRIVATE KEY-----`;
      server = await startTestServer((_req, res) => json(res, 200, { data: [] }));
      const client = createSaltEdgeClient({ clientId: "c", appSecret: "s", privateKey: corrupt, baseUrl: server.url });
      await expect(client.GET("/countries")).rejects.toMatchObject({
        name: "ConfigurationError",
        option: "privateKey",
      });
      expect(server.requests).toHaveLength(0);
    },
  );

  it.each([0, -1, 3601, 1.5, Number.NaN])("refuses expiresInSeconds = %s at construction", (expiresInSeconds) => {
    expect(() =>
      createSaltEdgeClient({ clientId: "c", appSecret: "s", privateKey: keys.pkcs8, expiresInSeconds }),
    ).toThrow(expect.objectContaining({ name: "ConfigurationError", option: "expiresInSeconds" }));
  });

  it("refuses an unknown signatureAlgorithm", () => {
    expect(() =>
      createSaltEdgeClient({
        clientId: "c",
        appSecret: "s",
        privateKey: keys.pkcs8,
        signatureAlgorithm: "sha512" as never,
      }),
    ).toThrow(expect.objectContaining({ option: "signatureAlgorithm" }));
  });
});
