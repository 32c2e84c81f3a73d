import { ApiError, AuthenticationError, NetworkError, redactBody, requireString, type ProviderClient } from "@x/core";
import { finapiErrorDescriber } from "./errors.js";
import type { components, paths } from "./generated/schema.js";

type ProcessAccessToken = components["schemas"]["ProcessAccessToken"];

export interface FinapiProcess {
  processToken: string;
  clientReference: string;
  /** Authorized with the process's user token, which cannot be renewed (see `PROCESS_TOKEN_EXPIRED`). */
  client: ProviderClient<paths>;
}

export interface ProcessFlowOptions {
  /** A client of the Process Controller without auth: its POST carries the client credentials in the body. */
  processControl: ProviderClient<paths>;
  processControllerUrl: string;
  clientId: string;
  clientSecret: string;
  /** The client's configured `fetch`, for the exchange (see `exchangeProcessToken`). */
  fetch: typeof fetch | undefined;
  timeoutMs: number | undefined;
  /** An Access client authorized by a user token that came out of an exchange. */
  userClient(accessToken: string): ProviderClient<paths>;
}

/**
 * finAPI's Process Controller flow: create a process (client credentials in the body), then exchange its
 * process token, once, for a user token of finAPI Access. Neither step may be repeated: the POST creates a
 * process, and the exchange with `invalidate=true` succeeds once, so a retry after a lost answer would fail.
 */
export function processFlow(options: ProcessFlowOptions) {
  const { processControl, processControllerUrl, clientId, clientSecret } = options;

  /**
   * Sent through the configured fetch alone, not the pipeline or `runtime.plainFetch`: the process
   * token is in the path, which their errors and retry events would name, and plainFetch retries,
   * while a second exchange fails (invalidate=true). Never retried, never logged.
   * `AbortSignal.timeout` suits a one-off call, and bounds the body read too.
   */
  async function exchangeProcessToken(processToken: string): Promise<ProcessAccessToken> {
    const send = options.fetch ?? globalThis.fetch;
    const url = `${processControllerUrl}/api/v1/processes/${encodeURIComponent(processToken)}?invalidate=true`;
    const what = "the process token exchange (GET /api/v1/processes/{processToken})";
    let response: Response;
    try {
      response = await send(url, { headers: { accept: "application/json", "x-request-id": crypto.randomUUID() }, signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
    } catch (error) {
      throw new NetworkError(`Could not reach the finapi Process Controller for ${what}; the process token may not have been used, check processControllerUrl and retry.`, {
        provider: "finapi",
        code: "NETWORK_ERROR",
        // Only the error's name: fetch failures quote the URL, and this URL holds the process token.
        cause: error instanceof Error ? new Error(error.name) : undefined,
      });
    }
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const requestId = response.headers.get("x-request-id") ?? undefined;
    // finAPI quotes the endpoint it was called on, and the process token travels in that path.
    const safeBody = redactBody(body, [processToken]);
    const details = finapiErrorDescriber([clientSecret, processToken])(body);
    if (response.status === 400 || response.status === 404) {
      throw new AuthenticationError(
        `finapi would not exchange this process token (${response.status}${details?.code ? ` ${details.code}` : ""}): it was already exchanged (the SDK sends invalidate=true, so each token gives one user token), used too often, or never existed. Start a new process.`,
        { provider: "finapi", status: response.status, code: "PROCESS_TOKEN_USED", requestId, body: safeBody },
      );
    }
    const token = (body as Partial<ProcessAccessToken> | undefined)?.accessToken;
    if (!response.ok || typeof token !== "string" || token === "") {
      throw new ApiError(`finapi ${what} failed with ${response.status}${details?.code ? ` ${details.code}` : ""}${response.ok ? " (no accessToken in the answer)" : ""}; the process token may be spent, start a new process if retrying fails.`, {
        provider: "finapi",
        status: response.status,
        code: details?.code,
        requestId,
        body: safeBody,
      });
    }
    return { accessToken: token };
  }

  /** Exchanges a process token created elsewhere for a user token, with `invalidate=true`: it works once. */
  async function openProcess(processToken: string): Promise<ProviderClient<paths>> {
    requireString(processToken, "processToken", "finapi");
    const { accessToken } = await exchangeProcessToken(processToken);
    return options.userClient(accessToken);
  }

  /** Creates a Process Controller process and exchanges its process token (once) for a user token. */
  async function startProcess(params: { clientReference: string; processId?: string }): Promise<FinapiProcess> {
    const clientReference = requireString(params?.clientReference, "clientReference", "finapi");
    const result = await processControl.POST("/api/v1/processes", {
      body: { clientId, clientSecret, clientReferences: [{ clientReference }], processId: params.processId ?? "USER_ONLY" },
    });
    if (result.response.status === 401) {
      const details = finapiErrorDescriber([clientSecret])(result.error);
      throw new AuthenticationError(`finapi Process Controller refused the client credentials (401${details?.code ? ` ${details.code}` : ""}); check clientId and clientSecret for this environment.`, {
        provider: "finapi",
        status: 401,
        code: details?.code ?? "CREDENTIALS_REJECTED",
        requestId: result.response.headers.get("x-request-id") ?? undefined,
        body: redactBody(result.error),
      });
    }
    const { processes } = await processControl.unwrap(Promise.resolve(result));
    const processToken = (processes.find((p) => p.clientReference === clientReference) ?? processes[0])?.processToken;
    if (!processToken) {
      throw new ApiError("finapi Process Controller created no process token; check processId.", { provider: "finapi", status: result.response.status, code: "UNEXPECTED_ERROR" });
    }
    return { processToken, clientReference, client: await openProcess(processToken) };
  }

  return { startProcess, openProcess };
}
