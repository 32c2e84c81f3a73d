import { ApiError, TimeoutError } from "@x/core";
import {
  json,
  startConformanceProxy,
  startEmulator,
  startTestServer,
  type ConformanceProxy,
  type StartedEmulator,
} from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createInqomAccountingClient,
  createInqomClient,
  createInqomUserClient,
  entryLines,
  inqomAuthorizeUrl,
  isInqomError,
} from "../src/index.js";
import {
  cfonbFile,
  entries,
  IBAN,
  OTHER_IBAN,
  sandboxAccountingClient,
  sandboxClient,
  serverCredentials,
  statement,
} from "./helpers.js";

// The generated methods (`client.<tag>.<method>`) over real sockets: the banking and accounting emulators, and the
// conformance proxy, which checks every exchange a method makes against specs/inqom*.yaml.
let emulator: StartedEmulator<"inqom">;
let proxy: ConformanceProxy;
beforeAll(async () => {
  emulator = await startEmulator("inqom");
  proxy = await startConformanceProxy({ spec: "inqom.accounting", target: emulator.url });
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});
beforeEach(() => emulator.handle.reset());

const stats = () => emulator.handle.stats();
const account = { Iban: "FR7630006000011234567890189", BankName: "Bank", IsCfonbControlActive: true };

/** An accounting client with the password grant, on the emulator or (`baseUrl`) through the proxy. */
const accountingClient = (baseUrl = emulator.url) => sandboxAccountingClient(emulator, baseUrl);

describe("banking methods", () => {
  it("banking.createAccount sends the wire body and returns the account; withResponse gives the 201", async () => {
    const client = sandboxClient(emulator);
    const created = await client.banking.createAccount({ dossierId: 1001 }, account);
    expect(created).toMatchObject({ DossierId: 1001, Iban: account.Iban, AccountNumber: "12345678901" });
    const other = { ...account, Iban: OTHER_IBAN.replace(/\s/g, "") };
    const { data, response } = await client.banking.createAccount({ dossierId: 1002 }, other).withResponse();
    expect(response.status).toBe(201);
    expect(data.DossierId).toBe(1002);
    expect(emulator.handle.control.accounts(1001)).toHaveLength(1);
  });

  it("throws Inqom's typed error for an HTTP error, which isInqomError narrows by code", async () => {
    const client = sandboxClient(emulator);
    await client.banking.createAccount({ dossierId: 1001 }, account);
    const error = await client.banking.createAccount({ dossierId: 1001 }, account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "DuplicateIban" });
    expect(isInqomError(error, "DuplicateIban")).toBe(true);
    await expect(client.banking.createAccount({ dossierId: 4242 }, account)).rejects.toMatchObject({
      status: 403,
      code: "Forbidden",
    });
  });

  it("the createCfonbAccount helper is built on the generated method and takes the call's options", async () => {
    const client = sandboxClient(emulator);
    const controller = new AbortController();
    controller.abort();
    await expect(
      client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(stats().requests).toBe(0);
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }, { timeoutMs: 5_000 });
    expect(emulator.handle.control.accounts(1001)).toHaveLength(1);
  });

  it("has no method for the token and authorize endpoints, nor for the raw import (the helper's job)", () => {
    const client = sandboxClient(emulator);
    expect(Object.keys(client.banking)).toEqual(["createAccount"]);
    expect((client as unknown as Record<string, unknown>).identity).toBeUndefined();
    expect(typeof client.importCfonbFile).toBe("function");
  });

  it("withOptions keeps the methods and the helpers, and a user client has them too", async () => {
    const derived = sandboxClient(emulator).withOptions({ timeoutMs: 5_000 }).withOptions({ retry: false });
    expect((await derived.banking.createAccount({ dossierId: 1001 }, account)).DossierId).toBe(1001);
    expect(typeof derived.createCfonbAccount).toBe("function");

    const { clientId, clientSecret } = emulator.credentials;
    const redirectUri = "http://127.0.0.1:8080/callback";
    const user = createInqomUserClient({
      clientId,
      clientSecret,
      user: "methods-user",
      redirectUri,
      baseUrl: emulator.url,
      authUrl: `${emulator.url}/identity/connect/token`,
    });
    const login = await inqomAuthorizeUrl({
      clientId,
      redirectUri,
      authorizeUrl: `${emulator.url}/identity/connect/authorize`,
    });
    const back = new URL((await fetch(login.url, { redirect: "manual" })).headers.get("location") ?? "");
    await user.exchangeCode({
      code: back.searchParams.get("code") ?? "",
      state: back.searchParams.get("state") ?? "",
      expectedState: login.state,
    });
    const other = { ...account, Iban: OTHER_IBAN.replace(/\s/g, "") };
    expect((await user.withOptions({ timeoutMs: 5_000 }).banking.createAccount({ dossierId: 1002 }, other)).Id).toBe(
      emulator.handle.control.accounts(1002)[0]?.Id,
    );
  });
});

describe("accounting methods", () => {
  it("every operation but the undocumented entry update, as methods, conforms to the spec", async () => {
    const client = accountingClient(proxy.url);
    const companyId = Number(emulator.credentials.companyId);
    const dossiers = await client.dossiers.list({ companyId });
    expect(dossiers.map((dossier) => dossier.Id)).toEqual([1001, 1002]);
    expect((await client.dossiers.searchPage({ companyId, search: "demo-1002" })).map((d) => d.Id)).toEqual([1002]);
    const dossierId = 1002;
    expect((await client.periods.list({ dossierId })).map((p) => p.Name)).toEqual(["2024-12", "2025-12"]);
    const period = await client.periods.create({ dossierId }, { beginDate: "2026-01-01", endDate: "2026-12-31" });
    expect(period.EnterpriseId).toBe(dossierId);
    const journals = await client.journals.list({ dossierId });
    expect(journals.find((journal) => journal.Type === "Buy")).toBeDefined();
    const cash = await client.journals.create(
      { enterpriseId: dossierId },
      { Type: "Cash", Name: "CA", Description: "Caisse", EnterpriseId: dossierId },
    );
    expect(cash.Name).toBe("CA");
    expect(await client.accounts.list({ dossierId, accountNumberPrefix: "4" })).not.toHaveLength(0);
    const supplier = await client.accounts.create(
      { dossierId },
      { AccountNumber: "401M", Name: "M", Auxiliarize: true },
    );
    expect(typeof supplier).toBe("string");

    const line = (label: string, debit: string, credit: string) => [
      { Label: label, DebitAmount: 12.5, CreditAmount: 0, Currency: "EUR", AccountNumber: debit },
      { Label: label, DebitAmount: 0, CreditAmount: 12.5, Currency: "EUR", AccountNumber: credit },
    ];
    const created = await client.entries.create({ dossierId }, [
      {
        JournalId: 1,
        Date: "2025-05-02",
        ExternalId: "C-1",
        Document: { Reference: "F-1" },
        Lines: line("buy", "607", supplier),
      },
      { JournalId: 3, Date: "2025-05-20", Lines: line("pay", supplier, "512") },
    ]);
    expect(created).toHaveLength(2);
    const query = { dossierId, startDate: "2025-01-01", endDate: "2025-12-31" };
    expect(await client.entries.countLines(query)).toEqual({ TotalLinesCount: 4, TotalPagesCount: 1 });
    const page = await client.entries.linesPage({ ...query, pageNumber: 1 });
    expect(page.EntryLines).toHaveLength(4);
    const since = "2020-01-01T00:00:00Z";
    expect((await client.entries.countLineChanges({ ...query, changesAfterDate: since })).TotalLinesCount).toBe(4);
    expect((await client.entries.lineChangesPage({ ...query, changedAfter: since })).EntryLines).toHaveLength(4);

    const supplierLines = page.EntryLines.filter((entryLine) => entryLine.AccountNumber === supplier);
    const { CreatedLetterings } = await client.letterings.create(
      { dossierId },
      { CreateLetterringCommands: [{ EntryLineIds: supplierLines.map((entryLine) => entryLine.Id) }] },
    );
    expect(CreatedLetterings).toHaveLength(1);
    const removed = await client.letterings
      .delete({ dossierId }, { LetteringIds: CreatedLetterings.map((l) => l.Id) })
      .withResponse();
    expect(removed.response.status).toBe(204);

    // A multipart file (`format: binary`) is typed and sent as a Blob.
    const pdf = new Blob(["%PDF-1.4"], { type: "application/pdf" });
    const entryId = created[0]?.Id ?? 0;
    const documentId = await client.documents.upload({ dossierId }, { entryId, fileName: "facture.pdf", file: pdf });
    const document = await client.documents.get({ dossierId, accountingDocumentId: documentId });
    expect(document.Id).toBe(documentId);

    proxy.assertConforms();
    expect(proxy.covered()).toHaveLength(17);
  });

  it("entries.listLines pages through every line, 100 a page, until a short page", async () => {
    const client = accountingClient();
    const dossierId = 1002;
    for (const [count, from] of [
      [50, 1],
      [50, 51],
      [15, 101],
    ] as const)
      await client.entries.create({ dossierId }, entries(count, from));
    const before = stats().requests;
    const query = { dossierId, startDate: "2025-01-01", endDate: "2025-12-31" };
    const lines = await client.entries.listLines(query).collect();
    expect(lines).toHaveLength(230);
    expect(new Set(lines.map((line) => line.Id)).size).toBe(230);
    expect(stats().requests - before).toBe(3); // 100 + 100 + 30
    const pages: number[] = [];
    for await (const page of client.entries.listLines({ ...query, accountNumber: "607" }).pages())
      pages.push(page.length);
    expect(pages).toEqual([100, 15]);
    // The helper of before the methods gives the same list.
    expect(await entryLines(client, dossierId, { startDate: "2025-01-01", endDate: "2025-12-31" }).collect(5)).toEqual(
      lines.slice(0, 5),
    );
  });

  it("dossiers.search pages a firm's dossiers, size a page, until a short page", async () => {
    const client = accountingClient();
    const companyId = Number(emulator.credentials.companyId);
    const before = stats().requests;
    const pages: number[][] = [];
    for await (const page of client.dossiers.search({ companyId, size: 1 }).pages()) pages.push(page.map((d) => d.Id));
    expect(pages).toEqual([[1001], [1002], []]); // two full pages of one, then the short (empty) one
    expect(stats().requests - before).toBe(4); // the token, then three pages
    expect((await client.dossiers.search({ companyId, search: "demo" }).collect()).map((d) => d.Id)).toEqual([
      1001, 1002,
    ]);
  });

  it("entries.listLineChanges pages the lines changed after an instant, 1000 a page", async () => {
    const client = accountingClient();
    const dossierId = 1001;
    await client.entries.create({ dossierId }, entries(1, 1, "2025-07-01"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const changedAfter = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let from = 0; from < 550; from += 50)
      await client.entries.create({ dossierId }, entries(50, from, "2025-07-01"));
    const before = stats().requests;
    const query = { dossierId, startDate: "2025-01-01", endDate: "2025-12-31", changedAfter };
    const pages: number[] = [];
    for await (const page of client.entries.listLineChanges(query).pages()) pages.push(page.length);
    expect(pages).toEqual([1000, 100]);
    expect(stats().requests - before).toBe(2);
  });

  it("withOptions keeps the methods and the pagers; a user's accounting client has them too", async () => {
    const derived = accountingClient().withOptions({ timeoutMs: 5_000 });
    expect((await derived.journals.list({ dossierId: 1001 })).length).toBeGreaterThan(0);
    expect(
      await derived
        .withOptions({ retry: false })
        .entries.listLines({
          dossierId: 1001,
          startDate: "2025-01-01",
          endDate: "2025-12-31",
        })
        .collect(),
    ).toEqual([]);
    const { clientId, clientSecret } = emulator.credentials;
    const forUser = createInqomAccountingClient({
      clientId,
      clientSecret,
      user: "u",
      redirectUri: "https://app.example.com/cb",
      baseUrl: emulator.url,
      authUrl: `${emulator.url}/identity/connect/token`,
    });
    expect(typeof forUser.withOptions({ timeoutMs: 1_000 }).entries.listLines).toBe("function");
    expect(typeof forUser.journals.list).toBe("function");
    expect(typeof forUser.exchangeCode).toBe("function");
  });

  it("throws Inqom's typed error for an HTTP error (an unbalanced entry, a dossier without rights)", async () => {
    const client = accountingClient();
    const unbalanced = entries(1);
    unbalanced[0]!.Lines[1]!.CreditAmount = 2;
    const error = await client.entries.create({ dossierId: 1001 }, unbalanced).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isInqomError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400 });
    await expect(client.journals.list({ dossierId: 4242 })).rejects.toMatchObject({ status: 403 });
  });
});

describe("per-call options reach the request", () => {
  it("headers are sent with that call only, and timeoutMs cuts a slow answer", async () => {
    const server = await startTestServer(async (req, res) => {
      if (req.path === "/identity/connect/token") return json(res, 200, { access_token: "t", expires_in: 3600 });
      if (req.url.includes("slow")) await new Promise((resolve) => setTimeout(resolve, 1_000));
      json(res, 200, [{ Id: 1, Name: "HA", Type: "Buy" }]);
    });
    try {
      const client = createInqomAccountingClient({
        ...serverCredentials(server),
        retry: false,
      });
      await client.journals.list({ dossierId: 7 }, { headers: { "x-correlation-id": "call-1" } });
      await client.journals.list({ dossierId: 7 });
      const calls = server.requests.filter((r) => r.path === "/v1/dossiers/7/journals");
      expect(calls.map((r) => r.headers["x-correlation-id"])).toEqual(["call-1", undefined]);
      expect(calls[0]?.headers.authorization).toBe("Bearer t");
      const slow = client.accounts.list({ dossierId: 7, accountNumberPrefix: "slow" }, { timeoutMs: 100 });
      await expect(slow).rejects.toBeInstanceOf(TimeoutError);
    } finally {
      await server.close();
    }
  });

  it("the CFONB helpers pass their call options on to the request", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path === "/identity/connect/token") return json(res, 200, { access_token: "t", expires_in: 3600 });
      if (req.path.endsWith("/import")) return json(res, 200, { Statements: [] });
      json(res, 201, { Id: 1, DossierId: 7, ...account });
    });
    try {
      const client = createInqomClient({
        ...serverCredentials(server),
      });
      const headers = (value: string) => ({ headers: { "x-correlation-id": value }, timeoutMs: 5_000 });
      await client.createCfonbAccount(7, { iban: IBAN, bankName: "Bank" }, headers("account"));
      await client.importCfonbFile(cfonbFile(statement("12345678901", 2)), { ...headers("import"), fileName: "r.txt" });
      const seen = server.requests.filter((r) => r.path.startsWith("/api/")).map((r) => r.headers["x-correlation-id"]);
      expect(seen).toEqual(["account", "import"]);
      expect(server.requests.at(-1)?.body).toContain('filename="r.txt"');
    } finally {
      await server.close();
    }
  });
});
