// Hostile input, concern 6: `.` and `..` as path parameters. URL parsing resolves dot segments (also `%2e`), so
// `DELETE /customers/{id}` with id ".." would delete at the parent path. Refused before anything is sent.
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, createProviderClient, isXError } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = {
  "/customers/{customer_id}": {
    delete: {
      parameters: { path: { customer_id: string } };
      responses: { 200: { content: { "application/json": unknown } } };
    };
  };
  "/requests/{id}": {
    post: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": unknown } } } };
  };
};
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function client() {
  const server = await startTestServer((_req, res) => json(res, 200, {}));
  servers.push(server);
  return {
    server,
    client: createProviderClient<Paths>({ provider: "acme", baseUrl: `${server.url}/api/v6`, retry: false }),
  };
}

describe("dot segments in path parameters", () => {
  for (const id of ["..", "."]) {
    it(`DELETE /customers/{customer_id} with "${id}" is refused, nothing sent`, async () => {
      const { server, client: api } = await client();
      const error = await api.DELETE("/customers/{customer_id}", { params: { path: { customer_id: id } } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(isXError(error, { code: "DOT_SEGMENT" })).toBe(true);
      expect(server.requests).toHaveLength(0);
    });
  }

  it("POST /requests/{id} with ., and URLs built by hand with a dot segment (also %2e), are refused too", async () => {
    const { server, client: api } = await client();
    await expect(api.POST("/requests/{id}", { params: { path: { id: "." } } })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    for (const segment of ["..", "%2e%2e", "%2E", ".%2e", "."])
      for (const tail of ["", "/admin", "?q=1"])
        await expect(api.fetch(`${api.baseUrl}/customers/${segment}${tail}`)).rejects.toBeInstanceOf(
          ConfigurationError,
        );
    expect(server.requests).toHaveLength(0);
  });

  it("an id with an encoded dot ('%2e%2e') is encoded again, so it cannot become a dot segment", async () => {
    const { server, client: api } = await client();
    await api.DELETE("/customers/{customer_id}", { params: { path: { customer_id: "%2e%2e" } } });
    expect(server.requests.map((r) => r.path)).toEqual(["/api/v6/customers/%252e%252e"]);
  });

  it("ids that merely contain dots are sent as they are", async () => {
    const { server, client: api } = await client();
    for (const id of ["...", "a.b", "..a", ".hidden"])
      await api.DELETE("/customers/{customer_id}", { params: { path: { customer_id: id } } });
    expect(server.requests.map((r) => r.path)).toEqual([
      "/api/v6/customers/...",
      "/api/v6/customers/a.b",
      "/api/v6/customers/..a",
      "/api/v6/customers/.hidden",
    ]);
  });
});
