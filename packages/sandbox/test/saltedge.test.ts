import { createSign, createVerify } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../src/index.js";

let sandbox: Sandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ["saltedge", "saltedge-v3"], options: { saltedge: { pageSize: 10 } } });
  base = sandbox.urls.saltedge as string;
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const credentials = () => sandbox.provider("saltedge").demoCredentials;

/** A request signed the v6 way with node:crypto: RSA-SHA256 over `expires|METHOD|url|body`. */
function call(method: string, path: string, body?: unknown, tweak: { expiresAt?: number; sign?: string } = {}) {
  const { appId, secret, privateKey } = credentials();
  const url = `${base}${path}`;
  const text = body === undefined ? "" : JSON.stringify(body);
  const expiresAt = String(tweak.expiresAt ?? Math.floor(Date.now() / 1000) + 60);
  const signer = createSign("RSA-SHA256");
  signer.update(`${expiresAt}|${method}|${url}|${tweak.sign ?? text}`);
  const headers: Record<string, string> = {
    "App-id": appId,
    Secret: secret,
    "Expires-at": expiresAt,
    Signature: signer.sign(privateKey, "base64"),
    ...(body === undefined ? {} : { "content-type": "application/json" }),
  };
  return fetch(url, { method, headers, ...(body === undefined ? {} : { body: text }) });
}
const errorClass = async (response: Response) =>
  ((await response.json()) as { error?: { class?: string } }).error?.class;

describe("saltedge emulator (v6)", () => {
  it("verifies every signature: missing, wrong, tampered, expired or too far ahead get their error class", async () => {
    const { appId, secret } = credentials();
    const unsigned = await fetch(`${base}/countries`, { headers: { "App-id": appId, Secret: secret } });
    expect([unsigned.status, await errorClass(unsigned)]).toEqual([401, "MissingSignature"]);
    const tampered = await call("POST", "/customers", { data: { identifier: "a" } }, { sign: '{"data":{}}' });
    expect([tampered.status, await errorClass(tampered)]).toEqual([401, "SignatureNotMatch"]);
    const now = Math.floor(Date.now() / 1000);
    const expired = await call("GET", "/countries", undefined, { expiresAt: now - 5 });
    expect([expired.status, await errorClass(expired)]).toEqual([401, "RequestExpired"]);
    const ahead = await call("GET", "/countries", undefined, { expiresAt: now + 3700 });
    expect([ahead.status, await errorClass(ahead)]).toEqual([400, "ExpiresAtInvalid"]);
    const wrongSecret = await fetch(`${base}/countries`, { headers: { "App-id": appId, Secret: "nope" } });
    expect([wrongSecret.status, await errorClass(wrongSecret)]).toEqual([401, "ClientNotFound"]);
    expect((await call("GET", "/countries")).status).toBe(200);
  });

  it("explains a signature mismatch on the dashboard with the exact string it verified, for v6 and v3", async () => {
    const refused = await call("POST", "/customers?x=1", { data: { identifier: "a" } }, { sign: '{"data":{}}' });
    expect(refused.status).toBe(401);
    await refused.text();
    const { reason } = sandbox.requests().find((r) => r.status === 401) ?? {};
    expect(reason).toContain(`RSA-SHA256 over "`);
    expect(reason).toMatch(
      new RegExp(`\\d+\\|POST\\|${base.replace(/[.]/g, "\\.")}/customers\\?x=1\\|\\{"data":\\{"identifier":"a"\\}\\}"`),
    );
    // The v3 emulator verifies SHA-1 by default and says so.
    const v3 = sandbox.provider("saltedge-v3").demoCredentials;
    const v3Base = sandbox.urls["saltedge-v3"] as string;
    const v3Refused = await fetch(`${v3Base}/countries`, {
      headers: { "Client-id": v3.clientId, "App-secret": v3.appSecret, "Expires-at": "9999999999", Signature: "AAAA" },
    });
    await v3Refused.text();
    expect([v3Refused.status]).toEqual([400]); // too far ahead is checked before the signature
    const expires = String(Math.floor(Date.now() / 1000) + 60);
    const v3Wrong = await fetch(`${v3Base}/countries`, {
      headers: { "Client-id": v3.clientId, "App-secret": v3.appSecret, "Expires-at": expires, Signature: "AAAA" },
    });
    expect(v3Wrong.status).toBe(401);
    await v3Wrong.text();
    const v3Reason = sandbox.requests().find((r) => r.status === 401 && r.provider === "saltedge-v3")?.reason;
    expect(v3Reason).toContain(`RSA-SHA1 over "${expires}|GET|${v3Base}/countries|"`);
  });

  it("runs customer -> connect session -> bank login -> signed callback, then pages the data", async () => {
    const received: Array<{ url: string; body: string; signature: string }> = [];
    const app = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          url: req.url ?? "",
          body: Buffer.concat(chunks).toString(),
          signature: `${req.headers.signature}`,
        });
        res.end();
      });
    });
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
    const callbackBase = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
    try {
      expect((await call("PUT", "/dashboard/callback_url", { data: { url: callbackBase } })).status).toBe(200);
      const customer = (await (await call("POST", "/customers", { data: { identifier: "u1" } })).json()) as {
        data: { id: string };
      };
      const session = await call("POST", "/connections/connect", {
        data: { customer_id: customer.data.id, consent: { scopes: ["accounts", "transactions"] } },
      });
      const { connect_url } = ((await session.json()) as { data: { connect_url: string } }).data;
      const login = await fetch(connect_url, {
        method: "POST",
        body: JSON.stringify({ login: "username", password: "secret" }),
      });
      const { connection_id } = ((await login.json()) as { data: { connection_id: string } }).data;
      expect(received).toHaveLength(1);
      const [callback] = received;
      expect(callback?.url).toBe("/hooks/success");
      const verifier = createVerify("RSA-SHA256");
      verifier.update(`${callbackBase}/success|${callback?.body}`);
      expect(
        verifier.verify(sandbox.provider("saltedge").control.callbackPublicKey, callback?.signature ?? "", "base64"),
      ).toBe(true);
      expect(JSON.parse(callback?.body ?? "{}")).toMatchObject({
        data: { connection_id, stage: "finish" },
        meta: { version: "6" },
      });

      let path = `/transactions?connection_id=${connection_id}`;
      const pages: number[] = [];
      for (;;) {
        const page = (await (await call("GET", path)).json()) as { data: unknown[]; meta: { next_id: string | null } };
        pages.push(page.data.length);
        if (!page.meta.next_id) break;
        path = `/transactions?connection_id=${connection_id}&from_id=${page.meta.next_id}`;
      }
      expect(pages).toEqual([10, 10, 10, 10, 4]);
      expect(sandbox.provider("saltedge").stats().tokensIssued).toEqual({ connect_session: 1 });
    } finally {
      await new Promise<void>((r) => app.close(() => r()));
    }
  });

  it("keeps the v3 emulator as saltedge-v3, verifying SHA-1 signatures by default", async () => {
    const v3 = sandbox.provider("saltedge-v3");
    const { clientId, appSecret, privateKey } = v3.demoCredentials;
    const url = `${v3.url}/countries`;
    const expiresAt = String(Math.floor(Date.now() / 1000) + 60);
    const signed = (digest: string) => createSign(digest).update(`${expiresAt}|GET|${url}|`).sign(privateKey, "base64");
    const get = (signature: string) =>
      fetch(url, {
        headers: { "Client-id": clientId, "App-secret": appSecret, "Expires-at": expiresAt, Signature: signature },
      });
    expect((await get(signed("RSA-SHA1"))).status).toBe(200);
    expect((await get(signed("RSA-SHA256"))).status).toBe(401);
  });
});
