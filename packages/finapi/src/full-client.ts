// createFinapiClient, the full client: apart from client.ts because it loads the Web Form tables with import(). A
// bundler (esbuild, webpack) emits the chunk of every import() in the files it reads, even in code it drops, and that
// chunk's operations then ride along in the app's shared chunks; @x/finapi/mini never reads this file, so an app built
// on it does not ship the Web Form operations it never imports.
import { methods } from "./generated/methods.js";
import { createUser } from "./generated/operations.js";
import { operations } from "./generated/spec.js";
import { deleteUser } from "./users.js";
import {
  finapiClient,
  type FinapiClient,
  type FinapiClientMethods,
  type FinapiClientOptions,
  type FinapiHelpers,
  type FinapiUserHelpers,
  type FinapiUserMethods,
} from "./client.js";
import type { FinapiWebFormMethods } from "./web-form.js";

/**
 * A finAPI client authorized with the client token (`client_credentials`, cached, single
 * flight, refreshed ahead of expiry), with `X-Request-Id` on every request and finAPI's
 * error codes on every `ApiError`.
 */
export function createFinapiClient(options: FinapiClientOptions): FinapiClient {
  return finapiClient<FinapiHelpers, FinapiClientMethods, FinapiUserHelpers, FinapiUserMethods, FinapiWebFormMethods>(
    options,
    {
      operations,
      methods,
      webFormTables: () => import("./web-form-tables.js"),
      extend: (client, flows) => ({ ...flows, createUser: (params = {}) => createUser(client, params) }),
      extendUser: (user, webForms) => ({ ...webForms, deleteUser: () => deleteUser(user) }),
    },
  );
}
