import { createProviderClient, type ExtendableClientOptions, type ProviderClient } from "@x/core";
import { passwordCredential, sharedOptions, type Credential, type InqomClientOptions } from "./client.js";
import { PROVIDER, describeInqomError } from "./errors.js";
import { methods, type Methods } from "./generated/accounting/methods.js";
import type { paths } from "./generated/accounting/schema.js";
import { operations, servers } from "./generated/accounting/spec.js";
import { accountingPagers, type AccountingPagers } from "./pagination.js";
import { userCredential, type InqomUserClientOptions, type InqomUserHelpers } from "./user-client.js";

export type {
  AccountingPeriod,
  Journal,
  Account,
  EntryLine,
  NewEntry,
  CreatedEntry,
  Lettering,
} from "./generated/accounting/types.js";

/** What an accounting client adds to its generated methods: the paged lists (`entries.listLines`, ...). */
export type InqomAccountingHelpers = AccountingPagers;

/**
 * A client of the accounting API with the password grant: `accounting.<tag>.<method>(...)` (`journals.list`,
 * `entries.create`, `entries.listLines`, ...), and the path-style `GET`/`POST`.
 */
export type InqomAccountingClient = ProviderClient<paths, InqomAccountingHelpers, Methods>;
/** A client of the accounting API acting for one Inqom user: the same methods, and `exchangeCode`. */
export type InqomUserAccountingClient = ProviderClient<paths, InqomAccountingHelpers & InqomUserHelpers, Methods>;

/**
 * A typed client for Inqom's accounting API (periods, journals, accounts, entry lines, entries, documents and
 * letterings of a dossier), which lives on its own host. It takes the options of either auth mode: those of
 * `createInqomClient` (password grant) or of `createInqomUserClient` (a user's authorization code, told apart by
 * `user`). Given the same `tokenCache` as a banking client of the same credential, both use one token.
 *
 * @example
 * const accounting = createInqomAccountingClient({ username, password, clientId, clientSecret });
 * const journals = await accounting.journals.list({ dossierId: 1001 });
 */
export function createInqomAccountingClient(options: InqomUserClientOptions): InqomUserAccountingClient;
export function createInqomAccountingClient(options: InqomClientOptions): InqomAccountingClient;
export function createInqomAccountingClient(
  options: InqomClientOptions | InqomUserClientOptions,
): InqomAccountingClient | InqomUserAccountingClient {
  // Through `extend`, so a client from `withOptions` has them too; each pager joins its tag's generated methods.
  return accountingClient(options, { operations, methods, extend: accountingPagers }) as InqomUserAccountingClient;
}

/**
 * The accounting client of `@x/inqom/mini`: the path-style calls, without the generated methods and pagers. Call
 * the operations and pagers as the functions that entry exports (`listJournals(accounting, { dossierId })`,
 * `listAllEntryLines(accounting, { dossierId, startDate, endDate })`).
 */
export type InqomAccountingMiniClient = ProviderClient<paths>;
/** The mini accounting client of one Inqom user: the path-style calls and `exchangeCode`. */
export type InqomUserAccountingMiniClient = ProviderClient<paths, InqomUserHelpers>;

/**
 * `createInqomAccountingClient` without the generated methods, the spec's operations table and the pagers (a user's
 * client keeps `exchangeCode`): what `@x/inqom/mini` exports under that name.
 *
 * @example
 * import { createInqomAccountingClient, listJournals } from "@x/inqom/mini";
 * const accounting = createInqomAccountingClient({ username, password, clientId, clientSecret });
 * const journals = await listJournals(accounting, { dossierId: 1001 });
 */
export function createInqomAccountingMiniClient(options: InqomUserClientOptions): InqomUserAccountingMiniClient;
export function createInqomAccountingMiniClient(options: InqomClientOptions): InqomAccountingMiniClient;
export function createInqomAccountingMiniClient(
  options: InqomClientOptions | InqomUserClientOptions,
): InqomAccountingMiniClient | InqomUserAccountingMiniClient {
  return accountingClient(options, {}) as InqomUserAccountingMiniClient;
}

/** An accounting client of either auth mode over `spec`: the spec's tables and the pagers, or none of them for mini. */
function accountingClient<Extras extends object, M extends object>(
  options: InqomClientOptions | InqomUserClientOptions,
  spec: Pick<ExtendableClientOptions<paths, Extras, M>, "operations" | "methods" | "extend">,
): ProviderClient<paths, Extras & Partial<InqomUserHelpers>, M> {
  const factory = "createInqomAccountingClient";
  const credential: Credential<Partial<InqomUserHelpers>> =
    options !== null && typeof options === "object" && "user" in options
      ? userCredential(options, factory)
      : passwordCredential(options as InqomClientOptions, factory);
  const { extend } = spec;
  return createProviderClient<paths, Extras & Partial<InqomUserHelpers>, M>({
    ...sharedOptions(options),
    provider: PROVIDER,
    baseUrl: options.baseUrl ?? servers[options.environment ?? "production"],
    auth: credential.auth,
    secrets: credential.secrets,
    describeError: describeInqomError,
    ...spec,
    extend: (client, overrides) => ({ ...(extend?.(client, overrides) as Extras), ...credential.helpers(client) }),
  });
}
