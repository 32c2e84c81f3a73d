import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../src/index.js";

let sandbox: Sandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ["inqom"], options: { inqom: { codeTtlSeconds: 1 } } });
  base = sandbox.urls.inqom as string;
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const REDIRECT = "http://127.0.0.1:9/callback";
type Credentials = { clientId: string; clientSecret: string; username: string; password: string };
const creds = () => sandbox.provider("inqom").demoCredentials as unknown as Credentials;
const control = () => sandbox.provider("inqom").control as { revokeRefreshTokens(): void; expireAllTokens(): void };

/** Opens the authorize endpoint as a browser would, without following the redirect. */
async function authorize(params: Record<string, string> = {}) {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: creds().clientId,
    redirect_uri: REDIRECT,
    scope: "openid email offline_access apidata accountingdocumentsapi",
    state: "st-1",
    ...params,
  });
  const response = await fetch(`${base}/identity/connect/authorize?${query}`, { redirect: "manual" });
  const location = response.headers.get("location");
  return { response, back: location ? new URL(location) : undefined };
}

const token = (fields: Record<string, string>) =>
  fetch(`${base}/identity/connect/token`, {
    method: "POST",
    body: new URLSearchParams({ client_id: creds().clientId, client_secret: creds().clientSecret, ...fields }),
  });
const exchange = (code: string, extra: Record<string, string> = {}) =>
  token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...extra });
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString());

describe("inqom emulator: authorization-code flow", () => {
  it("logs the login_hint user in and redirects to redirect_uri with a code and the state", async () => {
    const { response, back } = await authorize({ login_hint: "expert@inqom.example" });
    expect(response.status).toBe(302);
    expect(`${back?.origin}${back?.pathname}`).toBe(REDIRECT);
    expect(back?.searchParams.get("state")).toBe("st-1");
    const answer = await exchange(back?.searchParams.get("code") ?? "");
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as Record<string, string>;
    expect(claims(body.access_token ?? "").sub).toBe("expert@inqom.example");
    expect(body.refresh_token).toMatch(/^[\w-]{43}$/);
    expect(body.scope).toBe("openid email offline_access apidata accountingdocumentsapi");
  });

  it("shows an error page (400, no redirect) for an unknown client, redirects an error for a bad scope", async () => {
    expect((await authorize({ client_id: "nobody" })).response.status).toBe(400);
    const { back } = await authorize({ scope: "apidata" });
    expect(back?.searchParams.get("error")).toBe("invalid_scope");
    expect(back?.searchParams.get("state")).toBe("st-1");
    expect((await authorize({ login_hint: "stranger@example.com" })).back?.searchParams.get("error")).toBe(
      "access_denied",
    );
  });

  it("accepts a code once, for its redirect_uri, and not after it expired", async () => {
    const code = (await authorize()).back?.searchParams.get("code") ?? "";
    expect((await exchange(code, { redirect_uri: "http://127.0.0.1:9/other" })).status).toBe(400);
    const fresh = (await authorize()).back?.searchParams.get("code") ?? "";
    expect((await exchange(fresh)).status).toBe(200);
    const again = await exchange(fresh);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
    const late = (await authorize()).back?.searchParams.get("code") ?? "";
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await exchange(late)).status).toBe(400);
  });

  it("checks the PKCE verifier against the S256 challenge, and refuses the plain method", async () => {
    const verifier = "a".repeat(43);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const pkce = { code_challenge: challenge, code_challenge_method: "S256" };
    const code1 = (await authorize(pkce)).back?.searchParams.get("code") ?? "";
    expect((await exchange(code1)).status).toBe(400);
    const code2 = (await authorize(pkce)).back?.searchParams.get("code") ?? "";
    expect((await exchange(code2, { code_verifier: "b".repeat(43) })).status).toBe(400);
    const code3 = (await authorize(pkce)).back?.searchParams.get("code") ?? "";
    expect((await exchange(code3, { code_verifier: verifier })).status).toBe(200);
    const plain = await authorize({ code_challenge: verifier, code_challenge_method: "plain" });
    expect(plain.back?.searchParams.get("error")).toBe("invalid_request");
  });

  it("rotates refresh tokens: a used or revoked one is refused with invalid_grant", async () => {
    const code = (await authorize()).back?.searchParams.get("code") ?? "";
    const first = (await (await exchange(code)).json()) as { refresh_token: string };
    const renewed = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(renewed.status).toBe(200);
    const second = (await renewed.json()) as { refresh_token: string; access_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await token({ grant_type: "refresh_token", refresh_token: first.refresh_token })).status).toBe(400);
    control().revokeRefreshTokens();
    const revoked = await token({ grant_type: "refresh_token", refresh_token: second.refresh_token });
    expect(await revoked.json()).toMatchObject({ error: "invalid_grant" });
    expect(sandbox.provider("inqom").stats().tokensIssued).toMatchObject({ code: 1, access: 2, refresh: 2 });
  });

  it("gives no refresh token without offline_access, nor to the password grant", async () => {
    const code = (await authorize({ scope: "openid apidata" })).back?.searchParams.get("code") ?? "";
    expect(await (await exchange(code)).json()).not.toHaveProperty("refresh_token");
    const password = await token({
      grant_type: "password",
      username: creds().username,
      password: creds().password,
      scope: "openid offline_access apidata",
    });
    expect(password.status).toBe(200);
    expect(await password.json()).not.toHaveProperty("refresh_token");
  });
});

describe("inqom emulator: accounting API", () => {
  const bearer = async () => {
    const answer = await token({
      grant_type: "password",
      username: creds().username,
      password: creds().password,
      scope: "openid apidata",
    });
    return `Bearer ${((await answer.json()) as { access_token: string }).access_token}`;
  };

  it("answers the documented reads with the guide's shapes, and checks the bearer and the dossier", async () => {
    const authorization = await bearer();
    const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization } });
    const journals = (await (await get("/v1/dossiers/1001/journals")).json()) as { Name: string; Type: string }[];
    expect(journals).toContainEqual(expect.objectContaining({ Name: "HA", Type: "Buy" }));
    const accounts = (await (await get("/v1/dossiers/1001/accounts?accountNumberPrefix=44")).json()) as unknown[];
    expect(accounts).toEqual([expect.objectContaining({ Number: "44566", IsImpactable: true })]);
    expect((await get("/v1/dossiers/1001/entry-lines")).status).toBe(400); // startDate and endDate are required
    expect((await get("/v1/dossiers/4242/journals")).status).toBe(403);
    expect((await fetch(`${base}/v1/dossiers/1001/journals`)).status).toBe(401);
  });

  it("adds periods and journals, and attaches a supporting document to an entry (201 + id, then a link)", async () => {
    const authorization = await bearer();
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const period = await send("POST", "/api/app/enterprises/1001/exercices/v2", {
      beginDate: "2026-01-01",
      endDate: "2026-12-31",
    });
    expect(await period.json()).toMatchObject({ EnterpriseId: 1001, Name: "2026-12" });
    const journal = await send("POST", "/api/app/enterprises/1001/journals", { Type: "Cash", Name: "CA" });
    const { Id: journalId } = (await journal.json()) as { Id: number };
    expect((await send("POST", "/api/app/enterprises/1001/journals", { Type: "Cash", Name: "TOOLONG" })).status).toBe(
      400,
    );
    const lines = [
      { Label: "a", DebitAmount: 5, CreditAmount: 0, Currency: "EUR", AccountNumber: "607" },
      { Label: "a", DebitAmount: 0, CreditAmount: 5, Currency: "EUR", AccountNumber: "512" },
    ];
    const entries = await send("POST", "/v1/dossiers/1001/entries", [
      { JournalId: journalId, Date: "2026-02-01", Lines: lines },
    ]);
    const [{ Id: entryId }] = (await entries.json()) as [{ Id: number }];
    const upload = (fileName: string) => {
      const form = new FormData();
      form.append("entryId", String(entryId));
      form.append("fileName", fileName);
      form.append("file", new Blob(["content"]), fileName);
      return fetch(`${base}/v1/dossiers/1001/accounting-documents`, {
        method: "POST",
        headers: { authorization },
        body: form,
      });
    };
    expect((await upload("virus.exe")).status).toBe(400);
    const created = await upload("receipt.pdf");
    expect(created.status).toBe(201);
    const documentId = (await created.json()) as number;
    const link = await fetch(`${base}/v1/dossiers/1001/accounting-documents/${documentId}`, {
      headers: { authorization },
    });
    expect(await link.json()).toMatchObject({ Id: documentId, link: expect.stringContaining("receipt.pdf") });
    expect(
      (await fetch(`${base}/v1/dossiers/1002/accounting-documents/${documentId}`, { headers: { authorization } }))
        .status,
    ).toBe(404);
  });
});
