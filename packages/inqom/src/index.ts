export { createInqomClient } from "./client.js";
export type {
  InqomClient,
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
export type { InqomUserClient, InqomUserClientOptions, InqomUserHelpers } from "./user-client.js";
export { createInqomAccountingClient } from "./accounting-client.js";
export type {
  InqomAccountingClient,
  InqomUserAccountingClient,
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
export { servers } from "./generated/spec.js";
export type { Environment } from "./generated/spec.js";
// The accounting API, a host and spec of its own (specs/inqom.accounting.yaml).
export type {
  components as AccountingComponents,
  operations as AccountingOperations,
  paths as AccountingPaths,
} from "./generated/accounting/schema.js";
export { servers as accountingServers } from "./generated/accounting/spec.js";
export { entryLines } from "./pagination.js";
export type { EntryLineQuery } from "./pagination.js";
