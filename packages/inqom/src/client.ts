import {
  createProviderClient,
  requireString,
  type BearerTokenAuth,
  type CallOptions,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { inqomAuth } from "./auth.js";
import type { CfonbFileInput } from "./cfonb-file.js";
import { PROVIDER, describeInqomError } from "./errors.js";
import { methods, type Methods } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";
import type { CfonbAccount, ImportResult } from "./generated/types.js";
import { resolveTokenUrl, type InqomIdentityOptions } from "./identity.js";

export interface InqomClientOptions extends SharedClientOptions, InqomIdentityOptions {
  /** E-mail address of the access account (it needs read rights on the dossiers you call). */
  username: string;
  password: string;
  /** Space-separated scopes of the password grant. Default `INQOM_SCOPE`, "openid apidata". */
  scope?: string;
}

export type { CfonbAccount, ImportResult };

export interface CreateCfonbAccountInput {
  /** With or without spaces; checked (country length, mod-97) before any request. */
  iban: string;
  bankName: string;
  /** Inqom's IBAN control of imported CFONB files for this account (`IsCfonbControlActive`). Default true. */
  cfonbControl?: boolean;
}

/** The import's own options, and the call's (`timeoutMs`, `signal`, `headers`, ...). */
export interface ImportCfonbFileOptions extends CallOptions {
  /** Parse and validate the file as CFONB 120 before sending it (streaming, bounded memory). Default true. */
  validate?: boolean;
  /** The uploaded file's name. Default: the path's or `File`'s name, else `releve.cfonb.txt`. */
  fileName?: string;
}

/** What an Inqom client adds to a typed client; `withOptions` keeps it. */
export interface InqomHelpers {
  /**
   * Adds a CFONB bank account to a dossier; the IBAN and dossier id are checked before sending (the generated
   * `banking.createAccount` sends its body unchecked). `options` are the call's (`timeoutMs`, `headers`, ...).
   */
  createCfonbAccount(
    dossierId: number | string,
    input: CreateCfonbAccountInput,
    options?: CallOptions,
  ): Promise<CfonbAccount>;
  /**
   * Uploads a CFONB 120 file (a path on Node, a string, bytes or a Blob). By default the file is
   * validated first, and a bad one is refused with every problem by line and column, sending nothing.
   */
  importCfonbFile(file: CfonbFileInput, options?: ImportCfonbFileOptions): Promise<ImportResult>;
}

/**
 * The banking client: the generated `banking.createAccount`, the checked helpers `createCfonbAccount` and
 * `importCfonbFile`, and the path-style `GET`/`POST`.
 */
export type InqomClient = ProviderClient<paths, InqomHelpers, Methods>;

/**
 * A typed client for Inqom's banking API with the password grant of an access account: the identity server's token
 * is fetched, cached and renewed for you. For an app acting for Inqom users, see `createInqomUserClient`.
 */
export function createInqomClient(options: InqomClientOptions): InqomClient {
  return bankingClient(options, passwordCredential(options, "createInqomClient"));
}

/**
 * A credential as the factories use it: the auth plugin, the values scrubbed from errors, and the helpers its mode
 * adds to a client (a user's `exchangeCode`).
 */
export interface Credential<Helpers extends object> {
  auth: BearerTokenAuth;
  secrets: readonly string[];
  helpers: (client: ProviderClient<{}>) => Helpers;
}

/** Validates the password grant's options and builds its credential; `factory` names the function called. */
export function passwordCredential(options: InqomClientOptions, factory: string): Credential<{}> {
  const tokenUrl = resolveTokenUrl(options, factory);
  const { username, password, clientId, clientSecret, scope } = options;
  requireString(username, "username", PROVIDER);
  requireString(password, "password", PROVIDER);
  if (scope !== undefined) requireString(scope, "scope", PROVIDER);
  return {
    auth: inqomAuth({ tokenUrl, username, password, clientId, clientSecret, scope }),
    // Scrubbed from every error: a server that echoes the request in its error body cannot leak them (the access
    // token goes in an `authorization` header, which redaction replaces by its name).
    secrets: [password, clientSecret, username, clientId],
    helpers: () => ({}),
  };
}

/** The options a factory passes on to core: all but the credentials of either auth mode and the identity server. */
export function sharedOptions(options: SharedClientOptions & InqomIdentityOptions): SharedClientOptions {
  const { username, password, scope, user, redirectUri, clientId, clientSecret, environment, authUrl, ...shared } =
    options as Partial<InqomClientOptions & { user: string; redirectUri: string }>;
  return shared;
}

/** The banking client over a credential: both factories build it, so the credential is their only difference. */
export function bankingClient<More extends object>(
  options: InqomClientOptions | (SharedClientOptions & InqomIdentityOptions),
  { auth, secrets, helpers }: Credential<More>,
): ProviderClient<paths, InqomHelpers & More, Methods> {
  return createProviderClient<paths, InqomHelpers & More, Methods>({
    ...sharedOptions(options),
    provider: PROVIDER,
    baseUrl: options.baseUrl ?? servers[options.environment ?? "production"],
    auth,
    secrets,
    describeError: describeInqomError,
    operations,
    methods,
    // Through `extend` rather than added once, so a client from `withOptions` has the helpers too. Their code and the
    // CFONB parser load on first call: an app that only calls the API does not ship them (its bundler splits them off).
    extend: (client) => ({
      createCfonbAccount: async (id, input, call) => (await cfonbHelpers()).createCfonbAccount(client, id, input, call),
      importCfonbFile: async (file, options) => (await cfonbHelpers()).importCfonbFile(client, file, options),
      ...helpers(client),
    }),
  });
}

/** The helpers' module, loaded on their first call (a chunk of its own in the ESM build, kept by an app's bundler). */
const cfonbHelpers = () => import("./cfonb-helpers.js");
