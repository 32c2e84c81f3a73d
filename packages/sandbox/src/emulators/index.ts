import { echo } from "./echo.js";
import { finapi } from "./finapi.js";
import { inqom } from "./inqom.js";
import { october } from "./october.js";
import { saltedge } from "./saltedge.js";
import { saltedgeV3 } from "./saltedge-v3.js";
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
  // The v3 apps API, for the "@x/saltedge/v3" entry; "saltedge" is API v6.
  "saltedge-v3": saltedgeV3,
  sfs,
};
