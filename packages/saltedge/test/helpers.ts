import { generateKeyPairSync } from "node:crypto";
import { startSandbox, type Sandbox } from "@x/sandbox";
import { createSaltEdgeClient, type SaltEdgeClientOptions } from "../src/index.js";

/** A fresh RSA key pair per test file: PKCS#8 and PKCS#1 private PEMs and the SPKI public PEM. */
export function rsaKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    pkcs1: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export async function saltEdgeSandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  return startSandbox({ providers: ["saltedge"], ...options });
}

/** An app-level client on the sandbox with its demo credentials; small retry delays keep tests fast. */
export function sandboxClient(sandbox: Sandbox, overrides: Partial<SaltEdgeClientOptions> = {}) {
  const handle = sandbox.provider("saltedge");
  return createSaltEdgeClient({
    clientId: handle.demoCredentials.clientId as string,
    appSecret: handle.demoCredentials.appSecret as string,
    baseUrl: handle.url,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 20 },
    ...overrides,
  });
}

/** Creates a customer and a login on the sandbox's fake bank; returns the login-level client and ids. */
export async function loginOnSandbox(sandbox: Sandbox, overrides: Partial<SaltEdgeClientOptions> = {}, identifier = `user-${Math.random()}`) {
  const app = sandboxClient(sandbox, overrides);
  const { data: customer } = await app.unwrap(app.POST("/customers", { body: { data: { identifier } } }));
  const customerClient = app.forCustomer(customer.secret);
  const { data: login } = await customerClient.unwrap(
    customerClient.POST("/login", {
      body: { data: { country_code: "XF", provider_code: "fakebank_simple_xf", credentials: { login: "username", password: "secret" } } },
    }),
  );
  return { app, customer, customerClient, login, loginClient: customerClient.forLogin(login.secret as string) };
}
