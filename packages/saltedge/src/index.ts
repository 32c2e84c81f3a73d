import { ConfigurationError, createProviderClient, staticHeadersAuth, type ProviderClientOptions } from "@x/core";
import type { paths } from "./generated/schema.js";
import { servers } from "./generated/spec.js";

export type { components, operations, paths } from "./generated/schema.js";
export { servers } from "./generated/spec.js";

export interface SaltedgeClientOptions extends Omit<ProviderClientOptions, "baseUrl" | "auth"> {
  /** The API key, sent as the `X-Api-Key` header. */
  apiKey: string;
  /** Defaults to the spec's production server; point it at @x/sandbox or a test server. */
  baseUrl?: string;
}

/** A typed client for the Saltedge API: `client.GET("/health")` returns `{ data, error, response }`. */
export function createSaltedgeClient(options: SaltedgeClientOptions) {
  const { apiKey, baseUrl, ...rest } = options;
  // Checked here so a missing key fails at construction, naming the option, not later as a 401.
  if (typeof apiKey !== "string" || apiKey === "") {
    throw new ConfigurationError("saltedge: `apiKey` is required; pass the API key from your Saltedge dashboard.", {
      provider: "saltedge",
      option: "apiKey",
    });
  }
  return createProviderClient<paths>({
    baseUrl: baseUrl ?? servers.production,
    auth: staticHeadersAuth({ headers: { "X-Api-Key": apiKey } }),
    ...rest,
  });
}
