// @x/october/mini: the same client without its generated methods, and every operation of the spec as a function of
// it (`getRequest(october, { id })`). The functions are pure, so an app's bundler keeps only those it imports; the
// main entry's `october.requests.get()` style ships every operation's facts (about 0.15 kB gz for October's ten).
export * from "./index.js";
export { createOctoberMiniClient as createOctoberClient } from "./client.js";
export type { OctoberMiniClient as OctoberClient } from "./client.js";
export * from "./generated/operations.js";
