export { createFinapiClient } from "./client.js";
export type {
  FinapiApiClient,
  FinapiClient,
  FinapiClientOptions,
  FinapiEnvironment,
  FinapiHelpers,
  FinapiProcess,
  FinapiUserClient,
  FinapiUserHelpers,
  User,
  UserCreateParams,
} from "./client.js";
export { finapiClientAuth, finapiUserAuth, processTokenAuth } from "./auth.js";
export type { FinapiClientCredentials } from "./auth.js";
export { requestIdPlugin } from "./request-id.js";
export { iterateAccounts, iterateTransactions, paginate } from "./pagination.js";
export type { Account, AccountQuery, Transaction, TransactionQuery } from "./pagination.js";
export { PROVIDER, describeFinapiError, isFinapiError } from "./errors.js";
export type { FinapiErrorCode } from "./errors.js";
export type { Paginated } from "@x/core";
export type { components, operations, paths } from "./generated/schema.js";
export { servers } from "./generated/spec.js";
