import { echoFlow } from "./echo.js";
import { finapiFlows } from "./finapi.js";
import { inqomFlow } from "./inqom.js";
import { octoberFlow } from "./october.js";
import { saltedgeFlows } from "./saltedge.js";
import { sfsFlow } from "./sfs.js";
import { fleetFlow } from "./fleet.js";
import type { Flow } from "./types.js";

/** Every flow the demo runs, in table order. Each provider issue adds one file under src/flows/ and one entry here. */
export const flows: Flow[] = [echoFlow, ...finapiFlows, inqomFlow, octoberFlow, ...saltedgeFlows, sfsFlow, fleetFlow];
