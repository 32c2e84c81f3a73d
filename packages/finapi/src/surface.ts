// The public surface @x/finapi and @x/finapi/mini share: everything but the client factory and its types.
export type {
  FinapiApiClient,
  FinapiClient,
  FinapiClientMethods,
  FinapiClientOptions,
  FinapiClientPaths,
  FinapiEnvironment,
  FinapiHelpers,
  FinapiProcess,
  FinapiUserClient,
  FinapiUserHelpers,
  FinapiUserMethods,
  FinapiUserPaths,
} from "./client.js";
export { finapiClientAuth, finapiUserAuth, processTokenAuth } from "./auth.js";
export type { FinapiClientCredentials } from "./auth.js";
export { requestIdPlugin } from "./request-id.js";
export { iterateTransactions, listAccounts } from "./pagination.js";
export { deleteUser } from "./users.js";
export type { AccountQuery, TransactionQuery } from "./pagination.js";
export { PROVIDER, describeFinapiError, isFinapiError, multiStepAuthenticationOf } from "./errors.js";
export type { FinapiErrorCode, MultiStepAuthentication } from "./errors.js";
export type {
  BankConnectionImportDetails,
  BankConnectionUpdateTaskDetails,
  FinapiWebFormClient,
  FinapiWebFormHelpers,
  FinapiWebFormMethods,
  FinapiWebFormPaths,
  Task,
  TaskOutcome,
  WaitOptions,
  WebForm,
  WebFormOutcome,
} from "./web-form.js";
export type { Paginated } from "@x/core";
/** Every schema of finAPI Access V2 and the Process Controller as a named type: `Transaction`, `User`, ... */
export type * from "./generated/types.js";
/** Every schema of Web Form 2.0 as a named type: `WebFormTypes.WebForm`, `WebFormTypes.TasksPage`, ... */
export type * as WebFormTypes from "./generated/webform/types.js";
export type { Methods, MethodLevels, PathLevels } from "./generated/methods.js";
export type { components, operations, paths } from "./generated/schema.js";
export type {
  components as webFormComponents,
  operations as webFormOperations,
  paths as webFormPaths,
} from "./generated/webform/schema.js";
export { servers } from "./generated/spec.js";
