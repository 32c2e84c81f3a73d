import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  XError,
  createProviderClient,
  isXError,
  providerErrorGuard,
} from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = {
  "/things": {
    get: {
      responses: {
        200: { content: { "application/json": unknown } };
        404: { content: { "application/json": unknown } };
      };
    };
  };
};
type Core = typeof import("../src/index.js");
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

type AcmeCode = "NOT_FOUND" | "LOCKED";
const isAcmeError = providerErrorGuard<AcmeCode, "acme">("acme");

describe("error guards", () => {
  it("isXError recognises every @x error, optionally by provider and code, and nothing else of the same name", () => {
    const error = new ApiError("acme failed with 404", { provider: "acme", status: 404, code: "NOT_FOUND" });
    expect(isXError(error)).toBe(true);
    expect(isXError(error, { provider: "acme" })).toBe(true);
    expect(isXError(error, { provider: "acme", code: "NOT_FOUND" })).toBe(true);
    expect(isXError(error, { code: "LOCKED" })).toBe(false);
    expect(isXError(error, { provider: "other" })).toBe(false);
    // Errors that only look alike: the DOM's AbortError, an Error renamed, a plain object.
    expect(isXError(new DOMException("aborted", "AbortError"))).toBe(false);
    expect(isXError(Object.assign(new Error("x"), { name: "XError", provider: "acme" }))).toBe(false);
    expect(isXError({ name: "ApiError", provider: "acme", code: "NOT_FOUND" })).toBe(false);
    expect(isXError(undefined)).toBe(false);
    // The brand is not a field: it stays out of JSON and of the error's own keys.
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(JSON.stringify(error)).not.toContain("x.error");
  });

  it("a provider's guard matches that provider's errors, with or without a code", () => {
    const locked = new AuthenticationError("acme refused", { provider: "acme", code: "LOCKED" });
    expect(isAcmeError(locked)).toBe(true);
    expect(isAcmeError(locked, "LOCKED")).toBe(true);
    expect(isAcmeError(locked, "NOT_FOUND")).toBe(false);
    expect(isAcmeError(new XError("x", { provider: "other", code: "LOCKED" }))).toBe(false);
    expect(isAcmeError(new Error("x"))).toBe(false);
  });

  it(
    "holds across an ESM and a CommonJS copy of @x/core in one app: " +
      "a guard of one copy recognises an error thrown by the other",
    async () => {
      const server = await startTestServer((_req, res) => json(res, 404, { code: "NOT_FOUND" }));
      servers.push(server);
      // The built package, as an app would load it both ways (tsup builds dist/ before the tests run).
      const cjs = createRequire(import.meta.url)("../dist/index.cjs") as Core;
      const esm = (await import(new URL("../dist/index.js", import.meta.url).href)) as Core;
      expect(cjs.ApiError).not.toBe(esm.ApiError);
      const thrownBy = async (core: Core) => {
        const client = core.createProviderClient<Paths>({
          provider: "acme",
          baseUrl: server.url,
          describeError: (body) => body as { code: string },
        });
        return client.unwrap(client.GET("/things")).catch((e: unknown) => e);
      };
      const fromCjs = await thrownBy(cjs);
      const fromEsm = await thrownBy(esm);
      expect(fromCjs).toBeInstanceOf(cjs.ApiError);
      expect(fromCjs).not.toBeInstanceOf(esm.ApiError); // why instanceof alone is not enough
      expect(esm.isXError(fromCjs, { provider: "acme", code: "NOT_FOUND" })).toBe(true);
      expect(cjs.isXError(fromEsm, { provider: "acme", code: "NOT_FOUND" })).toBe(true);
      expect(esm.providerErrorGuard<AcmeCode>("acme")(fromCjs, "NOT_FOUND")).toBe(true);
      expect(cjs.providerErrorGuard<AcmeCode>("acme")(fromEsm, "NOT_FOUND")).toBe(true);
      expect(isXError(fromCjs)).toBe(true); // and the source copy of these tests too
    },
  );

  it("narrows a caught error from a typed call", async () => {
    const server = await startTestServer((_req, res) => json(res, 404, { code: "NOT_FOUND" }));
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      describeError: (body) => body as { code: string },
    });
    const caught = await client.unwrap(client.GET("/things")).catch((e: unknown) => e);
    expect(isAcmeError(caught, "NOT_FOUND") && caught.code).toBe("NOT_FOUND");
  });
});
