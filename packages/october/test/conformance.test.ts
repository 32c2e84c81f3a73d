import { startConformanceProxy, startEmulator, type ConformanceProxy, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxClient } from "./helpers.js";

// Every exchange between the client and the emulator goes through a proxy that checks it against specs/october.yaml:
// a field the client sends or the emulator answers that the spec does not declare fails here, so the three agree.
let emulator: StartedEmulator<"october">;
let proxy: ConformanceProxy;
beforeAll(async () => {
  emulator = await startEmulator("october", { reportDelayMs: 30 });
  // The storage upload goes to the emulator's own URL (S3's stand-in), not an October operation.
  proxy = await startConformanceProxy({ spec: "october", target: emulator.url, basePath: "" });
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

describe("@x/october against specs/october.yaml", () => {
  it("every flow's requests and answers conform to the spec", async () => {
    const client = sandboxClient(emulator, { baseUrl: proxy.url });
    const siren = { type: "siren", id: "514673987" };

    const { request } = await client.unwrap(client.POST("/requests", { body: { code: siren, name: "ACME" } }));
    await client.unwrap(client.GET("/requests/{id}", { params: { path: { id: request.id } } }));
    await client.unwrap(client.GET("/requests", { params: { query: { limit: 5, skip: 0 } } }));
    const notes = { holding: false, workforceNumber: 12 };
    await client.unwrap(client.POST("/requests/{id}", { params: { path: { id: request.id } }, body: { notes } }));

    const statement = new Blob(["%PDF-1.7 statement"], { type: "application/pdf" });
    const medium = await client.uploadMedium(request.id, statement, {
      name: "bank_statement",
      period: "month",
      date: "2024-03-31",
    });
    await client.uploadMedium(request.id, statement, { name: "certified_financial_statement", period: "year" });
    await client.unwrap(client.GET("/media/{id}", { params: { path: { id: medium.id } } }));

    const report = await client.waitForReport(request.id, "bank", { intervalMs: 10, timeoutMs: 5_000 });
    await client.unwrap(client.GET("/reports/{id}", { params: { path: { id: report.id } } }));
    const { businessId } = emulator.credentials;
    await client.unwrap(client.GET("/businesses/{id}", { params: { path: { id: businessId } } }));

    // Error answers are checked too: October's error body on a 404 and on a 401.
    const missing = { params: { path: { id: "0".repeat(24) } } };
    expect((await client.GET("/requests/{id}", missing)).response.status).toBe(404);
    const refused = await sandboxClient(emulator, { baseUrl: proxy.url, sessionToken: "wrong" })
      .GET("/requests")
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 401 });

    proxy.assertConforms();
    expect(proxy.covered()).toEqual([
      "GET /businesses/{id}",
      "GET /media/{id}",
      "GET /reports/{id}",
      "GET /requests",
      "GET /requests/{id}",
      "GET /requests/{id}/reports",
      "POST /media",
      "POST /media/{id}",
      "POST /requests",
      "POST /requests/{id}",
    ]);
  });
});
