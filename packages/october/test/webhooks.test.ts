import { startEmulator, startTestServer } from "@x/testing";
import { describe, expect, it, vi } from "vitest";
import { parseWebhook, WebhookError } from "../src/index.js";
import { sandboxClient } from "./helpers.js";

const report = {
  id: "a".repeat(24),
  request: "b".repeat(24),
  kind: "bank",
  status: "ready",
  score: "B",
  createdAt: "2024-03-01T00:00:00Z",
  updatedAt: "2024-03-01T00:00:00Z",
};
const newReport = { id: "c".repeat(24), event: "new_report", createdAt: "2024-03-01T00:00:00Z", data: { report } };

describe("parseWebhook", () => {
  it("parses new_report, the event October documents, into an event narrowed by its name", () => {
    const event = parseWebhook(JSON.stringify(newReport));
    expect(event.event).toBe("new_report");
    if (event.event === "new_report") expect(event.data.report.score).toBe("B");
  });

  it("accepts bytes and already-parsed JSON alike, and a delivery without the modelled id and createdAt", () => {
    expect(parseWebhook(new TextEncoder().encode(JSON.stringify(newReport)))).toEqual(newReport);
    expect(parseWebhook(newReport)).toEqual(newReport);
    expect(parseWebhook({ event: "new_report", data: { report } }).event).toBe("new_report");
  });

  it.each(["report.ready", "report.failed", "request.updated", "medium.updated", "loan.granted"])(
    "refuses %s, which October does not document, with UNKNOWN_EVENT",
    (name) => {
      const error = (() => {
        try {
          parseWebhook({ ...newReport, event: name });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(WebhookError);
      expect(error).toMatchObject({ code: "UNKNOWN_EVENT" });
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toContain("known: new_report");
    },
  );

  it.each([
    ["not JSON", "{nope"],
    ["not an object", "[1,2]"],
    ["no event name", { ...newReport, event: undefined }],
    ["no data", { ...newReport, data: undefined }],
    ["no report in data", { ...newReport, data: { request: { id: "x" } } }],
  ])("refuses a malformed body (%s) with MALFORMED_EVENT", (_case, body) => {
    expect(() => parseWebhook(body)).toThrow(expect.objectContaining({ code: "MALFORMED_EVENT" }));
  });
});

describe("parseWebhook against the sandbox's deliveries", () => {
  it("accepts the new_report webhook the emulator posts when a report is ready, over a real socket", async () => {
    const app = await startTestServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const emulator = await startEmulator("october", { webhookUrl: `${app.url}/hooks` });
    try {
      const october = sandboxClient(emulator);
      const { request } = await october.unwrap(
        october.POST("/requests", { body: { code: { type: "siren", id: "514673987" } } }),
      );
      await vi.waitFor(() => expect(app.requests.length).toBeGreaterThan(0), { timeout: 3000, interval: 20 });
      const event = parseWebhook(app.requests[0]?.body);
      expect(event.event).toBe("new_report");
      expect(event.data.report).toMatchObject({ request: request.id, status: "ready" });
    } finally {
      await emulator.close();
      await app.close();
    }
  });
});
