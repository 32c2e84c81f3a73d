// Compile-time contract of @x/finapi, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each `@ts-expect-error` must meet a type error, and sits next to the same call written right.
// Whole clients are checked with assertType (assignable), their helpers with expectTypeOf (identical): expectTypeOf on
// a whole client type costs tsc about 150k type instantiations, seconds of every `pnpm test`.
import { ApiError, type CoreErrorCode, type XError } from "@x/core";
import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  createFinapiClient,
  isFinapiError,
  iterateTransactions,
  listAccounts,
  multiStepAuthenticationOf,
  type Account,
  type components,
  type MultiStepAuthentication,
  type TaskOutcome,
  type WebForm,
  type WebFormOutcome,
  type Paginated,
  type FinapiApiClient,
  type FinapiClient,
  type FinapiErrorCode,
  type FinapiProcess,
  type FinapiUserClient,
  type Transaction,
  type User,
  type UserCreateParams,
  type BankConnection,
  type WebFormTypes,
} from "../src/index.js";

/** The paths a method accepts (`Parameters` gives `never` for openapi-fetch's generic rest parameter). */
type PathOf<Method> = Method extends (path: infer P, ...init: never[]) => unknown ? P : "not a method";

const finapi = createFinapiClient({ clientId: "id", clientSecret: "secret", environment: "sandbox" });
const jane = finapi.forUser({ userId: "jane", password: "pw" });

describe("paths, parameters and bodies", () => {
  it("refuses a path or method the spec does not have", () => {
    jane.GET("/api/v2/accounts", {});
    // @ts-expect-error no such path (v1 paths are not in the spec)
    jane.GET("/api/v1/accounts", {});
    // @ts-expect-error accounts are read, not created
    jane.POST("/api/v2/accounts", {});
    expectTypeOf<"/api/v2/users" | "/api/v2/bankConnections/{id}">().toExtend<PathOf<typeof jane.DELETE>>();
    // @ts-expect-error there is no DELETE on the accounts' daily balances
    jane.DELETE("/api/v2/accounts/dailyBalances", {});
  });

  it("requires the path parameters", () => {
    const exchange = { params: { path: { processToken: "p" }, query: { invalidate: true } } };
    finapi.GET("/api/v1/processes/{processToken}", exchange);
    // @ts-expect-error no init, so no processToken
    finapi.GET("/api/v1/processes/{processToken}");
    // @ts-expect-error processToken missing
    finapi.GET("/api/v1/processes/{processToken}", { params: { path: {} } });
    // @ts-expect-error processToken is a string
    finapi.GET("/api/v1/processes/{processToken}", { params: { path: { processToken: 1 } } });
  });

  it("types the query", () => {
    jane.GET("/api/v2/accounts", { params: { query: { accountTypes: ["Checking"] } } });
    // @ts-expect-error Access V2 does not page accounts
    jane.GET("/api/v2/accounts", { params: { query: { perPage: 10 } } });
    // @ts-expect-error not an account type
    jane.GET("/api/v2/accounts", { params: { query: { accountTypes: ["Current"] } } });
    // @ts-expect-error finAPI's AccountType has no Pocket
    jane.GET("/api/v2/accounts", { params: { query: { accountTypes: ["Pocket"] } } });
    jane.GET("/api/v2/transactions", { params: { query: { view: "userView", page: 2 } } });
    // @ts-expect-error view is required by finAPI
    jane.GET("/api/v2/transactions", { params: { query: { page: 2 } } });
    // @ts-expect-error view is bankView or userView
    jane.GET("/api/v2/transactions", { params: { query: { view: "allView" } } });
    // @ts-expect-error ids are numbers
    jane.GET("/api/v2/accounts", { params: { query: { ids: ["1"] } } });
    const path = { processToken: "p" };
    // @ts-expect-error invalidate is a boolean
    finapi.GET("/api/v1/processes/{processToken}", { params: { path, query: { invalidate: 1 } } });
  });

  it("types the body", () => {
    finapi.POST("/api/v2/users", { body: { email: "jane@example.com" } });
    // @ts-expect-error no body
    finapi.POST("/api/v2/users", {});
    // @ts-expect-error isAutoUpdateEnabled is a boolean
    finapi.POST("/api/v2/users", { body: { isAutoUpdateEnabled: "yes" } });
  });

  it("types the data", () => {
    const created = finapi.unwrap(finapi.POST("/api/v2/users", { body: {} }));
    expectTypeOf(created).resolves.branded.toEqualTypeOf<User>();
  });

  it("a bank connection has the bank as an object, interfaces, owners and categorizationStatus; no bankId", () => {
    type BankConnection = components["schemas"]["BankConnection"];
    expectTypeOf<BankConnection>().not.toHaveProperty("bankId");
    expectTypeOf<BankConnection["bank"]["id"]>().toEqualTypeOf<number>();
    expectTypeOf<BankConnection>().toHaveProperty("interfaces");
    expectTypeOf<BankConnection>().toHaveProperty("owners");
    expectTypeOf<BankConnection["categorizationStatus"]>().toEqualTypeOf<"PENDING" | "IN_PROGRESS" | "READY">();
    // @ts-expect-error finAPI's AccountType has no Pocket
    assertType<Account["accountType"]>("Pocket");
  });

  it("an error's code is open in the spec: a code finAPI adds later still parses", () => {
    expectTypeOf<"A_CODE_FINAPI_ADDS_LATER">().toExtend<components["schemas"]["ErrorDetails"]["code"]>();
    expectTypeOf<"ENTITY_EXISTS" | "WEB_FORM_REQUIRED" | "TOO_MANY_IDS">().toExtend<FinapiErrorCode>();
  });
});

describe("helpers, and withOptions keeps them", () => {
  it("createUser, forUser, startProcess and openProcess are typed", () => {
    assertType<FinapiClient>(finapi);
    expectTypeOf(finapi.createUser).toEqualTypeOf<(params?: UserCreateParams) => Promise<User>>();
    expectTypeOf(finapi.forUser).toEqualTypeOf<(user: { userId: string; password: string }) => FinapiUserClient>();
    expectTypeOf(finapi.startProcess({ clientReference: "ref" })).resolves.toEqualTypeOf<FinapiProcess>();
    expectTypeOf(finapi.openProcess("token")).resolves.toEqualTypeOf<FinapiApiClient>();
    // @ts-expect-error the user's password is required
    finapi.forUser({ userId: "jane" });
    // @ts-expect-error the user id is `userId`
    finapi.forUser({ id: "jane", password: "pw" });
    // @ts-expect-error email is a string
    finapi.createUser({ email: 1 });
    // @ts-expect-error a process needs its clientReference
    finapi.startProcess({});
  });

  it("the user client has deleteUser and not the client-token helpers", () => {
    assertType<FinapiUserClient>(jane);
    expectTypeOf(jane.deleteUser).toEqualTypeOf<() => Promise<void>>();
    expectTypeOf(jane.importBankConnection).returns.resolves.toEqualTypeOf<WebForm>();
    expectTypeOf(jane.waitForWebForm).returns.resolves.toEqualTypeOf<WebFormOutcome>();
    expectTypeOf(jane.waitForTask).returns.resolves.toEqualTypeOf<TaskOutcome>();
    // @ts-expect-error a background update names its bank connection
    jane.updateBankConnection({});
    expectTypeOf(jane).not.toHaveProperty("forUser");
    expectTypeOf(jane).not.toHaveProperty("createUser");
    expectTypeOf(finapi).not.toHaveProperty("deleteUser");
  });

  it("withOptions keeps forUser and createUser (and deleteUser on a user client)", () => {
    const derived = finapi.withOptions({ timeoutMs: 1 });
    assertType<FinapiClient>(derived);
    expectTypeOf(derived.forUser).toEqualTypeOf(finapi.forUser);
    expectTypeOf(derived.createUser).toEqualTypeOf(finapi.createUser);
    expectTypeOf(derived.withOptions({ retry: false }).startProcess).toEqualTypeOf(finapi.startProcess);
    assertType<FinapiUserClient>(jane.withOptions({ idempotent: true }));
    const user = derived.forUser({ userId: "u", password: "p" }).withOptions({});
    assertType<FinapiUserClient>(user);
    expectTypeOf(user.deleteUser).returns.resolves.toBeVoid();
    // @ts-expect-error the derived client keeps the helpers' types
    derived.forUser({ userId: "jane" });
  });

  it("the iterators take any Access client and return core's Paginated of typed items", () => {
    const transactions = iterateTransactions(jane, { direction: "spending" });
    expectTypeOf(transactions).toEqualTypeOf<Paginated<Transaction>>();
    expectTypeOf(transactions.collect(10)).resolves.toEqualTypeOf<Transaction[]>();
    expectTypeOf(listAccounts(jane.withOptions({ timeoutMs: 1 }))).resolves.toEqualTypeOf<Account[]>();
    // @ts-expect-error not a direction
    iterateTransactions(jane, { direction: "outgoing" });
    // @ts-expect-error view is bankView or userView
    iterateTransactions(jane, { view: "allView" });
  });
});

describe("generated methods", () => {
  it("take the parameters by name, the body, and return the data; a paged list is core's Paginated", () => {
    expectTypeOf(jane.transactions.list({ view: "bankView" })).toEqualTypeOf<Paginated<Transaction>>();
    expectTypeOf(jane.transactions.get({ id: 1 })).resolves.toEqualTypeOf<Transaction>();
    expectTypeOf(jane.bankConnections.get({ id: 1 })).resolves.toEqualTypeOf<BankConnection>();
    expectTypeOf(jane.accounts.list()).resolves.toHaveProperty("accounts").toEqualTypeOf<Account[]>();
    expectTypeOf(finapi.users.create({ email: "jane@example.com" })).resolves.toEqualTypeOf<User>();
    expectTypeOf(jane.transactions.list({ view: "userView" }, { timeoutMs: 5_000 }).collect()).resolves.toEqualTypeOf<
      Transaction[]
    >();
    expectTypeOf(jane.transactions.split).parameter(1).toHaveProperty("subTransactions");
    // @ts-expect-error finAPI requires view
    jane.transactions.list({ perPage: 20 });
    // @ts-expect-error the page is the method's to ask
    jane.transactions.list({ view: "bankView", page: 2 });
    // @ts-expect-error the id is a number
    jane.transactions.get({ id: "1" });
    // @ts-expect-error no such method: a mistyped name is an error naming it
    jane.transactions.lst({ view: "bankView" });
    // @ts-expect-error isAutoUpdateEnabled is a boolean
    finapi.users.create({ isAutoUpdateEnabled: "yes" });
  });

  it("levels: the client token has the client-token methods, a user the user-token ones, both the unlevelled", () => {
    expectTypeOf(finapi.clientConfiguration.get()).resolves.toHaveProperty("isUserAutoVerificationEnabled");
    expectTypeOf(finapi.banks.list).toBeFunction();
    expectTypeOf(jane.banks.get).toBeFunction();
    // accounts.dailyBalances names no token in finAPI's description: it stays on both; accounts.list is the user's.
    expectTypeOf(finapi.accounts).not.toHaveProperty("list");
    expectTypeOf(finapi.accounts).toHaveProperty("dailyBalances");
    expectTypeOf<"clientConfiguration">().not.toExtend<keyof typeof jane>();
    // @ts-expect-error a user's transactions need the user's token
    finapi.transactions.list({ view: "bankView" });
    // @ts-expect-error creating a user takes the client token
    jane.users.create({});
    // @ts-expect-error the path style refuses it too
    finapi.GET("/api/v2/accounts", {});
    // @ts-expect-error the path style refuses it too
    jane.GET("/api/v2/clientConfiguration", {});
    jane.users.get();
    finapi.users.verificationStatus({ userId: "jane" });
  });

  it("withOptions keeps the methods; a process's client and the web form client have theirs", async () => {
    expectTypeOf(finapi.withOptions({ timeoutMs: 1 }).users.create).toEqualTypeOf(finapi.users.create);
    expectTypeOf(jane.withOptions({ retry: false }).transactions.list).toEqualTypeOf(jane.transactions.list);
    const { client } = await finapi.startProcess({ clientReference: "ref" });
    expectTypeOf(client.bankConnections.list).toEqualTypeOf(jane.bankConnections.list);
    expectTypeOf<"clientConfiguration">().not.toExtend<keyof typeof client>();
    expectTypeOf<"clientConfiguration">().toExtend<keyof typeof finapi>();
    const webForms = await jane.webForms();
    expectTypeOf(webForms.webForms.get({ id: "w" })).resolves.toEqualTypeOf<WebForm>();
    expectTypeOf(webForms.tasks.list()).toEqualTypeOf<Paginated<WebFormTypes.Task>>();
    // @ts-expect-error profiles take a mandator admin client's token, not the user's
    webForms.profiles.list();
  });
});

describe("errors narrow", () => {
  const caught: unknown = new Error("x");

  it("isFinapiError narrows to an XError of finapi with a finAPI or core code, as every provider's guard", () => {
    if (isFinapiError(caught, "ENTITY_EXISTS")) {
      expectTypeOf(caught.code).toEqualTypeOf<"ENTITY_EXISTS">();
      expectTypeOf(caught.provider).toEqualTypeOf<"finapi">();
      expectTypeOf(caught).toExtend<XError>();
    }
    if (isFinapiError(caught)) expectTypeOf(caught.code).toEqualTypeOf<FinapiErrorCode | CoreErrorCode | undefined>();
    if (isFinapiError(caught, "TIMEOUT")) expectTypeOf(caught.code).toEqualTypeOf<"TIMEOUT">();
    // The status is the class's: narrow with instanceof for it.
    if (isFinapiError(caught, "LOCKED") && caught instanceof ApiError) {
      expectTypeOf(caught.status).toEqualTypeOf<number>();
    }
    // @ts-expect-error not a published finAPI code (a later one is still kept in error.code at runtime)
    isFinapiError(caught, "NOT_A_CODE");
    if (caught instanceof ApiError) expectTypeOf(caught.status).toEqualTypeOf<number>();
  });

  it("a 510's challenge is typed", () => {
    expectTypeOf(multiStepAuthenticationOf(caught)).toEqualTypeOf<MultiStepAuthentication | undefined>();
    expectTypeOf<MultiStepAuthentication["status"]>().toExtend<string>();
  });
});
