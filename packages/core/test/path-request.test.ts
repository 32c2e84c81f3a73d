// The path-style calls as core builds them (src/path-request.ts, openapi-fetch's behaviour without its runtime): the
// URL, headers and body a real server receives, and how each kind of answer is read.
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, createProviderClient } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const answer = new URL(req.url, "http://x").searchParams.get("answer");
    if (answer === "empty") return void res.writeHead(204).end();
    if (answer === "zero") return void res.writeHead(200, { "content-length": "0" }).end();
    // An empty body without content-length (chunked): JSON reads it as `undefined`, not as a SyntaxError.
    if (answer === "chunked-empty") {
      res.writeHead(200, { "content-type": "application/json" });
      return void Readable.from([]).pipe(res);
    }
    if (answer === "text") return void res.writeHead(200, { "content-type": "text/plain" }).end("plain words");
    if (answer === "json-error") return json(res, 422, { code: "INVALID", field: "name" });
    if (answer === "text-error")
      return void res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
    if (answer === "empty-error") return void res.writeHead(404, { "content-length": "0" }).end();
    return json(res, 200, { method: req.method, url: req.url, headers: req.headers, body: req.body });
  });
});
afterAll(() => server.close());

const client = (headers?: Record<string, string>) =>
  createProviderClient<Record<string, never>>({ provider: "acme", baseUrl: `${server.url}/`, retry: false, headers });
// Loosely typed: these tests send what a JavaScript caller may send, the typed signatures are tested in types.test-d.
type Echo = { method: string; url: string; headers: Record<string, string | undefined>; body: string };
type Loose = (path: string, init?: Record<string, unknown>, options?: object) => Promise<Record<string, unknown>>;
const call = (method: "GET" | "POST" | "HEAD" | "DELETE", c = client()) => c[method] as unknown as Loose;
const echo = async (result: Promise<Record<string, unknown>>) => (await result).data as Echo;
const last = () => server.requests.at(-1)!;

describe("the URL of a path-style call", () => {
  it("explodes query arrays, writes objects as deepObject, leaves out undefined and null, encodes values", async () => {
    const query = {
      ids: [1, "2 3"],
      filter: { status: "a&b", empty: undefined },
      skip: undefined,
      none: null,
      q: "é=?",
    };
    const { url } = await echo(call("GET")("/things", { params: { query } }));
    expect(url).toBe("/things?ids=1&ids=2%203&filter[status]=a%26b&q=%C3%A9%3D%3F");
  });

  it("puts each path parameter in, percent-encoded (arrays joined with commas), after the base URL", async () => {
    const path = { id: "a/b c?", names: ["x", "y,z"] };
    const { url } = await echo(call("GET")("/customers/{id}/files/{names}", { params: { path } }));
    expect(url).toBe("/customers/a%2Fb%20c%3F/files/x,y%2Cz");
  });

  it("refuses a missing path parameter, naming it, before anything is sent", async () => {
    const sent = server.requests.length;
    const result = call("GET")("/customers/{id}", { params: { path: {} } });
    await expect(result).rejects.toBeInstanceOf(ConfigurationError);
    await expect(result).rejects.toMatchObject({ option: "params.path.id" });
    expect(server.requests.length).toBe(sent);
  });

  it("uses a querySerializer function and refuses openapi-fetch options core does not run", async () => {
    const querySerializer = (query: Record<string, unknown>) => `?list=${Object.keys(query).join("|")}`;
    const { url } = await echo(call("GET")("/things", { params: { query: { a: 1, b: 2 } }, querySerializer }));
    expect(url).toBe("/things?list=a|b");
    for (const option of ["middleware", "baseUrl", "fetch", "pathSerializer"])
      await expect(call("GET")("/things", { [option]: [] })).rejects.toMatchObject({ option });
  });
});

describe("the headers of a path-style call", () => {
  it("lets a null remove a client header, and params.header win over the init's headers", async () => {
    const init = { headers: { "x-version": null, "x-both": "init" }, params: { header: { "x-both": "param" } } };
    const { headers } = await echo(call("GET", client({ "x-version": "1", "x-kept": "k" }))("/things", init));
    expect(headers["x-version"]).toBeUndefined();
    expect(headers["x-kept"]).toBe("k");
    expect(headers["x-both"]).toBe("param");
  });

  it("keeps the headers of an init's Headers object when the call's options add their own", async () => {
    const init = { headers: new Headers({ "x-init": "i", "x-both": "init" }) };
    const { headers } = await echo(call("GET")("/things", init, { headers: { "x-call": "c", "x-both": "call" } }));
    expect([headers["x-init"], headers["x-call"], headers["x-both"]]).toEqual(["i", "c", "call"]);
  });

  it("refuses a header value with a line break without quoting it", async () => {
    const result = call("GET")("/things", { headers: { authorization: "Bearer sec\nret" } });
    await expect(result).rejects.toMatchObject({ option: "headers.authorization" });
    await expect(result).rejects.not.toThrow(/sec/);
  });
});

describe("the body of a path-style call", () => {
  it("sends JSON with its content type, which a null removes", async () => {
    const sent = await echo(call("POST")("/things", { body: { name: "Zoë" } }));
    expect([sent.body, sent.headers["content-type"]]).toEqual(['{"name":"Zoë"}', "application/json"]);
    const untyped = await echo(call("POST")("/things", { body: { a: 1 }, headers: { "content-type": null } }));
    expect(untyped.headers["content-type"]).not.toBe("application/json");
  });

  it("sends FormData, URLSearchParams and Blob as they are, with the content type fetch gives them", async () => {
    const form = new FormData();
    form.append("file", new Blob(["abc"]), "a.txt");
    const multipart = await echo(call("POST")("/things", { body: form }));
    expect(multipart.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart.body).toContain('filename="a.txt"');
    const fields = await echo(call("POST")("/things", { body: new URLSearchParams({ a: "1 2" }) }));
    expect([fields.body, fields.headers["content-type"]]).toEqual([
      "a=1+2",
      "application/x-www-form-urlencoded;charset=UTF-8",
    ]);
    const file = await echo(call("POST")("/things", { body: new Blob(["raw"], { type: "text/csv" }) }));
    expect([file.body, file.headers["content-type"]]).toEqual(["raw", "text/csv"]);
  });

  it("writes an object as form fields under a form content type, and runs a bodySerializer", async () => {
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    expect((await echo(call("POST")("/things", { body: { a: "1", b: "x y" }, headers }))).body).toBe("a=1&b=x+y");
    const bodySerializer = (body: { n: number }) => `n=${body.n * 2}`;
    const doubled = await echo(call("POST")("/things", { body: { n: 21 }, bodySerializer }));
    expect([doubled.body, doubled.headers["content-type"]]).toEqual(["n=42", "application/json"]);
  });

  it("sends no body and no content type without a body", async () => {
    const sent = await echo(call("DELETE")("/things/1"));
    expect([sent.body, sent.headers["content-type"]]).toEqual(["", undefined]);
  });
});

describe("the answer of a path-style call", () => {
  it("reads a success by parseAs: JSON by default, text, blob, arrayBuffer, or the stream unread", async () => {
    const get = (parseAs?: string) => call("GET")("/things", { params: { query: { answer: "text" } }, parseAs });
    await expect(call("GET")("/things")).resolves.toMatchObject({ data: { method: "GET" } });
    expect((await get("text")).data).toBe("plain words");
    expect(await ((await get("blob")).data as Blob).text()).toBe("plain words");
    expect(new TextDecoder().decode((await get("arrayBuffer")).data as ArrayBuffer)).toBe("plain words");
    const stream = (await get("stream")).data as ReadableStream<Uint8Array>;
    expect(await new Response(stream).text()).toBe("plain words");
    await expect(get("buffer")).rejects.toMatchObject({ option: "parseAs" });
  });

  it("gives undefined data for 204, HEAD, a content-length of 0 and an empty JSON body", async () => {
    for (const answer of ["empty", "zero", "chunked-empty"]) {
      const result = await call("GET")("/things", { params: { query: { answer } } });
      expect(result).toEqual({ data: undefined, response: expect.any(Response) });
    }
    expect((await call("HEAD")("/things")).data).toBeUndefined();
  });

  it("gives an error body as JSON when it parses, else as text, and no error body for an empty one", async () => {
    const error = (answer: string) => call("GET")("/things", { params: { query: { answer } } });
    const parsed = await error("json-error");
    expect(parsed).toEqual({ error: { code: "INVALID", field: "name" }, response: expect.any(Response) });
    expect((parsed.response as Response).status).toBe(422);
    expect((await error("text-error")).error).toBe("<h1>Bad gateway</h1>");
    expect(await error("empty-error")).toEqual({ error: undefined, response: expect.any(Response) });
  });
});
