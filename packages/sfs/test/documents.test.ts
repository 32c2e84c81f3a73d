import { XError } from "@x/core";
import { startEmulator, startTestServer, json, type StartedEmulator, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSfsClient, isSfsError, type SfsHandle } from "../src/index.js";
import { demoClient } from "./helpers.js";

let emulator: StartedEmulator<"sfs"> | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await server?.close();
  emulator = server = undefined;
});

async function acmeOn(started: StartedEmulator<"sfs">): Promise<SfsHandle> {
  return demoClient(started).forClient("sfs-demo-client-1");
}

describe("list answers are envelopes", () => {
  it("templates: { templates: [...], code, message }, as Sendforsign's components read them", async () => {
    emulator = await startEmulator("sfs");
    const acme = await acmeOn(emulator);
    const answer = await acme.unwrap(acme.POST("/api/template", { body: { data: { action: "list" } } }));
    expect(answer).toEqual({
      templates: [expect.objectContaining({ templateKey: "sfs-demo-client-1-tpl-1", name: "Mutual NDA" })],
      code: "200",
      message: "Templates found",
    });
  });

  it("placeholders: { placeholders: [{ id, placeholderKey, position, ... }], code, message }", async () => {
    emulator = await startEmulator("sfs");
    const acme = await acmeOn(emulator);
    const body = { data: { action: "list" as const, templateKey: "sfs-demo-client-1-tpl-1" } };
    const answer = await acme.unwrap(acme.POST("/api/placeholder", { body }));
    expect(answer).toMatchObject({ code: "200", message: "Placeholders found" });
    const placeholders = "placeholders" in answer ? answer.placeholders : [];
    expect(
      placeholders.map(({ id, placeholderKey, position, name }) => ({ id, placeholderKey, position, name })),
    ).toEqual([
      { id: "1", placeholderKey: "sfs-demo-client-1-tpl-1-ph-1", position: 1, name: "Company Name" },
      { id: "2", placeholderKey: "sfs-demo-client-1-tpl-1-ph-2", position: 2, name: "Partner Name" },
    ]);
  });

  it("clients: { clients: [...], code, message }", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    const answer = await sfs.unwrap(sfs.POST("/api/client", { body: { data: { action: "list" } } }));
    expect(answer).toMatchObject({ code: "200", message: "Clients found" });
    expect(("clients" in answer ? answer.clients : []).map((c) => c.clientKey)).toEqual([
      "sfs-demo-client-1",
      "sfs-demo-client-2",
    ]);
  });

  it("a list method refuses an answer without its envelope (a bare array) instead of reading it as empty", async () => {
    // What the previous emulator (and spec) answered: a bare array, which a real SFS never sends.
    server = await startTestServer((req, res) => {
      if (req.path === "/api/token") return json(res, 201, { access_token: "t", expires_in: 1800 });
      json(res, 200, [{ templateKey: "tpl-1" }]);
    });
    const sfs = createSfsClient({ apiKey: "k", secret: "s", baseUrl: server.url, retry: false });
    const error = await sfs
      .forClient("c")
      .templates.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XError);
    expect(isSfsError(error, "UNEXPECTED_RESPONSE")).toBe(true);
    expect((error as Error).message).toMatch(/list on \/api\/template with a bare array without a "templates" array/);
  });

  it("a create refuses an answer without the created resource", async () => {
    server = await startTestServer((req, res) => {
      if (req.path === "/api/token") return json(res, 201, { access_token: "t", expires_in: 1800 });
      json(res, 201, { code: "201", message: "Contract created" });
    });
    const sfs = createSfsClient({ apiKey: "k", secret: "s", baseUrl: server.url, retry: false });
    const error = await sfs
      .forClient("c")
      .contracts.create({ contract: { name: "NDA" } })
      .catch((e: unknown) => e);
    expect(isSfsError(error, "UNEXPECTED_RESPONSE")).toBe(true);
    expect((error as Error).message).toMatch(/create on \/api\/contract with an object without a "contract" object/);
  });
});

describe("the documented actions, one method each", () => {
  it("template create (with placeholders), then a contract from it, filled in and sent at once", async () => {
    emulator = await startEmulator("sfs");
    const acme = await acmeOn(emulator);
    const { templateKey } = await acme.templates.create({
      template: { name: "Offer", value: "<p>{{Company Name}} offers</p>" },
      placeholders: [{ name: "Start Date", value: "" }],
    });
    expect((await acme.templates.list()).map((t) => t.name)).toEqual(["Mutual NDA", "Offer"]);
    expect(await acme.templates.read({ template: { templateKey } })).toMatchObject({
      templateKey,
      name: "Offer",
      value: "<p>{{Company Name}} offers</p>",
    });
    expect((await acme.placeholders.list({ templateKey })).map((p) => p.name)).toEqual(["Company Name", "Start Date"]);

    const { contractKey } = await acme.contracts.create({
      userKey: "user-1",
      contract: { name: "Offer to Ada", templateKey },
      placeholders: [{ name: "Company Name", value: "Acme" }],
      recipients: [{ email: "ada@example.com", fullname: "Ada", action: "sign", position: 1 }],
    });
    expect(await acme.contracts.list()).toEqual([expect.objectContaining({ contractKey, status: "Sent" })]);
    const filled = await acme.placeholders.list({ contractKey });
    expect(filled.find((p) => p.name === "Company Name")?.value).toBe("Acme");
    expect((await acme.recipients.list({ contractKey })).map((r) => [r.email, r.action])).toEqual([
      ["ada@example.com", "sign"],
    ]);
  });

  it("contract update, placeholder create (numeric code), recipients create, update, send and delete", async () => {
    emulator = await startEmulator("sfs");
    const acme = await acmeOn(emulator);
    const { contractKey } = await acme.contracts.create({ contract: { name: "Draft" } });

    expect(await acme.contracts.update({ contract: { contractKey, name: "Final" } })).toMatchObject({ contractKey });
    expect((await acme.contracts.list())[0]?.name).toBe("Final");

    // The placeholder pages answer with a number in `code`, unlike the rest of the API; the method returns the
    // placeholder itself, and the whole answer stays one call away.
    const { data, response } = await acme.placeholders
      .create({ contractKey, placeholder: { name: "Price", value: "10" } })
      .withResponse();
    expect(data).toMatchObject({ name: "Price", value: "10", position: "1" });
    expect(response.status).toBe(201);

    const added = await acme.recipients.create({
      contractKey,
      recipients: [{ email: "bob@example.com", fullname: "Bob", action: "view" }],
    });
    expect(added).toEqual({ result: true, code: "200", message: "Recipient created" });
    const [bob] = await acme.recipients.list({ contractKey });
    const recipientKey = bob?.recipientKey as string;
    const change = { recipientKey, action: "approve" as const, position: 2 };
    expect(await acme.recipients.update({ contractKey, recipient: change })).toHaveProperty("changeTime");
    const sendTo = [{ recipientKey, email: "bob@example.com", action: "sign" as const }];
    expect(await acme.recipients.send({ contractKey, recipients: sendTo })).toEqual({
      result: true,
      code: "200",
      message: "Contract sent",
    });
    expect((await acme.recipients.list({ contractKey })).map((r) => [r.recipientKey, r.action])).toEqual([
      [recipientKey, "sign"],
    ]);
    expect((await acme.contracts.list())[0]?.status).toBe("Sent");
    await acme.recipients.delete({ contractKey, recipient: { recipientKey } });
    expect(await acme.recipients.list({ contractKey })).toEqual([]);
  });

  it("a Word download of a contract comes back as a .docx file", async () => {
    emulator = await startEmulator("sfs");
    const acme = await acmeOn(emulator);
    const { contractKey } = await acme.contracts.create({ contract: { name: "W" } });
    const { response } = await acme.GET("/api/download_docx", {
      params: { query: { contractKey } },
      parseAs: "stream",
    });
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 2)).toEqual(new TextEncoder().encode("PK"));
  });
});
