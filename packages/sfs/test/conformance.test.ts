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

/** The contract flow of one handle: template, contract from it, placeholders, recipients, files. */
async function documentFlow(acme: SfsHandle): Promise<void> {
  const post = acme.POST;
  const template = await acme.unwrap(
    post("/api/template", {
      body: {
        data: {
          action: "create",
          template: { name: "Offer", value: "<p>{{Company Name}}</p>" },
          placeholders: [{ name: "Start Date", value: "" }],
        },
      },
    }),
  );
  const templateKey = "template" in template ? template.template.templateKey : "";
  await acme.listTemplates();
  await acme.unwrap(post("/api/template", { body: { data: { action: "read", template: { templateKey } } } }));
  await acme.listPlaceholders({ templateKey });

  const recipients = [{ email: "ada@example.com", fullname: "Ada", action: "sign" as const, position: 1 }];
  const contract = await acme.unwrap(
    post("/api/contract", {
      body: {
        data: {
          action: "create",
          userKey: "user-1",
          contract: { name: "Offer to Ada", templateKey },
          placeholders: [{ name: "Company Name", value: "Acme" }],
          recipients,
        },
      },
    }),
  );
  const contractKey = "contract" in contract ? contract.contract.contractKey : "";
  await acme.listContracts();
  await acme.unwrap(
    post("/api/contract", { body: { data: { action: "update", contract: { contractKey, name: "B" } } } }),
  );
  await acme.listPlaceholders({ contractKey });
  const placeholder = { name: "Price", value: "10" };
  await acme.unwrap(post("/api/placeholder", { body: { data: { action: "create", contractKey, placeholder } } }));

  const bob = [{ email: "bob@example.com", action: "view" as const }];
  await acme.unwrap(post("/api/recipient", { body: { data: { action: "create", contractKey, recipients: bob } } }));
  const [first] = await acme.listRecipients(contractKey);
  const recipientKey = first?.recipientKey ?? "";
  const recipient = { recipientKey, action: "approve" as const };
  await acme.unwrap(post("/api/recipient", { body: { data: { action: "update", contractKey, recipient } } }));
  const resend = [{ recipientKey, email: "ada@example.com", action: "sign" as const }];
  await acme.unwrap(post("/api/recipient", { body: { data: { action: "send", contractKey, recipients: resend } } }));
  await acme.unwrap(
    post("/api/recipient", { body: { data: { action: "delete", contractKey, recipient: { recipientKey } } } }),
  );

  const form = new FormData();
  form.set("pdf", new Blob(["%PDF-1.7 scanned"], { type: "application/pdf" }), "scan.pdf");
  const upload = { params: { query: { contractKey } }, body: form as unknown as { pdf: string } };
  await acme.unwrap(post("/api/upload_pdf", upload));
  const query = { params: { query: { contractKey } }, parseAs: "arrayBuffer" as const };
  expect((await acme.GET("/api/download_pdf", query)).response.status).toBe(200);
  expect((await acme.GET("/api/download_docx", query)).response.status).toBe(200);
}

describe("@x/sfs against specs/sfs.yaml", () => {
  it("token auth: every flow's requests and answers conform to the spec", async () => {
    const { apiKey, secret } = emulator.credentials;
    const sfs = createSfsClient({ apiKey, secret, baseUrl: proxy.url, retry: FAST_RETRY });
    await sfs.listClients();
    await sfs.unwrap(sfs.POST("/api/client", { body: { data: { action: "create", client: { fullname: "Acme" } } } }));
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
    await keyed.listClients();
    await documentFlow(keyed.forClient("sfs-demo-client-2"));
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
