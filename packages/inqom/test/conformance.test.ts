import {
  FAST_RETRY,
  startConformanceProxy,
  startEmulator,
  type ConformanceProxy,
  type StartedEmulator,
} from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createInqomAccountingClient,
  createInqomClient,
  createInqomUserClient,
  inqomAuthorizeUrl,
} from "../src/index.js";
import { IBAN, OTHER_IBAN, cfonbFile, statement } from "./helpers.js";

// Every exchange of the client's flows goes through a proxy that checks it against specs/inqom.yaml (identity and
// banking) or specs/inqom.accounting.yaml: a field the client sends or the emulator answers that the spec does not
// declare fails the test, so spec, client and emulator cannot drift apart.
let emulator: StartedEmulator<"inqom">;
let banking: ConformanceProxy;
let accounting: ConformanceProxy;
beforeAll(async () => {
  emulator = await startEmulator("inqom");
  banking = await startConformanceProxy({ spec: "inqom", target: emulator.url });
  accounting = await startConformanceProxy({ spec: "inqom.accounting", target: emulator.url });
});
afterAll(async () => {
  await Promise.all([banking.close(), accounting.close()]);
  await emulator.close();
});

const REDIRECT_URI = "http://127.0.0.1:8080/callback";
const tokenUrl = () => `${banking.url}/identity/connect/token`;
const password = () => {
  const { username, password, clientId, clientSecret } = emulator.credentials;
  return { username, password, clientId, clientSecret, authUrl: tokenUrl(), retry: FAST_RETRY };
};

describe("inqom conformance to its specs", () => {
  it("password grant and banking calls, successes and refusals", async () => {
    const client = createInqomClient({ ...password(), baseUrl: banking.url });
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    await client.createCfonbAccount(1001, { iban: OTHER_IBAN, bankName: "Bank", cfonbControl: false });
    await expect(client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" })).rejects.toMatchObject({
      status: 409,
    });
    await expect(client.createCfonbAccount(4242, { iban: IBAN, bankName: "Bank" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(client.createCfonbAccount(9999, { iban: IBAN, bankName: "Bank" })).rejects.toMatchObject({
      status: 404,
    });
    await client.importCfonbFile(cfonbFile(statement("12345678901", 3), statement("00000000002", 0)));
    banking.assertConforms();
    expect(banking.covered()).toEqual(
      expect.arrayContaining([
        "POST /identity/connect/token",
        "POST /api/app/banking/enterprises/{dossierId}/manual/ebics/accounts",
        "POST /api/app/banking/ebics/accounts/import",
      ]),
    );
  });

  it("authorization-code flow: authorize redirect, code exchange with PKCE, refresh", async () => {
    const { clientId, clientSecret } = emulator.credentials;
    const started = await inqomAuthorizeUrl({
      clientId,
      redirectUri: REDIRECT_URI,
      authorizeUrl: `${banking.url}/identity/connect/authorize`,
      pkce: true,
    });
    const redirect = await fetch(started.url, { redirect: "manual" });
    const back = new URL(redirect.headers.get("location") ?? "");
    const client = createInqomUserClient({
      clientId,
      clientSecret,
      user: "conformance-user",
      redirectUri: REDIRECT_URI,
      baseUrl: banking.url,
      authUrl: tokenUrl(),
      retry: FAST_RETRY,
    });
    await client.exchangeCode({
      code: back.searchParams.get("code") ?? "",
      state: back.searchParams.get("state") ?? "",
      expectedState: started.state,
      codeVerifier: started.codeVerifier ?? "",
    });
    await client.createCfonbAccount(1002, { iban: IBAN, bankName: "Bank" });
    emulator.handle.control.expireAllTokens();
    await client.createCfonbAccount(1002, { iban: OTHER_IBAN, bankName: "Bank" });
    await expect(client.exchangeCode({ code: "used", state: "s", expectedState: "s" })).rejects.toMatchObject({
      code: "AUTHORIZATION_CODE_REJECTED",
    });
    banking.assertConforms();
    expect(banking.covered()).toContain("GET /identity/connect/authorize");
  });

  it("accounting API: reads, account and entries creation, lines, letterings", async () => {
    const client = createInqomAccountingClient({ ...password(), baseUrl: accounting.url });
    const companyId = Number(emulator.credentials.companyId);
    const dossiers = await client.unwrap(
      client.GET("/provisioning/companies/{companyId}/accounting-folders", { params: { path: { companyId } } }),
    );
    await client.unwrap(
      client.GET("/provisioning/companies/{companyId}/accounting-folders/search", {
        params: { path: { companyId }, query: { search: "demo", page: 1, size: 10 } },
      }),
    );
    const path = { dossierId: dossiers[1]?.Id ?? 0 };
    expect(path.dossierId).toBe(1002);
    await client.unwrap(client.GET("/v1/dossiers/{dossierId}/accounting-periods", { params: { path } }));
    await client.unwrap(client.GET("/v1/dossiers/{dossierId}/journals", { params: { path } }));
    await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/accounts", { params: { path, query: { accountNumberPrefix: "4" } } }),
    );
    const supplier = await client.unwrap(
      client.POST("/v1/dossiers/{dossierId}/accounts", {
        params: { path },
        body: { AccountNumber: "401CONF", Name: "Conformance", Auxiliarize: true },
      }),
    );
    const lines = (label: string, account: string, other: string) => [
      { Label: label, DebitAmount: 12.5, CreditAmount: 0, Currency: "EUR", AccountNumber: account },
      { Label: label, DebitAmount: 0, CreditAmount: 12.5, Currency: "EUR", AccountNumber: other },
    ];
    await client.unwrap(
      client.POST("/v1/dossiers/{dossierId}/entries", {
        params: { path },
        body: [
          {
            JournalId: 1,
            Date: "2025-05-02",
            ExternalId: "C-1",
            Document: { Reference: "F-1" },
            Lines: lines("buy", "607", supplier),
          },
          { JournalId: 3, Date: "2025-05-20", Lines: lines("pay", supplier, "512") },
        ],
      }),
    );
    const { response } = await client.POST("/v1/dossiers/{dossierId}/entries", {
      params: { path },
      body: [{ JournalId: 99, Date: "2025-05-02", Lines: lines("x", "607", "512") }],
    });
    expect(response.status).toBe(400);
    const query = { startDate: "2025-01-01", endDate: "2025-12-31", accountNumber: supplier };
    await client.unwrap(client.GET("/v1/dossiers/{dossierId}/entry-lines/count", { params: { path, query } }));
    const changesAfterDate = "2020-01-01T00:00:00Z";
    await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines/changes/count", {
        params: { path, query: { ...query, changesAfterDate } },
      }),
    );
    await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines/changes", {
        params: { path, query: { ...query, changedAfter: changesAfterDate, pageNumber: 1 } },
      }),
    );
    const page = await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines", { params: { path, query: { ...query, pageNumber: 1 } } }),
    );
    const { CreatedLetterings } = await client.unwrap(
      client.POST("/v1/dossiers/{dossierId}/letterings", {
        params: { path },
        body: { CreateLetterringCommands: [{ EntryLineIds: page.EntryLines.map((line) => line.Id) }] },
      }),
    );
    await client.unwrap(
      client.DELETE("/v1/dossiers/{dossierId}/letterings", {
        params: { path },
        body: { LetteringIds: CreatedLetterings.map((l) => l.Id) },
      }),
    );
    const entryId = page.EntryLines[0]?.Entry?.Id ?? 0;
    const pdf = new Blob(["%PDF-1.4"], { type: "application/pdf" });
    const documentId = await client.unwrap(
      client.POST("/v1/dossiers/{dossierId}/accounting-documents", {
        params: { path },
        body: { entryId, file: pdf },
        bodySerializer: () => {
          const form = new FormData();
          form.append("entryId", String(entryId));
          form.append("reference", "F-1");
          form.append("fileName", "facture.pdf");
          form.append("file", pdf, "facture.pdf");
          return form;
        },
      }),
    );
    await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/accounting-documents/{accountingDocumentId}", {
        params: { path: { ...path, accountingDocumentId: documentId } },
      }),
    );
    await client.unwrap(
      client.POST("/api/app/enterprises/{dossierId}/exercices/v2", {
        params: { path },
        body: { beginDate: "2026-01-01", endDate: "2026-12-31" },
      }),
    );
    await client.unwrap(
      client.POST("/api/app/enterprises/{enterpriseId}/journals", {
        params: { path: { enterpriseId: path.dossierId } },
        body: { Type: "Cash", Name: "CA", Description: "Caisse", EnterpriseId: path.dossierId },
      }),
    );
    accounting.assertConforms();
    expect(accounting.covered()).toHaveLength(17); // all but updateEntries, whose answer Inqom does not document
  });
});
