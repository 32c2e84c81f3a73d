// The operation methods of a spec, grouped by tag (`client.transactions.list(...)`), and the named schema types: what
// scripts/generate.mjs writes to src/generated/{methods,types}.ts. Every problem is one UserError naming the spec.
import { UserError } from "./repo.mjs";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Members of a core client a tag must not shadow. */
const CLIENT_MEMBERS = new Set([
  ...HTTP_METHODS.map((m) => m.toUpperCase()),
  "request",
  "use",
  "eject",
  "provider",
  "baseUrl",
  "runtime",
  "auth",
  "plugins",
  "fetch",
  "withOptions",
  "unwrap",
  "revoke",
  "then",
  "constructor",
  "toString",
  "toJSON",
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Global types a schema's named type must not shadow. */
const GLOBAL_NAMES = new Set(
  (
    "Error Request Response Headers URL Blob File FormData Date Object Array Map Set Promise Record Symbol Function " +
    "String Number Boolean Event ReadableStream AbortSignal Partial Required Readonly Pick Omit"
  ).split(" "),
);

/** "Bank connections" -> "bankConnections", "TPP credentials" -> "tppCredentials". */
export function camelCase(text) {
  const words = String(text)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words
    .map((word, i) => {
      const lower = /^[A-Z0-9]+$/.test(word) ? word.toLowerCase() : word[0].toLowerCase() + word.slice(1);
      return i === 0 ? lower : lower[0].toUpperCase() + lower.slice(1);
    })
    .join("");
}

const pascalCase = (text) => {
  const camel = camelCase(text);
  return camel && camel[0].toUpperCase() + camel.slice(1);
};

/** Resolves a local `$ref` ("#/components/schemas/X") in the document. */
function deref(doc, node) {
  for (let seen = 0; node && typeof node.$ref === "string" && seen < 20; seen++) {
    node = node.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((value, key) => value?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node;
}

/** The method name of an operation: its `x-method-name`, or its operationId without the tag's noun at the end. */
function methodName(op, tagName) {
  if (typeof op["x-method-name"] === "string") return op["x-method-name"];
  const id = op.operationId;
  const tag = pascalCase(tagName);
  for (const noun of [tag, tag.replace(/s$/, "")]) {
    if (noun && id.endsWith(noun) && id.length > noun.length) return id.slice(0, -noun.length);
  }
  return id;
}

const isJson = (type) => /^application\/(.+\+)?json$/.test(type);

/** The success answer's schema (2xx, JSON), resolved. */
function successSchema(doc, op) {
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (!/^2/.test(status)) continue;
    const content = deref(doc, response)?.content ?? {};
    const type = Object.keys(content).find(isJson);
    if (type) return deref(doc, content[type].schema);
  }
  return undefined;
}

/** How a success answer that is not JSON is read: `text` for text/*, `blob` for files; nothing for JSON or none. */
function answerParsing(doc, op) {
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (!/^2/.test(status)) continue;
    const types = Object.keys(deref(doc, response)?.content ?? {});
    if (!types.length || types.some(isJson)) return undefined;
    return types.every((type) => type.startsWith("text/")) ? "text" : "blob";
  }
  return undefined;
}

/**
 * What the pipeline knows of an operation (core's `Operation`): its operationId, and whether it is safe to repeat.
 * `x-idempotent: true` marks the whole operation, unless `x-action` names the only actions that are (SFS's POST
 * /api/template lists and reads, but also creates): then just those.
 */
export function operationFacts(op) {
  const facts = {};
  if (typeof op.operationId === "string") facts.operationId = op.operationId;
  if (op["x-idempotent"] === true) {
    const actions = [op["x-action"]].flat().filter((a) => typeof a === "string");
    if (actions.length) facts.idempotentActions = actions;
    else facts.idempotent = true;
  }
  return facts;
}

const hasProperty = (doc, schema, key) => Boolean(deref(doc, schema)?.properties?.[key]);

/** Words an operation's function cannot be named (JavaScript's reserved words), and the names the modules import. */
const UNUSABLE_NAMES = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval " +
    "defineOperation operations methods Methods OperationFunction MethodTable OperationMethod"
  ).split(" "),
);

/** The exported name of an operation's function: its operationId, checked. */
function functionName(specName, id, where) {
  if (!IDENTIFIER.test(id) || UNUSABLE_NAMES.has(id))
    throw new UserError(
      `specs/${specName}.yaml: ${where}: operationId "${id}" cannot name its function; use a camelCase identifier.`,
    );
  return id;
}

/**
 * Every operation with an operationId as a method: { tag: { name: { method, route, op, fn, summary, spec, traits,
 * level } } }, checked for collisions, paging, envelopes and a function name; `summary` is the one-line doc comment
 * both generated modules give it.
 */
export function collectMethods(specName, doc) {
  const fail = (message) => {
    throw new UserError(`specs/${specName}.yaml: ${message}`);
  };
  const tagNames = new Map((doc.tags ?? []).map((tag) => [tag.name, tag["x-name"] ?? camelCase(tag.name)]));
  const envelope = doc["x-envelope"];
  const tags = {};
  const owners = new Map();
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item?.[method];
      // `x-method-name: false`: no method (a token endpoint the auth plugin calls, a browser redirect).
      if (!op || typeof op.operationId !== "string" || op["x-method-name"] === false) continue;
      const where = `${method.toUpperCase()} ${route}`;
      const tagName = op.tags?.[0];
      if (!tagName) fail(`${where} has no tag; methods are grouped by the first tag.`);
      const tag = tagNames.get(tagName) ?? camelCase(tagName);
      if (!IDENTIFIER.test(tag) || CLIENT_MEMBERS.has(tag))
        fail(`tag "${tagName}" makes the client member "${tag}", which is taken or invalid; give the tag an x-name.`);
      const name = methodName(op, tagName);
      if (!IDENTIFIER.test(name)) fail(`${where}: method name "${name}" is not an identifier; set x-method-name.`);
      const key = `${tag}.${name}`;
      if (owners.has(key)) fail(`${owners.get(key)} and ${where} both make ${key}; give one an x-method-name.`);
      owners.set(key, where);

      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(doc, p));
      const named = parameters.filter((p) => p?.in === "path" || p?.in === "query").map((p) => p.name);
      const paging = op["x-pagination"];
      if (paging) {
        const { style, items, param, next } = paging;
        if (!["page", "cursor", "offset"].includes(style) || ![items, param, next].every((v) => typeof v === "string"))
          fail(`${where}: x-pagination needs style (page, cursor or offset), items, param and next.`);
        if (!named.includes(param)) fail(`${where}: x-pagination.param "${param}" is not a query parameter.`);
      }
      const params = named.filter((n) => n !== paging?.param);
      const body = op.requestBody ? deref(doc, op.requestBody) : undefined;
      const contentType = body && Object.keys(body.content ?? {})[0];
      // The operation's facts first: a function called with a client that has no operations table brings its own.
      const spec = operationFacts(op);
      if (body) spec.args = params.length ? "params+body" : "body";
      else if (!params.length) spec.args = "none";
      if (contentType && !isJson(contentType)) spec.contentType = contentType;
      const parseAs = answerParsing(doc, op);
      if (parseAs) spec.parseAs = parseAs;
      if (envelope) {
        const answer = successSchema(doc, op);
        const bodySchema = body && contentType && isJson(contentType) ? body.content[contentType].schema : undefined;
        if ((answer && !hasProperty(doc, answer, envelope)) || (bodySchema && !hasProperty(doc, bodySchema, envelope)))
          fail(`${where}: the spec's x-envelope "${envelope}" is missing from its body or answer.`);
        spec.envelope = envelope;
      }
      if (paging) spec.paging = { style: paging.style, items: paging.items, param: paging.param, next: paging.next };
      const traits = {};
      if (envelope && !paging) traits.envelope = envelope;
      if (paging) Object.assign(traits, { items: paging.items, pageParam: paging.param });
      const fn = functionName(specName, op.operationId, where);
      const title = doc1(op.summary);
      const summary = `${title ? `${title}: ` : ""}\`${where}\`${traits.items ? ", every page" : ""}.`;
      const entry = { method: method.toUpperCase(), route, op, fn, summary, spec, traits, level: op["x-level"] };
      (tags[tag] ??= {})[name] = entry;
    }
  }
  return tags;
}

/** Path template -> method -> `x-level`, for every operation that has one. */
function pathLevels(doc) {
  const levels = {};
  for (const [route, item] of Object.entries(doc.paths ?? {}))
    for (const method of HTTP_METHODS)
      if (typeof item?.[method]?.["x-level"] === "string") (levels[route] ??= {})[method] = item[method]["x-level"];
  return levels;
}

const doc1 = (text) =>
  String(text ?? "")
    .split("\n")[0]
    .replace(/\*\//g, "*\\/")
    .trim();

/** The `{ items; pageParam; envelope }` traits of a method as a type argument (empty when it has none). */
const traitsType = (traits) =>
  Object.keys(traits).length
    ? `, { ${Object.entries(traits)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join("; ")} }`
    : "";

/**
 * src/generated/operations.ts: every operation as a pure function of a client, named by its operationId
 * (`getAccount(client, params, options)`), so that a bundler keeps only those an app imports (a package's `mini`).
 */
export function operationsModule(header, tags) {
  const lines = [];
  for (const methods of Object.values(tags)) {
    for (const { method, route, op, fn, summary, spec, traits } of Object.values(methods)) {
      const args = [
        JSON.stringify(method),
        JSON.stringify(route),
        ...(Object.keys(spec).length ? [JSON.stringify(spec)] : []),
      ];
      lines.push(
        `/** ${summary} */`,
        `export const ${fn} = /* @__PURE__ */ defineOperation<` +
          `OperationFunction<operations[${JSON.stringify(op.operationId)}]${traitsType(traits)}>>(${args.join(", ")});`,
      );
    }
  }
  return (
    header +
    `import { defineOperation, type OperationFunction } from "@x/core";\n` +
    `import type { operations } from "./schema.js";\n\n` +
    lines.join("\n") +
    "\n"
  );
}

/** src/generated/methods.ts: the table of the client's methods (each calls its operation's function), and its types. */
export function methodsModule(header, doc, tags) {
  const tagDescriptions = new Map(
    (doc.tags ?? []).map((tag) => [tag["x-name"] ?? camelCase(tag.name), tag.description]),
  );
  const table = [];
  const tagTypes = [];
  const members = [];
  const levels = [];
  const functions = [];
  for (const [tag, methods] of Object.entries(tags)) {
    const typeName = `${tag[0].toUpperCase()}${tag.slice(1)}Methods`;
    const description = doc1(tagDescriptions.get(tag));
    members.push(`${description ? `  /** ${description} */\n` : ""}  ${tag}: ${typeName};`);
    table.push(`  ${tag}: {`);
    const types = [`/** The \`${tag}\` methods. */`, `export interface ${typeName} {`];
    const tagLevels = [];
    for (const [name, { op, fn, summary, traits, level }] of Object.entries(methods)) {
      functions.push(fn);
      table.push(`    ${name === fn ? name : `${name}: ${fn}`},`);
      types.push(
        `  /** ${summary} */`,
        `  ${name}: OperationMethod<operations[${JSON.stringify(op.operationId)}]${traitsType(traits)}>;`,
      );
      if (level) tagLevels.push(`    ${name}: ${JSON.stringify(level)};`);
    }
    table.push("  },");
    tagTypes.push([...types, "}", ""].join("\n"));
    if (tagLevels.length) levels.push(`  ${tag}: {`, ...tagLevels, "  };");
  }
  const levelBlock = levels.length
    ? `\n/** The level (\`x-level\`) each method needs, for core's \`MethodsAt\`. */\n` +
      `export interface MethodLevels {\n${levels.join("\n")}\n}\n\n` +
      `/** The level (\`x-level\`) of each operation, by path and method, for core's \`PathsAt\`. */\n` +
      `export interface PathLevels ${JSON.stringify(pathLevels(doc), null, 2)}\n`
    : "";
  const imports = functions.length
    ? `import {\n${functions.map((fn) => `  ${fn},`).join("\n")}\n} from "./operations.js";\n`
    : "";
  return (
    header +
    `import type { MethodTable, OperationMethod } from "@x/core";\n` +
    imports +
    `import type { operations } from "./schema.js";\n\n` +
    `/** Every operation as a method, by tag: tag -> name -> the operation's function (./operations.ts). */\n` +
    `export const methods = {\n${table.join("\n")}\n} as const satisfies MethodTable;\n\n` +
    `/** The client's generated methods: \`client.<tag>.<method>(params?, body?, options?)\`. */\n` +
    `export interface Methods {\n${members.join("\n")}\n}\n\n` +
    tagTypes.join("\n") +
    levelBlock
  );
}

/** src/generated/types.ts: every schema of the spec as a named type (`import type { Transaction } from ...`). */
export function typesModule(header, specName, doc) {
  const names = Object.keys(doc.components?.schemas ?? {});
  const seen = new Map();
  const lines = [];
  for (const schema of names) {
    let name = pascalCase(schema);
    if (!IDENTIFIER.test(name)) name = `Schema${name}`;
    // `Error` or `Request` exported from a package would shadow the global in every file that imports it.
    if (GLOBAL_NAMES.has(name)) name = `${name}Schema`;
    if (seen.has(name))
      throw new UserError(
        `specs/${specName}.yaml: schemas "${seen.get(name)}" and "${schema}" both make type ${name}.`,
      );
    seen.set(name, schema);
    const description = doc1(doc.components.schemas[schema]?.description ?? doc.components.schemas[schema]?.title);
    if (description) lines.push(`/** ${description} */`);
    lines.push(`export type ${name} = components["schemas"][${JSON.stringify(schema)}];`);
  }
  return header + `import type { components } from "./schema.js";\n\n` + lines.join("\n") + "\n";
}
