import { ApiError, ConfigurationError } from "@x/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFinapiClient,
  isFinapiError,
  iterateTransactions,
  listAccounts,
  multiStepAuthenticationOf,
  type FinapiUserClient,
} from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi({ transactionsPerUser: 30 });
});
afterAll(() => env.close());

const fast = { intervalMs: 5, timeoutMs: 5_000 };
const credentials = () => ({ clientId: env.credentials.clientId, clientSecret: env.credentials.clientSecret });

/** What the user's browser does: open the web form's page, then press one of its buttons. */
async function completeInBrowser(url: string, outcome = "COMPLETED"): Promise<void> {
  const page = await fetch(url);
  expect(page.headers.get("content-type")).toContain("text/html");
  await page.text();
  const sent = await fetch(url, { method: "POST", body: new URLSearchParams({ outcome }) });
  expect(sent.status).toBe(200);
  await sent.text();
}

async function newUser(id: string): Promise<FinapiUserClient> {
  const client = env.client();
  const created = await client.createUser({ id, password: "password-1" });
  return client.forUser({ userId: created.id, password: created.password });
}

describe("import through Web Form 2.0", () => {
  it("user -> web form URL -> completed in the browser -> typed outcome -> accounts -> transactions", async () => {
    const user = await newUser("web-form-user");
    expect(await listAccounts(user)).toEqual([]);
    const webForm = await user.importBankConnection({ bankConnectionName: "Girokonto" });
    expect(webForm).toMatchObject({ type: "BANK_CONNECTION_IMPORT", status: "NOT_YET_OPENED" });
    expect(webForm.url).toBe(`${env.url}/webForm/${webForm.id}`);
    const waiting = user.waitForWebForm(webForm.id, fast);
    await completeInBrowser(webForm.url);
    const outcome = await waiting;
    expect(outcome.status).toBe("COMPLETED");
    if (outcome.status !== "COMPLETED") return;
    expect(outcome.bankConnectionId).toEqual(expect.any(Number));
    const accounts = await listAccounts(user);
    expect(accounts.map((a) => a.bankConnectionId)).toEqual([outcome.bankConnectionId, outcome.bankConnectionId]);
    const pages: number[] = [];
    for await (const page of iterateTransactions(user, { perPage: 20 }).pages()) pages.push(page.length);
    expect(pages).toEqual([20, 10]);
    await user.deleteUser();
  });

  it("a form the user cancels or that fails is a typed outcome, not an exception", async () => {
    const user = await newUser("web-form-cancel");
    for (const [sent, expected] of [
      ["ABORTED", { status: "ABORTED" }],
      ["COMPLETED_WITH_ERROR", { status: "COMPLETED_WITH_ERROR", errorCode: "BANK_SERVER_REJECTION" }],
    ] as const) {
      const webForm = await user.importBankConnection();
      await completeInBrowser(webForm.url, sent);
      expect(await user.waitForWebForm(webForm.id, fast)).toMatchObject(expected);
    }
    expect(await listAccounts(user)).toEqual([]);
  });

  it("a form nobody completes ends in WAIT_TIMEOUT after timeoutMs, and an abort stops the wait", async () => {
    const user = await newUser("web-form-timeout");
    const webForm = await user.importBankConnection();
    const error = await user.waitForWebForm(webForm.id, { intervalMs: 10, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(isFinapiError(error, "WAIT_TIMEOUT")).toBe(true);
    const aborted = user.waitForWebForm(webForm.id, { intervalMs: 10_000, signal: AbortSignal.timeout(30) });
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
  });

  it("an unknown web form is Web Form 2.0's NOT_FOUND", async () => {
    const user = await newUser("web-form-404");
    const error = await user.waitForWebForm("00000000-0000-0000-0000-000000000000", fast).catch((e: unknown) => e);
    expect(isFinapiError(error, "NOT_FOUND")).toBe(true);
    expect((error as ApiError).status).toBe(404);
  });
});

describe("background update task", () => {
  it("an update task runs to COMPLETED", async () => {
    const user = env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    const { connections } = await user.unwrap(user.GET("/api/v2/bankConnections"));
    const task = await user.updateBankConnection({ bankConnectionId: connections[0]!.id, importNewAccountsMode: null });
    expect(task.status).toBe("NOT_YET_STARTED");
    expect(await user.waitForTask(task.id, fast)).toMatchObject({
      status: "COMPLETED",
      bankConnectionId: connections[0]!.id,
    });
  });

  it("a bank that wants the user ends the task in WEB_FORM_REQUIRED with the form to open", async () => {
    const user = env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    const { connections } = await user.unwrap(user.GET("/api/v2/bankConnections"));
    env.handle.control.requireWebFormOnUpdate(true);
    try {
      const task = await user.updateBankConnection({
        bankConnectionId: connections[0]!.id,
        importNewAccountsMode: null,
      });
      const outcome = await user.waitForTask(task.id, fast);
      expect(outcome.status).toBe("WEB_FORM_REQUIRED");
      if (outcome.status !== "WEB_FORM_REQUIRED" || !outcome.webForm) throw new Error("no web form");
      await completeInBrowser(outcome.webForm.url);
      expect(await user.waitForWebForm(outcome.webForm.id, fast)).toMatchObject({ status: "COMPLETED" });
      expect(await user.waitForTask(task.id, fast)).toMatchObject({ status: "COMPLETED" });
    } finally {
      env.handle.control.requireWebFormOnUpdate(false);
    }
  });

  it("a busy user's update is refused with 423 LOCKED", async () => {
    const user = env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    const { connections } = await user.unwrap(user.GET("/api/v2/bankConnections"));
    env.handle.control.setUserBusy(env.credentials.userId, true);
    try {
      const update = user.updateBankConnection({ bankConnectionId: connections[0]!.id, importNewAccountsMode: null });
      const error = await update.catch((e: unknown) => e);
      expect(isFinapiError(error, "LOCKED")).toBe(true);
      expect((error as ApiError).status).toBe(423);
    } finally {
      env.handle.control.setUserBusy(env.credentials.userId, false);
    }
  });
});

describe("HTTP 510: the bank asks for more authentication", () => {
  it("multiStepAuthenticationOf gives the typed challenge, and the call succeeds once answered", async () => {
    const user = env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    const { connections } = await user.unwrap(user.GET("/api/v2/bankConnections"));
    const body = { bankConnectionId: connections[0]!.id, bankingInterface: "XS2A" as const };
    env.handle.control.requireMultiStepAuthentication(true);
    try {
      const error = await user.unwrap(user.POST("/api/v2/bankConnections/update", { body })).catch((e: unknown) => e);
      expect(isFinapiError(error, "ADDITIONAL_AUTHENTICATION_REQUIRED")).toBe(true);
      const challenge = multiStepAuthenticationOf(error);
      expect(challenge).toMatchObject({ status: "CHALLENGE_RESPONSE_REQUIRED", answerFieldLabel: "TAN" });
      const multiStepAuthentication = { hash: challenge!.hash, challengeResponse: "123456" };
      const updated = await user.unwrap(
        user.POST("/api/v2/bankConnections/update", { body: { ...body, multiStepAuthentication } }),
      );
      expect(updated.id).toBe(connections[0]!.id);
      expect(multiStepAuthenticationOf(new Error("other"))).toBeUndefined();
    } finally {
      env.handle.control.requireMultiStepAuthentication(false);
    }
  });
});

describe("a custom Access host never sends credentials to finAPI's own hosts (issue 22)", () => {
  it("processes without processControllerUrl: a ConfigurationError naming it, before any request", async () => {
    const sent: string[] = [];
    const recording: typeof fetch = (input, init) => {
      sent.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    const client = createFinapiClient({ ...credentials(), accessUrl: env.url, fetch: recording });
    for (const call of [() => client.startProcess({ clientReference: "r" }), () => client.openProcess("token")]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe("processControllerUrl");
    }
    expect(sent).toEqual([]);
  });

  it("web forms without webFormUrl are a ConfigurationError naming it; Access calls still work", async () => {
    const client = createFinapiClient({ ...credentials(), accessUrl: env.url });
    const user = client.forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
    expect((await user.unwrap(user.GET("/api/v2/users"))).id).toBe(env.credentials.userId);
    const error = await user.importBankConnection().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe("webFormUrl");
  });

  it("with finAPI's own hosts (environment) nothing is required", async () => {
    const client = createFinapiClient({ clientId: "id", clientSecret: "secret", environment: "sandbox" });
    const webForms = await client.forUser({ userId: "u", password: "p" }).webForms();
    expect(webForms.baseUrl).toBe("https://webform-sandbox.finapi.io");
  });
});
