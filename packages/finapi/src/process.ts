import {
  ApiError,
  AuthenticationError,
  NetworkError,
  readErrorBody,
  redactBody,
  requireString,
  responseErrorOptions,
  type ProviderClient,
} from "@x/core";
import type { FinapiApiClient } from "./client.js";
import { describeFinapiError, PROVIDER } from "./errors.js";
import type { paths } from "./generated/schema.js";
import type { ProcessAccessToken } from "./generated/types.js";

/** A started process; `Client` is its Access client: with the methods, or `@x/finapi/mini`'s without them. */
export interface FinapiProcess<Client = FinapiApiClient> {
  processToken: string;
  clientReference: string;
  /** Authorized with the process's user token, which cannot be renewed (see `PROCESS_TOKEN_EXPIRED`). */
  client: Client;
}

export interface ProcessFlowOptions<Client> {
  /**
   * The Process Controller's URL and a client of it without auth (its POST carries the client credentials in the
   * body); throws a ConfigurationError when no Process Controller goes with the client's Access host.
   */
  processController(): { url: string; client: ProviderClient<paths> };
  clientId: string;
  clientSecret: string;
  /** The client's configured `fetch`, for the exchange (see `exchangeProcessToken`). */
  fetch: typeof fetch | undefined;
  timeoutMs: number | undefined;
  /** An Access client authorized by a user token that came out of an exchange. */
  userClient(accessToken: string): Client;
}

/**
 * finAPI's Process Controller flow: create a process (client credentials in the body), then exchange its
 * process token, once, for a user token of finAPI Access. Neither step may be repeated: the POST creates a
 * process, and the exchange with `invalidate=true` succeeds once, so a retry after a lost answer would fail.
 */
export function processFlow<Client>(options: ProcessFlowOptions<Client>) {
  const { clientId, clientSecret } = options;

  /**
   * Sent through the configured fetch alone, not the pipeline or `runtime.plainFetch`: the process
   * token is in the path, which their errors and retry events would name, and plainFetch retries,
   * while a second exchange fails (invalidate=true). Never retried, never logged.
   * `AbortSignal.timeout` suits a one-off call, and bounds the body read too.
   */
  async function exchangeProcessToken(processToken: string): Promise<ProcessAccessToken> {
    const processControllerUrl = options.processController().url;
    const send = options.fetch ?? globalThis.fetch;
    const url = `${processControllerUrl}/api/v1/processes/${encodeURIComponent(processToken)}?invalidate=true`;
    const what = "the process token exchange (GET /api/v1/processes/{processToken})";
    const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
    let response: Response;
    try {
      const headers = { accept: "application/json", "x-request-id": crypto.randomUUID() };
      response = await send(url, { headers, signal });
    } catch (error) {
      // Only the error's name: fetch failures quote the URL, and this URL holds the process token.
      const cause = error instanceof Error ? new Error(error.name) : undefined;
      throw new NetworkError(
        `Could not reach the ${PROVIDER} Process Controller for ${what}; the process token may not have been used,` +
          " check processControllerUrl and retry.",
        { provider: PROVIDER, code: "NETWORK_ERROR", cause },
      );
    }
    // The answer holds the user token, or finAPI's error quoting the endpoint, whose path holds the process token.
    const body = await readErrorBody(response, { signal });
    const { code } = describeFinapiError(body) ?? {};
    const status = `${response.status}${code ? ` ${code}` : ""}`;
    const redacted = redactBody(body, [clientSecret, processToken]);
    const errorOptions = { ...responseErrorOptions(PROVIDER, response), body: redacted };
    if (response.status === 400 || response.status === 404) {
      throw new AuthenticationError(
        `${PROVIDER} would not exchange this process token (${status}): it was already` +
          " exchanged (the SDK sends invalidate=true, so each token gives one user token), used too often, or never" +
          " existed. Start a new process.",
        { ...errorOptions, code: "PROCESS_TOKEN_USED" },
      );
    }
    const token = (body as Partial<ProcessAccessToken> | undefined)?.accessToken;
    if (!response.ok || typeof token !== "string" || token === "") {
      const missing = response.ok ? " (no accessToken in the answer)" : "";
      throw new ApiError(
        `${PROVIDER} ${what} failed with ${status}${missing}; the process token may be spent, start a new process` +
          " if retrying fails.",
        { ...errorOptions, code },
      );
    }
    return { accessToken: token };
  }

  /** Exchanges a process token created elsewhere for a user token, with `invalidate=true`: it works once. */
  async function openProcess(processToken: string): Promise<Client> {
    requireString(processToken, "processToken", PROVIDER);
    const { accessToken } = await exchangeProcessToken(processToken);
    return options.userClient(accessToken);
  }

  /** Creates a Process Controller process and exchanges its process token (once) for a user token. */
  async function startProcess(params: { clientReference: string; processId?: string }): Promise<FinapiProcess<Client>> {
    const clientReference = requireString(params?.clientReference, "clientReference", PROVIDER);
    const processId = params.processId ?? "USER_ONLY";
    const processControl = options.processController().client;
    const result = await processControl.POST("/api/v1/processes", {
      body: { clientId, clientSecret, clientReferences: [{ clientReference }], processId },
    });
    if (result.response.status === 401) {
      // `result.error` is read and redacted by core with the client's secrets (clientSecret).
      const { code = "CREDENTIALS_REJECTED" } = describeFinapiError(result.error) ?? {};
      throw new AuthenticationError(
        `${PROVIDER} Process Controller refused the client credentials (401 ${code}); check clientId and clientSecret` +
          " for this environment.",
        { ...responseErrorOptions(PROVIDER, result.response, code), body: result.error },
      );
    }
    const { processes } = await processControl.unwrap(Promise.resolve(result));
    const processToken = (processes.find((p) => p.clientReference === clientReference) ?? processes[0])?.processToken;
    if (!processToken) {
      throw new ApiError(`${PROVIDER} Process Controller created no process token; check processId.`, {
        ...responseErrorOptions(PROVIDER, result.response, "UNEXPECTED_ERROR"),
      });
    }
    return { processToken, clientReference, client: await openProcess(processToken) };
  }

  return { startProcess, openProcess };
}
