// @x/sfs/mini: the clients without the action and generated methods and the spec's operations table, and the actions
// and operations as functions of a client, against the emulator. What the bundler then leaves out is measured by
// scripts/size.mjs.
import { ApiError, type SdkEvent } from "@x/core";
import { FAST_RETRY, startEmulator, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createContract,
  createSfsClient,
  downloadPdf,
  listClients,
  listContracts,
  listTemplates,
  readTemplate,
  uploadPdf,
} from "../src/mini.js";

let emulator: StartedEmulator<"sfs">;
beforeAll(async () => {
  emulator = await startEmulator("sfs");
});
afterAll(() => emulator.close());

const CLIENT_KEY = "sfs-demo-client-1";

function miniClient(onEvent?: (event: SdkEvent) => void) {
  const { apiKey, secret } = emulator.credentials;
  return createSfsClient({ apiKey, secret, baseUrl: emulator.url, retry: FAST_RETRY, onEvent });
}

/** The requests the emulator received while `run` ran. */
async function requestsDuring(run: () => Promise<unknown>): Promise<number> {
  const before = emulator.handle.stats().requests;
  await run();
  return emulator.handle.stats().requests - before;
}

describe("@x/sfs/mini", () => {
  it("calls the actions as functions of a client of their level, with no action or generated members", async () => {
    const events: SdkEvent[] = [];
    const sfs = miniClient((event) => events.push(event));
    expect("clients" in sfs).toBe(false);
    const acme = sfs.forClient(CLIENT_KEY);
    for (const member of ["templates", "placeholders", "contracts", "recipients"]) expect(member in acme).toBe(false);

    expect((await listClients(sfs)).map((client) => client.clientKey)).toContain(CLIENT_KEY);
    const [template] = await listTemplates(acme);
    const read = await readTemplate(acme, { template: { templateKey: template!.templateKey } });
    expect(read.name).toBe("Mutual NDA");
    const { data: contract, response } = await createContract(acme, { contract: { name: "Mini" } }).withResponse();
    expect(response.status).toBe(201);
    expect((await listContracts(acme)).map((each) => each.contractKey)).toContain(contract.contractKey);
    // Without the spec's operations table the actions still name their operation in events and logs.
    const named = events.filter((e) => e.type === "request.finished").map((e) => e.operationId);
    expect(named).toEqual(["client", "template", "template", "contract", "contract"]);
  });

  it("retries a read-only action on a 503 and sends a create once, without the operations table", async () => {
    const acme = miniClient().forClient(CLIENT_KEY);
    await listTemplates(acme); // the client token, cached, so the faults hit the calls
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    expect(await requestsDuring(() => listTemplates(acme))).toBe(2);
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    let failed: unknown;
    const sent = await requestsDuring(() =>
      createContract(acme, { contract: { name: "Once" } }).catch((error) => (failed = error)),
    );
    expect(failed).toBeInstanceOf(ApiError);
    expect(sent).toBe(1);
  });

  it("serves the generated file operations as functions, in both auth modes", async () => {
    const keyed = createSfsClient({ auth: "apiKey", apiKey: emulator.credentials.apiKey, baseUrl: emulator.url });
    expect("clients" in keyed).toBe(false);
    for (const acme of [miniClient().forClient(CLIENT_KEY), keyed.forClient(CLIENT_KEY)]) {
      const { contractKey } = await createContract(acme, { contract: { name: "Scanned" } });
      const pdf = new Blob(["%PDF-1.7 mini"], { type: "application/pdf" });
      await uploadPdf(acme, { contractKey }, { pdf });
      expect(await (await downloadPdf(acme, { contractKey })).text()).toBe("%PDF-1.7 mini");
    }
  });

  it("keeps the path style, which names no operation and sends a POST once (no table says list is safe)", async () => {
    const events: SdkEvent[] = [];
    const acme = miniClient((event) => events.push(event)).forClient(CLIENT_KEY);
    const body = { data: { action: "list" as const } };
    const { data } = await acme.POST("/api/template", { body });
    expect(data && "templates" in data && data.templates).toHaveLength(1);
    expect(events.filter((e) => e.type === "request.finished").at(-1)?.operationId).toBeUndefined();
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    expect(await requestsDuring(() => acme.POST("/api/template", { body }))).toBe(1);
  });
});
