import {
  FAST_RETRY,
  startConformanceProxy,
  startEmulator,
  type ConformanceProxy,
  type StartedEmulator,
} from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSfsClient, type SfsHandle } from "../src/index.js";

// Every exchange between the client and the emulator goes through a proxy that checks it against specs/sfs.yaml: a
// field the client sends or the emulator answers that the spec does not declare fails here, so the three agree.
let emulator: StartedEmulator<"sfs">;
let proxy: ConformanceProxy;
beforeAll(async () => {
  emulator = await startEmulator("sfs");
  proxy = await startConformanceProxy({ spec: "sfs", target: emulator.url });
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

/** The contract flow of one handle, with its action methods and the generated file methods. */
async function documentFlow(acme: SfsHandle): Promise<void> {
  const { templateKey } = await acme.templates.create({
    template: { name: "Offer", value: "<p>{{Company Name}}</p>" },
    placeholders: [{ name: "Start Date", value: "" }],
  });
  await acme.templates.list();
  await acme.templates.read({ template: { templateKey } });
  await acme.placeholders.list({ templateKey });

  const { contractKey } = await acme.contracts.create({
    userKey: "user-1",
    contract: { name: "Offer to Ada", templateKey },
    placeholders: [{ name: "Company Name", value: "Acme" }],
    recipients: [{ email: "ada@example.com", fullname: "Ada", action: "sign", position: 1 }],
  });
  await acme.contracts.list();
  await acme.contracts.update({ contract: { contractKey, name: "B" } });
  await acme.placeholders.list({ contractKey });
  await acme.placeholders.create({ contractKey, placeholder: { name: "Price", value: "10" } });

  await acme.recipients.create({ contractKey, recipients: [{ email: "bob@example.com", action: "view" }] });
  const [first] = await acme.recipients.list({ contractKey });
  const recipientKey = first?.recipientKey ?? "";
  await acme.recipients.update({ contractKey, recipient: { recipientKey, action: "approve" } });
  await acme.recipients.send({ contractKey, recipients: [{ recipientKey, email: "ada@example.com", action: "sign" }] });
  await acme.recipients.delete({ contractKey, recipient: { recipientKey } });

  const pdf = new Blob(["%PDF-1.7 scanned"], { type: "application/pdf" });
  await acme.contracts.uploadPdf({ contractKey }, { pdf });
  // Files come back as bytes, which the path style reads with parseAs (the generated methods read JSON).
  const query = { params: { query: { contractKey } }, parseAs: "arrayBuffer" as const };
  expect((await acme.GET("/api/download_pdf", query)).response.status).toBe(200);
  expect((await acme.GET("/api/download_docx", query)).response.status).toBe(200);
}

describe("@x/sfs against specs/sfs.yaml", () => {
  it("token auth: every flow's requests and answers conform to the spec", async () => {
    const { apiKey, secret } = emulator.credentials;
    const sfs = createSfsClient({ apiKey, secret, baseUrl: proxy.url, retry: FAST_RETRY });
    await sfs.clients.list();
    await sfs.clients.create({ client: { fullname: "Acme" } });
    const acme = sfs.forClient("sfs-demo-client-1");
    await documentFlow(acme);

    // Error answers are checked too: SFS's `{ code, message }` on a 404 and a 400.
    const unknown = { data: { action: "read" as const, template: { templateKey: "nope" } } };
    expect((await acme.POST("/api/template", { body: unknown })).response.status).toBe(404);
    expect(
      (await acme.POST("/api/placeholder", { body: { data: { action: "list", templateKey: "x" } } })).response.status,
    ).toBe(404);
    await acme.revoke();
    await sfs.revoke();

    proxy.assertConforms();
  });

  it("API key auth: the key in X-Sendforsign-Key and clientKey in data or query conform as well", async () => {
    const keyed = createSfsClient({ auth: "apiKey", apiKey: emulator.credentials.apiKey, baseUrl: proxy.url });
    await keyed.clients.list();
    await documentFlow(keyed.forClient("sfs-demo-client-2"));
    // @ts-expect-error a client-level path on the platform client: SFS refuses it without a clientKey, as typed
    const missing = await keyed.POST("/api/template", { body: { data: { action: "list" } } });
    expect(missing.response.status).toBe(400);

    proxy.assertConforms();
    expect(proxy.covered()).toEqual([
      "GET /api/download_docx",
      "GET /api/download_pdf",
      "POST /api/client",
      "POST /api/contract",
      "POST /api/placeholder",
      "POST /api/recipient",
      "POST /api/template",
      "POST /api/token",
      "POST /api/upload_pdf",
    ]);
  });
});
