import { ApiError } from "@x/core";
import { createInqomAccountingClient, createInqomClient, createInqomUserClient, inqomAuthorizeUrl } from "@x/inqom";
import { amountOf, cfonbAccountNumber, formatCfonb120, normalizeIban, type CfonbStatement } from "@x/inqom/cfonb";
import type { Flow } from "./types.js";

/** A valid French IBAN for the sandbox run (CFONB account number 12345678901). */
const DEMO_IBAN = "FR76 3000 6000 0112 3456 7890 189";

/**
 * Inqom's banking import: one password-grant token, a CFONB account created for a dossier, then a
 * generated CFONB 120 statement for that account validated locally and imported. Against the real API
 * it runs on staging ("recette") unless INQOM_ENVIRONMENT says otherwise, and an account that already
 * exists (409) is reused, so the flow can be run twice. Then, against the sandbox, the second auth mode: an Inqom
 * user logs in through the authorization-code flow and the app reads that user's journals, books an entry and reads
 * every entry line of the year from the accounting API with its generated methods (against the real API that step
 * needs a browser, so it is skipped).
 */
export const inqomFlow: Flow = {
  provider: "inqom",
  name: "token, CFONB account, import a statement; a user's login (authorization code), their accounting",
  realEnv: [
    "INQOM_USERNAME",
    "INQOM_PASSWORD",
    "INQOM_CLIENT_ID",
    "INQOM_CLIENT_SECRET",
    "INQOM_DOSSIER_ID",
    "INQOM_IBAN",
  ],
  async run({ sandboxUrl, demoCredentials, real, env }) {
    const environment = env.INQOM_ENVIRONMENT === "production" ? "production" : "staging";
    const client = createInqomClient({
      username: (real ? env.INQOM_USERNAME : demoCredentials.username) ?? "",
      password: (real ? env.INQOM_PASSWORD : demoCredentials.password) ?? "",
      clientId: (real ? env.INQOM_CLIENT_ID : demoCredentials.clientId) ?? "",
      clientSecret: (real ? env.INQOM_CLIENT_SECRET : demoCredentials.clientSecret) ?? "",
      ...(real ? { environment } : { baseUrl: sandboxUrl, authUrl: `${sandboxUrl}/identity/connect/token` }),
    });
    const dossierId = Number(real ? env.INQOM_DOSSIER_ID : demoCredentials.dossierIds?.split(",")[0]);
    const iban = normalizeIban((real ? env.INQOM_IBAN : DEMO_IBAN) ?? "");

    let created = "created";
    try {
      await client.createCfonbAccount(dossierId, { iban, bankName: "Demo bank" });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      created = "already there";
    }

    const accountNumber = cfonbAccountNumber(iban) ?? iban.slice(-11);
    const result = await client.importCfonbFile(formatCfonb120([demoStatement(accountNumber)]), {
      fileName: "demo-releve.txt",
    });
    const imported = result.Statements.map(
      (s) => `${s.MovementCount} movements, ${s.OpeningBalance} -> ${s.ClosingBalance}`,
    ).join("; ");
    const userStep = real
      ? "user login skipped (the authorization-code flow needs a browser)"
      : await userLogin(sandboxUrl, demoCredentials, dossierId);
    return {
      result:
        `account ${accountNumber} ${created} in dossier ${dossierId}; imported ${result.Statements.length} ` +
        `statement(s): ${imported}; ${userStep}`,
    };
  },
};

/**
 * The authorization-code flow against the sandbox: the authorize URL, the user's visit (the sandbox logs the
 * `login_hint` user in at once and redirects; a real app redirects the browser), the code exchange, then a call of
 * the accounting API's methods with that user's token.
 */
async function userLogin(sandboxUrl: string, demoCredentials: Record<string, string>, dossierId: number) {
  const { clientId = "", clientSecret = "" } = demoCredentials;
  const redirectUri = "http://127.0.0.1:3000/inqom/callback";
  const login = await inqomAuthorizeUrl({
    clientId,
    redirectUri,
    authorizeUrl: `${sandboxUrl}/identity/connect/authorize`,
  });
  const visit = new URL(login.url);
  visit.searchParams.set("login_hint", "expert@inqom.example");
  const callback = new URL((await fetch(visit, { redirect: "manual" })).headers.get("location") ?? "");

  const user = { clientId, clientSecret, user: "demo-app-user-7", redirectUri };
  const sandbox = { baseUrl: sandboxUrl, authUrl: `${sandboxUrl}/identity/connect/token` };
  const banking = createInqomUserClient({ ...user, ...sandbox });
  await banking.exchangeCode({
    code: callback.searchParams.get("code") ?? "",
    state: callback.searchParams.get("state") ?? "",
    expectedState: login.state,
  });
  // Another client of the same user on the same token cache uses the tokens the exchange stored.
  const accounting = createInqomAccountingClient({ ...user, ...sandbox, tokenCache: banking.runtime.tokenCache });
  const journals = await accounting.journals.list({ dossierId });
  const purchases = journals.find((journal) => journal.Type === "Buy") ?? journals[0];
  const line = { Label: "DEMO PURCHASE", Currency: "EUR" };
  const [entry] = await accounting.entries.create({ dossierId }, [
    {
      JournalId: purchases?.Id ?? 0,
      Date: "2025-03-01",
      Lines: [
        { ...line, DebitAmount: 120, CreditAmount: 0, AccountNumber: "607" },
        { ...line, DebitAmount: 0, CreditAmount: 120, AccountNumber: "401" },
      ],
    },
  ]);
  // Every line of the year, page after page (100 a page), as one list.
  const lines = await accounting.entries
    .listLines({ dossierId, startDate: "2025-01-01", endDate: "2025-12-31" })
    .collect();
  return (
    `user expert@inqom.example logged in (authorization code), ${journals.length} journals read, entry ` +
    `${entry?.Id} booked, ${lines.length} entry lines of 2025 read for them`
  );
}

/** Today's statement of three movements, balanced as the parser and Inqom require. */
function demoStatement(accountNumber: string): CfonbStatement {
  const today = new Date().toISOString().slice(0, 10);
  const amounts = [-3221, -1070, 9749];
  const movements = amounts.map((units, i) => ({
    bankCode: "30006",
    counterCode: "00001",
    internalOperationCode: "0117",
    interbankOperationCode: "62",
    bookingDate: today,
    valueDate: today,
    label: ["PRLV SEPA ASSURANCE", "VIR SEPA ELECTRICITE", "VIR SEPA CLIENT"][i] ?? "",
    rejectionReason: "",
    entryNumber: "",
    commissionExemption: "",
    unavailability: "",
    amount: amountOf(units, 2),
    reference: `DEMO${i + 1}`,
    complements: [{ qualifier: "LIB", information: `DEMO MOVEMENT ${i + 1}` }],
  }));
  const opening = 50_000;
  return {
    bankCode: "30006",
    counterCode: "00001",
    accountNumber,
    currency: "EUR",
    opening: { date: today, amount: amountOf(opening, 2) },
    closing: {
      date: today,
      amount: amountOf(
        amounts.reduce((sum, u) => sum + u, opening),
        2,
      ),
    },
    movements,
  };
}
