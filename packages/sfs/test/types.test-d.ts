// Compile-time contract of @x/sfs, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each `@ts-expect-error` must meet a type error, and sits next to the same call written right.
// Whole clients are checked with assertType (assignable), their helpers with expectTypeOf (identical): expectTypeOf on
// a whole client type costs tsc about 150k type instantiations, seconds of every `pnpm test`.
import { ApiError, AuthenticationError, type BearerTokenAuth, type CoreErrorCode } from "@x/core";
import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  createSfsClient,
  describeSfsError,
  isSfsError,
  type components,
  type SfsApiKeyClient,
  type SfsClient,
  type SfsErrorCode,
  type SfsHandle,
} from "../src/index.js";

type Schemas = components["schemas"];
/** The paths a method accepts (`Parameters` gives `never` for openapi-fetch's generic rest parameter). */
type PathOf<Method> = Method extends (path: infer P, ...init: never[]) => unknown ? P : "not a method";

const sfs = createSfsClient({ apiKey: "key", secret: "secret" });
const acme = sfs.forClient("CLIENT_KEY");
const list = { data: { action: "list" as const } };

describe("paths, parameters and bodies", () => {
  it("refuses a path or method the spec does not have", () => {
    type Paths = "/api/token" | "/api/client" | "/api/template" | "/api/placeholder" | "/api/contract";
    type AllPaths = Paths | "/api/recipient" | "/api/upload_pdf";
    expectTypeOf<PathOf<typeof sfs.POST>>().toEqualTypeOf<AllPaths>();
    expectTypeOf<PathOf<typeof sfs.GET>>().toEqualTypeOf<"/api/download_pdf" | "/api/download_docx">();
    acme.POST("/api/template", { body: list });
    // @ts-expect-error no such path
    acme.POST("/api/templates", { body: list });
    // @ts-expect-error every SFS call but the file downloads is a POST
    acme.GET("/api/template", {});
  });

  it("has no path parameters to pass", () => {
    // @ts-expect-error /api/template takes no path parameter
    acme.POST("/api/template", { params: { path: { templateKey: "t1" } }, body: list });
  });

  it("types the body by action", () => {
    acme.POST("/api/template", { body: { data: { action: "read", template: { templateKey: "t1" } } } });
    // @ts-expect-error no body
    acme.POST("/api/template", {});
    // @ts-expect-error the envelope is `data`
    acme.POST("/api/template", { body: { action: "list" } });
    // @ts-expect-error templates are listed, read or created, not deleted
    acme.POST("/api/template", { body: { data: { action: "delete" } } });
    // @ts-expect-error `read` needs the template
    acme.POST("/api/template", { body: { data: { action: "read" } } });
    // @ts-expect-error templateKey is a string
    acme.POST("/api/template", { body: { data: { action: "read", template: { templateKey: 1 } } } });
    // @ts-expect-error a placeholder list needs its templateKey or its contractKey
    acme.POST("/api/placeholder", { body: list });
    acme.POST("/api/placeholder", { body: { data: { action: "list", contractKey: "c1" } } });
    // @ts-expect-error a recipient is one of recipients[], which `send` needs
    acme.POST("/api/recipient", { body: { data: { action: "send", contractKey: "c1" } } });
    acme.POST("/api/recipient", {
      body: { data: { action: "send", contractKey: "c1", recipients: [{ email: "a@b.c", action: "sign" }] } },
    });
    const reader = { email: "a@b.c", action: "read" as const };
    // @ts-expect-error a recipient's action is view, sign, approve or lock
    acme.POST("/api/recipient", { body: { data: { action: "create", contractKey: "c1", recipients: [reader] } } });
    // @ts-expect-error a contract needs a name
    acme.POST("/api/contract", { body: { data: { action: "create", contract: {} } } });
  });

  it("types the data", () => {
    const templates = acme.unwrap(acme.POST("/api/template", { body: list }));
    // `branded`: openapi-fetch flattens the schema's intersections, which are the same type written otherwise.
    type Templates =
      | Schemas["TemplateListResponse"]
      | Schemas["TemplateReadResponse"]
      | Schemas["TemplateCreateResponse"];
    expectTypeOf(templates).resolves.branded.toEqualTypeOf<Templates>();
    const contract = acme.unwrap(
      acme.POST("/api/contract", { body: { data: { action: "create", contract: { name: "c" } } } }),
    );
    type Contracts =
      | Schemas["ContractListResponse"]
      | Schemas["ContractCreateResponse"]
      | Schemas["ContractUpdateResponse"];
    expectTypeOf(contract).resolves.toEqualTypeOf<Contracts>();
  });

  it("the list helpers return the envelopes' arrays", () => {
    expectTypeOf(acme.listTemplates()).resolves.toEqualTypeOf<Schemas["TemplateSummary"][]>();
    expectTypeOf(acme.listPlaceholders({ contractKey: "c1" })).resolves.toEqualTypeOf<Schemas["Placeholder"][]>();
    expectTypeOf(acme.listContracts()).resolves.toEqualTypeOf<Schemas["ContractSummary"][]>();
    expectTypeOf(acme.listRecipients("c1")).resolves.toEqualTypeOf<Schemas["Recipient"][]>();
    expectTypeOf(sfs.listClients()).resolves.toEqualTypeOf<Schemas["ClientSummary"][]>();
    // @ts-expect-error placeholders belong to a template or a contract
    acme.listPlaceholders({});
    expectTypeOf(acme).not.toHaveProperty("listClients");
  });
});

describe("forClient and withOptions", () => {
  it("forClient gives a typed handle without the platform helpers", () => {
    assertType<SfsClient>(sfs);
    assertType<SfsHandle>(acme);
    expectTypeOf(acme).not.toHaveProperty("forClient");
    expectTypeOf(sfs.platformAuth).toEqualTypeOf<BearerTokenAuth>();
    // @ts-expect-error forClient takes the client key
    sfs.forClient();
  });

  it("withOptions keeps forClient and platformAuth", () => {
    const derived = sfs.withOptions({ timeoutMs: 1 });
    assertType<SfsClient>(derived);
    expectTypeOf(derived.forClient).toEqualTypeOf<(clientKey: string) => SfsHandle>();
    expectTypeOf(sfs.withOptions({ timeoutMs: 1 }).forClient).toEqualTypeOf<(clientKey: string) => SfsHandle>();
    expectTypeOf(derived.withOptions({ retry: false }).platformAuth).toEqualTypeOf<BearerTokenAuth>();
    assertType<SfsHandle>(acme.withOptions({ idempotent: true }));
    // @ts-expect-error the derived client keeps the body types
    derived.forClient("k").POST("/api/template", { body: { data: { action: "delete" } } });
  });
});

describe("API key auth", () => {
  it("takes the API key alone and gives the same handles", () => {
    const keyed = createSfsClient({ auth: "apiKey", apiKey: "key" });
    assertType<SfsApiKeyClient>(keyed);
    assertType<SfsHandle>(keyed.forClient("CLIENT_KEY"));
    expectTypeOf(keyed).not.toHaveProperty("platformAuth");
    assertType<SfsApiKeyClient>(keyed.withOptions({ timeoutMs: 1 }));
    // @ts-expect-error the API key mode sends no secret
    createSfsClient({ auth: "apiKey", apiKey: "key", secret: "secret" });
    // @ts-expect-error token auth needs the secret
    createSfsClient({ apiKey: "key" });
  });
});

describe("errors narrow", () => {
  const caught: unknown = new Error("x");

  it("ApiError and AuthenticationError carry their HTTP fields", () => {
    if (caught instanceof ApiError) {
      expectTypeOf(caught.status).toEqualTypeOf<number>();
      expectTypeOf(caught.code).toEqualTypeOf<string | undefined>();
    }
    if (caught instanceof AuthenticationError) expectTypeOf(caught.status).toEqualTypeOf<number | undefined>();
  });

  it("describeSfsError names the code", () => {
    expectTypeOf(describeSfsError).returns.toEqualTypeOf<{ code?: SfsErrorCode; message?: string } | undefined>();
    expectTypeOf<SfsErrorCode>().toEqualTypeOf<
      "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "RATE_LIMITED" | "SERVER_ERROR"
    >();
  });

  it("isSfsError narrows the provider and the code", () => {
    if (isSfsError(caught)) {
      expectTypeOf(caught.provider).toEqualTypeOf<"sfs">();
      type Code = SfsErrorCode | "UNKNOWN_CLIENT_KEY" | "UNEXPECTED_RESPONSE" | CoreErrorCode | undefined;
      expectTypeOf(caught.code).toEqualTypeOf<Code>();
    }
    if (isSfsError(caught, "NOT_FOUND")) expectTypeOf(caught.code).toEqualTypeOf<"NOT_FOUND">();
    if (isSfsError(caught, "UNKNOWN_CLIENT_KEY")) expectTypeOf(caught.code).toEqualTypeOf<"UNKNOWN_CLIENT_KEY">();
    // @ts-expect-error not a code of SFS nor of core
    isSfsError(caught, "NotFound");
  });
});
