import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CfonbParseError, formatCfonb120, parseCfonb120, parseCfonb120Stream } from "../src/index.js";
import { sampleStatement } from "./sample.js";

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("parseCfonb120Stream", () => {
  it("yields the same statements as parseCfonb120 whatever the chunk boundaries", async () => {
    const file = formatCfonb120([sampleStatement(0, 5), sampleStatement(1, 0), sampleStatement(2, 9)]).replace(
      /\n/g,
      "\r\n",
    );
    const bytes = new TextEncoder().encode(file);
    const chunks = [] as Uint8Array[];
    for (let i = 0; i < bytes.length; i += 37) chunks.push(bytes.subarray(i, i + 37));
    expect(await collect(parseCfonb120Stream(Readable.from(chunks)))).toEqual(parseCfonb120(file));
    expect(await collect(parseCfonb120Stream(new Blob([bytes]).stream()))).toEqual(parseCfonb120(file));
  });

  it("throws the problems of a bad file once the input ends, without yielding the bad statement", async () => {
    const file = formatCfonb120([sampleStatement(0, 2), sampleStatement(1, 2)]).split("\n");
    file[1] = (file[1] as string).slice(0, 119);
    const yielded: string[] = [];
    const error = await (async () => {
      for await (const statement of parseCfonb120Stream(Readable.from([file.join("\n")])))
        yielded.push(statement.accountNumber);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CfonbParseError);
    expect((error as CfonbParseError).problems).toEqual([expect.objectContaining({ line: 2, field: "recordLength" })]);
    expect(yielded).toEqual([sampleStatement(1, 2).accountNumber]);
  });

  it("stops at once on input with no line breaks instead of buffering it", async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield "x".repeat(16 * 1024);
      }
    }
    await expect(collect(parseCfonb120Stream(endless()))).rejects.toThrow(/without a line break/);
    expect(pulled).toBeLessThan(10);
  });

  it("parses a 50 MB file holding one statement at a time: heap growth stays far below the file size", async () => {
    // One statement's bytes repeated: the stream is 50 MB while the test spends its time parsing, not generating.
    const chunk = new TextEncoder().encode(formatCfonb120([sampleStatement(0, 1000)]));
    const statementBytes = chunk.length;
    const count = Math.ceil((50 * 1024 * 1024) / statementBytes);
    async function* file() {
      for (let i = 0; i < count; i++) yield chunk;
    }
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let statements = 0;
    let movements = 0;
    for await (const statement of parseCfonb120Stream(file())) {
      statements++;
      movements += statement.movements.length;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(statements).toBe(count);
    expect(movements).toBe(count * 1000);
    expect(count * statementBytes).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    // Holding the parsed file would take several hundred MB; one statement is about 1 MB.
    expect(peak - baseline).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);
});
