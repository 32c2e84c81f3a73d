// IBAN lengths by country (ISO 13616 registry). A wrong length is the commonest typo (a digit dropped
// or doubled) and is caught before the checksum.
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** The IBAN in its electronic form: spaces removed, upper case. */
export function normalizeIban(iban: string): string {
  return iban.replace(/\s+/g, "").toUpperCase();
}

/**
 * What is wrong with an IBAN (in electronic form), or undefined if it is valid: unknown country,
 * wrong length for the country, characters other than A-Z and 0-9, or a failed ISO 13616
 * mod-97 check (which catches every single-character typo and most swaps).
 */
export function ibanProblem(iban: string): string | undefined {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban))
    return "an IBAN is a country code, 2 check digits and letters or digits only";
  const country = iban.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined) return `"${country}" is not a country that uses IBANs`;
  if (iban.length !== length) return `a ${country} IBAN has ${length} characters, this one has ${iban.length}`;
  // Move the first four characters to the end, letters to numbers (A=10), and reduce mod 97 chunk by chunk.
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char <= "9" ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1
    ? undefined
    : "the check digits do not match (mod-97 check failed): look for a mistyped character";
}

/**
 * The 11-character account number that CFONB records carry (positions 22–32) for a French or
 * Monegasque IBAN, whose BBAN is bank code, counter code, account number and RIB key; undefined
 * for other countries.
 */
export function cfonbAccountNumber(iban: string): string | undefined {
  return /^(FR|MC)\d{2}/.test(iban) && iban.length === 27 ? iban.slice(14, 25) : undefined;
}
