import { ApiError, AuthenticationError, ConfigurationError, XError } from "@x/core";
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
    if (error instanceof ApiError) seen.push(`ApiError status=${error.status} code=${error.code} requestId=${error.requestId}`);
  }
  try {
    const wrongKey = createAcmeClient({ apiKey: "revoked-key", baseUrl });
    await wrongKey.GET("/accounts");
  } catch (error) {
    // Every SDK error is an XError; the subclass says what to do, the message never holds a secret.
    if (error instanceof AuthenticationError && error instanceof XError) seen.push(`AuthenticationError code=${error.code}`);
  }
  return seen;
}
