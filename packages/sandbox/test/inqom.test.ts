import { formatCfonb120, amountOf } from "@x/cfonb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../src/index.js";

let sandbox: Sandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ["inqom"] });
  base = sandbox.urls.inqom as string;
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const creds = () => sandbox.provider("inqom").demoCredentials;
const tokenForm = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    grant_type: "password",
    username: creds().username as string,
    password: creds().password as string,
    client_id: creds().clientId as string,
    client_secret: creds().clientSecret as string,
    scope: "openid apidata",
    ...overrides,
  });
const requestToken = (overrides: Record<string, string> = {}) =>
  fetch(`${base}/identity/connect/token`, { method: "POST", body: tokenForm(overrides) });
const accessToken = async () => ((await (await requestToken()).json()) as { access_token: string }).access_token;
const createAccount = (token: string, dossierId: number, iban = "FR7630006000011234567890189") =>
  fetch(`${base}/api/app/banking/enterprises/${dossierId}/manual/ebics/accounts`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ Iban: iban, BankName: "Demo Bank", IsCfonbControlActive: true }),
  });

describe("inqom emulator", () => {
  it("issues a signed JWT with iat and exp for the password grant, and counts it", async () => {
    const response = await requestToken();
    const body = (await response.json()) as {
      access_token: string;
      expires_in: number;
      token_type: string;
      scope: string;
    };
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ expires_in: 3600, token_type: "Bearer", scope: "openid apidata" });
    const claims = JSON.parse(Buffer.from(body.access_token.split(".")[1] as string, "base64url").toString()) as {
      iat: number;
      exp: number;
    };
    expect(claims.exp - claims.iat).toBeGreaterThanOrEqual(3600);
    expect(sandbox.provider("inqom").stats().tokensIssued).toEqual({ access: 1 });
  });

  it.each([
    [{ password: "wrong" }, "invalid_grant"],
    [{ client_secret: "wrong" }, "invalid_client"],
    [{ scope: "openid" }, "invalid_scope"],
    [{ grant_type: "client_credentials" }, "unsupported_grant_type"],
  ])("refuses %o with IdentityServer's 400 %s and issues nothing", async (overrides, error) => {
    const response = await requestToken(overrides);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error });
    expect(sandbox.provider("inqom").stats().tokensIssued).toEqual({});
  });

  it(
    "answers 401 without a bearer, 403 InvalidToken for a " + "tampered or expired one, 403 Forbidden without rights",
    async () => {
      const token = await accessToken();
      expect(
        (await fetch(`${base}/api/app/banking/enterprises/1001/manual/ebics/accounts`, { method: "POST" })).status,
      ).toBe(401);
      const tampered = `${token.slice(0, -2)}xx`;
      const refused = await createAccount(tampered, 1001);
      expect([refused.status, ((await refused.json()) as { Code: string }).Code]).toEqual([403, "InvalidToken"]);
      const forbidden = await createAccount(token, 4242);
      expect([forbidden.status, ((await forbidden.json()) as { Code: string }).Code]).toEqual([403, "Forbidden"]);
      sandbox.provider("inqom").control.expireAllTokens();
      const expired = await createAccount(token, 1001);
      expect([expired.status, ((await expired.json()) as { Code: string }).Code]).toEqual([403, "InvalidToken"]);
    },
  );

  it("stores accounts per dossier, refuses a duplicate IBAN with 409 and a bad IBAN with 400", async () => {
    const token = await accessToken();
    const created = await createAccount(token, 1001);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      DossierId: 1001,
      AccountNumber: "12345678901",
      IsCfonbControlActive: true,
    });
    expect((await createAccount(token, 1001)).status).toBe(409);
    expect((await createAccount(token, 1002)).status).toBe(201);
    expect((await createAccount(token, 1001, "FR7630006000011234567890188")).status).toBe(400);
    expect(sandbox.provider("inqom").control.accounts(1001)).toHaveLength(1);
  });

  it(
    "imports a CFONB file of a known account with the shared " + "parser and refuses a malformed one with its problems",
    async () => {
      const token = await accessToken();
      await createAccount(token, 1001);
      const file = formatCfonb120([
        {
          bankCode: "30006",
          counterCode: "00001",
          accountNumber: "12345678901",
          currency: "EUR",
          opening: { date: "2024-03-01", amount: amountOf(10_000, 2) },
          closing: { date: "2024-03-31", amount: amountOf(7_500, 2) },
          movements: [
            {
              bankCode: "30006",
              counterCode: "00001",
              internalOperationCode: "0117",
              interbankOperationCode: "62",
              bookingDate: "2024-03-15",
              valueDate: "2024-03-15",
              label: "CB SUPERMARCHE",
              rejectionReason: "",
              entryNumber: "",
              commissionExemption: "",
              unavailability: "",
              amount: amountOf(-2_500, 2),
              reference: "",
              complements: [],
            },
          ],
        },
      ]);
      const upload = (text: string) => {
        const form = new FormData();
        form.append("file", new Blob([text], { type: "text/plain" }), "releve.txt");
        return fetch(`${base}/api/app/banking/ebics/accounts/import`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: form,
        });
      };
      const imported = await upload(file);
      expect(await imported.json()).toEqual({
        Statements: [
          {
            AccountNumber: "12345678901",
            OpeningDate: "2024-03-01",
            ClosingDate: "2024-03-31",
            OpeningBalance: "100.00",
            ClosingBalance: "75.00",
            MovementCount: 1,
          },
        ],
      });
      const refused = await upload(file.replace("CB SUPERMARCHE", "CB SUPERMARCH"));
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        Code: "InvalidCfonbFile",
        Details: expect.arrayContaining([expect.stringMatching(/^line 2, column 120/)]),
      });
      expect(sandbox.provider("inqom").control.imports).toHaveLength(1);
    },
  );
});
