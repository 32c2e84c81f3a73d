// The generated methods of the v3 level clients (`app.customers.create`, `login.transactions.list`) against the
// v3 emulator over real sockets: the data envelope, paging, the level guard, withOptions, per-call options.
import { ApiError, ConfigurationError } from "@x/core";
import { json, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSaltEdgeError, verifyCallback } from "../../src/v3/index.js";
import { sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

let sandbox: SaltEdgeEmulator;
let receiver: TestServer;
let callbackUrl: string;
beforeAll(async () => {
  receiver = await startTestServer((_req, res) => json(res, 200, {}));
  callbackUrl = `${receiver.url}/saltedge/callback`;
  sandbox = await startEmulator("saltedge-v3", { pageSize: 10, callbackUrl });
});
afterAll(async () => {
  await Promise.all([sandbox.close(), receiver.close()]);
});

describe("v3 generated methods", () => {
  it("walks the three levels with methods: customer, login, accounts, transactions by page, attempts", async () => {
    const app = sandboxClient(sandbox);
    const customer = await app.customers.create({ identifier: `methods-${Math.random()}` });
    expect(customer.secret).toBeTruthy();
    const customerClient = app.forCustomer(customer.secret);
    const token = await customerClient.tokens.create({ fetch_type: "recent", return_to: "https://app.example" });
    expect(token.connect_url).toMatch(/^http/);
    const login = await customerClient.login.create({
      country_code: "XF",
      provider_code: "fakebank_simple_xf",
      credentials: { login: "username", password: "secret" },
    });
    const loginClient = customerClient.forLogin(login.secret as string);
    expect((await loginClient.login.show()).id).toBe(login.id);

    const accounts = await loginClient.accounts.list().collect();
    expect(accounts).toHaveLength(2);
    const pages: number[] = [];
    for await (const page of loginClient.transactions.list({ account_id: accounts[0]!.id }).pages()) {
      pages.push(page.length);
    }
    expect(pages).toEqual([10, 10, 2]);
    expect(await loginClient.transactions.listPending().collect()).toHaveLength(6);
    const [attempt] = await loginClient.attempts.list();
    expect((await loginClient.attempts.show({ attempt_id: attempt!.id })).id).toBe(attempt!.id);

    // An optional body: sent inside the envelope when given.
    expect((await loginClient.login.refresh({ fetch_type: "recent" })).id).toBe(login.id);
    expect((await loginClient.login.refresh()).id).toBe(login.id);

    // The success callback, told apart from a fail by the kind of its URL.
    const callback = receiver.requests.at(-1)!;
    const event = await verifyCallback(
      { kind: "success", url: callbackUrl, body: callback.body, signature: callback.headers.signature },
      sandbox.handle.control.callbackPublicKey,
    );
    expect(event).toMatchObject({ kind: "success", data: { login_id: login.id } });

    expect(await app.customers.remove({ customer_id: customer.id })).toEqual({ id: customer.id, deleted: true });
    const gone = await loginClient.login.show().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Error);
    expect(isSaltEdgeError(gone)).toBe(true);
  });

  it("refuses from JavaScript a method above the client's level, before anything is sent", async () => {
    const app = sandboxClient(sandbox) as unknown as { accounts: { list(): { collect(): Promise<unknown> } } };
    const before = sandbox.handle.stats().requests;
    const error = await app.accounts
      .list()
      .collect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: "LEVEL_MISSING", option: "loginSecret" });
    expect(sandbox.handle.stats().requests).toBe(before);
  });

  it("keeps methods and level through withOptions, and a derived level throws the typed error", async () => {
    const app = sandboxClient(sandbox).withOptions({ headers: { "x-tenant": "t1" } });
    expect(app.level).toBe("app");
    const { data, response } = await app.customers.create({ identifier: `wo-${Math.random()}` }).withResponse();
    expect(response.status).toBe(200);
    const customerClient = app.forCustomer(data.secret).withOptions({ timeoutMs: 5_000 });
    expect(customerClient.level).toBe("customer");
    const error = await customerClient.login
      .create({ country_code: "XF", provider_code: "nope", credentials: {} }, { headers: { "x-trace": "t" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isSaltEdgeError(error, "ProviderNotFound")).toBe(true);
  });
});
