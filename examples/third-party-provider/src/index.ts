export { createLedgerlyClient, postEntry, LEDGERLY_API_URL, LEDGERLY_TOKEN_URL } from "./client.js";
export type { LedgerlyClient, LedgerlyClientOptions, NewEntry, Entry } from "./client.js";
export { ledgerlyAuth } from "./auth.js";
export type { LedgerlyAuthOptions } from "./auth.js";
export { describeLedgerlyError } from "./errors.js";
export type { LedgerlyErrorCode } from "./errors.js";
export type { paths, components, operations } from "./generated/schema.js";
