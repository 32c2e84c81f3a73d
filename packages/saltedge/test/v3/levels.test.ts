import { AuthenticationError, ConfigurationError } from "@x/core";
import { json, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSaltEdgeClient, levelOf } from "../../src/v3/index.js";
import { loginOnSandbox, sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

let sandbox: SaltEdgeEmulator;
beforeAll(async () => {
  sandbox = await startEmulator("saltedge-v3");
});
afterAll(() => sandbox.close());

describe("header levels", () => {
  it("each level sends exactly its headers: app, + Customer-secret, + Login-secret", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { data: [] }));
    const app = createSaltEdgeClient({ clientId: "cid", appSecret: "app-s", baseUrl: server.url });
    await app.GET("/countries");
    const customer = app.forCustomer("cust-s");
    await customer.POST("/tokens/create", { body: { data: { fetch_type: "recent" } } });
    await customer.forLogin("login-s").GET("/accounts");

    const [a, c, l] = server.requests;
    expect([
      a?.headers["client-id"],
      a?.headers["app-secret"],
      a?.headers["customer-secret"],
      a?.headers["login-secret"],
    ]).toEqual(["cid", "app-s", undefined, undefined]);
    expect([c?.headers["customer-secret"], c?.headers["login-secret"]]).toEqual(["cust-s", undefined]);
    expect([
      l?.headers["client-id"],
      l?.headers["app-secret"],
      l?.headers["customer-secret"],
      l?.headers["login-secret"],
    ]).toEqual(["cid", "app-s", "cust-s", "login-s"]);
    expect(server.requests.map((r) => r.headers["expires-at"])).toEqual([undefined, undefined, undefined]);
  });

  it(
    "a customer- or login-level call on a lower-level client " + "is refused before sending, naming the missing level",
    async () => {
      server = await startTestServer((_req, res) => json(res, 200, { data: [] }));
      const app = createSaltEdgeClient({ clientId: "cid", appSecret: "app-s", baseUrl: `${server.url}/api/v3` });
      // @ts-expect-error POST /login needs Customer-secret: not offered on the app-level client
      const createLogin = app.POST("/login", {
        body: { data: { country_code: "XF", provider_code: "x", credentials: {} } },
      });
      await expect(createLogin).rejects.toMatchObject({
        name: "ConfigurationError",
        option: "customerSecret",
        code: "LEVEL_MISSING",
      });
      // @ts-expect-error GET /accounts needs Login-secret: not offered on the customer-level client
      const accounts = app.forCustomer("cust-s").GET("/accounts");
      await expect(accounts).rejects.toThrow(/needs the login level.*forLogin\(loginSecret\)/);
      // A JavaScript caller has no types to stop it: the typed call is refused by its operation.
      const untyped = app as unknown as { GET(path: string, init?: unknown): Promise<unknown> };
      await expect(
        untyped.GET("/attempts/{attempt_id}", { params: { path: { attempt_id: "42" } } }),
      ).rejects.toBeInstanceOf(ConfigurationError);
      expect(server.requests).toHaveLength(0);
      // App-level paths stay reachable from every level.
      await app.forCustomer("cust-s").forLogin("login-s").GET("/countries");
      expect(server.requests.map((r) => r.path)).toEqual(["/api/v3/countries"]);
    },
  );

  it("calls outside the spec (client.fetch) have no operation and are left to Salt Edge to judge", async () => {
    const app = sandboxClient(sandbox);
    const error = await app.fetch(`${sandbox.handle.url}/accounts`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: "CustomerNotFound" });
  });

  it("maps every operation of the spec to its level, by path template", () => {
    expect(levelOf("GET", "/login")).toBe("login");
    expect(levelOf("POST", "/login")).toBe("customer");
    expect(levelOf("get", "/providers/{provider_code}")).toBe("app");
    expect(levelOf("GET", "/providers/fakebank_simple_xf")).toBeUndefined();
    expect(levelOf("GET", "/unknown")).toBeUndefined();
  });

  it("refuses missing or empty secrets at construction, naming the option", () => {
    expect(() => createSaltEdgeClient({ clientId: "", appSecret: "s" })).toThrow(
      expect.objectContaining({ option: "clientId" }),
    );
    expect(() => createSaltEdgeClient({ clientId: "c" } as never)).toThrow(
      expect.objectContaining({ option: "appSecret" }),
    );
    const app = createSaltEdgeClient({ clientId: "c", appSecret: "s" });
    expect(() => app.forCustomer("")).toThrow(expect.objectContaining({ option: "customerSecret" }));
    expect(() => app.forCustomer("x").forLogin(" ")).toThrow(expect.objectContaining({ option: "loginSecret" }));
    expect(() => createSaltEdgeClient({ clientId: "c", appSecret: "s", baseUrl: "http://saltedge.example" })).toThrow(
      expect.objectContaining({ option: "baseUrl" }),
    );
  });

  it("the sandbox serves every level with the secrets it issued", async () => {
    const { loginClient, customerClient, login } = await loginOnSandbox(sandbox);
    const { data: shown } = await loginClient.unwrap(loginClient.GET("/login"));
    expect(shown.id).toBe(login.id);
    expect(shown).not.toHaveProperty("secret");
    const { data: token } = await customerClient.unwrap(
      customerClient.POST("/tokens/create", { body: { data: { fetch_type: "recent" } } }),
    );
    expect(token.connect_url).toContain("/connect?token=");
    const issued = { customer_secret: 1, login_secret: 1, connect_token: 1 };
    expect(sandbox.handle.stats().tokensIssued).toMatchObject(issued);
  });

  it("a wrong secret at each level is an AuthenticationError with Salt Edge's error class", async () => {
    const { customer, login } = await loginOnSandbox(sandbox);
    const wrongApp = sandboxClient(sandbox, { appSecret: "wrong-app-secret" });
    await expect(wrongApp.GET("/countries")).rejects.toMatchObject({
      name: "AuthenticationError",
      code: "ClientNotFound",
      status: 401,
    });
    const app = sandboxClient(sandbox);
    await expect(
      app.forCustomer("wrong-customer-secret").POST("/tokens/create", { body: { data: { fetch_type: "recent" } } }),
    ).rejects.toMatchObject({
      code: "CustomerNotFound",
      message: expect.stringContaining("Customer-secret"),
    });
    const error = await app
      .forCustomer(customer.secret)
      .forLogin("wrong-login-secret")
      .GET("/accounts")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: "LoginNotFound", message: expect.stringContaining("Login-secret") });
    // A real login secret under another customer is refused too.
    const other = await loginOnSandbox(sandbox);
    await expect(
      app
        .forCustomer(other.customer.secret)
        .forLogin(login.secret as string)
        .GET("/accounts"),
    ).rejects.toMatchObject({ code: "LoginNotFound" });
  });

  it("withOptions keeps the level and every helper: paginate at each level, forCustomer and forLogin", async () => {
    const { customer, login } = await loginOnSandbox(sandbox);
    const app = sandboxClient(sandbox).withOptions({ timeoutMs: 10_000 });
    expect(app.level).toBe("app");
    expect((await app.paginate("/customers").collect(1)).length).toBe(1);
    const customerClient = app.forCustomer(customer.secret).withOptions({ retry: false });
    expect(customerClient.level).toBe("customer");
    expect(await customerClient.paginate("/customers").collect(1)).toHaveLength(1);
    const loginClient = customerClient.forLogin(login.secret as string).withOptions({ headers: { "x-trace": "1" } });
    expect(loginClient.level).toBe("login");
    expect(await loginClient.paginate("/accounts").collect()).toHaveLength(2);
    // The level guard is a plugin of the client's options, so the derived client keeps it too.
    const untyped = customerClient.withOptions({}) as unknown as { GET(path: string): Promise<unknown> };
    await expect(untyped.GET("/accounts")).rejects.toMatchObject({ code: "LEVEL_MISSING" });
  });

  it(
    "a level built from a withOptions client keeps its overrides: " +
      "app.withOptions(o).forCustomer(s) sends o's headers",
    async () => {
      const seen: Array<string | undefined> = [];
      const server = await startTestServer(
        (req, res) => (seen.push(req.headers["x-trace"] as string | undefined), json(res, 200, { data: [] })),
      );
      try {
        const app = createSaltEdgeClient({ clientId: "id", appSecret: "secret", baseUrl: server.url });
        const traced = app.withOptions({ headers: { "x-trace": "t-1" } });
        await traced.forCustomer("customer-secret").GET("/countries");
        await traced.forCustomer("customer-secret").forLogin("login-secret").GET("/accounts");
        await app.forCustomer("customer-secret").GET("/countries");
        expect(seen).toEqual(["t-1", "t-1", undefined]);
      } finally {
        await server.close();
      }
    },
  );
});
