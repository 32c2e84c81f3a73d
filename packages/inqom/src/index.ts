export { createInqomClient, identityServers } from "./client.js";
export type {
  InqomClient,
  InqomClientOptions,
  InqomHelpers,
  CfonbAccount,
  ImportResult,
  CreateCfonbAccountInput,
  ImportCfonbFileOptions,
} from "./client.js";
export { inqomAuth, isTokenRejected, INQOM_SCOPE } from "./auth.js";
export type { InqomAuthOptions } from "./auth.js";
export { describeInqomError, isInqomError, InvalidCfonbFileError } from "./errors.js";
export type { InqomErrorCode } from "./errors.js";
export type { CfonbFileInput } from "./cfonb-file.js";
// The CFONB 120 parser is exported by `@x/inqom/cfonb` (src/cfonb.ts), so that an app that does not use it does not
// bundle it; its types cost nothing and stay here too.
export type { CfonbStatement, CfonbMovement, CfonbComplement, CfonbBalance, CfonbAmount, CfonbProblem } from "@x/cfonb";
export type { components, operations, paths } from "./generated/schema.js";
export { servers } from "./generated/spec.js";
export type { Environment } from "./generated/spec.js";
