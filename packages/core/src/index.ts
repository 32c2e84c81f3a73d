export { createProviderClient, apiErrorFor } from "./client.js";
export type {
  ProviderClient,
  ProviderClientOptions,
  ExtendableClientOptions,
  SharedClientOptions,
  RequestOverrides,
  PathCall,
  PathClient,
  PathRequest,
} from "./client.js";
export { resolveCallOptions } from "./call-options.js";
export type { CallOptions, ResolvedCallOptions } from "./call-options.js";
export { defineOperation, methodPromise } from "./operation-methods.js";
export type { MethodTable, MethodSpec, PagingSpec } from "./operation-methods.js";
export type {
  OperationMethod,
  OperationFunction,
  OperationClient,
  MethodResult,
  MethodTraits,
  MethodArgs,
  MethodParams,
  MethodBody,
  MethodData,
  MethodPromise,
  MethodsAt,
  PathsAt,
} from "./method-types.js";
export { definePlugin, defineAuthPlugin } from "./plugin.js";
export type { Plugin, AuthPlugin, Middleware, Next, RequestContext, ClientRuntime } from "./plugin.js";
export { composeMiddlewares } from "./pipeline.js";
export { readErrorBody, discardBody, redactErrorResponse } from "./body.js";
export type { ReadErrorBodyOptions } from "./body.js";
export { paginate, pageNumber, cursor } from "./pagination.js";
export type { Paginated, PaginateOptions, NextPage } from "./pagination.js";
export { resolveClientOptions, resolveRetryOptions, resolveLogger, mergeHeaders } from "./options.js";
export type { ResolvedClientOptions, ResolvedRetryOptions } from "./options.js";
export type { Dispatch } from "./pipeline.js";
export { createRequest, withHeaders, toPipelineRequest, readBodyBytes } from "./request.js";
export type { PipelineRequest, PipelineRequestInit, RequestBody } from "./request.js";
export type { Operation, OperationTable } from "./operation.js";
export { retryPlugin, retryDelay, parseRetryAfter, IDEMPOTENT_METHODS } from "./retry.js";
export type { RetryOptions } from "./retry.js";
export { timeoutPlugin } from "./timeout.js";
export { createTokenCache, tokenCacheKey } from "./token-cache.js";
export type {
  TokenCache,
  TokenCacheOptions,
  TokenStore,
  TokenLock,
  CachedToken,
  TokenGrant,
  TokenFetcher,
  TokenRequestInfo,
  InvalidationReason,
} from "./token-cache.js";
export { memoryTokenStore } from "./stores/memory.js";
export type { MemoryTokenStoreOptions } from "./stores/memory.js";
export { staticHeadersAuth } from "./auth/static-headers.js";
export type { RejectionCheck } from "./auth/rejection.js";
export type { StaticHeadersAuthOptions } from "./auth/static-headers.js";
export { bearerTokenAuth } from "./auth/bearer-token.js";
export type { BearerTokenAuth, BearerTokenAuthOptions } from "./auth/bearer-token.js";
export { oauth2Auth } from "./auth/oauth2.js";
export type { OAuth2AuthOptions, OAuth2Grant } from "./auth/oauth2.js";
export { readTokenResponse, jwtExpiresAt } from "./auth/token-response.js";
export type { TokenResponseContext } from "./auth/token-response.js";
export { requestSigning } from "./auth/signing.js";
export type { RequestSigner, SigningInput } from "./auth/signing.js";
export {
  XError,
  ConfigurationError,
  AuthenticationError,
  ApiError,
  TimeoutError,
  NetworkError,
  AbortError,
  PaginationError,
  RedirectError,
  ResponseTooLargeError,
} from "./errors.js";
export { isXError, providerErrorGuard, responseErrorOptions } from "./errors.js";
export type { XErrorOptions, HttpErrorOptions, XErrorMatch, ProviderErrorGuard, CoreErrorCode } from "./errors.js";
export { assertSecureUrl, isLoopbackHost, requireString, requirePositiveNumber } from "./security.js";
export { describeUrl, describePath, describeRoute, redactBody, scrubSecrets } from "./redact.js";
export { silentLogger, LOG_ENV } from "./events.js";
export type { SdkEvent, SdkEventType, EventHandler, Logger } from "./events.js";
