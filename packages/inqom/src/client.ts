import { parseCfonb120Stream, CfonbParseError, ibanProblem, normalizeIban } from "@x/cfonb";
import { ConfigurationError, assertSecureUrl, createProviderClient, requireString, type ProviderClient, type SharedClientOptions } from "@x/core";
import { inqomAuth } from "./auth.js";
import { toCfonbBlob, type CfonbFileInput } from "./cfonb-file.js";
import { InvalidCfonbFileError, describeInqomError } from "./errors.js";
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
  /** Full URL of the token endpoint. Required with `baseUrl`, so credentials never go to an identity server of another environment. */
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
  const provider = "inqom";
  requireString(username, "username", provider);
  requireString(password, "password", provider);
  requireString(clientId, "clientId", provider);
  requireString(clientSecret, "clientSecret", provider);
  if (environment !== undefined && !(environment in servers)) {
    throw new ConfigurationError(`environment must be one of ${Object.keys(servers).join(", ")}.`, { option: "environment", provider });
  }
  if (baseUrl !== undefined && authUrl === undefined) {
    throw new ConfigurationError("authUrl is required with baseUrl (for the sandbox: `${baseUrl}/identity/connect/token`), so credentials never go to another environment's identity server.", {
      option: "authUrl",
      provider,
    });
  }
  const tokenUrl = assertSecureUrl(authUrl ?? identityServers[environment ?? "production"], "authUrl", provider).href;

  return createProviderClient<paths, InqomHelpers>({
    ...rest,
    provider,
    baseUrl: baseUrl ?? servers[environment ?? "production"],
    auth: inqomAuth({ tokenUrl, username, password, clientId, clientSecret }),
    describeError: describeInqomError,
    operations,
    // Through `extend` rather than added once, so a client from `withOptions` has the helpers too.
    extend: (client) => ({
      createCfonbAccount: (dossierId, input) => createCfonbAccount(client, dossierId, input),
      importCfonbFile: (file, importOptions) => importCfonbFile(client, file, importOptions),
    }),
  });
}

async function createCfonbAccount(client: ProviderClient<paths>, dossierId: number | string, input: CreateCfonbAccountInput): Promise<CfonbAccount> {
  const provider = "inqom";
  const id = typeof dossierId === "string" && /^\d+$/.test(dossierId.trim()) ? Number(dossierId) : dossierId;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
    throw new ConfigurationError("dossierId must be a positive integer: the id of the dossier in Inqom.", { option: "dossierId", provider });
  }
  const iban = normalizeIban(requireString(input?.iban, "iban", provider));
  // The IBAN itself is left out of the message: it identifies a person's account.
  const problem = ibanProblem(iban);
  if (problem) throw new ConfigurationError(`iban is not a valid IBAN: ${problem}.`, { option: "iban", provider });
  const bankName = requireString(input.bankName, "bankName", provider).trim();
  if (input.cfonbControl !== undefined && typeof input.cfonbControl !== "boolean") {
    throw new ConfigurationError("cfonbControl must be a boolean.", { option: "cfonbControl", provider });
  }
  return client.unwrap(
    client.POST("/api/app/banking/enterprises/{dossierId}/manual/ebics/accounts", {
      params: { path: { dossierId: id } },
      body: { Iban: iban, BankName: bankName, IsCfonbControlActive: input.cfonbControl ?? true },
    }),
  );
}

async function importCfonbFile(client: ProviderClient<paths>, file: CfonbFileInput, options: ImportCfonbFileOptions = {}): Promise<ImportResult> {
  const { blob, name } = await toCfonbBlob(file, options.fileName);
  if (options.validate ?? true) {
    try {
      // Streamed and discarded statement by statement: validating a large file costs one statement of memory.
      for await (const _statement of parseCfonb120Stream(blob.stream())) {
        // Only the problems matter here; Inqom parses the file again on its side.
      }
    } catch (error) {
      if (error instanceof CfonbParseError) throw new InvalidCfonbFileError(error);
      throw error;
    }
  }
  return client.unwrap(
    client.POST("/api/app/banking/ebics/accounts/import", {
      body: { file: name },
      // openapi-fetch sends FormData as is, with its multipart boundary.
      bodySerializer: () => {
        const form = new FormData();
        form.append("file", blob, name);
        return form;
      },
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
}
