#!/usr/bin/env node
// Writes the published part of specs/finapi.yaml (Access V2) and specs/finapi.webform.yaml (Web Form 2.0) from what
// import-published-spec.py read out of finAPI's generated client, keeping each spec's hand-written head (info,
// servers, security, the Process Controller's paths and schemas) as it is in the file.
//
//   python3 packages/finapi/scripts/import-published-spec.py <src> access > /tmp/access.json
//   python3 packages/finapi/scripts/import-published-spec.py <src> webform > /tmp/webform.json
//   node packages/finapi/scripts/write-specs.mjs /tmp/access.json /tmp/webform.json
//   node scripts/generate.mjs finapi
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SOURCE = "github.com/norman-finance/finapi-webform-and-access";

// Operations an account-information app has no use for, left out to keep the operations table (shipped in the
// bundle) small: mandator administration needs a mandator-admin client, the mock/test services are sandbox tooling,
// TPP certificates are uploaded once by hand. Everything else of Access V2 is in the spec.
const LEFT_OUT_TAGS = new Set(["mandator_administration", "mocks_and_tests", "tpp_certificates"]);

const tagName = (tag) => {
  const words = tag.replace(/_/g, " ");
  return words === "tpp credentials" ? "TPP credentials" : words[0].toUpperCase() + words.slice(1);
};

/** Facts that finAPI's generated client keeps only in prose (enum values of some query parameters), and our notes. */
const PARAMETER_NOTES = {
  getAndSearchAllTransactions: {
    view: {
      description:
        "Required. bankView: the transactions as the bank delivered them (a split transaction counts once); " +
        "userView: split transactions as their sub-transactions. The SDK's iterateTransactions defaults to bankView.",
      schema: { type: "string", enum: ["bankView", "userView"] },
    },
    direction: { schema: { type: "string", enum: ["all", "income", "spending"] } },
  },
  getAndSearchAllAccounts: {
    accountTypes: { schema: { type: "array", items: { $ref: "#/components/schemas/AccountType" } } },
  },
};

/**
 * The SDK's method name of each operation (`x-method-name`, see scripts/lib/methods.mjs): `client.<tag>.<name>`.
 * `false`: no method, for the token endpoints (the auth plugins call them) and the Process Controller (its flow in
 * src/process.ts sends the client secret in the body and exchanges a process token once). Operations not named here
 * keep the generator's name (the operationId without the tag's noun).
 */
const METHOD_NAMES = {
  // Access V2
  getToken: false,
  revokeToken: false,
  getAndSearchAllAccounts: "list",
  getDailyBalances: "dailyBalances",
  getAllBankConnections: "list",
  getAndSearchAllBanks: "list",
  getAndSearchAllCategories: "list",
  createCategory: "create",
  getCategory: "get",
  deleteCategory: "delete",
  editCategory: "edit",
  getCashFlows: "cashFlows",
  trainCategorization: "train",
  getAndSearchAllLabels: "list",
  getAndSearchAllNotificationRules: "list",
  getPayments: "list",
  getAndSearchAllPendingTransactions: "list",
  getAndSearchAllSecurities: "list",
  getSecurity: "get",
  getStandingOrders: "list",
  getAllTppCredentials: "list",
  getAndSearchTppAuthenticationGroups: "authenticationGroups",
  getAndSearchAllTransactions: "list",
  getAuthorizedUser: "get",
  deleteAuthorizedUser: "delete",
  editAuthorizedUser: "edit",
  getVerificationStatus: "verificationStatus",
  // Web Form 2.0
  createForBankConnectionImport: "importBankConnection",
  createBankConnectionUpdateTask: "updateBankConnection",
  createForDirectDebitWithAccountId: "createDirectDebit",
  createForPaymentWithAccountId: "createMoneyTransfer",
  createForStandalonePayment: "createStandalonePayment",
  createForStandingOrder: "createStandingOrder",
  getProfiles: "list",
  createProfile: "create",
  getProfile: "get",
  deleteProfile: "delete",
  editProfile: "edit",
  getTranslations: "list",
  createTranslation: "create",
  getTranslation: "get",
  deleteTranslation: "delete",
  getTasks: "list",
  getWebForms: "list",
};

/**
 * finAPI pages a list with the `page` query parameter and answers `{ <items>: [...], paging: { pageCount, ... } }`:
 * such an operation's `x-pagination`, so its method walks every page.
 */
function pagination(op, schemas) {
  if (!op.parameters.some((param) => param.in === "query" && param.name === "page")) return undefined;
  const ref = op.responses["200"]?.content?.["application/json"]?.schema?.$ref;
  const properties = schemas[ref?.slice("#/components/schemas/".length)]?.properties ?? {};
  const arrays = Object.keys(properties).filter((key) => properties[key].type === "array");
  if (properties.paging?.$ref !== "#/components/schemas/Paging" || arrays.length !== 1)
    throw new Error(`${op.operationId} takes a page but its answer is not one list with paging; see pagination().`);
  return { style: "page", items: arrays[0], param: "page", next: "paging.pageCount" };
}

/**
 * Schema changes of ours. finAPI adds error codes over time: a closed enum would make a new code fail validation
 * (and types), so an error's `code` is any string, the published values being the known ones (`ErrorCode`).
 */
function applySchemaNotes(schemas) {
  const details = schemas.ErrorDetails;
  if (details) details.properties.code = { anyOf: [{ $ref: "#/components/schemas/ErrorCode" }, { type: "string" }] };
}

function applyNotes(op) {
  const notes = PARAMETER_NOTES[op.operationId];
  if (!notes) return;
  for (const param of op.parameters) {
    const note = notes[param.name];
    if (note) Object.assign(param, note);
  }
}

/**
 * Stable output: statuses in order, `parameters` dropped when empty; the source file of the operation cited; the
 * SDK's method name and paging.
 */
function tidy(op, tag, module, schemas) {
  op.tags = [tagName(tag)];
  if (op.operationId in METHOD_NAMES) op["x-method-name"] = METHOD_NAMES[op.operationId];
  const paging = pagination(op, schemas);
  if (paging) op["x-pagination"] = paging;
  op["x-source"] = `${SOURCE} src/${module}/api/${tag}_api.py`;
  op.responses = Object.fromEntries(Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b)));
  if (op.parameters.length === 0) delete op.parameters;
  applyNotes(op);
  return op;
}

function importPaths(published, module, keep) {
  const paths = {};
  for (const [route, item] of Object.entries(published.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags[0];
      if (!keep(tag)) continue;
      (paths[route] ??= {})[method] = tidy(op, tag, module, published.schemas);
    }
  }
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
}

/** The schemas the kept operations reach, following $refs. */
function reachable(paths, schemas, extra = []) {
  const seen = new Set();
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== "object") return;
    const ref = value.$ref;
    if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
      const name = ref.slice("#/components/schemas/".length);
      if (!seen.has(name) && schemas[name]) {
        seen.add(name);
        visit(schemas[name]);
      }
    }
    Object.values(value).forEach(visit);
  };
  visit(paths);
  extra.forEach((name) => visit({ $ref: `#/components/schemas/${name}` }));
  return Object.fromEntries([...seen].sort().map((name) => [name, schemas[name]]));
}

function write(file, doc) {
  const text = stringify(doc, { lineWidth: 118, aliasDuplicateObjects: false });
  writeFileSync(file, text);
  const methods = ["get", "put", "post", "delete", "patch"];
  const count = Object.values(doc.paths).reduce((n, item) => n + methods.filter((m) => item[m]).length, 0);
  console.log(
    `${path.relative(root, file)}: ${count} operations, ${Object.keys(doc.components.schemas).length} schemas`,
  );
}

// ---- Access V2 + the Process Controller
{
  const published = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const file = path.join(root, "specs/finapi.yaml");
  const doc = parse(readFileSync(file, "utf8"));
  const processPaths = Object.fromEntries(Object.entries(doc.paths).filter(([route]) => route.startsWith("/api/v1/")));
  const processSchemas = ["ClientReference", "ProcessCreateParams", "Process", "ProcessList", "ProcessAccessToken"];
  const accessPaths = importPaths(published, "finapi_access", (tag) => !LEFT_OUT_TAGS.has(tag));
  // finAPI's token endpoint takes no bearer; every other Access call takes the client or a user token.
  accessPaths["/api/v2/oauth/token"].post.security = [];
  doc.paths = { ...accessPaths, ...processPaths };
  const kept = Object.fromEntries(processSchemas.map((name) => [name, doc.components.schemas[name]]));
  applySchemaNotes(published.schemas);
  doc.components.schemas = { ...reachable(accessPaths, published.schemas, ["ErrorMessage", "ErrorCode"]), ...kept };
  doc.info["x-source"] = `${SOURCE} src/finapi_access (finAPI Access V2, application version 2.38.0)`;
  write(file, doc);
}

// ---- Web Form 2.0
{
  const published = JSON.parse(readFileSync(process.argv[3], "utf8"));
  const file = path.join(root, "specs/finapi.webform.yaml");
  const doc = parse(readFileSync(file, "utf8"));
  doc.paths = importPaths(published, "finapi_web_form", () => true);
  doc.components.schemas = reachable(doc.paths, published.schemas);
  doc.info["x-source"] = `${SOURCE} src/finapi_web_form (finAPI Web Form 2.0)`;
  write(file, doc);
}
