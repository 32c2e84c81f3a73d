// @x/saltedge: the Salt Edge API v6 (App-id + Secret, every request signed, customers and connections by id).
// The v3 "apps" API (Client-id, App-secret, Customer-secret, Login-secret) is the "@x/saltedge/v3" entry.
export { createSaltEdgeClient } from "./client.js";
export type { SaltEdgeClient, SaltEdgeClientOptions, SaltEdgeHelpers } from "./client.js";
export { saltEdgeAuth } from "./auth.js";
export type { SaltEdgeCredentials } from "./auth.js";
export { saltEdgeSigning } from "./signing.js";
export type { SaltEdgeSigningOptions, SignatureAlgorithm } from "./signing.js";
export { verifyCallback, importCallbackPublicKey } from "./callbacks.js";
export type {
  SaltEdgeCallback,
  SaltEdgeCallbackEvent,
  SaltEdgeCallbackKind,
  SaltEdgeCallbackPayloads,
  VerifyCallbackOptions,
} from "./callbacks.js";
export { PROVIDER, describeSaltEdgeError, isSaltEdgeError, isSaltEdgeErrorBody } from "./errors.js";
export type { SaltEdgeErrorBody, SaltEdgeErrorClass, SaltEdgeErrorCode, SaltEdgeSdkErrorCode } from "./errors.js";
export type { ListItem, ListPath, ListQuery } from "./pagination.js";
export type { Paginated } from "@x/core";
export type { components, operations, paths, webhooks } from "./generated/schema.js";
export type { Methods as SaltEdgeMethods } from "./generated/methods.js";
// Every schema as a named type: `import type { Transaction } from "@x/saltedge"`.
export type * from "./generated/types.js";
export { servers } from "./generated/spec.js";
