import { afterEach, describe, expect, it } from "vitest";
import { createProviderClient, requestSigning, type SigningInput } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

describe("request signing", () => {
  it("signs the exact bytes, method and full URL that are sent, again on every retry", async () => {
    const statuses = [503, 200];
    const server = await startTestServer((_req, res) => json(res, statuses.shift() ?? 200, {}));
    servers.push(server);
    const seen: SigningInput[] = [];
    let counter = 0;
    const signer = requestSigning(async (input) => {
      seen.push(input);
      counter += 1;
      return {
        Signature: `${input.method}|${input.url}|${new TextDecoder().decode(input.body)}`.replace(/[^\x20-\x7e]/g, "?"),
        "Expires-at": String(counter),
      };
    });
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      plugins: [signer],
      idempotent: true,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
    });
    const body = JSON.stringify({ name: "Zoë" });
    await client.fetch(`${server.url}/customers?from_id=5`, { method: "post", body });
    expect(seen).toHaveLength(2);
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe(`${server.url}/customers?from_id=5`);
    expect(new TextDecoder().decode(seen[0]?.body)).toBe(body);
    expect(server.requests.map((r) => r.headers["expires-at"])).toEqual(["1", "2"]);
    expect(server.requests[1]?.body).toBe(body);
  });

  it("signs an empty body for GET", async () => {
    const server = await startTestServer((_req, res) => json(res, 200, {}));
    servers.push(server);
    let bodyLength = -1;
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      plugins: [requestSigning(async ({ body }) => ((bodyLength = body.length), {}))],
    });
    await client.fetch(`${server.url}/x`);
    expect(bodyLength).toBe(0);
  });
});
