// Compile-time contract of @x/october, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each `@ts-expect-error` must meet a type error, and sits next to the same call written right.
// Whole clients are checked with assertType (assignable), their helpers with expectTypeOf (identical): expectTypeOf on
// a whole client type costs tsc about 150k type instantiations, seconds of every `pnpm test`.
import { ApiError, XError, type CoreErrorCode, type MethodPromise, type Paginated } from "@x/core";
import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  createOctoberClient,
  isOctoberError,
  MediumUploadError,
  parseWebhook,
  ReportFailedError,
  WebhookError,
  type components,
  type Medium,
  type MediumFile,
  type MediumPeriod,
  type OctoberWebhookEvent,
  type OctoberWebhookEventName,
  type OctoberWebhookEventOf,
  type OctoberWebhookSetting,
  type OctoberClient,
  type OctoberErrorCode,
  type Report,
  type ReportKind,
  type UploadMediumOptions,
  type WaitForReportOptions,
} from "../src/index.js";
import type * as October from "../src/index.js";

type Schemas = components["schemas"];
/** The paths a method accepts (`Parameters` gives `never` for openapi-fetch's generic rest parameter). */
type PathOf<Method> = Method extends (path: infer P, ...init: never[]) => unknown ? P : "not a method";

const october = createOctoberClient({ userId: "user", sessionToken: "token" });
const id = "64b0c0ffee00000000000001";
const file = new Blob(["%PDF"]);

describe("paths, parameters and bodies", () => {
  it("refuses a path or method the spec does not have", () => {
    type Gets =
      | "/requests"
      | "/requests/{id}"
      | "/requests/{id}/reports"
      | "/reports/{id}"
      | "/media/{id}"
      | "/businesses/{id}";
    expectTypeOf<PathOf<typeof october.GET>>().toEqualTypeOf<Gets>();
    october.GET("/requests", {});
    // @ts-expect-error no such path
    october.GET("/request", {});
    // @ts-expect-error October updates with POST, not PATCH
    october.PATCH("/requests/{id}", { params: { path: { id } }, body: { name: "n" } });
    // @ts-expect-error media are created, never listed
    october.GET("/media", {});
  });

  it("requires the path parameters", () => {
    october.GET("/requests/{id}", { params: { path: { id } } });
    // @ts-expect-error no init, so no id
    october.GET("/requests/{id}");
    // @ts-expect-error id missing
    october.GET("/requests/{id}", { params: { path: {} } });
    // @ts-expect-error id is a string
    october.GET("/requests/{id}", { params: { path: { id: 1 } } });
    // @ts-expect-error a parameter named otherwise
    october.GET("/reports/{id}", { params: { path: { reportId: id } } });
  });

  it("types the query", () => {
    october.GET("/requests/{id}/reports", { params: { path: { id }, query: { kind: "bank" } } });
    // @ts-expect-error not an X-Ray kind
    october.GET("/requests/{id}/reports", { params: { path: { id }, query: { kind: "credit" } } });
    // @ts-expect-error limit is a number
    october.GET("/requests", { params: { query: { limit: "10" } } });
  });

  it("types the body", () => {
    october.POST("/requests", { body: { code: { type: "siren", id: "514673987" } } });
    // @ts-expect-error no body
    october.POST("/requests", {});
    // @ts-expect-error the company code is required
    october.POST("/requests", { body: { name: "Acme" } });
    // @ts-expect-error the code is { type, id }
    october.POST("/requests", { body: { code: "514673987" } });
    // @ts-expect-error a medium is set "online", no other status
    october.POST("/media/{id}", { params: { path: { id } }, body: { status: "processed" } });
    const meta = { name: "march.pdf", size: 3, type: "application/pdf" };
    const at = { params: { path: { id } } };
    october.POST("/media/{id}", { ...at, body: { status: "online", meta: { ...meta, period: "month" } } });
    // @ts-expect-error the period is a span name inside meta, not { start, end }
    october.POST("/media/{id}", { ...at, body: { status: "online", meta: { ...meta, period: {} } } });
    expectTypeOf<Schemas["MediumUpdate"]>().not.toHaveProperty("period");
  });

  it("types the data", () => {
    const created = october.unwrap(october.POST("/requests", { body: { code: { type: "siren", id: "1" } } }));
    expectTypeOf(created).resolves.branded.toEqualTypeOf<Schemas["RequestEnvelope"]>();
    const medium = october.unwrap(october.GET("/media/{id}", { params: { path: { id } } }));
    expectTypeOf(medium).resolves.branded.toEqualTypeOf<Schemas["MediumEnvelope"]>();
    const business = october.unwrap(october.GET("/businesses/{id}", { params: { path: { id } } }));
    expectTypeOf(business).resolves.toHaveProperty("business");
  });

  it("types a medium as October's medium page describes it", () => {
    expectTypeOf<Medium["name"]>().toEqualTypeOf<
      "certified_financial_statement" | "bank_statement" | "interim_financial_statement" | "other"
    >();
    expectTypeOf<Medium["status"]>().toEqualTypeOf<"draft" | "online" | "pending_extraction">();
    expectTypeOf<MediumPeriod>().toEqualTypeOf<"year" | "month" | "quarter" | "semester">();
    expectTypeOf<NonNullable<Medium["meta"]["period"]>>().toEqualTypeOf<MediumPeriod>();
    expectTypeOf<Medium["url"]>().toBeString();
    expectTypeOf<Medium>().not.toHaveProperty("period");
    expectTypeOf<OctoberWebhookSetting>().toEqualTypeOf<{ url: string; events: string[]; key: string }>();
  });
});

describe("generated methods", () => {
  it("requests: create takes the body, get/update the id by name, and they resolve to October's data", () => {
    expectTypeOf(october.requests.create({ code: { type: "siren", id: "514673987" } })).toEqualTypeOf<
      MethodPromise<October.RequestEnvelope>
    >();
    expectTypeOf(october.requests.get({ id })).toEqualTypeOf<MethodPromise<October.RequestEnvelope>>();
    october.requests.update({ id }, { name: "ACME" }, { timeoutMs: 5_000 });
    // @ts-expect-error the company code is required
    october.requests.create({ name: "ACME" });
    // @ts-expect-error the id is required
    october.requests.get({});
    // @ts-expect-error the id is a string
    october.requests.get({ id: 1 });
    // @ts-expect-error update takes the id, then the body
    october.requests.update({ id, name: "ACME" });
  });

  it("requests.list is every request, paged by the SDK: skip is not a parameter", () => {
    expectTypeOf(october.requests.list()).toEqualTypeOf<Paginated<October.OctoberRequest>>();
    october.requests.list({ limit: 50 });
    // @ts-expect-error the SDK asks for the next pages with skip
    october.requests.list({ skip: 20 });
    // @ts-expect-error limit is a number
    october.requests.list({ limit: "50" });
  });

  it("reports, media and webhooks", () => {
    expectTypeOf(october.reports.list({ id, kind: "bank" })).toEqualTypeOf<MethodPromise<October.ReportList>>();
    expectTypeOf(october.reports.get({ id })).toEqualTypeOf<MethodPromise<October.ReportEnvelope>>();
    expectTypeOf(october.media.get({ id })).toEqualTypeOf<MethodPromise<October.MediumEnvelope>>();
    expectTypeOf(october.webhooks.getBusiness({ id })).toEqualTypeOf<MethodPromise<October.BusinessEnvelope>>();
    const meta = { name: "march.pdf", size: 3, type: "application/pdf" };
    october.media.create({ name: "bank_statement", type: "document", meta, request: id });
    october.media.update({ id }, { status: "online", meta: { ...meta, period: "month" } });
    // @ts-expect-error not an X-Ray kind
    october.reports.list({ id, kind: "credit" });
    // @ts-expect-error a medium is set "online", no other status
    october.media.update({ id }, { status: "processed" });
    // @ts-expect-error not a medium name
    october.media.create({ name: "payslip", type: "document", meta, request: id });
  });

  it("a mistyped method or tag is a compile error naming it", () => {
    // @ts-expect-error no method lst: Property 'lst' does not exist on type ...
    october.requests.lst();
    // @ts-expect-error the tag is requests
    october.request.list();
    // @ts-expect-error media are created, never listed
    october.media.list();
  });

  it("withOptions keeps the methods and their types", () => {
    const derived = october.withOptions({ timeoutMs: 1 }).withOptions({ retry: false });
    expectTypeOf(derived.requests.list).toEqualTypeOf(october.requests.list);
    expectTypeOf(derived.media.update).toEqualTypeOf(october.media.update);
    expectTypeOf(derived.webhooks.getBusiness).toEqualTypeOf(october.webhooks.getBusiness);
    // @ts-expect-error and refuses what the root refuses
    derived.requests.get({});
  });

  it("every schema is a named type of the package", () => {
    expectTypeOf<October.OctoberRequest>().toEqualTypeOf<Schemas["Request"]>();
    expectTypeOf<October.RequestSchema>().toEqualTypeOf<Schemas["Request"]>();
    expectTypeOf<October.RequestCreate>().toEqualTypeOf<Schemas["RequestCreate"]>();
    expectTypeOf<October.Medium>().toEqualTypeOf<Schemas["Medium"]>();
    expectTypeOf<October.UploadInstructions>().toEqualTypeOf<Schemas["UploadInstructions"]>();
    expectTypeOf<October.Report>().toEqualTypeOf<Schemas["Report"]>();
    expectTypeOf<October.ReportKind>().toEqualTypeOf<Schemas["ReportKind"]>();
    expectTypeOf<October.Business>().toEqualTypeOf<Schemas["Business"]>();
    expectTypeOf<October.WebhookEvent>().toEqualTypeOf<OctoberWebhookEvent>();
  });
});

describe("helpers, and withOptions keeps them", () => {
  it("uploadMedium and waitForReport are typed", () => {
    expectTypeOf(october.uploadMedium).toEqualTypeOf<
      (requestId: string, file: MediumFile, options: UploadMediumOptions) => Promise<Medium>
    >();
    expectTypeOf(october.waitForReport).toEqualTypeOf<
      (requestId: string, kind: ReportKind, options?: WaitForReportOptions) => Promise<Report>
    >();
    october.uploadMedium(id, file, { name: "bank_statement" });
    // @ts-expect-error the medium's name is required
    october.uploadMedium(id, file, {});
    // @ts-expect-error not a medium name
    october.uploadMedium(id, file, { name: "payslip" });
    // @ts-expect-error a name the old spec invented, not in October's list
    october.uploadMedium(id, file, { name: "balance_sheet" });
    october.uploadMedium(id, file, { name: "bank_statement", period: "quarter", date: "2024-03-31" });
    // @ts-expect-error the period is a span name, not { start, end }
    october.uploadMedium(id, file, { name: "bank_statement", period: { start: "2024-01-01", end: "2024-03-31" } });
    // @ts-expect-error a file is bytes or a Blob, not a path
    october.uploadMedium(id, "./statement.pdf", { name: "bank_statement" });
    // @ts-expect-error not an X-Ray kind
    october.waitForReport(id, "credit");
  });

  it("withOptions keeps uploadMedium and waitForReport", () => {
    const derived = october.withOptions({ timeoutMs: 1, headers: { "October-Version": "2024-01-25" } });
    assertType<OctoberClient>(derived);
    expectTypeOf(derived.uploadMedium).toEqualTypeOf(october.uploadMedium);
    expectTypeOf(derived.withOptions({ retry: false }).waitForReport).toEqualTypeOf(october.waitForReport);
    expectTypeOf(derived.uploadMedium(id, file, { name: "other" })).resolves.toEqualTypeOf<Medium>();
    // @ts-expect-error the derived client keeps the helpers' types
    derived.uploadMedium(id, file, { name: "payslip" });
    // @ts-expect-error and the path checks
    derived.GET("/request", {});
  });
});

describe("webhooks and errors", () => {
  it("parseWebhook's event narrows on its name", () => {
    const event = parseWebhook("{}");
    expectTypeOf(event.event).toEqualTypeOf<"new_report">();
    if (event.event === "new_report") expectTypeOf(event.data.report).toEqualTypeOf<Report>();
    // @ts-expect-error report.ready was never an October event
    if (event.event === "report.ready") void event;
  });

  it("is a discriminated union: a switch narrows each case; a never check makes a new event an error", () => {
    expectTypeOf<OctoberWebhookEventName>().toEqualTypeOf<"new_report">();
    const summary = (event: OctoberWebhookEvent): string => {
      switch (event.event) {
        case "new_report":
          expectTypeOf(event).toEqualTypeOf<OctoberWebhookEventOf<"new_report">>();
          return event.data.report.id;
        default: {
          // On the name: TypeScript narrows a one-member union's object to never only through its discriminant.
          const unhandled: never = event.event;
          return unhandled;
        }
      }
    };
    expectTypeOf(summary).returns.toBeString();
    expectTypeOf<OctoberWebhookEventOf<"new_report">["data"]["report"]>().toEqualTypeOf<Report>();
    // @ts-expect-error not an event October sends
    type Unknown = OctoberWebhookEventOf<"report.ready">;
    // An event a later spec adds (here made up for the test) fails the same switch: its case is not handled.
    type Later = OctoberWebhookEvent | { event: "request_closed"; data: { request: { id: string } } };
    const exhaustive = (event: Later): string => {
      switch (event.event) {
        case "new_report":
          return event.data.report.id;
        default: {
          // @ts-expect-error request_closed is not handled
          const unhandled: never = event.event;
          return unhandled;
        }
      }
    };
    void exhaustive;
  });

  it("the error classes narrow", () => {
    const caught: unknown = new Error("x");
    if (caught instanceof ApiError) expectTypeOf(caught.status).toEqualTypeOf<number>();
    if (caught instanceof MediumUploadError) {
      expectTypeOf(caught.mediumId).toBeString();
      expectTypeOf(caught.status).toEqualTypeOf<number | undefined>();
      expectTypeOf(caught).toExtend<XError>();
    }
    if (caught instanceof ReportFailedError) {
      expectTypeOf(caught.report).toEqualTypeOf<Report>();
      expectTypeOf(caught.reportId).toBeString();
      expectTypeOf(caught.kind).toEqualTypeOf<ReportKind>();
    }
    if (caught instanceof WebhookError) {
      // @ts-expect-error a webhook body has no HTTP status
      void caught.status;
    }
  });

  it("isOctoberError narrows the provider and the code", () => {
    const caught: unknown = new Error("x");
    type SdkCode = "UPLOAD_FAILED" | "REPORT_FAILED" | "REPORT_TIMEOUT" | "UNKNOWN_EVENT" | "MALFORMED_EVENT";
    if (isOctoberError(caught)) {
      expectTypeOf(caught.provider).toEqualTypeOf<"october">();
      expectTypeOf(caught.code).toEqualTypeOf<OctoberErrorCode | SdkCode | CoreErrorCode | undefined>();
    }
    if (isOctoberError(caught, "NotFound")) expectTypeOf(caught.code).toEqualTypeOf<"NotFound">();
    if (isOctoberError(caught, "REPORT_TIMEOUT")) expectTypeOf(caught).toExtend<XError>();
    // @ts-expect-error not a code of October, of the SDK nor of core
    isOctoberError(caught, "NOT_FOUND");
  });
});
