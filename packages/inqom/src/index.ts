export { createInqomClient, identityServers } from "./client.js";
export type { InqomClient, InqomClientOptions, InqomHelpers, CfonbAccount, ImportResult, CreateCfonbAccountInput, ImportCfonbFileOptions } from "./client.js";
export { inqomAuth, isTokenRejected, INQOM_SCOPE } from "./auth.js";
export type { InqomAuthOptions } from "./auth.js";
export { describeInqomError, InvalidCfonbFileError } from "./errors.js";
export type { InqomErrorCode } from "./errors.js";
export type { CfonbFileInput } from "./cfonb-file.js";
// The CFONB 120 parser lives in @x/cfonb (shared with @x/sandbox's emulator); re-exported for convenience.
export { parseCfonb120, parseCfonb120Stream, formatCfonb120, amountOf, CfonbParseError, ibanProblem, normalizeIban, cfonbAccountNumber } from "@x/cfonb";
export type { CfonbStatement, CfonbMovement, CfonbComplement, CfonbBalance, CfonbAmount, CfonbProblem } from "@x/cfonb";
export type { components, operations, paths } from "./generated/schema.js";
export { servers } from "./generated/spec.js";
export type { Environment } from "./generated/spec.js";
