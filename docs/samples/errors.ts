import { ApiError, AuthenticationError, ConfigurationError, isXError } from "@x/core";
import { isAcmeError } from "./error-guard.js";
import { createAcmeClient } from "./static-headers.js";

export async function example(baseUrl: string): Promise<string[]> {
  const seen: string[] = [];
  try {
    createAcmeClient({ apiKey: "" });
  } catch (error) {
    if (error instanceof ConfigurationError) seen.push(`ConfigurationError option=${error.option}`);
  }
  const acme = createAcmeClient({ apiKey: "demo-key", baseUrl });
  try {
    await acme.unwrap(acme.GET("/entries/{entryId}", { params: { path: { entryId: "missing" } } }));
  } catch (error) {
    if (error instanceof ApiError) {
      seen.push(`ApiError status=${error.status} code=${error.code} requestId=${error.requestId}`);
    }
  }
  try {
    const revoked = createAcmeClient({ apiKey: "revoked-key", baseUrl });
    await revoked.GET("/accounts");
  } catch (error) {
    // The guard narrows to Acme's errors, and with a code to that code: `error.code` is "key_revoked" here.
    if (isAcmeError(error, "key_revoked") && error instanceof AuthenticationError) {
      seen.push(`AuthenticationError code=${error.code}: ${error.message}`);
    }
    // Any SDK error, of any provider, optionally by code; the message never holds a secret.
    if (isXError(error, { code: "key_revoked" })) seen.push(`XError provider=${error.provider}`);
  }
  return seen;
}
