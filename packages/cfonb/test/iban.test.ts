import { describe, expect, it } from "vitest";
import { cfonbAccountNumber, ibanProblem, normalizeIban } from "../src/index.js";

describe("IBAN checks", () => {
  it("accepts valid IBANs of several countries, written with spaces or not", () => {
    for (const iban of [
      "FR76 3000 6000 0112 3456 7890 189",
      "DE89370400440532013000",
      "GB82 WEST 1234 5698 7654 32",
      "BE71 0961 2345 6769",
    ]) {
      expect(ibanProblem(normalizeIban(iban))).toBeUndefined();
    }
  });

  it("catches a mistyped digit, a swapped pair, a dropped digit and an unknown country", () => {
    expect(ibanProblem("FR7630006000011234567890188")).toMatch(/mod-97/);
    expect(ibanProblem("FR7630006000011234567809189")).toMatch(/mod-97/);
    expect(ibanProblem("FR763000600001123456789018")).toMatch(/27 characters, this one has 26/);
    expect(ibanProblem("ZZ7630006000011234567890189")).toMatch(/not a country/);
    expect(ibanProblem("FR76-3000")).toMatch(/letters or digits/);
  });

  it("gives the 11-character CFONB account number of a French IBAN only", () => {
    expect(cfonbAccountNumber("FR7630006000011234567890189")).toBe("12345678901");
    expect(cfonbAccountNumber("DE89370400440532013000")).toBeUndefined();
  });
});
