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
const title = (name) => name.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");

function validate(name) {
  if (!name) throw new UserError("missing provider name (usage: pnpm new-provider <name>)");
  if (!/^[a-z][a-z0-9-]*$/.test(name) || name.endsWith("-")) {
    throw new UserError(`invalid provider name "${name}": use lowercase letters, digits and dashes, starting with a letter`);
  }
  if (RESERVED.has(name)) throw new UserError(`invalid provider name "${name}": reserved for @x/${name}`);
  for (const taken of [`specs/${name}.yaml`, `packages/${name}`]) {
    if (existsSync(path.join(root, taken))) throw new UserError(`${taken}: already exists; pick another name or remove it`);
  }
}

const spec = (name) => `openapi: 3.1.0
info:
  title: ${title(name)} API
  version: 0.1.0
  description: Wire contract of the ${title(name)} API as used by @x/${name}. Replace this stub with the provider's real paths.
servers:
  - url: https://api.${name}.example
    description: Production
    x-environment: production
security:
  - apiKey: []
tags:
  - name: status
    description: Service status.
paths:
  /health:
    get:
      operationId: getHealth
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
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
`;

const tsconfig = `{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test", "tsup.config.ts"]
}
`;

const indexTs = (name) => `import { createProviderClient, requireString, staticHeadersAuth, type SharedClientOptions } from "@x/core";
import type { paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";

export type { components, operations, paths } from "./generated/schema.js";
export { servers } from "./generated/spec.js";

export interface ${pascal(name)}ClientOptions extends SharedClientOptions {
  /** The API key, sent as the \`X-Api-Key\` header. */
  apiKey: string;
}

/** A typed client for the ${title(name)} API: \`client.GET("/health")\` returns \`{ data, error, response }\`. */
export function create${pascal(name)}Client(options: ${pascal(name)}ClientOptions) {
  const { apiKey, baseUrl, ...rest } = options;
  // Checked here so a missing key fails at construction, naming the option, not later as a 401.
  requireString(apiKey, "apiKey", "${name}");
  return createProviderClient<paths>({
    ...rest,
    provider: "${name}",
    baseUrl: baseUrl ?? servers.production,
    auth: staticHeadersAuth({ headers: { "X-Api-Key": apiKey } }),
    secrets: [apiKey],
    // The spec's operations: each typed call carries its operationId (and whether it is safe to retry) to plugins and events.
    operations,
  });
}
`;

const testTs = (name) => `import { ConfigurationError, type SdkEvent } from "@x/core";
import { json, startTestServer, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { create${pascal(name)}Client } from "../src/index.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("create${pascal(name)}Client", () => {
  it("sends the API key header and returns typed data", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { status: "ok" }));
    const client = create${pascal(name)}Client({ apiKey: "test-key", baseUrl: server.url });

    const { data, error } = await client.GET("/health");

    expect(error).toBeUndefined();
    expect(data?.status).toBe("ok");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe("/health");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("test-key");
  });

  it("names each call's spec operation in its events: the path template and the operationId", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { status: "ok" }));
    const events: SdkEvent[] = [];
    const client = create${pascal(name)}Client({ apiKey: "test-key", baseUrl: server.url, onEvent: (event) => events.push(event) });

    await client.GET("/health");

    expect(events).toContainEqual(expect.objectContaining({ type: "request.finished", path: "/health", operationId: "getHealth" }));
  });

  it("refuses a missing API key at construction, naming the option", () => {
    expect(() => create${pascal(name)}Client({ apiKey: "" })).toThrow(ConfigurationError);
  });
});
`;

const readme = (name) => `# @x/${name}

Typed client for the ${title(name)} API, generated from [\`specs/${name}.yaml\`](../../specs/${name}.yaml) and built on [@x/core](../core).

## Quick start

\`\`\`sh
npm install @x/${name}
\`\`\`

\`\`\`ts
import { create${pascal(name)}Client } from "@x/${name}";

const client = create${pascal(name)}Client({ apiKey: process.env.${name.toUpperCase().replace(/-/g, "_")}_API_KEY! });
const { data, error } = await client.GET("/health");
if (error) throw new Error(error.message);
console.log(data.status);
\`\`\`

Options: \`apiKey\` (required), \`baseUrl\` (defaults to the production server from the spec), plus every @x/core client option (retry, timeout, logger, token cache).

## Development

Edit \`specs/${name}.yaml\`, run \`pnpm generate ${name}\` (never edit \`src/generated/\`), then \`pnpm --filter @x/${name} test\`.
`;

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
    [path.join(pkg, "src", "index.ts")]: indexTs(name),
    [path.join(pkg, "test", "client.test.ts")]: testTs(name),
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
  console.log(`new-provider: @x/${name} is ready. Next: edit specs/${name}.yaml, \`pnpm generate ${name}\`, \`pnpm --filter @x/${name} test\`.`);
  return 0;
}

await run("new-provider", () => main(process.argv.slice(2)));
