// @x/inqom/mini: the same clients without their generated methods and helpers, and every operation of both specs as a
// function of them (`listJournals(accounting, { dossierId })`). The functions are pure, so an app's bundler keeps only
// those it imports; the main entry's `accounting.journals.list()` style ships every operation of the client's spec.
export * from "./index.js";
export { createInqomMiniClient as createInqomClient } from "./client.js";
export type { InqomMiniClient as InqomClient } from "./client.js";
export { createInqomUserMiniClient as createInqomUserClient } from "./user-client.js";
export type { InqomUserMiniClient as InqomUserClient } from "./user-client.js";
export { createInqomAccountingMiniClient as createInqomAccountingClient } from "./accounting-client.js";
export type {
  InqomAccountingMiniClient as InqomAccountingClient,
  InqomUserAccountingMiniClient as InqomUserAccountingClient,
} from "./accounting-client.js";
export * from "./generated/operations.js";
export * from "./generated/accounting/operations.js";
