// A conformance proxy: a loopback HTTP server between a client and an emulator that forwards every exchange and
// validates the request and the response against a spec in specs/. Spec, client and emulator then cannot drift apart
// unnoticed: a client sending a field the spec lacks, or an emulator answering a shape the spec does not declare,
// becomes a listed violation.
//
// Schemas are checked with Ajv in its JSON Schema 2020-12 mode, the dialect OpenAPI 3.1 schemas are written in.
// (openapi-backend, the maintained request/response validator, refuses 3.1 documents: it validates them as 3.0 and
// rejects `webhooks` and `examples`.) Path matching, parameter coercion and content negotiation are done here, since
// they are small and OpenAPI-specific.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startHttpServer } from "@x/sandbox";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const SPEC_ID = "spec";

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is untyped YAML; every access below is checked.
type Json = any;

export interface ConformanceExchange {
  method: string;
  /** Path as sent, without the query string. */
  path: string;
  /** "METHOD /template" of the matched operation, when one matched. */
  operation?: string;
  status?: number;
}

export interface ConformanceViolation {
  /** "METHOD /path" as sent. */
  exchange: string;
  /** Where the mismatch is, e.g. `request query "view"`, `response 200 body`. */
  where: string;
  message: string;
}

export interface ConformanceProxyOptions {
  /** A spec name in specs/ ("finapi", "saltedge.v3"), a path to a spec file, or a parsed document. */
  spec: string | Json;
  /** The server to forward to (an emulator's URL); the request path and query are kept as sent. */
  target: string;
  /**
   * Prefix of the sent path that is not part of the spec's path templates. Default: the path of the spec's first
   * server URL (`/api/v6` for `https://www.saltedge.com/api/v6`).
   */
  basePath?: string;
  /** Exchanges the proxy forwards without checking. Default: the sandbox's own `/__sandbox/` endpoints. */
  ignore?: (path: string) => boolean;
}

export interface ConformanceProxy {
  /** Base URL of the proxy; give it to the client instead of the emulator's URL (add `basePath` if it has one). */
  url: string;
  exchanges: ConformanceExchange[];
  violations: ConformanceViolation[];
  /** The spec's operations the traffic exercised, as "METHOD /template", sorted. */
  covered(): string[];
  /** Throws one error listing every violation (and fails when nothing was exchanged at all). */
  assertConforms(): void;
  close(): Promise<void>;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  op: Json;
  parameters: Json[];
}

function loadSpec(spec: string | Json): Json {
  if (typeof spec !== "string") return spec;
  const file = spec.endsWith(".yaml") || spec.includes("/") ? spec : path.join(repoRoot, "specs", `${spec}.yaml`);
  return parse(readFileSync(file, "utf8"));
}

/** Follows a local `$ref` ("#/components/...") to the object it names. */
function deref(doc: Json, value: Json): Json {
  let current = value;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 20; hops++) {
    const pointer = current.$ref.replace(/^#\//, "").split("/");
    current = pointer.reduce((node: Json, key: string) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return current;
}

function listOperations(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      // Operation parameters override path-item ones with the same name and location.
      const byKey = new Map<string, Json>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => deref(doc, p))) {
        byKey.set(`${p.in}:${p.name}`, p);
      }
      operations.push({
        method,
        template,
        pattern: new RegExp(`^${source}$`),
        names,
        op,
        parameters: [...byKey.values()],
      });
    }
  }
  // Literal paths win over templated ones (`/accounts/dailyBalances` before `/accounts/{id}`).
  return operations.sort((a, b) => a.names.length - b.names.length || b.template.length - a.template.length);
}

/** Turns a string (or repeated strings) from a URL or header into the type its schema asks for. */
function coerce(doc: Json, raw: string | string[], schema: Json): unknown {
  const s = deref(doc, schema) ?? {};
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  if (type === "array") {
    const items = Array.isArray(raw) ? raw : raw.split(",");
    return items.map((item) => coerce(doc, item, s.items));
  }
  const value = Array.isArray(raw) ? (raw[raw.length - 1] ?? "") : raw;
  if ((type === "integer" || type === "number") && value.trim() !== "" && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

const mediaType = (contentType: string | null | undefined) => (contentType ?? "").split(";")[0]?.trim().toLowerCase();
const isJson = (type: string) => type === "application/json" || type.endsWith("+json");

/** The spec's content entry for a media type: exact, then `type/*`, then `*\/*`. */
function contentFor(content: Json, type: string): Json {
  if (!content) return undefined;
  return content[type] ?? content[`${type.split("/")[0]}/*`] ?? content["*/*"];
}

export async function startConformanceProxy(options: ConformanceProxyOptions): Promise<ConformanceProxy> {
  const doc = loadSpec(options.spec);
  const operations = listOperations(doc);
  const basePath = (options.basePath ?? new URL(doc.servers?.[0]?.url ?? "http://x/").pathname).replace(/\/$/, "");
  const ignore = options.ignore ?? ((p: string) => p.startsWith("/__sandbox/"));
  const target = options.target.replace(/\/$/, "");

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, SPEC_ID);
  const compiled = new WeakMap<object, ValidateFunction>();
  /** Inline schemas refer to `#/components/...` of the document; point those refs at the registered document. */
  const rebase = (schema: Json): Json =>
    Array.isArray(schema)
      ? schema.map(rebase)
      : schema && typeof schema === "object"
        ? Object.fromEntries(
            Object.entries(schema).map(([k, v]) =>
              k === "$ref" && typeof v === "string" && v.startsWith("#") ? [k, `${SPEC_ID}${v}`] : [k, rebase(v)],
            ),
          )
        : schema;
  const check = (schema: Json, value: unknown): string | undefined => {
    if (!schema || typeof schema !== "object") return undefined;
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(rebase(schema));
      compiled.set(schema, validate);
    }
    if (validate(value)) return undefined;
    return ajv.errorsText(validate.errors, { dataVar: "value" });
  };

  const exchanges: ConformanceExchange[] = [];
  const violations: ConformanceViolation[] = [];

  const checkRequest = (
    found: Operation,
    params: Record<string, string>,
    url: URL,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
    fail: (where: string, message: string) => void,
  ) => {
    for (const p of found.parameters) {
      const where = `request ${p.in} "${p.name}"`;
      let raw: string | string[] | undefined;
      if (p.in === "path") raw = params[p.name];
      else if (p.in === "query") raw = url.searchParams.has(p.name) ? url.searchParams.getAll(p.name) : undefined;
      else if (p.in === "header") raw = headers[p.name.toLowerCase()];
      else continue;
      if (raw === undefined) {
        if (p.required) fail(where, "is required but was not sent");
        continue;
      }
      const problem = check(p.schema, coerce(doc, raw, p.schema));
      if (problem) fail(where, problem);
    }
    const known = new Set(found.parameters.filter((p) => p.in === "query").map((p) => p.name));
    for (const name of new Set(url.searchParams.keys())) {
      if (!known.has(name)) fail(`request query "${name}"`, "is not a parameter of this operation in the spec");
    }

    const requestBody = deref(doc, found.op.requestBody);
    if (!requestBody) {
      if (body.length) fail("request body", "was sent, but the spec declares no request body");
      return;
    }
    if (!body.length) {
      if (requestBody.required) fail("request body", "is required but was empty");
      return;
    }
    const type = mediaType(headers["content-type"] as string | undefined) ?? "";
    const media = contentFor(requestBody.content, type);
    if (!media) {
      fail("request body", `content-type "${type}" is not one the spec lists (${Object.keys(requestBody.content)})`);
      return;
    }
    let value: unknown;
    if (isJson(type)) {
      try {
        value = JSON.parse(body.toString("utf8"));
      } catch {
        fail("request body", "is not valid JSON");
        return;
      }
    } else if (type === "application/x-www-form-urlencoded") {
      const schema = deref(doc, media.schema) ?? {};
      const form = new URLSearchParams(body.toString("utf8"));
      value = Object.fromEntries(
        [...new Set(form.keys())].map((k) => [k, coerce(doc, form.getAll(k), schema.properties?.[k] ?? {})]),
      );
    } else {
      return; // multipart and binary bodies: the content type is checked, their parts are the emulator's business
    }
    const problem = check(media.schema, value);
    if (problem) fail("request body", problem);
  };

  const checkResponse = (found: Operation, response: Response, body: Buffer, fail: (w: string, m: string) => void) => {
    const status = String(response.status);
    const responses = found.op.responses ?? {};
    const declared = deref(doc, responses[status] ?? responses[`${status[0]}XX`] ?? responses.default);
    const where = `response ${status}`;
    if (!declared) {
      fail(where, `status is not declared by the spec (declared: ${Object.keys(responses).join(", ")})`);
      return;
    }
    if (!body.length) {
      if (declared.content && found.method !== "head") fail(`${where} body`, "is empty, but the spec declares content");
      return;
    }
    const type = mediaType(response.headers.get("content-type")) ?? "";
    const media = contentFor(declared.content, type);
    if (!media) {
      const listed = declared.content ? Object.keys(declared.content).join(", ") : "no content";
      fail(`${where} body`, `content-type "${type}" is not one the spec lists (${listed})`);
      return;
    }
    if (!isJson(type)) return;
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      fail(`${where} body`, "is not valid JSON");
      return;
    }
    const problem = check(media.schema, value);
    if (problem) fail(`${where} body`, problem);
  };

  const server = await startHttpServer((req, body, res) => {
    const url = new URL(req.url ?? "/", "http://proxy.invalid");
    const method = (req.method ?? "GET").toLowerCase();
    const exchange: ConformanceExchange = { method: method.toUpperCase(), path: url.pathname };
    const label = `${exchange.method} ${url.pathname}`;
    const fail = (where: string, message: string) => violations.push({ exchange: label, where, message });
    const checked = !ignore(url.pathname);
    let found: Operation | undefined;
    if (checked) {
      exchanges.push(exchange);
      const specPath = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || "/" : undefined;
      let params: Record<string, string> = {};
      for (const candidate of operations) {
        const match = candidate.method === method && specPath !== undefined ? candidate.pattern.exec(specPath) : null;
        if (!match) continue;
        found = candidate;
        params = Object.fromEntries(candidate.names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? "")]));
        break;
      }
      if (found) {
        exchange.operation = `${found.method.toUpperCase()} ${found.template}`;
        checkRequest(found, params, url, req.headers, body, fail);
      } else {
        fail("request", `no operation in the spec matches (base path "${basePath}")`);
      }
    }

    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || ["host", "connection", "content-length", "transfer-encoding"].includes(name)) continue;
      for (const v of [value].flat()) headers.append(name, v);
    }
    const hasBody = body.length > 0 && method !== "get" && method !== "head";
    fetch(`${target}${url.pathname}${url.search}`, {
      method: method.toUpperCase(),
      headers,
      body: hasBody ? new Uint8Array(body) : undefined,
      redirect: "manual",
    })
      .then(async (response) => {
        const answer = Buffer.from(await response.arrayBuffer());
        exchange.status = response.status;
        if (found) checkResponse(found, response, answer, fail);
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (!["connection", "content-length", "transfer-encoding", "content-encoding", "keep-alive"].includes(name)) {
            out[name] = value;
          }
        });
        res.writeHead(response.status, out);
        res.end(answer);
      })
      .catch((err: unknown) => {
        fail("response", `the target did not answer: ${err instanceof Error ? err.message : String(err)}`);
        res.destroy();
      });
  });

  return {
    url: server.url,
    exchanges,
    violations,
    covered: () => [...new Set(exchanges.flatMap((e) => (e.operation ? [e.operation] : [])))].sort(),
    assertConforms() {
      if (!exchanges.length) throw new Error("conformance: no exchange went through the proxy");
      if (!violations.length) return;
      const lines = violations.map((v) => `  ${v.exchange}: ${v.where} ${v.message}`);
      throw new Error(`conformance: ${violations.length} violation(s) of the spec:\n${lines.join("\n")}`);
    },
    close: server.close,
  };
}
