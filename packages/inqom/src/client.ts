import {
  ConfigurationError,
  assertSecureUrl,
  createProviderClient,
  requireString,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { inqomAuth } from "./auth.js";
import type { CfonbFileInput } from "./cfonb-file.js";
import { PROVIDER, describeInqomError } from "./errors.js";
import type { components, paths } from "./generated/schema.js";
import { operations, servers, type Environment } from "./generated/spec.js";

/**
 * The identity server of each environment. The spec declares it as the token path's own
 * `servers`, which the generator does not export, so it is restated here.
 */
export const identityServers: Record<Environment, string> = {
  production: "https://auth.inqom.com/identity/connect/token",
  staging: "https://auth-staging.inqom.com/identity/connect/token",
};

export interface InqomClientOptions extends SharedClientOptions {
  /** E-mail address of the access account (it needs read rights on the dossiers you call). */
  username: string;
  password: string;
  /** Id of your Inqom API client. */
  clientId: string;
  clientSecret: string;
  /** `production` (default) or `staging` ("recette"): picks both the identity server and the banking API. */
  environment?: Environment;
  /**
   * Full URL of the token endpoint. Required with `baseUrl`, so
   * credentials never go to an identity server of another environment.
   */
  authUrl?: string;
}

export type CfonbAccount = components["schemas"]["CfonbAccount"];
export type ImportResult = components["schemas"]["ImportResult"];

export interface CreateCfonbAccountInput {
  /** With or without spaces; checked (country length, mod-97) before any request. */
  iban: string;
  bankName: string;
  /** Inqom's IBAN control of imported CFONB files for this account (`IsCfonbControlActive`). Default true. */
  cfonbControl?: boolean;
}

export interface ImportCfonbFileOptions {
  /** Parse and validate the file as CFONB 120 before sending it (streaming, bounded memory). Default true. */
  validate?: boolean;
  /** The uploaded file's name. Default: the path's or `File`'s name, else `releve.cfonb.txt`. */
  fileName?: string;
  signal?: AbortSignal;
}

/** What an Inqom client adds to a typed client; `withOptions` keeps it. */
export interface InqomHelpers {
  /** Adds a CFONB bank account to a dossier; the IBAN and dossier id are checked before sending. */
  createCfonbAccount(dossierId: number | string, input: CreateCfonbAccountInput): Promise<CfonbAccount>;
  /**
   * Uploads a CFONB 120 file (a path on Node, a string, bytes or a Blob). By default the file is
   * validated first, and a bad one is refused with every problem by line and column, sending nothing.
   */
  importCfonbFile(file: CfonbFileInput, options?: ImportCfonbFileOptions): Promise<ImportResult>;
}

export type InqomClient = ProviderClient<paths, InqomHelpers>;

/** A typed client for Inqom's banking API: the identity server's token is fetched, cached and renewed for you. */
export function createInqomClient(options: InqomClientOptions): InqomClient {
  const { username, password, clientId, clientSecret, environment, authUrl, baseUrl, ...rest } = options;
  const provider = PROVIDER;
  requireString(username, "username", provider);
  requireString(password, "password", provider);
  requireString(clientId, "clientId", provider);
  requireString(clientSecret, "clientSecret", provider);
  if (environment !== undefined && !(environment in servers)) {
    const environments = Object.keys(servers).join(", ");
    throw new ConfigurationError(`environment must be one of ${environments}.`, { option: "environment", provider });
  }
  if (baseUrl !== undefined && authUrl === undefined) {
    throw new ConfigurationError(
      "authUrl is required with baseUrl (for the sandbox: `${baseUrl}/identity/connect/token`), so credentials" +
        " never go to another environment's identity server.",
      { option: "authUrl", provider },
    );
  }
  const tokenUrl = assertSecureUrl(authUrl ?? identityServers[environment ?? "production"], "authUrl", provider).href;
  const auth = inqomAuth({ tokenUrl, username, password, clientId, clientSecret });

  return createProviderClient<paths, InqomHelpers>({
    ...rest,
    provider,
    baseUrl: baseUrl ?? servers[environment ?? "production"],
    auth,
    // Scrubbed from every error: a server that echoes the request in its error body cannot leak them (the access
    // token goes in an `authorization` header, which redaction replaces by its name).
    secrets: [password, clientSecret, username, clientId],
    describeError: describeInqomError,
    operations,
    // Through `extend` rather than added once, so a client from `withOptions` has the helpers too. Their code and the
    // CFONB parser load on first call: an app that only calls the API does not ship them (its bundler splits them off).
    extend: (client) => ({
      createCfonbAccount: async (id, input) => (await cfonbHelpers()).createCfonbAccount(client, id, input),
      importCfonbFile: async (file, options) => (await cfonbHelpers()).importCfonbFile(client, file, options),
    }),
  });
}

/** The helpers' module, loaded on their first call (a chunk of its own in the ESM build, kept by an app's bundler). */
const cfonbHelpers = () => import("./cfonb-helpers.js");
