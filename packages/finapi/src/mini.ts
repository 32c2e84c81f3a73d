// @x/finapi/mini: the same clients without their generated methods, the spec's operations tables and the helpers that
// call one operation, and every operation of finAPI Access and Web Form 2.0 as a function of a client
// (`getAndSearchAllBanks(finapi)`, `getWebForm(webForms, { id })`). The functions are pure, so an app's bundler keeps
// only those it imports; the main entry's `user.transactions.list()` style ships every operation's facts.
import type { FinapiMiniApiClient } from "./client.js";
import type { FinapiProcess as Process } from "./process.js";

export * from "./surface.js";
export { createFinapiMiniClient as createFinapiClient } from "./client.js";
export type {
  FinapiMiniApiClient as FinapiApiClient,
  FinapiMiniClient as FinapiClient,
  FinapiMiniHelpers as FinapiHelpers,
  FinapiMiniUserClient as FinapiUserClient,
  FinapiMiniUserHelpers as FinapiUserHelpers,
} from "./client.js";
export type { FinapiWebFormMiniClient as FinapiWebFormClient } from "./web-form.js";
/** A started process, its client without the methods. */
export type FinapiProcess = Process<FinapiMiniApiClient>;
export * from "./generated/operations.js";
export * from "./generated/webform/operations.js";
