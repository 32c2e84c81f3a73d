import { ConfigurationError } from "@x/core";
import { PROVIDER } from "./provider.js";

/**
 * Refuses a missing options object with an error that names the fix: destructuring `undefined` would throw a bare
 * `TypeError` that names nothing.
 */
export function requireOptions(options: unknown, needs: string): void {
  if (options === null || typeof options !== "object") {
    throw new ConfigurationError(`createSaltEdgeClient needs an options object with ${needs}.`, {
      option: "options",
      provider: PROVIDER,
    });
  }
}
