// Compile-time contract of @x/inqom, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each `@ts-expect-error` must meet a type error, and sits next to the same call written right.
// Whole clients are checked with assertType (assignable), their helpers with expectTypeOf (identical): expectTypeOf on
// a whole client type costs tsc about 150k type instantiations, seconds of every `pnpm test`.
import { ApiError, ConfigurationError, type CallOptions, type CoreErrorCode, type Paginated } from "@x/core";
import { assertType, describe, expectTypeOf, it } from "vitest";
import { CfonbParseError } from "../src/cfonb.js";
import {
  createInqomAccountingClient,
  createInqomClient,
  createInqomUserClient,
  InvalidCfonbFileError,
  isInqomError,
  type CfonbAccount,
  type CfonbFileInput,
  type CfonbProblem,
  type CreateCfonbAccountInput,
  type ImportCfonbFileOptions,
  type ImportResult,
  type InqomClient,
  type InqomErrorCode,
  type Accounting,
  type CreatedEntry,
  type CreateCfonbAccountRequest,
  type EntryLine,
  type EntryLineChange,
  type ImportedStatement,
  type InqomAccountingClient,
  type Journal,
  type NewEntry,
} from "../src/index.js";

/** The paths a method accepts (`Parameters` gives `never` for openapi-fetch's generic rest parameter). */
type PathOf<Method> = Method extends (path: infer P, ...init: never[]) => unknown ? P : "not a method";

const inqom = createInqomClient({ username: "u", password: "p", clientId: "c", clientSecret: "s" });
const accounts = "/api/app/banking/enterprises/{dossierId}/manual/ebics/accounts";
const account = { Iban: "FR7630006000011234567890189", BankName: "Bank", IsCfonbControlActive: true };

describe("paths, parameters and bodies", () => {
  it("refuses a path or method the spec does not have", () => {
    type Posts = "/identity/connect/token" | typeof accounts | "/api/app/banking/ebics/accounts/import";
    expectTypeOf<PathOf<typeof inqom.POST>>().toEqualTypeOf<Posts>();
    // @ts-expect-error no such path
    inqom.POST("/api/app/banking/enterprises/{dossierId}/accounts", { params: { path: { dossierId: 1 } } });
    // @ts-expect-error accounts are created, not listed
    inqom.GET(accounts, { params: { path: { dossierId: 1 } } });
  });

  it("requires the path parameters", () => {
    inqom.POST(accounts, { params: { path: { dossierId: 1 } }, body: account });
    // @ts-expect-error dossierId missing
    inqom.POST(accounts, { params: { path: {} }, body: account });
    // @ts-expect-error no params at all
    inqom.POST(accounts, { body: account });
    // @ts-expect-error dossierId is a number in the typed call (createCfonbAccount also takes a string)
    inqom.POST(accounts, { params: { path: { dossierId: "1" } }, body: account });
  });

  it("types the body", () => {
    // @ts-expect-error no body
    inqom.POST(accounts, { params: { path: { dossierId: 1 } } });
    // @ts-expect-error Inqom's fields are PascalCase
    inqom.POST(accounts, { params: { path: { dossierId: 1 } }, body: { iban: account.Iban, bankName: "Bank" } });
    // @ts-expect-error IsCfonbControlActive is required in the raw call
    inqom.POST(accounts, { params: { path: { dossierId: 1 } }, body: { Iban: account.Iban, BankName: "Bank" } });
  });

  it("types the data", () => {
    const created = inqom.unwrap(inqom.POST(accounts, { params: { path: { dossierId: 1 } }, body: account }));
    expectTypeOf(created).resolves.branded.toEqualTypeOf<CfonbAccount>();
  });
});

describe("helpers, and withOptions keeps them", () => {
  it("createCfonbAccount and importCfonbFile are typed", () => {
    expectTypeOf(inqom.createCfonbAccount).toEqualTypeOf<
      (dossierId: number | string, input: CreateCfonbAccountInput, options?: CallOptions) => Promise<CfonbAccount>
    >();
    expectTypeOf(inqom.importCfonbFile).toEqualTypeOf<
      (file: CfonbFileInput, options?: ImportCfonbFileOptions) => Promise<ImportResult>
    >();
    inqom.importCfonbFile(new Blob(["0"]), { validate: false, fileName: "a.txt" });
    inqom.createCfonbAccount("42", { iban: "FR76 3000 6000 0112 3456 7890 189", bankName: "Bank" });
    // @ts-expect-error the helper's input is camelCase
    inqom.createCfonbAccount(42, { Iban: account.Iban, BankName: "Bank" });
    // @ts-expect-error bankName is required
    inqom.createCfonbAccount(42, { iban: account.Iban });
    // @ts-expect-error a file is contents, a path or a URL, not a number
    inqom.importCfonbFile(42);
    // @ts-expect-error validate is a boolean
    inqom.importCfonbFile("statement.txt", { validate: "no" });
  });

  it("withOptions keeps importCfonbFile and createCfonbAccount", () => {
    const derived = inqom.withOptions({ timeoutMs: 1 });
    assertType<InqomClient>(derived);
    expectTypeOf(derived.importCfonbFile).toEqualTypeOf(inqom.importCfonbFile);
    expectTypeOf(derived.withOptions({ retry: false }).createCfonbAccount).toEqualTypeOf(inqom.createCfonbAccount);
    expectTypeOf(derived.importCfonbFile("statement.txt")).resolves.toEqualTypeOf<ImportResult>();
    // @ts-expect-error the derived client keeps the helpers' types
    derived.importCfonbFile(42);
  });
});

describe("errors narrow", () => {
  const caught: unknown = new Error("x");

  it("InvalidCfonbFileError is a ConfigurationError with its problems", () => {
    if (caught instanceof InvalidCfonbFileError) {
      expectTypeOf(caught.problems).toEqualTypeOf<readonly CfonbProblem[]>();
      expectTypeOf(caught.option).toEqualTypeOf<string | undefined>();
      expectTypeOf(caught).toExtend<ConfigurationError>();
    }
    if (caught instanceof CfonbParseError) expectTypeOf(caught.problems).items.toEqualTypeOf<CfonbProblem>();
    if (caught instanceof ApiError) expectTypeOf(caught.status).toEqualTypeOf<number>();
  });

  it("isInqomError narrows the provider and the code", () => {
    if (isInqomError(caught)) {
      expectTypeOf(caught.provider).toEqualTypeOf<"inqom">();
      // InqomErrorCode is open (`string & {}`), so the code is any string; its known names still complete.
      expectTypeOf<InqomErrorCode | "INVALID_CFONB_FILE" | CoreErrorCode | undefined>().toExtend<typeof caught.code>();
      expectTypeOf(caught.code).toEqualTypeOf<string | undefined>();
    }
    if (isInqomError(caught, "DuplicateIban")) expectTypeOf(caught.code).toEqualTypeOf<"DuplicateIban">();
    if (isInqomError(caught, "INVALID_CFONB_FILE")) expectTypeOf(caught.code).toEqualTypeOf<"INVALID_CFONB_FILE">();
    // @ts-expect-error a code is a string
    isInqomError(caught, 404);
  });
});

describe("the authorization-code mode and the accounting API", () => {
  const user = { clientId: "c", clientSecret: "s", user: "app-user", redirectUri: "https://app.example.com/cb" };

  it("gives a user client exchangeCode, and a password client none", () => {
    const client = createInqomUserClient(user);
    expectTypeOf(client.exchangeCode).parameter(0).toHaveProperty("expectedState").toEqualTypeOf<string>();
    // @ts-expect-error the password grant has no code to exchange
    inqom.exchangeCode;
    // @ts-expect-error a user client takes no password
    createInqomUserClient({ ...user, password: "p" });
  });

  it("types the accounting client by auth mode and by its own paths", () => {
    const accounting = createInqomAccountingClient({ username: "u", password: "p", clientId: "c", clientSecret: "s" });
    const forUser = createInqomAccountingClient(user);
    expectTypeOf(forUser.exchangeCode).toBeFunction();
    // @ts-expect-error only a user's accounting client exchanges codes
    accounting.exchangeCode;
    accounting.GET("/v1/dossiers/{dossierId}/journals", { params: { path: { dossierId: 1 } } });
    // @ts-expect-error banking paths are not on the accounting client
    accounting.POST(accounts, { params: { path: { dossierId: 1 } }, body: account });
    accounting.GET("/v1/dossiers/{dossierId}/entry-lines", {
      params: { path: { dossierId: 1 }, query: { startDate: "2025-01-01", endDate: "2025-12-31" } },
    });
    // @ts-expect-error startDate and endDate are required
    accounting.GET("/v1/dossiers/{dossierId}/entry-lines", { params: { path: { dossierId: 1 }, query: {} } });
  });
});

describe("generated methods", () => {
  const accounting = createInqomAccountingClient({ username: "u", password: "p", clientId: "c", clientSecret: "s" });
  const user = { clientId: "c", clientSecret: "s", user: "app-user", redirectUri: "https://app.example.com/cb" };

  it("types the banking method's parameters, body and data; the token, authorize and import have none", () => {
    expectTypeOf(inqom.banking.createAccount({ dossierId: 1 }, account)).resolves.toEqualTypeOf<CfonbAccount>();
    expectTypeOf(inqom.banking.createAccount({ dossierId: 1 }, account).withResponse()).resolves.toEqualTypeOf<{
      data: CfonbAccount;
      response: Response;
    }>();
    // @ts-expect-error dossierId is required
    inqom.banking.createAccount({}, account);
    // @ts-expect-error the wire body is PascalCase (the createCfonbAccount helper takes camelCase)
    inqom.banking.createAccount({ dossierId: 1 }, { iban: account.Iban, bankName: "Bank" });
    // @ts-expect-error a mistyped method name
    inqom.banking.createAcount({ dossierId: 1 }, account);
    // @ts-expect-error the import is the importCfonbFile helper's job (it validates the file and names its part)
    inqom.banking.importCfonbFile;
    // @ts-expect-error the token and authorize endpoints are the auth's, not methods
    inqom.identity;
    inqom.banking.createAccount({ dossierId: 1 }, account, { timeoutMs: 5_000, headers: { "x-request-id": "r" } });
    // @ts-expect-error per-call options are checked
    inqom.banking.createAccount({ dossierId: 1 }, account, { timeoutMs: "5s" });
  });

  it("types the accounting methods by tag", () => {
    expectTypeOf(accounting.journals.list({ dossierId: 1 })).resolves.toEqualTypeOf<Journal[]>();
    expectTypeOf(accounting.entries.create({ dossierId: 1 }, [])).resolves.toEqualTypeOf<CreatedEntry[]>();
    expectTypeOf(accounting.entries.create).parameter(1).toEqualTypeOf<NewEntry[]>();
    expectTypeOf(
      accounting.dossiers.list({ companyId: 1 }),
    ).resolves.items.toEqualTypeOf<Accounting.AccountingFolder>();
    expectTypeOf(
      accounting.entries.linesPage({ dossierId: 1, startDate: "a", endDate: "b", pageNumber: 2 }),
    ).resolves.toEqualTypeOf<Accounting.EntryLinePage>();
    // @ts-expect-error startDate and endDate are required
    accounting.entries.countLines({ dossierId: 1 });
    // @ts-expect-error a mistyped method name
    accounting.journals.lst({ dossierId: 1 });
    // @ts-expect-error a banking method is not on the accounting client
    accounting.banking;
    // @ts-expect-error the path parameter of journals.create is enterpriseId, as in the guide
    accounting.journals.create({ dossierId: 1 }, { Type: "Cash", Name: "CA", EnterpriseId: 1 });
  });

  it("pages entry lines and their changes, without the page parameter", () => {
    const query = { dossierId: 1, startDate: "2025-01-01", endDate: "2025-12-31" };
    expectTypeOf(accounting.entries.listLines(query)).toEqualTypeOf<Paginated<EntryLine>>();
    expectTypeOf(accounting.entries.listLineChanges(query)).toEqualTypeOf<Paginated<EntryLineChange>>();
    expectTypeOf<EntryLineChange>().toHaveProperty("TypeOfChange");
    // @ts-expect-error the pager asks for the pages itself
    accounting.entries.listLines({ ...query, pageNumber: 2 });
    expectTypeOf(accounting.dossiers.search({ companyId: 1, search: "acme", size: 50 })).toEqualTypeOf<
      Paginated<Accounting.AccountingFolderSummary>
    >();
    expectTypeOf(accounting.dossiers.searchPage({ companyId: 1, page: 2 })).resolves.toEqualTypeOf<
      Accounting.AccountingFolderSummary[]
    >();
    // @ts-expect-error the pager asks for the pages itself
    accounting.dossiers.search({ companyId: 1, page: 2 });
  });

  it("withOptions keeps the methods, and user clients have them", () => {
    const derived = accounting.withOptions({ timeoutMs: 1 });
    assertType<InqomAccountingClient>(derived);
    expectTypeOf(derived.entries.listLines).toEqualTypeOf(accounting.entries.listLines);
    expectTypeOf(derived.journals.list).toEqualTypeOf(accounting.journals.list);
    expectTypeOf(inqom.withOptions({ retry: false }).banking.createAccount).toEqualTypeOf(inqom.banking.createAccount);
    const forUser = createInqomAccountingClient(user);
    expectTypeOf(forUser.withOptions({ timeoutMs: 1 }).journals.list).toEqualTypeOf(accounting.journals.list);
    expectTypeOf(createInqomUserClient(user).banking.createAccount).toEqualTypeOf(inqom.banking.createAccount);
  });

  it("exports every schema as a named type: banking at the top, accounting under Accounting", () => {
    expectTypeOf<ImportedStatement>().toEqualTypeOf<ImportResult["Statements"][number]>();
    expectTypeOf<CreateCfonbAccountRequest>().toEqualTypeOf<typeof account>();
    expectTypeOf<Accounting.Journal>().toEqualTypeOf<Journal>();
    // A schema named like a global type gets `Schema` added, so it never shadows `Error` in a user's file.
    expectTypeOf<Accounting.ErrorSchema>().toHaveProperty("Code");
  });
});
