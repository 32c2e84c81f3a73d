// Stands in for the `src/generated/spec.ts` that `pnpm generate` writes for your provider: the samples borrow the
// operations table of the Ledgerly example (examples/third-party-provider), so they run against a real generated one.
export { operations } from "../../../examples/third-party-provider/src/generated/operations.js";
