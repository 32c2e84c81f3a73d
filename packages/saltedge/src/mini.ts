// @x/saltedge/mini: the v6 client without its generated methods, and every operation of the spec as a function of it
// (`showCustomer(client, { customer_id })`). The functions are pure, so an app's bundler keeps only those it imports;
// the main entry's `client.customers.show()` style ships all sixteen. The legacy v3 API has no mini entry.
export * from "./index.js";
export { createSaltEdgeMiniClient as createSaltEdgeClient } from "./client.js";
export type { SaltEdgeMiniClient as SaltEdgeClient } from "./client.js";
export * from "./generated/operations.js";
