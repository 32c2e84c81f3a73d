import { createProviderClient, type ProviderClient } from "@x/core";
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
  const factory = "createInqomAccountingClient";
  const credential: Credential<Partial<InqomUserHelpers>> =
    options !== null && typeof options === "object" && "user" in options
      ? userCredential(options, factory)
      : passwordCredential(options as InqomClientOptions, factory);
  return createProviderClient<paths, InqomAccountingHelpers & Partial<InqomUserHelpers>, Methods>({
    ...sharedOptions(options),
    provider: PROVIDER,
    baseUrl: options.baseUrl ?? servers[options.environment ?? "production"],
    auth: credential.auth,
    secrets: credential.secrets,
    describeError: describeInqomError,
    operations,
    methods,
    // Through `extend`, so a client from `withOptions` has them too; each pager joins its tag's generated methods.
    extend: (client) => ({ ...accountingPagers(client), ...credential.helpers(client) }),
  }) as InqomUserAccountingClient;
}
