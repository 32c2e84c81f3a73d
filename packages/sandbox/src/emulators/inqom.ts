import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { CfonbParseError, cfonbAccountNumber, ibanProblem, parseCfonb120 } from "@x/cfonb";
import { createCounters, failWith, json, oauthFail, routeTable, sameSecret } from "../emulator.js";
import type { Counters, Emulator, EmulatorRequest, RouteTable } from "../emulator.js";
import { accountingRoutes, emptyAccounting, type AccountingState } from "./inqom-accounting.js";

export interface InqomOptions {
  /** Lifetime of issued access tokens, in seconds. Default 3600 (Inqom's are reportedly long-lived). */
  tokenTtlSeconds?: number;
  /** Leave `expires_in` out of token responses, so the client must read the JWT's `exp`. */
  omitExpiresIn?: boolean;
  /** Lifetime of authorization codes, in seconds. Default 300. */
  codeTtlSeconds?: number;
}

/** One account as the emulator stores it (the shape of the API's answer). */
export interface InqomAccount {
  Id: number;
  DossierId: number;
  Iban: string;
  BankName: string;
  AccountNumber?: string;
  IsCfonbControlActive: boolean;
}

export interface InqomControl {
  /** Invalidates every token issued so far (as an expiry would); the next call gets 403 InvalidToken. */
  expireAllTokens(): void;
  /** Accounts created in a dossier, in creation order. */
  accounts(dossierId: number): readonly InqomAccount[];
  /** Raw bodies of the CFONB files imported, in order (refused ones excluded). */
  readonly imports: readonly string[];
  /** Refuses every refresh token issued so far (a user revoked the app, or the tokens expired). */
  revokeRefreshTokens(): void;
}

const demoCredentials = {
  username: "demo@inqom.example",
  password: "inqom-demo-password",
  clientId: "inqom-demo-client",
  clientSecret: "inqom-demo-client-secret",
  /** Dossiers the demo user may write to; 4242 exists but the user has no rights on it (403). */
  dossierIds: "1001,1002",
  /**
   * Users who can "log in" at the authorize endpoint (authorization-code flow). The sandbox has no login page: the
   * sandbox-only `login_hint` query parameter names the user, the demo user when left out.
   */
  users: "demo@inqom.example,expert@inqom.example",
  /** The firm (cabinet) that holds the demo dossiers, for the provisioning reads. */
  companyId: "7",
};
const FORBIDDEN_DOSSIER = 4242;
const REQUIRED_SCOPES = ["openid", "apidata"];
/** Every scope Inqom's help centre documents; a token needs `apidata` to call the APIs. */
const KNOWN_SCOPES = new Set(["openid", "email", "offline_access", "apidata", "accountingdocumentsapi"]);
const USERS = new Set(demoCredentials.users.split(","));
const ALLOWED_DOSSIERS = new Set(demoCredentials.dossierIds.split(",").map(Number));

interface State {
  ttl: number;
  omitExpiresIn: boolean;
  stats: Counters;
  /** A fresh key per instance: tokens of another sandbox run are refused, as a real issuer would. */
  signingKey: Buffer;
  /** Tokens issued before this instant (ms) are refused: how `expireAllTokens()` and `reset()` expire them. */
  validAfterMs: number;
  nextAccountId: number;
  accounts: Map<number, InqomAccount[]>;
  imports: string[];
  codeTtlMs: number;
  /** Authorization codes not yet exchanged; one use each. */
  codes: Map<string, IssuedCode>;
  /** Live refresh tokens; each is replaced by a new one when used (one-time use, rotated). */
  refreshTokens: Map<string, Grant>;
  accounting: AccountingState;
}

/** Who a token is for and what it may do. */
interface Grant {
  user: string;
  scopes: string[];
}

interface IssuedCode extends Grant {
  redirectUri: string;
  /** PKCE S256 challenge, when the authorize request had one. */
  challenge?: string;
  expiresAtMs: number;
}

/** Inqom's API error body, PascalCase as in its other APIs: `{ Code, Message, Details? }`. */
const fail = failWith((_status, code: string, message: string, details?: string[]) => ({
  Code: code,
  Message: message,
  ...(details ? { Details: details } : {}),
}));

const sign = (state: State, data: string) => createHmac("sha256", state.signingKey).update(data).digest("base64url");

function issueToken(state: State, grant: Grant = { user: demoCredentials.username, scopes: REQUIRED_SCOPES }): string {
  const nowMs = Date.now();
  const iat = Math.floor(nowMs / 1000);
  // Rounded up so the token never dies before `expires_in` says it will.
  const exp = Math.ceil((nowMs + state.ttl * 1000) / 1000);
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const claims = {
    iss: "inqom-sandbox",
    sub: grant.user,
    client_id: demoCredentials.clientId,
    scope: grant.scopes,
    iat,
    exp,
    nbf: iat,
    jti: randomUUID(),
    issued_ms: nowMs,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${header}.${payload}.${sign(state, `${header}.${payload}`)}`;
}

/** The bearer must be a JWT this instance signed, not expired: 401 without one, 403 `InvalidToken` otherwise. */
function authenticate(state: State, req: EmulatorRequest): void {
  const header = req.headers.authorization;
  if (!header) throw fail(401, "Unauthorized", "An Authorization: Bearer header is required.");
  const parts = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header);
  const invalid = (why: string) => fail(403, "InvalidToken", `The access token is invalid: ${why}.`);
  if (!parts) throw invalid("not a JWT");
  const [, head, body, signature] = parts as unknown as [string, string, string, string];
  if (!sameSecret(signature, sign(state, `${head}.${body}`))) throw invalid("bad signature");
  const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { exp: number; issued_ms: number };
  if (claims.exp * 1000 <= Date.now()) throw invalid("expired");
  if (claims.issued_ms < state.validAfterMs) throw invalid("expired");
}

function dossier(req: EmulatorRequest, name = "dossierId"): number {
  const id = Number(req.params[name]);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw fail(400, "InvalidDossierId", "dossierId must be a positive integer.");
  }
  if (id === FORBIDDEN_DOSSIER) throw fail(403, "Forbidden", `The user has no rights on dossier ${id}.`);
  if (!ALLOWED_DOSSIERS.has(id)) throw fail(404, "NotFound", `Dossier ${id} does not exist.`);
  return id;
}

/** The multipart field `file` of an import, as text. */
async function uploadedFile(req: EmulatorRequest): Promise<string> {
  const contentType = req.headers["content-type"] ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    throw fail(400, "InvalidRequest", "Send the file as multipart/form-data with the field `file`.");
  }
  const body = new Response(new Uint8Array(req.body), { headers: { "content-type": contentType } });
  const file = (await body.formData().catch(() => undefined))?.get("file");
  if (!file || typeof file === "string") {
    throw fail(400, "InvalidRequest", "The multipart field `file` with the CFONB file is missing.");
  }
  return file.text();
}

const routes: RouteTable<State> = {
  ...accountingRoutes<State>({
    accounting: (state) => state.accounting,
    authenticate,
    dossier,
    fail,
    company: { id: Number(demoCredentials.companyId), dossierIds: [...ALLOWED_DOSSIERS] },
  }),
  // The sandbox's stand-in for Inqom's login page: the user named by `login_hint` (sandbox only) logs in at once and
  // is redirected to `redirect_uri` with a one-use code, as IdentityServer does after a real login.
  "GET /identity/connect/authorize": (state, req, res) => {
    const query = req.url.searchParams;
    if (!sameSecret(query.get("client_id"), demoCredentials.clientId)) {
      throw fail(400, "invalid_client", "Unknown client: the identity server shows an error page, no redirect.");
    }
    const redirectUri = query.get("redirect_uri") ?? "";
    const target = URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
    if (!target || !/^https?:$/.test(target.protocol)) {
      throw fail(400, "invalid_request", "redirect_uri must be an absolute http(s) URL registered for the client.");
    }
    const back = (params: Record<string, string>) => {
      for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
      const stateParam = query.get("state");
      if (stateParam !== null) target.searchParams.set("state", stateParam);
      res.writeHead(302, { location: target.href, "content-length": "0" }).end();
    };
    if (query.get("response_type") !== "code") return back({ error: "unsupported_response_type" });
    const scopes = (query.get("scope") ?? "").split(" ").filter(Boolean);
    if (!scopes.includes("openid") || scopes.some((s) => !KNOWN_SCOPES.has(s))) return back({ error: "invalid_scope" });
    const challenge = query.get("code_challenge") ?? undefined;
    if (challenge !== undefined && query.get("code_challenge_method") !== "S256") {
      return back({ error: "invalid_request", error_description: "code_challenge_method must be S256" });
    }
    const user = query.get("login_hint") ?? demoCredentials.username;
    if (!USERS.has(user)) return back({ error: "access_denied" });
    const code = randomBytes(24).toString("base64url");
    state.codes.set(code, {
      user,
      scopes,
      redirectUri,
      ...(challenge ? { challenge } : {}),
      expiresAtMs: Date.now() + state.codeTtlMs,
    });
    state.stats.tokenIssued("code");
    back({ code });
  },

  // IdentityServer's token endpoint, with OAuth's error shape rather than the API's: the password grant, the
  // authorization-code exchange and the refresh of a user's tokens.
  "POST /identity/connect/token": (state, req, res) => {
    const form = req.form();
    const clientIdOk = sameSecret(form.get("client_id"), demoCredentials.clientId);
    const clientSecretOk = sameSecret(form.get("client_secret"), demoCredentials.clientSecret);
    const grantType = form.get("grant_type");
    const grant = grants[grantType ?? ""];
    if (!grant)
      throw oauthFail(400, "unsupported_grant_type", `grant_type ${grantType} is not enabled for this client`);
    if (!clientIdOk || !clientSecretOk) throw oauthFail(400, "invalid_client", "unknown client or wrong client secret");
    const issued = grant(state, form);
    state.stats.tokenIssued("access");
    const refreshToken =
      issued.scopes.includes("offline_access") && grantType !== "password" ? refresh(state, issued) : undefined;
    json(res, 200, {
      access_token: issueToken(state, issued),
      ...(state.omitExpiresIn ? {} : { expires_in: state.ttl }),
      token_type: "Bearer",
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: issued.scopes.join(" "),
    });
  },

  "POST /api/app/banking/enterprises/:dossierId/manual/ebics/accounts": (state, req, res) => {
    authenticate(state, req);
    const dossierId = dossier(req);
    const body = req.json<Partial<Record<keyof InqomAccount, unknown>>>();
    const iban = typeof body.Iban === "string" ? body.Iban.replace(/\s+/g, "").toUpperCase() : "";
    const problem = iban === "" ? "Iban is required" : ibanProblem(iban);
    if (problem) throw fail(400, "InvalidIban", `Iban: ${problem}.`);
    if (typeof body.BankName !== "string" || body.BankName.trim() === "") {
      throw fail(400, "InvalidBankName", "BankName is required.");
    }
    if (typeof body.IsCfonbControlActive !== "boolean") {
      throw fail(400, "InvalidRequest", "IsCfonbControlActive must be a boolean.");
    }
    const list = state.accounts.get(dossierId) ?? [];
    if (list.some((a) => a.Iban === iban)) {
      throw fail(409, "DuplicateIban", `Dossier ${dossierId} already has an account with this IBAN.`);
    }
    const accountNumber = cfonbAccountNumber(iban);
    const account: InqomAccount = {
      Id: state.nextAccountId++,
      DossierId: dossierId,
      Iban: iban,
      BankName: body.BankName,
      ...(accountNumber ? { AccountNumber: accountNumber } : {}),
      IsCfonbControlActive: body.IsCfonbControlActive,
    };
    state.accounts.set(dossierId, [...list, account]);
    json(res, 201, account);
  },

  "POST /api/app/banking/ebics/accounts/import": async (state, req, res) => {
    authenticate(state, req);
    const text = await uploadedFile(req);
    let statements;
    try {
      statements = parseCfonb120(text);
    } catch (error) {
      if (!(error instanceof CfonbParseError)) throw error;
      const problems = error.problems.map((p) => `line ${p.line}, column ${p.column}: ${p.message}`);
      throw fail(400, "InvalidCfonbFile", "The file is not valid CFONB 120.", problems);
    }
    const known = new Set([...state.accounts.values()].flat().map((a) => a.AccountNumber));
    const unknown = [...new Set(statements.map((s) => s.accountNumber).filter((n) => !known.has(n)))];
    if (unknown.length) {
      throw fail(400, "UnknownAccount", "Create the bank account of every statement before importing it.", unknown);
    }
    state.imports.push(text);
    json(res, 200, {
      Statements: statements.map((s) => ({
        AccountNumber: s.accountNumber,
        OpeningDate: s.opening.date,
        ClosingDate: s.closing.date,
        OpeningBalance: s.opening.amount.value,
        ClosingBalance: s.closing.amount.value,
        MovementCount: s.movements.length,
      })),
    });
  },
};

/** Each grant of the token endpoint: checks its fields and says who the token is for (throws OAuth errors). */
const grants: Record<string, (state: State, form: URLSearchParams) => Grant> = {
  password(_state, form) {
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
    if (!scopes.includes("apidata") || scopes.some((s) => !KNOWN_SCOPES.has(s))) {
      throw oauthFail(400, "invalid_scope", `the scope must include apidata, e.g. "${REQUIRED_SCOPES.join(" ")}"`);
    }
    const usernameOk = sameSecret(form.get("username"), demoCredentials.username);
    const passwordOk = sameSecret(form.get("password"), demoCredentials.password);
    if (!usernameOk || !passwordOk) throw oauthFail(400, "invalid_grant", "invalid_username_or_password");
    return { user: demoCredentials.username, scopes };
  },

  authorization_code(state, form) {
    const code = form.get("code") ?? "";
    const issued = state.codes.get(code);
    // One use: a code is gone once presented, even when the exchange then fails.
    state.codes.delete(code);
    if (!issued || issued.expiresAtMs <= Date.now())
      throw oauthFail(400, "invalid_grant", "unknown, used or expired code");
    if (form.get("redirect_uri") !== issued.redirectUri) {
      throw oauthFail(400, "invalid_grant", "redirect_uri differs from the authorize request's");
    }
    if (issued.challenge !== undefined) {
      const verifier = form.get("code_verifier");
      const computed = verifier ? createHash("sha256").update(verifier).digest("base64url") : "";
      if (!sameSecret(computed, issued.challenge)) throw oauthFail(400, "invalid_grant", "invalid code_verifier");
    }
    return { user: issued.user, scopes: issued.scopes };
  },

  refresh_token(state, form) {
    const token = form.get("refresh_token") ?? "";
    const issued = state.refreshTokens.get(token);
    if (!issued) throw oauthFail(400, "invalid_grant", "unknown, used or revoked refresh token");
    state.refreshTokens.delete(token);
    return issued;
  },
};

/** A new refresh token for `grant` (rotated on every use, as IdentityServer's one-time-only refresh tokens are). */
function refresh(state: State, grant: Grant): string {
  const token = randomBytes(32).toString("base64url");
  state.refreshTokens.set(token, { user: grant.user, scopes: grant.scopes });
  state.stats.tokenIssued("refresh");
  return token;
}

/**
 * Inqom: an IdentityServer-style token endpoint (password grant, JWT access tokens signed HS256 by the
 * sandbox with `iat`/`exp`) and the banking API, which checks each bearer's signature and expiry, stores
 * CFONB accounts per dossier and imports CFONB 120 files with @x/cfonb's parser. Errors are modelled on
 * Inqom's other APIs (PascalCase `{ Code, Message }`): 401 without a token, 403 `InvalidToken` for a bad
 * or expired one and 403 `Forbidden` for a dossier the user may not touch. The authorization-code flow: an
 * authorize endpoint that logs the `login_hint` user in at once (no login page), one-use codes (PKCE S256 checked
 * when the authorize request had a challenge), and rotated refresh tokens with `offline_access`. The accounting
 * API's main operations are in inqom-accounting.ts.
 */
export const inqom: Emulator<InqomOptions, InqomControl, typeof demoCredentials> = {
  name: "inqom",
  demoCredentials,
  create(options = {}) {
    const state: State = {
      ttl: options.tokenTtlSeconds ?? 3600,
      omitExpiresIn: options.omitExpiresIn ?? false,
      stats: createCounters(),
      signingKey: randomBytes(32),
      validAfterMs: 0,
      nextAccountId: 1,
      accounts: new Map(),
      imports: [],
      codeTtlMs: (options.codeTtlSeconds ?? 300) * 1000,
      codes: new Map(),
      refreshTokens: new Map(),
      accounting: emptyAccounting(),
    };
    return {
      handle: routeTable(routes, state),
      stats: state.stats,
      control: {
        expireAllTokens: () => {
          state.validAfterMs = Date.now() + 1;
        },
        accounts: (dossierId) => state.accounts.get(dossierId) ?? [],
        // The same array for the instance's life (reset empties it in place), so a kept reference stays current.
        imports: state.imports,
        revokeRefreshTokens: () => state.refreshTokens.clear(),
      },
      reset: () => {
        state.validAfterMs = Date.now() + 1;
        state.accounts.clear();
        state.imports.length = 0;
        state.nextAccountId = 1;
        state.codes.clear();
        state.refreshTokens.clear();
        state.accounting = emptyAccounting();
      },
    };
  },
};
