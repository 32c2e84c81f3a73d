// The generated methods (`october.requests.list()`, `october.media.get({ id })`, ...) over real sockets: against the
// emulator for what October does, against a test server where the test must see the exact request.
import { ApiError, AuthenticationError, TimeoutError } from "@x/core";
import { json, startEmulator, startTestServer, type StartedEmulator, type TestServer } from "@x/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOctoberClient, isOctoberError, type OctoberRequest } from "../src/index.js";
import { sandboxClient } from "./helpers.js";

let emulator: StartedEmulator<"october">;
beforeAll(async () => {
  emulator = await startEmulator("october", { reportDelayMs: 30 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const siren = { type: "siren", id: "514673987" };

/** A client on the emulator that records the URL and headers of every request it sends (the real fetch sends it). */
function recordingClient() {
  const urls: URL[] = [];
  const headers: Headers[] = [];
  const client = sandboxClient(emulator, {
    fetch: (input, init) => {
      urls.push(new URL(input instanceof globalThis.Request ? input.url : String(input)));
      headers.push(new Headers(init?.headers));
      return fetch(input, init);
    },
  });
  return { client, urls, headers };
}

describe("requests", () => {
  it("create, get and update take the body and the id by name and return October's data", async () => {
    const october = sandboxClient(emulator);
    const { request } = await october.requests.create({ code: siren, name: "ACME" });
    expect(request).toMatchObject({ code: siren, name: "ACME", status: "pending_analysis" });
    const read = await october.requests.get({ id: request.id });
    expect(read.request.id).toBe(request.id);
    const updated = await october.requests.update({ id: request.id }, { notes: { revenue: 1_200_000 } });
    expect(updated.request.notes).toEqual({ revenue: 1_200_000 });
  });

  it("list() walks every page with skip until total, so nobody pages October by hand", async () => {
    const october = sandboxClient(emulator);
    const created: OctoberRequest[] = [];
    for (let n = 0; n < 5; n++) created.push((await october.requests.create({ code: siren, name: `R${n}` })).request);
    const { client, urls } = recordingClient();

    const seen: string[] = [];
    for await (const request of client.requests.list({ limit: 2 })) seen.push(request.id);

    // The emulator lists newest first; every request once, across three pages of two.
    expect(seen).toEqual(created.map((r) => r.id).reverse());
    expect(urls.map((url) => [url.searchParams.get("limit"), url.searchParams.get("skip")])).toEqual([
      ["2", null],
      ["2", "2"],
      ["2", "4"],
    ]);
  });

  it("list().pages() gives the pages, and collect(n) stops fetching once it has n items", async () => {
    const october = sandboxClient(emulator);
    for (let n = 0; n < 5; n++) await october.requests.create({ code: siren });
    const { client, urls } = recordingClient();

    const sizes: number[] = [];
    for await (const page of client.requests.list({ limit: 2 }).pages()) sizes.push(page.length);
    expect(sizes).toEqual([2, 2, 1]);

    urls.length = 0;
    expect(await client.requests.list({ limit: 2 }).collect(3)).toHaveLength(3);
    expect(urls).toHaveLength(2);
  });

  it("an empty list is one request and no item", async () => {
    const { client, urls } = recordingClient();
    expect(await client.requests.list().collect()).toEqual([]);
    expect(urls).toHaveLength(1);
  });
});

describe("media, reports and webhooks", () => {
  it("uploadMedium's medium reads back with media.get; its reports with reports.list and reports.get", async () => {
    const october = sandboxClient(emulator);
    const { request } = await october.requests.create({ code: siren });
    const statement = new Blob(["%PDF-1.7 statement"], { type: "application/pdf" });
    const uploaded = await october.uploadMedium(request.id, statement, { name: "bank_statement", period: "month" });

    const { medium } = await october.media.get({ id: uploaded.id });
    expect(medium).toMatchObject({ id: uploaded.id, status: "online", meta: { period: "month" } });

    const ready = await october.waitForReport(request.id, "bank", { intervalMs: 10, timeoutMs: 5_000 });
    const { reports } = await october.reports.list({ id: request.id, kind: "bank" });
    expect(reports.map((r) => r.id)).toEqual([ready.id]);
    const { report } = await october.reports.get({ id: ready.id });
    expect(report).toMatchObject({ id: ready.id, kind: "bank", status: "ready" });
  });

  it("media.create and media.update are the upload's first and last steps", async () => {
    const october = sandboxClient(emulator);
    const { request } = await october.requests.create({ code: siren });
    const meta = { name: "statement.pdf", size: 3, type: "application/pdf" };
    const { medium: draft } = await october.media.create({
      name: "other",
      type: "document",
      meta,
      request: request.id,
    });
    expect(draft.status).toBe("draft");
    const refused = await october.media.update({ id: draft.id }, { status: "online" }).catch((e: unknown) => e);
    // Online before the bytes reached storage: October's 400, thrown by the method.
    expect(isOctoberError(refused, "BadRequest")).toBe(true);
    expect((refused as ApiError).message).toContain("not in storage");
  });

  it("webhooks.getBusiness reads the webhook configurations and their keys", async () => {
    const october = sandboxClient(emulator);
    const { business } = await october.webhooks.getBusiness({ id: emulator.credentials.businessId });
    expect(business.settings.webhooks[0]).toMatchObject({ events: ["new_report"], key: expect.any(String) });
  });
});

describe("errors, per-call options and withOptions", () => {
  it("an error answer throws: ApiError that isOctoberError narrows by October's code, with its headers", async () => {
    const october = sandboxClient(emulator);
    const error = await october.requests.get({ id: "0".repeat(24) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isOctoberError(error, "NotFound")).toBe(true);
    expect(error).toMatchObject({ status: 404, code: "NotFound", provider: "october" });
    expect((error as ApiError).headers["content-type"]).toContain("application/json");

    const refused = await sandboxClient(emulator, { sessionToken: "wrong" })
      .requests.list()
      .collect()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect(isOctoberError(refused, "CREDENTIALS_REJECTED")).toBe(true);
  });

  it("one call's headers reach its request (October-Version), and withResponse() gives the answer", async () => {
    server = await startTestServer((req, res) =>
      json(res, 200, { request: { id: req.path.split("/")[2], code: siren }, seen: req.headers["october-version"] }),
    );
    const october = createOctoberClient({ userId: "u", sessionToken: "t", baseUrl: server.url, retry: false });
    const id = "64b0c0ffee00000000000009";
    await october.requests.get({ id });
    await october.requests.get({ id }, { headers: { "October-Version": "2023-06-01" } });
    const { data, response } = await october.requests.get({ id }).withResponse();
    expect(server.requests.map((r) => r.headers["october-version"])).toEqual([
      "2024-01-25",
      "2023-06-01",
      "2024-01-25",
    ]);
    expect(data.request.id).toBe(id);
    expect(response.status).toBe(200);
  });

  it("a call's timeoutMs bounds that call only", async () => {
    server = await startTestServer((_req, res) => {
      setTimeout(() => json(res, 200, { requests: [], total: 0, limit: 20, skip: 0 }), 300);
    });
    const october = createOctoberClient({ userId: "u", sessionToken: "t", baseUrl: server.url, retry: false });
    const error = await october.requests
      .list({}, { timeoutMs: 50 })
      .collect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    await expect(october.requests.list().collect()).resolves.toEqual([]);
  });

  it("withOptions keeps every tag's methods, and they use the derived options", async () => {
    const { client, headers } = recordingClient();
    const derived = client.withOptions({ headers: { "x-trace": "1" } }).withOptions({ timeoutMs: 5_000 });
    for (const tag of ["requests", "reports", "media", "webhooks"] as const) {
      expect(Object.keys(derived[tag]).sort()).toEqual(Object.keys(client[tag]).sort());
    }
    const { request } = await derived.requests.create({ code: siren });
    expect((await derived.requests.list().collect()).map((r) => r.id)).toEqual([request.id]);
    expect(headers.map((h) => h.get("x-trace"))).toEqual(["1", "1"]);
  });
});
