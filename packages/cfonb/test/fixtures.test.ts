import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CfonbParseError, parseCfonb120, type CfonbProblem } from "../src/index.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

function problemsOf(input: string | Uint8Array): CfonbProblem[] {
  try {
    parseCfonb120(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CfonbParseError);
    return [...(error as CfonbParseError).problems];
  }
  throw new Error("expected the file to be refused");
}

// Each expectation below is what test/fixtures/README.md says a strict parser must do.
describe("the pennylane-hq/cfonb fixtures", () => {
  it("example.txt parses into its 2 statements with exact balances, dates, labels and complements", () => {
    const [first, second, ...rest] = parseCfonb120(fixture("example.txt"));
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      accountNumber: "98765432100",
      bankCode: "15589",
      currency: "EUR",
      opening: { date: "2019-05-15", amount: { units: -19040, decimals: 2, value: "-190.40" } },
      closing: { date: "2019-05-16", amount: { units: -24121, decimals: 2, value: "-241.21" } },
    });
    expect(first?.movements.map((m) => [m.amount.value, m.label])).toEqual([
      ["-32.21", "PRLV SEPA TEST CABINET"],
      ["-10.70", "VIR  SEPA DEMONSTRATION"],
      ["-7.90", "F COMMISSION D INTERVENTION"],
    ]);
    expect(first?.movements[2]?.valueDate).toBe("2019-05-15");
    const complements = first?.movements[0]?.complements ?? [];
    expect(complements.slice(0, 5)).toEqual([
      { qualifier: "LIB", information: "MENSUEAUHTR13133" },
      { qualifier: "LIB", information: "MENSUEAUHTR13DUP" },
      { qualifier: "REF", information: "REFERENCE" },
      { qualifier: "RCN", information: "OTHER REFERENCE                    PURPOSE" },
      { qualifier: "NPY", information: "INTERNET SFR" },
    ]);
    expect(first?.movements[1]?.complements).toEqual([{ qualifier: "NPY", information: "ELEC ERDF" }]);

    expect(second).toMatchObject({
      accountNumber: "00123456789",
      bankCode: "18706",
      opening: { date: "2019-05-16", amount: { value: "-241.21" } },
      closing: { date: "2019-05-17", amount: { value: "-163.72" } },
    });
    expect(second?.movements.map((m) => [m.amount.value, m.label])).toEqual([
      ["97.49", "PRLV SEPA GROUPAMA CEN"],
      ["-12.10", "F FRAIS PRLV IMP 97 49EUR"],
      ["-7.90", "F COMMISSION D INTERVENTION"],
    ]);
    expect(second?.movements[0]?.valueDate).toBe("2019-05-15");
  });

  it("invalid_date.txt is refused at the 01 record's date field", () => {
    expect(problemsOf(fixture("invalid_date.txt"))).toContainEqual(
      expect.objectContaining({ line: 1, column: 35, field: "date", message: expect.stringContaining("  CART") }),
    );
  });

  it("new_statement_without_previous_ended.txt is refused at the second 01", () => {
    expect(problemsOf(fixture("new_statement_without_previous_ended.txt"))).toContainEqual(
      expect.objectContaining({
        line: 6,
        column: 1,
        field: "recordOrder",
        message: expect.stringContaining("before the statement opened on line 1 ended"),
      }),
    );
  });

  it("operation_detail_without_operation.txt is refused at the 05 that precedes every 04", () => {
    expect(problemsOf(fixture("operation_detail_without_operation.txt"))).toContainEqual(
      expect.objectContaining({ line: 3, field: "recordOrder", message: expect.stringContaining("05") }),
    );
  });

  it("end_of_statement_without_beginning.txt is refused at the 07 with no open statement", () => {
    expect(problemsOf(fixture("end_of_statement_without_beginning.txt"))).toContainEqual(
      expect.objectContaining({ line: 9, field: "recordOrder", message: expect.stringContaining("07") }),
    );
  });

  it("operation_out_of_statement.txt is refused at the 04 before any 01", () => {
    expect(problemsOf(fixture("operation_out_of_statement.txt"))).toContainEqual(
      expect.objectContaining({ line: 1, field: "recordOrder", message: expect.stringContaining("04") }),
    );
  });
});
