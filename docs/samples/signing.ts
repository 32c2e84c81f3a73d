import { createProviderClient, requestSigning, staticHeadersAuth } from "@x/core";
import type { paths } from "./generated/schema.js";

/** HMAC-SHA256 over "<timestamp>|<METHOD>|<url>|<body>", with Web Crypto so it runs in Node, Deno, Bun and edge. */
export function hmacSigner(secret: string) {
  const algorithm = { name: "HMAC", hash: "SHA-256" };
  const key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), algorithm, false, ["sign"]);
  return requestSigning(async ({ method, url, body }) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const prefix = new TextEncoder().encode(`${timestamp}|${method}|${url}|`);
    const message = new Uint8Array(prefix.length + body.length);
    message.set(prefix);
    message.set(body, prefix.length);
    const signature = new Uint8Array(await crypto.subtle.sign("HMAC", await key, message));
    return { "X-Timestamp": timestamp, "X-Signature": btoa(String.fromCharCode(...signature)) };
  });
}

export async function example(baseUrl: string): Promise<number> {
  const client = createProviderClient<paths>({
    provider: "acme",
    baseUrl,
    auth: staticHeadersAuth({ headers: { "X-Key-Id": "acme-key" } }),
    // A plugin, so it runs on every attempt: a retried request gets a fresh timestamp and signature.
    plugins: [hmacSigner("acme-signing-secret")],
  });
  const lines = [
    { accountId: "613", debit: "900", credit: "0" },
    { accountId: "512", debit: "0", credit: "900" },
  ];
  const { response } = await client.POST("/entries", { body: { date: "2026-01-31", label: "Rent", lines } });
  return response.status;
}
