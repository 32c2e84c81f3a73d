import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { amountOf, formatCfonb120, parseCfonb120, type CfonbStatement } from "../src/index.js";

// Values as the parser returns them: trimmed text of the field's width, real dates in DDMMYY's range.
const TEXT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /-.'";
const text = (max: number) =>
  fc.array(fc.constantFrom(...TEXT), { maxLength: max }).map((chars) => chars.join("").trim());
const date = fc
  .date({ min: new Date("1961-01-01T00:00:00Z"), max: new Date("2060-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const decimals = fc.integer({ min: 0, max: 9 });
const units = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

const statement: fc.Arbitrary<CfonbStatement> = fc
  .record({
    bankCode: text(5),
    counterCode: text(5),
    accountNumber: text(11),
    currency: fc.constantFrom("EUR", "USD", ""),
    decimals,
    openingUnits: units,
    openingDate: date,
    closingDate: date,
    movements: fc.array(
      fc.record({
        bankCode: text(5),
        counterCode: text(5),
        internalOperationCode: text(4),
        interbankOperationCode: text(2),
        bookingDate: date,
        valueDate: date,
        label: text(31),
        rejectionReason: text(2),
        entryNumber: text(7),
        commissionExemption: text(1),
        unavailability: text(1),
        units,
        reference: text(16),
        complements: fc.array(fc.record({ qualifier: text(3), information: text(70) }), { maxLength: 3 }),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ decimals: d, openingUnits, openingDate, closingDate, movements, ...identity }) => {
    // Closing = opening + movements, as the parser demands of every statement.
    const closingUnits = movements.reduce((sum, m) => sum + m.units, openingUnits);
    return {
      ...identity,
      opening: { date: openingDate, amount: amountOf(openingUnits, d) },
      closing: { date: closingDate, amount: amountOf(closingUnits, d) },
      movements: movements.map(({ units: u, ...m }) => ({ ...m, amount: amountOf(u, d) })),
    };
  });

describe("formatCfonb120", () => {
  it("parseCfonb120(formatCfonb120(x)) returns x for any statements", () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), (statements) => {
        expect(parseCfonb120(formatCfonb120(statements))).toEqual(statements);
      }),
      { numRuns: 300 },
    );
  });

  it("writes records of exactly 120 characters", () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 2 }), (statements) => {
        const file = formatCfonb120(statements);
        expect(file.endsWith("\n")).toBe(true);
        for (const line of file.slice(0, -1).split("\n")) expect(line).toHaveLength(120);
      }),
    );
  });

  it("refuses a value that does not fit its field, naming the field", () => {
    const [valid] = fc.sample(statement, 1) as [CfonbStatement];
    expect(() => formatCfonb120([{ ...valid, accountNumber: "123456789012" }])).toThrow(
      /statements\[0\]\.accountNumber/,
    );
    expect(() => formatCfonb120([{ ...valid, opening: { ...valid.opening, date: "2019-02-30" } }])).toThrow(
      /statements\[0\]\.opening\.date/,
    );
    expect(() => formatCfonb120([{ ...valid, closing: { ...valid.closing, amount: amountOf(1e15, 2) } }])).toThrow(
      /closing\.amount\.units/,
    );
  });
});
