import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { CfonbParseError, cfonbAccountNumber, ibanProblem, parseCfonb120 } from "@x/cfonb";
import { HttpError, createCounters, createRouter, json, type Emulator, type EmulatorRequest } from "../emulator.js";

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

/**
 * Inqom: an IdentityServer-style token endpoint (password grant, JWT access tokens signed HS256 by the
 * sandbox with `iat`/`exp`) and the banking API, which checks each bearer's signature and expiry, stores
 * CFONB accounts per dossier and imports CFONB 120 files with @x/cfonb's parser. Errors are modelled on
 * Inqom's other APIs (PascalCase `{ Code, Message }`): 401 without a token, 403 `InvalidToken` for a bad
 * or expired one and 403 `Forbidden` for a dossier the user may not touch.
 */
export const inqom: Emulator<InqomOptions, InqomControl> = {
  name: "inqom",
  demoCredentials,
  create(options = {}) {
    const ttl = options.tokenTtlSeconds ?? 3600;
    const stats = createCounters();
    const router = createRouter();
    // A fresh key per instance: tokens of another sandbox run are refused, as a real issuer would.
    const signingKey = randomBytes(32);
    let validAfterMs = 0;
    let nextAccountId = 1;
    const accounts = new Map<number, InqomAccount[]>();
    const imports: string[] = [];
    const allowedDossiers = new Set(demoCredentials.dossierIds.split(",").map(Number));

    const sign = (data: string) => createHmac("sha256", signingKey).update(data).digest("base64url");

    router.on("POST", "/identity/connect/token", (req, res) => {
      const form = req.form();
      const oauthError = (error: string, description: string) => new HttpError(400, { error, error_description: description });
      if (form.get("grant_type") !== "password") throw oauthError("unsupported_grant_type", "only the password grant is enabled for this client");
      if (!same(form.get("client_id"), demoCredentials.clientId) || !same(form.get("client_secret"), demoCredentials.clientSecret)) {
        throw oauthError("invalid_client", "unknown client or wrong client secret");
      }
      const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
      if (!REQUIRED_SCOPES.every((s) => scopes.includes(s)) || scopes.some((s) => !REQUIRED_SCOPES.includes(s))) {
        throw oauthError("invalid_scope", `the scope must be "${REQUIRED_SCOPES.join(" ")}"`);
      }
      if (!same(form.get("username"), demoCredentials.username) || !same(form.get("password"), demoCredentials.password)) {
        throw oauthError("invalid_grant", "invalid_username_or_password");
      }
      const nowMs = Date.now();
      const iat = Math.floor(nowMs / 1000);
      // Rounded up so the token never dies before `expires_in` says it will.
      const exp = Math.ceil((nowMs + ttl * 1000) / 1000);
      const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
      const claims = { iss: "inqom-sandbox", sub: demoCredentials.username, client_id: demoCredentials.clientId, scope: REQUIRED_SCOPES, iat, exp, nbf: iat, jti: randomUUID(), issued_ms: nowMs };
      const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
      const token = `${header}.${payload}.${sign(`${header}.${payload}`)}`;
      stats.tokenIssued("access");
      json(res, 200, {
        access_token: token,
        ...(options.omitExpiresIn ? {} : { expires_in: ttl }),
        token_type: "Bearer",
        scope: REQUIRED_SCOPES.join(" "),
      });
    });

    const apiError = (status: number, code: string, message: string, details?: string[]) =>
      new HttpError(status, { Code: code, Message: message, ...(details ? { Details: details } : {}) });

    function authenticate(req: EmulatorRequest): void {
      const header = req.headers.authorization;
      if (!header) throw apiError(401, "Unauthorized", "An Authorization: Bearer header is required.");
      const parts = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header);
      const invalid = (why: string) => apiError(403, "InvalidToken", `The access token is invalid: ${why}.`);
      if (!parts) throw invalid("not a JWT");
      const [, head, body, signature] = parts as unknown as [string, string, string, string];
      if (!same(signature, sign(`${head}.${body}`))) throw invalid("bad signature");
      const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { exp: number; issued_ms: number };
      if (claims.exp * 1000 <= Date.now()) throw invalid("expired");
      if (claims.issued_ms < validAfterMs) throw invalid("expired");
    }

    function dossier(req: EmulatorRequest): number {
      const id = Number(req.params.dossierId);
      if (!Number.isSafeInteger(id) || id <= 0) throw apiError(400, "InvalidDossierId", "dossierId must be a positive integer.");
      if (id === FORBIDDEN_DOSSIER) throw apiError(403, "Forbidden", `The user has no rights on dossier ${id}.`);
      if (!allowedDossiers.has(id)) throw apiError(404, "NotFound", `Dossier ${id} does not exist.`);
      return id;
    }

    router.on("POST", "/api/app/banking/enterprises/:dossierId/manual/ebics/accounts", (req, res) => {
      authenticate(req);
      const dossierId = dossier(req);
      const body = req.json<Partial<Record<keyof InqomAccount, unknown>>>();
      const iban = typeof body.Iban === "string" ? body.Iban.replace(/\s+/g, "").toUpperCase() : "";
      const problem = iban === "" ? "Iban is required" : ibanProblem(iban);
      if (problem) throw apiError(400, "InvalidIban", `Iban: ${problem}.`);
      if (typeof body.BankName !== "string" || body.BankName.trim() === "") throw apiError(400, "InvalidBankName", "BankName is required.");
      if (typeof body.IsCfonbControlActive !== "boolean") throw apiError(400, "InvalidRequest", "IsCfonbControlActive must be a boolean.");
      const list = accounts.get(dossierId) ?? [];
      if (list.some((a) => a.Iban === iban)) throw apiError(409, "DuplicateIban", `Dossier ${dossierId} already has an account with this IBAN.`);
      const accountNumber = cfonbAccountNumber(iban);
      const account: InqomAccount = {
        Id: nextAccountId++,
        DossierId: dossierId,
        Iban: iban,
        BankName: body.BankName,
        ...(accountNumber ? { AccountNumber: accountNumber } : {}),
        IsCfonbControlActive: body.IsCfonbControlActive,
      };
      accounts.set(dossierId, [...list, account]);
      json(res, 201, account);
    });

    router.on("POST", "/api/app/banking/ebics/accounts/import", async (req, res) => {
      authenticate(req);
      const contentType = req.headers["content-type"] ?? "";
      if (!contentType.startsWith("multipart/form-data")) throw apiError(400, "InvalidRequest", "Send the file as multipart/form-data with the field `file`.");
      const form = await new Response(new Uint8Array(req.body), { headers: { "content-type": contentType } }).formData().catch(() => undefined);
      const file = form?.get("file");
      if (!file || typeof file === "string") throw apiError(400, "InvalidRequest", "The multipart field `file` with the CFONB file is missing.");
      const text = await file.text();
      let statements;
      try {
        statements = parseCfonb120(text);
      } catch (error) {
        if (!(error instanceof CfonbParseError)) throw error;
        throw apiError(400, "InvalidCfonbFile", "The file is not valid CFONB 120.", error.problems.map((p) => `line ${p.line}, column ${p.column}: ${p.message}`));
      }
      const known = new Set([...accounts.values()].flat().map((a) => a.AccountNumber));
      const unknown = [...new Set(statements.map((s) => s.accountNumber).filter((n) => !known.has(n)))];
      if (unknown.length) throw apiError(400, "UnknownAccount", "Create the bank account of every statement before importing it.", unknown);
      imports.push(text);
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
    });

    return {
      handle: router.handle,
      stats,
      control: {
        expireAllTokens: () => {
          validAfterMs = Date.now() + 1;
        },
        accounts: (dossierId) => accounts.get(dossierId) ?? [],
        imports,
      },
      reset: () => {
        validAfterMs = Date.now() + 1;
        accounts.clear();
        imports.length = 0;
        nextAccountId = 1;
      },
    };
  },
};

/** Constant-time comparison, so the emulator does not teach timing attacks by example. */
function same(actual: string | null | undefined, expected: string): boolean {
  const a = Buffer.from(actual ?? "");
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
