// Compile-time contract of the generated methods (`OperationMethod`) and of path-style per-call options. The shapes
// below are what openapi-typescript and scripts/generate.mjs emit, cut down.
import { describe, expectTypeOf, it } from "vitest";
import {
  createProviderClient,
  type CallOptions,
  type MethodsAt,
  type OperationMethod,
  type Paginated,
  type PathsAt,
} from "../src/index.js";

interface Item {
  id: string;
  name: string;
}
type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };

interface operations {
  listItems: {
    parameters: { query?: { from_id?: string; kind?: "a" | "b" }; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<{ data: Item[]; meta: { next_id: string | null } }> };
  };
  showItem: {
    parameters: { query?: { expand?: boolean }; header?: never; path: { item_id: string }; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<{ data: Item }> };
  };
  createItem: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody: { content: { "application/json": { data: { name: string } } } };
    responses: { 201: Json<{ data: Item }> };
  };
  renameItem: {
    parameters: { query?: never; header?: never; path: { item_id: string }; cookie?: never };
    requestBody: { content: { "application/json": { data: { name: string } } } };
    responses: { 200: Json<{ data: Item }> };
  };
  removeItem: {
    parameters: { query?: never; header?: never; path: { item_id: string }; cookie?: never };
    requestBody?: never;
    responses: { 204: { headers: { [name: string]: unknown }; content?: never } };
  };
  ping: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<{ ok: boolean }> };
  };
}

interface Methods {
  items: {
    list: OperationMethod<operations["listItems"], { items: "data"; pageParam: "from_id" }>;
    show: OperationMethod<operations["showItem"], { envelope: "data" }>;
    create: OperationMethod<operations["createItem"], { envelope: "data" }>;
    rename: OperationMethod<operations["renameItem"], { envelope: "data" }>;
    remove: OperationMethod<operations["removeItem"], { envelope: "data" }>;
  };
  health: { ping: OperationMethod<operations["ping"]> };
}

const client = createProviderClient<{}, {}, Methods>({ provider: "acme", baseUrl: "https://acme.example" });

describe("generated methods", () => {
  it("take the parameters by name, required when one is", () => {
    expectTypeOf(client.items.show({ item_id: "1" })).resolves.toEqualTypeOf<Item>();
    client.items.show({ item_id: "1", expand: true }, { timeoutMs: 5 });
    // @ts-expect-error `item_id` is required
    client.items.show({});
    // @ts-expect-error no such parameter
    client.items.show({ item_id: "1", nope: 1 });
    // @ts-expect-error `expand` is a boolean
    client.items.show({ item_id: "1", expand: "yes" });
  });

  it("take the body first without parameters, after them with, without its envelope", () => {
    expectTypeOf(client.items.create({ name: "n" })).resolves.toEqualTypeOf<Item>();
    expectTypeOf(client.items.rename({ item_id: "1" }, { name: "n" })).resolves.toEqualTypeOf<Item>();
    // @ts-expect-error the body is required
    client.items.create();
    // @ts-expect-error the envelope is added by the method
    client.items.create({ data: { name: "n" } });
  });

  it("return Paginated items for a paged list, whose page parameter they set themselves", () => {
    expectTypeOf(client.items.list({ kind: "a" })).toEqualTypeOf<Paginated<Item>>();
    // @ts-expect-error the page parameter is the method's
    client.items.list({ from_id: "2" });
  });

  it("give undefined for an answer without a body, and the Response with withResponse()", () => {
    expectTypeOf(client.items.remove({ item_id: "1" })).resolves.toEqualTypeOf<undefined>();
    expectTypeOf(client.health.ping().withResponse()).resolves.toEqualTypeOf<{
      data: { ok: boolean };
      response: Response;
    }>();
    // @ts-expect-error ping takes no parameters, only options
    client.health.ping({ x: 1 }, {});
  });

  it("name a mistyped method in the error", () => {
    // @ts-expect-error Property 'shwo' does not exist ... Did you mean 'show'?
    client.items.shwo({ item_id: "1" });
  });

  it("take per-call options on path-style calls too", () => {
    const paths = createProviderClient<{
      "/ping": { get: operations["ping"] };
    }>({ provider: "acme", baseUrl: "https://acme.example" });
    paths.GET("/ping", {}, { timeoutMs: 5, retry: false, headers: { a: "b" } });
    paths.GET("/ping", undefined, { signal: new AbortController().signal });
    // @ts-expect-error timeoutMs is a number
    paths.GET("/ping", {}, { timeoutMs: "5" });
    expectTypeOf<Parameters<typeof client.items.show>[1]>().toEqualTypeOf<CallOptions | undefined>();
  });
});

describe("levels", () => {
  interface MethodLevels {
    items: { create: "platform"; rename: "platform"; remove: "client" };
  }
  type ClientMethods = MethodsAt<Methods, MethodLevels, "client">;

  it("MethodsAt keeps a level's methods and those without a level, and drops the others", () => {
    const methods = {} as ClientMethods;
    methods.items.show({ item_id: "1" });
    methods.items.remove({ item_id: "1" });
    methods.health.ping();
    // @ts-expect-error create is a platform-level method
    methods.items.create({ name: "n" });
    expectTypeOf<keyof ClientMethods["items"]>().toEqualTypeOf<"list" | "show" | "remove">();
  });

  it("PathsAt makes another level's operation `never`", () => {
    type Paths = { "/ping": { get: operations["ping"]; post: operations["ping"] } };
    const at = createProviderClient<PathsAt<Paths, { "/ping": { post: "platform" } }, "client">>({
      provider: "acme",
      baseUrl: "https://acme.example",
    });
    at.GET("/ping");
    // @ts-expect-error POST /ping is a platform-level operation
    at.POST("/ping");
  });
});
