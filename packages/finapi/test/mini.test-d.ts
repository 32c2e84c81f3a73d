// Compile-time contract of @x/finapi/mini: its clients type no member they do not have at runtime (no methods, no
// one-operation helpers), and the operation functions and helpers take them. Nothing here runs.
import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  createFinapiClient,
  createUser,
  deleteUser,
  getAndSearchAllTransactions,
  getWebForm,
  iterateTransactions,
  listAccounts,
  type Account,
  type FinapiApiClient,
  type FinapiClient,
  type FinapiProcess,
  type FinapiUserClient,
  type FinapiWebFormClient,
  type Paginated,
  type Transaction,
  type User,
  type WebForm,
} from "../src/mini.js";

const finapi = createFinapiClient({ clientId: "id", clientSecret: "secret", environment: "sandbox" });
const jane = finapi.forUser({ userId: "jane", password: "pw" });

describe("@x/finapi/mini", () => {
  it("types the clients without methods or one-operation helpers", async () => {
    assertType<FinapiClient>(finapi);
    assertType<FinapiUserClient>(jane);
    // @ts-expect-error no methods on a mini client
    finapi.users.create({});
    // @ts-expect-error createUser is the function createUser(finapi, params)
    finapi.createUser({});
    // @ts-expect-error no methods on a mini user client
    jane.transactions.list({ view: "bankView" });
    // @ts-expect-error deleteUser is the function deleteUser(user)
    jane.deleteUser();
    const process = await finapi.startProcess({ clientReference: "ref" });
    assertType<FinapiProcess>(process);
    assertType<FinapiApiClient>(process.client);
    // @ts-expect-error no methods on a mini process client
    process.client.users.get();
    const webForms = await jane.webForms();
    assertType<FinapiWebFormClient>(webForms);
    // @ts-expect-error no methods on a mini web form client
    webForms.webForms.get({ id: "w" });
    expectTypeOf(getWebForm(webForms, { id: "w" })).resolves.toEqualTypeOf<WebForm>();
  });

  it("the operation functions and helpers take the mini clients", () => {
    expectTypeOf(createUser(finapi, {})).resolves.toEqualTypeOf<User>();
    expectTypeOf(getAndSearchAllTransactions(jane, { view: "bankView" })).toEqualTypeOf<Paginated<Transaction>>();
    expectTypeOf(iterateTransactions(jane)).toEqualTypeOf<Paginated<Transaction>>();
    expectTypeOf(listAccounts(jane.withOptions({ timeoutMs: 1 }))).resolves.toEqualTypeOf<Account[]>();
    expectTypeOf(deleteUser(jane)).resolves.toBeVoid();
  });
});
