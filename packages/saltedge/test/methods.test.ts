// The generated methods of the v6 client (`client.customers.create(...)`), over real sockets: the emulator for the
// README's flow, a test server for what the emulator cannot show (the envelope on the wire, per-call options).
import { ApiError, ConfigurationError, TimeoutError } from "@x/core";
import { json, type RecordedRequest, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSaltEdgeClient, isSaltEdgeError, verifyCallback, type SaltEdgeCallbackEvent } from "../src/index.js";
import { bankLogin, rsaKeys, sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

let receiver: TestServer;
let sandbox: SaltEdgeEmulator;
let server: TestServer;
const key = rsaKeys().pkcs8;

beforeAll(async () => {
  receiver = await startTestServer((_req, res) => json(res, 200, {}));
  sandbox = await startEmulator("saltedge", { callbackUrl: `${receiver.url}/cb`, pageSize: 10 });
  server = await startTestServer(async (req, res) => {
    const query = Object.fromEntries(new URL(req.url, "http://x").searchParams);
    if (req.path === "/customers" && req.method === "POST") {
      res.setHeader("x-request-id", "req-1");
      return json(res, 200, { data: { id: "c1", ...JSON.parse(req.body).data } });
    }
    if (req.path === "/customers") {
      const from = Number(query.from_id ?? 1);
      return json(res, 200, { data: [{ id: String(from) }], meta: { next_id: from < 3 ? String(from + 1) : null } });
    }
    if (req.path === "/customers/slow") return void setTimeout(() => json(res, 200, { data: { id: "slow" } }), 500);
    if (req.path.startsWith("/customers/")) return json(res, 200, { data: { id: req.path.split("/")[2] } });
    return json(res, 404, { error: { class: "RouteNotFound", message: "no route" } });
  });
});
afterAll(async () => {
  await Promise.all([sandbox.close(), receiver.close(), server.close()]);
});

/** A v6 client on the test server (any key signs: the test server does not verify). */
const onServer = () => createSaltEdgeClient({ appId: "app", secret: "sekret", privateKey: key, baseUrl: server.url });
const last = (path: string): RecordedRequest => server.requests.filter((r) => r.path === path).at(-1)!;

describe("v6 generated methods against the emulator", () => {
  it("runs the README flow: customer, connect session, callback, accounts, paged transactions", async () => {
    const client = sandboxClient(sandbox);
    const customer = await client.customers.create({ identifier: `methods-${Date.now()}` });
    expect(customer.identifier).toMatch(/^methods-/);
    expect(await client.customers.show({ customer_id: customer.id })).toMatchObject({ id: customer.id });

    const session = await client.connections.connect({
      customer_id: customer.id,
      consent: { scopes: ["accounts", "transactions"] },
      attempt: { fetch_scopes: ["accounts", "transactions"] },
      provider: { include_sandboxes: true },
    });
    const { connection_id: connectionId } = await bankLogin(session.connect_url);
    const request = receiver.requests.find((r) => r.path === "/cb/success")!;
    const event: SaltEdgeCallbackEvent = await verifyCallback(
      { kind: "success", url: `${receiver.url}/cb/success`, body: request.body, signature: request.headers.signature },
      sandbox.handle.control.callbackPublicKey,
    );
    expect(event.kind === "success" && event.data.connection_id).toBe(connectionId);

    expect((await client.connections.list({ customer_id: customer.id }).collect()).map((c) => c.id)).toEqual([
      connectionId,
    ]);
    expect((await client.connections.show({ connection_id: connectionId })).customer_id).toBe(customer.id);
    expect((await client.consents.list({ connection_id: connectionId }).collect())[0]?.scopes).toEqual([
      "accounts",
      "transactions",
    ]);
    expect(await client.accounts.list({ connection_id: connectionId }).collect()).toHaveLength(2);
    const pages: number[] = [];
    for await (const page of client.transactions.list({ connection_id: connectionId }).pages()) pages.push(page.length);
    // 2 accounts x 22 posted transactions, 10 a page: every page fetched, none twice.
    expect(pages).toEqual([10, 10, 10, 10, 4]);
    const pending = await client.transactions.list({ connection_id: connectionId, pending: true }).collect();
    expect(pending.map((t) => t.status)).toEqual(Array(6).fill("pending"));
    // The path-style pager is the same method.
    expect(await client.paginate("/transactions", { connection_id: connectionId }).collect()).toHaveLength(44);

    const refresh = await client.connections.refresh(
      { connection_id: connectionId },
      { attempt: { fetch_scopes: ["accounts"] } },
    );
    expect((await bankLogin(refresh.connect_url)).connection_id).toBe(connectionId);

    expect(await client.customers.remove({ customer_id: customer.id })).toMatchObject({ removed: true });
    const error = await client.connections.show({ connection_id: connectionId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isSaltEdgeError(error, "ConnectionNotFound")).toBe(true);
    expect(error).toMatchObject({ status: 404, code: "ConnectionNotFound" });
  });

  it("lists countries and providers", async () => {
    const client = sandboxClient(sandbox);
    expect((await client.countries.list()).length).toBeGreaterThan(0);
    const providers = await client.providers.list({ country_code: "XF" }).collect();
    expect(providers.length).toBeGreaterThan(10);
    expect((await client.providers.show({ provider_code: providers[0]!.code })).code).toBe(providers[0]!.code);
  });
});

describe("v6 generated methods on the wire", () => {
  it("wraps the body in Salt Edge's data envelope and returns the answer without it", async () => {
    const { data, response } = await onServer().customers.create({ identifier: "u1" }).withResponse();
    expect(JSON.parse(last("/customers").body)).toEqual({ data: { identifier: "u1" } });
    expect(data).toEqual({ id: "c1", identifier: "u1" });
    expect(response.headers.get("x-request-id")).toBe("req-1");
    // Still signed, as every v6 request.
    expect(last("/customers").headers.signature).toBeTruthy();
  });

  it("pages with from_id = meta.next_id until it is null", async () => {
    server.requests.length = 0;
    expect((await onServer().customers.list().collect()).map((c) => c.id)).toEqual(["1", "2", "3"]);
    expect(server.requests.map((r) => r.url)).toEqual(["/customers", "/customers?from_id=2", "/customers?from_id=3"]);
  });

  it("keeps the methods on withOptions, and a call's options reach its request only", async () => {
    const derived = onServer().withOptions({ headers: { "x-tenant": "t1" } });
    await derived.customers.show({ customer_id: "a" }, { headers: { "x-trace": "trace-1" } });
    expect(last("/customers/a").headers).toMatchObject({ "x-tenant": "t1", "x-trace": "trace-1" });
    await derived.customers.show({ customer_id: "b" });
    expect(last("/customers/b").headers["x-trace"]).toBeUndefined();
    const slow = await onServer()
      .customers.show({ customer_id: "slow" }, { timeoutMs: 50, retry: false })
      .catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(TimeoutError);
  });

  it("throws Salt Edge's typed error for an HTTP error, the secret scrubbed", async () => {
    const error = await onServer()
      .connections.show({ connection_id: "x" })
      .catch((e: unknown) => e);
    expect(isSaltEdgeError(error, "RouteNotFound")).toBe(true);
    expect(JSON.stringify(error)).not.toContain("sekret");
  });

  it("paginate refuses a path that is not a list, naming the lists", () => {
    const client = onServer() as unknown as { paginate(path: string): unknown };
    expect(() => client.paginate("/countries")).toThrow(ConfigurationError);
    expect(() => client.paginate("/countries")).toThrow(/\/transactions/);
  });
});
