import { MAX_AMOUNT_UNITS, encodeAmount } from "./amount.js";
import { encodeDate } from "./date.js";
import type { CfonbAmount, CfonbMovement, CfonbStatement } from "./types.js";

/**
 * Writes statements as a CFONB 120 file (LF line ends, final newline). `parseCfonb120` of the
 * result returns the same statements. Throws a `RangeError` naming the field when a value
 * cannot be written (too long, not a date, amount out of range).
 */
export function formatCfonb120(statements: readonly CfonbStatement[]): string {
  const lines: string[] = [];
  statements.forEach((statement, s) => {
    const at = `statements[${s}]`;
    const account = text(statement.accountNumber, 11, `${at}.accountNumber`);
    const currency = text(statement.currency, 3, `${at}.currency`);
    const bank = text(statement.bankCode, 5, `${at}.bankCode`);
    const counter = text(statement.counterCode, 5, `${at}.counterCode`);
    const balance = (code: string, which: "opening" | "closing", tail: string) => {
      const { date, amount } = statement[which];
      const where = `${at}.${which}`;
      return (
        `${code}${bank}    ${counter}${currency}${decimals(amount, `${where}.amount`)} ${account}  ` +
        `${encodeDate(date, `${where}.date`)}${" ".repeat(50)}${units(amount, `${where}.amount`)}${tail}`
      );
    };
    lines.push(balance("01", "opening", " ".repeat(16)));
    statement.movements.forEach((movement, m) =>
      lines.push(...movementLines(movement, `${at}.movements[${m}]`, currency, account)),
    );
    lines.push(balance("07", "closing", " ".repeat(16)));
  });
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function movementLines(movement: CfonbMovement, at: string, currency: string, account: string): string[] {
  // Positions 3–40 are the same on the 04 and its 05s, the bank's way of tying them together.
  const prefix =
    `${text(movement.bankCode, 5, `${at}.bankCode`)}` +
    `${text(movement.internalOperationCode, 4, `${at}.internalOperationCode`)}` +
    `${text(movement.counterCode, 5, `${at}.counterCode`)}` +
    `${currency}${decimals(movement.amount, `${at}.amount`)} ${account}` +
    `${text(movement.interbankOperationCode, 2, `${at}.interbankOperationCode`)}` +
    `${encodeDate(movement.bookingDate, `${at}.bookingDate`)}`;
  const main =
    `04${prefix}${text(movement.rejectionReason, 2, `${at}.rejectionReason`)}` +
    `${encodeDate(movement.valueDate, `${at}.valueDate`)}` +
    `${text(movement.label, 31, `${at}.label`)}  ${text(movement.entryNumber, 7, `${at}.entryNumber`)}` +
    `${text(movement.commissionExemption, 1, `${at}.commissionExemption`)}` +
    `${text(movement.unavailability, 1, `${at}.unavailability`)}` +
    `${units(movement.amount, `${at}.amount`)}${text(movement.reference, 16, `${at}.reference`)}`;
  return [
    main,
    ...movement.complements.map(
      (complement, c) =>
        `05${prefix}     ${text(complement.qualifier, 3, `${at}.complements[${c}].qualifier`)}` +
        `${text(complement.information, 70, `${at}.complements[${c}].information`)}  `,
    ),
  ];
}

function text(value: string, width: number, what: string): string {
  if (typeof value !== "string" || value.length > width || /[\r\n]/.test(value)) {
    throw new RangeError(
      `formatCfonb120: ${what} must be a string of at most ${width} characters without line breaks.`,
    );
  }
  return value.padEnd(width);
}

function decimals(amount: CfonbAmount, what: string): string {
  if (!Number.isInteger(amount.decimals) || amount.decimals < 0 || amount.decimals > 9) {
    throw new RangeError(`formatCfonb120: ${what}.decimals must be an integer from 0 to 9.`);
  }
  return String(amount.decimals);
}

function units(amount: CfonbAmount, what: string): string {
  if (!Number.isSafeInteger(amount.units) || Math.abs(amount.units) > MAX_AMOUNT_UNITS) {
    throw new RangeError(`formatCfonb120: ${what}.units must be an integer of at most 14 digits.`);
  }
  return encodeAmount(amount.units);
}
