import { FAST_RETRY, type StartedEmulator } from "@x/testing";
import { createSaltEdgeClient, type SaltEdgeClientOptions } from "../../src/v3/index.js";

export { rsaKeys } from "../helpers.js";

/** The Salt Edge emulator, as `startEmulator("saltedge-v3", options)` starts it. */
export type SaltEdgeEmulator = StartedEmulator<"saltedge-v3">;

/** An app-level client on the emulator with its demo credentials and FAST_RETRY; `overrides` win. */
export function sandboxClient(emulator: SaltEdgeEmulator, overrides: Partial<SaltEdgeClientOptions> = {}) {
  const { clientId, appSecret } = emulator.credentials;
  return createSaltEdgeClient({ clientId, appSecret, baseUrl: emulator.url, retry: FAST_RETRY, ...overrides });
}

/** Creates a customer and a login on the emulator's fake bank; returns the login-level client and ids. */
export async function loginOnSandbox(
  emulator: SaltEdgeEmulator,
  overrides: Partial<SaltEdgeClientOptions> = {},
  identifier = `user-${Math.random()}`,
) {
  const app = sandboxClient(emulator, overrides);
  const { data: customer } = await app.unwrap(app.POST("/customers", { body: { data: { identifier } } }));
  const customerClient = app.forCustomer(customer.secret);
  const credentials = { login: "username", password: "secret" };
  const { data: login } = await customerClient.unwrap(
    customerClient.POST("/login", {
      body: { data: { country_code: "XF", provider_code: "fakebank_simple_xf", credentials } },
    }),
  );
  return { app, customer, customerClient, login, loginClient: customerClient.forLogin(login.secret as string) };
}
