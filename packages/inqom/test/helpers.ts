import { amountOf, formatCfonb120, type CfonbStatement } from "@x/cfonb";
import { FAST_RETRY, type StartedEmulator } from "@x/testing";
import { createInqomAccountingClient, createInqomClient, type InqomClientOptions } from "../src/index.js";

/** A valid French IBAN whose CFONB account number is 12345678901, and a second one (00000000002). */
export const IBAN = "FR76 3000 6000 0112 3456 7890 189";
export const OTHER_IBAN = "FR3930004000030000000000287";

/** A client on the emulator with its demo credentials; retries kept short so failure tests stay fast. */
export function sandboxClient(emulator: StartedEmulator<"inqom">, overrides: Partial<InqomClientOptions> = {}) {
  const { username, password, clientId, clientSecret } = emulator.credentials;
  return createInqomClient({
    username,
    password,
    clientId,
    clientSecret,
    baseUrl: emulator.url,
    authUrl: `${emulator.url}/identity/connect/token`,
    retry: FAST_RETRY,
    ...overrides,
  });
}

/** Password-grant credentials for a test server that plays Inqom's token endpoint at /identity/connect/token. */
export function serverCredentials(server: { url: string }) {
  return {
    username: "u",
    password: "p",
    clientId: "c",
    clientSecret: "s",
    baseUrl: server.url,
    authUrl: `${server.url}/identity/connect/token`,
  };
}

/**
 * An accounting client with the password grant and the emulator's demo credentials, FAST_RETRY; `baseUrl` may point
 * at a conformance proxy in front of the emulator (tokens still come from the emulator).
 */
export function sandboxAccountingClient(emulator: StartedEmulator<"inqom">, baseUrl = emulator.url) {
  const { username, password, clientId, clientSecret } = emulator.credentials;
  const authUrl = `${emulator.url}/identity/connect/token`;
  return createInqomAccountingClient({
    username,
    password,
    clientId,
    clientSecret,
    baseUrl,
    authUrl,
    retry: FAST_RETRY,
  });
}

/** A balanced statement of `movements` movements for an account number. */
export function statement(accountNumber: string, movements: number, seed = 0): CfonbStatement {
  let total = 50_000;
  const list = Array.from({ length: movements }, (_, m) => {
    const units = ((m * 7919 + seed) % 20_000) - 10_000;
    total += units;
    return {
      bankCode: "30006",
      counterCode: "00001",
      internalOperationCode: "0117",
      interbankOperationCode: "62",
      bookingDate: "2024-03-15",
      valueDate: "2024-03-16",
      label: `VIR SEPA ${m}`,
      rejectionReason: "",
      entryNumber: "0000000",
      commissionExemption: "",
      unavailability: "",
      amount: amountOf(units, 2),
      reference: `REF${m}`,
      complements: m % 3 === 0 ? [{ qualifier: "LIB", information: `FACTURE ${m}` }] : [],
    };
  });
  return {
    bankCode: "30006",
    counterCode: "00001",
    accountNumber,
    currency: "EUR",
    opening: { date: "2024-03-01", amount: amountOf(50_000, 2) },
    closing: { date: "2024-03-31", amount: amountOf(total, 2) },
    movements: list,
  };
}

export const cfonbFile = (...statements: CfonbStatement[]) => formatCfonb120(statements);

/** Balanced entries of two lines each on journal 4, `count` of them numbered from `from`. */
export const entries = (count: number, from = 1, date = "2025-06-01") =>
  Array.from({ length: count }, (_, i) => ({
    JournalId: 4,
    Date: date,
    Lines: [
      { Label: `e${from + i}`, DebitAmount: from + i, CreditAmount: 0, Currency: "EUR", AccountNumber: "607" },
      { Label: `e${from + i}`, DebitAmount: 0, CreditAmount: from + i, Currency: "EUR", AccountNumber: "401" },
    ],
  }));
