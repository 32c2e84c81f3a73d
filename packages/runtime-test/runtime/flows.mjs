// @ts-check
// Runs inside the runtime under test (Node 20/22, Bun, Deno, workerd): every provider's sandbox flow and the CFONB
// parser, against the built packages (each package's dist/ as it is, resolved through node_modules, or bundled by
// esbuild for workerd). Only web-platform APIs are used here (fetch, File, Blob, ReadableStream, Web Crypto), so the
// same file runs everywhere. The flows mirror examples/aggregator/src/flows/*.ts. Each flow's outcome is recorded,
// never thrown, so one failing provider does not hide the others; the Node test asserts on the returned data and on
// the sandbox's own counters.
import { ApiError } from "@x/core";
import { CfonbParseError, parseCfonb120, parseCfonb120Stream } from "@x/cfonb";
import { createFinapiClient, iterateTransactions } from "@x/finapi";
import { createInqomClient } from "@x/inqom";
import { amountOf, cfonbAccountNumber, formatCfonb120, normalizeIban } from "@x/inqom/cfonb";
import { createOctoberClient } from "@x/october";
import { createOctoberClient as createOctoberMini, getRequest } from "@x/october/mini";
import { createSaltEdgeClient, verifyCallback } from "@x/saltedge/v3";
import { createSfsClient } from "@x/sfs";

/**
 * @typedef {{ url: string, credentials: Record<string, string> }} ProviderTarget
 * @typedef {{
 *   providers: Record<"october" | "sfs" | "finapi" | "inqom" | "saltedge", ProviderTarget>,
 *   callbackRelay: string,
 *   cfonb: { file: string, bad: string },
 *   inqomPath?: string,
 * }} FlowConfig
 * @typedef {{ ok: true, value: any } | { ok: false, error: { name: string, message: string, stack?: string } }} Outcome
 */

/** What runs this script, read from the runtime's own globals (so a run that silently fell back to Node shows). */
export function runtimeInfo() {
  const g = /** @type {any} */ (globalThis);
  if (g.Deno?.version) return { name: "deno", version: String(g.Deno.version.deno) };
  if (g.Bun?.version) return { name: "bun", version: String(g.Bun.version) };
  if (g.navigator?.userAgent === "Cloudflare-Workers") return { name: "workerd", version: "" };
  if (g.process?.versions?.node) return { name: "node", version: String(g.process.versions.node) };
  return { name: "unknown", version: String(g.navigator?.userAgent ?? "") };
}

/** @param {unknown} error */
export function describeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "NonError", message: String(error) };
}

/**
 * @param {() => Promise<any>} flow
 * @returns {Promise<Outcome>}
 */
export async function outcome(flow) {
  try {
    return { ok: true, value: await flow() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/** @param {FlowConfig} config */
export async function runFlows(config) {
  const started = Date.now();
  const results = {
    october: await outcome(() => october(config.providers.october)),
    sfs: await outcome(() => sfs(config.providers.sfs)),
    finapi: await outcome(() => finapi(config.providers.finapi)),
    inqom: await outcome(() => inqom(config.providers.inqom, config.inqomPath)),
    saltedge: await outcome(() => saltedge(config.providers.saltedge, config.callbackRelay)),
    cfonb: await outcome(() => cfonb(config.cfonb)),
  };
  return { runtime: runtimeInfo(), ms: Date.now() - started, results };
}

/**
 * October: static user-id + session-token headers; request, three-step upload, Bank X-Ray polled until ready; the
 * request read again through @x/october/mini.
 */
/** @param {ProviderTarget} target */
async function october({ url, credentials }) {
  const client = createOctoberClient({
    userId: credentials.userId ?? "",
    sessionToken: credentials.sessionToken ?? "",
    baseUrl: url,
  });
  const { request } = await client.unwrap(
    client.POST("/requests", { body: { code: { type: "siren", id: "514673987" } } }),
  );
  const statement = new File(["%PDF-1.7 runtime-test bank statement"], "statement.pdf", { type: "application/pdf" });
  await client.uploadMedium(request.id, statement, { name: "bank_statement" });
  const report = await client.waitForReport(request.id, "bank", { intervalMs: 50, timeoutMs: 10_000 });
  // The mini entry: the client without its method table, the operation as a function.
  const mini = createOctoberMini({
    userId: credentials.userId ?? "",
    sessionToken: credentials.sessionToken ?? "",
    baseUrl: url,
  });
  const read = await getRequest(mini, { id: request.id });
  return { requestId: request.id, score: report.score, miniRead: read.request.id };
}

/** SFS: one platform token, a client token for each of two clients, one revoked and fetched again transparently. */
/** @param {ProviderTarget} target */
async function sfs({ url, credentials }) {
  /** @type {Record<string, number>} */
  const fetched = {};
  const client = createSfsClient({
    apiKey: credentials.apiKey ?? "",
    secret: credentials.secret ?? "",
    baseUrl: url,
    onEvent: (event) => {
      if (event.type === "token.fetched") fetched[event.kind] = (fetched[event.kind] ?? 0) + 1;
    },
  });
  const first = client.forClient(credentials.clientKey ?? "");
  const second = client.forClient(credentials.clientKey2 ?? "");
  /** @param {typeof first} handle */
  const count = async (handle) => {
    const answer = await handle.unwrap(handle.POST("/api/template", { body: { data: { action: "list" } } }));
    // SFS lists are envelopes, `{ templates: [...], code, message }`.
    return "templates" in answer && Array.isArray(answer.templates) ? answer.templates.length : -1;
  };
  const listed = [await count(first), await count(second)];
  await first.revoke();
  listed.push(await count(first));
  return { listed, fetched };
}

/**
 * finAPI: client token -> a new user -> user token -> a web form import -> every transaction page by page -> user
 * deleted; then a process.
 */
/** @param {ProviderTarget} target */
async function finapi({ url, credentials }) {
  const client = createFinapiClient({
    clientId: credentials.clientId ?? "",
    clientSecret: credentials.clientSecret ?? "",
    accessUrl: url,
    processControllerUrl: url,
    webFormUrl: url,
  });
  const created = await client.createUser();
  const user = client.forUser({ userId: created.id, password: created.password });
  let transactions = 0;
  let income = 0;
  try {
    // Access V2 imports a bank connection through a web form; the sandbox's form completes on a POST, as the user's
    // browser would.
    const webForm = await user.importBankConnection({ bankConnectionName: "runtime-test" });
    await (await fetch(webForm.url, { method: "POST", body: new URLSearchParams({ outcome: "COMPLETED" }) })).text();
    await user.waitForWebForm(webForm.id, { intervalMs: 20 });
    for await (const transaction of iterateTransactions(user, { perPage: 20 })) {
      transactions++;
      if (transaction.amount > 0) income += transaction.amount;
    }
  } finally {
    await user.deleteUser();
  }
  const { client: processClient } = await client.startProcess({ clientReference: `runtime-test-${Date.now()}` });
  const { connections } = await processClient.unwrap(processClient.GET("/api/v2/bankConnections"));
  return { transactions, income: Math.round(income * 100) / 100, processConnections: connections.length };
}

const DEMO_IBAN = "FR76 3000 6000 0112 3456 7890 189";

/**
 * Inqom: password-grant token, a CFONB account for a dossier, then a CFONB 120 statement built with the formatter,
 * validated by streaming and uploaded. With `path`, also asks importCfonbFile to read a file path, which needs a
 * file system: the test asserts what each runtime answers.
 * @param {ProviderTarget} target
 * @param {string | undefined} path
 */
async function inqom({ url, credentials }, path) {
  const client = createInqomClient({
    username: credentials.username ?? "",
    password: credentials.password ?? "",
    clientId: credentials.clientId ?? "",
    clientSecret: credentials.clientSecret ?? "",
    baseUrl: url,
    authUrl: `${url}/identity/connect/token`,
  });
  const dossierId = Number((credentials.dossierIds ?? "").split(",")[0]);
  const iban = normalizeIban(DEMO_IBAN);
  let account = "created";
  try {
    await client.createCfonbAccount(dossierId, { iban, bankName: "Runtime test bank" });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    account = "already there";
  }
  const accountNumber = cfonbAccountNumber(iban) ?? iban.slice(-11);
  const today = new Date().toISOString().slice(0, 10);
  const amounts = [-3221, -1070, 9749];
  const movements = amounts.map((units, i) => ({
    bankCode: "30006",
    counterCode: "00001",
    internalOperationCode: "0117",
    interbankOperationCode: "62",
    bookingDate: today,
    valueDate: today,
    label: `RUNTIME TEST ${i + 1}`,
    rejectionReason: "",
    entryNumber: "",
    commissionExemption: "",
    unavailability: "",
    amount: amountOf(units, 2),
    reference: `RT${i + 1}`,
    complements: [{ qualifier: "LIB", information: `RUNTIME MOVEMENT ${i + 1}` }],
  }));
  const file = formatCfonb120([
    {
      bankCode: "30006",
      counterCode: "00001",
      accountNumber,
      currency: "EUR",
      opening: { date: today, amount: amountOf(50_000, 2) },
      closing: {
        date: today,
        amount: amountOf(
          amounts.reduce((sum, u) => sum + u, 50_000),
          2,
        ),
      },
      movements,
    },
  ]);
  const result = await client.importCfonbFile(file, { fileName: "runtime-test.txt" });
  const imported = result.Statements.map((s) => ({
    movements: s.MovementCount,
    opening: s.OpeningBalance,
    closing: s.ClosingBalance,
  }));
  /** @type {Outcome | undefined} */
  const fromPath =
    path === undefined
      ? undefined
      : await outcome(async () => {
          const again = await client.importCfonbFile(path, { fileName: "runtime-test-from-path.txt" });
          return again.Statements.length;
        });
  return { dossierId, accountNumber, account, imported, fromPath };
}

/**
 * Salt Edge: every request signed with the app's RSA key through Web Crypto (the sandbox is started with
 * requireSignature, so an unsigned or badly signed request fails), customer -> login -> transactions page by page,
 * then the signed callback the sandbox sent about the login, verified here with the callback public key. A worker
 * cannot listen for the callback, so the Node test process receives it and relays it as received (bytes and
 * Signature header): verification happens in this runtime.
 * @param {ProviderTarget} target
 * @param {string} relay
 */
async function saltedge({ url, credentials }, relay) {
  const app = createSaltEdgeClient({
    clientId: credentials.clientId ?? "",
    appSecret: credentials.appSecret ?? "",
    privateKey: credentials.privateKey ?? "",
    baseUrl: url,
  });
  const callbackUrl = `${relay}/saltedge/callback`;
  const set = await app.fetch(`${app.baseUrl}/dashboard/callback_url`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: { url: callbackUrl } }),
  });
  if (!set.ok) throw new Error(`could not set the sandbox callback URL (${set.status}: ${await set.text()})`);
  await set.body?.cancel();

  const { data: customer } = await app.unwrap(
    app.POST("/customers", { body: { data: { identifier: `runtime-test-${Date.now()}` } } }),
  );
  const customerClient = app.forCustomer(customer.secret);
  const { data: login } = await customerClient.unwrap(
    customerClient.POST("/login", {
      body: {
        data: {
          country_code: "XF",
          provider_code: "fakebank_simple_xf",
          fetch_type: "recent",
          credentials: { login: "username", password: "secret" },
        },
      },
    }),
  );
  const loginClient = customerClient.forLogin(login.secret ?? "");
  let transactions = 0;
  let total = 0;
  for await (const tx of loginClient.paginate("/transactions")) {
    transactions++;
    total += tx.amount;
  }

  const relayed = await fetch(`${relay}/saltedge/next`);
  if (!relayed.ok) throw new Error(`no callback reached the relay (${relayed.status}: ${await relayed.text()})`);
  const callback = /** @type {{ url: string, body: string, signature: string }} */ (await relayed.json());
  const payload = await verifyCallback(callback, credentials.callbackPublicKey ?? "");
  /** @type {Outcome} */
  const tampered = await outcome(() =>
    verifyCallback(
      { ...callback, body: callback.body.replace(String(payload.data.login_id), "0") },
      credentials.callbackPublicKey ?? "",
    ),
  );

  await app.unwrap(app.DELETE("/customers/{customer_id}", { params: { path: { customer_id: customer.id } } }));
  return {
    loginId: login.id,
    transactions,
    total: Math.round(total * 100) / 100,
    callbackLoginId: payload.data.login_id,
    tamperedRejected: !tampered.ok,
  };
}

/**
 * @x/cfonb on a small file: parsed whole, parsed as a stream (a Blob's ReadableStream, as a fetch body would be),
 * and a broken copy rejected with its problems located by line and column.
 * @param {{ file: string, bad: string }} input
 */
async function cfonb({ file, bad }) {
  const statements = parseCfonb120(file);
  const bytes = parseCfonb120(new TextEncoder().encode(file));
  const streamed = [];
  for await (const statement of parseCfonb120Stream(new Blob([file]).stream())) streamed.push(statement);
  let problems = null;
  try {
    parseCfonb120(bad);
  } catch (error) {
    if (!(error instanceof CfonbParseError)) throw error;
    problems = error.problems.map((p) => ({ line: p.line, column: p.column, field: p.field }));
  }
  return { statements, sameFromBytes: JSON.stringify(bytes) === JSON.stringify(statements), streamed, problems };
}
