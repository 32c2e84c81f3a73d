// What Salt Edge signing costs per request: the v3 entry's typed GET unsigned and signed (RSA 2048, SHA-1 as v3
// verifies, Web Crypto, key imported once per client; the sandbox verifies each signature), the v6 entry's GET
// (always signed, RSA-SHA256), and verifying one v6 callback with a pre-imported key.
import { createPublicKey, createSign } from "node:crypto";
import { createSaltEdgeClient, importCallbackPublicKey, verifyCallback } from "@x/saltedge";
import { createSaltEdgeClient as createSaltEdgeV3Client } from "@x/saltedge/v3";
import { startSandbox } from "@x/sandbox";
import { measure } from "./lib.mjs";

export default async function () {
  const sandbox = await startSandbox({ providers: ["saltedge", "saltedge-v3"] });
  const v3 = sandbox.provider("saltedge-v3");
  const { clientId, appSecret, privateKey } = v3.demoCredentials;
  const unsigned = createSaltEdgeV3Client({ clientId, appSecret, baseUrl: v3.url });
  const signed = createSaltEdgeV3Client({ clientId, appSecret, privateKey, baseUrl: v3.url });
  const v6 = sandbox.provider("saltedge");
  const client = createSaltEdgeClient({ ...v6.demoCredentials, baseUrl: v6.url });
  try {
    // A callback signed the way Salt Edge v6 signs, to measure verification alone.
    const body = JSON.stringify({
      data: { connection_id: "1", customer_id: "2", stage: "finish" },
      meta: { version: "6", time: new Date().toISOString() },
    });
    const callbackUrl = "https://app.example/callbacks/success";
    const signature = createSign("RSA-SHA256").update(`${callbackUrl}|${body}`).sign(privateKey, "base64");
    // Signed with the demo app key here, so its public half verifies; the cost is the same as with Salt Edge's key.
    const publicKey = await importCallbackPublicKey(
      createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
    );
    return [
      await measure("v3 GET /countries unsigned", () => unsigned.unwrap(unsigned.GET("/countries"))),
      await measure("v3 GET /countries signed (RSA-SHA1)", () => signed.unwrap(signed.GET("/countries"))),
      await measure("v6 GET /countries signed (RSA-SHA256)", () => client.unwrap(client.GET("/countries"))),
      await measure("v6 verifyCallback (pre-imported key)", () =>
        verifyCallback({ kind: "success", url: callbackUrl, body, signature }, publicKey),
      ),
    ];
  } finally {
    await sandbox.close();
  }
}
