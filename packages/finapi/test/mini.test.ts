// @x/finapi/mini: the clients (client token, user, process, web form) without their generated methods, the spec's
// operations tables and the one-operation helpers, and the operations as functions of them, against the emulator.
// What the bundler then leaves out is checked by scripts/size.mjs.
import { createTokenCache, type SdkEvent } from "@x/core";
import { FAST_RETRY } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFinapiClient,
  createUser,
  deleteUser,
  getAndSearchAllTransactions,
  getAuthorizedUser,
  getTask,
  getWebForm,
  iterateTransactions,
  listAccounts,
  type FinapiClientOptions,
} from "../src/mini.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi({ transactionsPerUser: 30 });
});
afterAll(() => env.close());

function miniClient(overrides: Partial<FinapiClientOptions> = {}) {
  const { clientId, clientSecret } = env.credentials;
  const url = env.url;
  const hosts = { accessUrl: url, processControllerUrl: url, webFormUrl: url };
  return createFinapiClient({ clientId, clientSecret, ...hosts, retry: FAST_RETRY, ...overrides });
}

/** What the user's browser does: press the web form's "completed" button. */
async function completeInBrowser(url: string): Promise<void> {
  const sent = await fetch(url, { method: "POST", body: new URLSearchParams({ outcome: "COMPLETED" }) });
  expect(sent.status).toBe(200);
  await sent.text();
}

const fast = { intervalMs: 5, timeoutMs: 5_000 };
/** The members a full client has and a mini one must not: methods (tags), and one-operation helpers. */
const fullOnly = ["users", "banks", "transactions", "accounts", "createUser", "deleteUser"];
const members = (client: object) => fullOnly.filter((name) => name in client);

describe("@x/finapi/mini", () => {
  it("calls each operation as a function of the client, named by its operationId in events", async () => {
    const events: SdkEvent[] = [];
    const finapi = miniClient({ onEvent: (event) => events.push(event) });
    expect(members(finapi)).toEqual([]);
    expect(members(finapi.withOptions({ timeoutMs: 5_000 }))).toEqual([]);
    const created = await createUser(finapi, { id: "mini-user", password: "password-1" });
    expect(created).toMatchObject({ id: "mini-user", password: "password-1" });
    const user = finapi.forUser({ userId: created.id, password: created.password });
    expect((await getAuthorizedUser(user)).id).toBe("mini-user");
    const demo = finapi.forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    const transactions = await getAndSearchAllTransactions(demo, { view: "bankView", perPage: 10 }).collect(15);
    expect(transactions).toHaveLength(15);
    // Without the spec's operations table the functions still name their operation in events and logs.
    const finished = events.filter((e) => e.type === "request.finished").map((e) => e.operationId);
    expect(finished).toEqual(
      expect.arrayContaining(["createUser", "getAuthorizedUser", "getAndSearchAllTransactions"]),
    );
  });

  it("forUser gives a user client without methods; the helpers are functions of it", async () => {
    const tokenCache = createTokenCache();
    const finapi = miniClient({ tokenCache });
    const { id, password } = await createUser(finapi, { id: "mini-import", password: "password-2" });
    const user = finapi.forUser({ userId: id, password });
    expect(members(user)).toEqual([]);
    expect((await getAuthorizedUser(user)).id).toBe(id);
    expect(await listAccounts(user)).toEqual([]);

    // The web form flows stay members; their web form client has no methods, the functions serve it.
    const webForm = await user.importBankConnection({ bankConnectionName: "Girokonto" });
    const webForms = await user.webForms();
    expect("webForms" in webForms || "tasks" in webForms).toBe(false);
    expect((await getWebForm(webForms, { id: webForm.id })).status).toBe("NOT_YET_OPENED");
    const waiting = user.waitForWebForm(webForm.id, fast);
    await completeInBrowser(webForm.url);
    const outcome = await waiting;
    expect(outcome.status).toBe("COMPLETED");
    const accounts = await listAccounts(user);
    expect(accounts).toHaveLength(2);
    const pages: number[] = [];
    for await (const page of iterateTransactions(user, { perPage: 20 }).pages()) pages.push(page.length);
    expect(pages).toEqual([20, 10]);
    const task = await user.updateBankConnection({
      bankConnectionId: accounts[0]!.bankConnectionId,
      importNewAccountsMode: null,
    });
    expect((await getTask(webForms, { id: task.id })).id).toBe(task.id);
    expect(await user.waitForTask(task.id, fast)).toMatchObject({ status: "COMPLETED" });

    const key = await (user.auth as unknown as { cacheKey(r: unknown): Promise<string> }).cacheKey(user.runtime);
    expect(await tokenCache.peek(key)).toBeDefined();
    await deleteUser(user);
    expect(env.handle.control.hasUser(id)).toBe(false);
    expect(await tokenCache.peek(key)).toBeUndefined();
  });

  it("startProcess gives a process client without methods, and the path style works", async () => {
    const finapi = miniClient();
    const { client } = await finapi.startProcess({ clientReference: "mini-process" });
    expect(members(client)).toEqual([]);
    expect((await getAuthorizedUser(client)).id).toMatch(/^process-/);
    const me = await client.unwrap(client.GET("/api/v2/users"));
    expect(me.id).toMatch(/^process-/);
  });
});
