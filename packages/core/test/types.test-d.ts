// Compile-time contract of createProviderClient, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each `@ts-expect-error` must meet a type error, and sits next to the same call written right.
// Whole clients are checked with assertType (assignable), their helpers with expectTypeOf (identical): expectTypeOf on
// a whole client type costs tsc about 150k type instantiations, seconds of every `pnpm test`.
import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  AbortError,
  ApiError,
  AuthenticationError,
  ConfigurationError,
  createProviderClient,
  NetworkError,
  TimeoutError,
  XError,
  type ProviderClient,
} from "../src/index.js";

interface Invoice {
  id: string;
  amount: number;
}

// The shape openapi-typescript emits, cut down to two paths.
interface paths {
  "/invoices": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: { limit?: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": Invoice[] } } };
    };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": { amount: number; currency: "EUR" | "USD" } } };
      responses: { 201: { headers: { [name: string]: unknown }; content: { "application/json": Invoice } } };
    };
  };
  "/invoices/{id}": {
    parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": Invoice } } };
    };
  };
}

/** The paths a method accepts (`Parameters` gives `never` for openapi-fetch's generic rest parameter). */
type PathOf<Method> = Method extends (path: infer P, ...init: never[]) => unknown ? P : "not a method";

const client = createProviderClient<paths>({ provider: "ledgerly", baseUrl: "https://api.ledgerly.example" });

describe("createProviderClient<paths>", () => {
  it("returns a ProviderClient over the given paths", () => {
    assertType<ProviderClient<paths>>(client);
  });

  it("refuses a path the spec does not have", () => {
    expectTypeOf<PathOf<typeof client.GET>>().toEqualTypeOf<"/invoices" | "/invoices/{id}">();
    expectTypeOf<PathOf<typeof client.POST>>().toEqualTypeOf<"/invoices">();
    expectTypeOf<PathOf<typeof client.DELETE>>().toBeNever();
    client.GET("/invoices", {});
    // @ts-expect-error no such path
    client.GET("/invoice", {});
    // @ts-expect-error the path exists, but not for this method
    client.DELETE("/invoices", {});
  });

  it("requires the path parameters, with their types", () => {
    client.GET("/invoices/{id}", { params: { path: { id: "inv_1" } } });
    // @ts-expect-error no init, so no `id`
    client.GET("/invoices/{id}");
    // @ts-expect-error `id` missing
    client.GET("/invoices/{id}", { params: { path: {} } });
    // @ts-expect-error `id` is a string
    client.GET("/invoices/{id}", { params: { path: { id: 1 } } });
    // @ts-expect-error a parameter named otherwise
    client.GET("/invoices/{id}", { params: { path: { invoiceId: "inv_1" } } });
  });

  it("types the query", () => {
    client.GET("/invoices", { params: { query: { limit: 10 } } });
    // @ts-expect-error `limit` is a number
    client.GET("/invoices", { params: { query: { limit: "10" } } });
  });

  it("requires the body, with its types", () => {
    client.POST("/invoices", { body: { amount: 10, currency: "EUR" } });
    // @ts-expect-error no body
    client.POST("/invoices", {});
    // @ts-expect-error `currency` missing
    client.POST("/invoices", { body: { amount: 10 } });
    // @ts-expect-error `amount` is a number
    client.POST("/invoices", { body: { amount: "10", currency: "EUR" } });
    // @ts-expect-error not one of the currencies
    client.POST("/invoices", { body: { amount: 10, currency: "GBP" } });
    // @ts-expect-error a GET has no body
    client.GET("/invoices", { body: { amount: 10, currency: "EUR" } });
  });

  it("types the data, and unwrap returns it", () => {
    const one = client.GET("/invoices/{id}", { params: { path: { id: "a" } } });
    expectTypeOf(one).resolves.toHaveProperty("data").toEqualTypeOf<Invoice | undefined>();
    expectTypeOf(client.unwrap(one)).resolves.toEqualTypeOf<Invoice>();
    expectTypeOf(client.unwrap(client.GET("/invoices"))).resolves.toEqualTypeOf<Invoice[]>();
    const created = client.POST("/invoices", { body: { amount: 1, currency: "USD" } });
    expectTypeOf(client.unwrap(created)).resolves.toEqualTypeOf<Invoice>();
  });
});

describe("extend and withOptions", () => {
  interface Helpers {
    listInvoices(): Promise<Invoice[]>;
  }
  const extended = createProviderClient<paths, Helpers>({
    provider: "ledgerly",
    baseUrl: "https://api.ledgerly.example",
    extend: (self) => ({ listInvoices: () => self.unwrap(self.GET("/invoices")) }),
  });

  it("adds the helpers, and withOptions keeps them and the paths", () => {
    expectTypeOf(extended.listInvoices).toEqualTypeOf<() => Promise<Invoice[]>>();
    const derived = extended.withOptions({ timeoutMs: 5_000, retry: false, headers: { "x-a": "b" }, idempotent: true });
    assertType<ProviderClient<paths, Helpers>>(derived);
    expectTypeOf(derived.listInvoices).toEqualTypeOf<() => Promise<Invoice[]>>();
    expectTypeOf(derived.withOptions({}).withOptions({}).listInvoices).returns.resolves.toEqualTypeOf<Invoice[]>();
    // @ts-expect-error the derived client keeps the path checks
    derived.GET("/invoice", {});
  });

  it("withOptions takes only the per-call overrides", () => {
    // @ts-expect-error the provider is fixed at creation
    client.withOptions({ provider: "other" });
    // @ts-expect-error timeoutMs is a number
    client.withOptions({ timeoutMs: "5s" });
  });

  it("extend must return the declared helpers", () => {
    createProviderClient<paths, Helpers>({
      provider: "ledgerly",
      baseUrl: "https://api.ledgerly.example",
      // @ts-expect-error listInvoices missing
      extend: () => ({}),
    });
  });
});

describe("error classes narrow", () => {
  const caught: unknown = new Error("x");

  it("ApiError: status, requestId, body, code, provider", () => {
    if (caught instanceof ApiError) {
      expectTypeOf(caught.status).toEqualTypeOf<number>();
      expectTypeOf(caught.requestId).toEqualTypeOf<string | undefined>();
      expectTypeOf(caught.body).toBeUnknown();
      expectTypeOf(caught.code).toEqualTypeOf<string | undefined>();
      expectTypeOf(caught.provider).toEqualTypeOf<string | undefined>();
      expectTypeOf(caught).toExtend<XError>();
    }
  });

  it("AuthenticationError: an optional status", () => {
    if (caught instanceof AuthenticationError) {
      expectTypeOf(caught.status).toEqualTypeOf<number | undefined>();
      expectTypeOf(caught.requestId).toEqualTypeOf<string | undefined>();
    }
  });

  it("ConfigurationError: option; TimeoutError: timeoutMs", () => {
    if (caught instanceof ConfigurationError) expectTypeOf(caught.option).toEqualTypeOf<string | undefined>();
    if (caught instanceof TimeoutError) expectTypeOf(caught.timeoutMs).toEqualTypeOf<number | undefined>();
  });

  it("XError alone has no HTTP fields", () => {
    if (caught instanceof XError) {
      expectTypeOf(caught.code).toEqualTypeOf<string | undefined>();
      // @ts-expect-error only ApiError and AuthenticationError carry a status
      void caught.status;
    }
    if (caught instanceof NetworkError || caught instanceof AbortError) {
      // @ts-expect-error no status on a request that got no answer
      void caught.status;
    }
  });
});
