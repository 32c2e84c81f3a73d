import { ApiError, type OperationTable } from "@x/core";
import { afterEach, describe, expect, it } from "vitest";
import { operations } from "../src/generated/spec.js";
import type { components } from "../src/index.js";
import { startEmulator, type StartedEmulator } from "@x/testing";
import { demoClient, listTemplates } from "./helpers.js";

let emulator: StartedEmulator<"sfs"> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** A handle whose client token is already cached, so the injected fault hits the call itself. */
async function warmHandle(emulator: StartedEmulator<"sfs">) {
  const acme = demoClient(emulator).forClient("sfs-demo-client-1");
  await acme.auth!.authorize(acme.runtime);
  return acme;
}

describe("read-only actions are retried, creates are not", () => {
  it("the generated operations list the list and read actions as the only safe ones", () => {
    const table: OperationTable = operations;
    const safe = Object.entries(table).flatMap(([path, methods]) =>
      Object.entries(methods ?? {}).flatMap(([method, operation]) =>
        (operation?.idempotentActions ?? []).map((action) => `${method} ${path} ${action}`),
      ),
    );
    expect(safe).toEqual([
      "post /api/client list",
      "post /api/template list",
      "post /api/template read",
      "post /api/placeholder list",
      "post /api/contract list",
      "post /api/recipient list",
    ]);
  });

  it("a 503 on list is retried and the call succeeds", async () => {
    emulator = await startEmulator("sfs");
    const acme = await warmHandle(emulator);
    const before = emulator.handle.stats().requests;
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const templates = await acme.unwrap(acme.POST("/api/template", listTemplates));
    expect("templates" in templates && templates.templates).toHaveLength(1);
    expect(emulator.handle.stats().requests - before).toBe(2);
  });

  it("a 503 on read (the second safe action of the same operation) is retried too", async () => {
    emulator = await startEmulator("sfs");
    const acme = await warmHandle(emulator);
    emulator.handle.setFaults({ failNext: { status: 503, count: 2 } });
    const read = await acme.unwrap(
      acme.POST("/api/template", {
        body: { data: { action: "read", template: { templateKey: "sfs-demo-client-1-tpl-1" } } },
      }),
    );
    expect((read as components["schemas"]["TemplateReadResponse"]).template.name).toBe("Mutual NDA");
  });

  it("a 503 on create is not retried: the contract is never sent twice", async () => {
    emulator = await startEmulator("sfs");
    const acme = await warmHandle(emulator);
    const before = emulator.handle.stats().requests;
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const error = await acme
      .unwrap(acme.POST("/api/contract", { body: { data: { action: "create", contract: { name: "NDA" } } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(emulator.handle.stats().requests - before).toBe(1);
  });

  it("a 503 on create of a client is not retried although list on the same path is", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    await sfs.platformAuth.authorize(sfs.runtime);
    const before = emulator.handle.stats().requests;
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const { response } = await sfs.POST("/api/client", {
      body: { data: { action: "create", client: { fullname: "Acme" } } },
    });
    expect(response.status).toBe(503);
    expect(emulator.handle.stats().requests - before).toBe(1);
  });

  it("a call outside the spec (client.fetch) has no operation, so even a list is sent once", async () => {
    emulator = await startEmulator("sfs");
    const acme = await warmHandle(emulator);
    const before = emulator.handle.stats().requests;
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const response = await acme.fetch(`${acme.baseUrl}/api/template`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(listTemplates.body),
    });
    expect(response.status).toBe(503);
    expect(emulator.handle.stats().requests - before).toBe(1);
  });
});
