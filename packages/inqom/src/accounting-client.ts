import { createProviderClient, type ProviderClient } from "@x/core";
import { passwordCredential, sharedOptions, type Credential, type InqomClientOptions } from "./client.js";
import { PROVIDER, describeInqomError } from "./errors.js";
import type { components, paths } from "./generated/accounting/schema.js";
import { operations, servers } from "./generated/accounting/spec.js";
import { userCredential, type InqomUserClientOptions, type InqomUserHelpers } from "./user-client.js";

/** A client of the accounting API with the password grant. */
export type InqomAccountingClient = ProviderClient<paths>;
/** A client of the accounting API acting for one Inqom user: it has `exchangeCode` too. */
export type InqomUserAccountingClient = ProviderClient<paths, InqomUserHelpers>;

export type AccountingPeriod = components["schemas"]["AccountingPeriod"];
export type Journal = components["schemas"]["Journal"];
export type Account = components["schemas"]["Account"];
export type EntryLine = components["schemas"]["EntryLine"];
export type NewEntry = components["schemas"]["NewEntry"];
export type CreatedEntry = components["schemas"]["CreatedEntry"];
export type Lettering = components["schemas"]["Lettering"];

/**
 * A typed client for Inqom's accounting API (periods, journals, accounts, entry lines, entries, documents and
 * letterings of a dossier), which lives on its own host. It takes the options of either auth mode: those of
 * `createInqomClient` (password grant) or of `createInqomUserClient` (a user's authorization code, told apart by
 * `user`). Given the same `tokenCache` as a banking client of the same credential, both use one token.
 *
 * @example
 * const accounting = createInqomAccountingClient({ username, password, clientId, clientSecret });
 * const journals = await accounting.unwrap(
 *   accounting.GET("/v1/dossiers/{dossierId}/journals", { params: { path: { dossierId: 1001 } } }),
 * );
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
  return createProviderClient<paths, Partial<InqomUserHelpers>>({
    ...sharedOptions(options),
    provider: PROVIDER,
    baseUrl: options.baseUrl ?? servers[options.environment ?? "production"],
    auth: credential.auth,
    secrets: credential.secrets,
    describeError: describeInqomError,
    operations,
    extend: credential.helpers,
  }) as InqomUserAccountingClient;
}
