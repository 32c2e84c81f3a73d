import type { Flow } from "./types.js";

/**
 * Fetches one client-credentials token and makes two calls with it, so the table shows the shape every provider
 * flow should have: several requests, one token. The echo service has no real counterpart, so `realEnv` is empty.
 */
export const echoFlow: Flow = {
  provider: "echo",
  name: "token + 2 calls",
  realEnv: [],
  async run({ sandboxUrl, demoCredentials }) {
    const tokenResponse = await fetch(`${sandboxUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: demoCredentials.clientId ?? "",
        client_secret: demoCredentials.clientSecret ?? "",
      }),
    });
    if (!tokenResponse.ok) throw new Error(`token request failed with ${tokenResponse.status}`);
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const echoed: string[] = [];
    for (const word of ["hello", "world"]) {
      const response = await fetch(`${sandboxUrl}/echo`, {
        method: "POST",
        headers: { authorization: `Bearer ${access_token}` },
        body: word,
      });
      if (!response.ok) throw new Error(`echo failed with ${response.status}`);
      echoed.push(((await response.json()) as { body: string }).body);
    }
    return { result: `echoed "${echoed.join(" ")}"` };
  },
};
