import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iterateTransactions, listAccounts } from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi({ transactionsPerUser: 45 });
});
afterAll(() => env.close());

const demoUser = () => env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });
const requests = () => env.handle.stats().requests;

describe("iterateTransactions and listAccounts (on the generated methods)", () => {
  it("iterateTransactions yields every transaction once, asking page 1..pageCount", async () => {
    const user = demoUser();
    await user.unwrap(user.GET("/api/v2/users"));
    const before = requests();
    const ids: number[] = [];
    for await (const transaction of iterateTransactions(user, { perPage: 20 })) ids.push(transaction.id);
    expect(ids).toHaveLength(45);
    expect(new Set(ids).size).toBe(45);
    expect(requests() - before).toBe(3);
  });

  it("filters reach finAPI on every page", async () => {
    const user = demoUser();
    const amounts: number[] = [];
    for await (const transaction of iterateTransactions(user, { perPage: 5, direction: "income" }))
      amounts.push(transaction.amount);
    expect(amounts).toHaveLength(15);
    expect(amounts.every((a) => a > 0)).toBe(true);
  });

  it("breaking out of the loop stops fetching pages", async () => {
    const user = demoUser();
    await user.unwrap(user.GET("/api/v2/users"));
    const before = requests();
    let seen = 0;
    for await (const _ of iterateTransactions(user, { perPage: 10 })) if (++seen === 10) break;
    expect(requests() - before).toBe(1);
  });

  it("listAccounts reads every account in one request: Access V2 answers { accounts } with no paging", async () => {
    const user = demoUser();
    await user.unwrap(user.GET("/api/v2/users"));
    const before = requests();
    const accounts = await listAccounts(user);
    expect(accounts.map((a) => a.accountType)).toEqual(["Checking", "Savings"]);
    expect(requests() - before).toBe(1);
    expect(await listAccounts(user, { accountTypes: ["Savings"] })).toEqual([accounts[1]]);
  });

  it("is core's Paginated: pages() gives each page, collect(max) stops fetching once it has enough", async () => {
    const user = demoUser();
    await user.unwrap(user.GET("/api/v2/users"));
    const sizes: number[] = [];
    for await (const page of iterateTransactions(user, { perPage: 20 }).pages()) sizes.push(page.length);
    expect(sizes).toEqual([20, 20, 5]);
    const before = requests();
    expect(await iterateTransactions(user, { perPage: 20 }).collect(25)).toHaveLength(25);
    expect(requests() - before).toBe(2);
  });
});
