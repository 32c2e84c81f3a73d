import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CfonbParseError, formatCfonb120, parseCfonb120, type CfonbProblem } from "../src/index.js";
import { sampleStatement } from "./sample.js";

const example = readFileSync(new URL("./fixtures/example.txt", import.meta.url), "utf8");
const validFile = formatCfonb120([sampleStatement(0, 3), sampleStatement(1, 2), sampleStatement(2, 0)]);
const lines = validFile.split("\n");

function problemsOf(input: string): CfonbProblem[] {
  try {
    parseCfonb120(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CfonbParseError);
    return [...(error as CfonbParseError).problems];
  }
  throw new Error("expected the file to be refused");
}

function withLine(index: number, edit: (line: string) => string): string {
  return lines.map((line, i) => (i === index ? edit(line) : line)).join("\n");
}

describe("parseCfonb120", () => {
  it("reads a multi-statement file, a statement without movements included", () => {
    const statements = parseCfonb120(validFile);
    expect(statements.map((s) => s.movements.length)).toEqual([3, 2, 0]);
    expect(statements[0]?.movements[0]?.complements).toEqual([{ qualifier: "LIB", information: "INVOICE 0" }]);
  });

  it("accepts CRLF line ends and a missing final newline with the same result", () => {
    const expected = parseCfonb120(example);
    expect(parseCfonb120(example.replace(/\n/g, "\r\n"))).toEqual(expected);
    expect(parseCfonb120(example.replace(/\n+$/, ""))).toEqual(expected);
    expect(parseCfonb120(new TextEncoder().encode(`\ufeff${example}`))).toEqual(expected);
  });

  it("refuses a record of 119 characters, naming its line and where it ends", () => {
    expect(problemsOf(withLine(2, (l) => l.slice(0, 119)))).toEqual([
      expect.objectContaining({ line: 3, column: 120, field: "recordLength", message: expect.stringContaining("119") }),
    ]);
  });

  it("refuses an amount whose sign character is not one of {A-I}J-R", () => {
    const problems = problemsOf(withLine(1, (l) => `${l.slice(0, 103)}X${l.slice(104)}`));
    expect(problems).toEqual([
      expect.objectContaining({ line: 2, column: 91, field: "amount", message: expect.stringContaining("X") }),
    ]);
  });

  it("decodes amounts from the signed last character exactly, large ones included", () => {
    const record = (amount: string, decimals = "2") =>
      `0115589    00000EUR${decimals} 98765432100  150519${" ".repeat(50)}${amount}${" ".repeat(16)}`;
    const closing = (amount: string, decimals = "2") => `07${record(amount, decimals).slice(2)}`;
    const [statement] = parseCfonb120(`${record("0000000012345E")}\n${closing("0000000012345E")}\n`);
    expect(statement?.opening.amount).toEqual({ units: 123455, decimals: 2, value: "1234.55" });
    const [big] = parseCfonb120(`${record("9999999999999R", "3")}\n${closing("9999999999999R", "3")}\n`);
    expect(big?.opening.amount).toEqual({ units: -99999999999999, decimals: 3, value: "-99999999999.999" });
    const [zero] = parseCfonb120(`${record("0000000000000}", "0")}\n${closing("0000000000000{", "0")}\n`);
    expect(zero?.opening.amount).toEqual({ units: 0, decimals: 0, value: "0" });
  });

  it("refuses a 05 that follows no 04 of its statement", () => {
    // Line 0 is the first 01; moving a 05 right after it leaves it without its 04.
    const complement = lines.find((l) => l.startsWith("05")) as string;
    const file = [lines[0], complement, ...lines.slice(1)].join("\n");
    expect(problemsOf(file)).toContainEqual(
      expect.objectContaining({
        line: 2,
        field: "recordOrder",
        message: expect.stringContaining("before any movement (04)"),
      }),
    );
  });

  it("refuses a statement whose opening balance plus movements is not its closing balance", () => {
    const closingLine = lines.findIndex((l) => l.startsWith("07"));
    const problems = problemsOf(withLine(closingLine, (l) => `${l.slice(0, 90)}0000000000001{${l.slice(104)}`));
    expect(problems).toEqual([
      expect.objectContaining({
        line: closingLine + 1,
        column: 91,
        field: "balance",
        message: expect.stringContaining("does not add up"),
      }),
    ]);
  });

  it("refuses an empty or blank file", () => {
    expect(problemsOf("")).toEqual([
      expect.objectContaining({ field: "file", message: expect.stringContaining("no CFONB record") }),
    ]);
    expect(problemsOf("\n\r\n  \n")).toEqual([expect.objectContaining({ field: "file" })]);
  });

  it("refuses an impossible calendar date and an unknown record code", () => {
    const movementLine = lines.findIndex((l) => l.startsWith("04"));
    const badDate = withLine(movementLine, (l) => `${l.slice(0, 42)}300224${l.slice(48)}`);
    expect(problemsOf(badDate)).toEqual([
      expect.objectContaining({ line: movementLine + 1, column: 43, field: "valueDate" }),
    ]);
    expect(problemsOf(withLine(movementLine, (l) => `09${l.slice(2)}`))).toContainEqual(
      expect.objectContaining({ line: movementLine + 1, field: "recordCode" }),
    );
  });

  it("lists every problem of a file in one error, each with line and column, and bounds the list", () => {
    const twoBad = lines.map((l, i) => (i === 1 || i === 4 ? l.slice(0, 100) : l)).join("\n");
    expect(
      problemsOf(twoBad)
        .filter((p) => p.field === "recordLength")
        .map((p) => p.line),
    ).toEqual([2, 5]);
    const garbage = Array.from({ length: 500 }, () => "x".repeat(120)).join("\n");
    try {
      parseCfonb120(garbage);
      expect.unreachable();
    } catch (error) {
      expect((error as CfonbParseError).problems).toHaveLength(100);
      expect((error as CfonbParseError).truncated).toBe(true);
      expect((error as CfonbParseError).message).toContain("and 95 more");
    }
  });
});
