// The action methods (`acme.templates.list()`, `sfs.clients.create(...)`) and the generated file method, over real
// sockets: what they send, what they return, the call's options, retries by action, and the typed errors.
import { ApiError, ConfigurationError, TimeoutError, type SdkEvent } from "@x/core";
import { json, startEmulator, startTestServer, type StartedEmulator, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSfsClient, isSfsError } from "../src/index.js";
import { demoClient } from "./helpers.js";

let emulator: StartedEmulator<"sfs"> | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await server?.close();
  emulator = server = undefined;
});

const SECRET = "sfs-test-secret-7f3a";

/** A token client on a test server that answers tokens and, for everything else, what `answer` says. */
async function onServer(answer: (path: string, body: unknown) => [number, unknown] | "hang") {
  server = await startTestServer((req, res) => {
    if (req.path === "/api/token") return json(res, 201, { access_token: "t", expires_in: 1800 });
    const result = answer(req.path, req.body ? JSON.parse(req.body) : undefined);
    if (result === "hang") return void setTimeout(() => json(res, 200, { templates: [], code: "200" }), 300);
    json(res, ...result);
  });
  return createSfsClient({ apiKey: "sfs-test-key", secret: SECRET, baseUrl: server.url, retry: false });
}

const calls = () => (server?.requests ?? []).filter((r) => r.path !== "/api/token");

describe("action methods send the action and return its resource", () => {
  it("clients.list sends { data: { action: 'list' } } on the platform token and returns the clients", async () => {
    emulator = await startEmulator("sfs");
    const clients = await demoClient(emulator).clients.list();
    expect(clients.map((c) => c.clientKey)).toEqual(["sfs-demo-client-1", "sfs-demo-client-2"]);
  });

  it("clients.create returns the created client, which forClient then acts for", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator);
    const client = await sfs.clients.create({ client: { fullname: "Acme", email: "ops@acme.test" } });
    expect(client.clientKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.users?.[0]?.default).toBe(true);
    const [template] = await sfs.forClient(client.clientKey).templates.list();
    expect(template?.templateKey.startsWith(client.clientKey)).toBe(true); // the emulator's starter template
  });

  it("the body is the action's data with the action set by the method, whatever the data says", async () => {
    const sfs = await onServer(() => [200, { contracts: [], code: "200", message: "ok" }]);
    // A JavaScript caller (no types) passing an action: the method's own action wins, so a list stays a list.
    await sfs.forClient("c").contracts.list({ action: "create" } as never);
    expect(JSON.parse(calls()[0]!.body)).toEqual({ data: { action: "list" } });
  });

  it("withResponse gives the resource and the raw answer", async () => {
    emulator = await startEmulator("sfs");
    const acme = demoClient(emulator).forClient("sfs-demo-client-1");
    const { data, response } = await acme.templates.list().withResponse();
    expect(data.map((t) => t.name)).toEqual(["Mutual NDA"]);
    expect(response.status).toBe(200);
    expect(await response.json().catch(() => "read")).toBe("read"); // openapi-fetch read the body already
  });

  it("data that is not an object is a ConfigurationError naming it, before anything is sent", async () => {
    const sfs = await onServer(() => [200, {}]);
    const error = await sfs
      .forClient("c")
      .templates.read("TEMPLATE_KEY" as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option: "data" });
    expect((error as Error).message).toMatch(/^read on \/api\/template takes the action's data as an object/);
    expect(calls()).toHaveLength(0);
  });
});

describe("the client's machinery applies to every action method", () => {
  it("withOptions keeps the action methods and the generated file method", async () => {
    emulator = await startEmulator("sfs");
    const sfs = demoClient(emulator).withOptions({ timeoutMs: 5_000 });
    expect((await sfs.clients.list()).length).toBe(2);
    const acme = sfs.forClient("sfs-demo-client-1").withOptions({ headers: { "x-team": "ops" } });
    expect((await acme.templates.list()).length).toBe(1);
    const { contractKey } = await acme.contracts.create({ contract: { name: "NDA" } });
    const pdf = new Blob(["%PDF-1.7"], { type: "application/pdf" });
    expect(await acme.contracts.uploadPdf({ contractKey }, { pdf })).toMatchObject({ code: "200" });
    // A file answer is read as a Blob (the spec's `format: binary`), not parsed as JSON.
    const downloaded = await acme.contracts.downloadPdf({ contractKey });
    expect(downloaded).toBeInstanceOf(Blob);
    expect((await downloaded.text()).startsWith("%PDF")).toBe(true);
  });

  it("a call's headers and timeout reach that call only", async () => {
    let slow = false;
    const sfs = await onServer(() => (slow ? "hang" : [200, { templates: [], code: "200", message: "ok" }]));
    const acme = sfs.forClient("c");
    await acme.templates.list({}, { headers: { "x-trace": "t-1" } });
    await acme.templates.list();
    const [traced, plain] = calls();
    expect(traced?.headers["x-trace"]).toBe("t-1");
    expect(plain?.headers["x-trace"]).toBeUndefined();
    slow = true;
    const timedOut = await acme.templates.list(undefined, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(await acme.templates.list()).toEqual([]); // the next call has the client's limit again
  });

  it("events name the operation and its attempts, as for a path-style call", async () => {
    emulator = await startEmulator("sfs");
    const events: SdkEvent[] = [];
    const acme = demoClient(emulator, { onEvent: (event) => events.push(event) }).forClient("sfs-demo-client-1");
    await acme.templates.list(); // tokens fetched
    events.length = 0;
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    await acme.templates.list();
    const finished = events.filter((event) => event.type === "request.finished" && event.path === "/api/template");
    expect(finished).toEqual([
      expect.objectContaining({ method: "POST", operationId: "template", status: 200, attempts: 2 }),
    ]);
  });

  it("a list is retried on 503 (a read-only action), a create is sent once", async () => {
    emulator = await startEmulator("sfs");
    const acme = demoClient(emulator).forClient("sfs-demo-client-1");
    await acme.templates.list(); // tokens fetched
    const before = emulator.handle.stats().requests;
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    expect(await acme.templates.list()).toHaveLength(1);
    expect(emulator.handle.stats().requests - before).toBe(2);

    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const error = await acme.contracts.create({ contract: { name: "NDA" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(emulator.handle.stats().requests - before).toBe(3);
  });

  it("an HTTP error throws the typed ApiError, which isSfsError narrows by code", async () => {
    emulator = await startEmulator("sfs");
    const acme = demoClient(emulator).forClient("sfs-demo-client-1");
    const error = await acme.templates.read({ template: { templateKey: "nope" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isSfsError(error, "NOT_FOUND")).toBe(true);
    if (isSfsError(error, "NOT_FOUND")) expect((error as ApiError).status).toBe(404);
    expect((error as Error).message).toContain("unknown templateKey");
  });

  it("an error answer's body keeps no credential: the secrets are scrubbed as on the path style", async () => {
    const sfs = await onServer(() => [400, { code: "400", message: `secret ${SECRET} refused` }]);
    const error = await sfs.clients.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((error as ApiError).body) + (error as Error).message).not.toContain(SECRET);
  });
});
