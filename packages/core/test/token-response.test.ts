import { afterEach, describe, expect, it } from "vitest";
import { AuthenticationError, createProviderClient, oauth2Auth } from "../src/index.js";
import { startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function tokenError(status: number, body: string, contentType = "application/json") {
  const server = await startTestServer((req, res) => {
    if (req.path === "/token") {
      res.writeHead(status, { "content-type": contentType });
      return void res.end(body);
    }
    res.end("{}");
  });
  servers.push(server);
  const client = createProviderClient<Paths>({
    provider: "acme",
    baseUrl: server.url,
    retry: false,
    auth: oauth2Auth({
      tokenUrl: `${server.url}/token`,
      clientId: "c",
      clientSecret: "top-secret-9",
      grant: { type: "password", username: "u", password: "hunter2-pw" },
    }),
  });
  return client.fetch(`${server.url}/x`).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("token endpoint answers that are not a token", () => {
  const cases: [string, number, string, string | undefined, RegExp][] = [
    ["an HTML error page", 200, "<html>502 Bad Gateway</html>", "text/html", /not a JSON object \(text\/html\)/],
    ["JSON without access_token", 200, '{"token_type":"bearer"}', undefined, /no access_token/],
    ["a negative expires_in", 200, '{"access_token":"a","expires_in":-5}', undefined, /unusable expires_in \(-5\)/],
    ["an absurd expires_in", 200, '{"access_token":"a","expires_in":99999999999}', undefined, /unusable expires_in/],
    [
      "a non-numeric expires_in",
      200,
      '{"access_token":"a","expires_in":"soon"}',
      undefined,
      /unusable expires_in \("soon"\)/,
    ],
    ["a 200 carrying an error body", 200, '{"error":"invalid_grant"}', undefined, /error \(invalid_grant\)/],
    ["no lifetime at all and an opaque token", 200, '{"access_token":"opaque"}', undefined, /lifetime is unknown/],
    [
      "refused credentials with an OAuth error code",
      400,
      '{"error":"invalid_grant","error_description":"bad password hunter2-pw"}',
      undefined,
      /refused the password grant .*\(400 invalid_grant\)/,
    ],
  ];
  for (const [what, status, body, contentType, expected] of cases) {
    it(`${what} is an AuthenticationError that says so`, async () => {
      const error = (await tokenError(status, body, contentType)) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toMatch(expected);
      const everything = `${error.message} ${String(error)} ${JSON.stringify(error)}`;
      expect(everything).not.toContain("hunter2-pw");
      expect(everything).not.toContain("top-secret-9");
    });
  }

  it(
    "takes the lifetime from a JWT's exp when expires_in " + "is missing, counted from iat so clock skew cancels",
    async () => {
      const { jwtExpiresAt } = await import("../src/index.js");
      const payload = btoa(JSON.stringify({ iat: 1000, exp: 4600 })).replace(/=+$/, "");
      expect(jwtExpiresAt(`h.${payload}.s`, 50_000)).toBe(50_000 + 3_600_000);
      const noIat = btoa(JSON.stringify({ exp: 2_000_000_000 })).replace(/=+$/, "");
      expect(jwtExpiresAt(`h.${noIat}.s`)).toBe(2_000_000_000_000);
      expect(jwtExpiresAt("not-a-jwt")).toBeUndefined();
    },
  );
});
