import { json, startEmulator, startTestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSaltEdgeClient } from "../../src/v3/index.js";
import { loginOnSandbox, sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

let sandbox: SaltEdgeEmulator;
beforeAll(async () => {
  sandbox = await startEmulator("saltedge-v3", { pageSize: 10 });
});
afterAll(() => sandbox.close());

describe("paginate", () => {
  it("follows meta.next_id through every page of an account's transactions, one request per page", async () => {
    const { loginClient } = await loginOnSandbox(sandbox);
    const accounts = await loginClient.paginate("/accounts").collect();
    expect(accounts).toHaveLength(2);
    const account = accounts[0]!;
    const before = sandbox.handle.stats().requests;

    const transactions = await loginClient.paginate("/transactions", { account_id: account.id }).collect();

    // 22 posted transactions per account in the emulator: pages of 10, 10 and 2.
    expect(transactions).toHaveLength(22);
    expect(new Set(transactions.map((t) => t.id)).size).toBe(22);
    expect(transactions.every((t) => t.account_id === account.id && t.status === "posted")).toBe(true);
    expect(transactions.some((t) => t.description.includes("東京"))).toBe(true);
    expect(sandbox.handle.stats().requests - before).toBe(3);
  });

  it("is lazy: breaking out of for-await fetches no further page", async () => {
    const { loginClient } = await loginOnSandbox(sandbox);
    const before = sandbox.handle.stats().requests;
    const seen: string[] = [];
    for await (const tx of loginClient.paginate("/transactions")) {
      seen.push(tx.id);
      if (seen.length === 3) break;
    }
    expect(sandbox.handle.stats().requests - before).toBe(1);
    const pages: number[] = [];
    for await (const page of loginClient.paginate("/transactions/pending").pages()) pages.push(page.length);
    expect(pages).toEqual([6]);
  });

  it("pages app-level lists too, and a failed page throws the typed ApiError", async () => {
    const app = sandboxClient(sandbox);
    const providers = await app.paginate("/providers", { country_code: "XF" }).collect();
    expect(providers.length).toBeGreaterThan(10);
    const { loginClient } = await loginOnSandbox(sandbox);
    await expect(loginClient.paginate("/transactions", { account_id: "nope" }).collect()).rejects.toMatchObject({
      name: "ApiError",
      status: 404,
      code: "AccountNotFound",
    });
  });

  it("stops with an error when the provider repeats a cursor instead of looping", async () => {
    const server = await startTestServer((_req, res) =>
      json(res, 200, { data: [{ id: "1" }], meta: { next_id: "1", next_page: "/x" } }),
    );
    try {
      const client = createSaltEdgeClient({ clientId: "c", appSecret: "s", baseUrl: server.url });
      await expect(client.paginate("/customers").collect()).rejects.toMatchObject({
        name: "PaginationError",
        provider: "saltedge",
        code: "PAGINATION_STUCK",
      });
      expect(server.requests.map((r) => r.url)).toEqual(["/customers", "/customers?from_id=1"]);
    } finally {
      await server.close();
    }
  });
});
