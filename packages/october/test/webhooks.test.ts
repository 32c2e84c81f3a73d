import { describe, expect, it } from "vitest";
import { parseWebhook, WebhookError } from "../src/index.js";

const report = {
  id: "a".repeat(24),
  request: "b".repeat(24),
  kind: "bank",
  status: "ready",
  score: "B",
  createdAt: "2024-03-01T00:00:00Z",
  updatedAt: "2024-03-01T00:00:00Z",
};
const readyEvent = { id: "c".repeat(24), event: "report.ready", createdAt: "2024-03-01T00:00:00Z", data: { report } };

describe("parseWebhook", () => {
  it("parses a raw body into an event narrowed by its name", () => {
    const event = parseWebhook(JSON.stringify(readyEvent));
    expect(event.event).toBe("report.ready");
    if (event.event === "report.ready") expect(event.data.report.score).toBe("B");
  });

  it("accepts bytes and already-parsed JSON alike", () => {
    expect(parseWebhook(new TextEncoder().encode(JSON.stringify(readyEvent)))).toEqual(readyEvent);
    expect(parseWebhook(readyEvent)).toEqual(readyEvent);
  });

  it("refuses an unknown event name with UNKNOWN_EVENT", () => {
    const error = (() => {
      try {
        parseWebhook({ ...readyEvent, event: "loan.granted" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ code: "UNKNOWN_EVENT" });
    expect((error as Error).message).toContain("loan.granted");
  });

  it.each([
    ["not JSON", "{nope"],
    ["not an object", "[1,2]"],
    ["no event name", { ...readyEvent, event: undefined }],
    ["no id", { ...readyEvent, id: 7 }],
    ["no payload object", { ...readyEvent, data: { request: { id: "x" } } }],
  ])("refuses a malformed body (%s) with MALFORMED_EVENT", (_case, body) => {
    expect(() => parseWebhook(body)).toThrow(expect.objectContaining({ code: "MALFORMED_EVENT" }));
  });
});
