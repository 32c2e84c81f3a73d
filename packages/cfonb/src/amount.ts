import type { CfonbAmount } from "./types.js";

// The last character of an amount holds its last digit and the sign (an EBCDIC overpunch).
const POSITIVE = "{ABCDEFGHI";
const NEGATIVE = "}JKLMNOPQR";

/** Largest magnitude the 14-digit field can hold. */
export const MAX_AMOUNT_UNITS = 99_999_999_999_999;

/** Decodes the 14-character amount field at `offset` (0-based) of a record, or undefined when it is malformed. */
export function decodeAmount(record: string, offset: number, decimals: number): CfonbAmount | undefined {
  let magnitude = 0;
  for (let i = offset; i < offset + 13; i++) {
    const digit = record.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return undefined;
    magnitude = magnitude * 10 + digit;
  }
  const last = record[offset + 13] ?? "";
  let lastDigit = POSITIVE.indexOf(last);
  let sign = 1;
  if (lastDigit < 0) {
    lastDigit = NEGATIVE.indexOf(last);
    sign = -1;
  }
  if (lastDigit < 0 || last === "") return undefined;
  magnitude = magnitude * 10 + lastDigit;
  // `|| 0` turns the negative zero of "}" into 0, so equal amounts compare equal.
  return amountOf(sign * magnitude || 0, decimals);
}

/** Encodes an amount as the 14-character field. */
export function encodeAmount(units: number): string {
  const digits = String(Math.abs(units)).padStart(14, "0");
  const last = Number(digits[13]);
  return digits.slice(0, 13) + (units < 0 ? NEGATIVE : POSITIVE)[last];
}

/** Builds a `CfonbAmount` from minor units, with its exact decimal string. */
export function amountOf(units: number, decimals: number): CfonbAmount {
  return { units, decimals, value: decimalString(units, decimals) };
}

/** Minor units as a decimal string, by string arithmetic so no float rounding can creep in. */
export function decimalString(units: number | bigint, decimals: number): string {
  const negative = units < 0;
  const digits = String(negative ? -units : units).padStart(decimals + 1, "0");
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const split = digits.length - decimals;
  return `${negative ? "-" : ""}${digits.slice(0, split)}.${digits.slice(split)}`;
}

/** The amount in units of 10^-scale (scale >= its decimals), to add amounts of different decimals exactly. */
export function scaledUnits(amount: CfonbAmount, scale: number): bigint {
  return BigInt(amount.units) * 10n ** BigInt(scale - amount.decimals);
}
