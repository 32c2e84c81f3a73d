import { ApiError, AuthenticationError, ConfigurationError } from "@x/core";
import { FAST_RETRY, startEmulator, type StartedEmulator } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSfsClient, type SfsApiKeyClientOptions } from "../src/index.js";

let emulator: StartedEmulator<"sfs"> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/**
 * An API key client on the emulator whose transport keeps what went over the wire (after auth, which runs next to
 * the transport), then sends it for real.
 */
function keyedClient(started: StartedEmulator<"sfs">, overrides: Partial<SfsApiKeyClientOptions> = {}) {
  const sent: Sent[] = [];
  const client = createSfsClient({
    auth: "apiKey",
    apiKey: started.credentials.apiKey,
    baseUrl: started.url,
    retry: FAST_RETRY,
    fetch: async (input, init) => {
      const body = typeof init?.body === "string" ? JSON.parse(init.body) : init?.body;
      sent.push({
        method: init?.method ?? "GET",
        url: new URL(String(input)),
        headers: new Headers(init?.headers),
        body,
      });
      return fetch(input, init);
    },
    ...overrides,
  });
  return { client, sent };
}

describe("API key auth (X-Sendforsign-Key, clientKey in data)", () => {
  it("a forClient handle sends the key and its clientKey in data, and no token is ever fetched", async () => {
    emulator = await startEmulator("sfs");
    const { client, sent } = keyedClient(emulator);
    const acme = client.forClient("sfs-demo-client-1");

    const templates = await acme.templates.list();

    expect(templates.map((t) => t.templateKey)).toEqual(["sfs-demo-client-1-tpl-1"]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers.get("x-sendforsign-key")).toBe(emulator.credentials.apiKey);
    expect(sent[0]?.headers.get("authorization")).toBeNull();
    expect(sent[0]?.body).toEqual({ data: { action: "list", clientKey: "sfs-demo-client-1" } });
    expect(emulator.handle.stats()).toEqual({ requests: 1, tokensIssued: {} });
  });

  it("the platform-level client lists clients with the key alone, without a clientKey", async () => {
    emulator = await startEmulator("sfs");
    const { client, sent } = keyedClient(emulator);
    const clients = await client.clients.list();
    expect(clients.map((c) => c.clientKey)).toEqual(["sfs-demo-client-1", "sfs-demo-client-2"]);
    expect(sent[0]?.body).toEqual({ data: { action: "list" } });
  });

  it("a call that names its own clientKey keeps it", async () => {
    emulator = await startEmulator("sfs");
    const { client } = keyedClient(emulator);
    const acme = client.forClient("sfs-demo-client-1");
    const other = await acme.unwrap(
      acme.POST("/api/template", { body: { data: { action: "list", clientKey: "sfs-demo-client-2" } } }),
    );
    expect("templates" in other && other.templates[0]?.templateKey).toBe("sfs-demo-client-2-tpl-1");
  });

  it("the file endpoints get the clientKey in the query: a PDF uploaded, then downloaded as sent", async () => {
    emulator = await startEmulator("sfs");
    const { client, sent } = keyedClient(emulator);
    const acme = client.forClient("sfs-demo-client-1");
    const { contractKey } = await acme.contracts.create({ contract: { name: "Scanned NDA" } });
    const pdf = new TextEncoder().encode("%PDF-1.7 scanned");
    // The generated method sends its body as multipart, the Blob as the file part.
    const file = new Blob([pdf], { type: "application/pdf" });

    await acme.contracts.uploadPdf({ contractKey }, { pdf: file });
    expect(sent.at(-1)?.body).toBeInstanceOf(FormData);
    const { data, response } = await acme.GET("/api/download_pdf", {
      params: { query: { contractKey } },
      parseAs: "arrayBuffer",
    });

    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(data as ArrayBuffer)).toEqual(pdf);
    for (const { url } of sent.slice(1)) expect(url.searchParams.get("clientKey")).toBe("sfs-demo-client-1");
  });

  it("the emulator refuses a wrong key: an AuthenticationError at once, the key nowhere in it", async () => {
    emulator = await startEmulator("sfs");
    const wrongKey = "sfs-wrong-api-key-123";
    const { client, sent } = keyedClient(emulator, { apiKey: wrongKey });
    const error = await client
      .forClient("sfs-demo-client-1")
      .templates.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(403);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(wrongKey);
    expect(sent).toHaveLength(1); // a refused key is final: not retried
  });

  it("the emulator refuses a client-level call without a clientKey (400), naming the field", async () => {
    emulator = await startEmulator("sfs");
    const { client } = keyedClient(emulator);
    const error = await client
      // @ts-expect-error a client-level path on the platform client, which the types refuse and SFS as well
      .unwrap(client.POST("/api/template", { body: { data: { action: "list" } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toContain("clientKey");
  });

  it("read-only actions are retried in this mode too, creates are not", async () => {
    emulator = await startEmulator("sfs");
    const acme = keyedClient(emulator).client.forClient("sfs-demo-client-1");
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    expect(await acme.contracts.list()).toEqual([]);
    expect(emulator.handle.stats().requests).toBe(2);

    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const { response } = await acme.POST("/api/contract", {
      body: { data: { action: "create", contract: { name: "NDA" } } },
    });
    expect(response.status).toBe(503);
    expect(emulator.handle.stats().requests).toBe(3);
  });

  it("options are checked: a secret with the API key mode, an unknown mode, a missing key", () => {
    const secretToo = { auth: "apiKey", apiKey: "k", secret: "s" } as unknown as SfsApiKeyClientOptions;
    expect(() => createSfsClient(secretToo)).toThrow(ConfigurationError);
    expect(() => createSfsClient(secretToo)).toThrow(/^secret /);
    const unknown = { auth: "oauth", apiKey: "k" } as unknown as SfsApiKeyClientOptions;
    expect(() => createSfsClient(unknown)).toThrow(/^auth must be/);
    expect(() => createSfsClient({ auth: "apiKey", apiKey: "" })).toThrow(
      expect.objectContaining({ option: "apiKey" }),
    );
    // No options at all: token auth, whose first missing option is named.
    expect(() => createSfsClient(undefined as never)).toThrow(expect.objectContaining({ option: "apiKey" }));
    expect(() => createSfsClient({ auth: "apiKey", apiKey: "k" }).forClient("")).toThrow(
      expect.objectContaining({ option: "clientKey" }),
    );
  });
});
