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
export { iterateTransactions, listAccounts, paginate } from "./pagination.js";
export type { Account, AccountQuery, Transaction, TransactionQuery } from "./pagination.js";
export { PROVIDER, describeFinapiError, isFinapiError, multiStepAuthenticationOf } from "./errors.js";
export type { FinapiErrorCode, MultiStepAuthentication } from "./errors.js";
export type {
  BankConnectionImportDetails,
  BankConnectionUpdateTaskDetails,
  FinapiWebFormClient,
  FinapiWebFormHelpers,
  Task,
  TaskOutcome,
  WaitOptions,
  WebForm,
  WebFormOutcome,
} from "./web-form.js";
export type { Paginated } from "@x/core";
export type { components, operations, paths } from "./generated/schema.js";
export type {
  components as webFormComponents,
  operations as webFormOperations,
  paths as webFormPaths,
} from "./generated/webform/schema.js";
export { servers } from "./generated/spec.js";
