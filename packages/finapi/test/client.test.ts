import { ConfigurationError } from "@x/core";
import { json, startTestServer, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createFinapiClient } from "../src/index.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("createFinapiClient", () => {
  it("sends the API key header and returns typed data", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { status: "ok" }));
    const client = createFinapiClient({ apiKey: "test-key", baseUrl: server.url });

    const { data, error } = await client.GET("/health");

    expect(error).toBeUndefined();
    expect(data?.status).toBe("ok");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe("/health");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("test-key");
  });

  it("refuses a missing API key at construction, naming the option", () => {
    expect(() => createFinapiClient({ apiKey: "" })).toThrow(ConfigurationError);
  });
});
