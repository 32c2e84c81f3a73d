// Compile-time contract of @x/saltedge, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each `@ts-expect-error` must meet a type error, and sits next to the same call written right.
// Whole clients are checked with assertType (assignable), their helpers with expectTypeOf (identical): expectTypeOf on
// a whole client type costs tsc about 150k type instantiations, seconds of every `pnpm test`.
import { ApiError, AuthenticationError, ConfigurationError, type CoreErrorCode, type XError } from "@x/core";
import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  createSaltEdgeClient,
  isSaltEdgeError,
  isSaltEdgeErrorBody,
  type components,
  type Paginated,
  type SaltEdgeClient,
  type SaltEdgeCustomerClient,
  type SaltEdgeErrorBody,
  type SaltEdgeErrorCode,
  type SaltEdgeLoginClient,
  type Transaction,
  verifyCallback,
} from "../../src/v3/index.js";

type Schemas = components["schemas"];
/** The paths a method accepts (`Parameters` gives `never` for openapi-fetch's generic rest parameter). */
type PathOf<Method> = Method extends (path: infer P, ...init: never[]) => unknown ? P : "not a method";

const app = createSaltEdgeClient({ clientId: "id", appSecret: "secret" });
const customer = app.forCustomer("customer-secret");
const login = customer.forLogin("login-secret");
const tokenBody = { data: { fetch_type: "recent" as const } };
const loginBody = { data: { country_code: "XF", provider_code: "fakebank_simple_xf", credentials: { login: "u" } } };

describe("levels", () => {
  it("forCustomer and forLogin step one level up, and only from the level below", () => {
    assertType<SaltEdgeClient>(app);
    assertType<SaltEdgeCustomerClient>(customer);
    assertType<SaltEdgeLoginClient>(login);
    expectTypeOf(app.level).toEqualTypeOf<"app">();
    expectTypeOf(customer.level).toEqualTypeOf<"customer">();
    expectTypeOf(login.level).toEqualTypeOf<"login">();
    expectTypeOf(app).not.toHaveProperty("forLogin");
    expectTypeOf(customer).not.toHaveProperty("forCustomer");
    expectTypeOf(login).not.toHaveProperty("forLogin");
  });

  it("an app-level client refuses customer-level and login-level calls", () => {
    app.GET("/customers", {});
    app.POST("/customers", { body: { data: { identifier: "user-1" } } });
    // @ts-expect-error POST /tokens/create needs Customer-secret
    app.POST("/tokens/create", { body: tokenBody });
    // @ts-expect-error POST /login needs Customer-secret
    app.POST("/login", { body: loginBody });
    // @ts-expect-error GET /accounts needs Login-secret
    app.GET("/accounts", {});
    type AppGets = "/countries" | "/providers" | "/providers/{provider_code}" | "/customers";
    expectTypeOf<PathOf<typeof app.GET>>().toEqualTypeOf<AppGets>();
  });

  it("a customer-level client refuses login-level calls and keeps the app-level ones", () => {
    customer.POST("/tokens/create", { body: tokenBody });
    customer.POST("/login", { body: loginBody });
    customer.GET("/customers", {});
    // @ts-expect-error GET /accounts needs Login-secret
    customer.GET("/accounts", {});
    // @ts-expect-error GET /transactions needs Login-secret
    customer.GET("/transactions", { params: { query: { account_id: "1" } } });
    // @ts-expect-error GET /login (same path as the customer-level POST) needs Login-secret
    customer.GET("/login", {});
    // @ts-expect-error POST /tokens/refresh needs Login-secret
    customer.POST("/tokens/refresh", { body: tokenBody });
    // @ts-expect-error PUT /login/reconnect needs Login-secret
    customer.PUT("/login/reconnect", {});
  });

  it("a login-level client calls every level", () => {
    login.GET("/accounts", {});
    login.GET("/login", {});
    login.POST("/tokens/create", { body: tokenBody });
    login.GET("/customers", {});
  });

  it("paginate offers only the list operations of the client's level", () => {
    expectTypeOf(app.paginate("/customers")).toEqualTypeOf<Paginated<Schemas["CustomerSummary"]>>();
    // @ts-expect-error /accounts is a login-level list
    app.paginate("/accounts");
    // @ts-expect-error /transactions is a login-level list
    customer.paginate("/transactions", { account_id: "1" });
    // @ts-expect-error not a list
    login.paginate("/login");
    const transactions = login.paginate("/transactions", { account_id: "1" });
    expectTypeOf(transactions).toEqualTypeOf<Paginated<Schemas["Transaction"]>>();
    expectTypeOf(login.paginate("/accounts")).toEqualTypeOf<Paginated<Schemas["Account"]>>();
    // @ts-expect-error account_id is a string
    login.paginate("/transactions", { account_id: 1 });
  });
});

describe("withOptions keeps the level and its helpers", () => {
  it("each level's withOptions returns the same level", () => {
    assertType<SaltEdgeClient>(app.withOptions({ timeoutMs: 1 }));
    assertType<SaltEdgeCustomerClient>(customer.withOptions({ timeoutMs: 1 }));
    assertType<SaltEdgeLoginClient>(login.withOptions({ timeoutMs: 1 }));
    expectTypeOf(app.withOptions({ timeoutMs: 1 }).level).toEqualTypeOf<"app">();
    expectTypeOf(customer.withOptions({ timeoutMs: 1 }).level).toEqualTypeOf<"customer">();
    expectTypeOf(login.withOptions({ timeoutMs: 1 }).level).toEqualTypeOf<"login">();
  });

  it("forCustomer and forLogin survive withOptions", () => {
    const derived = app.withOptions({ timeoutMs: 1 });
    expectTypeOf(derived.forCustomer).toEqualTypeOf<(customerSecret: string) => SaltEdgeCustomerClient>();
    const deeper = derived.forCustomer("s").withOptions({ retry: false }).forLogin("l");
    assertType<SaltEdgeLoginClient>(deeper);
  });

  it("the level typing survives withOptions", () => {
    // @ts-expect-error still a customer-level client
    customer.withOptions({ timeoutMs: 1 }).GET("/accounts", {});
    // @ts-expect-error still an app-level client
    app.withOptions({ headers: { a: "b" } }).POST("/login", { body: loginBody });
    // @ts-expect-error still an app-level client
    app.withOptions({ timeoutMs: 1 }).paginate("/transactions");
  });
});

describe("paths, parameters and bodies", () => {
  it("refuses a path the spec does not have", () => {
    // @ts-expect-error no such path (v3 has /customers, not /customer)
    app.GET("/customer", {});
    // @ts-expect-error no such path
    login.GET("/account", {});
  });

  it("requires the path parameters", () => {
    app.DELETE("/customers/{customer_id}", { params: { path: { customer_id: "c1" } } });
    // @ts-expect-error customer_id missing
    app.DELETE("/customers/{customer_id}", { params: { path: {} } });
    // @ts-expect-error no init, so no customer_id
    app.DELETE("/customers/{customer_id}");
    // @ts-expect-error a parameter named otherwise
    login.GET("/attempts/{attempt_id}", { params: { path: { id: "a1" } } });
    // @ts-expect-error attempt_id is a string
    login.GET("/attempts/{attempt_id}", { params: { path: { attempt_id: 1 } } });
  });

  it("types the body", () => {
    // @ts-expect-error the body is wrapped in `data`
    app.POST("/customers", { body: { identifier: "user-1" } });
    // @ts-expect-error identifier is a string
    app.POST("/customers", { body: { data: { identifier: 1 } } });
    // @ts-expect-error no body
    app.POST("/customers", {});
    // @ts-expect-error fetch_type is "recent" or "full"
    customer.POST("/tokens/create", { body: { data: { fetch_type: "all" } } });
    // @ts-expect-error credentials missing
    customer.POST("/login", { body: { data: { country_code: "XF", provider_code: "fakebank_simple_xf" } } });
  });

  it("types the data", () => {
    const created = app.unwrap(app.POST("/customers", { body: { data: { identifier: "user-1" } } }));
    // `branded`: openapi-fetch flattens the schema's intersections, which are the same type written otherwise.
    expectTypeOf(created).resolves.branded.toEqualTypeOf<{ data: Schemas["Customer"] }>();
    expectTypeOf(created).resolves.toHaveProperty("data").toHaveProperty("secret").toBeString();
  });
});

describe("errors narrow", () => {
  const caught: unknown = new Error("x");

  it("isSaltEdgeError narrows to an XError of saltedge with the class as code, as every provider's guard", () => {
    if (isSaltEdgeError(caught, "CustomerNotFound")) {
      expectTypeOf(caught.code).toEqualTypeOf<"CustomerNotFound">();
      expectTypeOf(caught.provider).toEqualTypeOf<"saltedge">();
      expectTypeOf(caught).toExtend<XError>();
      // The status is the class's: narrow with instanceof for it.
      if (caught instanceof AuthenticationError) expectTypeOf(caught.status).toEqualTypeOf<number | undefined>();
    }
    if (isSaltEdgeError(caught)) expectTypeOf(caught.code).toExtend<SaltEdgeErrorCode | CoreErrorCode | undefined>();
    if (isSaltEdgeError(caught, "LEVEL_MISSING")) expectTypeOf(caught.code).toEqualTypeOf<"LEVEL_MISSING">();
    if (caught instanceof ApiError) expectTypeOf(caught.status).toEqualTypeOf<number>();
    if (caught instanceof ConfigurationError) expectTypeOf(caught.option).toEqualTypeOf<string | undefined>();
  });

  it("isSaltEdgeErrorBody narrows an error body", () => {
    const body: unknown = {};
    if (isSaltEdgeErrorBody(body)) {
      expectTypeOf(body).toEqualTypeOf<SaltEdgeErrorBody>();
      expectTypeOf(body.error_message).toBeString();
    }
  });
});

describe("generated methods by level", () => {
  it("offers each level only its methods, without the data envelope", () => {
    expectTypeOf(app.customers.create({ identifier: "u1" })).resolves.toEqualTypeOf<Schemas["Customer"]>();
    expectTypeOf(login.transactions.list({ account_id: "1" })).toEqualTypeOf<Paginated<Transaction>>();
    expectTypeOf(customer.login.create(loginBody.data)).resolves.toEqualTypeOf<Schemas["Login"]>();
    expectTypeOf(login.login.refresh).parameter(0).toEqualTypeOf<{ fetch_type?: Schemas["FetchType"] } | undefined>();
    // @ts-expect-error accounts are the login level's: an app-level client has no such tag
    app.accounts.list();
    // @ts-expect-error showing a login needs its Login-secret
    customer.login.show();
    // @ts-expect-error a mistyped method name is an error naming it
    login.transactions.lst();
    expectTypeOf(customer.withOptions({ timeoutMs: 1 }).tokens.create).toEqualTypeOf(customer.tokens.create);
    expectTypeOf(login.customers.list().collect()).resolves.toEqualTypeOf<Schemas["CustomerSummary"][]>();
  });

  it("narrows a callback by the kind of its URL, and keeps the untold payload without one", async () => {
    const event = await verifyCallback({ kind: "fail" as "fail" | "notify", url: "u", body: "b", signature: "s" }, "k");
    if (event.kind === "fail") expectTypeOf(event.data.error_class).toEqualTypeOf<string>();
    // @ts-expect-error only a fail callback is sure to carry error_class
    event.data.error_class;
    const payload = await verifyCallback({ url: "u", body: "b", signature: undefined }, "k");
    expectTypeOf(payload).toEqualTypeOf<Schemas["LoginCallback"] | Schemas["FailCallback"]>();
    // @ts-expect-error not a kind of v3 callback
    await verifyCallback({ kind: "destroy", url: "u", body: "b", signature: "s" }, "k");
  });
});
