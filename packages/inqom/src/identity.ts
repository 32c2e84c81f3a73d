import { ConfigurationError, assertSecureUrl, requireString } from "@x/core";
import { PROVIDER } from "./errors.js";
import { servers, type Environment } from "./generated/spec.js";

/**
 * The identity server's token endpoint of each environment. The spec declares it as the token path's own `servers`,
 * which the generator does not export, so it is restated here. The authorize endpoint is its sibling.
 */
export const identityServers: Record<Environment, string> = {
  production: "https://auth.inqom.com/identity/connect/token",
  staging: "https://auth-staging.inqom.com/identity/connect/token",
};

/** What every Inqom factory is told about the app and where Inqom is. */
export interface InqomIdentityOptions {
  /** Id of your Inqom API client. */
  clientId: string;
  clientSecret: string;
  /** `production` (default) or `staging` ("recette"): picks the identity server and the API. */
  environment?: Environment;
  /** Another API URL (the sandbox); https only, except loopback. Requires `authUrl`. */
  baseUrl?: string;
  /**
   * Full URL of the token endpoint. Required with `baseUrl`, so credentials never go to an identity server of
   * another environment.
   */
  authUrl?: string;
}

/**
 * Checks what every factory needs (an options object, the client's id and secret, the environment) and returns the
 * token endpoint to use. `factory` names the function called, for the message when the options are missing.
 */
export function resolveTokenUrl(options: InqomIdentityOptions | null | undefined, factory: string): string {
  if (options === null || typeof options !== "object") {
    throw new ConfigurationError(
      `${factory} takes an options object, e.g. { clientId, clientSecret, username, password }; ` +
        `got ${options === null ? "null" : typeof options}.`,
      { option: "options", provider: PROVIDER },
    );
  }
  const { clientId, clientSecret, environment, authUrl, baseUrl } = options;
  requireString(clientId, "clientId", PROVIDER);
  requireString(clientSecret, "clientSecret", PROVIDER);
  checkEnvironment(environment);
  if (baseUrl !== undefined && authUrl === undefined) {
    throw new ConfigurationError(
      "authUrl is required with baseUrl (for the sandbox: `${baseUrl}/identity/connect/token`), so credentials" +
        " never go to another environment's identity server.",
      { option: "authUrl", provider: PROVIDER },
    );
  }
  return assertSecureUrl(authUrl ?? identityServers[environment ?? "production"], "authUrl", PROVIDER).href;
}

/** Refuses an environment the spec does not have, listing those it has. */
export function checkEnvironment(environment: unknown): asserts environment is Environment | undefined {
  if (environment !== undefined && !(typeof environment === "string" && environment in servers)) {
    const environments = Object.keys(servers).join(", ");
    throw new ConfigurationError(`environment must be one of ${environments}.`, {
      option: "environment",
      provider: PROVIDER,
    });
  }
}
