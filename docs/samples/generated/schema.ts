// Stands in for the `src/generated/schema.ts` that `pnpm generate` writes for your provider: the samples borrow the
// paths of the Ledgerly example (examples/third-party-provider), so they type-check against a real generated file.
export type { paths, components } from "../../../examples/third-party-provider/src/generated/schema.js";
