import { sign } from "node:crypto";
import { AuthenticationError, XError } from "@x/core";
import { describe, expect, it } from "vitest";
import { importCallbackPublicKey, verifyCallback, type SaltEdgeCallbackEvent } from "../src/index.js";
import { rsaKeys } from "./helpers.js";

const saltEdge = rsaKeys();
const url = "https://app.example/saltedge/callbacks/success?tenant=démo";
const body = JSON.stringify({
  data: { connection_id: "111", customer_id: "222", custom_fields: { note: "Café" }, stage: "finish" },
  meta: { version: "6", time: "2024-01-25T10:40:47.965Z" },
});
const signed = (text: string, at = url, digest = "sha256") =>
  sign(digest, Buffer.from(`${at}|${text}`), saltEdge.pkcs8).toString("base64");

/** What an app's handler does with a verified event: switch on the kind, then on the stage. */
function handle(event: SaltEdgeCallbackEvent): string {
  switch (event.kind) {
    case "success":
      return event.data.stage === "finish" ? `import ${event.data.connection_id}` : `wait ${event.data.stage}`;
    case "fail":
      return `failed ${event.data.error_class}`;
    case "notify":
      return `stage ${event.data.stage}`;
    case "destroy":
      return `forget ${event.data.connection_id}`;
  }
}

describe("v6 verifyCallback", () => {
  it("accepts Salt Edge's RSA-SHA256 signature over url|raw body and returns the event typed by kind", async () => {
    const event = await verifyCallback({ kind: "success", url, body, signature: signed(body) }, saltEdge.publicPem);
    expect(event).toMatchObject({ kind: "success", data: { connection_id: "111", stage: "finish" } });
    expect(handle(event)).toBe("import 111");
    const key = await importCallbackPublicKey(saltEdge.publicPem);
    const bytes = new TextEncoder().encode(body);
    await expect(verifyCallback({ kind: "success", url, body: bytes, signature: signed(body) }, key)).resolves.toEqual(
      event,
    );
  });

  it("refuses a tampered body, another URL, a SHA-1 signature, another key's signature and garbage", async () => {
    const tampered = body.replace('"111"', '"999"');
    expect(tampered).not.toBe(body);
    const attempts = [
      { kind: "success" as const, url, body: tampered, signature: signed(body) },
      { kind: "success" as const, url: url.replace("démo", "demo"), body, signature: signed(body) },
      { kind: "success" as const, url, body, signature: signed(body, url, "sha1") },
      { kind: "success" as const, url, body, signature: "bm90IGEgc2lnbmF0dXJl" },
      { kind: "success" as const, url, body, signature: "%%%" },
    ];
    for (const attempt of attempts) {
      const error = await verifyCallback(attempt, saltEdge.publicPem).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ code: "CallbackSignatureInvalid" });
    }
    const other = rsaKeys();
    await expect(
      verifyCallback({ kind: "success", url, body, signature: signed(body) }, other.publicPem),
    ).rejects.toMatchObject({ code: "CallbackSignatureInvalid" });
  });

  it("refuses an unsigned callback unless allowUnsigned, an unknown kind, and a body without data", async () => {
    await expect(
      verifyCallback({ kind: "fail", url, body, signature: undefined }, saltEdge.publicPem),
    ).rejects.toMatchObject({ code: "CallbackSignatureMissing" });
    await expect(
      verifyCallback({ kind: "notify", url, body, signature: null }, saltEdge.publicPem, { allowUnsigned: true }),
    ).resolves.toMatchObject({ kind: "notify" });
    await expect(
      verifyCallback({ kind: "other" as never, url, body, signature: signed(body) }, saltEdge.publicPem),
    ).rejects.toMatchObject({ code: "CallbackKindInvalid" });
    const noData = await verifyCallback(
      { kind: "success", url, body: "[1]", signature: signed("[1]") },
      saltEdge.publicPem,
    ).catch((e: unknown) => e);
    expect(noData).toBeInstanceOf(XError);
    expect(noData).toMatchObject({ code: "CallbackBodyInvalid" });
  });

  it("takes the Signature header as Node types it (string or string[]), refusing more than one value", async () => {
    const one = await verifyCallback({ kind: "success", url, body, signature: [signed(body)] }, saltEdge.publicPem);
    expect(one.kind).toBe("success");
    await expect(
      verifyCallback({ kind: "success", url, body, signature: [signed(body), signed(body)] }, saltEdge.publicPem),
    ).rejects.toMatchObject({ name: "AuthenticationError", code: "CallbackSignatureInvalid" });
  });
});
