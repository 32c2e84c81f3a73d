import { echo } from "./echo.js";
import { finapi } from "./finapi.js";
import { inqom } from "./inqom.js";
import { october } from "./october.js";
import { saltedge } from "./saltedge.js";
import { sfs } from "./sfs.js";

/**
 * Every emulator the sandbox can start, by provider name. A provider issue adds its emulator file next to
 * this one and one line here; the CLI, the demo and `startSandbox()` pick it up from this map.
 */
export const emulators = {
  echo,
  finapi,
  inqom,
  october,
  saltedge,
  sfs,
};
