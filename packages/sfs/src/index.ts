import { ConfigurationError, createProviderClient, staticHeadersAuth, type ProviderClientOptions } from "@x/core";
import type { paths } from "./generated/schema.js";
import { servers } from "./generated/spec.js";

export type { components, operations, paths } from "./generated/schema.js";
export { servers } from "./generated/spec.js";

export interface SfsClientOptions extends Omit<ProviderClientOptions, "baseUrl" | "auth"> {
  /** The API key, sent as the `X-Api-Key` header. */
  apiKey: string;
  /** Defaults to the spec's production server; point it at @x/sandbox or a test server. */
  baseUrl?: string;
}

/** A typed client for the Sfs API: `client.GET("/health")` returns `{ data, error, response }`. */
export function createSfsClient(options: SfsClientOptions) {
  const { apiKey, baseUrl, ...rest } = options;
  // Checked here so a missing key fails at construction, naming the option, not later as a 401.
  if (typeof apiKey !== "string" || apiKey === "") {
    throw new ConfigurationError("sfs: `apiKey` is required; pass the API key from your Sfs dashboard.", {
      provider: "sfs",
      option: "apiKey",
    });
  }
  return createProviderClient<paths>({
    baseUrl: baseUrl ?? servers.production,
    auth: staticHeadersAuth({ headers: { "X-Api-Key": apiKey } }),
    ...rest,
  });
}
