import { inspect } from "node:util";
import { AbortError, ConfigurationError, TimeoutError } from "@x/core";
import { startEmulator, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isOctoberError, ReportFailedError } from "../src/index.js";
import { sandboxClient } from "./helpers.js";

let emulator: StartedEmulator<"october">;
beforeAll(async () => {
  emulator = await startEmulator("october", { reportDelayMs: 400 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

const statement = new Blob(["bank statement"], { type: "application/pdf" });

async function requestWithStatement() {
  const client = sandboxClient(emulator);
  const { request } = await client.unwrap(
    client.POST("/requests", { body: { code: { type: "siren", id: "514673987" } } }),
  );
  await client.uploadMedium(request.id, statement, { name: "bank_statement" });
  return { client, requestId: request.id };
}

const reportPolls = () => emulator.handle.stats().requests;

describe("waitForReport", () => {
  it("polls until the Bank X-Ray is ready and returns it with its score", async () => {
    const { client, requestId } = await requestWithStatement();
    const before = reportPolls();
    const report = await client.waitForReport(requestId, "bank", { intervalMs: 20, timeoutMs: 5_000 });
    expect(report).toMatchObject({ kind: "bank", status: "ready", request: requestId });
    expect(report.score).toMatch(/^[A-E]$/);
    // Ready 400 ms after going online: it kept polling past the first "processing" answer.
    expect(reportPolls() - before).toBeGreaterThanOrEqual(2);
  });

  it("backs off between polls instead of polling at a fixed rate", async () => {
    const { client, requestId } = await requestWithStatement();
    const before = reportPolls();
    await expect(
      client.waitForReport(requestId, "financial", { intervalMs: 10, maxIntervalMs: 1_000, timeoutMs: 400 }),
    ).rejects.toBeInstanceOf(TimeoutError);
    // A fixed 10 ms interval would poll ~40 times in 400 ms; growing by half each time, about 10.
    expect(reportPolls() - before).toBeLessThan(15);
    expect(reportPolls() - before).toBeGreaterThan(3);
  });

  it("fails with a clear TimeoutError when the report is not ready in time", async () => {
    const { client, requestId } = await requestWithStatement();
    const started = Date.now();
    const error = await client
      .waitForReport(requestId, "financial", { intervalMs: 20, timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "REPORT_TIMEOUT", timeoutMs: 200 });
    expect((error as Error).message).toContain("financial X-Ray");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("throws ReportFailedError when October finishes the X-Ray without a result", async () => {
    emulator.handle.control.failReports("bank");
    const { client, requestId } = await requestWithStatement();
    const error = await client
      .waitForReport(requestId, "bank", { intervalMs: 20, timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportFailedError);
    expect((error as ReportFailedError).report.status).toBe("failed");
  });

  it("ReportFailedError's JSON and inspect view name the report, not dump it; error.report keeps it", async () => {
    emulator.handle.control.failReports("bank");
    const { client, requestId } = await requestWithStatement();
    const waiting = client.waitForReport(requestId, "bank", { intervalMs: 20, timeoutMs: 5_000 });
    const error = (await waiting.catch((e: unknown) => e)) as ReportFailedError;
    expect(error.report).toMatchObject({ kind: "bank", status: "failed", request: requestId });
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ provider: "october", code: "REPORT_FAILED", reportId: error.report.id, kind: "bank" });
    expect(Object.keys(json).sort()).toEqual(["code", "kind", "message", "name", "provider", "reportId"]);
    expect(inspect(error)).not.toContain("report:");
    expect(isOctoberError(error, "REPORT_FAILED")).toBe(true);
  });

  it("stops with an AbortError when the caller's signal fires", async () => {
    const { client, requestId } = await requestWithStatement();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await client
      .waitForReport(requestId, "financial", { intervalMs: 20, timeoutMs: 5_000, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
  });

  it("refuses an unknown X-Ray kind before polling", async () => {
    const client = sandboxClient(emulator);
    await expect(client.waitForReport("0".repeat(24), "credit" as never)).rejects.toBeInstanceOf(ConfigurationError);
    expect(reportPolls()).toBe(0);
  });
});
