import type { MethodPromise, Paginated } from "@x/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  createSaltEdgeClient,
  listTransactions,
  showCustomer,
  type Customer,
  type SaltEdgeClient,
  type Transaction,
} from "../src/mini.js";

declare const client: SaltEdgeClient;

describe("@x/saltedge/mini types", () => {
  it("is the v6 factory without methods or paginate", () => {
    expectTypeOf(createSaltEdgeClient({ appId: "a", secret: "s", privateKey: "pem" })).toEqualTypeOf<SaltEdgeClient>();
    // @ts-expect-error the mini client has no generated methods: call `showCustomer(client, ...)`
    client.customers.show({ customer_id: "1" });
    // @ts-expect-error nor `paginate`: `listTransactions(client, ...)` pages
    client.paginate("/transactions", { connection_id: "1" });
  });

  it("types each operation function as its method", () => {
    expectTypeOf(showCustomer(client, { customer_id: "1" })).toEqualTypeOf<MethodPromise<Customer>>();
    expectTypeOf(listTransactions(client, { connection_id: "1" })).toEqualTypeOf<Paginated<Transaction>>();
    // @ts-expect-error connection_id is required
    listTransactions(client, {});
  });
});
