// What Salt Edge signing costs per request: the same typed GET unsigned and signed (RSA 2048, Web Crypto, key
// imported once per client; the sandbox verifies each signature), and verifying one callback with a pre-imported key.
import { createPublicKey, createSign } from "node:crypto";
import { createSaltEdgeClient, importCallbackPublicKey, verifyCallback } from "@x/saltedge";
import { startSandbox } from "@x/sandbox";
import { measure } from "./lib.mjs";

export default async function () {
  const sandbox = await startSandbox({ providers: ["saltedge"] });
  const { url, demoCredentials } = sandbox.provider("saltedge");
  const { clientId, appSecret, privateKey } = demoCredentials;
  const unsigned = createSaltEdgeClient({ clientId, appSecret, baseUrl: url });
  const signed = createSaltEdgeClient({ clientId, appSecret, privateKey, baseUrl: url });
  try {
    // A callback signed the way Salt Edge signs, to measure verification alone.
    const body = JSON.stringify({
      data: { login_id: "1", customer_id: "2" },
      meta: { version: "3", time: new Date().toISOString() },
    });
    const callbackUrl = "https://app.example/callbacks/success";
    const signature = createSign("RSA-SHA256").update(`${callbackUrl}|${body}`).sign(privateKey, "base64");
    // Signed with the demo app key here, so its public half verifies; the cost is the same as with Salt Edge's key.
    const publicKey = await importCallbackPublicKey(
      createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
    );
    return [
      await measure("GET /countries unsigned", () => unsigned.unwrap(unsigned.GET("/countries"))),
      await measure("GET /countries signed (RSA-SHA256)", () => signed.unwrap(signed.GET("/countries"))),
      await measure("verifyCallback (pre-imported key)", () =>
        verifyCallback({ url: callbackUrl, body, signature }, publicKey),
      ),
    ];
  } finally {
    await sandbox.close();
  }
}
