#!/usr/bin/env node
// node scripts/consumer-test.mjs
// Installs the packages the way a user does and uses them the way an app does: `pnpm pack` every publishable package
// (packages/* whose package.json is not private), `npm install` the tarballs with plain npm into a fresh project made
// by `npm init -y` (so CommonJS, like most apps) outside the workspace, then:
//   (a) an ESM app (.mjs), (b) a CommonJS app (.cjs, require) and (c) a TypeScript app compiled by tsc with
//       `module: commonjs` and run by node each start @x/sandbox from its tarball, build a client of every provider,
//       make authenticated calls against the sandbox and assert on the answers, verify a Salt Edge callback the
//       sandbox signed (and refuse it tampered), parse a CFONB 120 file they build, and use @x/token-store-redis with
//       an ioredis client whose Redis is down (the store must fall back to local mode and the call succeed);
//   (d) tsc type-checks a program against every package with moduleResolution node16 (ESM and CJS) and bundler;
//   (e) every dist/*.cjs of the installed packages is searched for require() of anything that is neither a node
//       builtin nor an @x package, and each such dependency, and every declared dependency and peer, is required from
//       CommonJS; where a .cjs reads members of a required module through esbuild's interop, those members must be
//       what an ESM import of the same module gives (the check that would have caught openapi-fetch's `default`).
// Packages are found at run time, so new ones are covered as they land (the apps import every one).
// Env: CONSUMER_TEST_REPORT=<file> writes a JSON report; KEEP_CONSUMER_DIR=1 keeps the temp directory.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { UserError, root, run } from "./lib/repo.mjs";

const exec = promisify(execFile);
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
/** A consumer app that has not finished by then is hung (a socket or timer left open, or a call that never answers). */
const APP_TIMEOUT_MS = 90_000;

/** Runs a command; on failure the error says which command and shows its output, which is what one needs to fix it. */
async function sh(cmd, args, cwd, env = {}) {
  try {
    return await exec(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 });
  } catch (err) {
    const output = `${err.stdout ?? ""}${err.stderr ?? ""}`.trim();
    throw new UserError(
      `\`${cmd === process.execPath ? "node" : path.basename(cmd)} ${args.join(" ")}\` failed in ${cwd}:\n${output}`,
    );
  }
}

export function publishablePackages() {
  const dir = path.join(root, "packages");
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, "package.json")))
    .map((name) => ({
      dir: path.join(dir, name),
      manifest: JSON.parse(readFileSync(path.join(dir, name, "package.json"), "utf8")),
    }))
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true }))
    newest = Math.max(newest, statSync(path.join(dir, String(entry))).mtimeMs);
  return newest;
}

/** Every file a consumer can reach: `main`, `module`, `types` and each leaf of `exports`. */
function entryFiles(manifest) {
  const files = new Set([manifest.main, manifest.module, manifest.types].filter(Boolean));
  const walk = (node) => {
    if (typeof node === "string") files.add(node);
    else if (node && typeof node === "object") Object.values(node).forEach(walk);
  };
  walk(manifest.exports);
  return [...files].filter((f) => !f.endsWith("package.json"));
}

/**
 * `pnpm pack` ships dist/ as it is, so a missing, partial or stale build would test old code: build those first.
 * Partial happens when a build runs meanwhile (tsup empties dist/ before writing the declarations).
 */
async function ensureBuilt(packages) {
  const stale = packages.filter(({ dir, manifest }) => {
    const dist = path.join(dir, "dist");
    if (entryFiles(manifest).some((f) => !existsSync(path.join(dir, f)))) return true;
    return newestMtime(path.join(dir, "src")) > newestMtime(dist);
  });
  if (!stale.length) return [];
  const filters = stale.flatMap(({ manifest }) => ["--filter", manifest.name]);
  await sh("pnpm", [...filters, "run", "build"], root); // pnpm orders the builds by dependency
  return stale.map(({ manifest }) => manifest.name);
}

// ---------------------------------------------------------------------------------------------------------------
// (a)-(c): the app. One source, written three ways: `kind` decides only the module syntax (import / require) and
// whether TypeScript's annotations are written. Each step is one provider (or package) doing real work against the
// sandbox; a step that throws is recorded with what was expected and where it broke, and the others still run.
// ---------------------------------------------------------------------------------------------------------------

/** The steps every app must report as passed, listed here so that an app that skipped one fails the test. */
export const APP_STEPS = [
  "exports",
  "cfonb",
  "sandbox",
  "core",
  "october",
  "sfs",
  "finapi",
  "inqom",
  "saltedge",
  "saltedge-v3",
  "mini",
  "token-store-redis",
];

/** A valid French IBAN (mod-97 checked by the sandbox): bank 30006, counter 00001, CFONB account number 12345678901. */
const DEMO_IBAN = "FR7630006000011234567890189";

const APP_IMPORTS = [
  ["@x/sandbox", ["startSandbox"]],
  ["@x/core", ["AuthenticationError", "createProviderClient", "createTokenCache", "oauth2Auth"]],
  ["@x/october", ["createOctoberClient"]],
  ["@x/sfs", ["createSfsClient"]],
  ["@x/finapi", ["createFinapiClient", "iterateTransactions"]],
  ["@x/inqom", ["createInqomClient"]],
  ["@x/saltedge", ["createSaltEdgeClient", "verifyCallback"]],
  // The v3 entry beside v6: same export names, so the app imports them under aliases.
  ["@x/saltedge/v3", ["createSaltEdgeClient as createSaltEdgeV3Client", "verifyCallback as verifyV3Callback"]],
  // Each provider's mini entry: its factory under the main name (aliased here) and operations as functions.
  ["@x/october/mini", ["createOctoberClient as createOctoberMini", "createRequest", "getRequest"]],
  ["@x/sfs/mini", ["createSfsClient as createSfsMini", "listClients"]],
  ["@x/finapi/mini", ["createFinapiClient as createFinapiMini", "createUser"]],
  ["@x/saltedge/mini", ["createSaltEdgeClient as createSaltEdgeMini", "listCountries"]],
  ["@x/inqom/mini", ["createInqomClient as createInqomMini", "createCfonbAccount"]],
  ["@x/cfonb", ["CfonbParseError", "parseCfonb120"]],
  ["@x/token-store-redis", ["redisTokenStore"]],
  ["ioredis", ["Redis"]],
  ["node:http", ["createServer"]],
];

function appSource(kind, names) {
  const ts = kind === "ts";
  const esm = kind === "esm";
  /** TypeScript-only text (annotations); nothing in the JavaScript apps. */
  const T = (text) => (ts ? text : "");
  const imports = APP_IMPORTS.map(([from, what]) =>
    kind === "cjs"
      ? `const { ${what.map((name) => name.replace(" as ", ": ")).join(", ")} } = require(${JSON.stringify(from)});`
      : `import { ${what.join(", ")} } from ${JSON.stringify(from)};`,
  ).join("\n");
  const load = esm ? "await import(name)" : "require(name)";
  return (
    `// Generated by scripts/consumer-test.mjs: the ${
      kind === "ts" ? "TypeScript (compiled to " + "CommonJS)" : kind === "esm" ? "ESM" : "CommonJS"
    } consumer app.
${imports}

const APP = ${JSON.stringify(kind)};
const PACKAGES = ${JSON.stringify(names)};
const IBAN = ${JSON.stringify(DEMO_IBAN)};
const steps${T(": Array<{ step: string; ok: boolean; ms: number; detail?: string; error?: string }>")} = [];

const show = (value${T(": unknown")}) => (value === undefined ? "undefined" : typeof value === "function" ? "a ` +
    `function" : JSON.stringify(value));
function check(condition${T(": unknown")}, expected${T(": string")}, actual${T(": unknown")})${T(
      ": asserts " + "condition",
    )} {
  if (!condition) throw new Error("expected " + expected + ", got " + show(actual));
}

/** The error's name, code and message, and the first frame inside an installed package: that file is what broke. */
function describeError(error${T(": unknown")})${T(": string")} {
  if (!(error instanceof Error)) return String(error);
  const code = (error${T(" as { code?: unknown }")}).code;
  const frame = (error.stack ?? "").split("\\n").find((line) => line.includes("node_modules"));
  return error.name + (code === undefined ? "" : " [" + String(code) + "]") + ": " + error.message + (frame ? " (" + ` +
    `frame.trim().replace(process.cwd() + "/", "") + ")" : "");
}

async function step(name${T(": string")}, work${T(": () => Promise<string>")}) {
  const started = Date.now();
  try {
    const detail = await work();
    steps.push({ step: name, ok: true, ms: Date.now() - started, detail });
  } catch (error) {
    steps.push({ step: name, ok: false, ms: Date.now() - started, error: describeError(error) });
  }
}

async function waitFor${T("<V>")}(get${T(": () => V | undefined")}, what${T(": string")})${T(": Promise<V>")} {
  for (let i = 0; i < 750; i++) {
    const value = get();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("expected " + what + " within 15 s, got nothing");
}

/** A loopback port nothing listens on (bound, then freed), for a Redis that is down. */
async function closedPort()${T(": Promise<number>")} {
  const server = createServer();
  await new Promise${T("<void>")}((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 1;
}

// A CFONB 120 statement written record by record (not with formatCfonb120), so the parser reads a file it did not make.
const DATE = "150324"; // 15 March 2024, DDMMYY
const pad = (text${T(": string")}, width${T(": number")}) => text.padEnd(width);
const amountField = (units${T(": number")}) => {
  const digits = String(Math.abs(units)).padStart(14, "0");
  return digits.slice(0, 13) + (units < 0 ? "}JKLMNOPQR" : "{ABCDEFGHI")[Number(digits[13])];
};
const balanceRecord = (code${T(": string")}, units${T(": number")}) => code + "30006    00001EUR2 12345678901  " + ` +
    `DATE + " ".repeat(50) + amountField(units) + " ".repeat(16);
// Positions 3–40, the same on a 04 and its 05s.
const movementPrefix = (operation${T(": string")}) => "30006" + operation + "00001EUR2 12345678901" + "62" + DATE;
const movementRecord = (operation${T(": string")}, units${T(": number")}, label${T(": string")}, reference${T(
      ": " + "string",
    )}) =>
  "04" + movementPrefix(operation) + "  " + DATE + pad(label, 31) + "  " + " ".repeat(7) + "  " + amountField(units) ` +
    `+ pad(reference, 16);
const complementRecord = (operation${T(": string")}, units${T(": number")}, information${T(": string")}) => "05" + ` +
    `movementPrefix(operation) + "     " + "LIB" + pad(information, 70) + "  ";
const MOVEMENTS${T(": Array<[string, number, string, string]>")} = [
  ["0117", -3221, "PRLV SEPA ASSURANCE", "REF1"],
  ["0118", -1070, "VIR SEPA ELECTRICITE", "REF2"],
  ["0119", 9749, "VIR SEPA CLIENT DUPONT", "REF3"],
];
const OPENING = 150000;
const CLOSING = MOVEMENTS.reduce((sum, [, units]) => sum + units, OPENING); // 1554.58
function cfonbFile(closing${T(": number")})${T(": string")} {
  const records = [balanceRecord("01", OPENING)];
  for (const [operation, units, label, reference] of MOVEMENTS) {
    records.push(movementRecord(operation, units, label, reference));
    if (units > 0) records.push(complementRecord(operation, units, "FACTURE 2024-0042"));
  }
  records.push(balanceRecord("07", closing));
  for (const record of records) if (record.length !== 120) throw new Error("the app built a " + record.length + ` +
    `"-character CFONB record: " + record);
  return records.join("\\r\\n") + "\\r\\n";
}

async function main() {
  await step("exports", async () => {
    const counts = [];
    for (const name of PACKAGES) {
      const loaded = ${load};
      const keys = Object.keys(loaded).filter((key) => key !== "default");
      check(keys.length > 0, name + " to have exports", keys);
      counts.push(name + " " + keys.length);
    }
    return counts.join(", ");
  });

  // @x/cfonb: the app's file parsed to exact amounts; a file whose balances do not add up refused with a located ` +
    `problem.
  await step("cfonb", async () => {
    const statements = parseCfonb120(cfonbFile(CLOSING));
    check(statements.length === 1, "1 statement", statements.length);
    const [statement] = statements;
    check(statement && statement.bankCode === "30006" && statement.counterCode === "00001" && ` +
    `statement.accountNumber === "12345678901" && statement.currency === "EUR", "bank 30006, counter 00001, ` +
    `account 12345678901, EUR", statement);
    check(statement.opening.date === "2024-03-15" && statement.opening.amount.value === "1500.00" && ` +
    `statement.closing.amount.value === "1554.58", "1500.00 -> 1554.58 on 2024-03-15", [statement.opening, ` +
    `statement.closing]);
    const values = statement.movements.map((movement) => movement.amount.value);
    check(show(values) === show(["-32.21", "-10.70", "97.49"]), "movements of -32.21, -10.70 and 97.49", values);
    check(statement.movements[2]?.amount.units === 9749 && statement.movements[2].amount.decimals === 2, "97.49 as ` +
    `9749 units of 2 decimals", statement.movements[2]?.amount);
    check(statement.movements[0]?.label === "PRLV SEPA ASSURANCE" && statement.movements[0].bookingDate === ` +
    `"2024-03-15" && statement.movements[0].reference === "REF1", "the first movement's label, date and ` +
    `reference", statement.movements[0]);
    check(show(statement.movements[2]?.complements) === show([{ qualifier: "LIB", information: "FACTURE 2024-0042" ` +
    `}]), "the third movement's LIB complement", statement.movements[2]?.complements);
    const refused = (() => {
      try {
        parseCfonb120(cfonbFile(CLOSING + 1));
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    check(
      refused instanceof CfonbParseError && refused.problems.some((problem) => problem.field === "balance" && ` +
    `problem.line > 0),
      "a CfonbParseError with a balance problem for a closing balance 0.01 off",
      refused instanceof CfonbParseError ? refused.problems : refused instanceof Error ? describeError(refused) : ` +
    `"it was accepted",
    );
    return "1 statement, 3 movements (" + values.join(", ") + "), " + statement.opening.amount.value + " -> " + ` +
    `statement.closing.amount.value + "; unbalanced file refused";
  });

  const started = Date.now();
  const sandbox = await startSandbox().catch((error${T(": unknown")}) => {
    steps.push({ step: "sandbox", ok: false, ms: Date.now() - started, error: describeError(error) });
    return undefined;
  });
  if (!sandbox) return;
  steps.push({ step: "sandbox", ok: true, ms: Date.now() - started, detail: "emulators " + ` +
    `Object.keys(sandbox.urls).join(", ") });

  try {
    // @x/core alone: a client-credentials client of the echo emulator, two calls on one token.
    await step("core", async () => {
      const echo = sandbox.provider("echo");
      const before = echo.stats();
      const client = createProviderClient({
        provider: "echo",
        baseUrl: echo.url,
        auth: oauth2Auth({ tokenUrl: echo.url + "/oauth/token", clientId: echo.demoCredentials.clientId, ` +
    `clientSecret: echo.demoCredentials.clientSecret, grant: { type: "client_credentials" } }),
      });
      const bodies = [];
      for (const word of ["hello", "tarball"]) {
        const response = await client.fetch(echo.url + "/echo", { method: "POST", body: word });
        check(response.status === 200, "POST /echo to answer 200", response.status);
        bodies.push(((await response.json())${T(" as { body: string }")}).body);
      }
      check(bodies.join(" ") === "hello tarball", 'the echo of "hello" and "tarball"', bodies);
      const after = echo.stats();
      const tokens = (after.tokensIssued.access ?? 0) - (before.tokensIssued.access ?? 0);
      const requests = after.requests - before.requests;
      check(tokens === 1 && requests === 3, "1 token and 3 requests at the sandbox", { tokens, requests });
      return 'echoed "' + bodies.join(" ") + '" with ' + tokens + " token for " + requests + " requests";
    });

    // October: a request for a company, a bank statement uploaded in three steps, the Bank X-Ray awaited.
    await step("october", async () => {
      const october = sandbox.provider("october");
      const client = createOctoberClient({ userId: october.demoCredentials.userId, sessionToken: ` +
    `october.demoCredentials.sessionToken, baseUrl: october.url });
      const { request } = await client.unwrap(client.POST("/requests", { body: { code: { type: "siren", id: ` +
    `"514673987" } } }));
      check(typeof request.id === "string" && request.id !== "", "POST /requests to return a request id", request);
      const medium = await client.uploadMedium(request.id, new File(["%PDF-1.7 consumer test statement"], ` +
    `"statement.pdf", { type: "application/pdf" }), { name: "bank_statement" });
      check(typeof medium.id === "string" && medium.id !== "", "uploadMedium to return the medium's id", medium);
      const report = await client.waitForReport(request.id, "bank", { intervalMs: 50, timeoutMs: 15_000 });
      check(report.status === "ready" && report.request === request.id && typeof report.score === "string" && ` +
    `/^[A-E]$/.test(report.score), "a ready Bank X-Ray of this request graded A to E", report);
      return "request " + request.id + ", statement uploaded, Bank X-Ray graded " + report.score;
    });

    // SFS: one platform token, a client token for each of two clients, one revoked and fetched again transparently.
    await step("sfs", async () => {
      const sfsHandle = sandbox.provider("sfs");
      const credentials = sfsHandle.demoCredentials;
      const fetched${T(": Record<string, number>")} = {};
      const sfs = createSfsClient({
        apiKey: credentials.apiKey,
        secret: credentials.secret,
        baseUrl: sfsHandle.url,
        onEvent: (event) => {
          if (event.type === "token.fetched") fetched[event.kind] = (fetched[event.kind] ?? 0) + 1;
        },
      });
      const first = sfs.forClient(credentials.clientKey);
      const second = sfs.forClient(credentials.clientKey2);
      const templates = async (handle${T(": typeof first")}) => {
        const list = await handle.unwrap(handle.POST("/api/template", { body: { data: { action: "list" } } }));
        const found = "templates" in list ? list.templates : undefined; // lists are envelopes: { templates: [...] }
        check(Array.isArray(found) && found.length === 1 && JSON.stringify(found).includes("Mutual NDA"), "one ` +
    `template, the Mutual NDA", list);
        return list;
      };
      await templates(first);
      await templates(second);
      await first.revoke();
      await templates(first);
      check(fetched.platform_token === 1 && fetched.client_token === 3, "1 platform token and 3 client tokens (one ` +
    `client revoked, then fetched again)", fetched);
      return "templates listed on 2 clients, 1 client token revoked and renewed; fetched " + show(fetched);
    });

    // finAPI: a user created with the client token, a bank connection imported through a web form, its transactions
    // page by page with a user token, the user deleted;
    // then a Process Controller process whose token is exchanged for an Access call.
    await step("finapi", async () => {
      const finapiHandle = sandbox.provider("finapi");
      const finapi = createFinapiClient({
        clientId: finapiHandle.demoCredentials.clientId,
        clientSecret: finapiHandle.demoCredentials.clientSecret,
        accessUrl: finapiHandle.url,
        processControllerUrl: finapiHandle.url,
        webFormUrl: finapiHandle.url,
      });
      const created = await finapi.createUser();
      check(typeof created.id === "string" && typeof created.password === "string", "createUser to return an id and ` +
    `a password", created.id);
      const user = finapi.forUser({ userId: created.id, password: created.password });
      // Access V2 imports a bank connection through a web form; the sandbox's form completes on a POST, as the
      // user's browser would.
      const webForm = await user.importBankConnection({ bankConnectionName: "consumer" });
      await (await fetch(webForm.url, { method: "POST", body: new URLSearchParams({ outcome: "COMPLETED" }) })).text();
      const imported = await user.waitForWebForm(webForm.id, { intervalMs: 20 });
      check(imported.status === "COMPLETED", "the web form import to complete", imported.status);
      let count = 0;
      let income = 0;
      for await (const transaction of iterateTransactions(user, { perPage: 20 })) {
        count++;
        if (transaction.amount > 0) income += transaction.amount;
      }
      check(count === 45, "45 transactions (the sandbox's default per user) over 3 pages of 20", count);
      await user.deleteUser();
      const { client } = await finapi.startProcess({ clientReference: "consumer-" + APP });
      const { connections } = await client.unwrap(client.GET("/api/v2/bankConnections"));
      check(Array.isArray(connections), "the process user's bankConnections to be a list", connections);
      return count + " transactions (income " + income.toFixed(2) + " EUR), user deleted; process user has " + ` +
    `connections.length + " bank connection(s)";
    });

    // Inqom: a password-grant token, a CFONB account for a dossier, then the app's CFONB 120 file imported into it.
    await step("inqom", async () => {
      const inqomHandle = sandbox.provider("inqom");
      const credentials = inqomHandle.demoCredentials;
      const inqom = createInqomClient({
        username: credentials.username,
        password: credentials.password,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        baseUrl: inqomHandle.url,
        authUrl: inqomHandle.url + "/identity/connect/token",
      });
      const dossierId = Number(credentials.dossierIds.split(",")[0]);
      const account = await inqom.createCfonbAccount(dossierId, { iban: IBAN, bankName: "Consumer test bank" });
      check(account.AccountNumber === "12345678901" && account.DossierId === dossierId, "an account numbered ` +
    `12345678901 in dossier " + dossierId, account);
      const result = await inqom.importCfonbFile(cfonbFile(CLOSING), { fileName: "releve-" + APP + ".txt" });
      const statement = result.Statements[0];
      check(
        result.Statements.length === 1 && statement && statement.AccountNumber === "12345678901" && ` +
    `statement.MovementCount === 3 && statement.OpeningBalance === "1500.00" && statement.ClosingBalance === ` +
    `"1554.58",
        "1 imported statement of account 12345678901 with 3 movements, 1500.00 -> 1554.58",
        result,
      );
      return "account " + account.AccountNumber + " created in dossier " + dossierId + "; imported 1 statement, 3 ` +
    `movements, " + statement.OpeningBalance + " -> " + statement.ClosingBalance;
    });

    // Salt Edge v6 ("@x/saltedge"): App-id + Secret, every request signed (RSA-SHA256, verified by the sandbox),
    // customer -> connect session -> the sandbox bank's login -> signed success callback verified (a tampered copy
    // refused) -> transactions across pages -> customer removed.
    await step("saltedge", async () => {
      const saltedge = sandbox.provider("saltedge");
      const credentials = saltedge.demoCredentials;
      const client = createSaltEdgeClient({ appId: credentials.appId, secret: credentials.secret, privateKey: ` +
    `credentials.privateKey, baseUrl: saltedge.url });
      const received${T(": Array<{ url: string; body: Uint8Array; signature: string | undefined }>")} = [];
      let callbackBase = "";
      const receiver = createServer((req, res) => {
        const chunks${T(": Buffer[]")} = [];
        req.on("data", (chunk${T(": Buffer")}) => chunks.push(chunk));
        req.on("end", () => {
          res.writeHead(200).end();
          const signature = req.headers.signature;
          received.push({ url: callbackBase + "/" + String(req.url).split("/").pop(), body: new ` +
    `Uint8Array(Buffer.concat(chunks)), signature: typeof signature === "string" ? signature : undefined });
        });
      });
      await new Promise${T("<void>")}((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
      const address = receiver.address();
      callbackBase = "http://127.0.0.1:" + (typeof address === "object" && address ? address.port : 0) + ` +
    `"/saltedge/callbacks";
      try {
        const set = await client.fetch(saltedge.url + "/dashboard/callback_url", { method: "PUT", headers: { ` +
    `"content-type": "application/json" }, body: JSON.stringify({ data: { url: callbackBase } }) });
        check(set.status === 200, "PUT /dashboard/callback_url to answer 200", set.status);
        const { data: customer } = await client.unwrap(client.POST("/customers", { body: { data: { identifier: ` +
    `"consumer-test-v6-" + APP } } }));
        const { data: session } = await client.unwrap(client.POST("/connections/connect", { body: { data: { ` +
    `customer_id: customer.id, consent: { scopes: ["accounts", "transactions"] } } } }));
        const login = await fetch(session.connect_url, { method: "POST", body: JSON.stringify({ login: "username", ` +
    `password: "secret" }) });
        check(login.status === 200, "the sandbox bank login to answer 200", login.status);
        const callback = await waitFor(() => received[0], "Salt Edge's success callback");
        const event = await verifyCallback({ kind: "success", ...callback }, credentials.callbackPublicKey);
        check(event.kind === "success" && event.data.stage === "finish" && event.data.customer_id === customer.id, ` +
    `"a verified success callback at stage finish", event);
        const connectionId = event.kind === "success" ? event.data.connection_id : "";
        const text = new TextDecoder().decode(callback.body);
        const tampered = text.replace(connectionId, "1");
        const refused = await verifyCallback({ kind: "success", ...callback, body: tampered }, ` +
    `credentials.callbackPublicKey).then(() => undefined, (error${T(": unknown")}) => error);
        check(refused instanceof AuthenticationError && refused.code === "CallbackSignatureInvalid", ` +
    `"verifyCallback to refuse a tampered body", refused instanceof Error ? describeError(refused) : "it was accepted");
        let count = 0;
        for await (const transaction of client.paginate("/transactions", { connection_id: connectionId })) if ` +
    `(typeof transaction.amount === "number") count++;
        check(count === 44, "44 posted transactions (22 on each of 2 accounts, pages of 10)", count);
        await client.unwrap(client.DELETE("/customers/{customer_id}", { params: { path: { customer_id: customer.id } ` +
    `} }));
        return count + " transactions via signed v6 requests; success callback for connection " + connectionId + ` +
    `" verified, tampered copy refused; customer removed";
      } finally {
        receiver.closeAllConnections();
        await new Promise((resolve) => receiver.close(resolve));
      }
    });

    // Salt Edge v3 ("@x/saltedge/v3"): every request signed with the app's RSA key (the sandbox verifies it),
    // customer -> login -> transactions across pages, and the signed callback about the login verified (and refused
    // once tampered with).
    // The mini entries: each provider's client without its method table, one operation called as a function.
    await step("mini", async () => {
      const done${T(": string[]")} = [];
      const october = sandbox.provider("october");
      const oc = createOctoberMini({ userId: october.demoCredentials.userId, sessionToken: ` +
    `october.demoCredentials.sessionToken, baseUrl: october.url });
      check(!("requests" in oc), "a mini October client without the requests methods", Object.keys(oc));
      const { request } = await createRequest(oc, { code: { type: "siren", id: "514673987" } });
      const read = await getRequest(oc, { id: request.id });
      check(read.request.id === request.id, "getRequest to read the request created", read);
      done.push("october getRequest");
      const sfsHandle = sandbox.provider("sfs");
      const sfs = createSfsMini({ apiKey: sfsHandle.demoCredentials.apiKey, secret: ` +
    `sfsHandle.demoCredentials.secret, baseUrl: sfsHandle.url });
      const clients = await listClients(sfs);
      check(Array.isArray(clients) && clients.length > 0, "listClients to list the platform's clients", clients);
      done.push("sfs listClients");
      const finapiHandle = sandbox.provider("finapi");
      const finapi = createFinapiMini({ clientId: finapiHandle.demoCredentials.clientId, clientSecret: ` +
    `finapiHandle.demoCredentials.clientSecret, accessUrl: finapiHandle.url, processControllerUrl: finapiHandle.url });
      const user = await createUser(finapi, { id: "mini-" + APP, password: "mini-password-1" });
      check(user.id === "mini-" + APP, "createUser to create the user", user);
      done.push("finapi createUser");
      const saltedge = sandbox.provider("saltedge");
      const se = createSaltEdgeMini({ appId: saltedge.demoCredentials.appId, secret: ` +
    `saltedge.demoCredentials.secret, privateKey: saltedge.demoCredentials.privateKey, baseUrl: saltedge.url });
      const countries = await listCountries(se);
      check(Array.isArray(countries) && countries.length > 0, "listCountries to list countries", countries);
      done.push("saltedge listCountries");
      const inqomHandle = sandbox.provider("inqom");
      const ic = inqomHandle.demoCredentials;
      const inqom = createInqomMini({ username: ic.username, password: ic.password, clientId: ic.clientId, ` +
    `clientSecret: ic.clientSecret, baseUrl: inqomHandle.url, authUrl: inqomHandle.url + "/identity/connect/token" });
      const dossierId = Number(ic.dossierIds.split(",").pop());
      const account = await createCfonbAccount(inqom, { dossierId }, { Iban: IBAN, BankName: "Mini bank", ` +
    `IsCfonbControlActive: true });
      check(account.DossierId === dossierId, "createCfonbAccount to open an account in dossier " + dossierId, account);
      done.push("inqom createCfonbAccount");
      return done.join(", ");
    });

    await step("saltedge-v3", async () => {
      const saltedge = sandbox.provider("saltedge-v3");
      const credentials = saltedge.demoCredentials;
      const app = createSaltEdgeV3Client({ clientId: credentials.clientId, appSecret: credentials.appSecret, ` +
    `privateKey: credentials.privateKey, baseUrl: saltedge.url });
      const received${T(": Array<{ url: string; body: Uint8Array; signature: string | undefined }>")} = [];
      let callbackUrl = "";
      const receiver = createServer((req, res) => {
        const chunks${T(": Buffer[]")} = [];
        req.on("data", (chunk${T(": Buffer")}) => chunks.push(chunk));
        req.on("end", () => {
          res.writeHead(200).end();
          const signature = req.headers.signature;
          received.push({ url: callbackUrl, body: new Uint8Array(Buffer.concat(chunks)), signature: typeof signature ` +
    `=== "string" ? signature : undefined });
        });
      });
      await new Promise${T("<void>")}((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
      const address = receiver.address();
      callbackUrl = "http://127.0.0.1:" + (typeof address === "object" && address ? address.port : 0) + ` +
    `"/saltedge/callback";
      try {
        // The sandbox's stand-in for the dashboard's callback URL setting (not part of Salt Edge's API).
        const set = await app.fetch(saltedge.url + "/dashboard/callback_url", { method: "PUT", headers: { ` +
    `"content-type": "application/json" }, body: JSON.stringify({ data: { url: callbackUrl } }) });
        check(set.status === 200, "PUT /dashboard/callback_url to answer 200", set.status);
        const { data: customer } = await app.unwrap(app.POST("/customers", { body: { data: { identifier: ` +
    `"consumer-test-" + APP } } }));
        const customerClient = app.forCustomer(customer.secret);
        const { data: login } = await customerClient.unwrap(
          customerClient.POST("/login", { body: { data: { country_code: "XF", provider_code: "fakebank_simple_xf", ` +
    `fetch_type: "recent", credentials: { login: "username", password: "secret" } } } }),
        );
        check(login.status === "active" && typeof login.secret === "string", "an active login with its secret", ` +
    `login.status);
        const loginClient = customerClient.forLogin(login.secret ?? "");
        let count = 0;
        for await (const transaction of loginClient.paginate("/transactions")) if (typeof transaction.amount === ` +
    `"number") count++;
        check(count === 44, "44 posted transactions (22 on each of 2 accounts, pages of 10)", count);

        const callback = await waitFor(() => received[0], "Salt Edge's callback about the login");
        const payload = await verifyV3Callback(callback, credentials.callbackPublicKey);
        check(payload.data.login_id === login.id && payload.data.customer_id === customer.id, "the verified callback ` +
    `to name login " + login.id, payload.data);
        const text = new TextDecoder().decode(callback.body);
        const tampered = text.replace('"login_id":"' + login.id + '"', '"login_id":"1"');
        check(tampered !== text, "the callback body to carry the login id", text);
        const refused = await verifyV3Callback({ ...callback, body: tampered }, ` +
    `credentials.callbackPublicKey).then(() => undefined, (error${T(": unknown")}) => error);
        check(
          refused instanceof AuthenticationError && refused.code === "CallbackSignatureInvalid",
          "verifyCallback to refuse a tampered body with AuthenticationError CallbackSignatureInvalid (the class ` +
    `@x/core exports)",
          refused instanceof Error ? describeError(refused) : "it was accepted",
        );
        await app.unwrap(app.DELETE("/customers/{customer_id}", { params: { path: { customer_id: customer.id } } }));
        return count + " transactions via signed requests; callback for login " + login.id + " verified, tampered ` +
    `copy refused; customer deleted";
      } finally {
        receiver.closeAllConnections();
        await new Promise((resolve) => receiver.close(resolve));
      }
    });

    // @x/token-store-redis with a real ioredis client whose Redis is down: the store falls back to local mode and the
    // call still gets its token (the README's outage mode). A Redis that answers is covered by the package's own tests.
    await step("token-store-redis", async () => {
      const redis = new Redis({ host: "127.0.0.1", port: await closedPort(), lazyConnect: true, enableOfflineQueue: ` +
    `false, maxRetriesPerRequest: 0, retryStrategy: () => null });
      const redisErrors${T(": string[]")} = [];
      redis.on("error", (error${T(": Error")}) => redisErrors.push(error.message));
      const store = redisTokenStore({ client: redis, prefix: "consumer-test:" + APP + ":" });
      // Read through a function: TypeScript would keep store.mode narrowed to "shared" after the first check.
      const mode = ()${T(": string")} => store.mode;
      try {
        check(mode() === "shared", 'a new store in "shared" mode', mode());
        const echo = sandbox.provider("echo");
        const client = createProviderClient({
          provider: "echo",
          baseUrl: echo.url,
          auth: oauth2Auth({ tokenUrl: echo.url + "/oauth/token", clientId: echo.demoCredentials.clientId, ` +
    `clientSecret: echo.demoCredentials.clientSecret, grant: { type: "client_credentials" } }),
          tokenCache: createTokenCache({ store }),
        });
        const response = await client.fetch(echo.url + "/echo", { method: "POST", body: "redis is down" });
        check(response.status === 200, "POST /echo to answer 200 with Redis down", response.status);
        check(mode() === "local", 'the store in "local" (outage) mode with Redis down', mode());
        await waitFor(() => redisErrors[0], "ioredis to report the refused connection");
        return "ioredis " + redis.status + " (" + redisErrors[0] + "), store fell back to local mode, call answered ` +
    `" + response.status;
      } finally {
        await store.close();
        redis.disconnect();
      }
    });
  } finally {
    await sandbox.close();
  }
}

main().then(
  () => {
    console.log(JSON.stringify({ app: APP, node: process.version, steps }));
    process.exitCode = steps.every((s) => s.ok) ? 0 : 1;
  },
  (error${T(": unknown")}) => {
    steps.push({ step: "app", ok: false, ms: 0, error: describeError(error) });
    console.log(JSON.stringify({ app: APP, node: process.version, steps }));
    process.exitCode = 1;
  },
);
`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// (d): type-checks of every package's declarations under the module resolutions users have.
// ---------------------------------------------------------------------------------------------------------------

/** Touches every package's types (a namespace import per package) and uses core and sandbox the way users do. */
const tsProgram = (names, cjs) =>
  `${names.map((name, i) => `import * as pkg${i} from "${name}";`).join("\n")}
import { createProviderClient, oauth2Auth, ApiError, type SharedClientOptions } from "@x/core";
import { startSandbox, type Sandbox } from "@x/sandbox";

export const packages = [${names.map((_, i) => `pkg${i}`).join(", ")}] as const;

interface Paths {
  "/echo": { post: { responses: { 200: { content: { "application/json": { body: string } } } } } };
}

export interface AcmeOptions extends SharedClientOptions {
  clientId: string;
  clientSecret: string;
}

export async function echoOnce(sandbox: Sandbox, options: AcmeOptions): Promise<string> {
  const baseUrl = sandbox.urls.echo ?? "";
  const client = createProviderClient<Paths>({
    ...options,
    provider: "acme",
    baseUrl,
    auth: oauth2Auth({ tokenUrl: baseUrl + "/oauth/token", clientId: options.clientId, clientSecret: ` +
  `options.clientSecret, grant: { type: "client_credentials" } }),
  });
  const data = await client.unwrap(client.POST("/echo", {}));
  return data.body;
}

export async function main(): Promise<number> {
  const sandbox = await startSandbox({ providers: ["echo"] });
  try {
    return (await echoOnce(sandbox, { clientId: "a", clientSecret: "b" })).length;
  } catch (error) {
    return error instanceof ApiError ? error.status : -1;
  } finally {
    await sandbox.close();
  }
}
${
  cjs
    ? "// Compiled as CommonJS (.cts): resolves each package's `require` types (index.d.cts).\n"
    : "// Compiled as " + "ESM (.mts): resolves each package's `import` types (index.d.ts).\n"
}`;

const commonCompilerOptions = {
  target: "es2022",
  lib: ["es2022", "dom", "dom.iterable"],
  strict: true,
  // Checking every .d.ts (@types/node included) costs four times as long; each package's own lint already runs
  // attw on its declarations, and every declaration these programs reach is still resolved and used here.
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [path.join(root, "node_modules", "@types")],
};

const tsconfig = (resolution, files) =>
  JSON.stringify(
    {
      compilerOptions: {
        ...(resolution === "node16"
          ? { module: "node16", moduleResolution: "node16" }
          : { module: "esnext", moduleResolution: "bundler" }),
        ...commonCompilerOptions,
        noEmit: true,
      },
      files,
    },
    null,
    2,
  );

/**
 * What a NestJS-style app has: `module: commonjs` (so node10 resolution: `main` and `types`), emitted and run by node.
 */
const tsconfigCommonjs = (files, outDir) =>
  JSON.stringify(
    { compilerOptions: { module: "commonjs", esModuleInterop: true, ...commonCompilerOptions, outDir }, files },
    null,
    2,
  );

// ---------------------------------------------------------------------------------------------------------------
// (e): the CommonJS builds' own dependencies.
// ---------------------------------------------------------------------------------------------------------------

const packageNameOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Reads every installed dist/*.cjs: each `require()` of a module that is neither a node builtin nor an @x package
 * (with the members the file reads from it, and whether esbuild's interop runs in node mode, where `default` is
 * `module.exports` whatever `__esModule` says), and each third-party module esbuild bundled in (its `// path`
 * comments).
 */
function scanCjsBuilds(app, names) {
  const required = [];
  const bundled = [];
  const declared = [];
  for (const name of names) {
    const dir = path.join(app, "node_modules", ...name.split("/"));
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    for (const [field, deps] of [
      ["dependency", manifest.dependencies],
      ["peer", manifest.peerDependencies],
    ]) {
      for (const dependency of Object.keys(deps ?? {}))
        if (!dependency.startsWith("@x/")) declared.push({ package: name, dependency, as: field });
    }
    const files = readdirSync(path.join(dir, "dist"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".cjs"));
    for (const file of files) {
      const text = readFileSync(path.join(dir, "dist", file), "utf8");
      const where = `dist/${file.split(path.sep).join("/")}`;
      for (const specifier of new Set([...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))) {
        if (isBuiltin(specifier) || specifier.startsWith("@x/") || specifier.startsWith(".")) continue;
        const binding = new RegExp(
          `(?:var|let|const) (\\w+) = (__toESM\\()?require\\(["']${escapeRegExp(specifier)}["']\\)(, 1\\))?`,
        ).exec(text);
        const members = binding
          ? [...new Set([...text.matchAll(new RegExp(`\\b${binding[1]}\\.(\\w+)`, "g"))].map((m) => m[1]))]
          : [];
        required.push({
          package: name,
          file: where,
          specifier,
          dependency: packageNameOf(specifier),
          interop: binding?.[2] ? (binding[3] ? "node" : "babel") : "none",
          members,
        });
      }
      const seen = new Set();
      for (const [, source] of text.matchAll(/^\/\/ (\S*node_modules\/\S+)$/gm)) {
        const dependency = packageNameOf(source.slice(source.lastIndexOf("node_modules/") + "node_modules/".length));
        if (seen.has(dependency)) continue;
        seen.add(dependency);
        bundled.push({
          package: name,
          file: where,
          dependency,
          from: source.replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, ""),
        });
      }
    }
  }
  return { required, bundled, declared };
}

/**
 * The CommonJS probe: requires each dependency from the package that depends on it (as Node would resolve it there)
 * and, for each required module, rebuilds what the .cjs sees through esbuild's interop and compares every member
 * it reads with what an ESM import of the same module gives.
 */
const depsProbe = (app, scan) =>
  `const { createRequire } = require("node:module");
const path = require("node:path");
const scan = ${JSON.stringify(scan)};
const app = ${JSON.stringify(app)};
const fromPackage = (name) => createRequire(path.join(app, "node_modules", name, "package.json"));
// Whether a dependency, as the package resolves it, ships TypeScript types: a declaration file beside the module it
// resolves to (index.cjs -> index.d.cts), or types named in its package.json.
const typesOf = (name, dependency) => {
  const fs = require("node:fs");
  const file = fromPackage(name).resolve(dependency);
  if (fs.existsSync(file.replace(/\\.(c|m)?js$/, (_, kind) => ".d." + (kind || "") + "ts"))) return true;
  let dir = path.dirname(file);
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  return Boolean(manifest.types || manifest.typings || JSON.stringify(manifest.exports || {}).includes('"types"'));
};
// esbuild's __toESM: in node mode (an ESM-typed package's CJS build) default is module.exports, whatever __esModule ` +
  `says.
const interop = (mod, mode) => {
  if (mode === "none") return mod;
  const namespace = Object.create(mod == null ? null : Object.getPrototypeOf(mod));
  if (mode === "node" || !mod || !mod.__esModule) namespace.default = mod;
  for (const key of mod == null ? [] : Object.getOwnPropertyNames(mod)) if (!(key in namespace)) namespace[key] = ` +
  `mod[key];
  return namespace;
};
const kind = (value) => (value === null ? "null" : typeof value);
const aKind = (value) => (/^[aeiou]/.test(kind(value)) ? "an " : "a ") + kind(value);
const failure = (error) => (error instanceof Error ? error.name + ": " + error.message.split("\\n")[0] : String(error));
(async () => {
  const result = { required: [], declared: [] };
  for (const entry of scan.required) {
    const row = { ...entry, ok: true, problems: [] };
    try {
      const req = fromPackage(entry.package);
      const cjs = interop(req(entry.specifier), entry.interop);
      // The app's ESM resolution of the same module (npm hoists it, so it is the copy the package gets).
      const esm = await import(entry.specifier);
      for (const member of entry.members) {
        if (cjs[member] === undefined) row.problems.push(entry.file + " reads ." + member + " of require(" + ` +
  `JSON.stringify(entry.specifier) + "), which is undefined from CommonJS");
        else if (esm[member] !== undefined && kind(esm[member]) !== kind(cjs[member]))
          row.problems.push(entry.file + " reads ." + member + " of require(" + JSON.stringify(entry.specifier) + ") ` +
  `through esbuild's " + entry.interop + "-mode interop: " + aKind(cjs[member]) + " from CommonJS, but " + ` +
  `aKind(esm[member]) + " from an ESM import");
      }
    } catch (error) {
      row.problems.push("require(" + JSON.stringify(entry.specifier) + ") from " + entry.package + " threw " + ` +
  `failure(error));
    }
    row.ok = row.problems.length === 0;
    result.required.push(row);
  }
  for (const entry of scan.declared) {
    const row = { ...entry, ok: true };
    try {
      const mod = fromPackage(entry.package)(entry.dependency);
      row.exports = mod == null ? 0 : Object.keys(mod).length + (typeof mod === "function" ? 1 : 0);
      // A dependency for types alone (the package's .d.ts import its declarations; no build of it requires it, as
      // openapi-typescript-helpers for @x/core) has nothing to export at run time: it must resolve and ship types.
      const required = scan.required.some((r) => r.package === entry.package && r.specifier === entry.dependency);
      if (!row.exports && !required && typesOf(entry.package, entry.dependency)) row.typesOnly = true;
      else if (!row.exports) throw new Error("require() gave a module without exports");
    } catch (error) {
      row.ok = false;
      row.error = "require(" + JSON.stringify(entry.dependency) + ") from " + entry.package + " failed: " + ` +
  `failure(error);
    }
    result.declared.push(row);
  }
  console.log(JSON.stringify(result));
})();
`;

// ---------------------------------------------------------------------------------------------------------------

/** Runs one consumer app; its failures come back as lines that name the app, the step and what was expected. */
async function runApp(label, args, cwd) {
  let stdout = "";
  let stderr = "";
  let code = 0;
  try {
    ({ stdout, stderr } = await exec(process.execPath, args, {
      cwd,
      timeout: APP_TIMEOUT_MS,
      killSignal: "SIGKILL",
      maxBuffer: 32 * 1024 * 1024,
    }));
  } catch (err) {
    ({ stdout = "", stderr = "" } = err);
    code = err.killed ? "timeout" : err.code;
  }
  const line = stdout
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  let result;
  try {
    result = JSON.parse(line ?? "");
  } catch {
    const why =
      code === "timeout"
        ? `did not finish within ${APP_TIMEOUT_MS / 1000} s (a call that never answered, or a socket or timer that ` +
          `kept it alive)`
        : `exited with ${code} without its JSON result`;
    return {
      result: { app: label, steps: [] },
      failures: [`${label} app (node ${args.join(" ")}) ${why}:\n${`${stdout}${stderr}`.trim()}`],
    };
  }
  const failures = result.steps.filter((s) => !s.ok).map((s) => `${label} app, ${s.step}: ${s.error}`);
  const ran = new Set(result.steps.map((s) => s.step));
  const missing = APP_STEPS.filter((s) => !ran.has(s));
  if (missing.length && !failures.length) failures.push(`${label} app skipped ${missing.join(", ")}`);
  if (!failures.length && code !== 0)
    failures.push(`${label} app passed every step but exited with ${code}:\n${stderr.trim()}`);
  return { result, failures };
}

async function main() {
  const started = Date.now();
  const step = (label) => console.log(`consumer-test: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const packages = publishablePackages();
  if (!packages.length) throw new UserError("no publishable package under packages/");
  const names = packages.map(({ manifest }) => manifest.name);
  // What an app can import: each package and each of its subpath entries (`@x/inqom/cfonb`).
  const entries = packages.flatMap(({ manifest }) => [
    manifest.name,
    ...Object.keys(manifest.exports ?? {})
      .filter((key) => key !== "." && key !== "./package.json" && !key.includes("*"))
      .map((key) => manifest.name + key.slice(1)),
  ]);
  for (const required of [
    "@x/core",
    "@x/sandbox",
    // A subpath entry ("@x/saltedge/v3") needs its package.
    ...APP_IMPORTS.map(([name]) => name.split("/").slice(0, 2).join("/")).filter((name) => name.startsWith("@x/")),
  ]) {
    if (!names.includes(required))
      throw new UserError(`${required} is not publishable (private or missing); the consumer test needs it`);
  }
  console.log(`consumer-test: publishable packages: ${names.join(", ")}`);

  const rebuilt = await ensureBuilt(packages);
  if (rebuilt.length) step(`built ${rebuilt.join(", ")} (dist was missing or older than src)`);

  const work = await mkdtemp(path.join(os.tmpdir(), "x-consumer-"));
  const report = { packages: names, dir: work, checks: {} };
  try {
    const tarballDir = path.join(work, "tarballs");
    const app = path.join(work, "app");
    await mkdir(app, { recursive: true });
    const tarballs = await Promise.all(
      packages.map(async ({ dir }) => {
        const { stdout } = await sh("pnpm", ["pack", "--pack-destination", tarballDir], dir);
        return stdout.trim().split("\n").pop().trim();
      }),
    );
    step(`packed ${tarballs.map((t) => path.basename(t)).join(", ")}`);

    // A project as `npm init -y` makes it: no "type", so .js files are CommonJS (the TypeScript app's output is).
    await sh("npm", ["init", "-y", "--loglevel=error"], app);
    const initialized = JSON.parse(readFileSync(path.join(app, "package.json"), "utf8"));
    if (initialized.type !== undefined && initialized.type !== "commonjs")
      throw new UserError(
        `npm init -y made a package.json of type ${initialized.type}; the CommonJS app needs a CommonJS project`,
      );
    // Plain npm, like a user: workspace links cannot help here. The @x packages come from the tarballs, their
    // third-party dependencies and peers (openapi-fetch, ioredis) from the registry or npm's cache.
    await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs], app);
    for (const [i, name] of names.entries()) {
      const installedDir = path.join(app, "node_modules", ...name.split("/"));
      const installed = JSON.parse(readFileSync(path.join(installedDir, "package.json"), "utf8"));
      const missing = entryFiles(installed).filter((f) => !existsSync(path.join(installedDir, f)));
      if (missing.length)
        throw new UserError(
          `${name}: the tarball lacks ${missing.join(", ")}, which its package.json points to; check "files" and the ` +
            `build`,
        );
      if (installed.version !== packages[i].manifest.version)
        throw new UserError(`${name}: installed ${installed.version}, packed ${packages[i].manifest.version}`);
      for (const [dep, range] of Object.entries(installed.dependencies ?? {})) {
        if (String(range).startsWith("workspace:"))
          throw new UserError(
            `${name}: the tarball still depends on ${dep}@${range}; pack with pnpm so workspace: ranges are replaced`,
          );
      }
    }
    const lock = JSON.parse(readFileSync(path.join(app, "package-lock.json"), "utf8"));
    const fromRegistry = Object.entries(lock.packages ?? {}).filter(
      ([p, info]) => /node_modules\/@x\//.test(p) && String(info.resolved ?? "").startsWith("http"),
    );
    if (fromRegistry.length)
      throw new UserError(
        `npm fetched @x packages from a registry instead of the tarballs: ${fromRegistry.map(([p]) => p).join(", ")}`,
      );
    if (!existsSync(path.join(app, "node_modules", "ioredis", "package.json")))
      throw new UserError("npm did not install ioredis (the peer of @x/token-store-redis) into the app");
    step(`npm installed ${names.length} tarball(s) into a CommonJS project (npm init -y) at ${app}`);

    // Everything below is independent: apps, type-checks and the dependency probe run side by side.
    await writeFile(path.join(app, "esm-app.mjs"), appSource("esm", entries));
    await writeFile(path.join(app, "cjs-app.cjs"), appSource("cjs", entries));
    await writeFile(path.join(app, "ts-app.ts"), appSource("ts", entries));
    await writeFile(path.join(app, "tsconfig.commonjs.json"), tsconfigCommonjs(["ts-app.ts"], "ts-out"));
    await writeFile(path.join(app, "consumer.mts"), tsProgram(entries, false));
    await writeFile(path.join(app, "consumer-cjs.cts"), tsProgram(entries, true));
    await writeFile(path.join(app, "tsconfig.node16.json"), tsconfig("node16", ["consumer.mts", "consumer-cjs.cts"]));
    await writeFile(path.join(app, "tsconfig.bundler.json"), tsconfig("bundler", ["consumer.mts"]));
    const scan = scanCjsBuilds(app, names);
    await writeFile(path.join(app, "deps-probe.cjs"), depsProbe(app, scan));

    // Settled, not all: a type error in the TypeScript app must not hide what the other apps found.
    const failures = [];
    const message = (error) => (error instanceof Error ? error.message : String(error));
    const [esmApp, cjsApp, tsApp, types, deps] = await Promise.allSettled([
      runApp("esm", ["esm-app.mjs"], app),
      runApp("cjs", ["cjs-app.cjs"], app),
      (async () => {
        await sh(process.execPath, [tsc, "-p", "tsconfig.commonjs.json"], app);
        const emitted = readFileSync(path.join(app, "ts-out", "ts-app.js"), "utf8");
        if (!/require\("@x\/sfs"\)/.test(emitted))
          throw new UserError(
            "tsc (module commonjs) did not emit require() calls for ts-app.ts; the TypeScript app would not test the " +
              "CommonJS builds",
          );
        return runApp("ts", [path.join("ts-out", "ts-app.js")], app);
      })(),
      Promise.all(
        ["node16", "bundler"].map((resolution) =>
          sh(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], app),
        ),
      ),
      sh(process.execPath, ["deps-probe.cjs"], app).then(({ stdout }) => JSON.parse(stdout)),
    ]);

    report.checks.apps = {};
    for (const [label, what, outcome] of [
      ["esm", "(a) ESM app (esm-app.mjs, import)", esmApp],
      ["cjs", "(b) CommonJS app (cjs-app.cjs, require)", cjsApp],
      ["ts", "(c) TypeScript app (ts-app.ts, tsc module commonjs, run as ts-out/ts-app.js)", tsApp],
    ]) {
      if (outcome.status === "rejected") {
        failures.push(`${label} app: ${message(outcome.reason)}`);
        step(`${what}: FAILED before it ran`);
        continue;
      }
      const { result, failures: failed } = outcome.value;
      report.checks.apps[label] = result;
      failures.push(...failed);
      const passed = result.steps.filter((s) => s.ok).map((s) => s.step);
      step(
        `${what}: ${failed.length ? "FAILED" : "passed"} ${passed.length}/${APP_STEPS.length} ` +
          `steps${passed.length ? ` (${passed.join(", ")})` : ""}`,
      );
      if (label === "cjs" && !failed.length)
        for (const s of result.steps) console.log(`consumer-test:     ${s.step}: ${s.detail} [${s.ms} ms]`);
    }
    if (types.status === "rejected") {
      failures.push(`(d) ${message(types.reason)}`);
      step("(d) tsc: FAILED");
    } else {
      report.checks.types = {
        node16: names,
        bundler: names,
        ...(tsApp.status === "fulfilled" ? { commonjs: names } : {}),
      };
      step(
        `(d) tsc: ${names.length} package(s) type-check with moduleResolution node16 (ESM and CJS) and ` +
          `bundler${tsApp.status === "fulfilled" ? ", and the TypeScript app with module commonjs" : ""}`,
      );
    }

    if (deps.status === "rejected") {
      failures.push(`(e) the dependency probe failed: ${message(deps.reason)}`);
      step("(e) CommonJS builds: FAILED");
    } else {
      const { required, declared } = deps.value;
      report.checks.dependencies = { required, bundled: scan.bundled, declared };
      for (const row of required) failures.push(...row.problems.map((problem) => `(e) ${row.package}: ${problem}`));
      for (const row of declared) if (!row.ok) failures.push(`(e) ${row.error}`);
      const requiredText = required.length
        ? `require() of ${required
            .map(
              (r) =>
                `${r.dependency} (${r.package} ${r.file}, ` +
                `reads ${r.members.join(", ") || "nothing"})${r.ok ? "" : " FAILED"}`,
            )
            .join(", ")}`
        : "no require() of a third-party module in any dist/*.cjs";
      const bundledText = scan.bundled.length
        ? `bundled (run by the apps): ${scan.bundled
            .map((b) => `${b.dependency} ` + `in ${b.package} ${b.file}`)
            .join(", ")}`
        : "nothing bundled";
      const declaredText = declared
        .map(
          (d) =>
            `${d.dependency} (${d.as} of ${d.package}${d.typesOnly ? ", types only" : ""})${d.ok ? "" : " FAILED"}`,
        )
        .join(", ");
      step(
        `(e) CommonJS builds: ${requiredText}; ${bundledText}; required from CommonJS: ${
          declaredText || "none " + "declared"
        }`,
      );
    }

    if (failures.length) {
      const keep = process.env.KEEP_CONSUMER_DIR
        ? ""
        : "\n(KEEP_CONSUMER_DIR=1 keeps the apps and their install to rerun them by hand)";
      throw new UserError(`${failures.length} failure(s):\n${failures.map((f) => `  - ${f}`).join("\n")}${keep}`);
    }
    console.log(`consumer-test: OK, ${names.length} package(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    if (process.env.CONSUMER_TEST_REPORT)
      await writeFile(process.env.CONSUMER_TEST_REPORT, JSON.stringify(report, null, 2));
    if (process.env.KEEP_CONSUMER_DIR) console.log(`consumer-test: kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

await run("consumer-test", main);
