import { readFileSync } from "node:fs";
import type { Logger, ProviderClient, SdkEvent, SharedClientOptions } from "@x/core";
import { createFinapiClient } from "@x/finapi";
import { createInqomClient } from "@x/inqom";
import { createOctoberClient } from "@x/october";
import { createSaltEdgeClient } from "@x/saltedge";
import { createSfsClient } from "@x/sfs";
import { UsageError, requireEnv } from "./usage.js";

/** Any provider's client, as the commands use it: openapi-fetch methods over the pipeline, plus auth and runtime. */
// biome-ignore lint: the commands call paths no single provider's `paths` type knows
export type AnyClient = ProviderClient<any>;

interface ProviderEntry {
  /** The variables it reads, for `--help` and the error when one is missing. */
  env: string[];
  /** How it authenticates, said when `x token` has no token to show. */
  auth: string;
  create(env: NodeJS.ProcessEnv, shared: SharedClientOptions): AnyClient;
}

const sandboxHint = "run `x-sandbox --json` for local URLs and demo credentials";
const need = (env: NodeJS.ProcessEnv, provider: string, name: string) =>
  requireEnv(env, name, `export it for ${provider} (see x --help), or ${sandboxHint}`);
const optional = (env: NodeJS.ProcessEnv, name: string) => (env[name] ? env[name] : undefined);

/** A PEM from its variable, or from the file that `<NAME>_FILE` names (PEM keys are awkward in a shell variable). */
function pem(env: NodeJS.ProcessEnv, provider: string, name: string): string {
  const file = optional(env, `${name}_FILE`);
  if (file) {
    try {
      return readFileSync(file, "utf8");
    } catch {
      throw new UsageError(`${name}_FILE names ${file}, which cannot be read; point it at the PEM file`);
    }
  }
  return need(env, provider, name);
}

/**
 * Every provider the commands know: the credentials come from the environment, with the names the demo app reads
 * too (`examples/aggregator`), and `<PROVIDER>_BASE_URL` points a client at the sandbox or a staging host.
 */
export const providers: Record<string, ProviderEntry> = {
  finapi: {
    env: ["FINAPI_CLIENT_ID", "FINAPI_CLIENT_SECRET", "FINAPI_BASE_URL?", "FINAPI_ENVIRONMENT?"],
    auth: "OAuth client token",
    create: (env, shared) => {
      const baseUrl = optional(env, "FINAPI_BASE_URL");
      return createFinapiClient({
        ...shared,
        clientId: need(env, "finapi", "FINAPI_CLIENT_ID"),
        clientSecret: need(env, "finapi", "FINAPI_CLIENT_SECRET"),
        ...(baseUrl
          ? { accessUrl: baseUrl }
          : { environment: env.FINAPI_ENVIRONMENT === "production" ? "production" : "sandbox" }),
      });
    },
  },
  inqom: {
    env: [
      "INQOM_USERNAME",
      "INQOM_PASSWORD",
      "INQOM_CLIENT_ID",
      "INQOM_CLIENT_SECRET",
      "INQOM_BASE_URL?",
      "INQOM_AUTH_URL?",
    ],
    auth: "OAuth password grant (JWT)",
    create: (env, shared) => {
      const baseUrl = optional(env, "INQOM_BASE_URL");
      return createInqomClient({
        ...shared,
        username: need(env, "inqom", "INQOM_USERNAME"),
        password: need(env, "inqom", "INQOM_PASSWORD"),
        clientId: need(env, "inqom", "INQOM_CLIENT_ID"),
        clientSecret: need(env, "inqom", "INQOM_CLIENT_SECRET"),
        ...(baseUrl
          ? { baseUrl, authUrl: optional(env, "INQOM_AUTH_URL") ?? `${baseUrl}/identity/connect/token` }
          : { environment: env.INQOM_ENVIRONMENT === "production" ? "production" : "staging" }),
      }) as unknown as AnyClient;
    },
  },
  sfs: {
    env: ["SFS_API_KEY", "SFS_SECRET", "SFS_BASE_URL?"],
    auth: "platform token",
    create: (env, shared) =>
      createSfsClient({
        ...shared,
        apiKey: need(env, "sfs", "SFS_API_KEY"),
        secret: need(env, "sfs", "SFS_SECRET"),
        ...(optional(env, "SFS_BASE_URL") ? { baseUrl: env.SFS_BASE_URL } : {}),
      }) as unknown as AnyClient,
  },
  october: {
    env: ["OCTOBER_USER_ID", "OCTOBER_SESSION_TOKEN", "OCTOBER_BASE_URL?"],
    auth: "a static session token (OCTOBER_SESSION_TOKEN) on every request, no token endpoint",
    create: (env, shared) =>
      createOctoberClient({
        ...shared,
        userId: need(env, "october", "OCTOBER_USER_ID"),
        sessionToken: need(env, "october", "OCTOBER_SESSION_TOKEN"),
        ...(optional(env, "OCTOBER_BASE_URL") ? { baseUrl: env.OCTOBER_BASE_URL } : {}),
      }) as unknown as AnyClient,
  },
  saltedge: {
    env: ["SALTEDGE_APP_ID", "SALTEDGE_SECRET", "SALTEDGE_PRIVATE_KEY (or _FILE)", "SALTEDGE_BASE_URL?"],
    auth: "App-id and Secret headers and a signature on every request, no token endpoint",
    create: (env, shared) =>
      createSaltEdgeClient({
        ...shared,
        appId: need(env, "saltedge", "SALTEDGE_APP_ID"),
        secret: need(env, "saltedge", "SALTEDGE_SECRET"),
        privateKey: pem(env, "saltedge", "SALTEDGE_PRIVATE_KEY"),
        ...(optional(env, "SALTEDGE_BASE_URL") ? { baseUrl: env.SALTEDGE_BASE_URL } : {}),
      }) as unknown as AnyClient,
  },
};

export function providerEntry(name: string | undefined): ProviderEntry {
  const entry = name === undefined ? undefined : providers[name];
  if (!entry) {
    const known = Object.keys(providers).join(", ");
    throw new UsageError(name ? `unknown provider "${name}"; one of ${known}` : `name a provider: one of ${known}`);
  }
  return entry;
}

/** Debug lines on stderr: the SDK's own log (it never logs a secret) and its events (names, statuses, times). */
export function debugOutput(enabled: boolean): Pick<SharedClientOptions, "logger" | "onEvent"> {
  if (!enabled) return {};
  const line = (level: string) => (message: string, data?: Record<string, unknown>) =>
    process.stderr.write(`x: ${level} ${message}${data ? ` ${JSON.stringify(data)}` : ""}\n`);
  const logger: Logger = { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
  const onEvent = (event: SdkEvent) => {
    const { type, ...rest } = event;
    process.stderr.write(`x: event ${type} ${JSON.stringify(rest)}\n`);
  };
  return { logger, onEvent };
}
