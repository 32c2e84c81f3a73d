import { createTokenCache } from "@x/core";
import { startConformanceProxy, type ConformanceProxy } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iterateTransactions, listAccounts, multiStepAuthenticationOf } from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

// Every exchange between the client and the emulator goes through proxies that check it against finAPI's published
// contract: specs/finapi.yaml (Access V2 and the Process Controller) and specs/finapi.webform.yaml (Web Form 2.0). A
// field the client sends or the emulator answers that the spec does not declare fails here, so the three agree.
let env: FinapiSandbox;
let access: ConformanceProxy;
let webForms: ConformanceProxy;
beforeAll(async () => {
  env = await startFinapi({ transactionsPerUser: 25, userTokenTtlSeconds: 60 });
  access = await startConformanceProxy({ spec: "finapi", target: env.url, basePath: "" });
  webForms = await startConformanceProxy({ spec: "finapi.webform", target: env.url, basePath: "" });
});
afterAll(async () => {
  await access?.close();
  await webForms?.close();
  await env?.close();
});

const fast = { intervalMs: 5, timeoutMs: 5_000 };

/** The user's browser on the web form's page (the emulator's own URL, not an API operation). */
async function completeInBrowser(url: string, outcome = "COMPLETED"): Promise<void> {
  await (await fetch(url)).text();
  await (await fetch(url, { method: "POST", body: new URLSearchParams({ outcome }) })).text();
}

describe("@x/finapi against finAPI's published specs", () => {
  it("every flow's requests and answers conform to specs/finapi.yaml and specs/finapi.webform.yaml", async () => {
    let skewMs = 0;
    const tokenCache = createTokenCache({ now: () => Date.now() + skewMs });
    const finapi = env.client({
      accessUrl: access.url,
      processControllerUrl: access.url,
      webFormUrl: webForms.url,
      tokenCache,
    });

    // Client token, a user, the user's token (password grant, then the refresh grant).
    const created = await finapi.createUser({ email: "jane@example.com", isAutoUpdateEnabled: false });
    const user = finapi.forUser({ userId: created.id, password: created.password });
    await user.unwrap(user.GET("/api/v2/users"));
    skewMs = 59_000;
    await user.unwrap(user.GET("/api/v2/users"));

    // Web form import, accounts, transactions page by page, a background update.
    const webForm = await user.importBankConnection({ bankConnectionName: "Girokonto" });
    await completeInBrowser(webForm.url);
    const imported = await user.waitForWebForm(webForm.id, fast);
    expect(imported.status).toBe("COMPLETED");
    const { connections } = await user.unwrap(user.GET("/api/v2/bankConnections"));
    const bankConnectionId = connections[0]!.id;
    await user.unwrap(user.GET("/api/v2/bankConnections/{id}", { params: { path: { id: bankConnectionId } } }));
    expect(await listAccounts(user, { accountTypes: ["Checking", "Savings"] })).toHaveLength(2);
    const pages: number[] = [];
    for await (const page of iterateTransactions(user, { perPage: 10, direction: "all" }).pages()) {
      pages.push(page.length);
    }
    expect(pages).toEqual([10, 10, 5]);
    const task = await user.updateBankConnection({ bankConnectionId, importNewAccountsMode: null });
    expect(await user.waitForTask(task.id, fast)).toMatchObject({ status: "COMPLETED" });

    // One transaction read, edited, split in two and restored, with the generated methods.
    const [first] = await user.transactions.list({ view: "bankView", perPage: 1 }).collect(1);
    expect(await user.transactions.get({ id: first!.id })).toMatchObject({ id: first!.id, children: null });
    expect(await user.transactions.edit({ id: first!.id }, { isNew: true })).toMatchObject({ isNew: true });
    const half = Math.round(first!.amount * 50) / 100;
    const parts = [{ amount: half, purpose: "one half" }, { amount: Math.round((first!.amount - half) * 100) / 100 }];
    const split = await user.transactions.split({ id: first!.id }, { subTransactions: parts });
    expect(split.children).toHaveLength(2);
    expect(await user.transactions.restore({ id: first!.id })).toMatchObject({ children: null });

    // The user's web forms and tasks, every page, with the generated web form methods.
    const webFormClient = await user.webForms();
    expect(await webFormClient.webForms.list({ perPage: 1 }).collect()).toHaveLength(1);
    expect(await webFormClient.tasks.list({ perPage: 1 }).collect()).toHaveLength(1);

    // A web form the user cancels, and a task that needs the user.
    const cancelled = await user.importBankConnection();
    await completeInBrowser(cancelled.url, "ABORTED");
    expect(await user.waitForWebForm(cancelled.id, fast)).toMatchObject({ status: "ABORTED" });
    env.handle.control.requireWebFormOnUpdate(true);
    const needsUser = await user.updateBankConnection({ bankConnectionId, importNewAccountsMode: null });
    expect(await user.waitForTask(needsUser.id, fast)).toMatchObject({ status: "WEB_FORM_REQUIRED" });
    env.handle.control.requireWebFormOnUpdate(false);

    // A 510 with its challenge, then the answered call.
    env.handle.control.requireMultiStepAuthentication(true);
    const body = { bankConnectionId, bankingInterface: "XS2A" as const };
    const challenged = await user.unwrap(user.POST("/api/v2/bankConnections/update", { body })).catch((e) => e);
    const challenge = multiStepAuthenticationOf(challenged);
    const answer = { hash: challenge!.hash, challengeResponse: "123456" };
    await user.unwrap(
      user.POST("/api/v2/bankConnections/update", { body: { ...body, multiStepAuthentication: answer } }),
    );
    env.handle.control.requireMultiStepAuthentication(false);

    // Error answers are checked too: 404, 401 (BadCredentialsError), 423 (locked user), Web Form 404.
    const missing = await user.GET("/api/v2/bankConnections/{id}", { params: { path: { id: 999_999 } } });
    expect(missing.response.status).toBe(404);
    const refused = await fetch(`${access.url}/api/v2/users`, { headers: { authorization: "Bearer expired" } });
    expect(refused.status).toBe(401);
    await refused.text();
    env.handle.control.setUserBusy(created.id, true);
    expect((await user.DELETE("/api/v2/users")).response.status).toBe(423);
    env.handle.control.setUserBusy(created.id, false);
    const noForm = await (await user.webForms()).GET("/api/webForms/{id}", {
      params: { path: { id: crypto.randomUUID() } },
    });
    expect(noForm.response.status).toBe(404);

    // Revocation (form body) and deletion; then a process, its token exchanged once, one call with it.
    await user.revoke();
    await user.deleteUser();
    const { client } = await finapi.startProcess({ clientReference: "conformance" });
    await client.unwrap(client.GET("/api/v2/bankConnections"));

    access.assertConforms();
    webForms.assertConforms();
    expect(access.covered()).toEqual([
      "DELETE /api/v2/users",
      "GET /api/v1/processes/{processToken}",
      "GET /api/v2/accounts",
      "GET /api/v2/bankConnections",
      "GET /api/v2/bankConnections/{id}",
      "GET /api/v2/transactions",
      "GET /api/v2/transactions/{id}",
      "GET /api/v2/users",
      "PATCH /api/v2/transactions/{id}",
      "POST /api/v1/processes",
      "POST /api/v2/bankConnections/update",
      "POST /api/v2/oauth/revoke",
      "POST /api/v2/oauth/token",
      "POST /api/v2/transactions/{id}/restore",
      "POST /api/v2/transactions/{id}/split",
      "POST /api/v2/users",
    ]);
    expect(webForms.covered()).toEqual([
      "GET /api/tasks",
      "GET /api/tasks/{id}",
      "GET /api/webForms",
      "GET /api/webForms/{id}",
      "POST /api/tasks/backgroundUpdate",
      "POST /api/webForms/bankConnectionImport",
    ]);
  });
});
