import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recorder, startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi();
});
afterAll(() => env.sandbox.close());

const CLIENT_SECRET = "known-client-secret-Zq81";
const USER_PASSWORD = "known-user-password-Kx42";

describe("no secret leaks", () => {
  it("refused client secret, user password and process credentials never appear in errors, logs or events", async () => {
    const rec = recorder();
    const errors: unknown[] = [];
    const badClient = env.client({ ...rec.options, clientSecret: CLIENT_SECRET });
    errors.push(await badClient.createUser({}).catch((e: unknown) => e));
    errors.push(await badClient.startProcess({ clientReference: "r" }).catch((e: unknown) => e));
    errors.push(await badClient.forUser({ userId: "demo-user", password: USER_PASSWORD }).GET("/api/v2/users").catch((e: unknown) => e));
    const badUser = env.client(rec.options).forUser({ userId: env.credentials.userId, password: USER_PASSWORD });
    errors.push(await badUser.unwrap(badUser.GET("/api/v2/users")).catch((e: unknown) => e));

    expect(errors.every((e) => e instanceof Error)).toBe(true);
    const seen = [...errors.flatMap((e) => [String(e), JSON.stringify(e), inspect(e, { depth: 10 }), (e as Error).stack ?? ""]), ...rec.lines].join("\n");
    expect(rec.lines.length).toBeGreaterThan(0);
    expect(seen).not.toContain(CLIENT_SECRET);
    expect(seen).not.toContain(USER_PASSWORD);
    expect(seen).not.toContain(env.credentials.clientSecret);
  });

  it("issued tokens never appear in events or logs of a normal session", async () => {
    const rec = recorder();
    const client = env.client(rec.options);
    const created = await client.createUser({ password: USER_PASSWORD });
    const user = client.forUser({ userId: created.id, password: created.password });
    await user.unwrap(user.GET("/api/v2/users"));
    const { authorization } = await user.auth!.authorize(user.runtime);
    await user.revoke();
    const text = rec.lines.join("\n");
    expect(text).toContain("token.fetched");
    expect(text).not.toContain(authorization!.replace("Bearer ", ""));
    expect(text).not.toContain(USER_PASSWORD);
  });
});
