#!/usr/bin/env node
// pnpm new-provider <name>
// Scaffolds specs/<name>.yaml and packages/<name>/ (an @x/<name> package wired to @x/core), generates its types
// and links it into the workspace. It is the same path the five built-in providers and third parties take.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError, root, run } from "./lib/repo.mjs";

// Names already taken by workspace packages that are not providers.
const RESERVED = new Set(["core", "sandbox", "testing", "token-store-redis", "bench", "scripts", "examples"]);

const pascal = (name) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c) => c.toUpperCase());
const title = (name) =>
  name
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");

function validate(name) {
  if (!name) throw new UserError("missing provider name (usage: pnpm new-provider <name>)");
  if (!/^[a-z][a-z0-9-]*$/.test(name) || name.endsWith("-")) {
    const rule = "use lowercase letters, digits and dashes, starting with a letter";
    throw new UserError(`invalid provider name "${name}": ${rule}`);
  }
  if (RESERVED.has(name)) throw new UserError(`invalid provider name "${name}": reserved for @x/${name}`);
  for (const taken of [`specs/${name}.yaml`, `packages/${name}`]) {
    if (existsSync(path.join(root, taken))) {
      throw new UserError(`${taken}: already exists; pick another name or remove it`);
    }
  }
}

const spec = (name) => `openapi: 3.1.0
info:
  title: ${title(name)} API
  version: 0.1.0
  description: >-
    Wire contract of the ${title(name)} API as used by @x/${name}. Replace this stub with the provider's real
    paths.
servers:
  - url: https://api.${name}.example
    description: Production
    x-environment: production
security:
  - apiKey: []
tags:
  - name: status
    description: Service status.
# Generated methods (client.<tag>.<method>): grouped by an operation's first tag (camelCased, or the tag's x-name),
# named by x-method-name (else the operationId without the tag's noun at its end). A paged list takes
# x-pagination: { style: page | cursor | offset, items, param, next }; a token endpoint x-method-name: false.
# See docs/writing-a-provider.md, "Generated methods".
paths:
  /health:
    get:
      operationId: getHealth
      x-method-name: get
      summary: Check that the API is up and the key is accepted
      tags: [status]
      responses:
        "200":
          description: The API is up.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Health"
        "401":
          description: The API key is missing or wrong.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Error"
components:
  securitySchemes:
    apiKey:
      type: apiKey
      in: header
      name: X-Api-Key
  schemas:
    Health:
      type: object
      required: [status]
      properties:
        status:
          type: string
          enum: [ok]
    Error:
      type: object
      required: [code, message]
      properties:
        code:
          type: string
        message:
          type: string
`;

const packageJson = (name) =>
  JSON.stringify(
    {
      name: `@x/${name}`,
      version: "0.1.0",
      description: `Typed client for the ${title(name)} API, built on @x/core.`,
      license: "MIT",
      type: "module",
      sideEffects: false,
      engines: { node: ">=20" },
      main: "./dist/index.cjs",
      module: "./dist/index.js",
      types: "./dist/index.d.cts",
      exports: {
        ".": {
          import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
          require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
        },
        "./mini": {
          import: { types: "./dist/mini.d.ts", default: "./dist/mini.js" },
          require: { types: "./dist/mini.d.cts", default: "./dist/mini.cjs" },
        },
        "./package.json": "./package.json",
      },
      files: ["dist", "README.md"],
      scripts: {
        build: "tsup",
        test: "vitest run",
        typecheck: "tsc -p tsconfig.json",
        lint: "publint --strict && attw --pack . --profile node16",
      },
      dependencies: { "@x/core": "workspace:^" },
      devDependencies: { "@x/testing": "workspace:*" },
    },
    null,
    2,
  ) + "\n";

const tsupConfig = `import { defineConfig } from "tsup";

export default defineConfig({
  // mini: the client without its method table, and every operation as a function (a bundler keeps those imported).
  entry: ["src/index.ts", "src/mini.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
`;

const tsconfig = `{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test", "tsup.config.ts", "vitest.config.ts"]
}
`;

const camel = (name) => pascal(name).replace(/^./, (c) => c.toLowerCase());
const envName = (name) => name.toUpperCase().replace(/-/g, "_");

const vitestConfig = `import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // \`vitest run\` also type-checks test/**/*.test-d.ts (what users rely on at compile time).
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
`;

const errorsTs = (name) => {
  const N = pascal(name);
  return `import { providerErrorGuard } from "@x/core";

/** The provider's name, in errors, events and token-cache keys: this constant, never the string written out. */
export const PROVIDER = "${name}";

/**
 * The \`code\` values of ${title(name)}'s error body, \`{ code, message }\`. List the codes the provider documents;
 * \`ApiError.code\` carries one of them, or a newer one (hence \`string & {}\`, which keeps the completions).
 */
export type ${N}ErrorCode = "unauthorized" | "not_found" | "rate_limited" | (string & {});

/**
 * Reads ${title(name)}'s error body \`{ code, message }\` for @x/core's \`ApiError\` (and the auth plugin's
 * \`AuthenticationError\`). Anything else, such as a proxy's HTML page, gives nothing: the error keeps its status.
 */
export function describe${N}Error(body: unknown): { code?: ${N}ErrorCode; message?: string } | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const { code, message } = body as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof message === "string" ? { message: message.slice(0, 200) } : {}),
  };
}

/**
 * \`is${N}Error(e)\`: any error of this provider; \`is${N}Error(e, "not_found")\`: one code. A brand
 * check, not \`instanceof\`, so it holds when an app loads both the ESM and the CommonJS copy of @x/core.
 */
export const is${N}Error = providerErrorGuard<${N}ErrorCode, typeof PROVIDER>(PROVIDER);
`;
};

const authTs = (name) => `import { staticHeadersAuth, type AuthPlugin } from "@x/core";
import { describe${pascal(name)}Error, PROVIDER } from "./errors.js";

/**
 * ${title(name)}'s credential: an API key in \`X-Api-Key\`, as the spec's \`apiKey\` security scheme says. A key
 * has no token to renew, so a refusal is final: an \`AuthenticationError\` at once, never a retry.
 */
export function ${camel(name)}Auth(apiKey: string): AuthPlugin {
  return staticHeadersAuth({
    name: \`\${PROVIDER}-auth\`,
    kind: "api_key",
    headers: { "X-Api-Key": apiKey },
    // What a refusal of the key looks like. The spec documents 401; add the provider's other answers (a 403 with
    // a given code, say) here, reading the body through \`body()\` if needed.
    isRejected: (response) => response.status === 401,
    // The provider's code and message for the AuthenticationError; the key is scrubbed from both.
    describeRejection: (body) => describe${pascal(name)}Error(body),
  });
}
`;

const clientTs = (name) => {
  const N = pascal(name);
  return `import {
  createProviderClient,
  requireString,
  type ExtendableClientOptions,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { ${camel(name)}Auth } from "./auth.js";
import { describe${N}Error, PROVIDER } from "./errors.js";
import type { paths } from "./generated/schema.js";
import { methods, type Methods } from "./generated/methods.js";
import { getHealth } from "./generated/operations.js";
import { operations, servers } from "./generated/spec.js";

export interface ${N}ClientOptions extends SharedClientOptions {
  /** The API key, sent as the \`X-Api-Key\` header. */
  apiKey: string;
}

/**
 * The provider's own helpers, beside the generated methods: what one operation does not say by itself. Added
 * through \`extend\`, so \`withOptions\` keeps them.
 */
export interface ${N}Helpers {
  /** Whether the API is up: \`true\` for status "ok"; a refused key or an outage throws, as a method does. */
  isUp(): Promise<boolean>;
}

/** The client: generated methods (\`client.status.get()\`), the helpers, and the path-style calls. */
export type ${N}Client = ProviderClient<paths, ${N}Helpers, Methods>;

/** The client of \`@x/${name}/mini\`: the path-style calls only; the operations are functions of it (\`getHealth\`). */
export type ${N}MiniClient = ProviderClient<paths>;

/**
 * A typed client for the ${title(name)} API: \`client.status.get()\` returns the data or throws;
 * \`client.GET("/health")\` returns \`{ data, error, response }\`.
 */
export function create${N}Client(options: ${N}ClientOptions): ${N}Client {
  return ${camel(name)}Client<${N}Helpers, Methods>(options, {
    // The spec's operations: each path-style call carries its operationId (and whether it may be retried).
    operations,
    // The generated methods, by tag (specs/${name}.yaml's tags, x-method-name, x-pagination).
    methods,
    // Called for every client built, \`withOptions\` included: \`client\` is the one the helpers must use. A helper is
    // built on the generated operation functions, never on a copy of their logic.
    extend: (client) => ({
      isUp: () => getHealth(client).then((health) => health.status === "ok"),
    }),
  });
}

/**
 * \`create${N}Client\` without the method table, the operations table and the helpers: what \`@x/${name}/mini\`
 * exports under that name. An operation function brings its own operationId and retry facts.
 */
export function create${N}MiniClient(options: ${N}ClientOptions): ${N}MiniClient {
  return ${camel(name)}Client(options, {});
}

/** The client over \`spec\`: the spec's tables and the helpers, or none of them for \`mini\`. */
function ${camel(name)}Client<Extras extends object = {}, M extends object = {}>(
  options: ${N}ClientOptions,
  spec: Pick<ExtendableClientOptions<paths, Extras, M>, "operations" | "methods" | "extend">,
): ProviderClient<paths, Extras, M> {
  const { apiKey, baseUrl, ...shared } = options;
  // Checked here so a missing key fails at construction, naming the option, not later as a 401.
  requireString(apiKey, "apiKey", PROVIDER);
  return createProviderClient<paths, Extras, M>({
    ...shared,
    provider: PROVIDER,
    baseUrl: baseUrl ?? servers.production,
    auth: ${camel(name)}Auth(apiKey),
    // Every credential the client sends: scrubbed from \`{ error }\`, \`ApiError.body\` and every message, should the
    // provider echo a request back.
    secrets: [apiKey],
    describeError: describe${N}Error,
    ...spec,
  });
}
`;
};

const indexTs = (name) => {
  const N = pascal(name);
  return `// The public surface of @x/${name}, and nothing else: each job lives in its own file.
export { create${N}Client } from "./client.js";
export type { ${N}Client, ${N}ClientOptions, ${N}Helpers } from "./client.js";
export { ${camel(name)}Auth } from "./auth.js";
export { describe${N}Error, is${N}Error } from "./errors.js";
export type { ${N}ErrorCode } from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
// Every schema as a named type: \`import type { Health } from "@x/${name}"\`.
export type * from "./generated/types.js";
export type { Methods } from "./generated/methods.js";
export { servers } from "./generated/spec.js";
`;
};

const miniTs = (name) => {
  const N = pascal(name);
  return `// @x/${name}/mini: the same client without its generated methods, and every operation of the spec as a
// function of it (\`getHealth(client)\`). The functions are pure, so an app's bundler keeps only those it imports.
export * from "./index.js";
export { create${N}MiniClient as create${N}Client } from "./client.js";
export type { ${N}MiniClient as ${N}Client } from "./client.js";
export * from "./generated/operations.js";
`;
};

const testTs = (name) => {
  const N = pascal(name);
  return `import { inspect } from "node:util";
import { ApiError, AuthenticationError, ConfigurationError, type SdkEvent } from "@x/core";
import { FAST_RETRY, json, recordingLogger, startTestServer, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { create${N}Client, is${N}Error, type ${N}Client, type ${N}Helpers } from "../src/index.js";
import { create${N}Client as createMini, getHealth } from "../src/mini.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ok = () => startTestServer((_req, res) => json(res, 200, { status: "ok" }));

/** Every way an error is shown (its text, a console's view, a log shipper's JSON), for a secret search. */
const views = (value: unknown) => [
  String(value),
  inspect(value, { depth: null }),
  JSON.stringify(value) ?? "",
  value instanceof Error ? (value.stack ?? "") : "",
];

describe("create${N}Client", () => {
  it("sends the API key header and returns typed data", async () => {
    server = await ok();
    const client = create${N}Client({ apiKey: "test-key", baseUrl: server.url });

    const { data, error } = await client.GET("/health");

    expect(error).toBeUndefined();
    expect(data?.status).toBe("ok");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe("/health");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("test-key");
  });

  it("has a method per operation: status.get() returns the data, withResponse() the answer too", async () => {
    server = await ok();
    const client = create${N}Client({ apiKey: "test-key", baseUrl: server.url });

    expect(await client.status.get()).toEqual({ status: "ok" });
    const { data, response } = await client.status.get().withResponse();

    expect(data.status).toBe("ok");
    expect(response.status).toBe(200);
    expect(server.requests.map((r) => r.path)).toEqual(["/health", "/health"]);
  });

  it("@x/${name}/mini: each operation is a function of a client without methods, named by operationId", async () => {
    server = await ok();
    const mini = createMini({ apiKey: "test-key", baseUrl: server.url });

    expect("status" in mini).toBe(false);
    expect(await getHealth(mini)).toEqual({ status: "ok" });
    expect(server.requests[0]?.headers["x-api-key"]).toBe("test-key");
  });

  it("takes per-call options last: this call's headers reach the request, the next call's do not", async () => {
    server = await ok();
    const client = create${N}Client({ apiKey: "test-key", baseUrl: server.url });

    await client.status.get({ headers: { "x-trace": "method" } });
    await client.GET("/health", {}, { headers: { "x-trace": "path-style" } });
    await client.status.get();

    expect(server.requests.map((r) => r.headers["x-trace"])).toEqual(["method", "path-style", undefined]);
    expect(server.requests.map((r) => r.url)).toEqual(["/health", "/health", "/health"]); // no options in the query
  });

  it("names each call's spec operation in its events: the path template and the operationId", async () => {
    server = await ok();
    const recording = recordingLogger<SdkEvent>();
    const client = create${N}Client({ apiKey: "test-key", baseUrl: server.url, onEvent: recording.onEvent });

    await client.GET("/health");

    const finished = expect.objectContaining({ type: "request.finished", path: "/health", operationId: "getHealth" });
    expect(recording.events).toContainEqual(finished);
  });

  it("refuses a missing API key at construction, naming the option", () => {
    expect(() => create${N}Client({ apiKey: "" })).toThrow(ConfigurationError);
    expect(() => create${N}Client({ apiKey: "" })).toThrow(expect.objectContaining({ option: "apiKey" }));
  });

  it("withOptions keeps every helper and method, and each uses the derived client's options", async () => {
    server = await ok();
    const client = create${N}Client({ apiKey: "test-key", baseUrl: server.url });
    const derived = client.withOptions({ timeoutMs: 5_000, headers: { "x-trace": "derived" } });
    // One call per helper: a helper added to ${N}Helpers without a line here fails the type check.
    const calls: { [K in keyof ${N}Helpers]: (client: ${N}Client) => Promise<unknown> } = {
      isUp: (c) => c.isUp(),
    };
    for (const [helper, call] of Object.entries(calls)) {
      expect(typeof derived[helper as keyof ${N}Helpers], helper).toBe("function");
      await call(derived);
    }
    expect(await derived.status.get()).toEqual({ status: "ok" });
    const traces = server.requests.map((r) => r.headers["x-trace"]);
    expect(traces).toEqual([...Object.keys(calls).map(() => "derived"), "derived"]);
  });

  it("retries a 503 on a GET (FAST_RETRY: the real backoff, in milliseconds)", async () => {
    server = await startTestServer((_req, res) => {
      if (server!.requests.length === 1) return json(res, 503, { code: "unavailable", message: "later" });
      return json(res, 200, { status: "ok" });
    });
    const client = create${N}Client({ apiKey: "test-key", baseUrl: server.url, retry: FAST_RETRY });

    expect(await client.status.get()).toEqual({ status: "ok" });
    expect(server.requests).toHaveLength(2);
  });
});

describe("errors", () => {
  it("maps the error body onto ApiError, and is${N}Error narrows it by code", async () => {
    server = await startTestServer((_req, res) => json(res, 404, { code: "not_found", message: "no such thing" }));
    const client = create${N}Client({ apiKey: "test-key", baseUrl: server.url });

    const error = await client.status.get().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ provider: "${name}", status: 404, code: "not_found" });
    expect(is${N}Error(error)).toBe(true);
    expect(is${N}Error(error, "not_found")).toBe(true);
    expect(is${N}Error(error, "rate_limited")).toBe(false);
    expect(is${N}Error(new Error("not_found"))).toBe(false);
  });

  it("a refused key is an AuthenticationError with the provider's code; no error, log or event has it", async () => {
    const apiKey = "key-refused-9c2d";
    server = await startTestServer((_req, res) => json(res, 401, { code: "unauthorized", message: "unknown key" }));
    const recording = recordingLogger<SdkEvent>();
    const { logger, onEvent } = recording;
    const client = create${N}Client({ apiKey, baseUrl: server.url, logger, onEvent });

    const error = await client.status.get().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(is${N}Error(error, "unauthorized")).toBe(true);
    expect((error as Error).message).toContain("unknown key");
    expect(server.requests).toHaveLength(1); // final: a key is not retried
    for (const shown of [...views(error), recording.text()]) expect(shown).not.toContain(apiKey);
  });

  it("an error body that echoes the request never hands out the key: not in { error }, not in ApiError", async () => {
    const apiKey = "key-echoed-5e1f";
    // A careless provider: the request's headers and body quoted back, in a message and as a copy.
    server = await startTestServer((req, res) =>
      json(res, 400, {
        code: "bad_request",
        message: \`refused \${req.method} \${req.url}: headers \${JSON.stringify(req.headers)}, body \${req.body}\`,
        request: { headers: req.headers, body: req.body },
      }),
    );
    const recording = recordingLogger<SdkEvent>();
    const { logger, onEvent } = recording;
    const client = create${N}Client({ apiKey, baseUrl: server.url, logger, onEvent });

    const { error, response } = await client.GET("/health");
    const thrown = await client.unwrap(client.GET("/health")).catch((e: unknown) => e);

    expect(response.status).toBe(400);
    expect(server.requests[0]?.headers["x-api-key"]).toBe(apiKey); // sent, and echoed back
    expect(error).toMatchObject({ code: "bad_request", message: expect.stringContaining("[redacted]") });
    expect(is${N}Error(thrown, "bad_request")).toBe(true);
    for (const shown of [...views(error), ...views(thrown), recording.text()]) expect(shown).not.toContain(apiKey);
  });
});
`;
};

const typeTestTs = (name) => {
  const N = pascal(name);
  return `// Compile-time contract of @x/${name}, checked by vitest's typecheck mode (see vitest.config.ts).
// Nothing here runs: each \`@ts-expect-error\` must meet a type error.
import type { CallOptions, XError } from "@x/core";
import { describe, expectTypeOf, it } from "vitest";
import { create${N}Client, is${N}Error, type ${N}Client, type Health } from "../src/index.js";

const client = create${N}Client({ apiKey: "k" });

describe("@x/${name} types", () => {
  it("refuses a path or a method the spec does not have", () => {
    client.GET("/health");
    // @ts-expect-error no such path
    client.GET("/healthz");
    // @ts-expect-error /health is only read
    client.POST("/health");
  });

  it("has a typed method per operation, and refuses a name the spec does not make", () => {
    expectTypeOf(client.status.get()).resolves.toEqualTypeOf<Health>();
    expectTypeOf(client.status.get).parameters.toEqualTypeOf<[options?: CallOptions]>();
    // @ts-expect-error no such method: the spec's x-method-name is "get"
    client.status.getHealth();
    // @ts-expect-error no such tag
    client.health.get();
  });

  it("withOptions keeps the helpers' and the methods' types", () => {
    expectTypeOf(client.withOptions({ timeoutMs: 1_000 })).toEqualTypeOf<${N}Client>();
    expectTypeOf(client.withOptions({ retry: false }).isUp).returns.resolves.toEqualTypeOf<boolean>();
    expectTypeOf(client.withOptions({ retry: false }).status.get()).resolves.toEqualTypeOf<Health>();
  });

  it("is${N}Error narrows to this provider's errors, and to one code", () => {
    const error: unknown = undefined;
    if (is${N}Error(error, "not_found")) {
      expectTypeOf(error).toMatchTypeOf<XError>();
      expectTypeOf(error.code).toEqualTypeOf<"not_found">();
      expectTypeOf(error.provider).toEqualTypeOf<"${name}">();
    }
  });
});
`;
};

const readme = (name) => {
  const N = pascal(name);
  return `# @x/${name}

Typed client for the ${title(name)} API, generated from [\`specs/${name}.yaml\`](../../specs/${name}.yaml) and built on
[@x/core](../core).

## Quick start

\`\`\`sh
npm install @x/${name}
\`\`\`

\`\`\`ts
import { create${N}Client, is${N}Error } from "@x/${name}";

const client = create${N}Client({ apiKey: process.env.${envName(name)}_API_KEY! });
const health = await client.status.get(); // the data, or a thrown ApiError / AuthenticationError
console.log(health.status, await client.isUp());

// Per-call options come last; the path style returns { data, error } instead of throwing for an HTTP error.
const { data, error } = await client.GET("/health", {}, { timeoutMs: 5_000 });
if (error) throw new Error(error.message);
console.log(data.status);
\`\`\`

Every operation of the spec is a method, \`client.<tag>.<method>(params?, body?, options?)\`, and every schema a
named type (\`import type { Health } from "@x/${name}"\`).

Options: \`apiKey\` (required), \`baseUrl\` (defaults to the production server from the spec), plus every @x/core
client option (retry, timeout, logger, token cache). \`client.withOptions({ timeoutMs })\` keeps the methods and
the helpers.

Errors are @x/core's: \`ConfigurationError\` (a bad option, named), \`AuthenticationError\` (the key was refused),
\`ApiError\` (\`status\`, \`code\`, \`body\`). \`is${N}Error(e)\` tells this provider's errors apart,
\`is${N}Error(e, "not_found")\` one code. The API key is scrubbed from every error, even when the API echoes it.

## Layout

One file per job, as in every @x provider:

- \`src/client.ts\`: \`create${N}Client\`, the factory: checks the options, passes the credentials as \`secrets\`,
  the generated \`methods\` (and their \`Methods\` type), and adds the helpers through \`extend\` (so
  \`withOptions\` keeps them).
- \`src/auth.ts\`: \`${camel(name)}Auth\`, the credential plugin (\`staticHeadersAuth\`: what a refusal is, how to
  describe it).
- \`src/errors.ts\`: \`PROVIDER\`, the error code union, \`describe${N}Error\` and the guard \`is${N}Error\`.
- \`src/index.ts\`: the public surface only; \`src/mini.ts\` the same surface for \`@x/${name}/mini\`: the client
  without its method table, and every operation as a function of it, for the smallest bundles.
- \`src/generated/\`: what \`pnpm generate ${name}\` writes; never edited.

When the API pages, mark each paged list with \`x-pagination\` in the spec: its method then returns a \`Paginated\`
that walks every page ([docs/writing-a-provider.md](../../docs/writing-a-provider.md) shows how).

## Development

Edit \`specs/${name}.yaml\`, run \`pnpm generate ${name}\` (never edit \`src/generated/\`), then
\`pnpm --filter @x/${name} test\` (it also type-checks \`test/*.test-d.ts\`).
`;
};

async function main(argv) {
  const name = argv[0];
  validate(name);
  if (argv.length > 1) throw new UserError(`unexpected arguments after "${name}" (usage: pnpm new-provider <name>)`);
  const pkg = path.join(root, "packages", name);
  const files = {
    [path.join(root, "specs", `${name}.yaml`)]: spec(name),
    [path.join(pkg, "package.json")]: packageJson(name),
    [path.join(pkg, "tsup.config.ts")]: tsupConfig,
    [path.join(pkg, "tsconfig.json")]: tsconfig,
    [path.join(pkg, "README.md")]: readme(name),
    [path.join(pkg, "vitest.config.ts")]: vitestConfig,
    [path.join(pkg, "src", "client.ts")]: clientTs(name),
    [path.join(pkg, "src", "auth.ts")]: authTs(name),
    [path.join(pkg, "src", "errors.ts")]: errorsTs(name),
    [path.join(pkg, "src", "index.ts")]: indexTs(name),
    [path.join(pkg, "src", "mini.ts")]: miniTs(name),
    [path.join(pkg, "test", "client.test.ts")]: testTs(name),
    [path.join(pkg, "test", "types.test-d.ts")]: typeTestTs(name),
  };
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    console.log(`new-provider: wrote ${path.relative(root, file)}`);
  }
  const steps = [
    [`pnpm generate ${name}`, process.execPath, [path.join(root, "scripts", "generate.mjs"), name]],
    // Links @x/core and @x/testing into the new package so it builds and tests right away. The lockfile must
    // change to include the package, which pnpm refuses by default under CI=true.
    ["pnpm install", "pnpm", ["install", "--no-frozen-lockfile", "--reporter=append-only"]],
  ];
  for (const [label, cmd, args] of steps) {
    const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
    if (result.status !== 0) throw new UserError(`\`${label}\` failed (see above); fix it and rerun \`${label}\``);
  }
  const next = `edit specs/${name}.yaml, \`pnpm generate ${name}\`, \`pnpm --filter @x/${name} test\``;
  console.log(`new-provider: @x/${name} is ready. Next: ${next}.`);
  return 0;
}

await run("new-provider", () => main(process.argv.slice(2)));
