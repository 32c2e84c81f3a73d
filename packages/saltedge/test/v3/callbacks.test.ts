import { sign } from "node:crypto";
import { AuthenticationError, XError } from "@x/core";
import { json, type RecordedRequest, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { importCallbackPublicKey, verifyCallback } from "../../src/v3/index.js";
import { loginOnSandbox, rsaKeys, type SaltEdgeEmulator } from "./helpers.js";

let receiver: TestServer;
let sandbox: SaltEdgeEmulator;
let callbackUrl: string;
beforeAll(async () => {
  receiver = await startTestServer((_req, res) => json(res, 200, {}));
  callbackUrl = `${receiver.url}/saltedge/callbacks?app=démo`;
  sandbox = await startEmulator("saltedge-v3", { callbackUrl });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
afterEach(() => {
  receiver.requests.length = 0;
});

async function received(count: number): Promise<RecordedRequest[]> {
  for (let i = 0; i < 100 && receiver.requests.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return receiver.requests;
}

describe("verifyCallback", () => {
  it("accepts a callback the sandbox signed and returns its typed payload", async () => {
    const { login, customer } = await loginOnSandbox(sandbox);
    const [callback] = await received(1);
    const payload = await verifyCallback(
      { url: callbackUrl, body: callback?.body ?? "", signature: callback?.headers.signature as string },
      sandbox.handle.control.callbackPublicKey,
    );
    expect(payload.data.login_id).toBe(login.id);
    expect(payload.data.customer_id).toBe(customer.id);
  });

  it("verifies bytes as well as text, and a pre-imported key", async () => {
    const { login } = await loginOnSandbox(sandbox);
    await received(1);
    const status = await sandbox.handle.control.sendCallback("notify", login.id);
    expect(status).toBe(200);
    const callback = (await received(2))[1] as RecordedRequest;
    const key = await importCallbackPublicKey(sandbox.handle.control.callbackPublicKey);
    const payload = await verifyCallback(
      {
        url: callbackUrl,
        body: new TextEncoder().encode(callback.body),
        signature: String(callback.headers.signature),
      },
      key,
    );
    expect(payload.data).toMatchObject({ login_id: login.id, stage: "finish" });
  });

  it("refuses a tampered body, another URL, a signature by another key, or garbage", async () => {
    await loginOnSandbox(sandbox);
    const callback = (await received(1))[0] as RecordedRequest;
    const publicKey = sandbox.handle.control.callbackPublicKey;
    const signature = String(callback.headers.signature);
    const tampered = callback.body.replace(/"login_id":"\d+"/, '"login_id":"1"');
    expect(tampered).not.toBe(callback.body);
    for (const attempt of [
      { url: callbackUrl, body: tampered, signature },
      { url: callbackUrl.replace("démo", "demo"), body: callback.body, signature },
      { url: callbackUrl, body: callback.body, signature: "bm90IGEgc2lnbmF0dXJl" },
      { url: callbackUrl, body: callback.body, signature: "%%%" },
    ]) {
      await expect(verifyCallback(attempt, publicKey)).rejects.toMatchObject({
        name: "AuthenticationError",
        code: "CallbackSignatureInvalid",
      });
    }
    await expect(
      verifyCallback({ url: callbackUrl, body: callback.body, signature }, rsaKeys().publicPem),
    ).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("refuses an unsigned callback unless allowUnsigned is set", async () => {
    const publicKey = sandbox.handle.control.callbackPublicKey;
    const body = JSON.stringify({
      data: { login_id: "1", customer_id: "2" },
      meta: { version: "3", time: "2024-01-01T00:00:00Z" },
    });
    await expect(verifyCallback({ url: callbackUrl, body, signature: undefined }, publicKey)).rejects.toMatchObject({
      code: "CallbackSignatureMissing",
    });
    await expect(verifyCallback({ url: callbackUrl, body, signature: "" }, publicKey)).rejects.toMatchObject({
      code: "CallbackSignatureMissing",
    });
    await expect(
      verifyCallback({ url: callbackUrl, body, signature: null }, publicKey, { allowUnsigned: true }),
    ).resolves.toMatchObject({ data: { login_id: "1" } });
  });

  it("refuses a public key that is not an RSA public key PEM, naming publicKey", async () => {
    const body = "{}";
    await expect(verifyCallback({ url: callbackUrl, body, signature: "x" }, "not a key")).rejects.toMatchObject({
      name: "ConfigurationError",
      option: "publicKey",
    });
    await expect(verifyCallback({ url: callbackUrl, body, signature: "x" }, rsaKeys().pkcs8)).rejects.toMatchObject({
      option: "publicKey",
    });
    const error = await verifyCallback({ url: callbackUrl, body: "not json", signature: null }, rsaKeys().publicPem, {
      allowUnsigned: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XError);
    expect(error).toMatchObject({ code: "CallbackBodyInvalid" });
  });

  it("checks v3's SHA-1 digest by default and SHA-256 when asked (v4 moved callbacks to SHA-256)", async () => {
    const keys = rsaKeys();
    const body = JSON.stringify({ data: { login_id: "1", customer_id: "2" }, meta: { version: "3", time: "t" } });
    const signed = (digest: string) =>
      sign(digest, Buffer.from(`${callbackUrl}|${body}`), keys.pkcs8).toString("base64");
    const sha1 = { url: callbackUrl, body, signature: signed("sha1") };
    const sha256 = { url: callbackUrl, body, signature: signed("sha256") };
    await expect(verifyCallback(sha1, keys.publicPem)).resolves.toMatchObject({ data: { login_id: "1" } });
    await expect(verifyCallback(sha256, keys.publicPem)).rejects.toMatchObject({ code: "CallbackSignatureInvalid" });
    const options = { signatureAlgorithm: "sha256" as const };
    await expect(verifyCallback(sha256, keys.publicPem, options)).resolves.toMatchObject({ data: { login_id: "1" } });
    await expect(verifyCallback(sha1, keys.publicPem, options)).rejects.toMatchObject({
      code: "CallbackSignatureInvalid",
    });
  });

  it("returns the event with the kind of its URL for a handler to switch on; refuses an unknown kind", async () => {
    const keys = rsaKeys();
    const body = JSON.stringify({
      data: { login_id: "1", customer_id: "2", error_class: "InvalidCredentials", error_message: "m" },
      meta: { version: "3", time: "t" },
    });
    const signature = sign("sha1", Buffer.from(`${callbackUrl}|${body}`), keys.pkcs8).toString("base64");
    const event = await verifyCallback({ kind: "fail", url: callbackUrl, body, signature }, keys.publicPem);
    expect(event.kind).toBe("fail");
    expect(event.data.error_class).toBe("InvalidCredentials");
    const wrong = { kind: "destroy" as "fail", url: callbackUrl, body, signature };
    await expect(verifyCallback(wrong, keys.publicPem)).rejects.toMatchObject({ code: "CallbackKindInvalid" });
    const noData = { kind: "success" as const, url: callbackUrl, body: "[]", signature: null };
    await expect(verifyCallback(noData, keys.publicPem, { allowUnsigned: true })).rejects.toMatchObject({
      code: "CallbackBodyInvalid",
    });
  });
});
