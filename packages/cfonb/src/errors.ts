import type { CfonbProblem } from "./types.js";

const SHOWN_IN_MESSAGE = 5;

/**
 * A file that is not valid CFONB 120. `problems` lists every problem found (up to the
 * parser's limit), each with its line and column; the message shows the first few.
 */
export class CfonbParseError extends Error {
  readonly problems: readonly CfonbProblem[];
  /** True when the parser stopped collecting problems at its limit: there may be more. */
  readonly truncated: boolean;

  constructor(problems: readonly CfonbProblem[], truncated = false) {
    const shown = problems
      .slice(0, SHOWN_IN_MESSAGE)
      .map((p) => `line ${p.line}, column ${p.column} (${p.field}): ${p.message}`);
    const more = problems.length - shown.length;
    super(
      `Invalid CFONB 120 file, ${problems.length}${truncated ? "+" : ""} ` +
        `problem${problems.length === 1 ? "" : "s"}: ${shown.join("; ")}` +
        `${more > 0 ? `; and ${more} more (see error.problems)` : ""}` +
        `. Fix the file or ask the bank for a new export.`,
    );
    this.name = "CfonbParseError";
    this.problems = problems;
    this.truncated = truncated;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, problems: this.problems, truncated: this.truncated };
  }
}
