import { createStatementAssembler } from "./assembler.js";
import { CfonbParseError } from "./errors.js";
import { stripBom } from "./parse.js";
import type { CfonbStatement } from "./types.js";

/** Any line longer than this means the input is not CFONB 120; stop before buffering it all. */
const MAX_LINE_CHARS = 64 * 1024;

export type CfonbSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

/**
 * Parses a CFONB 120 file as it streams in (a `Blob.stream()`, a fetch body, a Node read
 * stream) and yields each statement as soon as its 07 record closes it, so memory holds one
 * statement at a time whatever the file size. Statements with a problem are not yielded;
 * when the input ends, a `CfonbParseError` lists every problem found. A caller that must not
 * act on any part of a bad file should therefore consume the whole stream before acting.
 */
export async function* parseCfonb120Stream(source: CfonbSource): AsyncGenerator<CfonbStatement, void, undefined> {
  const assembler = createStatementAssembler();
  const decoder = new TextDecoder();
  let pending = "";
  let lineNumber = 0;
  let first = true;
  const fail = () => new CfonbParseError(assembler.problems, assembler.truncated);

  for await (const chunk of chunksOf(source)) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (first && pending.length > 0) {
      pending = stripBom(pending);
      first = false;
    }
    let start = 0;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n", start)) {
      const statement = assembler.line(pending.slice(start, end), ++lineNumber);
      if (statement) yield statement;
      if (assembler.truncated) throw fail();
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      assembler.problems.push({
        line: lineNumber + 1,
        column: 1,
        field: "recordLength",
        message: `the line runs past ${MAX_LINE_CHARS} characters without a line break; this is not a CFONB 120 file`,
      });
      throw fail();
    }
  }
  pending += decoder.decode();
  if (pending !== "") {
    const statement = assembler.line(pending, ++lineNumber);
    if (statement) yield statement;
  }
  assembler.end();
  if (assembler.problems.length > 0) throw fail();
}

/** `ReadableStream` is not async-iterable in every runtime's types (or in Safari): read it by hand. */
async function* chunksOf(source: CfonbSource): AsyncGenerator<Uint8Array | string> {
  if (!(typeof ReadableStream !== "undefined" && source instanceof ReadableStream)) {
    yield* source as AsyncIterable<Uint8Array | string>;
    return;
  }
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
