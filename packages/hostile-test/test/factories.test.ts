// The "errors are always ours" sweep over the providers' public factories: called with nothing, wrong types, and
// empty, huge and control-character values, each must either build a client or throw one of the SDK's own errors.
import { isXError } from "@x/core";
import { createFinapiClient } from "@x/finapi";
import { createInqomAccountingClient, createInqomClient, createInqomUserClient } from "@x/inqom";
import { createOctoberClient } from "@x/october";
import { createSaltEdgeClient } from "@x/saltedge";
import { emulators } from "@x/sandbox";
import { createSfsClient } from "@x/sfs";
import { describe, expect, it } from "vitest";

const VALUES: readonly unknown[] = [
  undefined,
  null,
  "",
  " ",
  "\r\n",
  "a\0b",
  "x".repeat(100_000),
  0,
  Number.NaN,
  true,
  [],
  () => 1,
];

const factories: Record<string, (options: unknown) => unknown> = {
  createFinapiClient,
  createInqomClient,
  createInqomUserClient,
  createInqomAccountingClient,
  createOctoberClient,
  createSaltEdgeClient,
  createSfsClient,
} as never;

const inqom = { username: "u", password: "p", clientId: "c", clientSecret: "s" };
/** Options each factory accepts, so that one option at a time can be made hostile with the others valid. */
const VALID: Record<string, Record<string, unknown>> = {
  createFinapiClient: { clientId: "id", clientSecret: "secret" },
  createInqomClient: inqom,
  createInqomUserClient: {
    clientId: "c",
    clientSecret: "s",
    user: "user-1",
    redirectUri: "https://app.example.com/cb",
  },
  createInqomAccountingClient: inqom,
  createOctoberClient: { userId: "u", sessionToken: "s" },
  createSaltEdgeClient: { ...emulators.saltedge.demoCredentials },
  createSfsClient: { apiKey: "k", secret: "s" },
};

/** Each factory's own option names, from a valid-looking call, so each can be made hostile in turn. */
const OPTION_NAMES = [
  "clientId",
  "clientSecret",
  "apiKey",
  "secret",
  "userId",
  "sessionToken",
  "appId",
  "privateKey",
  "username",
  "password",
  "user",
  "redirectUri",
  "baseUrl",
  "accessUrl",
  "authUrl",
  "timeoutMs",
  "headers",
  "logger",
  "fetch",
  "retry",
  "version",
];

function failure(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("provider factories throw only XErrors", () => {
  for (const [name, factory] of Object.entries(factories)) {
    it(name, () => {
      // The base options build a client, so each hostile option below is judged on its own, not behind a missing one.
      expect(failure(() => factory(VALID[name]))).toBeUndefined();
      const escaped: string[] = [];
      const judge = (label: string, options: unknown) => {
        const error = failure(() => factory(options));
        if (error !== undefined && !isXError(error))
          escaped.push(`${label}: ${(error as Error)?.name} ${(error as Error)?.message}`);
      };
      for (const value of VALUES) judge(`options = ${String(value).slice(0, 10)}`, value);
      for (const option of OPTION_NAMES)
        for (const value of VALUES) {
          judge(`${option} = ${String(value).slice(0, 10)}`, { [option]: value });
          judge(`valid, ${option} = ${String(value).slice(0, 10)}`, { ...VALID[name], [option]: value });
        }
      expect(escaped.slice(0, 8)).toEqual([]);
    }, 60_000);
  }
});
