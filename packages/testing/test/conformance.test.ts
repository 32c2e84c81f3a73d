import { afterEach, describe, expect, it } from "vitest";
import { json, startConformanceProxy, startTestServer, type ConformanceProxy, type TestServer } from "../src/index.js";

// A small 3.1 spec with what the proxy must check: a templated and a literal path, a required query parameter with
// an enum, a required header, a JSON and a form body, declared statuses and response shapes, and a shared schema.
const SPEC = {
  openapi: "3.1.0",
  info: { title: "Fixture", version: "1" },
  servers: [{ url: "https://api.example.test/api/v1" }],
  paths: {
    "/things": {
      get: {
        operationId: "listThings",
        parameters: [
          { name: "view", in: "query", required: true, schema: { type: "string", enum: ["bankView", "userView"] } },
          { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
          { name: "ids", in: "query", schema: { type: "array", items: { type: "integer" } } },
        ],
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["things"],
                  properties: { things: { type: "array", items: { $ref: "#/components/schemas/Thing" } } },
                },
              },
            },
          },
          "400": { description: "bad", content: { "application/json": { schema: { type: "object" } } } },
        },
      },
      post: {
        operationId: "createThing",
        parameters: [{ name: "X-Key", in: "header", required: true, schema: { type: "string" } }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
        },
        responses: { "201": { description: "created" } },
      },
    },
    "/things/latest": {
      get: { operationId: "latestThing", responses: { "200": { description: "ok" } } },
    },
    "/things/{id}": {
      get: {
        operationId: "getThing",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
    },
    "/token": {
      post: {
        operationId: "token",
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                required: ["grant_type"],
                properties: { grant_type: { enum: ["password"] }, ttl: { type: "integer" } },
              },
            },
          },
        },
        responses: { "200": { description: "ok" } },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: "object",
        required: ["id", "name"],
        properties: { id: { type: "integer" }, name: { type: ["string", "null"] } },
      },
    },
  },
};

let server: TestServer | undefined;
let proxy: ConformanceProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
});

/** An upstream that answers each path with what the test wants, so both conforming and broken answers can be sent. */
async function setup(answer: (path: string) => { status: number; body?: unknown }) {
  server = await startTestServer((req, res) => {
    const { status, body } = answer(req.path);
    if (body === undefined) {
      res.writeHead(status);
      res.end();
    } else {
      json(res, status, body);
    }
  });
  proxy = await startConformanceProxy({ spec: SPEC, target: server.url });
  return `${proxy.url}/api/v1`;
}

describe("startConformanceProxy", () => {
  it("forwards conforming exchanges unchanged and reports no violation", async () => {
    const base = await setup((path) =>
      path.endsWith("/things") ? { status: 200, body: { things: [{ id: 1, name: null }] } } : { status: 200 },
    );
    const listed = await fetch(`${base}/things?view=bankView&page=2&ids=1&ids=2`);
    expect(await listed.json()).toEqual({ things: [{ id: 1, name: null }] });
    await fetch(`${base}/things/latest`);
    await fetch(`${base}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&ttl=60",
    });
    proxy?.assertConforms();
    expect(proxy?.covered()).toEqual(["GET /things", "GET /things/latest", "POST /token"]);
    // The upstream saw the request as the client sent it, query included.
    expect(server?.requests[0]?.url).toBe("/api/v1/things?view=bankView&page=2&ids=1&ids=2");
  });

  it("reports a missing required query parameter, a value outside its enum and an unknown parameter", async () => {
    const base = await setup(() => ({ status: 200, body: { things: [] } }));
    await fetch(`${base}/things`);
    await fetch(`${base}/things?view=sideways&page=0&perPage=5`);
    const found = proxy?.violations.map((v) => `${v.exchange} | ${v.where} | ${v.message}`) ?? [];
    expect(found).toEqual([
      'GET /api/v1/things | request query "view" | is required but was not sent',
      expect.stringMatching(/request query "view" \| value must be equal to one of the allowed values/),
      expect.stringMatching(/request query "page" \| value must be >= 1/),
      'GET /api/v1/things | request query "perPage" | is not a parameter of this operation in the spec',
    ]);
    expect(() => proxy?.assertConforms()).toThrow(/4 violation\(s\) of the spec/);
  });

  it("reports request bodies and headers that break the spec", async () => {
    const base = await setup(() => ({ status: 201 }));
    await fetch(`${base}/things`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "one" }),
    });
    const where = proxy?.violations.map((v) => `${v.where}: ${v.message}`) ?? [];
    expect(where).toContainEqual('request header "X-Key": is required but was not sent');
    expect(where).toContainEqual(expect.stringMatching(/^request body: .*value must have required property 'name'/));
    expect(where).toContainEqual(expect.stringMatching(/^request body: .*value\/id must be integer/));
  });

  it("reports undeclared statuses, wrong response shapes and paths the spec does not have", async () => {
    const base = await setup((path) =>
      path.endsWith("/7") ? { status: 200, body: { id: "7" } } : { status: 418, body: { teapot: true } },
    );
    await fetch(`${base}/things/7`);
    await fetch(`${base}/things?view=userView`);
    await fetch(`${base}/nowhere`);
    expect(proxy?.violations.map((v) => `${v.exchange} | ${v.where}`)).toEqual([
      "GET /api/v1/things/7 | response 200 body",
      "GET /api/v1/things | response 418",
      "GET /api/v1/nowhere | request",
    ]);
    expect(proxy?.violations[1]?.message).toBe("status is not declared by the spec (declared: 200, 400)");
  });

  it("leaves the sandbox's own endpoints alone, and refuses to pass when nothing went through it", async () => {
    const base = await setup(() => ({ status: 200, body: {} }));
    expect(() => proxy?.assertConforms()).toThrow(/no exchange went through the proxy/);
    await fetch(`${base.replace("/api/v1", "")}/__sandbox/stats`);
    expect(proxy?.violations).toEqual([]);
    expect(proxy?.exchanges).toEqual([]);
  });
});
