// @x/october/mini: the client without its generated methods, helpers and operations table, and the operations as
// functions of it, against the emulator. What the bundler then leaves out is checked by scripts/size.mjs.
import type { SdkEvent } from "@x/core";
import { FAST_RETRY, startEmulator, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createOctoberClient,
  createRequest,
  getRequest,
  listRequests,
  uploadMedium,
  waitForReport,
} from "../src/mini.js";

let emulator: StartedEmulator<"october">;
beforeAll(async () => {
  emulator = await startEmulator("october", { reportDelayMs: 30 });
});
afterAll(() => emulator.close());

function miniClient(onEvent?: (event: SdkEvent) => void) {
  const { userId, sessionToken } = emulator.credentials;
  return createOctoberClient({ userId, sessionToken, baseUrl: emulator.url, retry: FAST_RETRY, onEvent });
}

const siren = { type: "siren", id: "514673987" };

describe("@x/october/mini", () => {
  it("calls each operation as a function of the client, named by its operationId", async () => {
    const events: SdkEvent[] = [];
    const october = miniClient((event) => events.push(event));
    expect("requests" in october).toBe(false);
    expect("uploadMedium" in october).toBe(false);
    const { request } = await createRequest(october, { code: siren, name: "Mini" });
    expect((await getRequest(october, { id: request.id })).request.name).toBe("Mini");
    const ids: string[] = [];
    for await (const each of listRequests(october, { limit: 1 })) ids.push(each.id);
    expect(ids).toContain(request.id);
    // Without the spec's operations table the functions still name their operation in events and logs.
    expect(events.filter((e) => e.type === "request.finished").map((e) => e.operationId)).toContain("getRequest");
  });

  it("takes the helpers as functions of the client, and keeps the path style", async () => {
    const october = miniClient();
    const { request } = await createRequest(october, { code: siren });
    const pdf = new Blob(["%PDF-1.7 mini"], { type: "application/pdf" });
    const medium = await uploadMedium(october, request.id, pdf, { name: "bank_statement" });
    expect(medium.status).toBe("online");
    const report = await waitForReport(october, request.id, "bank", { intervalMs: 10, timeoutMs: 5_000 });
    expect(report.status).toBe("ready");
    const { data } = await october.GET("/requests/{id}", { params: { path: { id: request.id } } });
    expect(data?.request.id).toBe(request.id);
  });
});
