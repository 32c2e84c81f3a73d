import { createProviderClient, requireString, staticHeadersAuth, type SharedClientOptions } from "@x/core";
import type { paths } from "./generated/schema.js";
import { operations } from "./generated/spec.js";

export interface AcmeClientOptions extends SharedClientOptions {
  /** The API key from the Acme dashboard, sent as `X-Api-Key`. */
  apiKey: string;
}

export function createAcmeClient(options: AcmeClientOptions) {
  const { apiKey, baseUrl, ...shared } = options;
  // Fails at construction with a ConfigurationError naming `apiKey`, never echoing its value.
  requireString(apiKey, "apiKey", "acme");
  return createProviderClient<paths>({
    ...shared,
    provider: "acme",
    baseUrl: baseUrl ?? "https://api.acme.example/v1",
    auth: staticHeadersAuth({ headers: { "X-Api-Key": apiKey } }),
    // Acme's error body is `{ error: { code, message } }`; ApiError.code gets the code.
    describeError: (body) => (body as { error?: { code?: string; message?: string } } | undefined)?.error,
    // The generated operations: each typed call carries its operationId to plugins (`ctx.operation`) and events.
    operations,
  });
}

export async function example(baseUrl: string): Promise<string[]> {
  const acme = createAcmeClient({ apiKey: "demo-key", baseUrl });
  const { accounts } = await acme.unwrap(acme.GET("/accounts"));
  return accounts.map((account) => account.code);
}
