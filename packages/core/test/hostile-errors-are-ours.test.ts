// The "errors are always ours" sweep (issue 22): every public function of @x/core is called with wrong types and with
// missing, empty, huge and control-character values. Whatever it does with them, an error that escapes must be one of
// the SDK's own classes (XError), never a TypeError from deep inside.
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import { createProviderClient, createTokenCache, isXError, oauth2Auth } from "../src/index.js";
import { startTestServer } from "./helpers.js";

const HOSTILE: readonly unknown[] = [
  undefined,
  null,
  "",
  " ",
  "\r\n",
  "a\0b",
  "x".repeat(100_000),
  0,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  {},
  [],
  [undefined],
  { url: 1, headers: 2, body: 3, method: 4 },
  () => undefined,
  Symbol("s"),
  Object.create(null),
];

/** Calls `fn` with `args`; resolves with the error it threw or rejected with, or undefined. */
async function failureOf(fn: (...args: unknown[]) => unknown, args: unknown[]): Promise<unknown> {
  try {
    const result = fn(...args);
    if (result instanceof Promise) await result;
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Functions that take no user input or are identity helpers: they cannot fail, nothing to sweep. */
const NOT_SWEPT = new Set(["definePlugin", "defineAuthPlugin", "isXError", "silentLogger"]);

/** Validators whose second argument is the name of the option, which the SDK's own code passes. */
const OPTION_NAMED = new Set(["assertSecureUrl", "requireString", "requirePositiveNumber"]);

/** The exported functions (classes aside: constructing an error is not a call that can fail). */
const functions = Object.entries(core).filter(
  ([name, value]) => typeof value === "function" && !/^[A-Z]/.test(name) && !NOT_SWEPT.has(name),
) as [string, (...args: unknown[]) => unknown][];

describe("errors are always ours", () => {
  it("sweeps every exported function", () => {
    expect(functions.length).toBeGreaterThan(30);
  });

  for (const [name, fn] of functions) {
    it(`${name}: hostile arguments give no error but an XError`, async () => {
      const escaped: string[] = [];
      for (const value of HOSTILE) {
        // The first argument is what a caller passes (options, a value, a response); a second, where there is one,
        // is most often user data too (secrets, a context). Names of options come from the SDK's own code.
        const twice = typeof value !== "symbol" && !OPTION_NAMED.has(name);
        for (const args of [[value], ...(twice ? [[value, value]] : [])]) {
          const error = await failureOf(fn, args);
          if (error !== undefined && !isXError(error))
            escaped.push(
              `${name}(${args.map(show).join(", ")}): ${(error as Error)?.name} ${(error as Error)?.message}`,
            );
        }
      }
      expect(escaped.slice(0, 5)).toEqual([]);
    }, 30_000);
  }
});

function show(value: unknown): string {
  if (typeof value === "string")
    return value.length > 20 ? `"${value.slice(0, 5)}…(${value.length})"` : JSON.stringify(value);
  if (typeof value === "symbol" || typeof value === "function") return typeof value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

describe("a server that answers junk gives only XErrors", () => {
  const junk: Record<string, (res: ServerResponse) => void> = {
    "random bytes": (res) => res.end(Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256))),
    "truncated JSON": (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"access_token":"a'),
    "HTML error page": (res) => res.writeHead(502, { "content-type": "text/html" }).end("<html>bad gateway</html>"),
    "short body for its Content-Length": (res) => res.writeHead(200, { "content-length": "100" }).end("{}"),
    "reset mid-body": (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"a":');
      setTimeout(() => res.destroy(), 20);
    },
    "no answer at all": (res) => res.destroy(),
    "a JSON array": (res) => res.writeHead(200, { "content-type": "application/json" }).end("[1,2]"),
    "a 3xx without Location": (res) => res.writeHead(302).end(),
  };
  for (const [what, answer] of Object.entries(junk)) {
    it(`${what}: token fetch and call fail typed, if they fail`, async () => {
      const server = await startTestServer((_req, res) => answer(res));
      try {
        const client = createProviderClient<Record<string, never>>({
          provider: "acme",
          baseUrl: server.url,
          retry: false,
          timeoutMs: 1_000,
          tokenCache: createTokenCache(),
          auth: oauth2Auth({ tokenUrl: `${server.url}/token`, clientId: "id", grant: { type: "client_credentials" } }),
        });
        const plain = createProviderClient<Record<string, never>>({
          provider: "acme",
          baseUrl: server.url,
          retry: false,
          timeoutMs: 1_000,
        });
        for (const call of [
          () => client.fetch(`${server.url}/x`).then((r) => r.json()),
          () => plain.fetch(`${server.url}/x`).then((r) => r.json()),
          () => plain.unwrap(plain.GET("/x" as never)),
        ]) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          // `r.json()` on junk is the caller's own parse (a SyntaxError), not the SDK's: only SDK calls are judged.
          if (error instanceof SyntaxError) continue;
          if (error !== undefined)
            expect(isXError(error), `${(error as Error).name}: ${(error as Error).message}`).toBe(true);
        }
      } finally {
        await server.close();
      }
    }, 15_000);
  }
});
