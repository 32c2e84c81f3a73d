// @x/saltedge/mini: the v6 client without its generated methods, `paginate` and operations table, and the operations
// as functions of it, against the emulator (which verifies every request's signature). What the bundler then leaves
// out is checked by scripts/size.mjs.
import { ConfigurationError, type SdkEvent } from "@x/core";
import { FAST_RETRY, json, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectSession,
  createCustomer,
  createSaltEdgeClient,
  listConnections,
  listCountries,
  listTransactions,
  removeCustomer,
  showCustomer,
  verifyCallback,
} from "../src/mini.js";
import { bankLogin, type SaltEdgeEmulator } from "./helpers.js";

let receiver: TestServer;
let sandbox: SaltEdgeEmulator;
beforeAll(async () => {
  receiver = await startTestServer((_req, res) => json(res, 200, {}));
  sandbox = await startEmulator("saltedge", { callbackUrl: `${receiver.url}/cb`, pageSize: 10 });
});
afterAll(async () => {
  await Promise.all([sandbox.close(), receiver.close()]);
});

function miniClient(onEvent?: (event: SdkEvent) => void) {
  const { appId, secret, privateKey } = sandbox.credentials;
  return createSaltEdgeClient({ appId, secret, privateKey, baseUrl: sandbox.url, retry: FAST_RETRY, onEvent });
}

describe("@x/saltedge/mini", () => {
  it("calls each operation as a function of the client, named by its operationId in events", async () => {
    const events: SdkEvent[] = [];
    const client = miniClient((event) => events.push(event));
    for (const member of ["customers", "connections", "transactions", "paginate"]) expect(member in client).toBe(false);

    const customer = await createCustomer(client, { identifier: `mini-${Date.now()}` });
    expect(await showCustomer(client, { customer_id: customer.id })).toMatchObject({ id: customer.id });
    const session = await connectSession(client, {
      customer_id: customer.id,
      consent: { scopes: ["accounts", "transactions"] },
      attempt: { fetch_scopes: ["accounts", "transactions"] },
      provider: { include_sandboxes: true },
    });
    const { connection_id: connectionId } = await bankLogin(session.connect_url);
    const connections = await listConnections(client, { customer_id: customer.id }).collect();
    expect(connections.map((c) => c.id)).toEqual([connectionId]);
    // The list function pages by itself (from_id = meta.next_id): what the full client's `paginate` did.
    const pages: number[] = [];
    for await (const page of listTransactions(client, { connection_id: connectionId }).pages()) pages.push(page.length);
    expect(pages).toEqual([10, 10, 10, 10, 4]);
    expect(await removeCustomer(client, { customer_id: customer.id })).toMatchObject({ removed: true });

    // Without the spec's operations table the functions still name their operation.
    const named = events.filter((e) => e.type === "request.finished").map((e) => e.operationId);
    expect(named).toEqual(expect.arrayContaining(["createCustomer", "showCustomer", "listTransactions"]));
    expect(named).not.toContain(undefined);
  });

  it("verifies the callbacks of its connections with the same free function", async () => {
    const request = receiver.requests.find((r) => r.path === "/cb/success");
    expect(request).toBeDefined();
    const event = await verifyCallback(
      {
        kind: "success",
        url: `${receiver.url}/cb/success`,
        body: request!.body,
        signature: request!.headers.signature,
      },
      sandbox.handle.control.callbackPublicKey,
    );
    expect(event.kind).toBe("success");
  });

  it("keeps the path style and withOptions, both signed", async () => {
    const client = miniClient().withOptions({ timeoutMs: 5_000 });
    const { data } = await client.GET("/countries");
    expect(data?.data.length).toBeGreaterThan(0);
    expect(await listCountries(client)).toEqual(data?.data);
  });

  it("refuses bad options with the main factory's typed errors", () => {
    expect(() => createSaltEdgeClient(undefined as never)).toThrow(ConfigurationError);
    const { appId, privateKey } = sandbox.credentials;
    expect(() => createSaltEdgeClient({ appId, secret: "", privateKey })).toThrow(/secret/);
  });
});
