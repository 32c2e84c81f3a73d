import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../src/index.js";

let sandbox: Sandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ["sfs"] });
  base = sandbox.urls.sfs as string;
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const creds = () => sandbox.provider("sfs").demoCredentials as Record<string, string>;

/** A JSON call `{ data }` to an SFS resource, with the given headers (a key, a bearer, or none). */
async function call(resource: string, data: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/${resource}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ data }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const withKey = () => ({ "x-sendforsign-key": creds().apiKey as string });

async function clientToken(clientKey: string): Promise<string> {
  const platform = await call("token", { action: "create", apiKey: creds().apiKey, secret: creds().secret });
  const client = await call(
    "token",
    { action: "create", clientKey },
    { authorization: `Bearer ${platform.body.access_token as string}` },
  );
  return client.body.access_token as string;
}

describe("sfs emulator: the API key mode (X-Sendforsign-Key + clientKey in data)", () => {
  it("answers a client-level call with the key and its clientKey, issuing no token", async () => {
    const { status, body } = await call("template", { action: "list", clientKey: creds().clientKey }, withKey());
    expect(status).toBe(200);
    expect(body).toMatchObject({ templates: [{ templateKey: "sfs-demo-client-1-tpl-1" }], code: "200" });
    expect(sandbox.stats().sfs?.tokensIssued).toEqual({});
  });

  it("enforces it: no credential 401, a wrong key 403, no clientKey 400, an unknown one 404", async () => {
    expect((await call("template", { action: "list", clientKey: creds().clientKey })).status).toBe(401);
    const wrong = { "x-sendforsign-key": "not-the-key" };
    expect((await call("template", { action: "list", clientKey: creds().clientKey }, wrong)).status).toBe(403);
    const missing = await call("template", { action: "list" }, withKey());
    expect(missing).toMatchObject({
      status: 400,
      body: { code: "400", message: expect.stringContaining("clientKey") },
    });
    expect((await call("template", { action: "list", clientKey: "nobody" }, withKey())).status).toBe(404);
  });

  it("takes the key alone for platform-level calls, and not on the token endpoint", async () => {
    expect((await call("client", { action: "list" }, withKey())).status).toBe(200);
    expect((await call("token", { action: "revoke" }, withKey())).status).toBe(400);
  });

  it("names the client in the query of the file endpoints", async () => {
    const created = await call(
      "contract",
      { action: "create", clientKey: creds().clientKey, contract: { name: "A" } },
      withKey(),
    );
    const contractKey = (created.body.contract as { contractKey: string }).contractKey;
    const url = `${base}/api/download_pdf?contractKey=${contractKey}`;
    expect((await fetch(url, { headers: withKey() })).status).toBe(400);
    const pdf = await fetch(`${url}&clientKey=${creds().clientKey}`, { headers: withKey() });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect((await pdf.text()).startsWith("%PDF-")).toBe(true);
  });
});

describe("sfs emulator: lists are envelopes, as the reference pages show", () => {
  it("clients, templates, placeholders, contracts and recipients, each beside code and message", async () => {
    const bearer = { authorization: `Bearer ${await clientToken(creds().clientKey as string)}` };
    const platform = await call("token", { action: "create", apiKey: creds().apiKey, secret: creds().secret });
    const clients = await call("client", { action: "list" }, { authorization: `Bearer ${platform.body.access_token}` });
    expect(clients.body).toMatchObject({ clients: [{ clientKey: "sfs-demo-client-1" }, {}], message: "Clients found" });

    const templates = await call("template", { action: "list" }, bearer);
    expect(templates.body).toMatchObject({ templates: [{ name: "Mutual NDA" }], code: "200" });

    const placeholders = await call("placeholder", { action: "list", templateKey: "sfs-demo-client-1-tpl-1" }, bearer);
    expect(placeholders.body).toEqual({
      placeholders: [
        expect.objectContaining({ id: "1", placeholderKey: "sfs-demo-client-1-tpl-1-ph-1", position: 1 }),
        expect.objectContaining({ id: "2", placeholderKey: "sfs-demo-client-1-tpl-1-ph-2", position: 2 }),
      ],
      code: "200",
      message: "Placeholders found",
    });

    const recipients = [{ email: "ada@example.com", fullname: "Ada", action: "sign" }];
    const created = await call("contract", { action: "create", contract: { name: "NDA" }, recipients }, bearer);
    expect(created.status).toBe(201);
    const contractKey = (created.body.contract as { contractKey: string }).contractKey;
    const contracts = await call("contract", { action: "list" }, bearer);
    expect(contracts.body).toMatchObject({ contracts: [{ contractKey, name: "NDA", status: "Sent" }], code: "200" });
    const listed = await call("recipient", { action: "list", contractKey }, bearer);
    expect(listed.body).toMatchObject({ recipients: [{ email: "ada@example.com", name: "Ada" }], code: "200" });
  });
});
