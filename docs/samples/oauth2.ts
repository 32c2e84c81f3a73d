import { createProviderClient, createTokenCache, oauth2Auth, type SdkEvent } from "@x/core";
import type { paths } from "./generated/schema.js";

export async function example(baseUrl: string): Promise<SdkEvent["type"][]> {
  const events: SdkEvent["type"][] = [];
  // One cache for the whole app: clients with the same credential share one token, fetched once.
  const tokenCache = createTokenCache({ refreshMarginMs: 30_000 });
  const makeClient = () =>
    createProviderClient<paths>({
      provider: "acme",
      baseUrl,
      tokenCache,
      onEvent: (event) => events.push(event.type),
      auth: oauth2Auth({
        tokenUrl: `${baseUrl}/oauth/token`,
        clientId: "acme-client",
        clientSecret: "acme-secret",
        grant: { type: "client_credentials" },
        scope: "accounts.read",
        identity: ["accounts.read"], // tokens of another scope are another credential
      }),
    });
  const [first, second] = [makeClient(), makeClient()];
  await Promise.all([first.unwrap(first.GET("/accounts")), second.unwrap(second.GET("/accounts"))]);
  await first.unwrap(first.GET("/accounts"));
  return events.filter((type) => type.startsWith("token."));
}
