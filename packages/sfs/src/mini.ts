// @x/sfs/mini: the same clients without the action and generated methods and the spec's operations table, and every
// action and operation as a function of a client (`listTemplates(acme)`, `downloadPdf(acme, { contractKey })`). The
// functions are pure, so an app's bundler keeps only those it imports.
export * from "./index.js";
export { createSfsMiniClient as createSfsClient } from "./client.js";
export type {
  SfsMiniClient as SfsClient,
  SfsApiKeyMiniClient as SfsApiKeyClient,
  SfsMiniHandle as SfsHandle,
  SfsMiniHelpers,
} from "./client.js";
export {
  listClients,
  createClient,
  listTemplates,
  readTemplate,
  createTemplate,
  listPlaceholders,
  createPlaceholder,
  listContracts,
  createContract,
  updateContract,
  listRecipients,
  createRecipients,
  sendRecipients,
  updateRecipient,
  deleteRecipient,
} from "./actions.js";
export type { ActionFunction } from "./actions.js";
export * from "./generated/operations.js";
