import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  createSaltEdgeClient,
  verifyCallback,
  type SaltEdgeCallbackEvent,
  type SaltEdgeClient,
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
});
