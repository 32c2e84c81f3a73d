// Compile-time contract of @x/sfs, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each `@ts-expect-error` must meet a type error, and sits next to the same call written right.
// Whole clients are checked with assertType (assignable), their helpers with expectTypeOf (identical): expectTypeOf on
// a whole client type costs tsc about 150k type instantiations, seconds of every `pnpm test`.
import { ApiError, AuthenticationError, type BearerTokenAuth, type CoreErrorCode } from "@x/core";
import { assertType, describe, expectTypeOf, it } from "vitest";
import type { MethodPromise, MethodsAt } from "@x/core";
import {
  createSfsClient,
  describeSfsError,
  isSfsError,
  type ClientSummary,
  type ContractSummary,
  type components,
  type MethodLevels,
  type Methods,
  type Placeholder,
  type Recipient,
  type SfsApiKeyClient,
  type SfsClient,
  type SfsErrorCode,
  type SfsHandle,
  type TemplateSummary,
} from "../src/index.js";

type Schemas = components["schemas"];
/** The paths a method accepts (`Parameters` gives `never` for openapi-fetch's generic rest parameter). */
type PathOf<Method> = Method extends (path: infer P, ...init: never[]) => unknown ? P : "not a method";
/** Mutual assignability: expectTypeOf's identity check does not see through openapi-fetch's deferred path unions. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const sfs = createSfsClient({ apiKey: "key", secret: "secret" });
const acme = sfs.forClient("CLIENT_KEY");
const list = { data: { action: "list" as const } };

describe("paths, parameters and bodies", () => {
  it("refuses a path or method the spec does not have", () => {
    type ClientPaths = "/api/token" | "/api/template" | "/api/placeholder" | "/api/contract" | "/api/recipient";
    expectTypeOf<Same<PathOf<typeof acme.POST>, ClientPaths | "/api/upload_pdf">>().toEqualTypeOf<true>();
    expectTypeOf<Same<PathOf<typeof acme.GET>, "/api/download_pdf" | "/api/download_docx">>().toEqualTypeOf<true>();
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
});

describe("levels: the platform client and a handle each have their own paths and methods", () => {
  it("the platform client has /api/client and the token endpoint, no client-level path", () => {
    expectTypeOf<Same<PathOf<typeof sfs.POST>, "/api/token" | "/api/client">>().toEqualTypeOf<true>();
    expectTypeOf<PathOf<typeof sfs.GET>>().toEqualTypeOf<never>();
    sfs.POST("/api/client", { body: list });
    // @ts-expect-error templates belong to a client: call them on sfs.forClient(clientKey)
    sfs.POST("/api/template", { body: list });
    // @ts-expect-error the files belong to a client
    sfs.GET("/api/download_pdf", { params: { query: { contractKey: "c1" } } });
    const keyed = createSfsClient({ auth: "apiKey", apiKey: "key" });
    // @ts-expect-error the API key client is platform-level too: keyed.forClient(clientKey) is client-level
    keyed.POST("/api/contract", { body: list });
  });

  it("a handle has the client-level paths, not /api/client", () => {
    acme.POST("/api/contract", { body: list });
    // @ts-expect-error the platform's clients are listed on the platform client
    acme.POST("/api/client", { body: list });
  });

  it("each client has its own level's methods", () => {
    expectTypeOf(sfs).toHaveProperty("clients");
    expectTypeOf(sfs).not.toHaveProperty("templates");
    expectTypeOf(sfs).not.toHaveProperty("contracts");
    expectTypeOf(acme).not.toHaveProperty("clients");
    // @ts-expect-error templates are listed on a handle
    sfs.templates.list();
    // @ts-expect-error clients are listed on the platform client
    acme.clients.list();
    // Every generated method is client-level; if one were platform-level, the platform client would need the table.
    expectTypeOf<MethodsAt<Methods, MethodLevels, "platform">>().toEqualTypeOf<{}>();
  });
});

describe("action methods, narrowed per action", () => {
  it("a list returns the envelope's array", () => {
    expectTypeOf(sfs.clients.list()).toEqualTypeOf<MethodPromise<ClientSummary[]>>();
    expectTypeOf(acme.templates.list()).toEqualTypeOf<MethodPromise<TemplateSummary[]>>();
    expectTypeOf(acme.placeholders.list({ contractKey: "c1" })).toEqualTypeOf<MethodPromise<Placeholder[]>>();
    expectTypeOf(acme.contracts.list()).toEqualTypeOf<MethodPromise<ContractSummary[]>>();
    expectTypeOf(acme.recipients.list({ contractKey: "c1" })).toEqualTypeOf<MethodPromise<Recipient[]>>();
    // what issue 20 could not write with the path style: the answer is the array, not a union of envelopes
    sfs.clients.list().then((clients) => clients.map((c) => c.clientKey));
  });

  it("a create, read or update returns its resource; an action without one its answer", () => {
    expectTypeOf(sfs.clients.create({ client: { fullname: "Acme" } })).resolves.toEqualTypeOf<
      Schemas["ClientCreateResponse"]["client"]
    >();
    expectTypeOf(acme.templates.read({ template: { templateKey: "t1" } })).resolves.toEqualTypeOf<
      Schemas["TemplateReadResponse"]["template"]
    >();
    expectTypeOf(acme.contracts.create({ contract: { name: "NDA" } })).resolves.toEqualTypeOf<
      Schemas["ContractCreateResponse"]["contract"]
    >();
    expectTypeOf(acme.contracts.update({ contract: { contractKey: "c1" } })).resolves.toEqualTypeOf<
      Schemas["ContractUpdateResponse"]["contract"]
    >();
    const sendTo = [{ email: "a@b.c", action: "sign" as const }];
    expectTypeOf(acme.recipients.send({ contractKey: "c1", recipients: sendTo })).resolves.toEqualTypeOf<
      Schemas["ResultResponse"]
    >();
    expectTypeOf(
      acme.recipients.delete({ contractKey: "c1", recipient: { recipientKey: "r1" } }),
    ).resolves.toEqualTypeOf<Schemas["RecipientDeleteResponse"]>();
    expectTypeOf(acme.contracts.create({ contract: { name: "NDA" } }).withResponse()).resolves.toHaveProperty(
      "response",
    );
  });

  it("the data is the action's, without action and clientKey", () => {
    // @ts-expect-error placeholders belong to a template or a contract
    acme.placeholders.list({});
    // @ts-expect-error so the data is required
    acme.placeholders.list();
    // @ts-expect-error `read` needs the template
    acme.templates.read();
    // @ts-expect-error templateKey is a string
    acme.templates.read({ template: { templateKey: 1 } });
    // @ts-expect-error a contract needs a name
    acme.contracts.create({ contract: {} });
    // @ts-expect-error the action is the method
    acme.contracts.list({ action: "create" });
    // @ts-expect-error the handle names its client
    acme.contracts.list({ clientKey: "other" });
    // @ts-expect-error a recipient's action is view, sign, approve or lock
    acme.recipients.create({ contractKey: "c1", recipients: [{ email: "a@b.c", action: "read" }] });
    // @ts-expect-error no such action: templates are listed, read or created
    acme.templates.delete({ template: { templateKey: "t1" } });
    // @ts-expect-error a mistyped method name
    acme.templates.lists();
    acme.contracts.list(undefined, { timeoutMs: 1_000, headers: { "x-trace": "1" } });
    // @ts-expect-error the options are core's CallOptions
    acme.contracts.list(undefined, { timeout: 1_000 });
  });

  it("the generated file method joins the contracts actions", () => {
    expectTypeOf(acme.contracts).toHaveProperty("uploadPdf");
    expectTypeOf(acme.contracts).toHaveProperty("create");
    acme.contracts.uploadPdf({ contractKey: "c1" }, { pdf: new Blob(["bytes"]) });
    // @ts-expect-error a file is a Blob (format: binary), not a string
    acme.contracts.uploadPdf({ contractKey: "c1" }, { pdf: "bytes" });
    expectTypeOf(acme.contracts.downloadPdf({ contractKey: "c1" })).resolves.toEqualTypeOf<Blob>();
  });

  it("every schema is a named type", () => {
    expectTypeOf<TemplateSummary>().toEqualTypeOf<Schemas["TemplateSummary"]>();
    expectTypeOf<Recipient>().toEqualTypeOf<Schemas["Recipient"]>();
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
    expectTypeOf(derived.clients.list()).toEqualTypeOf<MethodPromise<ClientSummary[]>>();
    expectTypeOf(acme.withOptions({ timeoutMs: 1 }).templates.list()).toEqualTypeOf<MethodPromise<TemplateSummary[]>>();
    expectTypeOf(acme.withOptions({ timeoutMs: 1 }).contracts).toHaveProperty("uploadPdf");
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
