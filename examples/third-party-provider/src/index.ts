// The public surface of @ledgerly/sdk, and nothing else: each job lives in its own file.
export { createLedgerlyClient, LEDGERLY_API_URL, LEDGERLY_TOKEN_URL } from "./client.js";
export type { LedgerlyClient, LedgerlyClientOptions, LedgerlyHelpers, NewEntry } from "./client.js";
export { ledgerlyAuth } from "./auth.js";
export type { LedgerlyAuthOptions } from "./auth.js";
export { describeLedgerlyError, isLedgerlyError } from "./errors.js";
export type { LedgerlyErrorCode } from "./errors.js";
export type { Account, AccountQuery, Entry, EntryQuery } from "./pagination.js";
export type { paths, components, operations } from "./generated/schema.js";
