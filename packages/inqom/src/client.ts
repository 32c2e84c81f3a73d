import {
  createProviderClient,
  requireString,
  type BearerTokenAuth,
  type CallOptions,
  type ExtendableClientOptions,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { inqomAuth } from "./auth.js";
import type { CfonbFileInput } from "./cfonb-file.js";
import { PROVIDER, describeInqomError } from "./errors.js";
import { methods, type Methods } from "./generated/methods.js";
import { createCfonbAccount } from "./generated/operations.js";
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
 * The client of `@x/inqom/mini`: the path-style calls, without the generated methods and helpers. Call the operations
 * and helpers as the functions that entry exports (`createCfonbAccount(inqom, { dossierId }, body)`,
 * `importCfonbFile(inqom, file)`), so a bundler keeps only those an app imports.
 */
export type InqomMiniClient = ProviderClient<paths>;

/**
 * A typed client for Inqom's banking API with the password grant of an access account: the identity server's token
 * is fetched, cached and renewed for you. For an app acting for Inqom users, see `createInqomUserClient`.
 */
export function createInqomClient(options: InqomClientOptions): InqomClient {
  const credential = passwordCredential(options, "createInqomClient");
  return bankingClient(options, credential, withHelpers(credential.helpers));
}

/**
 * `createInqomClient` without the generated methods, the spec's operations table and the helpers: what
 * `@x/inqom/mini` exports under that name.
 *
 * @example
 * import { createInqomClient, importCfonbFile } from "@x/inqom/mini";
 * const inqom = createInqomClient({ username, password, clientId, clientSecret });
 * const result = await importCfonbFile(inqom, "./releve-mars.txt");
 */
export function createInqomMiniClient(options: InqomClientOptions): InqomMiniClient {
  const credential = passwordCredential(options, "createInqomClient");
  return bankingClient(options, credential, { extend: credential.helpers });
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

/** What a banking factory gives core besides the options and credential: the spec's tables and the helpers. */
export type BankingSpec<Extras extends object, M extends object> = Pick<
  ExtendableClientOptions<paths, Extras, M>,
  "operations" | "methods" | "extend"
>;

/** The full client's spec: the generated methods, the operations table, the CFONB helpers and the credential's. */
export function withHelpers<More extends object>(
  helpers: Credential<More>["helpers"],
): BankingSpec<InqomHelpers & More, Methods> {
  return {
    operations,
    methods,
    // Through `extend` rather than added once, so a client from `withOptions` has the helpers too.
    extend: (client) => ({
      createCfonbAccount: (id, input, call) => createCheckedCfonbAccount(client, id, input, call),
      importCfonbFile: (file, options) => importCfonbFile(client, file, options),
      ...helpers(client),
    }),
  };
}

/** The banking client over a credential and a spec: every factory builds it, full or mini, password or user. */
export function bankingClient<Extras extends object, M extends object>(
  options: InqomClientOptions | (SharedClientOptions & InqomIdentityOptions),
  { auth, secrets }: Pick<Credential<{}>, "auth" | "secrets">,
  spec: BankingSpec<Extras, M>,
): ProviderClient<paths, Extras, M> {
  return createProviderClient<paths, Extras, M>({
    ...sharedOptions(options),
    provider: PROVIDER,
    baseUrl: options.baseUrl ?? servers[options.environment ?? "production"],
    auth,
    secrets,
    describeError: describeInqomError,
    ...spec,
  });
}

/**
 * `inqom.createCfonbAccount` as a function of any banking client, mini included: checks the dossier id and the IBAN,
 * then calls the `createCfonbAccount` operation (which checks nothing). Its name differs from the operation's, which
 * `@x/inqom/mini` exports too.
 */
export async function createCheckedCfonbAccount(
  client: ProviderClient<paths>,
  dossierId: number | string,
  input: CreateCfonbAccountInput,
  options?: CallOptions,
): Promise<CfonbAccount> {
  const { dossierId: id, body } = (await cfonbHelpers()).cfonbAccountArguments(dossierId, input);
  return createCfonbAccount(client, { dossierId: id }, body, options);
}

/** `inqom.importCfonbFile` as a function of any banking client, mini included. */
export async function importCfonbFile(
  client: ProviderClient<paths>,
  file: CfonbFileInput,
  options?: ImportCfonbFileOptions,
): Promise<ImportResult> {
  return (await cfonbHelpers()).importCfonbFile(client, file, options);
}

/**
 * The helpers' module and the CFONB parser, loaded on a helper's first call (a chunk of their own in the ESM build,
 * kept by an app's bundler): an app that only calls the API does not ship them.
 */
const cfonbHelpers = () => import("./cfonb-helpers.js");
