import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { startEmulator, type StartedEmulator } from "../src/index.js";

let started: StartedEmulator<"echo"> | StartedEmulator<"october"> | undefined;
afterEach(async () => {
  await started?.close();
  started = undefined;
});

const token = (url: string, clientId: string, clientSecret: string) =>
  fetch(`${url}/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });

describe("startEmulator", () => {
  it("starts only that provider's emulator, with its URL, typed demo credentials and handle", async () => {
    const echo = await startEmulator("echo");
    started = echo;
    expect(echo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(echo.sandbox.urls)).toEqual(["echo"]);
    expect(echo.handle.url).toBe(echo.url);
    expectTypeOf(echo.credentials.clientSecret).toEqualTypeOf<string>();

    const response = await token(echo.url, echo.credentials.clientId, echo.credentials.clientSecret);
    expect(response.status).toBe(200);
    expect(echo.handle.stats()).toEqual({ requests: 1, tokensIssued: { access: 1 } });
  });

  it("passes the emulator's options through", async () => {
    const echo = await startEmulator("echo", { tokenTtlSeconds: 7 });
    started = echo;
    const body = (await (await token(echo.url, echo.credentials.clientId, echo.credentials.clientSecret)).json()) as {
      expires_in: number;
    };
    expect(body.expires_in).toBe(7);
  });

  it("gives the emulator's own controls, typed", async () => {
    const october = await startEmulator("october", { reportDelayMs: 5 });
    started = october;
    october.handle.control.failUploads(1, "error");
    expectTypeOf(october.credentials).toEqualTypeOf<{ userId: string; sessionToken: string; businessId: string }>();
    expect(october.handle.control.storageUploads).toEqual([]);
  });

  it("close() stops the emulator even with keep-alive connections open", async () => {
    const echo = await startEmulator("echo");
    await token(echo.url, echo.credentials.clientId, "wrong");
    await echo.close();
    await expect(fetch(echo.url)).rejects.toThrow();
  });

  it("refuses a provider the sandbox does not emulate", async () => {
    // @ts-expect-error: not a provider name
    await expect(startEmulator("nope")).rejects.toThrow(/unknown provider/);
  });
});
