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

    // The generated methods, as users call them; the list walks its pages with `skip`, which the spec must declare.
    const { request } = await client.requests.create({ code: siren, name: "ACME" });
    await client.requests.create({ code: siren });
    await client.requests.get({ id: request.id });
    expect(await client.requests.list({ limit: 1 }).collect()).toHaveLength(2);
    const notes = { holding: false, workforceNumber: 12 };
    await client.requests.update({ id: request.id }, { notes });

    const statement = new Blob(["%PDF-1.7 statement"], { type: "application/pdf" });
    const medium = await client.uploadMedium(request.id, statement, {
      name: "bank_statement",
      period: "month",
      date: "2024-03-31",
    });
    await client.uploadMedium(request.id, statement, { name: "certified_financial_statement", period: "year" });
    await client.media.get({ id: medium.id });

    const report = await client.waitForReport(request.id, "bank", { intervalMs: 10, timeoutMs: 5_000 });
    await client.reports.get({ id: report.id });
    await client.webhooks.getBusiness({ id: emulator.credentials.businessId });

    // Error answers are checked too: October's error body on a 404 and on a 401, path style as well.
    const missing = { params: { path: { id: "0".repeat(24) } } };
    expect((await client.GET("/requests/{id}", missing)).response.status).toBe(404);
    await expect(client.reports.get({ id: "0".repeat(24) })).rejects.toMatchObject({ status: 404 });
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
