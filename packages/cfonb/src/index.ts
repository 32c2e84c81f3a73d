export { parseCfonb120 } from "./parse.js";
export { parseCfonb120Stream } from "./stream.js";
export type { CfonbSource } from "./stream.js";
export { formatCfonb120 } from "./format.js";
export { amountOf } from "./amount.js";
export { CfonbParseError } from "./errors.js";
export type {
  CfonbAmount,
  CfonbBalance,
  CfonbComplement,
  CfonbMovement,
  CfonbProblem,
  CfonbStatement,
} from "./types.js";
export { normalizeIban, ibanProblem, cfonbAccountNumber } from "./iban.js";
