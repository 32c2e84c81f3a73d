import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { CfonbParseError, cfonbAccountNumber, ibanProblem, parseCfonb120 } from "@x/cfonb";
import { createCounters, failWith, json, oauthFail, routeTable, sameSecret } from "../emulator.js";
import type { Counters, Emulator, EmulatorRequest, RouteTable } from "../emulator.js";

export interface InqomOptions {
  /** Lifetime of issued access tokens, in seconds. Default 3600 (Inqom's are reportedly long-lived). */
  tokenTtlSeconds?: number;
  /** Leave `expires_in` out of token responses, so the client must read the JWT's `exp`. */
  omitExpiresIn?: boolean;
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
}

const demoCredentials = {
  username: "demo@inqom.example",
  password: "inqom-demo-password",
  clientId: "inqom-demo-client",
  clientSecret: "inqom-demo-client-secret",
  /** Dossiers the demo user may write to; 4242 exists but the user has no rights on it (403). */
  dossierIds: "1001,1002",
};
const FORBIDDEN_DOSSIER = 4242;
const REQUIRED_SCOPES = ["openid", "apidata"];
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
}

/** Inqom's API error body, PascalCase as in its other APIs: `{ Code, Message, Details? }`. */
const fail = failWith((_status, code: string, message: string, details?: string[]) => ({
  Code: code,
  Message: message,
  ...(details ? { Details: details } : {}),
}));

const sign = (state: State, data: string) => createHmac("sha256", state.signingKey).update(data).digest("base64url");

function issueToken(state: State): string {
  const nowMs = Date.now();
  const iat = Math.floor(nowMs / 1000);
  // Rounded up so the token never dies before `expires_in` says it will.
  const exp = Math.ceil((nowMs + state.ttl * 1000) / 1000);
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const claims = {
    iss: "inqom-sandbox",
    sub: demoCredentials.username,
    client_id: demoCredentials.clientId,
    scope: REQUIRED_SCOPES,
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

function dossier(req: EmulatorRequest): number {
  const id = Number(req.params.dossierId);
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
  // IdentityServer's token endpoint: the password grant, with OAuth's error shape rather than the API's.
  "POST /identity/connect/token": (state, req, res) => {
    const form = req.form();
    if (form.get("grant_type") !== "password") {
      throw oauthFail(400, "unsupported_grant_type", "only the password grant is enabled for this client");
    }
    const clientIdOk = sameSecret(form.get("client_id"), demoCredentials.clientId);
    const clientSecretOk = sameSecret(form.get("client_secret"), demoCredentials.clientSecret);
    if (!clientIdOk || !clientSecretOk) throw oauthFail(400, "invalid_client", "unknown client or wrong client secret");
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
    if (!REQUIRED_SCOPES.every((s) => scopes.includes(s)) || scopes.some((s) => !REQUIRED_SCOPES.includes(s))) {
      throw oauthFail(400, "invalid_scope", `the scope must be "${REQUIRED_SCOPES.join(" ")}"`);
    }
    const usernameOk = sameSecret(form.get("username"), demoCredentials.username);
    const passwordOk = sameSecret(form.get("password"), demoCredentials.password);
    if (!usernameOk || !passwordOk) throw oauthFail(400, "invalid_grant", "invalid_username_or_password");
    const token = issueToken(state);
    state.stats.tokenIssued("access");
    json(res, 200, {
      access_token: token,
      ...(state.omitExpiresIn ? {} : { expires_in: state.ttl }),
      token_type: "Bearer",
      scope: REQUIRED_SCOPES.join(" "),
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

/**
 * Inqom: an IdentityServer-style token endpoint (password grant, JWT access tokens signed HS256 by the
 * sandbox with `iat`/`exp`) and the banking API, which checks each bearer's signature and expiry, stores
 * CFONB accounts per dossier and imports CFONB 120 files with @x/cfonb's parser. Errors are modelled on
 * Inqom's other APIs (PascalCase `{ Code, Message }`): 401 without a token, 403 `InvalidToken` for a bad
 * or expired one and 403 `Forbidden` for a dossier the user may not touch.
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
      },
      reset: () => {
        state.validAfterMs = Date.now() + 1;
        state.accounts.clear();
        state.imports.length = 0;
        state.nextAccountId = 1;
      },
    };
  },
};
