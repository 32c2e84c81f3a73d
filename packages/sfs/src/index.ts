export { createSfsClient } from "./client.js";
export type { SfsClient, SfsClientOptions, SfsHandle } from "./client.js";
export { sfsPlatformAuth, sfsClientAuth, PLATFORM_TOKEN, CLIENT_TOKEN } from "./auth.js";
export type { SfsPlatformAuthOptions, SfsClientAuthOptions } from "./auth.js";
export { describeSfsError, isSfsError, SFS_ERROR_CODES } from "./errors.js";
export type { SfsErrorCode } from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export { servers } from "./generated/spec.js";
