import { assertType, describe, expectTypeOf, it } from "vitest";
import type { MethodPromise, Paginated } from "@x/core";
import {
  createSaltEdgeClient,
  verifyCallback,
  type ConnectSession,
  type Customer,
  type SaltEdgeCallbackEvent,
  type SaltEdgeClient,
  type Transaction,
  type components,
} from "../src/index.js";

declare const client: SaltEdgeClient;

describe("v6 types", () => {
  it("needs appId, secret and privateKey, and no v3 credentials", () => {
    assertType<SaltEdgeClient>(createSaltEdgeClient({ appId: "a", secret: "s", privateKey: "pem" }));
    // @ts-expect-error privateKey is required: v6 signs every request
    createSaltEdgeClient({ appId: "a", secret: "s" });
    // @ts-expect-error clientId/appSecret are the v3 entry's
    createSaltEdgeClient({ clientId: "a", appSecret: "s", privateKey: "pem" });
  });

  it("types bodies and answers of the v6 operations", async () => {
    const { data } = await client.unwrap(
      client.POST("/connections/connect", {
        body: { data: { customer_id: "1", consent: { scopes: ["accounts"] } } },
      }),
    );
    expectTypeOf(data.connect_url).toEqualTypeOf<string>();
    // @ts-expect-error consent is required by a connect session
    client.POST("/connections/connect", { body: { data: { customer_id: "1" } } });
    // @ts-expect-error v6 has no /login
    client.GET("/login");
  });

  it("paginates list operations with their item type", () => {
    expectTypeOf(client.paginate("/transactions", { connection_id: "1" }).collect()).resolves.toEqualTypeOf<
      components["schemas"]["Transaction"][]
    >();
    // @ts-expect-error connection_id is required
    client.paginate("/accounts", {});
  });

  it("narrows a verified callback by kind", async () => {
    const event = await verifyCallback({ kind: "fail", url: "u", body: "b", signature: "s" }, "pem");
    expectTypeOf(event.data.error_class).toEqualTypeOf<string>();
    const any = {} as SaltEdgeCallbackEvent;
    if (any.kind === "success") expectTypeOf(any.data.stage).toEqualTypeOf<string>();
  });

  it("gives a method per operation, without Salt Edge's data envelope", () => {
    expectTypeOf(client.customers.create({ identifier: "u1" })).toEqualTypeOf<MethodPromise<Customer>>();
    expectTypeOf<Customer>().toEqualTypeOf<components["schemas"]["Customer"]>();
    expectTypeOf(client.connections.connect({ customer_id: "1", consent: { scopes: ["accounts"] } })).toEqualTypeOf<
      MethodPromise<ConnectSession>
    >();
    expectTypeOf(client.connections.refresh).parameter(0).toEqualTypeOf<{ connection_id: string }>();
    // @ts-expect-error the body is the customer itself, not { data: ... }
    client.customers.create({ data: { identifier: "u1" } });
    // @ts-expect-error consent is required by a connect session
    client.connections.connect({ customer_id: "1" });
    // @ts-expect-error a mistyped method name is an error naming it
    client.customers.creat({ identifier: "u1" });
    // @ts-expect-error no such tag
    client.transaction.list({ connection_id: "1" });
  });

  it("returns every item of a paged list, from_id handled by the pager", () => {
    expectTypeOf(client.transactions.list({ connection_id: "1", pending: true })).toEqualTypeOf<
      Paginated<Transaction>
    >();
    // @ts-expect-error connection_id is required
    client.accounts.list({});
    // @ts-expect-error from_id is the pager's
    client.transactions.list({ connection_id: "1", from_id: "2" });
  });

  it("keeps the methods on withOptions", () => {
    expectTypeOf(client.withOptions({ timeoutMs: 1 }).customers.show({ customer_id: "1" })).toEqualTypeOf<
      MethodPromise<Customer>
    >();
  });

  it("narrows a callback's data by the kind in a switch", async () => {
    const event = await verifyCallback(
      { kind: "success" as "success" | "fail" | "destroy", url: "u", body: "b", signature: ["s"] },
      "pem",
    );
    switch (event.kind) {
      case "fail":
        expectTypeOf(event.data.error_class).toEqualTypeOf<string>();
        break;
      case "destroy":
        // @ts-expect-error a destroy callback has no stage
        event.data.stage;
        break;
      default:
        expectTypeOf(event.data.stage).toEqualTypeOf<string>();
    }
  });
});
