export { createSaltEdgeClient } from "./client.js";
export type {
  SaltEdgeAppHelpers,
  SaltEdgeClient,
  SaltEdgeClientOptions,
  SaltEdgeCustomerClient,
  SaltEdgeCustomerHelpers,
  SaltEdgeLevelClient,
  SaltEdgeLevelHelpers,
  SaltEdgeLoginClient,
} from "./client.js";
export { saltEdgeAuth } from "./auth.js";
export type { SaltEdgeCredentials } from "./auth.js";
export { saltEdgeSigning } from "../signing.js";
export type { SaltEdgeSigningOptions, SignatureAlgorithm } from "../signing.js";
export { verifyCallback, importCallbackPublicKey } from "./callbacks.js";
export type {
  SaltEdgeCallback,
  SaltEdgeCallbackEvent,
  SaltEdgeCallbackKind,
  SaltEdgeCallbackPayload,
  SaltEdgeCallbackPayloads,
  VerifyCallbackOptions,
} from "./callbacks.js";
export { PROVIDER, describeSaltEdgeError, isSaltEdgeError, isSaltEdgeErrorBody } from "./errors.js";
export type { SaltEdgeErrorBody, SaltEdgeErrorClass, SaltEdgeErrorCode, SaltEdgeSdkErrorCode } from "./errors.js";
export { OPERATION_LEVELS, levelOf } from "./levels.js";
export type { Level, MethodsOf, PathsAt } from "./levels.js";
export type { ListItem, ListPath, ListQuery } from "../pagination.js";
export type { Paginated } from "@x/core";
export type { components, operations, paths, webhooks } from "../generated/v3/schema.js";
export type { Methods as SaltEdgeMethods, MethodLevels } from "../generated/v3/methods.js";
// Every schema of the v3 spec as a named type: `import type { Transaction } from "@x/saltedge/v3"`.
export type * from "../generated/v3/types.js";
export { servers } from "../generated/v3/spec.js";
