import { amountOf, type CfonbStatement } from "../src/index.js";

/** A balanced statement with `movements` movements of varied sign, for size and streaming tests. */
export function sampleStatement(index: number, movements: number): CfonbStatement {
  let total = 100_000 + index;
  const list = Array.from({ length: movements }, (_, m) => {
    const units = ((m * 7919 + index) % 200_000) - 100_000;
    total += units;
    return {
      bankCode: "15589",
      counterCode: "00000",
      internalOperationCode: "9162",
      interbankOperationCode: "B1",
      bookingDate: "2024-03-15",
      valueDate: "2024-03-16",
      label: `PRLV SEPA ${m}`,
      rejectionReason: "",
      entryNumber: "0000000",
      commissionExemption: "0",
      unavailability: "0",
      amount: amountOf(units, 2),
      reference: `REF${m}`,
      complements: m % 4 === 0 ? [{ qualifier: "LIB", information: `INVOICE ${m}` }] : [],
    };
  });
  return {
    bankCode: "15589",
    counterCode: "00000",
    accountNumber: String(98765432100 + index)
      .padStart(11, "0")
      .slice(-11),
    currency: "EUR",
    opening: { date: "2024-03-14", amount: amountOf(100_000 + index, 2) },
    closing: { date: "2024-03-16", amount: amountOf(total, 2) },
    movements: list,
  };
}
