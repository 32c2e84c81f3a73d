export { createSfsClient } from "./client.js";
export type {
  SfsClient,
  SfsClientOptions,
  SfsHandle,
  SfsApiKeyClient,
  SfsApiKeyClientOptions,
  SfsApiKeyHelpers,
  SfsPlatformHelpers,
} from "./client.js";
export { sfsPlatformAuth, sfsClientAuth, sfsApiKeyAuth, PLATFORM_TOKEN, CLIENT_TOKEN, API_KEY } from "./auth.js";
export type { SfsPlatformAuthOptions, SfsClientAuthOptions, SfsApiKeyAuthOptions } from "./auth.js";
export type {
  SfsClientActions,
  SfsPlatformActions,
  SfsClients,
  SfsTemplates,
  SfsPlaceholders,
  SfsContracts,
  SfsRecipients,
  ActionMethod,
  ActionData,
} from "./actions.js";
export { describeSfsError, isSfsError, SFS_ERROR_CODES } from "./errors.js";
export type { SfsErrorCode } from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { Methods, MethodLevels, PathLevels } from "./generated/methods.js";
export type * from "./generated/types.js";
export { servers } from "./generated/spec.js";
