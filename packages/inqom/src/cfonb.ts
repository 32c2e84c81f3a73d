// `@x/inqom/cfonb`: the CFONB 120 parser, which lives in @x/cfonb (shared with @x/sandbox's emulator), re-exported
// under its own entry so that an app that only calls the API does not bundle it.
export {
  parseCfonb120,
  parseCfonb120Stream,
  formatCfonb120,
  amountOf,
  CfonbParseError,
  ibanProblem,
  normalizeIban,
  cfonbAccountNumber,
} from "@x/cfonb";
export type { CfonbStatement, CfonbMovement, CfonbComplement, CfonbBalance, CfonbAmount, CfonbProblem } from "@x/cfonb";
