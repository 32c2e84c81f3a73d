import { createStatementAssembler } from "./assembler.js";
import { CfonbParseError } from "./errors.js";
import type { CfonbStatement } from "./types.js";

/**
 * Parses a whole CFONB 120 file held in memory and returns its statements, or throws a
 * `CfonbParseError` listing every problem by line and column. Accepts LF or CRLF line ends,
 * blank lines between records and a missing final newline; bytes are read as UTF-8.
 *
 * For files too large to hold parsed in memory, use `parseCfonb120Stream`.
 */
export function parseCfonb120(input: string | Uint8Array): CfonbStatement[] {
  const text = stripBom(typeof input === "string" ? input : new TextDecoder().decode(input));
  const assembler = createStatementAssembler();
  const statements: CfonbStatement[] = [];
  let lineNumber = 0;
  for (let start = 0; start <= text.length && !assembler.truncated; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const statement = assembler.line(text.slice(start, end), ++lineNumber);
    if (statement) statements.push(statement);
    start = end + 1;
  }
  assembler.end();
  if (assembler.problems.length > 0) throw new CfonbParseError(assembler.problems, assembler.truncated);
  return statements;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
