export { createInqomClient, createCheckedCfonbAccount, importCfonbFile } from "./client.js";
export type {
  InqomClient,
  InqomMiniClient,
  InqomClientOptions,
  InqomHelpers,
  CfonbAccount,
  ImportResult,
  CreateCfonbAccountInput,
  ImportCfonbFileOptions,
} from "./client.js";
export { identityServers } from "./identity.js";
export type { InqomIdentityOptions } from "./identity.js";
export { createInqomUserClient } from "./user-client.js";
export type {
  InqomUserClient,
  InqomUserMiniClient,
  InqomUserClientOptions,
  InqomUserHelpers,
} from "./user-client.js";
export { createInqomAccountingClient } from "./accounting-client.js";
export type {
  InqomAccountingClient,
  InqomUserAccountingClient,
  InqomAccountingMiniClient,
  InqomUserAccountingMiniClient,
  InqomAccountingHelpers,
  AccountingPeriod,
  Journal,
  Account,
  EntryLine,
  NewEntry,
  CreatedEntry,
  Lettering,
} from "./accounting-client.js";
export { inqomAuth, isTokenRejected, INQOM_SCOPE } from "./auth.js";
export type { InqomAuthOptions } from "./auth.js";
export { inqomAuthorizeUrl, inqomUserAuth, INQOM_USER_SCOPE } from "./authorization-code.js";
export type {
  InqomAuthorizeUrlOptions,
  InqomAuthorization,
  InqomUserAuthOptions,
  InqomUserAuth,
  ExchangeCodeInput,
} from "./authorization-code.js";
export { describeInqomError, isInqomError, InvalidCfonbFileError } from "./errors.js";
export type { InqomErrorCode } from "./errors.js";
export type { CfonbFileInput } from "./cfonb-file.js";
// The CFONB 120 parser is exported by `@x/inqom/cfonb` (src/cfonb.ts), so that an app that does not use it does not
// bundle it; its types cost nothing and stay here too.
export type { CfonbStatement, CfonbMovement, CfonbComplement, CfonbBalance, CfonbAmount, CfonbProblem } from "@x/cfonb";
export type { components, operations, paths } from "./generated/schema.js";
export type { Methods } from "./generated/methods.js";
// Every schema of the banking spec as a named type (`import type { CfonbAccount } from "@x/inqom"`).
export type * from "./generated/types.js";
export { servers } from "./generated/spec.js";
export type { Environment } from "./generated/spec.js";
// The accounting API, a host and spec of its own (specs/inqom.accounting.yaml).
export type {
  components as AccountingComponents,
  operations as AccountingOperations,
  paths as AccountingPaths,
} from "./generated/accounting/schema.js";
export { servers as accountingServers } from "./generated/accounting/spec.js";
export type { Methods as AccountingMethods } from "./generated/accounting/methods.js";
// Every schema of the accounting spec, under a namespace: both specs have an `Error` (`Accounting.Journal`, ...).
export type * as Accounting from "./generated/accounting/types.js";
export {
  entryLines,
  listAllEntryLines,
  listAllEntryLineChanges,
  searchAllAccountingFolders,
} from "./pagination.js";
export type {
  AccountingPagers,
  DossierPagers,
  DossierSearchParams,
  EntryPagers,
  EntryLinesParams,
  EntryLineChangesParams,
  EntryLineChange,
  EntryLineQuery,
} from "./pagination.js";
