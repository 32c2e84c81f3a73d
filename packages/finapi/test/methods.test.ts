// The generated operation methods of @x/finapi over real sockets: the sandbox emulator (its auth rules enforced) and,
// for the timeout, a loopback server that answers late.
import { ApiError, TimeoutError } from "@x/core";
import { json, startTestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFinapiClient, isFinapiError, type FinapiUserClient } from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi({ transactionsPerUser: 45 });
});
afterAll(() => env.close());

const requests = () => env.handle.stats().requests;

/** A new user with the demo bank connection, imported through a web form the way the user's browser completes it. */
async function userWithBank(id: string): Promise<FinapiUserClient> {
  const finapi = env.client();
  const created = await finapi.users.create({ id, password: "password-1" });
  const user = finapi.forUser({ userId: created.id, password: created.password });
  const webForm = await user.importBankConnection({});
  await (await fetch(webForm.url, { method: "POST", body: new URLSearchParams({ outcome: "COMPLETED" }) })).text();
  await user.waitForWebForm(webForm.id, { intervalMs: 5 });
  return user;
}

let user: FinapiUserClient;
beforeAll(async () => {
  user = await userWithBank("methods-user");
});

describe("operation methods", () => {
  it("users.create on the client token answers the user with its password; users.get on the user's token", async () => {
    const finapi = env.client();
    const created = await finapi.users.create({ id: "methods-jane", password: "password-2" });
    expect(created).toMatchObject({ id: "methods-jane", password: "password-2" });
    const jane = finapi.forUser({ userId: created.id, password: created.password });
    expect(await jane.users.get()).toMatchObject({ id: "methods-jane", password: "XXXXX" });
    await jane.users.delete();
    await expect(finapi.forUser({ userId: "methods-jane", password: "password-2" }).users.get()).rejects.toThrow();
  });

  it("transactions.list walks every page: page 1..pageCount asked, each item once, page not a parameter", async () => {
    await user.users.get();
    const before = requests();
    const ids: number[] = [];
    for await (const transaction of user.transactions.list({ view: "bankView", perPage: 20 })) ids.push(transaction.id);
    expect(ids).toHaveLength(45);
    expect(new Set(ids).size).toBe(45);
    expect(requests() - before).toBe(3);
    const sizes: number[] = [];
    for await (const page of user.transactions.list({ view: "bankView", perPage: 20 }).pages()) sizes.push(page.length);
    expect(sizes).toEqual([20, 20, 5]);
  });

  it("a paged list's filters reach finAPI on every page, and breaking out stops the requests", async () => {
    const incomes = await user.transactions.list({ view: "bankView", perPage: 5, direction: "income" }).collect();
    expect(incomes).toHaveLength(15);
    expect(incomes.every((t) => t.amount > 0)).toBe(true);
    await user.users.get();
    const before = requests();
    let seen = 0;
    for await (const _ of user.transactions.list({ view: "bankView", perPage: 10 })) if (++seen === 10) break;
    expect(requests() - before).toBe(1);
  });

  it("accounts.list, bankConnections.list and bankConnections.get answer finAPI's data, unwrapped", async () => {
    const { accounts } = await user.accounts.list({ accountTypes: ["Checking", "Savings"] });
    expect(accounts.map((a) => a.accountType)).toEqual(["Checking", "Savings"]);
    const { connections } = await user.bankConnections.list();
    expect(connections).toHaveLength(1);
    expect(await user.bankConnections.get({ id: connections[0]!.id })).toMatchObject({ id: connections[0]!.id });
  });

  it("transactions.get, edit, split and restore; userView lists a split transaction as its parts", async () => {
    const [first] = await user.transactions.list({ view: "bankView", perPage: 1 }).collect(1);
    const id = first!.id;
    expect(await user.transactions.get({ id })).toMatchObject({ id, isNew: false, children: null });
    expect(await user.transactions.edit({ id }, { isNew: true })).toMatchObject({ id, isNew: true });
    const parts = [{ amount: 1, purpose: "part one" }, { amount: first!.amount - 1 }];
    const split = await user.transactions.split({ id }, { subTransactions: parts });
    expect(split.children).toHaveLength(2);
    const child = await user.transactions.get({ id: split.children![0]! });
    expect(child).toMatchObject({ parentId: id, amount: 1, purpose: "part one" });
    const userView = await user.transactions.list({ view: "userView", perPage: 500 }).collect();
    expect(userView).toHaveLength(46);
    expect(userView.map((t) => t.id)).not.toContain(id);
    expect(await user.transactions.restore({ id })).toMatchObject({ id, children: null });
    expect(await user.transactions.list({ view: "userView", perPage: 500 }).collect()).toHaveLength(45);
  });

  it("an HTTP error throws finAPI's ApiError (code, status, request id), narrowed by isFinapiError", async () => {
    const error = await user.bankConnections.get({ id: 999_999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isFinapiError(error, "UNKNOWN_ENTITY")).toBe(true);
    if (!isFinapiError(error)) throw new Error("not a finAPI error");
    expect(error).toMatchObject({ status: 404, code: "UNKNOWN_ENTITY" });
    expect((error as ApiError).requestId).toMatch(/.+/);
  });

  it("a user-token method on the client token is refused by finAPI (the types refuse it first)", async () => {
    const finapi = env.client() as unknown as FinapiUserClient;
    const error = await finapi.accounts.list().catch((e: unknown) => e);
    expect(isFinapiError(error)).toBe(true);
    // finAPI's 403: the token may not do this.
    expect(error).toMatchObject({ status: 403 });
  });

  it("per-call headers reach the request, and withResponse() gives the answer's headers", async () => {
    const call = user.bankConnections.list({}, { headers: { "X-Request-Id": "call-42" } });
    const { data, response } = await call.withResponse();
    expect(data.connections).toHaveLength(1);
    // finAPI echoes the caller's X-Request-Id.
    expect(response.headers.get("x-request-id")).toBe("call-42");
  });

  it("withOptions keeps the methods, on the client-token client, user clients and a process's client", async () => {
    const finapi = env.client().withOptions({ timeoutMs: 5_000 });
    const created = await finapi.users.create({ id: "methods-bob", password: "password-3" });
    const bob = finapi.forUser({ userId: created.id, password: created.password }).withOptions({ timeoutMs: 5_000 });
    expect(await bob.users.get()).toMatchObject({ id: "methods-bob" });
    expect(await user.withOptions({ headers: { "X-Request-Id": "with-options" } }).accounts.list()).toMatchObject({
      accounts: [{ accountType: "Checking" }, { accountType: "Savings" }],
    });
    const { client } = await env.client().startProcess({ clientReference: "methods-process" });
    expect(await client.withOptions({ timeoutMs: 5_000 }).bankConnections.list()).toEqual({ connections: [] });
  });

  it("the web form client has its methods: webForms.get, tasks.get, accountInformation.*", async () => {
    const webForms = await user.webForms();
    const created = await webForms.accountInformation.importBankConnection({});
    expect(await webForms.webForms.get({ id: created.id })).toMatchObject({ id: created.id, status: "NOT_YET_OPENED" });
    const { connections } = await user.bankConnections.list();
    const task = await webForms.accountInformation.updateBankConnection({
      bankConnectionId: connections[0]!.id,
      importNewAccountsMode: null,
    });
    expect(await webForms.withOptions({ timeoutMs: 5_000 }).tasks.get({ id: task.id })).toMatchObject({ id: task.id });
  });
});

describe("Web Form 2.0 methods", () => {
  it("webForms.list and tasks.list walk every page of the user's web forms and tasks", async () => {
    const finapi = env.client();
    const created = await finapi.users.create({ id: "methods-forms", password: "password-4" });
    const forms = finapi.forUser({ userId: created.id, password: created.password });
    const webForms = await forms.webForms();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await webForms.accountInformation.importBankConnection({})).id);
    await forms.users.get();
    const before = requests();
    const pages: number[] = [];
    for await (const page of webForms.webForms.list({ perPage: 2 }).pages()) pages.push(page.length);
    expect(pages).toEqual([2, 2, 1]);
    expect(requests() - before).toBe(3);
    expect((await webForms.webForms.list({ perPage: 2 }).collect()).map((form) => form.id)).toEqual(ids);
    expect(await webForms.tasks.list().collect()).toEqual([]);
  });
});

describe("per-call options", () => {
  it("timeoutMs of one call cuts it, whatever the client's timeout", async () => {
    const server = await startTestServer(async (req, res) => {
      if (req.path === "/api/v2/oauth/token")
        return json(res, 200, { access_token: "t", token_type: "bearer", expires_in: 3600, scope: "all" });
      await new Promise((resolve) => setTimeout(resolve, 500));
      json(res, 200, { id: 1 });
    });
    try {
      const finapi = createFinapiClient({ clientId: "c", clientSecret: "s", accessUrl: server.url, retry: false });
      const started = Date.now();
      await expect(finapi.banks.get({ id: 1 }, { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(400);
      expect(await finapi.banks.get({ id: 1 })).toEqual({ id: 1 });
    } finally {
      await server.close();
    }
  });
});
